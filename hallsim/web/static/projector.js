/* The board for the projector: what everyone in the room may see (no trainer token here),
   live, in large type; the reference plan's shifts once the trainer reveals. */
"use strict";
(function () {
  const t = HS.t;
  const cfg = JSON.parse(document.getElementById("room-config").textContent);
  let shown = false;
  async function reference() {
    shown = true;
    const r = await HS.api("GET", "/api/rooms/" + cfg.room + "/reference");
    if (!r.ok || !r.data.yaml) { shown = false; return; }
    document.getElementById("reference-chart").replaceChildren(HSBoard.shiftChart(r.data.shifts, cfg.hours));
    document.getElementById("reference-levers").textContent = r.data.levers.length
      ? t("Levers") + ": " + r.data.levers.join(" · ") : "";
    document.getElementById("reference").hidden = false;
  }
  const live = document.getElementById("live");
  HS.follow(cfg.room, function (board) {
    const state = document.getElementById("room-state");
    state.textContent = board.revealed ? t("Revealed") : (board.open ? t("Submissions are open") : t("Submissions are closed"));
    state.className = "pill " + (board.open ? "ok" : "bad");
    HSBoard.draw(document.getElementById("leaderboard"), board);
    if (board.revealed && !shown) reference();
  }, function (ok) {
    live.textContent = ok ? "● " + t("live") : "○ " + t("reconnecting");
    live.className = "pill " + (ok ? "ok" : "busy");
  });
})();
