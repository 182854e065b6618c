"""The training pack (`hallsim exercise pack`): a brief, a worksheet PDF with a blank shift
grid, and a facilitator guide (HTML and PDF) with timings, the answer key and debrief
questions, in Chinese that renders (CJK glyphs drawn from a CJK font, not tofu)."""

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib.image
import pytest

from hallsim.cli import main
from hallsim.exercise.challenge import Plan, load_challenge
from hallsim.exercise.guide import guide, load_levels
from hallsim.exercise.scoring import score_plans
from hallsim.exercise.worksheet import slots, worksheet
from hallsim.i18n import language
from hallsim.output import plots, printable
from hallsim.output.printable import Drawing, Para, Table, to_html, to_pdf, wrap
from tests.test_latin_share import _ids, _text_of, latin_share

CHALLENGES = sorted(p for p in Path("scenarios/exercise").glob("*.yaml")
                    if ".reference" not in p.name)
PACKED = "scenarios/exercise/launch_mix.yaml"


def fonts_for_traditional() -> list[str]:
    with language("zh-Hant"):
        return [f for f in printable.fonts() if f in printable.TRADITIONAL_FONTS]


def _needs(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} missing: .ci/run installs poppler-utils")
        pytest.skip(f"{tool} not installed (Debian/Ubuntu: apt-get install poppler-utils)")
    return found


def _needs_cjk_font() -> None:
    if not plots.cjk_fonts():
        if os.environ.get("CI"):
            pytest.fail("no CJK font: .ci/run installs fonts-noto-cjk")
        pytest.skip("no CJK font installed (Debian/Ubuntu: apt-get install fonts-noto-cjk)")


@pytest.fixture(scope="module", params=["zh", "zh-Hant"])
def pack(request, tmp_path_factory):
    """One pack per script, two simulated days: the folder and the language."""
    out = tmp_path_factory.mktemp(request.param) / "pack"
    assert main(["--lang", request.param, "exercise", "pack", PACKED, "--reps", "2",
                 "--out", str(out)]) == 0
    return out, request.param


def test_the_pack_holds_the_brief_the_worksheet_and_the_guide(pack):
    """brief.html with today's plan and its score, plan-template.yaml, worksheet.pdf,
    guide.pdf and guide.html with the workshop, the answer key and the debrief."""
    out, lang = pack
    names = {p.name for p in out.iterdir()}
    assert {"brief.html", "demand.png", "plan-template.yaml", "worksheet.pdf", "guide.pdf",
            "guide.html", "manifest.json"} == names
    for pdf in ("worksheet.pdf", "guide.pdf"):
        assert (out / pdf).read_bytes().startswith(b"%PDF-")
    brief = (out / "brief.html").read_text(encoding="utf-8")
    guide_page = (out / "guide.html").read_text(encoding="utf-8")
    today, key, debrief = (("现行排班", "参考答案", "复盘问题") if lang == "zh" else
                           ("現行排班", "參考答案", "復盤問題"))
    assert today in brief and re.search(r"模[拟擬] 2 天，得分 \d+\.\d", brief)
    assert key in guide_page and debrief in guide_page and "launch_mix.reference.yaml" in guide_page
    assert f'<html lang="{ {"zh": "zh-Hans"}.get(lang, lang) }">' in guide_page


def test_pack_pages_are_chinese(pack):
    """The guide and the brief, ids and file names set aside, are under 5% Latin letters."""
    out, _lang = pack
    ids = {"brief", "worksheet", "pdf", "guide", "plan", "template", "serve", "hallsim", "exercise",
           "score", "team", "out", "board", "yaml", "html", "counter_a", "counter_b", "peak_am",
           "peak_pm", "greeter", "launch_mix", "reference", "P90"}
    for name in ("guide.html", "brief.html"):
        share, words = latin_share((out / name).read_text(encoding="utf-8"), ids)
        assert share < 0.05, (name, share, sorted(set(words)))


def test_worksheet_renders_chinese_glyphs_from_a_cjk_font(pack):
    """pdftoppm draws page 1 and the grid page; the PDF's text is set in a CJK font (so no
    character fell back to a box) with Traditional forms for zh-Hant."""
    _needs_cjk_font()
    out, lang = pack
    for pdf in ("worksheet.pdf", "guide.pdf"):
        fonts = subprocess.run([_needs("pdffonts"), str(out / pdf)], check=True,
                               capture_output=True, text=True).stdout
        cjk = [line.split()[0] for line in fonts.splitlines() if "CJK" in line or "Han" in line]
        assert cjk, (pdf, fonts)
        if lang == "zh-Hant" and fonts_for_traditional():
            assert any("tc" in name.lower() for name in cjk), (pdf, cjk)
    prefix = out.parent / "page"
    subprocess.run([_needs("pdftoppm"), "-r", "40", "-png", str(out / "worksheet.pdf"),
                    str(prefix)], check=True)
    pages = sorted(out.parent.glob("page-*.png"))
    assert len(pages) >= 2
    first = matplotlib.image.imread(pages[0])
    assert first.shape[0] > first.shape[1]               # A4 portrait, then the grid landscape
    grid = matplotlib.image.imread(pages[-1])
    assert grid.shape[1] > grid.shape[0]
    heading = first[: first.shape[0] // 10, :, :3]        # the title band has ink
    assert (heading.mean(axis=2) < 0.5).mean() > 0.005


def test_no_glyph_is_missing_and_the_bytes_repeat():
    """Chinese blocks lay out with every glyph found, and the same blocks give the same PDF."""
    _needs_cjk_font()
    blocks = [Para("中峰时段错开休息，營業員在崗。"), Table(["班次", "岗位"], [["早班", "柜台"]])]
    with language("zh"):
        first, again = to_pdf(blocks, "t"), to_pdf(blocks, "t")
    assert first.missing == () and first.data == again.data


def test_wrap_breaks_between_chinese_characters_and_at_spaces():
    """CJK text breaks anywhere but before a closing mark; Latin text at spaces."""
    size = 72.0                                           # an em is an inch
    assert wrap("一二三四五", 3.0, size) == ["一二三", "四五"]
    assert wrap("一二三，四五", 3.0, size) == ["一二三，", "四五"]
    assert wrap("aaa bbb ccc", 4.5, size) == ["aaa bbb", "ccc"]
    assert wrap("", 1.0, size) == [""]


@pytest.mark.parametrize("path", CHALLENGES, ids=lambda p: p.stem)
def test_every_shipped_challenge_packs_in_chinese(path, tmp_path):
    """`hallsim exercise pack` for each challenge, in 简体 and 繁體 by turns: the brief, the
    worksheet PDF and the guide (HTML and PDF), each under 5% Latin once ids are set aside;
    the worksheet has one grid column per half hour of the day, and the guide names the
    reference plan and its file."""
    lang = ("zh", "zh-Hant")[CHALLENGES.index(path) % 2]
    out = tmp_path / "pack"
    assert main(["--lang", lang, "exercise", "pack", str(path), "--reps", "1",
                 "--out", str(out)]) == 0
    assert {"brief.html", "worksheet.pdf", "guide.html", "guide.pdf"} <= {p.name for p in out.iterdir()}
    ids = _ids(out)
    for name in ("brief.html", "guide.html", "worksheet.pdf", "guide.pdf"):
        text, is_html = _text_of(out / name)
        share, words = latin_share(text, ids, is_html)
        assert share < 0.05, (name, share, sorted(set(words)))
    challenge = load_challenge(path)
    sc = challenge.scenario
    assert len(slots(sc)) == (sc.hours.close - sc.hours.open) / 30
    assert sum(isinstance(b, Drawing) for b in worksheet(challenge, "baseline")) == 1
    page = (out / "guide.html").read_text(encoding="utf-8")
    assert challenge.reference_path.name in page
    levels = load_levels(sc)
    assert levels[0][0] == sc.hours.open and levels[-1][1] == sc.hours.close


@pytest.fixture(scope="module")
def zh_guides():
    """The zh guide blocks of busy_zone and mid_load, one simulated day each."""
    found = {}
    with language("zh"):
        for name in ("busy_zone", "mid_load"):
            challenge = load_challenge(f"scenarios/exercise/{name}.yaml")
            scores = score_plans(challenge, [Plan(challenge.path, "现行排班", challenge.scenario)],
                                 reps=1)
            today = next(s for s in scores if not s.reference)
            reference = next(s for s in scores if s.reference)
            found[name] = to_html(guide(challenge, today, reference))
    return found


def test_chinese_guide_names_zones_by_their_labels_without_stray_spaces(zh_guides):
    """Flex rules between zones read as the zones' names, plan names sit against the Chinese
    that follows, and the zone column shows labels (普通/对公), not ids."""
    page = html.unescape(zh_guides["busy_zone"])
    assert "对公分区柜台排队达到 4 人时，普通分区柜台前去支援，降到 0 人时回到原岗位。" in page
    assert "普通分区柜台排队达到 8 人时，业务预处理（大堂）前去支援" in page
    assert "counter.business 排队" not in page and "counter.general 前去" not in page
    assert "现行排班最差的时段是" in page and "现行排班 最差" not in page
    assert "<td>普通/对公</td>" in page


def test_a_flat_day_says_it_is_flat_not_when_it_peaks(zh_guides):
    """mid_load runs at one rate from 09:30 to closing: no 'busiest time is 09:30'."""
    page = zh_guides["mid_load"]
    assert "客流平稳：09:30 至 17:00 每小时约 68 位客户" in page
    assert "最忙的时刻" not in page
    assert "最忙的时刻是 10:00" in zh_guides["busy_zone"]


def test_the_chinese_gap_verdict_takes_full_width_brackets():
    from hallsim.output.console import versus_next

    with language("zh"):
        assert versus_next({"gap": 1.5, "ci95": 0.4, "clear": True}) == "+1.5 ± 0.4（明显领先）"


def test_a_heading_stays_with_the_start_of_its_table():
    """A heading with room for itself but not for its table's header and first row moves to
    the next page with them."""
    layout = printable._Layout()
    layout.new_page()
    heading, table = printable.Heading("表", 2), Table(["a", "b"], [["1", "2"], ["3", "4"]])
    layout.y = printable.MARGIN + 0.9          # three heading lines fit; the table does not
    printable._place(layout, heading, table)
    assert len(layout.pages) == 2
    layout.y = printable.MARGIN + 0.9
    printable._place(layout, heading, None)
    assert len(layout.pages) == 2


def test_a_word_wider_than_its_cell_is_cut_to_stay_inside():
    lines = wrap("general_day/business_2", 0.5, 9)
    assert len(lines) > 1 and "".join(lines) == "general_day/business_2"
    assert all(printable.text_width(line, 9) <= 0.5 for line in lines)
