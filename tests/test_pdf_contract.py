"""PDF engines behind one contract and one registry; what makes records current covers every
reading option and the reading libraries' versions."""

from __future__ import annotations

import shutil

import pytest
from conftest import FIXTURES, PDF_FIXTURES

from parsers import PDF_ENGINES, ReadOptions
from parsers.pdf_page import Page, checkboxes, load_pages
from pipeline.batch import run_batch


@pytest.mark.parametrize("engine", list(PDF_ENGINES))
def test_every_registered_engine_gives_pages_of_the_contract(engine):
    pages = load_pages(FIXTURES / "pdf" / "table_grid_fr.pdf", engine)  # a ruled form: words and rules
    assert pages and all(isinstance(page, Page) for page in pages)
    assert [page.number for page in pages] == list(range(1, len(pages) + 1))
    assert all(page.words for page in pages) and any(page.h_rules and page.v_rules for page in pages)


def test_an_unknown_engine_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="pdfium, pdfplumber"):
        ReadOptions(pdf_engine="ghostscript")


def test_the_command_line_offers_exactly_the_registered_engines():
    from cli import PdfEngine

    assert [choice.value for choice in PdfEngine] == list(PDF_ENGINES)


def test_a_check_box_is_a_small_square_and_a_diagonal_inside_ticks_it():
    square, big, wide = (100, 200, 110, 210), (100, 300, 140, 340), (100, 400, 130, 410)
    found = checkboxes([square, big, wide, (200, 200, 210, 210)], [(101, 201, 109.5, 209)])
    assert [(w.text, w.x0) for w in found] == [("☒", 100), ("☐", 200)]


def test_pdfium_reads_by_runs_exactly_what_it_reads_by_characters():
    import pypdfium2 as pdfium

    from parsers import pdfium_reader
    from parsers.pdfium_chars import words_by_char

    for path in PDF_FIXTURES:
        document = pdfium.PdfDocument(str(path))
        for page in document:
            height = page.get_size()[1]
            text_page = page.get_textpage()
            texts = pdfium_reader._objects(pdfium_reader._handle(page), height)[0]
            by_runs = pdfium_reader._words(pdfium_reader._handle(text_page), texts, height)
            assert by_runs is not None, path.name  # LibreOffice's PDFs never need the careful path
            assert by_runs == words_by_char(text_page, height), path.name
        document.close()


def test_library_versions_are_those_importlib_metadata_finds():
    from importlib.metadata import version

    import parsers

    names = ["pypdfium2", "pdfminer.six", "python-docx", "lxml", "pdfplumber"]
    assert parsers.installed_versions(names) == {name: version(name) for name in names}


def _reads(monkeypatch):
    import pipeline.batch as batch

    calls = []
    original = batch.read_file
    monkeypatch.setattr(batch, "read_file", lambda candidate, *a: calls.append(candidate) or original(candidate, *a))
    return calls


def test_another_engine_or_library_version_reads_every_file_again(tmp_path, monkeypatch):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(FIXTURES / "pdf" / "english_table.pdf", inputs / "a.pdf")
    calls = _reads(monkeypatch)
    run_batch([inputs], out, isolate=False)
    run_batch([inputs], out, isolate=False)
    assert len(calls) == 1  # unchanged: not read again
    run_batch([inputs], out, isolate=False, options=ReadOptions(pdf_engine="pdfplumber"))
    assert len(calls) == 2
    import parsers

    real_versions = parsers.installed_versions
    monkeypatch.setattr(parsers, "installed_versions", lambda names: {**real_versions(names), "pdfminer.six": "99.0"})
    run_batch([inputs], out, isolate=False, options=ReadOptions(pdf_engine="pdfplumber"))
    assert len(calls) == 3
