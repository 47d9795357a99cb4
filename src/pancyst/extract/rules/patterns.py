"""The rules backend's vocabulary, compiled: regular expressions over normalized (lower-cased,
slip-corrected) text, word lists and count words.

Rules are data: every pattern, word and count lives in ``text/lexicon/rules.yaml`` (its header says
how an entry is written); this module builds them at import into the same typed names the stages
use (``patterns.NODULE_RE``, ``patterns.ANCHOR_GROUPS``, ``patterns.COUNT_WORDS``, ...).
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import yaml

_NAMED_GROUP_RE = re.compile(r"\(\?P<(\w+)>")


def _skip_atom(pattern: str, i: int) -> int | None:
    """Index just past an escape or a character class starting at ``i`` (None for anything else)."""
    c = pattern[i]
    if c == "\\":
        return i + 2
    if c == "[":
        return pattern.index("]", i + 2 if pattern[i + 1] == "]" else i + 1) + 1
    return None


def _group_body_end(pattern: str, i: int) -> int:
    """Index just past the ``)`` closing the group whose body starts at ``i``."""
    depth = 1
    while depth:
        skipped = _skip_atom(pattern, i)
        if skipped is not None:
            i = skipped
            continue
        depth += {"(": 1, ")": -1}.get(pattern[i], 0)
        i += 1
    return i


def _split_top(body: str) -> list[str]:
    """The top-level alternatives of ``body`` (a ``|`` inside a group or a class does not split)."""
    out: list[str] = []
    start = i = 0
    while i < len(body):
        skipped = _skip_atom(body, i)
        if skipped is not None:
            i = skipped
            continue
        if body[i] == "(":
            i = _group_body_end(body, i + 1)
            continue
        if body[i] == "|":
            out.append(body[start:i])
            start = i + 1
        i += 1
    out.append(body[start:])
    return out


_LEADING_GROUP_RE = re.compile(r"\(\?:([^()]*)\)(\??)")


def _by_first_letter(alt: str) -> list[str]:
    """``alt`` as alternatives that each open with a plain letter, in the order ``re`` tries them.

    ``(?:bd|sb)-x`` -> ``bd-x``, ``sb-x``; ``(?:micro|macro)?cystic`` -> ``microcystic``,
    ``macrocystic``, ``cystic``.
    """
    if alt[:1].isalnum() and alt[1:2] not in ("?", "*", "+", "{"):
        return [alt]
    lead = _LEADING_GROUP_RE.match(alt)
    if lead is None:
        raise ValueError(f"cannot dispatch on the first letter of {alt!r}: open it with a letter")
    rest = alt[lead.end() :]
    heads = _split_top(lead.group(1)) + ([""] if lead.group(2) else [])
    return [x for head in heads for x in _by_first_letter(head + rest)]


def _dispatched(pattern: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A ``prefix(?P<a>...)|(?P<b>...)suffix`` pattern regrouped by first letter, and its group names.

    ``re`` tries every alternative of an alternation at every word start; grouped under their
    first letter (``p(?:ancrea\\w*|anc|...)|l(?:iver|...)``), a word start tries one group. Within a
    letter the alternatives keep their order, and those of other letters cannot match there, so
    the matches are the same. A group name can appear only once in a pattern, so each
    alternative ends in an empty group and ``names[match.lastindex]`` is its named group.
    """
    groups = list(_NAMED_GROUP_RE.finditer(pattern))
    prefix = pattern[: groups[0].start()]
    buckets: dict[str, list[tuple[str, str]]] = {}
    pos = groups[0].start()
    for m in groups:
        if pattern[pos : m.start()] not in ("", "|"):
            raise ValueError("only alternatives of named groups can be dispatched")
        end = _group_body_end(pattern, m.end())
        for alt in _split_top(pattern[m.end() : end - 1]):
            for flat in _by_first_letter(alt):
                buckets.setdefault(flat[0], []).append((flat[1:], m.group(1)))
        pos = end
    suffix = pattern[pos:]
    names: list[str] = [""]
    branches: list[str] = []
    for letter, alts in buckets.items():
        branches.append(letter + "(?:" + "|".join(rest + "()" for rest, _ in alts) + ")")
        names.extend(name for _, name in alts)
    compiled = re.compile(prefix + "|".join(branches) + suffix)
    if compiled.groups != len(names) - 1:
        raise ValueError("a dispatched pattern may hold no capturing group but its named groups")
    return compiled, tuple(names)


_LOOKBEHIND_RE = re.compile(r"\(\?<[!=][^()]*\)")


def _led(pattern: str) -> str:
    """``(?:\\bnow|\\btoday)...`` -> ``(?=[nt])(?:\\bnow|\\btoday)...``: the same matches, tried less.

    A pattern whose alternatives each open with a word boundary gives ``re`` no first letter to
    skip by, so every position tries every alternative; one look at the letter first rules out
    most positions.
    """
    if not pattern.startswith("(?:"):
        raise ValueError("a led pattern opens with its alternation")
    body = pattern[3 : _group_body_end(pattern, 3) - 1]
    letters: set[str] = set()
    for alt in _split_top(body):
        alt = _LOOKBEHIND_RE.sub("", alt)
        if not alt.startswith("\\b"):
            raise ValueError(f"cannot lead {alt!r}: open it with a word boundary and a letter")
        letters.update(flat[0] for flat in _by_first_letter(alt[2:]))
    return "(?=[" + "".join(sorted(letters)) + "])" + pattern


# --- loading the lexicon -------------------------------------------------------------------------

_BUILDS = ("plain", "led", "dispatched")
_ENTRY_KEYS = frozenset({"build", "regex"})


def _load_lexicon() -> dict[str, Any]:
    raw = resources.files("pancyst.text").joinpath("lexicon/rules.yaml").read_text(encoding="utf-8")
    lex = yaml.safe_load(raw)
    unknown = set(lex) - {"fragments", "patterns", "words", "maps"}
    if unknown:
        raise ValueError(f"rules.yaml: unknown section(s) {sorted(unknown)}")
    return {key: lex.get(key) or {} for key in ("fragments", "patterns", "words", "maps")}


def _regex_text(name: str, entry: Any, fragments: dict[str, str]) -> str:
    """The regex of pattern entry ``name``: its pieces joined, each ``@fragment`` piece replaced."""
    if not isinstance(entry, dict) or set(entry) - _ENTRY_KEYS:
        raise ValueError(f"rules.yaml: pattern {name} must be a mapping of {sorted(_ENTRY_KEYS)}")
    pieces = entry.get("regex")
    if isinstance(pieces, str):
        pieces = [pieces]
    if not isinstance(pieces, list) or not pieces or not all(isinstance(p, str) for p in pieces):
        raise ValueError(f"rules.yaml: pattern {name} needs a regex: a string or a list of strings")
    out: list[str] = []
    for piece in pieces:
        if piece.startswith("@"):
            if piece[1:] not in fragments:
                raise ValueError(
                    f"rules.yaml: pattern {name} names unknown fragment {piece!r} (fragments: {sorted(fragments)})"
                )
            out.append(fragments[piece[1:]])
        else:
            out.append(piece)
    return "".join(out)


def _build_entry(name: str, entry: Any, fragments: dict[str, str]) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """Pattern entry ``name`` compiled as its ``build`` says, and its group names (dispatched only)."""
    text = _regex_text(name, entry, fragments)
    build = entry.get("build", "plain")
    try:
        if build == "plain":
            return re.compile(text), ()
        if build == "led":
            return re.compile(_led(text)), ()
        if build == "dispatched":
            return _dispatched(text)
    except (re.error, ValueError) as e:
        raise ValueError(f"rules.yaml: pattern {name}: {e}") from e
    raise ValueError(f"rules.yaml: pattern {name} has unknown build {build!r} (one of {', '.join(_BUILDS)})")


_LEXICON = _load_lexicon()
_FRAGMENTS: dict[str, str] = {str(k): str(v) for k, v in _LEXICON["fragments"].items()}


def _entry(name: str) -> Any:
    entry = _LEXICON["patterns"].get(name)
    if entry is None:
        raise KeyError(f"rules.yaml has no pattern {name}")
    return entry


def _pattern(name: str) -> re.Pattern[str]:
    entry = _entry(name)
    if isinstance(entry, dict) and entry.get("build") == "dispatched":
        raise ValueError(f"rules.yaml: pattern {name} is dispatched: load it with _dispatched_pattern")
    return _build_entry(name, entry, _FRAGMENTS)[0]


def _dispatched_pattern(name: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    entry = _entry(name)
    if not isinstance(entry, dict) or entry.get("build") != "dispatched":
        raise ValueError(f"rules.yaml: pattern {name} is not dispatched: load it with _pattern")
    return _build_entry(name, entry, _FRAGMENTS)


def _words(name: str) -> tuple[str, ...]:
    words = _LEXICON["words"].get(name)
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise ValueError(f"rules.yaml: words {name} must be a list of non-empty strings")
    return tuple(words)


def _counts(name: str) -> dict[str, int]:
    counts = _LEXICON["maps"].get(name)
    if not isinstance(counts, dict) or not all(isinstance(v, int) for v in counts.values()):
        raise ValueError(f"rules.yaml: map {name} must map words to whole numbers")
    return {str(k): v for k, v in counts.items()}


# --- lesion anchors --------------------------------------------------------------------------------
ANCHOR_RE, ANCHOR_GROUPS = _dispatched_pattern("ANCHOR_RE")
CYSTIC_DESCRIPTOR_RE: re.Pattern[str] = _pattern("CYSTIC_DESCRIPTOR_RE")
ENUMERATED_RE: re.Pattern[str] = _pattern("ENUMERATED_RE")
PLURAL_RE: re.Pattern[str] = _pattern("PLURAL_RE")
COUNT_WORDS: dict[str, int] = _counts("COUNT_WORDS")
COUNT_RE: re.Pattern[str] = _pattern("COUNT_RE")
NEW_LESION_RE: re.Pattern[str] = _pattern("NEW_LESION_RE")
DEFINITE_RE: re.Pattern[str] = _pattern("DEFINITE_RE")


# --- organs ----------------------------------------------------------------------------------------
ORGAN_RE, ORGAN_GROUPS = _dispatched_pattern("ORGAN_RE")


# --- locations -------------------------------------------------------------------------------------
LOCATION_RE: re.Pattern[str] = _pattern("LOCATION_RE")
LOCATION_VETO_BEFORE: re.Pattern[str] = _pattern("LOCATION_VETO_BEFORE")
LOCATION_VETO_AFTER: re.Pattern[str] = _pattern("LOCATION_VETO_AFTER")


# --- lesion features -------------------------------------------------------------------------------
NODULE_RE: re.Pattern[str] = _pattern("NODULE_RE")
NONENHANCING_RE: re.Pattern[str] = _pattern("NONENHANCING_RE")
ENH_UNKNOWN_RE: re.Pattern[str] = _pattern("ENH_UNKNOWN_RE")
ENHANCING_RE: re.Pattern[str] = _pattern("ENHANCING_RE")
WALL_ABSENT_RE: re.Pattern[str] = _pattern("WALL_ABSENT_RE")
WALL_PRESENT_RE: re.Pattern[str] = _pattern("WALL_PRESENT_RE")
WALL_FIELD_RE: re.Pattern[str] = _pattern("WALL_FIELD_RE")
FIELD_ANSWER_RE: re.Pattern[str] = _pattern("FIELD_ANSWER_RE")
ABSENT_ANSWER_RE: re.Pattern[str] = _pattern("ABSENT_ANSWER_RE")
WALL_PRESENT_ANSWER_RE: re.Pattern[str] = _pattern("WALL_PRESENT_ANSWER_RE")
SEPTA_ABSENT_RE: re.Pattern[str] = _pattern("SEPTA_ABSENT_RE")
SEPTA_PRESENT_RE: re.Pattern[str] = _pattern("SEPTA_PRESENT_RE")
COMM_RE: re.Pattern[str] = _pattern("COMM_RE")
SEPARATE_FROM_DUCT_RE: re.Pattern[str] = _pattern("SEPARATE_FROM_DUCT_RE")
CALC_RE: re.Pattern[str] = _pattern("CALC_RE")
CALC_PERIPHERAL_RE: re.Pattern[str] = _pattern("CALC_PERIPHERAL_RE")
CALC_CENTRAL_RE: re.Pattern[str] = _pattern("CALC_CENTRAL_RE")
SOLID_VETO_RE: re.Pattern[str] = _pattern("SOLID_VETO_RE")


# --- ducts -----------------------------------------------------------------------------------------
DUCT_RE, DUCT_GROUPS = _dispatched_pattern("DUCT_RE")
DILATED_RE: re.Pattern[str] = _pattern("DILATED_RE")
NORMAL_DUCT_RE: re.Pattern[str] = _pattern("NORMAL_DUCT_RE")
DUCT_SEGMENT_LIST_RE: re.Pattern[str] = _pattern("DUCT_SEGMENT_LIST_RE")
MEAS_DUCT_GAP_RE: re.Pattern[str] = _pattern("MEAS_DUCT_GAP_RE")


# --- measurement roles -----------------------------------------------------------------------------
PRIOR_BEFORE_RE: re.Pattern[str] = _pattern("PRIOR_BEFORE_RE")
CURRENT_BEFORE_RE: re.Pattern[str] = _pattern("CURRENT_BEFORE_RE")
PRIOR_AFTER_RE: re.Pattern[str] = _pattern("PRIOR_AFTER_RE")
RELATIONAL_BEFORE_RE: re.Pattern[str] = _pattern("RELATIONAL_BEFORE_RE")
PAST_BEFORE_RE: re.Pattern[str] = _pattern("PAST_BEFORE_RE")
PRIOR_CONTEXT_RE: re.Pattern[str] = _pattern("PRIOR_CONTEXT_RE")
CORRECTION_BEFORE_RE: re.Pattern[str] = _pattern("CORRECTION_BEFORE_RE")
CHANGE_FROM_RE: re.Pattern[str] = _pattern("CHANGE_FROM_RE")
RANGE_FROM_RE: re.Pattern[str] = _pattern("RANGE_FROM_RE")
DELTA_BEFORE_RE: re.Pattern[str] = _pattern("DELTA_BEFORE_RE")
NODULE_BEFORE_GAP_RE: re.Pattern[str] = _pattern("NODULE_BEFORE_GAP_RE")
NODULE_AFTER_GAP_RE: re.Pattern[str] = _pattern("NODULE_AFTER_GAP_RE")


# --- context for the exam date ---------------------------------------------------------------------
EXAM_DATE_LINE_RE: re.Pattern[str] = _pattern("EXAM_DATE_LINE_RE")
CLAUSE_BREAK_RE: re.Pattern[str] = _pattern("CLAUSE_BREAK_RE")


# --- labels, lists and the words around a mention --------------------------------------------------
LABEL_RE: re.Pattern[str] = _pattern("LABEL_RE")
SOLID_TOPIC_RE: re.Pattern[str] = _pattern("SOLID_TOPIC_RE")
APPOSITION_RE: re.Pattern[str] = _pattern("APPOSITION_RE")
HEADING_AFTER_RE: re.Pattern[str] = _pattern("HEADING_AFTER_RE")
LISTED_NUMBER_RE: re.Pattern[str] = _pattern("LISTED_NUMBER_RE")
PLACE_SIZE_GAP_RE: re.Pattern[str] = _pattern("PLACE_SIZE_GAP_RE")
LIST_GAP_RE: re.Pattern[str] = _pattern("LIST_GAP_RE")
RESPECTIVELY_RE: re.Pattern[str] = _pattern("RESPECTIVELY_RE")
SOLID_LOOK_RE: re.Pattern[str] = _pattern("SOLID_LOOK_RE")
PART_OF_A_LESION_RE: re.Pattern[str] = _pattern("PART_OF_A_LESION_RE")
COUNT_LABEL_RE: re.Pattern[str] = _pattern("COUNT_LABEL_RE")
NOT_A_FINDING_AFTER_RE: re.Pattern[str] = _pattern("NOT_A_FINDING_AFTER_RE")
LABEL_COLON_RE: re.Pattern[str] = _pattern("LABEL_COLON_RE")
LABEL_PREFIX_RE: re.Pattern[str] = _pattern("LABEL_PREFIX_RE")
SINGLE_ANSWER_RE: re.Pattern[str] = _pattern("SINGLE_ANSWER_RE")
GROUP_WORDS_RE: re.Pattern[str] = _pattern("GROUP_WORDS_RE")
ENUMERATED_AFTER_RE: re.Pattern[str] = _pattern("ENUMERATED_AFTER_RE")
LIST_ITEM_RE: re.Pattern[str] = _pattern("LIST_ITEM_RE")
LARGEST_RE: re.Pattern[str] = _pattern("LARGEST_RE")
NOT_A_PLACE_AFTER_RE: re.Pattern[str] = _pattern("NOT_A_PLACE_AFTER_RE")
COMM_FIELD_RE: re.Pattern[str] = _pattern("COMM_FIELD_RE")
UNCERTAIN_ANSWER_RE: re.Pattern[str] = _pattern("UNCERTAIN_ANSWER_RE")
DUCT_AFTER_RE: re.Pattern[str] = _pattern("DUCT_AFTER_RE")
CYST_AFTER_RE: re.Pattern[str] = _pattern("CYST_AFTER_RE")
DUCT_GAP_VETO_RE: re.Pattern[str] = _pattern("DUCT_GAP_VETO_RE")
DESCRIBED_ABOVE_RE: re.Pattern[str] = _pattern("DESCRIBED_ABOVE_RE")
ALL_OF_THEM_RE: re.Pattern[str] = _pattern("ALL_OF_THEM_RE")
SENTENCE_OPENING_RE: re.Pattern[str] = _pattern("SENTENCE_OPENING_RE")
COMPARISON_SENT_RE: re.Pattern[str] = _pattern("COMPARISON_SENT_RE")
PRIOR_DATE_LINE_RE: re.Pattern[str] = _pattern("PRIOR_DATE_LINE_RE")
COMPOUND_HEADING_RE: re.Pattern[str] = _pattern("COMPOUND_HEADING_RE")
SIZE_OF_CYST_RE: re.Pattern[str] = _pattern("SIZE_OF_CYST_RE")
COMM_BEFORE_DUCT_RE: re.Pattern[str] = _pattern("COMM_BEFORE_DUCT_RE")
COMM_AFTER_DUCT_RE: re.Pattern[str] = _pattern("COMM_AFTER_DUCT_RE")
DUCT_OWN_SIZE_RE: re.Pattern[str] = _pattern("DUCT_OWN_SIZE_RE")
COMPOUND_LABEL_RE: re.Pattern[str] = _pattern("COMPOUND_LABEL_RE")
CYST_NEXT_RE: re.Pattern[str] = _pattern("CYST_NEXT_RE")
FIELD_RE: re.Pattern[str] = _pattern("FIELD_RE")
VESSEL_AFTER_RE: re.Pattern[str] = _pattern("VESSEL_AFTER_RE")
MALIGNANT_RE: re.Pattern[str] = _pattern("MALIGNANT_RE")
INTERNAL_PART_RE: re.Pattern[str] = _pattern("INTERNAL_PART_RE")
INTERNAL_PART_BEFORE_RE: re.Pattern[str] = _pattern("INTERNAL_PART_BEFORE_RE")
ADJACENT_GAP_RE: re.Pattern[str] = _pattern("ADJACENT_GAP_RE")
OF_THE_RE: re.Pattern[str] = _pattern("OF_THE_RE")
SPAN_GAP_RE: re.Pattern[str] = _pattern("SPAN_GAP_RE")
# a fragment is also a name: list openings are matched by other code too
BULLET: str = _FRAGMENTS["bullet"]


# --- substring pre-checks -------------------------------------------------------------------------
# Each holds a word every match of the pattern(s) it guards must contain: ``has_any(seg, WORDS)`` is
# a cheaper first test than the search.
NODULE_WORDS: tuple[str, ...] = _words("NODULE_WORDS")
SEPTA_WORDS: tuple[str, ...] = _words("SEPTA_WORDS")
COMM_WORDS: tuple[str, ...] = _words("COMM_WORDS")
LOCATION_WORDS: tuple[str, ...] = _words("LOCATION_WORDS")
CYST_WORDS: tuple[str, ...] = _words("CYST_WORDS")
DILATED_WORDS: tuple[str, ...] = _words("DILATED_WORDS")
SOLID_VETO_WORDS: tuple[str, ...] = _words("SOLID_VETO_WORDS")
# the words a sentence must hold (when it holds no size) to go on about the current lesion
CONTINUATION_WORDS: tuple[str, ...] = NODULE_WORDS + SEPTA_WORDS + COMM_WORDS + _words("CONTINUATION_WORDS")
