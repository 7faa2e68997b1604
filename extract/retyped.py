"""Labels as respondents retype them: the form's label with words added or swapped for a synonym.

People rewrite the form's questions about their own work: "Durée du projet" for "Durée", "Project
duration", "Objectifs principaux", "Nom de la personne de contact", "E-mail address of the contact".
Only where structure already says "this is a label" (a table's label column, a bold line of its
own) does this module look further than the catalogue's close match, in three steps:

1. synonyms of the thing described (projet, action, project, programme... → pratique / practice)
   and qualifiers that add nothing ("principaux", "planned", "du projet") are set aside, then the
   catalogue must match strongly: the label is recognised, no doubt;
2. otherwise a catalogue wording standing whole, word for word, inside a short cell with a few
   extra words is that label, scored below the strong mark so the field is flagged weak_label;
3. two different labels inside one cell ("Contexte et objectifs") is no label: no guess.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract.catalogue import Catalogue, LabelMatch
from normalise import fold_label

# What the practice is called in a retyped label, folded (with its article), → the form's own words.
_THING = re.compile(
    r"\b(?:(?:du|de|des|d|l|la|un|une|the|this|of|for)\s+)*"
    r"(projet|projets|action|actions|initiative|initiatives|programme|programmes|dispositif|mesure|pratique|"
    r"project|projects|program|programs|programme|scheme|practice)\b"
)
_THING_WORD = {"fr": "de la pratique", "en": "of the practice"}
# Words that qualify a label without changing the question.
_QUALIFIERS = re.compile(
    r"\b(principa(l|le|ux|les)|essentiel(le)?s?|main|key|overall|general(e|es)?|detaille(e|es|s)?|detailed|"
    r"envisage(e|es|s)?|prevu(e|es|s)?|planned|expected|vise(e|es|s)?|obtenu(e|es|s)?|achieved|attendu(e|es|s)?|"
    r"en bref|in brief|du responsable|(of )?(the )?contact( person)?|de la personne de contact|du contact|"
    r"de l organisation|de l organisme|of the organisation|of the organization|s)\b"
)
_ENGLISH_HINT = re.compile(r"\b(the|of|and|for|project|name|person|address|number)\b")
_ADDRESS = re.compile(r"@|://|\bwww\.|\.(org|com|net|eu|be|fr|lu|ie)\b", re.IGNORECASE)
MAX_EXTRA_WORDS = 4
MAX_WORDS = 12
REWORDED_CUTOFF = 96.0
REWORDED_SCORE = 95.0  # recognised with certainty, but not as the form words it
CONTAINED_SCORE = 88.0  # below STRONG_SCORE: a label recognised inside extra words is flagged weak_label
SHORT_WORD = 4  # a one-word label this short ("but", "nom", "tel") only counts as the cell's first word


def match_retyped(text: str, catalogue: Catalogue, cutoff: float) -> LabelMatch | None:
    """The label a retyped label cell or bold line stands for, or None (see the module's steps)."""
    if _ADDRESS.search(text):
        return None  # "info@example.org" folds to "info example org": an address is never a label
    folded = fold_label(text)
    words = folded.split()
    if not words or len(words) > MAX_WORDS:
        return None
    # A label about the practice itself ("Nom du projet") is never a contact field ("Nom").
    about_practice = _THING.search(folded) is not None
    keys = {k for k, spec in catalogue.specs.items() if not spec.contact} if about_practice else None
    # Rewordings are about words, not typos: each must match the catalogue (almost) word for word.
    matches = [catalogue.match(variant, REWORDED_CUTOFF, keys=keys) for variant in _rewordings(folded)]
    best = max((m for m in matches if m is not None), key=lambda m: m.score, default=None)
    if best is not None:
        return LabelMatch(best.key, best.lang, min(best.score, REWORDED_SCORE), text.strip(), best.variant)
    return _contained(tuple(words), catalogue, text.strip(), keys)


def _rewordings(folded: str) -> list[str]:
    lang = "en" if _ENGLISH_HINT.search(folded) else "fr"
    thing = " ".join(_THING.sub(" " + _THING_WORD[lang] + " ", folded).split())
    plain = " ".join(_QUALIFIERS.sub(" ", thing).split())
    english_order = re.sub(r"^of the practice (\w+)$", r"\1 of the practice", plain)  # "project name"
    without_thing = " ".join(_THING.sub(" ", plain).split())
    found = (thing, plain, english_order, without_thing)
    return [w for w in dict.fromkeys(found) if w and w != folded]


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
