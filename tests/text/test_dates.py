import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pancyst.text.dates import find_dates, find_intervals, parse_date, parse_interval_months


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/14/2023", dt.date(2023, 3, 14)),
        ("2023-03-14", dt.date(2023, 3, 14)),
        ("14/03/2023", dt.date(2023, 3, 14)),  # day first: 14 cannot be a month
        ("14.03.2023", dt.date(2023, 3, 14)),  # dotted: European
        ("March 14, 2023", dt.date(2023, 3, 14)),
        ("Mar. 14th, 2023", dt.date(2023, 3, 14)),
        ("14 Mar 2023", dt.date(2023, 3, 14)),
        ("14th of March 2023", dt.date(2023, 3, 14)),
        ("3/14/23", dt.date(2023, 3, 14)),
        ("1/2/98", dt.date(1998, 1, 2)),  # two-digit year pivot
        ("March 2023", dt.date(2023, 3, 1)),
        ("03/2022", dt.date(2022, 3, 1)),
        ("compared with CT of 20/06/2022.", dt.date(2022, 6, 20)),
        ("hello", None),
        ("series 3 image 45", None),
        ("13/13/2023", None),
        ("may be 2019", None),
    ],
)
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_find_dates_offsets() -> None:
    text = "COMPARISON: CT 01/02/2020 and MRI 2021-05-06."
    found = find_dates(text)
    assert [text[d.start : d.end] for d in found] == ["01/02/2020", "2021-05-06"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 months ago", 6.0),
        ("one year prior", 12.0),
        ("2 yrs", 24.0),
        ("18 mo", 18.0),
        ("3 weeks", 0.69),
        ("a year ago", 12.0),
        ("one and a half years", 18.0),
        ("1.5 years", 18.0),
        ("10 days", 0.33),
        ("up from 1.8 cm last year", 12.0),
        ("over the past year", 12.0),
        ("the year of diagnosis", None),
        ("follow-up", None),
    ],
)
def test_parse_interval_months(text: str, expected: float | None) -> None:
    assert parse_interval_months(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_date_parsers_never_raise(text: str) -> None:
    parse_date(text)
    parse_interval_months(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one date that can only be day first sets the report's order for its ambiguous ones
        ("Comparison: MRI of 12/01/2023. Addendum (29-02-2024): received.", ["2023-01-12", "2024-02-29"]),
        ("CT 14/03/2023; previous MR 05/06/2022", ["2023-03-14", "2022-06-05"]),
        # one that can only be month first, or none that tells: month first, as before
        ("CT 03/14/2023; previous MR 05/06/2022", ["2023-03-14", "2022-05-06"]),
        ("previous MR 05/06/2022", ["2022-05-06"]),
        # both orders in one report: no order can be trusted, so month first
        ("CT 03/14/2023; MR 14/03/2023; US 05/06/2022", ["2023-03-14", "2023-03-14", "2022-05-06"]),
    ],
)
def test_a_report_that_writes_dates_day_first_is_read_day_first(text: str, expected: list[str]) -> None:
    from pancyst.text.dates import date_order

    assert [str(d.date) for d in find_dates(text, date_order(text) is True)] == expected


@pytest.mark.parametrize("text", ["64 y/o F", "a 64-year-old man", "64 year old woman", "64 yrs old"])
def test_an_age_is_no_interval(text: str) -> None:
    assert find_intervals(text) == []
