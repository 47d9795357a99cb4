"""Issue 14's fixes: jaundice at any location, age asked only where it matters, out-of-scope inputs,
surgical candidacy at 80 and over, and actions that differ from the category explained."""

from __future__ import annotations

import pytest
from guideline_helpers import run

from pancyst.schema import Lesion

OVERRIDE = "eus_fna_and_surgical_evaluation"


@pytest.mark.parametrize("location", ["body", "tail", "neck", "unspecified", "head", "uncinate"])
def test_jaundice_overrides_at_any_location_while_the_stigma_stays_head_and_uncinate(location: str) -> None:
    d = run({"size_mm": 8, "location": location}, jaundice=True)
    assert d.recommendation is not None and d.recommendation.action == OVERRIDE
    head = location in ("head", "uncinate")
    assert d.risk_category == (3 if head else 1)
    assert ("jaundice_head_lesion" in d.high_risk_stigmata) is head
    decision = [e for e in d.trace if e.rule.startswith("recommendation.") and e.fired][-1]
    assert decision.inputs["jaundice"] is True
    assert "jaundice" in decision.effect and "head or uncinate" in decision.effect  # the trace says why


@pytest.mark.parametrize(
    "lesion",
    [
        {"size_mm": 8, "mural_nodule": "enhancing"},
        {"size_mm": 8, "wall_thickening": "present"},
        {"size_mm": 30, "calcification": "peripheral"},
        {"size_mm": 30, "prior_size_mm": 20},  # > 25 mm that grew: EUS-FNA and surgery at every age
    ],
)
def test_age_is_not_asked_when_every_age_gets_the_same_action(lesion: dict[str, float | str]) -> None:
    unknown = run(lesion, age=None).recommendation
    assert unknown is not None and unknown.action == OVERRIDE
    for age in (40, 70, 85):
        known = run(lesion, age=age).recommendation
        assert known is not None and known.action == unknown.action


@pytest.mark.parametrize("lesion", [{"size_mm": 8}, {"size_mm": 18, "prior_size_mm": 10}, {"size_mm": 30}])
def test_age_is_asked_where_the_answer_depends_on_it(lesion: dict[str, float]) -> None:
    rec = run(lesion, age=None).recommendation
    assert rec is not None and rec.action == "age_needed"


@pytest.mark.parametrize(
    ("lesion", "report", "problem"),
    [
        ({"size_mm": 0}, {}, "size_mm must be > 0"),
        ({"size_mm": -3}, {}, "size_mm must be > 0"),
        ({"size_mm": 3, "prior_size_mm": 0}, {}, "prior_size_mm must be > 0"),
        ({"size_mm": 8}, {"mpd": -2.0}, "mpd_diameter_mm must be > 0"),
        ({"size_mm": 8, "prior_size_mm": 6, "interval_months": 0}, {}, "interval_months must be > 0"),
        ({"size_mm": 8, "prior_size_mm": 6, "interval_months": -12}, {}, "prior exam is not before this one"),
        ({"size_mm": 8}, {"age": 17}, "outside the guideline's 18-120 years"),
        ({"size_mm": 8}, {"age": 121}, "outside the guideline's 18-120 years"),
    ],
)
def test_an_input_outside_the_guidelines_scope_gets_no_schedule(
    lesion: dict[str, float], report: dict[str, float], problem: str
) -> None:
    d = run(lesion, **report)
    rec = d.recommendation
    assert rec is not None and rec.action == "not_applicable" and rec.schedule == []
    assert rec.stratum == "outside the guideline's scope" and problem in rec.text
    scope = [e for e in d.trace if e.rule == "input_scope"]
    assert scope and any(problem in p for p in scope[0].inputs["problems"])


def test_a_prior_of_zero_is_no_prior_so_nothing_grew() -> None:
    d = run({"size_mm": 3, "prior_size_mm": 0})
    assert d.growth == "no_prior" and "growth" not in d.worrisome_features
    assert d.risk_category == 1


@pytest.mark.parametrize("age", [18, 120])
def test_the_age_bounds_are_inside_the_scope(age: float) -> None:
    rec = run({"size_mm": 8}, age=age).recommendation
    assert rec is not None and rec.action == "surveillance"


def test_an_exam_dated_before_its_prior_is_out_of_scope_through_the_pipeline() -> None:
    import datetime as dt

    from pancyst.pipeline import compute_interval

    lesion = Lesion(size_mm=8, prior_size_mm=6, prior_exam_date=dt.date(2024, 6, 1))
    interval = compute_interval(lesion, dt.date(2023, 6, 1))
    assert interval is not None and interval < 0
    d = run({"size_mm": 8, "prior_size_mm": 6, "interval_months": interval})
    assert d.recommendation is not None and d.recommendation.action == "not_applicable"
    assert d.growth_rate_mm_per_year is None


@pytest.mark.parametrize(
    ("candidate", "action", "words"),
    [
        (False, "no_surveillance", "not a surgical candidate"),
        (None, "surveillance", "surgical candidates only"),
        (True, "surveillance", "surgical candidates only"),
    ],
)
def test_surgical_candidacy_at_80_and_over(candidate: bool | None, action: str, words: str) -> None:
    rec = run({"size_mm": 12}, age=84, candidate=candidate).recommendation
    assert rec is not None and rec.action == action and words in rec.text
    assert (rec.schedule == [(24, 2)]) is (action == "surveillance")


def test_candidacy_does_not_matter_under_80() -> None:
    for candidate in (True, False, None):
        rec = run({"size_mm": 12}, age=70, candidate=candidate).recommendation
        assert rec is not None and rec.schedule == [(24, 5)]


def test_the_override_text_at_80_and_over_mentions_candidacy() -> None:
    rec = run({"size_mm": 8, "wall_thickening": "present"}, age=85).recommendation
    assert rec is not None and rec.action == OVERRIDE and "surgical candidate" in rec.text
    young = run({"size_mm": 8, "wall_thickening": "present"}, age=60).recommendation
    assert young is not None and "candidate" not in young.text


def test_calcification_action_and_category_one_are_explained() -> None:
    d = run({"size_mm": 30, "calcification": "peripheral"}, age=50)
    rec = d.recommendation
    assert rec is not None and rec.action == OVERRIDE and d.risk_category == 2  # >= 30 mm is worrisome
    d = run({"size_mm": 27, "calcification": "peripheral"}, age=50)
    rec = d.recommendation
    assert rec is not None and rec.action == OVERRIDE and d.risk_category == 1
    assert "does not count calcification" in rec.text
    decision = [e for e in d.trace if e.fired and e.rule.startswith("recommendation.")][-1]
    assert "category" in decision.effect and "calcification" in decision.effect


def test_large_serous_cystadenoma_says_resection_is_not_for_malignancy() -> None:
    d = run({"size_mm": 45, "presumed_type": "serous"})
    rec = d.recommendation
    assert rec is not None and rec.action == "no_surveillance"
    assert "resection may be considered" in rec.text and "not for malignancy" in rec.text
    decision = [e for e in d.trace if e.fired and e.rule.startswith("recommendation.")][-1]
    assert "benign" in decision.effect


@pytest.mark.parametrize(
    "lesion",
    [
        {"size_mm": 18},  # 15-25 mm, no communication: "or EUS-FNA now"
        {"size_mm": 18, "mpd_communication": "present"},
        {"size_mm": 27},
        {"size_mm": 10, "prior_size_mm": 5},  # < 15 mm that grew: "yearly, or EUS-FNA"
    ],
)
def test_the_guidelines_alternatives_are_listed(lesion: dict[str, float | str]) -> None:
    rec = run(lesion).recommendation
    assert rec is not None and rec.action == "surveillance" and rec.alternatives == ["eus_fna"]
    assert "EUS-FNA" in rec.text


def test_a_baseline_small_cyst_has_no_alternative() -> None:
    rec = run({"size_mm": 8}).recommendation
    assert rec is not None and rec.alternatives == []
