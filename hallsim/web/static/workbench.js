/* The planner's workbench on the scenario page, beside the shift editor (editor.js):
   save keeping the file's comments, save as a new scenario, earlier versions to restore,
   a prompt before leaving with unsaved changes, and results marked out of date after an edit. */
"use strict";
(function () {
  const t = HS.t, el = HS.el, E = HSEditor, name = E.config.name;
  let dirty = false;

  function setDirty(value) {
    dirty = value;
    document.getElementById("dirty").hidden = !value;
  }
  document.addEventListener("hallsim:changed", function () {
    setDirty(true);
    const results = document.getElementById("results");
    if (!results.hidden) { results.classList.add("stale"); document.getElementById("stale").hidden = false; }
  });
  document.addEventListener("hallsim:results", function (event) {
    // A run of a plan edited while it ran stays out of date.
    document.getElementById("results").classList.toggle("stale", !!event.detail.outdated);
    document.getElementById("stale").hidden = !event.detail.outdated;
    const base = "/api/runs/" + event.detail.id + "/";
    const lang = HS.params.get("lang") ? "?lang=" + encodeURIComponent(HS.params.get("lang")) : "";
    [["export-xlsx", "results.xlsx"], ["export-intervals", "intervals.csv"], ["export-summary", "summary.csv"]]
      .forEach(function ([id, file]) { document.getElementById(id).href = HS.withToken(base + file + lang); });
    document.getElementById("exports").hidden = false;
  });
  // The printable plan is the one on screen, unsaved edits included: it travels in the #fragment.
  document.getElementById("print-plan").addEventListener("click", function () {
    const d = E.data();
    this.href = HS.pageLink("/scenarios/" + encodeURIComponent(name) + "/print") + "#" +
      encodeURIComponent(JSON.stringify({ name: d.name, hours: d.hours, shifts: d.shifts }));
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });

  function failed(r) {
    E.status(t("Problems"), "bad");
    E.problems((r.data && r.data.errors) || [{ message: (r.data && r.data.detail) || "HTTP " + r.status }], []);
  }

  async function save() {
    const r = await HS.api("PUT", "/api/scenarios/" + encodeURIComponent(name), { data: E.data() });
    if (!r.ok) { failed(r); return; }
    setDirty(false);
    E.status(t("Saved"), "ok");
    versions();
  }

  async function saveAs() {
    const wanted = window.prompt(t("Save as: a name for the new scenario"), name + "-2");
    if (!wanted || !wanted.trim()) return;
    const url = "/api/scenarios/" + encodeURIComponent(wanted.trim());
    // The copy is named as the planner typed it (its report and printed grid say so), the
    // only line that changes besides the edits.
    const data = Object.assign({}, E.data(), { name: wanted.trim() });
    let r = await HS.api("PUT", url, { data: data, base: name, create: true });
    if (r.status === 409) {
      if (!window.confirm(t("A scenario of that name exists. Replace it? (Its current version is kept.)"))) return;
      r = await HS.api("PUT", url, { data: data, base: name });
    }
    if (!r.ok) { failed(r); return; }
    setDirty(false);
    location.href = HS.pageLink("/scenarios/" + encodeURIComponent(r.data.name));
  }

  function when(iso) {
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString(document.documentElement.lang);
  }

  async function versions() {
    const list = document.getElementById("version-list");
    const r = await HS.api("GET", "/api/scenarios/" + encodeURIComponent(name) + "/versions");
    if (!r.ok) return;
    list.replaceChildren();
    if (!r.data.versions.length) list.append(el("li", { class: "sub", text: t("No earlier versions yet.") }));
    r.data.versions.forEach(function (v) {
      list.append(el("li", { "data-version": v.id }, [
        el("span", { text: when(v.saved_at) + " · " + v.title }),
        el("a", { href: HS.withToken("/api/scenarios/" + encodeURIComponent(name) + "/versions/" + v.id),
          target: "_blank", rel: "noopener", text: " YAML" }),
        el("button", { type: "button", class: "restore", text: t("Restore"), onclick: function () {
          restore(v.id);
        } })]));
    });
    document.dispatchEvent(new CustomEvent("hallsim:versions", { detail: r.data.versions }));
  }

  async function restore(id) {
    const ask = dirty ? t("Restore this version? Your unsaved changes will be lost.")
      : t("Restore this version? The current version is kept in the list.");
    if (!window.confirm(ask)) return;
    const r = await HS.api("POST", "/api/scenarios/" + encodeURIComponent(name) + "/versions/" + id + "/restore");
    if (!r.ok) { failed(r); return; }
    setDirty(false);
    location.reload();
  }

  document.getElementById("save").addEventListener("click", save);
  document.getElementById("save-as").addEventListener("click", saveAs);
  window.HSBench = { versions: versions, isDirty: function () { return dirty; } };
  versions();
})();
