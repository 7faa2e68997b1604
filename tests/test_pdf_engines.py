"""Two PDF engines, one result: PDFium (the fast default) gives the records pdfplumber gives, on every
PDF fixture, field by field, flags included; boxes agree within a point."""

from __future__ import annotations

import pytest
from conftest import PDF_FIXTURES

from extract import extract_records
from parsers import ReadOptions, read_layout


def _records(path, engine):
    return extract_records(read_layout(path, ReadOptions(pdf_engine=engine)), path.name, "0" * 64)


@pytest.mark.parametrize("path", PDF_FIXTURES, ids=lambda p: p.name)
def test_pdfium_and_pdfplumber_give_the_same_records(path):
    fast, reference = _records(path, "pdfium"), _records(path, "pdfplumber")
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
