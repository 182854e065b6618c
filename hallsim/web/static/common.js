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
      if (r.data.status === "done" || r.data.status === "failed") return r.data;
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
  return { t, api, poll, el, clock, parseClock, fmt, LABELS, withToken, pageLink, token, params };
})();
