/* A room's board, drawn the same way on the trainer's screen, the projector and the team
   pages: the ranked plans (lower score is better) or, while scores are hidden, the teams that
   have submitted; and a plan's shifts as a read-only shift chart. */
"use strict";
const HSBoard = (function () {
  const t = HS.t, el = HS.el;
  const COLS = ["mean_wait_min", "p90_wait_min", "abandon_rate", "detractor_rate"];

  function signed(x) { return (x >= 0 ? "+" : "") + x.toFixed(2); }

  // What a plan's row says besides its numbers: the reference, rules broken, over budget.
  function notes(board, p) {
    const out = [];
    if (p.reference) out.push(t("reference plan"));
    if (!p.valid) out.push("⚠ " + HS.format("breaks {n} rules", { n: p.violations.length }));
    if (p.budget_used_hours > board.budget_staff_hours + 1e-9) out.push("⚠ " + t("over budget"));
    return out.join(" · ");
  }

  // The ranked plans as a table (into ``table``), or the teams that have submitted.
  function draw(table, board) {
    table.replaceChildren();
    if (board.hidden && !board.plans.length) {
      table.append(el("caption", { text: t("Scores are shown when the trainer reveals them.") }));
      table.append(el("tr", {}, [el("th", { scope: "col", text: t("team") }),
        el("th", { scope: "col", text: t("submissions") }), el("th", { scope: "col", text: t("status") })]));
      board.teams.forEach(function (team) {
        table.append(el("tr", { "data-team": team.team }, [el("td", { text: team.team }),
          el("td", { text: String(team.submission) }), el("td", { text: t(team.status) })]));
      });
      return;
    }
    table.append(el("caption", { text: t("Lower score is better.") }));
    const head = [t("rank"), t("team"), t("score")].concat(COLS.map(function (c) { return t(HS.LABELS[c]); }))
      .concat([t("budget used")]).concat(board.revealed ? [t("vs reference")] : []).concat([t("notes")]);
    table.append(el("tr", {}, head.map(function (h) { return el("th", { scope: "col", text: h }); })));
    board.plans.forEach(function (p) {
      const cells = [String(p.rank), p.team, p.score.toFixed(2)]
        .concat(COLS.map(function (c) { return HS.fmt(c, p.metrics[c].mean); }))
        .concat([p.budget_used_hours.toFixed(1) + " / " + board.budget_staff_hours + " h"])
        .concat(board.revealed ? [p.vs_reference === null ? "" : signed(p.vs_reference)] : [])
        .concat([notes(board, p)]);
      const tr = el("tr", { class: (p.valid ? "" : "invalid ") + (p.reference ? "reference" : ""),
        "data-team": p.team }, cells.map(function (c) { return el("td", { text: c }); }));
      if (p.violations.length) tr.title = p.violations.join("\n");
      table.append(tr);
    });
  }

  // A plan's shifts as bars on the opening hours (read-only), one row per shift.
  function shiftChart(shifts, hours) {
    const from = Math.floor(HS.parseClock(hours.open) / 60) * 60;
    const to = Math.ceil(HS.parseClock(hours.close) / 60) * 60;
    function pct(m) { return (100 * (m - from) / (to - from)).toFixed(3) + "%"; }
    const chart = el("div", { class: "shift-chart", role: "table", "aria-label": t("reference plan") });
    const axis = el("div", { class: "sc-track sc-axis", "aria-hidden": "true" });
    for (let m = from; m <= to; m += 60) {
      const tick = el("span", { text: HS.clock(m) });
      tick.style.left = pct(m);
      axis.append(tick);
    }
    chart.append(el("div", { class: "sc-row", "aria-hidden": "true" }, [el("div", { class: "sc-head" }), axis]));
    shifts.forEach(function (s) {
      const start = HS.parseClock(s.start), end = HS.parseClock(s.end);
      const breaks = (s.breaks || []).map(function (b) {
        return b.at + " (" + b.minutes + " min)";
      });
      const label = s.name + " · " + t(s.role) + " ×" + s.count;
      const times = s.start + "–" + s.end + (breaks.length ? " · " + t("breaks") + " " + breaks.join(", ") : "");
      const bar = el("div", { class: "sc-bar " + s.role });
      bar.style.left = pct(start);
      bar.style.width = "calc(" + pct(end) + " - " + pct(start) + ")";
      bar.append(el("span", { text: "×" + s.count }));
      (s.breaks || []).forEach(function (b) {
        const a = HS.parseClock(b.at), brk = el("div", { class: "sc-break" });
        brk.style.left = (100 * (a - start) / (end - start)).toFixed(3) + "%";
        brk.style.width = (100 * b.minutes / (end - start)).toFixed(3) + "%";
        bar.append(brk);
      });
      chart.append(el("div", { class: "sc-row", role: "row" }, [
        el("div", { class: "sc-head", role: "rowheader" }, [el("b", { text: label }), el("span", { text: " " + times })]),
        el("div", { class: "sc-track", role: "cell" }, [bar])]));
    });
    return chart;
  }

  return { draw, shiftChart };
})();
