/* "Draft a plan for a target": the staffing advisor on the plan on screen, its required vs
   scheduled counter staff per interval on a chart (with the plan on screen beside them), and
   Accept, which loads the drafted shifts into the editor. */
"use strict";
(function () {
  const t = HS.t, el = HS.el, E = HSEditor, NS = "http://www.w3.org/2000/svg";
  let advice = null;

  function status(text, kind) {
    const s = document.getElementById("adv-status");
    s.textContent = text; s.className = "pill " + (kind || "busy");
  }

  function onDutyAt(shifts, m) {   // counter staff at work at minute m (breaks deducted)
    return shifts.reduce(function (n, s) {
      if (s.role !== "counter" || m < HS.parseClock(s.start) || m >= HS.parseClock(s.end)) return n;
      const away = (s.breaks || []).some(function (b) { const a = HS.parseClock(b.at); return m >= a && m < a + b.minutes; });
      return away ? n : n + (s.count || 0);
    }, 0);
  }

  function chart(doc) {
    const rows = doc.intervals, W = 760, H = 220, L = 36, B = 34, T = 10;
    const current = rows.map(function (r) {
      const a = HS.parseClock(r.start), b = HS.parseClock(r.end);
      return onDutyAt(E.data().shifts || [], (a + b) / 2);
    });
    const top = Math.max(1, ...rows.map(function (r) { return Math.max(r.required_isa, r.scheduled); }), ...current);
    const w = (W - L - 8) / rows.length, y = function (v) { return T + (H - T - B) * (1 - v / top); };
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + W + " " + H); svg.setAttribute("class", "adv-chart");
    svg.setAttribute("role", "img"); svg.setAttribute("aria-label", t("required and scheduled counter staff per interval"));
    function add(tag, attrs, text) {
      const n = document.createElementNS(NS, tag);
      Object.entries(attrs).forEach(function ([k, v]) { n.setAttribute(k, v); });
      if (text !== undefined) n.textContent = text;
      svg.append(n); return n;
    }
    const step = Math.max(1, Math.ceil(top / 5));
    for (let v = 0; v <= top; v += step) {
      add("line", { x1: L, x2: W - 8, y1: y(v), y2: y(v), class: "grid" });
      add("text", { x: L - 4, y: y(v) + 4, "text-anchor": "end", class: "tick" }, String(v));
    }
    rows.forEach(function (r, k) {
      const bar = add("rect", { x: L + k * w + 1, y: y(r.required_isa), width: Math.max(w - 2, 1),
        height: y(0) - y(r.required_isa), class: "required " + r.verdict, "data-start": r.start });
      const title = document.createElementNS(NS, "title");
      title.textContent = r.start + "–" + r.end + ": " + t("required") + " " + r.required_isa + ", " +
        t("scheduled") + " " + r.scheduled + ", " + t("on screen") + " " + current[k] + " · " + t(r.verdict);
      bar.append(title);
      if (k % 2 === 0) add("text", { x: L + k * w + w / 2, y: H - B + 14, "text-anchor": "middle", class: "tick" }, r.start);
    });
    function steps(values, cls) {
      let d = "";
      values.forEach(function (v, k) { d += (k ? "L" : "M") + (L + k * w) + " " + y(v) + " L" + (L + (k + 1) * w) + " " + y(v) + " "; });
      add("path", { d: d, class: cls });
    }
    steps(rows.map(function (r) { return r.scheduled; }), "scheduled");
    steps(current, "current");
    const legend = el("p", { class: "adv-legend" }, [
      el("span", { class: "key required" }), " " + t("required (ISA)") + "  ",
      el("span", { class: "key scheduled" }), " " + t("scheduled in the draft") + "  ",
      el("span", { class: "key current" }), " " + t("the plan on screen") + "  ",
      el("span", { class: "key required close" }), " " + t("close") + "  ",
      el("span", { class: "key required missed" }), " " + t("missed")]);
    return [svg, legend];
  }

  document.getElementById("adv-run").addEventListener("click", async function () {
    const button = this, bar = document.getElementById("adv-progress");
    const target = {};
    target[document.getElementById("adv-metric").value] = Number(document.getElementById("adv-value").value);
    const body = { data: E.data(), target: target, reps: 10,
      verify_days: Math.max(2, Number(document.getElementById("adv-days").value) || 40),
      seed: Number(document.getElementById("seed").value) || 0 };
    button.disabled = true; bar.hidden = false; bar.value = 0; status(t("Queued…"));
    try {
      const r = await HS.api("POST", "/api/advise", body);
      if (r.status !== 202) {
        status(((r.data && r.data.errors) || []).map(function (e) { return e.message; }).join("; ") ||
          (r.data && r.data.detail) || "HTTP " + r.status, "bad");
        return;
      }
      const job = await HS.poll(r.data.id, function (j) { bar.value = j.progress; status(j.status === "queued" ? t("Queued…") : t("Running…")); });
      if (job.status !== "done") { status(t("Failed") + ": " + job.error, "bad"); return; }
      advice = job.summary;
      document.dispatchEvent(new CustomEvent("hallsim:advice", { detail: advice }));   // the load chart (loadchart.js)
      status(t("Done"), "ok");
      document.getElementById("adv-headline").replaceChildren(...advice.headline.map(function (line) { return el("li", { text: line }); }));
      document.getElementById("adv-chart").replaceChildren(...chart(advice));
      document.getElementById("adv-result").hidden = false;
    } finally { button.disabled = false; bar.hidden = true; }
  });

  document.getElementById("adv-accept").addEventListener("click", function () {
    if (!advice) return;
    const shifts = E.data().shifts;
    shifts.splice(0, shifts.length, ...JSON.parse(JSON.stringify(advice.shifts)));
    E.redraw();
    status(t("Loaded into the editor: run or compare it, and Save to keep it"), "ok");
  });
})();
