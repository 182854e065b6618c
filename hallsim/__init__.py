"""hallsim: simulate a retail service hall (营业厅) and its shift plan.

Scenario → population of customers → SimPy hall → records → metrics → reports.
"""

from .compare import Comparison, compare
from .errors import ScenarioError
from .scenario import Scenario, load_scenario
from .simulation import Day, Replications, replicate, simulate
from .sweep import SweepInterrupted, summarise, sweep

__all__ = ["Comparison", "Day", "Replications", "Scenario", "ScenarioError", "compare",
           "SweepInterrupted", "load_scenario", "replicate", "simulate", "summarise", "sweep"]
__version__ = "0.1.0"
