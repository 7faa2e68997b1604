"""Priority areas: the respondent's answer to « Domaine (s) prioritaires » → the form's codes I, II, III.

The form's footnote defines: I youth and children; II migrants and refugees; III the impact of the
economic crisis on health and social protection, poverty, exclusion, radicalisation. Respondents
copy the wording, tick boxes, write the code, or add areas of their own (kept as free text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from normalise.text import bullet_text, clean_line, fold

CODES = ("I", "II", "III")

_CANONICAL = {
    "I": ["la jeunesse et les enfants", "youth and children", "children and young people"],
    "II": [
        "la protection et l integration des migrants et des refugies",
        "the protection and integration of migrants and refugees",
        "migrants and refugees",
        "migrants et refugies",
    ],
    "III": [
        "l impact de la crise economique sur la sante et la protection sociale en particulier la lutte contre la "
        "pauvrete et l exclusion sociale et le fait que celles ci peuvent favoriser la radicalisation violente",
        "the impact of the economic crisis on health and social protection in particular the fight against "
        "poverty and social exclusion and the fact that these may foster violent radicalisation",
        "impact de la crise economique",
        "impact of the economic crisis",
    ],
}
# Words that point to one area when the wording is the respondent's own (the code is then inferred).
_KEYWORDS = {
    "I": re.compile(r"\b(jeunes?|jeunesse|enfants?|enfance|youth|child|children|adolescen\w*|young people)\b"),
    "II": re.compile(r"\b(migra\w*|refugi\w*|refugees?|asyl\w*)\b"),
    "III": re.compile(
        r"\b(crise economique|economic crisis|pauvrete|poverty|exclusion sociale|social exclusion|"
        r"radicali[sz]\w*|protection sociale|social protection)\b"
    ),
}
_CODE_PREFIX = re.compile(
    r"^\(?(?:priorit[eé]|domaine|area|priority)?\s*\(?(I{1,3}|[123])\s*(?:[.):\-–]\s*|$)", re.IGNORECASE
)
_CHECKED, _UNCHECKED = "☒☑✓✔", "☐□"
_ARABIC = {"1": "I", "2": "II", "3": "III"}


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


def _close_match(folded: str) -> str | None:
    for code, wordings in _CANONICAL.items():
        for wording in wordings:
            if folded == wording or SequenceMatcher(None, folded, wording).ratio() >= 0.85:
                return code
    return None


def priority_areas(value: str | None) -> PriorityAreas:
    result = PriorityAreas()
    if not value:
        return result
    items = _items(value)
    if any(item[0] in _CHECKED + _UNCHECKED for item in items):
        items = [item[1:].strip() for item in items if item[0] in _CHECKED]  # ticked boxes only
    found: list[str] = []
    for item in items:
        prefix = _CODE_PREFIX.match(item)
        folded = fold(item)
        code = None
        if prefix:
            raw_code = prefix.group(1).upper()
            code = _ARABIC.get(raw_code, raw_code)
        code = code or _close_match(folded)
        if code:
            found.append(code)
            continue
        keyword_codes = [c for c, pattern in _KEYWORDS.items() if pattern.search(folded)]
        if keyword_codes:
            found.extend(keyword_codes)
            result.inferred = True
        # Own wording is kept as typed, even when a code was inferred from it, so the reviewer sees why.
        result.other.append(item.strip(" ;,"))
    result.codes = [code for code in CODES if code in found]
    return result
