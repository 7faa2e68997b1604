"""The review desk: a small web application on this machine for people who do not use a terminal.

It is a third front end on the same ReviewSession as the terminal walk and the scripted commands: every
decision goes through review/decisions.py and is written to the same store under the same lock. The
JSON API (GET /api/items, POST /api/decisions, GET /api/records/{id}) is what the page uses; scripts can
use it too (README). Safety rules (host, token, CSRF, origin) are in review/desk_guard.py."""

from __future__ import annotations

import contextlib
import re
import secrets
import shlex
import threading
import webbrowser
from collections import Counter
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from review.addresses import desk_urls
from review.decisions import DecisionError
from review.desk_guard import Guard, is_loopback
from review.groups import GroupError
from review.render import IsolatedRenderer, RenderFailed
from review.session import Item, ReviewError, ReviewSession
from review.store import UNASSIGNED, Conflict, StoreError, check_record_id
from review.views import field_label, item_dict

HERE = Path(__file__).parent
_REVIEWER = re.compile(r"[\w .@'-]{1,60}")
_KEY = re.compile(r"(unassigned\.\d{1,5}|[a-z_]{1,40}(\.[a-z_]{1,40})?)")
_GROUP = re.compile(r"[A-Za-z0-9_-]{1,80}")


def create_app(
    session: ReviewSession,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
):
    """The desk as an ASGI application, behind its guard."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescapes .html templates
    renderer = IsolatedRenderer()
    pictures: dict[tuple[str, str, str], bytes] = {}

    def page(request: Request) -> Response:
        return templates.TemplateResponse(
            request, "desk.html", {"csrf": request.scope["state"]["csrf"], "reviewer": session.store.reviewer}
        )

    def csrf(request: Request) -> JSONResponse:
        return JSONResponse({"csrf": request.scope["state"]["csrf"]})

    def items(request: Request) -> JSONResponse:
        return JSONResponse(queue(session, request.query_params))

    def record(request: Request) -> JSONResponse:
        try:
            shown = session.record(check_record_id(request.path_params["record_id"]))
        except StoreError as error:
            return JSONResponse({"error": str(error)}, status_code=404)
        decisions = session.store.decisions(shown.record_id)
        return JSONResponse(
            {
                "record": shown.model_dump(mode="json"),
                "revisions": {key: decision.revision for key, decision in decisions.items()},
                "fields": [key for key, _ in shown.all_fields()],
                "labels": {key: field_label(shown, key) for key, _ in shown.all_fields()},
            }
        )

    async def decide(request: Request) -> JSONResponse:
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "the body must be JSON"}, status_code=400)
        if not isinstance(body, dict):
            return JSONResponse({"error": "the body must be a JSON object"}, status_code=400)
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(take_decision, session, body)

    def source(request: Request) -> Response:
        try:
            record_id = check_record_id(request.path_params["record_id"])
            key = _checked_key(request.path_params["key"])
            shown = session.record(record_id)
            cache_key = (record_id, key, shown.source.sha256)
            if cache_key not in pictures:
                pictures[cache_key] = picture(session, renderer, shown, key)
        except (StoreError, RenderFailed) as error:
            return JSONResponse({"error": str(error)}, status_code=404)
        return Response(pictures[cache_key], media_type="image/png", headers={"cache-control": "no-store"})

    def list_groups(request: Request) -> JSONResponse:
        return JSONResponse({"groups": session.groups.listing()})

    async def settle_group(request: Request) -> JSONResponse:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return JSONResponse({"error": "the body must be a JSON object"}, status_code=400)
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(settle_duplicates, session, body)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        renderer.close()

    app = Starlette(
        routes=[
            Route("/", page),
            Route("/api/session", csrf),
            Route("/api/items", items),
            Route("/api/records/{record_id}", record),
            Route("/api/decisions", decide, methods=["POST"]),
            Route("/api/source/{record_id}/{key}", source),
            Route("/api/groups", list_groups),
            Route("/api/groups", settle_group, methods=["POST"]),
            Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        ],
        lifespan=lifespan,
    )
    return Guard(app, host, port, token)


def queue(session: ReviewSession, params) -> dict:
    """What is left to decide (with filters), the choices for the filters and the progress so far."""
    records = session.records()
    every = session.items(records)
    chosen = [
        item
        for item in every
        if (not params.get("reply") or item.record.source.path == params["reply"])
        and (not params.get("submitter") or (item.record.submitter or "") == params["submitter"])
        and (not params.get("flag") or params["flag"] in item_dict(item)["flags"])
    ]
    decided = sum(field.reviewed for record in records for _, field in record.all_fields())
    decided += sum(entry.review is not None for record in records for entry in record.unassigned)
    decided += len(
        {r.duplicate_group.id for r in records if r.duplicate_group and r.duplicate_group.status == "confirmed"}
    )
    flags = Counter(flag for item in every for flag in item_dict(item)["flags"])
    return {
        "items": [{**item_dict(item), "id": f"{item.record.record_id}/{item.key}"} for item in chosen],
        "progress": {"decided": decided, "left": len(every), "shown": len(chosen)},
        "filters": {
            "reply": sorted({r.source.path for r in records}),
            "submitter": sorted({r.submitter for r in records if r.submitter}),
            "flag": sorted(flags),
        },
        "records": len(records),
        "problems": session.problems,
        # the command as the terminal walk says it, with the folder: the bare command reads data/structured
        "next_step": f"pecs-extract compendium {shlex.quote(str(session.records_dir))}",
    }


def take_decision(session: ReviewSession, body: dict) -> JSONResponse:
    """One POST /api/decisions: {record_id, action, field, value, index, target, expected, reviewer}."""
    reviewer = body.get("reviewer")
    if reviewer is not None and (not isinstance(reviewer, str) or not _REVIEWER.fullmatch(reviewer)):
        return JSONResponse({"error": "reviewer: a name of up to 60 letters, digits, spaces or . @ ' -"}, 400)
    if reviewer:
        session = session.with_reviewer(reviewer)
    expected = body.get("expected")
    if expected is not None and (not isinstance(expected, int) or isinstance(expected, bool)):
        return JSONResponse({"error": "expected: the revision you saw, an integer"}, 400)
    action = body.get("action")
    try:
        record_id = check_record_id(body.get("record_id"))
        key = _checked_key(body.get("field") or (f"{UNASSIGNED}{body.get('index')}" if "index" in body else None))
        if action == "accept":
            made = session.accept(record_id, key, expected)
        elif action == "correct":
            value = body.get("value")
            if value is not None and not isinstance(value, str):
                return JSONResponse({"error": "value: text or null"}, 400)
            made = session.decide(record_id, key, value, expected)
        elif action in ("assign", "dismiss"):
            index = body.get("index")
            if action == "assign":
                made = session.assign(record_id, index, _checked_key(body.get("target")), expected)
            else:
                made = session.dismiss(record_id, index, expected)
        elif action == "undo":
            session.undo(record_id, key, expected)
            made = None
        else:
            return JSONResponse({"error": "action: accept, correct, assign, dismiss or undo"}, 400)
    except Conflict as conflict:
        current = conflict.current.model_dump(mode="json") if conflict.current else None
        return JSONResponse({"error": "conflict: someone else decided this meanwhile", "current": current}, 409)
    except (ReviewError, DecisionError, StoreError) as error:
        status = 404 if isinstance(error, ReviewError) else 400
        return JSONResponse({"error": str(error)}, status)
    return JSONResponse({"decision": made.model_dump(mode="json") if made else None, "undone": made is None})


def settle_duplicates(session: ReviewSession, body: dict) -> JSONResponse:
    """One POST /api/groups: {group, action: confirm | split | undo, keep, reviewer}; confirm publishes
    `keep` (default: the copy published now)."""
    group, action, keep, reviewer = body.get("group"), body.get("action"), body.get("keep"), body.get("reviewer")
    if not isinstance(group, str) or not _GROUP.fullmatch(group) or action not in ("confirm", "split", "undo"):
        return JSONResponse({"error": "group: a group id; action: confirm, split or undo"}, 400)
    if reviewer is not None and (not isinstance(reviewer, str) or not _REVIEWER.fullmatch(reviewer)):
        return JSONResponse({"error": "reviewer: a name of up to 60 letters, digits, spaces or . @ ' -"}, 400)
    groups = (session.with_reviewer(reviewer) if reviewer else session).groups
    try:
        if action == "undo":
            settled = groups.undo(group)
        elif action == "split":
            settled = groups.split(group)
        else:
            copies = session.group_item(group)
            chosen = check_record_id(keep) if keep is not None else (copies.record.record_id if copies else None)
            if chosen is None:
                return JSONResponse({"error": f"no duplicate group {group} waits for a decision: name `keep`"}, 400)
            settled = groups.publish(group, chosen)
    except (StoreError, GroupError) as error:
        return JSONResponse({"error": str(error)}, 400)
    return JSONResponse({"group": settled})


def _checked_key(key: object) -> str:
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise DecisionError(f"not a field name: {str(key)[:60]!r}")
    return key


def picture(session: ReviewSession, renderer: IsolatedRenderer, record, key: str) -> bytes:
    """The source page of a field or of unplaced text: PDF page with its boxes, or the Word reply rendered."""
    location = session.sources().get(record.record_id)
    if location is None:
        raise RenderFailed("where the source was read is unknown (no run report): run pecs-extract again")
    if key.startswith(UNASSIGNED):
        index = int(key.removeprefix(UNASSIGNED))
        if not 0 <= index < len(record.unassigned):
            raise RenderFailed("no such unplaced text")
        entry = record.unassigned[index]
        provenance, text = entry.provenance, entry.text
    else:
        field = record.field(key) if key in {k for k, _ in record.all_fields()} else None
        if field is None:
            raise RenderFailed("no such field")
        # The text as the reply has it: a corrected value is the reviewer's, not to be found in the source.
        found = field.review.original.value if field.review and field.review.original else field.value
        provenance, text = field.provenance, found or field.raw or field.label or ""
    if record.source.format == "pdf":
        pages = [loc.page for loc in provenance if loc.page and loc.bbox]
        if not pages:
            raise RenderFailed("no position on the page was recorded for this field (label not found)")
        boxes = [loc.bbox for loc in provenance if loc.page == pages[0] and loc.bbox]
        return renderer.page(location, record.source.sha256, pages[0], boxes)
    if not text.strip():
        raise RenderFailed("nothing of this field was found in the reply to show")
    return renderer.word(location, record.source.sha256, text.splitlines()[0])


def serve(
    session: ReviewSession,
    host: str,
    port: int,
    token: str | None,
    open_browser: bool,
) -> None:
    import uvicorn

    if not is_loopback(host) and not token:
        token = secrets.token_urlsafe(18)
    shown, *others = desk_urls(host, port, token)  # on every interface: addresses others can open
    print(f"Review desk on {shown}  (reviewer: {session.store.reviewer}; Ctrl-C to stop)", flush=True)
    for other in others:
        print(f"           or {other}", flush=True)
    if not is_loopback(host):
        print("Anyone on the network with this address, token included, can review: share it with care.")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(shown,)).start()
    # A picture being drawn (LibreOffice) must not hold up Ctrl-C for long.
    uvicorn.run(
        create_app(session, host, port, token),
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=3,
    )


__all__ = ["Item", "create_app", "serve"]
