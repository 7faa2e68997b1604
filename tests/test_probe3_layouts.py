"""Layouts probe 3 found read silently wrong: labels centred vertically beside their answers in a
borderless PDF table, numbered items whose number follows a full line, answer lines repeated at the
top of pages taken for running headers, a web list's ring marker taken for a check box (fixtures:
tests/fixtures/probe3_layouts.py)."""

from __future__ import annotations

from conftest import FIXTURES, field_of, records_of, truth_of
from test_pdf_geometry import SIZE, line

from parsers.pdf_geometry import Line, Word, furniture_keys, paragraphs
from parsers.pdf_rows import recentred_rows


def test_labels_centred_beside_their_answers_keep_each_answer_whole_and_unflagged():
    # centred_labels_whole_lines_fr: label and answer tops align (offsets of whole lines); only the sentences
    # cut between rows tell, and a page starting with the answer carried over from the page before
    names = ("centred_labels_en", "centred_labels_whole_lines_fr")
    for path in [FIXTURES / folder / f"{name}.{folder}" for name in names for folder in ("pdf", "docx")]:
        _, [record] = records_of(path)
        [expected] = truth_of(path)
        assert record.submitter == expected["submitter"] and record.priority_areas == expected["priority_areas"]
        for key, value in expected["fields"].items():
            field = field_of(record, key)
            assert (field.value, field.flags) == (value, []), f"{path.name} {key}"
        assert record.unassigned == []


def _row(label_top: float, answer_tops: list[float], label_lines: int = 1):
    labels = [line(f"Label{i}", 90, label_top + 13 * i) for i in range(label_lines)]
    return (label_top, labels, [line("Answer text.", 306, top) for top in answer_tops], False, 300.0)


def test_rows_of_a_top_aligned_borderless_table_are_never_parted_again():
    rows = [_row(100, [100, 113, 126]), _row(150, [150]), _row(170, [170, 183]), _row(210, [210, 223, 236])]
    assert recentred_rows(rows) == (rows, [])


def test_answers_centred_on_their_labels_are_given_back_their_first_lines():
    # cut at each label's top, each answer's first line went to the row above
    rows = [_row(113, [100]), _row(152, [113, 126, 139]), _row(185, [152, 165]), _row(218, [178, 191, 204, 217, 230])]
    result, leftover = recentred_rows(rows)
    assert [[ln.top for ln in row[2]] for row in result] == [
        [100, 113, 126],
        [139, 152, 165],
        [178, 191],
        [204, 217, 230],
    ]
    assert leftover == []


def test_a_numbered_item_whose_number_follows_a_full_line_starts_a_new_paragraph():
    full = line("1. recruitment and safeguarding checks of volunteers;", 306, 100, gap=2.9)
    number = Word("2.", 306, 113, 318, 113 + SIZE, SIZE, False)  # then a tab to the item's text
    item = Line((number, *line("two-day training on trauma awareness;", 330, 113).words))
    assert [len(p) for p in paragraphs([full, item], right_edge=full.x1 + 5)] == [1, 1]
    wrapped = line("12 points in the districts concerned", 306, 113)  # a number that wrapped to a line start
    assert [len(p) for p in paragraphs([full, wrapped], right_edge=full.x1 + 5)] == [2]
    # LibreOffice's HTML lists: the number only a little apart (5 pt), yet more than the line's spaces (3 pt)
    close = Line((Word("3.", 306, 113, 315, 113 + SIZE, SIZE, False), *line("matching, with", 320, 113).words))
    assert [len(p) for p in paragraphs([full, close], right_edge=full.x1 + 5)] == [1, 1]
    # a short item, its number one space from the text (Chromium's <ol>): the line before ended early
    short = line("1. recruitment of volunteers;", 306, 100)
    assert [len(p) for p in paragraphs([short, line("2. training;", 306, 113)], right_edge=510)] == [1, 1]
    # a justified line starting 'a.' sets every space as wide: no item
    justified = line("a. further step of the same sentence", 306, 113, gap=5.0)
    assert [len(p) for p in paragraphs([full, justified], right_edge=full.x1 + 5)] == [2]


def test_an_answer_line_repeated_at_the_top_of_pages_but_not_at_one_height_is_no_running_header():
    repeated = "the steering group approved the changes"
    pages = [[line(repeated, 90, 30 + 8 * n), line(repeated, 90, 300), line("suite", 90, 400)] for n in range(4)]
    keys = furniture_keys(pages, [792.0] * 4)
    assert keys == set()


def test_a_web_lists_ring_marked_sub_item_is_a_bullet_never_an_unticked_box():
    """Chromium draws a nested list's marker as a ring: read as '☐', the sub-item left the priority areas."""
    path = FIXTURES / "pdf" / "nested_list_chrome_en.pdf"
    _, [record] = records_of(path)
    [expected] = truth_of(path)
    assert record.priority_areas == ["I", "II"]
    for key in ("priority_domains", "target_groups"):
        assert field_of(record, key).value == expected["fields"][key]


def test_a_ruled_table_in_one_answer_makes_no_other_page_a_two_column_form():
    """A reply without a form table: a small ruled table in the impact answer gave the document a column
    split, and the contact page, read as a form's label column, flagged every contact field."""
    path = FIXTURES / "pdf_doubtful" / "answer_table_paragraphs_fr.pdf"
    _, [record] = records_of(path)
    [expected] = truth_of(path)
    for key in ("contact.name", "contact.organisation", "contact.email", "practice_name", "example"):
        field = field_of(record, key)
        assert (field.value, field.flags) == (expected["fields"][key], []), key
    impact = field_of(record, "impact")  # the table's cells stand apart: flagged, never silent
    assert impact.value == expected["fields"]["impact"] or impact.flags


def test_a_cover_letter_above_the_senders_header_is_kept_for_review_but_flags_no_field():
    for path in (
        FIXTURES / "docx" / "cover_letter_then_form_en.docx",
        FIXTURES / "pdf" / "cover_letter_then_form_en.pdf",
    ):
        _, [record] = records_of(path)
        [expected] = truth_of(path)
        for key, value in expected["fields"].items():
            assert (field_of(record, key).value, field_of(record, key).flags) == (value, []), f"{path.name} {key}"
        assert record.unassigned[0].text == "Dear Sir or Madam," and record.needs_review  # to be dismissed
