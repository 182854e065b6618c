"""Sweep counter windows and peak load; plot mean wait and detractor rate against windows.

    python examples/sweep_windows.py            # writes reports/sweep_windows.png

Every combination runs on the same simulated customers for each replication
(common random numbers), so the lines differ only because of the change.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import hallsim  # noqa: E402


def main() -> None:
    scenario = hallsim.load_scenario(Path(__file__).parent.parent / "scenarios" / "weekday.yaml")
    # Windows only help while there are staff to open them: past the staff on duty the
    # lines flatten, which shows where windows stop being the constraint.
    runs = hallsim.sweep(scenario, vary={"counters.windows": [6, 7, 8, 9, 10],
                                         "loads.peak": [80, 100, 120]},
                         reps=10, seed=1, jobs=0)
    table = hallsim.summarise(runs)
    print(table[["counters.windows", "loads.peak", "mean_wait_min", "mean_wait_min_ci95",
                 "detractor_rate"]].round(3).to_string(index=False))

    fig, (wait_ax, nps_ax) = plt.subplots(1, 2, figsize=(11, 4))
    for peak, rows in table.groupby("loads.peak"):
        wait_ax.errorbar(rows["counters.windows"], rows["mean_wait_min"],
                         yerr=rows["mean_wait_min_ci95"], marker="o", capsize=3,
                         label=f"peak {peak}/h")
        nps_ax.plot(rows["counters.windows"], 100 * rows["detractor_rate"], marker="o",
                    label=f"peak {peak}/h")
    wait_ax.set(xlabel="counter windows", ylabel="mean wait (min)", title="Mean wait")
    nps_ax.set(xlabel="counter windows", ylabel="estimated detractors (%)",
               title="Detractor rate")
    for ax in (wait_ax, nps_ax):
        ax.grid(alpha=0.3)
        ax.legend()
    out = Path("reports") / "sweep_windows.png"
    out.parent.mkdir(exist_ok=True)
    fig.savefig(out, dpi=110, bbox_inches="tight")
    print(f"plot written to {out}")


if __name__ == "__main__":
    main()
