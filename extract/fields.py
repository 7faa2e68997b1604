"""Practice draft → Record: clean values, flags and confidence for every field of the form.

A field is flagged whenever the machine is not sure of it; an unflagged field must be trustworthy.
Confidence starts at the label's score and each flag caps it (FLAG_CAPS).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extract.assemble import FieldDraft, PracticeDraft
from extract.catalogue import STRONG_SCORE, Catalogue
from extract.record import FieldValue, Location, RecordBase, Source, UnassignedText, record_model
from extract.record_id import record_id
from normalise import (
    PriorityAreas,
    clean_line,
    fold_label,
    is_placeholder,
    lines_to_value,
    normalise_email,
    normalise_phone,
    normalise_url,
    priority_areas,
    strip_control_chars,
)
from parsers.layout import Layout

# What each flag means, and the most confidence a field carrying it can have.
FLAG_CAPS = {
    "label_missing": 0.0,  # the form's label for this field was not found in the practice
    "empty": 0.3,  # the label is there, the answer is empty
    "placeholder": 0.5,  # the answer is "--", "néant", "n/a": value set to null
    "weak_label": 0.6,  # the label matched the catalogue only loosely
    "duplicate_label": 0.6,  # the label appears more than once; the answers were joined
    "contains_label_text": 0.5,  # the answer holds a line that reads like another label
    "unassigned_nearby": 0.6,  # text next to this field could not be placed
    "invalid_email": 0.2,
    "invalid_url": 0.4,
    "invalid_phone": 0.4,
    "priority_inferred": 0.7,  # a priority code was inferred from the respondent's own words
    "priority_unmapped": 0.6,  # no priority code could be read from the answer
    "ocr": 0.7,  # read by OCR from a page image: every field of such a file is checked by a person
    "unreadable_characters": 0.3,  # glyphs the PDF's fonts could not map to letters ('(cid:NN)')
}


@dataclass(frozen=True)
class SourceInfo:
    path: str  # relative to the input folder
    sha256: str


def build_records(
    drafts: list[PracticeDraft], layout: Layout, catalogue: Catalogue, source: SourceInfo
) -> list[RecordBase]:
    records: list[RecordBase] = []
    previous_submitter: str | None = None
    for index, draft in enumerate(drafts):
        submitter = " / ".join(clean_line(p.text) for p in draft.submitter) or previous_submitter
        record = _record(draft, index, layout, catalogue, source, submitter)
        previous_submitter = record.submitter
        records.append(record)
    _attach_unplaced(records, layout)
    return records


def _attach_unplaced(records: list[RecordBase], layout: Layout) -> None:
    """Text the reader could not place (a fillable PDF's value without a box on a page) goes, for review,
    to the practice on its page, else the first one; never dropped, never guessed into a field."""
    for index, block in enumerate(layout.blocks):
        if block.role != "unplaced" or not records:
            continue
        record = next((r for r in records if block.page in (r.source.pages or ())), records[0])
        location = Location(part="value", block=index, page=block.page, bbox=block.bbox)
        record.unassigned.append(UnassignedText(text=block.text, near_field=None, provenance=[location]))
        first = next(iter(type(record.fields).model_fields))  # where text 'before the first field' flags
        _add_flag(getattr(record.fields, first), "unassigned_nearby")
        record.needs_review = True


def _record(
    draft: PracticeDraft, index: int, layout: Layout, catalogue: Catalogue, source: SourceInfo, submitter: str | None
) -> RecordBase:
    builder = _FieldBuilder(draft, layout, catalogue)
    model = record_model(catalogue.form)
    fields = {key: builder.field(key) for key in catalogue.form.section_keys("practice")}
    contact = {key: builder.field(f"contact.{key}") for key in catalogue.form.section_keys("contact")}
    if layout.ocr:
        for value in list(fields.values()) + list(contact.values()):
            _add_flag(value, "ocr")
    areas = PriorityAreas()
    if catalogue.priority is not None and catalogue.priority_field is not None:
        priority = fields[catalogue.priority_field]
        areas = priority_areas(priority.value, catalogue.priority)
        if priority.value and areas.inferred:
            _add_flag(priority, "priority_inferred")
        if priority.value and not areas.codes:
            _add_flag(priority, "priority_unmapped")
    unassigned = [
        UnassignedText(text=clean_line(u.text), near_field=u.near, provenance=builder.locations(u.blocks, "value"))
        for u in draft.unassigned
        if clean_line(u.text)
    ]
    pages = sorted({layout.blocks[i].page for i in builder.all_blocks() if layout.blocks[i].page is not None})
    all_fields = list(fields.values()) + list(contact.values())
    return model(
        record_id=record_id(source.path, index),
        source=Source(
            path=source.path,
            sha256=source.sha256,
            format=layout.format,
            practice_index=index,
            pages=pages if layout.format == "pdf" else None,
        ),
        language=_language(draft, catalogue),
        submitter=submitter,
        priority_areas=areas.codes,
        priority_areas_other=areas.other,
        fields=model.model_fields["fields"].annotation(**fields),
        contact=model.model_fields["contact"].annotation(**contact),
        unassigned=unassigned,
        needs_review=any(f.flags for f in all_fields),
    )


class _FieldBuilder:
    def __init__(self, draft: PracticeDraft, layout: Layout, catalogue: Catalogue):
        self.draft = draft
        self.layout = layout
        self.catalogue = catalogue
        first = catalogue.field_keys[0]  # text before the first label is near the form's first field
        self.near = {u.near if u.near is not None else first for u in draft.unassigned}

    def field(self, key: str) -> FieldValue:
        spec = self.catalogue.specs[key]
        draft = self.draft.fields.get(key)
        if draft is None:
            flags = ["label_missing"] if spec.expected else []
            return _finish(FieldValue(value=None, confidence=1.0, flags=flags))
        paragraphs = ([(draft.inline, False)] if draft.inline else []) + _joined_parts(draft.parts)
        raw = strip_control_chars("\n".join(text for text, _ in paragraphs)) or None
        value = lines_to_value(paragraphs)
        result = FieldValue(
            value=value,
            raw=raw,
            confidence=draft.label.score / 100,
            label=strip_control_chars(draft.label.found),
            label_score=draft.label.score,
            provenance=self.field_locations(draft),
        )
        if draft.label.score < STRONG_SCORE:
            _add_flag(result, "weak_label")
        if value is not None and is_placeholder(value):
            result.value = None
            if spec.expected:
                _add_flag(result, "placeholder")
        elif value is None and spec.expected:
            _add_flag(result, "empty")
        if draft.duplicate:
            _add_flag(result, "duplicate_label")
        if any(_reads_like_other_label(p, key) for p in draft.parts):
            _add_flag(result, "contains_label_text")
        if key in self.near:
            _add_flag(result, "unassigned_nearby")
        if value is not None and "\ufffd" in value:
            _add_flag(result, "unreadable_characters")
        if result.value is not None:
            _check_value(spec.check, result)
        return _finish(result)

    def field_locations(self, draft: FieldDraft) -> list[Location]:
        locations = self.locations(draft.label_blocks, "label")
        if draft.inline:  # "Label : answer": the answer shares the label's block
            locations += self.locations(draft.label_blocks[-1:], "value")
        for part in draft.parts:
            locations += self.locations(part.blocks, "value")
        return locations

    def locations(self, blocks: tuple[int, ...], part: str) -> list[Location]:
        found = []
        for index in blocks:
            block = self.layout.blocks[index]
            found.append(
                Location(
                    part=part,
                    block=index,
                    page=block.page,
                    bbox=block.bbox,
                    table=block.table,
                    row=block.row,
                    column=block.column,
                )
            )
        return found

    def all_blocks(self) -> set[int]:
        blocks = set(self.draft.contact_blocks)
        for draft in self.draft.fields.values():
            blocks.update(draft.label_blocks)
            for part in draft.parts:
                blocks.update(part.blocks)
        for entry in self.draft.unassigned:
            blocks.update(entry.blocks)
        return blocks


def _joined_parts(parts) -> list[tuple[str, bool]]:
    """(text, is_item) per paragraph; a paragraph cut by a page break is joined back to its start."""
    joined: list[tuple[str, bool]] = []
    for part in parts:
        if part.continues and joined:
            text, item = joined[-1]
            hyphenated = text.endswith("-") and len(text) > 1 and text[-2].isalnum()
            # a web address cut after '/' at a page's foot goes on without a space, as within a page
            glue = "" if hyphenated or _URL_CUT.search(text.rstrip()) else " "
            joined[-1] = (text.rstrip() + glue + part.text.lstrip(), item)
        else:
            joined.append((part.text, part.list_item))
    return joined


def _reads_like_other_label(piece, key: str) -> bool:
    """A paragraph of the answer that looks like another field's label (rejected or never a candidate)."""
    look_alike = piece.label or piece.resembles
    return look_alike is not None and look_alike.key != key


_URL_CUT = re.compile(r"(?:https?://|www\.)\S*[/_=&?%#-]$")  # as parsers/pdf_geometry joins lines

_VALUE_CHECKS = {  # the spec's `check` of a field → its normaliser and the flag when it fails
    "email": (normalise_email, "invalid_email"),
    "url": (normalise_url, "invalid_url"),
    "phone": (normalise_phone, "invalid_phone"),
}


def _check_value(name: str | None, result: FieldValue) -> None:
    check = _VALUE_CHECKS.get(name) if name else None
    if check is None or result.value is None:
        return
    normaliser, flag = check
    clean = normaliser(result.value)
    if clean is None:
        _add_flag(result, flag)  # kept as typed for the reviewer to see
    else:
        result.value = clean


def _add_flag(result: FieldValue, flag: str) -> None:
    if flag not in result.flags:
        result.flags.append(flag)
    result.confidence = round(min(result.confidence, FLAG_CAPS[flag]), 3)


def _finish(result: FieldValue) -> FieldValue:
    for flag in result.flags:
        result.confidence = min(result.confidence, FLAG_CAPS[flag])
    result.confidence = round(result.confidence, 3)
    return result


def _language(draft: PracticeDraft, catalogue: Catalogue) -> str:
    """The language most labels are worded in; a tie goes to the form's first language."""
    votes = Counter(
        d.label.lang for d in draft.fields.values() if fold_label(d.label.variant) not in catalogue.bilingual
    )
    return max(catalogue.languages, key=lambda lang: (votes[lang], -catalogue.languages.index(lang)))
