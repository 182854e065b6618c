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


def all_lines(doc: dict) -> list[str]:
    """Headline, gaps (each names intervals that are not met) and notes, in reading order."""
    return headline(doc) + [gap["message"] for gap in doc["gaps"]] + list(doc["notes"])
