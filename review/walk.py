"""The terminal walk: each item a person must decide, one at a time, with single-letter answers.

Every answer goes through ReviewSession (review/decisions.py), as the desk and the scripted commands do,
and is saved at once: quitting halfway loses nothing."""

from __future__ import annotations

from collections import Counter

import click

from records import SUBMITTER
from review.editor import EditCancelled, EditorMissing, edit_text
from review.groups import GroupError
from review.session import Item, ReviewSession
from review.store import Conflict, StoreError
from review.views import item_dict

INTERRUPTED = 130  # the shell's exit code for a command stopped by Ctrl-C
SUBMITTER_FLAG = "submitter_uncertain"
FIELD_CHOICES = "[a]ccept  [c]orrect  [e]ditor  [s]kip  [p]revious  [u]ndo  [q]uit  [?]help"
STALE_CHOICES = "[a]ccept the new extraction  [k]eep the earlier decision  [c]orrect  [e]ditor  [s]kip  [q]uit  [?]help"
UNPLACED_CHOICES = "[f]ield: add it to a field  [d]ismiss  [s]kip  [p]revious  [u]ndo  [q]uit  [?]help"
SUBMITTER_CHOICE = "[o] correct the country / organisation"
GROUP_CHOICES = "{copies}  [d]ifferent practices  [s]kip  [p]revious  [u]ndo  [q]uit  [?]help"
HELP = """  a  accept: the value shown is right
  c  correct it on one line (the value is prefilled)
  e  edit it in $EDITOR (several lines)          k  stale review: keep the earlier decision
  f  unplaced text: add it to a field            d  unplaced text: belongs to no field
  1, 2…  copies of one practice: publish that copy    d  copies: they are different practices
  o  submitter_uncertain: correct the practice's country / organisation (the header above the form)
  s  skip for now     p  previous item     q  quit (all is saved)
  u  undo your last decision in this walk, and show that item again (the desk's u does the same)"""


class Walk:
    def __init__(self, session: ReviewSession, folder: str):
        self.session = session
        self.folder = folder
        self.done: Counter[str] = Counter()
        self.decided: list[tuple[int, Item, str]] = []  # (position, item, key decided) of this walk, for `u`
        self.key_decided = ""  # what the last answer decided: the item's key, or the submitter

    def run(self) -> int:
        """The walk, to its end, `q`, Ctrl-C or the end of the input; the exit code (130: Ctrl-C)."""
        items = self.session.items()
        click.echo(_header(len(self.session.records()), items))
        try:
            self._walk(items)
        except (KeyboardInterrupt, click.Abort) as stop:
            # Ctrl-C (click turns it into Abort) or the end of the input: end as `q` does, every answer is saved
            click.echo()
            self._summary()
            interrupted = isinstance(stop, KeyboardInterrupt) or isinstance(stop.__context__, KeyboardInterrupt)
            return INTERRUPTED if interrupted else 0
        self._summary()
        return 0

    def _walk(self, items: list[Item]) -> None:
        position = 0
        while 0 <= position < len(items):
            move = self._one(items[position], position, len(items))
            if move == "quit":
                break
            if move == "undo":
                position = self._undo_last()
                continue
            if move == "decided":
                self.decided.append((position, items[position], self.key_decided))
            position = max(0, position - 1) if move == "back" else position + 1

    def _one(self, item: Item, position: int, total: int) -> str:
        if item.kind == "duplicate":
            current = self.session.group_item(item.key)  # as it is now: another reviewer may have decided
            if current is None:
                return "next"
            item = current
        else:
            record = self.session.record(item.record.record_id)  # as it is now: another reviewer may have decided
            item = Item(record, item.key, self.session.revision(record.record_id, item.key))
        view = item_dict(item)
        if item.kind == "field" and not view["flags"] and not view["stale"] and not view.get("review"):
            return "next"  # settled meanwhile with nothing decided on it
        _show(view, position, total)
        keys = _choices(item, view)
        while True:
            answer = click.prompt(f"  {keys}", default="s", show_default=False).strip().lower()[:1]
            if answer == "?":
                click.echo(HELP)
                continue
            if answer in ("q", "s", "p"):
                return {"q": "quit", "s": "next", "p": "back"}[answer]
            if answer == "u":
                if self.decided:
                    return "undo"
                click.secho("  nothing decided yet in this walk: nothing to undo", fg="yellow")
                continue
            try:
                outcome = self._decide(item, view, answer)
            except Conflict as conflict:
                other = conflict.current
                who = f"{other.action} by {other.decided_by} at {other.decided_at}" if other else "withdrawn"
                click.secho(f"  someone else decided this meanwhile ({who}); yours was not saved.", fg="yellow")
                return "next"
            except EditCancelled as cancelled:  # stay on the item: nothing was decided
                click.secho(f"  {cancelled}.", fg="yellow")
                continue
            except (StoreError, GroupError) as error:
                click.secho(f"  {error}", fg="red")
                continue
            if outcome is None:
                click.secho(f"  unknown key '{answer}': {keys} (? for help)", fg="yellow")
                continue
            click.echo(f"  saved: {outcome}.")
            for problem in self.session.not_written:  # saved and in force, but the record file is behind
                click.secho(f"  {problem}", fg="yellow")
            self.session.not_written.clear()
            self.done[outcome] += 1
            return "decided"

    def _decide(self, item: Item, view: dict, answer: str) -> str | None:
        session, rid, rev = self.session, item.record.record_id, item.revision
        self.key_decided = item.key
        if item.kind == "duplicate":
            return self._decide_group(item, answer)
        if item.kind == "unassigned":
            if answer == "f":
                return session.assign(rid, item.index, _ask_field(item, view), rev).action
            if answer == "d":
                return session.dismiss(rid, item.index, rev).action
        else:
            if answer == "a":
                return session.accept(rid, item.key, rev).action
            if answer == "k" and view["stale"]:
                return session.decide(rid, item.key, view["stale"]["earlier"], rev).action
            if answer in ("c", "e"):
                value = _edit(view["value"], in_editor=answer == "e")
                return session.decide(rid, item.key, value, rev).action
            if answer == "o" and SUBMITTER_FLAG in view["flags"]:
                click.echo(f"  country / organisation now: {view['submitter'] or '(none)'}")
                value = _edit(view["submitter"], in_editor=False)
                self.key_decided = SUBMITTER
                revision = session.revision(rid, SUBMITTER)
                return f"submitter {session.decide(rid, SUBMITTER, value, revision).action}"
        return None

    def _undo_last(self) -> int:
        """`u`: withdraw this walk's last decision and go back to its item."""
        position, item, key = self.decided.pop()
        try:
            if item.kind == "duplicate":
                self.session.groups.undo(item.key)
            else:
                self.session.undo(item.record.record_id, key)
        except (StoreError, GroupError) as error:  # withdrawn meanwhile by someone else
            click.secho(f"  {error}", fg="red")
            return position
        click.echo("  undone: your last decision; here is its item again.")
        self.done["undone"] += 1
        return position

    def _decide_group(self, item: Item, answer: str) -> str | None:
        """One decision for the whole group: which copy is published, or different practices."""
        if answer.isdigit() and 1 <= int(answer) <= len(item.copies):
            self.session.groups.publish(item.key, item.copies[int(answer) - 1].record_id)
            return f"published copy {answer}"
        if answer == "d":
            self.session.groups.split(item.key)
            return "different practices"
        return None

    def _summary(self) -> None:
        left = len(self.session.items())
        made = ", ".join(f"{action} {count}" for action, count in sorted(self.done.items())) or "no decision"
        click.secho(f"\n{made}; {left} {'item' if left == 1 else 'items'} still to decide.", bold=True)
        if left:
            click.echo(f"Next: pecs-extract review {self.folder} to go on (or --serve for the desk in a browser).")
        else:
            click.echo(f"Nothing left to decide. Next: pecs-extract compendium {self.folder}")


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _header(records: int, items: list[Item]) -> str:
    """'1 record, 3 items to decide: 2 flagged fields (flags: stale_review 2, invalid_url 1), 1 unplaced text'.
    Items are counted by kind; a field may carry several flags, so the flags are counted apart, said so."""
    kinds = Counter(item.kind for item in items)
    flags = Counter(flag for item in items if item.kind == "field" for flag in item_dict(item)["flags"])
    parts = []
    if kinds["field"]:
        listed = ", ".join(f"{flag} {count}" for flag, count in flags.most_common())
        parts.append(f"{_count(kinds['field'], 'flagged field')}" + (f" (flags: {listed})" if listed else ""))
    if kinds["unassigned"]:
        parts.append(_count(kinds["unassigned"], "unplaced text"))
    if kinds["duplicate"]:
        parts.append(_count(kinds["duplicate"], "duplicate group"))
    to_decide = f"{len(items)} {'item' if len(items) == 1 else 'items'} to decide"
    return f"{_count(records, 'record')}, {to_decide}: {', '.join(parts) or 'none'}"


def _choices(item: Item, view: dict) -> str:
    if item.kind == "duplicate":
        copies = "  ".join(f"[{n}] publish copy {n}" for n in range(1, len(item.copies) + 1))
        return GROUP_CHOICES.format(copies=copies)
    if item.kind == "unassigned":
        return UNPLACED_CHOICES
    choices = STALE_CHOICES if view["stale"] else FIELD_CHOICES
    return f"{choices}  {SUBMITTER_CHOICE}" if SUBMITTER_FLAG in view["flags"] else choices


def _show_group(view: dict) -> None:
    copies = view["copies"]
    click.echo(f"  the same practice, it seems, received {len(copies)} times; the copies differ:")
    for n, copy in enumerate(copies, start=1):
        pages = f", pages {copy['pages'][0]}-{copy['pages'][-1]}" if copy["pages"] else ""
        now = "  (published now)" if copy["published"] else ""
        click.echo(f"  copy {n}: {copy['source']}{pages}, {copy['submitter'] or 'no submitter'}{now}")
    for differing in view["differing"]:
        click.echo(f"  {differing['label']} ({differing['field']}):")
        for n, value in enumerate(differing["values"], start=1):
            click.echo(f"    {n}: " + _block(value).replace("\n          ", "\n       "))
    click.echo("  Publish one copy (the others are left out as its duplicates), or say they are different practices.")


def _show(view: dict, position: int, total: int) -> None:
    click.secho(
        f"\n[{position + 1}/{total}] {view['submitter'] or ''} — {view['title'] or view['record_id']}",
        bold=True,
    )
    if view["kind"] == "duplicate":
        _show_group(view)
        return
    pages = f", page {', '.join(map(str, view['pages']))}" if view["pages"] else ""
    if view["kind"] == "unassigned":
        after = view["near_field_label"] or "the start of the form"
        click.echo(f"  unplaced text (after {after}), {view['source']}{pages}:")
        click.echo(f"  ({_plain(view['explanations']['unassigned'])})")
        click.echo("    " + view["text"].replace("\n", "\n    "))
    else:
        click.echo(f"  field:  {view['field_label']} ({view['field']})   (label found: {view['label'] or '— none'})")
        if not view["flags"]:
            click.echo(f"  flags:  none ({item_field_review(view)})")
        for flag in view["flags"]:
            click.echo(f"  flag:   {flag}: {_plain(view['explanations'][flag])}")
        if SUBMITTER_FLAG in view["flags"]:
            click.echo(f"  submitter (country / organisation): {view['submitter'] or '(none)'}")
        click.echo(f"  source: {view['source']}{pages}")
        if view["stale"]:
            stale = view["stale"]
            click.echo(
                f"  earlier decision ({stale['earlier_action']} {stale['earlier_at']}): " + _block(stale["earlier"])
            )
            click.echo("  new extraction:   " + _block(stale["new"]))
        else:
            click.echo("  value:  " + _block(view["value"]))
        if view["typed"]:
            click.echo(f"  typed:  {view['typed']!r} (read as a placeholder, so no value)")
    near = view["neighbours"]
    # the neighbouring fields: where a missing label's answer or an unplaced text may belong
    for side in ("before", "after"):
        if near[side]:
            click.echo(f"  {side}: {near[side]['field_label']}: " + _short(near[side]["value"]))
    for entry in near["unplaced"]:
        click.echo(f"  unplaced text here (#{entry['index']}): " + _short(entry["text"]))


def item_field_review(view: dict) -> str:
    review = view.get("review")
    if not review:
        return "nothing decided"
    return f"{review['action']} by {review['decided_by'] or '?'} at {review['decided_at']}"


def _plain(explanation: str) -> str:
    return explanation.replace("`", "")


def _block(text: str | None) -> str:
    return (text or "(empty)").replace("\n", "\n          ")


def _short(text: str | None, width: int = 90) -> str:
    flat = (text or "(empty)").replace("\n", " ")
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _ask_field(item: Item, view: dict) -> str:
    """A field's name, asked again until it is one; nothing typed (and nothing suggested) cancels."""
    names = [name for name, _ in item.record.all_fields()]
    labels = view["field_labels"]
    click.echo("  fields: " + ", ".join(f"{n}) {labels[name]}" for n, name in enumerate(names, start=1)))
    suggestion = view["near_field"] or ""
    while True:
        answer = click.prompt("  add it to which field (number or name)", default=suggestion).strip()
        if answer.isdigit() and 1 <= int(answer) <= len(names):
            return names[int(answer) - 1]
        if answer in names:
            return answer
        if not answer:
            raise EditCancelled("no field chosen; nothing saved")
        click.secho(f"  no field {answer[:60]!r}: type a number from 1 to {len(names)} or a name above", fg="yellow")


def _edit(current: str | None, in_editor: bool) -> str | None:
    """The current value to change, never a blank start: in $EDITOR, or on one prefilled line. Leaving
    it unchanged (or the editor with an error) raises EditCancelled: nothing to decide."""
    if in_editor or (current and "\n" in current):
        if not in_editor:
            click.echo("  this value has several lines: opening it in your editor ($EDITOR)")
        try:
            return edit_text(current or "") or None
        except EditorMissing as error:
            raise StoreError(f"your editor could not be opened ({error}): set $EDITOR, e.g. EDITOR=vi") from None
    typed = _prefilled_line(current or "").strip()
    if typed == (current or "").strip():
        raise EditCancelled("no change; nothing saved")
    return typed or None


def _prefilled_line(current: str) -> str:
    """input() with `current` already typed (readline): change a letter without retyping the rest."""
    try:
        import readline
    except ImportError:  # no line editing here: Enter keeps the value, anything typed replaces it
        typed = click.prompt("  new value", default=current, show_default=bool(current))
        return typed
    readline.set_startup_hook(lambda: readline.insert_text(current))
    try:
        return input("  new value (Enter saves a change; erase it all to clear): ")
    finally:
        readline.set_startup_hook(None)
