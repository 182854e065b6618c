/* The trainer's screen: the team link, the live leaderboard (server-sent events, then the
   whole board fetched with the trainer token), closing submissions and revealing the
   reference plan. The trainer token is kept in this browser, never shown in the address
   bar (see HS.trainerToken) nor on the projected board. */
"use strict";
(function () {
  const t = HS.t;
  const cfg = JSON.parse(document.getElementById("room-config").textContent);
  const trainerToken = HS.trainerToken(cfg.room);
  const headers = { "X-Trainer-Token": trainerToken };
  let open = cfg.open;
  const teamUrl = HS.teamLink(cfg.room);
  const link = document.getElementById("team-link");
  link.href = teamUrl; link.textContent = teamUrl;
  document.getElementById("board-link").href = HS.pageLink("/rooms/" + cfg.room + "/board");
  document.getElementById("trainer-link").textContent =
    location.origin + HS.pageLink("/rooms/" + cfg.room + "/trainer") + "#" + encodeURIComponent(trainerToken);
  document.getElementById("no-token").hidden = !!trainerToken;

  function draw(board) {
    open = board.open;
    document.getElementById("toggle-open").textContent = open ? t("Close submissions") : t("Open submissions");
    const state = document.getElementById("room-state");
    state.textContent = (open ? t("Submissions are open") : t("Submissions are closed")) +
      (board.revealed ? " · " + t("revealed") : "");
    state.className = "pill " + (open ? "ok" : "bad");
    HSBoard.draw(document.getElementById("leaderboard"), board);
    document.getElementById("pending").textContent = board.pending.length
      ? t("pending") + ": " + board.pending.map(function (p) { return p.team + " (" + t(p.status) + ")"; }).join(", ") : "";
    if (board.revealed) { showReference(); debrief(board); }
  }

  let latest = 0;
  async function update(publicBoard) {
    if (!publicBoard.hidden || !trainerToken) { draw(publicBoard); return; }
    const asked = ++latest;
    const r = await HS.api("GET", "/api/rooms/" + cfg.room + "/leaderboard", undefined, headers);
    if (asked === latest) draw(r.ok ? r.data : publicBoard);
  }

  // Every team's debrief (复盘), built on the server after reveal; asked for again when the
  // plans on the board change.
  let debriefFor = null;
  async function debrief(board) {
    const plans = JSON.stringify(board.teams);
    if (debriefFor === plans) return;
    debriefFor = plans;
    for (;;) {
      const r = await HS.api("GET", "/api/rooms/" + cfg.room + "/debrief", undefined, headers);
      if (debriefFor !== plans) return;
      if (r.status === 200 && r.data.html) {
        const box = document.getElementById("debrief");
        box.innerHTML = r.data.html;            // the server's page, every name escaped there
        box.querySelectorAll("table").forEach(function (t) { t.tabIndex = 0; });  // scrolls
        document.getElementById("debriefs").hidden = false;
        return;
      }
      if (r.status !== 202) return;
      await new Promise(function (ok) { setTimeout(ok, 500); });
    }
  }

  let shown = false;
  async function showReference() {
    if (shown) return;
    shown = true;
    const r = await HS.api("GET", "/api/rooms/" + cfg.room + "/reference", undefined, headers);
    if (!r.ok || !r.data.yaml) return;
    document.getElementById("reference-chart").replaceChildren(HSBoard.shiftChart(r.data.shifts, cfg.hours));
    document.getElementById("reference-levers").textContent = r.data.levers.length
      ? t("Levers") + ": " + r.data.levers.join(" · ") : "";
    document.getElementById("reference-plan").textContent = r.data.yaml;
    document.getElementById("reference").hidden = false;
  }

  async function act(what) {
    const r = await HS.api("POST", "/api/rooms/" + cfg.room + "/" + what, undefined, headers);
    document.getElementById("action-error").textContent = r.ok ? "" : ((r.data && r.data.detail) || ("HTTP " + r.status));
  }
  document.getElementById("toggle-open").addEventListener("click", function () { act(open ? "close" : "open"); });
  document.getElementById("reveal").addEventListener("click", function () { act("reveal"); });
  // A room is kept (across restarts) until its trainer deletes it or it expires.
  const del = document.getElementById("delete-room");
  del.addEventListener("click", async function () {
    if (!confirm(del.dataset.confirm)) return;
    const r = await HS.api("DELETE", "/api/rooms/" + cfg.room, undefined, headers);
    if (!r.ok) { document.getElementById("action-error").textContent = (r.data && r.data.detail) || ("HTTP " + r.status); return; }
    source.close();
    location.href = HS.pageLink("/");
  });

  const live = document.getElementById("live");
  const source = HS.follow(cfg.room, update, function (ok) {
    live.textContent = ok ? "● " + t("live") : "○ " + t("reconnecting");
    live.className = "pill " + (ok ? "ok" : "busy");
  });
})();
