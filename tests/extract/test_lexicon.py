"""The rules backend's vocabulary (text/lexicon/rules.yaml) and the pre-checks derived from it."""

from __future__ import annotations

import re
import string
from importlib import resources
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pancyst.extract.rules import patterns as P

LEXICON: dict[str, Any] = yaml.safe_load(
    resources.files("pancyst.text").joinpath("lexicon/rules.yaml").read_text(encoding="utf-8")
)
# normalized text is lower case; uppercase letters could only ever miss a lower-case literal
ALPHABET = sorted(set(string.printable) - set(string.ascii_uppercase))
GUARDED = [(guard, name) for guard, names in P._GUARDED.items() for name in names]
ALTERNATIVES = [
    (guard, name, i, alt)
    for guard, name in GUARDED
    for i, (alt, _lits) in enumerate(P._guard_alternatives(name, getattr(P, name)))
]
# CONTINUATION_WORDS as written by hand before the pre-checks were derived from their patterns
HAND_WRITTEN_CONTINUATION_WORDS = (
    "nodul", "solid", "papillary", "tissue", "component", "vegetation",
    "sept", "locul", "simple", "multicystic", "without internal", "honeycomb", "micro",
    "communicat", "connect", "contiguous", "continuous",
    "wall", "mural", "calc", "head", "neck", "body", "tail", "uncinate",
)  # fmt: skip


def has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def drawable(regex: str) -> str:
    """``regex`` less an opening first-letter look-ahead ``(?=[abc])`` or ``(?=c)``, for hypothesis to draw from.

    from_regex writes a look-ahead's characters out as if they were consumed ("(?=[a])\\ba" gives
    "aa", which the pattern no longer matches); the look-ahead only repeats what the first letter
    must be, so drawing without it and keeping the draws the real pattern matches is the same test.
    """
    return re.sub(r"^\(\?=(?:\[[a-z]+\]|[a-z])\)", "", regex)


# --- (a) the lexicon loads and every entry is built and exported ------------------------------------


def test_the_lexicon_has_its_sections() -> None:
    assert set(LEXICON) <= {"fragments", "patterns", "words", "maps"}
    assert LEXICON["patterns"] and LEXICON["fragments"]


@pytest.mark.parametrize("name", sorted(LEXICON["patterns"]))
def test_every_pattern_compiles_and_is_exported(name: str) -> None:
    entry = LEXICON["patterns"][name]
    built, groups = P._build_entry(name, entry, P._FRAGMENTS)
    exported = getattr(P, name)
    assert isinstance(exported, re.Pattern)
    assert (exported.pattern, exported.flags) == (built.pattern, built.flags)
    if entry.get("build") == "dispatched":
        assert getattr(P, name.removesuffix("_RE") + "_GROUPS") == groups
        assert len(groups) == built.groups + 1
    else:
        assert groups == ()


def test_words_maps_and_fragments_are_exported() -> None:
    for name in LEXICON["words"]:
        assert isinstance(getattr(P, name), tuple)
    for name, counts in LEXICON["maps"].items():
        assert getattr(P, name) == {str(k): v for k, v in counts.items()}
    assert LEXICON["fragments"]["bullet"] == P.BULLET
    assert P.COUNT_WORDS["several"] == 3


def test_the_guarded_patterns_are_not_written_as_words() -> None:
    """The pre-checks are derived; a hand-written list in rules.yaml would be silently ignored."""
    assert not set(P._GUARDED) & set(LEXICON["words"])


# --- (b) every pre-check admits every alternative -------------------------------------------------------


@pytest.mark.parametrize(("guard", "name"), GUARDED)
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_match_holds_a_pre_check_word(guard: str, name: str, data: st.DataObject) -> None:
    pattern: re.Pattern[str] = getattr(P, name)
    words: tuple[str, ...] = getattr(P, guard)
    text = data.draw(
        st.from_regex(drawable(pattern.pattern), alphabet=ALPHABET).filter(
            lambda s: pattern.search(s) is not None
        ),
        label="text",
    )
    assert has_any(text, words)
    for m in pattern.finditer(text):
        assert has_any(m.group(), words), (m.group(), words)


@pytest.mark.parametrize(("guard", "name", "i", "alt"), ALTERNATIVES)
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_alternative_is_admitted(guard: str, name: str, i: int, alt: str, data: st.DataObject) -> None:
    """Text drawn from each alternative alone, so a rare alternative is tried as often as the others."""
    pattern: re.Pattern[str] = getattr(P, name)
    words: tuple[str, ...] = getattr(P, guard)
    text = data.draw(st.from_regex(drawable(alt), alphabet=ALPHABET), label="text")
    assert pattern.search(text) is not None  # what one alternative matches, the whole pattern matches
    for m in pattern.finditer(text):
        assert has_any(m.group(), words), (m.group(), words)


@pytest.mark.parametrize(("guard", "name"), GUARDED)
def test_a_literal_is_found_for_every_top_level_alternative(guard: str, name: str) -> None:
    words: tuple[str, ...] = getattr(P, guard)
    alternatives = P._guard_alternatives(name, getattr(P, name))
    assert alternatives
    for alt, literals in alternatives:
        re.compile(alt)  # the alternative, written back as a regex
        assert literals, alt
        for lit in literals:
            assert lit and any(w in lit for w in words), (alt, lit, words)


def test_the_pre_checks_are_read_off_the_patterns() -> None:
    assert P.COMM_WORDS == ("communicat", "connect", "contiguous", "continuous")
    assert P.CYST_WORDS == ("cyst", "lesion", "ipmn")
    assert set(P.LOCATION_WORDS) >= {"head", "neck", "body", "tail", "uncinate"}


@pytest.mark.parametrize(
    ("regex", "literals"),
    [
        (r"\b(?:mural\s+)?nodules?\b", ("nodule",)),  # an optional group breaks the run
        (
            r"(?=[cn])\b(?:communicat\w+|(?:contiguous|continuous)\s+with)",
            ("communicat", "contiguous", "continuous"),
        ),
        (r"(?<!non-)\bdilat\w*", ("dilat",)),  # look-arounds are skipped
        (r"[\s-]*(?:\w+\s+){0,5}?(?:cysts?|lesions?|pseudocysts?)\b", ("cyst", "lesion")),
        (r"soft[\s-]+tissue\s+components?", ("component",)),  # the longest run
        (r"(?:ab|cd)+x", ("ab", "cd")),  # a repeat that must match once
    ],
)
def test_the_literal_reader(regex: str, literals: tuple[str, ...]) -> None:
    found = [lit for _alt, lits in P._guard_alternatives("T_RE", re.compile(regex)) for lit in lits]
    assert P._minimal(found) == literals


def test_continuation_words_admit_all_the_hand_written_list_admitted() -> None:
    """Each hand-written word holds a continuation word, so every sentence it admitted is still admitted."""
    for w in HAND_WRITTEN_CONTINUATION_WORDS:
        assert has_any(w, P.CONTINUATION_WORDS), w
    for guard in ("NODULE_WORDS", "SEPTA_WORDS", "COMM_WORDS", "LOCATION_WORDS"):
        for w in getattr(P, guard):
            assert has_any(w, P.CONTINUATION_WORDS), (guard, w)


# --- (c) a broken entry fails loudly ---------------------------------------------------------------------


def test_an_unknown_fragment_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"X_RE names unknown fragment '@nope'"):
        P._build_entry("X_RE", {"regex": ["a", "@nope"]}, P._FRAGMENTS)


def test_an_unknown_build_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"X_RE has unknown build 'fancy'"):
        P._build_entry("X_RE", {"build": "fancy", "regex": "a"}, P._FRAGMENTS)


@pytest.mark.parametrize(
    "entry",
    [
        {"regex": []},
        {"regex": [1]},
        {"regx": ["a"]},
        ["a"],
        {"regex": ["(a"]},
        {"build": "led", "regex": "a"},
    ],
)
def test_a_malformed_entry_is_an_error(entry: Any) -> None:
    with pytest.raises(ValueError, match="X_RE"):
        P._build_entry("X_RE", entry, P._FRAGMENTS)


def test_a_fragment_is_inserted() -> None:
    built, _ = P._build_entry("X_RE", {"regex": ["@bullet", "cyst"]}, P._FRAGMENTS)
    assert built.pattern == P.BULLET + "cyst"


def test_an_alternative_without_a_literal_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"X_RE: alternative 2 '\\\\d\+' holds no literal"):
        P._guard_alternatives("X_RE", re.compile(r"\b(?:cyst|\d+)\b"))
