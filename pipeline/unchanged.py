"""A run where nothing changed, answered from the last run's report without reading anything.

The batch (pipeline/batch.py) imports the readers, the record model and pydantic: a second or more
before the first file. When every file has the bytes the last run read, with the same code, options
and libraries, and neither the records folder, the review store nor a source's modification time
(the duplicate grouping uses it) moved since that run ended, the batch would write what is already
there. This module checks exactly that with the standard library only, and hands back the last
report; anything else, and the caller runs the batch. It never writes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from parsers import ReadOptions
from pipeline.discovery import Candidate, discover, sha256_of
from pipeline.fingerprint import reading_fingerprint

REPORT_NAME = "_report.json"  # records.REPORT_NAME (tests/test_lazy_imports.py keeps them equal)
# The folder's digest at the end of the last run, beside the report rather than in it: it holds the sources'
# times, which a fresh clone changes, and the report of the shipped samples is tracked by git.
STATE_NAME = ".pecs-state"


def default_store(records_dir: Path) -> Path:
    """records.store_for, without importing the records layer (tests/test_lazy_imports.py compares them)."""
    return records_dir.resolve().parent / "review"


class RunCounts:
    """What the command line counts in a run's report, whether a BatchReport (pydantic) or the last report
    read back here: written once, for any `files` whose items have status, record_ids and flagged_fields."""

    if TYPE_CHECKING:
        files: Sequence[Any]

    @property
    def failed(self) -> list[Any]:
        return [f for f in self.files if f.status == "error"]

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def practices(self) -> int:
        return sum(len(f.record_ids) for f in self.files if f.status == "ok")

    @property
    def flagged_fields(self) -> int:
        return sum(f.flagged_fields for f in self.files)


@dataclass
class UnchangedRun(RunCounts):
    """The last run's report, as the command line reads a BatchReport."""

    files: list[SimpleNamespace]
    duplicates: list[SimpleNamespace] = field(default_factory=list)


def folder_state(records_dir: Path, store: Path, sources: Iterable[Path]) -> str:
    """A digest of what the batch's result depends on besides the sources' bytes: the content of
    every file of the records folder (the report aside) and of the review store, and the sources'
    modification times. Content, not file times, so two runs that write the same records give the
    same report byte for byte."""
    digest = hashlib.sha256()
    for folder in (records_dir, store):
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            digest.update(b"(none)\n")
            continue
        for entry in entries:
            if entry.name not in (REPORT_NAME, STATE_NAME) and entry.is_file(follow_symlinks=False):
                with open(entry.path, "rb") as handle:
                    digest.update(f"{entry.name}\0{hashlib.sha256(handle.read()).hexdigest()}\n".encode())
        digest.update(b"--\n")
    for source in sources:
        try:
            digest.update(f"{os.stat(source).st_mtime_ns}\n".encode())
        except OSError:
            digest.update(b"(gone)\n")
    return digest.hexdigest()[:32]


def unchanged_run(
    inputs: list[Path],
    out_dir: Path,
    options: ReadOptions | None = None,
    review_dir: Path | None = None,
    on_file: Callable[[SimpleNamespace], None] | None = None,
) -> UnchangedRun | None:
    """The last run's report when running the batch again would change nothing; None otherwise."""
    try:
        report = json.loads((out_dir / REPORT_NAME).read_text(encoding="utf-8"))
        state = (out_dir / STATE_NAME).read_text(encoding="utf-8").strip()
        if report.get("inputs") != [str(path) for path in inputs] or not state:
            return None
        if report.get("extractor") != reading_fingerprint(options or ReadOptions()):
            return None
        previous = {entry["path"]: entry for entry in report["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None
    store = (review_dir or default_store(out_dir)).resolve()
    candidates = discover(inputs, outputs=(out_dir, store))
    if len(candidates) != len(previous):
        return None  # a reply added or removed
    files = []
    for candidate in candidates:
        entry = previous.get(candidate.source_path)
        if entry is None or entry.get("location") != candidate.location or not _same(entry, candidate):
            return None
        files.append(SimpleNamespace(**entry))
    if folder_state(out_dir, store, [c.path for c in candidates if c.problem is None]) != state:
        return None
    if on_file:
        for entry in files:
            on_file(entry)
    return UnchangedRun(files, [SimpleNamespace(**group) for group in report.get("duplicates", [])])


def _same(entry: dict, candidate: Candidate) -> bool:
    """Would the batch keep this report line as it is? A file skipped without being opened (another
    type, a folder) is skipped again for the same reason; a read file has the same bytes and was
    read, not failed (a failure is always tried again)."""
    if candidate.unreachable:
        return False
    if candidate.problem:
        return entry.get("status") == "skipped" and entry.get("message") == candidate.problem
    if entry.get("status") not in ("ok", "skipped") or not entry.get("sha256"):
        return False
    try:
        return sha256_of(candidate.path) == entry["sha256"]
    except OSError:
        return False
