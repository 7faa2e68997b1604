"""The compendium as a reader sees it in print, checked on the PDF's own text and tables (pdfplumber):
no answer row cut by a page break, no empty rows, an answer taller than a page going on under
"(suite)", list lines as bullets, the language's quotation marks in the form's labels, one font with
every glyph the replies use."""

from __future__ import annotations

import shutil
import zipfile

import pdfplumber
import pytest
from conftest import FIXTURES, records_of
from typer.testing import CliRunner

from cli import app
from publish.compendium import CompendiumOptions, build_compendium, save_compendium

runner = CliRunner()
pytestmark = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
LONG = "\n".join(
    f"Étape {n} : les communes coordonnent l’action sociale de proximité avec leurs partenaires associatifs "
    "et publics, dans chaque quartier et pour chaque public fragile." * 2
    for n in range(1, 41)
)
SCRIPTS_NAME = "Ольга Петрова / فاطمة الزهراء"


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """A compendium of Word and PDF replies, one answer taller than a page, contacts partly empty and a
    name in Cyrillic and Arabic; returns (its folder of records, the PDF's pages as pdfplumber reads them)."""
    folder = tmp_path_factory.mktemp("printed")
    records = [*records_of(FIXTURES / "docx" / "table_grid_fr.docx")[1]]
    records += records_of(FIXTURES / "pdf" / "multi_practice_fr.pdf")[1]
    long = records[0].model_copy(deep=True)
    long.record_id, long.submitter = "long-0", "LONG / Test"
    long.fields.context.value, long.contact.phone.value, long.contact.name.value = LONG, None, SCRIPTS_NAME
    (folder / "structured").mkdir()
    for record in [*records, long]:
        (folder / "structured" / f"{record.record_id}.json").write_text(record.model_dump_json(), encoding="utf-8")
    target = folder / "c.pdf"
    result = runner.invoke(app, ["compendium", str(folder / "structured"), "-o", str(target), "--include-unreviewed"])
    assert result.exit_code == 0, result.output
    with pdfplumber.open(target) as pdf:
        pages = [(p.extract_text() or "", p.extract_tables(), {c["fontname"] for c in p.chars}) for p in pdf.pages]
    return folder, pages


def _rows(pages):
    """(page number, row) of every table row, a row as its cells' texts (None: a merged cell's rest)."""
    return [(number, row) for number, (_, tables, _) in enumerate(pages, 1) for table in tables for row in table]


def test_no_answer_row_is_cut_by_a_page_break_and_none_is_empty(printed):
    _, pages = printed
    rows = _rows(pages)
    assert len(rows) > 60
    for number, row in rows:
        cells = [cell for cell in row if cell is not None]
        if len(cells) == 1:  # the contact block's heading, across both columns
            assert cells[0] == "Coordonnées", (number, row)
            continue
        label, answer = cells
        # a row cut by a break would start the next page with an empty label; an empty answer: a blank row
        assert label and label.strip(), (number, row)
        assert answer and answer.strip(), (number, row)


def test_an_answer_taller_than_a_page_goes_on_under_suite_and_reads_back_whole(printed):
    folder, pages = printed
    continued = [number for number, row in _rows(pages) if row[0] == "(suite)"]
    assert continued, "the long answer is in rows marked (suite)"
    assert len(set(continued)) >= 2  # it does run over pages
    back = {r.submitter: r for r in records_of(folder / "c.pdf")[1]}
    assert " ".join(back["LONG / Test"].fields.context.value.split()) == " ".join(LONG.split())


def test_the_contact_block_has_no_row_without_a_value(printed):
    _, pages = printed
    block = [row for _, row in _rows(pages) if row[0] in ("Nom", "Organisation", "Email", "Téléphone", "Page Internet")]
    assert block and all(row[1] and row[1].strip() for row in block)
    assert any("Ольга Петрова" in row[1] for row in block)  # Cyrillic as written (Arabic comes out reordered)


def test_list_lines_of_an_answer_print_as_bullets(printed):
    _, pages = printed
    answers = [row[1] for _, row in _rows(pages) if len(row) == 2 and row[1]]
    assert any(line.startswith("•") for answer in answers for line in answer.split("\n"))
    assert not [line for answer in answers for line in answer.split("\n") if line.startswith("- ")]


def test_labels_carry_the_quotation_marks_of_the_language(printed, tmp_path):
    _, pages = printed
    labels = {" ".join(row[0].split()) for _, row in _rows(pages) if row[0]}
    assert "Nom de la « bonne pratique » / de l’approche innovante" in labels  # the PDF gives a space for U+202F
    assert not [label for label in labels if '"' in label or "'" in label]
    assert "Domaine(s) prioritaires" in labels  # the form's "Domaine (s)"
    wanted_per_lang = {"fr": "«\u202fbonne pratique\u202f»", "en": "Name of the good practice", "de": "„guten Praxis“"}
    for lang, wanted in wanted_per_lang.items():
        target = tmp_path / f"c-{lang}.docx"
        options = CompendiumOptions(lang=lang, include_unreviewed=True)
        save_compendium(build_compendium(records_of(FIXTURES / "docx" / "table_grid_fr.docx")[1], options), target)
        with zipfile.ZipFile(target) as package:
            xml = package.read("word/document.xml").decode("utf-8")
        first_table = xml.split("<w:tbl>", 1)[1].split("</w:tbl>", 1)[0]
        assert wanted in first_table and "&quot;" not in first_table and "'" not in first_table, lang


def test_one_font_with_every_glyph_the_replies_use(printed):
    _, pages = printed
    fonts = set().union(*(found for _, _, found in pages))
    assert fonts and all("DejaVuSans" in name for name in fonts), fonts
    assert any(SCRIPTS_NAME.split(" / ")[0] in text for text, _, _ in pages)
