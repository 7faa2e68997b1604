"""Pieces → practice drafts: which text belongs to which field, where practices start, who sent them.

A practice starts where the form's spec says (PECS: at the priority-areas label, or at a second
practice-name label). Text before a
practice's first label that looks like a header (FRANCE, BELGIQUE / Wallonie) is its submitter;
text that fits no field is kept as unassigned, next to the field it followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.catalogue import Catalogue, LabelMatch
from extract.contact_line import read_contact_line
from extract.evidence import Verdict, judge
from extract.label_rest import settle_label_rest
from extract.segment import Piece

MAX_HEADER_LINES = 3


@dataclass
class FieldDraft:
    key: str
    label: LabelMatch
    label_blocks: tuple[int, ...]
    parts: list[Piece] = field(default_factory=list)
    inline: str | None = None
    duplicate: bool = False
    structural: bool = False  # the label came from a table's label column
    from_line: bool = False  # no label of its own: read from the contact heading's line (extract/contact_line.py)
    label_rest_in_answer: bool = False  # words of the label's cut-off rest may be in the answer (label_rest.py)


@dataclass
class Unplaced:
    text: str
    near: str | None  # the field it followed (None: before the practice's first field)
    blocks: tuple[int, ...]
    preamble: bool = False  # above the practice's own header (a cover letter): no answer's place, no doubt


@dataclass
class PracticeDraft:
    fields: dict[str, FieldDraft] = field(default_factory=dict)
    unassigned: list[Unplaced] = field(default_factory=list)
    submitter: list[Piece] = field(default_factory=list)
    contact_seen: bool = False
    contact_blocks: tuple[int, ...] = ()


class _Assembler:
    def __init__(self, catalogue: Catalogue, firm_keys: set[str]):
        self.catalogue = catalogue
        self.firm_keys = firm_keys  # keys found as a label on their own somewhere: inline look-alikes lose
        self.practices: list[PracticeDraft] = []
        self.current: PracticeDraft | None = None
        self.current_field: str | None = None
        self.last_field: str | None = None
        self.pending: list[Piece] = []  # text before the first practice
        self.tail: list[tuple[Piece, list]] = []  # text since the last label, and the list it went into

    # -- decisions -----------------------------------------------------------------------------
    def accept_label(self, piece: Piece) -> bool:
        label = piece.label
        assert label is not None
        spec = self.catalogue.specs[label.key]
        practice = self.current
        if practice is None:
            return not spec.section and (not spec.contact or piece.structural)
        if self.starts_practice(piece):
            return True
        if spec.section:
            return not practice.contact_seen
        in_contact_part = practice.contact_seen or bool(self.catalogue.contact_labels_after & practice.fields.keys())
        if spec.contact and not (piece.structural or in_contact_part):
            return False
        if label.key in practice.fields:  # a repeated table row; in free text, a label word inside an answer
            return piece.structural or self.bare_heading(label.key)
        inline = piece.inline_value is not None and not piece.structural
        if inline and label.key in self.firm_keys:
            return False  # "Impact : ..." in an answer, while the form has its own "Impact" label
        if inline and self.current_field:
            # "Impact : ..." inside an answer must not cut it short: inline labels only move forward.
            return spec.order > self.catalogue.specs[self.current_field].order
        return True

    def bare_heading(self, key: str) -> bool:
        """The field's label came just before, alone: no answer, not in a table's label column. It was a
        heading ('Personne de contact' over 'Personne à contacter : Claire Martin'); this is the label."""
        draft = self.current.fields.get(key) if self.current else None
        return (
            draft is not None
            and self.current_field == key
            and not (draft.parts or draft.inline or draft.structural or draft.duplicate)
        )

    def starts_practice(self, piece: Piece) -> bool:
        practice = self.current
        if practice is None or piece.label is None or not practice.fields:
            return False
        key = piece.label.key
        starts = self.catalogue.specs[key].starts_practice
        if key not in practice.fields and all(self.catalogue.specs[k].starts_practice for k in practice.fields):
            # A practice written name first, then priority areas: consecutive practice-start labels with no
            # other question between them open one practice, not two (a one-label draft would be folded away).
            return False
        return starts == "always" or (starts == "when_repeated" and key in practice.fields)

    # -- actions -------------------------------------------------------------------------------
    def feed(self, piece: Piece) -> None:
        if piece.form_text:
            self.tail = []
            if self.current is None:
                self.pending.append(piece)  # stays as a stop for the header scan, never as text
            return
        if (
            piece.label_continuation
            and piece.label is not None
            and self.current
            and self.current_field == piece.label.key
        ):
            draft = self.current.fields[piece.label.key]
            draft.label = piece.label
            draft.label_blocks += piece.blocks
            return
        if piece.label is not None and self.accept_label(piece):
            self.take_label(piece)
        elif piece.orphan_label:
            self.current_field = None
            self.add_text(piece)
        else:
            self.add_text(piece)

    def take_label(self, piece: Piece) -> None:
        label = piece.label
        assert label is not None
        if self.current is None or self.starts_practice(piece):
            self.open_practice()
        practice = self.current
        assert practice is not None
        self.tail = []
        if self.catalogue.specs[label.key].section:
            practice.contact_seen = True
            practice.contact_blocks = piece.blocks
            self.current_field = None
            if piece.inline_value:  # "Contact: name, organisation, e-mail": never dropped
                self.take_contact_line(piece, practice)
            return
        if label.key in practice.fields and self.bare_heading(label.key):
            practice.contact_blocks += practice.fields.pop(label.key).label_blocks  # kept as the block's heading
        if label.key in practice.fields:
            draft = practice.fields[label.key]
            draft.duplicate = True
            draft.parts.append(Piece(piece.text, piece.blocks, structural=True, in_table=piece.in_table))
        else:
            draft = FieldDraft(label.key, label, piece.blocks, inline=piece.inline_value, structural=piece.structural)
            practice.fields[label.key] = draft
            if self.catalogue.specs[label.key].contact:
                practice.contact_seen = True
        self.current_field = self.last_field = label.key

    def take_contact_line(self, piece: Piece, practice: PracticeDraft) -> None:
        label, text = piece.label, piece.inline_value
        assert label is not None and text is not None
        parts = read_contact_line(text, self.catalogue)
        if parts is None or any(part.key in practice.fields for part in parts):
            practice.unassigned.append(Unplaced(text, self.last_field, piece.blocks))
            return
        for part in parts:
            found = LabelMatch(part.key, label.lang, label.score, label.found, label.variant)
            practice.fields[part.key] = FieldDraft(
                part.key, found, piece.blocks, inline=part.text, from_line=not part.certain
            )

    def add_text(self, piece: Piece) -> None:
        practice = self.current
        if practice is None:
            self.pending.append(piece)
            return
        if self.current_field is None:
            entry = Unplaced(piece.text, self.last_field, piece.blocks)
            practice.unassigned.append(entry)
            self.tail.append((piece, practice.unassigned))
        else:
            parts = practice.fields[self.current_field].parts
            parts.append(piece)
            self.tail.append((piece, parts))

    def open_practice(self) -> None:
        header = self.take_header()
        practice = PracticeDraft(submitter=header)
        if self.current is None and not self.practices:
            # text above the first practice's header is kept for review, but the header parts it from the form
            before = [p for p in self.pending if not p.form_text]
            practice.unassigned = [Unplaced(p.text, None, p.blocks, preamble=bool(header)) for p in before]
            self.pending = []
        if self.current is not None:
            self.practices.append(self.current)
        self.current = practice
        self.current_field = self.last_field = None
        self.tail = []

    def take_header(self) -> list[Piece]:
        """The header-like lines just before the new practice, removed from where they had gone."""
        if self.current is None:
            source = [(p, self.pending) for p in self.pending]
        else:
            source = self.tail
        header: list[tuple[Piece, list]] = []
        for piece, container in reversed(source):
            if piece.form_text or not (piece.header_like or _short_plain(piece)) or len(header) == MAX_HEADER_LINES:
                break
            header.insert(0, (piece, container))
        while header and not header[0][0].header_like:
            header.pop(0)  # a plain line only counts when a real header line stands above it
        for piece, container in header:
            _remove(container, piece)
        return [piece for piece, _ in header]

    def finish(self) -> list[PracticeDraft]:
        if self.current is not None:
            self.practices.append(self.current)
        return self.practices


def _short_plain(piece: Piece) -> bool:
    """A short line that may complete a header ('Wallonie' under 'BELGIQUE'), never on its own."""
    text = piece.text.strip()
    return (
        not piece.in_table
        and piece.label is None
        and len(text) <= 40
        and len(text.split()) <= 4
        and not text.endswith((".", ":", ";"))
        and "@" not in text
        and "://" not in text
        and "www." not in text
    )


def _remove(container: list, piece: Piece) -> None:
    for index, item in enumerate(container):
        if item is piece or (isinstance(item, Unplaced) and item.blocks == piece.blocks and item.text == piece.text):
            del container[index]
            return


def assemble(pieces, catalogue: Catalogue) -> tuple[list[PracticeDraft], list[Verdict]]:
    """Group pieces into practices; drafts without the evidence of a reply (extract/evidence.py) are
    folded into a neighbour. Also returns every draft's verdict, to say why a file gave none."""
    pieces = list(pieces)
    firm_keys = {p.label.key for p in pieces if p.label and (p.structural or p.inline_value is None)}
    assembler = _Assembler(catalogue, firm_keys)
    for piece in pieces:
        assembler.feed(piece)
    drafts = assembler.finish()
    for draft in drafts:
        for field_draft in draft.fields.values():
            settle_label_rest(field_draft, catalogue)
    kept: list[PracticeDraft] = []
    carried: list[Unplaced] = []  # a too-small draft before the first real practice
    verdicts = [judge(draft, catalogue) for draft in drafts]
    for draft, verdict in zip(drafts, verdicts, strict=True):
        if verdict.is_practice:
            draft.unassigned[:0] = carried
            carried = []
            kept.append(draft)
        elif kept:
            kept[-1].unassigned.extend(_as_unplaced(draft, next(reversed(kept[-1].fields), None)))
        else:
            carried.extend(_as_unplaced(draft, None))
    return kept, verdicts


def _as_unplaced(draft: PracticeDraft, near: str | None) -> list[Unplaced]:
    entries = [Unplaced(p.text, near, p.blocks) for p in draft.submitter]
    for field_draft in draft.fields.values():
        entries.append(Unplaced(field_draft.label.found, near, field_draft.label_blocks))
        entries.extend(Unplaced(p.text, near, p.blocks) for p in field_draft.parts)
    entries.extend(Unplaced(u.text, near, u.blocks) for u in draft.unassigned)
    return entries
