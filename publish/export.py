"""Tabular exports of the records: one row per practice (each duplicate group once) with every field,
the priority codes, the submitter, the source and the review state.

CSV is UTF-8 with a byte-order mark (French-locale Excel reads accents right only with it), comma- or
semicolon-separated; text a spreadsheet would run as a formula gets a leading apostrophe there, as CSV
has no other way to say "text". The XLSX (publish/sheets.py) needs no such escape.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from duplicates.grouping import published
from extract.record import CONTACT_KEYS, FIELD_KEYS, Record
from normalise import strip_control_chars
from records import write_atomic

COLUMNS = (
    ["record_id", "submitter", "language", "priority_areas", "priority_areas_other"]
    + list(FIELD_KEYS)
    + [f"contact.{key}" for key in CONTACT_KEYS]
    + [
        "duplicate_of",
        "source_path",
        "source_format",
        "source_sha256",
        "practice_index",
        "pages",
        "needs_review",
        "flagged_fields",
        "reviewed_fields",
    ]
)
SUFFIXES = {"csv": ".csv", "xlsx": ".xlsx", "jsonl": ".jsonl"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class UnknownFormat(ValueError):
    """An export file whose suffix is not its format's: a usage error."""


def check_suffix(kind: str, target: Path) -> None:
    if target.suffix.lower() != SUFFIXES[kind]:
        raise UnknownFormat(f"{target}: a {kind.upper()} export is written to a {SUFFIXES[kind]} file")


def row(record: Record) -> dict[str, str | int | bool | None]:
    values: dict[str, str | int | bool | None] = {
        "record_id": record.record_id,
        "submitter": record.submitter,
        "language": record.language,
        "priority_areas": ";".join(record.priority_areas),
        "priority_areas_other": " | ".join(record.priority_areas_other),
    }
    for key, field in record.all_fields():
        values[key] = field.value
    values.update(
        {
            "duplicate_of": record.duplicate_of,
            "source_path": record.source.path,
            "source_format": record.source.format,
            "source_sha256": record.source.sha256,
            "practice_index": record.source.practice_index,
            "pages": ",".join(map(str, record.source.pages or [])),
            "needs_review": record.needs_review,
            "flagged_fields": len(record.flagged()),
            "reviewed_fields": sum(field.reviewed for _, field in record.all_fields()),
        }
    )
    return values


def clean_text(value: str) -> str:
    """Only characters a spreadsheet cell can hold (no control characters, no carriage returns)."""
    return strip_control_chars(value.replace("\r", ""))


def looks_like_formula(value: str) -> bool:
    return value.startswith(_FORMULA_START)


def safe_cell(value: object) -> object:
    """For CSV: text a spreadsheet could run ('=HYPERLINK(...)', '+1', '- item', '@SUM') gets a leading quote."""
    if isinstance(value, str):
        value = clean_text(value)
        if looks_like_formula(value):
            return "'" + value
    return value


def write_csv(records: list[Record], target: Path, separator: str = ",", bom: bool = True) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n", delimiter=separator)
    writer.writeheader()
    for record in published(records):
        writer.writerow({key: safe_cell(value) for key, value in row(record).items()})
    write_atomic(target, ("\ufeff" if bom else "") + buffer.getvalue())


def write_jsonl(records: list[Record], target: Path) -> None:
    lines = [json.dumps(record.model_dump(mode="json"), ensure_ascii=False) for record in published(records)]
    write_atomic(target, "\n".join(lines) + ("\n" if lines else ""))
