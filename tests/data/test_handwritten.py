"""The hand-written dev set is valid, large enough and balanced enough to score on (brief h6)."""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pancyst.schema import Features

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "dev" / "handwritten.jsonl"


def _load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_handwritten", ROOT / "bench" / "check_handwritten.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_handwritten"] = module
    spec.loader.exec_module(module)
    return module


chk = _load_checker()


@pytest.fixture(scope="module")
def lines() -> list[dict[str, Any]]:
    return [json.loads(raw) for raw in DATA.read_text(encoding="utf-8").splitlines() if raw.strip()]


def _first(lines: list[dict[str, Any]], pred: Any) -> dict[str, Any]:
    return copy.deepcopy(next(d for d in lines if pred(d)))


def test_every_line_is_valid() -> None:
    summary = chk.check_file(DATA)
    assert summary.errors == []


def test_size_and_balance(lines: list[dict[str, Any]]) -> None:
    summary = chk.check_lines(lines)
    assert summary.n_lines >= 120
    assert len(set(summary.ids)) == summary.n_lines
    assert summary.n_no_pcl * 4 >= summary.n_lines
    assert summary.by_category["1"] >= 20
    assert summary.by_category["2"] >= 15
    assert summary.by_category["3"] >= 8
    assert len(summary.by_style) >= 7
    assert summary.n_with_prior >= 20
    assert 0 < summary.n_age_null < summary.n_lines // 10


def test_main_prints_summary_and_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert chk.main([str(DATA)]) == 0
    out = capsys.readouterr().out
    assert "errors: 0" in out
    assert "lines: " in out


# The checker must catch the mistakes a hand annotator makes.


def test_detects_wrong_category(lines: list[dict[str, Any]]) -> None:
    d = _first(lines, lambda d: d["gold_category"] == 1)
    d["gold_category"] = 2
    assert any("gold_category 2 but the features give 1" in e for e in chk.check_line(d))


def test_detects_wrong_interval(lines: list[dict[str, Any]]) -> None:
    d = _first(lines, lambda d: "prior_exam_date" in d)
    d["features"]["interval_months"] = round(d["features"]["interval_months"] + 1, 2)
    assert any("but the dates give" in e for e in chk.check_line(d))


def test_detects_interval_without_prior(lines: list[dict[str, Any]]) -> None:
    d = _first(lines, lambda d: d["pcl_present"] and d["features"]["prior_size_mm"] is None)
    d["features"]["interval_months"] = 6.0
    assert any("interval_months set without prior_size_mm" in e for e in chk.check_line(d))


def test_detects_features_on_a_no_pcl_line(lines: list[dict[str, Any]]) -> None:
    d = _first(lines, lambda d: not d["pcl_present"])
    d["features"]["size_mm"] = 12.0
    assert any("no-PCL defaults" in e for e in chk.check_line(d))


def test_detects_size_absent_from_text(lines: list[dict[str, Any]]) -> None:
    d = _first(lines, lambda d: d["features"]["size_mm"] == 14.0)
    d["features"]["size_mm"] = 87.0
    assert any("size_mm 87 mm not found" in e for e in chk.check_line(d))


def test_detects_bad_enum_and_missing_keys(lines: list[dict[str, Any]]) -> None:
    d = _first(lines, lambda d: d["pcl_present"])
    d["features"]["mural_nodule"] = "maybe"
    assert chk.check_line(d)[0].startswith("not a GoldLine")
    d2 = _first(lines, lambda d: d["pcl_present"])
    del d2["features"]["calcification"]
    assert any("missing ['calcification']" in e for e in chk.check_line(d2))
    d3 = _first(lines, lambda d: True)
    del d3["style"]
    assert chk.check_line(d3) == ["missing keys ['style']"]


def test_detects_duplicate_ids(lines: list[dict[str, Any]]) -> None:
    summary = chk.check_lines([lines[0], copy.deepcopy(lines[0])])
    assert f"{lines[0]['report_id']}: duplicate report_id" in summary.errors


# The checker's own rule functions, against hand-computed values.


def test_interval_from_dates() -> None:
    # 366 days (2024 is a leap year) / 30.4375 = 12.0246...
    assert chk.interval_from_dates(dt.date(2024, 3, 14), dt.date(2023, 3, 14)) == 12.02
    # 181 days / 30.4375 = 5.9466...
    assert chk.interval_from_dates(dt.date(2023, 12, 30), dt.date(2023, 7, 2)) == 5.95


@pytest.mark.parametrize(
    ("size", "prior", "expected"),
    [(8, 4, True), (7.9, 4, False), (7.5, 5, True), (7.4, 5, False), (18, 15, True), (17.9, 15, False)],
)
def test_growth_thresholds(size: float, prior: float, expected: bool) -> None:
    assert chk.grew(size, prior) is expected


@pytest.mark.parametrize(
    ("features", "jaundice", "expected"),
    [
        ({"size_mm": 12.0, "location": "tail"}, None, 1),
        ({"size_mm": 30.0, "location": "tail"}, None, 2),
        ({"size_mm": 12.0, "location": "tail", "mpd_diameter_mm": 7.0}, None, 2),
        ({"size_mm": 12.0, "location": "tail", "mpd_diameter_mm": 6.9, "mpd_dilated": "yes"}, None, 1),
        ({"size_mm": 12.0, "location": "tail", "mpd_dilated": "yes"}, None, 2),
        ({"size_mm": 12.0, "location": "tail", "mpd_diameter_mm": 10.0}, None, 3),
        ({"size_mm": 12.0, "location": "tail", "mural_nodule": "present_unspecified"}, None, 2),
        ({"size_mm": 12.0, "location": "tail", "mural_nodule": "enhancing"}, None, 3),
        ({"size_mm": 12.0, "location": "tail"}, True, 1),
        ({"size_mm": 12.0, "location": "uncinate"}, True, 3),
        ({"size_mm": 12.0, "location": "head"}, False, 1),
    ],
)
def test_category(features: dict[str, Any], jaundice: bool | None, expected: int) -> None:
    assert chk.acr2017_category(True, Features(**features), jaundice) == expected


_features = st.builds(
    Features,
    size_mm=st.none() | st.floats(1, 80, allow_nan=False),
    location=st.sampled_from(["head", "uncinate", "neck", "body", "tail", "unspecified"]),
    mpd_diameter_mm=st.none() | st.floats(1, 20, allow_nan=False),
    mpd_dilated=st.sampled_from(["yes", "no", "not_stated"]),
    mural_nodule=st.sampled_from(
        ["absent", "nonenhancing", "enhancing", "present_unspecified", "not_stated"]
    ),
    wall_thickening=st.sampled_from(["present", "absent", "not_stated"]),
    prior_size_mm=st.none() | st.floats(1, 80, allow_nan=False),
)


@given(_features, st.sampled_from([None, True, False]))
def test_category_is_monotone_in_worrisome_features(f: Features, jaundice: bool | None) -> None:
    base = chk.acr2017_category(True, f, jaundice)
    assert base in (1, 2, 3)
    assert chk.acr2017_category(False, f, jaundice) is None
    worse = f.model_copy(update={"wall_thickening": "present"})
    assert chk.acr2017_category(True, worse, jaundice) >= max(base, 2)
    worst = f.model_copy(update={"mural_nodule": "enhancing"})
    assert chk.acr2017_category(True, worst, jaundice) == 3


@given(st.integers(1, 999))
def test_number_in_text_reads_mm_and_both_cm_decimals(tenths: int) -> None:
    mm = tenths / 10
    cm = mm / 10
    assert chk.number_in_text(mm, f"cyst of {mm:g} mm")
    assert chk.number_in_text(mm, f"cyst of {cm:g} cm.")
    assert chk.number_in_text(mm, f"cyst of {cm:g} cm".replace(".", ","))
    assert not chk.number_in_text(mm, f"cyst of {mm + 0.5:g} mm, series 4")
