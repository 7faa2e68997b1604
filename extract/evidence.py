"""Is this draft a reply to the questionnaire, or an ordinary document that happens to use its words?

A research paper has "Background", "Description", "Implementation" and "Example" headings; an ISO
standard has "Name" and "<context>"; a notice has "Action". Three weak labels anywhere are not a
questionnaire. A practice needs real evidence: at least the spec's `min_fields` of the form's
questions, a label that starts a practice among them (the spec's `starts_practice`: for PECS the
priority areas or the practice name; every reply has one, it is what a practice is), MIN_STRONG of
them matched strongly, standing as labels (a table's label column, or a short line of their own,
not a sentence), mostly in the form's order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from extract.catalogue import Catalogue

if TYPE_CHECKING:  # assemble calls judge: the draft type only, for annotations
    from extract.assemble import PracticeDraft

MIN_STRONG = 3
MAX_LABEL_WORDS = 16  # longer free text is a sentence that mentions a label, not a label
IN_ORDER_SHARE = 0.6


@dataclass(frozen=True)
class Verdict:
    is_practice: bool
    labels: tuple[str, ...]  # the form's labels found, as written, in document order
    reason: str | None = None  # why it is not a practice


def judge(draft: PracticeDraft, catalogue: Catalogue) -> Verdict:
    main = [d for d in draft.fields.values() if d.key in catalogue.field_keys]
    label_like = [d for d in main if d.structural or _short_line(d.label.found)]
    found = tuple(d.label.found.strip() for d in main)
    least = max(catalogue.form.min_fields, 1)
    if len(label_like) < least:
        return Verdict(False, found, f"fewer than {least} of the form's labels")
    anchors = {key for key, spec in catalogue.specs.items() if spec.starts_practice}
    if not any(d.key in anchors for d in label_like):
        return Verdict(False, found, "no practice-name or priority-areas label among them")
    if sum(d.label.strong for d in label_like) < min(MIN_STRONG, least):
        return Verdict(False, found, f"fewer than {min(MIN_STRONG, least)} of them match the form's wording closely")
    orders = [catalogue.specs[d.key].order for d in label_like]
    if _longest_increasing(orders) < max(least, IN_ORDER_SHARE * len(orders)):
        return Verdict(False, found, "they are not in the form's order")
    return Verdict(True, found)


def skip_reason(verdicts: list[Verdict]) -> str:
    """Why a file gave no practice, saying so when it looks partly like the form."""
    best = max(verdicts, key=lambda v: len(v.labels), default=None)
    if best is None or not best.labels:
        return "no questionnaire found: none of the form's labels (a cover letter or another document?)"
    shown = ", ".join(f"'{label[:40]}'" for label in best.labels[:6])
    more = f" and {len(best.labels) - 6} more" if len(best.labels) > 6 else ""
    if best.reason and best.reason.startswith("fewer than") and "labels" in best.reason:
        return f"no questionnaire found: only {shown} of the form's labels (a cover letter or another document?)"
    return f"not a questionnaire, though it looks partly like the form: {shown}{more} found, but {best.reason}"


def _short_line(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= MAX_LABEL_WORDS and not text.rstrip().endswith((".", ";", "!"))


def _longest_increasing(values: list[int]) -> int:
    tails: list[int] = []
    for value in values:
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if tails[middle] < value:
                low = middle + 1
            else:
                high = middle
        tails[low : low + 1] = [value]
    return len(tails)
