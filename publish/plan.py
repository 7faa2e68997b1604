"""What the compendium holds and in which order, before any Word: parts, numbered practices, contents.

A practice is printed once, in its first priority area (I, II, III, then other areas) or under its
submitter, and listed ("see also") in its other areas. A form without priority codes (its spec has no
[priority]) has no parts per area: grouped "by priority", its practices follow each other in one run.
Practices are numbered in print order; the contents list parts, submitters and practice titles, each
pointing at a place whose page is known only once the document is laid out (publish/paginate.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from extract.record import RecordBase, form_of
from forms import FormSpec, load_form
from publish.texts import compendium_texts, practice_title


@dataclass(frozen=True)
class CompendiumOptions:
    group_by: Literal["priority", "submitter"] = "priority"
    lang: str | None = None  # one the form's spec has compendium texts in; None: the first of them
    include_unreviewed: bool = False
    personal_data: bool = True
    title: str | None = None  # the title page's; default: the compendium's own title in `lang`
    subtitle: str | None = None
    date: str | None = None  # the title page's date as written; else `compiled`, written in `lang`
    compiled: dt.date | None = None  # the date of compilation (publish.publication.compiled_on)
    intro: str | None = None  # Markdown or plain text for an introduction after the title page


@dataclass(frozen=True)
class Practice:
    number: int
    record: RecordBase

    @property
    def anchor(self) -> str:
        return f"practice-{self.number}"

    def title(self, lang: str) -> str:
        return practice_title(self.number, self.record.title(), compendium_texts(form_of(self.record), lang))


@dataclass(frozen=True)
class Part:
    title: str | None  # None: the one run of practices of a form without parts (no heading)
    practices: list[Practice]
    see_also: list[tuple[Practice, str]]  # practices of this area printed in another part, and that part
    index: int = 0

    @property
    def anchor(self) -> str:
        return f"part-{self.index}"


@dataclass(frozen=True)
class ContentsEntry:
    level: int  # 1 part, 2 submitter, 3 practice
    text: str
    anchor: str  # where its page is read: a part or a practice


@dataclass
class Plan:
    parts: list[Part]
    contents: list[ContentsEntry] = field(default_factory=list)
    form: FormSpec = field(default_factory=load_form)  # the records' form: its wording and labels
    lang: str = ""  # the compendium's language (CompendiumOptions.lang, or the form's first)

    @property
    def practices(self) -> list[Practice]:
        return [practice for part in self.parts for practice in part.practices]


def plan_compendium(records: list[RecordBase], options: CompendiumOptions, form: FormSpec | None = None) -> Plan:
    """The plan of `records`, all of one form: `form`, else the first record's (the PECS form for none).
    NoCompendiumTexts when the form's spec has no compendium wording in `options.lang` (or none at all)."""
    form = form or (form_of(records[0]) if records else load_form())
    lang = options.lang or next(iter(form.compendium), "")
    text = compendium_texts(form, lang)
    ordered = sorted(records, key=lambda r: (r.submitter or "", r.source.path, r.source.practice_index))
    homes: list[tuple[str | None, list[RecordBase], list[RecordBase]]] = []
    if options.group_by == "submitter":
        for submitter in sorted({r.submitter or text["no_submitter"] for r in ordered}):
            home = [r for r in ordered if (r.submitter or text["no_submitter"]) == submitter]
            homes.append((f"{text['submitter_part']} {submitter}", home, []))
    elif not form.codes:  # no priority areas: one run of practices, without a part heading
        homes += [(None, ordered, [])] if ordered else []
    else:
        for code in (*form.codes, None):  # the form's priority codes in its order, then the areas of no code
            home = [r for r in ordered if (r.priority_areas[0] if r.priority_areas else None) == code]
            listed = [r for r in ordered if code in r.priority_areas[1:]] if code else []
            if home or listed:
                homes.append((text["parts"][code or "other"], home, listed))
    numbers: dict[str, Practice] = {}
    for _, home, _ in homes:
        for record in home:
            numbers[record.record_id] = Practice(len(numbers) + 1, record)
    parts = []
    for index, (title, home, listed) in enumerate(homes):
        see_also = [(numbers[r.record_id], text["parts"][r.priority_areas[0]]) for r in listed]
        parts.append(Part(title, [numbers[r.record_id] for r in home], see_also, index))
    return Plan(parts, _contents(parts, options.group_by, lang, text["no_submitter"]), form, lang)


def _contents(parts: list[Part], group_by: str, lang: str, no_submitter: str) -> list[ContentsEntry]:
    """Parts, then under each the submitters (at their first practice) and the practice titles."""
    entries = []
    for part in parts:
        if part.title is not None:
            entries.append(ContentsEntry(1, part.title, part.anchor))
        previous: object = object()
        # in the one run of a form without parts, submitters are listed only when replies name them
        submitters = part.title is not None or any(p.record.submitter for p in part.practices)
        for practice in part.practices:
            submitter = practice.record.submitter or no_submitter
            if group_by == "priority" and submitters and submitter != previous:
                entries.append(ContentsEntry(2, submitter, practice.anchor))
            previous = submitter
            entries.append(ContentsEntry(3, practice.title(lang), practice.anchor))
    return entries
