"""The review store: one human-readable JSON file per record, beside the records folder (data/review/
for data/structured/). Extraction never writes there, so decisions outlive re-runs, deleted outputs
and even deleted sources."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from extract.record import Record
from records import Decision, RecordDecisions, apply_decisions, read_decisions, store_for, write_atomic

# The format, reading and applying live in records/ (used by extraction and publishing too); re-exported here.
__all__ = ["Decision", "RecordDecisions", "ReviewStore", "apply_decisions", "store_for"]


class ReviewStore:
    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, record_id: str) -> Path:
        return self.folder / f"{record_id}.json"

    def decisions(self, record_id: str) -> dict[str, Decision]:
        return read_decisions(self.folder, record_id)

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
