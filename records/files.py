"""Writing outputs: atomic files, so a killed run never leaves a truncated record, and zip packages
(Word files) with fixed timestamps, so the same content gives the same bytes.

A replaced file keeps its mode (a 0644 record stays 0644); a new file gets the umask's mode, as any
other program's output would. The temporary file of a write names its process, so the leftovers of a
killed writer can be told from the work of one still running and cleaned up."""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import time
import zipfile
from pathlib import Path

from pydantic import BaseModel

REPORT_NAME = "_report.json"  # the run report beside the records
_TEMP = re.compile(r"^\..+\.pid(\d+)\.[^.]+\.tmp$")
STALE_AFTER = 3600  # seconds: no write takes this long, so an older temp file is a leftover even if its pid is reused


# Numbers pydantic's serialiser writes unlike `json.dumps` (1e-05 as 0.00001, 1e-07 as 1e-7): a number token
# (after a key or at the start of a list line) below 1e-4 or with a one-digit negative exponent.
_OTHER_NUMBER = re.compile(r"(?m)(?:^ *|: )-?(?:0\.0000|\d+(?:\.\d+)?e-\d\b)")


def dumps(model: BaseModel) -> str:
    """Stable, readable JSON: same input, same bytes. The bytes are those of `json.dumps(..., indent=2)`
    (the format records have always had); pydantic's own serialiser writes them about nine times faster,
    and the rare text it would write otherwise (tiny numbers, text it refuses) goes the slow way."""
    try:
        text = model.model_dump_json(indent=2)
    except ValueError:  # pydantic_core's serialisation error (a lone surrogate): json.dumps says what it says
        text = ""
    if not text or _OTHER_NUMBER.search(text):
        return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    return text + "\n"


def write_atomic(path: Path, content: str | bytes, durable: bool = True) -> None:
    """Write to a temp file beside `path`, fsync, then rename over it: all or nothing. A failure (disk
    full, read-only folder) raises OSError and leaves `path` as it was and no temp file behind.

    `durable=False` skips the two fsyncs (the file's and its folder's): the write is still all or
    nothing for a killed process, but a power cut may lose it or leave it empty. For the records of a
    batch only, whose report is written durably after them: a lost or empty record is found missing or
    damaged by the next run, which reads its source again (pipeline/batch.py)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    mode = _mode_for(path)
    # delete=False: the temp file must outlive the handle to be renamed over `path`.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        dir=path.parent, prefix=f".{path.name}.pid{os.getpid()}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            if durable:
                os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    if durable:
        _fsync_dir(path.parent)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    # Reading the umask means setting it: put it straight back (the process is not multi-threaded here).
    current = os.umask(0o022)
    os.umask(current)
    return current


def clean_stale_temp_files(folder: Path) -> list[Path]:
    """Remove the temp files that writers killed mid-write left in `folder` (those of a process still
    running are its work in progress and stay). Returns what was removed."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match and (not _alive(int(match.group(1))) or _age(entry) > STALE_AFTER):
            try:
                entry.unlink()
            except OSError:
                continue  # a read-only folder: the next writable run removes it
            removed.append(entry)
    return removed


def _age(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except OSError:
        return 0.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def fixed_zip(package: bytes, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The same zip package with its entries sorted and stamped `date_time` (zip stamps the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform; the rename itself is still atomic
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
