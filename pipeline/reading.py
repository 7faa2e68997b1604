"""Reading one file: what to read (discovery), and one file → report + serialised records.

This is what a worker process runs; everything it returns is plain data that pickles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from extract import RecordBase, extract
from parsers import ErrorCode, ReadOptions, UnreadableFile, read_layout
from parsers.errors import NothingToRead
from pipeline.discovery import Candidate, sha256_of
from pipeline.options import ExtractOptions
from records import DamagedFile, apply_decisions, dumps, read_decisions


class FileReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="as given on the command line, or relative to the folder given")
    location: str | None = Field(default=None, description="where the file was read, as the command was given it")
    found_at: str | None = Field(
        default=None, description="where the file is, relative to the records folder: a run with other inputs finds it"
    )
    sha256: str | None = Field(default=None, description="of the file's bytes when it was read")
    status: Literal["ok", "error", "skipped"]
    message: str | None = None
    error_code: ErrorCode | None = Field(default=None, description="why an `error` could not be read, for scripts")
    record_ids: list[str] = Field(default_factory=list)
    flagged_fields: int = 0
    # not read again (same bytes and code as the last run); for the summary only, so re-runs stay byte-identical
    from_earlier_run: bool = Field(default=False, exclude=True)


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
    except NothingToRead as empty:
        return FileReport(path=candidate.source_path, status="skipped", message=empty.message), []
    except UnreadableFile as error:
        return _error(candidate, error.message, error.code), []
    except OSError as error:
        return _error(candidate, f"cannot be read: {error.strerror or error}", ErrorCode.UNREACHABLE), []
    try:
        form = options.form_spec() if isinstance(options, ExtractOptions) else None
        extraction = extract(layout, candidate.source_path, sha, form)
    except Exception as error:  # a bug of ours must cost this file only, and be reported, not hidden
        message = f"internal error while extracting (please report it): {type(error).__name__}: {error}"
        return _error(candidate, message, ErrorCode.INTERNAL), []
    records = extraction.records
    if not records:
        return FileReport(path=candidate.source_path, status="skipped", message=extraction.skip_reason), []
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
        try:
            # copy=False: these records were made here and are held by nobody else
            records = [apply_decisions(r, read_decisions(review_dir, r.record_id), copy=False) for r in records]
        except DamagedFile as damaged:  # never write a record without its decisions; never quote the store
            message = f"its review store file {damaged.path} is damaged ({damaged.reason}): repair or remove it"
            report = _error(candidate, message, ErrorCode.REVIEW_STORE_DAMAGED)
            report.location, report.sha256 = candidate.location, candidate.sha256
            return ReadResult(report)
    if records:
        report.flagged_fields = sum(len(record.flagged()) for record in records)
    return ReadResult(report, [(record.record_id, dumps(record)) for record in records])
