"""hallsim: simulate a retail service hall (营业厅) and its shift plan.

Scenario → population of customers → SimPy hall → records → metrics → reports.
"""

from .errors import ScenarioError
from .runs.analysis import anova, contrasts, formula_names, summarise, to_xarray
from .runs.compare import Comparison, compare
from .runs.designs import design
from .runs.selection import Selection, select_best
from .runs.simulation import Day, Replications, replicate, simulate
from .runs.sweep import SweepFailed, SweepInterrupted, sweep
from .scenario.scenario import Scenario, load_scenario
from .week import Week, WeekRun, load_week, run_week

__all__ = ["Advice", "Comparison", "Day", "Replications", "Scenario", "ScenarioError", "SweepFailed",
           "SweepInterrupted", "Selection", "Week", "WeekRun", "advise", "anova", "compare", "contrasts",
           "design", "draft_roster", "formula_names", "load_scenario", "load_week", "replicate",
           "run_week", "select_best", "simulate", "summarise", "sweep", "to_xarray"]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # The staffing advisor pulls in scipy's optimiser: load it on first use, not on import.
    if name in ("Advice", "advise"):
        from .staffing import advice

        return getattr(advice, name)
    if name == "draft_roster":
        from .roster.draft import draft_roster

        return draft_roster
    raise AttributeError(f"module 'hallsim' has no attribute {name!r}")
