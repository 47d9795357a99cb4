"""The speed rewrites must match what they replace exactly (the rules' output is compared byte for byte)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pancyst.extract.rules.document import _span
from pancyst.schema import Span
from pancyst.text import measurements as M
from pancyst.text.normalize import _ACRONYM_RE
from pancyst.text.sentences import _BOUNDARY_RE

# the patterns as written before they were reshaped to open with a character class
_OLD_BOUNDARY_RE = re.compile(r"[.!?]+(?=[\s\"')\]]|$)|\n")
_OLD_ACRONYM_RE = re.compile(
    r"\b(?:i\.\s?p\.\s?m\.\s?n\.?|i\s+p\s+m\s+n|ip\s+mn|i\s+pmn|ipm\s+n|ip-mn|i-pmn|m\.\s?p\.\s?d\.?|m\s+p\s+d)(?![a-z])"
)

_PIECES = [
    "i",
    "p",
    "m",
    "n",
    "d",
    ".",
    ". ",
    " ",
    "-",
    "a",
    "_",
    "1",
    "\n",
    "x",
    "é",
    ")",
    '"',
    "!",
    "?",
    "ipmn",
]
_texts = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)


def _spans(rx: re.Pattern[str], text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text, lo, hi)]


@settings(max_examples=400, deadline=None)
@given(_texts, st.integers(0, 30), st.integers(0, 30))
def test_boundary_pattern_unchanged(text: str, lo: int, hi: int) -> None:
    lo, hi = min(lo, len(text)), min(hi, len(text))
    assert _spans(_BOUNDARY_RE, text, lo, hi) == _spans(_OLD_BOUNDARY_RE, text, lo, hi)


@settings(max_examples=400, deadline=None)
@given(_texts, st.integers(0, 30))
def test_acronym_pattern_unchanged(text: str, lo: int) -> None:
    lo = min(lo, len(text))
    assert _spans(_ACRONYM_RE, text, lo, len(text)) == _spans(_OLD_ACRONYM_RE, text, lo, len(text))


def test_acronym_examples() -> None:
    assert [m.group() for m in _ACRONYM_RE.finditer("an i.p.m.n. and m p d; xi p m n")] == [
        "i.p.m.n.",
        "m p d",
    ]


def _reference_measurements(text: str) -> list[M.Measurement]:
    out = []
    for m in M.MEASURE_RE.finditer(text):
        found = M._from_match(m)
        if found is not None and found.values_mm and max(found.values_mm) > 0:
            out.append(found)
    return out


_SIZE_PIECES = [
    "1",
    "2",
    ".5",
    ",3",
    " ",
    "x",
    "by",
    "mm",
    "cm",
    "-",
    "to",
    "up to",
    "<",
    " MM",
    "3.2",
    "\n",
    "a",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SIZE_PIECES), max_size=10).map("".join))
def test_bare_number_shortcut_changes_nothing(text: str) -> None:
    assert M.find_measurements(text) == _reference_measurements(text)


def test_span_is_model_construct() -> None:
    fast = _span(3, 7, "cyst", "size_mm")
    slow = Span.model_construct(start=3, end=7, text="cyst", feature="size_mm", alignment="exact", score=1.0)
    assert fast == slow
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.model_dump_json() == slow.model_dump_json()
    assert repr(fast) == repr(slow)
