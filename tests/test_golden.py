"""Golden outputs: every shipped hall pinned to the byte.

The shipped scenarios (``scenarios/*.yaml``), each exercise challenge's hall and its
trainer's reference plan are run at several seeds and replication counts; the summary
document (as ``summary.json`` writes it) must match the saved text exactly, and for two
halls the ``customers.csv`` and ``intervals.csv`` texts must match saved digests.

Any change to the model's behaviour changes these. A scenario without new keys must
keep them byte for byte; if a change is meant to move them, regenerate with
``python -m tests.test_golden`` and say why in the commit.
"""

import hashlib
import json
from pathlib import Path

import pytest

import hallsim
from hallsim.exercise.challenge import load_challenge, load_plan
from hallsim.output.textsafe import csv_text, dumps

GOLDEN = Path(__file__).parent / "golden" / "summaries.json"
ROOT = Path(__file__).resolve().parent.parent
RUNS = [(1, 1), (1, 3), (11, 3), (2026, 2)]          # (seed, reps)
TABLES = {"weekday": (3, 2), "launch_mix.reference": (3, 2)}


def halls() -> dict[str, hallsim.Scenario]:
    """Every shipped hall by a short name: scenarios, challenges, reference plans."""
    found = {path.stem: hallsim.load_scenario(path)
             for path in sorted((ROOT / "scenarios").glob("*.yaml"))}
    for path in sorted((ROOT / "scenarios" / "exercise").glob("*.yaml")):
        if path.name.endswith(".reference.yaml"):
            continue
        challenge = load_challenge(path)
        found[path.stem] = challenge.scenario
        if challenge.reference_path is not None:
            found[f"{path.stem}.reference"] = load_plan(challenge, challenge.reference_path).scenario
    return found


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def outputs(names: list[str] | None = None) -> dict:
    """The summary texts (and table digests) the golden file holds, computed now."""
    out: dict = {"summaries": {}, "tables": {}}
    for name, sc in halls().items():
        if names is not None and name not in names:
            continue
        for seed, reps in RUNS:
            summary = hallsim.replicate(sc, reps=reps, seed=seed).summary
            out["summaries"][f"{name}@{seed}x{reps}"] = dumps(summary, indent=2) + "\n"
        if name in TABLES:
            seed, reps = TABLES[name]
            result = hallsim.replicate(sc, reps=reps, seed=seed)
            out["tables"][name] = {"customers.csv": digest(csv_text(result.customers)),
                                   "intervals.csv": digest(csv_text(result.intervals))}
    return out


SAVED = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else {}
NAMES = sorted({key.split("@")[0] for key in SAVED.get("summaries", {})})


def test_every_shipped_hall_is_pinned():
    """The golden file covers every shipped scenario, challenge and reference plan."""
    assert sorted(halls()) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_summary_matches_the_golden_text(name):
    """The summary document of each run is the saved text, byte for byte."""
    got = outputs([name])
    for key, text in got["summaries"].items():
        assert text == SAVED["summaries"][key], key
    for file, value in got["tables"].get(name, {}).items():
        assert value == SAVED["tables"][name][file], f"{name} {file}"


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(outputs(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
