"""Decisions that follow their reply when it is moved or renamed, and decisions left matching no record.

A record's id holds its reply's path (extract/record_id.py), so `mv raw/x.docx raw/belgique/` gives the
reply new record ids, and its store files (review/<old id>.json) match no record any more: without this,
every decision on it would silently stop applying. A store file that matches no record is carried to the
ONE record of this run read from the very bytes it was decided on (the `source_sha256` of its decisions)
at the same practice index, when that record has no store file of its own. A reply copied rather than
moved keeps its decisions where they are (the old record is still there); the copy starts undecided, as
any second copy of a practice does. Anything else (no such record, several, one with decisions of its
own) is left in place and named, never guessed.

The old file is never deleted: it moves to review/moved/, out of the way of the next run's matching."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from records.decisions import RecordDecisions, is_record_id, read_store_file
from records.files import write_atomic
from records.load import DamagedFile
from records.locks import folder_lock

MOVED_FOLDER = "moved"  # in the store: files whose decisions were carried to a moved reply's new record id
_INDEX = re.compile(r"-(\d+)$")  # a record id ends with its practice's index in the reply


@dataclass(frozen=True)
class Reply:
    """A record as the matching sees it: its id, the bytes it was read from, where."""

    record_id: str
    sha256: str | None  # None: a record of the folder this run did not read (another run's inputs)
    path: str


@dataclass(frozen=True)
class Carried:
    old_id: str
    new_id: str
    path: str  # the reply where it is now
    decisions: int  # in force, carried along with the whole history


@dataclass(frozen=True)
class Unmatched:
    record_id: str  # the store file review/<record_id>.json, kept as it is
    decisions: int
    reason: str


def store_ids(store: Path) -> list[str]:
    """The record ids that have a store file (the duplicates' `_duplicates.json` and temp files aside)."""
    try:
        names = [path.stem for path in store.glob("*.json")]
    except OSError:
        return []
    return sorted(name for name in names if name[0] not in "_." and is_record_id(name))


def follow_moves(store: Path, replies: list[Reply], present: set[str]) -> list[Carried]:
    """Carry the store files of records no longer `present` to the record their reply now has (see above),
    under the store's lock (reviewers may be deciding meanwhile). `replies`: the records just read."""
    carried: list[Carried] = []
    if not store.is_dir():
        return carried
    with folder_lock(store):
        for old_id, stored, target in _matches(store, replies, present):
            if target is None:
                continue
            _carry(store, stored, target.record_id)
            carried.append(Carried(old_id, target.record_id, target.path, len(stored.decisions)))
            present.add(target.record_id)
    return carried


def unmatched(store: Path, replies: list[Reply], present: set[str]) -> list[Unmatched]:
    """The store files with decisions in force that match no record in `present`, and why none could be
    found for them. Reads only."""
    found = []
    for old_id, stored, _ in _matches(store, replies, present):
        if stored.decisions:
            found.append(Unmatched(old_id, len(stored.decisions), _why(store, stored, old_id, replies)))
    return found


def _matches(store: Path, replies: list[Reply], present: set[str]):
    """(orphan id, its decisions, the one reply they follow or None) for every store file of a record that
    is not `present`; a damaged store file is left to the review, which names it."""
    claimed: set[str] = set()
    for old_id in store_ids(store):
        if old_id in present:
            continue
        try:
            stored = read_store_file(store, old_id)
        except (DamagedFile, OSError):
            continue
        candidates = [r for r in _same_bytes(stored, old_id, replies) if r.record_id not in claimed]
        own = [r for r in candidates if (store / f"{r.record_id}.json").exists()]
        target = candidates[0] if stored.decisions and len(candidates) == 1 and not own else None
        if target is not None:
            claimed.add(target.record_id)
        yield old_id, stored, target


def _same_bytes(stored: RecordDecisions, old_id: str, replies: list[Reply]) -> list[Reply]:
    """The replies read from bytes a decision in force was taken on, at the same practice index."""
    decided_on = {decision.source_sha256 for decision in stored.decisions.values()}
    index = _index(old_id)
    return [
        reply
        for reply in replies
        if reply.sha256 in decided_on and index is not None and _index(reply.record_id) == index
    ]


def _index(record_id: str) -> str | None:
    found = _INDEX.search(record_id)
    return found.group(1) if found else None


def _why(store: Path, stored: RecordDecisions, old_id: str, replies: list[Reply]) -> str:
    same = _same_bytes(stored, old_id, replies)
    if not same:
        return "no reply read here has the bytes they were decided on (removed, or changed as well as moved)"
    if len(same) > 1:
        return f"{len(same)} replies have the bytes they were decided on ({', '.join(r.path for r in same)})"
    return f"the reply with the bytes they were decided on ({same[0].path}) has decisions of its own"


def _carry(store: Path, stored: RecordDecisions, new_id: str) -> None:
    """The decisions (and their whole history) under the new id; the old file to moved/, never lost: the
    new file is written first, so a run killed in between leaves both, named by the next run."""
    old_id = stored.record_id
    moved = stored.model_copy(deep=True)
    moved.record_id = new_id
    moved.moved_from = [*stored.moved_from, old_id]
    for decision in [*moved.decisions.values(), *moved.history]:
        decision.record_id = new_id
    text = json.dumps(moved.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"  # as review/store.py
    write_atomic(store / f"{new_id}.json", text)
    archive = store / MOVED_FOLDER
    archive.mkdir(exist_ok=True)
    target, number = archive / f"{old_id}.json", 1
    while target.exists():  # moved back and forth: every earlier file is kept
        number += 1
        target = archive / f"{old_id}.{number}.json"
    os.replace(store / f"{old_id}.json", target)
