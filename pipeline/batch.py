"""Run a batch: every reply under the inputs → records in the output folder, plus `_report.json`.

One bad file never costs the batch: each file is read in a killable worker (pipeline/workers.py),
gets a report line with a plain message, and the others go on. Records of a source that no longer
yields them are removed; records of a file that fails to read this time are kept, since they came
from an earlier good read.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from duplicates.store import GroupReport, regroup
from extract.record import Record, RecordBase, form_of, record_model
from parsers import ErrorCode, ReadOptions, installed_versions
from pipeline.discovery import Candidate, absolute, discover, printable, sha256_of
from pipeline.fingerprint import reading_fingerprint
from pipeline.interrupted import BatchInterrupted
from pipeline.options import ExtractOptions
from pipeline.reading import FileReport, ReadResult, read_file
from pipeline.unchanged import STATE_NAME, RunCounts, folder_state
from pipeline.workers import Limits, read_isolated
from records import (
    REPORT_NAME,
    BadRecordId,
    DamagedFile,
    apply_decisions,
    check_same_form,
    clean_stale_temp_files,
    dumps,
    folder_lock,
    is_record_id,
    load_form_record,
    read_decisions,
    record_paths,
    store_for,
    write_atomic,
)
from records.moves import Carried, Reply, Unmatched, follow_moves, unmatched

# The one version number lives in pyproject.toml; the installed distribution says which it is.
TOOL_VERSION = installed_versions(["pecs-extract"]).get("pecs-extract", "unknown")


class BatchReport(RunCounts, BaseModel):
    model_config = ConfigDict(extra="forbid")

    tool_version: str = TOOL_VERSION
    extractor: str | None = Field(default=None, description="fingerprint of the reading code and the label catalogue")
    inputs: list[str] = Field(default_factory=list, description="the files and folders read, as given")
    limits: dict[str, float | None] | None = Field(default=None, description="--timeout and --max-memory of the run")
    files: list[FileReport]
    duplicates: list[GroupReport] = Field(default_factory=list, description="the same practice found more than once")
    # Said by the command line after the run, never written: the report depends only on the replies and the code.
    moved: list[Carried] = Field(default_factory=list, exclude=True)
    unmatched: list[Unmatched] = Field(default_factory=list, exclude=True)


def run_batch(
    inputs: list[Path],
    out_dir: Path,
    on_file: Callable[[FileReport], None] | None = None,
    limits: Limits | None = None,
    workers: int | None = None,
    isolate: bool = True,
    review_dir: Path | None = None,
    force: bool = False,
    options: ReadOptions | None = None,
    retry_failed: bool = False,
    on_busy: Callable[[], None] | None = None,
) -> BatchReport:
    """`_run_batch` under a lock on the output folder: a second run into the same folder waits for the
    first (`on_busy` is told), so two runs never interleave their records and reports."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with folder_lock(out_dir, on_wait=on_busy):
        return _run_batch(inputs, out_dir, on_file, limits, workers, isolate, review_dir, force, options, retry_failed)


def _run_batch(
    inputs: list[Path],
    out_dir: Path,
    on_file: Callable[[FileReport], None] | None,
    limits: Limits | None,
    workers: int | None,
    isolate: bool,
    review_dir: Path | None,
    force: bool,
    options: ReadOptions | None,
    retry_failed: bool,
) -> BatchReport:
    """Read, extract, apply the review store's decisions and write everything.

    A file whose bytes and the reading code are unchanged since the last run into `out_dir` is not
    read again (its records are brought up to date with the store's decisions) unless `force`; a file
    that failed is not read again either (same bytes, same code, limits no larger) unless `retry_failed`
    or `force`. `isolate=False` reads in this process (no limits): for debugging only. Ctrl-C raises
    BatchInterrupted once the files read so far are written and the report says which were not read."""
    out_dir.mkdir(parents=True, exist_ok=True)
    options = options or ReadOptions()
    model = record_model(options.form_spec()) if isinstance(options, ExtractOptions) else Record
    check_same_form(out_dir, form_of(model).id)  # before anything is changed in the folder
    clean_stale_temp_files(out_dir)  # of a run killed while writing
    (out_dir / STATE_NAME).unlink(missing_ok=True)  # this run will change the folder: no earlier state holds
    limits = limits or Limits()
    reviews = (review_dir or store_for(out_dir)).resolve()
    clean_stale_temp_files(reviews)  # a decision's write killed midway: the decision itself was never made
    started = time.time()
    given = [str(path) for path in inputs]
    previous = _previous_run(out_dir)
    fingerprint = reading_fingerprint(options)
    candidates = discover(inputs, outputs=(out_dir, reviews))
    carried, gone = _from_other_inputs(previous, given, candidates, out_dir)
    reports: dict[int, FileReport] = {}
    todo: list[tuple[int, Candidate]] = []
    for index, candidate in enumerate(candidates):
        if candidate.problem is None:
            candidate = _hashed(candidate)
            candidates[index] = candidate
            kept = None if force or previous.extractor != fingerprint else previous.files.get(candidate.source_path)
            flagged = _still_valid(kept, candidate, out_dir, model) if kept else None
            if (
                kept
                and flagged is None
                and not retry_failed
                and _same_failure(kept, candidate, previous, limits, out_dir)
            ):
                flagged = 0
            if kept and flagged is not None and kept.status == "ok":  # decisions made since apply now
                flagged = sum(_reapply(out_dir / f"{i}.json", reviews, model) for i in kept.record_ids)
            if kept and flagged is not None:
                update = {"location": candidate.location, "flagged_fields": flagged, "from_earlier_run": True}
                update["found_at"] = _found_at(candidate, out_dir)
                reports[index] = kept.model_copy(update=update)
                if on_file:
                    on_file(reports[index])
                continue
        todo.append((index, candidate))

    def store(candidate: Candidate, result: ReadResult) -> FileReport:
        report = result.report  # decisions already applied and flags counted by the worker
        report.found_at = _found_at(candidate, out_dir)
        for record_id, text in result.records:
            # Not fsynced one by one (that was a sixth of a run): the report, written durably after every
            # record, decides what the next run reuses, and a record a power cut lost or emptied is found
            # missing or damaged there and read again.
            write_atomic(out_dir / f"{record_id}.json", text, durable=False)
        old = previous.files.get(candidate.source_path)
        old_ids = old.record_ids if old else []
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

    try:
        if isolate:
            read_isolated(
                [c for _, c in todo],
                limits,
                workers,
                review_dir=reviews,
                options=options,
                on_result=lambda n, result: reports.__setitem__(todo[n][0], store(todo[n][1], result)),
            )
        else:
            for index, candidate in todo:
                reports[index] = store(candidate, read_file(candidate, reviews, options))
    except KeyboardInterrupt:
        batch = _interrupted(candidates, reports, previous, BatchReport(extractor=fingerprint, inputs=given, files=[]))
        batch.files += carried
        batch.limits = _limits_of(limits)
        write_atomic(out_dir / REPORT_NAME, dumps(batch))
        unread = [candidate.source_path for index, candidate in enumerate(candidates) if index not in reports]
        raise BatchInterrupted(batch, unread) from None
    if previous.inputs == given:  # the same inputs read again: a reply no longer there takes its records along
        seen = {candidate.source_path for candidate in candidates}
        for source_path, entry in previous.files.items():
            if source_path not in seen:
                for record_id in entry.record_ids:
                    (out_dir / f"{record_id}.json").unlink(missing_ok=True)
    for entry in gone:
        for record_id in entry.record_ids:
            (out_dir / f"{record_id}.json").unlink(missing_ok=True)
    moved, unmatched = _follow_moved_replies(reports.values(), out_dir, reviews, model)
    _apply_decisions_made_meanwhile(reports.values(), out_dir, reviews, started, model)
    files = [reports[i] for i in range(len(candidates))] + carried
    if carried:  # the report lists what the folder holds: these inputs and the earlier ones still in it
        given += [earlier for earlier in previous.inputs or [] if earlier not in given]
    batch = BatchReport(extractor=fingerprint, inputs=given, limits=_limits_of(limits), files=files)
    batch.moved, batch.unmatched = moved, unmatched
    write_atomic(out_dir / REPORT_NAME, dumps(batch))  # the grouping reads where each source is
    batch.duplicates = [GroupReport.of(group) for group in regroup(out_dir, reviews, model=model)]
    for entry in batch.files:  # grouping adds and removes near-duplicate flags
        entry.flagged_fields = sum(
            _flag_count(out_dir / f"{i}.json", model) for i in entry.record_ids if entry.status == "ok"
        )
    write_atomic(out_dir / REPORT_NAME, dumps(batch))
    # what pipeline/unchanged.py compares, so the next run can answer without reading when nothing moved;
    # written last: a run stopped before it leaves the old state, which no longer matches, and is read again
    state = folder_state(out_dir, reviews, [c.path for c in candidates if c.problem is None])
    write_atomic(out_dir / STATE_NAME, state + "\n", durable=False)
    return batch


def _from_other_inputs(
    previous: _PreviousRun, given: list[str], candidates: list[Candidate], out_dir: Path
) -> tuple[list[FileReport], list[FileReport]]:
    """The last run's entries for replies this run does not read, when that run read other inputs: (kept,
    gone). A reply still where it was keeps its records and its line in the report (a run on one late reply
    keeps the others'); a reply deleted since, or read now under another name (its folder given this time,
    not the folder it is in), goes with its records, which else stayed unlisted for ever, or twice."""
    if previous.inputs is None or previous.inputs == given:
        return [], []  # the same inputs: a reply not found again takes its records along (at the end of the run)
    names = {candidate.source_path for candidate in candidates}
    here = {absolute(candidate.path) for candidate in candidates}
    kept, gone = [], []
    for name, entry in previous.files.items():
        if name in names:
            continue
        if entry.found_at is None:  # written by an older version, which did not say where: kept as it was
            kept.append(entry.model_copy(update={"from_earlier_run": True}))
            continue
        where = absolute(out_dir / entry.found_at)
        if where in here or not os.path.lexists(where):
            gone.append(entry)
        else:
            ids = [i for i in entry.record_ids if (out_dir / f"{i}.json").exists()]
            kept.append(entry.model_copy(update={"from_earlier_run": True, "record_ids": ids}))
    return kept, gone


def _found_at(candidate: Candidate, out_dir: Path) -> str | None:
    where = Path(os.path.relpath(absolute(candidate.path), absolute(out_dir))).as_posix()
    # a name that is not UTF-8 cannot be written to JSON as it is, nor found again from its printable form
    return where if printable(where) == where else None


def _interrupted(candidates, reports, previous: _PreviousRun, batch: BatchReport) -> BatchReport:
    for index, candidate in enumerate(candidates):
        done = reports.get(index) or previous.files.get(candidate.source_path)
        if done is None:
            done = FileReport(
                path=candidate.source_path,
                location=candidate.location,
                status="error",
                message="not read: the run was interrupted",
                error_code=ErrorCode.INTERRUPTED,
            )
        batch.files.append(done)
    if previous.inputs is not None:  # so that the next run does not take an unfinished list for the full one
        batch.inputs = previous.inputs
    return batch


# Failures worth trying again at once: the file or a tool may be back, the store repaired, the run finished.
RETRIED = {
    ErrorCode.UNREACHABLE,
    ErrorCode.MISSING_TOOL,
    ErrorCode.NEEDS_OCR,
    ErrorCode.INTERRUPTED,
    ErrorCode.REVIEW_STORE_DAMAGED,
}


def _same_failure(
    kept: FileReport, candidate: Candidate, previous: _PreviousRun, limits: Limits, out_dir: Path
) -> bool:
    """The last run failed on these very bytes with this very code, for a reason that would come again:
    remembered like a success. A timeout or memory failure is retried when the limit is now larger."""
    if kept.status != "error" or kept.sha256 is None or kept.sha256 != candidate.sha256:
        return False
    if kept.error_code is None or kept.error_code in RETRIED:
        return False
    then = previous.limits or {}
    if kept.error_code == ErrorCode.TIMEOUT and limits.timeout > (then.get("timeout") or 0):
        return False
    if kept.error_code in (ErrorCode.MEMORY, ErrorCode.CRASHED):
        before, now = then.get("max_memory_mb"), limits.max_memory_mb
        if before is not None and (now is None or now > before):
            return False
    return all((out_dir / f"{i}.json").exists() for i in kept.record_ids)


def _limits_of(limits: Limits) -> dict[str, float | None]:
    return {"timeout": limits.timeout, "max_memory_mb": limits.max_memory_mb}


def _flag_count(path: Path, model: type[RecordBase]) -> int:
    try:
        return len(load_form_record(path, model).flagged())
    except (DamagedFile, OSError):
        return 0  # named in the report by the run that finds it damaged


def _follow_moved_replies(reports, out_dir: Path, reviews: Path, model) -> tuple[list[Carried], list[Unmatched]]:
    """A reply moved or renamed has new record ids: its decisions follow it (records/moves.py); the
    decisions that match no record are named, not left to silence."""
    read = [Reply(i, r.sha256, r.path) for r in reports if r.status == "ok" for i in r.record_ids]
    present = {path.stem for path in record_paths(out_dir)}
    moved = follow_moves(reviews, read, present)
    for carried in moved:
        _reapply(out_dir / f"{carried.new_id}.json", reviews, model)
    return moved, unmatched(reviews, read, present)


def _apply_decisions_made_meanwhile(reports, out_dir: Path, reviews: Path, started: float, model) -> None:
    """A reviewer may decide while this run reads: its workers read the store before that."""
    for report in reports:
        if report.status == "ok" and any(_modified_since(reviews / f"{i}.json", started) for i in report.record_ids):
            for record_id in report.record_ids:
                _reapply(out_dir / f"{record_id}.json", reviews, model)


def _modified_since(path: Path, moment: float) -> bool:
    try:
        return path.stat().st_mtime >= moment - 1
    except OSError:
        return False


def _reapply(path: Path, reviews: Path, model: type[RecordBase]) -> int:
    """The record with the store's decisions as they are now (made since, with another store, or whose
    record write was cut short), rewritten if that changes it; its flagged-field count."""
    try:
        record = load_form_record(path, model)
        shown = apply_decisions(record, read_decisions(reviews, record.record_id))
    except (DamagedFile, OSError, BadRecordId):
        return _flag_count(path, model)  # left as it is; the review names a damaged store file
    if shown != record:
        write_atomic(path, dumps(shown))
    return len(shown.flagged())


def _hashed(candidate: Candidate) -> Candidate:
    try:
        return replace(candidate, sha256=sha256_of(candidate.path))
    except OSError:
        return candidate  # the worker reports why it cannot be read


def _still_valid(kept: FileReport, candidate: Candidate, out_dir: Path, model: type[RecordBase]) -> int | None:
    """The number of flagged fields of the records the last run wrote for these very bytes with this very
    code, or None when they must be read again: the bytes or the code changed, or a record is missing,
    damaged, or holds another version of the source (a run killed after writing it, then the source put
    back as it was)."""
    if kept.sha256 is None or kept.sha256 != candidate.sha256 or kept.status not in ("ok", "skipped"):
        return None
    flagged = 0
    for record_id in kept.record_ids:
        try:
            record = load_form_record(out_dir / f"{record_id}.json", model)
        except (DamagedFile, OSError):
            return None
        if record.source.sha256 != kept.sha256:
            return None
        flagged += len(record.flagged())
    return flagged


@dataclass(frozen=True)
class _PreviousRun:
    files: dict[str, FileReport] = field(default_factory=dict)
    inputs: list[str] | None = None
    extractor: str | None = None
    limits: dict[str, float | None] | None = None


def _previous_run(out_dir: Path) -> _PreviousRun:
    """What the last run into this folder read, from its report (nothing if it cannot be read)."""
    try:
        report = BatchReport.model_validate_json((out_dir / REPORT_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _PreviousRun()
    # Record ids read from a file become file names here (and are deleted): never trust them.
    files = {entry.path: entry for entry in report.files if all(map(is_record_id, entry.record_ids))}
    return _PreviousRun(files, report.inputs, report.extractor, report.limits)
