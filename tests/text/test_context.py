import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pancyst.text.context import ContextIndex, modifiers_of, respell


def mods(sentence: str, target: str) -> set[str]:
    i = sentence.index(target)
    return modifiers_of(sentence, i, i + len(target))


@pytest.mark.parametrize(
    ("sentence", "target", "expected"),
    [
        ("No mural nodule, wall thickening, or septations.", "septations", {"negated"}),
        ("No mural nodule but thin septations are present.", "septations", set()),
        ("Cyst without mural nodule, with thin septations.", "septations", set()),
        ("Cyst without mural nodule, with thin septations.", "nodule", {"negated"}),
        ("Mural nodules are not seen.", "nodules", {"negated"}),
        ("Mural nodule: absent", "nodule", {"negated"}),
        ("Neg for pancreatic cyst.", "cyst", {"negated"}),
        ("Cysts of 8 mm in the body, none of them with thickened walls.", "body", set()),
        ("Cysts of 8 mm in the body, none of them with thickened walls.", "walls", {"negated"}),
        # an indefinite article after "and" opens an affirmed noun phrase; after "or" the denial goes on
        ("No worrisome features and a normal pancreatic duct.", "normal", set()),
        ("No mural nodule or a thickened wall.", "thickened", {"negated"}),
        # "absent" is attributive: forward before its noun, backward after it as a predicate
        ("Mural nodule absent.", "nodule", {"negated"}),
        ("Mural nodule is not observed.", "nodule", {"negated"}),
        ("It is not observed dilatation of the duct.", "dilatation", {"negated"}),
        ("Absent mural nodule.", "nodule", {"negated"}),
        ("Mural nodules absent in both cysts.", "nodules", {"negated"}),
        ("Mural nodule absent, septations present.", "septations", set()),
        ("Mural nodule absent and septations present.", "septations", set()),
        # a parenthesized answer answers its own list item only
        ("Wall thickening (present), enhancing mural nodule (absent).", "nodule", {"negated"}),
        ("Wall thickening (present), enhancing mural nodule (absent).", "thickening", set()),
        ("Septations (none), calcification (present).", "Septations", {"negated"}),
        ("Septations (none), calcification (present).", "calcification", set()),
        ("Findings: No pancreatic cyst.", "cyst", {"negated"}),
        ("The main pancreatic duct is not dilated.", "dilated", {"negated"}),
        ("Communication with the main duct cannot be excluded.", "Communication", {"uncertain"}),
        ("Questionable mural nodule.", "nodule", {"possible"}),
        ("The cyst does not present septa.", "septa", {"negated"}),
        ("Septa are not appreciable.", "Septa", {"negated"}),
        ("Likely side-branch IPMN.", "IPMN", {"probable"}),
        ("No significant change in the 1.2 cm pancreatic cyst.", "cyst", set()),
        ("The previously seen tail cyst has resolved.", "cyst", {"historical"}),
        ("Status post distal pancreatectomy for cyst.", "cyst", {"historical"}),
        ("Evaluate for pancreatic cyst.", "cyst", {"hypothetical"}),
        ("Septations or duct communication would favor a branch-duct IPMN.", "Septations", {"hypothetical"}),
        ("Septations or duct communication would favor a branch-duct IPMN.", "IPMN", {"hypothetical"}),
        ("A 5 mm cyst, too small to characterize, possibly a side-branch IPMN.", "IPMN", {"possible"}),
        ("8 mm cyst w/o solid comp.", "solid", {"negated"}),
        ("Cyst without solid component, consistent with BD-IPMN.", "IPMN", {"probable"}),
        ("Cyst w/o solid comp, c/w BD-IPMN.", "IPMN", {"probable"}),
        ("No nodule, possible thin septation.", "septation", {"possible"}),
        ("Multiple cysts, none communicating with the duct.", "cysts", set()),
        ("Multiple cysts, none communicating with the duct.", "communicating", {"negated"}),
        ("Mural nodule none, septations present.", "nodule", {"negated"}),
        ("Mural nodule none, septations present.", "septations", set()),
        ("Mural nodules: none in either cyst.", "nodules", {"negated"}),
    ],
)
def test_scopes(sentence: str, target: str, expected: set[str]) -> None:
    assert mods(sentence, target) == expected


def test_scope_ends_at_sentence() -> None:
    text = "no ascites. a 2 cm cyst."
    idx = ContextIndex(text)
    i = text.index("cyst")
    assert idx.modifiers(i, i + 4, text.index("a 2"), len(text)) == set()


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises(text: str) -> None:
    idx = ContextIndex(text.lower())
    idx.modifiers(0, min(3, len(text)), 0, len(text))


def test_covering_names_the_trigger_words() -> None:
    text = "A pancreatic cyst cannot be excluded."
    i = text.index("cyst")
    hits = ContextIndex(text).covering(i, i + 4, 0, len(text))
    assert [(text[h.start : h.end], h.rule.category) for h in hits] == [("cannot be excluded", "uncertain")]


@pytest.mark.parametrize(
    ("sentence", "target", "expected"),
    [
        (
            "Unlike the renal cyst, which has no septations, the pancreatic cyst is septated.",
            "septated",
            set(),
        ),
        (
            "Unlike the renal cyst, which has no septations, the pancreatic cyst is septated.",
            "septations",
            {"negated"},
        ),
        ("No mural nodule, septations or wall thickening.", "wall", {"negated"}),
    ],
)
def test_a_definite_subject_after_a_comma_opens_a_new_clause(
    sentence: str, target: str, expected: set[str]
) -> None:
    assert mods(sentence, target) == expected


@pytest.mark.parametrize(
    ("sentence", "target", "expected"),
    [
        ("No worrisome features and the pancreatic duct was normal.", "normal", set()),
        ("No nodule and the wall is thin.", "thin", set()),
        # no verb of its own: the denial goes on over the list
        ("No dilatation of the bile ducts and the pancreatic duct.", "pancreatic", {"negated"}),
    ],
)
def test_and_before_a_definite_subject_with_its_own_verb_opens_a_new_clause(
    sentence: str, target: str, expected: set[str]
) -> None:
    assert mods(sentence, target) == expected


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("visualized", "visualised"),
        ("characterise", "characterize"),
        ("calibre", "caliber"),
        ("tumour", "tumor"),
    ],
)
def test_respell_gives_the_other_spelling(word: str, other: str) -> None:
    assert respell(word) == other and respell(other) == word


def test_respell_leaves_short_words_and_words_with_no_other_spelling() -> None:
    assert [respell(w) for w in ("rise", "size", "cyst")] == ["rise", "size", "cyst"]


@pytest.mark.parametrize(
    ("phrase", "category"),
    [
        ("not visualised", "negated"),
        ("not recognised", "negated"),
        ("no longer visualised", "historical"),
    ],
)
def test_triggers_match_in_either_spelling(phrase: str, category: str) -> None:
    assert category in mods(f"cyst {phrase}", "cyst")


@pytest.mark.parametrize(
    "lead", ["confirming", "in keeping with", "suggestive of", "indicating", "typical of"]
)
def test_a_diagnosis_after_a_denied_finding_ends_the_denial(lead: str) -> None:
    assert "negated" not in mods(f"it does not enhance, {lead} a simple cyst", "cyst")
