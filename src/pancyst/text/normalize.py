"""Lower-casing and slip correction with an offset map back to the original report.

Radiologists read through "pancreatic tale", "mural module" and "IP MN"; so do the rules:
a word one edit away from a rule word is read as that word (see ``lexicon/vocabulary.yaml``),
and a spaced or dotted acronym is joined. Every rule runs on the normalized text and every
evidence span is mapped back, so ``report[start:end]`` is always what was written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import OSA

from pancyst.resources import load_yaml

_WORD_RE = re.compile(r"[a-z]+")
# "i.p.m.n", "i p m n", "ip-mn", "m.p.d" at a word start: each branch opens with its letter and then checks
# the word start (``(?<!\w.)``), so ``re`` jumps between "i"s and "m"s instead of trying every position
_ACRONYM_I = r"i(?<!\w.)(?:\.\s?p\.\s?m\.\s?n\.?|\s+p\s+m\s+n|p\s+mn|\s+pmn|pm\s+n|p-mn|-pmn)"
_ACRONYM_M = r"m(?<!\w.)(?:\.\s?p\.\s?d\.?|\s+p\s+d)"
_ACRONYM_RE = re.compile(f"(?:{_ACRONYM_I}|{_ACRONYM_M})(?![a-z])")
# Each branch alone opens with a literal letter, which ``re`` finds by a fast scan; an "i" match
# holds no "m" that an "m" match could start at (and neither holds an "i"), so the two scans,
# merged, give the matches of _ACRONYM_RE.
_ACRONYM_SCANS = (re.compile(_ACRONYM_I + "(?![a-z])"), re.compile(_ACRONYM_M + "(?![a-z])"))
# Unicode hyphens and minus signs, read as the ASCII hyphen (en and em dashes stay: ranges use them).
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2212\u2043\ufe63\uff0d"})
_DASH_RE = re.compile("[\u2010\u2011\u2012\u2212\u2043\ufe63\uff0d]")  # translate() is slow: look first
# a sign on its word ("nodule-,", "septa+"): the gate for the marks that read it
_SIGN_RE = re.compile(r"[a-z](?:-[,;]|\+(?:[,;.]|$))")
_SKIP_BETWEEN = frozenset({"of", "the", "in", "at", "a"})
_CACHE_MAX = 100_000


@dataclass(frozen=True, slots=True)
class _Vocab:
    long: frozenset[str]
    short: dict[str, frozenset[str]]
    protected: frozenset[str]
    verbs: frozenset[str]
    long_index: dict[str, tuple[str, ...]]
    heads: frozenset[str]
    tails: frozenset[str]
    short_initials: frozenset[str]
    synonyms: re.Pattern[str] | None
    synonym_of: tuple[str, ...]
    synonym_stems: tuple[str, ...]
    marks: re.Pattern[str] | None
    mark_of: tuple[str, ...]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _index(words: frozenset[str]) -> dict[str, tuple[str, ...]]:
    idx: dict[str, set[str]] = {}
    for w in words:
        idx.setdefault(w, set()).add(w)
        for d in _deletes(w):
            idx.setdefault(d, set()).add(w)
    return {k: tuple(sorted(v)) for k, v in idx.items()}


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    raw = resources.files("pancyst.text").joinpath("lexicon/vocabulary.yaml").read_text(encoding="utf-8")
    lex = load_yaml(raw)
    long = frozenset(lex["fuzzy_long"])
    short = {word: frozenset(ctx) for word, ctx in lex["fuzzy_short"].items()}
    return _Vocab(
        long,
        short,
        frozenset(lex["protected"]),
        frozenset(lex.get("verbs") or []),
        _index(long),
        frozenset(w[:2] for w in long),
        frozenset(w[-2:] for w in long),
        frozenset(w[0] for w in short),
        *_synonyms(lex.get("synonyms") or []),
        _stems(lex.get("synonyms") or []),
        *_alternation(lex.get("marks") or []),
    )


_GROUP_RE = re.compile(r"\([^()]*\)")


def _outside_groups(pattern: str) -> str:
    """``pattern`` with every group taken out, innermost first: what is left is its top level."""
    while (shorter := _GROUP_RE.sub("", pattern)) != pattern:
        pattern = shorter
    return pattern


_LITERAL_RE = re.compile(r"(?:[^\W\d_]|\\[^\w\s])+")


def _stems(pairs: list[list[str]]) -> tuple[str, ...]:
    """The literal text each synonym pattern opens with, its letters and escaped punctuation
    (``quist(?:e|o)s`` -> ``quist``, ``cyst\\(s(?=…)`` -> ``cyst(s``): a report that holds none of them
    needs no synonym scan."""
    stems = []
    for pattern, _ in pairs:
        letters = re.match(r"[^\W\d_]+", pattern)
        if letters is None:
            raise ValueError(f"vocabulary.yaml: synonym {pattern!r} must open with a letter")
        if len(letters.group(0)) < 4:
            raise ValueError(f"vocabulary.yaml: synonym {pattern!r} must open with four plain letters")
        literal = _LITERAL_RE.match(pattern)
        stem = re.sub(r"\\(.)", r"\1", literal.group(0)) if literal else letters.group(0)
        if "|" in _outside_groups(pattern):
            raise ValueError(
                f"vocabulary.yaml: synonym {pattern!r} has alternatives: write one entry each, so that"
                " each opens with its own letters"
            )
        stems.append(stem)
    return tuple(sorted(set(stems)))


def _alternation(pairs: list[list[str]]) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """One pattern for all ``[pattern, reading]`` pairs (a group each) and the reading of each group."""
    if not pairs:
        return None, ()
    return re.compile("|".join(f"({pattern})" for pattern, _ in pairs)), tuple(word for _, word in pairs)


def _synonyms(pairs: list[list[str]]) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """One pattern for all synonyms (a group each) and the word each group is read as."""
    if not pairs:
        return None, ()
    body = "|".join(f"({pattern})" for pattern, _ in pairs)
    # every synonym opens with a letter: a look at it first spares most word starts the alternation
    initials = "".join(sorted({pattern[0] for pattern, _ in pairs}))
    if not initials.isalpha():
        raise ValueError("vocabulary.yaml: every synonym pattern must open with a letter")
    return re.compile(rf"(?=[{initials}])\b(?:{body})\b"), tuple(word for _, word in pairs)


def _candidates(token: str, index: dict[str, tuple[str, ...]]) -> set[str]:
    found: set[str] = set(index.get(token, ()))
    for d in _deletes(token):
        found.update(index.get(d, ()))
    return {w for w in found if w != token and OSA.distance(token, w, score_cutoff=1) <= 1}


_cache: dict[str, str | None] = {}
_fine_words: set[str] = set()  # words known to need no correction
_fine_chunks: set[str] = set()  # whitespace-separated chunks all of whose words are fine


def correct_word(token: str) -> str | None:
    """The rule word a long token is a slip of, or None (also for correct words)."""
    hit = _cache.get(token, "")
    if hit != "":
        return hit
    v = _vocab()
    result: str | None = None
    if (
        len(token) >= 5
        and token not in v.long
        and token not in v.protected
        # a rule word's plural is no slip of it ("cystadenomas" is not "cystadenoma" misspelt)
        and not _plural_of(token, v.long)
        # one edit keeps either the first two or the last two letters of a word of five or more
        and (token[:2] in v.heads or token[-2:] in v.tails)
    ):
        cands = _candidates(token, v.long_index)
        if len(cands) == 1:
            result = next(iter(cands))
    if len(_cache) > _CACHE_MAX:
        _cache.clear()
    _cache[token] = result
    return result


def _plural_of(token: str, words: frozenset[str]) -> bool:
    """``token`` is the plural of a word of ``words`` ("cystadenomas", "masses"; not "pancreass")."""
    if token.endswith("es") and token[:-2] in words and token[-3] in "sxz":
        return True
    return token.endswith("s") and not token.endswith("ss") and token[:-1] in words


_short_cache: dict[str, tuple[str, frozenset[str]] | None] = {}


def _short_correction(token: str) -> tuple[str, frozenset[str]] | None:
    """A short rule word this token may be a slip of (two edits, same first letter), with its context."""
    try:
        return _short_cache[token]
    except KeyError:
        pass
    found = _short_candidates(token)
    if len(_short_cache) > _CACHE_MAX:
        _short_cache.clear()
    _short_cache[token] = found
    return found


def _needs_look(token: str) -> bool:
    """Whether a word might be corrected at all (cached per word; most words never are)."""
    n = len(token)
    if n >= 5 and correct_word(token) is not None:
        return True
    if 3 <= n <= 5:
        v = _vocab()
        if token not in _SKIP_BETWEEN and token not in v.protected and token not in v.long:
            return _short_correction(token) is not None
    return False


def _short_candidates(token: str) -> tuple[str, frozenset[str]] | None:
    v = _vocab()
    if not token or token[0] not in v.short_initials:
        return None
    if token in v.short or not 3 <= len(token) <= 5:
        return None
    found = [
        (word, ctx)
        for word, ctx in v.short.items()
        if word[0] == token[0]
        # two edits only between words of one length ("tale" -> "tail"); a letter more or fewer and one
        # edit at most ("hed" -> "head", not "has" -> "head" in "the pancreas has been resected")
        and OSA.distance(token, word, score_cutoff=2) <= (2 if len(word) == len(token) else 1)
    ]
    return found[0] if len(found) == 1 else None


def _start(m: re.Match[str]) -> int:
    return m.start()


def _passes_needed(lower: str, v: _Vocab) -> tuple[bool, bool, bool]:
    """Which scans a report needs: the token walk (a word that may be misspelt), the synonym scan (a
    chunk holds a synonym's opening letters) and the mark scan ("(-)", "[x]"). Decided per
    whitespace-separated chunk ("pancreas.", "(series"): a split is cheaper than a word pattern, chunks
    repeat from report to report, and a chunk that needs nothing is remembered."""
    fine = _fine_words
    fine_chunks = _fine_chunks
    if len(fine) > _CACHE_MAX or len(fine_chunks) > _CACHE_MAX:
        fine.clear()
        fine_chunks.clear()
    look = synonyms = marks = False
    stems = v.synonym_stems
    for chunk in set(lower.split()) - fine_chunks:
        c_syn = any(stem in chunk for stem in stems)
        # a mark opens with "[" or "(" ("(-)", "(+)", "( - )": a chunk ending in "("), or is a sign on its word
        c_mark = (
            "[" in chunk
            or "(-" in chunk
            or "(+" in chunk
            or chunk[-1] == "("
            or _SIGN_RE.search(chunk) is not None
        )
        c_look = False
        for w in _WORD_RE.findall(chunk):
            if w not in fine:
                if _needs_look(w):
                    c_look = True
                    break
                fine.add(w)
        if c_look or c_syn or c_mark:
            look = look or c_look
            synonyms = synonyms or c_syn
            marks = marks or c_mark
        else:
            fine_chunks.add(chunk)
    return look, synonyms, marks


class Normalized:
    """The normalized text and the way back to original offsets."""

    __slots__ = ("_ends", "_shift", "_starts", "corrections", "original", "text")

    def __init__(self, original: str) -> None:
        self.original = original
        lower = original.lower()
        if len(lower) != len(original):
            lower = "".join(ch.lower()[:1] or ch for ch in original)
        if not lower.isascii() and _DASH_RE.search(lower) is not None:
            lower = lower.translate(_DASHES)  # "25‐mm" (U+2010) reads as "25-mm"; one character for one
        self.corrections: list[tuple[int, int, str]] = []
        self._shift: tuple[list[int], list[int]] | None = None
        repl = self._find(lower)
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None
        if not repl:
            self.text = lower
            return
        self.corrections = repl
        parts: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for a, b, new in repl:
            parts.append(lower[pos:a])
            starts.extend(range(pos, a))
            ends.extend(range(pos + 1, a + 1))
            parts.append(new)
            starts.extend([a] * len(new))
            ends.extend([b] * len(new))
            pos = b
        parts.append(lower[pos:])
        starts.extend(range(pos, len(lower)))
        ends.extend(range(pos + 1, len(lower) + 1))
        self.text = "".join(parts)
        self._starts = starts
        self._ends = ends

    @staticmethod
    def _find(lower: str) -> list[tuple[int, int, str]]:
        v = _vocab()
        repl: list[tuple[int, int, str]] = []
        found = [m for rx in _ACRONYM_SCANS for m in rx.finditer(lower)]
        for m in sorted(found, key=_start) if len(found) > 1 else found:
            joined = "".join(ch for ch in m.group(0) if ch.isalpha())
            if joined != m.group(0):
                repl.append((m.start(), m.end(), joined))
        look, synonyms, marks = _passes_needed(lower, v)
        if synonyms and v.synonyms is not None:
            for m in v.synonyms.finditer(lower):
                repl.append((m.start(), m.end(), v.synonym_of[(m.lastindex or 1) - 1]))
        if marks and v.marks is not None:
            for m in v.marks.finditer(lower):
                repl.append((m.start(), m.end(), v.mark_of[(m.lastindex or 1) - 1]))
        if len(repl) > 1:
            repl.sort()
        if not look:
            return repl
        tokens = [(m.start(), m.end(), m.group(0)) for m in _WORD_RE.finditer(lower)]
        for i, (a, b, tok) in enumerate(tokens):
            if b - a >= 5:
                fixed = correct_word(tok)
                if fixed is not None:
                    repl.append((a, b, fixed))
                    tokens[i] = (a, b, fixed)  # so a corrected neighbour counts as context
        done = {r[0] for r in repl}
        for i, (a, b, tok) in enumerate(tokens):
            n = b - a
            if (
                a not in done
                and 3 <= n <= 5
                and tok not in _SKIP_BETWEEN
                and tok not in v.protected
                and tok not in v.long
            ):
                short = _short_correction(tok)
                if short is not None and _near_context(tokens, i, short[1]):
                    repl.append((a, b, short[0]))
        if len(repl) > 1:
            repl.sort()
            kept: list[tuple[int, int, str]] = []
            for r in repl:
                if not kept or r[0] >= kept[-1][1]:
                    kept.append(r)
            repl = kept
        return repl

    def shift_table(self) -> tuple[list[int], list[int]]:
        """Correction starts and the length change accumulated before each (for offset lookups)."""
        if self._shift is None:
            starts: list[int] = []
            before: list[int] = []
            acc = 0
            for a, b, new in self.corrections:
                starts.append(a)
                before.append(acc)
                acc += len(new) - (b - a)
            self._shift = (starts, before)
        return self._shift

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalized range ``[start, end)``."""
        if self._starts is None or self._ends is None:
            return start, end
        n = len(self._starts)
        if n == 0:
            return 0, 0
        s = self._starts[min(start, n - 1)] if start < n else len(self.original)
        e = self._ends[min(end, n) - 1] if end > 0 else 0
        return s, max(s, e)


def _near_context(tokens: list[tuple[int, int, str]], i: int, context: frozenset[str]) -> bool:
    verb = tokens[i][2] in _vocab().verbs
    for step in (-1, 1):
        j = i + step
        hops = 0
        while 0 <= j < len(tokens) and tokens[j][2] in _SKIP_BETWEEN and hops < 2:
            j += step
            hops += 1
        if 0 <= j < len(tokens) and tokens[j][2] in context:
            if step == 1 and tokens[j][2] in _ADJECTIVES:
                continue  # "pancreatic tale" is a slip; "thin pancreatic parenchyma" is not
            if verb and j == i - 1 and tokens[j][2] in _NOUNS:
                continue  # "the pancreas had been resected" is a verb; "the pancreatic had" a slip
            return True
    return False


_ADJECTIVES = frozenset({"pancreatic"})
_NOUNS = frozenset({"pancreas"})


def normalize(text: str) -> Normalized:
    return Normalized(text)


def to_normalized(norm: Normalized, pos: int) -> int:
    """The normalized offset of original offset ``pos`` (identity when nothing was corrected)."""
    corr = norm.corrections
    if not corr:
        return pos
    table = norm.shift_table()
    i = bisect_right(table[0], pos) - 1  # last correction starting at or before pos
    if i < 0:
        return pos
    a, b, new = corr[i]
    before = table[1][i]  # shift accumulated before correction i
    if pos < b and pos > a:
        return a + before
    if pos <= a:
        return pos + before
    return pos + before + len(new) - (b - a)
