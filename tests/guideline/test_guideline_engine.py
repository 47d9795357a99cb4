"""Categories (SPEC §4), growth (SPEC §3), the index lesion (SPEC §2) and the trace."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from guideline_helpers import run
from hypothesis import given, settings
from hypothesis import strategies as st

from pancyst.guideline import evaluate_report, growth_status, load_profile
from pancyst.schema import Lesion

ACR = load_profile("acr2017")


# --- ACR 2017 categories -------------------------------------------------------------------------

CATEGORY_CASES: list[tuple[str, dict[str, Any], dict[str, Any], int, list[str], list[str]]] = [
    # id, lesion, report kwargs, category, high-risk stigmata, worrisome features
    ("plain", {"size_mm": 12}, {}, 1, [], []),
    ("enhancing nodule", {"size_mm": 12, "mural_nodule": "enhancing"}, {}, 3, ["enhancing_mural_nodule"], []),
    ("mpd 10", {"size_mm": 12}, {"mpd": 10}, 3, ["mpd_ge_10mm"], []),
    ("mpd 9.9", {"size_mm": 12}, {"mpd": 9.9}, 2, [], ["mpd_7_to_10mm"]),
    ("mpd 7", {"size_mm": 12}, {"mpd": 7}, 2, [], ["mpd_7_to_10mm"]),
    ("mpd 6.9", {"size_mm": 12}, {"mpd": 6.9}, 1, [], []),
    (
        "jaundice head",
        {"size_mm": 12, "location": "head"},
        {"jaundice": True},
        3,
        ["jaundice_head_lesion"],
        [],
    ),
    (
        "jaundice uncinate",
        {"size_mm": 12, "location": "uncinate"},
        {"jaundice": True},
        3,
        ["jaundice_head_lesion"],
        [],
    ),
    ("jaundice tail", {"size_mm": 12, "location": "tail"}, {"jaundice": True}, 1, [], []),
    ("no jaundice head", {"size_mm": 12, "location": "head"}, {"jaundice": False}, 1, [], []),
    ("jaundice unknown head", {"size_mm": 12, "location": "head"}, {"jaundice": None}, 1, [], []),
    ("size 30", {"size_mm": 30}, {}, 2, [], ["size_ge_30mm"]),
    ("size 29.9", {"size_mm": 29.9}, {}, 1, [], []),
    ("size float noise", {"size_mm": 29.999999999996}, {}, 2, [], ["size_ge_30mm"]),  # cm -> mm rounding
    (
        "mpd float noise",
        {"size_mm": 12},
        {"mpd": 0.29 * 100 - 22},
        2,
        [],
        ["mpd_7_to_10mm"],
    ),  # 6.999999999999996
    ("wall present", {"size_mm": 12, "wall_thickening": "present"}, {}, 2, [], ["wall_thickening"]),
    ("wall not stated", {"size_mm": 12, "wall_thickening": "not_stated"}, {}, 1, [], []),
    ("nonenhancing nodule", {"size_mm": 12, "mural_nodule": "nonenhancing"}, {}, 2, [], ["mural_nodule"]),
    (
        "unspecified nodule",
        {"size_mm": 12, "mural_nodule": "present_unspecified"},
        {},
        2,
        [],
        ["mural_nodule"],
    ),
    ("nodule absent", {"size_mm": 12, "mural_nodule": "absent"}, {}, 1, [], []),
    ("dilated, no diameter", {"size_mm": 12}, {"dilated": "yes"}, 2, [], ["mpd_dilated_no_diameter"]),
    ("dilated with 5 mm", {"size_mm": 12}, {"dilated": "yes", "mpd": 5}, 1, [], []),
    ("dilated no", {"size_mm": 12}, {"dilated": "no"}, 1, [], []),
    ("growth", {"size_mm": 18, "prior_size_mm": 12}, {}, 2, [], ["growth"]),
    ("no growth", {"size_mm": 17.9, "prior_size_mm": 12}, {}, 1, [], []),
    (
        "several",
        {"size_mm": 35, "wall_thickening": "present", "mural_nodule": "enhancing"},
        {"mpd": 8},
        3,
        ["enhancing_mural_nodule"],
        ["size_ge_30mm", "wall_thickening", "mpd_7_to_10mm"],
    ),
    ("size unknown", {}, {}, 1, [], []),
]


@pytest.mark.parametrize(
    ("lesion", "report", "category", "hrs", "wf"),
    [c[1:] for c in CATEGORY_CASES],
    ids=[c[0] for c in CATEGORY_CASES],
)
def test_acr_categories(
    lesion: dict[str, Any], report: dict[str, Any], category: int, hrs: list[str], wf: list[str]
) -> None:
    derived = run(lesion, **report)
    assert derived.risk_category == category
    assert derived.high_risk_stigmata == hrs
    assert derived.worrisome_features == wf
    assert derived.lesion_categories == [category]
    assert derived.index_lesion == 0


# --- Fukuoka 2017 categories ---------------------------------------------------------------------

FUKUOKA_CASES: list[tuple[str, dict[str, Any], dict[str, Any], int, list[str], list[str]]] = [
    ("mpd 4.9", {"size_mm": 12}, {"mpd": 4.9}, 1, [], []),
    ("mpd 5", {"size_mm": 12}, {"mpd": 5}, 2, [], ["mpd_5_to_10mm"]),
    ("mpd 9.9", {"size_mm": 12}, {"mpd": 9.9}, 2, [], ["mpd_5_to_10mm"]),
    ("mpd 10", {"size_mm": 12}, {"mpd": 10}, 3, ["mpd_ge_10mm"], []),
    (
        "enhancing nodule 5",
        {"size_mm": 12, "mural_nodule": "enhancing", "nodule_size_mm": 5},
        {},
        3,
        ["enhancing_nodule_ge_5mm"],
        [],
    ),
    (
        "enhancing nodule 4.9",
        {"size_mm": 12, "mural_nodule": "enhancing", "nodule_size_mm": 4.9},
        {},
        2,
        [],
        ["enhancing_nodule_lt_5mm"],
    ),
    (
        "enhancing nodule size unknown",
        {"size_mm": 12, "mural_nodule": "enhancing"},
        {},
        3,
        ["enhancing_nodule_ge_5mm"],
        [],
    ),
    ("nonenhancing nodule", {"size_mm": 12, "mural_nodule": "nonenhancing"}, {}, 1, [], []),
    (
        "unspecified nodule",
        {"size_mm": 12, "mural_nodule": "present_unspecified"},
        {},
        2,
        [],
        ["nodule_enhancement_not_stated"],
    ),
    (
        "jaundice head",
        {"size_mm": 12, "location": "head"},
        {"jaundice": True},
        3,
        ["jaundice_head_lesion"],
        [],
    ),
    ("size 30", {"size_mm": 30}, {}, 2, [], ["size_ge_30mm"]),
    ("wall", {"size_mm": 12, "wall_thickening": "present"}, {}, 2, [], ["wall_thickening"]),
    ("dilated no diameter", {"size_mm": 12}, {"dilated": "yes"}, 2, [], ["mpd_dilated_no_diameter"]),
    (
        "5 mm in 24 months",
        {"size_mm": 25, "prior_size_mm": 20, "interval_months": 24},
        {},
        2,
        [],
        ["growth_5mm_in_2y"],
    ),
    # 25 % growth: ACR would call it growth, Fukuoka does not over 25 months.
    ("5 mm in 25 months", {"size_mm": 25, "prior_size_mm": 20, "interval_months": 25}, {}, 1, [], []),
    ("4.9 mm in 12 months", {"size_mm": 24.9, "prior_size_mm": 20, "interval_months": 12}, {}, 1, [], []),
    ("5 mm, interval unknown", {"size_mm": 25, "prior_size_mm": 20}, {}, 1, [], []),
]


@pytest.mark.parametrize(
    ("lesion", "report", "category", "hrs", "wf"),
    [c[1:] for c in FUKUOKA_CASES],
    ids=[c[0] for c in FUKUOKA_CASES],
)
def test_fukuoka_categories(
    lesion: dict[str, Any], report: dict[str, Any], category: int, hrs: list[str], wf: list[str]
) -> None:
    derived = run(lesion, profile="fukuoka2017", **report)
    assert (derived.risk_category, derived.high_risk_stigmata, derived.worrisome_features) == (
        category,
        hrs,
        wf,
    )


def test_acr_growth_is_not_a_fukuoka_feature_but_still_reported() -> None:
    derived = run({"size_mm": 25, "prior_size_mm": 20, "interval_months": 36}, profile="fukuoka2017")
    assert derived.growth == "grew"
    assert derived.risk_category == 1


# --- growth (SPEC §3) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "prior", "expected"),
    [
        (9.8, 4.9, "grew"),  # prior < 5: +100 %
        (9.79, 4.9, "not_grown"),
        (7.5, 5, "grew"),  # 5 <= prior < 15: +50 %
        (7.49, 5, "not_grown"),
        (22.35, 14.9, "grew"),
        (22.34, 14.9, "not_grown"),
        (18, 15, "grew"),  # prior >= 15: +20 %
        (17.99, 15, "not_grown"),
        (19.2, 16, "grew"),  # 16 * 1.2 == 19.200000000000003 in floats
        (12, 20, "not_grown"),  # shrank
        (None, 20, "not_grown"),
        (20, None, "no_prior"),
        (None, None, "no_prior"),
    ],
)
def test_growth_status_boundaries(size: float | None, prior: float | None, expected: str) -> None:
    assert growth_status(size, prior, ACR) == expected


@given(prior_hundredths=st.integers(min_value=1, max_value=20_000))
def test_growth_threshold_property(prior_hundredths: int) -> None:
    prior = Decimal(prior_hundredths) / 100
    t = Decimal("1.0") if prior < 5 else Decimal("0.5") if prior < 15 else Decimal("0.2")
    at = prior * (1 + t)  # exact decimal arithmetic, then to float as a report would give it
    assert growth_status(float(at), float(prior), ACR) == "grew"
    assert growth_status(float(at - Decimal("0.01")), float(prior), ACR) == "not_grown"


@pytest.mark.parametrize(
    ("lesion", "rate"),
    [
        ({"size_mm": 23, "prior_size_mm": 18, "interval_months": 12}, 5.0),
        ({"size_mm": 23, "prior_size_mm": 18, "interval_months": 6}, 10.0),
        ({"size_mm": 15, "prior_size_mm": 18, "interval_months": 24}, -1.5),
        ({"size_mm": 20, "prior_size_mm": 18, "interval_months": 7}, 3.43),  # 2 / (7/12) = 3.428...
        ({"size_mm": 23, "prior_size_mm": 18}, None),
        ({"size_mm": 23, "prior_size_mm": 18, "interval_months": 0}, None),
        ({"prior_size_mm": 18, "interval_months": 12}, None),
    ],
)
def test_growth_rate(lesion: dict[str, Any], rate: float | None) -> None:
    assert run(lesion).growth_rate_mm_per_year == rate


# --- no lesions, index lesion ----------------------------------------------------------------


def test_no_lesions() -> None:
    derived = run(None, mpd=12, dilated="yes", jaundice=True)
    assert derived.risk_category is None
    assert derived.index_lesion is None
    assert derived.growth is None
    assert derived.lesion_categories == []
    assert derived.high_risk_stigmata == [] and derived.worrisome_features == []
    assert derived.recommendation is not None
    assert (derived.recommendation.action, derived.recommendation.stratum) == ("not_applicable", "no PCL")


def test_index_is_the_most_worrisome_not_first_nor_largest() -> None:
    derived = run(
        [
            {"size_mm": 12, "location": "head"},
            {
                "size_mm": 8,
                "location": "body",
                "mural_nodule": "nonenhancing",
                "prior_size_mm": 6,
                "interval_months": 12,
            },
            {"size_mm": 28, "location": "tail"},
        ]
    )
    assert derived.lesion_categories == [1, 2, 1]
    assert derived.index_lesion == 1
    assert derived.risk_category == 2
    assert derived.worrisome_features == ["mural_nodule"]
    assert derived.growth == "not_grown"  # the index lesion's, 8 < 6 x 1.5
    assert derived.growth_rate_mm_per_year == 2.0
    assert derived.recommendation is not None
    assert derived.recommendation.action == "eus_fna_and_surgical_evaluation"


@pytest.mark.parametrize(
    ("lesions", "report", "index"),
    [
        # same category: the largest
        ([{"size_mm": 10}, {"size_mm": 20}, {"size_mm": 15}], {}, 1),
        # same category and size: the first
        ([{"size_mm": 20}, {"size_mm": 20}], {}, 0),
        # unknown size counts as smallest
        ([{}, {"size_mm": 3}], {}, 1),
        ([{}, {}], {}, 0),
        # report-level duct feature lifts every lesion: then the largest wins
        ([{"size_mm": 10, "mural_nodule": "enhancing"}, {"size_mm": 20}], {"mpd": 11}, 1),
        # jaundice lifts only the head lesion
        ([{"size_mm": 35, "location": "tail"}, {"size_mm": 5, "location": "head"}], {"jaundice": True}, 1),
    ],
)
def test_index_tie_breaks(lesions: list[dict[str, Any]], report: dict[str, Any], index: int) -> None:
    assert run(lesions, **report).index_lesion == index


# --- trace -------------------------------------------------------------------------------------


def test_trace_has_one_entry_per_rule_per_lesion_and_the_decision() -> None:
    derived = run([{"size_mm": 12}, {"size_mm": 8, "wall_thickening": "present"}], mpd=3)
    rule_ids = [r.id for r in (*ACR.high_risk_stigmata, *ACR.worrisome_features)]
    for n in (0, 1):
        entries = [e for e in derived.trace if e.lesion == n and e.rule in rule_ids]
        # lesion 1 is the index lesion, so the recommendation entries also carry lesion=1
        assert [e.rule for e in entries] == rule_ids
    wall = next(e for e in derived.trace if e.rule == "wall_thickening" and e.lesion == 1)
    assert wall.fired and wall.effect == "worrisome feature" and wall.inputs == {"wall_thickening": "present"}
    mpd = next(e for e in derived.trace if e.rule == "mpd_ge_10mm" and e.lesion == 0)
    assert not mpd.fired and mpd.effect == "high-risk stigma" and mpd.inputs == {"mpd_diameter_mm": 3.0}
    growth = [e for e in derived.trace if e.rule == "growth_status"]
    assert [e.lesion for e in growth] == [0, 1]
    decisions = [e for e in derived.trace if e.rule.startswith("recommendation.")]
    # no_pcl, pseudocyst, not_a_surgical_candidate, override_age_80, override
    assert [e.fired for e in decisions] == [False, False, False, False, True]
    assert decisions[-1].rule == "recommendation.override"
    assert decisions[-1].effect.startswith(
        "recommendation: eus_fna_and_surgical_evaluation (The action comes"
    )
    assert all(e.lesion == 1 for e in decisions)
    index = next(e for e in derived.trace if e.rule == "index_lesion")
    assert index.lesion == 1 and index.inputs == {"categories": [1, 2], "sizes_mm": [12.0, 8.0]}


def test_trace_is_json_serializable() -> None:
    derived = run(
        {"size_mm": 23, "prior_size_mm": 18, "interval_months": 12, "location": "head"}, jaundice=True
    )
    assert '"rule":"jaundice_head_lesion"' in derived.model_dump_json()


# --- properties ----------------------------------------------------------------------------------

sizes = st.none() | st.floats(min_value=0.5, max_value=120, allow_nan=False)
lesions = st.builds(
    Lesion,
    size_mm=sizes,
    location=st.sampled_from(["head", "uncinate", "neck", "body", "tail", "unspecified"]),
    mural_nodule=st.sampled_from(
        ["absent", "nonenhancing", "enhancing", "present_unspecified", "not_stated"]
    ),
    nodule_size_mm=st.none() | st.floats(min_value=1, max_value=20, allow_nan=False),
    wall_thickening=st.sampled_from(["present", "absent", "not_stated"]),
    mpd_communication=st.sampled_from(["present", "absent", "not_stated"]),
    prior_size_mm=sizes,
    interval_months=st.none() | st.floats(min_value=0, max_value=120, allow_nan=False),
    presumed_type=st.sampled_from(
        ["bd_ipmn", "md_ipmn", "mixed_ipmn", "serous", "mucinous", "pseudocyst", "unspecified"]
    ),
    calcification=st.sampled_from(["peripheral", "central", "present_unspecified", "absent", "not_stated"]),
)
reports = st.fixed_dictionaries(
    {
        "mpd_diameter_mm": st.none() | st.floats(min_value=0.5, max_value=20, allow_nan=False),
        "mpd_dilated": st.sampled_from(["yes", "no", "not_stated"]),
        "jaundice": st.none() | st.booleans(),
        "patient_age": st.none() | st.floats(min_value=18, max_value=100, allow_nan=False),
    }
)
profiles = st.sampled_from(["acr2017", "fukuoka2017"])


@settings(max_examples=150)
@given(items=st.lists(lesions, max_size=4), report=reports, name=profiles)
def test_category_null_iff_no_lesions_and_index_is_max(
    items: list[Lesion], report: dict[str, Any], name: str
) -> None:
    derived = evaluate_report(items, profile=load_profile(name), **report)
    assert (derived.risk_category is None) == (not items)
    assert len(derived.lesion_categories) == len(items)
    if items:
        assert derived.index_lesion is not None
        assert derived.risk_category == max(derived.lesion_categories)
        assert derived.lesion_categories[derived.index_lesion] == derived.risk_category
    rec = derived.recommendation
    assert rec is not None
    assert bool(rec.schedule) == (rec.action == "surveillance")
    if report["patient_age"] is None and rec.action == "surveillance":
        raise AssertionError("surveillance chosen without an age")


WORRISOME_ADDITIONS = {
    "size": lambda lesion, rep: (lesion.model_copy(update={"size_mm": max(lesion.size_mm or 0, 30.0)}), rep),
    "wall": lambda lesion, rep: (lesion.model_copy(update={"wall_thickening": "present"}), rep),
    "nodule": lambda lesion, rep: (
        lesion
        if lesion.mural_nodule == "enhancing"
        else lesion.model_copy(update={"mural_nodule": "present_unspecified"}),
        rep,
    ),
    "duct": lambda lesion, rep: (
        lesion,
        rep if (rep["mpd_diameter_mm"] or 0) >= 7 else {**rep, "mpd_diameter_mm": 8.0},
    ),
}


@settings(max_examples=150)
@given(lesion=lesions, report=reports, name=profiles, add=st.sampled_from(sorted(WORRISOME_ADDITIONS)))
def test_adding_a_worrisome_feature_never_lowers_the_category(
    lesion: Lesion, report: dict[str, Any], name: str, add: str
) -> None:
    profile = load_profile(name)
    before = evaluate_report([lesion], profile=profile, **report).risk_category
    lesion2, report2 = WORRISOME_ADDITIONS[add](lesion, report)
    after = evaluate_report([lesion2], profile=profile, **report2).risk_category
    assert before is not None and after is not None
    assert after >= before
    assert after >= 2
