/* Live numbers on the scenario page: when a shift is dropped at a new place, a quick estimate
   of the plan on screen (the first few days of the run, POST /api/estimate) fills the results
   at once, marked as such; then the full run starts and replaces it. A newer drop cancels
   both. Other edits only mark the results out of date (workbench.js). */
"use strict";
(function () {
  const t = HS.t, E = HSEditor;
  const QUICK_DAYS = 3, KEY_PAUSE = 400;      // a held arrow key: wait until it rests
  let seq = 0, keyTimer = null;

  function note(text) {
    const n = document.getElementById("quick-note");
    n.textContent = text || ""; n.hidden = !text;
    document.getElementById("results").classList.toggle("quick", !!text);
  }

  async function live() {
    if (!document.getElementById("live").checked) return;
    const mine = ++seq, edits = E.edits();
    const reps = Number(document.getElementById("reps").value) || 10;
    const seed = Number(document.getElementById("seed").value) || 0;
    const days = Math.min(QUICK_DAYS, reps);
    E.cancelRun();
    E.status(t("Quick estimate…"));
    const r = await HS.api("POST", "/api/estimate", { data: E.data(), reps: days, seed: seed });
    if (mine !== seq || edits !== E.edits()) return;    // a newer edit: its own numbers follow
    if (!r.ok) { E.status(t("Problems"), "bad"); return; }  // the checks say why, at the fields
    E.headline(r.data.summary);
    note(HS.format("Quick estimate from {days} of {reps} simulated days: the full run follows and replaces it.",
      { days: days, reps: reps }));
    document.getElementById("results").classList.remove("stale");
    document.getElementById("stale").hidden = true;
    document.dispatchEvent(new CustomEvent("hallsim:quick", { detail: r.data }));
    E.run();
  }

  document.addEventListener("hallsim:moved", function (event) {
    clearTimeout(keyTimer);
    if (event.detail && event.detail.key) keyTimer = setTimeout(live, KEY_PAUSE);
    else live();
  });
  document.addEventListener("hallsim:changed", function () { seq += 1; note(""); });
  document.addEventListener("hallsim:results", function () { note(""); });
})();
