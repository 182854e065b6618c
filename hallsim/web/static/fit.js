/* Learn a hall from its ticket log: upload, follow the fit, read its report and held-out
   check, and open the fitted hall in the editor as a new scenario. */
"use strict";
(function () {
  const el = HS.el;
  const text = JSON.parse(document.getElementById("fit-text").textContent);
  const t = function (msg) { return text[msg] || HS.t(msg); };
  const $ = function (id) { return document.getElementById(id); };
  const status = $("status"), bar = $("progress"), errors = $("fit-errors");
  let fitId = null;

  function setStatus(msg, kind) { status.textContent = msg; status.className = "pill " + kind; }

  // Each message names the file, its line and the field, as the command line prints it.
  function showErrors(list) {
    errors.replaceChildren.apply(errors, list.map(function (e) {
      return el("li", { "data-line": e.line || "", "data-field": e.field || "", text: e.message });
    }));
    errors.hidden = list.length === 0;
  }

  function problems(r) {
    if (r.data && Array.isArray(r.data.errors)) return r.data.errors;
    const detail = r.data && r.data.detail;
    return [{ line: null, field: null, message: typeof detail === "string" ? detail : "HTTP " + r.status }];
  }

  function number(measure, v) {
    if (v === null || v === undefined) return "–";
    if (measure === "no_show_share") return (100 * v).toFixed(1) + "%";
    return v.toFixed(measure === "tickets" ? 1 : 2);
  }

  const LABEL = { tickets: "tickets per day", mean_wait_min: "mean wait of served tickets (min)",
    no_show_share: "no-show share" };

  function show(job) {
    const s = job.summary;
    $("fit-title").textContent = s.name;
    const rows = [["tickets", s.tickets], ["days", s.days], ["opening hours", s.hours],
      ["counter windows", s.windows], ["services", s.services.join(", ")],
      ["rejected rows", s.rejected], ["patience", s.patience]];
    if (s.survey) rows.push(["survey answers", s.survey.answers + " (" + s.survey.source + ")"]);
    $("fit-summary").replaceChildren.apply($("fit-summary"), rows.map(function (r) {
      return el("tr", {}, [el("th", { text: t(r[0]) }), el("td", { text: String(r[1]) })]);
    }));
    $("fit-check").textContent = s.held_out_sentence;
    const table = $("fit-check-table");
    table.hidden = !s.held_out;
    if (s.held_out) {
      table.replaceChildren(el("tr", {}, ["measure", "held-out days", "simulated", "95% prediction range", "verdict"]
        .map(function (h) { return el("th", { text: t(h) }); })));
      s.held_out.measures.forEach(function (m) {
        table.append(el("tr", { class: m.within ? "better" : "worse" }, [t(LABEL[m.measure]),
          number(m.measure, m.held_out), number(m.measure, m.simulated),
          number(m.measure, m.low) + " – " + number(m.measure, m.high),
          t(m.within ? "within" : "outside")].map(function (v) { return el("td", { text: v }); })));
      });
    }
    const base = "/api/fits/" + job.id;
    $("fit-yaml").href = HS.withToken(base + "/scenario");
    $("fit-rejects").href = HS.withToken(base + "/rejects.csv");
    $("fit-survey-report").href = HS.withToken(base + "/detractor-report");
    $("fit-survey-report").hidden = !s.survey;
    $("report").src = HS.withToken(base + "/report");
    $("fit-result").hidden = false;
  }

  $("fit-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    const file = $("fit-log").files[0];
    if (!file) { showErrors([{ line: null, field: "log", message: t("Choose a ticket log first") }]); return; }
    const form = new FormData();
    form.append("log", file, file.name);
    if ($("fit-survey").files[0]) form.append("survey", $("fit-survey").files[0], $("fit-survey").files[0].name);
    if ($("fit-columns").files[0]) form.append("columns", $("fit-columns").files[0], $("fit-columns").files[0].name);
    if ($("fit-name").value.trim()) form.append("name", $("fit-name").value.trim());
    form.append("interval", $("fit-interval").value || "30");
    form.append("days", $("fit-days").value);
    form.append("ignore_unknown", $("fit-ignore").checked ? "true" : "false");
    showErrors([]);
    $("fit-result").hidden = true;
    $("fit-start").disabled = true;
    bar.hidden = false; bar.value = 0;
    setStatus(t("Fitting…"), "busy");
    try {
      const headers = HS.token ? { Authorization: "Bearer " + HS.token } : {};
      const response = await fetch("/api/fits", { method: "POST", body: form, headers: headers });
      let data = null;
      try { data = await response.json(); } catch (e) { data = null; }
      if (response.status !== 202) {
        showErrors(problems({ status: response.status, data: data }));
        setStatus(t("Failed"), "bad");
        return;
      }
      const job = await HS.poll(data.id, function (j) {
        bar.value = j.progress;
        if (j.progress > 0) setStatus(t("Checking the fit…"), "busy");
      });
      if (job.status !== "done") {
        showErrors([{ line: null, field: null, message: job.error || job.status }]);
        setStatus(t("Failed"), "bad");
        return;
      }
      fitId = job.id;
      setStatus(t("Done"), "ok");
      show(job);
    } finally {
      bar.hidden = true;
      $("fit-start").disabled = false;
    }
  });

  $("fit-open").addEventListener("click", async function () {
    if (!fitId) return;
    setStatus(t("Opening…"), "busy");
    const r = await HS.api("POST", "/api/fits/" + fitId + "/open", {});
    if (r.status !== 201) { showErrors(problems(r)); setStatus(t("Failed"), "bad"); return; }
    location.href = HS.pageLink("/scenarios/" + encodeURIComponent(r.data.name));
  });
})();
