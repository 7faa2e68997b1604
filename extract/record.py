"""The record: one practice as written to data/structured/<record_id>.json (the downstream contract).

The record's `fields` and `contact` keys, its languages and its priority codes come from the form's spec
(forms/): `Record` is the PECS form's, `record_model(form)` any other form's."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from extract.vocabulary import Flag, Note
from forms import FormSpec, load_form

SCHEMA_VERSION: Final = "2.2"


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


class Extracted(_Strict):
    """A field as extraction gave it, kept beside a decision so that the decision can be withdrawn."""

    value: str | None
    flags: list[Flag]
    confidence: float


class ReviewInfo(_Strict):
    """A reviewer's decision on this field, as applied from the review store (review/)."""

    action: Literal["accepted", "corrected"]
    decided_value: str | None
    extracted_value: str | None = Field(description="the value extraction gave when the decision was taken")
    decided_at: str
    decided_by: str | None = Field(default=None, description="who decided: the OS user or --reviewer")
    stale: bool = Field(default=False, description="the source changed since: a person must settle it again")
    original: Extracted | None = Field(
        default=None, description="the field as this extraction gave it, before the decision was applied"
    )


class FieldValue(_Strict):
    value: str | None = Field(description="clean text, or null when empty, a placeholder ('--') or not found")
    raw: str | None = Field(default=None, description="the answer's text as read, before cleaning")
    confidence: float = Field(ge=0.0, le=1.0)
    flags: list[Flag] = Field(default_factory=list, description="why a reviewer should look; empty = trusted")
    notes: list[Note] = Field(
        default_factory=list, description="facts about the reply read with certainty (empty answer...): no review"
    )
    label: str | None = Field(default=None, description="the label as found in the document")
    label_score: float | None = Field(default=None, description="0-100 similarity to the catalogue's label")
    provenance: list[Location] = Field(default_factory=list)
    reviewed: bool = False
    review: ReviewInfo | None = None


class Source(_Strict):
    path: str = Field(description="path of the reply, relative to the input folder it was found in")
    sha256: str
    format: Literal["docx", "pdf", "doc", "odt", "rtf"]
    practice_index: int = Field(ge=0, description="0-based position of this practice in the file")
    pages: list[int] | None = Field(description="pages the practice spans; null for formats without pages")


class UnassignedReview(_Strict):
    action: Literal["assigned", "dismissed"]
    field: str | None = Field(description="the field the text was added to; null when dismissed")
    decided_at: str
    decided_by: str | None = None


class UnassignedText(_Strict):
    text: str
    near_field: str | None = Field(description="the field this text followed; null: before the first field")
    provenance: list[Location] = Field(default_factory=list)
    review: UnassignedReview | None = Field(default=None, description="a reviewer placed this text or dismissed it")


class SubmitterReview(_Strict):
    """A reviewer's decision on the record's `submitter` (the header above the form), as applied from the
    review store: the header as extracted is kept, so the decision can be withdrawn."""

    action: Literal["accepted", "corrected"]
    decided_value: str | None
    extracted_value: str | None = Field(description="the submitter extraction gave when the decision was taken")
    decided_at: str
    decided_by: str | None = None
    stale: bool = Field(default=False, description="the reply's header changed since: a person must settle it again")
    original: str | None = Field(description="the submitter as this extraction gave it")
    settled_fields: list[str] = Field(
        default_factory=list, description="fields whose `submitter_uncertain` flag the decision answered"
    )


class DuplicateGroup(_Strict):
    """The group of copies of one practice a record belongs to (the same practice received twice)."""

    id: str = Field(description="stable for the same members: 'dup-' and 10 hex digits")
    members: list[str] = Field(description="record ids, the copy published first")
    differing_fields: list[str] = Field(description="fields whose answers are not the same in every copy")
    status: Literal["identical", "differs", "confirmed"] = Field(
        description="identical: published once without asking; differs: a person must choose the copy to "
        "publish or say they are different practices (then the group goes); confirmed: a person chose"
    )

    @property
    def undecided(self) -> bool:
        return self.status == "differs"


class FieldGroup(_Strict):
    """One section of the form (the record's `fields` or `contact`): a FieldValue per key of the spec."""

    if TYPE_CHECKING:  # each form has its own keys; to a type checker any of them is a FieldValue

        def __getattr__(self, name: str) -> FieldValue: ...


class RecordBase(_Strict):
    """What every form's record has; `record_model` adds the form's own keys, languages and codes."""

    # 2.1 only added flag and note codes, 2.2 the optional `duplicate_group`: older records are read as they are
    schema_version: Literal["2.0", "2.1", "2.2"] = SCHEMA_VERSION
    record_id: str
    source: Source
    language: str
    submitter: str | None = Field(description="the country / organisation header above the form")
    # Left out of the file when null, as `duplicate_group`.
    submitter_review: SubmitterReview | None = Field(
        default=None,
        exclude_if=lambda review: review is None,
        description="a reviewer's decision on `submitter` (review/)",
    )
    priority_areas: list[str]
    priority_areas_other: list[str] = Field(description="areas in the respondent's own words, as typed")
    fields: FieldGroup
    contact: FieldGroup
    unassigned: list[UnassignedText] = Field(description="text of the practice that fits no field")
    needs_review: bool = Field(
        description="a field carries a flag, some text of the practice is unplaced, or its differing copies wait"
    )
    duplicate_of: str | None = Field(
        default=None, description="the record_id published in this one's place: the same practice (duplicates/)"
    )
    # Left out of the file when null: a record in no group is written as before.
    duplicate_group: DuplicateGroup | None = Field(
        default=None,
        exclude_if=lambda group: group is None,
        description="the copies of this practice found (duplicates/): one review item for the whole group",
    )

    def all_fields(self) -> list[tuple[str, FieldValue]]:
        """(dotted key, field) for every field, in the form's order: 'context', 'contact.email'."""
        found = [(key, getattr(self.fields, key)) for key in type(self.fields).model_fields]
        return found + [(f"contact.{key}", getattr(self.contact, key)) for key in type(self.contact).model_fields]

    def field(self, key: str) -> FieldValue:
        """The field named as in `all_fields`; KeyError for an unknown name."""
        for name, value in self.all_fields():
            if name == key:
                return value
        raise KeyError(key)

    def title(self) -> str | None:
        """The practice's name: the value of the field its form's spec declares as the title."""
        return getattr(self.fields, form_of(self).title_key).value

    def review_needed(self) -> bool:
        """What `needs_review` must say: any flag, any unplaced text a person has not yet placed or
        dismissed, or a group of differing copies no one has decided on yet (review/)."""
        waiting = self.duplicate_group is not None and self.duplicate_group.undecided
        return waiting or any(u.review is None for u in self.unassigned) or any(f.flags for _, f in self.all_fields())

    def unanswered(self) -> list[tuple[str, FieldValue]]:
        """(dotted key, field) for every field the reply leaves without an answer, flagged or not."""
        return [
            (key, value) for key, value in self.all_fields() if value.value is None and (value.notes or value.flags)
        ]

    def flagged(self) -> list[tuple[str, FieldValue]]:
        """(dotted key, field) for every field that carries a flag."""
        return [(key, value) for key, value in self.all_fields() if value.flags]


def _group(name: str, keys: tuple[str, ...]) -> type[FieldGroup]:
    return create_model(name, __base__=FieldGroup, **{key: (FieldValue, ...) for key in keys})  # type: ignore[call-overload]


def _model(form: FormSpec) -> dict:
    """The annotations that make `base` the record of `form`."""
    codes = form.codes
    return {
        "language": Literal[form.languages],
        "priority_areas": list[Literal[codes]] if codes else list[str],  # type: ignore[valid-type]
        "fields": _group("Fields", form.section_keys("practice")),
        "contact": _group("Contact", form.section_keys("contact")),
    }


_PECS = load_form()
_PECS_TYPES = _model(_PECS)
_PecsLanguage = _PECS_TYPES["language"]
_PecsCodes = _PECS_TYPES["priority_areas"]
_PecsFields = _PECS_TYPES["fields"]
_PecsContact = _PECS_TYPES["contact"]


# A practice of the PECS questionnaire: keys, languages and priority codes from forms/pecs-2017.toml.
# (A comment, not a docstring: the JSON Schema of a record stays the same for every form.)
class Record(RecordBase):
    if TYPE_CHECKING:  # to a type checker, the keys of any form (the spec is read at run time)
        language: str
        priority_areas: list[str]
        fields: FieldGroup
        contact: FieldGroup
    else:
        language: _PecsLanguage
        priority_areas: _PecsCodes
        fields: _PecsFields
        contact: _PecsContact


FIELD_KEYS = _PECS.section_keys("practice")
CONTACT_KEYS = _PECS.section_keys("contact")


_FORM_OF_MODEL: dict[type[RecordBase], FormSpec] = {}  # each form's model → its spec (see form_of)


def form_of(record: RecordBase | type[RecordBase]) -> FormSpec:
    """The spec of the form a record (or a record model) answers: review, duplicate grouping and the
    compendium take the form's keys, labels and codes from it."""
    return _FORM_OF_MODEL.get(record if isinstance(record, type) else type(record), _PECS)


@lru_cache(maxsize=8)
def record_model(form: FormSpec) -> type[RecordBase]:
    """The pydantic model of `form`'s records (the PECS form's is `Record`)."""
    if form.digest == _PECS.digest:
        return Record
    types = _model(form)
    if not form.codes:  # a form without priority areas: the keys stay, always empty
        types["priority_areas"] = (list[str], Field(max_length=0))
    annotated = {name: (kind if isinstance(kind, tuple) else (kind, ...)) for name, kind in types.items()}
    # Another form's record says which form it answers, so a reader of the folder knows which spec it needs.
    annotated["form"] = (Literal[form.id], Field(default=form.id, description="the id of the form's spec"))
    model = create_model("Record", __base__=RecordBase, **annotated)  # type: ignore[call-overload]
    _FORM_OF_MODEL[model] = form
    return model
