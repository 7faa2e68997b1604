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


# (meaning, confidence at most): the README's flag table is tested against this, and the review desk and the
# terminal walk show the meaning to the reviewer beside each flag: plain words, for the secretariat.
FLAGS: dict[Flag, tuple[str, float]] = {
    Flag.label_missing: ("the question's label was not found, and text around it could hide the answer", 0.0),
    Flag.weak_label: (
        "the question's label was found only loosely (reworded or damaged, score < 90): check the answer is this "
        "question's",
        0.6,
    ),
    Flag.duplicate_label: ("the question appears twice in the practice; the two answers were joined", 0.6),
    Flag.contains_label_text: (
        "the answer holds a line that reads like another question's label, or is its own label again (in another "
        "language: a label column not seen as one), or its label's cut-off rest",
        0.5,
    ),
    Flag.unassigned_nearby: ("text next to this field could not be placed: it may belong to this answer", 0.6),
    Flag.invalid_email: ("kept as typed, but not a well-formed e-mail address", 0.2),
    Flag.invalid_url: ("kept as typed, but not a well-formed web address", 0.4),
    Flag.invalid_phone: ("kept as typed, but not a well-formed phone number", 0.4),
    Flag.priority_inferred: (
        "a priority area was inferred from the respondent's own words, not ticked or numbered",
        0.7,
    ),
    Flag.priority_unmapped: ("no priority area (its code) could be read from the answer", 0.6),
    Flag.ocr: ("read by OCR from a page image (every field of such a file): letters may be misread", 0.7),
    Flag.unreadable_characters: ("letters the PDF's fonts could not map to text (`(cid:NN)`)", 0.3),
    Flag.stale_review: (
        "a reviewer decided this field on an earlier version of the reply: keep that decision or the new reading",
        0.5,
    ),
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
        "the practice's country or organisation (`submitter`) is taken from the practice before, or missing, while "
        "unplaced text may name it",
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
