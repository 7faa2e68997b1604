"""The layers stay apart: an import scan of every module (principle 10 of STYLE.md)."""

from __future__ import annotations

import ast
import sys

from conftest import ROOT

FORMAT_LIBRARIES = {"docx", "pdfplumber", "pdfminer", "pypdfium2", "lxml"}

# Which of our packages each package may import (at the top or inside a function alike). The graph runs one
# way, from the CLI down to normalise/; records/ is the bottom layer that pipeline/, review/ and publish/
# share, so none of those three imports another. A new package, or a new arrow, is a line here.
ALLOWED = {
    "forms": set(),  # the questionnaires as data, standard library only (tests/test_forms.py)
    "normalise": set(),
    "helpers": set(),  # running LibreOffice and OCR under limits: the standard library only
    "parsers": {"normalise", "helpers"},
    "extract": {"forms", "normalise", "parsers"},  # parsers.layout only: see below
    "records": {"forms", "extract"},  # forms: which form a folder's records answer
    "duplicates": {"forms", "extract", "records"},
    "pipeline": {"forms", "parsers", "extract", "normalise", "records", "duplicates", "helpers"},
    # duplicates: a group of copies is one review item, decided through review/groups.py like any other
    "review": {"forms", "parsers", "extract", "normalise", "records", "duplicates"},
    "publish": {"forms", "extract", "normalise", "records", "duplicates", "helpers"},
    "benchmarks": {"parsers", "extract", "normalise", "records", "pipeline"},
    "cli": {
        "forms",
        "parsers",
        "extract",
        "normalise",
        "records",
        "duplicates",
        "pipeline",
        "review",
        "publish",
        "helpers",
    },
}


def _packages() -> set[str]:
    found = {path.parent.name for path in ROOT.glob("*/__init__.py")} | {"cli"}
    return found | ({"benchmarks"} if (ROOT / "benchmarks").is_dir() else set())


def test_every_package_is_in_the_dependency_table():
    assert _packages() <= set(ALLOWED), f"add {_packages() - set(ALLOWED)} to ALLOWED in tests/test_layers.py"


def test_packages_import_only_the_layers_below_them():
    ours = set(ALLOWED)
    for package in ALLOWED:
        for module, names in _imports(package).items():
            reached = (names & ours) - {package}
            assert reached <= ALLOWED[package], f"{package}/{module} imports {reached - ALLOWED[package]}"


def test_the_dependency_table_has_no_cycle():
    done: set[str] = set()

    def visit(package: str, path: tuple[str, ...]) -> None:
        assert package not in path, f"cycle: {' -> '.join((*path, package))}"
        if package not in done:
            for below in ALLOWED[package]:
                visit(below, (*path, package))
            done.add(package)

    for package in ALLOWED:
        visit(package, ())


def test_no_package_hides_an_import_behind_a_lazy_getattr():
    for init in ROOT.glob("*/__init__.py"):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert "__getattr__" not in names, init


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


def test_normalise_and_helpers_import_only_the_standard_library():
    for package in ("normalise", "helpers"):
        for module, names in _imports(package).items():
            outside = {n for n in names if n not in sys.stdlib_module_names and n != package}
            assert not outside, f"{package}/{module} imports {outside}"


def test_extract_never_sees_a_file_format_library_or_the_cli():
    for module, names in _imports("extract").items():
        assert not names & (FORMAT_LIBRARIES | {"typer", "cli", "pipeline"}), f"extract/{module}: {names}"
    for path in (ROOT / "extract").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert not {m for m in modules if m.startswith("parsers") and m != "parsers.layout"}, path.name


def test_only_the_cli_imports_typer():
    for package in set(ALLOWED) - {"cli"}:
        for module, names in _imports(package).items():
            assert "typer" not in names, f"{package}/{module}"


def test_format_libraries_are_imported_only_in_parsers_and_the_publisher():
    for package in ("extract", "normalise", "records", "pipeline", "review", "cli"):
        for module, names in _imports(package).items():
            assert not names & FORMAT_LIBRARIES, f"{package}/{module} imports {names & FORMAT_LIBRARIES}"
    for module, names in _imports("publish").items():  # it writes Word files; it never reads replies
        assert not names & {"pdfplumber", "pdfminer", "pypdfium2", "parsers"}, f"publish/{module}"


def test_modules_stay_small_enough_to_read():
    for package in set(ALLOWED) - {"cli"}:
        for path in (ROOT / package).glob("*.py"):
            assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path
