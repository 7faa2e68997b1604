"""Writing outputs: atomic files, so a killed run never leaves a truncated record, and zip packages
(Word files) with fixed timestamps, so the same content gives the same bytes."""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

from pydantic import BaseModel


def dumps(model: BaseModel) -> str:
    """Stable, readable JSON: same input, same bytes."""
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


REPORT_NAME = "_report.json"  # the run report beside the records


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temp file beside `path`, fsync, then rename over it: all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    # delete=False: the temp file must outlive the handle to be renamed over `path`.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


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
