"""Spreadsheets people can use: typed cells, no visible escapes, no formula ever, human headers, one
sheet per priority area, the flagged fields listed, nothing cut silently; CSV that Excel opens right."""

from __future__ import annotations

import csv

from conftest import FIXTURES, records_of
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli import app
from publish.export import write_csv
from publish.sheets import CELL_LIMIT, write_xlsx

runner = CliRunner()


def _records():
    found = []
    for name in ("docx/table_grid_fr.docx", "docx/multi_practice_fr.docx", "docx/empty_and_placeholder.docx"):
        found += records_of(FIXTURES / name)[1]
    return [record.model_copy(deep=True) for record in found]


def _hostile_records():
    records = _records()
    records[0].fields.aim.value = "=1+2"
    records[0].fields.impact.value = "- la jeunesse et les enfants"
    records[0].contact.phone.value = "+32 (0)81 00 00 00"
    records[1].fields.example.value = "@SUM(A1:A9)"
    return records


def test_xlsx_cells_are_typed_text_never_formulas_and_show_no_apostrophe(tmp_path):
    write_xlsx(_hostile_records(), tmp_path / "p.xlsx")
    workbook = load_workbook(tmp_path / "p.xlsx")
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert not (isinstance(cell.value, str) and cell.value.startswith("'")), cell.value
    sheet = workbook["Toutes"]
    keys = [cell.value for cell in sheet[2]]
    first = {key: sheet.cell(row=3, column=n + 1) for n, key in enumerate(keys)}
    assert first["aim"].value == "=1+2" and first["aim"].data_type == "s" and first["aim"].quotePrefix
    assert first["impact"].value.startswith("- la jeunesse") and first["impact"].quotePrefix
    assert first["contact.phone"].value == "+32 (0)81 00 00 00"
    assert first["needs_review"].value is False and first["needs_review"].data_type == "b"
    assert isinstance(first["flagged_fields"].value, int) and first["flagged_fields"].data_type == "n"
    assert isinstance(first["practice_index"].value, int)
    assert not first["context"].quotePrefix  # plain text keeps a plain style


def test_xlsx_has_human_headers_keys_below_sheets_per_area_and_a_sheet_of_flagged_fields(tmp_path):
    records = _records()
    write_xlsx(records, tmp_path / "p.xlsx", lang="en")
    workbook = load_workbook(tmp_path / "p.xlsx")
    assert workbook.sheetnames == ["All", "Part I", "Part II", "Part III", "Other areas", "Flagged fields"]
    sheet = workbook["All"]
    assert sheet.cell(row=1, column=1).value == "Identifier" and sheet.cell(row=2, column=1).value == "record_id"
    assert "Practice name" in [c.value for c in sheet[1]] and sheet.freeze_panes == "B3"
    assert sheet.max_row == 2 + len(records)
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
    assert all(8 <= width <= 62 for width in widths) and max(widths) == 62
    context = next(c for c in sheet[3] if isinstance(c.value, str) and len(c.value) > 60)
    assert context.alignment.wrap_text
    by_area = {name: workbook[name].max_row - 2 for name in ("Part I", "Part II", "Part III")}
    assert by_area == {f"Part {code}": sum(code in r.priority_areas for r in records) for code in ("I", "II", "III")}
    flagged = workbook["Flagged fields"]
    listed = {(row[0].value, row[3].value) for row in flagged.iter_rows(min_row=3)}
    expected = {(r.record_id, key) for r in records for key, f in r.all_fields() if f.flags or f.notes}
    assert listed == expected and expected
    assert "placeholder" in {row[5].value for row in flagged.iter_rows(min_row=3)}  # the notes column


def test_a_cell_longer_than_excel_keeps_is_cut_with_a_warning_and_kept_whole_elsewhere(tmp_path):
    records = _records()
    long_text = ("Une phrase assez longue pour remplir la cellule. " * 1500).strip()
    assert len(long_text) > CELL_LIMIT
    records[0].fields.description.value = long_text
    result = write_xlsx(records, tmp_path / "p.xlsx")
    assert result.cut_cells == [f"{records[0].record_id} description"]
    assert "32,767" in result.warnings[0] and "description" in result.warnings[0]
    workbook = load_workbook(tmp_path / "p.xlsx")
    keys = [c.value for c in workbook["Toutes"][2]]
    assert len(workbook["Toutes"].cell(row=3, column=keys.index("description") + 1).value) == CELL_LIMIT
    pieces = [row[3].value for row in workbook["Textes complets"].iter_rows(min_row=3)]
    assert "".join(pieces) == long_text


def test_export_cli_warns_of_a_cut_cell(tmp_path):
    out = tmp_path / "structured"
    out.mkdir()
    records = _records()
    records[0].fields.description.value = "x" * (CELL_LIMIT + 10)
    for record in records:
        (out / f"{record.record_id}.json").write_text(record.model_dump_json(), encoding="utf-8")
    result = runner.invoke(app, ["export", str(out), "--xlsx", str(tmp_path / "p.xlsx")])
    assert result.exit_code == 0 and "Warning: 1 cells longer than 32,767 characters were cut" in result.output


def test_csv_has_a_byte_order_mark_a_chosen_separator_and_neutralised_formulas(tmp_path):
    write_csv(_hostile_records(), tmp_path / "p.csv", separator=";")
    raw = (tmp_path / "p.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with (tmp_path / "p.csv").open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle, delimiter=";"))
    assert next(iter(table[0])) == "record_id"
    assert table[0]["aim"] == "'=1+2" and table[1]["example"] == "'@SUM(A1:A9)"
    assert "é" in table[0]["context"] or "é" in table[0]["practice_name"]
    result = runner.invoke(app, ["export", str(FIXTURES), "--csv", str(tmp_path / "x.csv"), "--no-bom"])
    assert result.exit_code == 0  # a folder with no records gives an empty export, header only
    assert not (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbf")
