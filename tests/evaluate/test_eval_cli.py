"""`pancyst evaluate` and `pancyst agreement` through the Typer app."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pancyst.cli import app

runner = CliRunner()
REF = {"extractor": {"name": "test", "version": "0"}, "guideline": {"profile": "acr2017", "version": "0"}}
GOLD = [
    {
        "report_id": "a",
        "pcl_present": True,
        "gold_category": 1,
        "features": {"size_mm": 10.0, "location": "head"},
    },
    {
        "report_id": "b",
        "pcl_present": True,
        "gold_category": 2,
        "features": {"size_mm": 31.0, "location": "tail"},
    },
    {"report_id": "c", "pcl_present": False},
    {
        "report_id": "d",
        "pcl_present": True,
        "gold_category": 1,
        "features": {"size_mm": 5.0, "location": "neck"},
    },
]
PRED = [
    {"report_id": "a", "pcl_present": True, "features": {"size_mm": 10.0, "location": "body"},
     "evidence": {"location": [{"start": 0, "end": 20, "text": "body of the pancreas"}]},
     "derived": {"risk_category": 1}, **REF},
    {"report_id": "b", "pcl_present": True, "features": {"size_mm": 31.0, "location": "tail"},
     "derived": {"risk_category": 2}, **REF},
    {"report_id": "c", "pcl_present": False, "features": {}, **REF},
]  # d is missing  # fmt: skip


def write_jsonl(path: Path, lines: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_evaluate_writes_metrics_and_report(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD)
    pred = write_jsonl(tmp_path / "pred.jsonl", PRED)
    out = tmp_path / "out"
    res = runner.invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(pred), "-o", str(out),
                              "--n-boot", "50", "--max-errors", "1"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "mean feature accuracy" in res.output
    metrics = json.loads((out / "metrics.json").read_text())
    # gold PCL: a b d (d missing). size 2/3, location 1/3 (only b), the other nine 2/3 -> (20/3 + 1/3)/11 = 7/11
    assert abs(metrics["mean_feature_accuracy"]["value"] - 7 / 11) < 1e-12
    assert metrics["bootstrap"]["n_boot"] == 50
    assert metrics["missing_pred_ids"] == ["d"]
    assert [e["report_id"] for e in metrics["errors"]["location"]] == ["a", "d"]
    report = (out / "report.md").read_text()
    assert "## Errors" in report and "| gold \\ pred | none | 1 | 2 | 3 |" in report
    # location errors a and d, capped at one row plus a count
    assert "### location (2 errors)" in report and "… and 1 more" in report
    assert "| a | head | body | body of the pancreas |" in report


def test_evaluate_without_outdir_prints_only(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD)
    pred = write_jsonl(tmp_path / "pred.jsonl", PRED)
    res = runner.invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(pred), "--n-boot", "0"])
    assert res.exit_code == 0, res.output
    assert "interval_months" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gold.jsonl", "pred.jsonl"]


def test_evaluate_bad_json_fails_cleanly(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"report_id": "a", "pcl_present": true}\nnot json\n')
    pred = write_jsonl(tmp_path / "pred.jsonl", [])
    res = runner.invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(pred)])
    assert res.exit_code == 1
    assert "gold.jsonl:2" in res.output


def test_agreement_cli_json(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("report_id,reader,category\na,R1,1\na,R2,1\na,M,2\nb,R1,2\nb,R2,3\nb,M,2\n")
    out = tmp_path / "agree.json"
    res = runner.invoke(app, ["agreement", str(path), "--model", "M", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "Fleiss" in res.output and "Cohen" in res.output
    data = json.loads(out.read_text())
    assert data["model"] == "M"
    # R1 vs R2: p_o 1/2, p_e (1*1 + 1*0 + 0*1)/4 = 1/4 -> (1/2 - 1/4)/(3/4) = 1/3
    assert abs(data["kappa_matrix"]["matrix"][0][1] - 1 / 3) < 1e-12
    assert data["kappa_matrix"]["readers"] == ["R1", "R2", "M"]


def test_evaluate_names_every_malformed_line_with_its_number(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "\n".join(
            json.dumps(line)
            for line in [
                GOLD[0],
                {**GOLD[1], "patient_age": "seventy"},
                {**GOLD[3], "jaundice": "yes"},  # would read as no jaundice
                {"report_id": "e", "pcl_present": True},  # a PCL with no features to score against
            ]
        )
        + "\n\n"  # a blank line is skipped and still counted
        + json.dumps({**GOLD[2], "ca19_9": -4})
        + "\n"
    )
    pred = write_jsonl(tmp_path / "pred.jsonl", [PRED[0], {**PRED[1], "errors": 5}, PRED[2]])
    res = runner.invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(pred), "--n-boot", "0"])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    for message in (
        "gold line 2: patient_age must be a number of years",
        "gold line 3: jaundice must be true, false or null",
        "gold line 6: ca19_9 must be a number >= 0",
        "prediction line 2: errors must be a list of messages, got int",
    ):
        assert message in res.output
    assert "gold line 1:" not in res.output and "prediction line 1:" not in res.output
    assert "gold line 4" not in res.output  # a PCL without features is no error: it is warned about


def test_evaluate_warns_about_gold_lines_that_leave_out_feature_keys(tmp_path: Path) -> None:
    gold = write_jsonl(tmp_path / "gold.jsonl", GOLD)  # a, b and d label only size and location
    pred = write_jsonl(tmp_path / "pred.jsonl", PRED)
    res = runner.invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(pred), "--n-boot", "0"])
    assert res.exit_code == 0, res.output
    assert "3 gold PCL line(s) leave out feature keys, scored as not stated (first: 'a' without" in res.output
    bare = write_jsonl(tmp_path / "bare.jsonl", [{"report_id": "a", "pcl_present": True, "gold_category": 1}])
    res = runner.invoke(app, ["evaluate", "--gold", str(bare), "--pred", str(pred), "--n-boot", "0"])
    assert res.exit_code == 0, res.output
    assert (
        "1 gold PCL line(s) have no features ('a'): their features are scored against not stated"
        in res.output
    )
