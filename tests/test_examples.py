"""The worked examples run as a user would run them, so they cannot rot."""

import subprocess
import sys
from pathlib import Path

from PIL import Image

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_sweep_windows_example_prints_the_table_and_writes_the_plot(tmp_path):
    """examples/sweep_windows.py: 15 combinations summarised, a two-panel PNG written."""
    proc = subprocess.run([sys.executable, str(EXAMPLES / "sweep_windows.py")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["counters.windows", "loads.peak", "mean_wait_min",
                                "mean_wait_min_ci95", "detractor_rate"]
    assert len(lines) == 1 + 15 + 1
    with Image.open(tmp_path / "reports" / "sweep_windows.png") as img:
        assert img.width > 2 * img.height * 0.9  # two panels side by side
