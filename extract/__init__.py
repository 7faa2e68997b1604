"""Extraction: a neutral `Layout` → one validated `Record` per practice. Never sees a file format."""

from __future__ import annotations

from extract.assemble import assemble
from extract.catalogue import load_catalogue
from extract.fields import SourceInfo, build_records
from extract.record import Record, RecordBase, record_model
from extract.segment import pieces_from_layout
from forms import FormSpec
from parsers.layout import Layout


def extract_records(layout: Layout, source_path: str, sha256: str, form: FormSpec | None = None) -> list[RecordBase]:
    """All practices of `form` (the PECS form when None) found in the layout, in document order (empty
    when it holds no questionnaire)."""
    catalogue = load_catalogue(form)
    drafts = assemble(pieces_from_layout(layout, catalogue), catalogue)
    return build_records(drafts, layout, catalogue, SourceInfo(source_path, sha256))


__all__ = ["Record", "RecordBase", "extract_records", "record_model"]
