"""Each file is read in a worker process that can be killed: a wall-clock limit and a memory limit per
file, so a crafted PDF that makes pdfminer loop for hours, or a decompression bomb, costs that file
only. (A future's timeout does not stop a running worker; only killing the process does.)

Workers are long-lived (importing the readers costs about as much as reading a reply) and are
replaced when one is killed or dies. Each holds its next file while it reads one: it goes on without
waiting for the batch process to be scheduled again (on a loaded machine each such wait cost more
than reading a small reply).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection, wait
from pathlib import Path

from helpers import FileBudget, kill_group, set_budget
from parsers import ErrorCode
from pipeline.limits import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, Limits
from pipeline.reading import Candidate, FileReport, ReadResult, read_file


def _limit_memory(max_memory_mb: int | None) -> None:
    if not max_memory_mb:
        return
    import resource

    limit = max_memory_mb * 1024 * 1024
    # The soft limit only: helpers (LibreOffice, OCR) lift it for themselves and are held to the same
    # number by their resident memory instead (helpers/process.py).
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker_main(conn: Connection, limits: Limits, review_dir: Path | None, options, temp_root: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the batch to handle: it stops us
    # Everything temporary (conversions, OCR, OCRmyPDF's own files) goes under the run's folder, which the
    # batch removes whatever happens to this process.
    os.environ["TMPDIR"] = tempfile.tempdir = temp_root
    _limit_memory(limits.max_memory_mb)
    margin = min(1.0, limits.timeout / 10)  # helpers stop a little before the batch would kill this worker
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        candidate, deadline = task  # the batch's clock (monotonic is system-wide): it kills us at `deadline`
        if deadline is None:  # the file held while the last was read: its time starts now (the batch's
            deadline = time.monotonic() + limits.timeout  # clock starts when it hears of the last: later)
        set_budget(
            FileBudget(
                deadline=deadline - margin,
                timeout=limits.timeout,
                max_memory_mb=limits.max_memory_mb,
                on_helper=lambda group, phase: conn.send(("helper", group, phase)),
            )
        )
        try:
            result = read_file(candidate, review_dir, options)
        except MemoryError:
            result = ReadResult.failed(
                candidate,
                f"ran out of memory (over {limits.max_memory_mb} MB): a decompression "
                "bomb or a file too large for this limit (see --max-memory)",
                ErrorCode.MEMORY,
            )
            result.retire_worker = True
        except Exception as error:  # a bug of ours: this file's error, named as a bug, and no traceback
            result = ReadResult.failed(candidate, _bug_message(error), ErrorCode.INTERNAL)
            result.retire_worker = True
        conn.send(result)


def _bug_message(error: Exception) -> str:
    """Where a bug struck, for a report, without the exception's text (it may quote the reply)."""
    frame = error.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    where = f" at {Path(frame.tb_frame.f_code.co_filename).name}:{frame.tb_lineno}" if frame else ""
    return f"internal error of pecs-extract (please report it): {type(error).__name__}{where}"


@contextlib.contextmanager
def _sigint_ignored():
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to change
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class _Worker:
    def __init__(self, context, limits: Limits, review_dir: Path | None, options, temp_root: str):
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main, args=(child, limits, review_dir, options, temp_root), daemon=True
        )
        with _sigint_ignored():  # inherited through exec: a Ctrl-C during its start prints no traceback either
            self.process.start()
        child.close()
        self.index: int | None = None
        self.candidate: Candidate | None = None
        self.queued: tuple[int, Candidate] | None = None  # the next file, sent while it reads this one
        self.started = 0.0
        self.helper: int | None = None  # the process group of the helper it runs now, if any
        self.phase: str | None = None  # what that helper does ("OCR"), for the timeout's message

    def assign(self, index: int, candidate: Candidate, timeout: float) -> None:
        self.index, self.candidate, self.started = index, candidate, time.monotonic()
        self.helper = self.phase = None
        self.conn.send((candidate, self.started + timeout))

    def queue(self, index: int, candidate: Candidate) -> None:
        """Send the next file now; the worker starts it as soon as it sends this one's result."""
        self.conn.send((candidate, None))
        self.queued = (index, candidate)

    def release(self) -> None:
        self.index = self.candidate = None  # `helper` stays known until the next file: kill() may need it
        if self.queued is not None:  # the worker went on with it when it sent the last result
            self.index, self.candidate = self.queued
            self.queued, self.started = None, time.monotonic()
            self.helper = self.phase = None

    def take_back(self) -> tuple[int, Candidate] | None:
        """The held file of a worker that is to be killed: never started, it goes to another worker."""
        held, self.queued = self.queued, None
        return held

    def note(self, message) -> None:
        """A helper started (its process group, its phase) or ended (None)."""
        _, self.helper, phase = message
        self.phase = phase if self.helper is not None else None

    def stop(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.conn.send(None)
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        with contextlib.suppress(EOFError, OSError):
            while self.conn.poll():  # a helper it started just before, not yet heard of
                message = self.conn.recv()
                if isinstance(message, tuple):
                    self.note(message)
        if self.helper is not None:
            kill_group(self.helper)  # its helper is in a group of its own: killing the worker spares it
        self.conn.close()


def read_isolated(
    candidates: Iterable[Candidate],
    limits: Limits,
    workers: int | None = None,
    on_result: Callable[[int, ReadResult], None] | None = None,
    review_dir: Path | None = None,
    options=None,
) -> list[ReadResult]:
    """Read every candidate in worker processes; results come back in input order (those handed to
    `on_result` without their records: the batch writes them as they come, and holding every record
    of a large batch until the end made the batch process grow with the batch).

    The largest files go first, so that no worker is left with a big one at the end."""
    todo = deque(sorted(enumerate(candidates), key=lambda item: -_size(item[1])))
    if not todo:
        return []
    results: dict[int, ReadResult] = {}
    attempts: dict[int, int] = {}
    count = workers or os.cpu_count() or 1
    context = multiprocessing.get_context("spawn")
    temp_root = run_temp_folder()
    pool = [_Worker(context, limits, review_dir, options, temp_root) for _ in range(max(1, min(count, len(todo))))]

    def finish(worker: _Worker, result: ReadResult) -> None:
        assert worker.index is not None
        if on_result:
            on_result(worker.index, result)
            result = ReadResult(result.report, retire_worker=result.retire_worker)
        results[worker.index] = result
        worker.release()

    def replace(position: int) -> None:
        """Kill the worker at `position` (its held file goes back first in line) and start another."""
        held = pool[position].take_back()
        if held is not None:
            todo.appendleft(held)
        pool[position].kill()
        pool[position] = _Worker(context, limits, review_dir, options, temp_root)

    try:
        while todo or any(w.candidate for w in pool):
            for position, worker in enumerate(pool):
                if worker.candidate is None and todo:
                    index, candidate = todo.popleft()
                    try:
                        worker.assign(index, candidate, limits.timeout)
                    except (BrokenPipeError, OSError):  # it died between two files: replace it, retry once
                        attempts[index] = attempts.get(index, 0) + 1
                        worker.release()
                        if attempts[index] > 1:
                            results[index] = ReadResult.failed(
                                candidate, "no worker process could read it", ErrorCode.CRASHED
                            )
                        else:
                            todo.appendleft((index, candidate))
                        replace(position)
                if (
                    pool[position] is worker
                    and worker.candidate is not None
                    and worker.queued is None
                    and len(todo) > _idle(pool)
                ):
                    index, candidate = todo.popleft()
                    try:
                        worker.queue(index, candidate)
                    except (BrokenPipeError, OSError):  # it died: found so when its result is collected
                        todo.appendleft((index, candidate))
            busy = [w for w in pool if w.candidate is not None]
            if not busy:
                continue
            deadline = min(w.started + limits.timeout for w in busy)
            wait(
                [w.conn for w in busy] + [w.process.sentinel for w in busy],
                timeout=max(0.0, deadline - time.monotonic()),
            )
            for position, worker in enumerate(pool):
                if worker.candidate is None:
                    continue
                result = _collect(worker, limits)
                if result is None:
                    continue
                retire = result.retire_worker or not worker.process.is_alive()
                if retire:
                    held = worker.take_back()
                    if held is not None:
                        todo.appendleft(held)
                finish(worker, result)
                if retire:
                    replace(position)
    finally:  # also on Ctrl-C: no worker, helper or temporary file outlives the batch
        for worker in pool:
            if worker.candidate is not None:
                worker.kill()
            else:
                worker.stop()
        shutil.rmtree(temp_root, ignore_errors=True)
    return [results[index] for index in sorted(results)]


RUN_PREFIX = "pecs-run-"


def run_temp_folder() -> str:
    """A private temporary folder for this run's workers, named after this process; the folders of
    earlier runs whose process is gone (killed outright, so never cleaned) are removed first."""
    base = Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for folder in base.glob(f"{RUN_PREFIX}*"):
            pid = folder.name[len(RUN_PREFIX) :].split("-")[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)
    return tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{os.getpid()}-", dir=base)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _idle(pool: list[_Worker]) -> int:
    return sum(1 for worker in pool if worker.candidate is None)


def _size(candidate: Candidate) -> int:
    try:
        return candidate.path.stat().st_size
    except OSError:
        return 0


def _collect(worker: _Worker, limits: Limits) -> ReadResult | None:
    """The worker's result if it has one, or the reason it has none; None while it is still working."""
    candidate = worker.candidate
    assert candidate is not None
    while worker.conn.poll():
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            return ReadResult.failed(candidate, *_crash_message(worker, limits))
        if isinstance(message, ReadResult):
            return message
        worker.note(message)
    if not worker.process.is_alive():
        return ReadResult.failed(candidate, *_crash_message(worker, limits))
    if time.monotonic() - worker.started > limits.timeout:
        if worker.phase:
            message = f"{worker.phase} did not finish in {limits.timeout:g} s (see --timeout)"
            result = ReadResult.failed(candidate, message, ErrorCode.TIMEOUT)
            result.retire_worker = True
            return result
        result = ReadResult.failed(
            candidate,
            f"no result after {limits.timeout:g} s, reading stopped: a file "
            "crafted to hang the parser, or one too large for this limit "
            "(see --timeout)",
            ErrorCode.TIMEOUT,
        )
        result.retire_worker = True
        return result
    return None


def _crash_message(worker: _Worker, limits: Limits) -> tuple[str, ErrorCode]:
    """What is known of why a worker died. Its memory limit shows as a MemoryError, reported by the worker
    itself; a signal comes from outside (the system's out-of-memory killer, a person) or from a library
    crashing, and which one cannot be known from here, so it is not guessed."""
    worker.process.join(timeout=5)
    code = worker.process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if -code == signal.SIGKILL:
            return (
                f"the reader was killed (signal 9, SIGKILL) by something outside pecs-extract: the system's "
                f"out-of-memory killer or a person (pecs-extract's own limit, {limits.max_memory_mb} MB, "
                "is reported as 'ran out of memory')",
                ErrorCode.CRASHED,
            )
        if -code == signal.SIGABRT and limits.max_memory_mb:
            return (
                f"the reader was stopped by SIGABRT inside a reading library: PDFium does this when it runs out "
                f"of memory under the limit ({limits.max_memory_mb} MB; see --max-memory), a damaged file can too",
                ErrorCode.CRASHED,
            )
        return f"the reader crashed ({name}) inside a reading library: a damaged or crafted file", ErrorCode.CRASHED
    return f"the reader stopped unexpectedly (exit code {code})", ErrorCode.CRASHED


__all__ = ["DEFAULT_MAX_MEMORY_MB", "DEFAULT_TIMEOUT", "FileReport", "Limits", "read_isolated"]
