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
from itertools import accumulate, compress, product
from typing import Any

from pancyst.resources import load_yaml

NEGATED = "negated"
POSSIBLE = "possible"
UNCERTAIN = "uncertain"
PROBABLE = "probable"
HISTORICAL = "historical"
HYPOTHETICAL = "hypothetical"
PSEUDO = "pseudo"
TERMINATE = "terminate"
CATEGORIES = (NEGATED, POSSIBLE, UNCERTAIN, PROBABLE, HISTORICAL, HYPOTHETICAL)

MAX_SCOPE_CHARS = 110
_MAX_PHRASE_WORDS = 12


@dataclass(frozen=True, slots=True)
class Rule:
    category: str
    direction: str  # "forward", "backward", "both" or "none" (pseudo, terminations)
    applies_to: frozenset[str]  # the categories whose scope this rule ends (terminations; ends_scope)
    # context.yaml clause_final: forward only before a predicate ("cysts, none communicating with the duct",
    # "none with nodules"), backward otherwise ("Mural nodule none.", "Mural nodules: none in either cyst")
    final: bool = False
    # context.yaml attributive: forward before the noun it qualifies ("absent mural nodule"), backward after
    # it, as a predicate ("mural nodule absent", "mural nodule absent in both cysts")
    attributive: bool = False


@dataclass(frozen=True, slots=True)  # frozen: a sentence's hits are shared by every report that repeats it
class Hit:
    start: int
    end: int
    rule: Rule
    field: bool = False  # a field answer ("Communication with main duct: no") covers its whole label


_TOKEN_RE = re.compile(r"[a-z0-9]+(?:/[a-z]+)?|[;:]")
_TOKEN_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})")
_SPACE_RE = re.compile(r"[\s-]+")


def _tokens(phrase: str) -> tuple[str, ...]:
    return tuple(_TOKEN_RE.findall(phrase.lower()))


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    raw = resources.files("pancyst.text").joinpath("lexicon/context.yaml").read_text(encoding="utf-8")
    lex: dict[str, Any] = load_yaml(raw)
    return lex


def _expand_forms(forms: list[list[list[str]]]) -> list[str]:
    """context.yaml ``pseudo_forms``: every combination of each form's slots, empty slots left out."""
    return [" ".join(w for w in words if w) for slots in forms for words in product(*slots)]


@lru_cache(maxsize=1)
def _spellings() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """context.yaml ``spellings``: whole words each way, and word endings each way (longest first)."""
    table = _lexicon().get("spellings") or {}
    words: dict[str, str] = {}
    for us, uk in table.get("words") or []:
        words[us] = uk
        words[uk] = us
    ends = [(us, uk) for us, uk in table.get("suffixes") or []]
    ends += [(uk, us) for us, uk in ends]
    return words, tuple(sorted(ends, key=lambda e: len(e[0]), reverse=True))


def respell(token: str) -> str:
    """``token`` in the other spelling (``visualized`` <-> ``visualised``, ``calibre`` <-> ``caliber``), or
    itself when it has none."""
    words, ends = _spellings()
    if token in words:
        return words[token]
    for end, other in ends:
        if token.endswith(end) and len(token) > len(end) + 2:
            return token[: -len(end)] + other
    return token


def _respelled(words: tuple[str, ...]) -> tuple[str, ...]:
    """A phrase's tokens with every word in its other spelling."""
    return tuple(respell(w) for w in words)


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern[str], dict[str, list[tuple[tuple[str, ...], Rule, bool]]]]:
    """A regex for the first words of all phrases, and first word -> [(words, rule, is_field_answer)]."""
    lex = _lexicon()
    rules: dict[tuple[str, ...], tuple[Rule, bool]] = {}
    empty: frozenset[str] = frozenset()
    ends = _ends_scope()
    final = frozenset(lex.get("clause_final") or [])
    attributive = frozenset(lex.get("attributive") or [])
    for category in CATEGORIES:
        for direction, phrases in lex.get(category, {}).items():
            for phrase in phrases:
                rule = Rule(
                    category,
                    "both" if phrase in attributive else direction,
                    ends.get(category, empty),
                    phrase in final,
                    phrase in attributive,
                )
                rules.setdefault(_tokens(phrase), (rule, phrase.startswith(":")))
    for phrase in [*lex.get("pseudo", []), *_expand_forms(lex.get("pseudo_forms") or [])]:
        rules[_tokens(phrase)] = (Rule(PSEUDO, "none", empty), False)
    term_cats: dict[tuple[str, ...], set[str]] = {}
    for group, phrases in lex.get("terminate", {}).items():
        cats = set(CATEGORIES) if group == "all" else {group}
        for phrase in phrases:
            term_cats.setdefault(_tokens(phrase), set()).update(cats)
    for key, cats in term_cats.items():
        if key not in rules:
            rules[key] = (Rule(TERMINATE, "none", frozenset(cats)), False)
    for key, entry in list(rules.items()):  # the other spelling of each phrase, unless written itself
        rules.setdefault(_respelled(key), entry)
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


_WORD_NEXT_RE = re.compile(r"[ \t]+(?:with|\w+ing)\b")  # what a clause_final trigger opens: a predicate
# what an attributive trigger qualifies when it stands before it: a word, not a preposition or a conjunction
_NOUN_NEXT_RE = re.compile(
    r"[ \t]+(?!(?:and|or|but|in|on|at|of|within|throughout|from|for|to|both|either|bilaterally|is|are|was|were)\b)[a-z]"
)
_FORWARD = ("forward", "both")  # "both": a trigger that covers what comes before and after it
_BACKWARD = ("backward", "both")
_FIELD_BREAK_RE = re.compile(r"[:|;\n]")
_ITEM_BREAK_RE = re.compile(r"[:|;\n,()]")
_PAREN_OPEN_RE = re.compile(r"\(\s*$")
_PAREN_CLOSE_RE = re.compile(r"\s*\)")
_FIELD_END_RE = re.compile(r"\s*(?:[.;,\n|]|$)")
_SPACE_ONLY_RE = re.compile(r"[\s-]*")


_NONE: frozenset[str] = frozenset()


_sentence_hits: dict[str, tuple[Hit, ...]] = {}
_CACHE_MAX = 50_000
_MAX_CACHED_SENTENCE = 500


class ContextIndex:
    """Trigger hits of one text, found per sentence on first use; answers "which modifiers cover this?".

    A report's sentences about other organs are never asked about, so they are never tokenized.
    A sentence's hits are kept with offsets from its start, so a sentence that templated reports
    repeat ("No pancreatic ductal dilatation.") is tokenized once.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._regions: dict[tuple[int, int], tuple[Hit, ...]] = {}
        self._mods: dict[tuple[int, int, int, int], frozenset[str]] = {}
        self._cut_cache: dict[tuple[int, int], tuple[int, ...]] = {}
        self._phrases = _phrases()

    @property
    def hits(self) -> list[Hit]:
        """Every hit in the whole text (tests, debugging)."""
        return self.hits_in(0, len(self.text))

    def _hits(self, lo: int, hi: int) -> tuple[Hit, ...]:
        """The hits of ``text[lo:hi]``, offsets from ``lo``."""
        key = (lo, hi)
        found = self._regions.get(key)
        if found is None:
            sentence = self.text[lo:hi]
            found = _sentence_hits.get(sentence)
            if found is None:
                found, local = _scan(self.text, lo, hi, self._phrases)
                if local and len(sentence) <= _MAX_CACHED_SENTENCE:
                    if len(_sentence_hits) > _CACHE_MAX:
                        _sentence_hits.clear()
                    _sentence_hits[sentence] = found
            self._regions[key] = found
        return found

    def hits_in(self, lo: int, hi: int) -> list[Hit]:
        return [
            Hit(h.start + lo, h.end + lo, h.rule, h.field) for h in self._hits(lo, hi) if h.end + lo <= hi
        ]

    def modifiers(self, start: int, end: int, lo: int, hi: int) -> frozenset[str]:
        """Categories whose trigger scope covers ``[start, end)`` inside the sentence ``[lo, hi)``.

        Remembered per target: the extractor asks about the same cyst word more than once.
        """
        key = (start, end, lo, hi)
        cached = self._mods.get(key)
        if cached is None:
            found = self._covering(start, end, lo, hi)
            cached = self._mods[key] = frozenset(hit.rule.category for hit in found) if found else _NONE
        return cached

    def _cuts(self, lo: int, hi: int) -> tuple[int, ...]:
        """Where a new clause opens in the sentence [lo, hi) (offsets from lo), found once per sentence."""
        key = (lo, hi)
        found = self._cut_cache.get(key)
        if found is None:
            text = self.text
            found = self._cut_cache[key] = (
                tuple(m.start() - lo for m in _new_clause_re().finditer(text, lo, hi))
                if any(text.find(g, lo, hi) >= 0 for g in _new_clause_gates())
                else ()
            )
        return found

    def covering(self, start: int, end: int, lo: int, hi: int) -> list[Hit]:
        """The triggers whose scope covers ``[start, end)`` (offsets in the text): which words modify it."""
        return [Hit(h.start + lo, h.end + lo, h.rule, h.field) for h in self._covering(start, end, lo, hi)]

    def _covering(self, start: int, end: int, lo: int, hi: int) -> list[Hit]:
        found: list[Hit] = []
        hits = self._hits(lo, hi)
        if not hits:
            return found
        cuts: tuple[int, ...] | None = None  # looked up only for a forward scope that reaches the target
        start -= lo  # the hits' offsets are from the sentence start
        end -= lo
        for idx, hit in enumerate(hits):
            rule = hit.rule
            if rule.category in (PSEUDO, TERMINATE):
                continue
            if rule.direction in _FORWARD and hit.end <= start:
                if start - hit.end > MAX_SCOPE_CHARS:
                    continue
                if rule.final and not _WORD_NEXT_RE.match(self.text, lo + hit.end):
                    continue  # "Mural nodule none, septations present": an answer, it opens nothing
                if rule.attributive and not _NOUN_NEXT_RE.match(self.text, lo + hit.end):
                    continue  # "Mural nodule absent, septations present": a predicate, it qualifies nothing after
                if not _terminated(hits, idx + 1, hit.end, start, rule.category, forward=True):
                    if cuts is None:
                        cuts = self._cuts(lo, hi)
                    if not (cuts and any(hit.end <= cut < start for cut in cuts)):
                        found.append(hit)
            elif rule.direction in _BACKWARD and hit.start >= end:
                if hit.start - end > MAX_SCOPE_CHARS:
                    continue
                if rule.final and _WORD_NEXT_RE.match(self.text, lo + hit.end):
                    continue  # "cysts, none communicating with the duct": a group subject, not an answer
                if rule.attributive and _NOUN_NEXT_RE.match(self.text, lo + hit.end):
                    continue  # "absent mural nodule": it qualifies the noun after it
                if hit.field:
                    # a field answer ("Mural nodule: none") covers its own label only, not the fields before
                    # it on the line ("Lesion 1: Location: head | … | Mural nodule: none"); a parenthesized one
                    # only its own list item ("wall thickening (present), enhancing nodule (absent)")
                    opening = self.text.rfind("(", lo + end, lo + hit.start)
                    breaks = _FIELD_BREAK_RE if opening < 0 else _ITEM_BREAK_RE
                    if (
                        breaks.search(self.text, lo + end, opening if opening >= 0 else lo + hit.start)
                        is None
                    ):
                        found.append(hit)
                elif not _terminated(hits, idx - 1, end, hit.start, rule.category, forward=False):
                    found.append(hit)
        return found


_Phrases = dict[str, list[tuple[int, dict[tuple[str, ...], tuple[Rule, bool]]]]]


@lru_cache(maxsize=1)
def _phrases() -> _Phrases:
    """First word -> [(length, {words: (rule, is_field_answer)})], longest first: one lookup per length."""
    out: _Phrases = {}
    for first, entries in _compiled()[1].items():
        by_len: dict[int, dict[tuple[str, ...], tuple[Rule, bool]]] = {}
        for words, rule, field in entries:
            by_len.setdefault(len(words), {})[words] = (rule, field)
        out[first] = sorted(by_len.items(), reverse=True)
    return out


def _scan(text: str, lo: int, hi: int, phrases: _Phrases) -> tuple[tuple[Hit, ...], bool]:
    """One pass over the tokens of ``text[lo:hi]``: longest phrase first at each token.

    The hits' offsets are from ``lo``. The flag says whether they depend on ``text[lo:hi]`` alone:
    a field answer that ends the text is one only if a break or the end of the report follows.
    """
    # ``split`` with the token pattern in a group gives gap, token, gap, ..., token, gap: the words
    # without a match object each, and the offsets (summed lengths) only once a phrase is found
    parts = _TOKEN_SPLIT_RE.split(text[lo:hi])
    words = parts[1::2]
    if phrases.keys().isdisjoint(words):
        return (), True
    offsets: list[int] = []  # offsets[2 * i + 1], offsets[2 * i + 2]: start and end of word i
    hits: list[Hit] = []
    local = True
    n = len(words)
    firsts = list(map(phrases.get, words))
    after = 0  # the words of a phrase found are not looked up again
    for i in compress(range(n), firsts):
        if i < after:
            continue
        for k, table in firsts[i] or ():
            if i + k > n:
                continue
            found = table.get(tuple(words[i : i + k]))
            if found is None:
                continue
            if not offsets:
                offsets = list(accumulate(map(len, parts), initial=0))
            end = offsets[2 * (i + k)]
            rule, field = found
            if field:
                if not text[lo + end : hi].strip():
                    local = False  # what follows the text decides
                if not _FIELD_END_RE.match(text, lo + end):
                    continue
            start = offsets[2 * i + 1]
            if not field and rule.category == NEGATED and _in_parentheses(text, lo + start, lo + end):
                # "enhancing mural nodule (absent)": an answer to the item before it, like a field's
                rule, field = Rule(NEGATED, "backward", rule.applies_to), True
            hits.append(Hit(start, end, rule, field))
            after = i + k
            break
    return tuple(hits), local


def _in_parentheses(text: str, start: int, end: int) -> bool:
    """The trigger fills a pair of parentheses by itself: "(absent)", "( none )"."""
    return bool(_PAREN_OPEN_RE.search(text, max(0, start - 3), start)) and bool(
        _PAREN_CLOSE_RE.match(text, end)
    )


@lru_cache(maxsize=1)
def _ends_scope() -> dict[str, frozenset[str]]:
    """context.yaml ``ends_scope``: a trigger of one category ends the scopes of these others."""
    return {cat: frozenset(ends) for cat, ends in (_lexicon().get("ends_scope") or {}).items()}


@lru_cache(maxsize=1)
def _new_clause_gates() -> tuple[str, ...]:
    """context.yaml ``new_clause_gates``: a sentence without any of these opens no new clause."""
    return tuple(_lexicon()["new_clause_gates"])


@lru_cache(maxsize=1)
def _new_clause_re() -> re.Pattern[str]:
    """context.yaml ``new_clause``: where a forward scope ends although no trigger word ends it."""
    return re.compile("|".join(f"(?:{p})" for p in _lexicon()["new_clause"]))


def _terminated(hits: tuple[Hit, ...], idx: int, a: int, b: int, category: str, *, forward: bool) -> bool:
    step = 1 if forward else -1
    while 0 <= idx < len(hits):
        h = hits[idx]
        if forward and h.start >= b:
            return False
        if not forward and h.end <= a:
            return False
        if a <= h.start and h.end <= b and category in h.rule.applies_to:
            return True  # a termination term, or a trigger that ends this category's scope (ends_scope)
        idx += step
    return False


def modifiers_of(text: str, start: int, end: int) -> set[str]:
    """Convenience for one sentence: the modifier categories of ``text[start:end]``."""
    return set(ContextIndex(text.lower()).modifiers(start, end, 0, len(text)))
