"""Reading one file: what to read (discovery), and one file → report + serialised records.

This is what a worker process runs; everything it returns is plain data that pickles.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from extract import RecordBase, extract_records
from parsers import ErrorCode, ReadOptions, UnreadableFile, read_layout, supported_suffixes
from records import apply_decisions, dumps, read_decisions


class FileReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="as given on the command line, or relative to the folder given")
    location: str | None = Field(default=None, description="where the file was read, as the command was given it")
    sha256: str | None = Field(default=None, description="of the file's bytes when it was read")
    status: Literal["ok", "error", "skipped"]
    message: str | None = None
    error_code: ErrorCode | None = Field(default=None, description="why an `error` could not be read, for scripts")
    record_ids: list[str] = Field(default_factory=list)
    flagged_fields: int = 0


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


@dataclass
class ReadResult:
    report: FileReport
    records: list[tuple[str, str]] = field(default_factory=list)  # (record_id, JSON text)
    retire_worker: bool = False  # the worker hit its memory limit: it is not trusted with another file

    @classmethod
    def failed(cls, candidate: Candidate, message: str, code: ErrorCode) -> ReadResult:
        report = FileReport(
            path=candidate.source_path, location=candidate.location, status="error", message=message, error_code=code
        )
        return cls(report)


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


def read_records(candidate: Candidate, options: ReadOptions | None = None) -> tuple[FileReport, list[RecordBase]]:
    """Read one file into (report, records); a file that cannot be read is an error report, never an
    exception."""
    if candidate.problem:
        return FileReport(path=candidate.source_path, status="skipped", message=candidate.problem), []
    if candidate.unreachable:
        return _error(candidate, candidate.unreachable, ErrorCode.UNREACHABLE), []
    try:
        sha = candidate.sha256 or sha256_of(candidate.path)
        layout = read_layout(candidate.path, options)
    except UnreadableFile as error:
        return _error(candidate, error.message, error.code), []
    except OSError as error:
        return _error(candidate, f"cannot be read: {error.strerror or error}", ErrorCode.UNREACHABLE), []
    try:
        records = extract_records(layout, candidate.source_path, sha)
    except Exception as error:  # a bug of ours must cost this file only, and be reported, not hidden
        message = f"internal error while extracting (please report it): {type(error).__name__}: {error}"
        return _error(candidate, message, ErrorCode.INTERNAL), []
    if not records:
        message = "no questionnaire found: fewer than 3 of the form's labels (a cover letter or another document?)"
        return FileReport(path=candidate.source_path, status="skipped", message=message), []
    flagged = sum(len(r.flagged()) for r in records)
    report = FileReport(
        path=candidate.source_path, status="ok", record_ids=[r.record_id for r in records], flagged_fields=flagged
    )
    return report, records


def _error(candidate: Candidate, message: str, code: ErrorCode) -> FileReport:
    return FileReport(path=candidate.source_path, status="error", message=message, error_code=code)


def read_file(candidate: Candidate, review_dir: Path | None = None, options: ReadOptions | None = None) -> ReadResult:
    """`read_records` with the review store's decisions applied, serialised for the trip back from a
    worker process (the worker does this work, so the batch process only writes files)."""
    report, records = read_records(candidate, options)
    report.location = candidate.location
    report.sha256 = candidate.sha256 or (records[0].source.sha256 if records else None)
    if review_dir is not None:
        records = [apply_decisions(record, read_decisions(review_dir, record.record_id)) for record in records]
    if records:
        report.flagged_fields = sum(len(record.flagged()) for record in records)
    return ReadResult(report, [(record.record_id, dumps(record)) for record in records])
