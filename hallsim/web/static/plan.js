/* The shift plan as a printable grid: shifts down, half hours across. The plan comes from the
   editor in the link's #fragment (unsaved edits included), else from the saved file. */
"use strict";
(function () {
  const t = HS.t, el = HS.el, STEP = 30;
  const cfg = JSON.parse(document.getElementById("plan-config").textContent);

  async function plan() {
    if (location.hash.length > 1) {
      try { return JSON.parse(decodeURIComponent(location.hash.slice(1))); } catch (e) { /* the saved file */ }
    }
    const r = await HS.api("GET", "/api/scenarios/" + encodeURIComponent(cfg.name) + "/data");
    return r.ok ? r.data : null;
  }

  function onBreak(shift, m) {
    return (shift.breaks || []).some(function (b) {
      const a = HS.parseClock(b.at);
      return m < a + b.minutes && a < m + STEP;
    });
  }

  function draw(data) {
    const open = HS.parseClock(data.hours.open), close = HS.parseClock(data.hours.close);
    const from = Math.floor(open / STEP) * STEP, to = Math.ceil(close / STEP) * STEP;
    const slots = [];
    for (let m = from; m < to; m += STEP) slots.push(m);
    document.getElementById("plan-title").textContent = data.name || cfg.name;
    let hours = 0;
    const table = document.getElementById("plan-grid");
    table.replaceChildren(el("tr", {}, [el("th", { text: t("shift") }), el("th", { text: t("role") }),
      el("th", { text: t("start") + "–" + t("end") }), el("th", { text: t("count") })]
      .concat(slots.map(function (m) { return el("th", { class: "slot", text: HS.clock(m) }); }))));
    const totals = {};
    (data.shifts || []).forEach(function (s) {
      const s0 = HS.parseClock(s.start), s1 = HS.parseClock(s.end);
      const br = (s.breaks || []).reduce(function (a, b) { return a + (Number(b.minutes) || 0); }, 0);
      hours += (s.count || 0) * (s1 - s0 - br) / 60;
      totals[s.role] = totals[s.role] || slots.map(function () { return 0; });
      const cells = slots.map(function (m, k) {
        if (m + STEP <= s0 || m >= s1) return el("td", { class: "off" });
        if (onBreak(s, m)) {
          const b = (s.breaks || []).map(function (x) { return x.at + " " + x.minutes + " min"; }).join(", ");
          return el("td", { class: "break " + s.role, title: b, text: "☕" });
        }
        totals[s.role][k] += s.count || 0;
        return el("td", { class: "on " + s.role, text: String(s.count) });
      });
      table.append(el("tr", { "data-shift": s.name || "" }, [el("td", { text: s.name || "" }),
        el("td", { text: t(s.role) }), el("td", { text: s.start + "–" + s.end }),
        el("td", { text: String(s.count) })].concat(cells)));
    });
    Object.keys(totals).forEach(function (role) {
      table.append(el("tr", { class: "total", "data-role": role }, [el("td", { text: t("at work") }),
        el("td", { text: t(role) }), el("td"), el("td")]
        .concat(totals[role].map(function (n) { return el("td", { text: n ? String(n) : "" }); }))));
    });
    document.getElementById("plan-sub").textContent = t("open") + " " + data.hours.open + "–" + data.hours.close +
      " · " + t("staff hours") + ": " + hours.toFixed(1);
  }

  document.getElementById("print").addEventListener("click", function () { window.print(); });
  plan().then(function (data) { if (data) draw(data); });
})();
