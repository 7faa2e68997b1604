"""The review store: one human-readable JSON file per record, beside the records folder (data/review/
for data/structured/). Extraction never writes there, so decisions outlive re-runs, deleted outputs
and even deleted sources.

Each file holds the decisions in force and the whole history (who decided what, when), so the store is
an audit trail and any decision can be withdrawn. Every change is read-modify-write under a lock on the
store folder: reviewers working at once (terminal, desk, scripts) never lose each other's decisions.
The format and reading live in records/ (extraction and publishing read it too)."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from pathlib import Path

from records import (
    UNASSIGNED,
    BadRecordId,
    DamagedFile,
    Decision,
    RecordDecisions,
    apply_decisions,
    folder_lock,
    read_store_file,
    store_for,
    write_atomic,
)
from records import check_record_id as _check_id

__all__ = [
    "UNASSIGNED",
    "Conflict",
    "DamagedStore",
    "Decision",
    "RecordDecisions",
    "ReviewStore",
    "StoreError",
    "apply_decisions",
    "check_record_id",
    "store_for",
]


class StoreError(Exception):
    """A record id that is not one, or a store file that cannot be read: a usage error for the CLI."""


class DamagedStore(StoreError):
    """A store file that cannot be read back: named, never quoted (it holds names and phone numbers)."""


class Conflict(Exception):
    """Someone else decided this item since the caller looked at it; `current` is their decision."""

    def __init__(self, current: Decision | None):
        super().__init__("decided by someone else meanwhile")
        self.current = current


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment nor the password database
        return "unknown"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class ReviewStore:
    def __init__(self, folder: Path, reviewer: str | None = None):
        self.folder = folder
        self.reviewer = reviewer or default_reviewer()

    def _path(self, record_id: str) -> Path:
        return self.folder / f"{check_record_id(record_id)}.json"

    def load(self, record_id: str) -> RecordDecisions:
        try:
            return read_store_file(self.folder, check_record_id(record_id))
        except DamagedFile as damaged:  # never print the store's content: it holds names and phones
            raise DamagedStore(f"the review store file {damaged.path} is damaged ({damaged.reason})") from None
        except OSError as error:
            raise StoreError(f"cannot read the review store in {self.folder}: {error.strerror}") from None

    def decisions(self, record_id: str) -> dict[str, Decision]:
        return self.load(record_id).decisions

    def change(self, record_id: str, made: list[Decision], expected: dict[str, int] | None = None) -> RecordDecisions:
        """Add decisions (action 'undone' withdraws the one in force) atomically, under the store's lock.

        `expected` maps a key to the revision of the decision the caller saw (0: none); if another
        decision was made since, nothing is written and Conflict carries the one in force."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with folder_lock(self.folder):
            stored = self.load(record_id)
            for key, revision in (expected or {}).items():
                current = stored.decisions.get(key)
                if (current.revision if current else 0) != revision:
                    raise Conflict(current)
            stored.revision += 1
            for decision in made:
                decision.revision = stored.revision
                stored.history.append(decision)
                if decision.action == "undone":
                    previous = _in_force(stored.history, decision.field)
                    if previous is None:
                        stored.decisions.pop(decision.field, None)
                    else:
                        stored.decisions[decision.field] = previous
                else:
                    stored.decisions[decision.field] = decision
            write_atomic(
                self._path(record_id),
                json.dumps(stored.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
            )
            return stored


def check_record_id(record_id: object) -> str:
    """The id if it is a record id (typed or read from a file alike); else StoreError."""
    try:
        return _check_id(record_id)
    except BadRecordId as error:
        raise StoreError(str(error)) from None


def _in_force(history: list[Decision], key: str) -> Decision | None:
    """Replay the history of `key`: each decision stacks, each withdrawal pops; what is left on top."""
    stack: list[Decision] = []
    for entry in history:
        if entry.field != key:
            continue
        if entry.action == "undone":
            if stack:
                stack.pop()
        else:
            stack.append(entry)
    return stack[-1] if stack else None
