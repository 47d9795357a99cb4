"""Cost arithmetic, checked against sums done by hand."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from pancyst.cli import app
from pancyst.train.cost import CostInputs, compute, measured

BASE = dict(
    api_price_in_per_mtok=5.0,
    api_price_out_per_mtok=20.0,
    tokens_in_per_report=1000,
    tokens_out_per_report=500,
    latency_s_per_report=3.6,
    host_price_per_hour=1.0,
    concurrency=1,
)


def test_per_report_and_break_even_by_hand() -> None:
    # API: 1000 * 5 / 1e6 + 500 * 20 / 1e6 = 0.005 + 0.010 = 0.015 $/report
    # self-hosted: 3.6 s / 3600 * $1/h = 0.001 $/report; saving 0.014
    # break-even: 354 / 0.014 = 25285.71 -> 25286 reports
    r = compute(CostInputs(training_cost=354, **BASE))
    assert r.api_cost_per_report == pytest.approx(0.015)
    assert r.selfhost_cost_per_report == pytest.approx(0.001)
    assert r.saving_per_report == pytest.approx(0.014)
    assert r.break_even_reports == 25286


def test_training_cost_from_parts() -> None:
    # 2 GPU-hours * $3 = 6; 100 labelled reports * 0.015 = 1.5; other 2.5 -> 10.0
    c = CostInputs(
        train_gpu_hours=2, train_gpu_price_per_hour=3, label_reports=100, other_fixed_cost=2.5, **BASE
    )
    assert compute(c).training_cost == pytest.approx(10.0)
    # 10.0 / 0.014 = 714.28 -> 715
    assert compute(c).break_even_reports == 715


def test_concurrency_divides_hosting_cost_and_exact_break_even_is_not_rounded_up() -> None:
    c = CostInputs(training_cost=14, **{**BASE, "concurrency": 4})
    # self-hosted 0.001 / 4 = 0.00025; saving 0.01475; 14 / 0.01475 = 949.15 -> 950
    assert compute(c).break_even_reports == 950
    exact = CostInputs(training_cost=0.14, **BASE)  # 0.14 / 0.014 = 10 exactly
    assert compute(exact).break_even_reports == 10


def test_paper_numbers_imply_a_saving_of_about_four_cents() -> None:
    # $354 recovered after ~9,100 reports -> 354 / 9100 = $0.0389 saved per report
    c = CostInputs(
        training_cost=354,
        api_price_in_per_mtok=0,
        api_price_out_per_mtok=38.9,
        tokens_in_per_report=0,
        tokens_out_per_report=1000,
        latency_s_per_report=0,
        host_price_per_hour=0,
    )
    assert compute(c).break_even_reports == 9101  # 354 / 0.0389 = 9100.26


def test_no_break_even_when_self_hosting_costs_more() -> None:
    c = CostInputs(training_cost=10, **{**BASE, "latency_s_per_report": 360})  # $0.10/report > $0.015
    r = compute(c)
    assert r.break_even_reports is None
    assert r.saving_per_report < 0


def test_measured_uses_median_latency_and_skips_cache_hits() -> None:
    lines = [
        {"meta": {"latency_s": 1.0, "tokens_in": 100, "tokens_out": 10}},
        {"meta": {"latency_s": 3.0, "tokens_in": 300, "tokens_out": 30}},
        {"meta": {"latency_s": 2.0, "tokens_in": 200, "tokens_out": 20}},
        {"meta": {"latency_s": 0.0, "tokens_in": 999, "cached": True}},
        {"errors": ["x"], "meta": {}},
    ]
    assert measured(lines) == {
        "latency_s_per_report": 2.0,
        "tokens_in_per_report": 200.0,
        "tokens_out_per_report": 20.0,
    }


def test_cost_cli_json(tmp_path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("".join(f"{k}: {v}\n" for k, v in BASE.items()))
    res = CliRunner().invoke(app, ["cost", "--config", str(cfg), "--set", "training_cost=354", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["break_even_reports"] == 25286
    bad = CliRunner().invoke(app, ["cost", "--set", "concurrency=0"])
    assert bad.exit_code == 2
