/* "Compare my edit": the plan on screen (B) against the saved file, an earlier version or
   another stored scenario (A), on common random numbers, with a verdict that agrees with its rows. */
"use strict";
(function () {
  const t = HS.t, el = HS.el, E = HSEditor, name = E.config.name;
  const select = document.getElementById("cmp-with");
  let versions = [], others = [];

  function when(iso) {
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString(document.documentElement.lang);
  }
  function fill() {
    const keep = select.value;
    select.replaceChildren(el("option", { value: JSON.stringify({ scenario: name, label: t("saved") }),
      text: t("the saved file") }));
    versions.forEach(function (v) {
      const label = t("version of") + " " + when(v.saved_at);
      select.append(el("option", { value: JSON.stringify({ scenario: name, version: v.id, label: label }), text: label }));
    });
    others.forEach(function (n) {
      select.append(el("option", { value: JSON.stringify({ scenario: n, label: n }), text: n }));
    });
    if (keep && Array.from(select.options).some(function (o) { return o.value === keep; })) select.value = keep;
  }
  document.addEventListener("hallsim:versions", function (event) { versions = event.detail; fill(); });
  HS.api("GET", "/api/scenarios").then(function (r) {
    if (r.ok) others = r.data.scenarios.map(function (s) { return s.name; }).filter(function (n) { return n !== name; });
    fill();
  });

  document.getElementById("cmp-run").addEventListener("click", async function () {
    const button = this;
    const a = JSON.parse(select.value);
    const body = { a: a, b: { data: E.data(), label: t("my edit") },
      reps: Math.max(2, Number(document.getElementById("cmp-reps").value) || 10),
      seed: Number(document.getElementById("seed").value) || 0 };
    button.disabled = true;
    try {
      await HSCompare.run(body, { bar: document.getElementById("cmp-progress"),
        status: document.getElementById("cmp-status"), table: document.getElementById("cmp-table"),
        verdict: document.getElementById("cmp-verdict") });
    } finally { button.disabled = false; }
  });
  fill();
})();
