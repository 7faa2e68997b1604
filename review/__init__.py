"""The review loop: human decisions on flagged fields, stored apart from the records and applied on
every extraction run, so a correction survives re-extraction."""

from review.store import Decision, ReviewStore, apply_decisions, store_for

__all__ = ["Decision", "ReviewStore", "apply_decisions", "store_for"]
