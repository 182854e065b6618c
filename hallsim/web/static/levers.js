/* The levers a room's challenge opens (kiosks, diverting, pre-processing, streamlining):
   inputs that set the plan's ``levers:`` block; what they cost comes back from the check
   and is added to the budget pill. */
"use strict";
const HSLevers = (function () {
  const t = HS.t, el = HS.el;
  const LEVER_NAMES = { kiosks: "kiosks", divert_online: "divert online", divert_self_service: "divert to kiosks",
    preprocess: "pre-processing", streamline: "streamlining" };

  function init(ed) {
    const box = document.getElementById("lever-inputs"), cfg = ed.cfg, open = cfg.levers_open || {};
    if (!box) return;
    const own = cfg.levers_hall || {};
    function set(name, value) {
      ed.plan.levers = ed.plan.levers || {};
      if (value === null) delete ed.plan.levers[name]; else ed.plan.levers[name] = value;
      if (!Object.keys(ed.plan.levers).length) delete ed.plan.levers;
      ed.changed(false);
    }
    function number(name, attrs, hallText, parse) {
      const input = el("input", Object.assign({ type: "number", class: "lever", "data-lever": name,
        placeholder: String(own[name]) }, attrs));
      input.addEventListener("change", function () {
        set(name, input.value === "" ? null : parse(input.value));
      });
      box.append(el("div", { class: "lever-row" }, [el("label", {}, [t(LEVER_NAMES[name]) + " ", input]),
        el("span", { class: "sub", text: hallText })]));
    }
    if (open.kiosks) number("kiosks", { min: "0", max: String(open.kiosks.places), step: "1" },
      t("hall") + ": " + own.kiosks + " · " + t("places") + ": " + open.kiosks.places + " · " +
      open.kiosks.price_hours + " h", function (v) { return Math.round(Number(v)); });
    ["divert_online", "divert_self_service"].forEach(function (name) {
      if (open[name]) number(name, { min: "0", max: String(open[name].max), step: "0.05" },
        t("hall") + ": " + own[name] + " · max " + open[name].max + " · " +
        open[name].price_hours_per_point + " h / pt", Number);
    });
    if (open.preprocess) {
      const row = el("div", { class: "lever-row" }, [el("span", { text: t(LEVER_NAMES.preprocess) + ": " })]);
      const candidates = (own.preprocess || []).concat(Object.keys(open.preprocess.services || {})
        .filter(function (n) { return (own.preprocess || []).indexOf(n) < 0; }));
      candidates.forEach(function (service) {
        const tick = el("input", { type: "checkbox", value: service, class: "lever-pre" });
        tick.checked = (own.preprocess || []).indexOf(service) >= 0;
        tick.addEventListener("change", function () {
          const chosen = Array.from(document.querySelectorAll(".lever-pre:checked")).map(function (b) { return b.value; });
          const same = chosen.length === own.preprocess.length && chosen.every(function (n) { return own.preprocess.indexOf(n) >= 0; });
          set("preprocess", same ? null : chosen);
        });
        row.append(el("label", {}, [tick, " " + service]));
      });
      row.append(el("span", { class: "sub", text: " " + open.preprocess.price_hours_per_service + " h" }));
      box.append(row);
    }
    if (open.streamline) {
      const row = el("div", { class: "lever-row" }, [el("span", { text: t(LEVER_NAMES.streamline) + " (%): " })]);
      (open.streamline.services || cfg.services).forEach(function (service) {
        const input = el("input", { type: "number", min: "0", max: String(open.streamline.max_percent), step: "1",
          class: "lever-cut", "data-service": service, placeholder: "0" });
        input.addEventListener("change", function () {
          const cuts = {};
          document.querySelectorAll(".lever-cut").forEach(function (i) {
            if (i.value !== "" && Number(i.value) > 0) cuts[i.getAttribute("data-service")] = Number(i.value);
          });
          set("streamline", Object.keys(cuts).length ? cuts : null);
        });
        row.append(el("label", {}, [service + " ", input]));
      });
      row.append(el("span", { class: "sub", text: " max " + open.streamline.max_percent + "% · " +
        open.streamline.price_hours_per_percent + " h / %" }));
      box.append(row);
    }
  }
  return { init: init };
})();
