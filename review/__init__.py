"""The review loop: human decisions on flagged fields and unplaced text, stored apart from the records
and applied whenever a record is read or written, so a correction survives re-extraction."""

from review.store import Decision, ReviewStore, apply_decisions, store_for

__all__ = ["Decision", "ReviewStore", "apply_decisions", "store_for"]
