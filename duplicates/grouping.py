"""Which records are the same practice: same name (the field the form's spec declares as the title) and
largely the same answers.

Pure: records in, groups out. A secretariat receives the same reply twice (resent, forwarded by a
ministry and by a delegation, inside a compilation); such copies are grouped and one of them is
chosen to be published. Copies whose answers differ (a corrected resend) are grouped too, and the
group is one review item: a person chooses the copy to publish or splits the group, nothing is merged
silently. Each member carries the group (`duplicate_group`); field flags stay about each field's own reading.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from rapidfuzz import fuzz, process, utils

from extract.record import DuplicateGroup, RecordBase, form_of
from extract.vocabulary import Flag

NAME_CUTOFF = 90.0  # practice names: a typo fixed in a resend still matches, another practice does not
ANSWERS_CUTOFF = 85.0  # answers: measured 100 on the samples' copies, about 40 between different practices
# Records written before schema 2.2 carry this flag on each differing field; grouping now takes it off.
NEAR_FLAG = Flag.near_duplicate
_R = TypeVar("_R", bound=RecordBase)  # the PECS form's records or another form's, given back as such
RECENT_SECONDS = 3600  # files copied together (a checkout, an unzip) have close times that order nothing


@dataclass
class Group:
    members: list[str]  # record ids, the chosen one first
    similarity: float  # lowest similarity of the answers between two members (100: identical)
    differing: list[str] = field(default_factory=list)  # fields whose values are not the same in all members
    decision: Literal["confirmed", "split"] | None = None  # "confirmed" or "split" by a reviewer; None: not settled
    decided_by: str | None = None
    decided_at: str | None = None

    @property
    def id(self) -> str:
        """Stable for the same members: a decision applies to exactly the group it was taken on."""
        return "dup-" + hashlib.sha256("\n".join(sorted(self.members)).encode()).hexdigest()[:10]

    @property
    def chosen(self) -> str:
        return self.members[0]

    @property
    def identical(self) -> bool:
        return not self.differing

    @property
    def merged(self) -> bool:
        """Printed once: identical copies, or a group a reviewer confirmed."""
        return self.decision == "confirmed" or (self.identical and self.decision != "split")

    def carried(self) -> DuplicateGroup | None:
        """What each member record carries of the group (nothing once it is split)."""
        if self.decision == "split":
            return None
        status = self.decision or ("identical" if self.identical else "differs")
        return DuplicateGroup(id=self.id, members=list(self.members), differing_fields=self.differing, status=status)


def text_of(value: str | None) -> str:
    """A value as compared: line breaks and spacing of a PDF or a Word file do not make answers differ."""
    return " ".join((value or "").split())


def similarity(a: RecordBase, b: RecordBase) -> float:
    """0-100: the answers' likeness, each field weighted by its length (the name, compared apart, excluded)."""
    total = weight = 0.0
    title = form_of(a).title_key
    for (key, first), (_, second) in zip(a.all_fields(), b.all_fields(), strict=True):
        left, right = text_of(first.value), text_of(second.value)
        if key == title or not (left or right):
            continue
        size = max(len(left), len(right))
        total += size * (100.0 if left == right else fuzz.ratio(left, right, processor=utils.default_process))
        weight += size
    return round(total / weight, 1) if weight else 100.0


def differing_fields(records: Sequence[RecordBase]) -> list[str]:
    keys = [key for key, _ in records[0].all_fields()]
    return [key for key in keys if len({text_of(r.field(key).value) for r in records}) > 1]


def find_groups(records: Sequence[RecordBase], recency: dict[str, float] | None = None) -> list[Group]:
    """Groups of two or more records of the same practice, in a stable order.

    `recency`: record id → when its source was last changed (seconds); the most recent copy is chosen,
    then the one with the fewest flags."""
    named = [r for r in records if name_key(r)]
    names = [name_key(r) for r in named]
    parent = list(range(len(named)))
    links: dict[tuple[int, int], float] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in name_pairs(names):
        if (score := similarity(named[i], named[j])) >= ANSWERS_CUTOFF:
            links[(i, j)] = score
            parent[root(j)] = root(i)
    clusters: dict[int, list[int]] = {}
    for i in range(len(named)):
        clusters.setdefault(root(i), []).append(i)
    groups = []
    for members in clusters.values():
        if len(members) < 2:
            continue
        chosen = sorted((named[i] for i in members), key=lambda r: _preference(r, recency or {}))
        lowest = min(score for pair, score in links.items() if pair[0] in members)
        groups.append(Group([r.record_id for r in chosen], lowest, differing_fields(chosen)))
    return sorted(groups, key=lambda g: g.chosen)


def name_key(record: RecordBase) -> str:
    """A record's practice name (its form's title field) as the grouping compares names ('' when none)."""
    name = text_of(record.title())
    return utils.default_process(name) if name else ""


def name_pairs(names: list[str]) -> list[tuple[int, int]]:
    """Every (i, j), i < j, whose names (as `name_key` gives them) score NAME_CUTOFF or more, in order.

    fuzz.ratio is 100 * (1 - distance / (len_i + len_j)) and the distance is at least the difference of
    the lengths, so two names can only match when the longer is at most (200 - cutoff) / cutoff times
    the shorter: each name is compared only with the names of such lengths (found in the names
    sorted by length), which finds exactly the pairs of comparing every name with every other."""
    by_length = sorted(range(len(names)), key=lambda i: len(names[i]))
    lengths = [len(names[i]) for i in by_length]
    stretch = (200 - NAME_CUTOFF) / NAME_CUTOFF
    pairs = []
    for position, i in enumerate(by_length):
        end = bisect.bisect_right(lengths, lengths[position] * stretch + 1)  # +1: no rounding at the edge
        window = [by_length[k] for k in range(position + 1, end)]
        alike = process.extract(
            names[i], [names[k] for k in window], scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF, limit=None
        )
        pairs += [(min(i, window[k]), max(i, window[k])) for _, _, k in alike]
    return sorted(pairs)


def _preference(record: RecordBase, recency: dict[str, float]) -> tuple:
    changed = recency.get(record.record_id, 0.0)
    flags = sum(1 for _, f in record.flagged() if set(f.flags) - {NEAR_FLAG})
    return (-(changed // RECENT_SECONDS), flags, record.record_id)


def apply_groups(records: Sequence[_R], groups: list[Group]) -> list[_R]:
    """Each record with its `duplicate_of` and `duplicate_group` set from `groups`; the records whose
    content changed are returned (earlier grouping is undone first, so a re-run is idempotent)."""
    by_id = {r.record_id: r for r in records}
    wanted: dict[str, tuple[str | None, DuplicateGroup | None]] = {r.record_id: (None, None) for r in records}
    for group in groups:
        carried = group.carried()
        if carried is None:
            continue
        for member in group.members:
            wanted[member] = (None if member == group.chosen else group.chosen, carried)
    changed = []
    for record_id, (duplicate_of, carried) in wanted.items():
        record = by_id[record_id]
        if not grouping_changes(record, duplicate_of, carried):
            continue  # most records: no copy made (a deep copy of every record cost a fifth of a run)
        updated = record.model_copy(deep=True)
        updated.duplicate_of, updated.duplicate_group = duplicate_of, carried
        for _, value in updated.all_fields():
            value.flags = [f for f in value.flags if f != NEAR_FLAG]
        updated.needs_review = updated.review_needed()
        if updated != record:
            changed.append(updated)
    return changed


def grouping_changes(record: RecordBase, duplicate_of: str | None, carried: DuplicateGroup | None) -> bool:
    """Whether `apply_groups` would change `record`: its `duplicate_of`, its group, a near-duplicate flag of
    an earlier schema to take off, or (after those) its `needs_review`."""
    if record.duplicate_of != duplicate_of or record.duplicate_group != carried:
        return True
    if any(NEAR_FLAG in value.flags for _, value in record.all_fields()):
        return True
    return record.needs_review != record.review_needed()


def undecided(record: RecordBase) -> bool:
    """A copy in a group whose answers differ, and on which no one has decided yet."""
    return record.duplicate_group is not None and record.duplicate_group.undecided


def published(records: Sequence[_R]) -> list[_R]:
    """The records a compendium or an export prints: each group once. While no one has decided on a group
    whose copies differ, every copy is printed (and needs review): never merged silently."""
    return [r for r in records if r.duplicate_of is None or undecided(r)]
