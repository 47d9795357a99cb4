from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pancyst.grounding import align

TEXT = "FINDINGS:  A 2.3 x 1.8 cm cystic lesion in the\npancreatic tail. A 2.3 x 1.8 cm renal cyst."


def test_exact_match_and_offsets() -> None:
    span = align("cystic lesion", TEXT)
    assert span is not None
    assert (span.start, span.end, span.alignment, span.score) == (26, 39, "exact", 1.0)
    assert TEXT[span.start : span.end] == "cystic lesion"


def test_hint_picks_nearest_repeat() -> None:
    first = align("2.3 x 1.8 cm", TEXT)
    second = align("2.3 x 1.8 cm", TEXT, hint=70)
    assert first is not None and second is not None
    assert first.start == 13 and second.start == TEXT.rindex("2.3 x 1.8 cm")


def test_normalized_whitespace_and_case() -> None:
    span = align("lesion in the PANCREATIC tail", TEXT)
    assert span is not None and span.alignment == "normalized"
    assert span.text == "lesion in the\npancreatic tail"
    assert TEXT[span.start : span.end] == span.text


def test_fuzzy_records_score_and_whole_words() -> None:
    span = align("cystic lesion in the pancreatic tale", TEXT)
    assert span is not None and span.alignment == "fuzzy"
    assert 0.85 <= span.score < 1.0
    assert span.text.startswith("cystic lesion") and TEXT[span.start : span.end] == span.text


def test_unalignable_and_empty_quotes() -> None:
    assert align("hepatic hemangioma with calcification", TEXT) is None
    assert align("", TEXT) is None
    assert align('  "" ', TEXT) is None
    assert align("abc", "") is None


def test_threshold_is_configurable() -> None:
    assert align("cystic lesion in the pancreatic tale", TEXT, threshold=0.99) is None


def test_wrapping_quotes_are_stripped() -> None:
    span = align('"pancreatic tail"', TEXT)
    assert span is not None and span.text == "pancreatic tail"


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=120), st.data())
def test_any_substring_aligns_to_itself(text: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(text) - 1))
    j = data.draw(st.integers(i + 1, len(text)))
    quote = text[i:j]
    span = align(quote, text)
    if span is not None:
        assert text[span.start : span.end] == span.text
    if quote.strip(" \t\r\n\"'`“”‘’«»"):
        assert span is not None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=200))
def test_never_raises_and_spans_always_match(quote: str, text: str) -> None:
    span = align(quote, text, threshold=0.5)
    if span is not None:
        assert text[span.start : span.end] == span.text
        assert 0.0 <= span.score <= 1.0
