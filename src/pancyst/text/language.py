"""Whether a report is written in English: the rules backend reads English words only.

A report in another language gives the rules backend nothing true to read, but enough shared tokens
(numbers, units, "IPMN", "Wirsung") to produce a confident wrong answer; telling it apart costs one
pass over the words. The word lists live in ``lexicon/languages.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from pancyst.resources import load_yaml

MIN_WORDS = 20  # fewer words than this decide nothing ("Panc: 1.2cm cyst tail. PD nl.")
_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class _Lists:
    english: frozenset[str]
    others: dict[str, frozenset[str]]


@lru_cache(maxsize=1)
def _lists() -> _Lists:
    raw = resources.files("pancyst.text").joinpath("lexicon/languages.yaml").read_text(encoding="utf-8")
    lex = load_yaml(raw)
    english = frozenset(str(w) for w in lex["english"])
    others = {name: frozenset(str(w) for w in words) - english for name, words in lex["others"].items()}
    return _Lists(english, others)


def other_language(text: str) -> str | None:
    """The language the report reads as when that is clearly not English, else None.

    Clearly: at least ``MIN_WORDS`` words, and the other language's common words outnumber the English
    ones three to one (a translated report, or an English one quoting a foreign phrase, stays English)."""
    if text.count("the ") >= 2:
        return None  # an English report, without a look at its words
    words = _WORD_RE.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    lists = _lists()
    english = sum(1 for w in words if w in lists.english)
    best, name = 0, ""
    for lang, vocab in lists.others.items():
        n = sum(1 for w in words if w in vocab)
        if n > best:
            best, name = n, lang
    return name if best >= 6 and best >= 3 * english else None
