"""Duplicate practices: grouped after extraction, one copy published, differing copies left to a person."""

from duplicates.grouping import NEAR_FLAG, Group, find_groups, published, undecided
from duplicates.store import DuplicateError, GroupReport, decide, regroup, withdraw

__all__ = [
    "NEAR_FLAG",
    "DuplicateError",
    "Group",
    "GroupReport",
    "decide",
    "find_groups",
    "published",
    "regroup",
    "undecided",
    "withdraw",
]
