"""Compendium and exports. The acceptance test is the round trip: a compendium read back by
pecs-extract gives the records it was built from (field values, submitters, priority codes)."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile

import pytest
from conftest import ALL_FIXTURES, records_of
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli import app
from extract.record import Record
from publish.compendium import CompendiumOptions, build_compendium, save_compendium
from publish.export import write_csv, write_jsonl
from publish.sheets import write_xlsx

runner = CliRunner()


def _fixture_records() -> list[Record]:
    found = []
    for path in ALL_FIXTURES:
        found.extend(records_of(path)[1])
    return found


def _essence(records: list[Record]) -> list[tuple]:
    """What the round trip must keep, in an order that does not depend on the compendium's."""
    return sorted(
        (r.submitter or "", tuple(r.priority_areas), tuple(f.value or "" for _, f in r.all_fields())) for r in records
    )


def _read_back(path) -> list[Record]:
    report, records = records_of(path)
    assert report.status == "ok", report.message
    return records


def test_compendium_docx_reads_back_into_the_same_records(tmp_path):
    records = _fixture_records()
    assert len(records) >= 40
    target = tmp_path / "compendium.docx"
    save_compendium(build_compendium(records, CompendiumOptions(include_unreviewed=True)), target)
    assert _essence(_read_back(target)) == _essence(records)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_compendium_pdf_reads_back_into_the_same_records(tmp_path):
    from publish.pdf import to_pdf

    records = _fixture_records()
    target = tmp_path / "compendium.docx"
    save_compendium(build_compendium(records, CompendiumOptions(include_unreviewed=True)), target)
    back = _read_back(to_pdf(target))
    flat = [(s, c, tuple(" ".join(v.split()) for v in vs)) for s, c, vs in _essence(back)]
    expected = [(s, c, tuple(" ".join(v.split()) for v in vs)) for s, c, vs in _essence(records)]
    assert flat == expected  # the only PDF difference is a nested table's cells on one line


def _document_text(path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")


def _records_dir(tmp_path, names=("table_grid_fr.docx", "multi_practice_fr.pdf")):
    from conftest import FIXTURES

    out = tmp_path / "structured"
    out.mkdir()
    for name in names:
        folder = "docx" if name.endswith(".docx") else "pdf"
        for record in records_of(FIXTURES / folder / name)[1]:
            (out / f"{record.record_id}.json").write_text(record.model_dump_json(), encoding="utf-8")
    return out


def test_unreviewed_records_block_the_compendium_with_the_list_of_blockers(tmp_path):
    out = _records_dir(tmp_path, ("doubtful_labels_fr.docx", "table_grid_fr.docx"))
    result = runner.invoke(app, ["compendium", str(out), "-o", str(tmp_path / "c.docx")])
    assert result.exit_code == 1
    assert "still need review" in result.output and "success_conditions (weak_label)" in result.output
    assert not (tmp_path / "c.docx").exists()
    forced = runner.invoke(app, ["compendium", str(out), "-o", str(tmp_path / "c.docx"), "--include-unreviewed"])
    assert forced.exit_code == 0
    assert _document_text(tmp_path / "c.docx").count("Pratique non revue par le secrétariat") == 1


def test_a_practice_with_several_areas_is_printed_once_and_listed_in_the_others(tmp_path):
    out = _records_dir(tmp_path, ("table_grid_fr.docx",))  # areas I, II and III
    runner.invoke(app, ["compendium", str(out), "-o", str(tmp_path / "c.docx")])
    text = _document_text(tmp_path / "c.docx")
    # its table, its title, its contents entry, and two "see also" listings
    assert text.count("Plan de cohésion sociale dans les villes et communes de Wallonie") == 5
    assert text.count("Voir aussi dans ce recueil") == 2
    assert "Partie II – Migrants et réfugiés" in text and "Partie III" in text


def test_no_personal_data_keeps_organisation_and_website_only(tmp_path):
    out = _records_dir(tmp_path)
    runner.invoke(app, ["compendium", str(out), "-o", str(tmp_path / "c.docx"), "--no-personal-data"])
    text = _document_text(tmp_path / "c.docx")
    assert "@example.org" not in text and "Camille Martin" not in text and "+32" not in text
    assert "Service public de Wallonie" in text and "cohesionsociale.example.org" in text


def test_english_compendium_grouped_by_submitter_reads_back_in_english(tmp_path):
    out = _records_dir(tmp_path)
    target = tmp_path / "c.docx"
    result = runner.invoke(app, ["compendium", str(out), "-o", str(target), "--lang", "en", "--group-by", "submitter"])
    assert result.exit_code == 0, result.output
    text = _document_text(target)
    assert "Brief description" in text and "Description concise" not in text
    back = _read_back(target)
    assert {r.language for r in back} == {"en"}
    assert sorted(r.submitter for r in back) == ["BELGIQUE / Wallonie", "FRANCE", "FRANCE", "FRANCE"]


def test_text_word_cannot_hold_is_cleaned_and_the_build_does_not_fail(tmp_path):
    dirty = _fixture_records()[0].model_copy(deep=True)
    dirty.fields.context.value = "texte\x0b avec\x00 contrôle\x1f"
    target = tmp_path / "c.docx"
    save_compendium(build_compendium([dirty], CompendiumOptions(include_unreviewed=True)), target)
    assert "texte avec contrôle" in _document_text(target)


def test_pdf_without_libreoffice_is_a_clear_error(tmp_path, monkeypatch):
    out = _records_dir(tmp_path, ("table_grid_fr.docx",))
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = runner.invoke(app, ["compendium", str(out), "-o", str(tmp_path / "c.docx"), "--pdf"])
    assert result.exit_code == 1 and "needs LibreOffice" in result.output
    assert (tmp_path / "c.docx").exists()


def test_exports_have_one_row_per_practice_and_never_a_formula(tmp_path):
    records = _fixture_records()[:4]
    hostile = records[0].model_copy(deep=True)
    hostile.fields.aim.value = '=HYPERLINK("http://evil.example.org","x")'
    hostile.fields.impact.value = "@SUM(A1:A9)"
    rows = [hostile] + records[1:]
    write_csv(rows, tmp_path / "p.csv")
    write_xlsx(rows, tmp_path / "p.xlsx")
    write_jsonl(rows, tmp_path / "p.jsonl")
    with (tmp_path / "p.csv").open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == 4
    assert table[0]["aim"].startswith("'=HYPERLINK") and table[0]["impact"] == "'@SUM(A1:A9)"
    assert table[1]["priority_areas"] and table[1]["source_sha256"] == records[1].source.sha256
    sheet = load_workbook(tmp_path / "p.xlsx").active
    keys = [cell.value for cell in sheet[2]]  # the human headers above, the internal keys here
    aim = sheet.cell(row=3, column=keys.index("aim") + 1)
    assert aim.data_type == "s" and aim.value.startswith("=HYPERLINK") and aim.quotePrefix
    lines = (tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["record_id"] for line in lines] == [r.record_id for r in rows]


def test_numbered_titles_name_the_practices_read_back_in_the_same_order(tmp_path):
    import docx

    records = _fixture_records()
    target = tmp_path / "compendium.docx"
    save_compendium(build_compendium(records, CompendiumOptions(include_unreviewed=True)), target)
    titles = [p.text for p in docx.Document(target).paragraphs if p.style.name == "Heading 2"]
    assert [int(title.split()[1]) for title in titles] == list(range(1, len(records) + 1))
    back = _read_back(target)
    assert [" ".join(title.split(" – ", 1)[1].split()) for title in titles] == [
        " ".join((r.fields.practice_name.value or "(pratique sans nom)").split()) for r in back
    ]
