"""Practice draft → Record: clean values, flags and confidence for every field of the form.

A field is flagged whenever the machine is not sure of it; an unflagged field must be trustworthy.
Confidence starts at the label's score and each flag caps it (extract/vocabulary.py); notes
(empty, placeholder, absent) are facts about the reply and cap nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from extract.assemble import FieldDraft, PracticeDraft
from extract.catalogue import STRONG_SCORE, Catalogue
from extract.completeness import merged_questions, missing_verdict, reads_like_other_label
from extract.record import FieldGroup, FieldValue, Location, RecordBase, Source, UnassignedText, record_model
from extract.record_id import record_id
from extract.vocabulary import Flag, Note, flag_cap
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
    refers_elsewhere,
    strip_control_chars,
    ticked_options,
)
from parsers.layout import Layout


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
        own = " / ".join(clean_line(p.text) for p in draft.submitter)
        record = _record(draft, index, layout, catalogue, source, own or previous_submitter)
        if not own and _header_may_be_unplaced(draft, drafts[index - 1] if index else None):
            _add_flag(record.all_fields()[0][1], Flag.submitter_uncertain)
            record.needs_review = True
        previous_submitter = record.submitter
        records.append(record)
    _attach_unplaced(records, layout)
    return records


def _header_may_be_unplaced(draft: PracticeDraft, previous: PracticeDraft | None) -> bool:
    """A practice without a header of its own inherits the one before (or has none): a fact, unless text
    that could be its header went unplaced, above its first field or after the previous practice's last."""
    if any(u.near is None for u in draft.unassigned):
        return True
    if previous is None or not previous.fields:
        return False
    last = next(reversed(previous.fields))
    return any(u.near == last for u in previous.unassigned)


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
        _add_flag(getattr(record.fields, first), Flag.unassigned_nearby)
        _doubt_empty_answers(record)
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
            _add_flag(value, Flag.ocr)
    areas = PriorityAreas()
    if catalogue.priority is not None and catalogue.priority_field is not None:
        priority = fields[catalogue.priority_field]
        areas = priority_areas(priority.value, catalogue.priority)
        if priority.value and areas.inferred:
            _add_flag(priority, Flag.priority_inferred)
        if priority.value and not areas.codes:
            _add_flag(priority, Flag.priority_unmapped)
        priority.value = ticked_options(priority.value)  # the codes were read from the boxes; the value says them
        if priority.value is None and priority.raw and not priority.flags:
            _add_note(priority, Note.empty)  # boxes, none ticked
    unassigned = [
        UnassignedText(text=clean_line(u.text), near_field=u.near, provenance=builder.locations(u.blocks, "value"))
        for u in draft.unassigned
        if clean_line(u.text)
    ]
    pages = sorted({page for page in (layout.blocks[i].page for i in builder.all_blocks()) if page is not None})
    record = model(
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
        fields=_section_model(model, "fields")(**fields),
        contact=_section_model(model, "contact")(**contact),
        unassigned=unassigned,
        needs_review=False,
    )
    if any(not u.preamble for u in draft.unassigned):
        _doubt_empty_answers(record)
    record.needs_review = record.review_needed()
    return record


def _section_model(model: type[RecordBase], section: str) -> type[FieldGroup]:
    """The sub-model the form's record class declares for `fields` or `contact` (built from the spec)."""
    annotation = model.model_fields[section].annotation
    if not (isinstance(annotation, type) and issubclass(annotation, FieldGroup)):
        raise TypeError(f"{model.__name__}.{section} is not a model: {annotation!r}")
    return annotation


def _doubt_empty_answers(record: RecordBase) -> None:
    """With text of the practice unplaced, an empty answer may be that text: no longer a fact but a
    doubt (a contact block read as one paragraph leaves phone and website empty too)."""
    if not record.unassigned:
        return
    for _, value in record.all_fields():
        if value.value is None and Note.empty in value.notes:
            _add_flag(value, Flag.unassigned_nearby)


class _FieldBuilder:
    def __init__(self, draft: PracticeDraft, layout: Layout, catalogue: Catalogue):
        self.draft = draft
        self.layout = layout
        self.catalogue = catalogue
        first = catalogue.field_keys[0]  # text before the first label is near the form's first field
        self.near = {u.near if u.near is not None else first for u in draft.unassigned if not u.preamble}
        self.merged = merged_questions(draft, catalogue)  # a question asked within another's label

    def field(self, key: str) -> FieldValue:
        spec = self.catalogue.specs[key]
        draft = self.draft.fields.get(key)
        if draft is None and key in self.merged:
            return self.merged_away(self.draft.fields[self.merged[key]])
        if draft is None:
            verdict = missing_verdict(key, self.draft, self.catalogue)
            missing = FieldValue(value=None, confidence=1.0)
            if isinstance(verdict, Flag):
                _add_flag(missing, verdict)
            elif verdict is not None:
                _add_note(missing, verdict)
            return missing
        paragraphs = ([(draft.inline, False)] if draft.inline else []) + _joined_parts(draft.parts)
        raw = strip_control_chars("\n".join(text for text, _ in paragraphs)) or None
        value = lines_to_value(paragraphs)
        result = FieldValue(
            value=value,
            raw=raw,
            confidence=round(draft.label.score / 100, 3),
            label=strip_control_chars(draft.label.found),
            label_score=draft.label.score,
            provenance=self.field_locations(draft),
        )
        if draft.label.score < STRONG_SCORE:
            _add_flag(result, Flag.weak_label)
        if value is not None and is_placeholder(value):
            result.value = None
            _add_note(result, Note.placeholder)
        elif value is None:
            _add_note(result, Note.empty)
        elif refers_elsewhere(value):
            # A fact read with certainty, not a doubt: kept as typed (it says where the answer is), and
            # noted so that neither the compendium nor the secretariat takes it for an answer of its own.
            _add_note(result, Note.refers_elsewhere)
        if draft.duplicate:
            _add_flag(result, Flag.duplicate_label)
        if draft.from_line:
            _add_flag(result, Flag.read_from_line)
        if key in self.merged.values():
            _add_flag(result, Flag.merged_question)
        repeats = self.repeats_label(draft)
        if draft.label_rest_in_answer or repeats or any(reads_like_other_label(p, key) for p in draft.parts):
            _add_flag(result, Flag.contains_label_text)
        if key in self.near:
            _add_flag(result, Flag.unassigned_nearby)
        if value is not None and "\ufffd" in value:
            _add_flag(result, Flag.unreadable_characters)
        if result.value is not None:
            _check_value(spec.check, result)
        return result

    def merged_away(self, holder: FieldDraft) -> FieldValue:
        """A question whose label is part of `holder`'s: its answer is there, not missing. The label as
        found and its place say where to look; the reviewer moves the answer (a fact for no one yet)."""
        missing = FieldValue(
            value=None,
            confidence=1.0,
            label=strip_control_chars(holder.label.found),
            provenance=self.locations(holder.label_blocks, "label"),
        )
        _add_flag(missing, Flag.answered_in_merged)
        return missing

    def repeats_label(self, draft: FieldDraft) -> bool:
        """A line of the answer that is this very field's label ('Aim' under 'But'): a label column the
        layout did not show as one (a bilingual form), so the answer may hold labels, or be cut wrong."""
        wordings = self.catalogue.folded_wordings(draft.key)
        for part in draft.parts:
            for line in part.text.split("\n"):
                folded = fold_label(line) if len(line) <= _MAX_LABEL_LINE else ""
                # the whole line is the label (a partial match would find it in answers)
                if folded and process.extractOne(folded, wordings, scorer=fuzz.ratio, score_cutoff=STRONG_SCORE):
                    return True
        return False

    def field_locations(self, draft: FieldDraft) -> list[Location]:
        locations = self.locations(draft.label_blocks, "label")
        if draft.inline:  # "Label : answer": the answer shares the label's block
            locations += self.locations(draft.label_blocks[-1:], "value")
        for part in draft.parts:
            locations += self.locations(part.blocks, "value")
        return locations

    def locations(self, blocks: tuple[int, ...], part: Literal["label", "value"]) -> list[Location]:
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


_MAX_LABEL_LINE = 260  # as extract/segment's MAX_LABEL_CHARS: a longer line is an answer's
_URL_CUT = re.compile(r"(?:https?://|www\.)\S*[/_=&?%#-]$")  # as parsers/pdf_geometry joins lines

_VALUE_CHECKS = {  # the spec's `check` of a field → its normaliser and the flag when it fails
    "email": (normalise_email, Flag.invalid_email),
    "url": (normalise_url, Flag.invalid_url),
    "phone": (normalise_phone, Flag.invalid_phone),
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


def _add_flag(result: FieldValue, flag: Flag) -> None:
    if flag not in result.flags:
        result.flags.append(flag)
    result.confidence = round(min(result.confidence, flag_cap(flag)), 3)


def _add_note(result: FieldValue, note: Note) -> None:
    if note not in result.notes:
        result.notes.append(note)


def _language(draft: PracticeDraft, catalogue: Catalogue) -> str:
    """The language most labels are worded in; a tie goes to the form's first language."""
    votes = Counter(
        d.label.lang for d in draft.fields.values() if fold_label(d.label.variant) not in catalogue.bilingual
    )
    return max(catalogue.languages, key=lambda lang: (votes[lang], -catalogue.languages.index(lang)))
