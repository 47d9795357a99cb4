"""A small ConText engine: negation, uncertainty, history and hypotheticals by trigger scope.

medspaCy measured about 440 reports/s with a blank pipeline, far below what a laptop should
do on millions of reports, so this is our own: the trigger phrases live in
``lexicon/context.yaml`` (data, not code), one compiled regex finds them all in one pass over the
report, and a target's modifiers are the triggers whose scope covers it within its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

NEGATED = "negated"
POSSIBLE = "possible"
PROBABLE = "probable"
HISTORICAL = "historical"
HYPOTHETICAL = "hypothetical"
PSEUDO = "pseudo"
TERMINATE = "terminate"
CATEGORIES = (NEGATED, POSSIBLE, PROBABLE, HISTORICAL, HYPOTHETICAL)

MAX_SCOPE_CHARS = 110
_MAX_PHRASE_WORDS = 12


@dataclass(frozen=True, slots=True)
class Rule:
    category: str
    direction: str  # "forward", "backward" or "none" (pseudo, terminations)
    applies_to: frozenset[str]  # for terminations: the categories they end


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    rule: Rule
    field: bool = False  # a field answer ("Communication with main duct: no") covers its whole label


_TOKEN_RE = re.compile(r"[a-z0-9]+(?:/[a-z]+)?|[;:]")
_SPACE_RE = re.compile(r"[\s-]+")


def _tokens(phrase: str) -> tuple[str, ...]:
    return tuple(_TOKEN_RE.findall(phrase.lower()))


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern[str], dict[str, list[tuple[tuple[str, ...], Rule, bool]]]]:
    """A regex for the first words of all phrases, and first word -> [(words, rule, is_field_answer)]."""
    raw = resources.files("pancyst.text").joinpath("lexicon/context.yaml").read_text(encoding="utf-8")
    lex = yaml.safe_load(raw)
    rules: dict[tuple[str, ...], tuple[Rule, bool]] = {}
    empty: frozenset[str] = frozenset()
    for category in CATEGORIES:
        for direction, phrases in lex.get(category, {}).items():
            for phrase in phrases:
                rules.setdefault(_tokens(phrase), (Rule(category, direction, empty), phrase.startswith(":")))
    for phrase in lex.get("pseudo", []):
        rules[_tokens(phrase)] = (Rule(PSEUDO, "none", empty), False)
    term_cats: dict[tuple[str, ...], set[str]] = {}
    for group, phrases in lex.get("terminate", {}).items():
        cats = set(CATEGORIES) if group == "all" else {group}
        for phrase in phrases:
            term_cats.setdefault(_tokens(phrase), set()).update(cats)
    for key, cats in term_cats.items():
        if key not in rules:
            rules[key] = (Rule(TERMINATE, "none", frozenset(cats)), False)
    index: dict[str, list[tuple[tuple[str, ...], Rule, bool]]] = {}
    for words, (rule, field) in rules.items():
        if words:
            index.setdefault(words[0], []).append((words, rule, field))
    for entries in index.values():
        entries.sort(key=lambda e: len(e[0]), reverse=True)
    firsts = sorted((w for w in index if w[0].isalnum()), key=len, reverse=True)
    initials = "".join(sorted({w[0] for w in firsts}))
    if max(len(e[0]) for entries in index.values() for e in entries) > _MAX_PHRASE_WORDS:
        raise ValueError(f"context.yaml: a trigger phrase is longer than {_MAX_PHRASE_WORDS} words")
    first_re = re.compile(
        r"[;:]|(?<![a-z0-9/])(?=["
        + re.escape(initials)
        + r"])\b(?:"
        + "|".join(re.escape(w) for w in firsts)
        + r")(?![a-z0-9/])"
    )
    return first_re, index


_FIELD_END_RE = re.compile(r"\s*(?:[.;,\n]|$)")
_SPACE_ONLY_RE = re.compile(r"[\s-]*")


_NONE: frozenset[str] = frozenset()


class ContextIndex:
    """Trigger hits of one text, found per sentence on first use; answers "which modifiers cover this?".

    A report's sentences about other organs are never asked about, so they are never tokenized.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._regions: dict[tuple[int, int], list[Hit]] = {}
        self._mods: dict[tuple[int, int, int, int], frozenset[str]] = {}

    @property
    def hits(self) -> list[Hit]:
        """Every hit in the whole text (tests, debugging)."""
        return self._hits(0, len(self.text))

    def _hits(self, lo: int, hi: int) -> list[Hit]:
        key = (lo, hi)
        found = self._regions.get(key)
        if found is None:
            found = self._regions[key] = _scan(self.text, lo, hi)
        return found

    def hits_in(self, lo: int, hi: int) -> list[Hit]:
        return [h for h in self._hits(lo, hi) if h.end <= hi]

    def modifiers(self, start: int, end: int, lo: int, hi: int) -> frozenset[str]:
        """Categories whose trigger scope covers ``[start, end)`` inside the sentence ``[lo, hi)``.

        Remembered per target: the extractor asks about the same cyst word more than once.
        """
        key = (start, end, lo, hi)
        cached = self._mods.get(key)
        if cached is None:
            found = self._modifiers(start, end, lo, hi)
            cached = self._mods[key] = frozenset(found) if found else _NONE
        return cached

    def _modifiers(self, start: int, end: int, lo: int, hi: int) -> set[str]:
        found: set[str] = set()
        hits = self._hits(lo, hi)
        for idx, hit in enumerate(hits):
            rule = hit.rule
            if rule.category in (PSEUDO, TERMINATE):
                continue
            if rule.direction == "forward" and hit.end <= start:
                if start - hit.end > MAX_SCOPE_CHARS:
                    continue
                if not _terminated(hits, idx + 1, hit.end, start, rule.category, forward=True):
                    found.add(rule.category)
            elif rule.direction == "backward" and hit.start >= end:
                if hit.start - end > MAX_SCOPE_CHARS:
                    continue
                if hit.field or not _terminated(hits, idx - 1, end, hit.start, rule.category, forward=False):
                    found.add(rule.category)
        return found


def _scan(text: str, lo: int, hi: int) -> list[Hit]:
    """One pass over the tokens of ``text[lo:hi]``: longest phrase first at each token."""
    _, index = _compiled()
    # one tokenisation pass (nine sentences in ten asked about hold a trigger's first word, so the
    # offsets are needed anyway)
    matches = list(_TOKEN_RE.finditer(text, lo, hi))
    words = [m.group() for m in matches]
    hits: list[Hit] = []
    i = 0
    n = len(words)
    get = index.get
    while i < n:
        entries = get(words[i])
        if entries is None:
            i += 1
            continue
        matched = 0
        for phrase, rule, field in entries:
            k = len(phrase)
            if k > 1 and (i + k > n or tuple(words[i : i + k]) != phrase):
                continue
            end = matches[i + k - 1].end()
            if field and not _FIELD_END_RE.match(text, end):
                continue
            hits.append(Hit(matches[i].start(), end, rule, field))
            matched = k
            break
        i += matched or 1
    return hits


def _terminated(hits: list[Hit], idx: int, a: int, b: int, category: str, *, forward: bool) -> bool:
    step = 1 if forward else -1
    while 0 <= idx < len(hits):
        h = hits[idx]
        if forward and h.start >= b:
            return False
        if not forward and h.end <= a:
            return False
        if a <= h.start and h.end <= b and h.rule.category == TERMINATE and category in h.rule.applies_to:
            return True
        idx += step
    return False


def modifiers_of(text: str, start: int, end: int) -> set[str]:
    """Convenience for one sentence: the modifier categories of ``text[start:end]``."""
    return set(ContextIndex(text.lower()).modifiers(start, end, 0, len(text)))
