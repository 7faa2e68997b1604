"""Which language a text is in, from its commonest short words (enough for a form's labels and
instructions; a guess, which `form init` writes into a draft for a person to check)."""

from __future__ import annotations

import re
from collections import Counter

from normalise.text import fold

STOPWORDS = {
    "fr": "le la les de des du un une et ou en dans pour par sur au aux est sont que qui ce cette vos votre",
    "en": "the of and or to in for on by is are that this which your with from please what",
    "de": "der die das und oder zu im in für von mit ist sind dass ein eine bitte ihre ihr wie",
    "it": "il lo la gli le di e o per con da del della che un una sono si prega",
    "es": "el la los las de y o en para por con que un una es son su sus",
    "nl": "de het een en of van in voor met op is zijn dat uw",
}
_WORD = re.compile(r"[a-z]+")


def guess_language(text: str) -> str | None:
    """The two-letter code whose common words are most frequent in `text`, or None when none is."""
    words = Counter(_WORD.findall(fold(text)))
    scores = {lang: sum(words[w] for w in set(fold(listed).split())) for lang, listed in STOPWORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else None


def stopwords(language: str) -> set[str]:
    return set(fold(STOPWORDS.get(language, "")).split())
