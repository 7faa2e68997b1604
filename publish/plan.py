"""What the compendium holds and in which order, before any Word: parts, numbered practices, contents.

A practice is printed once, in its first priority area (I, II, III, then other areas) or under its
submitter, and listed ("see also") in its other areas. Practices are numbered in print order; the
contents list parts, submitters and practice titles, each pointing at a place whose page is known
only once the document is laid out (publish/paginate.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from extract.record import Record
from publish.texts import CODES, TEXTS, practice_title


@dataclass(frozen=True)
class CompendiumOptions:
    group_by: Literal["priority", "submitter"] = "priority"
    lang: str = "fr"  # one of the languages the spec has compendium texts in (publish/texts.py TEXTS)
    include_unreviewed: bool = False
    personal_data: bool = True
    title: str | None = None  # the title page's; default: the compendium's own title in `lang`
    subtitle: str | None = None
    date: str | None = None
    intro: str | None = None  # Markdown or plain text for an introduction after the title page


@dataclass(frozen=True)
class Practice:
    number: int
    record: Record

    @property
    def anchor(self) -> str:
        return f"practice-{self.number}"

    def title(self, lang: str) -> str:
        return practice_title(self.number, self.record.fields.practice_name.value, lang)


@dataclass(frozen=True)
class Part:
    title: str
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

    @property
    def practices(self) -> list[Practice]:
        return [practice for part in self.parts for practice in part.practices]


def plan_compendium(records: list[Record], options: CompendiumOptions) -> Plan:
    text = TEXTS[options.lang]
    ordered = sorted(records, key=lambda r: (r.submitter or "", r.source.path, r.source.practice_index))
    homes: list[tuple[str, list[Record], list[Record]]] = []
    if options.group_by == "submitter":
        for submitter in sorted({r.submitter or text["no_submitter"] for r in ordered}):
            home = [r for r in ordered if (r.submitter or text["no_submitter"]) == submitter]
            homes.append((f"{text['submitter_part']} {submitter}", home, []))
    else:
        for code in (*CODES, None):  # the form's priority codes in its order, then the areas of no code
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
    return Plan(parts, _contents(parts, options))


def _contents(parts: list[Part], options: CompendiumOptions) -> list[ContentsEntry]:
    """Parts, then under each the submitters (at their first practice) and the practice titles."""
    no_submitter = TEXTS[options.lang]["no_submitter"]
    entries = []
    for part in parts:
        entries.append(ContentsEntry(1, part.title, part.anchor))
        previous: object = object()
        for practice in part.practices:
            submitter = practice.record.submitter or no_submitter
            if options.group_by == "priority" and submitter != previous:
                entries.append(ContentsEntry(2, submitter, practice.anchor))
            previous = submitter
            entries.append(ContentsEntry(3, practice.title(options.lang), practice.anchor))
    return entries
