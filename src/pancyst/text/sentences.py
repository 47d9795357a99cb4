"""Sentence splitting tuned for dictated radiology text.

Decimals ("1.2 cm"), abbreviations ("approx.", "e.g.") and list markers ("1. ") never end a
sentence; a line break does when the next line starts a new item (capital, digit, bullet) or
the line ended a sentence, but not when a hard-wrapped line continues in lower case.
"""

from __future__ import annotations

import re
import string

# ``[.!?]+(?=[\s"')\]]|$)|\n``, written to start with a character class so ``re`` skips to candidates
_BOUNDARY_RE = re.compile(r"[.!?\n](?:(?<=\n)|[.!?]*(?=[\s\"')\]]|$))")
_ABBREVIATIONS = frozenset(
    {
        "approx",
        "max",  # "max. 7 mm" (translated reports)
        "e.g",
        "i.e",
        "eg",
        "ie",
        "vs",
        "dr",
        "mr",
        "mrs",
        "ms",
        "st",
        "no",
        "fig",
        "incl",
        "ca",
        "cf",
        "resp",
        "sq",
        "hx",
        "pt",
        "sec",
        "ser",
        "im",
        "img",
        "se",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    }
)
_ASCII_WORD_CHARS = string.ascii_letters + "."
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*|\d+)$")
_WRAP_MIN = 50  # a line this long that stops without an end mark was wrapped
_LABEL = r"[A-Za-z][\w /&()-]{0,40}:"  # a field or section label ("PANCREAS:", "Cyst 2 size:")
# a line that opens a new item: a list marker, a bullet, a checkbox, or a label
_NEW_ITEM_RE = re.compile(rf"(?:\d{{1,2}}[.)]\s|[-*•]\s|\[|{_LABEL})")
# a line that opens with a label ("Presumed diagnosis: solid pseudopapillary neoplasm"): a template's field, whose
# next line is the next field
_LABEL_LINE_RE = re.compile(rf"[ \t*#-]*{_LABEL}")
_CHECKBOX_RE = re.compile(r"\[[ xX✓✔*-]?\]")
_LIST_MARK_RE = re.compile(r"(?:^|\n)[ \t]*\d{1,2}$")
_LAST_WORD_RE = re.compile(r"(?:(?<![\w.])([A-Za-z]+|×)|(,))[ \t\r]*$")
# Words a line of a hard-wrapped sentence can stop at, but no sentence ends with.
_CONTINUING_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "at",
        "on",
        "to",
        "into",
        "within",
        "from",
        "with",
        "without",
        "and",
        "or",
        "by",
        "x",
        "×",
        "measuring",
        "measures",
        "measured",
        "is",
        "are",
        "was",
        "were",
        "which",
        "that",
        "its",
        "their",
        "this",
        "these",
        "approximately",
        "about",
        # (not "no" or "yes": a template's answer ends its line)
        "not",
        "nor",
        "than",
        "as",
        "for",
        "per",
        "versus",
        "vs",
        "but",
        "has",
        "have",
        "had",
        "be",
        "been",
        "very",
        "both",
        "either",
        "each",
        "whose",
        "where",
        "when",
        "whether",
        "because",
        "after",
        "before",
        "between",
        "through",
        "during",
        "over",
        "under",
        "along",
        "across",
        "near",
        "upon",
        "onto",
        "via",
    ]
)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` within ``text[start:end]``, whitespace trimmed."""
    stop = len(text) if end is None else min(end, len(text))
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _BOUNDARY_RE.finditer(text, start, stop):
        dot = m.start()
        ch = text[dot]
        if ch == "\n":
            # a break right after a sentence end ("normal.\n") cuts nothing either way: no look
            if dot > cur and not _newline_breaks(text, dot, stop):
                continue
            cut = dot
        else:
            # (a word of seven letters or more before a period is never an abbreviation: skip the look)
            if (
                ch == "."
                and (dot - 7 < start or not text[dot - 7 : dot].isalpha())
                and _not_an_end(text, dot, start)
            ):
                continue
            if ch == "?" and _hedge_mark(text, dot, start, stop):
                continue
            cut = m.end()
        if cut > cur:
            seg = text[cur:cut]
            body = seg.strip()
            if body:
                a = cur + len(seg) - len(seg.lstrip())
                spans.append((a, a + len(body)))
        cur = cut
    _add(text, cur, stop, spans)
    return spans


def _add(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    seg = text[a:b]
    body = seg.strip()
    if body:
        a += len(seg) - len(seg.lstrip())
        spans.append((a, a + len(body)))


def _not_an_end(text: str, dot: int, floor: int) -> bool:
    """True when the period at ``dot`` belongs to an abbreviation or a list marker."""
    if text[dot] != ".":
        return False
    lo = max(floor, dot - 24)
    if dot - 7 >= lo and text[dot - 7 : dot].isalpha():
        return False  # a word of seven letters or more is no abbreviation (the longest is "approx")
    before = text[lo:dot]
    if before.isascii() and not before[-1:].isdigit():
        # the walk below in C: the run of letters and periods before the dot, less its leading periods
        word = before[len(before.rstrip(_ASCII_WORD_CHARS)) :].lstrip(".")
        return bool(word) and word.lower() in _ABBREVIATIONS
    i = dot
    if i > lo and text[i - 1].isdigit():
        while i > lo and text[i - 1].isdigit():
            i -= 1
        if i > lo and (text[i - 1].isalpha() or text[i - 1] == "."):
            return False  # "t2." is a word ending a sentence, not a list marker
        return dot - i <= 2 and bool(_LIST_MARK_RE.search(text[lo:dot]))
    while i > lo and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    while i < dot and not text[i].isalpha():
        i += 1  # the word starts with a letter
    if i >= dot:
        return False
    return text[i:dot].lower() in _ABBREVIATIONS


def _newline_breaks(text: str, nl: int, stop: int) -> bool:
    j = nl + 1
    while j < stop and text[j] in " \t\r":
        j += 1
    if j >= stop or text[j] == "\n":
        return True
    nxt = text[j]
    if nxt == "[" and _CHECKBOX_RE.match(text, j):
        return True  # a template's checkbox item ("[x] Communication with main duct") is a line of its own
    if not ((nxt.isalpha() and nxt.islower()) or nxt in "(["):  # ("normal caliber" / "(2 mm).": goes on)
        # a hard-wrapped line that stops mid-phrase ("measures 1.5 x 1.1 x" / "0.9 cm") goes on, and so does a
        # line of wrapped prose whose next line is no new item ("… consistent with a side-branch" / "IPMN. No …")
        return not (_ends_mid_phrase(text, nl) or _wrapped_prose(text, nl, j))
    return _ends_a_sentence(text, nl)


def _wrapped_prose(text: str, nl: int, j: int) -> bool:
    """A long line with no end mark and no label, then a line that opens with no list marker, label or heading: one
    wrapped sentence (text exported at a fixed width)."""
    line_start = text.rfind("\n", 0, nl) + 1
    line = text[line_start:nl].rstrip()
    if len(line) < _WRAP_MIN or line[-1:] in ".:;!?":
        return False
    if _LABEL_LINE_RE.match(line) and ". " not in line:
        return (
            False  # a field ("Presumed diagnosis: solid pseudopapillary neoplasm"), not prose after a label
        )
    return _NEW_ITEM_RE.match(text, j) is None


def _ends_mid_phrase(text: str, nl: int) -> bool:
    """The line before ``nl`` ends with a comma or a word no sentence ends with (an article, a preposition,
    a conjunction, the "x" of a size)."""
    m = _LAST_WORD_RE.search(text, max(0, nl - 24), nl)
    return m is not None and (m.group(2) is not None or m.group(1).lower() in _CONTINUING_WORDS)


def _ends_a_sentence(text: str, nl: int) -> bool:
    """A lower-case next line continues the sentence unless this line already ended one."""
    i = nl - 1
    while i >= 0 and text[i] in " \t\r":
        i -= 1
    return i >= 0 and text[i] in ".:;!?"


def _hedge_mark(text: str, q: int, start: int, stop: int) -> bool:
    """A "?" that opens a word ("(? cyst)", "? IPMN") is a hedge, not the end of a question."""
    before = text[q - 1] if q > start else " "
    after = text[q + 1 : q + 3]
    return before in " (\t" and q + 1 < stop and after[:1] == " " and after[1:2].isalpha()
