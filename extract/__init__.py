"""Extraction: a neutral `Layout` → one validated `Record` per practice. Never sees a file format."""

from __future__ import annotations

from dataclasses import dataclass

from extract.assemble import assemble
from extract.catalogue import load_catalogue
from extract.evidence import skip_reason
from extract.fields import SourceInfo, build_records
from extract.record import Record, RecordBase, record_model
from extract.segment import pieces_from_layout
from forms import FormSpec
from parsers.layout import Layout


@dataclass(frozen=True)
class Extraction:
    records: list[RecordBase]
    skip_reason: str | None  # why no practice was found (None when there are records)


def extract(layout: Layout, source_path: str, sha256: str, form: FormSpec | None = None) -> Extraction:
    """All practices of `form` (the PECS form when None) found in the layout, in document order, or why
    the layout holds none."""
    catalogue = load_catalogue(form)
    drafts, verdicts = assemble(pieces_from_layout(layout, catalogue), catalogue)
    records = build_records(drafts, layout, catalogue, SourceInfo(source_path, sha256))
    return Extraction(records, None if records else skip_reason(verdicts))


def extract_records(layout: Layout, source_path: str, sha256: str, form: FormSpec | None = None) -> list[RecordBase]:
    """All practices of `form` found in the layout, in document order (empty when it holds no questionnaire)."""
    return extract(layout, source_path, sha256, form).records


__all__ = ["Extraction", "Record", "RecordBase", "extract", "extract_records", "record_model"]
