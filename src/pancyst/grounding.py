"""Align a model's quoted evidence to character offsets in the report.

A model quotes text; SPEC §2 needs ``{start, end, text}`` with ``text == report[start:end]``.
Quotes are tried exactly, then with whitespace and case normalized, then fuzzily (the score is
recorded so a reader can see how loose the match was). Nothing here looks above the schema.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from pancyst.schema import Alignment, Span

DEFAULT_THRESHOLD = 0.85
# Characters a model tends to wrap quotes in; they are not part of the evidence.
_STRIP = " \t\r\n\"'`“”‘’«»"


def _normalize(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space and lower-case; map each output char to its source index."""
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space and out:
                out.append(" ")
                index.append(i)
            in_space = True
            continue
        in_space = False
        for low in ch.lower():  # lower() may lengthen a char (İ); every piece maps back to it
            out.append(low)
            index.append(i)
    if out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def _occurrences(haystack: str, needle: str) -> list[int]:
    found: list[int] = []
    start = haystack.find(needle)
    while start != -1:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


def _nearest(starts: list[int], hint: int | None) -> int:
    if hint is None:
        return starts[0]
    return min(starts, key=lambda s: (abs(s - hint), s))


def _span(text: str, start: int, end: int, alignment: Alignment, score: float, feature: str | None) -> Span:
    return Span(
        start=start,
        end=end,
        text=text[start:end],
        feature=feature,
        alignment=alignment,
        score=round(max(0.0, min(1.0, score)), 4),
    )


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Fuzzy matches may cut a word in half; a reader wants whole words."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def align(
    quote: str,
    text: str,
    *,
    hint: int | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    feature: str | None = None,
) -> Span | None:
    """Locate ``quote`` in ``text``; ``hint`` (a character offset) picks among repeated matches.

    Returns None when nothing reaches ``threshold`` (0-1); the caller flags the quote.
    """
    quote = quote.strip(_STRIP)
    if not quote or not text:
        return None
    starts = _occurrences(text, quote)
    if starts:
        s = _nearest(starts, hint)
        return _span(text, s, s + len(quote), "exact", 1.0, feature)

    norm_text, index = _normalize(text)
    norm_quote, _ = _normalize(quote)
    if not norm_quote:
        return None
    starts = _occurrences(norm_text, norm_quote)
    if starts:
        positions = {index[s]: s for s in starts}
        s0 = _nearest(sorted(positions), hint)
        s = positions[s0]
        return _span(text, index[s], index[s + len(norm_quote) - 1] + 1, "normalized", 1.0, feature)

    if len(norm_quote) < 4:  # fuzzy matching of a couple of characters finds noise, not evidence
        return None
    result = fuzz.partial_ratio_alignment(norm_quote, norm_text, score_cutoff=threshold * 100)
    if result is None or result.dest_end <= result.dest_start:
        return None
    start = index[result.dest_start]
    end = index[result.dest_end - 1] + 1
    start, end = _widen_to_words(text, start, end)
    if end <= start:
        return None
    # Score the widened span itself, so the recorded score describes the evidence we keep.
    score = fuzz.ratio(norm_quote, _normalize(text[start:end])[0]) / 100
    if score < threshold:
        score = result.score / 100
    return _span(text, start, end, "fuzzy", score, feature)
