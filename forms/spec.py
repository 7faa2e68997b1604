"""A questionnaire as data: the form specification (forms/*.toml) read and checked into frozen objects.

Everything the tool knows about one form lives in its spec: the questions in order with their record keys,
sections, labels per language, the priority codes, the compendium's wording and the blank form's own text.
Standard library only; the extraction, the record model and the compendium are built from a `FormSpec`.
A spec is checked whole on loading: an unknown key, a language not declared, a duplicate key, a rule naming
a field that does not exist: each is an error naming the file and the place, never silently ignored.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

SECTIONS = ("practice", "contact")  # the record's `fields` and `contact` objects
STARTS = ("always", "when_repeated")
CHECKS = ("email", "url", "phone")  # well-formedness checks a field's value can have (flagged when it fails)
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_FIELD_OPTIONS = {"key", "section", "expected", "heading", "starts_practice", "check", "title", "header", "personal"}
_COMPENDIUM_TEXTS = (
    "title",
    "platform",
    "running_header",
    "count_intro",
    "contents",
    "not_reviewed",
    "no_submitter",
    "practice",  # numbered titles: "Pratique 3 – name" (a reader knows "<practice> <number> – " as ours)
    "untitled",
    "submitter_part",  # a part per submitter: "Pratiques soumises par : FRANCE" (a line start)
    "introduction",
    "quote_open",
    "quote_close",
)
# Optional (publish/texts.py has defaults): "(continued)" beside the label of an answer cut by a page
# break, the date's format ("{day} {month} {year}"), the day "1" as written ("1er"), and the twelve months.
_OPTIONAL_TEXTS = ("continued", "date_format", "day_one")
# Only a form with priority codes has parts per area: the areas' titles, the part of the other areas, and
# the "see also" line listing a practice in its other areas.
_PRIORITY_TEXTS = ("see_also", "other_part")


class FormSpecError(ValueError):
    """A form specification that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True, eq=False)
class FieldSpec:
    key: str  # the record key within its section: 'aim', 'email'
    section: str  # 'practice' (the record's `fields`) or 'contact' (its `contact`)
    labels: dict[str, tuple[str, ...]]  # language → the form's wording first, then variants
    expected: bool = False  # the form asks for an answer: an empty or missing one is flagged
    heading: bool = False  # a section heading (the contact block's title), no answer of its own
    starts_practice: str | None = None  # 'always', or 'when_repeated' (a second one opens the next practice)
    check: str | None = None  # 'email', 'url' or 'phone': the value is normalised, or flagged when malformed
    title: bool = False  # the practice's name: numbered compendium titles, duplicate grouping, review headings
    headers: dict[str, str] = field(default_factory=dict)  # language → a short column header for exports
    personal: bool = False  # a person's data (name, e-mail, phone): left out by `compendium --no-personal-data`

    @property
    def label_key(self) -> str:
        """The key labels are matched under: 'aim', 'contact.email', and 'contact' for the contact heading."""
        if self.section == "practice" or self.heading:
            return self.key
        return f"{self.section}.{self.key}"


@dataclass(frozen=True, eq=False)
class PriorityCode:
    code: str
    wording: dict[str, tuple[str, ...]]  # language → the form's wording of the area and short forms of it
    keywords: tuple[str, ...]  # regular expressions on folded text, for areas in a respondent's own words


@dataclass(frozen=True, eq=False)
class PrioritySpec:
    field: str  # the practice field whose answer names the areas
    codes: tuple[PriorityCode, ...]
    code_prefix_words: tuple[str, ...]  # regular expressions: words that may stand before a code


@dataclass(frozen=True, eq=False)
class FormSpec:
    id: str
    title: str
    languages: tuple[str, ...]  # the first one wins a tie when guessing a reply's language
    fields: tuple[FieldSpec, ...]  # in the form's order, headings included
    contact_labels_after: tuple[str, ...]
    min_fields: int  # fewer distinct practice labels found: a cover letter or a stray mention, not a reply
    priority: PrioritySpec | None
    compendium: dict[str, dict[str, Any]]  # language → texts (see _COMPENDIUM_TEXTS) and `parts` by code
    blank_form: dict[str, tuple[str, ...]]  # language → the blank questionnaire's own paragraphs
    path: str
    digest: str  # sha256 of the spec file's bytes: a changed spec means records must be made again
    retyped: dict[str, dict[str, Any]] = field(default_factory=dict)  # language → see _RETYPED_WORDS

    def section_keys(self, section: str) -> tuple[str, ...]:
        """The record keys of one section's answer fields, in the form's order."""
        return tuple(f.key for f in self.fields if f.section == section and not f.heading)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.priority.codes) if self.priority else ()

    @property
    def title_key(self) -> str:
        """The practice field that names a practice: the one marked `title = true`, else the first
        practice field that is not the priority areas' (a form's first question is usually its name)."""
        answers = [f for f in self.fields if f.section == "practice" and not f.heading]
        marked = [f.key for f in answers if f.title]
        if marked:
            return marked[0]
        areas = self.priority.field if self.priority else None
        return next((f.key for f in answers if f.key != areas), answers[0].key)

    def label(self, dotted_key: str, lang: str) -> str:
        """The form's own wording of a field ('aim', 'contact.email') in `lang`: its first label."""
        return next(f.labels[lang][0] for f in self.fields if f.label_key == dotted_key)

    def header(self, dotted_key: str, lang: str) -> str:
        """A field's column header in exports: its `header` in `lang`, else the form's wording."""
        found = next(f for f in self.fields if f.label_key == dotted_key)
        return found.headers.get(lang) or found.labels[lang][0]


def load_form_file(path: Path) -> FormSpec:
    """Read and check one spec file; FormSpecError names the file and the problem."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FormSpecError(f"{path}: cannot be read: {error.strerror}") from error
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise FormSpecError(f"{path}: not a valid TOML file: {error}") from error
    return parse_form(parsed, str(path), hashlib.sha256(data).hexdigest())


def parse_form(data: dict, path: str = "<form>", digest: str = "") -> FormSpec:
    where = _Where(path)
    where.keys(data, "the file", {"form", "field", "priority", "compendium", "blank_form", "retyped"})
    form = where.table(data, "form", "the file", required=True)
    where.keys(form, "[form]", {"id", "title", "languages", "contact_labels_after", "min_fields"})
    languages = tuple(where.strings(form, "languages", "[form]", required=True))
    for language in languages:
        if not _LANGUAGE.match(language):
            where.fail(f"[form] languages: '{language}' is not a language code (two or three lower-case letters)")
    if len(set(languages)) != len(languages):
        where.fail("[form] languages: a language is listed twice")
    entries = data.get("field")
    if not isinstance(entries, list) or not entries:
        where.fail("no [[field]] entries: a form needs at least one question")
    fields = tuple(_field(entry, index, languages, where) for index, entry in enumerate(entries))
    _check_fields(fields, where)
    practice_keys = {f.key for f in fields if f.section == "practice" and not f.heading}
    after = tuple(where.strings(form, "contact_labels_after", "[form]"))
    for key in after:
        if key not in practice_keys:
            where.fail(f"[form] contact_labels_after: '{key}' is not a practice field")
    spec = FormSpec(
        id=where.string(form, "id", "[form]", required=True),
        title=where.string(form, "title", "[form]") or "",
        languages=languages,
        fields=fields,
        contact_labels_after=after,
        min_fields=_min_fields(form, len(practice_keys), where),
        priority=_priority(data.get("priority"), languages, practice_keys, where),
        compendium=_compendium(data.get("compendium"), languages, data.get("priority") is not None, where),
        blank_form=_by_language(where.table(data, "blank_form", "the file"), "[blank_form]", languages, where),
        retyped=_retyped(where.table(data, "retyped", "the file"), languages, where),
        path=path,
        digest=digest,
    )
    for language, texts in spec.compendium.items():
        unknown = sorted(set(texts["parts"]) - set(spec.codes))
        if unknown:
            where.fail(f"[compendium.{language}.parts]: {', '.join(unknown)} not among the priority codes")
    if not _KEY.match(spec.id.replace("-", "_")):
        where.fail(f"[form] id: '{spec.id}' should be lower-case letters, digits, '-' or '_'")
    return spec


def _min_fields(form: dict, practice_fields: int, where: _Where) -> int:
    """At least this many of the form's questions make a reply: 3 (or all of a smaller form's) by default."""
    value = form.get("min_fields", min(3, practice_fields))
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= practice_fields:
        where.fail(f"[form] min_fields: must be a whole number from 1 to {practice_fields} (the practice fields)")
    return value


def _field(entry: Any, index: int, languages: tuple[str, ...], where: _Where) -> FieldSpec:
    place = f"[[field]] #{index + 1}"
    if not isinstance(entry, dict):
        where.fail(f"{place}: not a table")
    key = where.string(entry, "key", place, required=True)
    place = f"[[field]] '{key}'"
    if not _KEY.match(key):
        where.fail(f"{place}: keys are lower-case letters, digits and '_', starting with a letter")
    for name in entry:
        if name not in _FIELD_OPTIONS and name not in languages:
            where.fail(
                f"{place}: unknown key '{name}' (not a declared language: {', '.join(languages)}; "
                f"nor an option: {', '.join(sorted(_FIELD_OPTIONS))})"
            )
    section = where.string(entry, "section", place) or "practice"
    if section not in SECTIONS:
        where.fail(f"{place}: section '{section}' is not one of {', '.join(SECTIONS)}")
    starts = where.string(entry, "starts_practice", place)
    if starts is not None and starts not in STARTS:
        where.fail(f"{place}: starts_practice '{starts}' is not one of {', '.join(STARTS)}")
    check = where.string(entry, "check", place)
    if check is not None and check not in CHECKS:
        where.fail(f"{place}: check '{check}' is not one of {', '.join(CHECKS)}")
    labels = {}
    for language in languages:
        wordings = where.strings(entry, language, place)
        if not wordings:
            where.fail(f"{place}: no labels in '{language}' (every declared language needs at least one)")
        labels[language] = tuple(wordings)
    headers = where.table(entry, "header", place)
    where.keys(headers, f"{place} header", set(languages))
    return FieldSpec(
        key=key,
        section=section,
        labels=labels,
        expected=where.flag(entry, "expected", place),
        heading=where.flag(entry, "heading", place),
        starts_practice=starts,
        check=check,
        title=where.flag(entry, "title", place),
        personal=where.flag(entry, "personal", place),
        headers={language: where.string(headers, language, f"{place} header") for language in headers},
    )


def _check_fields(fields: tuple[FieldSpec, ...], where: _Where) -> None:
    seen: set[str] = set()
    for spec in fields:
        if spec.label_key in seen:
            where.fail(f"[[field]] '{spec.key}': the key is used twice")
        seen.add(spec.label_key)
        if spec.heading and (spec.expected or spec.starts_practice):
            where.fail(f"[[field]] '{spec.key}': a heading has no answer, so it is neither expected nor a start")
        if spec.starts_practice and spec.section != "practice":
            where.fail(f"[[field]] '{spec.key}': only a practice field can start a practice")
        if spec.title and (spec.section != "practice" or spec.heading):
            where.fail(f"[[field]] '{spec.key}': only a practice field can be the title")
    if sum(1 for f in fields if f.title) > 1:
        where.fail("[[field]]: only one field can be the title (title = true)")
    if not any(f.section == "practice" and not f.heading for f in fields):
        where.fail("no practice field: the record's `fields` would be empty")
    if sum(1 for f in fields if f.heading) > 1 or any(f.heading and f.section != "contact" for f in fields):
        where.fail('only one heading is supported: the contact section\'s (section = "contact")')


def _priority(data: Any, languages: tuple[str, ...], practice_keys: set[str], where: _Where) -> PrioritySpec | None:
    if data is None:
        return None
    where.keys(data, "[priority]", {"field", "code_prefix_words", "code"})
    field = where.string(data, "field", "[priority]", required=True)
    if field not in practice_keys:
        where.fail(f"[priority] field: '{field}' is not a practice field")
    codes = []
    entries = data.get("code")
    if not isinstance(entries, list) or not entries:
        where.fail("[priority]: no [[priority.code]] entries")
    for index, entry in enumerate(entries):
        place = f"[[priority.code]] #{index + 1}"
        if not isinstance(entry, dict):
            where.fail(f"{place}: not a table")
        where.keys(entry, place, {"code", "keywords", *languages})
        code = where.string(entry, "code", place, required=True)
        keywords = tuple(where.strings(entry, "keywords", place))
        for keyword in keywords:
            _check_pattern(keyword, f"{place} keywords", where)
        wording = {language: tuple(where.strings(entry, language, place)) for language in languages}
        codes.append(PriorityCode(code, wording, keywords))
    if len({c.code for c in codes}) != len(codes):
        where.fail("[priority]: a code is listed twice")
    prefix_words = tuple(where.strings(data, "code_prefix_words", "[priority]"))
    for word in prefix_words:
        _check_pattern(word, "[priority] code_prefix_words", where)
    return PrioritySpec(field, tuple(codes), prefix_words)


def _compendium(data: Any, languages: tuple[str, ...], priority: bool, where: _Where) -> dict[str, dict[str, Any]]:
    """Per language, the compendium's wording; the texts of the parts per area only with priority codes
    (without them, the compendium has no such parts and the texts would be ignored: refused)."""
    if data is None:
        return {}
    where.keys(data, "[compendium]", set(languages))
    names = (*_COMPENDIUM_TEXTS, *_PRIORITY_TEXTS) if priority else _COMPENDIUM_TEXTS
    texts: dict[str, dict[str, Any]] = {}
    for language, entry in data.items():
        place = f"[compendium.{language}]"
        allowed = {*names, *_OPTIONAL_TEXTS, "months", "parts"} if priority else {*names, *_OPTIONAL_TEXTS, "months"}
        if not priority and set(entry) & {*_PRIORITY_TEXTS, "parts"}:
            where.fail(f"{place}: see_also, other_part and parts are for a form with [priority] codes")
        where.keys(entry, place, allowed)
        texts[language] = {name: where.string(entry, name, place, required=True) for name in names}
        texts[language] |= {name: entry[name] for name in _OPTIONAL_TEXTS if where.string(entry, name, place)}
        if months := where.strings(entry, "months", place):
            if len(months) != 12:
                where.fail(f"{place}: 'months' must name the twelve months")
            texts[language]["months"] = months
        parts = where.table(entry, "parts", place, required=True) if priority else {}
        texts[language]["parts"] = {code: where.string(parts, code, f"{place}.parts") for code in parts}
    return texts


# [retyped.<lang>]: `subject` words respondents use for the thing the form asks about ("projet"), written
# `subject_as` in the form's labels ("de la pratique"); `articles` that may precede them; `qualifiers`
# that add nothing to a label ("principaux", "du contact"). Used by extract/retyped.py.
_RETYPED_WORDS = ("subject", "articles", "qualifiers")


def _retyped(data: dict, languages: tuple[str, ...], where: _Where) -> dict[str, dict[str, Any]]:
    where.keys(data, "[retyped]", set(languages))
    found: dict[str, dict[str, Any]] = {}
    for language, entry in data.items():
        place = f"[retyped.{language}]"
        where.keys(entry, place, {*_RETYPED_WORDS, "subject_as"})
        found[language] = {name: tuple(where.strings(entry, name, place)) for name in _RETYPED_WORDS}
        found[language]["subject_as"] = where.string(entry, "subject_as", place, required=True)
    return found


def _by_language(data: dict, place: str, languages: tuple[str, ...], where: _Where) -> dict[str, tuple[str, ...]]:
    where.keys(data, place, set(languages))
    return {language: tuple(where.strings(data, language, place)) for language in data}


def _check_pattern(pattern: str, place: str, where: _Where) -> None:
    try:
        re.compile(pattern)
    except re.error as error:
        where.fail(f"{place}: '{pattern}' is not a valid regular expression ({error})")


class _Where:
    """Typed reads of the parsed TOML that fail with the file's name and the place in it."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, message: str) -> NoReturn:
        raise FormSpecError(f"{self.path}: {message}")

    def keys(self, data: Any, place: str, allowed: set[str]) -> None:
        if not isinstance(data, dict):
            self.fail(f"{place}: expected a table")
        unknown = sorted(set(data) - allowed)
        if unknown:
            self.fail(f"{place}: unknown key(s) {', '.join(unknown)}; allowed here: {', '.join(sorted(allowed))}")

    def table(self, data: dict, name: str, place: str, required: bool = False) -> dict:
        value = data.get(name)
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.fail(f"{place}: '{name}' must be a table")
        return value

    def string(self, data: dict, name: str, place: str, required: bool = False) -> Any:
        value = data.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{place}: '{name}' must be a non-empty string")
        return value

    def strings(self, data: dict, name: str, place: str, required: bool = False) -> list[str]:
        value = data.get(name)
        if value is None and not required:
            return []
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(f"{place}: '{name}' must be a list of non-empty strings")
        return value

    def flag(self, data: dict, name: str, place: str) -> bool:
        value = data.get(name, False)
        if not isinstance(value, bool):
            self.fail(f"{place}: '{name}' must be true or false")
        return value
