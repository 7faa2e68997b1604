"""Rows cut by a page break: a table's header row repeated on each page, a question cut in two, a
table row at the page's foot that must not pass for footnotes, a label wrapped in a narrow column.
Geometry built in code and hand-written layouts, then the two fixtures made of these cases
(tests/fixtures/page_break_layouts.py)."""

from __future__ import annotations

from conftest import FIXTURES, records_of
from test_extract_layouts import FORM, extract, pdf_cell, table
from test_pdf_rows import words

from parsers.pdf_geometry import Line, Word, footnote_separator
from parsers.pdf_page import Page
from parsers.pdf_reader import _PdfLayoutBuilder
from parsers.pdf_rows import merge_rules, repeated_header_rows

# The probe's Chromium print (html_table_fr.pdf), page 1's foot: each table rule drawn one segment per
# cell (number | question | answer), the question cells' grey background drawn as its own rectangle whose
# edges lie 0.4 pt under the rules, the last row cut open by the page break.
CELL_SEGMENTS = [
    (676.125, 33.75, 61.5),
    (676.125, 61.5, 213.75),
    (676.125, 213.75, 578.25),
    (676.5, 61.5, 213.75),
    (764.25, 61.5, 213.75),
]
CELL_SIDES = [(x, 676.5, 764.25) for x in (34.125, 61.5, 213.75, 577.875)]


def test_a_table_cells_border_at_the_page_foot_is_not_a_footnote_separator():
    assert footnote_separator(merge_rules(CELL_SEGMENTS), 612, 792, CELL_SIDES) is None
    # the same short rule standing free under the table is one
    free = [(676.125, 33.75, 578.25), (700.0, 36.0, 180.0)]
    assert footnote_separator(free, 612, 792, [(x, 600.0, 676.125) for x in (34.125, 213.75, 577.875)]) == 700.0


def _bold(text: str, x0: float, top: float) -> list[Word]:
    return [Word(w.text, w.x0, w.top, w.x1, w.bottom, w.size, True) for w in words(text, x0, top)]


def _framed_row(top: float, bottom: float) -> tuple[list, list]:
    return [(top, 40.0, 560.0), (bottom, 40.0, 560.0)], [(x, top, bottom) for x in (40.0, 70.0, 210.0, 560.0)]


def test_a_table_row_cut_at_the_page_foot_is_read_as_a_row_never_as_footnotes():
    h_rules, v_rules = _framed_row(690.0, 790.0)
    h_rules = h_rules[:1] + [(700.0, 70.0, 200.0)]  # open at the page's end; a background's edge inside
    page_words = words("12", 45, 705) + words("Quelle pratique,", 75, 705) + words("La Charte.", 215, 705)
    page_words += words("quel instrument", 75, 719)
    small = [Word(w.text, w.x0, w.top, w.x1, w.top + 8, 8.0, False) for w in page_words]  # a note's size
    body = [w for top in (100, 114, 128) for w in words("Un paragraphe du corps en haut de la page.", 45, top)]
    blocks = _PdfLayoutBuilder([Page(1, 612.0, 792.0, body + small, h_rules, v_rules)]).build().blocks
    assert not [b for b in blocks if b.role == "footnote"]
    assert [(b.column, b.text) for b in blocks if b.kind == "cell"] == [  # three ruled columns: three cells
        (0, "12"),
        (1, "Quelle pratique,"),
        (1, "quel instrument"),
        (2, "La Charte."),
    ]


def _page_with_header(number: int, first_row: tuple[str, str], top: float) -> Page:
    header_rules, header_sides = _framed_row(top, top + 20)
    row_rules, row_sides = _framed_row(top + 20, top + 60)
    page_words = _bold("N° Question", 45, top + 5) + _bold("Réponse", 215, top + 5)
    page_words += words(first_row[0], 75, top + 25) + words(first_row[1], 215, top + 25)
    return Page(number, 612.0, 792.0, page_words, header_rules + row_rules, header_sides + row_sides)


def test_a_header_row_repeated_on_every_page_is_page_furniture_wherever_it_stands():
    pages = [
        _page_with_header(1, ("1 Impact", "Plus de pères."), 140.0),  # under the sender's name on page 1
        _page_with_header(2, ("2 Durée", "Deux ans."), 40.0),
    ]
    blocks = _PdfLayoutBuilder(pages).build().blocks
    furniture = [b.text for b in blocks if b.role == "furniture"]
    assert furniture == ["N° Question Réponse", "N° Question Réponse"]
    assert [b.text for b in blocks if b.kind == "cell" and b.column == 1] == ["1 Impact", "2 Durée"]  # 2nd of 3


def test_a_form_row_that_comes_again_on_another_page_is_no_header():
    lines = [Line(tuple(_bold("Impact", 75, 45) + words("Plus de pères.", 215, 45)))]
    rules, sides = _framed_row(40.0, 60.0)
    assert repeated_header_rows([(lines, rules, sides, 612.0)] * 2) == set()  # the answer is plain text
    unanswered = [Line(tuple(_bold("Impact", 75, 45)))]
    assert repeated_header_rows([(unanswered, rules, sides, 612.0)] * 2) == set()  # text on one side only


def test_a_label_wrapped_in_a_narrow_borderless_column_stays_one_label_beside_a_list():
    # LibreOffice, a 3 cm label column with no borders: the label's second line stands beside the
    # answer's second item, and where answer paragraphs start is the only cue to the rows
    def row(label: str, answer: str, top: float) -> list[Word]:
        return _bold(label, 90, top) + words(answer, 175, top)

    page_words = row("Priority", "• Youth and children", 86) + row("area(s)", "• Migrants and refugees", 100.7)
    page_words += row("Duration", "2014-2020", 125) + row("Impact", "Two thirds found work.", 145)
    page_words += row("Partners", "Local services.", 165) + _bold("involved", 90, 179.7)
    blocks = _PdfLayoutBuilder([Page(1, 595.0, 842.0, page_words, [], [])]).build().blocks
    labels = [b.text for b in blocks if b.kind == "cell" and b.column == 0]
    assert labels == ["Priority area(s)", "Duration", "Impact", "Partners involved"]


TAIL = "défis (y compris les problèmes rencontrés lors de la mise en œuvre), enseigneme nts tirés"


def test_the_rest_of_a_question_cut_by_the_page_break_completes_it_even_when_it_reads_as_the_whole():
    # 'Remarques finales,' alone matches the short wording exactly; the rest alone matches the question
    # too, and together (a word broken without hyphen in a narrow column) a shade less than the first part
    rows = [(label, answer) for label, answer in FORM if not label.startswith("Remarques")]
    blocks = table(rows[:12], 0)
    blocks += [
        pdf_cell("Remarques finales,", 1, 0, 0, 5),
        pdf_cell("On note des délais d’installation des commissions", 1, 0, 1, 5),
        pdf_cell(
            "défis (y compris les problèmes rencontrés lors de la mise en œuvre), enseigneme nts tirés", 2, 0, 0, 6
        ),
        pdf_cell("dans certains départements ruraux.", 2, 0, 1, 6, continues=True),
    ]
    blocks += table(rows[12:], 7)
    [record] = extract(blocks, format="pdf")
    remarks = record.fields.final_remarks
    assert remarks.value == "On note des délais d’installation des commissions dans certains départements ruraux."
    assert remarks.flags == [] and record.unassigned == []


def test_a_question_asked_twice_in_a_row_on_one_page_is_still_a_duplicate():
    rows = [(label, answer) for label, answer in FORM if not label.startswith("Remarques")]
    blocks = table(rows[:12], 0)
    blocks += [
        pdf_cell("Remarques finales,", 1, 12, 0, 0),
        pdf_cell("Première réponse.", 1, 12, 1, 0),
        pdf_cell(
            "défis (y compris les problèmes rencontrés lors de la mise en œuvre), enseigneme nts tirés", 1, 13, 0, 0
        ),
        pdf_cell("Seconde réponse.", 1, 13, 1, 0),
    ]
    blocks += table(rows[12:], 7)
    [record] = extract(blocks, format="pdf")
    assert "duplicate_label" in record.fields.final_remarks.flags


def test_text_alone_in_the_label_column_that_ends_up_in_an_answer_is_flagged():
    # the tail of a question whose first half was lost: it must not join the answer above unflagged
    blocks = table(FORM[:11], 0) + [pdf_cell("cas, merci d’en expliquer la raison", 2, 0, 0, 1)] + table(FORM[12:], 2)
    [record] = extract(blocks, format="pdf")
    success = record.fields.success_conditions
    assert success.value.endswith("la raison") and "contains_label_text" in success.flags


def test_a_row_number_read_with_its_question_is_no_part_of_the_wording():
    numbered = [(f"{n} {label}", answer) for n, (label, answer) in enumerate(FORM[:14], 1)] + FORM[14:]
    [record] = extract(table(numbered), format="pdf")
    assert record.fields.aim.value == "Mieux répondre aux besoins des parents."
    assert record.fields.aim.label == "4 But" and record.fields.aim.flags == []
    assert record.fields.duration.flags == [] and record.fields.impact.flags == []


def test_the_page_break_fixtures_read_every_field_right_with_no_flag():
    for name in ("browser_thead_cut_label_fr", "borderless_narrow_cut_label_fr"):
        _, [record] = records_of(FIXTURES / "pdf" / f"{name}.pdf")
        assert record.flagged() == [] and record.unassigned == [], name
        assert record.fields.instruments_used.value and record.fields.final_remarks.value
