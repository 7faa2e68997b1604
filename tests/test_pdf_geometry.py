"""PDF geometry rules on words built in code: no PDF needed to pin the hard cases."""

from __future__ import annotations

from parsers.pdf_geometry import (
    Line,
    Word,
    continues_across_break,
    crosses,
    find_split,
    footnote_lines,
    footnote_separator,
    furniture_keys,
    group_lines,
    is_footnote_marker,
    join_lines,
    paragraphs,
)

SIZE = 11.0


def line(text: str, x0: float, top: float, size: float = SIZE, gap: float = 3.0) -> Line:
    words, x = [], x0
    for token in text.split(" "):
        width = 6.0 * len(token)
        words.append(Word(token, x, top, x + width, top + size, size, False))
        x += width + gap
    return Line(tuple(words))


def test_words_at_the_same_height_form_one_line_left_to_right():
    words = [
        Word("b", 50, 100.5, 56, 111, SIZE, False),
        Word("a", 10, 100, 16, 111, SIZE, False),
        Word("c", 10, 114, 16, 125, SIZE, False),
    ]
    assert [ln.text for ln in group_lines(words)] == ["a b", "c"]


def test_the_column_split_comes_from_a_vertical_rule_when_there_is_one():
    assert find_split([], 612, [(301.0, 100.0, 700.0), (85.0, 100.0, 700.0), (517.0, 100.0, 700.0)]) == 301.0


def test_the_column_split_of_a_borderless_form_is_the_common_start_after_a_wide_gap():
    lines = [
        Line(line("Durée", 90, 100).words + line("2014-2019", 306, 100).words),
        Line(line("But", 90, 130).words + line("Le PCS a pour but", 306, 130).words),
        Line(line("Impact", 90, 160).words + line("Le PCS a permis", 306, 160).words),
        line("suite de la réponse", 306, 173),
    ]
    split = find_split(lines, 612, [])
    assert split is not None and 290 < split < 306


def test_a_country_header_running_across_the_split_is_not_a_two_column_line():
    header = line("European Housing Network (NGO)", 250, 60)
    assert crosses(header, 301.0)
    assert not crosses(Line(line("Durée", 90, 100).words + line("2014", 306, 100).words), 301.0)


def test_a_line_that_stopped_although_the_next_word_fitted_ends_its_paragraph():
    first = line("interculturels.", 306, 100)
    second = line("Il vise à assurer", 306, 113)
    assert [len(p) for p in paragraphs([first, second], right_edge=510)] == [1, 1]
    full = line("Le PCS se décline en actions coordonnées au sein de", 306, 100, gap=2.9)
    follow = line("quatre axes", 306, 113)
    assert [len(p) for p in paragraphs([full, follow], right_edge=full.x1 + 10)] == [2]


def test_bullets_and_vertical_gaps_start_paragraphs():
    lines = [
        line("Voir les publications :", 306, 100),
        line("\uf0b7 Cohésion sociale", 306, 113),
        line("guide", 324, 126),
        line("Nouveau paragraphe", 306, 160),
    ]
    assert [len(p) for p in paragraphs(lines, right_edge=330)] == [1, 2, 1]


def test_wrapped_lines_join_with_spaces_and_hyphenated_words_stay_whole():
    assert join_lines([line("le bien-", 0, 0), line("être de tous", 0, 13)]) == "le bien-être de tous"
    assert join_lines([line("2009-", 0, 0), line("2013", 0, 13)]) == "2009-2013"
    assert join_lines([line("texte -", 0, 0), line("suite", 0, 13)]) == "texte - suite"


def test_an_answer_cut_by_a_page_break_continues_only_if_the_last_line_was_full():
    last = line("partenariat avec les partenaires", 306, 700)
    assert continues_across_break(last, line("locaux et le secteur", 306, 72), right_edge=last.x1 + 5)
    assert not continues_across_break(last, line("locaux", 306, 72), right_edge=last.x1 + 80)
    assert not continues_across_break(last, line("• item", 306, 72), right_edge=last.x1 + 5)


def test_running_headers_and_page_numbers_are_furniture_but_a_country_header_is_not():
    pages = []
    for number in range(1, 6):
        page = [
            line("Recueil des bonnes pratiques 2017", 90, 35),
            line("FRANCE", 90, 80),
            line("texte", 90, 300),
            line(str(number), 300, 760),
        ]
        if number > 1:
            page[1] = line("suite", 90, 80)
        pages.append(page)
    keys = furniture_keys(pages, [792.0] * 5)
    assert {(p, 0) for p in range(5)} <= keys and {(p, 3) for p in range(5)} <= keys
    assert (0, 1) not in keys and all((p, 2) not in keys for p in range(5))


def test_a_running_footer_printed_mid_page_on_a_short_last_page_is_still_furniture():
    """Chromium sets a short last page's footer right under its text: out of the margin zone, it would
    have joined the last answer."""
    footer = "Document de travail – ne pas diffuser"
    pages = [[line("réponse longue", 90, 300), line(footer, 90, 740)] for _ in range(3)]
    pages.append([line("fin de la réponse", 90, 300), line(footer, 90, 450), line("ne pas diffuser", 90, 500)])
    keys = furniture_keys(pages, [792.0] * 4)
    assert {(p, 1) for p in range(4)} <= keys
    assert (3, 0) not in keys and (3, 2) not in keys  # the answer, and a shorter phrase that is not the footer


def test_footnote_calls_glued_to_words_and_footnote_bodies_are_recognised():
    together = Word("Together", 100, 100, 150, 111, SIZE, False)
    call = Word("5", 150.3, 99, 154, 106, 7.0, False)
    year = Word("2020", 155, 100, 180, 111, SIZE, False)
    assert is_footnote_marker(call, together, SIZE)
    assert not is_footnote_marker(year, call, SIZE)
    lines = [
        line("texte du corps", 90, 600),
        line("5 https://wikispiral.example.org/page", 90, 700, size=8.0),
        line("suite de la note", 90, 710, size=8.0),
    ]
    assert footnote_lines(lines, SIZE, 792.0) == {1, 2}


def test_the_footnote_separator_is_a_short_rule_below_the_table():
    table_rules = [(114.0, 84.0, 517.0), (696.0, 84.0, 517.0)]
    assert footnote_separator(table_rules + [(704.0, 90.0, 198.0)], 612, 792) == 704.0
    # a rule under the label column only, inside the table, is not a separator
    assert footnote_separator(table_rules + [(600.0, 85.0, 301.0)], 612, 792) is None
    lines = [line("texte", 90, 650), line("1 https://example.org", 90, 706)]
    assert footnote_lines(lines, SIZE, 792.0, separator=704.0) == {1}
