/* The shift-plan editor: a Gantt grid on the 30-minute grid (drag a shift's ends or the whole
   bar with a mouse, a pen or a finger; or type its times; or focus a bar and use the arrow
   keys), the load chart above it (loadchart.js), validation as you edit, and a run (scenario page).
   Levers (levers.js) and submitting to a room (room.js) build on HSEditor. */
"use strict";
const HSEditor = (function () {
  const t = HS.t, el = HS.el;
  const cfg = JSON.parse(document.getElementById("editor-config").textContent);
  const STEP = 30;
  let SLOT = 40, HEAD = 400;
  const ROLES = ["counter", "triage", "preprocess"];
  const ed = { cfg: cfg, hall: null, doc: null, plan: null, leverHours: 0 };
  let axis = { from: 540, to: 1080 };
  let lastSummary = null, checkTimer = null, checkSeq = 0;

  function shifts() { return cfg.mode === "scenario" ? ed.doc.shifts : ed.plan.shifts; }
  function payload() { return cfg.mode === "scenario" ? ed.doc : ed.plan; }
  function px(minutes) { return (minutes - axis.from) / STEP * SLOT; }
  function shiftName(shift, i) { return shift.name || "#" + (i + 1); }

  async function load() {
    if (cfg.mode === "scenario") {
      const r = await HS.api("GET", "/api/scenarios/" + encodeURIComponent(cfg.name) + "/data");
      if (!r.ok) { showProblems((r.data && r.data.errors) || [], []); return; }
      ed.doc = r.data; ed.hall = ed.doc; ed.doc.shifts = ed.doc.shifts || [];
    } else {
      const r = await HS.api("GET", "/api/rooms/" + cfg.room + "/template");
      ed.hall = r.data.hall; ed.plan = r.data.plan;
    }
    const open = HS.parseClock(ed.hall.hours.open), close = HS.parseClock(ed.hall.hours.close);
    axis = { from: Math.floor(open / 60) * 60, to: Math.ceil(close / 60) * 60 };
    if (cfg.mode === "room") { HSLevers.init(ed); HSRoom.init(ed); }
    render();
    check();
    window.addEventListener("resize", function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(render, 150); });
  }
  let resizeTimer = null;

  // ---- drawing ---------------------------------------------------------------------------
  function render() {
    const root = document.getElementById("gantt");
    const focused = document.activeElement && document.activeElement.getAttribute("data-key");
    const slots = Math.max(1, (axis.to - axis.from) / STEP);
    HEAD = parseFloat(getComputedStyle(root).getPropertyValue("--head")) || 0;
    SLOT = Math.max(16, Math.floor((root.clientWidth - HEAD - 20) / slots));
    root.style.setProperty("--slot", SLOT + "px");
    root.replaceChildren();
    const ticks = el("div", { class: "g-track axis", "aria-hidden": "true" });
    ticks.style.width = px(axis.to) + "px";
    const every = 2 * SLOT < 46 ? 120 : 60;          // hour labels that do not overlap
    for (let m = axis.from; m <= axis.to; m += every) {
      const s = el("span", { text: HS.clock(m) });
      s.style.left = px(m) + "px";
      if (m === axis.from) s.style.transform = "none";
      if (m === axis.to) s.style.transform = "translateX(-100%)";
      ticks.append(s);
    }
    root.append(el("div", { class: "g-row g-axis" }, [el("div", { class: "g-head" }), ticks]));
    shifts().forEach(function (shift, i) { root.append(row(shift, i)); });
    HSLoadChart.draw(ed);
    updateBudget();
    if (focused) {
      const again = root.querySelector('[data-key="' + focused + '"]') ||
        (/-delete$/.test(focused) ? document.getElementById("add-shift") : null);
      if (again) again.focus();
    }
  }

  function timeInput(shift, i, field, label) {
    return el("input", { class: "time " + field, value: shift[field], size: "5", maxlength: "5",
      "data-key": "s" + i + "-" + field, "aria-label": HS.format(label, { name: shiftName(shift, i) }),
      onchange: function (e) {
        const m = HS.parseClock(e.target.value);
        if (isNaN(m)) { e.target.setAttribute("aria-invalid", "true"); return; }
        shift[field] = HS.clock(m); changed(true);
      } });
  }

  function row(shift, i) {
    const name = shiftName(shift, i);
    const head = el("div", { class: "g-head" }, [el("div", { class: "g-line" }, [
      el("input", { class: "name", value: shift.name || "", "data-key": "s" + i + "-name",
        "aria-label": HS.format("Name of shift {name}", { name: name }),
        onchange: function (e) { shift.name = e.target.value; changed(true); } }),
      roleSelect(shift, i),
      el("label", {}, [t("count") + " ", el("input", { class: "count", type: "number", min: "0",
        max: "99", value: String(shift.count), "data-key": "s" + i + "-count",
        "aria-label": HS.format("Staff on shift {name}", { name: name }),
        oninput: function (e) { shift.count = Math.max(0, Number(e.target.value) || 0); changed(false); },
        onchange: function () { changed(true); } })]),
      el("button", { type: "button", class: "delete", text: "✕", "data-key": "s" + i + "-delete",
        "aria-label": HS.format("Delete shift {name}", { name: name }), title: t("Delete"),
        onclick: function () { shifts().splice(i, 1); changed(true); } }),
    ]), el("div", { class: "g-line" }, [timeInput(shift, i, "start", "Start of shift {name}"), "–",
      timeInput(shift, i, "end", "End of shift {name}"), breaks(shift, i)])]);
    const track = el("div", { class: "g-track" });
    track.style.width = px(axis.to) + "px";
    const s0 = HS.parseClock(shift.start), e0 = HS.parseClock(shift.end);
    const bar = el("div", { class: "g-bar " + shift.role, tabindex: "0", role: "slider",
      "data-key": "s" + i + "-bar", "aria-label": HS.format("Shift {name}", { name: name }),
      "aria-valuemin": String(axis.from), "aria-valuemax": String(axis.to - (e0 - s0)),
      "aria-valuenow": String(s0), "aria-valuetext": shift.start + "–" + shift.end,
      "aria-describedby": "keys-help" });
    placeBar(bar, shift);
    bar.append(el("span", { class: "n", text: "×" + shift.count }));   // drawn over the hatching
    (shift.breaks || []).forEach(function (b) {
      const brk = el("div", { class: "g-break", title: b.at + " " + b.minutes + " min" });
      brk.style.left = px(HS.parseClock(b.at)) - px(s0) + "px";
      brk.style.width = b.minutes / STEP * SLOT + "px";
      bar.append(brk);
    });
    const left = el("div", { class: "h l" }), right = el("div", { class: "h r" });
    bar.append(left, right);
    drag(bar, shift, "move"); drag(left, shift, "start"); drag(right, shift, "end");
    bar.addEventListener("keydown", function (event) { keys(event, shift); });
    track.append(bar);
    return el("div", { class: "g-row", "data-index": String(i), "data-name": shift.name || "" }, [head, track]);
  }

  function roleSelect(shift, i) {
    const s = el("select", { class: "role", "data-key": "s" + i + "-role",
      "aria-label": HS.format("Role of shift {name}", { name: shiftName(shift, i) }),
      onchange: function (e) { shift.role = e.target.value; changed(true); } });
    ROLES.forEach(function (role) {
      const o = el("option", { value: role, text: t(role) });
      if (role === shift.role) o.selected = true;
      s.append(o);
    });
    return s;
  }

  function breaks(shift, i) {
    const box = el("div", { class: "g-breaks" }), name = shiftName(shift, i);
    (shift.breaks || []).forEach(function (b, k) {
      const key = "s" + i + "-b" + k;
      box.append(el("input", { value: b.at, class: "break-at", size: "5", "data-key": key + "-at",
        "aria-label": HS.format("Break {n} of shift {name}: starts at", { n: k + 1, name: name }),
        onchange: function (e) { b.at = e.target.value.trim(); changed(true); } }));
      box.append(el("input", { type: "number", class: "break-min", min: "5", max: "240", value: String(b.minutes),
        "data-key": key + "-min", "aria-label": HS.format("Break {n} of shift {name}: minutes", { n: k + 1, name: name }),
        onchange: function (e) { b.minutes = Number(e.target.value) || 0; changed(true); } }));
      box.append(el("button", { type: "button", class: "break-delete", text: "✕", "data-key": key + "-delete",
        "aria-label": HS.format("Delete break {n} of shift {name}", { n: k + 1, name: name }),
        onclick: function () {
          shift.breaks.splice(k, 1); if (!shift.breaks.length) delete shift.breaks; changed(true); } }));
    });
    box.append(el("button", { type: "button", class: "add-break", text: "+ " + t("add break"),
      "data-key": "s" + i + "-addbreak", "aria-label": "+ " + t("add break") + " — " + HS.format("Shift {name}", { name: name }),
      onclick: function () {
        const s = HS.parseClock(shift.start), e = HS.parseClock(shift.end);
        const mid = s + Math.floor((e - s) / 2 / STEP) * STEP;
        shift.breaks = shift.breaks || [];
        shift.breaks.push({ at: HS.clock(mid), minutes: 30 });
        changed(true);
      } }));
    return box;
  }

  function placeBar(bar, shift) {
    const s = HS.parseClock(shift.start), e = HS.parseClock(shift.end);
    bar.style.left = px(s) + "px";
    bar.style.width = Math.max(px(e) - px(s), 6) + "px";
  }

  // Move a shift (and its breaks) by ``d`` minutes, or one of its ends, within the day.
  function shiftBy(shift, what, d, s0, e0, breaks0) {
    let s = s0, e = e0;
    if (what === "start") s = Math.min(Math.max(axis.from, s0 + d), e0 - STEP);
    if (what === "end") e = Math.max(Math.min(axis.to, e0 + d), s0 + STEP);
    if (what === "move") {
      const dd = Math.min(Math.max(d, axis.from - s0), axis.to - e0);
      s = s0 + dd; e = e0 + dd;
      (shift.breaks || []).forEach(function (b, k) { b.at = HS.clock(breaks0[k] + dd); });
    }
    shift.start = HS.clock(s); shift.end = HS.clock(e);
  }

  function drag(handle, shift, what) {
    handle.addEventListener("pointerdown", function (event) {
      event.stopPropagation(); event.preventDefault();
      handle.setPointerCapture(event.pointerId);
      const x0 = event.clientX, s0 = HS.parseClock(shift.start), e0 = HS.parseClock(shift.end);
      const breaks0 = (shift.breaks || []).map(function (b) { return HS.parseClock(b.at); });
      const bar = what === "move" ? handle : handle.parentElement;
      function move(ev) {
        shiftBy(shift, what, Math.round((ev.clientX - x0) / SLOT) * STEP, s0, e0, breaks0);
        placeBar(bar, shift);
        HSLoadChart.draw(ed);      // the staff on the load chart follow the drag
      }
      function up() {
        handle.removeEventListener("pointermove", move);
        handle.removeEventListener("pointerup", up);
        handle.removeEventListener("pointercancel", up);
        changed(true);
        if (HS.parseClock(shift.start) !== s0 || HS.parseClock(shift.end) !== e0) moved(false);
      }
      handle.addEventListener("pointermove", move);
      handle.addEventListener("pointerup", up);
      handle.addEventListener("pointercancel", up);
    });
  }

  // A focused bar: arrows move it 30 minutes; with Shift they move its end, with Alt its start.
  function keys(event, shift) {
    const d = { ArrowLeft: -STEP, ArrowRight: STEP }[event.key];
    if (!d) return;
    event.preventDefault();
    const what = event.shiftKey ? "end" : event.altKey ? "start" : "move";
    shiftBy(shift, what, d, HS.parseClock(shift.start), HS.parseClock(shift.end),
      (shift.breaks || []).map(function (b) { return HS.parseClock(b.at); }));
    changed(true);
    moved(true);
  }
  // A shift dropped at a new place (by a key: one of maybe several presses), for live numbers.
  function moved(byKey) { document.dispatchEvent(new CustomEvent("hallsim:moved", { detail: { key: byKey } })); }

  function staffHours() {
    return shifts().reduce(function (sum, s) {
      const len = HS.parseClock(s.end) - HS.parseClock(s.start);
      const br = (s.breaks || []).reduce(function (a, b) { return a + (Number(b.minutes) || 0); }, 0);
      return sum + (s.count || 0) * (len - br) / 60;
    }, 0);
  }

  // Shift hours plus what the levers cost (from the last check): what the budget holds.
  function updateBudget() {
    const staff = staffHours(), used = staff + ed.leverHours, pill = document.getElementById("budget");
    pill.textContent = t("staff hours") + ": " + (ed.leverHours
      ? HS.format("{staff} + {levers} levers = {total}", { staff: staff.toFixed(1),
        levers: ed.leverHours.toFixed(1), total: used.toFixed(1) }) : used.toFixed(1)) +
      (cfg.budget ? " / " + cfg.budget : "");
    pill.className = "pill " + (cfg.budget && used > cfg.budget + 1e-9 ? "bad" : "busy");
  }

  // ---- editing and validation --------------------------------------------------------------
  // Redrawn once the event that changed the plan is over: a Tab that committed a field has
  // moved the focus by then, and render() keeps it where it went.
  let renderTimer = null, edits = 0;
  function changed(redraw) {
    edits += 1;
    if (redraw) { clearTimeout(renderTimer); renderTimer = setTimeout(render, 0); } else updateBudget();
    document.dispatchEvent(new CustomEvent("hallsim:changed"));
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 250);
  }

  document.getElementById("add-shift").addEventListener("click", function () {
    const list = shifts(), n = list.length + 1;
    const start = HS.parseClock(ed.hall.hours.open);
    list.push({ name: "shift" + n, role: "counter", start: HS.clock(start),
      end: HS.clock(Math.min(start + 240, axis.to)), count: 1 });
    changed(true);
  });

  async function check() {
    const seq = ++checkSeq, pill = document.getElementById("validation");
    pill.textContent = t("Checking…"); pill.className = "pill busy";
    const body = { data: payload() };
    if (cfg.mode === "room") body.challenge = cfg.challenge;
    const r = await HS.api("POST", "/api/validate", body);
    if (seq !== checkSeq) return;
    if (r.status === 200) {
      ed.leverHours = r.data.lever_hours || 0;
      updateBudget();
      pill.textContent = t("Valid") + (r.data.warnings.length ? " (" + r.data.warnings.length + ")" : "");
      pill.className = "pill " + (r.data.warnings.length ? "warn" : "ok");
      showProblems([], r.data.warnings, r.data.warnings_at);
    } else {
      pill.textContent = t("Problems"); pill.className = "pill bad";
      showProblems((r.data && r.data.errors) || [{ message: "HTTP " + r.status }], []);
    }
  }

  // A problem's field names its shift by index (scenarios: shifts[2]) or by name (plans:
  // shifts["late"]); that shift's row is marked.
  function rowOf(field) {
    const m = /^shifts\[(?:(\d+)|"((?:[^"\\]|\\.)*)")\]/.exec(field || "");
    if (!m) return null;
    if (m[1] !== undefined) return document.querySelector('.g-row[data-index="' + m[1] + '"]');
    const name = JSON.parse('"' + m[2] + '"');
    return Array.from(document.querySelectorAll(".g-row[data-index]")).find(function (r) {
      return r.getAttribute("data-name") === name; }) || null;
  }

  function showProblems(errors, warnings, at) {
    const box = document.getElementById("problems"), list = payload() ? shifts() : [];
    box.replaceChildren();
    document.querySelectorAll(".g-row.bad, .g-row.warned").forEach(function (r) { r.classList.remove("bad", "warned"); });
    errors.forEach(function (e) {
      box.append(el("div", { class: "error", text: (e.field ? HSFields.describe(e.field, list) + t(": ") : "") + e.message }));
      mark(rowOf(e.field));
    });
    warnings.forEach(function (w, k) {
      box.append(el("div", { class: "warn", text: "⚠ " + w }));
      const m = !(at && at[k]) && /shift '([^']*)'/.exec(w);    // a warning with a field: HSFields
      if (m) document.querySelectorAll(".g-row[data-index]").forEach(function (r) {
        if (r.getAttribute("data-name") === m[1]) mark(r);
      });
    });
    HSFields.mark(errors.map(function (e) { return { field: e.field, message: e.message, kind: "error" }; })
      .concat(warnings.map(function (w, k) { return { field: (at || [])[k], message: w, kind: "warn" }; })), list);
  }
  function mark(r) { if (r) { r.classList.add("bad"); } }

  // ---- running (scenario page) ---------------------------------------------------------------
  const HEADLINE = ["customers", "mean_wait_min", "p90_wait_min", "service_level", "abandon_rate",
    "detractor_rate", "staff_hours", "overtime_min"];

  function status(text, kind) {
    const s = document.getElementById("status");
    s.textContent = text; s.className = "pill " + (kind || "busy");
  }

  // A run of the plan on screen. A newer run (Run again, or live numbers after a drop) cancels
  // the one still going; the results of a plan edited since it started come marked out of date.
  let runSeq = 0, running = null;
  async function run() {
    cancelRun();
    const seq = runSeq, at = edits;
    const button = document.getElementById("run"), bar = document.getElementById("progress");
    const reps = Number(document.getElementById("reps").value) || 10;
    const seed = Number(document.getElementById("seed").value) || 0;
    button.disabled = true; bar.hidden = false; bar.value = 0;
    status(t("Queued…"));
    try {
      const r = await HS.api("POST", "/api/runs", { data: ed.doc, reps: reps, seed: seed });
      if (seq !== runSeq) { if (r.status === 202) HS.api("DELETE", "/api/runs/" + r.data.id); return; }
      if (r.status !== 202) { showProblems((r.data && r.data.errors) || [], []); status(t("Failed"), "bad"); return; }
      running = r.data.id;
      const job = await HS.poll(r.data.id, function (j) {
        if (seq !== runSeq) return;
        bar.value = j.progress; status(j.status === "queued" ? t("Queued…") : t("Running…"));
      });
      if (seq !== runSeq) return;
      running = null;
      if (job.status !== "done") { status(t("Failed") + ": " + job.error, "bad"); return; }
      status(t("Done"), "ok");
      job.outdated = at !== edits;
      showResults(job);
    } finally { if (seq === runSeq) { button.disabled = false; bar.hidden = true; } }
  }

  function cancelRun() {
    runSeq += 1;
    if (running) HS.api("DELETE", "/api/runs/" + running);
    running = null;
    if (cfg.mode !== "scenario") return;
    document.getElementById("run").disabled = false;
    document.getElementById("progress").hidden = true;
  }

  // The headline table; each value beside the last full run's ("was").
  function headline(summary) {
    const table = document.getElementById("headline"), m = summary.metrics;
    table.replaceChildren();
    HEADLINE.forEach(function (name) {
      const cell = m[name], before = lastSummary ? lastSummary.metrics[name].mean : null;
      const ci = cell.ci95 === null ? "" : "± " + HS.fmt(name, cell.ci95);
      table.append(el("tr", {}, [
        el("td", { text: t(HS.LABELS[name]) }),
        el("td", { class: "value", id: "m-" + name, text: HS.fmt(name, cell.mean) }),
        el("td", { class: "ci", text: ci }),
        el("td", { class: "was " + change(name, cell.mean, before),
          text: before === null ? "" : t("was") + " " + HS.fmt(name, before) }),
      ]));
    });
    document.getElementById("results").hidden = false;
  }

  function showResults(job) {
    headline(job.summary);
    lastSummary = job.summary;
    document.dispatchEvent(new CustomEvent("hallsim:results", { detail: job }));
    const report = HS.withToken("/api/runs/" + job.id + "/report");
    const link = document.getElementById("report-link");
    link.href = report; link.hidden = false;
    const replay = document.getElementById("replay-link");
    replay.href = HS.pageLink("/runs/" + job.id + "/replay"); replay.hidden = false;
  }

  function change(name, now, before) {
    if (before === null || now === before || name === "customers") return "";
    const higherIsBetter = name === "service_level";
    return (now > before) === higherIsBetter ? "better" : "worse";
  }

  if (cfg.mode === "scenario") {
    document.getElementById("run").addEventListener("click", run);
  }
  // After every script of the page has run (levers.js and room.js extend the editor; the
  // planner's workbench, workbench.js, saves, compares and exports the plan being edited).
  document.addEventListener("DOMContentLoaded", load);
  return Object.assign(ed, { changed: changed, status: status, showProblems: showProblems,
    HEADLINE: HEADLINE, data: payload, config: cfg, problems: showProblems,
    redraw: function () { changed(true); }, run: run, cancelRun: cancelRun, headline: headline,
    edits: function () { return edits; } });
})();
