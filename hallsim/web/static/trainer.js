/* The trainer's screen: the team link, the live leaderboard (server-sent events), closing
   submissions and revealing the reference plan. The trainer token travels in the URL's
   fragment (#...), which browsers never send to the server. */
"use strict";
(function () {
  const t = HS.t, el = HS.el;
  const cfg = JSON.parse(document.getElementById("room-config").textContent);
  const trainerToken = decodeURIComponent(location.hash.slice(1));
  let open = cfg.open;
  const teamUrl = location.origin + HS.pageLink("/rooms/" + cfg.room);
  const link = document.getElementById("team-link");
  link.href = teamUrl; link.textContent = teamUrl;
  document.getElementById("trainer-token").textContent = trainerToken || "?";
  const COLS = ["mean_wait_min", "p90_wait_min", "abandon_rate", "detractor_rate", "staff_hours"];

  function draw(board) {
    open = board.open;
    document.getElementById("toggle-open").textContent = open ? t("Close submissions") : t("Open submissions");
    const state = document.getElementById("room-state");
    state.textContent = open ? t("Submissions are open") : t("Submissions are closed");
    state.className = "pill " + (open ? "ok" : "bad");
    const table = document.getElementById("leaderboard");
    table.replaceChildren();
    const head = [t("rank"), t("team"), t("score")].concat(COLS.map(function (c) { return t(HS.LABELS[c]); }))
      .concat(board.revealed ? [t("vs reference")] : []).concat([""]);
    table.append(el("tr", {}, head.map(function (h) { return el("th", { text: h }); })));
    board.plans.forEach(function (p) {
      const cells = [String(p.rank), p.team, p.score.toFixed(2)]
        .concat(COLS.map(function (c) { return HS.fmt(c, p.metrics[c].mean); }))
        .concat(board.revealed ? [p.vs_reference === null ? "" : (p.vs_reference >= 0 ? "+" : "") + p.vs_reference.toFixed(2)] : [])
        .concat([p.reference ? t("reference plan") : (p.valid ? "" : "⚠ " + p.violations.length + " " + t("breaks the rules"))]);
      const tr = el("tr", { class: (p.valid ? "" : "invalid ") + (p.reference ? "reference" : ""), "data-team": p.team },
        cells.map(function (c) { return el("td", { text: c }); }));
      if (p.violations.length) tr.title = p.violations.join("\n");
      table.append(tr);
    });
    document.getElementById("pending").textContent = board.pending.length
      ? t("pending") + ": " + board.pending.map(function (p) { return p.team + " (" + p.status + ")"; }).join(", ") : "";
    if (board.revealed) showReference();
  }

  let shown = false;
  async function showReference() {
    if (shown) return;
    shown = true;
    const r = await HS.api("GET", "/api/rooms/" + cfg.room + "/reference", undefined, { "X-Trainer-Token": trainerToken });
    const pre = document.getElementById("reference-plan");
    if (r.ok && r.data.yaml) { pre.textContent = r.data.yaml; pre.hidden = false; }
  }

  async function act(what) {
    const r = await HS.api("POST", "/api/rooms/" + cfg.room + "/" + what, undefined, { "X-Trainer-Token": trainerToken });
    if (!r.ok) alert((r.data && r.data.detail) || ("HTTP " + r.status));
  }
  document.getElementById("toggle-open").addEventListener("click", function () { act(open ? "close" : "open"); });
  document.getElementById("reveal").addEventListener("click", function () { act("reveal"); });
  // A room is kept (across restarts) until its trainer deletes it or it expires.
  const del = document.getElementById("delete-room");
  del.addEventListener("click", async function () {
    if (!confirm(del.dataset.confirm)) return;
    const r = await HS.api("DELETE", "/api/rooms/" + cfg.room, undefined, { "X-Trainer-Token": trainerToken });
    if (!r.ok) { alert((r.data && r.data.detail) || ("HTTP " + r.status)); return; }
    source.close();
    location.href = HS.pageLink("/");
  });

  const live = document.getElementById("live");
  const source = new EventSource(HS.withToken("/api/rooms/" + cfg.room + "/events"));
  source.addEventListener("leaderboard", function (event) {
    live.textContent = "● " + t("live"); live.className = "pill ok";
    draw(JSON.parse(event.data));
  });
  source.onerror = function () { live.textContent = "○ " + t("reconnecting"); live.className = "pill busy"; };
})();
