"""What ``hallsim staff WEEK`` writes: roster.csv (person × day), roster.xlsx, a printable
roster.html, roster.json and the week file with the roster filled in."""

from __future__ import annotations

import html
import io
import math
import re

import pandas as pd
import yaml

from ..i18n import _
from ..output.htmlpage import header_row, heading, page, paragraph
from ..output.plots import role_name
from ..output.textsafe import csv_cell, csv_text, dumps
from ..planning.rules import rules_data
from ..scenario.clock import format_clock
from ..staffing.pooled import VERDICTS
from ..week.rules import weekend_days
from ..week.schema import WEEKDAYS, day_name
from .draft import Draft


def _cell(draft: Draft, day: str, name: str) -> str:
    if draft.week.day(day).closed:
        return "closed"
    duty = draft.roster.get(day, {}).get(name)
    return "off" if duty is None else duty.text()


def grid(draft: Draft) -> pd.DataFrame:
    """One row per person: role, each weekday's shift (``09:00-17:30 break 13:00+30``,
    ``off`` or ``closed``), paid hours and weekend days worked."""
    rows = []
    for p in draft.people:
        rows.append({"person": p.name, "role": p.role,
                     **{d: _cell(draft, d, p.name) for d in WEEKDAYS},
                     "hours": round(draft.hours(p.name), 2),
                     "weekend_days": weekend_days(draft.roster, p.name)})
    return pd.DataFrame(rows, columns=["person", "role", *WEEKDAYS, "hours", "weekend_days"])


def _number(value: float | None, digits: int = 4) -> float | None:
    if value is None or not math.isfinite(float(value)):
        return None
    return round(float(value), digits)


def document(draft: Draft) -> dict:
    """roster.json (also ``--json``)."""
    days = []
    for day, result in draft.days.items():
        counter = result.inputs.get("counter")
        intervals = []
        if counter is not None:
            from .problem import scheduled

            on = scheduled(draft.roster[day], counter)
            for k, row in enumerate(result.metric.itertuples(index=False)):
                intervals.append({
                    "start": format_clock(counter.edges[k]), "end": format_clock(counter.edges[k + 1]),
                    "required": _number(counter.need[k], 2), "scheduled": _number(on[k], 2),
                    "verified": {"mean": _number(row.mean), "ci95": _number(row.ci95)},
                    "verdict": str(row.verdict), "meets": bool(row.meets)})
        days.append({"day": day, "staff_hours": _number(sum(
            d.paid_minutes for d in draft.roster[day].values() if d is not None) / 60, 2),
            "verdicts": verdict_counts(result.metric), "intervals": intervals})
    people = [{"name": p.name, "role": p.role, "hours": _number(draft.hours(p.name), 2),
               "weekly_hours": [p.min_hours, p.max_hours],
               "weekend_days": weekend_days(draft.roster, p.name),
               "days": {d: _cell(draft, d, p.name) for d in WEEKDAYS}} for p in draft.people]
    return {"week": draft.week.name, "target": draft.target.document(),
            "targets": [t.document() for t in draft.targets],
            "meets_target": draft.meets_target, "staff_hours": _number(draft.paid_hours, 2),
            "optimal": draft.optimal, "repairs": draft.repairs, "replications": draft.reps,
            "verify_days": draft.verify_days, "seed": draft.seed, "people": people,
            "days": days, "gaps": [g.document() for g in draft.gaps]}


def verdict_counts(metric: pd.DataFrame) -> dict[str, int]:
    """How many intervals of a day are met, close (missed, not significantly) and missed."""
    found = metric["verdict"].astype(str).tolist()
    return {v: found.count(v) for v in VERDICTS}


def _verdict_table(draft: Draft) -> str:
    head = header_row([_("day"), _("met"), _("close"), _("missed")])
    rows = "".join(
        f"<tr><td>{html.escape(day_name(day))}</td>"
        + "".join(f"<td>{n}</td>" for n in verdict_counts(result.metric).values()) + "</tr>"
        for day, result in draft.days.items())
    return f"<table id='verdicts'>{head}{rows}</table>"


def roster_csv(draft: Draft) -> str:
    return csv_text(grid(draft))


def roster_xlsx(draft: Draft) -> bytes:
    """The grid as a spreadsheet: a header row in bold, columns sized, the top row frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    frame = grid(draft)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "roster"
    heads = [_("person"), _("role"), *(day_name(d) for d in WEEKDAYS), _("hours"),
             _("weekend days")]
    sheet.append([csv_cell(h) for h in heads])
    grey = PatternFill("solid", fgColor="DDDDDD")
    for row in frame.to_dict("records"):
        sheet.append([csv_cell(_cell_text(v) if k in WEEKDAYS else role_name(v) if k == "role"
                               else v) if isinstance(v, str) else v for k, v in row.items()])
        for cell, day in zip(sheet[sheet.max_row][2:], WEEKDAYS, strict=False):
            if row[day] in ("off", "closed"):
                cell.fill = grey
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 34)
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_PRINT = """
table.roster{border-collapse:collapse;width:100%;font-size:.85rem}
table.roster th,table.roster td{border:1px solid #999;padding:.3rem .4rem;text-align:center}
table.roster td:first-child{text-align:left;font-weight:600}
td.off{background:#eee;color:#777}td.closed{background:#ccc;color:#555}
@media print{@page{size:A4 landscape;margin:1cm}.noprint{display:none}}
"""


def roster_html(draft: Draft) -> str:
    """A printable grid (A4 landscape): people down, days across; gaps and verdicts below."""
    frame = grid(draft)
    head = header_row([_("person"), _("role"), *(day_name(d) for d in WEEKDAYS), _("hours")])
    rows = []
    for row in frame.to_dict("records"):
        cells = "".join(
            f"<td class='{row[d] if row[d] in ('off', 'closed') else 'on'}'>"
            f"{html.escape(_cell_text(row[d]))}</td>" for d in WEEKDAYS)
        role = html.escape(role_name(row["role"]))
        rows.append(f"<tr><td>{html.escape(row['person'])}</td><td>{role}"
                    f"</td>{cells}<td>{row['hours']:g}</td></tr>")
    title = _("{name}: the week's roster").format(name=draft.week.name)
    verdict = (_("Every day meets the target in every interval on {n} fresh simulated days.")
               .format(n=draft.verify_days) if draft.meets_target else
               _("The roster does not meet the target everywhere: see the verdicts and the "
                 "gaps below."))
    gaps = "".join(f"<li>{html.escape(g.message)}</li>" for g in draft.gaps)
    body = (f"<style>{_PRINT}</style><h1>{html.escape(title)}</h1>"
            + paragraph(_("Target in every interval: {goals} · {hours:g} paid staff hours").format(
                goals=_("; ").join(t.words() for t in draft.targets),
                hours=round(draft.paid_hours, 1)), "sub")
            + f"<table class='roster' id='roster'>{head}{''.join(rows)}</table>"
            + paragraph(verdict, "verdict")
            + paragraph(_("Intervals by verdict on the fresh days: met (the target is met), close "
                          "(missed, but not significantly), missed (significantly)."), "sub")
            + _verdict_table(draft)
            + (heading(_("Gaps")) + f"<ul id='gaps'>{gaps}</ul>" if gaps else ""))
    return page(title, body)


def _cell_text(cell: str) -> str:
    if cell == "off":
        return _("off")
    if cell == "closed":
        return _("closed")
    return cell.replace(" break ", " · " + _("break") + " ")


class _Dumper(yaml.SafeDumper):
    """Times of day always quoted ("09:30"): unquoted, YAML 1.1 reads 10:00 as 600."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if CLOCK.match(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _Flow(dict):
    """A mapping written on one line (a roster cell)."""


def _flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", dict(value), flow_style=True)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(_Flow, _flow)
CLOCK = re.compile(r"^\d{1,2}:\d{2}$")


HALL_FILE = "hall.yaml"


def _dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=None)


def _target_text(draft: Draft) -> str:
    return "; ".join(f"{t.metric} {'>=' if t.at_least else '<='} {t.value:g}"
                     for t in draft.targets)


def hall_yaml(draft: Draft) -> str:
    """The hall the roster was verified on, ``--set`` overrides applied: the written week
    file's ``hall``, beside it, so the folder runs wherever it is moved."""
    changes = ", ".join(f"{k}={v}" for k, v in draft.week.hall_changes.items())
    header = (_("# Written by hallsim staff: the hall the roster was verified on ({origin}, "
                "with {changes}).") if changes else
              _("# Written by hallsim staff: the hall the roster was verified on ({origin})."))
    text = header.format(origin=draft.week.hall.origin, changes=changes)
    return " ".join(text.splitlines()) + "\n" + _dump(draft.week.hall.to_dict())


def week_yaml(draft: Draft) -> str:
    """The week file with the roster filled in, its hall the ``hall.yaml`` beside it and its
    rules the ones the roster keeps: run again, the days are the days verified."""
    data = draft.week.to_dict()
    data["hall"] = HALL_FILE
    data["rules"] = rules_data(draft.rules)        # defaults too: validate checks what was kept
    data["roster"] = {d: {p.name: _roster_cell(draft, d, p.name) for p in draft.people}
                      for d in WEEKDAYS if d in draft.roster}
    header = _("# Written by hallsim staff: the week with its roster ({targets}).")
    return header.format(targets=_target_text(draft)) + "\n" + _dump(data)


def _roster_cell(draft: Draft, day: str, name: str) -> str | _Flow:
    duty = draft.roster[day].get(name)
    return "off" if duty is None else _Flow(duty.cell())


def files(draft: Draft) -> dict[str, bytes | str]:
    """Every file of the roster folder, by name."""
    return {"roster.csv": roster_csv(draft), "roster.xlsx": roster_xlsx(draft),
            "roster.json": dumps(document(draft), indent=2, ensure_ascii=False) + "\n",
            HALL_FILE: hall_yaml(draft), "week.yaml": week_yaml(draft),
            "roster.html": roster_html(draft)}
