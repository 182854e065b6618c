/* Interactive charts of a day in intervals, drawn by uPlot (vendored: static/vendor/uplot):
   the values at the pointer (or, from the keyboard, at the interval the arrow keys choose)
   in a tip and beside each series' switch, series switched on and off with buttons, and the
   numbers as a table for screen readers and copying. */
"use strict";
const HSCharts = (function () {
  const t = HS.t, el = HS.el;
  const PALETTE = ["#1f6fb2", "#b22222", "#2e7d32", "#8a5a00", "#6a3d9a", "#00838f", "#c2185b", "#555555"];
  const DASHES = [null, [6, 3], [2, 3], [8, 3, 2, 3]];
  const charts = {};

  function number(v, digits) { return v === null || v === undefined || Number.isNaN(v) ? "–" : v.toFixed(digits); }
  const FORMATS = {
    min: function (v) { return number(v, 1) + " " + t("min"); },
    people: function (v) { return number(v, 1); },
    rate: function (v) { return number(v, 0); },
  };

  function dataOf(spec) {
    const starts = spec.minutes, close = starts.length ? spec.ends[starts.length - 1] : 0;
    return [starts.concat([close])].concat(spec.series.map(function (s) {
      const v = s.values.map(function (x) { return x === null || x === undefined ? null : x; });
      return v.concat([s.kind === "bars" ? null : v[v.length - 1]]);   // the last step reaches the close
    }));
  }
  function keysOf(spec) { return spec.series.map(function (s) { return s.key; }).join("|"); }

  // spec: {id, title, minutes: [interval starts, minutes since midnight], ends: [their ends],
  //        axes: {y: label, y2: label (optional)}, height, note (optional),
  //        series: [{key, label, values, kind: "step" | "bars", scale: "y" | "y2", unit, show, color}]}
  // Drawn again with the same series (an edit of the plan), the chart keeps which series are
  // switched off and only takes the new numbers.
  function make(host, spec) {
    const old = charts[spec.id];
    if (old && keysOf(old.spec) === keysOf(spec) && host.contains(old.figure)) {
      spec.series.forEach(function (s, k) { s.color = old.spec.series[k].color; s.show = old.u.series[k + 1].show; });
      old.spec.series = spec.series; old.spec.minutes = spec.minutes; old.spec.ends = spec.ends;
      old.u.setData(dataOf(spec));
      old.figure.querySelector("details.chart-table").replaceWith(table(spec));
      return old;
    }
    if (old) old.u.destroy();
    const starts = spec.minutes, ends = spec.ends;
    const data = dataOf(spec);
    let colour = 0;
    const series = [{ label: t("time"), value: function (u, v) { return v === null ? "" : HS.clock(v); } }];
    spec.series.forEach(function (s, k) {
      const c = s.color || PALETTE[colour++ % PALETTE.length];
      s.color = c;
      series.push({
        label: s.label, scale: s.scale || "y", stroke: c, width: s.kind === "bars" ? 0 : 2,
        fill: s.kind === "bars" ? c + "55" : undefined, show: s.show !== false,
        dash: s.kind === "bars" ? undefined : (s.dash !== undefined ? s.dash || undefined : DASHES[k % DASHES.length] || undefined),
        paths: s.kind === "bars" ? uPlot.paths.bars({ size: [0.92, Infinity], align: 1 }) : uPlot.paths.stepped({ align: 1 }),
        points: { show: false }, spanGaps: false,
      });
    });
    const axes = [{ stroke: "#333", grid: { stroke: "#eee" }, incrs: [30, 60, 120, 180],
      values: function (u, ticks) { return ticks.map(HS.clock); } },
      { scale: "y", label: spec.axes.y, stroke: "#333", grid: { stroke: "#eee" }, size: 48 }];
    if (spec.axes.y2) axes.push({ scale: "y2", side: 1, label: spec.axes.y2, stroke: "#333", grid: { show: false }, size: 48 });
    const figure = el("figure", { class: "chart", id: spec.id });
    const caption = el("figcaption", { text: spec.title });
    const plot = el("div", { class: "chart-plot", tabindex: "0", role: "group",
      "aria-label": spec.title + ". " + t("Left and right arrow keys read the values interval by interval.") });
    const tip = el("div", { class: "chart-tip", "aria-hidden": "true", hidden: "" });
    const said = el("p", { class: "visually-hidden", "aria-live": "polite" });
    const keys = el("div", { class: "chart-keys", role: "group", "aria-label": t("Series shown") });
    figure.append(caption, keys, plot, said, table(spec));
    if (spec.note) figure.append(el("p", { class: "chart-note", text: spec.note }));
    const chart = { spec: spec, figure: figure, u: null };
    host.replaceChildren(figure);
    const buttons = spec.series.map(function (s, k) {
      const value = el("span", { class: "key-value" });
      const b = el("button", { type: "button", class: "chart-key", "aria-pressed": String(s.show !== false),
        "data-key": s.key || String(k) }, [
        el("span", { class: "key-mark" + (s.kind === "bars" ? " bar" : ""), style: "--c:" + s.color }),
        el("span", { text: s.label }), value]);
      b.addEventListener("click", function () {
        const on = !u.series[k + 1].show;
        u.setSeries(k + 1, { show: on });
        b.setAttribute("aria-pressed", String(on));
      });
      keys.append(b);
      return value;
    });
    function interval(m) {
      const k = chart.spec.minutes.findIndex(function (start, j) { return start <= m && m < chart.spec.ends[j]; });
      return k < 0 ? null : k;
    }
    function at(idx) {         // the interval under the cursor, in the tip and beside the switches
      if (idx === null || idx === undefined || idx >= chart.spec.minutes.length) {
        tip.hidden = true;
        buttons.forEach(function (v) { v.textContent = ""; });
        return;
      }
      const when = HS.clock(chart.spec.minutes[idx]) + "–" + HS.clock(chart.spec.ends[idx]);
      const lines = [when];
      chart.spec.series.forEach(function (s, k) {
        const text = (FORMATS[s.unit] || FORMATS.people)(s.values[idx]);
        buttons[k].textContent = text;
        if (u.series[k + 1].show) lines.push(s.label + t(": ") + text);
      });
      tip.replaceChildren(...lines.map(function (line, k) { return el(k ? "div" : "b", { text: line }); }));
      tip.hidden = false;
      const left = u.valToPos((chart.spec.minutes[idx] + chart.spec.ends[idx]) / 2, "x");
      tip.style.left = Math.min(Math.max(left + u.bbox.left / devicePixelRatio + 12, 0),
        plot.clientWidth - tip.offsetWidth - 4) + "px";
      return lines.join("; ");
    }
    const u = new uPlot({
      width: Math.max(240, plot.clientWidth || 760), height: spec.height || 220,
      scales: { x: { time: false }, y: { range: fromZero }, y2: { range: fromZero } },
      series: series, axes: axes, legend: { show: false },
      cursor: { y: false, points: { show: false } },
      // the interval under the pointer (uPlot's own index is the nearest interval start)
      hooks: { setCursor: [function (u) { at(u.cursor.left >= 0 ? interval(u.posToVal(u.cursor.left, "x")) : null); }] },
    }, data, plot);
    plot.append(tip);
    let kb = null;
    plot.addEventListener("keydown", function (e) {
      const last = chart.spec.minutes.length - 1;
      const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -Infinity, End: Infinity };
      if (!(e.key in moves) || last < 0) return;
      e.preventDefault();
      kb = kb === null ? (moves[e.key] > 0 ? 0 : last) : Math.min(last, Math.max(0, kb + moves[e.key]));
      u.setCursor({ left: u.valToPos((chart.spec.minutes[kb] + chart.spec.ends[kb]) / 2, "x"), top: 10 });
      said.textContent = at(kb) || "";
    });
    plot.addEventListener("blur", function () { kb = null; });
    chart.u = u;
    charts[spec.id] = chart;
    return chart;
  }

  function fromZero(u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; }

  // The numbers behind a chart, as a table (folded away; read by screen readers on demand).
  function table(spec) {
    const head = el("tr", {}, [el("th", { scope: "col", text: t("interval") })].concat(
      spec.series.map(function (s) { return el("th", { scope: "col", text: s.label }); })));
    const rows = spec.minutes.map(function (m, k) {
      return el("tr", {}, [el("th", { scope: "row", text: HS.clock(m) + "–" + HS.clock(spec.ends[k]) })].concat(
        spec.series.map(function (s) { return el("td", { text: (FORMATS[s.unit] || FORMATS.people)(s.values[k]) }); })));
    });
    return el("details", { class: "chart-table" }, [el("summary", { text: t("The numbers") }),
      el("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": spec.title }, [
        el("table", { class: "list" }, [el("thead", {}, [head]), el("tbody", {}, rows)])])]);
  }

  window.addEventListener("resize", function () {
    Object.values(charts).forEach(function (c) {
      const w = c.u.root.parentNode && c.u.root.parentNode.clientWidth;
      if (w) c.u.setSize({ width: Math.max(240, w), height: c.u.height });
    });
  });
  return { make: make, charts: charts, PALETTE: PALETTE };
})();
