"""Report folders: files, plots, the HTML page in a real browser, and atomic writing."""

import errno
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

import hallsim
from hallsim import ScenarioError
from hallsim.output import outfiles
from hallsim.output.report import write_compare_report, write_run_report

PLOTS = ["demand_capacity.png", "waiting.png", "queues.png", "wait_distribution.png",
         "detractors.png", "shift_plan.png"]


@pytest.fixture(scope="module")
def result():
    return hallsim.replicate(hallsim.load_scenario("scenarios/weekday.yaml"), reps=3, seed=1)


@pytest.fixture(scope="module")
def report(result, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    write_run_report(result, out)
    return out


def test_run_report_writes_every_file(report, result):
    """summary.json equals the API summary; CSVs hold every customer and interval of every day."""
    names = {p.name for p in report.iterdir()}
    assert names == {"summary.json", "customers.csv", "intervals.csv", "report.html",
                     "manifest.json", *PLOTS}
    assert json.loads((report / "summary.json").read_text()) == json.loads(
        json.dumps(result.summary))
    customers = (report / "customers.csv").read_text().count("\n") - 1
    assert customers == sum(len(d.records.customers) for d in result.days)
    assert (report / "intervals.csv").read_text().count("\n") - 1 == 3 * 20


@pytest.mark.parametrize("name", PLOTS)
def test_each_plot_is_a_valid_png_of_sensible_size(report, name):
    """Every plot opens as a PNG at least 600 x 250 pixels and is not blank."""
    with Image.open(report / name) as img:
        assert img.format == "PNG"
        assert img.width >= 600 and img.height >= 250
        colours = img.convert("L").getextrema()
        assert colours[1] - colours[0] > 100


def test_html_inlines_every_plot_and_has_the_headline_table(report):
    """report.html is self-contained: each plot inlined as a data URI, no external resources."""
    page = (report / "report.html").read_text(encoding="utf-8")
    for name in PLOTS:
        assert f'data-file="{name}"' in page
    assert page.count('src="data:image/png;base64,') == len(PLOTS)
    assert 'id="headline"' in page and "mean wait" in page
    assert "http://" not in page and "https://" not in page


def _render(page: Path, tmp_path: Path) -> str:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (Debian package 'chromium'; .ci/run installs it)")
    proc = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=10000", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_report_renders_in_headless_chromium_with_every_image_loaded(report, tmp_path):
    """In a real browser every image decodes and the headline table is in the DOM."""
    dom = _render(report / "report.html", tmp_path)
    assert f'data-images-loaded="{len(PLOTS)}/{len(PLOTS)}"' in dom
    assert 'id="headline"' in dom


def test_failed_write_keeps_the_previous_report_whole(result, tmp_path, monkeypatch):
    """If writing fails part-way (disk full), the previous report stays as it was, complete,
    and no temporary file or folder remains."""
    import matplotlib.pyplot as plt

    from hallsim.output import plots

    monkeypatch.setattr(plots, "render", lambda fig: (plt.close(fig), plots.Picture(b"PNG"))[1])
    out = tmp_path / "out"
    write_run_report(result, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = outfiles.write_bytes
    calls = {"n": 0}

    def flaky(fd, data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd, data)

    monkeypatch.setattr(outfiles, "write_bytes", flaky)
    with pytest.raises(ScenarioError, match="the disk is full"):
        write_run_report(result, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_cli_out_defaults_to_reports_scenario_name(tmp_path):
    """run --out with no folder writes reports/<scenario name>/ under the current folder."""
    scenario = Path("scenarios/weekday.yaml").resolve()
    proc = subprocess.run([sys.executable, "-m", "hallsim", "run", str(scenario), "--reps", "2",
                           "--out"], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "reports" / "weekday" / "report.html").exists()


def test_compare_report(tmp_path):
    """A comparison report has both plans' waits on one plot and both Gantt charts."""
    sc = hallsim.load_scenario("scenarios/weekday.yaml")
    cmp = hallsim.compare(sc, sc.with_changes({"shifts.midday.count": 2}), reps=2, seed=1)
    write_compare_report(cmp, tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    for name in ("waiting.png", "shift_plan_a.png", "shift_plan_b.png"):
        assert f'data-file="{name}"' in page
    assert json.loads((tmp_path / "comparison.json").read_text())["replications"] == 2
