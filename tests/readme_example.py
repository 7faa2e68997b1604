"""The README's example record: the shipped sample record, abridged the same way every time, so that
`tests/test_docs.py` can check the README shows the record the tool really writes.

    python tests/readme_example.py      # rewrite README.md's example after `make samples`
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
RECORD = ROOT / "data" / "structured" / "sample_wallonie_pcs.docx-e2efd2cb-0.json"
SHOWN = {"fields": "practice_name", "contact": "email"}  # one field of each section, in full
BLOCK = re.compile(r"(### Example \(abridged\)\n\n```json\n)(.*?)(\n```)", re.S)


def abridged(record: dict) -> str:
    shown = dict(record)
    for section, key in SHOWN.items():
        others = [name for name in record[section] if name != key]
        shown[section] = {key: record[section][key], "...": f"({len(others)} more: {', '.join(others)})"}
    return json.dumps(shown, ensure_ascii=False, indent=2)


def readme_example(text: str) -> str | None:
    found = BLOCK.search(text)
    return found.group(2) if found else None


def main() -> None:
    text = README.read_text(encoding="utf-8")
    example = abridged(json.loads(RECORD.read_text(encoding="utf-8")))
    if readme_example(text) is None:
        sys.exit("README.md has no '### Example (abridged)' JSON block")
    README.write_text(BLOCK.sub(lambda m: m.group(1) + example + m.group(3), text), encoding="utf-8")


if __name__ == "__main__":
    main()
