"""A field whose label was not found: is it a fact (the reply has no such question) or a doubt?

The difference matters to two people. The reviewer must look at a doubt; the secretariat writes
back to the sender about a fact. A label is missing as a fact (note `absent`) only when nothing
could have swallowed its answer: no text of the practice is unplaced, and the field before it came
from a table's label column (so an unrecognised label would have been an orphan row, unplaced)
with no label-like or contact-like line in its answer. Otherwise the missing label is a doubt
(flag `label_missing`), for the optional contact fields too when text is unplaced or a label came
twice: a contact block read as one paragraph, or a retyped label taken for another, leaves phone
and website empty, and that hole must not be silent.
"""

from __future__ import annotations

import re

from extract.assemble import PracticeDraft
from extract.catalogue import STRONG_SCORE, Catalogue
from extract.segment import Piece
from extract.vocabulary import Flag, Note

_CONTACT_LIKE = re.compile(r"@|https?://|www\.|\+?\d[\d ().-]{7,}\d")
# Where a respondent joins two questions in one label: "Description concise / Mise en œuvre".
_LABEL_JOIN = re.compile(r"\s+/\s+|\s*\n\s*")


def missing_verdict(key: str, draft: PracticeDraft, catalogue: Catalogue) -> Flag | Note | None:
    """What a field whose label is not in the practice gets: a flag, a note, or nothing (optional)."""
    spec = catalogue.specs[key]
    unplaced = any(not u.preamble for u in draft.unassigned)  # a cover letter above the header hides no answer
    if unplaced or any(d.duplicate for d in draft.fields.values()):  # a label stood for another
        return Flag.label_missing if (spec.expected or spec.contact) else None
    if not spec.expected:
        return None
    return Note.absent if _nothing_could_hide(key, draft, catalogue) else Flag.label_missing


def _nothing_could_hide(key: str, draft: PracticeDraft, catalogue: Catalogue) -> bool:
    order = catalogue.specs[key].order
    before = [d for d in draft.fields.values() if catalogue.specs[d.key].order < order]
    if not before:
        return True  # text above the first label is the submitter or unplaced, never an answer
    previous = max(before, key=lambda d: catalogue.specs[d.key].order)
    if not previous.structural or any(reads_like_other_label(p, previous.key) for p in previous.parts):
        return False
    swallowed_contact = catalogue.specs[key].contact and not catalogue.specs[previous.key].contact
    return not (swallowed_contact and any(_CONTACT_LIKE.search(p.text) for p in previous.parts))


def reads_like_other_label(piece: Piece, key: str) -> bool:
    """A paragraph of the answer that looks like another field's label (rejected or never a candidate),
    has a label's shape ('7) Timescale:') with words the catalogue does not know, or stood alone in a
    form table's label column (the tail of a label cut by a page break that no label completes)."""
    look_alike = piece.label or piece.resembles
    return piece.label_shaped or piece.from_label_column or (look_alike is not None and look_alike.key != key)


def merged_questions(draft: PracticeDraft, catalogue: Catalogue) -> dict[str, str]:
    """{key: the key of the field whose label also asks it} for questions the respondent merged into
    another's label ("Description concise / Mise en œuvre": implementation → description). A question
    counts only when part of the label, cut at ' / ' or a line break, is that question's label on its
    own (strongly, whole-ratio), and the practice has no label of its own for it."""
    merged: dict[str, str] = {}
    for holder in draft.fields.values():
        parts = [p for p in _LABEL_JOIN.split(holder.label.found.strip()) if p.strip()]
        for start in range(len(parts)):
            for end in range(start + 1, len(parts) + 1):
                if end - start == len(parts):
                    continue  # the whole label is the holder's own
                found = catalogue.match(" / ".join(parts[start:end]), STRONG_SCORE)
                if found is None or found.key == holder.key or found.key in draft.fields:
                    continue
                spec = catalogue.specs[found.key]
                if not spec.section and spec.contact == catalogue.specs[holder.key].contact:
                    merged.setdefault(found.key, holder.key)
    return merged
