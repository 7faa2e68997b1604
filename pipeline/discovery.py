"""What to read: the files under the inputs, each with its stable name, and their hashes. Light on
purpose (no pydantic, no reader): a run where every file is unchanged needs only this."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
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


def discover(inputs: list[Path], outputs: tuple[Path, ...] = ()) -> list[Candidate]:
    """Every file to consider, in a stable order; things that are not regular files are skipped. A file
    reached twice (a folder and a file in it, one folder given twice) is one reply. The folders in `outputs`
    (the records, the review store) are not looked into when they lie under an input: they hold our own
    files, not replies."""
    found: list[Candidate] = []
    seen: set[str] = set()
    skipped = [absolute(folder) for folder in outputs]
    for given in inputs:
        if given.is_dir():
            paths = [p for p in sorted(_walk(given)) if not _inside(p, skipped)]
            under = [_candidate(path, printable(path.relative_to(given).as_posix())) for path in paths]
        else:
            under = [_candidate(given, printable(given.name))]
        for candidate in under:
            where = absolute(candidate.path)
            if where not in seen:
                seen.add(where)
                found.append(candidate)
    return _distinct_names(found)


def absolute(path: Path) -> str:
    """The path made absolute and normalised, not resolved: one file named two ways compares equal, and a
    link stays the name it was given."""
    return os.path.normpath(os.path.abspath(path))


def _inside(path: Path, folders: list[str]) -> bool:
    where = absolute(path)
    return any(where == folder or where.startswith(folder + os.sep) for folder in folders)


def input_in_output(inputs: list[Path], outputs: tuple[Path, ...]) -> Path | None:
    """The first input that is one of the output folders or lies in one (`pecs-extract data/structured`,
    for `review` or `status`): reading it would report every record as a skipped file, over the real run's."""
    folders = [absolute(folder) for folder in outputs]
    return next((given for given in inputs if _inside(given, folders)), None)


def _distinct_names(found: list[Candidate]) -> list[Candidate]:
    """Replies that would share a name (reponse.docx in two folders given) are each named by as much of
    their path as tells them apart (fr/reponse.docx, be/reponse.docx): with one name, one record id, and
    the second reply's records overwrote the first's. Names without a clash stay as they are."""
    by_name: dict[str, list[int]] = {}
    for index, candidate in enumerate(found):
        by_name.setdefault(candidate.source_path, []).append(index)
    taken = set(by_name)
    for name, indexes in by_name.items():
        if len(indexes) < 2:
            continue
        parts = [Path(os.path.abspath(found[i].path)).parts for i in indexes]
        depth = len(Path(name).parts)
        while True:
            depth += 1
            tails = [printable("/".join(p[-depth:]).lstrip("/")) for p in parts]
            if (len(set(tails)) == len(tails) and not taken & set(tails)) or depth >= max(map(len, parts)):
                break
        for index, tail in zip(indexes, tails, strict=True):
            found[index] = replace(found[index], source_path=tail)
        taken |= set(tails)
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


__all__ = ["Candidate", "absolute", "discover", "input_in_output", "printable", "sha256_of"]
