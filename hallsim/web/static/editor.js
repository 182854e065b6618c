/* The shift-plan editor: a Gantt grid on the 30-minute grid (drag a shift's ends or the whole
   bar, change count and breaks), the load profile above it, validation as you edit, and a
   run (scenario page) or a submission with its scorecard (exercise room). */
"use strict";
(function () {
  const t = HS.t, el = HS.el;
  const cfg = JSON.parse(document.getElementById("editor-config").textContent);
  const STEP = 30, HEAD = 400;
  let SLOT = 40;
  const ROLES = ["counter", "triage", "preprocess"];
  let hall = null, doc = null, plan = null, axis = { from: 540, to: 1080 };
  let lastSummary = null, checkTimer = null, checkSeq = 0;

  function shifts() { return cfg.mode === "scenario" ? doc.shifts : plan.shifts; }
  function payload() { return cfg.mode === "scenario" ? doc : plan; }
  function px(minutes) { return (minutes - axis.from) / STEP * SLOT; }

  async function load() {
    if (cfg.mode === "scenario") {
      const r = await HS.api("GET", "/api/scenarios/" + encodeURIComponent(cfg.name) + "/data");
      if (!r.ok) { showProblems((r.data && r.data.errors) || [], []); return; }
      doc = r.data; hall = doc; doc.shifts = doc.shifts || [];
    } else {
      const r = await HS.api("GET", "/api/rooms/" + cfg.room + "/template");
      hall = r.data.hall; plan = r.data.plan;
      const box = document.getElementById("team");
      if (!box.value) box.value = lastTeam();
      refreshRoomState();
    }
    if (cfg.mode === "room") levers();
    const open = HS.parseClock(hall.hours.open), close = HS.parseClock(hall.hours.close);
    axis = { from: Math.floor(open / 60) * 60, to: Math.ceil(close / 60) * 60 };
    render();
    check();
  }

  // ---- drawing ---------------------------------------------------------------------------
  function render() {
    const root = document.getElementById("gantt");
    const slots = Math.max(1, (axis.to - axis.from) / STEP);
    SLOT = Math.max(20, Math.floor((root.clientWidth - HEAD - 24) / slots));
    root.style.setProperty("--slot", SLOT + "px");
    root.replaceChildren();
    root.append(loadProfile());
    const ticks = el("div", { class: "g-track axis" });
    ticks.style.width = px(axis.to) + "px";
    for (let m = axis.from; m <= axis.to; m += 60) {
      const s = el("span", { text: HS.clock(m) });
      s.style.left = px(m) + "px";
      if (m === axis.from) s.style.transform = "none";
      if (m === axis.to) s.style.transform = "translateX(-100%)";
      ticks.append(s);
    }
    root.append(el("div", { class: "g-row" }, [el("div", { class: "g-head" }), ticks]));
    shifts().forEach(function (shift, i) { root.append(row(shift, i)); });
    updateBudget();
  }

  function row(shift, i) {
    const head = el("div", { class: "g-head" }, [el("div", { class: "g-line" }, [
      el("input", { class: "name", value: shift.name || "", "aria-label": t("name"),
        onchange: function (e) { shift.name = e.target.value; changed(true); } }),
      roleSelect(shift),
      el("label", {}, [t("count") + " ", el("input", { class: "count", type: "number", min: "0",
        max: "99", value: String(shift.count), "aria-label": t("count"),
        oninput: function (e) { shift.count = Math.max(0, Number(e.target.value) || 0); changed(false); },
        onchange: function () { changed(true); } })]),
      el("button", { type: "button", class: "delete", text: "✕", title: t("Delete"),
        onclick: function () { shifts().splice(i, 1); changed(true); } }),
    ]), el("div", { class: "g-line" }, [
      el("span", { class: "times", text: shift.start + "–" + shift.end }), breaks(shift)])]);
    const track = el("div", { class: "g-track" });
    track.style.width = px(axis.to) + "px";
    const bar = el("div", { class: "g-bar " + shift.role, title: shift.name });
    placeBar(bar, shift);
    bar.append(el("span", { text: "×" + shift.count }));
    (shift.breaks || []).forEach(function (b) {
      const start = HS.parseClock(b.at), s0 = HS.parseClock(shift.start);
      const brk = el("div", { class: "g-break", title: b.at + " " + b.minutes + " min" });
      brk.style.left = px(start) - px(s0) + "px";
      brk.style.width = b.minutes / STEP * SLOT + "px";
      bar.append(brk);
    });
    const left = el("div", { class: "h l" }), right = el("div", { class: "h r" });
    bar.append(left, right);
    drag(bar, shift, "move"); drag(left, shift, "start"); drag(right, shift, "end");
    track.append(bar);
    const r = el("div", { class: "g-row", "data-index": String(i), "data-name": shift.name || "" },
      [head, track]);
    return r;
  }

  function roleSelect(shift) {
    const s = el("select", { class: "role", "aria-label": t("role"),
      onchange: function (e) { shift.role = e.target.value; changed(true); } });
    ROLES.forEach(function (role) {
      const o = el("option", { value: role, text: t(role) });
      if (role === shift.role) o.selected = true;
      s.append(o);
    });
    return s;
  }

  function breaks(shift) {
    const box = el("div", { class: "g-breaks" });
    (shift.breaks || []).forEach(function (b, k) {
      box.append(el("input", { value: b.at, class: "break-at", "aria-label": t("breaks"),
        onchange: function (e) { b.at = e.target.value.trim(); changed(true); } }));
      box.append(el("input", { type: "number", class: "break-min", min: "5", max: "240", value: String(b.minutes),
        onchange: function (e) { b.minutes = Number(e.target.value) || 0; changed(true); } }));
      box.append(el("button", { type: "button", text: "✕", onclick: function () {
        shift.breaks.splice(k, 1); if (!shift.breaks.length) delete shift.breaks; changed(true); } }));
    });
    box.append(el("button", { type: "button", class: "add-break", text: "+ " + t("add break"),
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

  function drag(handle, shift, what) {
    handle.addEventListener("pointerdown", function (event) {
      event.stopPropagation(); event.preventDefault();
      handle.setPointerCapture(event.pointerId);
      const x0 = event.clientX, s0 = HS.parseClock(shift.start), e0 = HS.parseClock(shift.end);
      const moveBreaks = (shift.breaks || []).map(function (b) { return HS.parseClock(b.at); });
      const bar = what === "move" ? handle : handle.parentElement;
      function move(ev) {
        const d = Math.round((ev.clientX - x0) / SLOT) * STEP;
        let s = s0, e = e0;
        if (what === "start") s = Math.min(Math.max(axis.from, s0 + d), e0 - STEP);
        if (what === "end") e = Math.max(Math.min(axis.to, e0 + d), s0 + STEP);
        if (what === "move") {
          const dd = Math.min(Math.max(d, axis.from - s0), axis.to - e0);
          s = s0 + dd; e = e0 + dd;
          (shift.breaks || []).forEach(function (b, k) { b.at = HS.clock(moveBreaks[k] + dd); });
        }
        shift.start = HS.clock(s); shift.end = HS.clock(e);
        placeBar(bar, shift);
      }
      function up() {
        handle.removeEventListener("pointermove", move);
        handle.removeEventListener("pointerup", up);
        changed(true);
      }
      handle.addEventListener("pointermove", move);
      handle.addEventListener("pointerup", up);
    });
  }

  function loadProfile() {
    const width = px(axis.to), height = 90, ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "load"); svg.setAttribute("width", HEAD + width); svg.setAttribute("height", height);
    const factor = hall.load_factor || 1;
    const periods = (hall.profile || []).map(function (p) {
      const rate = p.rate !== undefined ? p.rate : (hall.loads || {})[p.load];
      return { from: HS.parseClock(p.from), to: HS.parseClock(p.to), rate: (rate || 0) * factor };
    });
    const staff = onDuty("counter");
    const top = Math.max(1, ...periods.map(function (p) { return p.rate; }));
    const staffTop = 1.15 * Math.max(1, ...staff.map(function (s) { return s[1]; }));
    function add(tag, attrs, text) {
      const n = document.createElementNS(ns, tag);
      Object.entries(attrs).forEach(function ([k, v]) { n.setAttribute(k, v); });
      if (text) n.textContent = text;
      svg.append(n);
      return n;
    }
    add("text", { x: 4, y: 16, "font-size": 12, fill: "#4e79a7" }, t("arrivals per hour") + " (max " + top.toFixed(0) + ")");
    add("text", { x: 4, y: 34, "font-size": 12, fill: "#c0392b" }, t("counter staff on duty"));
    periods.forEach(function (p) {
      const h = (height - 10) * p.rate / top;
      add("rect", { x: HEAD + px(p.from), y: height - h, width: Math.max(px(p.to) - px(p.from) - 1, 1),
        height: h, fill: "#4e79a755" }).append(document.createElementNS(ns, "title"));
    });
    let d = "";
    staff.forEach(function ([m, n], k) {
      const x = HEAD + px(m), y = height - (height - 10) * n / staffTop;
      d += (k ? "L" + x + " " + prevY(k) + " " : "M") + x + " " + y + " ";
    });
    function prevY(k) { return height - (height - 10) * staff[k - 1][1] / staffTop; }
    if (staff.length) add("path", { d: d + "L" + (HEAD + width) + " " + prevY(staff.length), fill: "none", stroke: "#c0392b", "stroke-width": 2 });
    return svg;
  }

  function onDuty(role) {
    const changes = {};
    function add(m, n) { changes[m] = (changes[m] || 0) + n; }
    add(axis.from, 0);
    shifts().forEach(function (s) {
      if (s.role !== role) return;
      add(HS.parseClock(s.start), s.count); add(HS.parseClock(s.end), -s.count);
      (s.breaks || []).forEach(function (b) { const a = HS.parseClock(b.at); add(a, -s.count); add(a + b.minutes, s.count); });
    });
    let n = 0;
    return Object.keys(changes).map(Number).filter(function (m) { return !isNaN(m); })
      .sort(function (a, b) { return a - b; })
      .map(function (m) { n += changes[m]; return [m, n]; });
  }

  function staffHours() {
    return shifts().reduce(function (sum, s) {
      const len = HS.parseClock(s.end) - HS.parseClock(s.start);
      const br = (s.breaks || []).reduce(function (a, b) { return a + (Number(b.minutes) || 0); }, 0);
      return sum + (s.count || 0) * (len - br) / 60;
    }, 0);
  }

  function updateBudget() {
    const used = staffHours(), pill = document.getElementById("budget");
    pill.textContent = t("staff hours") + ": " + used.toFixed(1) + (cfg.budget ? " / " + cfg.budget : "");
    pill.className = "pill " + (cfg.budget && used > cfg.budget + 1e-9 ? "bad" : "busy");
  }

  // ---- levers (exercise rooms whose challenge opens them) -------------------------------------
  function levers() {
    const box = document.getElementById("lever-inputs"), open = cfg.levers_open || {};
    if (!box) return;
    const own = cfg.levers_hall || {};
    function set(name, value) {
      plan.levers = plan.levers || {};
      if (value === null) delete plan.levers[name]; else plan.levers[name] = value;
      if (!Object.keys(plan.levers).length) delete plan.levers;
      changed(false);
    }
    function number(name, attrs, hallText, parse) {
      const input = el("input", Object.assign({ type: "number", class: "lever", "data-lever": name,
        placeholder: String(own[name]) }, attrs));
      input.addEventListener("change", function () {
        set(name, input.value === "" ? null : parse(input.value));
      });
      box.append(el("div", { class: "lever-row" }, [el("label", {}, [t(LEVER_NAMES[name]) + " ", input]),
        el("span", { class: "sub", text: hallText })]));
    }
    if (open.kiosks) number("kiosks", { min: "0", max: String(open.kiosks.places), step: "1" },
      t("hall") + ": " + own.kiosks + " · " + t("places") + ": " + open.kiosks.places + " · " +
      open.kiosks.price_hours + " h", function (v) { return Math.round(Number(v)); });
    ["divert_online", "divert_self_service"].forEach(function (name) {
      if (open[name]) number(name, { min: "0", max: String(open[name].max), step: "0.05" },
        t("hall") + ": " + own[name] + " · max " + open[name].max + " · " +
        open[name].price_hours_per_point + " h / pt", Number);
    });
    if (open.preprocess) {
      const row = el("div", { class: "lever-row" }, [el("span", { text: t(LEVER_NAMES.preprocess) + ": " })]);
      const candidates = (own.preprocess || []).concat(Object.keys(open.preprocess.services || {})
        .filter(function (n) { return (own.preprocess || []).indexOf(n) < 0; }));
      candidates.forEach(function (service) {
        const box2 = el("input", { type: "checkbox", value: service, class: "lever-pre" });
        box2.checked = (own.preprocess || []).indexOf(service) >= 0;
        box2.addEventListener("change", function () {
          const chosen = Array.from(document.querySelectorAll(".lever-pre:checked")).map(function (b) { return b.value; });
          const same = chosen.length === own.preprocess.length && chosen.every(function (n) { return own.preprocess.indexOf(n) >= 0; });
          set("preprocess", same ? null : chosen);
        });
        row.append(el("label", {}, [box2, " " + service]));
      });
      row.append(el("span", { class: "sub", text: " " + open.preprocess.price_hours_per_service + " h" }));
      box.append(row);
    }
    if (open.streamline) {
      const row = el("div", { class: "lever-row" }, [el("span", { text: t(LEVER_NAMES.streamline) + " (%): " })]);
      (open.streamline.services || cfg.services).forEach(function (service) {
        const input = el("input", { type: "number", min: "0", max: String(open.streamline.max_percent), step: "1",
          class: "lever-cut", "data-service": service, placeholder: "0" });
        input.addEventListener("change", function () {
          const cuts = {};
          document.querySelectorAll(".lever-cut").forEach(function (i) {
            if (i.value !== "" && Number(i.value) > 0) cuts[i.getAttribute("data-service")] = Number(i.value);
          });
          set("streamline", Object.keys(cuts).length ? cuts : null);
        });
        row.append(el("label", {}, [service + " ", input]));
      });
      row.append(el("span", { class: "sub", text: " max " + open.streamline.max_percent + "% · " +
        open.streamline.price_hours_per_percent + " h / %" }));
      box.append(row);
    }
  }
  const LEVER_NAMES = { kiosks: "kiosks", divert_online: "divert online", divert_self_service: "divert to kiosks",
    preprocess: "pre-processing", streamline: "streamlining" };

  // ---- editing and validation --------------------------------------------------------------
  function changed(redraw) {
    if (redraw) render(); else updateBudget();
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, 250);
  }

  document.getElementById("add-shift").addEventListener("click", function () {
    const list = shifts(), n = list.length + 1;
    const start = HS.parseClock(hall.hours.open);
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
      pill.textContent = t("Valid") + (r.data.warnings.length ? " (" + r.data.warnings.length + ")" : "");
      pill.className = "pill " + (r.data.warnings.length ? "warn" : "ok");
      showProblems([], r.data.warnings);
    } else {
      pill.textContent = t("Problems"); pill.className = "pill bad";
      showProblems((r.data && r.data.errors) || [{ message: "HTTP " + r.status }], []);
    }
  }

  function showProblems(errors, warnings) {
    const box = document.getElementById("problems");
    box.replaceChildren();
    document.querySelectorAll(".g-row.bad").forEach(function (r) { r.classList.remove("bad"); });
    errors.forEach(function (e) {
      box.append(el("div", { class: "error", text: (e.field ? e.field + ": " : "") + e.message }));
      const m = /^shifts\[(\d+)\]/.exec(e.field || "");
      if (m) mark(document.querySelector('.g-row[data-index="' + m[1] + '"]'));
    });
    warnings.forEach(function (w) {
      box.append(el("div", { class: "warn", text: "⚠ " + w }));
      const m = /shift '([^']*)'/.exec(w);
      if (m) document.querySelectorAll(".g-row[data-index]").forEach(function (r) {
        if (r.getAttribute("data-name") === m[1]) mark(r);
      });
    });
  }
  function mark(r) { if (r) { r.classList.add("bad"); } }

  // ---- running (scenario page) ---------------------------------------------------------------
  const HEADLINE = ["customers", "mean_wait_min", "p90_wait_min", "service_level", "abandon_rate",
    "detractor_rate", "staff_hours", "overtime_min"];

  function status(text, kind) {
    const s = document.getElementById("status");
    s.textContent = text; s.className = "pill " + (kind || "busy");
  }

  async function run() {
    const button = document.getElementById("run"), bar = document.getElementById("progress");
    const reps = Number(document.getElementById("reps").value) || 10;
    const seed = Number(document.getElementById("seed").value) || 0;
    button.disabled = true; bar.hidden = false; bar.value = 0;
    status(t("Queued…"));
    try {
      const r = await HS.api("POST", "/api/runs", { data: doc, reps: reps, seed: seed });
      if (r.status !== 202) { showProblems((r.data && r.data.errors) || [], []); status(t("Failed"), "bad"); return; }
      const job = await HS.poll(r.data.id, function (j) {
        bar.value = j.progress; status(j.status === "queued" ? t("Queued…") : t("Running…"));
      });
      if (job.status !== "done") { status(t("Failed") + ": " + job.error, "bad"); return; }
      status(t("Done"), "ok");
      showResults(job);
    } finally { button.disabled = false; bar.hidden = true; }
  }

  function showResults(job) {
    const table = document.getElementById("headline"), m = job.summary.metrics;
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
    lastSummary = job.summary;
    document.getElementById("results").hidden = false;
    const report = HS.withToken("/api/runs/" + job.id + "/report");
    const frame = document.getElementById("report");
    frame.src = report; frame.hidden = false;
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

  async function save() {
    const r = await HS.api("PUT", "/api/scenarios/" + encodeURIComponent(cfg.name), { data: doc });
    if (r.ok) status(t("Saved"), "ok");
    else { status(t("Problems"), "bad"); showProblems((r.data && r.data.errors) || [], []); }
  }

  // ---- exercise room ---------------------------------------------------------------------------
  async function refreshRoomState() {
    const r = await HS.api("GET", "/api/rooms/" + cfg.room);
    if (!r.ok) return;
    const s = document.getElementById("room-state");
    s.textContent = r.data.open ? t("Submissions are open") : t("Submissions are closed");
    s.className = "pill " + (r.data.open ? "ok" : "bad");
    document.getElementById("submit-plan").disabled = !r.data.open;
  }

  // The team key the server gave this team's first submission, kept in this browser (per
  // room and team name) and sent with every later plan: without it the name is taken.
  const KEYS = "hallsim-team-keys:" + cfg.room;
  let pageKeys = {};
  function teamKeys() {
    try { return JSON.parse(localStorage.getItem(KEYS) || "{}") || pageKeys; } catch (e) { return pageKeys; }
  }
  function keepKey(team, answer) {
    const keys = teamKeys();
    keys[team] = answer.key; keys[answer.team] = answer.key;
    pageKeys = keys;
    try {
      localStorage.setItem(KEYS, JSON.stringify(keys));
      localStorage.setItem(KEYS + ":last", team);
    } catch (e) { /* storage refused (private mode): the key lasts as long as this page */ }
  }
  function lastTeam() {
    try { return localStorage.getItem(KEYS + ":last") || ""; } catch (e) { return ""; }
  }

  async function submit() {
    const team = document.getElementById("team").value.trim();
    if (!team) { status(t("Enter a team name first"), "bad"); return; }
    plan.team = team;
    const body = { team: team, data: plan };
    const key = teamKeys()[team];
    if (key) body.key = key;
    const r = await HS.api("POST", "/api/rooms/" + cfg.room + "/plans", body);
    if (r.status === 202) keepKey(team, r.data);
    if (r.status !== 202) {
      status(t("Problems"), "bad");
      showProblems((r.data && r.data.errors) || [{ message: (r.data && r.data.detail) || "HTTP " + r.status }], []);
      refreshRoomState();
      return;
    }
    status(t("Submitted: scoring…"));
    const path = "/api/rooms/" + cfg.room + "/plans/" + encodeURIComponent(r.data.slug);
    for (;;) {
      const c = await HS.api("GET", path);
      if (c.ok && (c.data.status === "done" || c.data.status === "failed")) { showScorecard(c.data); return; }
      await new Promise(function (ok) { setTimeout(ok, 400); });
    }
  }

  function showScorecard(card) {
    const box = document.getElementById("scorecard");
    box.hidden = false; box.className = "scorecard"; box.replaceChildren();
    if (card.status !== "done") { box.append(el("p", { class: "problems", text: card.error || t("Failed") })); return; }
    status(t("Done"), "ok");
    box.append(el("h2", { text: card.team + " — " + t("rank") + " " + card.rank }));
    box.append(el("p", { id: "card-score", text: t("score") + ": " + card.score.toFixed(2) + " · " +
      (card.valid ? t("within the rules") : t("breaks the rules")) }));
    card.violations.forEach(function (v) { box.append(el("p", { class: "problems", text: "⚠ " + v })); });
    const table = el("table", { class: "headline" });
    HEADLINE.forEach(function (name) {
      table.append(el("tr", {}, [el("td", { text: t(HS.LABELS[name]) }),
        el("td", { class: "value", text: HS.fmt(name, card.metrics[name].mean) })]));
    });
    box.append(table);
    if (card.levers && card.levers.length) {
      box.append(el("p", { text: t("Levers") + ": " + card.levers.map(function (l) {
        return l.lever + " " + JSON.stringify(l.choice) + " (" + l.cost_hours + " h)"; }).join(" · ") }));
    }
    const w = card.worst_interval;
    if (w && w.start) box.append(el("p", { text: t("worst interval") + ": " + w.start + "–" + w.end + " · " +
      HS.fmt("mean_wait_min", w.mean_wait_min) + " · " + w.why }));
  }

  if (cfg.mode === "scenario") {
    document.getElementById("run").addEventListener("click", run);
    document.getElementById("save").addEventListener("click", save);
  } else {
    document.getElementById("submit-plan").addEventListener("click", submit);
  }
  load();
})();
