"""Issue 14: every packaged profile over its discretized input space (ACR 2017 in full).

Every size at and around each threshold, every age-stratum boundary (and the scope's edges), growth
grew / not grown / no prior, each candidacy, communication, type, calcification, and every
override feature added one at a time. The invariants below are written as code from SPEC §4 and the
profile's contract, not copied from the engine's output. Split by size so pytest-xdist spreads it.
"""

from __future__ import annotations

import itertools
from typing import Any, get_args

import pytest

from pancyst.guideline import evaluate_report, load_profile
from pancyst.schema import Action, Derived, Lesion

PROFILES = {name: load_profile(name) for name in ("acr2017", "fukuoka2017", "kyoto2024", "european2018")}
SIZES = [None, 3, 4.9, 5, 14.9, 15, 19.9, 20, 25, 25.1, 29.9, 30, 40, 40.1]
AGES = [None, 17, 18, 64, 65, 79, 80, 120, 121]
IN_SCOPE_AGES = [a for a in AGES if a is not None and 18 <= a <= 120]
GROWTH = ["no_prior", "grew", "not_grown"]
CANDIDATE = [None, True, False]
COMMUNICATION = ["not_stated", "present"]
TYPES = ["unspecified", "bd_ipmn", "serous", "pseudocyst"]
CALCIFICATION = ["not_stated", "peripheral"]
# one override feature at a time; (lesion update, report update); the first two are also stigmata
ADDED: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"mural_nodule": "enhancing"}, {}),
    ({}, {"mpd": 10.0}),
    ({"mural_nodule": "nonenhancing"}, {}),
    ({"mural_nodule": "present_unspecified"}, {}),
    ({"wall_thickening": "present"}, {}),
    ({}, {"mpd": 7.0}),
    ({}, {"dilated": "yes"}),
    ({}, {"jaundice": True}),
]
# clinical inputs (metadata) the kyoto2024 and european2018 profiles read
CLINICAL: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({}, {"ca19_9": 40.0}),
    ({}, {"acute_pancreatitis": True}),
    ({}, {"new_onset_diabetes": True}),
]
# what each profile's grid varies: ACR 2017 every age boundary, calcification and communication; the
# profiles without age strata (or sharing ACR's decision list) fewer ages, the others' own inputs
GRIDS: dict[str, dict[str, list[Any]]] = {
    "acr2017": {"ages": AGES, "calcification": CALCIFICATION, "communication": COMMUNICATION},
    "fukuoka2017": {
        "ages": [None, 17, 50, 70, 85],
        "calcification": CALCIFICATION,
        "communication": COMMUNICATION,
    },
    "kyoto2024": {
        "ages": [None, 17, 50, 121],
        "calcification": ["not_stated"],
        "communication": ["not_stated"],
    },
    "european2018": {
        "ages": [None, 17, 50, 121],
        "calcification": ["not_stated"],
        "communication": ["not_stated"],
    },
}
# how intensive an action is; not_applicable and age_needed are not on the scale
RANK = {"no_surveillance": 0, "surveillance": 1, "eus_fna": 2, "eus_fna_and_surgical_evaluation": 3}
# the words a text uses for each schedule interval
INTERVAL_WORDS = {6: "6 months", 12: "year", 18: "18 months", 24: "2 years"}


def _prior(size: float | None, growth: str) -> float | None:
    if growth == "no_prior":
        return None
    if size is None:
        return 10.0
    # size / 2.5 has grown by at least 100 % in every band; the same size has not grown at all
    return round(size / 2.5, 3) if growth == "grew" else size


def evaluate(case: dict[str, Any], profile: str = "acr2017") -> Derived:
    lesion = {k: case[k] for k in ("mural_nodule", "wall_thickening", "mpd_communication", "presumed_type")}
    lesion.update(
        size_mm=case["size"],
        prior_size_mm=_prior(case["size"], case["growth"]),
        interval_months=12.0 if case["growth"] != "no_prior" else None,
        calcification=case["calcification"],
        location=case["location"],
    )
    return evaluate_report(
        [Lesion(**lesion)] if case["pcl"] else [],
        mpd_diameter_mm=case["mpd"],
        mpd_dilated=case["dilated"],
        jaundice=case["jaundice"],
        patient_age=case["age"],
        profile=PROFILES[profile],
        surgical_candidate=case["candidate"],
        clinical={k: case.get(k) for k in ("ca19_9", "acute_pancreatitis", "new_onset_diabetes")},
    )


def base_cases(size: float | None, profile: str = "acr2017") -> list[dict[str, Any]]:
    grid = GRIDS[profile]
    out = []
    for growth, age, candidate, comm, kind, calc in itertools.product(
        GROWTH, grid["ages"], CANDIDATE, grid["communication"], TYPES, grid["calcification"]
    ):
        out.append(
            dict(
                pcl=True, size=size, growth=growth, age=age, candidate=candidate, mpd_communication=comm,
                presumed_type=kind, calcification=calc, location="tail", mural_nodule="not_stated",
                wall_thickening="not_stated", mpd=None, dilated="not_stated", jaundice=None,
            )
        )  # fmt: skip
    return out


def with_added(case: dict[str, Any], lesion: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    return {**case, **lesion, **report}


def check_one(case: dict[str, Any], d: Derived, profile: str = "acr2017") -> None:
    rec = d.recommendation
    assert rec is not None and rec.action in get_args(Action)
    decided = [
        e for e in d.trace if e.fired and (e.rule.startswith("recommendation.") or e.rule == "input_scope")
    ]
    assert len(decided) == 1, "exactly one rule sets the action"
    assert bool(rec.schedule) is (rec.action == "surveillance")
    assert (d.risk_category is None) is (not case["pcl"])
    assert rec.action not in rec.alternatives
    _text_states_the_fields(rec.action, rec.schedule, rec.alternatives, rec.text)
    out_of_scope = case["age"] is not None and not 18 <= case["age"] <= 120
    if case["pcl"] and out_of_scope:
        assert rec.action == "not_applicable" and rec.stratum == "outside the guideline's scope"
    if rec.action == "age_needed":
        assert case["age"] is None
    if case["pcl"] and rec.stratum != "outside the guideline's scope":
        reads = PROFILES[profile].optional_inputs
        assert d.assumed_absent == [k for k in reads if case.get(k) is None]


def _text_states_the_fields(action: str, schedule: list[tuple[int, int]], alts: list[str], text: str) -> None:
    low = text.lower()
    if action.startswith("eus_fna") or "eus_fna" in alts:
        assert "eus-fna" in low
    if action == "eus_fna_and_surgical_evaluation":
        assert "surgical" in low
    if action == "no_surveillance":
        assert "no surveillance" in low or "not recommended" in low
    if action == "age_needed":
        assert "age" in low
    for months, count in schedule:
        assert INTERVAL_WORDS[months] in low, (months, text)
        if count > 1:
            assert f"x {count}" in low, (count, text)


@pytest.mark.parametrize("profile", list(PROFILES))
@pytest.mark.parametrize("size", SIZES, ids=[f"size={s}" for s in SIZES])
def test_invariants_over_the_input_space(profile: str, size: float | None) -> None:
    added = ADDED + (CLINICAL if PROFILES[profile].optional_inputs else [])
    for case in base_cases(size, profile):
        d = evaluate(case, profile)
        check_one(case, d, profile)
        assert d.recommendation is not None
        base = d.recommendation.action
        for lesion, report in added:
            varied = with_added(case, lesion, report)
            dv = evaluate(varied, profile)
            check_one(varied, dv, profile)
            assert dv.recommendation is not None
            worse = dv.recommendation.action
            if base in RANK and worse in RANK:
                assert RANK[worse] >= RANK[base], (case, lesion, report, base, worse)
            assert (dv.risk_category or 0) >= (d.risk_category or 0)
            in_scope = case["age"] is None or 18 <= case["age"] <= 120
            excluded = case["presumed_type"] == "pseudocyst" or (
                case["age"] is not None and case["age"] >= 80 and case["candidate"] is False
            )
            if (
                profile == "acr2017"
                and in_scope
                and not excluded
                and (lesion or "mpd" in report or "jaundice" in report or "dilated" in report)
            ):
                # SPEC §4: any override feature (jaundice at any location) -> EUS-FNA and surgery
                assert worse == "eus_fna_and_surgical_evaluation", (case, lesion, report)


@pytest.mark.parametrize("size", SIZES, ids=[f"size={s}" for s in SIZES])
@pytest.mark.parametrize("profile", list(PROFILES))
def test_age_is_asked_exactly_where_the_answer_depends_on_it(profile: str, size: float | None) -> None:
    for case in base_cases(size, profile):
        if case["age"] is not None or case["candidate"] is not None:
            continue
        unknown = evaluate(case, profile).recommendation
        assert unknown is not None
        answers = set()
        for age in IN_SCOPE_AGES:
            rec = evaluate({**case, "age": age}, profile).recommendation
            assert rec is not None
            answers.add((rec.action, tuple(rec.schedule)))
        if unknown.action == "age_needed":
            assert len(answers) > 1, f"age asked though every age gets {answers}"
        else:
            assert answers == {(unknown.action, tuple(unknown.schedule))} or {a for a, _ in answers} == {
                unknown.action
            }


@pytest.mark.parametrize("size", SIZES, ids=[f"size={s}" for s in SIZES])
def test_candidacy_matters_only_at_80_and_over(size: float | None) -> None:
    for case in base_cases(size):
        if case["age"] is None or case["age"] >= 80 or case["candidate"] is not None:
            continue
        recs = {
            (r.action, tuple(r.schedule), r.text)
            for c in CANDIDATE
            if (r := evaluate({**case, "candidate": c}).recommendation) is not None
        }
        assert len(recs) == 1


@pytest.mark.parametrize("profile", list(PROFILES))
def test_no_pcl_has_no_category_and_no_schedule_whatever_else_is_given(profile: str) -> None:
    for age, jaundice, mpd in itertools.product(AGES, [None, True], [None, 7.0, 12.0]):
        case = dict(
            pcl=False, size=None, growth="no_prior", age=age, candidate=None, mpd_communication="not_stated",
            presumed_type="unspecified", calcification="not_stated", location="tail",
            mural_nodule="not_stated", wall_thickening="not_stated", mpd=mpd, dilated="not_stated",
            jaundice=jaundice,
        )  # fmt: skip
        d = evaluate(case, profile)
        check_one(case, d, profile)
        assert d.recommendation is not None and d.recommendation.action == "not_applicable"
