"""The Word reader reads what real replies hold, and nothing that is not visible text."""

from __future__ import annotations

import docx
import pytest
from conftest import FIXTURES

from parsers import UnreadableFile, read_layout

DOCX = FIXTURES / "docx"


def _texts(name):
    return [block.text for block in read_layout(DOCX / name).blocks]


def test_content_controls_are_read_and_a_prompt_still_showing_is_not_an_answer():
    texts = _texts("content_controls.docx")
    assert any(t.startswith("Le PCS a pour but") for t in texts)
    assert any(t.startswith("Voir les publications") for t in texts)  # block-level control
    assert not any("Cliquez ou appuyez ici" in t for t in texts)


def test_tracked_deletions_never_appear_and_insertions_do():
    texts = "\n".join(_texts("tracked_changes.docx"))
    assert "TEXTE SUPPRIMÉ" not in texts
    assert "d’une démarche participative, née au Conseil de l’Europe" in texts


def test_legacy_form_fields_give_their_value_not_their_code():
    texts = "\n".join(" ".join(t.split()) for t in _texts("form_fields_links.docx"))
    assert "FORMTEXT" not in texts and "FORMCHECKBOX" not in texts
    assert "Youth Guarantee local partnerships" in texts
    assert "☒ I. Youth and children" in texts and "☐ III. Impact of the economic crisis" in texts
    assert "https://www.example.org/youth-guarantee" in texts  # inside a hyperlink


def test_merged_and_nested_cells_are_read_once():
    texts = _texts("merged_and_nested.docx")
    assert texts.count("Brief description") == 1
    assert texts.count("Tenants in 2016") == 1


def test_list_items_and_bold_labels_are_marked():
    blocks = read_layout(DOCX / "table_grid_fr.docx").blocks
    assert any(b.list_item and b.text.startswith("la jeunesse") for b in blocks)
    assert all(b.bold for b in blocks if b.kind == "cell" and b.column == 0 and b.text == "Durée")
    assert [(b.table, b.row, b.column) for b in blocks if b.text == "Durée"] == [(0, 6, 0)]


def test_no_entity_or_external_reference_is_resolved(tmp_path):
    # python-docx parses with entities off; an XXE payload must come out as nothing, never as a file's content
    source = DOCX / "table_grid_fr.docx"
    import zipfile

    target = tmp_path / "xxe.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(
                    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>",
                    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
                )
                data = data.replace("Durée".encode(), b"Dur&x;e")
            zout.writestr(item, data)
    texts = "\n".join(b.text for b in read_layout(target).blocks)
    assert "root:" not in texts


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty file"),
        (b"%PDF-1.7\n", "a PDF file named .docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "legacy Word 97-2003"),  # converted, or says how
        (b"hello world", "not a Word .docx file"),
        (b"PK\x03\x04truncated", "damaged Word file"),
    ],
)
def test_unreadable_files_raise_one_error_with_a_plain_message(tmp_path, content, message):
    path = tmp_path / "reply.docx"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message):
        read_layout(path)


def test_a_document_python_docx_writes_is_read_in_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("avant")
    document.add_table(rows=1, cols=2).rows[0].cells[1].text = "cellule"
    document.add_paragraph("après")
    path = tmp_path / "order.docx"
    document.save(path)
    assert [b.text for b in read_layout(path).blocks] == ["avant", "cellule", "après"]


def test_text_boxes_are_read_once_after_their_anchor_paragraph(tmp_path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    anchor = document.add_paragraph("ancre")
    box = (
        f'<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        f'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        f'xmlns:v="urn:schemas-microsoft-com:vml">'
        f'<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
        f"<w:p><w:r><w:t>dans la zone de texte</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing>"
        f"</mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>dans la zone de texte"
        f"</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    anchor._p.append(parse_xml(box))
    path = tmp_path / "box.docx"
    document.save(path)
    assert [b.text for b in read_layout(path).blocks] == ["ancre", "dans la zone de texte"]


def _heading_labelled_reply(path, numbering: str | None) -> None:
    """The paragraph form with each label in 'Heading 2'; `numbering` is the numPr written on that style."""
    import sys

    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    sys.path.insert(0, str(FIXTURES))
    import docx_builders as b
    import practices as p

    document = b.new_document()
    b.header(document, p.WALLONIE_PCS["submitter"])
    b.paragraph_form(document, p.WALLONIE_PCS, b.FR_LABELS)
    labels = set(b.FR_LABELS.values())
    for paragraph in document.paragraphs:
        if paragraph.text in labels:
            paragraph.style = document.styles["Heading 2"]
    if numbering is not None:
        style = document.styles["Heading 2"].element
        style.get_or_add_pPr().append(parse_xml(f"<w:numPr {nsdecls('w')}>{numbering}</w:numPr>"))
    b.save_deterministic(document, path)


def test_a_heading_style_numbered_zero_is_a_heading_not_a_list_item(tmp_path):
    """LibreOffice saves every heading style with numId 0 ("no numbering"): an .odt, .doc or .rtf reply
    whose labels are headings must still read, exactly as the same reply saved by Word."""
    from pipeline.reading import Candidate, read_records

    plain, libreoffice = tmp_path / "word.docx", tmp_path / "libreoffice.docx"
    _heading_labelled_reply(plain, None)
    _heading_labelled_reply(libreoffice, '<w:ilvl w:val="0"/><w:numId w:val="0"/>')
    headings = [block for block in read_layout(libreoffice).blocks if block.heading]
    assert headings and not any(block.list_item for block in headings)
    _, word_records = read_records(Candidate(plain, plain.name))
    _, lo_records = read_records(Candidate(libreoffice, libreoffice.name))
    assert [r.fields.model_dump() for r in lo_records] == [r.fields.model_dump() for r in word_records]
    assert lo_records[0].fields.practice_name.value and not lo_records[0].needs_review


def test_a_paragraph_numbered_zero_loses_its_list_style_bullet(tmp_path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("puce", style="List Bullet")
    unbulleted = document.add_paragraph("sans puce", style="List Bullet")
    unbulleted._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="0"/></w:numPr>'))
    path = tmp_path / "lists.docx"
    document.save(path)
    assert [(b.text, b.list_item) for b in read_layout(path).blocks] == [("puce", True), ("sans puce", False)]
