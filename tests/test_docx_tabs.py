"""A tab separates words however the Word XML writes it (issue 10, legacy .doc converted by LibreOffice:
'NomClaude Ewen' lost the contact block)."""

from __future__ import annotations

import docx
from conftest import FIXTURES
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from parsers import read_layout

TAB_FORMS = {
    "run tab": "<w:r><w:t>Nom</w:t><w:tab/><w:t>Claude Ewen</w:t></w:r>",
    "position tab": '<w:r><w:t>Nom</w:t><w:ptab w:relativeTo="margin" w:alignment="left" w:leader="none"/>'
    "<w:t>Claude Ewen</w:t></w:r>",
    "tab between runs": "<w:r><w:t>Nom</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>Claude Ewen</w:t></w:r>",
    "loose tab": "<w:r><w:t>Nom</w:t></w:r><w:tab/><w:r><w:t>Claude Ewen</w:t></w:r>",
    "tab character": '<w:r><w:t xml:space="preserve">Nom\tClaude Ewen</w:t></w:r>',
    "tab in a hyperlink": "<w:hyperlink><w:r><w:t>Nom</w:t><w:tab/><w:t>Claude Ewen</w:t></w:r></w:hyperlink>",
}


def test_every_way_of_writing_a_tab_separates_label_and_answer(tmp_path):
    document = docx.Document()
    for runs in TAB_FORMS.values():
        paragraph = document.add_paragraph()
        tab_stops = '<w:pPr><w:tabs><w:tab w:val="left" w:pos="2268"/></w:tabs></w:pPr>'
        paragraph._p.append(parse_xml(f"<w:p {nsdecls('w')}>{tab_stops}{runs}</w:p>")[0])  # its settings
        for child in parse_xml(f"<w:p {nsdecls('w')}>{runs}</w:p>"):
            paragraph._p.append(child)
    document.save(tmp_path / "tabs.docx")
    texts = [block.text for block in read_layout(tmp_path / "tabs.docx").blocks]
    assert texts == ["Nom\tClaude Ewen"] * len(TAB_FORMS), dict(zip(TAB_FORMS, texts, strict=False))


def test_a_legacy_doc_with_tabbed_contact_lines_keeps_them_apart():
    texts = [block.text for block in read_layout(FIXTURES / "docx" / "legacy_tab_contact.doc").blocks]
    assert "Nom\tDominique Weber" in texts
    assert any(text.startswith("Organisation\t") for text in texts)
