"""What the review command does, as a library: find records and their sources, list what a person must
decide (flagged fields and unplaced text), take a decision and show it in the record at once.

Records are always shown with the store's decisions applied at read time, so the review, the
compendium and the exports show the same thing whatever store the record file was last written with."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from extract.record import RecordBase, record_model
from forms import FormSpec, FormSpecError
from records import (
    REPORT_NAME,
    Busy,
    DamagedFile,
    UnknownForm,
    apply_decisions,
    dumps,
    folder_form,
    folder_lock,
    read_model,
    record_paths,
)
from records import write_atomic as write_record
from records.moves import Reply, Unmatched, unmatched
from review import decisions as act
from review.groups import GroupDesk, is_group_key, waiting_groups
from review.store import UNASSIGNED, Decision, ReviewStore, StoreError, check_record_id

RECORD_WRITE_WAIT = 5.0  # seconds to wait for an extraction run to finish with the records folder


class ReviewError(StoreError):
    """An unknown record or field, or a folder without records: a usage error for the CLI."""


@dataclass(frozen=True)
class Item:
    """One thing a person must decide: a flagged field, unplaced text (`index` into `unassigned`), or a
    group of copies of one practice that differ (`key` is the group's id, `record` the copy published now)."""

    record: RecordBase
    key: str  # 'context', 'contact.email', 'unassigned.3', or a duplicate group's id 'dup-…'
    revision: int  # of the decision in force on `key` in the store (0: none; a group's: always 0)
    copies: tuple[RecordBase, ...] = ()  # a duplicate group's copies, `record` first

    @property
    def kind(self) -> str:
        if is_group_key(self.key):
            return "duplicate"
        return "unassigned" if self.key.startswith(UNASSIGNED) else "field"

    @property
    def index(self) -> int | None:
        return int(self.key.removeprefix(UNASSIGNED)) if self.kind == "unassigned" else None

    @property
    def field(self):
        return self.record.field(self.key) if self.kind == "field" else None

    def as_dict(self) -> dict:
        from review.views import item_dict

        return item_dict(self)


class ReviewSession:
    """The records of one folder, all of one form: `form` (a spec, a spec file or a shipped form's id), else
    the form the records name (records/forms.py); ReviewError when it cannot be resolved. A record of
    another form is left out and named in `problems`."""

    def __init__(
        self, records_dir: Path, store_dir: Path, reviewer: str | None = None, form: Path | FormSpec | None = None
    ):
        if not records_dir.is_dir():
            raise ReviewError(f"no records folder at {records_dir}: run 'pecs-extract' first")
        try:
            self.form = form if isinstance(form, FormSpec) else folder_form(records_dir, form)
        except (UnknownForm, FormSpecError) as error:
            raise ReviewError(str(error)) from None
        self.model = record_model(self.form)
        self.records_dir = records_dir
        self.store = ReviewStore(store_dir, reviewer)
        self.problems: list[str] = []  # record files that could not be used, one plain line each
        self.not_written: list[str] = []  # decisions saved whose record file could not be rewritten

    def with_reviewer(self, reviewer: str) -> ReviewSession:
        """The same records and store, decisions made in another reviewer's name."""
        other = ReviewSession.__new__(ReviewSession)
        other.form, other.model, other.records_dir, other.problems = self.form, self.model, self.records_dir, []
        other.not_written = []
        other.store = ReviewStore(self.store.folder, reviewer)
        return other

    def _load(self, path: Path) -> RecordBase | None:
        try:
            record = read_model(path, self.model)
            if check_record_id(record.record_id) != path.stem:
                raise StoreError("its record_id is not its file name")
        except DamagedFile as damaged:
            self.problems.append(f"{path.name}: {damaged.reason}; skipped (run pecs-extract again to rewrite it)")
            return None
        except (OSError, StoreError) as error:
            reason = error if isinstance(error, StoreError) else f"cannot be read ({error.strerror})"
            self.problems.append(f"{path.name}: {reason}; skipped (run pecs-extract again to rewrite it)")
            return None
        return apply_decisions(record, self.store.decisions(record.record_id))

    def records(self) -> list[RecordBase]:
        self.problems = []
        return [record for record in map(self._load, record_paths(self.records_dir)) if record is not None]

    def record(self, record_id: str) -> RecordBase:
        try:
            path = self.records_dir / f"{check_record_id(record_id)}.json"
        except StoreError:
            raise ReviewError(f"unknown record {str(record_id)[:80]!r} in {self.records_dir}") from None
        record = self._load(path) if path.is_file() else None
        if record is None:
            raise ReviewError(f"unknown record '{record_id}' in {self.records_dir}")
        return record

    def items(self, records: list[RecordBase] | None = None) -> list[Item]:
        """Everything a person must decide, record by record in the form's order; a group of differing
        copies once, before the fields of its first copy to come."""
        records = self.records() if records is None else records
        groups = waiting_groups(records)
        found = []
        for record in records:
            group = record.duplicate_group
            if group is not None and group.id in groups:
                copies = tuple(groups.pop(group.id))
                found.append(Item(copies[0], group.id, 0, copies))
            decisions = self.store.decisions(record.record_id)
            for key, _ in record.flagged():
                found.append(Item(record, key, act.revision_of(decisions, key)))
            for index, entry in enumerate(record.unassigned):
                if entry.review is None:
                    key = f"{UNASSIGNED}{index}"
                    found.append(Item(record, key, act.revision_of(decisions, key)))
        return found

    def flagged(self) -> list[Item]:
        return [item for item in self.items() if item.kind == "field"]

    def group_item(self, group_id: str) -> Item | None:
        """The group's item as it is now; None once it is decided (or gone)."""
        return next((item for item in self.items() if item.key == group_id), None)

    @property
    def groups(self) -> GroupDesk:
        """Decisions on duplicate groups, in this session's reviewer's name."""
        return GroupDesk(self)

    def revision(self, record_id: str, key: str) -> int:
        return act.revision_of(self.store.decisions(record_id), key)

    # The decisions: each one calls the single implementation in review/decisions.py, then rewrites the record.
    def decide(self, record_id: str, key: str, value: str | None, expected: int | None = None) -> Decision:
        return self._after(record_id, act.correct(self.store, self.record(record_id), key, value, expected))

    def accept(self, record_id: str, key: str, expected: int | None = None) -> Decision:
        return self._after(record_id, act.accept(self.store, self.record(record_id), key, expected))

    def assign(self, record_id: str, index: object, target: str, expected: int | None = None) -> Decision:
        return self._after(record_id, act.assign(self.store, self.record(record_id), index, target, expected))

    def dismiss(self, record_id: str, index: object, expected: int | None = None) -> Decision:
        return self._after(record_id, act.dismiss(self.store, self.record(record_id), index, expected))

    def undo(self, record_id: str, key: str, expected: int | None = None) -> None:
        act.undo(self.store, self.record(record_id), key, expected)
        self._after(record_id, None)

    def _after(self, record_id: str, decision):
        """Show the decision in the record file now, unless an extraction run holds the folder for long
        (it applies the store itself; readers apply it at read time meanwhile).

        The store is the truth and the record file a copy of it: a record file that cannot be written (a
        read-only folder, a full disk) leaves the decision saved and in force, since review, compendium,
        export and the next run apply the store whenever they read; `not_written` says so plainly."""
        try:
            with folder_lock(self.records_dir, timeout=RECORD_WRITE_WAIT):
                write_record(self.records_dir / f"{record_id}.json", dumps(self.record(record_id)))
        except Busy:
            pass
        except OSError as error:
            self.not_written.append(
                f"decision saved; the record file {record_id}.json could not be updated ({error.strerror}): "
                "review, compendium and export apply the decision when they read it, the next run writes it"
            )
        return decision

    def unmatched_decisions(self) -> list[Unmatched]:
        """Store files whose decisions apply to no record of the folder (records/moves.py says why)."""
        records = self.records()
        replies = [Reply(r.record_id, r.source.sha256, r.source.path) for r in records]
        present = {path.stem for path in record_paths(self.records_dir)}
        return unmatched(self.store.folder, replies, present)

    def sources(self) -> dict[str, Path]:
        """Where each record's source file was read, from the run report."""
        try:
            report = json.loads((self.records_dir / REPORT_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        found = {}
        for entry in report.get("files", []):
            if isinstance(entry, dict) and isinstance(entry.get("location"), str):
                for record_id in entry.get("record_ids", []):
                    found[record_id] = Path(entry["location"])
        return found
