"""PDF engines, one result: every registered engine (PDFium, the fast default, and any added to
parsers.PDF_ENGINES) gives the records the reference engine (pdfplumber) gives, on every PDF fixture,
field by field, flags included; boxes agree within a point."""

from __future__ import annotations

import pytest
from conftest import PDF_FIXTURES

from extract import extract_records
from parsers import PDF_ENGINES, REFERENCE_PDF_ENGINE, ReadOptions, read_layout

OTHER_ENGINES = [name for name in PDF_ENGINES if name != REFERENCE_PDF_ENGINE]


def _records(path, engine):
    return extract_records(read_layout(path, ReadOptions(pdf_engine=engine)), path.name, "0" * 64)


@pytest.mark.parametrize("engine", OTHER_ENGINES)
@pytest.mark.parametrize("path", PDF_FIXTURES, ids=lambda p: p.name)
def test_every_engine_gives_the_reference_engines_records(path, engine):
    fast, reference = _records(path, engine), _records(path, REFERENCE_PDF_ENGINE)
    assert len(fast) == len(reference)
    for a, b in zip(fast, reference, strict=True):
        assert (a.submitter, a.priority_areas, a.priority_areas_other) == (
            b.submitter,
            b.priority_areas,
            b.priority_areas_other,
        )
        assert a.unassigned == b.unassigned or [u.text for u in a.unassigned] == [u.text for u in b.unassigned]
        for (key, field), (_, other) in zip(a.all_fields(), b.all_fields(), strict=True):
            assert (field.value, field.flags, field.label) == (other.value, other.flags, other.label), key
            for loc, ref in zip(field.provenance, other.provenance, strict=True):
                assert loc.page == ref.page
                assert all(abs(x - y) <= 1.0 for x, y in zip(loc.bbox, ref.bbox, strict=True)), key


def test_pdfium_words_are_the_same_objects_as_word_makes():
    """The PDFium engine fills a Word's fields at once instead of calling Word(...): a field added to
    Word must be added there too, or this fails."""
    import dataclasses

    from parsers.pdf_geometry import Word
    from parsers.pdfium_reader import _word

    made = _word(["Intitulé", 72.0, 100.5, 120.25, 110.5, 10.0, "arial-bold", 7, 9, True, False])
    expected = Word("Intitulé", 72.0, 100.5, 120.25, 110.5, 10.0, True, False)
    assert made == expected and hash(made) == hash(expected)
    assert vars(made) == {f.name: getattr(expected, f.name) for f in dataclasses.fields(Word)}
