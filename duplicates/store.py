"""Duplicate groups on disk: grouping the records of a folder after a run, and the reviewer's decisions.

Decisions (confirm: print once; split: different practices) live in the review store beside the
records (data/review/_duplicates.json), which extraction never overwrites, so they survive re-runs.
A decision holds for exactly the members it was taken on: a new copy arriving makes a new group.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from duplicates.grouping import Group, apply_groups, find_groups, grouping_changes, name_key, name_pairs
from extract.record import Record, RecordBase
from records import REPORT_NAME, DamagedFile, dumps, list_records, read_model, record_paths, write_atomic

DECISIONS_NAME = "_duplicates.json"


class DuplicateError(Exception):
    """An unknown group or member: a usage error for the CLI."""


class GroupDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["confirmed", "split"]
    members: list[str]
    keep: str | None = Field(default=None, description="the record to publish, when the reviewer chose it")
    decided_at: str
    decided_by: str | None = Field(default=None, description="the reviewer: the OS user or --reviewer")


class GroupReport(BaseModel):
    """A group as named in _report.json and by `pecs-extract duplicates`."""

    model_config = ConfigDict(extra="forbid")

    id: str
    chosen: str = Field(description="the record published for the group")
    members: list[str]
    similarity: float = Field(description="0-100, lowest between two members; 100: the same answers")
    differing_fields: list[str]
    status: Literal["identical", "differs", "confirmed", "split"]

    @classmethod
    def of(cls, group: Group) -> GroupReport:
        status: Literal["identical", "differs", "confirmed", "split"] = group.decision or (
            "identical" if group.identical else "differs"
        )
        return cls(
            id=group.id,
            chosen=group.chosen,
            members=group.members,
            similarity=group.similarity,
            differing_fields=group.differing,
            status=status,
        )


def load_decisions(store_dir: Path) -> dict[str, GroupDecision]:
    path = store_dir / DECISIONS_NAME
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {group_id: GroupDecision.model_validate(entry) for group_id, entry in data.items()}
    except (ValueError, AttributeError) as error:  # a pydantic message would quote the file: not shown
        raise DamagedFile(path, "not a valid decisions file (truncated, garbled or hand-edited)") from error


def settle(groups: list[Group], decisions: dict[str, GroupDecision]) -> list[Group]:
    """The reviewer's decisions applied: a decision names the group and the record kept."""
    for group in groups:
        decision = decisions.get(group.id)
        if decision is None:
            continue
        group.decision, group.decided_by, group.decided_at = decision.decision, decision.decided_by, decision.decided_at
        if decision.keep in group.members:
            group.members.remove(decision.keep)
            group.members.insert(0, decision.keep)
    return groups


def load_records(records_dir: Path, model: type[RecordBase] | None = None) -> list[RecordBase]:
    """The folder's records of the form whose model is `model` (default: the PECS form's); a damaged file,
    or another form's record, is left out (the batch and the listing name it)."""
    return list_records(records_dir, model or Record).records


def records_to_group(records_dir: Path, model: type[RecordBase] | None = None) -> list[RecordBase]:
    """The folder's records that grouping can change: those whose name is like another's, and those
    that carry an earlier grouping (or a stale `needs_review`) to undo. The others are read once and let
    go, so a folder of thousands of records is never held in memory at once (the groups found and the
    records rewritten are those of `load_records`: a record like no other is in no group). `model`: the
    records' form's (default: the PECS form's); another form's record is left out, as a damaged one."""
    model = model or Record
    paths: list[Path] = []
    names: list[str] = []
    unsettled: set[int] = set()
    for path in record_paths(records_dir):
        try:
            record = read_model(path, model)
        except (DamagedFile, OSError):
            continue  # left out, as load_records does (the batch names it)
        if grouping_changes(record, None, None):
            unsettled.add(len(paths))
        paths.append(path)
        names.append(name_key(record))
    named = [i for i, name in enumerate(names) if name]
    alike = {named[k] for pair in name_pairs([names[i] for i in named]) for k in pair}
    found = []
    for index in sorted(alike | unsettled):
        try:
            found.append(read_model(paths[index], model))
        except (DamagedFile, OSError):
            continue
    return found


def recency(records_dir: Path) -> dict[str, float]:
    """record id → modification time of its source, from the run report's file locations."""
    try:
        report = json.loads((records_dir / REPORT_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = {}
    for entry in report.get("files", []):
        try:
            changed = Path(entry["location"]).stat().st_mtime
        except (KeyError, TypeError, OSError):
            continue
        found.update({record_id: changed for record_id in entry.get("record_ids", [])})
    return found


def regroup(
    records_dir: Path, store_dir: Path, when: dict[str, float] | None = None, model: type[RecordBase] | None = None
) -> list[Group]:
    """Group the folder's records (of the form whose model is `model`), apply the decisions, rewrite the
    records whose grouping changed."""
    records = records_to_group(records_dir, model)
    groups = settle(find_groups(records, recency(records_dir) if when is None else when), load_decisions(store_dir))
    for record in apply_groups(records, groups):
        write_atomic(records_dir / f"{record.record_id}.json", dumps(record))
    return groups


def decide(
    records_dir: Path,
    store_dir: Path,
    group_id: str,
    decision: Literal["confirmed", "split"],
    keep: str | None = None,
    now: dt.datetime | None = None,
    model: type[RecordBase] | None = None,
    reviewer: str | None = None,
) -> Group:
    """Store a reviewer's decision on a group and apply it to the records at once."""
    group = _known_group(records_dir, store_dir, group_id, model)
    if keep is not None and keep not in group.members:
        raise DuplicateError(f"'{keep}' is not in group {group_id} ({', '.join(group.members)})")
    decisions = load_decisions(store_dir)
    stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    decisions[group_id] = GroupDecision(
        decision=decision, members=sorted(group.members), keep=keep, decided_at=stamp, decided_by=reviewer
    )
    _write_decisions(store_dir, decisions)
    return {g.id: g for g in regroup(records_dir, store_dir, model=model)}[group_id]


def withdraw(records_dir: Path, store_dir: Path, group_id: str, model: type[RecordBase] | None = None) -> Group:
    """Take back the decision on a group: it waits for a person again (identical copies: merged anyway)."""
    decisions = load_decisions(store_dir)
    if group_id not in decisions:
        raise DuplicateError(f"nothing to undo on duplicate group '{group_id}': no decision was taken on it")
    _known_group(records_dir, store_dir, group_id, model)
    del decisions[group_id]
    _write_decisions(store_dir, decisions)
    return {g.id: g for g in regroup(records_dir, store_dir, model=model)}[group_id]


def _known_group(records_dir: Path, store_dir: Path, group_id: str, model: type[RecordBase] | None) -> Group:
    groups = {group.id: group for group in regroup(records_dir, store_dir, model=model)}
    if group_id not in groups:
        known = ", ".join(groups) or "none"
        raise DuplicateError(f"unknown duplicate group '{group_id}' in {records_dir} (groups: {known})")
    return groups[group_id]


def _write_decisions(store_dir: Path, decisions: dict[str, GroupDecision]) -> None:
    payload = {key: value.model_dump(mode="json", exclude_none=True) for key, value in sorted(decisions.items())}
    write_atomic(store_dir / DECISIONS_NAME, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
