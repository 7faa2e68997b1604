"""Odd files get the right word: a PDF without text is a scan only when a page is a page image; blank
pages, drawings and small pictures are skipped, not failed; an owner-password scan is decrypted for
OCR; a Brotli stream is an unsupported compression; a Strict Open XML reply is read, not damaged."""

from __future__ import annotations

import sys

import pytest
from conftest import FIXTURES, records_of

from parsers import ErrorCode, ReadOptions
from parsers.ocr import ocr_available
from pipeline.reading import Candidate, read_records

ENGINES = ["pdfium", "pdfplumber"]


def _pdf(content: bytes, content_filter: bytes = b"") -> bytes:
    """A one-page PDF drawing `content`, with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(content), content_filter, content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def _read(path, engine="pdfium"):
    return read_records(Candidate(path, path.name), ReadOptions(pdf_engine=engine))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_blank_page_is_skipped_as_holding_no_text_not_called_a_scan(engine):
    report, records = _read(FIXTURES / "hostile" / "no_text_layer.pdf", engine)
    assert (report.status, records) == ("skipped", [])
    assert "no text at all" in report.message and "scan" not in report.message


@pytest.mark.parametrize("engine", ENGINES)
def test_a_drawing_without_text_is_skipped(tmp_path, engine):
    path = tmp_path / "drawing.pdf"
    path.write_bytes(_pdf(b"2 w 50 50 m 500 700 l S 100 100 300 200 re S 300 400 m 400 600 l 200 650 l h f"))
    report, _ = _read(path, engine)
    assert report.status == "skipped" and "drawings" in report.message


@pytest.mark.parametrize("engine", ENGINES)
def test_a_brotli_compressed_stream_is_an_unsupported_compression(tmp_path, engine):
    path = tmp_path / "brotli.pdf"  # a look-alike: no library here can decode the stream, real or not
    path.write_bytes(_pdf(b"\x1b\x2f\x00\xf8\x1d\xa9\x53\xaa\xc6\x80\x97\x40\x03", b"/Filter /BrotliDecode "))
    report, _ = _read(path, engine)
    assert (report.status, report.error_code) == ("error", ErrorCode.UNSUPPORTED)
    assert "unsupported compression" in report.message and "BrotliDecode" in report.message


def test_a_scanned_page_without_ocr_installed_asks_for_ocr(monkeypatch, tmp_path):
    sys.path.insert(0, str(FIXTURES))
    from hostile import scanned_pdf

    monkeypatch.setattr("parsers.ocr.ocr_available", lambda: False)
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(FIXTURES / "pdf" / "table_grid_fr.pdf"))
    for engine in ENGINES:
        report, _ = _read(path, engine)
        assert (report.status, report.error_code) == ("error", ErrorCode.NEEDS_OCR)
        assert "a scanned PDF" in report.message


@pytest.mark.skipif(not ocr_available(), reason="OCRmyPDF and Tesseract are not installed")
def test_an_owner_password_scan_is_decrypted_and_read_by_ocr(tmp_path):
    sys.path.insert(0, str(FIXTURES))
    from hostile import scanned_pdf
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(scanned_pdf(FIXTURES / "pdf" / "table_grid_fr.pdf"))
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner-secret", permissions_flag=-3904)  # no printing
    path = tmp_path / "owner_scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    report, records = _read(path)
    assert report.status == "ok", report.message
    assert records[0].fields.practice_name.value.startswith("Plan de coh")
    assert "ocr" in records[0].fields.practice_name.flags


def test_a_strict_open_xml_reply_reads_as_its_transitional_twin():
    _, strict = records_of(FIXTURES / "docx" / "strict_ooxml_fr.docx")
    _, transitional = records_of(FIXTURES / "docx" / "table_grid_fr.docx")
    assert [r.model_dump(exclude={"record_id", "source"}) for r in strict] == [
        r.model_dump(exclude={"record_id", "source"}) for r in transitional
    ]
