"""The record: one practice as written to data/structured/<record_id>.json (the downstream contract)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

FIELD_KEYS = (
    "priority_domains",
    "practice_name",
    "context",
    "aim",
    "target_groups",
    "partners",
    "duration",
    "description",
    "implementation",
    "impact",
    "success_conditions",
    "instruments_used",
    "final_remarks",
    "example",
)
CONTACT_KEYS = ("name", "organisation", "email", "phone", "website")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(_Strict):
    """Where a piece of a field stands in the source: page and box for PDF, table cell for Word."""

    part: Literal["label", "value"]
    block: int = Field(description="index of the block in the source's layout")
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = Field(
        default=None, description="(x0, top, x1, bottom) in PDF points, origin top-left"
    )
    table: int | None = None
    row: int | None = None
    column: int | None = None


class ReviewInfo(_Strict):
    """A reviewer's decision on this field, as applied from the review store (review/)."""

    action: Literal["accepted", "corrected"]
    decided_value: str | None
    extracted_value: str | None = Field(description="the value extraction gave when the decision was taken")
    decided_at: str
    stale: bool = Field(default=False, description="the source changed since: a person must settle it again")


class FieldValue(_Strict):
    value: str | None = Field(description="clean text, or null when empty, a placeholder ('--') or not found")
    raw: str | None = Field(default=None, description="the answer's text as read, before cleaning")
    confidence: float = Field(ge=0.0, le=1.0)
    flags: list[str] = Field(default_factory=list, description="why a reviewer should look; empty = trusted")
    label: str | None = Field(default=None, description="the label as found in the document")
    label_score: float | None = Field(default=None, description="0-100 similarity to the catalogue's label")
    provenance: list[Location] = Field(default_factory=list)
    reviewed: bool = False
    review: ReviewInfo | None = None


class Fields(_Strict):
    priority_domains: FieldValue
    practice_name: FieldValue
    context: FieldValue
    aim: FieldValue
    target_groups: FieldValue
    partners: FieldValue
    duration: FieldValue
    description: FieldValue
    implementation: FieldValue
    impact: FieldValue
    success_conditions: FieldValue
    instruments_used: FieldValue
    final_remarks: FieldValue
    example: FieldValue


class Contact(_Strict):
    name: FieldValue
    organisation: FieldValue
    email: FieldValue
    phone: FieldValue
    website: FieldValue


class Source(_Strict):
    path: str = Field(description="path of the reply, relative to the input folder it was found in")
    sha256: str
    format: Literal["docx", "pdf", "doc", "odt", "rtf"]
    practice_index: int = Field(ge=0, description="0-based position of this practice in the file")
    pages: list[int] | None = Field(description="pages the practice spans; null for formats without pages")


class UnassignedText(_Strict):
    text: str
    near_field: str | None = Field(description="the field this text followed; null: before the first field")
    provenance: list[Location] = Field(default_factory=list)


class Record(_Strict):
    schema_version: Literal["1.0"] = SCHEMA_VERSION
    record_id: str
    source: Source
    language: Literal["fr", "en"]
    submitter: str | None = Field(description="the country / organisation header above the form")
    priority_areas: list[Literal["I", "II", "III"]]
    priority_areas_other: list[str] = Field(description="areas in the respondent's own words, as typed")
    fields: Fields
    contact: Contact
    unassigned: list[UnassignedText] = Field(description="text of the practice that fits no field")
    needs_review: bool
    duplicate_of: str | None = Field(
        default=None, description="the record_id published in this one's place: the same practice (duplicates/)"
    )

    def all_fields(self) -> list[tuple[str, FieldValue]]:
        """(dotted key, field) for every field, in the form's order: 'context', 'contact.email'."""
        found = [(key, getattr(self.fields, key)) for key in FIELD_KEYS]
        return found + [(f"contact.{key}", getattr(self.contact, key)) for key in CONTACT_KEYS]

    def field(self, key: str) -> FieldValue:
        """The field named as in `all_fields`; KeyError for an unknown name."""
        for name, value in self.all_fields():
            if name == key:
                return value
        raise KeyError(key)

    def flagged(self) -> list[tuple[str, FieldValue]]:
        """(dotted key, field) for every field that carries a flag."""
        return [(key, value) for key, value in self.all_fields() if value.flags]
