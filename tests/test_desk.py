"""The review desk's JSON API and its safety rules, through Starlette's test client (no server, no browser)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from review_fixtures import UNPLACED_TEXT, extract, extracted_samples

starlette_testclient = pytest.importorskip("starlette.testclient", reason="the desk's test client needs httpx")
TestClient = starlette_testclient.TestClient

from review.desk import create_app  # noqa: E402
from review.session import ReviewSession  # noqa: E402
from review.store import store_for  # noqa: E402

LOCAL = "http://127.0.0.1:8765"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    return extracted_samples(tmp_path_factory.mktemp("desk"))


@pytest.fixture
def folder(extracted, tmp_path):
    """A fresh copy of the extracted records (and no decisions) for each test."""
    inputs, out = extracted
    shutil.copytree(out, tmp_path / "structured")
    return inputs, tmp_path / "structured"


def _client(out: Path, host="127.0.0.1", token=None, reviewer="Ana") -> TestClient:
    session = ReviewSession(out, store_for(out), reviewer)
    base = LOCAL if host == "127.0.0.1" else f"http://{host}:8765"
    return TestClient(create_app(session, host=host, port=8765, token=token), base_url=base)


def _csrf(client: TestClient) -> str:
    response = client.get("/api/session")
    assert response.status_code == 200
    return response.json()["csrf"]


def _post(client: TestClient, body: dict, **headers):
    return client.post("/api/decisions", json=body, headers={"x-csrf-token": _csrf(client), **headers})


def _items(client: TestClient, **filters) -> dict:
    response = client.get("/api/items", params=filters)
    assert response.status_code == 200
    return response.json()


def _item(data: dict, key: str, record_prefix: str) -> dict:
    return next(i for i in data["items"] if i["key"] == key and i["record_id"].startswith(record_prefix))


def _record_file(out: Path, record_id: str) -> dict:
    return json.loads((out / f"{record_id}.json").read_text(encoding="utf-8"))


def test_the_queue_holds_flagged_fields_and_unplaced_text_with_filters_and_progress(folder):
    _, out = folder
    data = _items(_client(out))
    kinds = {
        (i["kind"], i["key"])
        for i in data["items"]
        if i["record_id"].startswith("unplaced") and i["kind"] != "duplicate"
    }
    assert kinds == {
        ("field", "implementation"),
        ("field", "impact"),
        ("unassigned", "unassigned.0"),
        ("unassigned", "unassigned.1"),
    }
    unplaced = _item(data, "unassigned.1", "unplaced")
    assert unplaced["text"].startswith(UNPLACED_TEXT) and unplaced["near_field"] == "implementation"
    [group] = [i for i in data["items"] if i["kind"] == "duplicate"]  # the Wallonia practice, three copies
    assert unplaced["record_id"] in {c["record_id"] for c in group["copies"]} and group["flags"] == ["duplicate"]
    assert "impact" in {d["field"] for d in group["differing"]}
    assert not any("near_duplicate" in i["flags"] for i in data["items"])
    assert data["progress"] == {"decided": 0, "left": len(data["items"]), "shown": len(data["items"])}
    only = _items(_client(out), reply="unplaced.docx")
    assert {i["record_id"] for i in only["items"]} == {unplaced["record_id"]} and only["progress"]["shown"] == len(
        [i for i in data["items"] if i["record_id"] == unplaced["record_id"]]
    )
    assert {i["key"] for i in _items(_client(out), flag="unassigned")["items"]} == {"unassigned.0", "unassigned.1"}


def test_accept_correct_assign_dismiss_and_undo_each_reach_the_store_the_record_and_the_next_run(folder):
    inputs, out = folder
    client = _client(out)
    data = _items(client)
    impact = _item(data, "impact", "unplaced")
    rid = impact["record_id"]
    accepted = _post(client, {"record_id": rid, "action": "accept", "field": "implementation"})
    assert accepted.status_code == 200 and accepted.json()["decision"]["action"] == "accepted"
    corrected = _post(
        client,
        {
            "record_id": rid,
            "action": "correct",
            "field": "impact",
            "value": "  Corrigé  ",
            "expected": impact["revision"],
        },
    )
    assert corrected.status_code == 200 and corrected.json()["decision"]["decided_by"] == "Ana"
    assert _post(client, {"record_id": rid, "action": "assign", "index": 1, "target": "impact"}).status_code == 200
    assert _post(client, {"record_id": rid, "action": "dismiss", "index": 0}).status_code == 200
    shown = client.get(f"/api/records/{rid}").json()["record"]
    assert shown["fields"]["impact"]["value"] == f"Corrigé\n{shown['unassigned'][1]['text']}"
    assert shown["unassigned"][1]["text"].startswith(UNPLACED_TEXT) and shown["fields"]["impact"]["reviewed"]
    assert [u["review"]["action"] for u in shown["unassigned"]] == ["dismissed", "assigned"]
    assert shown["fields"]["implementation"]["flags"] == [] and shown["fields"]["implementation"]["reviewed"]
    assert _record_file(out, rid)["fields"]["impact"]["value"].startswith("Corrigé\n")
    left = {i["key"] for i in _items(client)["items"] if i["record_id"] == rid}
    assert left <= {group["key"] for group in _items(client)["items"] if group["kind"] == "duplicate"}
    assert _items(client)["progress"]["decided"] == 4  # implementation, impact and the two texts
    extract(inputs, out)  # re-run: the decisions hold
    again = _record_file(out, rid)
    assert again["fields"]["impact"]["value"].startswith("Corrigé\n") and again["fields"]["impact"]["reviewed"]
    undone = _post(client, {"record_id": rid, "action": "undo", "field": "impact"})  # withdraws the assignment too
    assert undone.status_code == 200
    back = client.get(f"/api/records/{rid}").json()["record"]
    assert back["fields"]["impact"]["value"] == "Corrigé"  # the correction before the assignment is back
    assert back["unassigned"][1]["review"] is None and back["unassigned"][0]["review"]["action"] == "dismissed"
    assert _post(client, {"record_id": rid, "action": "undo", "field": "impact"}).status_code == 200
    back = client.get(f"/api/records/{rid}").json()["record"]
    assert back["fields"]["impact"]["value"] is None and "label_missing" in back["fields"]["impact"]["flags"]
    assert _record_file(out, rid)["fields"]["impact"]["value"] is None


def test_a_decision_on_a_version_someone_else_changed_gets_a_conflict_with_their_decision(folder):
    _, out = folder
    ana, ben = _client(out, reviewer="Ana"), _client(out, reviewer="Ben")
    seen = _item(_items(ana), "impact", "unplaced")
    body = {"record_id": seen["record_id"], "action": "correct", "field": "impact", "expected": seen["revision"]}
    assert _post(ben, {**body, "value": "Ben's impact"}).status_code == 200
    late = _post(ana, {**body, "value": "Ana's impact"})
    assert late.status_code == 409
    assert late.json()["current"]["decided_value"] == "Ben's impact" and late.json()["current"]["decided_by"] == "Ben"
    record = ana.get(f"/api/records/{seen['record_id']}").json()
    assert record["record"]["fields"]["impact"]["value"] == "Ben's impact"
    retry = _post(ana, {**body, "value": "Ana's impact", "expected": record["revisions"]["impact"]})
    assert retry.status_code == 200


def test_changes_without_the_csrf_token_or_from_another_origin_are_refused(folder):
    _, out = folder
    client = _client(out)
    item = _item(_items(client), "implementation", "unplaced")
    body = {"record_id": item["record_id"], "action": "accept", "field": "implementation"}
    assert client.post("/api/decisions", json=body).status_code == 403
    assert client.post("/api/decisions", json=body, headers={"x-csrf-token": "forged"}).status_code == 403
    assert _post(client, body, origin="http://evil.example").status_code == 403
    assert _post(client, body, **{"sec-fetch-site": "cross-site"}).status_code == 403
    other = _client(out)  # another browser: its own session, so the first one's token is worthless there
    assert other.post("/api/decisions", json=body, headers={"x-csrf-token": _csrf(client)}).status_code == 403
    assert not (store_for(out) / f"{item['record_id']}.json").exists()
    assert _post(client, body, origin=LOCAL).status_code == 200


def test_a_host_name_that_is_not_the_desks_own_is_refused_dns_rebinding(folder):
    _, out = folder
    client = _client(out)
    assert client.get("/api/items", headers={"host": "attacker.example:8765"}).status_code == 421
    assert client.get("/api/items", headers={"host": "localhost:8765"}).status_code == 200


def test_a_desk_on_a_shared_address_needs_its_token_then_keeps_it_as_a_cookie(folder):
    _, out = folder
    client = _client(out, host="0.0.0.0", token="s3cret-token")
    assert client.get("/api/items").status_code == 401
    assert client.get("/api/items", headers={"authorization": "Bearer wrong"}).status_code == 401
    first = client.get("/?token=s3cret-token", follow_redirects=False)
    assert first.status_code == 303 and "pecs_desk_token=s3cret-token" in first.headers["set-cookie"]
    assert "HttpOnly" in first.headers["set-cookie"] and "SameSite=Strict" in first.headers["set-cookie"]
    assert client.get("/api/items").status_code == 200  # the cookie now
    script = _client(out, host="0.0.0.0", token="s3cret-token")
    assert script.get("/api/items", headers={"authorization": "Bearer s3cret-token"}).status_code == 200


def test_ids_and_field_names_from_the_client_never_become_paths(folder, tmp_path):
    _, out = folder
    client = _client(out)
    for record_id in ("../../../tmp/x", "..", ".hidden", "a/b", "x" * 300):
        answer = _post(client, {"record_id": record_id, "action": "accept", "field": "impact"})
        assert answer.status_code == 400, record_id
    rid = _item(_items(client), "impact", "unplaced")["record_id"]
    for field in ("../../etc/passwd", "fields.impact", "budget", 3, None):
        assert _post(client, {"record_id": rid, "action": "correct", "field": field, "value": "x"}).status_code == 400
    assert _post(client, {"record_id": rid, "action": "assign", "index": 99, "target": "impact"}).status_code == 400
    assert _post(client, {"record_id": rid, "action": "assign", "index": 0, "target": "../x"}).status_code == 400
    assert _post(client, {"record_id": rid, "action": "explode", "field": "impact"}).status_code == 400
    assert client.get("/api/records/..%2F..%2Fetc").status_code == 404
    assert {p.name for p in tmp_path.iterdir()} <= {"review", "structured"}  # nothing written anywhere else


def test_document_text_is_only_ever_data_never_markup(folder):
    _, out = folder
    rid = next(p.stem for p in out.glob("unplaced*.json"))
    hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    client = _client(out)
    assert (
        _post(client, {"record_id": rid, "action": "correct", "field": "impact", "value": hostile}).status_code == 200
    )
    page = client.get("/")
    assert page.status_code == 200 and "<script>alert" not in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self': no inline script
    assert "default-src 'self'" in page.headers["content-security-policy"]
    record = client.get(f"/api/records/{rid}")
    assert (
        record.headers["content-type"] == "application/json"
        and record.json()["record"]["fields"]["impact"]["value"] == hostile
    )
    script = (Path(__file__).parents[1] / "review" / "static" / "desk.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "textContent" in script


def test_the_source_of_a_pdf_field_is_its_page_with_the_box_and_a_changed_source_says_so(folder):
    inputs, out = folder
    client = _client(out)
    item = {"record_id": sorted(p.stem for p in out.glob("sample_compilation*.json"))[0]}
    picture = client.get(f"/api/source/{item['record_id']}/impact")
    assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG")
    source = inputs / "sample_compilation.pdf"
    original = source.read_bytes()
    try:
        source.write_bytes(original[:2000])  # replaced by another, broken file since extraction
        fresh = _client(out)
        changed = fresh.get(f"/api/source/{item['record_id']}/context")
        assert changed.status_code == 404 and "changed since extraction" in changed.json()["error"]
    finally:
        source.write_bytes(original)


def test_a_corrected_word_field_still_shows_its_source(folder):
    """The picture is found by the text the reply holds, not by the reviewer's correction (which is not in it)."""
    _, out = folder
    client = _client(out)
    item = _item(_items(client), "implementation", "unplaced")
    body = {"record_id": item["record_id"], "action": "correct", "field": "implementation", "value": "Autre texte"}
    assert _post(client, body).status_code == 200
    picture = client.get(f"/api/source/{item['record_id']}/implementation")
    assert picture.status_code == 200 and picture.content.startswith(b"\x89PNG"), picture.text[:200]


def test_the_page_carries_the_csrf_token_and_the_empty_queue_names_the_next_step(folder):
    _, out = folder
    client = _client(out)
    page = client.get("/")
    assert f'content="{_csrf(client)}"' in page.text and "/static/desk.js" in page.text
    assert client.get("/static/desk.js").status_code == 200
    for item in _items(client)["items"]:
        if item["kind"] == "duplicate":  # the same practice whose copies differ: one is published
            assert _post_groups(client, {"group": item["group"], "action": "confirm"}).status_code == 200
            continue
        body = {"record_id": item["record_id"], "action": "accept", "field": item["key"]}
        if item["kind"] == "unassigned":
            body = {"record_id": item["record_id"], "action": "dismiss", "index": item["index"]}
        assert _post(client, body).status_code == 200, item
    assert _items(client)["items"] == []
    script = (Path(__file__).parents[1] / "review" / "static" / "desk.js").read_text(encoding="utf-8")
    assert "Nothing left to decide" in script and "pecs-extract compendium" in script


def test_a_duplicate_group_is_one_item_published_split_or_undone_from_the_desk(folder):
    _, out = folder
    client = _client(out)
    rid = next(p.stem for p in out.glob("unplaced*.json"))
    [item] = [i for i in _items(client)["items"] if i["kind"] == "duplicate"]
    assert rid in {c["record_id"] for c in item["copies"]} and "impact" in {d["field"] for d in item["differing"]}
    body = {"group": item["group"], "action": "split"}
    assert client.post("/api/groups", json=body).status_code == 403  # no CSRF token
    assert _post_groups(client, {"group": "../x", "action": "split"}).status_code == 400
    assert _post_groups(client, {"group": "dup-unknown", "action": "split"}).status_code == 400
    assert _post_groups(client, {"group": item["group"], "action": "confirm", "keep": "other"}).status_code == 400
    split = _post_groups(client, body)
    assert split.status_code == 200 and split.json()["group"]["status"] == "split"
    assert not [i for i in _items(client)["items"] if i["kind"] == "duplicate"]
    assert _post_groups(client, {"group": item["group"], "action": "undo"}).status_code == 200
    [again] = [i for i in _items(client)["items"] if i["kind"] == "duplicate"]
    assert again["group"] == item["group"]
    kept = _post_groups(client, {"group": item["group"], "action": "confirm", "keep": rid, "reviewer": "Ben"})
    assert kept.status_code == 200 and kept.json()["group"]["chosen"] == rid
    assert _record_file(out, rid)["duplicate_group"]["status"] == "confirmed"
    assert not [i for i in _items(client)["items"] if i["kind"] == "duplicate"]
    assert _items(client)["progress"]["decided"] == 1


def _post_groups(client: TestClient, body: dict):
    return client.post("/api/groups", json=body, headers={"x-csrf-token": _csrf(client)})


def test_the_picture_worker_leaves_ctrl_c_to_the_desk(tmp_path):
    """Ctrl-C reaches the whole process group: the worker must not die with a traceback of its own."""
    import os
    import signal
    import time

    from review.render import IsolatedRenderer, RenderFailed

    missing = tmp_path / "gone.pdf"
    with IsolatedRenderer(timeout=30) as renderer:
        with pytest.raises(RenderFailed, match="no longer where it was read"):
            renderer.page(missing, "0" * 64, 1, [])
        worker = renderer._process
        os.kill(worker.pid, signal.SIGINT)
        time.sleep(0.5)
        assert worker.is_alive()
        with pytest.raises(RenderFailed, match="no longer where it was read"):
            renderer.page(missing, "0" * 64, 1, [])
        assert renderer._process is worker
