"""Follow-up adherence (issue 12): when the next exam was due, and whether it came on time.

Months are calendar months for due dates (an exam on 31 Jan + 1 month is due 28/29 Feb) and
days / 30.4375 for differences, the same month length the pipeline uses for intervals."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal, get_args

from pancyst.guideline import Profile
from pancyst.pipeline import DAYS_PER_MONTH
from pancyst.schema import Recommendation

Adherence = Literal["on_time", "early", "late", "lost_to_follow_up", "pending", "complete", "not_applicable"]
ADHERENCE: tuple[str, ...] = get_args(Adherence)


def add_months(day: dt.date, months: float) -> dt.date:
    """`day` plus whole calendar months (the day clamped to the month's end), plus any fraction in days."""
    whole = int(months)
    index = day.month - 1 + whole
    year, month = day.year + index // 12, index % 12 + 1
    out = dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return out + dt.timedelta(days=round((months - whole) * DAYS_PER_MONTH))


def months_between(earlier: dt.date, later: dt.date) -> float:
    return (later - earlier).days / DAYS_PER_MONTH


def next_due_months(rec: Recommendation | None) -> float | None:
    """The first interval of the schedule recommended after this exam; None without surveillance."""
    if rec is None or rec.action != "surveillance" or not rec.schedule:
        return None
    return float(rec.schedule[0][0])


def schedule_months(rec: Recommendation) -> float:
    return float(sum(interval * count for interval, count in rec.schedule))


def may_stop(rec: Recommendation, stable_months: float | None, profile: Profile) -> bool:
    """The profile's stop rule: stable for the stratum's whole schedule (or never, for lifelong ones)."""
    if profile.tracking.stop_when_stable_for == "never" or stable_months is None or not rec.schedule:
        return False
    return stable_months >= schedule_months(rec)


def adherence_of(
    exam_date: dt.date,
    rec: Recommendation | None,
    next_exam: dt.date | None,
    *,
    as_of: dt.date,
    grace_months: float,
    stable_months: float | None,
    profile: Profile,
) -> tuple[Adherence, dt.date | None]:
    """The adherence class of the follow-up to one exam, and the date it was due (None: nothing due)."""
    months = next_due_months(rec)
    if months is None or rec is None:
        return "not_applicable", None
    if may_stop(rec, stable_months, profile):
        return "complete", None
    due = add_months(exam_date, months)
    if next_exam is None:
        return ("lost_to_follow_up" if as_of > add_months(due, grace_months) else "pending"), due
    delta = months_between(due, next_exam)
    if delta < -grace_months:
        return "early", due
    if delta > grace_months:
        return "late", due
    return "on_time", due
