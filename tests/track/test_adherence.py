"""Due dates, grace windows, stop rules (from the profile) and loss to follow-up."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pancyst.guideline import load_profile
from pancyst.schema import Recommendation
from pancyst.track import add_months, adherence_of, months_between

ACR = load_profile("acr2017")
YEARLY = Recommendation(action="surveillance", stratum="s", schedule=[(12, 5), (24, 2)], text="")
D0 = dt.date(2020, 1, 15)


def _adh(
    next_exam: dt.date | None,
    *,
    as_of: dt.date = dt.date(2030, 1, 1),
    stable: float | None = 0.0,
    rec: Recommendation | None = YEARLY,
    profile: str = "acr2017",
) -> str:
    return adherence_of(
        D0, rec, next_exam, as_of=as_of, grace_months=3, stable_months=stable, profile=load_profile(profile)
    )[0]


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(dt.date(2021, 1, 31), 1) == dt.date(2021, 2, 28)
    assert add_months(dt.date(2020, 1, 31), 1) == dt.date(2020, 2, 29)
    assert add_months(dt.date(2020, 11, 30), 14) == dt.date(2022, 1, 30)


@given(st.dates(dt.date(1990, 1, 1), dt.date(2050, 1, 1)), st.integers(0, 240))
def test_add_months_moves_by_that_many_months(day: dt.date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert abs(months_between(day, later) - months) < 0.11


def test_grace_window_boundaries() -> None:
    due = add_months(D0, 12)
    assert _adh(due) == "on_time"
    assert _adh(due + dt.timedelta(days=91)) == "on_time"  # 2.99 months late: inside the window
    assert _adh(due + dt.timedelta(days=92)) == "late"
    assert _adh(due - dt.timedelta(days=91)) == "on_time"
    assert _adh(due - dt.timedelta(days=92)) == "early"


def test_no_later_exam_is_pending_then_lost() -> None:
    limit = add_months(add_months(D0, 12), 3)
    assert _adh(None, as_of=limit) == "pending"
    assert _adh(None, as_of=limit + dt.timedelta(days=1)) == "lost_to_follow_up"


def test_stop_rules_come_from_the_profile() -> None:
    total = 12 * 5 + 24 * 2
    assert _adh(None, stable=total) == "complete"
    assert _adh(None, stable=total - 1) == "lost_to_follow_up"
    assert _adh(None, stable=total, profile="european2018") == "lost_to_follow_up"  # lifelong follow-up


@pytest.mark.parametrize("action", ["eus_fna", "no_surveillance", "not_applicable", "age_needed"])
def test_no_surveillance_is_not_applicable(action: str) -> None:
    rec = Recommendation(action=action, stratum="", schedule=[], text="")
    assert _adh(None, rec=rec) == "not_applicable" and _adh(None, rec=None) == "not_applicable"
