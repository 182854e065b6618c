/* Compare two stored plans on common random numbers. */
"use strict";
(function () {
  const t = HS.t, el = HS.el;
  const NAMES = ["mean_wait_min", "p90_wait_min", "service_level", "abandon_rate", "detractor_rate",
    "staff_hours", "overtime_min", "customers"];
  document.getElementById("compare-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    const status = document.getElementById("status"), bar = document.getElementById("progress");
    const body = { a: { scenario: document.getElementById("a").value },
      b: { scenario: document.getElementById("b").value },
      reps: Number(document.getElementById("reps").value) || 10 };
    bar.hidden = false; status.textContent = t("Queued…"); status.className = "pill busy";
    const r = await HS.api("POST", "/api/compare", body);
    if (r.status !== 202) { status.textContent = JSON.stringify(r.data); status.className = "pill bad"; bar.hidden = true; return; }
    const job = await HS.poll(r.data.id, function (j) { bar.value = j.progress; status.textContent = t(j.status === "queued" ? "Queued…" : "Running…"); });
    bar.hidden = true;
    if (job.status !== "done") { status.textContent = t("Failed") + ": " + job.error; status.className = "pill bad"; return; }
    status.textContent = t("Done"); status.className = "pill ok";
    const doc = job.summary, table = document.getElementById("comparison");
    table.replaceChildren(el("tr", {}, [t("metric"), "A: " + doc.a, "B: " + doc.b, "B − A", "95% CI", t("better")]
      .map(function (h) { return el("th", { text: h }); })));
    NAMES.forEach(function (n) {
      const c = doc.metrics[n];
      const better = c.better === undefined ? (c.significant ? "*" : "") : (c.better || "");
      table.append(el("tr", {}, [t(HS.LABELS[n]), HS.fmt(n, c.a), HS.fmt(n, c.b), HS.fmt(n, c.diff),
        c.ci95 === null ? "" : "± " + HS.fmt(n, c.ci95), better.toUpperCase()].map(function (v) { return el("td", { text: v }); })));
    });
    const frame = document.getElementById("report");
    frame.src = HS.withToken("/api/runs/" + job.id + "/report"); frame.hidden = false;
  });
})();
