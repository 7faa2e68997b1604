"""The label catalogue (from the form's spec, forms/) and the matcher that recognises a form label in a piece of text.

Scores are 0-100 on folded text (accents, case, quotes, punctuation and glued footnote numbers
removed). Below the caller's cutoff there is no label, never a best guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from forms import FormSpec, load_form
from normalise import PriorityScheme, fold, fold_label, priority_scheme

STRONG_SCORE = 90.0  # at or above: the label is trusted; below (but above a cutoff): flagged weak_label


@dataclass(frozen=True)
class LabelSpec:
    key: str
    order: int
    expected: bool = False
    section: bool = False  # the contact block's heading: no answer of its own
    contact: bool = False
    starts_practice: str | None = None  # 'always', or 'when_repeated' (see forms/spec.py)
    check: str | None = None  # 'email', 'url', 'phone': the value's well-formedness check


@dataclass(frozen=True)
class Variant:
    key: str
    lang: str
    text: str
    folded: str


@dataclass(frozen=True)
class LabelMatch:
    key: str
    lang: str
    score: float
    found: str  # the label as it stands in the document
    variant: str  # the catalogue wording it matched

    @property
    def strong(self) -> bool:
        return self.score >= STRONG_SCORE


def _score(candidate: str, variant: str, allow_longer: bool) -> float:
    """Similarity of a folded candidate to a folded variant.

    Whole-string ratio, or for long enough strings a partial alignment scaled by the length ratio:
    it finds shortened questions ('conditions de reussite') and, where `allow_longer`, a label with
    extra words in its cell ('duree de la pratique en mois'). Short labels need the whole ratio, so
    'But' never matches inside 'But the project...'.
    """
    full = fuzz.ratio(candidate, variant)
    short, long_ = sorted((len(candidate), len(variant)))
    if short < 15 or short / long_ < 0.45 or (len(candidate) > len(variant) and not allow_longer):
        return full
    partial = fuzz.partial_ratio(candidate, variant) * (0.85 + 0.15 * short / long_)
    return max(full, partial)


MIN_OPENING_WORDS = 4  # a label's opening words met at the start of an answer: fewer would be ordinary words

# A line of a table of contents, ours or a compilation's: dot leaders, then a page number.
_CONTENTS_LINE = re.compile(r"\.{6,} ?\d{1,4}$")


class Catalogue:
    """The labels of one form (its spec, forms/), indexed for matching, and what else the spec says
    about reading replies: non-reply text, the priority scheme, the languages."""

    def __init__(self, form: FormSpec):
        self.form = form
        self.languages = form.languages
        self.specs: dict[str, LabelSpec] = {}
        self.variants: list[Variant] = []
        for order, entry in enumerate(form.fields):
            key = entry.label_key
            self.specs[key] = LabelSpec(
                key=key,
                order=order,
                expected=entry.expected,
                section=entry.heading,
                contact=entry.section == "contact" and not entry.heading,
                starts_practice=entry.starts_practice,
                check=entry.check,
            )
            for lang in form.languages:
                for text in entry.labels[lang]:
                    self.variants.append(Variant(key, lang, text, fold_label(text)))
        self.form_text = {fold(text) for lines in form.blank_form.values() for text in lines}
        self.form_exact, self.form_prefixes = _compendium_lines(form)
        # "(suite)" in a compendium's label cell: the answer of the row above goes on (publish/table.py)
        self.continued = {texts["continued"] for texts in form.compendium.values() if "continued" in texts}
        words = "|".join(re.escape(texts["practice"]) for texts in form.compendium.values())
        self.form_numbered = re.compile(rf"(?:{words}) \d{{1,4}} – ") if words else None
        by_lang: dict[str, set[str]] = {lang: set() for lang in form.languages}
        for variant in self.variants:
            by_lang[variant.lang].add(variant.folded)
        # "Impact", "Email": a wording found in several languages says nothing of the reply's language
        self.bilingual = {text for lang in form.languages for text in by_lang[lang] if _in_several(text, by_lang)}
        self._scores: dict[tuple, tuple[float, Variant] | None] = {}
        self._matches: dict[tuple, LabelMatch | None] = {}
        self._wordings: dict[str, list[str]] = {}
        self._openings: dict[tuple[str, ...], Variant] = {}
        for variant in self.variants:
            label_words = tuple(variant.folded.split())
            need = max(MIN_OPENING_WORDS, -(-len(label_words) // 2))
            if len(label_words) >= need:
                self._openings.setdefault(label_words[:need], variant)
        self._opening_sizes = sorted({len(opening) for opening in self._openings})
        self.field_keys = [k for k, s in self.specs.items() if not s.section and not s.contact]
        self.contact_keys = [k for k, s in self.specs.items() if s.contact]
        self.contact_labels_after = set(form.contact_labels_after)
        self.priority_field = form.priority.field if form.priority else None
        self.priority = _priority_scheme(form)

    def opening_label(self, text: str) -> LabelMatch | None:
        """A label whose first words (at least four, and half its words) are the first words of `text`: a
        label run into its answer on one line, as a tight gutter prints it ('Nom de la "bonne pratique" /
        de Plan pluriannuel…'). Exact words only: an answer rarely opens with half a question."""
        words = tuple(fold_label(text).split())
        for size in self._opening_sizes:
            variant = self._openings.get(words[:size])
            if variant is not None:
                return LabelMatch(
                    variant.key, variant.lang, 100.0 * size / len(variant.folded.split()), text, variant.text
                )
        return None

    def match(
        self, text: str, cutoff: float, allow_longer: bool = False, keys: set[str] | None = None
    ) -> LabelMatch | None:
        """The best label for `text` scoring at least `cutoff`, or None. Ties go to the longer wording."""
        asked = (text, cutoff, allow_longer, frozenset(keys) if keys is not None else None)
        if asked in self._matches:  # a reply's lines are asked about several times, labels in every reply
            return self._matches[asked]
        if len(self._matches) > 65536:
            self._matches.clear()
        found = self._matches[asked] = self._match(text, cutoff, allow_longer, keys)
        return found

    def _match(self, text: str, cutoff: float, allow_longer: bool, keys: set[str] | None) -> LabelMatch | None:
        candidate = fold_label(text)
        if not candidate or len(candidate) > 400:
            return None
        key = (candidate, cutoff, allow_longer, frozenset(keys) if keys is not None else None)
        if key not in self._scores:
            if len(self._scores) > 65536:  # labels recur in every reply; answers are scored once each
                self._scores.clear()
            self._scores[key] = self._best(*key)
        best = self._scores[key]
        if best is None:
            return None
        score, variant = best
        return LabelMatch(variant.key, variant.lang, score, text.strip(), variant.text)

    def _best(
        self, candidate: str, cutoff: float, allow_longer: bool, keys: frozenset[str] | None
    ) -> tuple[float, Variant] | None:
        best: tuple[float, int, Variant] | None = None
        size = len(candidate)
        for variant in self.variants:
            if keys is not None and variant.key not in keys:
                continue
            other = len(variant.folded)
            if min(size, other) < 0.45 * max(size, other):
                continue  # neither the whole ratio (needs 0.54 at cutoff 70) nor a partial one can pass
            score = _score(candidate, variant.folded, allow_longer)
            if score >= cutoff and (best is None or (score, other) > best[:2]):
                best = (score, other, variant)
        return None if best is None else (round(best[0], 1), best[2])

    def folded_wordings(self, key: str) -> list[str]:
        """The folded wordings of one label, every language (kept: asked for every answer)."""
        found = self._wordings.get(key)
        if found is None:
            found = self._wordings[key] = [variant.folded for variant in self.variants if variant.key == key]
        return found

    def is_form_text(self, text: str) -> bool:
        """Text of the blank questionnaire (title, instructions) or of our compendium, not of a reply."""
        if text in self.form_exact or (self.form_prefixes and text.startswith(self.form_prefixes)):
            return True
        if (self.form_numbered and self.form_numbered.match(text)) or _CONTENTS_LINE.search(text):
            return True
        folded = fold(text)
        return folded in self.form_text or any(
            len(folded) > 60 and fuzz.ratio(folded, known) >= 92 for known in self.form_text
        )


def _in_several(text: str, by_lang: dict[str, set[str]]) -> bool:
    return sum(text in texts for texts in by_lang.values()) > 1


def _compendium_lines(form: FormSpec) -> tuple[set[str], tuple[str, ...]]:
    """The compendium's own lines: whole lines no reply would write, and the starts of its notes."""
    exact: set[str] = set()
    prefixes: list[str] = []
    for texts in form.compendium.values():
        exact.update([texts["title"], texts["platform"], texts["contents"], *texts["parts"].values()])
        prefixes += [texts["not_reviewed"], texts["count_intro"], texts["submitter_part"]]
        if "other_part" in texts:  # the parts per priority area: only a form with codes has them
            exact.add(texts["other_part"])
            prefixes.append(texts["see_also"])
    return exact, tuple(prefixes)


def _priority_scheme(form: FormSpec) -> PriorityScheme | None:
    if form.priority is None:
        return None
    areas = [
        (c.code, [w for lang in form.languages for w in c.wording.get(lang, ())], list(c.keywords))
        for c in form.priority.codes
    ]
    return priority_scheme(areas, form.priority.code_prefix_words)


@lru_cache(maxsize=8)
def _catalogue(form: FormSpec) -> Catalogue:
    return Catalogue(form)


def load_catalogue(form: FormSpec | None = None) -> Catalogue:
    """The catalogue of `form` (the PECS form when None), built once per spec."""
    return _catalogue(form if form is not None else load_form())
