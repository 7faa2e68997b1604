"""Tabular exports of the records: one row per practice with every field, the priority codes, the
submitter, the source and the review state. Spreadsheet cells never start with a formula sign."""

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
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def safe_cell(value: object) -> object:
    """Text a spreadsheet could run ('=HYPERLINK(...)', '+1', '- item', '@SUM') gets a leading quote."""
    if isinstance(value, str):
        value = strip_control_chars(value.replace("\r", ""))
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def write_csv(records: list[Record], target: Path) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for record in published(records):
        writer.writerow({key: safe_cell(value) for key, value in row(record).items()})
    write_atomic(target, buffer.getvalue())


def write_jsonl(records: list[Record], target: Path) -> None:
    lines = [json.dumps(record.model_dump(mode="json"), ensure_ascii=False) for record in published(records)]
    write_atomic(target, "\n".join(lines) + ("\n" if lines else ""))


def write_xlsx(records: list[Record], target: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "practices"
    sheet.append(COLUMNS)
    for record in published(records):
        values = row(record)
        sheet.append([safe_cell(values[key]) for key in COLUMNS])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(target, buffer.getvalue())
