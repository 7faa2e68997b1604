"""The review store's decisions as records see them: the file format, reading one record's decisions
and applying them. Writing decisions is the review desk's work (review/store.py); extraction,
publishing and review all read through here, so none of them imports another."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from extract.record import RecordBase, ReviewInfo
from extract.vocabulary import Flag, flag_cap
from records.load import read_model

STALE_FLAG = Flag.stale_review


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    record_id: str
    field: str = Field(description="as in the record: 'context', 'contact.email'")
    extracted_value: str | None
    decided_value: str | None
    action: Literal["accepted", "corrected"]
    decided_at: str = Field(description="ISO 8601, UTC")
    source_sha256: str


class RecordDecisions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    record_id: str
    decisions: dict[str, Decision] = Field(default_factory=dict)


def store_for(records_dir: Path) -> Path:
    """The default store of a records folder: data/structured → data/review."""
    return records_dir.resolve().parent / "review"


def read_decisions(store: Path, record_id: str) -> dict[str, Decision]:
    """The decisions on one record ({} when none); DamagedFile when its store file cannot be read."""
    path = store / f"{record_id}.json"
    if not path.exists():
        return {}
    return read_model(path, RecordDecisions).decisions


_AnyRecord = TypeVar("_AnyRecord", bound=RecordBase)  # the PECS form's record or another form's


def apply_decisions(record: _AnyRecord, decisions: dict[str, Decision]) -> _AnyRecord:
    """The record as reviewed: decided values, `reviewed`, no flags, confidence 1; a decision taken on
    another version of the source keeps the new extraction, flagged `stale_review` with both values."""
    if not decisions:
        return record
    record = record.model_copy(deep=True)
    for key, decision in decisions.items():
        try:
            field = record.field(key)
        except KeyError:
            continue  # a field the schema no longer has: the decision stays in the store, unused
        info = ReviewInfo(
            action=decision.action,
            decided_value=decision.decided_value,
            extracted_value=decision.extracted_value,
            decided_at=decision.decided_at,
        )
        if decision.source_sha256 == record.source.sha256:
            field.value, field.flags, field.confidence, field.reviewed = decision.decided_value, [], 1.0, True
        else:
            info.stale = True
            field.reviewed = False
            field.flags = [*field.flags, STALE_FLAG] if STALE_FLAG not in field.flags else field.flags
            field.confidence = min(field.confidence, flag_cap(STALE_FLAG))
        field.review = info
    record.needs_review = record.review_needed()
    return record
