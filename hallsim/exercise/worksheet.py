"""The training pack's paper side: the numbers a team plans with, and a blank time grid
(A4) to draw its shifts on, count who is on duty and add up the budget."""

from __future__ import annotations

import html
import re

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..i18n import _, display
from ..output.plots import role_name
from ..output.printable import Block, Bullets, Drawing, Heading, PageBreak, Para, Table, text_width
from ..scenario.clock import format_clock
from ..scenario.schema import ScenarioModel
from .challenge import Challenge, expected_arrivals, staff_hours
from .levers import lever_label, offers
from .numbers import mean_counter_minutes, planning_sentences, service_rows, shift_rows, zone_rows
from .pages import hall_sentence, rule_items

SLOT = 30                       # minutes per column of the grid
BLANK_SHIFTS = 12               # empty shift rows on the grid


def plain(fragment: str) -> str:
    """An HTML fragment of the brief as plain text."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def slots(sc: ScenarioModel) -> list[tuple[float, float]]:
    """The grid's columns: half hours from opening to closing."""
    start, close = sc.hours.open, sc.hours.close
    edges = list(range(int(start), int(close), SLOT)) + [close]
    return list(zip(edges, edges[1:], strict=False))


def numbers_page(challenge: Challenge, baseline: str | None) -> list[Block]:
    """Page one: the goal, the hall, the service mix, the rules, the levers, today's plan."""
    ex, sc = challenge.exercise, challenge.scenario
    head, rows = service_rows(sc)
    blocks: list[Block] = [
        Heading(display(ex.title)),
        Para(_("Worksheet · team: ____________________"), bold=True),
        Para(display(ex.goal)),
        Heading(_("The hall"), 2), Para(hall_sentence(challenge)),
        *[Para(z) for z in zone_rows(sc)],
        Heading(_("The numbers to plan with"), 2),
        Table(head, rows, widths=[2.2, 1.2, 1.6, 1.3, 1.3, 2.0]),
        *[Para(text) for text in planning_sentences(sc)],
        Heading(_("The rules"), 2), Bullets([plain(i) for i in rule_items(challenge)]),
    ]
    lever_offers = offers(ex.levers, sc)
    if lever_offers:
        blocks += [Heading(_("Levers you can pull"), 2),
                   Table([_("lever"), _("today and cap"), _("price")],
                         [[_("{label} ({id})").format(label=lever_label(name), id=name), what,
                           price]
                          for name, what, price in lever_offers], widths=[2.0, 3.0, 2.0])]
    head, rows = shift_rows(sc)
    blocks += [Heading(_("Today's plan"), 2),
               Para(_("{hours:g} staff hours.").format(hours=round(staff_hours(sc), 2))
                    + (" " + baseline if baseline else "")),
               Table(head, rows)]
    return blocks


def grid_page(challenge: Challenge) -> list[Block]:
    """Page two (landscape): the blank time grid, the on-duty counts and the budget sum."""
    ex = challenge.exercise
    tally = _("Staff hours ______ + lever hours ______ = ______ (budget {budget:g})").format(
        budget=ex.budget_staff_hours)
    flex = _("Flex: from ____________ to ____________ when its queue reaches ____, back "
             "at ____")
    blocks: list[Block] = [
        PageBreak(landscape=True),
        Heading(_("{title}: shift grid").format(title=display(ex.title)), 2),
        Para(_("One row per shift: write its name, role, staff and times, shade the half "
               "hours it works and mark its breaks with a cross. Then count who is on duty "
               "in each half hour.")),
        Drawing(height=5.2, draw=lambda fig, x, y, w: draw_grid(fig, x, y, w, challenge)),
        Para(tally), Para(flex)]
    if ex.levers.opened():
        blocks.append(Para(_("Levers: ") + "_" * 60))
    return blocks


def worksheet(challenge: Challenge, baseline: str | None = None) -> list[Block]:
    """The worksheet's blocks: the numbers page and the grid page."""
    return numbers_page(challenge, baseline) + grid_page(challenge)


def draw_grid(fig: Figure, left: float, top: float, width: float, challenge: Challenge) -> None:
    """Label columns on the left, one column per half hour: expected customers and the
    windows they need (to fill in), blank shift rows, and the on-duty counts to fill in."""
    sc = challenge.scenario
    zones = bool(sc.counters.groups)
    labels = [(_("shift"), 1.0), (_("role"), 0.75), *([(_("zone"), 0.6)] if zones else []),
              (_("staff"), 0.4), (_("from–to"), 0.8), (_("breaks"), 0.7)]
    label_width = sum(w for _t, w in labels)
    columns = slots(sc)
    cell = (width - label_width) / len(columns)
    minutes = mean_counter_minutes(sc)
    per_hour = [expected_arrivals(sc, a, b) * 60 / (b - a) for a, b in columns]
    rows: list[tuple[str, list[str], bool]] = [
        (_("customers per hour"), [f"{r:.0f}" for r in per_hour], True),
        (_("windows needed (customers × {minutes:.1f} min ÷ 60)").format(minutes=minutes),
         [""] * len(columns), True),
        *[("", [""] * len(columns), False) for _i in range(BLANK_SHIFTS)],
        (_("counter staff on duty"), [""] * len(columns), True),
        (role_name("triage"), [""] * len(columns), True),
        (role_name("preprocess"), [""] * len(columns), True)]
    height, header = 0.28, 0.35
    fw, fh = fig.get_figwidth(), fig.get_figheight()

    def box(x: float, y: float, w: float, h: float, shade: str = "none") -> None:
        fig.patches.append(Rectangle((x / fw, y / fh), w / fw, h / fh, transform=fig.transFigure,
                                     facecolor=shade, edgecolor="#777777", linewidth=0.5))

    def write(x: float, y: float, text: str, size: float, bold: bool = False,
              centre: bool = False) -> None:
        fig.text(x / fw, y / fh, text, fontsize=size, va="center",
                 ha="center" if centre else "left", fontweight="bold" if bold else "normal")

    y = top - header
    x = left
    for text, w in labels:
        box(x, y, w, header, "#e4e4e4")
        write(x + 0.04, y + header / 2, text, 7.5, bold=True)
        x += w
    for i, (start, _end) in enumerate(columns):
        box(left + label_width + i * cell, y, cell, header, "#e4e4e4")
        size = min(6.5, 6.5 * (cell - 0.02) / max(text_width("00:00", 6.5), 1e-9))
        write(left + label_width + (i + 0.5) * cell, y + header / 2, format_clock(start), size,
              centre=True)
    for name, values, spans in rows:
        y -= height
        shade = "#f4f4f4" if spans else "none"
        if spans:
            box(left, y, label_width, height, shade)
            size = 7.5
            while text_width(name, size) > label_width - 0.08 and size > 5:
                size -= 0.5
            write(left + 0.04, y + height / 2, name, size)
        else:
            x = left
            for _text, w in labels:
                box(x, y, w, height)
                x += w
        for i, value in enumerate(values):
            box(left + label_width + i * cell, y, cell, height, shade)
            if value:
                write(left + label_width + (i + 0.5) * cell, y + height / 2, value, 7, centre=True)


__all__ = ["draw_grid", "numbers_page", "slots", "worksheet"]
