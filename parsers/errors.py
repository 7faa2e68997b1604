"""The one error a format reader raises: the file cannot be read at all (content doubts are flags, not errors).

Each carries a code from a fixed vocabulary beside its message: the message is for people and may be
reworded, the code is for scripts and tests (it is written to _report.json as `error_code`)."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Why a file could not be read."""

    PASSWORD = "password"  # needs a password to open
    NEEDS_OCR = "needs_ocr"  # a scan without a text layer, and no OCR installed
    OCR_FAILED = "ocr_failed"  # OCR ran and failed, or found no text
    DAMAGED = "damaged"  # truncated or corrupt: the format library cannot parse it
    MALFORMED_XML = "malformed_xml"  # the Word file's XML is not well-formed (NUL or control bytes, bad references)
    TOO_COMPLEX = "too_complex"  # nesting or structure beyond what a questionnaire has (tables 300 deep, loops)
    BOMB = "bomb"  # would unpack or expand to far more than it holds (zip bomb, entity expansion)
    TIMEOUT = "timeout"  # reading, a conversion or OCR did not finish within the time limit
    MEMORY = "memory"  # reading needed more memory than the limit
    UNSUPPORTED = "unsupported"  # a file type or a feature (a compression) this tool does not read
    WRONG_TYPE = "wrong_type"  # another format under this name (a PDF named .docx)
    EMPTY = "empty"  # 0 bytes, or no pages
    NO_UNICODE = "no_unicode"  # fonts without a Unicode map: the text cannot be turned into letters
    MISSING_TOOL = "missing_tool"  # LibreOffice or OCRmyPDF is needed and not installed
    CONVERSION_FAILED = "conversion_failed"  # LibreOffice ran and gave no document
    UNREACHABLE = "unreachable"  # the file (or a link's target) cannot be opened right now
    CRASHED = "crashed"  # the reader process died (killed by a signal, or exited)
    REVIEW_STORE_DAMAGED = "review_store_damaged"  # its decisions cannot be read: records kept as they were
    INTERRUPTED = "interrupted"  # the run was stopped (Ctrl-C) before this file was read
    INTERNAL = "internal"  # a bug of pecs-extract: please report it


class UnreadableFile(Exception):
    """A file that cannot be turned into a layout; the message is shown to the user as is."""

    def __init__(self, message: str, code: ErrorCode = ErrorCode.DAMAGED):
        super().__init__(message)
        self.message = message
        self.code = code


class NothingToRead(Exception):
    """A file that opens but holds nothing a questionnaire could be (no text at all, even after OCR):
    skipped with this reason, not failed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


PDF_LIBRARIES = ("pdfminer", "pdfplumber", "pypdfium2")
PASSWORD_MESSAGE = "the PDF needs a password to open; ask the sender for an unprotected copy"


def raised_inside(error: BaseException, packages: tuple[str, ...]) -> bool:
    """Whether the innermost frame of `error` is in one of `packages`: a library's complaint about the
    file, not a bug of ours that happens to raise the same builtin type (IndexError, KeyError…)."""
    frame, last = error.__traceback__, None
    while frame is not None:
        last, frame = frame, frame.tb_next
    module = last.tb_frame.f_globals.get("__name__", "") if last is not None else ""
    return module.split(".")[0] in packages


def pdf_failure(error: BaseException) -> UnreadableFile:
    """The UnreadableFile for an error raised while a PDF library parsed a file. A MemoryError and any
    error raised by our own code are raised again as they are: the first is the memory limit, the
    second a bug to report, never a "damaged file"."""
    inner = error.args[0] if error.args and isinstance(error.args[0], BaseException) else error
    if isinstance(inner, MemoryError):
        raise inner from error
    if type(inner).__name__ == "PDFPasswordIncorrect":
        return UnreadableFile(PASSWORD_MESSAGE, ErrorCode.PASSWORD)
    if type(inner).__name__ == "PDFNotImplementedError" and "filter" in str(inner).lower():
        return unsupported_compression(str(inner).rsplit(":", 1)[-1].strip(" /'"))
    if isinstance(inner, RecursionError):
        return UnreadableFile(
            "a PDF whose structure loops or nests without end (its page tree or objects refer back to "
            "themselves): crafted or damaged",
            ErrorCode.TOO_COMPLEX,
        )
    if inner is not error or raised_inside(inner, PDF_LIBRARIES):
        cause = f"{type(inner).__name__}: {inner}"[:200]
        return UnreadableFile(f"a damaged PDF that cannot be parsed ({cause})", ErrorCode.DAMAGED)
    raise error


def unsupported_compression(name: str) -> UnreadableFile:
    """A PDF compressed with a filter the PDF libraries cannot decode (BrotliDecode, proposed for PDF 2.0)."""
    return UnreadableFile(
        f"an unsupported compression: the PDF's content is compressed with {name or 'a filter'}, which this "
        "tool's PDF libraries cannot decode yet; ask the sender for a PDF saved with standard compression",
        ErrorCode.UNSUPPORTED,
    )


def xml_failure(error: Exception) -> UnreadableFile:
    """The UnreadableFile for a Word file whose XML libxml2 refused (lxml's XMLSyntaxError), by what it
    found: each of these is a crafted or damaged file, told apart so the sender can be told what to fix."""
    text = str(error)
    if "depth" in text:
        return UnreadableFile(
            "a Word file nested deeper than any questionnaire (tables or elements over 256 levels deep)",
            ErrorCode.TOO_COMPLEX,
        )
    if "entity" in text.lower() or "amplification" in text:
        return UnreadableFile(
            "a Word file whose XML entities expand without bound (an XML bomb); not read", ErrorCode.BOMB
        )
    if "CharRef" in text:
        return UnreadableFile(
            "a damaged Word file: its XML refers to a character that XML does not allow (such as &#0;)",
            ErrorCode.MALFORMED_XML,
        )
    if "Char" in text and ("out of allowed range" in text or "invalid Char" in text):
        return UnreadableFile(
            "a damaged Word file: NUL or control bytes inside its XML (not written by Word)", ErrorCode.MALFORMED_XML
        )
    return UnreadableFile(f"a damaged Word file: its XML is not well-formed ({text[:120]})", ErrorCode.MALFORMED_XML)


def recursion_failure(kind: str) -> UnreadableFile:
    return UnreadableFile(f"a {kind} nested deeper than this reader follows: crafted or damaged", ErrorCode.TOO_COMPLEX)
