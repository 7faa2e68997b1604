"""Priority areas: the respondent's answer to the form's priority question → the form's codes (I, II, III).

The codes, their wording and the keywords come from the form's spec (forms/), passed in as a
`PriorityScheme`: this module holds the reading rules only. Respondents copy the wording, tick boxes,
write the code (or its number), or add areas of their own (kept as free text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from normalise.text import bullet_text, clean_line, fold

_CHECKED, _UNCHECKED = "☒☑✓✔", "☐□"


@dataclass(frozen=True)
class PriorityScheme:
    """How one form's priority areas are read: built once from the spec by `priority_scheme`."""

    codes: tuple[str, ...]
    wordings: tuple[tuple[str, tuple[str, ...]], ...]  # (code, folded wordings)
    keywords: tuple[tuple[str, re.Pattern[str]], ...]  # (code, pattern on folded text)
    prefix: re.Pattern[str]  # "Priorité II", "(2)", "III." at the start of an item
    aliases: dict[str, str]  # upper-cased code or its number → code


def priority_scheme(
    areas: list[tuple[str, list[str], list[str]]], prefix_words: list[str] | tuple[str, ...] = ()
) -> PriorityScheme:
    """`areas`: (code, wordings as on the form, keyword regular expressions) in the form's order."""
    codes = tuple(code for code, _, _ in areas)
    aliases = {code.upper(): code for code in codes}
    aliases.update({str(number): code for number, code in enumerate(codes, start=1)})
    spelled = "|".join(re.escape(alias) for alias in sorted(aliases, key=len, reverse=True))
    words = f"(?:{'|'.join(prefix_words)})?" if prefix_words else ""
    prefix = re.compile(rf"^\(?{words}\s*\(?({spelled})\s*(?:[.):\-–]\s*|$)", re.IGNORECASE)
    return PriorityScheme(
        codes=codes,
        wordings=tuple((code, _with_clause_prefixes(wordings)) for code, wordings, _ in areas),
        keywords=tuple((code, re.compile(rf"\b({'|'.join(keywords)})\b")) for code, _, keywords in areas if keywords),
        prefix=prefix,
        aliases=aliases,
    )


# Where a respondent stops copying a long wording: at the end of a clause ("…la protection sociale, en
# particulier…"). A prefix of fewer words than this is too short to stand for the area on its own.
_CLAUSE_END = re.compile(r"\s*[,;:(–—]\s*")
_MIN_CLAUSE_WORDS = 6


def _with_clause_prefixes(wordings: list[str]) -> tuple[str, ...]:
    """The folded wordings, each also cut at every clause boundary: the form's wording copied up to a comma
    is still the form's wording (compared as closely as the whole), never the respondent's own words."""
    folded: list[str] = []
    for wording in wordings:
        cuts = [m.start() for m in _CLAUSE_END.finditer(wording)]
        for text in [wording[:cut] for cut in cuts] + [wording]:
            text = fold(text)
            if text and text not in folded and (text == fold(wording) or len(text.split()) >= _MIN_CLAUSE_WORDS):
                folded.append(text)
    return tuple(folded)


@dataclass
class PriorityAreas:
    codes: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    inferred: bool = False  # a code came from keywords in the respondent's own words, not the form's wording


def _items(value: str) -> list[str]:
    items: list[str] = []
    for line in value.split("\n"):
        line = clean_line(line)
        text = bullet_text(line) or line
        parts = [clean_line(part) for part in text.split(";")]
        items.extend(part for part in parts if part.strip(" .,"))
    return items


def _close_match(folded: str, scheme: PriorityScheme) -> str | None:
    for code, wordings in scheme.wordings:
        for wording in wordings:
            if folded == wording or _ratio_reaches(SequenceMatcher(None, folded, wording), 0.85):
                return code
    return None


def _ratio_reaches(matcher: SequenceMatcher, cutoff: float) -> bool:
    """ratio() >= cutoff, its cheap upper bounds tried first (as difflib.get_close_matches does)."""
    return matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff and matcher.ratio() >= cutoff


def priority_areas(value: str | None, scheme: PriorityScheme) -> PriorityAreas:
    result = PriorityAreas()
    if not value:
        return result
    items = _items(value)
    if any(item[0] in _CHECKED + _UNCHECKED for item in items):
        items = [item[1:].strip() for item in items if item[0] in _CHECKED]  # ticked boxes only
    found: list[str] = []
    for item in items:
        prefix = scheme.prefix.match(item)
        folded = fold(item)
        code = scheme.aliases.get(prefix.group(1).upper()) if prefix else None
        code = code or _close_match(folded, scheme)
        if code:
            found.append(code)
            continue
        keyword_codes = [c for c, pattern in scheme.keywords if pattern.search(folded)]
        if keyword_codes:
            found.extend(keyword_codes)
            result.inferred = True
        # Own wording is kept as typed, even when a code was inferred from it, so the reviewer sees why.
        result.other.append(item.strip(" ;,"))
    result.codes = [code for code in scheme.codes if code in found]
    return result
