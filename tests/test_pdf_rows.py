"""Rows of ruled tables on geometry built in code (no PDF): a rule between two lines is a row boundary,
whatever the row height; each table, each row, has its own label/answer split."""

from __future__ import annotations

from parsers.layout import Block
from parsers.pdf_geometry import Line, Word, group_lines, paragraphs, usual_leading
from parsers.pdf_page import Page, bullets
from parsers.pdf_reader import _PdfLayoutBuilder
from parsers.pdf_rows import columned_runs, merge_rules, row_bands, with_text_split

SIZE = 10.0
PAGE_SPLIT = 306.0  # the main table's label/answer rule


def words(text: str, x0: float, top: float) -> list[Word]:
    found, x = [], x0
    for token in text.split(" "):
        width = 5.5 * len(token)
        found.append(Word(token, x, top, x + width, top + SIZE, SIZE, False))
        x += width + 2.5
    return found


def compact_table(top: float, rows: list[tuple[str, str]], left: float = 90, split: float = 189, right: float = 510):
    """A two-column table, one text line a row, rows 13 pt apart: rules 1.5 pt above and below the text."""
    page_words, h_rules, v_rules = [], [], []
    y = top
    for label, answer in rows:
        h_rules.append((y, left, right))
        page_words += words(label, left + 5, y + 1.5) + words(answer, split + 5, y + 1.5)
        y += 13
    h_rules.append((y, left, right))
    v_rules += [(x, top, y) for x in (left, split, right)]
    return page_words, h_rules, v_rules


CONTACT = [
    ("Nom", "Camille Martin"),
    ("Organisation", "Service public de Wallonie"),
    ("Email", "contact@example.org"),
    ("Téléphone", "+32 (0)81 00 00 00"),
    ("Page Internet", "http://www.example.org"),
]


def read(page_words, h_rules, v_rules) -> list[Block]:
    page = Page(1, 595.0, 842.0, page_words, h_rules, v_rules)
    return list(_PdfLayoutBuilder([page]).build().blocks)


def test_a_compact_table_with_its_own_split_gives_one_row_per_line():
    bands = row_bands(*compact_table(500, CONTACT)[1:], PAGE_SPLIT)
    assert len(bands) == 5
    assert all(band.split == 189 for band in bands)
    assert [round(band.bottom - band.top) for band in bands] == [13] * 5


def test_compact_contact_rows_beside_a_main_table_are_read_as_label_and_answer_cells():
    main_words = words("Durée", 95, 105) + words("2014-2019", 311, 105)
    main_h = [(100.0, 90.0, 510.0), (300.0, 90.0, 510.0)]
    main_v = [(90.0, 100.0, 300.0), (306.0, 100.0, 300.0), (510.0, 100.0, 300.0)]
    contact_words, contact_h, contact_v = compact_table(500, CONTACT)
    blocks = read(main_words + contact_words, main_h + contact_h, main_v + contact_v)
    cells = [(b.row, b.column, b.text) for b in blocks if b.table is not None]
    for label, answer in CONTACT:
        row = next(r for r, column, text in cells if text == label and column == 0)
        assert (row, 1, answer) in cells


def test_rules_drawn_one_segment_per_cell_are_one_row_boundary():
    segments = [(100.0, 50.0, 209.0), (100.2, 209.0, 543.0), (120.0, 50.0, 209.0), (120.0, 209.0, 543.0)]
    assert merge_rules(segments) == [(100.1, 50.0, 543.0), (120.0, 50.0, 543.0)]
    verticals = [(209.0, 100.0, 120.0), (50.0, 100.0, 120.0), (543.0, 100.0, 120.0)]
    bands = row_bands(segments, verticals, 175.0)
    assert [(round(b.top), b.split, b.framed) for b in bands] == [(100, 209.0, True)]


def test_an_underline_in_the_answer_column_is_not_a_row_boundary():
    h_rules = [(100.0, 90.0, 510.0), (140.0, 330.0, 420.0), (200.0, 90.0, 510.0)]
    v_rules = [(90.0, 100.0, 200.0), (306.0, 100.0, 200.0), (510.0, 100.0, 200.0)]
    assert [(b.top, b.bottom) for b in row_bands(h_rules, v_rules, PAGE_SPLIT)] == [(100.0, 200.0)]


def test_a_rule_under_the_answer_only_parts_rows_beside_a_merged_label_cell():
    h_rules = [(100.0, 90.0, 510.0), (150.0, 306.0, 510.0), (200.0, 90.0, 510.0)]
    v_rules = [(90.0, 100.0, 200.0), (306.0, 100.0, 200.0), (510.0, 100.0, 200.0)]
    bands = row_bands(h_rules, v_rules, PAGE_SPLIT)
    assert [(b.top, b.split) for b in bands] == [(100.0, 306.0), (150.0, 306.0)]


def test_a_one_column_table_keeps_label_and_answer_rows_apart():
    rows = [("Durée", 100.0), ("2014-2019 puis reconduit jusqu'en 2024", 114.0), ("Impact", 128.0)]
    page_words = [w for text, top in rows for w in words(text, 60, top + 1.5)]
    h_rules = [(top, 55.0, 540.0) for _, top in rows] + [(142.0, 55.0, 540.0)]
    v_rules = [(55.0, 100.0, 142.0), (540.0, 100.0, 142.0)]
    bands = row_bands(h_rules, v_rules, 297.5)
    assert [(b.split, b.framed) for b in bands] == [(None, True)] * 3
    texts = [b.text for b in read(page_words, h_rules, v_rules)]
    assert texts == [text for text, _ in rows]


def test_a_larger_step_between_lines_of_a_cell_starts_a_paragraph_even_when_their_boxes_overlap():
    # a browser sets 10 pt text 11.25 pt apart, 13.5 pt between paragraphs: the boxes always overlap
    tops = [100.0, 111.25, 122.5, 136.0]
    lines = [Line(tuple(words("la protection et l’intégration des migrants et des réfugiés ;", 60, t))) for t in tops]
    assert usual_leading([lines[:3]] * 3, SIZE) == 11.0  # steps rounded to half points
    full = lines[0].x1 + 1  # each line full: only the step can part them
    assert [len(p) for p in paragraphs(lines, full, leading=11.25)] == [3, 1]
    assert [len(p) for p in paragraphs(lines, full)] == [4]


def test_list_markers_drawn_as_dots_read_as_bullets_and_larger_shapes_do_not():
    dot, check_box, rule = (219.0, 97.5, 222.0, 100.5), (219.0, 97.5, 231.0, 109.5), (50.0, 97.5, 300.0, 98.25)
    assert [w.text for w in bullets([dot, check_box, rule])] == ["•"]


def test_rows_ruled_only_horizontally_take_their_split_from_the_text_each_table_its_own():
    page_words, h_rules, _ = compact_table(500, CONTACT, left=90, split=190)  # no vertical rule at all
    bands = [
        with_text_split(band, group_lines([w for w in page_words if band.top < w.top < band.bottom]), PAGE_SPLIT)
        for band in row_bands(h_rules, [], PAGE_SPLIT)
    ]
    assert [band.split for band in bands] == [192.0] * len(CONTACT)  # the answers start at 195
    labels_only = row_bands([(100.0, 90.0, 510.0), (113.0, 90.0, 510.0)], [], PAGE_SPLIT)[0]
    heading = group_lines(words("Coordonnées", 95, 101.5))
    assert with_text_split(labels_only, heading, PAGE_SPLIT).split is None  # a heading row stays merged


def test_a_line_opening_on_detached_punctuation_goes_on_the_paragraph_when_it_would_not_fit():
    first = Line(tuple(words("Conditions for success", 70, 100)))
    second = Line(tuple(words("/ transferability", 70, 111)))
    assert [len(p) for p in paragraphs([first, second], first.x1 + 20)] == [2]


def test_a_row_cut_by_the_page_end_is_closed_by_its_vertical_rules():
    h_rules = [(700.0, 90.0, 510.0), (720.0, 90.0, 510.0)]  # the last row has no rule under it
    v_rules = [(x, 700.0, 790.0) for x in (90.0, 306.0, 510.0)]
    bands = row_bands(h_rules, v_rules, PAGE_SPLIT)
    assert [(b.top, b.bottom, b.split) for b in bands] == [(700.0, 720.0, 306.0), (720.0, 790.0, 306.0)]


def test_a_second_borderless_table_with_narrower_labels_keeps_its_own_columns():
    lines = [
        Line(tuple(words(label, 56, top) + words(answer, 180, top)))
        for (label, answer), top in zip(CONTACT, [400.0, 422.0, 444.0, 466.0, 488.0], strict=True)
    ]
    assert columned_runs(lines) == [(177.0, lines)]
    prose = [Line(tuple(words("Veuillez inclure dans vos soumissions le nom de l'organisme", 56, 380.0)))]
    assert columned_runs(prose + lines[:1]) == []  # one line is no table


def test_a_list_item_tab_after_its_bullet_is_not_a_second_table():
    items = [
        Line(tuple(words("\uf0b7", 306, top) + words("Recruitment of a support team;", 324, top)))
        for top in (400.0, 414.0)
    ]
    assert columned_runs(items) == []
