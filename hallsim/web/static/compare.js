/* Compare two stored plans on common random numbers. */
"use strict";
(function () {
  document.getElementById("compare-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    const body = { a: { scenario: document.getElementById("a").value },
      b: { scenario: document.getElementById("b").value },
      reps: Number(document.getElementById("reps").value) || 10 };
    const job = await HSCompare.run(body, { bar: document.getElementById("progress"),
      status: document.getElementById("status"), table: document.getElementById("comparison"),
      verdict: document.getElementById("verdict") });
    if (!job) return;
    const frame = document.getElementById("report");
    frame.src = HS.withToken("/api/runs/" + job.id + "/report"); frame.hidden = false;
  });
})();
