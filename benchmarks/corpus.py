"""A corpus of N distinct replies for the benchmark, made with the fixture generator's builders:
half Word, half PDF (rendered by LibreOffice), single and three-practice files, four layouts."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

import docx_builders as b  # noqa: E402
import practices as p  # noqa: E402

# A profile of our own: a second LibreOffice on the machine (a teammate, a test) would otherwise
# share the default profile and make this conversion fail or wait.
PROFILE = f"-env:UserInstallation=file://{Path(tempfile.gettempdir()) / 'pecs-bench-soffice'}"

TEMPLATES = [
    p.WALLONIE_PCS,
    p.WALLONIE_TOGETHER,
    p.FRANCE_PAUVRETE,
    p.FRANCE_RADICALISATION,
    p.FRANCE_PROSTITUTION,
    p.LUXEMBOURG_CONGE,
    p.IRELAND_YOUTH,
    p.NGO_HOUSING,
]


# Words for names and sentences that make each reply a different practice: a corpus of copies of eight
# practices would be one pile of near-duplicates to the duplicate grouping, which no real batch is.
WORDS = [
    "accueil",
    "alliance",
    "atelier",
    "avenir",
    "balise",
    "boussole",
    "cercle",
    "chantier",
    "citoyen",
    "clef",
    "colibri",
    "commun",
    "dialogue",
    "ecole",
    "elan",
    "entraide",
    "escale",
    "etoile",
    "fabrique",
    "foyer",
    "horizon",
    "ilot",
    "jardin",
    "lien",
    "maison",
    "marelle",
    "mosaique",
    "passerelle",
    "phare",
    "pont",
    "quartier",
    "racine",
    "rempart",
    "reseau",
    "ruche",
    "semence",
    "sentier",
    "solstice",
    "tandem",
    "terrain",
    "tisserand",
    "tremplin",
    "trajet",
    "union",
    "vallee",
    "vigie",
    "village",
    "voisinage",
    "volet",
]


def _words(index: int, count: int) -> str:
    """`count` words naming `index`: two indexes always differ in at least one word."""
    found = []
    for _ in range(count):
        index, digit = divmod(index, len(WORDS))
        found.append(WORDS[digit])
    return " ".join(found)


def _distinct(practice: dict, index: int) -> dict:
    """The reply made a practice of its own (hash, name and answers) by its number."""
    made = copy.deepcopy(practice)
    made["practice_name"] = [f"{_words(index * 7919, 4).capitalize()} (réf. {index})", *made["practice_name"][1:]]
    for key in ("context", "objectives", "description"):
        if made.get(key):
            made[key] = [f"{_words(index * 7 + 3, 3).capitalize()} : {made[key][0]}", *made[key][1:]]
    made["contact.email"] = [f"contact{index}@example.org"]
    return made


def reply(index: int, variant: int = 0):
    """Document number `index`: layout and size cycle; `variant` changes its text (a resent reply)."""
    document = b.new_document()
    count = 3 if index % 5 == 0 else 1
    for n in range(count):
        practice = _distinct(TEMPLATES[(index + n) % len(TEMPLATES)], index * 10 + n + 1000 * variant)
        labels = (
            b.EN_LABELS if practice["submitter"][0] in ("IRELAND", "European Housing Network (NGO)") else b.FR_LABELS
        )
        if n:
            b.page_break(document)
        b.header(document, practice["submitter"])
        layout = index % 4
        if layout == 3:
            b.paragraph_form(document, practice, labels)
        else:
            b.table_form(document, practice, labels, grid=layout != 1)
    return document


def build(folder: Path, count: int) -> list[Path]:
    """Write `count` replies into `folder` (kept between runs); every second one as PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = [folder / f"reply_{i:04d}.{'pdf' if i % 2 else 'docx'}" for i in range(count)]
    for path in wanted:  # the same number is the same reply in every size: link what another size made
        made = next((other / path.name for other in folder.parent.iterdir() if (other / path.name).exists()), None)
        if made is not None and not path.exists():
            os.link(made, path)
    missing = [path for path in wanted if not path.exists()]
    with tempfile.TemporaryDirectory() as tmp:
        to_render = []
        for path in missing:
            index = int(path.stem.split("_")[1])
            target = path if path.suffix == ".docx" else Path(tmp) / f"{path.stem}.docx"
            b.save_deterministic(reply(index), target)
            if path.suffix == ".pdf":
                to_render.append(target)
        for start in range(0, len(to_render), 50):
            subprocess.run(
                [
                    "soffice",
                    PROFILE,
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder),
                    *map(str, to_render[start : start + 50]),
                ],
                check=True,
                capture_output=True,
                timeout=1800,
            )
    return wanted


def touch(paths: list[Path], fraction: float) -> list[Path]:
    """Change the content of a fraction of the replies (as a sender resending a corrected file)."""
    chosen = paths[:: max(1, round(1 / fraction))]
    with tempfile.TemporaryDirectory() as tmp:
        to_render = []
        for path in chosen:
            index = int(path.stem.split("_")[1])
            target = path if path.suffix == ".docx" else Path(tmp) / f"{path.stem}.docx"
            b.save_deterministic(reply(index, variant=1), target)
            if path.suffix == ".pdf":
                to_render.append(target)
        if to_render:
            subprocess.run(
                [
                    "soffice",
                    PROFILE,
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(chosen[0].parent),
                    *map(str, to_render),
                ],
                check=True,
                capture_output=True,
                timeout=1800,
            )
    return chosen


def restore(paths: list[Path]) -> None:
    """Put touched replies back as they were, so every run starts from the same corpus."""
    for path in paths:
        path.unlink()
    if paths:
        build(paths[0].parent, max(int(p.stem.split("_")[1]) for p in paths) + 1)
