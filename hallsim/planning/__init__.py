"""Plan rules and scoring shared by the exercise and the staffing advisor (neither imports
the other): the shift rules a plan keeps, the rules a workforce planner adds, and the
weighted score of a plan's metrics."""
