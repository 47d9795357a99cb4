"""The rules backend's vocabulary, compiled: regular expressions over normalized (lower-cased,
slip-corrected) text, word lists and count words.

Rules are data: every pattern, word and count lives in ``text/lexicon/rules.yaml`` (its header says
how an entry is written); this module builds them at import into the same typed names the stages
use (``patterns.NODULE_RE``, ``patterns.ANCHOR_GROUPS``, ``patterns.COUNT_WORDS``, ...).
"""

from __future__ import annotations

import re
import re._constants as _sre
import re._parser as _sre_parse
from importlib import resources
from typing import Any, Final

from pancyst.resources import load_yaml

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
    lex = load_yaml(raw)
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
    pattern = _build_entry(name, entry, _FRAGMENTS)[0]
    _BUILT[name] = pattern
    return pattern


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


# --- substring pre-checks, derived from the patterns they guard -----------------------------------
# ``has_any(seg, P.NODULE_WORDS)`` before ``P.NODULE_RE.search(...)``: a few substring tests are
# cheaper than the search, and spare it where they fail. A pre-check is right only if every match
# holds one of its words, so the words are read off the pattern itself (with ``re``'s own parser):
# in each alternative, the longest run of letters every match of it must contain.

_Item = tuple[Any, Any]  # one node of re._parser's tree: (opcode, argument)

_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_AT_TEXT = {
    _sre.AT_BEGINNING: "^",
    _sre.AT_BEGINNING_STRING: "\\A",
    _sre.AT_END: "$",
    _sre.AT_END_STRING: "\\Z",
    _sre.AT_BOUNDARY: "\\b",
    _sre.AT_NON_BOUNDARY: "\\B",
}
_CATEGORY_TEXT = {
    _sre.CATEGORY_DIGIT: "\\d",
    _sre.CATEGORY_NOT_DIGIT: "\\D",
    _sre.CATEGORY_SPACE: "\\s",
    _sre.CATEGORY_NOT_SPACE: "\\S",
    _sre.CATEGORY_WORD: "\\w",
    _sre.CATEGORY_NOT_WORD: "\\W",
}


def _flat(items: Any) -> list[_Item]:
    """``items`` with every group opened in place: a group's body is matched where the group stands."""
    out: list[_Item] = []
    for op, av in items:
        if op is _sre.SUBPATTERN and not av[1] and not av[2]:  # (group, add_flags, del_flags, body)
            out.extend(_flat(av[3]))
        elif op is _sre.ATOMIC_GROUP:
            out.extend(_flat(av))
        else:
            out.append((op, av))
    return out


def _char(op: Any, av: Any) -> str | None:
    """The one character an item matches, if it matches exactly one."""
    if op is _sre.LITERAL:
        return chr(av)
    if op is _sre.IN and len(av) == 1 and av[0][0] is _sre.LITERAL:
        return chr(av[0][1])
    return None


def _escape(c: str) -> str:
    return "\\" + c if c in ".^$*+?{}[]\\|()" else c.encode("unicode_escape").decode("ascii")


def _unparse(items: Any) -> str:
    """Regex text for a piece of re._parser's tree (for error messages and test reports)."""
    out: list[str] = []
    for op, av in items:
        c = _char(op, av)
        if c is not None:
            out.append(_escape(c))
        elif op is _sre.NOT_LITERAL:
            out.append("[^" + _escape(chr(av)) + "]")
        elif op is _sre.ANY:
            out.append(".")
        elif op is _sre.IN:
            parts: list[str] = []
            for iop, iav in av:
                if iop is _sre.NEGATE:
                    parts.append("^")
                elif iop is _sre.LITERAL:
                    parts.append(_escape(chr(iav)))
                elif iop is _sre.RANGE:
                    parts.append(_escape(chr(iav[0])) + "-" + _escape(chr(iav[1])))
                else:
                    parts.append(_CATEGORY_TEXT.get(iav, "?"))
            single = len(av) == 1 and av[0][0] is _sre.CATEGORY
            out.append(parts[0] if single else "[" + "".join(parts) + "]")
        elif op is _sre.AT:
            out.append(_AT_TEXT.get(av, "?"))
        elif op is _sre.BRANCH:
            out.append("(?:" + "|".join(_unparse(alt) for alt in av[1]) + ")")
        elif op is _sre.SUBPATTERN:
            out.append("(?:" + _unparse(av[3]) + ")")
        elif op is _sre.ATOMIC_GROUP:
            out.append("(?>" + _unparse(av) + ")")
        elif op in _REPEATS:
            lo, hi, body = av
            text = _unparse(body)
            if len(body) != 1 or body[0][0] in _REPEATS or body[0][0] in _ZERO_WIDTH:
                text = "(?:" + text + ")"
            if (lo, hi) == (0, 1):
                count = "?"
            elif (lo, hi) == (0, _sre.MAXREPEAT):
                count = "*"
            elif (lo, hi) == (1, _sre.MAXREPEAT):
                count = "+"
            elif hi == _sre.MAXREPEAT:
                count = f"{{{lo},}}"
            else:
                count = f"{{{lo}}}" if lo == hi else f"{{{lo},{hi}}}"
            lazy = {_sre.MIN_REPEAT: "?", _sre.POSSESSIVE_REPEAT: "+"}.get(op, "")
            out.append(text + count + lazy)
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            direction, body = av
            kind = (
                ("=" if op is _sre.ASSERT else "!")
                if direction > 0
                else ("<=" if op is _sre.ASSERT else "<!")
            )
            out.append("(?" + kind + _unparse(body) + ")")
        else:
            out.append(f"<{op}>")
    return "".join(out)


def _context(seq: list[_Item], k: int, step: int) -> list[_Item]:
    """The literal characters (and zero-width items) next to ``seq[k]``, before it or after it."""
    out: list[_Item] = []
    i = k + step
    while 0 <= i < len(seq) and (_char(*seq[i]) is not None or seq[i][0] in _ZERO_WIDTH):
        out.append(seq[i])
        i += step
    return out[::-1] if step < 0 else out


def _choose(items: Any) -> tuple[tuple[str, ...], list[list[_Item]]] | None:
    """Literals one of which every match of ``items`` holds, and the alternatives they were read from.

    The options: a run of consecutive mandatory literal characters (zero-width assertions, which
    consume nothing, do not break it), or a mandatory alternation whose every alternative yields
    literals; an alternative is read together with the literal characters right around the
    alternation, so ``co(?:mmunicat|ntiguous)`` (how ``re`` factors a shared prefix) gives
    ``communicat`` and ``contiguous``. The option whose shortest literal is longest wins; a single
    run wins a tie. None when no option exists.
    """
    seq = _flat(items)
    best: tuple[tuple[str, ...], list[list[_Item]]] | None = None
    score = 0
    run = ""
    for op, av in [*seq, (None, None)]:
        c = _char(op, av)
        if c is not None:
            run += c
        elif op not in _ZERO_WIDTH:
            if len(run) > score:
                best, score = ((run,), [seq]), len(run)
            run = ""
    for k, (op, av) in enumerate(seq):
        if op is _sre.BRANCH:
            before, after = _context(seq, k, -1), _context(seq, k, 1)
            alts = [before + _flat(alt) + after for alt in av[1]]
        elif op in _REPEATS and av[0] >= 1:
            alts = [_flat(av[2])]
        else:
            continue
        found: list[str] = []
        for alt in alts:
            got = _choose(alt)
            if got is None:
                break
            found.extend(lit for lit in got[0] if lit not in found)
        else:
            if min(map(len, found)) > score:
                best, score = (tuple(found), alts), min(map(len, found))
    return best


def _guard_alternatives(name: str, pattern: re.Pattern[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Each top-level alternative of ``pattern`` (as regex text) and the literals read off it.

    The top level is where the literals were found: the alternatives of the outermost alternation
    the choice descended into, or the whole pattern when a run of it was enough.
    """
    if pattern.flags & re.IGNORECASE:
        raise ValueError(f"{name}: a pre-check of literal substrings cannot guard an IGNORECASE pattern")
    tree = _sre_parse.parse(pattern.pattern, pattern.flags)
    got = _choose(tree)
    if got is None:
        seq = _flat(tree)
        for op, av in seq:  # name the alternative that holds no literal
            if op is _sre.BRANCH:
                for i, alt in enumerate(av[1]):
                    if _choose(alt) is None:
                        raise ValueError(
                            f"{name}: alternative {i + 1} {_unparse(alt)!r} holds no literal that every "
                            "match must contain, so no substring pre-check can guard the pattern"
                        )
        raise ValueError(f"{name}: no literal that every match must contain, so no pre-check can guard it")
    out: list[tuple[str, tuple[str, ...]]] = []
    for alt in got[1]:
        alt_got = _choose(alt)
        assert alt_got is not None  # _choose accepted every alternative
        out.append((_unparse(alt), alt_got[0]))
    return out


def _minimal(literals: list[str]) -> tuple[str, ...]:
    """``literals`` less repeats and those that hold another of them (a text holding one holds that one)."""
    unique = list(dict.fromkeys(literals))
    return tuple(w for w in unique if not any(v != w and v in w for v in unique))


_BUILT: dict[str, re.Pattern[str]] = {}


def _guard(*names: str) -> tuple[str, ...]:
    """The words of a pre-check for the patterns ``names``: every match of each holds one of them."""
    literals: list[str] = []
    for name in names:
        for _alt, lits in _guard_alternatives(name, _BUILT[name]):
            literals.extend(lits)
    return _minimal(literals)


# --- lesion anchors --------------------------------------------------------------------------------
ANCHOR_RE, ANCHOR_GROUPS = _dispatched_pattern("ANCHOR_RE")
CYSTIC_DESCRIPTOR_RE: Final[re.Pattern[str]] = _pattern("CYSTIC_DESCRIPTOR_RE")
ENUMERATED_RE: Final[re.Pattern[str]] = _pattern("ENUMERATED_RE")
PLURAL_RE: Final[re.Pattern[str]] = _pattern("PLURAL_RE")
COUNT_WORDS: Final[dict[str, int]] = _counts("COUNT_WORDS")
COUNT_RE: Final[re.Pattern[str]] = _pattern("COUNT_RE")
NEW_LESION_RE: Final[re.Pattern[str]] = _pattern("NEW_LESION_RE")
DEFINITE_RE: Final[re.Pattern[str]] = _pattern("DEFINITE_RE")
PANEL_RE: Final[re.Pattern[str]] = _pattern("PANEL_RE")
FEATURE_SUBJECT_RE: Final[re.Pattern[str]] = _pattern("FEATURE_SUBJECT_RE")
FEATURE_OF_LESION_GAP_RE: Final[re.Pattern[str]] = _pattern("FEATURE_OF_LESION_GAP_RE")
NAMED_AGAIN_BEFORE_RE: Final[re.Pattern[str]] = _pattern("NAMED_AGAIN_BEFORE_RE")
KNOWN_BEFORE_RE: Final[re.Pattern[str]] = _pattern("KNOWN_BEFORE_RE")
CYST_FIELD_LABEL_AFTER_RE: Final[re.Pattern[str]] = _pattern("CYST_FIELD_LABEL_AFTER_RE")
GROUP_MEMBER_BEFORE_RE: Final[re.Pattern[str]] = _pattern("GROUP_MEMBER_BEFORE_RE")


# --- organs ----------------------------------------------------------------------------------------
ORGAN_RE, ORGAN_GROUPS = _dispatched_pattern("ORGAN_RE")


# --- locations -------------------------------------------------------------------------------------
LOCATION_RE: Final[re.Pattern[str]] = _pattern("LOCATION_RE")
LOCATION_VETO_BEFORE: Final[re.Pattern[str]] = _pattern("LOCATION_VETO_BEFORE")
LOCATION_VETO_AFTER: Final[re.Pattern[str]] = _pattern("LOCATION_VETO_AFTER")


# --- lesion features -------------------------------------------------------------------------------
NODULE_RE: Final[re.Pattern[str]] = _pattern("NODULE_RE")
NONENHANCING_RE: Final[re.Pattern[str]] = _pattern("NONENHANCING_RE")
ENH_UNKNOWN_RE: Final[re.Pattern[str]] = _pattern("ENH_UNKNOWN_RE")
ENHANCING_RE: Final[re.Pattern[str]] = _pattern("ENHANCING_RE")
WALL_ABSENT_RE: Final[re.Pattern[str]] = _pattern("WALL_ABSENT_RE")
WALL_PRESENT_RE: Final[re.Pattern[str]] = _pattern("WALL_PRESENT_RE")
PART_PLACE_BEFORE_RE: Final[re.Pattern[str]] = _pattern("PART_PLACE_BEFORE_RE")
WALL_FIELD_RE: Final[re.Pattern[str]] = _pattern("WALL_FIELD_RE")
FIELD_ANSWER_RE: Final[re.Pattern[str]] = _pattern("FIELD_ANSWER_RE")
ABSENT_ANSWER_RE: Final[re.Pattern[str]] = _pattern("ABSENT_ANSWER_RE")
WALL_PRESENT_ANSWER_RE: Final[re.Pattern[str]] = _pattern("WALL_PRESENT_ANSWER_RE")
SEPTA_ABSENT_RE: Final[re.Pattern[str]] = _pattern("SEPTA_ABSENT_RE")
SEPTA_PRESENT_RE: Final[re.Pattern[str]] = _pattern("SEPTA_PRESENT_RE")
SEPTA_QUALIFIER_BEFORE_RE: Final[re.Pattern[str]] = _pattern("SEPTA_QUALIFIER_BEFORE_RE")
COMM_RE: Final[re.Pattern[str]] = _pattern("COMM_RE")
COMM_OTHER_TARGET_RE: Final[re.Pattern[str]] = _pattern("COMM_OTHER_TARGET_RE")
SEPARATE_FROM_DUCT_RE: Final[re.Pattern[str]] = _pattern("SEPARATE_FROM_DUCT_RE")
CALC_RE: Final[re.Pattern[str]] = _pattern("CALC_RE")
CALC_PERIPHERAL_RE: Final[re.Pattern[str]] = _pattern("CALC_PERIPHERAL_RE")
CALC_OTHER_AFTER_RE: Final[re.Pattern[str]] = _pattern("CALC_OTHER_AFTER_RE")
CALC_OTHER_BEFORE_RE: Final[re.Pattern[str]] = _pattern("CALC_OTHER_BEFORE_RE")
CALC_CENTRAL_RE: Final[re.Pattern[str]] = _pattern("CALC_CENTRAL_RE")
SOLID_VETO_RE: Final[re.Pattern[str]] = _pattern("SOLID_VETO_RE")


# --- ducts -----------------------------------------------------------------------------------------
DUCT_RE, DUCT_GROUPS = _dispatched_pattern("DUCT_RE")
DILATED_RE: Final[re.Pattern[str]] = _pattern("DILATED_RE")
NORMAL_DUCT_RE: Final[re.Pattern[str]] = _pattern("NORMAL_DUCT_RE")
DUCT_SEGMENT_LIST_RE: Final[re.Pattern[str]] = _pattern("DUCT_SEGMENT_LIST_RE")
MEAS_DUCT_GAP_RE: Final[re.Pattern[str]] = _pattern("MEAS_DUCT_GAP_RE")
DUCT_PRIOR_AFTER_RE: Final[re.Pattern[str]] = _pattern("DUCT_PRIOR_AFTER_RE")
DUCT_PRIOR_GAP_RE: Final[re.Pattern[str]] = _pattern("DUCT_PRIOR_GAP_RE")
CYSTIC_BRANCH_BEFORE_RE: Final[re.Pattern[str]] = _pattern("CYSTIC_BRANCH_BEFORE_RE")
CYSTIC_BRANCH_AFTER_RE: Final[re.Pattern[str]] = _pattern("CYSTIC_BRANCH_AFTER_RE")


# --- measurement roles -----------------------------------------------------------------------------
PRIOR_BEFORE_RE: Final[re.Pattern[str]] = _pattern("PRIOR_BEFORE_RE")
ASIDE_RE: Final[re.Pattern[str]] = _pattern("ASIDE_RE")
YEAR_AFTER_SIZE_RE: Final[re.Pattern[str]] = _pattern("YEAR_AFTER_SIZE_RE")
CURRENT_BEFORE_RE: Final[re.Pattern[str]] = _pattern("CURRENT_BEFORE_RE")
CURRENT_AFTER_RE: Final[re.Pattern[str]] = _pattern("CURRENT_AFTER_RE")
NAMED_BEFORE_SIZE_BEFORE_RE: Final[re.Pattern[str]] = _pattern("NAMED_BEFORE_SIZE_BEFORE_RE")
DEFINITE_SIZE_BEFORE_RE: Final[re.Pattern[str]] = _pattern("DEFINITE_SIZE_BEFORE_RE")
CHANGED_TO_BEFORE_RE: Final[re.Pattern[str]] = _pattern("CHANGED_TO_BEFORE_RE")
NAMED_BEFORE_SIZE_AFTER_RE: Final[re.Pattern[str]] = _pattern("NAMED_BEFORE_SIZE_AFTER_RE")
PRIOR_AFTER_RE: Final[re.Pattern[str]] = _pattern("PRIOR_AFTER_RE")
ORIGIN_BEFORE_RE: Final[re.Pattern[str]] = _pattern("ORIGIN_BEFORE_RE")
ORIGIN_AFTER_RE: Final[re.Pattern[str]] = _pattern("ORIGIN_AFTER_RE")
RELATIONAL_BEFORE_RE: Final[re.Pattern[str]] = _pattern("RELATIONAL_BEFORE_RE")
PAST_BEFORE_RE: Final[re.Pattern[str]] = _pattern("PAST_BEFORE_RE")
PRIOR_CONTEXT_RE: Final[re.Pattern[str]] = _pattern("PRIOR_CONTEXT_RE")
CORRECTION_BEFORE_RE: Final[re.Pattern[str]] = _pattern("CORRECTION_BEFORE_RE")
REPORTED_AS_RE: Final[re.Pattern[str]] = _pattern("REPORTED_AS_RE")
CORRECTION_CONTEXT_RE: Final[re.Pattern[str]] = _pattern("CORRECTION_CONTEXT_RE")
CRITERIA_LABEL_RE: Final[re.Pattern[str]] = _pattern("CRITERIA_LABEL_RE")
LOCATION_FIELD_RE: Final[re.Pattern[str]] = _pattern("LOCATION_FIELD_RE")
CRITERION_SIZE_BEFORE_RE: Final[re.Pattern[str]] = _pattern("CRITERION_SIZE_BEFORE_RE")
CORRECTED_NOW_BEFORE_RE: Final[re.Pattern[str]] = _pattern("CORRECTED_NOW_BEFORE_RE")
CHANGE_FROM_RE: Final[re.Pattern[str]] = _pattern("CHANGE_FROM_RE")
RANGE_FROM_RE: Final[re.Pattern[str]] = _pattern("RANGE_FROM_RE")
DELTA_BEFORE_RE: Final[re.Pattern[str]] = _pattern("DELTA_BEFORE_RE")
REFERENTIAL_RETRACTION_RE: Final[re.Pattern[str]] = _pattern("REFERENTIAL_RETRACTION_RE")
EXAM_LABEL_RE: Final[re.Pattern[str]] = _pattern("EXAM_LABEL_RE")
PRIOR_LIST_RE: Final[re.Pattern[str]] = _pattern("PRIOR_LIST_RE")
DAY_FIRST_WORDS: Final[tuple[str, ...]] = _words("DAY_FIRST_WORDS")
PSEUDOCYST_ORGAN_HEADINGS: Final[tuple[str, ...]] = _words("PSEUDOCYST_ORGAN_HEADINGS")
BLANK_FIELD_AFTER_RE: Final[re.Pattern[str]] = _pattern("BLANK_FIELD_AFTER_RE")
CHANGE_AMOUNT_BEFORE_RE: Final[re.Pattern[str]] = _pattern("CHANGE_AMOUNT_BEFORE_RE")
CHANGE_AMOUNT_AFTER_RE: Final[re.Pattern[str]] = _pattern("CHANGE_AMOUNT_AFTER_RE")
CHANGE_CUE_BEFORE_RE: Final[re.Pattern[str]] = _pattern("CHANGE_CUE_BEFORE_RE")
CHANGE_OVER_AFTER_RE: Final[re.Pattern[str]] = _pattern("CHANGE_OVER_AFTER_RE")
NODULE_BEFORE_GAP_RE: Final[re.Pattern[str]] = _pattern("NODULE_BEFORE_GAP_RE")
NODULE_AFTER_GAP_RE: Final[re.Pattern[str]] = _pattern("NODULE_AFTER_GAP_RE")
PART_SIZE_BEFORE_RE: Final[re.Pattern[str]] = _pattern("PART_SIZE_BEFORE_RE")
PART_SIZE_AFTER_RE: Final[re.Pattern[str]] = _pattern("PART_SIZE_AFTER_RE")
THIS_EXAM_SHOWS_RE: Final[re.Pattern[str]] = _pattern("THIS_EXAM_SHOWS_RE")
PART_CLAUSE_BEFORE_RE: Final[re.Pattern[str]] = _pattern("PART_CLAUSE_BEFORE_RE")
INTERVAL_SINCE_AFTER_RE: Final[re.Pattern[str]] = _pattern("INTERVAL_SINCE_AFTER_RE")
INTERVAL_SINCE_BEFORE_RE: Final[re.Pattern[str]] = _pattern("INTERVAL_SINCE_BEFORE_RE")


# --- context for the exam date ---------------------------------------------------------------------
EXAM_DATE_LINE_RE: Final[re.Pattern[str]] = _pattern("EXAM_DATE_LINE_RE")
CURRENT_EXAM_DATE_RE: Final[re.Pattern[str]] = _pattern("CURRENT_EXAM_DATE_RE")
AMBIGUOUS_DATE_RE: Final[re.Pattern[str]] = _pattern("AMBIGUOUS_DATE_RE")
EXAM_TITLE_RE: Final[re.Pattern[str]] = _pattern("EXAM_TITLE_RE")
CLAUSE_BREAK_RE: Final[re.Pattern[str]] = _pattern("CLAUSE_BREAK_RE")


# --- labels, lists and the words around a mention --------------------------------------------------
LABEL_RE: Final[re.Pattern[str]] = _pattern("LABEL_RE")
SOLID_TOPIC_RE: Final[re.Pattern[str]] = _pattern("SOLID_TOPIC_RE")
SAME_LESION_SUBJECT_RE: Final[re.Pattern[str]] = _pattern("SAME_LESION_SUBJECT_RE")
APPOSITION_RE: Final[re.Pattern[str]] = _pattern("APPOSITION_RE")
HEADING_AFTER_RE: Final[re.Pattern[str]] = _pattern("HEADING_AFTER_RE")
LISTED_NUMBER_RE: Final[re.Pattern[str]] = _pattern("LISTED_NUMBER_RE")
PLACE_SIZE_GAP_RE: Final[re.Pattern[str]] = _pattern("PLACE_SIZE_GAP_RE")
SHARED_DENIAL_AFTER_RE: Final[re.Pattern[str]] = _pattern("SHARED_DENIAL_AFTER_RE")
SIZE_PLACE_GAP_RE: Final[re.Pattern[str]] = _pattern("SIZE_PLACE_GAP_RE")
LIST_GAP_RE: Final[re.Pattern[str]] = _pattern("LIST_GAP_RE")
RESPECTIVELY_RE: Final[re.Pattern[str]] = _pattern("RESPECTIVELY_RE")
ELLIPTICAL_OTHER_RE: Final[re.Pattern[str]] = _pattern("ELLIPTICAL_OTHER_RE")
ELLIPTICAL_OPENING_RE: Final[re.Pattern[str]] = _pattern("ELLIPTICAL_OPENING_RE")
SOLID_LOOK_RE: Final[re.Pattern[str]] = _pattern("SOLID_LOOK_RE")
PART_OF_A_LESION_RE: Final[re.Pattern[str]] = _pattern("PART_OF_A_LESION_RE")
EXISTENCE_DOUBT_RE: Final[re.Pattern[str]] = _pattern("EXISTENCE_DOUBT_RE")
RESOLVED_TRIGGER_RE: Final[re.Pattern[str]] = _pattern("RESOLVED_TRIGGER_RE")
MIMIC_AFTER_RE: Final[re.Pattern[str]] = _pattern("MIMIC_AFTER_RE")
NOT_A_CYST_PREDICATE_RE: Final[re.Pattern[str]] = _pattern("NOT_A_CYST_PREDICATE_RE")
WITH_PART_BEFORE_RE: Final[re.Pattern[str]] = _pattern("WITH_PART_BEFORE_RE")
CONTAINED_CYSTS_BEFORE_RE: Final[re.Pattern[str]] = _pattern("CONTAINED_CYSTS_BEFORE_RE")
AND_A_RE: Final[re.Pattern[str]] = _pattern("AND_A_RE")
ENTITY_JOIN_RE: Final[re.Pattern[str]] = _pattern("ENTITY_JOIN_RE")
MADE_OF_CYSTS_BEFORE_RE: Final[re.Pattern[str]] = _pattern("MADE_OF_CYSTS_BEFORE_RE")
MADE_OF_BEFORE_RE: Final[re.Pattern[str]] = _pattern("MADE_OF_BEFORE_RE")
CLUSTER_OF_CYSTS_BEFORE_RE: Final[re.Pattern[str]] = _pattern("CLUSTER_OF_CYSTS_BEFORE_RE")
COUNT_LABEL_RE: Final[re.Pattern[str]] = _pattern("COUNT_LABEL_RE")
COUNT_FIELD_RE: Final[re.Pattern[str]] = _pattern("COUNT_FIELD_RE")
NOT_A_FINDING_AFTER_RE: Final[re.Pattern[str]] = _pattern("NOT_A_FINDING_AFTER_RE")
LABEL_COLON_RE: Final[re.Pattern[str]] = _pattern("LABEL_COLON_RE")
LABEL_PREFIX_RE: Final[re.Pattern[str]] = _pattern("LABEL_PREFIX_RE")
SINGLE_ANSWER_RE: Final[re.Pattern[str]] = _pattern("SINGLE_ANSWER_RE")
GROUP_WORDS_RE: Final[re.Pattern[str]] = _pattern("GROUP_WORDS_RE")
ENUMERATED_AFTER_RE: Final[re.Pattern[str]] = _pattern("ENUMERATED_AFTER_RE")
LIST_ITEM_RE: Final[re.Pattern[str]] = _pattern("LIST_ITEM_RE")
LARGEST_RE: Final[re.Pattern[str]] = _pattern("LARGEST_RE")
LARGEST_PLACE_RE: Final[re.Pattern[str]] = _pattern("LARGEST_PLACE_RE")
BY_SIZE_BEFORE_RE: Final[re.Pattern[str]] = _pattern("BY_SIZE_BEFORE_RE")
BY_SIZE_OPENING_RE: Final[re.Pattern[str]] = _pattern("BY_SIZE_OPENING_RE")
NEOPLASM_NAME_RE: Final[re.Pattern[str]] = _pattern("NEOPLASM_NAME_RE")
AND_JOIN_RE: Final[re.Pattern[str]] = _pattern("AND_JOIN_RE")
DIFFERENTIAL_BEFORE_RE: Final[re.Pattern[str]] = _pattern("DIFFERENTIAL_BEFORE_RE")
DIFFERENTIAL_JOIN_RE: Final[re.Pattern[str]] = _pattern("DIFFERENTIAL_JOIN_RE")
SIZE_OF_OTHER_RE: Final[re.Pattern[str]] = _pattern("SIZE_OF_OTHER_RE")
EACH_AFTER_RE: Final[re.Pattern[str]] = _pattern("EACH_AFTER_RE")
CHANGE_TOOK_GAP_RE: Final[re.Pattern[str]] = _pattern("CHANGE_TOOK_GAP_RE")
AXIS_PAIR_GAP_RE: Final[re.Pattern[str]] = _pattern("AXIS_PAIR_GAP_RE")
NOT_A_PLACE_AFTER_RE: Final[re.Pattern[str]] = _pattern("NOT_A_PLACE_AFTER_RE")
COMM_FIELD_RE: Final[re.Pattern[str]] = _pattern("COMM_FIELD_RE")
UNCERTAIN_ANSWER_RE: Final[re.Pattern[str]] = _pattern("UNCERTAIN_ANSWER_RE")
DUCT_AFTER_RE: Final[re.Pattern[str]] = _pattern("DUCT_AFTER_RE")
CYST_AFTER_RE: Final[re.Pattern[str]] = _pattern("CYST_AFTER_RE")
DUCT_GAP_VETO_RE: Final[re.Pattern[str]] = _pattern("DUCT_GAP_VETO_RE")
DESCRIBED_ABOVE_RE: Final[re.Pattern[str]] = _pattern("DESCRIBED_ABOVE_RE")
ALL_OF_THEM_RE: Final[re.Pattern[str]] = _pattern("ALL_OF_THEM_RE")
GROUP_IS_CYSTIC_RE: Final[re.Pattern[str]] = _pattern("GROUP_IS_CYSTIC_RE")
SENTENCE_OPENING_RE: Final[re.Pattern[str]] = _pattern("SENTENCE_OPENING_RE")
COMPARISON_SENT_RE: Final[re.Pattern[str]] = _pattern("COMPARISON_SENT_RE")
PRIOR_DATE_LINE_RE: Final[re.Pattern[str]] = _pattern("PRIOR_DATE_LINE_RE")
COMPOUND_HEADING_RE: Final[re.Pattern[str]] = _pattern("COMPOUND_HEADING_RE")
SIZE_OF_CYST_RE: Final[re.Pattern[str]] = _pattern("SIZE_OF_CYST_RE")
COMM_BEFORE_DUCT_RE: Final[re.Pattern[str]] = _pattern("COMM_BEFORE_DUCT_RE")
COMM_AFTER_DUCT_RE: Final[re.Pattern[str]] = _pattern("COMM_AFTER_DUCT_RE")
DUCT_OWN_SIZE_RE: Final[re.Pattern[str]] = _pattern("DUCT_OWN_SIZE_RE")
NARRATED_DUCT_SIZE_RE: Final[re.Pattern[str]] = _pattern("NARRATED_DUCT_SIZE_RE")
NEAR_DENIAL_GAP_RE: Final[re.Pattern[str]] = _pattern("NEAR_DENIAL_GAP_RE")
NOW_AFTER_RE: Final[re.Pattern[str]] = _pattern("NOW_AFTER_RE")
EARLIER_TIME_RE: Final[re.Pattern[str]] = _pattern("EARLIER_TIME_RE")
OTHER_NOUN_RE: Final[re.Pattern[str]] = _pattern("OTHER_NOUN_RE")
COORDINATION_RE: Final[re.Pattern[str]] = _pattern("COORDINATION_RE")
COMPOUND_LABEL_RE: Final[re.Pattern[str]] = _pattern("COMPOUND_LABEL_RE")
CYST_NEXT_RE: Final[re.Pattern[str]] = _pattern("CYST_NEXT_RE")
FIELD_RE: Final[re.Pattern[str]] = _pattern("FIELD_RE")
VESSEL_AFTER_RE: Final[re.Pattern[str]] = _pattern("VESSEL_AFTER_RE")
MALIGNANT_RE: Final[re.Pattern[str]] = _pattern("MALIGNANT_RE")
SOLID_AND_CYSTIC_PARTS_RE: Final[re.Pattern[str]] = _pattern("SOLID_AND_CYSTIC_PARTS_RE")
INTERNAL_PART_RE: Final[re.Pattern[str]] = _pattern("INTERNAL_PART_RE")
INTERNAL_PART_BEFORE_RE: Final[re.Pattern[str]] = _pattern("INTERNAL_PART_BEFORE_RE")
INNER_CYSTS_BEFORE_RE: Final[re.Pattern[str]] = _pattern("INNER_CYSTS_BEFORE_RE")
WITHIN_A_LESION_AFTER_RE: Final[re.Pattern[str]] = _pattern("WITHIN_A_LESION_AFTER_RE")
ADJACENT_GAP_RE: Final[re.Pattern[str]] = _pattern("ADJACENT_GAP_RE")
OF_THE_RE: Final[re.Pattern[str]] = _pattern("OF_THE_RE")
SPAN_GAP_RE: Final[re.Pattern[str]] = _pattern("SPAN_GAP_RE")
ARROW_GAP_RE: Final[re.Pattern[str]] = _pattern("ARROW_GAP_RE")
PANCREAS_TOPIC_RE: Final[re.Pattern[str]] = _pattern("PANCREAS_TOPIC_RE")
CYST_TOPIC_RE: Final[re.Pattern[str]] = _pattern("CYST_TOPIC_RE")
FEATURE_OF_CYST_RE: Final[re.Pattern[str]] = _pattern("FEATURE_OF_CYST_RE")
# a fragment is also a name: list openings are matched by other code too
BULLET: Final[str] = _FRAGMENTS["bullet"]


# --- substring pre-checks -------------------------------------------------------------------------
# Derived, not written: every match of the pattern(s) each guards holds one of its words.
_GUARDED: dict[str, tuple[str, ...]] = {
    "NODULE_WORDS": ("NODULE_RE",),
    "CHANGE_WORDS": ("CHANGE_AMOUNT_BEFORE_RE", "CHANGE_CUE_BEFORE_RE"),
    "CHANGE_AFTER_WORDS": ("CHANGE_AMOUNT_AFTER_RE",),
    "SEPTA_WORDS": ("SEPTA_ABSENT_RE", "SEPTA_PRESENT_RE"),
    "COMM_WORDS": ("COMM_RE",),
    "LOCATION_WORDS": ("LOCATION_RE",),
    "CYST_WORDS": ("SIZE_OF_CYST_RE", "CYST_NEXT_RE"),
    "DILATED_WORDS": ("DILATED_RE",),
    "SOLID_VETO_WORDS": ("SOLID_VETO_RE",),
    "WALL_WORDS": ("WALL_ABSENT_RE", "WALL_PRESENT_RE"),
    "CALC_WORDS": ("CALC_RE",),
    "CURRENT_EXAM_DATE_WORDS": ("CURRENT_EXAM_DATE_RE",),
}
NODULE_WORDS: Final[tuple[str, ...]] = _guard(*_GUARDED["NODULE_WORDS"])
CHANGE_WORDS: Final[tuple[str, ...]] = _guard(*_GUARDED["CHANGE_WORDS"])
CHANGE_AFTER_WORDS: Final[tuple[str, ...]] = _guard(*_GUARDED["CHANGE_AFTER_WORDS"])
SEPTA_WORDS: Final[tuple[str, ...]] = _guard(*_GUARDED["SEPTA_WORDS"])
COMM_WORDS: Final[tuple[str, ...]] = _guard(*_GUARDED["COMM_WORDS"])
LOCATION_WORDS: Final[tuple[str, ...]] = _guard(*_GUARDED["LOCATION_WORDS"])
CYST_WORDS: Final[tuple[str, ...]] = _guard(*_GUARDED["CYST_WORDS"])
DILATED_WORDS: Final[tuple[str, ...]] = _guard(*_GUARDED["DILATED_WORDS"])
SOLID_VETO_WORDS: Final[tuple[str, ...]] = _guard(*_GUARDED["SOLID_VETO_WORDS"])
WALL_WORDS: Final[tuple[str, ...]] = _guard(*_GUARDED["WALL_WORDS"])
CALC_WORDS: Final[tuple[str, ...]] = _guard(*_GUARDED["CALC_WORDS"])
CURRENT_EXAM_DATE_WORDS: Final[tuple[str, ...]] = _guard(*_GUARDED["CURRENT_EXAM_DATE_WORDS"])
# a sentence holds none of these: nothing it says can be of a lesion's appearance (nodule, septa, wall, calcium)
APPEARANCE_WORDS: Final[tuple[str, ...]] = _minimal([*NODULE_WORDS, *SEPTA_WORDS, *WALL_WORDS, *CALC_WORDS])
# Not a pre-check of one pattern: a sentence with no size must hold one of these to go on about the
# current lesion (a nodule, septa, communication or place word, or a word rules.yaml adds).
CONTINUATION_WORDS: Final[tuple[str, ...]] = _minimal(
    [*NODULE_WORDS, *SEPTA_WORDS, *COMM_WORDS, *LOCATION_WORDS, *_words("CONTINUATION_WORDS")]
)
