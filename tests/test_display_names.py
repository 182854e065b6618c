"""Display names by language: challenge titles and goals, service labels, the reference row."""

from hallsim.exercise.challenge import load_challenge
from hallsim.exercise.pages import write_brief
from hallsim.exercise.scoring import score_plans
from hallsim.i18n import display, language


def test_a_name_by_language_falls_back_to_the_nearest_script_then_english():
    """zh-Hant reads 繁體, then 简体, then English; plain text is shown as written."""
    name = {"en": "bill payment", "zh": "缴费"}
    with language("zh"):
        assert display(name) == "缴费" and display("plain") == "plain"
    with language("en"):
        assert display(name) == "bill payment"
        assert display({"zh": "缴费"}) == "缴费" and display(None, "x") == "x"


def test_challenge_title_and_goal_in_the_readers_language(tmp_path):
    """The brief heads with the Chinese title and goal under --lang zh, English otherwise."""
    challenge = load_challenge("scenarios/exercise/quiet_day.yaml")
    with language("zh"):
        write_brief(challenge, tmp_path / "zh")
    with language("en"):
        write_brief(challenge, tmp_path / "en")
    zh = (tmp_path / "zh" / "brief.html").read_text(encoding="utf-8")
    en = (tmp_path / "en" / "brief.html").read_text(encoding="utf-8")
    assert "<h1>清闲的一天</h1>" in zh and "A quiet day" not in zh and "引导员" in zh
    assert "<h1>A quiet day</h1>" in en


def test_the_reference_row_is_named_in_the_readers_words():
    """The shipped reference plan's team shows as 培训师参考方案 in Chinese."""
    challenge = load_challenge("scenarios/exercise/quiet_day.yaml")
    with language("zh"):
        (ref,) = score_plans(challenge, [], reps=1, seed=1)
    assert ref.reference and ref.team == "培训师参考方案"


def test_traditional_chinese_is_its_own_catalog_with_regional_words(capsys):
    """--lang zh-Hant: 櫃檯人員, 輪候, 棄號率; text it lacks falls back to 简体, not English."""
    from hallsim.cli import main
    from hallsim.i18n import LANGUAGES, normalise, translations

    assert "zh-Hant" in LANGUAGES
    assert normalise("zh_TW.UTF-8") == normalise("zh-HK") == normalise("zh-Hant") == "zh-Hant"
    assert normalise("zh_CN.UTF-8") == "zh"
    assert main(["run", "scenarios/weekday.yaml", "--reps", "1", "--lang", "zh-Hant"]) == 0
    out = capsys.readouterr().out
    assert "平均輪候時間" in out and "棄號率" in out and "达标率" not in out
    with language("zh-Hant"):
        assert translations("zh-Hant").gettext("counter staff") == "櫃檯人員"
    fallback = translations("zh-Hant")._fallback          # the Simplified catalog
    assert fallback is not None and fallback.gettext("counter staff") == "营业员"


def test_the_brief_gives_the_numbers_a_trainee_plans_with(tmp_path):
    """Service mix with counter minutes, the windows rule of thumb at the busiest time,
    what the greeter diverts and what 达标率 means, in the reader's language."""
    from hallsim.exercise.numbers import busiest_hour, mean_counter_minutes

    challenge = load_challenge("scenarios/exercise/quiet_day.yaml")
    sc = challenge.scenario
    minutes = mean_counter_minutes(sc)
    assert minutes == sum(s.share * s.counter_minutes.mean_minutes for s in sc.services)
    rate, _when = busiest_hour(sc)
    with language("zh"):
        write_brief(challenge, tmp_path)
    page = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert "<td>套餐变更</td><td>30%</td><td>7.0</td>" in page
    assert f"{rate:.0f} × {minutes:.1f} ÷ 60 ≈ {rate * minutes / 60:.1f} 个窗口" in page
    # the quiet day is flat from opening to closing: no "busiest time (09:00)"
    assert "09:00 到 18:00 每小时约 32 人，没有哪个时刻特别忙" in page and "最忙时段" not in page
    assert "达标率（10分钟等候达标率）" in page and "分流到手机应用" in page
