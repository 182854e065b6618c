/* A team's page in an exercise room: the team's name and key, submitting a plan and its
   scorecard, and the room's state, live (server-sent events): submissions open or closed,
   and after the trainer reveals, the board and the reference plan. */
"use strict";
const HSRoom = (function () {
  const t = HS.t, el = HS.el;
  let ed = null, cfg = null, mine = null, shownReference = false, cardTimer = null;

  // The team key the server gave this team's first submission, kept in this browser (per
  // room, by the name as the team typed it, NFKC- and case-folded) and sent with every later
  // plan: without it the name is taken. The last team's key is sent when the name is typed
  // differently; the server decides whether it is the same team.
  function norm(name) { return name.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim(); }
  let store = null, pageKeys = {};
  function keys() {
    try { return JSON.parse(localStorage.getItem(store) || "{}") || pageKeys; } catch (e) { return pageKeys; }
  }
  function keep(team, answer) {
    const all = keys();
    all[norm(team)] = answer.key; all[norm(answer.team)] = answer.key;
    all[":last"] = { team: answer.team, slug: answer.slug, key: answer.key };
    pageKeys = all;
    try { localStorage.setItem(store, JSON.stringify(all)); } catch (e) { /* private mode: this page only */ }
  }
  function keyFor(team) {
    const all = keys();
    return all[norm(team)] || (all[":last"] && all[":last"].key) || null;
  }

  function init(editor) {
    ed = editor; cfg = editor.cfg;
    store = "hallsim-team-keys:" + cfg.room;
    const last = keys()[":last"];
    const box = document.getElementById("team");
    if (last) { mine = last; if (!box.value) box.value = last.team; }
    document.getElementById("submit-plan").addEventListener("click", submit);
    HS.follow(cfg.room, follow);
    if (mine) card();
  }

  function follow(board) {
    const s = document.getElementById("room-state"), button = document.getElementById("submit-plan");
    s.textContent = (board.open ? t("Submissions are open") : t("Submissions are closed")) +
      (board.revealed ? " · " + t("revealed") : "");
    s.className = "pill " + (board.open ? "ok" : "bad");
    button.disabled = !board.open;
    if (board.revealed) reveal(board);
    if (mine) { clearTimeout(cardTimer); cardTimer = setTimeout(card, 100); }
  }

  // This team's debrief (复盘), built on the server after reveal; asked for again when the
  // plans on the board change.
  let debriefFor = null;
  async function debrief(board) {
    const plans = JSON.stringify(board.teams);
    if (!mine || debriefFor === plans) return;
    debriefFor = plans;
    const url = "/api/rooms/" + cfg.room + "/debrief/" + encodeURIComponent(mine.slug);
    for (;;) {
      const r = await HS.api("GET", url);
      if (debriefFor !== plans) return;
      if (r.status === 200 && r.data.html) {
        const box = document.getElementById("debrief");
        box.innerHTML = r.data.html;            // the server's page, every name escaped there
        box.querySelectorAll("table").forEach(function (t) { t.tabIndex = 0; });  // scrolls
        box.hidden = false;
        return;
      }
      if (r.status !== 202) return;
      await new Promise(function (ok) { setTimeout(ok, 500); });
    }
  }

  function reveal(board) {
    document.getElementById("revealed").hidden = false;
    debrief(board);
    HSBoard.draw(document.getElementById("room-board"), board);
    const own = mine && document.querySelector('#room-board tr[data-team="' + CSS.escape(mine.team) + '"]');
    if (own) own.classList.add("mine");
    if (shownReference) return;
    shownReference = true;
    HS.api("GET", "/api/rooms/" + cfg.room + "/reference").then(function (r) {
      if (!r.ok || !r.data.yaml) { shownReference = false; return; }
      document.getElementById("reference-chart").replaceChildren(HSBoard.shiftChart(r.data.shifts, ed.hall.hours));
      document.getElementById("reference-levers").textContent = r.data.levers.length
        ? t("Levers") + ": " + r.data.levers.join(" · ") : "";
    });
  }

  async function submit() {
    const team = document.getElementById("team").value.trim();
    if (!team) { ed.status(t("Enter a team name first"), "bad"); return; }
    ed.plan.team = team;
    const body = { team: team, data: ed.plan }, key = keyFor(team);
    if (key) body.key = key;
    const r = await HS.api("POST", "/api/rooms/" + cfg.room + "/plans", body);
    if (r.status !== 202) {
      ed.status(t("Problems"), "bad");
      ed.showProblems((r.data && r.data.errors) || [{ message: (r.data && r.data.detail) || "HTTP " + r.status }], []);
      return;
    }
    keep(team, r.data);
    mine = { team: r.data.team, slug: r.data.slug, key: r.data.key };
    ed.status(t("Submitted: scoring…"));
    for (;;) {
      const c = await card();
      if (c && (c.status === "done" || c.status === "failed")) return;
      await new Promise(function (ok) { setTimeout(ok, 400); });
    }
  }

  // This team's own scorecard (its key shows it while the room hides scores).
  async function card() {
    const c = await HS.api("GET", "/api/rooms/" + cfg.room + "/plans/" + encodeURIComponent(mine.slug),
      undefined, { "X-Team-Key": mine.key });
    if (c.ok && (c.data.status === "done" || c.data.status === "failed")) showScorecard(c.data);
    return c.ok ? c.data : null;
  }

  function showScorecard(card) {
    const box = document.getElementById("scorecard");
    box.hidden = false; box.className = "scorecard"; box.replaceChildren();
    if (card.status !== "done") { box.append(el("p", { class: "problems", text: card.error || t("Failed") })); return; }
    ed.status(t("Done"), "ok");
    box.append(el("h2", { text: card.team + (card.rank ? " — " + t("rank") + " " + card.rank : "") }));
    box.append(el("p", { id: "card-score", text: t("score") + ": " + card.score.toFixed(2) + " · " +
      (card.valid ? t("within the rules") : t("breaks the rules")) + " · " + t("Lower score is better.") }));
    card.violations.forEach(function (v) { box.append(el("p", { class: "problems", text: "⚠ " + v })); });
    const table = el("table", { class: "headline" });
    ed.HEADLINE.forEach(function (name) {
      table.append(el("tr", {}, [el("th", { scope: "row", text: t(HS.LABELS[name]) }),
        el("td", { class: "value", text: HS.fmt(name, card.metrics[name].mean) })]));
    });
    box.append(table);
    if (card.levers && card.levers.length) {
      box.append(el("p", { text: t("Levers") + ": " + card.levers.map(function (l) {
        return l.lever + " " + JSON.stringify(l.choice) + " (" + l.cost_hours + " h)"; }).join(" · ") }));
    }
    const w = card.worst_interval;
    if (w && w.start) box.append(el("p", { text: t("worst interval") + ": " + w.start + "–" + w.end + " · " +
      HS.fmt("mean_wait_min", w.mean_wait_min) + " · " + w.why }));
  }

  return { init: init };
})();
