"""`pancyst synth` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pancyst.cli import app


def test_synth_command_writes_jsonl_and_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "corpus.jsonl"
    result = CliRunner().invoke(
        app, ["synth", "--n", "40", "--seed", "3", "-o", str(out), "--mix", "balanced"]
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(lines) == 40 and lines[0]["report_id"] == "synth-000001"
    assert "40 reports | splits: train=" in result.output and "categories: none=" in result.output
    cats = sum(1 for line in lines if line["gold_category"] is None)
    assert f"none={cats} " in result.output


def test_synth_rejects_an_unknown_mix(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["synth", "--n", "2", "-o", str(tmp_path / "x.jsonl"), "--mix", "uniform"]
    )
    assert result.exit_code != 0
    assert not (tmp_path / "x.jsonl").exists()
