"""Contact normalisers: e-mail and URL trimmed and validated but kept as typed; phones kept as typed."""

from __future__ import annotations

import itertools
import re

from normalise.text import clean_line

_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+|(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?:/[^\s<>\"']*)?", re.IGNORECASE)
_EDGE_PUNCTUATION = " \t\n<>()[]\"'«»;,."
_SEPARATOR = re.compile(r"[\s;,]+")


def _trim(text: str) -> str:
    text = clean_line(text.replace("\n", " "))
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    return text.strip(_EDGE_PUNCTUATION)


def normalise_email(text: str) -> str | None:
    """The address(es) as typed, trimmed; None unless every part is a well-formed address."""
    trimmed = _trim(text)
    parts = [part for part in _SEPARATOR.split(trimmed) if part]
    if not parts or not all(_EMAIL.fullmatch(part.strip(_EDGE_PUNCTUATION)) for part in parts):
        return None
    return trimmed


_URL_CONTINUES = re.compile(r"[/\-_=?&]$")
_URL_STARTS = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)


def normalise_url(text: str) -> str | None:
    """The web address(es) as typed, trimmed; None unless every part looks like a URL or domain.
    An address wrapped after a '/' ('…/conge-parental/ informations.html', as a narrow PDF cell
    prints it) is joined back: a URL holds no space."""
    trimmed = _unwrap(_trim(text))
    parts = [part for part in _SEPARATOR.split(trimmed) if part]
    if not parts or not all(_URL.fullmatch(part.strip(_EDGE_PUNCTUATION)) for part in parts):
        return None
    if any(_cut_in_two(before, after) for before, after in itertools.pairwise(parts)):
        return None  # 'https://housing.exa mple.org': one address cut, not two; kept, flagged for a person
    return trimmed


def _cut_in_two(before: str, after: str) -> bool:
    """An address with its scheme or 'www.' followed, after a mere space, by a bare domain: a narrow
    PDF cell's wrap inside the address ('…cohesionsociale. example.org'), not a second address."""
    return bool(_URL_STARTS.match(before)) and not _URL_STARTS.match(after)


def _unwrap(text: str) -> str:
    words = text.split(" ")
    joined = words[:1]
    for word in words[1:]:
        previous = joined[-1]
        if _URL_STARTS.match(previous) and _URL_CONTINUES.search(previous) and word and not _URL_STARTS.match(word):
            joined[-1] = previous + word
        else:
            joined.append(word)
    return " ".join(joined)


def normalise_phone(text: str) -> str | None:
    """Phones stay as typed (formats vary by country); only whitespace is cleaned. None when no digit."""
    trimmed = clean_line(text.replace("\n", " "))
    return trimmed if any(ch.isdigit() for ch in trimmed) else None
