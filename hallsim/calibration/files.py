"""What ``fit tickets`` writes beside the scenario, and how many bad rows it tolerates.

Kept apart so the command line can name them without importing scipy at start-up."""

MAX_BAD_SHARE = 0.05
REPORT_NAME = "fit-report.html"
REJECTS_NAME = "fit-rejects.csv"
