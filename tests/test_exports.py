"""A run's results as files to forward: summary and interval table as CSV and XLSX."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

import hallsim
from hallsim.i18n import language
from hallsim.output.exports import interval_means, intervals_csv, results_xlsx, summary_csv
from tests.helpers import tiny


@pytest.fixture(scope="module")
def result():
    return hallsim.replicate(tiny(), reps=2, seed=1)


def test_interval_means_are_one_row_per_interval_in_time_order(result):
    """Two days of each interval become one row whose arrivals are the two days' mean."""
    iv = result.intervals
    means = interval_means(iv)
    assert len(means) == iv["start"].nunique() and "replication" not in means
    assert list(means["start"]) == sorted(means["start"])
    first = iv[iv["start"] == means["start"][0]]
    assert means["arrivals"][0] == pytest.approx(first["arrivals"].mean())
    assert intervals_csv(iv).splitlines()[0].startswith("start,end,arrivals,")


def test_summary_csv_has_every_metric_with_its_mean_and_half_width(result):
    lines = summary_csv(result.summary).splitlines()
    assert lines[0] == "metric,mean,ci95"
    assert {line.split(",")[0] for line in lines[1:]} >= {"mean_wait_min", "service_level", "staff_hours"}


def test_the_workbook_opens_with_headings_in_the_readers_language_and_numbers_as_numbers(result):
    """Summary and Intervals sheets; under zh the headings are Chinese; shares are percent-
    formatted numbers, and no cell is a formula."""
    with language("zh"):
        book = load_workbook(io.BytesIO(results_xlsx(result.summary, result.intervals)))
    assert book.sheetnames == ["汇总", "分时段"]
    rows = list(book["汇总"].iter_rows(values_only=True))
    assert rows[0] == ("指标", "平均值", "± 95% 置信区间")
    level = next(r for r in rows if r[0] == "达标率")
    assert level[1] == pytest.approx(result.summary["metrics"]["service_level"]["mean"])
    sheet = book["分时段"]
    assert [c.value for c in sheet[1]][:3] == ["开始", "结束", "到达客户"]
    assert sheet.cell(row=2, column=1).value == interval_means(result.intervals)["start"][0]
    percent = [c for c in sheet[2] if c.number_format == "0.0%"]
    assert percent and all(isinstance(c.value, (int, float)) for c in percent)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
