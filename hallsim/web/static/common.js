/* Shared by the pages: translated text, the access token, and JSON calls to the API. */
"use strict";
const HS = (function () {
  const params = new URLSearchParams(location.search);
  const token = params.get("token");
  const text = window.HALLSIM_TEXT || {};
  function t(msg) { return text[msg] || msg; }
  function withToken(url) {
    if (!token) return url;
    return url + (url.indexOf("?") < 0 ? "?" : "&") + "token=" + encodeURIComponent(token);
  }
  function pageLink(url) {
    const keep = new URLSearchParams();
    if (token) keep.set("token", token);
    if (params.get("lang")) keep.set("lang", params.get("lang"));
    const q = keep.toString();
    return q ? url + (url.indexOf("?") < 0 ? "?" : "&") + q : url;
  }
  // The link a team opens: the room's page and the access token (if the server has one);
  // never the trainer token, never the trainer's language.
  function teamLink(room) {
    return location.origin + "/rooms/" + room + (token ? "?token=" + encodeURIComponent(token) : "");
  }
  // The trainer token of a room: it arrives in the address's fragment (#..., never sent to
  // the server), is kept in this browser and taken out of the address bar, so that neither a
  // projected screen nor a language switch shows or loses it.
  function trainerToken(room) {
    const store = "hallsim-trainer:" + room;
    let kept = "";
    if (location.hash.length > 1) {
      kept = decodeURIComponent(location.hash.slice(1));
      try { localStorage.setItem(store, kept); } catch (e) { /* private mode: this page only */ }
      history.replaceState(null, "", location.pathname + location.search);
    }
    try { return kept || localStorage.getItem(store) || ""; } catch (e) { return kept; }
  }
  // Live updates from a room's event stream; the handler gets each board as it changes.
  function follow(room, onBoard, onState) {
    const source = new EventSource(withToken("/api/rooms/" + room + "/events"));
    source.addEventListener("leaderboard", function (event) {
      if (onState) onState(true);
      onBoard(JSON.parse(event.data));
    });
    source.onerror = function () { if (onState) onState(false); };
    return source;
  }
  async function api(method, url, body, headers) {
    const opts = { method: method, headers: Object.assign({}, headers || {}) };
    if (token) opts.headers["Authorization"] = "Bearer " + token;
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    const response = await fetch(url, opts);
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    return { status: response.status, ok: response.ok, data: data };
  }
  async function poll(id, onProgress) {
    for (;;) {
      const r = await api("GET", "/api/runs/" + id);
      if (!r.ok) throw new Error((r.data && r.data.detail) || ("HTTP " + r.status));
      onProgress(r.data);
      if (["done", "failed", "cancelled"].indexOf(r.data.status) >= 0) return r.data;
      await new Promise(function (ok) { setTimeout(ok, 250); });
    }
  }
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(function ([k, v]) {
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  function clock(minutes) {
    const m = Math.floor(minutes + 1e-9);
    return String(Math.floor(m / 60)).padStart(2, "0") + ":" + String(m % 60).padStart(2, "0");
  }
  function parseClock(text) {
    const m = /^(\d{1,2}):(\d{2})$/.exec(String(text).trim());
    return m ? 60 * Number(m[1]) + Number(m[2]) : NaN;
  }
  const PERCENT = ["service_level", "abandon_rate", "detractor_rate", "counter_utilisation"];
  function fmt(metric, value) {
    if (value === null || value === undefined) return "–";
    if (PERCENT.indexOf(metric) >= 0) return (100 * value).toFixed(1) + "%";
    if (metric.endsWith("_min")) return value.toFixed(1) + " min";
    if (metric === "staff_hours") return value.toFixed(1) + " h";
    return value.toFixed(1);
  }
  const LABELS = { mean_wait_min: "mean wait", p90_wait_min: "p90 wait", service_level: "service level",
    abandon_rate: "abandon rate", detractor_rate: "detractor rate", staff_hours: "staff hours",
    overtime_min: "overtime", customers: "customers" };
  function format(msg, values) {
    return t(msg).replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  // The language switch keeps the address's fragment (the server never sees it).
  document.addEventListener("click", function (event) {
    const a = event.target.closest && event.target.closest("a.lang");
    if (a && location.hash) a.href = a.href.split("#")[0] + location.hash;
  });
  return { t, format, api, poll, el, clock, parseClock, fmt, LABELS, withToken, pageLink, teamLink,
    trainerToken, follow, token, params };
})();
