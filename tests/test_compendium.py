"""The compendium as a publication: numbered titles on their own pages, parts headed once, contents
with the pages titles really start on (in the PDF too), title page, introduction, typography per
language, and the output format named by the file's suffix."""

from __future__ import annotations

import re
import shutil
import zipfile

import docx
import pytest
from conftest import ROOT
from typer.testing import CliRunner

from cli import app
from extract.record import Record
from pipeline.batch import run_batch
from publish.compendium import CompendiumOptions, build_compendium, save_compendium
from publish.publication import compiled_on

runner = CliRunner()
RUNNING_HEADER = "Plateforme européenne de cohésion sociale – Recueil de bonnes pratiques"
needs_soffice = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    """The shipped samples extracted afresh (three practices arrive twice: seven are published)."""
    out = tmp_path_factory.mktemp("samples") / "structured"
    run_batch([ROOT / "data" / "raw"], out, isolate=False, review_dir=out.parent / "review")
    return out


def _document_text(path) -> str:
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    return "\n".join(re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<w:p[ >].*?</w:p>", xml))


def _pdf_lines(path) -> list[list[str]]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    pages = []
    for page in document:
        text = page.get_textpage().get_text_range().replace("\r\n", "\n")
        pages.append([" ".join(line.split()) for line in text.split("\n") if line.strip()])
    document.close()
    return pages


def _contents_entries(pages: list[list[str]]) -> list[tuple[str, int]]:
    """(title, page number) as the PDF's contents print them, in order (entries may wrap over lines)."""
    start = next(n for n, lines in enumerate(pages) if "Table des matières du recueil" in lines)
    entries: list[tuple[str, int]] = []
    pending = ""
    for lines in pages[start:]:
        for line in lines:
            if line in ("Table des matières du recueil", RUNNING_HEADER) or line.isdigit():
                continue  # the heading, and the page's running header and footer
            if (match := re.fullmatch(r"(.*?)\s?\.{3,}\s?(\d+)", f"{pending} {line}".strip())) is None:
                if entries and not pending and not line.startswith("Pratique"):
                    return entries  # the contents ended
                pending = f"{pending} {line}".strip()
                continue
            entries.append((match.group(1), int(match.group(2))))
            pending = ""
    return entries


@needs_soffice
def test_the_samples_pdf_contents_give_the_page_each_title_really_starts_on(samples, tmp_path):
    target = tmp_path / "recueil.pdf"
    result = runner.invoke(app, ["compendium", str(samples), "-o", str(target), "--include-unreviewed"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "recueil.docx").exists()  # -o .pdf writes the PDF only
    pages = _pdf_lines(target)
    contents = dict(_contents_entries(pages))
    titles = {title: page for title, page in contents.items() if title.startswith("Pratique ")}
    assert [int(t.split()[1]) for t in titles] == list(range(1, 8))  # seven practices, numbered in order
    starts = []
    for title, page in titles.items():
        prefix = title.split(" – ")[0] + " – "
        on_pages = [n for n, lines in enumerate(pages, 1) if any(line.startswith(prefix) for line in lines)]
        # in the contents, on its own page (where the contents say), then in later parts' cross references
        assert on_pages[1] == page, title
        own = pages[page - 1]
        title_line = next(n for n, line in enumerate(own) if line.startswith(prefix))
        assert title_line < next(n for n, line in enumerate(own) if line.startswith("Domaine")), title  # its top
        starts.append(page)
    assert len(set(starts)) == len(starts)  # each practice on a page of its own
    assert {"BELGIQUE / Wallonie", "FRANCE", "LUXEMBOURG", "European Housing Network (NGO)"} <= set(contents)
    assert contents["Partie I – La jeunesse et les enfants"] == titles[min(titles, key=lambda t: contents[t])]
    names = [" ".join(title.split(" – ", 1)[1].split()) for title in titles]
    assert len(names) == len(set(names)) and any(n.startswith("Plan de cohésion sociale") for n in names)


@needs_soffice
def test_the_docx_carries_the_same_page_numbers_as_the_pdf(samples, tmp_path):
    target = tmp_path / "recueil.docx"
    result = runner.invoke(app, ["compendium", str(samples), "-o", str(target), "--pdf", "--include-unreviewed"])
    assert result.exit_code == 0, result.output
    in_pdf = _contents_entries(_pdf_lines(tmp_path / "recueil.pdf"))
    entries = [p.text.split("\t") for p in docx.Document(target).paragraphs if p.style.name.startswith("toc")]
    in_docx = [(" ".join(title.split()), int(page)) for title, page in entries]
    assert in_docx == in_pdf and len(in_docx) == 7 + 3 + 5  # practices, parts, submitters (per part)


def test_numbered_titles_parts_once_and_the_submitter_above_each_table(samples, tmp_path):
    target = tmp_path / "c.docx"
    result = runner.invoke(
        app, ["compendium", str(samples), "-o", str(target), "--group-by", "submitter", "--include-unreviewed"]
    )
    assert result.exit_code == 0, result.output
    lines = _document_text(target).split("\n")
    assert lines.count("Table des matières du recueil") == 1
    assert lines.count("Pratiques soumises par : FRANCE") == 1  # the part heading, once
    numbers = [int(m.group(1)) for line in lines if (m := re.match(r"Pratique (\d+) – ", line))]
    assert numbers == list(range(1, 8)) * 2  # in the contents, then on each practice's page
    title = lines.index(
        next(line for line in lines[lines.index("Pratiques soumises par : FRANCE") :] if line.startswith("Pratique "))
    )
    assert lines[title + 1] == "FRANCE"  # the submitter right under the title, right above the table


def test_title_page_options_and_an_introduction_in_markdown(samples, tmp_path):
    intro = tmp_path / "intro.md"
    intro.write_text("# Avant-propos\n\nCe recueil **rassemble** des pratiques\nde sept pays.\n\n- une\n- deux\n")
    target = tmp_path / "c.docx"
    result = runner.invoke(
        app,
        [
            "compendium",
            str(samples),
            "-o",
            str(target),
            "--include-unreviewed",
            "--title",
            "Recueil 2019",
            "--subtitle",
            "Sous-titre choisi",
            "--date",
            "mai 2019",
            "--intro",
            str(intro),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = _document_text(target).split("\n")
    assert "Recueil 2019" in lines and "Sous-titre choisi" in lines and "mai 2019" in lines
    assert "Avant-propos" in lines and "Ce recueil rassemble des pratiques de sept pays." in lines
    assert lines.index("Avant-propos") < lines.index("Table des matières du recueil")
    missing = runner.invoke(app, ["compendium", str(samples), "-o", str(target), "--intro", str(tmp_path / "no.md")])
    assert missing.exit_code == 2 and "no.md" in missing.output


def test_parts_list_their_practices_printed_elsewhere_once_each_with_the_page(samples, tmp_path):
    target = tmp_path / "c.docx"
    result = runner.invoke(app, ["compendium", str(samples), "-o", str(target), "--pdf", "--include-unreviewed"])
    assert result.exit_code == 0, result.output
    pages = _pdf_lines(tmp_path / "c.pdf")
    contents = dict(_contents_entries(pages))
    part_two = next(lines for lines in pages if "Partie II – Migrants et réfugiés" in lines and len(lines) < 12)
    lead = part_two.index("Voir aussi dans ce recueil :")
    references = " ".join(part_two[lead + 1 :]).split(" Pratique ")
    assert len(references) == 2  # the two practices of area II printed in Part I, each once, nothing else
    for reference in references:
        match = re.fullmatch(r"(?:Pratique )?(\d+) – (.*?) – (.+?)\.{6,}(\d+)", reference.replace(" 11", ""))
        assert match, reference
        title = next(t for t in contents if t.startswith(f"Pratique {match.group(1)} – "))
        assert int(match.group(4)) == contents[title]  # the page it is printed on, as the contents say
    # the whole document: the lead line once per part with such practices, never once per practice
    assert _document_text(target).split("\n").count("Voir aussi dans ce recueil :") == 2


def test_an_unknown_output_suffix_is_a_usage_error(samples, tmp_path):
    for command in (
        ["compendium", str(samples), "-o", str(tmp_path / "c.txt")],
        ["compendium", str(samples), "-o", str(tmp_path / "c")],
        ["export", str(samples), "--xlsx", str(tmp_path / "t.csv")],
        ["export", str(samples), "--csv", str(tmp_path / "t.xlsx")],
    ):
        result = runner.invoke(app, command)
        assert result.exit_code == 2, (command, result.output)
    assert not list(tmp_path.iterdir())


@needs_soffice
def test_a_layout_whose_titles_cannot_be_found_is_an_error_not_a_wrong_contents(samples, tmp_path, monkeypatch):
    import parsers.pdf_text

    monkeypatch.setattr(parsers.pdf_text, "page_texts", lambda path: ["no titles here"] * 3)
    for name in ("c.pdf", "c.docx"):
        result = runner.invoke(app, ["compendium", str(samples), "-o", str(tmp_path / name), "--include-unreviewed"])
        if name == "c.pdf":
            assert result.exit_code == 1 and "not found on its own page" in result.output
            assert not (tmp_path / name).exists()
        else:  # the .docx is still written, its contents without page numbers, and the reason given
            assert result.exit_code == 0 and "contents without page numbers" in result.output
            assert (tmp_path / name).exists()


def test_the_title_page_gives_the_date_of_compilation_from_the_records_and_the_same_records_the_same_bytes(
    samples, tmp_path
):
    import os

    folder = tmp_path / "structured"
    shutil.copytree(samples, folder)
    newest = 1614729600  # 2021-03-03 00:00 UTC: the newest record file
    for index, path in enumerate(sorted(p for p in folder.glob("*.json") if not p.name.startswith("_"))):
        os.utime(path, (newest - 86400 * index, newest - 86400 * index))
    result = runner.invoke(app, ["compendium", str(folder), "-o", str(tmp_path / "c.docx"), "--include-unreviewed"])
    assert result.exit_code == 0, result.output
    lines = _document_text(tmp_path / "c.docx").split("\n")
    title_page = lines[: lines.index("Table des matières du recueil")]
    assert "3 mars 2021" in title_page and "Pratiques de ce recueil : 7." in title_page  # not today: the records'
    records = [Record.model_validate_json(p.read_text(encoding="utf-8")) for p in folder.glob("*-*.json")]
    options = CompendiumOptions(lang="en", include_unreviewed=True, compiled=compiled_on(records, folder))
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for target in (first, second):
        save_compendium(build_compendium(records, options), target)
    assert "3 March 2021" in _document_text(first).split("\n")
    assert first.read_bytes() == second.read_bytes()  # no clock anywhere in the output


def test_dates_in_each_language_of_the_spec():
    import datetime as dt

    from forms import load_form
    from publish.texts import compendium_texts, long_date

    form = load_form()
    assert long_date(dt.date(2026, 11, 1), compendium_texts(form, "fr")) == "1er novembre 2026"
    assert long_date(dt.date(2026, 8, 29), compendium_texts(form, "de")) == "29. August 2026"
    assert long_date(dt.date(2026, 8, 29), {"date_format": "{day} {month} {year}"}) == "2026-08-29"  # no months


def test_the_forms_wording_is_typeset_per_language_and_answers_are_left_as_written():
    from forms import load_form
    from publish.texts import compendium_texts, typographic

    form = load_form()
    label = 'Nom de la "bonne pratique" / de l\'approche innovante'
    assert typographic(label, compendium_texts(form, "fr")) == (
        "Nom de la «\u202fbonne pratique\u202f» / de l’approche innovante"
    )
    assert typographic('the "good practice"', compendium_texts(form, "en")) == "the “good practice”"
    assert typographic('der "guten Praxis"', compendium_texts(form, "de")) == "der „guten Praxis“"
    assert typographic("Domaine (s) prioritaires", compendium_texts(form, "fr")) == "Domaine(s) prioritaires"
    assert typographic("Durée (années) 'x", compendium_texts(form, "fr")) == "Durée (années) 'x"  # nothing to pair


def test_a_practice_without_any_contact_has_no_contact_heading_and_no_blank_rows(tmp_path):
    import docx as python_docx
    from conftest import FIXTURES, records_of

    [record] = records_of(FIXTURES / "docx" / "table_grid_fr.docx")[1]
    bare = record.model_copy(deep=True)
    for key in ("name", "organisation", "email", "phone", "website"):
        getattr(bare.contact, key).value = None
    bare.fields.impact.value = "  "
    target = tmp_path / "c.docx"
    save_compendium(build_compendium([bare], CompendiumOptions(include_unreviewed=True)), target)
    [table] = python_docx.Document(target).tables
    labels = [row.cells[0].text for row in table.rows]
    assert "Coordonnées" not in labels and "Impact" not in labels and "But" in labels
    assert all(row.cells[1].text.strip() for row in table.rows)
