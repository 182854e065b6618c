"""Times of day: parsing and formatting."""

import pytest

from hallsim.scenario.clock import format_clock, parse_clock


@pytest.mark.parametrize("text, minutes", [("00:00", 0), ("09:00", 540), ("9:05", 545),
                                           ("18:30", 1110), ("24:00", 1440)])
def test_parse_valid_clock_strings(text, minutes):
    """Quoted HH:MM strings become minutes since midnight; 24:00 is allowed."""
    assert parse_clock(text) == minutes


@pytest.mark.parametrize("bad", ["25:99", "24:01", "12:60", "noon", "12", "", "1:2:3"])
def test_reject_malformed_clock_strings(bad):
    """Anything but a valid HH:MM is refused, naming what was given."""
    with pytest.raises(ValueError, match="HH:MM"):
        parse_clock(bad)


def test_unquoted_clock_gets_a_hint_to_quote():
    """YAML reads unquoted 10:00 as 600; the error says to quote it."""
    with pytest.raises(ValueError, match='write "10:00"'):
        parse_clock(600)


def test_format_clock_rounds_down_to_the_minute():
    """Formatting gives HH:MM for minutes since midnight."""
    assert format_clock(545.9) == "09:05"
    assert format_clock(1440) == "24:00"
