"""Fillable PDF replies: answers typed into form fields are read as if typed on the page, by both
engines, with their page and box; a value that cannot be placed is shown for review, never lost."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import FIXTURES, records_of

from extract import extract_records
from parsers import ReadOptions, read_layout
from parsers.acroform import FormValue, place_values, read_form_values
from parsers.pdf_geometry import Word

FILLABLE_FR = FIXTURES / "pdf" / "fillable_fr.pdf"
TYPED_FR = FIXTURES / "pdf" / "paragraphs_inline_fr.pdf"  # the same practice, typed into a Word form


def test_a_filled_form_reads_like_the_same_answers_typed():
    (filled,) = records_of(FILLABLE_FR)[1]
    (typed,) = records_of(TYPED_FR)[1]
    for (key, field), (_, other) in zip(filled.all_fields(), typed.all_fields(), strict=True):
        if key != "priority_domains":  # ticked boxes on one side, the areas written out on the other
            assert field.value == other.value, key
    assert filled.priority_areas == typed.priority_areas == ["I", "III"]
    assert not filled.flagged() and not filled.unassigned


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_each_answer_points_to_its_field_box_on_its_page(engine):
    boxes = {(v.page, v.rect) for v in read_form_values(FILLABLE_FR) if not v.mark}
    layout = read_layout(FILLABLE_FR, ReadOptions(pdf_engine=engine))
    (record,) = extract_records(layout, FILLABLE_FR.name, "0" * 64)
    for key, field in record.all_fields():
        values = [loc for loc in field.provenance if loc.part == "value"]
        if key == "priority_domains" or field.value is None:
            continue
        assert values, key
        for loc in values:
            assert any(
                page == loc.page and r[0] <= loc.bbox[0] and loc.bbox[2] <= r[2] and r[1] <= loc.bbox[1] <= r[3]
                for page, r in boxes
            ), key


def test_ticked_and_unticked_boxes_become_marks_in_their_place():
    marks = [v for v in read_form_values(FILLABLE_FR) if v.mark]
    assert [v.text for v in marks] == ["☒", "☐", "☒"]
    assert all(v.page == 1 and v.rect for v in marks)


def test_an_answer_longer_than_its_box_is_kept_whole_inside_the_box():
    long_text = " ".join(f"mot{i}" for i in range(400))
    value = FormValue("Texte1", long_text, 1, (100.0, 100.0, 300.0, 130.0), 10.0, False)
    page = _Page(1, 600.0, 800.0, [])
    (placed,), unplaced = place_values([value], [page])
    assert not unplaced
    assert " ".join(w.text for w in sorted(placed.words, key=lambda w: (w.top, w.x0))) == long_text
    assert all(w.x0 >= 100 and w.x1 <= 300 and w.top >= 100 and w.bottom <= 130 for w in placed.words)


def test_values_without_a_place_are_returned_apart_and_unticked_boxes_dropped():
    values = [
        FormValue("hidden", "secret answer", 1, (10.0, 10.0, 90.0, 30.0), 10.0, False, hidden=True),
        FormValue("nowhere", "answer on no page", None, None, 10.0, False),
        FormValue("off page", "answer", 1, (900.0, 10.0, 990.0, 30.0), 10.0, False),
        FormValue("box", "☐", None, None, 0.0, True),
    ]
    (page,), unplaced = place_values(values, [_Page(1, 600.0, 800.0, [])])
    assert not page.words
    assert [v.name for v in unplaced] == ["hidden", "nowhere", "off page"]


def test_a_value_that_cannot_be_placed_is_flagged_in_the_record(tmp_path):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, NumberObject

    writer = PdfWriter(clone_from=PdfReader(FILLABLE_FR))
    for annotation in writer.pages[0]["/Annots"]:
        widget = annotation.get_object()
        if str(widget.get("/V", "")).startswith("Les politiques"):  # the context's answer, hidden from view
            widget[NameObject("/F")] = NumberObject(2)
    target = tmp_path / "hidden_field.pdf"
    with target.open("wb") as handle:
        writer.write(handle)
    for engine in ("pdfium", "pdfplumber"):
        (record,) = extract_records(read_layout(target, ReadOptions(pdf_engine=engine)), target.name, "0" * 64)
        assert record.fields.context.value is None and record.fields.context.flags
        (shown,) = record.unassigned
        assert shown.text.startswith("Texte5: Les politiques en faveur de la famille") and shown.provenance[0].page == 1
        assert "unassigned_nearby" in record.fields.priority_domains.flags and record.needs_review


def test_a_pdf_without_a_form_has_no_form_values():
    assert read_form_values(TYPED_FR) == []


@dataclass(frozen=True)
class _Page:
    """What placing needs of an engine's page (the engines' own page record has rules too)."""

    number: int
    width: float
    height: float
    words: list[Word]
