"""Series growth through the guideline engine, conflicts, and the edges: one exam, no patient_id,
bad or missing dates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pancyst.track.series import SeriesResult
from pancyst.track.tables import TABLES, read_table, write_table
from track_helpers import by_report

Run = Callable[..., SeriesResult]


def _row(rid: str, day: str | None, text: str, pid: str | None = "P1", age: int = 60) -> dict[str, Any]:
    return {"report_id": rid, "patient_id": pid, "exam_date": day, "patient_age": age, "text": text}


def _exam(result: SeriesResult, rid: str) -> dict[str, Any]:
    return by_report(result, "exams")[rid][0]


def test_growth_comes_from_the_earlier_report_when_this_one_states_no_prior(run_series: Run) -> None:
    result = run_series(
        [
            _row("a", "2018-01-01", "PANCREAS: 10 mm cyst in the pancreatic tail."),
            _row("b", "2019-01-01", "PANCREAS: 16 mm cyst in the pancreatic tail."),
        ]
    )
    lesion = by_report(result)["b"][0]
    assert (lesion["acr_growth"], lesion["prior_size_mm"], lesion["prior_report_id"]) == ("grew", 10.0, "a")
    assert lesion["growth_rate_mm_per_year"] == pytest.approx(6.0, abs=0.02)
    assert lesion["kyoto_growth"] and lesion["fukuoka_growth"]
    exam = _exam(result, "b")
    assert exam["series_prior"] and exam["risk_category"] == 2  # growth is a worrisome feature
    line = next(line for line in result.lines if line.report_id == "b")
    assert line.derived is not None and line.derived.growth == "grew"
    assert any("series: lesion 1 prior 10 mm from a" in w for w in line.warnings)


def test_a_stated_prior_that_contradicts_the_earlier_report_is_flagged_and_loses(run_series: Run) -> None:
    result = run_series(
        [
            _row("a", "2018-01-01", "PANCREAS: 10 mm cyst in the pancreatic tail."),
            _row(
                "b",
                "2019-01-01",
                "PANCREAS: 11 mm cyst in the pancreatic tail, previously 5 mm on 01/01/2018.",
            ),
        ]
    )
    lesion = by_report(result)["b"][0]
    assert lesion["prior_size_mm"] == 10.0 and lesion["acr_growth"] == "not_grown"
    assert lesion["conflicts"] == "stated_prior_disagrees"
    assert "measured 10 mm" in result.conflicts[0]["detail"]


def test_a_stated_prior_that_agrees_is_kept(run_series: Run) -> None:
    result = run_series(
        [
            _row("a", "2018-01-01", "PANCREAS: 10 mm cyst in the pancreatic tail."),
            _row("b", "2019-01-01", "PANCREAS: 11 mm cyst in the pancreatic tail, previously 10 mm."),
        ]
    )
    assert result.conflicts == [] and by_report(result)["b"][0]["prior_size_mm"] == 10.0


def test_one_exam_patients_and_reports_without_patient_id(run_series: Run) -> None:
    result = run_series(
        [
            _row("a", "2018-01-01", "PANCREAS: 10 mm cyst in the pancreatic tail.", pid=None),
            _row("b", "2018-01-01", "PANCREAS: 10 mm cyst in the pancreatic tail.", pid=None),
            _row("c", "2018-01-01", "PANCREAS: 10 mm cyst in the pancreatic tail.", pid="P9"),
        ]
    )
    assert result.warnings == ["2 report(s) have no patient_id: each is its own patient"]
    assert len(result.patients) == 3 and all(p["n_exams"] == 1 for p in result.patients)
    assert {_exam(result, r)["adherence"] for r in "abc"} == {"lost_to_follow_up"}


def test_missing_or_bad_dates_give_an_error_row(run_series: Run) -> None:
    result = run_series(
        [
            _row("a", "2018-01-01", "PANCREAS: 10 mm cyst in the pancreatic tail."),
            _row("b", None, "PANCREAS: 12 mm cyst in the pancreatic tail."),
        ]
    )
    assert _exam(result, "b")["errors"].startswith("no exam_date") and _exam(result, "b")["adherence"] is None
    assert _exam(result, "a")["errors"] is None
    assert result.patients[0]["n_exams"] == 1 and result.patients[0]["n_error_exams"] == 1


def test_same_day_and_out_of_order_input(run_series: Run) -> None:
    result = run_series(
        [
            _row("late", "2020-01-01", "PANCREAS: 10 mm cyst in the pancreatic tail."),
            _row("early", "2019-01-01", "PANCREAS: 10 mm cyst in the pancreatic tail."),
        ]
    )
    assert _exam(result, "early")["next_exam_date"].isoformat() == "2020-01-01"
    assert by_report(result)["late"][0]["status"] == "seen_before"


def test_tables_round_trip_with_their_schemas(run_series: Run, tmp_path: Path) -> None:
    result = run_series(
        [
            _row("a", "2018-01-01", "PANCREAS: 10 mm cyst in the pancreatic tail."),
            _row("b", "2019-01-01", "PANCREAS: 16 mm cyst in the pancreatic tail."),
        ]
    )
    for name in TABLES:
        write_table(tmp_path, name, getattr(result, name))
        for suffix in (".parquet", ".csv"):
            rows = read_table(tmp_path / f"{name}{suffix}")
            assert len(rows) == len(getattr(result, name))
            assert all(list(r) == TABLES[name].names for r in rows)
    assert read_table(tmp_path / "lesions.csv")[1]["acr_growth"] == "grew"
