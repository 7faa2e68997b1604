"""A record as shown = its extraction + every decision in force in the store it is read with.

`apply_decisions` first withdraws whatever decisions the record already carries (each reviewed field keeps
the extraction beside the decision, in `review.original`), then applies the store's: the result is the
same whichever store the record file was last written with, and an undone decision disappears."""

from __future__ import annotations

from typing import Any, TypeVar

from extract.record import Extracted, RecordBase, ReviewInfo, SubmitterReview, UnassignedReview
from extract.vocabulary import Flag, Note, flag_cap
from records.decisions import UNASSIGNED, Decision

_AnyRecord = TypeVar("_AnyRecord", bound=RecordBase)  # the PECS form's record or another form's

STALE_FLAG = Flag.stale_review
NEARBY_FLAG = Flag.unassigned_nearby
SUBMITTER = "submitter"  # the decision key of the record's submitter (the header above the form)
SUBMITTER_FLAG = Flag.submitter_uncertain


def as_extracted(record: _AnyRecord) -> _AnyRecord:
    """The record without any decision applied (records written before `original` was kept: as they are)."""
    record = record.model_copy(deep=True)
    for _, field in record.all_fields():
        if field.review is None or field.review.original is None:
            continue
        original = field.review.original
        field.value, field.flags, field.confidence = original.value, list(original.flags), original.confidence
        field.reviewed, field.review = False, None
    for entry in record.unassigned:
        entry.review = None
    if record.submitter_review is not None:  # the header as extracted, and the flags it answered
        record.submitter = record.submitter_review.original
        for key in record.submitter_review.settled_fields:
            field = record.field(key)
            field.flags = [*field.flags, SUBMITTER_FLAG] if SUBMITTER_FLAG not in field.flags else field.flags
        record.submitter_review = None
    record.needs_review = _needs_review(record)
    return record


def apply_decisions(record: _AnyRecord, decisions: dict[str, Decision], copy: bool = True) -> _AnyRecord:
    """The record as reviewed: decided values, `reviewed`, no flags, confidence 1; a decision taken on
    another version of the source keeps the new extraction, flagged `stale_review` with both values.
    Unplaced text a reviewer assigned or dismissed is marked so, and no longer asks for review.

    `copy=False`: `record` itself may be changed and returned (a record just extracted, which nobody
    else holds: with no decision to withdraw or apply, no copy is made)."""
    if not copy and not decisions and not _carries_review(record):
        _settle_nearby_flags(record)
        record.needs_review = _needs_review(record)
        return record
    record = as_extracted(record)
    for key, decision in decisions.items():
        if key.startswith(UNASSIGNED):
            _apply_to_unplaced(record, key, decision)
        elif key != SUBMITTER:
            _apply_to_field(record, key, decision)
    if SUBMITTER in decisions:  # last: it answers the submitter_uncertain flags left on undecided fields
        _apply_to_submitter(record, decisions[SUBMITTER])
    _settle_nearby_flags(record)
    record.needs_review = _needs_review(record)
    return record


def _carries_review(record: RecordBase) -> bool:
    fields = any(f.review is not None for _, f in record.all_fields()) or record.submitter_review is not None
    return fields or any(u.review for u in record.unassigned)


def _decided(decision: Decision) -> dict[str, Any]:
    """What a record's review block repeats of the decision, on a field or on the submitter alike."""
    return {
        "action": "corrected" if decision.action == "corrected" else "accepted",
        "decided_value": decision.decided_value,
        "extracted_value": decision.extracted_value,
        "decided_at": decision.decided_at,
        "decided_by": decision.decided_by,
    }


def _apply_to_submitter(record: RecordBase, decision: Decision) -> None:
    """The submitter decided: it answers every `submitter_uncertain` flag. Decided on a reply whose header
    has changed since, the new header is kept and the decision marked stale (the flag, if any, stays)."""
    review = SubmitterReview(**_decided(decision), original=record.submitter)
    same_header = decision.extracted_value == record.submitter or decision.decided_value == record.submitter
    if decision.source_sha256 != record.source.sha256 and not same_header:
        review.stale = True
    else:
        record.submitter = decision.decided_value
        for key, field in record.all_fields():
            if SUBMITTER_FLAG in field.flags:
                field.flags = [flag for flag in field.flags if flag != SUBMITTER_FLAG]
                review.settled_fields.append(key)
    record.submitter_review = review


def _apply_to_field(record: RecordBase, key: str, decision: Decision) -> None:
    try:
        field = record.field(key)
    except KeyError:
        return  # a field the schema no longer has: the decision stays in the store, unused
    original = Extracted(value=field.value, flags=list(field.flags), confidence=field.confidence)
    info = ReviewInfo(**_decided(decision), original=original)
    # A new version of the source that gives the very value decided leaves nothing to settle again.
    if decision.source_sha256 == record.source.sha256 or decision.decided_value == field.value:
        field.value, field.flags, field.confidence, field.reviewed = decision.decided_value, [], 1.0, True
    else:
        info.stale = True
        field.reviewed = False
        field.flags = [*field.flags, STALE_FLAG] if STALE_FLAG not in field.flags else field.flags
        field.confidence = min(field.confidence, flag_cap(STALE_FLAG))
    field.review = info


def _apply_to_unplaced(record: RecordBase, key: str, decision: Decision) -> None:
    """Find the text the decision was made on: at its index, else the same text elsewhere (the reply was
    re-read and the list moved); text no longer there leaves the decision unused."""
    entry = unplaced_entry(record, key, decision.extracted_value)
    if entry is None:
        return
    entry.review = UnassignedReview(
        action="assigned" if decision.action == "assigned" else "dismissed",
        field=decision.target,
        decided_at=decision.decided_at,
        decided_by=decision.decided_by,
    )


def unplaced_entry(record: RecordBase, key: str, text: str | None):
    try:
        index = int(key.removeprefix(UNASSIGNED))
    except ValueError:
        return None
    if 0 <= index < len(record.unassigned) and record.unassigned[index].text == text:
        return record.unassigned[index]
    return next((u for u in record.unassigned if u.text == text and u.review is None), None)


def _settle_nearby_flags(record: RecordBase) -> None:
    """`unassigned_nearby` asks to look at unplaced text: once that text is settled, the field has nothing
    left to ask. Text near a field asks that field; an EMPTY answer is asked by any unplaced text of the
    practice (extraction flags it so: the text may be that answer), so it keeps the flag while any waits."""
    first = record.all_fields()[0][0]  # text before the first field is "near" it, as extraction flags it
    unsettled = [u for u in record.unassigned if u.review is None]
    waiting = {u.near_field or first for u in unsettled}
    for key, field in record.all_fields():
        if NEARBY_FLAG not in field.flags or key in waiting:
            continue
        if unsettled and field.value is None and Note.empty in field.notes:
            continue
        field.flags = [flag for flag in field.flags if flag != NEARBY_FLAG]


def _needs_review(record: RecordBase) -> bool:
    return record.review_needed()
