"""Extraction: a neutral `Layout` → one validated `Record` per practice. Never sees a file format."""

from __future__ import annotations

from extract.assemble import assemble
from extract.catalogue import load_catalogue
from extract.fields import SourceInfo, build_records
from extract.record import Record
from extract.segment import pieces_from_layout
from parsers.layout import Layout


def extract_records(layout: Layout, source_path: str, sha256: str) -> list[Record]:
    """All practices found in the layout, in document order (empty when it holds no questionnaire)."""
    catalogue = load_catalogue()
    drafts = assemble(pieces_from_layout(layout, catalogue), catalogue)
    return build_records(drafts, layout, catalogue, SourceInfo(source_path, sha256))


__all__ = ["Record", "extract_records"]
