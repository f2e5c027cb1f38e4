"""The checks for years, spans of years and dates that `_validate` gained (issue 25)."""
from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from alliancekit import _validate as vd


def test_years_takes_one_year_or_many_and_returns_ints():
    assert vd.years("years", 1914, 1900, 1950) == [1914]
    assert vd.years("years", range(1914, 1917), 1900, 1950) == [1914, 1915, 1916]
    assert vd.years("years", [np.int64(1920), 1921.0], 1900, 1950) == [1920, 1921]


@pytest.mark.parametrize("bad", ["1914", b"1914", {1914: 1}, True, None, object()])
def test_years_refuses_what_is_not_a_year_or_a_list_of_them_naming_the_parameter(bad):
    with pytest.raises(TypeError, match="years"):
        vd.years("years", bad, 1900, 1950)


@pytest.mark.parametrize("bad", [[], [1850], [1914.5], [float("nan")]])
def test_years_refuses_an_empty_list_or_a_year_out_of_range(bad):
    with pytest.raises(ValueError, match="years"):
        vd.years("years", bad, 1900, 1950)


def test_a_year_span_runs_forwards_and_names_both_ends_when_it_does_not():
    assert vd.year_span("first", 1914, "last", 1918) == (1914, 1918)
    with pytest.raises(ValueError, match="first and last must have first <= last"):
        vd.year_span("first", 1918, "last", 1914)


def test_dates_come_back_as_midnight_timestamps_from_any_spelling():
    want = pd.Timestamp("1882-05-20")
    for value in ("1882-05-20", "1882-05-20 12:00", datetime.date(1882, 5, 20),
                  np.datetime64("1882-05-20"), pd.Timestamp("1882-05-20 08:00", tz="UTC")):
        assert vd.date("day", value) == want


@pytest.mark.parametrize("bad, error", [(None, TypeError), (1882, TypeError),
                                        ("20 Maytember", ValueError), ("NaT", ValueError)])
def test_a_bad_date_is_refused_naming_the_parameter(bad, error):
    with pytest.raises(error, match="day"):
        vd.date("day", bad)


def test_a_date_outside_the_span_is_refused_with_the_span():
    with pytest.raises(ValueError, match="1816-01-01 and 2025-12-31"):
        vd.date("day", "1700-01-01", "1816-01-01", "2025-12-31")
