"""The record's vocabulary of doubt and completeness: every flag and note code, what it means, and
(for flags) the most confidence a field carrying it can have. The one place these are defined.

A flag means "a person must look": the machine is not sure of its reading. A note states a fact
about the reply read with certainty (the answer is empty, a placeholder, the block is not there):
it does not ask for review, but tells the secretariat what to ask the sender for.
"""

from __future__ import annotations

from enum import StrEnum


class Flag(StrEnum):
    label_missing = "label_missing"
    weak_label = "weak_label"
    duplicate_label = "duplicate_label"
    contains_label_text = "contains_label_text"
    unassigned_nearby = "unassigned_nearby"
    invalid_email = "invalid_email"
    invalid_url = "invalid_url"
    invalid_phone = "invalid_phone"
    priority_inferred = "priority_inferred"
    priority_unmapped = "priority_unmapped"
    ocr = "ocr"
    unreadable_characters = "unreadable_characters"
    stale_review = "stale_review"
    near_duplicate = "near_duplicate"
    read_from_line = "read_from_line"
    merged_question = "merged_question"
    answered_in_merged = "answered_in_merged"
    submitter_uncertain = "submitter_uncertain"


class Note(StrEnum):
    empty = "empty"
    placeholder = "placeholder"
    absent = "absent"
    refers_elsewhere = "refers_elsewhere"


# (meaning, confidence at most): the README's flag table is tested against this.
FLAGS: dict[Flag, tuple[str, float]] = {
    Flag.label_missing: ("the form's label was not found, and text around it could hide the answer", 0.0),
    Flag.weak_label: ("the label matched the catalogue only loosely (score < 90)", 0.6),
    Flag.duplicate_label: ("the label appears twice in a practice; the answers were joined", 0.6),
    Flag.contains_label_text: (
        "the answer holds a line that reads like another field's label, or is its own label again (in another "
        "language: a label column not seen as one), or its label's cut-off rest",
        0.5,
    ),
    Flag.unassigned_nearby: ("text next to this field could not be placed", 0.6),
    Flag.invalid_email: ("kept as typed, but not a well-formed e-mail address", 0.2),
    Flag.invalid_url: ("kept as typed, but not a well-formed web address", 0.4),
    Flag.invalid_phone: ("kept as typed, but not a well-formed phone number", 0.4),
    Flag.priority_inferred: ("a priority code was inferred from the respondent's own words", 0.7),
    Flag.priority_unmapped: ("no priority code could be read from the answer", 0.6),
    Flag.ocr: ("read by OCR from a page image (every field of such a file)", 0.7),
    Flag.unreadable_characters: ("glyphs the PDF's fonts could not map to letters (`(cid:NN)`)", 0.3),
    Flag.stale_review: ("a reviewer decided this field on an earlier version of the source", 0.5),
    Flag.near_duplicate: (
        "no longer set (records before 2.2 only): a group of differing copies is one review item, `duplicate_group`",
        1.0,
    ),
    Flag.read_from_line: ("no label of its own: read by its place in a line `Contact: name, organisation`", 0.6),
    Flag.merged_question: (
        "the label joins another question's (`Description / Mise en œuvre`): the answer may hold both",
        0.5,
    ),
    Flag.answered_in_merged: ("no label of its own: its question is merged into another field's label (`label`)", 0.0),
    Flag.submitter_uncertain: (
        "the record's `submitter` is taken from the practice before or missing, while unplaced text may be it",
        1.0,
    ),
}

NOTES: dict[Note, str] = {
    Note.empty: "the label is there, the answer is empty",
    Note.placeholder: "the answer is `--`, `néant`, `n/a`…: value set to null",
    Note.absent: "the reply has no such question (or no contact block at all), and none of its text is unplaced",
    Note.refers_elsewhere: "the answer only points to another one (`voir ci-dessus`, `see above`): kept as typed",
}


def flag_cap(flag: Flag | str) -> float:
    """The most confidence a field carrying `flag` can have."""
    return FLAGS[Flag(flag)][1]
