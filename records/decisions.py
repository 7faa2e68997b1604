"""The review store's decisions as records see them: the file format, reading one record's decisions,
and what a record id may look like. Writing decisions is the review's work (review/store.py, under a
lock); applying them is records/apply.py. Extraction, publishing and review all read through here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from records.load import read_model

UNASSIGNED = "unassigned."  # decision keys for unplaced text: 'unassigned.3'
# What a record id looks like (extract/record_id.py): never a path, never hidden, never '..'.
_RECORD_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}")


class BadRecordId(ValueError):
    """A record id, typed by a user or read from a file, that is not one (and so never becomes a path)."""


def check_record_id(record_id: object) -> str:
    """The id, if it is a safe record id; else BadRecordId. Ids read from files are checked alike."""
    if not isinstance(record_id, str) or not _RECORD_ID.fullmatch(record_id) or ".." in record_id:
        raise BadRecordId(f"not a record id: {str(record_id)[:80]!r}")
    return record_id


def is_record_id(record_id: object) -> bool:
    try:
        check_record_id(record_id)
    except BadRecordId:
        return False
    return True


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    record_id: str
    field: str = Field(description="as in the record: 'context', 'contact.email'; unplaced text: 'unassigned.3'")
    extracted_value: str | None
    decided_value: str | None
    action: Literal["accepted", "corrected", "assigned", "dismissed", "undone"]
    decided_at: str = Field(description="ISO 8601, UTC")
    decided_by: str | None = Field(default=None, description="the OS user, or the --reviewer name")
    source_sha256: str
    revision: int = Field(default=0, description="the store file's revision this decision made")
    target: str | None = Field(default=None, description="assigned: the field the unplaced text went to")
    via: str | None = Field(default=None, description="a field decision made by assigning 'unassigned.N'")


class RecordDecisions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    record_id: str
    revision: int = 0
    decisions: dict[str, Decision] = Field(default_factory=dict)
    history: list[Decision] = Field(default_factory=list, description="every decision and withdrawal, in order")
    moved_from: list[str] = Field(
        default_factory=list, description="earlier record ids of these decisions, their reply moved (records/moves.py)"
    )


def store_for(records_dir: Path) -> Path:
    """The default store of a records folder: data/structured → data/review."""
    return records_dir.resolve().parent / "review"


def read_store_file(store: Path, record_id: str) -> RecordDecisions:
    """One record's store file (empty when none); DamagedFile when it cannot be read, BadRecordId for an
    id that is not one."""
    path = store / f"{check_record_id(record_id)}.json"
    if not path.exists():
        return RecordDecisions(record_id=record_id)
    stored = read_model(path, RecordDecisions)
    if stored.decisions and not stored.history:  # a store written before the history was kept
        stored.history = sorted(stored.decisions.values(), key=lambda d: d.decided_at)
    return stored


def read_decisions(store: Path, record_id: str) -> dict[str, Decision]:
    """The decisions in force on one record ({} when none); DamagedFile when its store file cannot be read."""
    return read_store_file(store, record_id).decisions
