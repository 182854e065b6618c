"""Golden summaries: the shipped scenarios, seed 11, 3 replications, pinned to 1e-12.

Any change to the model's behaviour changes these numbers. If a change is meant
to, regenerate with ``python -m tests.test_golden`` and say why in the commit.
(The file was first written before the speed work and held through it: only
counter_utilisation moved, in the 15th digit, when it became a plain sum.)
"""

import json
from pathlib import Path

import pytest

import hallsim

GOLDEN = Path(__file__).parent / "golden" / "summaries.json"
NAMES = ["weekday", "peak", "mid", "low"]


def summaries() -> dict:
    return {name: hallsim.replicate(hallsim.load_scenario(f"scenarios/{name}.yaml"), reps=3,
                                    seed=11).summary for name in NAMES}


@pytest.fixture(scope="module")
def current():
    return summaries()


@pytest.mark.parametrize("name", NAMES)
def test_summary_matches_the_golden_file(current, name):
    """Every metric's mean and CI equals the saved value (relative 1e-12)."""
    saved = json.loads(GOLDEN.read_text(encoding="utf-8"))[name]
    got = current[name]
    assert {k: got[k] for k in ("scenario", "seed", "replications")} == {
        k: saved[k] for k in ("scenario", "seed", "replications")}
    for metric, cell in saved["metrics"].items():
        assert got["metrics"][metric]["mean"] == pytest.approx(cell["mean"], rel=1e-12, abs=1e-12), metric
        assert got["metrics"][metric]["ci95"] == pytest.approx(cell["ci95"], rel=1e-12, abs=1e-12), metric


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(summaries(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
