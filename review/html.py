"""One self-contained HTML page for reviewers: every record, flagged fields highlighted, and beside each
flagged PDF field a picture of its source region. All document text is escaped."""

from __future__ import annotations

import base64
import html
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from extract.record import RecordBase, form_of
from review.render import RenderFailed
from review.views import explain, field_label

# (source file, its sha256 at extraction, [(page, box)]) → PNGs; raises RenderFailed with a reason
RegionRenderer = Callable[[Path, str, list[tuple[int, tuple[float, float, float, float]]]], list[bytes]]

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#1d1d1f;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin:2.2rem 0 .3rem}.meta{color:#555;font-size:.9rem}
table{border-collapse:collapse;width:100%;margin-top:.6rem}td,th{border:1px solid #d0d0d5;padding:.45rem .6rem;
vertical-align:top;text-align:left}
th{width:16rem;background:#f5f5f7;font-weight:600}
tr.flagged td,tr.flagged th{background:#fff4cc}tr.reviewed th{background:#e3f5e6}
.value{white-space:pre-wrap}.empty{color:#888;font-style:italic}.flag{display:inline-block;background:#b3261e;
color:#fff;border-radius:.6rem;padding:0 .5rem;margin:0 .3rem .2rem 0;font-size:.78rem}
.ok{background:#2e7d32}.label{color:#555;font-size:.8rem;display:block}.source img{max-width:100%;
border:1px solid #bbb;margin-top:.4rem;display:block}
.summary{width:auto}.summary td{border:none;padding:.1rem .8rem .1rem 0}
"""


def review_page(
    records: list[RecordBase], locate: Callable[[RecordBase], Path | None], render: RegionRenderer | None
) -> str:
    """The whole page; `locate` finds a record's source file, `render` pictures PDF regions."""
    reasons: Counter[str] = Counter(
        str(flag) for record in records for _, field in record.flagged() for flag in field.flags
    )
    reasons["unassigned"] += sum(1 for record in records for entry in record.unassigned if entry.review is None)
    reasons = +reasons  # drop the zero count
    flagged = sum(len(record.flagged()) for record in records)
    parts = [
        # the page's own words are English; each reply's text carries its record's language (lang below)
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>pecs-extract review</title><style>{STYLE}</style></head><body>",
        "<h1>Practices to review</h1>",
        f"<p class='meta'>{len(records)} records, {sum(r.needs_review for r in records)} need review, "
        f"{flagged} flagged fields.</p>",
        "<table class='summary'>",
        *[
            f"<tr><td>{_e(reason)}</td><td>{count}</td><td>{_e(explain(reason).replace('`', ''))}</td></tr>"
            for reason, count in reasons.most_common()
        ],
        "</table>",
    ]
    for record in sorted(records, key=lambda r: not r.needs_review):  # what needs a person first
        parts.append(_record_section(record, locate(record), render))
    parts.append("</body></html>")
    return "\n".join(parts)


def _record_section(record: RecordBase, source: Path | None, render: RegionRenderer | None) -> str:
    title = record.title() or "(practice without a name)"
    lang = _e(record.language)
    pages = f", pages {record.source.pages[0]}–{record.source.pages[-1]}" if record.source.pages else ""
    if record.needs_review:
        badge = "<span class='flag'>needs review</span>"
    elif any(field.reviewed for _, field in record.all_fields()):
        badge = "<span class='flag ok'>reviewed</span>"
    else:
        badge = "<span class='flag ok'>nothing flagged</span>"
    rows = []
    for key, field in record.all_fields():
        css = "flagged" if field.flags else ("reviewed" if field.reviewed else "")
        value = (
            f"<div class='value' lang='{lang}'>{_e(field.value)}</div>"
            if field.value is not None
            else "<div class='empty'>(empty)</div>"
        )
        flags = "".join(
            f"<span class='flag' title='{_e(explain(flag).replace('`', ''))}'>{_e(flag)}</span>" for flag in field.flags
        )
        if field.review and field.review.stale:
            value += f"<div class='label'>decided earlier: {_e(field.review.decided_value or '(empty)')}</div>"
        picture = _pictures(record, key, source, render) if field.flags else ""
        label = f"<span class='label'>as found: {_e(field.label)}</span>" if field.label else ""
        question = f"<span lang='{lang}'>{_e(field_label(record, key))}</span> <span class='label'>{_e(key)}</span>"
        rows.append(
            f"<tr class='{css}' id='{_e(record.record_id)}.{_e(key)}'><th>{question}{label}</th>"
            f"<td>{flags}{value}<div class='label'>confidence {field.confidence:.2f}</div>"
            f"<div class='source'>{picture}</div></td></tr>"
        )
    rows.extend(_unplaced_rows(record))
    return (
        f"<section id='{_e(record.record_id)}'><h2><span lang='{lang}'>{_e(record.submitter or '')} — {_e(title)}"
        f"</span> {badge}</h2>"
        f"<p class='meta'>{_e(record.record_id)} · {_e(record.source.path)}{pages}{_areas(record)}</p>"
        f"<table>{''.join(rows)}</table></section>"
    )


def _areas(record: RecordBase) -> str:
    """The priority codes, for a form that has them."""
    return f" · priority areas: {_e(', '.join(record.priority_areas) or '—')}" if form_of(record).codes else ""


def _unplaced_rows(record: RecordBase) -> list[str]:
    """Text that fits no field, with the field it followed, and what a reviewer decided about it."""
    rows = []
    for index, entry in enumerate(record.unassigned):
        after = field_label(record, entry.near_field) if entry.near_field else "the start of the form"
        if entry.review is None:
            state, css = "<span class='flag'>unassigned</span>", "flagged"
            hint = f"pecs-extract review --assign {record.record_id} {index} FIELD, or --dismiss"
        else:
            decided = f"added to {entry.review.field}" if entry.review.action == "assigned" else "dismissed"
            state, css, hint = f"<span class='flag ok'>{_e(decided)}</span>", "reviewed", ""
        rows.append(
            f"<tr class='{css}' id='{_e(record.record_id)}.unassigned.{index}'><th>unplaced text {index}"
            f"<span class='label'>after {_e(after)}</span></th><td>{state}"
            f"<div class='value' lang='{_e(record.language)}'>{_e(entry.text)}</div>"
            f"<div class='label'>{_e(hint)}</div></td></tr>"
        )
    return rows


def _pictures(record: RecordBase, key: str, source: Path | None, render: RegionRenderer | None) -> str:
    if render is None or source is None or record.source.format != "pdf":
        return ""
    field = record.field(key)
    by_page: dict[int, list[tuple[float, float, float, float]]] = {}
    for location in field.provenance:
        if location.page and location.bbox:
            by_page.setdefault(location.page, []).append(location.bbox)
    regions = [
        (page, (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)))
        for page, boxes in sorted(by_page.items())
    ]
    if not regions:
        return ""
    try:
        images = render(source, record.source.sha256, regions)
    except RenderFailed as failed:
        return f"<div class='label'>no picture of the source: {_e(failed)}</div>"
    return "".join(
        f"<img alt='source of {_e(key)}, page {page}' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
        for (page, _), png in zip(regions, images, strict=True)
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)
