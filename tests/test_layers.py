"""The layers stay apart: an import scan of every module (principle 10 of STYLE.md)."""

from __future__ import annotations

import ast
import sys

from conftest import ROOT

FORMAT_LIBRARIES = {"docx", "pdfplumber", "pdfminer", "pypdfium2", "lxml"}


def _imports(package: str) -> dict[str, set[str]]:
    found = {}
    files = [ROOT / "cli.py"] if package == "cli" else sorted((ROOT / package).glob("*.py"))
    for path in files:
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[path.name] = names
    return found


def test_normalise_imports_only_the_standard_library():
    for module, names in _imports("normalise").items():
        outside = {n for n in names if n not in sys.stdlib_module_names and n != "normalise"}
        assert not outside, f"normalise/{module} imports {outside}"


def test_extract_never_sees_a_file_format_library_or_the_cli():
    for module, names in _imports("extract").items():
        assert not names & (FORMAT_LIBRARIES | {"typer", "cli", "pipeline"}), f"extract/{module}: {names}"
    for path in (ROOT / "extract").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not {m for m in modules if m.startswith("parsers") and m != "parsers.layout"}, path.name


def test_only_the_cli_imports_typer():
    for package in ("parsers", "extract", "normalise", "pipeline", "review", "publish"):
        for module, names in _imports(package).items():
            assert "typer" not in names, f"{package}/{module}"


def test_format_libraries_are_imported_only_in_parsers_and_the_publisher():
    for package in ("extract", "normalise", "pipeline", "review", "cli"):
        for module, names in _imports(package).items():
            assert not names & FORMAT_LIBRARIES, f"{package}/{module} imports {names & FORMAT_LIBRARIES}"
    for module, names in _imports("publish").items():  # it writes Word files; it never reads replies
        assert not names & {"pdfplumber", "pdfminer", "pypdfium2", "parsers"}, f"publish/{module}"


def test_modules_stay_small_enough_to_read():
    for package in ("parsers", "extract", "normalise", "pipeline", "review", "publish"):
        for path in (ROOT / package).glob("*.py"):
            assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path
