"""Text normalisers: folding for matching, whitespace, bullets, placeholders, lines into a value."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 controls except tab and newline, plus zero-width characters and the BOM: never valid in JSON/DOCX text.
# Controls and invisible marks that only get in the way; the zero-width joiner and non-joiner are kept:
# they are part of the text as typed (emoji sequences such as 👩‍💻, Persian and Indic spelling).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "’": "'", "‘": "'"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Footnote numbers glued to a label's last letter ("prioritaires1", "Domaine (s) prioritaires9").
_GLUED_NOTE = re.compile(r"(?<=[^\W\d_])\d{1,2}(?=\W*$)")
# Question numbers typed before a label: "4. But", "b) Durée", "IV - Impact", and spelled out:
# "Question 1: Priority area(s)", "Question n° 3 – Contexte", "Q2. Aim", "Frage 4: Ziel".
_QUESTION_NUMBER = re.compile(
    r"^\s*(?:(?:question|frage|q)\s*(?:n[°o]\.?\s*)?\d{1,2}\s*[.):\-–]?\s+|(?:\d{1,2}|[ivxIVX]{1,4}|[a-hA-H])\s*[.)\-–]\s+)",
    re.IGNORECASE,
)

# Glyphs that start a bullet item; Symbol/Wingdings private-use bullets arrive as U+F0xx.
_BULLET_GLYPHS = "•·▪■◦○●➢➤►▶→✓✔❖♦◆▫□-–—*\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf0e8\uf02d"
_BULLET = re.compile(rf"^\s*(?:[{re.escape(_BULLET_GLYPHS)}]|o(?=\t))\s*(?=\S)")
# A dash bullet must be followed by a space, so "-5 %" or "--" is not a bullet.
_DASH_WITHOUT_SPACE = re.compile(r"^\s*[-–—*][^\s]")

_PLACEHOLDERS = {
    "",
    "-",
    "--",
    "---",
    "—",
    "–",
    "/",
    "//",
    ".",
    "..",
    "...",
    "…",
    "x",
    "n/a",
    "na",
    "n.a.",
    "n/d",
    "nd",
    "neant",
    "sans objet",
    "s/o",
    "so",
    "s.o.",
    "none",
    "nil",
    "not applicable",
    "non applicable",
    "aucun",
    "aucune",
    "?",
    "tbd",
    "a completer",
    "to be completed",
    # Word content-control prompts, as a PDF printed from an unfilled form shows them
    "cliquez ou appuyez ici pour entrer du texte",
    "cliquez ici pour taper du texte",
    "cliquez ici pour entrer du texte",
    "click or tap here to enter text",
    "click here to enter text",
}


def strip_control_chars(text: str) -> str:
    if text.isprintable():  # every character removed below is unprintable: most text has none (a third faster)
        return text
    return _CONTROL.sub("", text.replace("\u00ad", ""))


def clean_line(text: str) -> str:
    """One line as displayed: controls removed, runs of spaces/tabs folded to one space, trimmed."""
    if text.isprintable() and "  " not in text:  # no control, tab or other space: only the ends to trim
        return text.strip()
    return _SPACES.sub(" ", strip_control_chars(text)).strip()


def fold(text: str) -> str:
    """Lower-case ASCII words for comparing: accents, ligatures, quotes and punctuation removed."""
    if text.isascii():  # no ligature, no accent: the lower-cased words alone
        return _NOT_WORD.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    if not text.isascii():  # combining marks are never ASCII: only the other characters are looked at
        text = _NON_ASCII.sub(_without_combining, text)
    return _NOT_WORD.sub(" ", text.lower()).strip()


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _without_combining(found: re.Match[str]) -> str:
    return "".join(ch for ch in found.group() if not unicodedata.combining(ch))


def fold_label(text: str) -> str:
    """`fold` for a label as typed: also drops a footnote number glued to its end."""
    text = _QUESTION_NUMBER.sub("", strip_control_chars(text).strip())
    return fold(_GLUED_NOTE.sub("", text.rstrip(":").strip()))


def bullet_text(line: str) -> str | None:
    """The item's text when `line` starts with a bullet glyph, else None."""
    if _DASH_WITHOUT_SPACE.match(line):
        return None
    match = _BULLET.match(line)
    if not match:
        return None
    rest = line[match.end() :].strip()
    return rest or None


CHECKED_BOXES, UNCHECKED_BOXES = "☒☑✓✔", "☐□"


def ticked_options(value: str | None) -> str | None:
    """A list of check boxes ('☒ I. Youth', '☐ II. Migrants') → the ticked options' text only, one a line;
    lines without a box (the respondent's own words) stay. A value with no box at all is returned as is."""
    if not value:
        return value
    lines = value.split("\n")
    if not any(line.lstrip()[:1] in CHECKED_BOXES + UNCHECKED_BOXES for line in lines if line.strip()):
        return value
    kept = []
    for line in lines:
        head = line.lstrip()[:1]
        if head in UNCHECKED_BOXES:
            continue
        kept.append(line.lstrip()[1:].strip() if head in CHECKED_BOXES else line)
    return "\n".join(line for line in kept if line.strip()) or None


def is_placeholder(text: str) -> bool:
    """An answer that says 'nothing here': '--', 'néant', 'n/a', '…'."""
    folded = fold(text)
    compact = clean_line(text).lower()
    return compact in _PLACEHOLDERS or (folded in _PLACEHOLDERS and (len(compact) <= 20 or " " in folded))


# How an answer points to another instead of answering (folded: lower case, no accents or punctuation).
_REFERENCE = re.compile(
    r"^(?:voir|voyez|cf|se reporter a|see|refer to|as|same as|siehe|vgl|wie)\s+"
    r"(?:ci dessus|ci dessous|plus haut|plus bas|supra|infra|above|below|oben|unten|"
    r"(?:(?:la|le|l|the|die|den)\s+)?(?:rubrique|point|question|section|reponse|answer|abschnitt|punkt|frage|antwort)\b)"
    r"|^(?:ci dessus|supra|above|oben|idem|ditto|dito|meme reponse|same answer|same as above)$"
)
_REFERENCE_WORDS = 12  # longer, the answer says something of its own besides the pointer


def refers_elsewhere(text: str) -> bool:
    """An answer that only points to another one: 'Voir ci-dessus.', 'See above (Impact)', 'Siehe oben'."""
    folded = fold(text)
    return "\n" not in text.strip() and len(folded.split()) <= _REFERENCE_WORDS and bool(_REFERENCE.match(folded))


def lines_to_value(paragraphs: list[tuple[str, bool]]) -> str | None:
    """Join (text, is_list_item) paragraphs into a clean value: one line each, items as '- text'.

    A hard line break inside a paragraph starts a new line too. Returns None when nothing is left.
    """
    lines: list[str] = []
    for text, is_item in paragraphs:
        for index, raw_line in enumerate(text.split("\n")):
            line = clean_line(raw_line)
            if not line:
                continue
            item = bullet_text(line)
            if item is not None:
                line = "- " + item
            elif is_item and index == 0:
                line = "- " + line
            lines.append(line)
    return "\n".join(lines) or None
