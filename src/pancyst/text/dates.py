"""Dates and stated intervals as radiologists write them.

Dates anchor the prior exam (interval = days / 30.4375); a stated interval ("6 months ago")
stands in when no date is given. Every function returns None rather than raising.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pancyst.text.measurements import number_words

DAYS_PER_MONTH = 30.4375

_MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)

# the cardinals of numbers.yaml, and the words an interval may also count with ("a year", "several months")
_NUMBER_WORDS: dict[str, float] = {
    **number_words()[0],
    "a": 1,
    "an": 1,
    "twenty-four": 24,
    "thirty-six": 36,
    "several": 3,
    "few": 3,
    "half": 0.5,
}
_NUMWORD_RE = (
    r"(?:\d+(?:[.,]\d+)?|twenty[- ]four|thirty[- ]six|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|eighteen|twenty|thirty|an?|several|few)"
)
_UNIT_MONTHS: dict[str, float] = {
    "d": 1 / DAYS_PER_MONTH,
    "w": 7 / DAYS_PER_MONTH,
    "m": 1.0,
    "y": 12.0,
}

# Numeric forms: ISO first, then d/m/y with any of / . - as separator.
_ISO = r"(?P<iy>(?:19|20)\d{2})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?!\d)"
_NUM = r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/])"
_MDY = _MONTH_RE + r"\.?\s+(?P<md>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<mdyy>\d{4}|'?\d{2})(?!\d)"
_DMY = (
    r"(?P<dd>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+" + _MONTH_RE + r"\.?,?[\s-]+(?P<dy>\d{4}|'?\d{2})(?!\d)"
)
_MY = _MONTH_RE + r"\.?,?\s+(?:of\s+)?(?P<yy>(?:19|20)\d{2})(?!\d)"
_NUM_MY = r"(?P<nm>\d{1,2})/(?P<ny>(?:19|20)\d{2})(?![\d/])"

DATE_RE = re.compile(
    r"(?=[\dadfjmnosADFJMNOS])(?<![\w/.-])(?:"
    + "|".join(
        f"(?P<{name}>{pat})"
        for name, pat in (
            ("iso", _ISO),
            ("num", _NUM),
            ("mdy", _MDY),
            ("dmy", _DMY),
            ("my", _MY),
            ("nmy", _NUM_MY),
        )
    )
    + r")",
    re.IGNORECASE,
)
_MONTH_NAME_RE = re.compile(_MONTH_RE, re.IGNORECASE)
# A numeric d/m/y date alone, opening with a digit so ``re`` skips to digits (the look-behind of the
# full pattern is checked after the first digit).
_NUM_ORDER_RE = re.compile(
    r"(?P<a>\d(?<![\w/.-]\d)\d?)(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/])"
)
# The same pattern for text with no capital (the rules' normalized text): in ASCII text without
# capitals, ignoring case changes no match, and costs a case fold at every step.
_DATE_LOWER_RE = re.compile(DATE_RE.pattern)

INTERVAL_RE = re.compile(
    r"(?=[\dtofsenahTOFSENAH])(?<![\w.])(?P<n>" + _NUMWORD_RE + r")(?:\s+and\s+a\s+half)?[\s-]*"
    # (not an age: "64 y/o", "a 64-year-old man", "64 yrs old")
    r"(?P<unit>days?|weeks?|wks?|months?|mos?|years?|yrs?|y)\b\.?(?![\s-]*(?:/\s*o|old)\b)",
    re.IGNORECASE,
)
_INTERVAL_LOWER_RE = re.compile(INTERVAL_RE.pattern)
_LAST_YEAR_RE = re.compile(r"(?<=\blast\s|\bpast\s)year\b", re.IGNORECASE)
_HALF_RE = re.compile(r"\band\s+a\s+half\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    date: dt.date
    precision: str  # "day" or "month"


@dataclass(frozen=True, slots=True)
class IntervalMention:
    start: int
    end: int
    months: float


def _year(raw: str) -> int:
    """Two-digit years pivot like POSIX strptime: 69-99 -> 19xx, 00-68 -> 20xx."""
    raw = raw.lstrip("'")
    y = int(raw)
    if len(raw) <= 2:
        y += 1900 if y >= 69 else 2000
    return y


def _make(y: int, m: int, d: int) -> dt.date | None:
    if not 1900 <= y <= 2100:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _from_match(m: re.Match[str], day_first: bool = False) -> tuple[dt.date, str] | None:
    g = m.groupdict()
    if g["iso"]:
        found = _make(int(g["iy"]), int(g["im"]), int(g["id"]))
        return (found, "day") if found else None
    if g["num"]:
        a, b, sep = int(g["a"]), int(g["b"]), g["sep"]
        y = _year(g["y"])
        # Month first (US) unless the first number cannot be a month, dots signal day-first, or the
        # report writes its other dates day first (``day_first``).
        if a > 12 or (b <= 12 and (sep == "." or day_first)):
            found = _make(y, b, a)
        else:
            found = _make(y, a, b) or _make(y, b, a)
        return (found, "day") if found else None
    if g["mdy"]:
        month = _month(g["mdy"])
        found = _make(_year(g["mdyy"]), month, int(g["md"])) if month else None
        return (found, "day") if found else None
    if g["dmy"]:
        month = _month(g["dmy"][len(g["dd"]) :])
        found = _make(_year(g["dy"]), month, int(g["dd"])) if month else None
        return (found, "day") if found else None
    if g["my"]:
        month = _month(g["my"])
        found = _make(int(g["yy"]), month, 1) if month else None
        return (found, "month") if found else None
    if g["nmy"]:
        found = _make(int(g["ny"]), int(g["nm"]), 1)
        return (found, "month") if found else None
    return None


def _month(text: str) -> int:
    mm = _MONTH_NAME_RE.search(text)
    return _MONTHS.get(mm.group(0).lower().rstrip("."), 0) if mm else 0


def date_order(text: str) -> bool | None:
    """How ``text`` writes numeric dates, by its own dates: True (day first) when one of them can only
    be read so (14/03/2023, 29-02-2024) and none only month first (03/14/2023), False in the opposite
    case, None when none tells or they disagree."""
    orders = set()
    for m in _NUM_ORDER_RE.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if a > 12 >= b:
            orders.add(True)
        elif b > 12 >= a:
            orders.add(False)
    return orders.pop() if len(orders) == 1 else None


def find_dates(text: str, day_first: bool = False) -> list[DateMention]:
    """Every date written in ``text``, with offsets; ``day_first`` reads an ambiguous 05/06/2023 as
    5 June (a French, Spanish or Dutch report's order; see :func:`date_order`), else as May 6."""
    out: list[DateMention] = []
    pattern = _DATE_LOWER_RE if text.isascii() and text.islower() else DATE_RE
    for m in pattern.finditer(text):
        parsed = _from_match(m, day_first)
        if parsed is not None:
            out.append(DateMention(m.start(), m.end(), parsed[0], parsed[1]))
    return out


def parse_date(text: str) -> dt.date | None:
    """One date as written ("03/14/2023", "14 Mar 2023", "March 2023" -> first of month); None if none."""
    try:
        found = find_dates(text)
    except Exception:  # pragma: no cover - defensive: parsers never raise
        return None
    return found[0].date if found else None


def _interval_value(m: re.Match[str]) -> float | None:
    n_raw = m.group("n").lower().replace(" ", "-")
    n = float(n_raw.replace(",", ".")) if n_raw[0].isdigit() else _NUMBER_WORDS.get(n_raw, 0.0)
    if not n:
        return None
    whole = m.group(0)
    if _HALF_RE.search(whole):
        n += 0.5
    unit = m.group("unit").lower()
    key = "m" if unit.startswith("mo") else unit[0]
    return round(n * _UNIT_MONTHS[key], 2)


def find_intervals(text: str) -> list[IntervalMention]:
    """Every duration written in ``text`` ("6 months", "one year", "18 mo", the year of "last year"),
    with offsets."""
    out: list[IntervalMention] = []
    pattern = _INTERVAL_LOWER_RE if text.isascii() and text.islower() else INTERVAL_RE
    for m in pattern.finditer(text):
        value = _interval_value(m)
        if value is not None:
            out.append(IntervalMention(m.start(), m.end(), value))
    if "year" in text.lower():
        # "up from 1.8 cm last year": one year, with no number written (the span is the word "year", so
        # the "last" before it reads as a since-cue)
        out.extend(IntervalMention(m.start(), m.end(), 12.0) for m in _LAST_YEAR_RE.finditer(text))
        out.sort(key=lambda iv: iv.start)
    return out


def parse_interval_months(text: str) -> float | None:
    """A stated interval in months: "6 months ago" -> 6.0, "one year prior" -> 12.0, "3 weeks" -> 0.69."""
    try:
        found = find_intervals(text)
    except Exception:  # pragma: no cover - defensive
        return None
    return found[0].months if found else None
