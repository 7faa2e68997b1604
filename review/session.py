"""What the review command does, as a library: find records and their sources, list what is flagged,
record a decision and show it in the record at once (the next extraction run re-applies it)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from extract.record import FieldValue, Record
from records import REPORT_NAME, DamagedFile, Decision, apply_decisions, dumps, list_records, load_record, write_atomic
from review.store import ReviewStore


class ReviewError(Exception):
    """An unknown record or field, or a folder without records: a usage error for the CLI."""


@dataclass(frozen=True)
class FlaggedField:
    record: Record
    key: str
    field: FieldValue

    def as_dict(self) -> dict:
        return {
            "record_id": self.record.record_id,
            "field": self.key,
            "value": self.field.value,
            "flags": self.field.flags,
            "confidence": self.field.confidence,
            "label": self.field.label,
            "source": self.record.source.path,
            "pages": sorted({loc.page for loc in self.field.provenance if loc.page}),
            "submitter": self.record.submitter,
            "practice_name": self.record.fields.practice_name.value,
        }


def _field(record: Record, key: str) -> FieldValue:
    try:
        return record.field(key)
    except KeyError:
        names = ", ".join(name for name, _ in record.all_fields())
        raise ReviewError(f"unknown field '{key}'; fields are: {names}") from None


class ReviewSession:
    def __init__(self, records_dir: Path, store_dir: Path):
        if not records_dir.is_dir():
            raise ReviewError(f"no records folder at {records_dir}: run 'pecs-extract' first")
        self.records_dir = records_dir
        self.store = ReviewStore(store_dir)
        self.damaged: list[str] = []  # record files that could not be read, by name and reason

    def records(self) -> list[Record]:
        listing = list_records(self.records_dir)
        self.damaged = listing.problems()
        return listing.records

    def record(self, record_id: str) -> Record:
        path = self.records_dir / f"{record_id}.json"
        if "/" in record_id or record_id.startswith(".") or not path.is_file():
            raise ReviewError(f"unknown record '{record_id}' in {self.records_dir}")
        try:
            return load_record(path)
        except DamagedFile as error:
            message = f"the record file {path.name} is damaged ({error.reason}): run 'pecs-extract' again"
            raise ReviewError(message) from None

    def flagged(self) -> list[FlaggedField]:
        return [FlaggedField(record, key, field) for record in self.records() for key, field in record.flagged()]

    def decide(self, record_id: str, key: str, value: str | None) -> Decision:
        """Store the decision and apply it to the record file now."""
        record = self.record(record_id)
        _field(record, key)
        decision = self.store.decide(record, key, value)
        updated = apply_decisions(record, self.store.decisions(record_id))
        write_atomic(self.records_dir / f"{record_id}.json", dumps(updated))
        return decision

    def accept(self, record_id: str, key: str) -> Decision:
        """Keep the value as shown (for a stale field: the new extraction)."""
        return self.decide(record_id, key, _field(self.record(record_id), key).value)

    def sources(self) -> dict[str, Path]:
        """Where each record's source file was read, from the run report."""
        try:
            report = json.loads((self.records_dir / REPORT_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        found = {}
        for entry in report.get("files", []):
            if entry.get("location"):
                for record_id in entry.get("record_ids", []):
                    found[record_id] = Path(entry["location"])
        return found
