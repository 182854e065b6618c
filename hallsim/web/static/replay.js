/* Replay of one simulated day: the hall from above, customers as dots walking between places,
   driven by the day's records (each customer's queue and service times, the staff at work
   and on a break), with a strip of the counter queue through the day under the scrubber. */
"use strict";
(function () {
  const R = ReplayHall, C = R.COLORS;
  const cfg = JSON.parse(document.getElementById("replay-config").textContent);
  function t(key) { return cfg.text[key] || HS.t(key); }
  function fill(key, values) {
    return t(key).replace(/\{(\w+)\}/g, function (all, k) { return k in values ? values[k] : all; });
  }
  const canvas = document.getElementById("hall"), ctx = canvas.getContext("2d");
  const strip = document.getElementById("strip"), sctx = strip.getContext("2d");
  const scrub = document.getElementById("scrub"), speed = document.getElementById("speed");
  const playButton = document.getElementById("play");
  const NONE = 0, TQ = 1, GREETER = 2, KQ = 3, KIOSK = 4, CQ = 5, WINDOW = 6, LEAVING = 7, GONE = 8, DOOR = 9;
  const WALK_SECONDS = 0.5;    // a walk between places takes half a second on screen
  let day = null, c = null, n = 0, now = 0, playing = false, last = null, stripImage = null;
  let lastStage, px, py, fromX, fromY, rank, stageNow;
  const stats = { frames: 0, drawMs: 0, maxDrawMs: 0, walking: 0, windows: [], atWork: 0, away: 0, busy: 0 };

  async function load() {
    const [r, run] = await Promise.all([HS.api("GET", "/api/runs/" + cfg.job + "/replay"),
      HS.api("GET", "/api/runs/" + cfg.job)]);
    if (!r.ok) { document.getElementById("counts").textContent = (r.data && r.data.detail) || "HTTP " + r.status; return; }
    day = r.data; c = day.customers; n = c.arrival.length;
    // a run replayed from before the staff and queue were recorded: windows by customers alone
    day.at_work = day.at_work || {}; day.on_break = day.on_break || {};
    day.queue = day.queue || { times: [], counts: [] }; day.metrics = day.metrics || {};
    lastStage = new Int8Array(n).fill(-1); stageNow = new Int8Array(n); rank = new Int32Array(n);
    px = new Float32Array(n); py = new Float32Array(n); fromX = new Float32Array(n); fromY = new Float32Array(n);
    scrub.max = String(Math.ceil(day.end));
    if (run.ok && run.data.summary) whichDay(run.data.summary);
    drawStrip();
    draw(false, 0);
  }

  // The day's number, and its own numbers beside the run's means (labelled as such).
  function whichDay(summary) {
    const days = summary.replications, k = day.replication + 1;
    document.getElementById("which-day").textContent =
      fill("Day {n} of {days} simulated days (seed {seed}).", { n: k, days: days, seed: day.seed });
    const table = document.getElementById("day-numbers");
    table.querySelector("th.this").textContent = fill("day {n}", { n: k });
    table.querySelector("th.mean").textContent = fill("mean of {days} days", { days: days });
    const body = table.querySelector("tbody");
    Object.keys(day.metrics).forEach(function (m) {
      const mean = summary.metrics[m] ? summary.metrics[m].mean : null;
      const whole = m === "customers" || m === "abandoned";
      const show = function (v) { return whole ? (v === null ? "–" : v.toFixed(v === Math.round(v) ? 0 : 1)) : HS.fmt(m, v); };
      body.append(HS.el("tr", {}, [HS.el("td", { text: t(HS.LABELS[m] || m) }),
        HS.el("td", { text: show(day.metrics[m]) }), HS.el("td", { text: show(mean) })]));
    });
    table.hidden = false;
  }

  function unserved(i) { const o = day.outcomes[c.outcome[i]]; return o === "abandoned" || o === "turned_away"; }
  function on(v, a, b) { return v !== null && a !== null && v >= a && (b === null || v < b); }
  function level(series, m) {        // a step series' value at m (the last change at or before m)
    if (!series) return 0;
    const ts = series.times;
    let lo = 0, hi = ts.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (ts[mid] <= m) lo = mid + 1; else hi = mid; }
    return lo ? Math.max(0, series.counts[lo - 1]) : 0;
  }
  function walkMinutes() { return Math.min(4, Math.max(0.3, WALK_SECONDS * Number(speed.value))); }

  function stageOf(i, m, walk) {
    if (c.arrival[i] > m) return NONE;
    const dep = c.departure[i];
    if (dep !== null && dep <= m) return m - dep < walk ? LEAVING : GONE;
    if (on(m, c.counter_start[i], c.counter_end[i])) return WINDOW;
    if (on(m, c.kiosk_start[i], c.kiosk_end[i])) return KIOSK;
    if (on(m, c.counter_queue[i], c.counter_start[i])) return CQ;
    if (on(m, c.kiosk_queue[i], c.kiosk_start[i])) return KQ;
    if (on(m, c.triage_start[i], c.triage_end[i])) return GREETER;
    if (on(m, c.triage_queue[i], c.triage_start[i])) return TQ;
    return DOOR;
  }
  function startOf(i, s) {
    return [null, c.triage_queue[i], c.triage_start[i], c.kiosk_queue[i], c.kiosk_start[i],
      c.counter_queue[i], c.counter_start[i], c.departure[i], null, c.arrival[i]][s];
  }
  function endOf(i, s) {
    const end = [null, c.triage_start[i], c.triage_end[i], c.kiosk_start[i], c.kiosk_end[i],
      c.counter_start[i], c.counter_end[i], null, null, null][s];
    return end === null && (s === CQ || s === KQ || s === TQ) ? c.departure[i] : end;
  }
  function place(i, s, k) {          // where stage s puts customer i (k: their place in a queue)
    switch (s) {
      case TQ: return R.triageSlot(k);
      case GREETER: return R.greeterSpot(c.greeter[i] || 0);
      case KQ: return R.kioskSlot(k);
      case KIOSK: return R.kioskSpot((c.kiosk[i] || 0) % Math.max(day.kiosks, 1), day.kiosks);
      case CQ: return R.seat(k);
      case WINDOW: return R.windowSpot(c.window[i], day.windows);
      case LEAVING: return R.EXIT;
      default: return R.ENTRANCE;
    }
  }

  // Which windows have staff at them: the busy ones (the model's own windows), then the rest
  // of the counter staff at work at free windows, then those on a break; the others closed.
  function windowStates(busy, atWork, away) {
    const states = new Array(day.windows).fill("closed"), free = [];
    const groups = day.groups.length ? day.groups : [{ windows: day.windows }];
    let first = 0;
    const lists = groups.map(function (g) {
      const mine = [];
      for (let k = first; k < first + g.windows; k++) if (busy[k]) states[k] = "serving"; else mine.push(k);
      first += g.windows; return mine;
    });
    for (let r = 0; lists.some(function (l) { return r < l.length; }); r++) {   // group by group in turn
      lists.forEach(function (l) { if (r < l.length) free.push(l[r]); });
    }
    let idle = Math.max(0, atWork - busy.count), resting = away, k = 0;
    for (; k < free.length && idle > 0; k++, idle--) states[free[k]] = "free";
    for (; k < free.length && resting > 0; k++, resting--) states[free[k]] = "away";
    return states;
  }

  function draw(continuous, dt) {
    const t0 = performance.now();
    R.floor(ctx, { door: t("entrance"), exit: t("exit") });
    if (!day) return;
    const m = now, walk = walkMinutes();
    const queues = { 1: [], 3: [], 5: [] };
    let inside = 0, served = 0, abandoned = 0, walking = 0;
    const busy = { count: 0 };
    for (let i = 0; i < n && c.arrival[i] <= m; i++) {
      const s = stageOf(i, m, walk);
      stageNow[i] = s;
      if (s === GONE || s === LEAVING) {
        if (unserved(i)) abandoned++; else served++;
      } else inside++;
      if (s === TQ) queues[TQ].push([c.triage_queue[i], i]);
      else if (s === KQ) queues[KQ].push([c.kiosk_queue[i], i]);
      else if (s === CQ) queues[CQ].push([c.counter_queue[i], i]);
      else if (s === WINDOW && !busy[c.window[i]]) { busy[c.window[i]] = true; busy.count++; }
    }
    [TQ, KQ, CQ].forEach(function (q) {
      queues[q].sort(function (a, b) { return a[0] - b[0]; }).forEach(function (e, k) { rank[e[1]] = k; });
    });
    // the staff and their places
    const atWork = level(day.at_work.counter, m), away = level(day.on_break.counter, m);
    const greeters = level(day.at_work.triage, m), floorStaff = level(day.at_work.preprocess, m);
    R.box(ctx, 170, 98, 112, 14, greeters ? C.desk : C.closed);
    for (let k = 0; k < Math.min(greeters, 4); k++) R.person(ctx, 180 + 26 * k, 88, C.floor);
    R.label(ctx, t("greeter") + " ×" + greeters, 170, 72);
    for (let k = 0; k < day.kiosks; k++) { const p = R.kioskSpot(k, day.kiosks); R.box(ctx, p.x - 12, p.y - 32, 24, 20, C.kiosk); }
    if (day.kiosks) R.label(ctx, t("kiosks") + " ×" + day.kiosks, 340, 30);
    for (let k = 0; k < floorStaff; k++) R.person(ctx, 330 + 20 * k, H() - 40, C.floor);
    R.label(ctx, t("floor staff") + " ×" + floorStaff, 330, H() - 16);
    const states = windowStates(busy, atWork, away);
    states.forEach(function (st, k) { R.counterWindow(ctx, k, day.windows, st); });
    R.groups(ctx, day.groups, day.windows);
    R.label(ctx, t("waiting") + ": " + queues[CQ].length, 330, 174);
    // the customers, each at their place or walking to it
    for (let i = 0; i < n && c.arrival[i] <= m; i++) {
      const s = stageNow[i];
      if (s === GONE) { lastStage[i] = -1; continue; }
      const target = place(i, s, rank[i]), start = startOf(i, s);
      if (lastStage[i] !== s) {
        if (continuous && lastStage[i] > 0) { fromX[i] = px[i]; fromY[i] = py[i]; }
        else {
          const before = start === null ? NONE : stageOf(i, start - 1e-6, walk);
          const p = before === NONE || before === GONE ? R.ENTRANCE : place(i, before, 0);
          fromX[i] = p.x; fromY[i] = p.y;
        }
        lastStage[i] = s;
      }
      const end = endOf(i, s);
      const span = s === LEAVING || end === null ? walk : Math.min(walk, end - start);
      let pos = target, moving = false;
      if (start !== null && span > 0 && m - start < span) {
        pos = R.along(R.route({ x: fromX[i], y: fromY[i] }, target), (m - start) / span);
        moving = true; walking++;
      } else if (continuous) {                // a queue moving up: a short step, not a jump
        const f = Math.min(1, dt * 10);
        pos = { x: px[i] + (target.x - px[i]) * f, y: py[i] + (target.y - py[i]) * f };
      }
      px[i] = pos.x; py[i] = pos.y;
      const gaveUp = unserved(i);
      let color = C.wait;
      if (s === LEAVING) color = gaveUp ? C.gone : C.walk;
      else if (moving || s === DOOR) color = C.walk;
      else if (s === GREETER || s === KIOSK || s === WINDOW) color = C.served;
      const ring = s === CQ && !moving && on(m, c.pre_start[i], c.pre_end[i]) ? C.pre : null;
      R.dot(ctx, pos, color, ring);
    }
    document.getElementById("clock").textContent = HS.clock(day.open + m);
    document.getElementById("counts").textContent = t("in the hall") + " " + inside + " · " + t("served") + " " +
      served + " · " + t("abandoned") + " " + abandoned;
    document.getElementById("staff").textContent = fill(
      "counter staff at work {at_work} · on a break {away} · windows in use {busy} of {windows}",
      { at_work: atWork, away: away, busy: busy.count, windows: day.windows });
    drawPlayhead();
    const ms = performance.now() - t0;
    Object.assign(stats, { frames: stats.frames + 1, drawMs: stats.drawMs + ms, maxDrawMs: Math.max(stats.maxDrawMs, ms),
      walking: walking, windows: states, atWork: atWork, away: away, busy: busy.count });
  }
  function H() { return R.H; }

  // The strip under the scrubber: the counter queue and the counter staff at work, the day long.
  function drawStrip() {
    const w = strip.width, h = strip.height, span = Number(scrub.max) || 1;
    const q = day.queue, staff = day.at_work.counter || { times: [], counts: [] };
    const top = Math.max(1, Math.max.apply(null, q.counts.concat(staff.counts, [1])));
    const y = function (v) { return h - 16 - (h - 24) * v / top; }, x = function (m) { return w * m / span; };
    sctx.fillStyle = "#fff"; sctx.fillRect(0, 0, w, h);
    sctx.fillStyle = "#e0b30b"; sctx.beginPath(); sctx.moveTo(0, y(0));
    let v = 0;
    q.times.forEach(function (tm, k) { sctx.lineTo(x(tm), y(v)); v = q.counts[k]; sctx.lineTo(x(tm), y(v)); });
    sctx.lineTo(w, y(v)); sctx.lineTo(w, y(0)); sctx.closePath(); sctx.fill();
    sctx.strokeStyle = C.serving; sctx.lineWidth = 2; sctx.beginPath(); v = 0; sctx.moveTo(0, y(0));
    staff.times.forEach(function (tm, k) { sctx.lineTo(x(tm), y(v)); v = staff.counts[k]; sctx.lineTo(x(tm), y(v)); });
    sctx.lineTo(w, y(v)); sctx.stroke();
    sctx.fillStyle = "#444"; sctx.font = "11px system-ui, sans-serif";
    for (let hr = Math.ceil(day.open / 60) * 60; hr - day.open <= span; hr += 60) {
      sctx.fillText(HS.clock(hr), Math.min(Math.max(x(hr - day.open) - 14, 0), w - 30), h - 3);
    }
    sctx.fillText(String(top), 2, 10);   // the scale: the highest value drawn
    stripImage = sctx.getImageData(0, 0, w, h);
    strip.setAttribute("aria-label", fill("Counter queue through the day (at most {max}) and counter staff at work",
      { max: Math.max.apply(null, q.counts.concat([0])) }));
  }
  function drawPlayhead() {
    if (!stripImage) return;
    sctx.putImageData(stripImage, 0, 0);
    const x = strip.width * now / (Number(scrub.max) || 1);
    sctx.strokeStyle = "#111"; sctx.lineWidth = 2; sctx.beginPath(); sctx.moveTo(x, 0); sctx.lineTo(x, strip.height); sctx.stroke();
  }

  function seek(m) { now = Math.min(Math.max(0, m), day.end); scrub.value = String(now); lastStage.fill(-1); draw(false, 0); }
  function frame(stamp) {
    if (!playing) { last = null; return; }
    const dt = last === null ? 0 : (stamp - last) / 1000;
    now = Math.min(day.end, now + dt * Number(speed.value));
    last = stamp;
    scrub.value = String(now);
    draw(true, dt);
    if (now >= day.end) { playing = false; playButton.textContent = "▶"; playButton.setAttribute("aria-label", t("Play")); return; }
    requestAnimationFrame(frame);
  }
  playButton.addEventListener("click", function () {
    if (!day) return;
    playing = !playing;
    this.textContent = playing ? "❚❚" : "▶";
    this.setAttribute("aria-label", t(playing ? "Pause" : "Play"));
    if (playing) { if (now >= day.end) seek(0); requestAnimationFrame(frame); }
  });
  scrub.addEventListener("input", function () { seek(Number(scrub.value)); });
  function stripSeek(event) {
    if (!day || (event.type === "pointermove" && !event.buttons)) return;
    const box = strip.getBoundingClientRect();
    seek((event.clientX - box.left) / box.width * Number(scrub.max));
  }
  strip.addEventListener("pointerdown", stripSeek);
  strip.addEventListener("pointermove", stripSeek);
  window.hallsimReplay = { stats: stats, seek: function (m) { seek(m); return stats; },
    position: function (i) { return { x: px[i], y: py[i], stage: lastStage[i] }; } };
  load();
})();
