/* Problems shown at the field they are about: the loader's and `hallsim validate`'s field
   paths (shifts[2].breaks[0].at, counters.windows) mapped to the editor's inputs, with the
   message beside the shift and, at the top, the place in words instead of the raw path. */
"use strict";
const HSFields = (function () {
  const t = HS.t, el = HS.el;
  const PATH = /^shifts\[(\d+)\](?:\.breaks\[(\d+)\])?(?:\.([a-z_]+))?/;
  const INPUT = { start: "input.time.start", end: "input.time.end", count: "input.count", name: "input.name", role: "select.role" };

  function parse(field) {
    const m = PATH.exec(field || "");
    return m ? { shift: Number(m[1]), brk: m[2] === undefined ? null : Number(m[2]), key: m[3] || null } : null;
  }

  // "shift 'early' · break 1 · start" for shifts[0].breaks[0].at
  function describe(field, shifts) {
    const p = parse(field);
    if (!p) return field;
    const s = shifts && shifts[p.shift];
    const parts = [t("shift") + " " + (s && s.name ? "'" + s.name + "'" : p.shift + 1)];
    if (p.brk !== null) parts.push(t("break") + " " + (p.brk + 1));
    if (p.key) parts.push(t(p.key === "at" ? "start" : p.key));
    return parts.join(" · ");
  }

  function target(row, p) {
    if (p.brk !== null) {
      const which = p.key === "minutes" ? "input.break-min" : "input.break-at";
      return row.querySelectorAll(which)[p.brk] || null;
    }
    return p.key && INPUT[p.key] ? row.querySelector(INPUT[p.key]) : null;
  }

  function note(row, message, kind) {
    const head = row.querySelector(".g-head");
    if (!head) return;
    head.append(el("div", { class: "field-msg " + kind, role: "note", text: (kind === "warn" ? "⚠ " : "") + message }));
  }

  function flag(node, message, kind) {
    if (!node) return;
    node.classList.add(kind === "warn" ? "field-warn" : "field-bad");
    if (kind !== "warn") node.setAttribute("aria-invalid", "true");
    node.title = message;
  }

  // items: [{field, message, kind: "error"|"warn"}]; shifts: the plan's shifts (for roles)
  function mark(items, shifts) {
    document.querySelectorAll(".field-msg").forEach(function (n) { n.remove(); });
    document.querySelectorAll(".field-bad, .field-warn").forEach(function (n) {
      n.classList.remove("field-bad", "field-warn"); n.removeAttribute("aria-invalid"); n.removeAttribute("title");
    });
    items.forEach(function (item) {
      if (item.field === "counters.windows") {      // too many counter staff: at every counter shift's count
        (shifts || []).forEach(function (s, i) {
          if (s.role !== "counter") return;
          const row = document.querySelector('.g-row[data-index="' + i + '"]');
          if (row) flag(row.querySelector("input.count"), item.message, item.kind);
        });
        return;
      }
      const p = parse(item.field);
      if (!p) return;
      const row = document.querySelector('.g-row[data-index="' + p.shift + '"]');
      if (!row) return;
      row.classList.add(item.kind === "warn" ? "warned" : "bad");
      flag(target(row, p), item.message, item.kind);
      note(row, (p.brk !== null || p.key ? describe(item.field, shifts).split(" · ").slice(1).join(" · ") + t(": ") : "") +
        item.message, item.kind);
    });
  }
  return { describe: describe, mark: mark, parse: parse };
})();
