"""A blank questionnaire's layout → a draft form spec (TOML text) for a person to check and edit.

Labels come from the label column of the form's two-column tables (a row merged across the table after
some labels is the contact section's heading), or, in a form without a table, from its bold lines.
Every other paragraph is the blank form's own wording (title, instructions). Keys are slugs of the
labels, the language is guessed from the words. The draft is checked as a spec before it is returned.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass

from forms import parse_form
from normalise import clean_line, fold
from normalise.language import guess_language, stopwords
from parsers.layout import Block, Layout

MAX_LABEL_CHARS = 260  # longer: an instruction, not a question
MAX_KEY_WORDS = 3
_GLUED_NOTE = re.compile(r"(?<=[^\W\d_])\d{1,2}$")  # "prioritaires1": a footnote call, not part of the label


@dataclass(frozen=True)
class DraftField:
    label: str
    section: str  # 'practice' or 'contact'
    heading: bool = False


@dataclass(frozen=True)
class FormDraft:
    text: str  # the spec, as TOML
    language: str
    keys: tuple[str, ...]


class NoLabelsFound(ValueError):
    """The layout has neither a two-column table nor bold lines to take labels from."""


def draft_form(layout: Layout, form_id: str) -> FormDraft:
    """The draft spec of the blank questionnaire in `layout`; NoLabelsFound when it shows no labels."""
    body = [b for b in layout.blocks if b.role == "body" and clean_line(b.text)]
    fields, others = _from_tables(body)
    if not [f for f in fields if not f.heading]:
        fields, others = _from_bold_lines(body)
    if not [f for f in fields if not f.heading]:
        raise NoLabelsFound("no labels found: no two-column table and no bold lines")
    language = guess_language(" ".join(clean_line(b.text) for b in body)) or "en"
    keys = _keys([f for f in fields], language)
    text = _toml(form_id, language, fields, keys, others)
    parse_form(tomllib.loads(text), f"draft of {form_id}")  # a draft that is not a usable spec is our bug
    return FormDraft(text, language, tuple(k for k, f in zip(keys, fields, strict=True) if not f.heading))


def _from_tables(body: list[Block]) -> tuple[list[DraftField], list[str]]:
    widths: dict[int, int] = {}
    for block in body:
        if block.kind == "cell" and block.table is not None:
            widths[block.table] = max(widths.get(block.table, 1), (block.column or 0) + block.span)
    if any(width >= 2 for width in widths.values()):  # a PDF page holding only the last labels of the form
        paged = {b.table for b in body if b.kind == "cell" and b.page is not None}
        widths = {table: 2 if width < 2 and table in paged else width for table, width in widths.items()}
    fields: list[DraftField] = []
    others: list[str] = []
    section = "practice"
    for block in body:
        text = _label_text(block.text)
        width = widths.get(block.table, 1) if block.table is not None else 1
        if block.kind != "cell" or width < 2:
            others.append(clean_line(block.text))
        elif block.span >= width:  # a row merged across the table: a heading
            if fields and section == "practice":
                section = "contact"
                fields.append(DraftField(text, section, heading=True))
            else:
                others.append(clean_line(block.text))
        elif (block.column or 0) == 0 and len(text) <= MAX_LABEL_CHARS:
            fields.append(DraftField(text, section))
    return fields, others


def _from_bold_lines(body: list[Block]) -> tuple[list[DraftField], list[str]]:
    fields: list[DraftField] = []
    others: list[str] = []
    for block in body:
        text = _label_text(block.text)
        if block.bold and not block.heading and len(text) <= MAX_LABEL_CHARS and not block.list_item:
            fields.append(DraftField(text, "practice"))
        else:
            others.append(clean_line(block.text))
    return fields, others


def _label_text(text: str) -> str:
    return _GLUED_NOTE.sub("", clean_line(text).rstrip(" :"))


def _keys(fields: list[DraftField], language: str) -> list[str]:
    """Slugs of the labels' first meaningful words, unique; the contact heading is 'contact'."""
    skip = stopwords(language)
    keys: list[str] = []
    for index, field in enumerate(fields):
        if field.heading:
            keys.append("contact")
            continue
        words = [w for w in fold(field.label).split() if w not in skip and len(w) > 1 and not w.isdigit()]
        key = "_".join(words[:MAX_KEY_WORDS]) or f"field_{index + 1}"
        key = key if key[0].isalpha() else f"field_{key}"
        candidate, number = key, 2
        while candidate in keys or candidate == "contact":
            candidate, number = f"{key}_{number}", number + 1
        keys.append(candidate)
    return keys


def _toml(form_id: str, language: str, fields: list[DraftField], keys: list[str], others: list[str]) -> str:
    practice = [k for k, f in zip(keys, fields, strict=True) if f.section == "practice" and not f.heading]
    has_contact = any(f.section == "contact" for f in fields)
    lines = [
        "# Draft spec made by `pecs-extract form init` from a blank questionnaire: check every entry",
        "# (keys, which answers are expected, where a practice starts, the contact block), add the wording",
        "# variants replies use and other languages, then read replies with `pecs-extract REPLIES --form THIS`.",
        "# The format: docs/forms.md.",
        "",
        "[form]",
        f"id = {_string(form_id)}",
        f"title = {_string(others[0] if others else form_id)}",
        f"languages = [{_string(language)}]",
    ]
    if has_contact and practice:  # in free text, contact labels count once the last question was seen
        lines.append(f"contact_labels_after = [{_string(practice[-1])}]")
    for position, (key, field) in enumerate(zip(keys, fields, strict=True)):
        lines += ["", "[[field]]", f"key = {_string(key)}"]
        if field.section != "practice":
            lines.append(f"section = {_string(field.section)}")
        if field.heading:
            lines.append("heading = true")
        else:
            lines.append("expected = true")
        if position == 0:
            lines.append('starts_practice = "always"')
        check = _guess_check(field.label)
        if check and not field.heading:
            lines.append(f"check = {_string(check)}")
        lines.append(f"{language} = [{_string(field.label)}]")
    if others:
        lines += ["", "# The blank form's own wording (title, instructions): never a value.", "[blank_form]"]
        lines.append(f"{language} = [")
        lines += [f"  {_string(text)}," for text in dict.fromkeys(others)]
        lines.append("]")
    return "\n".join(lines) + "\n"


def _guess_check(label: str) -> str | None:
    """'Email', 'Site internet', 'Téléphone': a value with a well-formedness check."""
    words = fold(label).split()
    if any("mail" in w or w == "courriel" for w in words):
        return "email"
    if any(w in ("website", "web", "internet", "url", "homepage", "webseite", "internetseite") for w in words):
        return "url"
    if any(w.startswith(("tel", "phone")) for w in words):
        return "phone"
    return None


def _string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)
