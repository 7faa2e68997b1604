"""The review store: one human-readable JSON file per record, beside the records folder (data/review/
for data/structured/). Extraction never writes there, so decisions outlive re-runs, deleted outputs
and even deleted sources."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from extract.record import Record, ReviewInfo
from pipeline.output import write_atomic

STALE_FLAG = "stale_review"


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


class ReviewStore:
    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, record_id: str) -> Path:
        return self.folder / f"{record_id}.json"

    def decisions(self, record_id: str) -> dict[str, Decision]:
        path = self._path(record_id)
        if not path.exists():
            return {}
        return RecordDecisions.model_validate_json(path.read_text(encoding="utf-8")).decisions

    def decide(self, record: Record, field: str, decided_value: str | None, now: dt.datetime | None = None) -> Decision:
        """Record a decision: `decided_value` equal to the field's value is an acceptance."""
        current = record.field(field)
        settled = current.review is not None and not current.review.stale
        extracted = current.review.extracted_value if settled else current.value
        action = "accepted" if decided_value == extracted else "corrected"
        moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
        decision = Decision(
            record_id=record.record_id,
            field=field,
            extracted_value=extracted,
            decided_value=decided_value,
            action=action,
            decided_at=moment,
            source_sha256=record.source.sha256,
        )
        stored = RecordDecisions(record_id=record.record_id, decisions=self.decisions(record.record_id))
        stored.decisions[field] = decision
        write_atomic(
            self._path(record.record_id),
            json.dumps(stored.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
        )
        return decision


def apply_decisions(record: Record, decisions: dict[str, Decision]) -> Record:
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
            field.confidence = min(field.confidence, 0.5)
        field.review = info
    record.needs_review = any(f.flags for _, f in record.all_fields())
    return record
