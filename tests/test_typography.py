"""Chinese typography: headings never broken per character, local time, lang attributes."""

import io
import time
from datetime import datetime, timezone

from rich.console import Console
from rich.table import Table

from hallsim.output.console import whole_headers
from hallsim.output.htmlpage import page, written_at


def test_console_headings_stay_whole_in_a_narrow_table():
    """In a table squeezed into 50 columns, each Chinese heading is printed on one line."""
    table = Table()
    headings = ["到达客户", "放弃离开", "平均等候时间", "营业员", "达标率", "弃号率"]
    for heading in headings:
        table.add_column(heading)
    table.add_row(*["一段很长很长的说明文字" for _h in headings])
    out = io.StringIO()
    Console(file=out, width=80).print(whole_headers(table))
    text = out.getvalue()
    for heading in headings:
        assert heading in text, heading


def test_html_headings_do_not_break_between_chinese_characters():
    """Table headings keep CJK words whole (word-break: keep-all); the page names its language."""
    html = page("t", "<table><tr><th>到达客户</th></tr></table>")
    assert "th{word-break:keep-all}" in html and '<html lang="en">' in html


def test_pages_are_stamped_in_local_time(monkeypatch):
    """The time a page was written is the reader's local time, with its UTC offset."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert written_at(datetime(2026, 3, 2, 6, 5, tzinfo=timezone.utc)) == "2026-03-02 14:05 UTC+08:00"
    finally:
        monkeypatch.undo()
        time.tzset()
