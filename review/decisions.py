"""The one implementation of every review decision: accept, correct, assign or dismiss unplaced text,
undo. The terminal walk, the scripted commands and the desk all call these, on the record as shown."""

from __future__ import annotations

from extract.record import RecordBase
from records import SUBMITTER
from review.store import UNASSIGNED, Decision, RecordDecisions, ReviewStore, StoreError, now_iso

ACTIONS = ("accept", "correct", "assign", "dismiss", "undo")


class DecisionError(StoreError):
    """An unknown field, an index out of range, nothing to undo: the caller's mistake, said plainly."""


def field_keys(record: RecordBase) -> list[str]:
    return [key for key, _ in record.all_fields()]


def check_field(record: RecordBase, key: object) -> str:
    """A field of the record, or its `submitter` (the country / organisation header: decided like a field)."""
    if not isinstance(key, str) or key not in [*field_keys(record), SUBMITTER]:
        known = ", ".join([*field_keys(record), SUBMITTER])
        raise DecisionError(f"unknown field {str(key)[:60]!r}; fields are: {known}")
    return key


def shown_value(record: RecordBase, key: str) -> str | None:
    return record.submitter if key == SUBMITTER else record.field(key).value


def check_index(record: RecordBase, index: object) -> int:
    if isinstance(index, str) and index.isdigit():
        index = int(index)
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(record.unassigned):
        count = len(record.unassigned)
        raise DecisionError(f"no unplaced text number {str(index)[:20]!r} in {record.record_id} ({count} there)")
    return index


def extracted_value(record: RecordBase, key: str) -> str | None:
    if key == SUBMITTER:
        review = record.submitter_review
        return record.submitter if review is None else review.original
    field = record.field(key)
    if field.review is not None and field.review.original is not None:
        return field.review.original.value
    if field.review is not None and not field.review.stale:  # a record written before `original` was kept
        return field.review.extracted_value
    return field.value


def _field_decision(store: ReviewStore, record: RecordBase, key: str, value: str | None, via: str | None = None):
    extracted = extracted_value(record, key)
    return Decision(
        record_id=record.record_id,
        field=key,
        extracted_value=extracted,
        decided_value=value,
        action="accepted" if value == extracted else "corrected",
        decided_at=now_iso(),
        decided_by=store.reviewer,
        source_sha256=record.source.sha256,
        via=via,
    )


def correct(
    store: ReviewStore, record: RecordBase, key: str, value: str | None, expected: int | None = None
) -> Decision:
    """Decide a field's value; the value extraction gave makes it an acceptance."""
    check_field(record, key)
    value = value.strip() if isinstance(value, str) else None
    decision = _field_decision(store, record, key, value or None)
    store.change(record.record_id, [decision], _expected(key, expected))
    return decision


def accept(store: ReviewStore, record: RecordBase, key: str, expected: int | None = None) -> Decision:
    """Keep the value as shown (for a stale field: the new extraction)."""
    check_field(record, key)
    return correct(store, record, key, shown_value(record, key), expected)


def assign(store: ReviewStore, record: RecordBase, index: object, target: str, expected: int | None = None) -> Decision:
    """Add unplaced text number `index` to the end of field `target` (one decision on each, made together)."""
    index, target = check_index(record, index), check_field(record, target)
    key, text = f"{UNASSIGNED}{index}", record.unassigned[index].text
    current = shown_value(record, target)
    # Unplaced text given as the submitter is the header itself (what `submitter_uncertain` asks about).
    value = f"{current}\n{text}" if current and target != SUBMITTER else text
    placed = _field_decision(store, record, target, value, via=key)
    decision = _unplaced_decision(store, record, key, text, "assigned", target)
    store.change(record.record_id, [decision, placed], _expected(key, expected))
    return decision


def dismiss(store: ReviewStore, record: RecordBase, index: object, expected: int | None = None) -> Decision:
    """The unplaced text belongs to no field (a stray heading, a signature): it stays listed, settled."""
    index = check_index(record, index)
    key = f"{UNASSIGNED}{index}"
    decision = _unplaced_decision(store, record, key, record.unassigned[index].text, "dismissed", None)
    store.change(record.record_id, [decision], _expected(key, expected))
    return decision


def undo(store: ReviewStore, record: RecordBase, key: str, expected: int | None = None) -> RecordDecisions:
    """Withdraw the decision in force on `key` ('context', 'unassigned.2'); an assignment is withdrawn
    with the field decision it made, whichever of the two is named."""
    if not key.startswith(UNASSIGNED):
        check_field(record, key)
    in_force = store.decisions(record.record_id)
    if key not in in_force:
        raise DecisionError(f"nothing to undo on {key} of {record.record_id}")
    keys = [key]
    via = in_force[key].via
    if via and via in in_force:
        keys.append(via)
    target = in_force[key].target
    if target and target in in_force and in_force[target].via == key:
        keys.append(target)
    withdrawn = [
        Decision(
            record_id=record.record_id,
            field=name,
            extracted_value=in_force[name].extracted_value,
            decided_value=None,
            action="undone",
            decided_at=now_iso(),
            decided_by=store.reviewer,
            source_sha256=record.source.sha256,
        )
        for name in keys
    ]
    return store.change(record.record_id, withdrawn, _expected(key, expected))


def _unplaced_decision(store, record, key, text, action, target) -> Decision:
    return Decision(
        record_id=record.record_id,
        field=key,
        extracted_value=text,
        decided_value=None,
        action=action,
        decided_at=now_iso(),
        decided_by=store.reviewer,
        source_sha256=record.source.sha256,
        target=target,
    )


def _expected(key: str, revision: int | None) -> dict[str, int] | None:
    return None if revision is None else {key: revision}


def revision_of(decisions: dict[str, Decision], key: str) -> int:
    """What a caller sends back as `expected` to say 'I decided on what I saw'."""
    return decisions[key].revision if key in decisions else 0


__all__ = ["ACTIONS", "accept", "assign", "correct", "dismiss", "undo"]
