"""What a reviewer is shown about an item, as plain data: the same for the terminal, --json and the desk.

For a field: the label as found, the value, what was typed when it read as a placeholder, the earlier
decision beside the new extraction when a review went stale, and the neighbouring text (the fields
before and after it in the form, and unplaced text that followed it)."""

from __future__ import annotations

from extract.record import FieldValue, RecordBase, form_of
from extract.vocabulary import FLAGS, Flag

PLACEHOLDER = "placeholder"
DUPLICATE = "duplicate"  # what a duplicate group's item shows (and is filtered by) in place of a flag
UNASSIGNED_FLAG = "unassigned"  # what unplaced text shows in place of a flag
# The two kinds of item that are not a field's flag; every flag's own explanation is extract/vocabulary.py's.
KIND_EXPLANATIONS = {
    UNASSIGNED_FLAG: "text of the reply that fits no question: add it to the answer it belongs to, or dismiss it",
    DUPLICATE: "the same practice seems to have been received more than once, and the copies differ",
}


def explain(flag: str) -> str:
    """A flag's meaning in plain words (from the vocabulary, as the README's flag table gives it)."""
    if flag in KIND_EXPLANATIONS:
        return KIND_EXPLANATIONS[flag]
    return FLAGS[Flag(flag)][0] if flag in Flag.__members__ else flag


def explanations(flags: list) -> dict[str, str]:
    return {str(flag): explain(str(flag)) for flag in flags}


def field_label(record: RecordBase, key: str) -> str:
    """The form's own wording of a field, in the record's language ('Durée', 'Duration'), not its key."""
    try:
        return form_of(record).label(key, record.language)
    except (StopIteration, KeyError):  # a key the spec does not word in this language
        return key


def pages_of(field_or_entry) -> list[int]:
    return sorted({loc.page for loc in field_or_entry.provenance if loc.page})


def cells_of(field_or_entry) -> list[dict]:
    """Word replies: the table rows the text came from (0-based), for a reviewer without a picture."""
    rows = sorted({(loc.table, loc.row) for loc in field_or_entry.provenance if loc.table is not None})
    return [{"table": table, "row": row} for table, row in rows if row is not None]


def typed_placeholder(field: FieldValue) -> str | None:
    """What the reply holds where a placeholder ('--', 'néant') was read as no value."""
    marks = set(field.flags) | set(getattr(field, "notes", None) or [])
    return field.raw if PLACEHOLDER in marks and field.value is None else None


def neighbours(record: RecordBase, key: str, after_it: bool = False) -> dict:
    """The fields before and after `key` in the form, and the unplaced text that followed `key`; with
    `after_it` (for unplaced text, which stood between `key` and the next field): `key` and the next field."""
    keys = [name for name, _ in record.all_fields()]
    position = keys.index(key) if key in keys else None

    def at(index: int) -> dict | None:
        if position is None or not 0 <= index < len(keys):
            return None
        field = record.field(keys[index])
        return {
            "field": keys[index],
            "field_label": field_label(record, keys[index]),
            "label": field.label,
            "value": field.value,
        }

    unplaced = [
        {"index": index, "text": entry.text}
        for index, entry in enumerate(record.unassigned)
        if (entry.near_field or keys[0]) == key and entry.review is None
    ]
    if position is None:
        return {"before": None, "after": None, "unplaced": unplaced}
    return {"before": at(position if after_it else position - 1), "after": at(position + 1), "unplaced": unplaced}


def stale(field: FieldValue) -> dict | None:
    """Both sides of a stale review: what was decided earlier, and what extraction gives now."""
    if field.review is None or not field.review.stale:
        return None
    return {
        "earlier": field.review.decided_value,
        "earlier_action": field.review.action,
        "earlier_at": field.review.decided_at,
        "earlier_by": field.review.decided_by,
        "new": field.value,
    }


def record_header(record: RecordBase) -> dict:
    return {
        "record_id": record.record_id,
        "language": record.language,
        "source": record.source.path,
        "format": record.source.format,
        "submitter": record.submitter,
        "title": record.title(),
        "title_field": form_of(record).title_key,
    }


def group_dict(item) -> dict:
    """A duplicate group: its copies (where each came from, which is published now) and, for each field
    whose answers differ, every copy's answer, in the copies' order."""
    record, group = item.record, item.record.duplicate_group
    return {
        **record_header(record),
        "kind": "duplicate",
        "key": item.key,
        "group": item.key,
        "revision": item.revision,
        "flags": [DUPLICATE],
        "explanations": explanations([DUPLICATE]),
        "copies": [
            {
                "record_id": copy.record_id,
                "source": copy.source.path,
                "submitter": copy.submitter,
                "pages": copy.source.pages or [],
                "published": copy.record_id == group.members[0],
            }
            for copy in item.copies
        ],
        "differing": [
            {
                "field": key,
                "label": field_label(record, key),
                "values": [copy.field(key).value for copy in item.copies],
            }
            for key in group.differing_fields
        ],
        "pages": [],
        "cells": [],
        "neighbours": {"before": None, "after": None, "unplaced": []},
    }


def item_dict(item) -> dict:
    record = item.record
    if item.kind == "duplicate":
        return group_dict(item)
    if item.kind == "unassigned":
        entry = record.unassigned[item.index]
        near = entry.near_field
        return {
            **record_header(record),
            "kind": "unassigned",
            "key": item.key,
            "index": item.index,
            "revision": item.revision,
            "text": entry.text,
            "near_field": near,
            "flags": [UNASSIGNED_FLAG],
            "explanations": explanations([UNASSIGNED_FLAG]),
            "near_field_label": field_label(record, near) if near else None,
            "pages": pages_of(entry),
            "cells": cells_of(entry),
            "fields": [name for name, _ in record.all_fields()],
            "field_labels": {name: field_label(record, name) for name, _ in record.all_fields()},
            "neighbours": neighbours(record, near or record.all_fields()[0][0], after_it=near is not None),
        }
    field = item.field
    return {
        **record_header(record),
        "kind": "field",
        "key": item.key,
        "field": item.key,
        "field_label": field_label(record, item.key),
        "revision": item.revision,
        "value": field.value,
        "flags": field.flags,
        "explanations": explanations(field.flags),
        "confidence": field.confidence,
        "label": field.label,
        "typed": typed_placeholder(field),
        "stale": stale(field),
        "review": field.review.model_dump(mode="json", exclude={"original"}) if field.review else None,
        "pages": pages_of(field),
        "cells": cells_of(field),
        "neighbours": neighbours(record, item.key),
    }
