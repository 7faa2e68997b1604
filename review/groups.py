"""Duplicate groups as review items: the same practice received more than once (alone and inside a
compilation, resent corrected), whose copies differ. The group is ONE thing to decide — publish this
copy, publish that one, or they are different practices — taken once for the whole group and kept in
the review store (duplicates/store.py: `_duplicates.json`), so it survives re-runs like every decision.

The terminal walk, the scripted commands and the desk all decide through `GroupDesk`; grouping itself
(which records are copies of each other, which fields differ) is duplicates/'s."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from duplicates import DuplicateError, GroupReport, decide, regroup, undecided, withdraw
from extract.record import RecordBase
from records import folder_lock

if TYPE_CHECKING:
    from review.session import ReviewSession

GROUP_PREFIX = "dup-"  # a group's id, and so its item's key: 'dup-' and 10 hex digits


class GroupError(Exception):
    """An unknown group, a record that is not one of its copies, nothing to undo: said plainly."""


def is_group_key(key: str) -> bool:
    return key.startswith(GROUP_PREFIX)


def waiting_groups(records: list[RecordBase]) -> dict[str, list[RecordBase]]:
    """group id → its copies (as shown, in the group's order: the copy published now first), for every
    group whose copies differ and on which no one has decided, in the order the records come."""
    by_id = {record.record_id: record for record in records}
    found: dict[str, list[RecordBase]] = {}
    for record in records:
        group = record.duplicate_group
        if group is None or not undecided(record) or group.id in found:
            continue
        copies = [by_id[member] for member in group.members if member in by_id]
        if len(copies) > 1:  # a copy left out (a damaged file): nothing to choose between
            found[group.id] = copies
    return found


class GroupDesk:
    """Decisions on the duplicate groups of one session's folder, under the folder's lock (regrouping
    rewrites records, never beside an extraction run), recorded in the reviewer's name."""

    def __init__(self, session: ReviewSession):
        self.records_dir: Path = session.records_dir
        self.store_dir: Path = session.store.folder
        self.model = session.model
        self.reviewer = session.store.reviewer

    def listing(self) -> list[dict]:
        with folder_lock(self.records_dir):
            groups = regroup(self.records_dir, self.store_dir, model=self.model)
        return [GroupReport.of(group).model_dump(mode="json") for group in groups]

    def publish(self, group_id: str, record_id: str) -> dict:
        """The copies are one practice: publish `record_id`, the others are its duplicates."""
        return self._settle(group_id, "confirmed", record_id)

    def split(self, group_id: str) -> dict:
        """The copies are different practices after all: each is published."""
        return self._settle(group_id, "split", None)

    def undo(self, group_id: str) -> dict:
        """Withdraw the decision on a group: it waits for a person again."""
        try:
            with folder_lock(self.records_dir):
                group = withdraw(self.records_dir, self.store_dir, group_id, model=self.model)
        except DuplicateError as error:
            raise GroupError(str(error)) from None
        return GroupReport.of(group).model_dump(mode="json")

    def _settle(self, group_id: str, decision: str, keep: str | None) -> dict:
        try:
            with folder_lock(self.records_dir):
                group = decide(
                    self.records_dir,
                    self.store_dir,
                    group_id,
                    decision,  # type: ignore[arg-type]
                    keep,
                    model=self.model,
                    reviewer=self.reviewer,
                )
        except DuplicateError as error:
            raise GroupError(str(error)) from None
        return GroupReport.of(group).model_dump(mode="json")
