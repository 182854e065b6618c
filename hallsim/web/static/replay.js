/* Replay of one simulated day: the hall from above, customers as dots, driven by the day's
   records (each customer's queue and service times). */
"use strict";
(function () {
  const t = HS.t;
  const cfg = JSON.parse(document.getElementById("replay-config").textContent);
  const canvas = document.getElementById("hall"), ctx = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height;
  const COLORS = { wait: "#f1c40f", served: "#27ae60", pre: "#2f80ed", gone: "#c0392b", walk: "#95a5a6" };
  let day = null, now = 0, playing = false, last = null;
  const scrub = document.getElementById("scrub"), speed = document.getElementById("speed");

  async function load() {
    const r = await HS.api("GET", "/api/runs/" + cfg.job + "/replay");
    if (!r.ok) { document.getElementById("counts").textContent = (r.data && r.data.detail) || "HTTP " + r.status; return; }
    day = r.data;
    scrub.max = String(Math.ceil(day.end));
    draw();
  }

  function on(v, a, b) { return v !== null && a !== null && v >= a && (b === null || v < b); }
  function dutyAt(role, m) {
    const d = day.duty[role]; let n = 0;
    for (let k = 0; k < d.times.length; k++) if (d.times[k] <= m) n = d.counts[k];
    return Math.max(0, n);
  }

  // Layout of the hall, in canvas pixels.
  const door = { x: 18, y: H / 2 };
  const greeterAt = function (k) { return { x: 190, y: H / 2 - 40 + 40 * k }; };
  const kioskAt = function (k, n) { return { x: 300 + k * Math.min(70, 380 / Math.max(n, 1)), y: 70 }; };
  const windowAt = function (k, n) { return { x: W - 60, y: 50 + k * (H - 100) / Math.max(n - 1, 1) }; };
  function line(x0, y0, k, dx, perRow, dy) {
    return { x: x0 + dx * (k % perRow), y: y0 + dy * Math.floor(k / perRow) };
  }

  function draw() {
    ctx.clearRect(0, 0, W, H);
    ctx.fillStyle = "#fbfbf8"; ctx.fillRect(0, 0, W, H);
    ctx.strokeStyle = "#555"; ctx.lineWidth = 3; ctx.strokeRect(8, 8, W - 16, H - 16);
    ctx.clearRect(4, door.y - 30, 10, 60);
    label(t("door"), 14, door.y + 46);
    if (!day) return;
    const m = now, n = day.customers.arrival.length, c = day.customers;
    // greeter desk, kiosks, floor staff, windows
    const greeters = dutyAt("triage", m), floor = dutyAt("preprocess", m), staff = dutyAt("counter", m);
    box(160, H / 2 - 60, 30, 120, greeters ? "#f28e2b55" : "#ddd");
    label(t("greeter") + " ×" + greeters, 150, H / 2 + 80);
    for (let k = 0; k < day.kiosks; k++) { const p = kioskAt(k, day.kiosks); box(p.x - 14, p.y - 30, 28, 20, "#bbb"); }
    label(t("kiosks") + " ×" + day.kiosks, 300, 28);
    for (let k = 0; k < floor; k++) person(320 + 22 * k, H - 40, "#59a14f");
    label(t("floor staff") + " ×" + floor, 300, H - 14);
    // the windows in use are the model's own (day.customers.window), zone by zone
    const busyWindow = {};
    for (let i = 0; i < n && c.arrival[i] <= m; i++) {
      if (c.window[i] !== null && on(m, c.counter_start[i], c.counter_end[i])) busyWindow[c.window[i]] = true;
    }
    for (let k = 0; k < day.windows; k++) {
      const p = windowAt(k, day.windows);
      box(p.x + 12, p.y - 14, 26, 28, busyWindow[k] ? "#4e79a7" : "#ddd");
    }
    let firstWindow = 0;
    (day.groups || []).forEach(function (g) {
      const p = windowAt(firstWindow, day.windows);
      label(g.name, p.x - 90, p.y + 4);
      firstWindow += g.windows;
    });
    label(t("counter windows") + " ×" + day.windows + " · " + t("counter staff on duty") + " " + staff, W - 330, H - 14);
    // customers
    const queues = { triage: [], kiosk: [], counter: [] };
    let inside = 0, served = 0, abandoned = 0;
    for (let i = 0; i < n; i++) {
      const dep = c.departure[i];
      if (c.arrival[i] > m) break;
      if (dep !== null && dep <= m) {
        if (day.outcomes[c.outcome[i]] === "abandoned") abandoned++; else served++;
        if (day.outcomes[c.outcome[i]] === "abandoned" && m - dep < 2) dot(door.x + 30, door.y + 20 + (i % 5) * 6, COLORS.gone);
        continue;
      }
      inside++;
      if (on(m, c.counter_start[i], c.counter_end[i])) { const p = windowAt(c.window[i], day.windows); dot(p.x, p.y, COLORS.served); }
      else if (on(m, c.kiosk_start[i], c.kiosk_end[i])) { const p = kioskAt(c.kiosk[i] % Math.max(day.kiosks, 1), day.kiosks); dot(p.x, p.y, COLORS.served); }
      else if (on(m, c.counter_queue[i], c.counter_start[i])) queues.counter.push([c.counter_queue[i], i]);
      else if (on(m, c.kiosk_queue[i], c.kiosk_start[i])) queues.kiosk.push([c.kiosk_queue[i], i]);
      else if (on(m, c.triage_start[i], c.triage_end[i])) { const p = greeterAt(c.greeter[i] % 3); dot(p.x - 20, p.y, COLORS.served); }
      else if (on(m, c.triage_queue[i], c.triage_start[i])) queues.triage.push([c.triage_queue[i], i]);
      else dot(door.x + 20, door.y, COLORS.walk);
    }
    function sorted(q) { return q.sort(function (a, b) { return a[0] - b[0]; }).map(function (e) { return e[1]; }); }
    sorted(queues.triage).forEach(function (i, k) { const p = line(140, H / 2, k, -11, 10, 12); dot(p.x, p.y, COLORS.wait); });
    sorted(queues.kiosk).forEach(function (i, k) { const p = line(300, 110, k, 11, 30, 12); dot(p.x, p.y, COLORS.wait); });
    sorted(queues.counter).forEach(function (i, k) {
      const p = line(300, 170, k, 16, 24, 16);
      const pre = on(m, c.pre_start[i], c.pre_end[i]);
      dot(p.x, p.y, COLORS.wait, pre ? COLORS.pre : null);
    });
    label(t("waiting") + ": " + queues.counter.length, 300, 156);
    document.getElementById("clock").textContent = HS.clock(day.open + m);
    document.getElementById("counts").textContent = t("in the hall") + " " + inside + " · " + t("served") + " " +
      served + " · " + t("abandoned") + " " + abandoned;
  }

  function dot(x, y, color, ring) {
    ctx.beginPath(); ctx.arc(x, y, 5, 0, 2 * Math.PI); ctx.fillStyle = color; ctx.fill();
    if (ring) { ctx.lineWidth = 2; ctx.strokeStyle = ring; ctx.stroke(); }
  }
  function box(x, y, w, h, color) { ctx.fillStyle = color; ctx.fillRect(x, y, w, h); }
  function person(x, y, color) { ctx.fillStyle = color; ctx.beginPath(); ctx.arc(x, y, 7, 0, 2 * Math.PI); ctx.fill(); }
  function label(text, x, y) { ctx.fillStyle = "#333"; ctx.font = "13px system-ui, sans-serif"; ctx.fillText(text, x, y); }

  function frame(stamp) {
    if (!playing) { last = null; return; }
    if (last !== null) now = Math.min(day.end, now + (stamp - last) / 1000 * Number(speed.value));
    last = stamp;
    scrub.value = String(now);
    draw();
    if (now >= day.end) { playing = false; document.getElementById("play").textContent = "▶"; return; }
    requestAnimationFrame(frame);
  }
  document.getElementById("play").addEventListener("click", function () {
    if (!day) return;
    playing = !playing;
    this.textContent = playing ? "❚❚" : "▶";
    if (playing) { if (now >= day.end) now = 0; requestAnimationFrame(frame); }
  });
  scrub.addEventListener("input", function () { now = Number(scrub.value); draw(); });
  load();
})();
