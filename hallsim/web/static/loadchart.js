/* The load above the shift plan: arrivals per hour from the hall's profile (bars, left
   scale), and on one staff scale (right) the counter staff the plan on screen has at work
   (breaks deducted, updated as the plan is edited) and, once the advisor has drafted a plan
   for a target, the counter staff it requires and schedules per interval. */
"use strict";
const HSLoadChart = (function () {
  const t = HS.t;
  let advice = null, editor = null;

  // Counter staff at work over [a, b), time-averaged: each shift's overlap, less its breaks'.
  function staffed(shifts, a, b) {
    let minutes = 0;
    shifts.forEach(function (s) {
      if (s.role !== "counter") return;
      const from = HS.parseClock(s.start), to = HS.parseClock(s.end);
      let on = Math.max(0, Math.min(b, to) - Math.max(a, from));
      (s.breaks || []).forEach(function (k) {
        const at = HS.parseClock(k.at);
        on -= Math.max(0, Math.min(b, at + Number(k.minutes)) - Math.max(a, at));
      });
      minutes += Math.max(0, on) * (Number(s.count) || 0);
    });
    return minutes / (b - a);
  }

  function rateAt(hall, m) {
    const factor = hall.load_factor || 1;
    const p = (hall.profile || []).find(function (p) { return HS.parseClock(p.from) <= m && m < HS.parseClock(p.to); });
    if (!p) return null;
    const rate = p.rate !== undefined ? p.rate : (hall.loads || {})[p.load];
    return rate === undefined ? null : rate * factor;
  }

  function draw(ed) {
    editor = ed;
    const host = document.getElementById("load-chart");
    if (!host || !ed.hall) return;
    const hall = ed.hall, step = hall.interval_minutes || 30;
    const open = HS.parseClock(hall.hours.open), close = HS.parseClock(hall.hours.close);
    const starts = [], ends = [];
    for (let m = open; m < close; m += step) { starts.push(m); ends.push(Math.min(m + step, close)); }
    const shifts = ed.data().shifts || [];
    const series = [
      { key: "arrivals", label: t("arrivals per hour"), kind: "bars", scale: "y", unit: "rate", color: "#4e79a7",
        values: starts.map(function (m, k) { return rateAt(hall, (m + ends[k]) / 2); }) },
      { key: "plan", label: t("counter staff on the plan"), scale: "y2", unit: "people", color: "#1f4e79", dash: null,
        values: starts.map(function (m, k) { return staffed(shifts, m, ends[k]); }) },
    ];
    if (advice) {
      const rows = {};
      advice.intervals.forEach(function (r) { rows[HS.parseClock(r.start)] = r; });
      const pick = function (key) { return starts.map(function (m) { return rows[m] ? rows[m][key] : null; }); };
      series.push({ key: "required", label: t("required (ISA)"), scale: "y2", unit: "people", color: "#b22222", dash: [6, 3], values: pick("required_isa") });
      series.push({ key: "draft", label: t("scheduled in the draft"), scale: "y2", unit: "people", color: "#2e7d32", dash: [2, 3], values: pick("scheduled") });
    }
    HSCharts.make(host, { id: "load", title: t("Arrivals and counter staff through the day"), height: 170,
      minutes: starts, ends: ends, axes: { y: t("arrivals per hour"), y2: t("counter staff") }, series: series,
      note: advice ? "" : t("Draft a plan for a target to see the counter staff it requires.") });
  }

  document.addEventListener("hallsim:changed", function () { if (editor) draw(editor); });
  document.addEventListener("hallsim:advice", function (event) {
    advice = event.detail;
    if (editor) draw(editor);
  });
  return { draw: draw, staffed: staffed };
})();
