"""The desk's and the review page's pictures of a source, when the source is hostile: a flate bomb (a page
whose content inflates to hundreds of megabytes) gets no picture and a reason, in bounded time and
memory, and the next picture is drawn as usual. The renderer's worker is limited (review/render.py)."""

from __future__ import annotations

import hashlib
import json
import resource
import shutil
import sys
import time
from pathlib import Path

import pytest
from conftest import FIXTURES
from review_fixtures import extracted_samples

from review.render import RENDER_TIMEOUT, IsolatedRenderer, RenderFailed

sys.path.insert(0, str(FIXTURES))
from hostile import memory_bomb_pdf

MEMORY_MB = 300  # below what the bomb inflates to (hostile.BOMB_MB), far above a real page's drawing


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_flate_bomb_source_gets_no_picture_in_bounded_time_and_the_next_picture_is_drawn(tmp_path):
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(memory_bomb_pdf())
    good = FIXTURES / "pdf" / "table_grid_fr.pdf"
    with IsolatedRenderer(memory_mb=MEMORY_MB) as renderer:
        for ask in (
            lambda: renderer.page(bomb, _sha(bomb), 1, [(50.0, 50.0, 200.0, 80.0)]),
            lambda: renderer.regions(bomb, _sha(bomb), [(1, (50.0, 50.0, 200.0, 80.0))]),
        ):
            started = time.monotonic()
            with pytest.raises(RenderFailed) as refused:
                ask()
            assert time.monotonic() - started < RENDER_TIMEOUT + 10  # killed or refused, never a hang
            assert "memory" in str(refused.value) or "too long" in str(refused.value)
        picture = renderer.page(good, _sha(good), 1, [(90.0, 100.0, 300.0, 120.0)])  # a fresh worker
        assert picture.startswith(b"\x89PNG")


def test_the_desk_answers_a_flate_bomb_source_with_a_reason_and_goes_on_serving(tmp_path):
    testclient = pytest.importorskip("starlette.testclient", reason="the desk's test client needs httpx")
    from review.desk import create_app
    from review.session import ReviewSession
    from review.store import store_for

    inputs, out = extracted_samples(tmp_path)
    client = testclient.TestClient(
        create_app(ReviewSession(out, store_for(out), "Ana")), base_url="http://127.0.0.1:8765"
    )
    first_id, second_id = sorted(f.stem for f in out.glob("sample_compilation*.json"))[:2]
    first = {"record_id": first_id, "key": "practice_name"}  # on page 1, which the bomb has
    second = {"record_id": second_id, "key": "practice_name"}  # another practice of the same file
    # the compilation replaced by a flate bomb whose record says it is that file (as if extracted from it)
    source = inputs / "sample_compilation.pdf"
    shutil.copy(source, tmp_path / "original.pdf")
    source.write_bytes(memory_bomb_pdf())
    record_file = out / f"{first['record_id']}.json"
    record = json.loads(record_file.read_text(encoding="utf-8"))
    record["source"]["sha256"] = _sha(source)
    record_file.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    started = time.monotonic()
    answer = client.get(f"/api/source/{first['record_id']}/{first['key']}")
    assert time.monotonic() - started < RENDER_TIMEOUT + 10  # killed at the limit, or drawn within it
    # inflated in the limited worker (drawn as a blank page, or stopped there), never in the desk's process
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024 - peak_before < 200
    if answer.status_code == 404:
        assert "memory" in answer.json()["error"] or "too long" in answer.json()["error"], answer.json()
    else:
        assert answer.status_code == 200 and answer.content.startswith(b"\x89PNG")
    assert client.get("/api/items").status_code == 200  # the desk itself is untouched
    shutil.copy(tmp_path / "original.pdf", source)
    drawn = client.get(f"/api/source/{second['record_id']}/{second['key']}")
    assert drawn.status_code == 200 and drawn.content.startswith(b"\x89PNG")
