"""What the advice concludes, in sentences: one source for the console, report.html and tests.

Everything is derived from ``advice.json``'s document, so no output can say "every interval
met" while another names a shortfall: gaps are only named for intervals that are not met,
and the headline counts the same verdicts the table shows.
"""

from __future__ import annotations

from ..i18n import N_, _, ngettext, translate

VERDICT_WORDS = {"met": N_("met"), "close": N_("close"), "missed": N_("missed")}


def verdict_word(verdict: str) -> str:
    """``met`` / ``close`` / ``missed`` in the current language."""
    return translate(VERDICT_WORDS[verdict])


def headline(doc: dict) -> list[str]:
    """The verdict on the whole plan, then which intervals fall short (if any)."""
    days = doc["verification"]["days"]
    if doc["meets_target"]:
        return [ngettext("The plan meets the target in every interval on {days} fresh simulated "
                         "day.",
                         "The plan meets the target in every interval on {days} fresh simulated "
                         "days.", days).format(days=days)]
    counts = doc["verdicts"]
    short = [row for row in doc["intervals"] if row["verdict"] != "met"]
    lines = [ngettext(
        "The plan does not meet the target in every interval on {days} fresh simulated day: "
        "{met} met, {close} close (short, but not significantly), {missed} missed "
        "(significantly short).",
        "The plan does not meet the target in every interval on {days} fresh simulated days: "
        "{met} met, {close} close (short, but not significantly), {missed} missed "
        "(significantly short).", days).format(
        days=days, met=counts["met"], close=counts["close"], missed=counts["missed"])]
    listed = ", ".join(_("{start}-{end} ({verdict})").format(
        start=row["start"], end=row["end"], verdict=verdict_word(row["verdict"]))
        for row in short)
    lines.append(_("Not met: {intervals}.").format(intervals=listed))
    return lines


def group_line(name: str, entry: dict) -> str:
    """One counter group in a sentence: windows, what it calls, staff hours, verdicts."""
    counts = entry["verdicts"]
    return ngettext("{group}: {windows} window calling {calls}; {hours} counter staff hours; "
                    "{met} met, {close} close, {missed} missed.",
                    "{group}: {windows} windows calling {calls}; {hours} counter staff hours; "
                    "{met} met, {close} close, {missed} missed.", entry["windows"]).format(
        group=name, windows=entry["windows"], calls=", ".join(entry["calls"]),
        hours=entry["counter_staff_hours"], met=counts["met"], close=counts["close"],
        missed=counts["missed"])


def group_lines(doc: dict) -> list[str]:
    """With counter groups: how an interval is judged, then each group in a sentence."""
    if not doc.get("groups"):
        return []
    return [_("Each counter group is judged on its own customers; an interval is met only "
              "when every group meets the target in it.")] + [
        group_line(name, entry) for name, entry in doc["groups"].items()]


def all_lines(doc: dict) -> list[str]:
    """Headline, the groups (if any), gaps (each names intervals that are not met) and
    notes, in reading order."""
    return (headline(doc) + group_lines(doc) + [gap["message"] for gap in doc["gaps"]]
            + list(doc["notes"]))
