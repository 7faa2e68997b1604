"""How long and how much memory one file's reading may take (pipeline/workers.py enforces them).
Light on purpose: the command line imports it without the readers."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_MEMORY_MB = 2048


@dataclass(frozen=True)
class Limits:
    timeout: float = DEFAULT_TIMEOUT  # seconds of wall clock per file
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB  # address space per worker; None: no limit
