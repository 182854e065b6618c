/* The replay's hall from above: where each place is, the aisles customers walk along between
   places, and the marks the legend explains. Pure layout and drawing; replay.js drives it. */
"use strict";
const ReplayHall = (function () {
  const W = 960, H = 540;
  // The aisles: a loop every place opens onto; a walk goes to the loop, along it the shorter
  // way round, and off it to the next place.
  const LOOP = { x0: 40, y0: 150, x1: 820, y1: 470 };
  const ENTRANCE = { x: 10, y: 150 }, EXIT = { x: 10, y: 470 };
  const COLORS = {
    wait: "#f1c40f", served: "#27ae60", walk: "#95a5a6", gone: "#c0392b", pre: "#2f80ed",
    serving: "#3b6591", free: "#a9c6e3", away: "#f2a33a", closed: "#d6d6d6",
    desk: "#c9b79c", kiosk: "#b5b5b5", floor: "#3d7a35", aisle: "#eef1f4", ink: "#333",
  };

  function triageSlot(k) { return { x: 160 - 11 * (k % 11), y: 150 + 12 * Math.floor(k / 11) }; }
  function greeterSpot(k) { return { x: 180 + 26 * (k % 4), y: 128 }; }
  function kioskSpot(k, n) { return { x: 340 + k * Math.min(70, 420 / Math.max(n, 1)), y: 72 }; }
  function kioskSlot(k) { return { x: 340 + 11 * (k % 30), y: 100 + 12 * Math.floor(k / 30) }; }
  function seat(k) { return { x: 330 + 16 * (k % 24), y: 182 + 16 * Math.floor(k / 24) }; }
  function windowY(k, n) { return n > 1 ? 40 + k * (410 - 40) / (n - 1) : 225; }
  function windowSpot(k, n) { return { x: 866, y: windowY(k, n) }; }

  // Where a point meets the loop (the nearest side), and its distance along the loop.
  function onLoop(p) {
    const L = LOOP, x = Math.min(Math.max(p.x, L.x0), L.x1), y = Math.min(Math.max(p.y, L.y0), L.y1);
    const d = [y - L.y0, L.x1 - x, L.y1 - y, x - L.x0];   // top, right, bottom, left
    const side = d.indexOf(Math.min.apply(null, d));
    const w = L.x1 - L.x0, h = L.y1 - L.y0;
    if (side === 0) return { x: x, y: L.y0, s: x - L.x0 };
    if (side === 1) return { x: L.x1, y: y, s: w + (y - L.y0) };
    if (side === 2) return { x: x, y: L.y1, s: w + h + (L.x1 - x) };
    return { x: L.x0, y: y, s: 2 * w + h + (L.y1 - y) };
  }
  const CORNERS = (function () {
    const L = LOOP, w = L.x1 - L.x0, h = L.y1 - L.y0;
    return [{ x: L.x0, y: L.y0, s: 0 }, { x: L.x1, y: L.y0, s: w }, { x: L.x1, y: L.y1, s: w + h },
      { x: L.x0, y: L.y1, s: 2 * w + h }];
  })();
  const PERIMETER = 2 * (LOOP.x1 - LOOP.x0 + LOOP.y1 - LOOP.y0);

  // The route from a to b: onto the loop, round it the shorter way (corners included), off it.
  function route(a, b) {
    const pa = onLoop(a), pb = onLoop(b);
    let forward = pb.s - pa.s;
    if (forward < 0) forward += PERIMETER;
    const points = [a, pa];
    if (forward <= PERIMETER / 2) {
      CORNERS.map(function (c) { return { c: c, d: (c.s - pa.s + PERIMETER) % PERIMETER }; })
        .filter(function (e) { return e.d > 0 && e.d < forward; })
        .sort(function (u, v) { return u.d - v.d; })
        .forEach(function (e) { points.push(e.c); });
    } else {
      const back = PERIMETER - forward;
      CORNERS.map(function (c) { return { c: c, d: (pa.s - c.s + PERIMETER) % PERIMETER }; })
        .filter(function (e) { return e.d > 0 && e.d < back; })
        .sort(function (u, v) { return u.d - v.d; })
        .forEach(function (e) { points.push(e.c); });
    }
    points.push(pb, b);
    return points;
  }

  // The point a fraction f (0..1) of the way along a route.
  function along(points, f) {
    let total = 0;
    const lengths = [];
    for (let k = 1; k < points.length; k++) {
      const d = Math.hypot(points[k].x - points[k - 1].x, points[k].y - points[k - 1].y);
      lengths.push(d); total += d;
    }
    let left = Math.min(Math.max(f, 0), 1) * total;
    for (let k = 1; k < points.length; k++) {
      const d = lengths[k - 1];
      if (left <= d && d > 0) {
        const u = left / d;
        return { x: points[k - 1].x + u * (points[k].x - points[k - 1].x),
                 y: points[k - 1].y + u * (points[k].y - points[k - 1].y) };
      }
      left -= d;
    }
    return points[points.length - 1];
  }

  // --- drawing --------------------------------------------------------------------------
  function floor(ctx, labels) {
    ctx.fillStyle = "#fbfbf8"; ctx.fillRect(0, 0, W, H);
    ctx.strokeStyle = COLORS.aisle; ctx.lineWidth = 14; ctx.lineJoin = "round";
    ctx.strokeRect(LOOP.x0, LOOP.y0, LOOP.x1 - LOOP.x0, LOOP.y1 - LOOP.y0);
    ctx.beginPath(); ctx.moveTo(ENTRANCE.x, ENTRANCE.y); ctx.lineTo(LOOP.x0, LOOP.y0);
    ctx.moveTo(EXIT.x, EXIT.y); ctx.lineTo(LOOP.x0, LOOP.y1); ctx.stroke();
    ctx.strokeStyle = "#555"; ctx.lineWidth = 3; ctx.strokeRect(8, 8, W - 16, H - 16);
    ctx.clearRect(4, ENTRANCE.y - 20, 10, 40); ctx.clearRect(4, EXIT.y - 20, 10, 40);
    label(ctx, labels.door, 16, ENTRANCE.y - 24);
    label(ctx, labels.exit, 16, EXIT.y + 34);
  }
  function dot(ctx, p, color, ring) {
    ctx.beginPath(); ctx.arc(p.x, p.y, 5, 0, 2 * Math.PI); ctx.fillStyle = color; ctx.fill();
    if (ring) { ctx.lineWidth = 2.5; ctx.strokeStyle = ring; ctx.stroke(); }
  }
  function box(ctx, x, y, w, h, color) { ctx.fillStyle = color; ctx.fillRect(x, y, w, h); }
  function person(ctx, x, y, color) {
    ctx.fillStyle = color; ctx.beginPath(); ctx.arc(x, y, 6, 0, 2 * Math.PI); ctx.fill();
  }
  function cross(ctx, x, y, w, h) {
    ctx.strokeStyle = "#8a8a8a"; ctx.lineWidth = 1.5; ctx.beginPath();
    ctx.moveTo(x + 4, y + 4); ctx.lineTo(x + w - 4, y + h - 4);
    ctx.moveTo(x + w - 4, y + 4); ctx.lineTo(x + 4, y + h - 4); ctx.stroke();
  }
  function label(ctx, text, x, y) {
    ctx.fillStyle = COLORS.ink; ctx.font = "13px system-ui, sans-serif"; ctx.fillText(text, x, y);
  }
  // A counter window in one of its states: "serving", "free", "away" (on a break), "closed".
  function counterWindow(ctx, k, n, state) {
    const y = windowY(k, n), h = Math.max(8, Math.min(28, n > 1 ? (410 - 40) / (n - 1) - 4 : 28));
    const color = { serving: COLORS.serving, free: COLORS.free, away: COLORS.away, closed: COLORS.closed }[state];
    box(ctx, 880, y - h / 2, 26, h, color);
    if (state === "closed") cross(ctx, 880, y - h / 2, 26, h);
    if (state === "serving" || state === "free") person(ctx, 924, y, COLORS.serving);
  }

  // Zones (忙区): each group's name beside its first window, a line between groups.
  function groups(ctx, list, n) {
    let first = 0;
    ctx.textAlign = "right";
    list.forEach(function (g, k) {
      if (k) {
        const y = (windowY(first - 1, n) + windowY(first, n)) / 2;
        ctx.strokeStyle = "#777"; ctx.lineWidth = 1; ctx.setLineDash([4, 3]);
        ctx.beginPath(); ctx.moveTo(736, y); ctx.lineTo(948, y); ctx.stroke(); ctx.setLineDash([]);
      }
      label(ctx, g.name, 806, windowY(first, n) + 4);
      first += g.windows;
    });
    ctx.textAlign = "left";
  }

  return { W, H, groups, COLORS, ENTRANCE, EXIT, triageSlot, greeterSpot, kioskSpot, kioskSlot, seat,
    windowSpot, windowY, route, along, floor, dot, box, person, label, counterWindow };
})();
