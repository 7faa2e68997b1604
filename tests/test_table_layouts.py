"""Tables laid out otherwise than `label | answer` (fixtures: tests/fixtures/table_layouts.py, Word and
their LibreOffice PDFs), and the safety net for an answer that repeats its own field's label."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, field_of, records_of, truth_of
from test_extract_layouts import FORM, extract, table

from normalise import fold_label
from parsers.layout import Block


def _fixture(name: str, suffix: str):
    return FIXTURES / ("docx" if suffix == "docx" else "pdf") / f"{name}.{suffix}"


def _right_and_unflagged(name: str, suffix: str, keys: list[str]) -> None:
    path = _fixture(name, suffix)
    [record] = records_of(path)[1]
    [truth] = truth_of(path)
    for key in keys:
        field = field_of(record, key)
        assert (field.value, field.flags) == (truth["fields"][key], []), key


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_a_second_label_column_in_another_language_is_read_as_labels_and_the_answer_is_the_last_column(suffix):
    path = _fixture("bilingual_columns_en", suffix)
    [record] = records_of(path)[1]
    [truth] = truth_of(path)
    for key, expected in truth["fields"].items():
        field = field_of(record, key)
        assert field.value == expected, key  # never 'Aim\nTo help ...', never label words interleaved
    assert record.fields.aim.label == "But Aim" and "weak_label" not in record.fields.aim.flags
    assert record.unassigned == []


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_a_label_cell_holding_the_same_question_in_two_languages_is_a_strong_label(suffix):
    keys = ["aim", "duration", "impact", "example", "contact.name", "contact.email", "contact.phone"]
    _right_and_unflagged("bilingual_cells_fr", suffix, keys)  # 'Coordonnées / Contact details' is no answer


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_label_answer_pairs_side_by_side_each_keep_their_own_answer(suffix):
    _right_and_unflagged(
        "paired_contact_en", suffix, ["contact." + k for k in ("name", "organisation", "email", "phone")]
    )


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_a_heading_worded_as_the_name_label_gives_way_to_the_name_label_under_it(suffix):
    _right_and_unflagged("contact_heading_fr", suffix, ["contact." + k for k in ("name", "organisation", "email")])


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_questions_numbered_question_1_are_read_and_a_row_of_labels_pairs_with_the_row_of_answers_below(suffix):
    path = _fixture("question_tables_en", suffix)
    report, records = records_of(path)
    assert report.status == "ok" and len(records) == 1
    _right_and_unflagged(
        "question_tables_en",
        suffix,
        ["practice_name", "example"] + ["contact." + k for k in ("name", "email", "website")],
    )


@pytest.mark.parametrize("label", ["Question 1: Aim", "Question n° 1 – Aim", "Q1. Aim", "Frage 1: Aim", "1. Aim"])
def test_a_spelled_out_question_number_is_no_part_of_the_label(label):
    assert fold_label(label) == "aim"


def test_an_answer_holding_its_own_field_label_in_another_language_is_flagged():
    rows = [(label, answer) for label, answer in FORM]
    rows[3] = ("But", ["Aim", "Mieux répondre aux besoins des parents."])  # the layout hid a label column
    [record] = extract(table(rows))
    assert "contains_label_text" in record.fields.aim.flags
    assert record.fields.context.flags == []


def test_a_bilingual_label_cut_by_a_page_break_is_one_strong_label():
    first = [b.model_copy(update={"page": 1}) for b in table([*FORM, ("Téléphone", "+32 2 000 00 00")])]
    rest = [  # the next page: the label's English half alone in its row, then the next row
        Block(kind="cell", text="Telephone", table=1, row=0, column=0, page=2),
        Block(kind="cell", text="Page Internet\nWebsite", table=1, row=1, column=0, page=2),
        Block(kind="cell", text="https://example.org", table=1, row=1, column=1, page=2),
    ]
    [record] = extract(first + rest, format="pdf")
    phone = record.contact.phone
    assert (phone.value, phone.flags, phone.label) == ("+32 2 000 00 00", [], "Téléphone Telephone")
    assert record.contact.website.flags == [] and record.unassigned == []
