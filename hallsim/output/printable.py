"""Printable documents: a handful of blocks (headings, paragraphs, lists, tables, drawings)
laid out on A4 pages as a PDF (matplotlib's PdfPages), or written as HTML.

One content, two renderings: the facilitator guide is both a page and a PDF. Text wraps
between any two CJK characters and at spaces elsewhere; a closing full-width mark never
starts a line. The PDF's fonts are the CJK fonts the plots use (Traditional forms first for
``zh-Hant``); a character no installed font has is reported in ``Pdf.missing``.
"""

from __future__ import annotations

import html
import io
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import fontManager
from matplotlib.patches import Rectangle

from ..i18n import current
from . import plots
from .htmlpage import header_row

A4 = (8.27, 11.69)               # inches, portrait
MARGIN = 0.6
SIZES = {1: 17.0, 2: 12.5, 3: 10.5}
BODY = 9.5
LEADING = 1.45                   # line height in ems
TRADITIONAL_FONTS = ("Noto Sans CJK TC", "Noto Sans CJK HK", "Noto Sans TC", "Source Han Sans TW",
                     "Microsoft JhengHei", "PingFang TC")
_NO_LINE_START = set("，。、：；！？）》」』】,.;:!?)%")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    text: str
    size: float = BODY
    bold: bool = False


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] | None = None      # relative column widths (default: equal)
    size: float = 8.5


@dataclass(frozen=True)
class Drawing:
    """Something drawn on the page (a blank grid, say): ``draw(fig, left, top, width)`` in
    inches from the page's bottom-left corner; ``height`` inches of the page it takes."""

    height: float
    draw: Callable[[Figure, float, float, float], None]


@dataclass(frozen=True)
class PageBreak:
    landscape: bool = False


Block = Heading | Para | Bullets | Table | Drawing | PageBreak


def text_width(text: str, size: float) -> float:
    """Estimated width in inches: a wide (CJK) character is an em, others 0.6 em."""
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)
    return ems * size / 72


def wrap(text: str, width: float, size: float) -> list[str]:
    """Lines no wider than ``width`` inches: break between CJK characters or at spaces."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _fitting(_tokens(paragraph), width, size):
            if (line and text_width((line + token).rstrip(), size) > width
                    and token[0] not in _NO_LINE_START):
                lines.append(line.rstrip())
                line, token = "", token.lstrip()
            line += token
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    """Words with their trailing space, and each wide character on its own."""
    tokens: list[str] = []
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in "WF"
        if wide or not tokens or tokens[-1].endswith(" ") or _is_wide(tokens[-1]):
            tokens.append(ch)
        else:
            tokens[-1] += ch
    return tokens


def _fitting(tokens: list[str], width: float, size: float) -> list[str]:
    """The tokens, a word wider than the whole line cut where it reaches the edge (a long
    id in a narrow table cell stays inside its cell)."""
    out: list[str] = []
    for token in tokens:
        while text_width(token.rstrip(), size) > width and len(token.rstrip()) > 1:
            cut = 1
            while text_width(token[:cut + 1], size) <= width:
                cut += 1
            out.append(token[:cut])
            token = token[cut:]
        out.append(token)
    return out


def _is_wide(token: str) -> bool:
    return unicodedata.east_asian_width(token[-1]) in "WF"


def fonts() -> list[str]:
    """The CJK families for the current language: Traditional forms first for zh-Hant."""
    found = plots.cjk_fonts()
    if current() == "zh-Hant":
        installed = {f.name for f in fontManager.ttflist}
        found = [f for f in TRADITIONAL_FONTS if f in installed] + found
    return found


@dataclass
class Pdf:
    """The bytes of a PDF and the characters no installed font could draw."""

    data: bytes
    missing: tuple[str, ...] = ()


@dataclass
class _Layout:
    pages: list[Figure] = field(default_factory=list)
    y: float = 0.0

    @property
    def fig(self) -> Figure:
        return self.pages[-1]

    def new_page(self, landscape: bool = False) -> None:
        size = (A4[1], A4[0]) if landscape else A4
        self.pages.append(Figure(figsize=size))
        self.y = size[1] - MARGIN

    @property
    def width(self) -> float:
        return self.fig.get_figwidth() - 2 * MARGIN

    def room(self, height: float) -> None:
        """Start a new page (same orientation) unless ``height`` inches still fit."""
        if self.y - height < MARGIN and self.y < self.fig.get_figheight() - MARGIN - 1e-9:
            self.new_page(self.fig.get_figwidth() > self.fig.get_figheight())

    def text(self, x: float, y: float, text: str, size: float, bold: bool = False) -> None:
        w, h = self.fig.get_figwidth(), self.fig.get_figheight()
        self.fig.text(x / w, y / h, text, fontsize=size, va="top", ha="left",
                      fontweight="bold" if bold else "normal")

    def lines(self, lines: list[str], size: float, indent: float = 0.0,
              bold: bool = False) -> None:
        step = size * LEADING / 72
        for line in lines:
            self.room(step)
            self.text(MARGIN + indent, self.y, line, size, bold)
            self.y -= step


def _start_height(layout: _Layout, block: Block | None) -> float:
    """The height of a block's first piece: a table's header and first row, two lines of
    text, a whole drawing."""
    if isinstance(block, Table):
        weights = list(block.widths or [1.0] * len(block.headers))
        step, pad = block.size * LEADING / 72, 0.05
        return sum(max(len(wrap(str(text), layout.width * w / sum(weights) - 2 * pad, block.size))
                       for text, w in zip(row, weights, strict=True)) * step + 2 * pad
                   for row in [list(block.headers), *map(list, block.rows[:1])])
    if isinstance(block, (Para, Bullets)):
        return 2 * BODY * LEADING / 72
    if isinstance(block, Drawing):
        return block.height
    return 0.0


def _place(layout: _Layout, block: Block, following: Block | None = None) -> None:
    if isinstance(block, PageBreak):
        layout.new_page(block.landscape)
    elif isinstance(block, Heading):
        size = SIZES.get(block.level, BODY)
        # a heading never ends a page: it stays with the start of what follows it
        layout.room(size * LEADING * 3 / 72 + _start_height(layout, following))
        layout.y -= size * 0.5 / 72
        layout.lines(wrap(block.text, layout.width, size), size, bold=True)
        layout.y -= size * 0.2 / 72
    elif isinstance(block, Para):
        layout.lines(wrap(block.text, layout.width, block.size), block.size, bold=block.bold)
        layout.y -= block.size * 0.5 / 72
    elif isinstance(block, Bullets):
        for item in block.items:
            lines = wrap(item, layout.width - 0.2, BODY)
            layout.room(BODY * LEADING / 72)
            layout.text(MARGIN + 0.05, layout.y, "•", BODY)
            layout.lines(lines, BODY, indent=0.2)
        layout.y -= BODY * 0.5 / 72
    elif isinstance(block, Table):
        _table(layout, block)
    else:
        layout.room(block.height)
        block.draw(layout.fig, MARGIN, layout.y, layout.width)
        layout.y -= block.height


def _table(layout: _Layout, table: Table) -> None:
    weights = list(table.widths or [1.0] * len(table.headers))
    widths = [layout.width * w / sum(weights) for w in weights]
    step, pad = table.size * LEADING / 72, 0.05
    for i, row in enumerate([list(table.headers), *map(list, table.rows)]):
        cells = [wrap(str(text), w - 2 * pad, table.size) for text, w in zip(row, widths, strict=True)]
        height = max(len(c) for c in cells) * step + 2 * pad
        layout.room(height)
        fig, top, x = layout.fig, layout.y, MARGIN
        fw, fh = fig.get_figwidth(), fig.get_figheight()
        for lines, w in zip(cells, widths, strict=True):
            fig.patches.append(Rectangle(
                (x / fw, (top - height) / fh), w / fw, height / fh, transform=fig.transFigure,
                facecolor="#eeeeee" if i == 0 else "none", edgecolor="#888888", linewidth=0.5))
            for k, line in enumerate(lines):
                layout.text(x + pad, top - pad - k * step, line, table.size, bold=i == 0)
            x += w
        layout.y -= height
    layout.y -= BODY * 0.6 / 72


def to_pdf(blocks: Sequence[Block], title: str) -> Pdf:
    """The blocks on A4 pages, as PDF bytes (the same blocks give the same bytes)."""
    layout = _Layout()
    layout.new_page(isinstance(blocks[0], PageBreak) and blocks[0].landscape if blocks else False)
    buffer = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context(
            {"font.family": ["sans-serif", *fonts()]}):
        warnings.simplefilter("always")
        for i, block in enumerate(blocks):
            if i == 0 and isinstance(block, PageBreak):
                continue
            _place(layout, block, blocks[i + 1] if i + 1 < len(blocks) else None)
        with PdfPages(buffer, metadata={"Title": title, "Creator": "hallsim",
                                        "CreationDate": None}) as pdf:
            for fig in layout.pages:
                pdf.savefig(fig)
    missing = tuple(sorted({str(w.message) for w in caught if "missing from font" in str(w.message)}))
    for w in caught:
        if "missing from font" not in str(w.message):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return Pdf(buffer.getvalue(), missing)


def to_html(blocks: Sequence[Block]) -> str:
    """The same blocks as HTML (drawings and page breaks are for paper only)."""
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            text = html.escape(block.text).replace("\n", "<br>")
            out.append(f"<p><b>{text}</b></p>" if block.bold else f"<p>{text}</p>")
        elif isinstance(block, Bullets):
            out.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in block.items)
                       + "</ul>")
        elif isinstance(block, Table):
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row)
                           + "</tr>" for row in block.rows)
            out.append(f"<table>{header_row(list(block.headers))}{rows}</table>")
    return "\n".join(out)


__all__ = ["A4", "Block", "Bullets", "Drawing", "Heading", "PageBreak", "Para", "Pdf", "Table",
           "fonts", "to_html", "to_pdf", "wrap"]
