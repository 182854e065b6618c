"""``hallsim exercise pack``: everything a trainer prints for one challenge — the brief,
a worksheet PDF (the numbers, and a blank time grid per team) and the facilitator guide
(HTML and PDF) with the answer key, both plans simulated on the same customers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..i18n import _, display
from ..output.htmlpage import page
from ..output.labels import fmt
from ..output.outfiles import run_about, write_files
from ..output.printable import to_html, to_pdf
from .challenge import Challenge, Plan
from .guide import guide
from .pages import brief_files
from .scoring import PlanScore, score_plans
from .worksheet import worksheet


def baseline(today: PlanScore) -> str:
    """Today's plan's score and headline numbers, in one sentence."""
    m = today.means
    return _("Simulated on {days} days it scores {score:.1f} (lower is better): mean wait "
             "{wait}, service level {level}, abandon rate {abandon}.").format(
        days=len(today.result.days), score=today.score, wait=fmt("mean_wait_min", m["mean_wait_min"]),
        level=fmt("service_level", m["service_level"]), abandon=fmt("abandon_rate", m["abandon_rate"]))


def write_pack(challenge: Challenge, out: Path, reps: int | None = None, seed: int = 1,
               jobs: int = 1, progress: Callable[[int], None] | None = None
               ) -> tuple[list[Path], tuple[str, ...]]:
    """Write the pack's folder; returns the files and any character no font could draw."""
    current = Plan(challenge.path, _("today's plan"), challenge.scenario)
    scores = score_plans(challenge, [current], reps=reps, seed=seed, jobs=jobs, progress=progress)
    today = next(s for s in scores if not s.reference)
    reference = next((s for s in scores if s.reference), None)
    sentence = baseline(today)
    title = display(challenge.exercise.title)
    files = brief_files(challenge, sentence)
    sheet = to_pdf(worksheet(challenge, sentence), _("Worksheet: {title}").format(title=title))
    blocks = guide(challenge, today, reference)
    guide_title = _("Facilitator guide: {title}").format(title=title)
    manual = to_pdf(blocks, guide_title)
    files.update({"worksheet.pdf": sheet.data, "guide.pdf": manual.data,
                  "guide.html": page(guide_title, to_html(blocks))})
    about = run_about("exercise-pack", {"challenge": challenge.scenario}, seed,
                      len(today.result.days))
    written = write_files(out, files, last="guide.html", about=about)
    return written, tuple(sorted(set(sheet.missing + manual.missing)))


__all__ = ["baseline", "write_pack"]
