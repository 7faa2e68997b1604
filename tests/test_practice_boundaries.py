"""Where a practice starts and who sent it, questions merged by the respondent, answers that point to
another, and the form's own priority wording cut short (probe 2's silent errors, from
tests/fixtures/practice_cases.py and hand-written layouts)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, records_of
from test_extract_layouts import FORM, extract, para, table

from extract.catalogue import load_catalogue
from normalise import priority_areas, refers_elsewhere

DOCX, PDF = FIXTURES / "docx", FIXTURES / "pdf"
EN_FORM = [
    ("Priority area(s)", "Youth and children"),
    ("Name of the good practice / innovative approach", "Community Food and Advice Hubs"),
    ("Context", "Rising food poverty."),
    ("Aim", "Food and advice under one roof."),
    ("Target group(s)", "Low-income households."),
    ("Partners involved", "Food banks."),
    ("Duration", "2015-2018"),
    ("Brief description", "Weekly hubs."),
    ("Implementation / steps / process", "Pilot, then roll-out."),
    ("Impact", "9,000 households reached."),
]


@pytest.mark.parametrize(
    "path", [DOCX / "second_practice_name_first_en.docx", PDF / "second_practice_name_first_en.pdf"]
)
def test_a_second_practice_written_name_first_is_one_practice_under_its_own_header(path):
    _, (first, second) = records_of(path)
    assert first.submitter == "IRELAND"
    assert second.submitter == "European Housing Network (NGO)"
    assert second.fields.practice_name.value == "Housing First for people leaving homelessness"
    assert second.fields.practice_name.flags == second.fields.practice_name.notes == []
    assert first.unassigned == second.unassigned == []
    assert not second.needs_review


def test_practice_name_then_priority_areas_open_one_practice_not_two():
    rows = [FORM[1], FORM[0], *FORM[2:]]
    records = extract([para("FRANCE", bold=True), *table(FORM), para("LUXEMBOURG", bold=True), *table(rows, 1)])
    assert [r.submitter for r in records] == ["FRANCE", "LUXEMBOURG"]
    assert records[1].fields.practice_name.value == "Nouveau congé parental"
    assert records[1].unassigned == []


def test_an_inherited_submitter_is_trusted_when_nothing_above_the_practice_went_unplaced():
    records = extract([para("FRANCE", bold=True), *table(FORM), *table(FORM, 1)])
    assert [r.submitter for r in records] == ["FRANCE", "FRANCE"]
    assert "submitter_uncertain" not in records[1].fields.priority_domains.flags
    assert not records[1].needs_review


def test_an_inherited_submitter_is_flagged_when_text_before_the_practice_went_unplaced():
    # a sender's line the reader could not take as a header (a row of the table above) stands between them
    sender = ("Contribution du Grand-Duché de Luxembourg", "ministère de la Famille")
    records = extract([para("FRANCE", bold=True), *table([*FORM, sender]), *table(FORM, 1)])
    assert records[0].unassigned
    assert records[1].submitter == "FRANCE"
    assert "submitter_uncertain" in records[1].fields.priority_domains.flags
    assert records[1].needs_review
    assert "submitter_uncertain" not in records[0].fields.priority_domains.flags


def test_a_missing_submitter_whose_header_may_sit_in_unplaced_text_is_flagged():
    [record] = extract([para("Contribution du Grand-Duché de Luxembourg, ministère de la Famille."), *table(FORM)])
    assert record.submitter is None
    assert "submitter_uncertain" in record.fields.priority_domains.flags


@pytest.mark.parametrize(
    "path, holder, merged",
    [
        (DOCX / "merged_questions_fr.docx", "description", "implementation"),
        (PDF / "merged_questions_fr.pdf", "description", "implementation"),
        (DOCX / "merged_questions_de.docx", "success_conditions", "impact"),
        (PDF / "merged_questions_de.pdf", "success_conditions", "impact"),
    ],
)
def test_two_questions_merged_in_one_label_flag_both_and_neither_is_noted_absent(path, holder, merged):
    _, [record] = records_of(path)
    holding, other = record.field(holder), record.field(merged)
    assert "merged_question" in holding.flags
    assert other.value is None and other.flags == ["answered_in_merged"] and other.notes == []
    assert other.label == holding.label and " / " in holding.label
    assert [loc.part for loc in other.provenance] == ["label"]


def test_a_label_with_words_of_its_own_after_a_slash_is_not_a_merged_question():
    rows = [
        *FORM[:7],
        ("Description concise / résumé", "La réforme introduit une flexibilisation."),
        *FORM[8:14],
        ("Nom / prénom", "Dominique Weber"),
        *FORM[15:],
    ]
    [record] = extract(table(rows))
    flagged = {
        key for key, value in record.all_fields() if {"merged_question", "answered_in_merged"} & set(value.flags)
    }
    assert flagged == set()


def test_a_merged_question_found_with_its_own_label_elsewhere_is_not_merged():
    rows = [*FORM[:7], ("Description concise / Mise en œuvre", "Les deux."), *FORM[8:]]
    [record] = extract(table(rows))
    assert record.fields.implementation.value == "Entrée en vigueur le 1er décembre 2016"
    assert "merged_question" not in record.fields.description.flags


@pytest.mark.parametrize(
    "answer",
    [
        "L’impact de la crise économique sur la santé et la protection sociale",
        "L'impact de la crise économique sur la santé et la protection sociale, en particulier la lutte contre la "
        "pauvreté et l'exclusion sociale",
        "The impact of the economic crisis on health and social protection",
        "Die Auswirkungen der Wirtschaftskrise auf Gesundheit und sozialen Schutz.",
    ],
)
def test_area_three_wording_copied_up_to_a_comma_is_the_form_wording_not_an_inference(answer):
    areas = priority_areas(answer, load_catalogue().priority)
    assert (areas.codes, areas.other, areas.inferred) == (["III"], [], False)


@pytest.mark.parametrize(
    "answer",
    ["L'impact de la crise économique sur la santé", "La crise économique et la pauvreté des familles"],
)
def test_a_wording_cut_inside_a_clause_or_own_words_still_count_as_inferred(answer):
    areas = priority_areas(answer, load_catalogue().priority)
    assert (areas.codes, areas.inferred) == (["III"], True)


@pytest.mark.parametrize(
    "path, key, value",
    [
        (DOCX / "merged_questions_fr.docx", "success_conditions", "Voir ci-dessus."),
        (PDF / "merged_questions_fr.pdf", "success_conditions", "Voir ci-dessus."),
        (DOCX / "merged_questions_de.docx", "final_remarks", "Siehe oben."),
    ],
)
def test_an_answer_pointing_to_another_is_kept_as_typed_with_a_note_not_a_flag(path, key, value):
    _, [record] = records_of(path)
    field = record.field(key)
    assert (field.value, field.notes, field.flags) == (value, ["refers_elsewhere"], [])


@pytest.mark.parametrize(
    "text, pointer",
    [
        ("Voir ci-dessus (rubrique « Impact »).", True),
        ("See above.", True),
        ("As above", True),
        ("Cf. supra", True),
        ("Siehe oben.", True),
        ("voir question 9", True),
        ("Above all, the city trained 40 staff.", False),
        ("Section 3 of the law applies.", False),
        ("See the annex for the budget of the project", False),
        (
            "Voir ci-dessus ; en outre, 40 agents ont été formés et un guide a été publié pour tous les partenaires.",
            False,
        ),
    ],
)
def test_only_a_short_pointer_to_another_answer_reads_as_one(text, pointer):
    assert refers_elsewhere(text) is pointer


def test_the_english_form_labels_with_slashes_are_no_merged_questions():
    [record] = extract(table(EN_FORM))
    assert record.fields.implementation.value == "Pilot, then roll-out."
    assert not any({"merged_question", "answered_in_merged"} & set(value.flags) for _, value in record.all_fields())
