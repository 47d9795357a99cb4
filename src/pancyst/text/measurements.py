"""Sizes as radiologists dictate them, converted to millimetres.

Handles decimal commas ("2,3 cm"), leading decimals (".8 cm"), 1-3 dimensions
("2.1 x 1.5 x 1.2 cm", "12 by 8 mm"), ranges ("2-5 mm", "2 to 5 mm"), "up to", hyphenated
adjectives ("12-mm cyst") and spelled-out units. A number without a unit (series/image
references such as "(series 3, image 45)" or "4:33") is never a size, nor is a signed one
("-2 mm" is a change, "−12 mm" a typo: a size cannot be negative); "8-12 mm" stays a range and
"- 12 mm" a list item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pancyst.resources import load_yaml

_NUM = r"(?:\d{1,4}(?:[.,]\d{1,3})?|[.,]\d{1,3})"
_UNIT = r"(?:mms?|cms?|millimet(?:er|re)s?|centimet(?:er|re)s?)\b"  # ("1.5 x 1.2 cms": Indian English)
_BY = r"\s*(?:x|×|\*|by|/(?=\s*\d))\s*"  # ("17/14 mm": a slash between dimensions, European style)
_UNIT_AT = r"[\s-]*(?P<u{n}>" + _UNIT + r")"

MEASURE_RE = re.compile(
    r"(?=[\d.,<≤ulamUL])(?<![\w.,/:\u2212])(?<!(?<!\w)-)(?:(?P<upto>up\s+to|upto|<|≤|less\s+than|under|at\s+most|max(?:imum)?(?:\s+of)?)\s*)?"
    r"(?P<n1>" + _NUM + r")(?:" + _UNIT_AT.format(n=1) + r")?"
    r"(?:"
    r"(?P<rng>\s*(?:-|–|—|to)\s*)(?P<r2>"
    + _NUM
    + r")"
    + _UNIT_AT.format(n=2)
    + r"|"
    + _BY
    + r"(?P<n2>"
    + _NUM
    + r")(?:"
    + _UNIT_AT.format(n=3)
    + r")?"
    r"(?:" + _BY + r"(?P<n3>" + _NUM + r")" + _UNIT_AT.format(n=4) + r"|" + _UNIT_AT.format(n=5) + r")"
    r"|" + _BY + r"(?P<n2b>" + _NUM + r")" + _UNIT_AT.format(n=6) + r""
    r")?",
    re.IGNORECASE,
)
# The same pattern for text with no capital (the rules' normalized text): in ASCII text without
# capitals, ignoring case changes no match, and costs a case fold at every step.
_MEASURE_LOWER_RE = re.compile(MEASURE_RE.pattern)


@dataclass(frozen=True, slots=True)
class Measurement:
    """One size as written. ``values_mm`` holds every number (dimensions or range ends) in mm."""

    start: int
    end: int
    values_mm: tuple[float, ...]
    kind: str  # "size" (1-3 dimensions), "range" or "upto"

    @property
    def longest_mm(self) -> float:
        return max(self.values_mm)


def _num(raw: str) -> float:
    raw = raw.replace(",", ".")
    if raw.startswith("."):
        raw = "0" + raw
    return float(raw)


def _factor(unit: str | None) -> float:
    if not unit:
        return 0.0
    return 10.0 if unit.lower().startswith("c") else 1.0


def _mm(value: float, factor: float) -> float:
    return round(value * factor, 3)


def _from_match(m: re.Match[str]) -> Measurement | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    vals: tuple[float, ...]
    if g["upto"]:
        start = m.start("upto")
    if g["r2"] is not None:
        f2 = _factor(g["u2"])
        f1 = _factor(g["u1"]) or f2
        vals = (_mm(_num(g["n1"]), f1), _mm(_num(g["r2"]), f2))
        if not g["u1"] and vals[0] > vals[1]:
            # "from 1.9 cm in March 2022 to 2.8 cm": a bare number above the end is no range's start
            # (a year, a day), the size is the end alone
            return Measurement(m.start("r2"), end, vals[1:], "size")
        return Measurement(start, end, vals, "range")
    if g["n3"] is not None:
        f3 = _factor(g["u4"])
        nums = (g["n1"], g["n2"], g["n3"])
        factors = (_factor(g["u1"]) or f3, _factor(g["u3"]) or f3, f3)
        vals = tuple(_mm(_num(n), f) for n, f in zip(nums, factors, strict=True))
        return Measurement(start, end, vals, "upto" if g["upto"] else "size")
    if g["n2"] is not None and g["u5"]:
        f = _factor(g["u5"])
        vals = (
            _mm(_num(g["n1"]), _factor(g["u1"]) or f),
            _mm(_num(g["n2"]), _factor(g["u3"]) or f),
        )
        return Measurement(start, end, vals, "upto" if g["upto"] else "size")
    if g["n2b"] is not None:
        f = _factor(g["u6"])
        vals = (_mm(_num(g["n1"]), _factor(g["u1"]) or f), _mm(_num(g["n2b"]), f))
        return Measurement(start, end, vals, "upto" if g["upto"] else "size")
    if g["u1"]:
        # Only the first number carried a unit (the rest did not parse): a single size.
        end = m.end("u1")
        return Measurement(
            start, end, (_mm(_num(g["n1"]), _factor(g["u1"])),), "upto" if g["upto"] else "size"
        )
    return None


def find_measurements(text: str) -> list[Measurement]:
    """Every size in ``text`` with its offsets; numbers without a unit are skipped."""
    out: list[Measurement] = []
    pattern = _MEASURE_LOWER_RE if text.isascii() and text.islower() else MEASURE_RE
    for m in pattern.finditer(text):
        if m.lastgroup == "n1":
            continue  # a bare number (no unit, no second number): most matches, never a size
        found = _from_match(m)
        if found is not None and found.values_mm and max(found.values_mm) > 0:
            out.append(found)
    if "imet" in text or "IMET" in text:  # a unit spelled out ("millimetres"): its number may be a word too
        spelled = _spelled_sizes(text)
        if spelled:
            out = sorted(out + spelled, key=lambda x: x.start)
    if any(label in text for label in _UNIT_LABELS):  # a unit in a field's label
        labelled = _labelled_sizes(text)
        if labelled:
            out = sorted(out + labelled, key=lambda x: x.start)
    return out


# A template's field whose label carries the unit: "Size (mm): 17", "MPD diameter [mm]: 3", "Size (cm): 1.2 x 0.9".
_UNIT_LABELS = ("(mm)", "(cm)", "[mm]", "[cm]", "(MM)", "(CM)", "[MM]", "[CM]")
_LABELLED_RE = re.compile(
    r"[(\[](?P<u>mm|cm|MM|CM)[)\]]\s*[:=]?[ \t]*(?P<n1>" + _NUM + r")"
    r"(?:" + _BY + r"(?P<n2>" + _NUM + r"))?(?:" + _BY + r"(?P<n3>" + _NUM + r"))?"
    r"(?![\d.,]|\s*(?:x|×|by)\b|[\s-]*(?:mm|cm|millimet|centimet))",
)


def _labelled_sizes(text: str) -> list[Measurement]:
    """Bare numbers answering a field whose label holds the unit: the label's unit is theirs."""
    out = []
    for m in _LABELLED_RE.finditer(text):
        f = _factor(m.group("u"))
        nums = [n for n in (m.group("n1"), m.group("n2"), m.group("n3")) if n is not None]
        vals = tuple(_mm(_num(n), f) for n in nums)
        if max(vals) > 0:
            out.append(Measurement(m.start("n1"), m.end(), vals, "size"))
    return out


_SPELLED_UNIT_RE = re.compile(r"(?:milli|centi)met(?:er|re)s?\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def number_words() -> tuple[dict[str, float], dict[str, float]]:
    """``numbers.yaml``: the cardinal number words and the digit words (sizes here, intervals in dates.py)."""
    raw = resources.files("pancyst.text").joinpath("lexicon/numbers.yaml").read_text(encoding="utf-8")
    lex = load_yaml(raw)
    cardinals = {str(k): float(v) for k, v in lex["cardinals"].items()}
    digits = {str(k): float(v) for k, v in lex["digits"].items()}
    return cardinals, digits


@lru_cache(maxsize=1)
def _spelled_table() -> tuple[re.Pattern[str], dict[str, float], dict[str, float]]:
    cardinals, digits = number_words()
    words = "|".join(sorted(cardinals, key=len, reverse=True))
    # the number words that end right before a unit (searched in the few words before it)
    rx = re.compile(
        r"(?<![\w-])(?P<n>" + words + r")(?:[\s-]+point[\s-]+(?P<d>" + "|".join(digits) + r"))?"
        r"(?P<half>[\s-]+and[\s-]+a[\s-]+half)?[\s-]+$",
        re.IGNORECASE,
    )
    return rx, cardinals, digits


def _spelled_sizes(text: str) -> list[Measurement]:
    """Sizes whose number and unit are both words: "five millimetres", "one point five centimeters".
    Each spelled unit is found first, then a number in words just before it (most units follow digits)."""
    out = []
    for u in _SPELLED_UNIT_RE.finditer(text):
        a = u.start()
        if a == 0 or (not text[a - 1].isspace() and text[a - 1] != "-"):
            continue
        rx, cardinals, digits = _spelled_table()
        m = rx.search(text, max(0, a - 40), a)
        if m is None:
            continue
        value = cardinals[m.group("n").lower()]
        if m.group("d"):
            value += digits[m.group("d").lower()] / 10
        if m.group("half"):
            value += 0.5
        unit = u.group(0)
        out.append(Measurement(m.start(), u.end(), (_mm(value, _factor(unit)),), "size"))
    return out


def parse_size_mm(text: str) -> float | None:
    """Longest diameter in mm of the first size in ``text`` ("2.3 x 1.8 cm" -> 23.0); None if none."""
    try:
        found = find_measurements(text)
    except Exception:  # pragma: no cover - defensive: parsers never raise
        return None
    return found[0].longest_mm if found else None
