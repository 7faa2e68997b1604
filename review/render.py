"""Pictures of sources for the reviewer, drawn in a killable worker process with a time and memory limit.

A source is untrusted and may have been replaced since extraction (a flate bomb, a PDF that hangs the
parser, another version of the reply): the worker first checks the file's sha256 against the record's,
and a picture that cannot be drawn in time or memory is simply missing, with the reason said."""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any, cast

RENDER_TIMEOUT = 20.0  # seconds a picture may take
RENDER_MEMORY_MB = 1024  # address space of the worker
CONVERT_TIMEOUT = 90.0  # LibreOffice rendering a Word reply to PDF (first start of a fresh profile is slow)


class RenderFailed(Exception):
    """No picture: the source is missing or changed, or drawing it took too long or too much memory."""


def _limit_memory(megabytes: int) -> None:
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (megabytes * 1024 * 1024, hard))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _work(request: tuple) -> object:
    from parsers import pdf_render

    kind, path, sha, *rest = request
    path = Path(path)
    if not path.is_file():
        raise RenderFailed("the source file is no longer where it was read")
    if _sha256(path) != sha:
        raise RenderFailed("the source file changed since extraction: run pecs-extract again")
    if kind == "regions":
        return pdf_render.render_regions(path, rest[0])
    if kind == "page":
        return pdf_render.render_page(path, rest[0], rest[1])
    if kind == "word":
        return _word_page(path, sha, rest[0])
    raise RenderFailed(f"unknown request {kind}")


_CONVERTED: dict[str, bytes] = {}  # sha256 → the Word reply as PDF, in the worker's memory only (no files left)


def _word_page(path: Path, sha: str, needle: str) -> bytes:
    """A Word reply's page holding `needle`, highlighted: LibreOffice renders the reply to PDF first."""
    from parsers import pdf_render

    if sha not in _CONVERTED:
        _CONVERTED.clear()  # one reply at a time is enough: a reviewer goes through a reply's items in turn
        _CONVERTED[sha] = _converted_to_pdf(path)
    found = pdf_render.find_text_boxes(_CONVERTED[sha], needle)
    if found is None:
        raise RenderFailed("the field's text was not found on the rendered pages")
    return pdf_render.render_page(_CONVERTED[sha], found[0], found[1])


def _converted_to_pdf(path: Path) -> bytes:
    executable = shutil.which("soffice") or shutil.which("libreoffice")
    if executable is None:
        raise RenderFailed("no LibreOffice here to render Word replies")
    with tempfile.TemporaryDirectory(prefix="pecs-desk-") as tmp:
        source = Path(tmp) / f"reply{path.suffix.lower()}"
        shutil.copyfile(path, source)
        command = [
            executable,
            f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, check=False, preexec_fn=_child_setup)
        except subprocess.TimeoutExpired:
            raise RenderFailed("LibreOffice did not render the reply in time") from None
        pdf = Path(tmp) / "reply.pdf"
        if not pdf.exists():
            raise RenderFailed("LibreOffice could not render the reply")
        return pdf.read_bytes()


def _child_setup() -> None:
    """LibreOffice needs more memory than the worker may use, and must die with the worker if it is killed."""
    import ctypes
    import resource
    import signal

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _serve(conn, megabytes: int) -> None:
    # Ctrl-C reaches the whole process group: the desk stops this worker itself, without a traceback here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(megabytes)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        try:
            conn.send(("ok", _work(request)))
        except RenderFailed as failed:
            conn.send(("failed", str(failed)))
        except MemoryError:
            conn.send(("failed", f"drawing it needed more than {megabytes} MB"))
        except Exception as error:  # a broken or hostile source: no picture, and say what kind of failure
            conn.send(("failed", f"the source could not be drawn ({type(error).__name__})"))


class IsolatedRenderer:
    """One worker, reused for many pictures, replaced when it is killed; safe to share between threads."""

    def __init__(self, timeout: float = RENDER_TIMEOUT, memory_mb: int = RENDER_MEMORY_MB):
        self.timeout, self.memory_mb = timeout, memory_mb
        self._context = multiprocessing.get_context("spawn")
        self._process: Any = None
        self._conn: Any = None
        self._lock = threading.Lock()

    def __enter__(self) -> IsolatedRenderer:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def ask(self, request: tuple, timeout: float | None = None) -> object:
        """The worker's answer, or RenderFailed."""
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._start()
            self._conn.send(request)
            if not self._conn.poll(timeout or self.timeout):
                self._kill()
                raise RenderFailed("drawing the source took too long; stopped")
            try:
                status, answer = self._conn.recv()
            except (EOFError, OSError):
                self._kill()
                raise RenderFailed("the drawing process stopped (out of memory?)") from None
        if status != "ok":
            raise RenderFailed(answer)
        return answer

    def regions(self, path: Path, sha256: str, regions: list) -> list[bytes]:
        return cast(list[bytes], self.ask(("regions", str(path), sha256, regions)))

    def page(self, path: Path, sha256: str, page: int, boxes: list) -> bytes:
        return cast(bytes, self.ask(("page", str(path), sha256, page, boxes)))

    def word(self, path: Path, sha256: str, needle: str) -> bytes:
        return cast(bytes, self.ask(("word", str(path), sha256, needle), timeout=CONVERT_TIMEOUT + 10))

    def _start(self) -> None:
        self._conn, child = self._context.Pipe()
        self._process = self._context.Process(target=_serve, args=(child, self.memory_mb), daemon=True)
        self._process.start()
        child.close()

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def close(self) -> None:
        with self._lock:
            if self._process is not None and self._process.is_alive():
                with contextlib.suppress(BrokenPipeError, OSError):
                    self._conn.send(None)
                self._process.join(timeout=2)
            self._kill()
