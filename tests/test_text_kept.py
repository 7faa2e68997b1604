"""Text is kept as typed: emoji (with their zero-width joiners) in Word and PDF, right-to-left lines in
reading order from both PDF engines (issue 14, item 12)."""

from __future__ import annotations

import copy
import sys

import pytest
from conftest import FIXTURES, ROOT

from normalise import clean_line
from parsers import ReadOptions, read_layout
from parsers.bidi import reading_order

SCRIPTS = FIXTURES / "hostile" / "scripts.pdf"  # tests/fixtures/odd_files.py: emoji, Hebrew, Arabic


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_pdf_keeps_emoji_and_gives_right_to_left_lines_in_reading_order(engine):
    texts = [block.text for block in read_layout(SCRIPTS, ReadOptions(pdf_engine=engine)).blocks]
    assert texts[0] == "Bravo 👍 équipe 👩\u200d💻 fin ☺ ok"
    assert "שלום עולם" in texts[1] and "2024" in texts[1]
    assert texts[2] == "مرحبا بالعالم"


@pytest.mark.parametrize(
    "visual, typed",
    [
        ("ﺔﻴﺑﺮﻌﻟا طﻮﻄﳋا عاﻮﻧا", "انواع الخطوط العربية"),  # presentation forms, as pdfminer gives them
        ("2014-2019 םולש", "שלום 2014-2019"),  # a number stays left to right inside Hebrew
        ("Plan 2014-2019 (PCS)", "Plan 2014-2019 (PCS)"),  # a left-to-right line is untouched
    ],
)
def test_a_line_as_it_stands_is_put_in_reading_order(visual, typed):
    assert reading_order(visual) == typed


def test_the_public_arabic_pdf_reads_in_reading_order_from_both_engines():
    path = ROOT / "tests" / "regression" / "pdfjs_arabic_cid_truetype.pdf"
    for engine in ("pdfium", "pdfplumber"):
        first = read_layout(path, ReadOptions(pdf_engine=engine)).blocks[0].text
        assert first.startswith("انواع ") and first.endswith(" العربية"), engine


def test_the_zero_width_joiner_is_kept_in_a_word_answer(tmp_path):
    sys.path.insert(0, str(FIXTURES))
    import docx_builders as b
    import practices as p

    from pipeline.reading import Candidate, read_records

    assert clean_line("👩\u200d💻 et famille 👨\u200d👩\u200d👧") == "👩\u200d💻 et famille 👨\u200d👩\u200d👧"
    practice = copy.deepcopy(p.WALLONIE_PCS)
    practice["aim"] = ["Coder ensemble 👩\u200d💻 en famille 👨\u200d👩\u200d👧"]
    document = b.new_document()
    b.header(document, practice["submitter"])
    b.table_form(document, practice, b.FR_LABELS)
    path = tmp_path / "emoji.docx"
    b.save_deterministic(document, path)
    _, (record,) = read_records(Candidate(path, path.name))
    assert record.fields.aim.value == "Coder ensemble 👩\u200d💻 en famille 👨\u200d👩\u200d👧"
