"""A label accepted from its first line while its wrapped lines went into the answer (a borderless PDF
with a tight gutter): its rest goes back to the label when the catalogue's wording is all there, else
the answer is flagged (extract/label_rest.py; probe 2's chrome_flex_rows_fr)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, records_of
from test_extract_layouts import FORM, extract, para

from parsers.layout import Block

FIRST_LINE = "Remarques finales, défis (y"
FULL_LABEL = FORM[12][0]
ANSWER = (
    "Les listes d'attente pour les cours de langue restent le principal défi. Le parcours gagnerait à être rendu "
    "accessible aux demandeurs d'asile."
)


def cell(text, row, column):
    return Block(kind="cell", text=text, table=0, row=row, column=column)


def form_with_final_remarks(*after_label: Block, label: str = FIRST_LINE) -> list[Block]:
    blocks = [para("LUXEMBOURG", bold=True)]
    for row, (text, answer) in enumerate(FORM):
        blocks.append(cell(text if row != 12 else label, row, 0))
        if row == 12:
            blocks += after_label
        else:
            blocks.append(cell(answer, row, 1))
    return blocks


def test_a_label_cut_short_gets_its_wrapped_lines_back_from_the_answer():
    blocks = form_with_final_remarks(
        cell("Les listes d'attente pour les cours de langue restent le principal défi. Le", 12, 1),
        para(
            "compris les problèmes rencontrés parcours gagnerait à être rendu accessible aux demandeurs "
            "d'asile. lors de la mise en œuvre),"
        ),
        para("enseignements tirés"),
    )
    [record] = extract(blocks, format="pdf")
    remarks = record.fields.final_remarks
    assert remarks.value == ANSWER
    assert remarks.flags == [] and remarks.label == FULL_LABEL
    assert record.unassigned == []


def test_a_label_rest_found_only_in_part_flags_the_answer():
    blocks = form_with_final_remarks(
        cell("Les listes d'attente pour les cours de langue restent le principal défi. Le", 12, 1),
        para("compris les problèmes rencontrés parcours gagnerait à être rendu accessible aux demandeurs d'asile."),
    )
    [record] = extract(blocks, format="pdf")
    assert "contains_label_text" in record.fields.final_remarks.flags
    assert "compris les problèmes rencontrés" in record.fields.final_remarks.value


def test_the_labels_missing_words_inside_a_sentence_of_the_answer_are_the_respondents_own():
    answer = "Les retards constatés lors de la mise en œuvre ont été rattrapés en 2017 grâce aux partenaires."
    blocks = form_with_final_remarks(cell(answer, 12, 1), label="Remarques finales, défis")
    [record] = extract(blocks, format="pdf")
    assert (record.fields.final_remarks.value, record.fields.final_remarks.flags) == (answer, [])


@pytest.mark.parametrize(
    "label, answer",
    [
        ("Mise en œuvre", "étapes et processus ont suivi le calendrier prévu."),
        ("Remarques finales", "défis nombreux : la coordination des partenaires reste difficile."),
    ],
)
def test_a_short_wording_of_the_form_keeps_its_answer_whole(label, answer):
    row = 8 if label == "Mise en œuvre" else 12
    blocks = [para("LUXEMBOURG", bold=True)]
    for index, (text, value) in enumerate(FORM):
        blocks += [cell(label if index == row else text, index, 0), cell(answer if index == row else value, index, 1)]
    [record] = extract(blocks, format="pdf")
    field = record.fields.implementation if row == 8 else record.fields.final_remarks
    assert (field.value, field.flags) == (answer, [])


def test_a_label_whose_start_went_into_the_answer_is_flagged_never_silent():
    """Its first line landed in the answer, after the answer's bullets: the answer cannot be mended."""
    from conftest import truth_of

    path = FIXTURES / "pdf_doubtful" / "reportlab_tighter_gutter_fr.pdf"
    _, [record] = records_of(path)
    [expected] = truth_of(path)
    remarks = record.fields.final_remarks
    assert remarks.value != expected["fields"]["final_remarks"] and "contains_label_text" in remarks.flags
    wrong = [key for key, value in expected["fields"].items() if record.field(key).value != value]
    assert wrong == ["final_remarks"]


def test_a_tight_gutter_read_right_keeps_its_answer_and_takes_no_flag():
    _, [record] = records_of(FIXTURES / "pdf" / "reportlab_tight_gutter_fr.pdf")
    remarks = record.fields.final_remarks
    assert remarks.flags == [] and remarks.label == FULL_LABEL
    assert remarks.value.startswith("Plusieurs difficultés ont ralenti")
