"""Run a batch: every reply under the inputs → records in the output folder, plus `_report.json`.

One bad file never costs the batch: each file is read in a killable worker (pipeline/workers.py),
gets a report line with a plain message, and the others go on. Records of a source that no longer
yields them are removed; records of a file that fails to read this time are kept, since they came
from an earlier good read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from extract.record import Record
from pipeline.output import dumps, write_atomic
from pipeline.reading import Candidate, FileReport, ReadResult, discover, read_file
from pipeline.workers import Limits, read_isolated
from review.store import ReviewStore, apply_decisions, store_for

REPORT_NAME = "_report.json"
TOOL_VERSION = "0.1.0"


class BatchReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tool_version: str = TOOL_VERSION
    inputs: list[str] = Field(default_factory=list, description="the files and folders read, as given")
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


def run_batch(inputs: list[Path], out_dir: Path, on_file: Callable[[FileReport], None] | None = None,
              limits: Limits | None = None, workers: int | None = None, isolate: bool = True,
              review_dir: Path | None = None) -> BatchReport:
    """Read, extract, apply the review store's decisions and write everything. `isolate=False` reads in
    this process (no limits): for debugging only."""
    out_dir.mkdir(parents=True, exist_ok=True)
    reviews = ReviewStore(review_dir or store_for(out_dir))
    given = [str(path) for path in inputs]
    previous, previous_inputs = _previous_run(out_dir)
    candidates = discover(inputs)
    reports: list[FileReport] = []

    def store(candidate: Candidate, result: ReadResult) -> FileReport:
        report = result.report
        flagged = 0
        for record_id, text in result.records:
            decisions = reviews.decisions(record_id)
            if decisions:
                record = apply_decisions(Record.model_validate_json(text), decisions)
                text = dumps(record)
            else:
                record = Record.model_validate_json(text)
            flagged += len(record.flagged())
            write_atomic(out_dir / f"{record_id}.json", text)
        if result.records:
            report.flagged_fields = flagged
        old_ids = previous.get(candidate.source_path, [])
        if report.status == "error" and old_ids:
            report.record_ids = [i for i in old_ids if (out_dir / f"{i}.json").exists()]
            if report.record_ids:
                report.message = f"{report.message} (records from an earlier read are kept)"
        else:
            for stale in set(old_ids) - set(report.record_ids):
                (out_dir / f"{stale}.json").unlink(missing_ok=True)
        if on_file:
            on_file(report)
        return report

    if isolate:
        stored: dict[int, FileReport] = {}
        read_isolated(candidates, limits or Limits(), workers,
                      on_result=lambda index, result: stored.__setitem__(index, store(candidates[index], result)))
        reports = [stored[index] for index in range(len(candidates))]
    else:
        reports = [store(candidate, read_file(candidate)) for candidate in candidates]
    if previous_inputs == given:  # the same inputs read again: a reply no longer there takes its records along
        seen = {candidate.source_path for candidate in candidates}
        for source_path, record_ids in previous.items():
            if source_path not in seen:
                for record_id in record_ids:
                    (out_dir / f"{record_id}.json").unlink(missing_ok=True)
    batch = BatchReport(inputs=given, files=reports)
    write_atomic(out_dir / REPORT_NAME, dumps(batch))
    return batch


def _previous_run(out_dir: Path) -> tuple[dict[str, list[str]], list[str] | None]:
    """Record ids per source path, and the inputs, of the last run into this folder."""
    try:
        data = json.loads((out_dir / REPORT_NAME).read_text(encoding="utf-8"))
        ids = {entry["path"]: list(entry.get("record_ids", [])) for entry in data.get("files", [])}
        return ids, list(data.get("inputs", []))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}, None
