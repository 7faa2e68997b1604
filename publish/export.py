"""Tabular exports of the records: one row per practice (each duplicate group once) with every field of
the records' form (from its spec), the priority codes when the form has them, the submitter, the source
and the review state.

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
from extract.record import RecordBase, form_of
from forms import FormSpec
from normalise import strip_control_chars
from records import write_atomic

# After the columns of the form's own fields (in its order): where the record came from and its review state.
TRAILING = (
    "duplicate_of",
    "source_path",
    "source_format",
    "source_sha256",
    "practice_index",
    "pages",
    "needs_review",
    "flagged_fields",
    "reviewed_fields",
)
SUFFIXES = {"csv": ".csv", "xlsx": ".xlsx", "jsonl": ".jsonl"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class UnknownFormat(ValueError):
    """An export file whose suffix is not its format's: a usage error."""


def check_suffix(kind: str, target: Path) -> None:
    if target.suffix.lower() != SUFFIXES[kind]:
        raise UnknownFormat(f"{target}: a {kind.upper()} export is written to a {SUFFIXES[kind]} file")


def columns(form: FormSpec) -> list[str]:
    """The columns of an export of `form`'s records; the priority codes' only for a form that has them."""
    areas = ["priority_areas", "priority_areas_other"] if form.codes else []
    own = [f.label_key for f in form.fields if not f.heading]
    return ["record_id", "submitter", "language", *areas, *own, *TRAILING]


def export_form(records: list[RecordBase], form: FormSpec | None) -> FormSpec:
    """The form of an export: the one given, else the records' (the PECS form when there are none)."""
    return form or form_of(records[0] if records else RecordBase)


def row(record: RecordBase) -> dict[str, str | int | bool | None]:
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


def write_csv(
    records: list[RecordBase], target: Path, separator: str = ",", bom: bool = True, form: FormSpec | None = None
) -> None:
    buffer = io.StringIO()
    names = columns(export_form(records, form))
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\r\n", delimiter=separator)
    writer.writeheader()
    for record in published(records):
        values = row(record)
        writer.writerow({key: safe_cell(values[key]) for key in names})
    write_atomic(target, ("\ufeff" if bom else "") + buffer.getvalue())


def write_jsonl(records: list[RecordBase], target: Path) -> None:
    lines = [json.dumps(record.model_dump(mode="json"), ensure_ascii=False) for record in published(records)]
    write_atomic(target, "\n".join(lines) + ("\n" if lines else ""))
