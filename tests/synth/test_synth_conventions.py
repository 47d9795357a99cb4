"""SPEC §2 reading conventions in the synthetic corpus: each phrasing family appears, with the gold it implies.

(a) a hedged finding counts as present; "cannot be excluded / confirmed", "indeterminate" is not_stated;
(b) a lesion both solid and cystic, not called malignant, is a PCL whose solid part is the mural nodule;
(c) a lesion spanning two segments takes the more proximal one.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from pancyst.synth import generate, generate_report
from pancyst.synth import plan as synth_plan

N = 2000
HEDGE = re.compile(r"\b(possible|possibly|probable|probably|likely|questionable|suspected)\b|\?", re.I)
UNSURE = re.compile(r"cannot be (excluded|confirmed)|\bindeterminate\b", re.I)
PRESENT = {
    "mural_nodule": {"enhancing", "nonenhancing", "present_unspecified"},
    "wall_thickening": {"present"},
    "septations": {"present"},
    "mpd_communication": {"present"},
}
FEATURES = sorted(PRESENT)
SEGMENTS = ("head", "neck", "body", "tail")  # proximal to distal
NEW_PHENOMENA = ("hedge_present_", "hedge_not_stated_", "solid_cystic_", "location_span")


@pytest.fixture(scope="module")
def balanced() -> list[dict[str, Any]]:
    return list(generate(N, seed=42, mix="balanced"))


@pytest.fixture(scope="module")
def real() -> list[dict[str, Any]]:
    return list(generate(N, seed=42, mix="real"))


@pytest.fixture(scope="module")
def both(balanced: list[dict[str, Any]], real: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return balanced + real


def _spans(lesion: dict[str, Any], feature: str) -> list[str]:
    return [s["text"] for s in lesion["evidence"] if s["feature"] == feature]


def _with(corpus: list[dict[str, Any]], phenomenon: str) -> list[dict[str, Any]]:
    return [line for line in corpus if phenomenon in line["phenomena"]]


# --- (a) hedged wordings: present ---------------------------------------------------------------------


@pytest.mark.parametrize("feature", FEATURES)
def test_hedged_feature_wordings_are_gold_present(both: list[dict[str, Any]], feature: str) -> None:
    hedged_lesions = 0
    for line in both:
        for lesion in line["lesions"]:
            if any(HEDGE.search(t) for t in _spans(lesion, feature)):
                hedged_lesions += 1
                assert lesion[feature] in PRESENT[feature], (line["report_id"], _spans(lesion, feature))
    reports = _with(both, f"hedge_present_{feature}")
    assert len(reports) >= 20 and hedged_lesions >= 20
    for line in reports:  # the hedge is the evidence of a present value
        assert any(
            lesion[feature] in PRESENT[feature] and any(HEDGE.search(t) for t in _spans(lesion, feature))
            for lesion in line["lesions"]
        ), line["report_id"]


@pytest.mark.parametrize(
    ("pattern", "feature"),
    [
        (r"possible thin septation", "septations"),
        (r"questionable (\d+(\.\d+)? mm )?mural nodule", "mural_nodule"),
        (r"probable communication with the main duct", "mpd_communication"),
        (r"possible (mild )?wall thickening", "wall_thickening"),
    ],
)
def test_the_spec_examples_of_hedges_appear_with_present_gold(
    both: list[dict[str, Any]], pattern: str, feature: str
) -> None:
    found = [
        (line["report_id"], lesion[feature])
        for line in both
        for lesion in line["lesions"]
        if any(re.search(pattern, t, re.I) for t in _spans(lesion, feature))
    ]
    assert found
    assert all(value in PRESENT[feature] for _, value in found), found


def test_hedged_pcl_mentions_are_pcls(both: list[dict[str, Any]]) -> None:
    reports = _with(both, "hedge_present_pcl_present")
    assert len(reports) >= 30
    for line in reports:
        assert line["pcl_present"] is True and line["gold_category"] in (1, 2, 3)
        assert any(HEDGE.search(s["text"]) for s in line["evidence"]["pcl_present"]), line["report_id"]


# --- (a) "cannot be excluded": not_stated ---------------------------------------------------------------


@pytest.mark.parametrize("feature", FEATURES)
def test_cannot_be_excluded_wordings_are_gold_not_stated(both: list[dict[str, Any]], feature: str) -> None:
    reports = _with(both, f"hedge_not_stated_{feature}")
    single = [line for line in reports if len(line["lesions"]) == 1]
    assert len(reports) >= 20 and len(single) >= 5
    for line in single:  # one lesion: the statement is about the index lesion
        assert UNSURE.search(line["text"]), line["report_id"]
        assert line["features"][feature] == "not_stated", line["report_id"]
        assert line["lesions"][0][feature] == "not_stated"
        assert feature not in line["evidence"]


def test_unsure_wordings_are_never_evidence(both: list[dict[str, Any]]) -> None:
    for line in both:
        for spans in line["evidence"].values():
            assert not any(UNSURE.search(s["text"]) for s in spans), line["report_id"]
        for lesion in line["lesions"]:
            assert not any(UNSURE.search(s["text"]) for s in lesion["evidence"]), line["report_id"]


# --- (b) solid-and-cystic lesions -----------------------------------------------------------------------


def test_solid_and_cystic_lesions_are_pcls_with_a_mural_nodule(balanced: list[dict[str, Any]]) -> None:
    reports = _with(balanced, "solid_cystic_lesion")
    assert len(reports) >= 20
    values: set[str] = set()
    for line in reports:
        text = line["text"].lower()
        assert line["pcl_present"] is True and line["gold_category"] in (2, 3)
        assert "solid" in text and "cystic" in text
        assert "malignan" not in text and "carcinoma" not in text  # not called malignant
        assert ("pseudopapillary" in text) == ("solid_cystic_spn" in line["phenomena"])
        assert ("neuroendocrine" in text) == ("solid_cystic_cnet" in line["phenomena"])
        solid = [
            lesion
            for lesion in line["lesions"]
            if lesion["presumed_type"] == "unspecified"
            and lesion["mural_nodule"] in ("enhancing", "present_unspecified")
            and any("solid" in t.lower() for t in _spans(lesion, "mural_nodule"))
        ]
        assert solid, line["report_id"]
        if len(line["lesions"]) == 1:
            (lesion,) = solid
            said_to_enhance = any("enhanc" in t.lower() for t in _spans(lesion, "mural_nodule"))
            assert said_to_enhance == (lesion["mural_nodule"] == "enhancing"), line["report_id"]
            values.add(lesion["mural_nodule"])
    assert values == {"enhancing", "present_unspecified"}
    kinds = {p for line in reports for p in line["phenomena"] if p.startswith("solid_cystic_")}
    assert kinds == {"solid_cystic_lesion", "solid_cystic_spn", "solid_cystic_cnet", "solid_cystic_mass"}


def test_a_cystic_part_of_a_malignancy_is_still_no_pcl(balanced: list[dict[str, Any]]) -> None:
    necrotic = _with(balanced, "solid_mass_cystic_component")
    assert necrotic
    assert all(line["pcl_present"] is False for line in necrotic)


# --- (c) lesions spanning two segments ------------------------------------------------------------------


def _segments(texts: list[str]) -> list[str]:
    if any("junction" in t.lower() or "/" in t or "-" in t for t in texts):
        return []  # a junction follows the location definition, not the span convention
    named = {w for t in texts for w in re.findall(r"\b(head|neck|body|tail)\b", t.lower())}
    return [s for s in SEGMENTS if s in named]


def test_lesions_spanning_two_segments_take_the_proximal_one(both: list[dict[str, Any]]) -> None:
    spanning = 0
    styles = set()
    for line in both:
        found = False
        for lesion in line["lesions"]:
            texts = _spans(lesion, "location")
            named = _segments(texts)
            if len(named) >= 2:
                spanning += 1
                found = True
                assert lesion["location"] == named[0], (line["report_id"], texts, lesion["location"])
                styles.add("extend" if any(re.search(r"extend|spans", t) for t in texts) else "pair")
        assert found == ("location_span" in line["phenomena"]), line["report_id"]
    assert spanning >= 40
    assert styles == {"pair", "extend"}


# --- frequency, determinism, unchanged categories -------------------------------------------------------


def test_conventions_are_modest_and_change_no_category(monkeypatch: pytest.MonkeyPatch) -> None:
    n = 400
    on = [generate_report(11, i, "real") for i in range(n)]
    monkeypatch.setitem(synth_plan.CONVENTION_RATE, "real", 0.0)
    off = [generate_report(11, i, "real") for i in range(n)]
    changed = 0
    for a, b in zip(on, off, strict=True):
        assert (a["pcl_present"], a["gold_category"]) == (b["pcl_present"], b["gold_category"])
        assert not any(p.startswith(NEW_PHENOMENA) for p in b["phenomena"])
        if a != b:
            changed += 1
            assert any(p.startswith(NEW_PHENOMENA) for p in a["phenomena"]), a["report_id"]
    assert 0.03 * n < changed < 0.25 * n


def test_conventions_are_deterministic() -> None:
    assert [generate_report(3, i, "balanced") for i in range(40)] == list(
        generate(40, seed=3, mix="balanced")
    )
