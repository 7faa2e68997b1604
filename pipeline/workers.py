"""Each file is read in a worker process that can be killed: a wall-clock limit and a memory limit per
file, so a crafted PDF that makes pdfminer loop for hours, or a decompression bomb, costs that file
only. (A future's timeout does not stop a running worker; only killing the process does.)

Workers are long-lived (importing the readers costs about as much as reading a reply) and are
replaced when one is killed or dies.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection, wait
from pathlib import Path

from parsers import ErrorCode
from pipeline.limits import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, Limits
from pipeline.reading import Candidate, FileReport, ReadResult, read_file


def _limit_memory(max_memory_mb: int | None) -> None:
    if not max_memory_mb:
        return
    import resource

    limit = max_memory_mb * 1024 * 1024
    # The soft limit only: LibreOffice, started for a .doc conversion, lifts it for itself (see convert.py)
    # and is bounded by its own timeout instead.
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker_main(conn: Connection, max_memory_mb: int | None, review_dir: Path | None, options) -> None:
    _limit_memory(max_memory_mb)
    while True:
        try:
            candidate = conn.recv()
        except EOFError:
            return
        if candidate is None:
            return
        try:
            result = read_file(candidate, review_dir, options)
        except MemoryError:
            result = ReadResult.failed(
                candidate,
                f"ran out of memory (over {max_memory_mb} MB): a decompression "
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


class _Worker:
    def __init__(self, context, limits: Limits, review_dir: Path | None, options):
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main, args=(child, limits.max_memory_mb, review_dir, options), daemon=True
        )
        self.process.start()
        child.close()
        self.index: int | None = None
        self.candidate: Candidate | None = None
        self.started = 0.0

    def assign(self, index: int, candidate: Candidate) -> None:
        self.index, self.candidate, self.started = index, candidate, time.monotonic()
        self.conn.send(candidate)

    def release(self) -> None:
        self.index = self.candidate = None

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
        self.conn.close()


def read_isolated(
    candidates: Iterable[Candidate],
    limits: Limits,
    workers: int | None = None,
    on_result: Callable[[int, ReadResult], None] | None = None,
    review_dir: Path | None = None,
    options=None,
) -> list[ReadResult]:
    """Read every candidate in worker processes; results come back in input order.

    The largest files go first, so that no worker is left with a big one at the end."""
    todo = deque(sorted(enumerate(candidates), key=lambda item: -_size(item[1])))
    if not todo:
        return []
    results: dict[int, ReadResult] = {}
    attempts: dict[int, int] = {}
    count = workers or os.cpu_count() or 1
    context = multiprocessing.get_context("spawn")
    pool = [_Worker(context, limits, review_dir, options) for _ in range(max(1, min(count, len(todo))))]

    def finish(worker: _Worker, result: ReadResult) -> None:
        assert worker.index is not None
        results[worker.index] = result
        if on_result:
            on_result(worker.index, result)
        worker.release()

    try:
        while todo or any(w.candidate for w in pool):
            for position, worker in enumerate(pool):
                if worker.candidate is None and todo:
                    index, candidate = todo.popleft()
                    try:
                        worker.assign(index, candidate)
                    except (BrokenPipeError, OSError):  # it died between two files: replace it, retry once
                        attempts[index] = attempts.get(index, 0) + 1
                        worker.release()
                        if attempts[index] > 1:
                            results[index] = ReadResult.failed(
                                candidate, "no worker process could read it", ErrorCode.CRASHED
                            )
                        else:
                            todo.appendleft((index, candidate))
                        worker.kill()
                        pool[position] = _Worker(context, limits, review_dir, options)
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
                finish(worker, result)
                if result.retire_worker or not worker.process.is_alive():
                    worker.kill()
                    pool[position] = _Worker(context, limits, review_dir, options)
    finally:
        for worker in pool:
            if worker.candidate is not None:
                worker.kill()
            else:
                worker.stop()
    return [results[index] for index in sorted(results)]


def _size(candidate: Candidate) -> int:
    try:
        return candidate.path.stat().st_size
    except OSError:
        return 0


def _collect(worker: _Worker, limits: Limits) -> ReadResult | None:
    """The worker's result if it has one, or the reason it has none; None while it is still working."""
    candidate = worker.candidate
    assert candidate is not None
    if worker.conn.poll():
        try:
            return worker.conn.recv()
        except (EOFError, OSError):
            return ReadResult.failed(candidate, *_crash_message(worker, limits))
    if not worker.process.is_alive():
        return ReadResult.failed(candidate, *_crash_message(worker, limits))
    if time.monotonic() - worker.started > limits.timeout:
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
