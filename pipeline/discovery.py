"""What to read: the files under the inputs, each with its stable name, and their hashes. Light on
purpose (no pydantic, no reader): a run where every file is unchanged needs only this."""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from parsers import supported_suffixes


@dataclass(frozen=True)
class Candidate:
    path: Path
    source_path: str  # the stable name used in records and record ids
    problem: str | None = None  # why it is skipped without being opened
    unreachable: str | None = None  # why it cannot be opened now (a link whose target is gone): an error
    sha256: str | None = None  # when the batch already hashed it

    @property
    def location(self) -> str:
        return printable(str(self.path))


def printable(text: str) -> str:
    """A file name as text that can be written to JSON and a terminal: bytes of the name that are not UTF-8
    (which Python keeps as lone surrogates) are shown as \\xNN, so `r\\xe9ponse.docx` is reported, not a crash."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def discover(inputs: list[Path]) -> list[Candidate]:
    """Every file to consider, in a stable order; things that are not regular files are skipped."""
    found: list[Candidate] = []
    for given in inputs:
        if given.is_dir():
            for path in sorted(_walk(given)):
                found.append(_candidate(path, printable(path.relative_to(given).as_posix())))
        else:
            found.append(_candidate(given, printable(given.name)))
    return found


def _walk(folder: Path) -> Iterator[Path]:
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith((".", "~$")) for part in relative.parts):
            continue  # hidden files and Word's lock files (~$name.docx) are not replies
        if path.is_dir() and path.suffix.lower() not in supported_suffixes():
            continue
        yield path


def _candidate(path: Path, source_path: str) -> Candidate:
    try:
        mode = path.lstat().st_mode
    except OSError as error:
        return Candidate(path, source_path, unreachable=f"cannot be opened: {error.strerror}")
    if stat.S_ISLNK(mode) and not path.exists():
        # Its target may be on a drive or share that is away for now: an error, so its records are kept.
        return Candidate(path, source_path, unreachable="a symbolic link whose target cannot be reached")
    if path.is_dir():
        return Candidate(path, source_path, "a folder, not a file")
    if not path.is_file():
        return Candidate(path, source_path, "not a regular file (device, pipe or socket)")
    if path.suffix.lower() not in supported_suffixes():
        return Candidate(path, source_path, f"unsupported file type '{path.suffix or '(none)'}'")
    return Candidate(path, source_path)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


__all__ = ["Candidate", "discover", "printable", "sha256_of"]
