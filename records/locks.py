"""Locks on folders, so that two processes never interleave their read-modify-write of shared files:
reviewers deciding at once (review store), two extraction runs into one output folder."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path


class Busy(Exception):
    """The folder stayed locked by another process for longer than the caller would wait."""


@contextlib.contextmanager
def folder_lock(folder: Path, timeout: float | None = None, on_wait=None) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (an advisory lock on the folder itself, so no file is left in it;
    released by the kernel if the holder dies). `timeout` None waits as long as it takes; `on_wait` is
    called once if it must wait."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        _acquire(fd, folder, timeout, on_wait)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, folder: Path, timeout: float | None, on_wait) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        if on_wait:
            on_wait()
    if timeout is None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            continue
    raise Busy(f"{folder} is in use by another pecs-extract process")
