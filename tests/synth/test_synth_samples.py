"""The bundled sample (data/samples) must be what bench/make_samples.py writes today."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pancyst.synth import generate

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


def test_bundled_sample_matches_the_generator() -> None:
    lines = list(generate(30, seed=7, mix="balanced"))
    gold = [json.loads(line) for line in (SAMPLES / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    assert gold == json.loads(json.dumps(lines)), "run: .venv/bin/python bench/make_samples.py"
    with (SAMPLES / "reports.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["report_id"] for r in rows] == [line["report_id"] for line in lines]
    assert [r["text"] for r in rows] == [line["text"] for line in lines]
    assert list(rows[0]) == ["report_id", "text", "exam_date", "patient_age", "modality", "jaundice"]
    assert {line["gold_category"] for line in lines} == {None, 1, 2, 3}
