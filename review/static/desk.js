// The review desk's page: a queue of items, one item at a time, decisions through the JSON API.
// Document text is only ever put in the page with textContent, never as HTML.
"use strict";

const csrf = document.querySelector("meta[name=csrf-token]").content;
const state = { items: [], pos: 0, done: [], filters: {}, fields: [] };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: { "content-type": "application/json", "x-csrf-token": csrf },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  return { status: response.status, data };
}

function notice(message, undoable) {
  const box = document.getElementById("notice");
  box.replaceChildren(el("span", { text: message }));
  if (undoable) box.append(" ", el("button", { text: "Undo (u)", onclick: undoLast }));
  box.hidden = false;
}

let loads = 0;  // how many queue loads were started: only the latest one's answer is shown

async function load(keepId) {
  // A load runs while the reviewer goes on working (after a decision, a filter): when its answer comes,
  // the item they are on now stays on screen with what they typed or chose in it — re-drawn bare, it lost a
  // field chosen in the list or text typed in the editor, and a later click then decided with the reset
  // choice (text assigned to the wrong field). An answer overtaken by a newer load is dropped.
  const mine = ++loads;
  const query = new URLSearchParams(Object.entries(state.filters).filter(([, v]) => v));
  const { data } = await api("/api/items?" + query);
  if (mine !== loads) return;
  const shown = state.top ? null : state.items[state.pos];
  state.top = false;
  state.items = data.items || [];
  fillFilters(data.filters || {});
  const p = data.progress || { decided: 0, left: 0 };
  state.progress = p;
  state.nextStep = data.next_step;
  document.getElementById("progress").textContent =
    `${p.decided} decided, ${p.left} left to decide in ${data.records} practices` +
    (p.shown !== p.left ? ` (${p.shown} shown by the filters)` : "");
  const wanted = keepId || (shown && shown.id);
  const at = state.items.findIndex((item) => item.id === wanted);
  if (at >= 0) state.pos = at;
  state.pos = Math.min(state.pos, Math.max(0, state.items.length - 1));
  showQueue();
  const now = state.items[state.pos];
  const same = now && shown && document.getElementById("item").dataset.shown === now.id && now.revision === shown.revision;
  const typed = same ? inputsOf() : null;  // the same item, decided by no one meanwhile: keep what was typed
  showItem();
  if (typed) restoreInputs(typed);
}

const KEPT_INPUTS = ["editor", "target", "submitter"];

function inputsOf() {
  const found = { focus: document.activeElement && document.activeElement.id };
  for (const id of KEPT_INPUTS) {
    const node = document.getElementById(id);
    if (node) found[id] = { value: node.value, start: node.selectionStart, end: node.selectionEnd };
  }
  return found;
}

function restoreInputs(typed) {
  for (const id of KEPT_INPUTS) {
    const node = document.getElementById(id);
    if (!node || !typed[id]) continue;
    node.value = typed[id].value;
    if (id === typed.focus) {
      node.focus();
      if (typed[id].start !== null && node.setSelectionRange) node.setSelectionRange(typed[id].start, typed[id].end);
    }
  }
}

function fillFilters(choices) {
  for (const [name, values] of Object.entries(choices)) {
    const select = document.querySelector(`#filters select[name=${name}]`);
    const chosen = state.filters[name] || "";
    select.replaceChildren(el("option", { value: "", text: "all" }),
      ...values.map((value) => el("option", { value, text: value })));
    select.value = chosen;
  }
}

function showQueue() {
  const queue = document.getElementById("queue");
  queue.replaceChildren();
  let group = null;
  let current = null;
  state.items.forEach((item, index) => {
    if (item.record_id !== current) {
      current = item.record_id;
      group = el("ul");
      queue.append(el("h3", { text: `${item.submitter || ""} — ${item.title || item.record_id}` }),
        el("p", { class: "reply", text: item.source }), group);
    }
    const what = item.kind === "unassigned" ? `unplaced text ${item.index}`
      : item.kind === "duplicate" ? `${item.copies.length} copies of one practice?` : item.field_label;
    const button = el("button", { class: index === state.pos ? "current" : "", onclick: () => go(index) },
      el("span", { text: what }), el("small", { text: " " + item.flags.join(", ") }));
    group.append(el("li", {}, button));
  });
}

function go(index) {
  if (index < 0 || index >= state.items.length) return;
  state.pos = index;
  state.top = false;
  showQueue();
  showItem();
}

function showItem() {
  const pane = document.getElementById("item");
  const item = state.items[state.pos];
  pane.dataset.shown = item ? item.id : "";
  if (!item) {
    const left = (state.progress || {}).left || 0;
    pane.replaceChildren(left
      // the filters hide what is left: say so, not "nothing left"
      ? el("div", { class: "empty" },
        el("h2", { text: "Nothing to decide under these filters" }),
        el("p", { text: `${left} items are left to decide in other replies or flags: clear the filters to see them.` }))
      : el("div", { class: "empty" },
        el("h2", { text: "Nothing left to decide" }),
        el("p", { text: "Every flagged field and every unplaced text has a decision." }),
        el("p", {}, "Next step: ", el("code", { text: state.nextStep || "pecs-extract compendium" }))));
    return;
  }
  const header = el("div", { class: "meta" },
    el("h2", { text: `${item.submitter || ""} — ${item.title || "(practice without a name)"}` }),
    el("p", { text: `${item.source}${item.pages.length ? ", page " + item.pages.join(", ") : ""} · ${item.record_id}` }),
    el("ul", { class: "flags" }, ...item.flags.map((flag) => el("li", {},
      el("span", { class: "flag", text: flag }), " ", explained((item.explanations || {})[flag] || "")))));

  if (item.kind === "duplicate") {
    pane.replaceChildren(header, groupView(item));
  } else {
    const body = item.kind === "unassigned" ? unplacedView(item) : fieldView(item);
    pane.replaceChildren(header, el("div", { class: "columns" },
      el("div", {}, body, neighboursView(item), recordView(item)), sourceView(item)));
  }
  inLanguage(pane, item.language);
}

function inLanguage(pane, language) {
  // The reply's own words are in its language (spell-checking, hyphenation, screen readers); the desk's are English.
  for (const node of pane.querySelectorAll("h2, textarea, q, pre, dd, .question, .field-label")) node.lang = language;
}

function explained(text) {
  // a flag's meaning, `code` in it shown as code; text only, never HTML
  const node = el("span", { class: "explanation" });
  text.split("`").forEach((part, n) => node.append(n % 2 ? el("code", { text: part }) : part));
  return node;
}

function fieldView(item) {
  const box = el("div", { class: "decide" });
  box.append(el("p", {}, el("strong", { class: "question", text: item.field_label }), " ",
    el("small", { class: "key", text: `(${item.field})` }), ` — label as found in the reply: `,
    el("q", { text: item.label || "none found" })));
  if (item.typed) box.append(el("p", { class: "typed", text: `The reply says “${item.typed}”, read as a placeholder (no value).` }));
  const editor = el("textarea", { id: "editor", rows: "6", "aria-label": "value" });
  editor.value = item.value || "";
  if (item.stale) {
    const side = (title, text, label, action) => el("div", { class: "side" }, el("h4", { text: title }),
      el("pre", { text: text || "(empty)" }), el("button", { text: label, onclick: action }));
    box.append(el("div", { class: "stale" },
      side(`Earlier decision (${item.stale.earlier_action} by ${item.stale.earlier_by || "?"}, ${item.stale.earlier_at})`,
        item.stale.earlier, "Keep earlier", () => decide({ action: "correct", value: item.stale.earlier })),
      side("New extraction", item.stale.new, "Keep new (a)", () => decide({ action: "accept" }))));
  }
  if (item.flags.includes("submitter_uncertain")) box.append(submitterView(item));
  box.append(editor, el("div", { class: "actions" },
    el("button", { id: "accept", text: "Accept (a)", onclick: () => decide({ action: "accept" }) }),
    el("button", { id: "save", text: "Save correction (Ctrl+Enter)", onclick: () => decide({ action: "correct", value: editor.value }) }),
    el("button", { text: "Skip (n)", onclick: () => go(state.pos + 1) })));
  return box;
}

function submitterView(item) {
  // submitter_uncertain asks about the practice's header, not this field's answer: correct it here
  const input = el("input", { id: "submitter", type: "text", size: "50", "aria-label": "country / organisation", lang: item.language });
  input.value = item.submitter || "";
  return el("div", { class: "submitter" },
    el("label", {}, "Country / organisation (submitter): ", input),
    el("button", { id: "save-submitter", text: "Save submitter",
      onclick: () => decide({ action: "correct", field: "submitter", value: input.value, expected: undefined }, item.record_id, "country / organisation") }));
}

function unplacedView(item) {
  const select = el("select", { id: "target", "aria-label": "field" });
  for (const name of item.fields || []) select.append(el("option", { value: name, text: item.field_labels[name] || name }));
  select.value = item.near_field || "";
  return el("div", { class: "decide" },
    el("p", { text: `Text the reader could not place, found after ${item.near_field_label || "the start of the form"}:` }),
    el("pre", { class: "unplaced", text: item.text }),
    el("div", { class: "actions" },
      el("label", {}, "Add it to ", select),
      el("button", { id: "assign", text: "Assign", onclick: () => decide({ action: "assign", index: item.index, target: select.value }) }),
      el("button", { id: "dismiss", text: "Dismiss (belongs to no field)", onclick: () => decide({ action: "dismiss", index: item.index }) }),
      el("button", { text: "Skip (n)", onclick: () => go(state.pos + 1) })));
}

function groupView(item) {
  // The same practice received more than once, the copies differing: one decision for the whole group.
  const copies = item.copies;
  const table = el("table", { class: "copies" });
  table.append(el("tr", {}, el("th", { text: "" }), ...copies.map((copy, n) => el("th", {},
    el("div", { text: `Copy ${n + 1}${copy.published ? " (published now)" : ""}` }),
    el("small", { text: `${copy.source}${copy.pages.length ? ", pages " + copy.pages[0] + "-" + copy.pages[copy.pages.length - 1] : ""}` })))));
  for (const differing of item.differing) {
    table.append(el("tr", {}, el("th", { class: "field-label", text: differing.label }),
      ...differing.values.map((value) => el("td", {}, el("pre", { text: value || "(empty)" })))));
  }
  return el("div", { class: "decide duplicate" },
    el("p", { text: `These ${copies.length} replies look like the same practice; their answers differ below. ` +
      "Publish one copy (the others are kept as its duplicates), or say they are different practices." }),
    table,
    el("div", { class: "actions" },
      ...copies.map((copy, n) => el("button", { id: `publish-${n + 1}`, text: `Same practice: publish copy ${n + 1} (${n + 1})`,
        onclick: () => settleGroup(item, "confirm", copy.record_id, `copy ${n + 1} published`) })),
      el("button", { id: "split", text: "Different practices (d)", onclick: () => settleGroup(item, "split", null, "different practices") }),
      el("button", { text: "Skip (n)", onclick: () => go(state.pos + 1) })));
}

async function settleGroup(item, action, keep, said) {
  const { status, data } = await api("/api/groups", { group: item.group, action, keep });
  if (status === 200) {
    state.done.push({ group: item.group, id: item.id });
    notice(`${said}: ${item.group}`, true);
    await load();
  } else {
    notice(`Not saved: ${data.error || status}`);
  }
}

function neighboursView(item) {
  const near = item.neighbours || {};
  const list = el("dl", { class: "neighbours" });
  for (const side of ["before", "after"]) {
    if (near[side]) list.append(el("dt", { text: `${side}: ${near[side].field_label}` }), el("dd", { text: near[side].value || "(empty)" }));
  }
  for (const entry of near.unplaced || []) list.append(el("dt", { text: `unplaced text ${entry.index}` }), el("dd", { text: entry.text }));
  return el("details", { open: "" }, el("summary", { text: "Neighbouring text" }), list);
}

function sourceView(item) {
  const holder = el("div", { class: "source" }, el("p", { class: "muted", text: "Drawing the source…" }));
  fetch(`/api/source/${encodeURIComponent(item.record_id)}/${encodeURIComponent(item.key)}`).then(async (response) => {
    if (response.ok) {
      const url = URL.createObjectURL(await response.blob());
      holder.replaceChildren(el("img", { src: url, alt: `source of ${item.key}` }));
    } else {
      const reason = (await response.json().catch(() => ({}))).error || "no picture";
      const where = (item.cells || []).map((c) => `table ${c.table + 1}, row ${c.row + 1}`).join("; ");
      holder.replaceChildren(el("p", { class: "muted", text: `No picture of the source: ${reason}.` }),
        where ? el("p", { text: `In the reply: ${where} (the neighbouring rows are listed above).` }) : null);
    }
  });
  return el("details", { open: "" }, el("summary", { text: "Source" }), holder);
}

function recordView(item) {
  const box = el("details", { class: "record" }, el("summary", { text: "All fields of this reply (change any)" }));
  box.addEventListener("toggle", async () => {
    if (!box.open || box.dataset.loaded) return;
    box.dataset.loaded = "1";
    const { data } = await api(`/api/records/${encodeURIComponent(item.record_id)}`);
    const table = el("table");
    const submitter = el("input", { type: "text", size: "40", "aria-label": "submitter", lang: data.record.language });
    submitter.value = data.record.submitter || "";
    table.append(el("tr", {}, el("th", { text: "Country / organisation" }, el("small", { class: "key", text: " (submitter)" })),
      el("td", {}, submitter), el("td", {}, el("button", { text: "Save", onclick: () => decide({ action: "correct", field: "submitter",
        value: submitter.value, expected: (data.revisions || {}).submitter || 0 }, item.record_id, "country / organisation") }))));
    for (const key of data.fields || []) {
      const [group, name] = key.includes(".") ? ["contact", key.split(".")[1]] : ["fields", key];
      const field = data.record[group][name];
      const area = el("textarea", { rows: "2", "aria-label": key, lang: data.record.language });
      area.value = field.value || "";
      const expected = (data.revisions || {})[key] || 0;
      table.append(el("tr", {}, el("th", {}, el("span", { class: "field-label", lang: data.record.language, text: (data.labels || {})[key] || key }),
        el("small", { class: "key", text: ` (${key})` })), el("td", {}, area),
        el("td", {}, el("button", { text: "Save", onclick: () => decide({ action: "correct", field: key, value: area.value, expected }, item.record_id, (data.labels || {})[key]) }))));
    }
    box.append(table);
  });
  return box;
}

async function decide(body, recordId, label) {
  const item = state.items[state.pos];
  const request = { record_id: recordId || item.record_id, field: item && item.kind === "field" ? item.field : undefined, expected: item ? item.revision : undefined, ...body };
  if (recordId) request.expected = body.expected;
  const { status, data } = await api("/api/decisions", request);
  if (status === 200) {
    const unplaced = request.action === "assign" || request.action === "dismiss";
    const key = unplaced ? `unassigned.${request.index}` : request.field;
    const said = unplaced ? `unplaced text ${request.index}` : label || item.field_label;  // the question, not its key
    state.done.push({ record_id: request.record_id, key, said });
    notice(`${data.decision.action}: ${said}`, true);
    await load();
  } else if (status === 409) {
    const other = data.current;
    notice(other ? `Someone else decided this meanwhile (${other.action} by ${other.decided_by} at ${other.decided_at}): showing theirs.`
      : "Someone else changed this meanwhile: showing the current state.");
    await load(item && item.id);
  } else {
    notice(`Not saved: ${data.error || status}`);
  }
}

async function undoLast() {
  const last = state.done.pop();
  if (!last) { notice("Nothing to undo in this session."); return; }
  if (last.group) {
    const { status, data } = await api("/api/groups", { group: last.group, action: "undo" });
    notice(status === 200 ? `undone: ${last.group}` : `Not undone: ${data.error || status}`);
    await load(last.id);
    return;
  }
  const { status, data } = await api("/api/decisions", { action: "undo", record_id: last.record_id, field: last.key });
  notice(status === 200 ? `undone: ${last.said}` : `Not undone: ${data.error || status}`);
  await load(`${last.record_id}/${last.key}`);
}

document.addEventListener("keydown", (event) => {
  const typing = ["TEXTAREA", "INPUT", "SELECT"].includes(event.target.tagName);
  if (typing) {
    if (event.key === "Escape") event.target.blur();
    if (event.key === "Enter" && event.ctrlKey && event.target.id === "editor") document.getElementById("save").click();
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const item = state.items[state.pos];
  if (item && item.kind === "duplicate") {
    const copy = item.copies[Number(event.key) - 1];
    if (/^[1-9]$/.test(event.key) && copy) { settleGroup(item, "confirm", copy.record_id, `copy ${event.key} published`); return; }
    if (event.key === "d") { settleGroup(item, "split", null, "different practices"); return; }
  }
  const keys = {
    a: () => item && item.kind === "field" && decide({ action: "accept" }),
    e: () => { const editor = document.getElementById("editor") || document.getElementById("target"); if (editor) { editor.focus(); event.preventDefault(); } },
    n: () => go(state.pos + 1),
    p: () => go(state.pos - 1),
    u: undoLast,
    "?": () => document.getElementById("help").showModal(),
  };
  if (keys[event.key]) keys[event.key]();
});

document.getElementById("filters").addEventListener("change", (event) => {
  state.filters[event.target.name] = event.target.value;
  state.pos = 0;
  state.top = true;  // the new queue opens at its first item, unless the reviewer picks one meanwhile
  load();
});

load();
