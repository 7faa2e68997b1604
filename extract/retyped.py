"""Labels as respondents retype them: the form's label with words added or swapped for a synonym.

People rewrite the form's questions about their own work: "Durée du projet" for "Durée", "Project
duration", "Objectifs principaux", "Nom de la personne de contact", "E-mail address of the contact".
Only where structure already says "this is a label" (a table's label column, a bold line of its
own) does this module look further than the catalogue's close match, in three steps:

1. words for the thing described (projet, action, project, programme... → pratique / practice)
   and qualifiers that add nothing ("principaux", "planned", "du projet") are set aside, then the
   catalogue must match strongly: the label is recognised, no doubt. These words are the form's
   spec data, per language (`[retyped.<lang>]` in forms/);
2. otherwise a catalogue wording standing whole, word for word, inside a short cell with a few
   extra words is that label, scored below the strong mark so the field is flagged weak_label;
3. two different labels inside one cell ("Contexte et objectifs") is no label: no guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from extract.catalogue import Catalogue, LabelMatch
from normalise import fold, fold_label

_ADDRESS = re.compile(r"@|://|\bwww\.|\.(org|com|net|eu|be|fr|lu|ie)\b", re.IGNORECASE)
MAX_EXTRA_WORDS = 4
MAX_WORDS = 12
REWORDED_CUTOFF = 96.0
REWORDED_SCORE = 95.0  # recognised with certainty, but not as the form words it
CONTAINED_SCORE = 88.0  # below STRONG_SCORE: a label recognised inside extra words is flagged weak_label
SHORT_WORD = 4  # a one-word label this short ("but", "nom", "tel") only counts as the cell's first word


@dataclass(frozen=True)
class _Words:
    """One language's retyping words, as patterns on folded text."""

    subject: re.Pattern[str]  # the thing's name with the articles before it: "du projet", "the project"
    subject_as: str  # how the form's labels call it: "de la pratique"
    qualifiers: re.Pattern[str] | None


def match_retyped(text: str, catalogue: Catalogue, cutoff: float) -> LabelMatch | None:
    """The label a retyped label cell or bold line stands for, or None (see the module's steps)."""
    if _ADDRESS.search(text):
        return None  # "info@example.org" folds to "info example org": an address is never a label
    folded = fold_label(text)
    words = folded.split()
    if not words or len(words) > MAX_WORDS:
        return None
    languages = _languages(catalogue)
    # A label about the practice itself ("Nom du projet") is never a contact field ("Nom").
    about_practice = any(w.subject.search(folded) for w in languages)
    keys = {k for k, spec in catalogue.specs.items() if not spec.contact} if about_practice else None
    # Rewordings are about words, not typos: each must match the catalogue (almost) word for word.
    rewordings = dict.fromkeys(r for w in languages for r in _rewordings(folded, w))
    matches = [(r, catalogue.match(r, REWORDED_CUTOFF, keys=keys)) for r in rewordings]
    # whole wording against whole wording: "Action" → "of the practice" is no part of "Name of the practice"
    whole = [m for r, m in matches if m is not None and fuzz.ratio(r, fold_label(m.variant)) >= REWORDED_CUTOFF]
    best = max(whole, key=lambda m: m.score, default=None)
    if best is not None:
        return LabelMatch(best.key, best.lang, min(best.score, REWORDED_SCORE), text.strip(), best.variant)
    return _contained(tuple(words), catalogue, text.strip(), keys)


def _rewordings(folded: str, words: _Words) -> list[str]:
    thing = " ".join(words.subject.sub(f" {words.subject_as} ", folded).split())
    plain = " ".join(words.qualifiers.sub(" ", thing).split()) if words.qualifiers else thing
    head, _, rest = plain.partition(words.subject_as + " ")
    moved = f"{rest} {words.subject_as}" if not head and rest and " " not in rest else plain  # "project name"
    without_thing = " ".join(words.subject.sub(" ", plain).split())
    return [w for w in dict.fromkeys((thing, plain, moved, without_thing)) if w and w != folded]


@lru_cache(maxsize=8)
def _languages(catalogue: Catalogue) -> tuple[_Words, ...]:
    found = []
    for entry in catalogue.form.retyped.values():
        articles = "|".join(re.escape(fold(a)) for a in entry["articles"])
        subjects = "|".join(re.escape(fold(t)) for t in entry["subject"])
        if not subjects:
            continue
        prefix = rf"(?:(?:{articles})\s+)*" if articles else ""
        qualifiers = sorted((fold(q) for q in entry["qualifiers"]), key=len, reverse=True)
        found.append(
            _Words(
                subject=re.compile(rf"\b{prefix}(?:{subjects})\b"),
                subject_as=fold(entry["subject_as"]),
                qualifiers=re.compile(rf"\b(?:{'|'.join(map(re.escape, qualifiers))})\b") if qualifiers else None,
            )
        )
    return tuple(found)


def _contained(words: tuple[str, ...], catalogue: Catalogue, found: str, keys: set[str] | None) -> LabelMatch | None:
    best: list[tuple[int, str, str, str]] = []  # (variant length in words, key, lang, wording)
    for key, lang, wording, variant_words in _variant_words(catalogue):
        if catalogue.specs[key].section or (keys is not None and key not in keys):
            continue  # a heading is a heading as the form words it; "Contact avec les familles" is not one
        size = len(variant_words)
        extra = len(words) - size
        if extra < 1 or extra > MAX_EXTRA_WORDS:
            continue
        if size == 1 and len(variant_words[0]) <= SHORT_WORD and words[0] != variant_words[0]:
            continue
        if any(words[i : i + size] == variant_words for i in range(extra + 1)):
            best.append((size, key, lang, wording))
    if not best:
        return None
    longest = max(size for size, *_ in best)
    keys = {key for size, key, *_ in best if size == longest}
    if len(keys) > 1:
        return None  # two different labels in one cell: no guess
    contained_keys = {key for _, key, *_ in best}
    if len(contained_keys - keys) and not _nested(best, longest):
        return None
    size, key, lang, wording = next(b for b in best if b[0] == longest)
    score = max(CONTAINED_SCORE - 2.0 * (len(words) - size), 75.0)
    return LabelMatch(key, lang, score, found, wording)


def _nested(best: list[tuple[int, str, str, str]], longest: int) -> bool:
    """Every shorter label found lies inside the longest one's wording ('nom' inside 'nom de l organisme')."""
    long_words = {w for size, _, _, wording in best if size == longest for w in fold_label(wording).split()}
    return all(set(fold_label(wording).split()) <= long_words for size, _, _, wording in best if size < longest)


@lru_cache(maxsize=4)
def _variant_words(catalogue: Catalogue) -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    return tuple((v.key, v.lang, v.text, tuple(v.folded.split())) for v in catalogue.variants if v.folded)
