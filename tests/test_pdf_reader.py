"""PDF replies: same records as their Word source, page furniture kept out, provenance on every field."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import FIXTURES, PDF_FIXTURES, field_of, records_of

from extract.record import CONTACT_KEYS, FIELD_KEYS
from parsers import UnreadableFile, read_layout

KEYS = list(FIELD_KEYS) + [f"contact.{k}" for k in CONTACT_KEYS]
FROM_WORD = [p for p in PDF_FIXTURES if (FIXTURES / "docx" / f"{p.stem}.docx").exists()]


def _values(records):
    return [(r.submitter, r.priority_areas, [field_of(r, k).value for k in KEYS]) for r in records]


def _folded(values):
    return [(s, c, [" ".join(v.split()) if v else v for v in fields]) for s, c, fields in values]


def test_pdf_rendered_from_word_gives_the_same_records_as_the_word_file(capsys):
    strict = folded = total = 0
    for pdf in FROM_WORD:
        _, from_pdf = records_of(pdf)
        _, from_word = records_of(FIXTURES / "docx" / f"{pdf.stem}.docx")
        assert len(from_pdf) == len(from_word), pdf.name
        a, b = _values(from_pdf), _values(from_word)
        for (sa, ca, fa), (sb, cb, fb) in zip(a, b, strict=True):
            assert (sa, ca) == (sb, cb), pdf.name
            total += len(fa)
            strict += sum(x == y for x, y in zip(fa, fb, strict=True))
        folded_a, folded_b = _folded(a), _folded(b)
        for ra, rb in zip(folded_a, folded_b, strict=True):
            folded += sum(x == y for x, y in zip(ra[2], rb[2], strict=True))
    with capsys.disabled():
        print(
            f"\n[pdf vs word] {len(FROM_WORD)} PDFs, {total} fields: {strict} identical ({strict / total:.1%}), "
            f"{folded} identical up to line breaks ({folded / total:.1%})"
        )
    assert folded == total
    assert strict / total >= 0.99


def test_running_headers_page_numbers_never_reach_a_value():
    _, records = records_of(FIXTURES / "pdf" / "compilation.pdf")
    assert [r.submitter for r in records] == ["BELGIQUE / Wallonie", "BELGIQUE / Wallonie", "FRANCE", "LUXEMBOURG"]
    for record in records:
        for key in KEYS:
            value = field_of(record, key).value or ""
            assert "Plateforme européenne" not in value and "Recueil" not in value
        assert all(not u.text.strip().isdigit() for u in record.unassigned)


def test_every_pdf_field_with_a_value_points_to_its_page_and_box():
    for pdf in PDF_FIXTURES:
        _, records = records_of(pdf)
        for record in records:
            assert record.source.pages and record.source.pages == sorted(record.source.pages)
            for key in KEYS:
                field = field_of(record, key)
                if field.value is not None:
                    values = [loc for loc in field.provenance if loc.part == "value"]
                    assert values and all(loc.page and loc.bbox for loc in values), (pdf.name, key)
                    assert all(loc.page in record.source.pages for loc in values)


def test_records_follow_practices_not_pages():
    _, records = records_of(FIXTURES / "pdf" / "compilation.pdf")
    assert len(records) == 4
    assert all(len(r.source.pages) >= 2 for r in records)
    assert records[1].source.pages[0] >= records[0].source.pages[-1]


def test_ticked_boxes_drawn_in_the_pdf_are_read_as_ticked():
    _, [record] = records_of(FIXTURES / "pdf" / "form_fields_links.pdf")
    assert record.priority_areas == ["I", "II"]
    assert record.fields.priority_domains.raw.splitlines()[2].startswith("☐")
    assert record.fields.priority_domains.value == "I. Youth and children\nII. Migrants and refugees"


def test_owner_password_pdf_is_read_like_any_other():
    _, [record] = records_of(FIXTURES / "pdf" / "owner_password.pdf")
    assert record.fields.practice_name.value.startswith("Plan de cohésion sociale")


@pytest.mark.parametrize(
    "name, message",
    [
        ("open_password.pdf", "needs a password to open"),
    ],
)
def test_unreadable_pdfs_say_why(name, message):
    with pytest.raises(UnreadableFile, match=message):
        read_layout(FIXTURES / "hostile" / name)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"hello", "not a PDF file"),
        (b"PK\x03\x04 zip", "a Word/zip file named .pdf"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "damaged PDF"),
    ],
)
def test_broken_pdfs_raise_one_error_with_a_plain_message(tmp_path, content, message):
    path = tmp_path / "reply.pdf"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message):
        read_layout(path)


def test_a_truncated_pdf_is_an_error_not_a_crash(tmp_path):
    data = (FIXTURES / "pdf" / "table_grid_fr.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    try:
        layout = read_layout(path)
    except UnreadableFile as error:
        assert error.message
    else:  # pdfminer may recover the pages it can reach; what it gives must still be a layout
        assert layout.format == "pdf"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_a_word_reply_printed_to_pdf_now_by_libreoffice_reads_the_same(tmp_path):
    source = FIXTURES / "docx" / "multi_practice_fr.docx"
    shutil.copy(source, tmp_path / source.name)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / source.name)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    _, from_pdf = records_of(tmp_path / "multi_practice_fr.pdf")
    _, from_word = records_of(source)
    assert _folded(_values(from_pdf)) == _folded(_values(from_word))


def test_footnote_calls_and_bodies_stay_out_of_the_answers():
    _, [record] = records_of(FIXTURES / "pdf" / "footnotes_fr.pdf")
    assert record.fields.practice_name.value.endswith("dénommé Réseau Together")
    assert record.fields.instruments_used.value.endswith("et la démarche SPIRAL.")
    for key in KEYS:
        assert "wikispiral" not in (field_of(record, key).value or "")
    layout = read_layout(FIXTURES / "pdf" / "footnotes_fr.pdf")
    assert next(b.text for b in layout.blocks if b.role == "footnote").startswith("1 https://wikispiral")
