"""Metrics against hand-computed values on a six-report example (arithmetic in the comments)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pancyst.evaluate.metrics import (
    EvalResult,
    bootstrap_sums,
    evaluate,
    parse_category,
    percentile,
    values_match,
)
from pancyst.schema import FEATURE_KEYS, Features


def pred_line(
    report_id: str,
    pcl: bool | None,
    features: dict[str, Any] | None,
    category: int | None = None,
    evidence: dict[str, list[dict[str, Any]]] | None = None,
    errors: list[str] | None = None,
) -> dict[str, Any]:
    line: dict[str, Any] = {
        "report_id": report_id,
        "pcl_present": pcl,
        "features": features,
        "evidence": evidence or {},
        "extractor": {"name": "test", "version": "0"},
        "guideline": {"profile": "acr2017", "version": "0"},
        "errors": errors or [],
    }
    if features is not None:
        line["derived"] = {"risk_category": category}
    return line


def span(text: str) -> dict[str, Any]:
    return {"start": 0, "end": len(text), "text": text}


GOLD = [
    {"report_id": "r1", "pcl_present": True, "gold_category": 2,
     "features": {"size_mm": 23.0, "location": "tail", "presumed_type": "bd_ipmn"}},
    {"report_id": "r2", "pcl_present": True, "gold_category": 1,
     "features": {"size_mm": 10.0, "location": "head", "septations": "present", "calcification": "absent"}},
    {"report_id": "r3", "pcl_present": False, "gold_category": None, "features": {}},
    {"report_id": "r4", "pcl_present": True, "gold_category": 1, "features": {"size_mm": 8.0}},
    {"report_id": "r5", "pcl_present": False, "features": None},
    {"report_id": "r6", "pcl_present": True, "gold_category": 2, "features": {"size_mm": 31.0}},
]  # fmt: skip

PRED = [
    pred_line("r1", True, {"size_mm": 23.05, "location": "tail", "presumed_type": "bd_ipmn"}, 2),
    pred_line("r2", True, {"size_mm": 10.0, "location": "body", "septations": "present"}, 1,
              evidence={"location": [span("body of the pancreas")]}),
    pred_line("r3", True, {"size_mm": 4.0, "location": "neck"}, 1),
    pred_line("r4", None, None, errors=["extraction failed: timeout"]),
    pred_line("r5", False, {}, None),
    # r6 missing; r7 is not in gold
    pred_line("r7", True, {"size_mm": 5.0}, 1),
]  # fmt: skip


@pytest.fixture(scope="module")
def result() -> EvalResult:
    return evaluate(GOLD, PRED, n_boot=200, seed=0)


def test_values_match_tolerances_and_nulls() -> None:
    assert values_match("size_mm", 12.4, 12.5)  # |diff| = 0.1 ≤ 0.1
    assert not values_match("size_mm", 12.4, 12.51)  # 0.11 > 0.1
    assert values_match("mpd_diameter_mm", 3, 3.0)
    assert values_match("interval_months", 6.0, 6.5)  # ± 0.5
    assert not values_match("interval_months", 6.0, 6.6)
    assert not values_match("prior_size_mm", 6.0, 6.5)  # 0.5 only for interval_months
    assert values_match("size_mm", None, None)
    assert not values_match("size_mm", None, 0.0)
    assert not values_match("size_mm", 0.0, None)
    assert values_match("location", "tail", "tail")
    assert not values_match("location", "tail", "body")
    assert not values_match("location", None, "unspecified")


@given(st.floats(0, 500, allow_nan=False), st.floats(-0.099, 0.099))
def test_numbers_within_tolerance_match(x: float, d: float) -> None:
    assert values_match("size_mm", x, x + d)
    assert values_match("size_mm", x + d, x)


@given(st.floats(0, 500, allow_nan=False), st.floats(0.101, 100))
def test_numbers_beyond_tolerance_do_not_match(x: float, d: float) -> None:
    assert not values_match("size_mm", x, x + d)
    assert not values_match("interval_months", x, x + 0.4 + d)


def test_parse_category() -> None:
    assert [parse_category(v) for v in (1, "2", 3.0, "3.0", None, "", "None")] == [
        1,
        2,
        3,
        3,
        None,
        None,
        None,
    ]
    for bad in ("4", 0, "high", True):
        with pytest.raises(ValueError):
            parse_category(bad)


def test_pcl_present_counts(result: EvalResult) -> None:
    # gold T: r1 r2 r4 r6; gold F: r3 r5. r1 r2 TP; r3 FP; r4 (error) and r6 (missing) FN; r5 TN.
    pcl = result.pcl_present
    assert (pcl.tp, pcl.fp, pcl.fn, pcl.tn) == (2, 1, 2, 1)
    assert pcl.accuracy.value == pytest.approx(3 / 6)
    assert pcl.precision.value == pytest.approx(2 / 3)
    assert pcl.recall.value == pytest.approx(2 / 4)
    assert pcl.accuracy.n == 6 and pcl.precision.n == 3 and pcl.recall.n == 4


def test_feature_accuracy(result: EvalResult) -> None:
    # Over gold-PCL reports r1 r2 r4 r6: r4 (error) and r6 (missing) are wrong on every feature.
    # size: r1 23 vs 23.05 ok, r2 ok -> 2/4; location: r2 head vs body -> 1/4; the other nine 2/4.
    assert result.n_gold_pcl == 4
    assert result.features["size_mm"].value == pytest.approx(0.5)
    assert result.features["location"].value == pytest.approx(0.25)
    for key in FEATURE_KEYS:
        assert result.features[key].n == 4
        if key != "location":
            assert result.features[key].value == pytest.approx(0.5), key
    # mean = (10 x 0.5 + 0.25) / 11
    assert result.mean_feature_accuracy.value == pytest.approx(5.25 / 11)
    # only r1 has every feature right
    assert result.all_features_correct.value == pytest.approx(0.25)


def test_optional_features_scored_only_where_labelled(result: EvalResult) -> None:
    # presumed_type labelled on r1 only (match); calcification on r2 only (absent vs not_stated).
    assert result.optional_features["presumed_type"].value == 1.0
    assert result.optional_features["presumed_type"].n == 1
    assert result.optional_features["calcification"].value == 0.0
    assert result.optional_features["calcification"].n == 1


def test_category_metrics(result: EvalResult) -> None:
    # gold: r1 2, r2 1, r4 1, r6 2; pred: r1 2, r2 1, r3 1 (gold none), r4 none (error), r6 none (missing)
    # class 1: TP r2, FP r3, FN r4 -> P 1/2, R 1/2, F1 2/(2+1+1) = 0.5
    # class 2: TP r1, FN r6 -> P 1, R 1/2, F1 2/(2+0+1) = 2/3; class 3 absent -> left out
    cat = result.category
    assert cat.per_class["1"].precision == pytest.approx(0.5)
    assert cat.per_class["1"].recall == pytest.approx(0.5)
    assert cat.per_class["1"].f1 == pytest.approx(0.5)
    assert (cat.per_class["1"].support, cat.per_class["1"].predicted) == (2, 2)
    assert cat.per_class["2"].precision == pytest.approx(1.0)
    assert cat.per_class["2"].recall == pytest.approx(0.5)
    assert cat.per_class["2"].f1 == pytest.approx(2 / 3)
    assert cat.per_class["3"].f1 is None and cat.per_class["3"].support == 0
    assert cat.macro_f1.value == pytest.approx((0.5 + 2 / 3) / 2)
    # rows gold none/1/2/3, columns predicted; r5 is the only none/none, so n = 5
    assert cat.labels == ["none", "1", "2", "3"]
    assert cat.confusion == [[1, 1, 0, 0], [1, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]]
    assert cat.n == 5


def test_macro_f1_counts_a_predicted_but_absent_class_as_zero() -> None:
    # gold 1 1 2, pred 1 3 2: class 1 F1 2/(2+0+1) = 2/3, class 2 F1 1, class 3 (FP only) F1 0 -> 5/9
    gold = [{"report_id": f"g{i}", "pcl_present": True, "gold_category": c} for i, c in enumerate((1, 1, 2))]
    pred = [pred_line(f"g{i}", True, {}, c) for i, c in enumerate((1, 3, 2))]
    res = evaluate(gold, pred, n_boot=0)
    assert res.category.macro_f1.value == pytest.approx(5 / 9)
    assert res.category.per_class["3"].precision == 0.0
    assert res.category.per_class["3"].recall is None


def test_ids_errors_and_evidence(result: EvalResult) -> None:
    assert result.missing_pred_ids == ["r6"]
    assert result.errored_pred_ids == ["r4"]
    assert result.extra_pred_ids == ["r7"]
    assert any("not in gold" in w for w in result.warnings)
    location = {e.report_id: e for e in result.errors["location"]}
    assert set(location) == {"r2", "r4", "r6"}
    assert (location["r2"].gold, location["r2"].pred, location["r2"].evidence) == (
        "head",
        "body",
        ["body of the pancreas"],
    )
    assert location["r4"].note == "prediction line has errors"
    assert location["r6"].note == "missing from predictions"
    assert [e.report_id for e in result.errors["pcl_present"]] == ["r3", "r4", "r6"]
    assert [e.report_id for e in result.errors["risk_category"]] == ["r3", "r4", "r6"]


def test_errored_line_is_wrong_even_when_gold_is_negative() -> None:
    gold = [{"report_id": "a", "pcl_present": False}]
    res = evaluate(gold, [pred_line("a", None, None, errors=["empty report"])], n_boot=0)
    assert res.pcl_present.accuracy.value == 0.0
    assert res.pcl_present.fp == 1


def test_duplicate_gold_ids_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        evaluate([{"report_id": "a", "pcl_present": False}] * 2, [], n_boot=0)


def test_bad_gold_line_names_its_number() -> None:
    with pytest.raises(ValueError, match=r"gold line 2: features\.size_mm"):
        evaluate(
            [{"report_id": "a", "pcl_present": False}, {"report_id": "b", "pcl_present": True,
                                                          "features": {"size_mm": "big"}}],
            [],
            n_boot=0,
        )  # fmt: skip


def test_lenient_pred_with_unknown_keys_still_scores() -> None:
    line = pred_line("a", True, {"size_mm": 5.0, "new_feature": 1}, 1)
    line["future_key"] = {"x": 1}
    res = evaluate(
        [{"report_id": "a", "pcl_present": True, "gold_category": 1, "features": {"size_mm": 5.0}}],
        [line],
        n_boot=0,
    )
    assert res.features["size_mm"].value == 1.0
    assert res.category.macro_f1.value == 1.0
    assert any("not strict ResultLines" in w for w in res.warnings)


def test_percentile_interpolates_like_numpy() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == pytest.approx(2.5)
    assert percentile([float(i) for i in range(101)], 2.5) == pytest.approx(2.5)
    assert percentile([7.0], 97.5) == 7.0


@pytest.mark.parametrize("use_numpy", [False, True])
def test_bootstrap_deterministic_and_contains_point(use_numpy: bool) -> None:
    if use_numpy and importlib.util.find_spec("numpy") is None:
        pytest.skip("numpy not installed")
    a = evaluate(GOLD, PRED, n_boot=300, seed=7, use_numpy=use_numpy)
    b = evaluate(GOLD, PRED, n_boot=300, seed=7, use_numpy=use_numpy)
    assert a.bootstrap.backend == ("numpy" if use_numpy else "python")
    assert a.to_json() == b.to_json()
    for score in (
        a.mean_feature_accuracy,
        a.pcl_present.accuracy,
        a.category.macro_f1,
        a.features["size_mm"],
    ):
        assert score.ci_low is not None and score.ci_high is not None and score.value is not None
        assert score.ci_low <= score.value <= score.ci_high
        assert score.ci_low < score.ci_high  # six reports: resampling must move the estimate
    c = evaluate(GOLD, PRED, n_boot=300, seed=8, use_numpy=use_numpy)
    assert c.to_json() != a.to_json()


def test_bootstrap_sums_resample_whole_reports() -> None:
    # each resample draws exactly n reports, so the "n" column always sums to n
    rows = [(1.0, 1.0), (1.0, 0.0), (1.0, 0.0)]
    sums, _ = bootstrap_sums(rows, 50, seed=1, use_numpy=False)
    assert len(sums) == 50
    assert all(s[0] == 3.0 and 0.0 <= s[1] <= 3.0 for s in sums)
    assert {s[1] for s in sums} != {1.0}


def test_no_bootstrap_gives_no_interval() -> None:
    res = evaluate(GOLD, PRED, n_boot=0)
    assert res.mean_feature_accuracy.ci_low is None
    assert res.mean_feature_accuracy.value == pytest.approx(5.25 / 11)


FEATURES = st.builds(
    Features,
    size_mm=st.none() | st.floats(1, 80, allow_nan=False),
    location=st.sampled_from(["head", "uncinate", "neck", "body", "tail", "unspecified", None]),
    multiplicity=st.sampled_from(["single", "multiple"]),
    mural_nodule=st.sampled_from(
        ["absent", "nonenhancing", "enhancing", "present_unspecified", "not_stated"]
    ),
    interval_months=st.none() | st.floats(0, 120, allow_nan=False),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.booleans(), FEATURES, st.sampled_from([1, 2, 3])), min_size=1, max_size=12))
def test_perfect_predictions_score_one(reports: list[tuple[bool, Features, int]]) -> None:
    gold, pred = [], []
    for i, (pcl, feats, cat) in enumerate(reports):
        data = feats.model_dump() if pcl else Features.no_pcl().model_dump()
        gold.append(
            {"report_id": str(i), "pcl_present": pcl, "features": data, "gold_category": cat if pcl else None}
        )
        pred.append(pred_line(str(i), pcl, data, cat if pcl else None))
    res = evaluate(gold, pred, n_boot=0)
    assert res.pcl_present.accuracy.value == 1.0
    assert not any(res.errors.values())
    if any(pcl for pcl, _, _ in reports):
        assert res.mean_feature_accuracy.value == 1.0
        assert res.all_features_correct.value == 1.0
        assert res.category.macro_f1.value == 1.0
    else:
        assert res.mean_feature_accuracy.value is None
        assert res.category.macro_f1.value is None


def test_gold_category_computed_by_the_engine_when_absent() -> None:
    # SPEC §4: size ≥ 30 mm is a worrisome feature -> category 2; a 12 mm plain cyst -> category 1
    gold = [
        {"report_id": "a", "pcl_present": True, "features": {"size_mm": 35.0, "location": "body"}},
        {"report_id": "b", "pcl_present": True, "features": {"size_mm": 12.0, "location": "tail"}},
    ]
    res = evaluate(gold, [pred_line("a", True, {}, 2), pred_line("b", True, {}, 2)], n_boot=0)
    assert res.category.confusion[2][2] == 1  # a: gold 2, pred 2
    assert res.category.confusion[1][2] == 1  # b: gold 1, pred 2
