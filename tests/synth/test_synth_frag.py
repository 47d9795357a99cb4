"""The offset-tracking template engine behind every gold span."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pancyst.synth.frag import Frag, article, join, render

_slot_text = st.text(
    alphabet=st.characters(blacklist_characters="{}[]", blacklist_categories=("Cs",)), max_size=12
)


def _spans(frag: Frag) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for start, end, tag in frag.spans:
        out.setdefault(tag, []).append(frag.text[start:end])
    return out


def test_slots_brackets_and_keys() -> None:
    size = Frag("2.3 x 1.8 cm").tagged("L0:size_mm")
    out = render(
        "There is {a} {size} cyst [with septations] and [@d 3 mm duct].",
        {"size": size},
        {"": ["sep"], "d": ["duct"]},
    )
    assert out.text == "There is a 2.3 x 1.8 cm cyst with septations and 3 mm duct."
    assert _spans(out) == {"L0:size_mm": ["2.3 x 1.8 cm"], "sep": ["with septations"], "duct": ["3 mm duct"]}


def test_unbracketed_tags_cover_the_phrase_without_its_full_stop() -> None:
    out = render("No mural nodule is identified.", tags=["L1:mural_nodule"])
    assert _spans(out) == {"L1:mural_nodule": ["No mural nodule is identified"]}


def test_capitalised_slot_and_article() -> None:
    out = render(
        "{A} {size} {noun}. {It} is {a} {adj}cyst.",
        {"size": "8 mm", "noun": "IPMN", "It": "It", "adj": "unilocular "},
    )
    assert out.text == "An 8 mm IPMN. It is a unilocular cyst."
    assert render("{Loc}: cyst.", {"loc": "tail"}).text == "Tail: cyst."


def test_empty_slot_swallows_one_space() -> None:
    assert render(
        "There is {a} {stab}{size} cyst in the {loc}{tail}.",
        {"stab": "", "size": "", "loc": "tail", "tail": ""},
    ).text == ("There is a cyst in the tail.")


def test_missing_slot_and_unclosed_bracket_fail() -> None:
    with pytest.raises(KeyError):
        render("{size} cyst")
    with pytest.raises(ValueError, match="unclosed"):
        render("[no end")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("8 mm", "an"),
        ("11 mm", "an"),
        ("18 x 12", "an"),
        ("1.8 cm", "a"),
        ("110 mm", "a"),
        ("IPMN", "an"),
        ("MRI", "an"),
        ("T2-bright", "a"),
        ("unilocular", "a"),
        ("enhancing", "an"),
        ("side-branch", "a"),
        ("", "a"),
        ("BD-IPMN", "a"),
    ],
)
def test_article(word: str, expected: str) -> None:
    assert article(word) == expected


@given(
    st.lists(st.tuples(_slot_text, st.booleans()), min_size=1, max_size=6),
    st.text(alphabet=" ,;.x", max_size=3),
)
def test_joined_spans_always_point_at_their_text(pieces: list[tuple[str, bool]], sep: str) -> None:
    frags = [Frag(text).tagged(f"t{k}") if tagged else Frag(text) for k, (text, tagged) in enumerate(pieces)]
    out = join(frags, sep)
    assert out.text == sep.join(text for text, _ in pieces)
    for k, frag in enumerate(frags):
        alone = [frag.text[s:e] for s, e, _ in frag.spans]
        assert _spans(out).get(f"t{k}", []) == alone


@given(_slot_text, _slot_text, _slot_text)
def test_render_spans_point_at_slot_text(a: str, b: str, lead: str) -> None:
    out = render(
        lead.replace("{", "").replace("}", "") + "{x} and {y}",
        {"x": Frag(a, [(0, len(a), "X")]), "y": Frag(b, [(0, len(b), "Y")])},
    )
    got = _spans(out)
    assert got.get("X", [a]) == [a] and got.get("Y", [b]) == [b]
