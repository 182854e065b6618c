"""The file formats users write, and their references (``hallsim schema``): for each kind
of file, its title, its introduction and its pydantic model.

The references are generated in the current language (``docs/<kind>.md``,
``docs/zh/<kind>.md``, ``docs/zh-Hant/<kind>.md``). ``extract`` is the Babel extractor
(mapped in pyproject.toml) that brings the models' descriptions and units into the
catalogs, which ``_()`` cannot mark since they are text inside the models.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .i18n import N_, translate
from .scenario import reference

KINDS: tuple[str, ...] = ("scenario", "plan", "challenge", "rules")

TITLES = {"scenario": N_("Scenario file reference"), "plan": N_("Plan file reference"),
          "challenge": N_("Challenge file reference"),
          "rules": N_("Rules file reference (hallsim staff --rules)")}

INTROS = {
    "scenario": N_("A scenario is one YAML file describing the hall and one day's shift plan "
                   "(`scenarios/weekday.yaml` is a commented example). Times of day are quoted "
                   '`"HH:MM"` strings; durations are minutes; shares and rates are fractions '
                   "from 0 to 1. Unknown keys are errors. The defaults that matter most: the "
                   "target wait for the service level is 10 minutes "
                   "(`detractor.target_wait_minutes`), the report's intervals are 30 minutes "
                   "(`interval_minutes`), there is no warm-up (`warmup_minutes: 0`) and nobody "
                   "abandons unless `patience` is given."),
    "plan": N_("A team's plan in the flexible-scheduling exercise: the shifts (and flex rules, "
               "and any levers the challenge opens) that replace the challenge's own. "
               'Everything else is the challenge\'s hall. Times are quoted `"HH:MM"` strings.'),
    "challenge": N_("A challenge is a scenario (see scenario.md) plus an `exercise:` block: the "
                    "budget, the rules, the scoring weights and the learning goal."),
    "rules": N_("The shift rules the staffing advisor drafts within: the exercise's `rules` "
                "block (a challenge's rules are used as they are) plus the rules a workforce "
                "planner adds: shrinkage, a lunch window, breaks at once, part-timers and the "
                'price of overtime. Times are quoted `"HH:MM"` strings. Without a file the '
                "advisor allows starts on any interval boundary, shifts of 3 to 9 hours and a "
                "30-minute break in shifts over 6 hours."),
}


def model(kind: str) -> type[BaseModel]:
    """The pydantic model of a ``kind`` of file (imported on demand: the exercise and the
    advisor's rules are not needed to read a scenario)."""
    if kind == "scenario":
        from .scenario.schema import ScenarioModel

        return ScenarioModel
    if kind == "rules":
        from .planning.rules import PlanningRules

        return PlanningRules
    from .exercise import challenge as files

    return files.PlanFile if kind == "plan" else files.ChallengeFile


def markdown(kind: str) -> str:
    """The reference of a kind of file, as Markdown, in the current language."""
    return reference.markdown(model(kind), translate(TITLES[kind]), translate(INTROS[kind]))


def json_text(kind: str) -> str:
    """The JSON Schema of a kind of file (for editors; its descriptions stay English)."""
    return reference.json_text(model(kind), f"hallsim {kind} file")


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple]:
    """Babel's extractor for this file: its own marked strings, then every description and
    unit the references show (``pybabel extract -F pyproject.toml``)."""
    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)
    for kind in KINDS:
        for text in reference.texts(model(kind)):
            yield 0, None, text, []
