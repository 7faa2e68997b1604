"""What each reply leaves unanswered, so the secretariat can write back to its sender.

Completeness, not doubt: a question is unanswered when its field has no value, whether the reply says
so plainly (notes: empty, placeholder, absent) or the reading is in doubt too (a flag such as
label_missing: then the reviewer looks first). Flagged fields with a value are review items, not gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extract.record import Record, RecordBase
from records.load import list_records


@dataclass(frozen=True)
class ReplyGaps:
    source: str  # the reply's path, as in the record
    practice_index: int
    record_id: str
    gaps: tuple[tuple[str, str], ...]  # (field key, why: a note code, or a flag when the reading is in doubt)

    def line(self) -> str:
        where = f"{self.source} (practice {self.practice_index + 1})"
        if not self.gaps:
            return f"{where}: every question answered"
        return f"{where}: unanswered: " + ", ".join(f"{key} ({why})" for key, why in self.gaps)


def gaps_of(record: RecordBase) -> ReplyGaps:
    gaps = tuple((key, _why(value.notes, value.flags)) for key, value in record.unanswered())
    return ReplyGaps(record.source.path, record.source.practice_index, record.record_id, gaps)


def _why(notes: list, flags: list) -> str:
    if notes and not flags:
        return str(notes[0])
    return "unread: " + ", ".join(str(flag) for flag in flags)  # a person must look before writing back


def reply_status(folder: Path, model: type[RecordBase] = Record) -> tuple[list[ReplyGaps], list[str]]:
    """Each record's gaps (records of `model`'s form), in reply order, and the files left out by name."""
    listing = list_records(folder, model)
    found = sorted((gaps_of(r) for r in listing.records), key=lambda g: (g.source, g.practice_index))
    return found, listing.problems()
