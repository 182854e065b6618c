/* A comparison's table and verdict, shared by the compare page and "Compare my edit". */
"use strict";
const HSCompare = (function () {
  const t = HS.t, el = HS.el;
  const ROWS = ["mean_wait_min", "p90_wait_min", "service_level", "abandon_rate", "detractor_rate",
    "staff_hours", "overtime_min", "customers"];
  function show(doc, table, verdict) {
    verdict.textContent = doc.verdict_text; verdict.hidden = false;
    table.replaceChildren(el("tr", {}, [t("metric"), "A: " + doc.a, "B: " + doc.b, "B − A", "95% CI", t("better")]
      .map(function (h) { return el("th", { text: h }); })));
    ROWS.forEach(function (n) {
      const c = doc.metrics[n];
      const side = c.better === "b" ? "better" : c.better === "a" ? "worse" : "";
      const row = el("tr", { "data-metric": n, class: side }, [t(HS.LABELS[n]), HS.fmt(n, c.a), HS.fmt(n, c.b),
        HS.fmt(n, c.diff), c.ci95 === null ? "" : "± " + HS.fmt(n, c.ci95),
        c.better ? doc[c.better] : ""].map(function (v) { return el("td", { text: v }); }));
      table.append(row);
    });
  }
  async function run(body, parts) {
    parts.bar.hidden = false; parts.bar.value = 0;
    parts.status.textContent = t("Queued…"); parts.status.className = "pill busy";
    try {
      const r = await HS.api("POST", "/api/compare", body);
      if (r.status !== 202) {
        parts.status.textContent = ((r.data && r.data.errors) || []).map(function (e) { return e.message; }).join("; ")
          || (r.data && r.data.detail) || ("HTTP " + r.status);
        parts.status.className = "pill bad"; return null;
      }
      const job = await HS.poll(r.data.id, function (j) {
        parts.bar.value = j.progress; parts.status.textContent = t(j.status === "queued" ? "Queued…" : "Running…");
      });
      if (job.status !== "done") { parts.status.textContent = t("Failed") + ": " + job.error; parts.status.className = "pill bad"; return null; }
      parts.status.textContent = t("Done"); parts.status.className = "pill ok";
      show(job.summary, parts.table, parts.verdict);
      return job;
    } finally { parts.bar.hidden = true; }
  }
  return { show: show, run: run };
})();
