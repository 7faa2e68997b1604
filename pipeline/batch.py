"""Run a batch: every reply under the inputs → records in the output folder, plus `_report.json`.

One bad file never costs the batch: it gets a report line with a plain message and the others go on.
Records of a source that no longer yields them are removed; records of a file that fails to read
this time are kept, since they came from an earlier good read.
"""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from extract import Record, extract_records
from parsers import UnreadableFile, read_layout, supported_suffixes
from pipeline.output import dumps, write_atomic

REPORT_NAME = "_report.json"
TOOL_VERSION = "0.1.0"


class FileReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="as given on the command line, or relative to the folder given")
    status: Literal["ok", "error", "skipped"]
    message: str | None = None
    record_ids: list[str] = Field(default_factory=list)
    flagged_fields: int = 0


class BatchReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tool_version: str = TOOL_VERSION
    files: list[FileReport]

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if f.status == "error"]

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def practices(self) -> int:
        return sum(len(f.record_ids) for f in self.files if f.status == "ok")

    @property
    def flagged_fields(self) -> int:
        return sum(f.flagged_fields for f in self.files)


@dataclass(frozen=True)
class Candidate:
    path: Path
    source_path: str  # the stable name used in records and record ids
    problem: str | None = None  # why it is skipped without being opened


def discover(inputs: list[Path]) -> list[Candidate]:
    """Every file to consider, in a stable order; things that are not regular files are skipped."""
    found: list[Candidate] = []
    for given in inputs:
        if given.is_dir():
            for path in sorted(_walk(given)):
                found.append(_candidate(path, path.relative_to(given).as_posix()))
        else:
            found.append(_candidate(given, given.name))
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
        return Candidate(path, source_path, f"cannot be opened: {error.strerror}")
    if stat.S_ISLNK(mode) and not path.exists():
        return Candidate(path, source_path, "broken symbolic link")
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


def read_records(candidate: Candidate) -> tuple[FileReport, list[Record]]:
    """Read one file; a file that cannot be read becomes an error report, never an exception."""
    if candidate.problem:
        return FileReport(path=candidate.source_path, status="skipped", message=candidate.problem), []
    try:
        sha = sha256_of(candidate.path)
        layout = read_layout(candidate.path)
    except UnreadableFile as error:
        return FileReport(path=candidate.source_path, status="error", message=error.message), []
    except OSError as error:
        return FileReport(path=candidate.source_path, status="error", message=f"cannot be read: {error}"), []
    try:
        records = extract_records(layout, candidate.source_path, sha)
    except Exception as error:  # a bug of ours must cost this file only, and be reported, not hidden
        message = f"internal error while extracting (please report it): {type(error).__name__}: {error}"
        return FileReport(path=candidate.source_path, status="error", message=message), []
    if not records:
        message = "no questionnaire found: fewer than 3 of the form's labels (a cover letter or another document?)"
        return FileReport(path=candidate.source_path, status="skipped", message=message), []
    flagged = sum(len(r.flagged()) for r in records)
    report = FileReport(path=candidate.source_path, status="ok", record_ids=[r.record_id for r in records],
                        flagged_fields=flagged)
    return report, records


def run_batch(inputs: list[Path], out_dir: Path,
              on_file: Callable[[FileReport], None] | None = None) -> BatchReport:
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = _previous_record_ids(out_dir)
    reports: list[FileReport] = []
    for candidate in discover(inputs):
        report, records = read_records(candidate)
        for record in records:
            write_atomic(out_dir / f"{record.record_id}.json", dumps(record))
        old_ids = previous.get(candidate.source_path, [])
        if report.status == "error" and old_ids:
            report.record_ids = [i for i in old_ids if (out_dir / f"{i}.json").exists()]
            if report.record_ids:
                report.message = f"{report.message} (records from an earlier read are kept)"
        else:
            for stale in set(old_ids) - set(report.record_ids):
                (out_dir / f"{stale}.json").unlink(missing_ok=True)
        reports.append(report)
        if on_file:
            on_file(report)
    batch = BatchReport(files=reports)
    write_atomic(out_dir / REPORT_NAME, dumps(batch))
    return batch


def _previous_record_ids(out_dir: Path) -> dict[str, list[str]]:
    try:
        data = json.loads((out_dir / REPORT_NAME).read_text(encoding="utf-8"))
        return {entry["path"]: list(entry.get("record_ids", [])) for entry in data.get("files", [])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
