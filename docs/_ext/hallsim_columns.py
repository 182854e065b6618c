"""``{hallsim-columns}``: the column dictionary (hallsim/results/columns.py) as tables, so
the reference of the customers, intervals and staff tables is the dictionary the tests
check against the tables themselves."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from hallsim.results import columns


def _inline(text: str) -> list[nodes.Node]:
    """Text with `code` spans: the spans become literals."""
    parts = text.split("`")
    return [nodes.literal(text=part) if i % 2 else nodes.Text(part)
            for i, part in enumerate(parts) if part]


def _table(rows: list[tuple[str, str]]) -> nodes.table:
    table = nodes.table()
    group = nodes.tgroup(cols=2)
    table += group
    group += [nodes.colspec(colwidth=1), nodes.colspec(colwidth=3)]
    head = nodes.thead()
    body = nodes.tbody()
    group += [head, body]
    for parent, cells in [(head, [("column", False), ("meaning", False)])] + [
            (body, [(name, True), (text, False)]) for name, text in rows]:
        row = nodes.row()
        for text, code in cells:
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            paragraph += [nodes.literal(text=text)] if code else _inline(text)
            entry += paragraph
            row += entry
        parent += row
    return table


class ColumnsDirective(SphinxDirective):
    """One section per table: every column with its meaning (and the key it needs)."""

    def run(self) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        for table, entries in columns.TABLES.items():
            section = nodes.section(ids=[f"columns-{table}"])
            section += nodes.title(text=table)
            rows = [(name, text + (f" (only with `{columns.ONLY_WITH[name]}`)"
                                                     if name in columns.ONLY_WITH else ""))
                    for name, text in entries.items()]
            section += _table(rows)
            out.append(section)
        return out


def setup(app: Sphinx) -> dict:
    app.add_directive("hallsim-columns", ColumnsDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
