"""The XLSX export: a workbook people can read and filter.

Text cells are stored as text (never a formula, whatever they start with; those that look like one
carry the cell's quote-prefix style, so an edit in Excel keeps them text, and no apostrophe shows);
booleans and counts are typed; headers are human, in the chosen language, with the internal key in
a second header row; columns sized, long text wrapped, headers frozen. Sheets: all practices, one
per priority area and one of the other areas (for a form with priority codes), every flagged or
noted field, and the full text of any cell Excel would cut.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from duplicates.grouping import published
from extract.record import RecordBase
from forms import FormSpec
from publish.export import clean_text, columns, export_form, looks_like_formula, row
from publish.texts import export_headers, sheet_names
from records import write_atomic

CELL_LIMIT = 32_767  # characters Excel keeps in a cell; beyond, it cuts (or refuses the file)
WIDE = 60  # column width (characters) at which long text wraps


@dataclass
class XlsxResult:
    cut_cells: list[str] = field(default_factory=list)  # "record_id field" of each text cut at CELL_LIMIT

    @property
    def warnings(self) -> list[str]:
        if not self.cut_cells:
            return []
        return [
            f"{len(self.cut_cells)} cells longer than {CELL_LIMIT:,} characters were cut in the sheets "
            f"(Excel's limit); their full text is in the last sheet: {', '.join(self.cut_cells)}"
        ]


def write_xlsx(
    records: list[RecordBase], target: Path, lang: str | None = None, form: FormSpec | None = None
) -> XlsxResult:
    """The workbook of `records` (all of one form: `form`, else theirs), headed in `lang`, one of the form's
    languages, by default its first (the columns every record has are in English for a language the tool
    has no wording in)."""
    from openpyxl import Workbook

    shown = published(records)
    form = export_form(records, form)
    lang = lang or form.languages[0]
    names, headers, keys = sheet_names(lang), export_headers(form, lang), columns(form)
    result = XlsxResult()
    workbook = Workbook()
    sheets = [(names["all"], shown)] + _area_sheets(form, lang, shown, names["other"])
    long_texts: list[list[object]] = []
    for index, (name, chosen) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name[:31]
        rows: list[list[object]] = [[row(record)[key] for key in keys] for record in chosen]
        cut = _fill(sheet, [headers[key] for key in keys], keys, rows)
        if index == 0:  # the other sheets hold the same cells again
            for row_index, column in cut:
                record, key = chosen[row_index], keys[column]
                result.cut_cells.append(f"{record.record_id} {key}")
                long_texts.append([record.record_id, key, str(row(record)[key])])
    flagged_keys = ["record_id", form.title_key, "field", "field_key", "flags", "notes", "value"]
    _fill(
        workbook.create_sheet(names["flagged"]),
        [headers[k] for k in flagged_keys],
        flagged_keys,
        _flagged(shown, headers),
    )
    if long_texts:
        _long_sheet(workbook.create_sheet(names["long"]), headers, long_texts)
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(target, buffer.getvalue())
    return result


def _area_sheets(form: FormSpec, lang: str, shown: list, other: str) -> list[tuple[str, list]]:
    """One sheet per priority area (named as its part of the compendium, else by its code), then the
    practices of no area; none for a form without priority codes."""
    if not form.codes:
        return []
    parts = form.compendium.get(lang, {}).get("parts", {})
    sheets = [
        (parts.get(code, code).split(" – ")[0], [r for r in shown if code in r.priority_areas]) for code in form.codes
    ]
    return [*sheets, (other, [r for r in shown if not r.priority_areas])]


def _flagged(records: list[RecordBase], headers: dict[str, str]) -> list[list[object]]:
    found: list[list[object]] = []
    for record in records:
        for key, value in record.all_fields():
            notes = list(getattr(value, "notes", []) or [])  # notes: a field's remarks that ask nothing of a person
            if value.flags or notes:
                found.append(
                    [
                        record.record_id,
                        record.title(),
                        headers.get(key, key),
                        key,
                        ", ".join(value.flags),
                        ", ".join(map(str, notes)),
                        value.value,
                    ]
                )
    return found


def _fill(sheet, headers: list[str], keys: list[str], rows: list[list[object]]) -> list[tuple[int, int]]:
    """Headers (human, then keys), typed cells; returns (row, column) of each text cut at CELL_LIMIT."""
    from openpyxl.styles import Alignment, Font

    sheet.append(headers)
    sheet.append(keys)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="808080", size=8)
    cut = []
    widths = [len(header) + 2 for header in headers]
    for row_index, values in enumerate(rows):
        sheet.append([None] * len(values))
        for column, value in enumerate(values):
            cell = sheet.cell(row=row_index + 3, column=column + 1)
            if isinstance(value, str):
                text = clean_text(value)
                if len(text) > CELL_LIMIT:
                    text = text[:CELL_LIMIT]
                    cut.append((row_index, column))
                cell.value = text
                cell.data_type = "s"  # text, never a formula, whatever it starts with
                cell.quotePrefix = looks_like_formula(text)
                longest = max(map(len, text.split("\n")))
                if longest > WIDE or "\n" in text:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                widths[column] = max(widths[column], min(longest, WIDE) + 2)
            else:
                cell.value = value  # bool, int or None, stored as such
                cell.alignment = Alignment(vertical="top")
    for column, width in enumerate(widths):
        sheet.column_dimensions[sheet.cell(row=1, column=column + 1).column_letter].width = min(max(width, 8), WIDE + 2)
    sheet.freeze_panes = "B3"
    sheet.auto_filter.ref = f"A2:{sheet.cell(row=2, column=len(keys)).column_letter}{len(rows) + 2}"
    return cut


def _long_sheet(sheet, headers: dict[str, str], texts: list[list[object]]) -> None:
    """The whole of each cut text, in pieces under Excel's limit, one row per piece."""
    rows = []
    for record_id, key, text in texts:
        pieces = [str(text)[start : start + CELL_LIMIT] for start in range(0, len(str(text)), CELL_LIMIT)]
        rows += [[record_id, key, number, piece] for number, piece in enumerate(pieces, 1)]
    keys = ["record_id", "field_key", "part", "text"]
    _fill(sheet, [headers[k] for k in keys], keys, rows)
