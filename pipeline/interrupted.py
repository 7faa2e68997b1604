"""The batch stopped by Ctrl-C. Apart, and light, so the command line can catch it without importing the
batch (a run where nothing changed imports nothing heavy: tests/test_lazy_imports.py)."""

from __future__ import annotations

from typing import Any


class BatchInterrupted(Exception):
    """Ctrl-C: `report` (also written to _report.json) has every file read before it, and the others as
    they were after the last run, or as `interrupted` errors when they had never been read."""

    def __init__(self, report: Any, unread: list[str]):
        super().__init__("interrupted")
        self.report = report
        self.unread = unread  # the files this run did not read


__all__ = ["BatchInterrupted"]
