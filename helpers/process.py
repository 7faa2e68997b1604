"""Helper programs (LibreOffice for conversions, OCRmyPDF with Tesseract and Ghostscript under it) run
under the same limits as the file they serve: the file's deadline and its memory limit.

Each helper starts in its own process group (its own session), so that on a timeout, on the memory
limit, and after every normal exit, the whole group is killed: LibreOffice's soffice.bin and
OCRmyPDF's Tesseract and Ghostscript children die with it instead of running on after pecs-extract
returns. The worker tells the batch which group is running (`FileBudget.on_helper`), so a worker that
is itself killed does not leave its helpers behind either.

The memory limit is checked on the group's resident memory, a few times a second: an address-space
limit (what the reader itself runs under) cannot be used, since LibreOffice reserves far more address
space than it ever uses.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

POLL = 0.1  # seconds between two looks at a helper's time and memory
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class HelperLimit(Exception):
    """A helper stopped at a limit: `kind` is 'timeout' or 'memory'; the message names the phase."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass
class FileBudget:
    """What the file being read may still spend; set by the worker for each file."""

    deadline: float | None = None  # time.monotonic() when the file's time is up
    timeout: float | None = None  # the whole file's limit, in seconds, for messages
    max_memory_mb: int | None = None
    # told (process group, phase) when a helper starts and (None, phase) when it is gone
    on_helper: Callable[[int | None, str], None] | None = None


_budget = FileBudget()


def set_budget(budget: FileBudget) -> None:
    global _budget
    _budget = budget


@dataclass(frozen=True)
class HelperResult:
    returncode: int
    stderr: str


def run_helper(command: list[str], phase: str, cap: float, env: dict[str, str] | None = None) -> HelperResult:
    """Run `command` to its end within the file's deadline (and at most `cap` seconds) and memory limit.

    `phase` names the work in messages ("OCR", "the LibreOffice conversion"). Raises HelperLimit when a
    limit is reached; the helper's whole process group is gone when
    this returns, whatever happened."""
    budget = _budget
    started = time.monotonic()
    limit = started + cap if budget.deadline is None else min(started + cap, budget.deadline)
    file_first = budget.deadline is not None and budget.deadline <= started + cap
    allowed = (budget.timeout or cap) if file_first else cap  # the limit that will stop it, for the message
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=env,
            start_new_session=True,  # its own process group, and no terminal signals (Ctrl-C goes to us)
            preexec_fn=_lift_address_space_limit,
        )
        if budget.on_helper:
            budget.on_helper(process.pid, phase)
        try:
            _watch(process, limit, budget.max_memory_mb, phase, allowed)
        finally:
            kill_group(process.pid)
            process.wait()
            if budget.on_helper:
                budget.on_helper(None, phase)
        errors.seek(0)
        return HelperResult(process.returncode, errors.read().decode("utf-8", "replace"))


def _watch(process: subprocess.Popen, limit: float, max_memory_mb: int | None, phase: str, allowed: float) -> None:
    while True:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=POLL)
            return
        if time.monotonic() >= limit:
            raise HelperLimit("timeout", f"{phase} did not finish in {allowed:g} s (see --timeout)")
        if max_memory_mb and group_memory_mb(process.pid) > max_memory_mb:
            raise HelperLimit(
                "memory", f"{phase} needed more than {max_memory_mb} MB of memory and was stopped (see --max-memory)"
            )


def kill_group(group: int) -> None:
    """Kill every process of the group (nothing happens if it is already gone)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


def group_members(group: int) -> list[int]:
    """The processes of a process group still running (zombies excluded), from /proc."""
    found = []
    for entry in _proc_entries():
        fields = _stat_fields(entry)
        if fields and fields[2] == str(group) and fields[0] != "Z":
            found.append(int(entry))
    return found


def group_memory_mb(group: int) -> float:
    total = 0
    for entry in _proc_entries():
        fields = _stat_fields(entry)
        if fields and fields[2] == str(group):
            total += int(fields[21]) * PAGE  # rss, in pages
    return total / (1024 * 1024)


def _proc_entries() -> list[str]:
    try:
        return [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return []  # no /proc (not Linux): only the deadline is enforced


def _stat_fields(pid: str) -> list[str] | None:
    """/proc/PID/stat after the command name: state, ppid, pgrp, ... (the name may hold spaces)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()


def _lift_address_space_limit() -> None:
    """The worker's address-space limit is not the helper's: LibreOffice and Tesseract reserve far more
    than they use, so they run under the resident-memory check of `_watch` instead."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
