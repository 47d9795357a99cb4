"""Tracking accuracy: `pancyst track` against gold, on the synthetic series and the hand-written set.

    .venv/bin/python bench/bench_track.py [--patients 200] [--seed 1]

1. Synthetic: `synth --patients N --seed S`, tracked from its text with the rules backend, scored
   with `evaluate --track` against its gold tables.
2. Hand-written (data/dev/longitudinal/series.yaml, labels A): tracked from the text, scored against
   labels A; and labels B (a second, independent labelling from the texts alone) scored against A,
   the agreement between the two annotators.
All with as-of 2026-01-01. Prints the Markdown tables `evaluate --track` prints.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from pancyst.cli import app
from pancyst.evaluate.track import evaluate_track, render_track
from pancyst.synth.series import generate_patients
from pancyst.track.gold import read_series_yaml, write_gold

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "data" / "dev" / "longitudinal"
AS_OF = dt.date(2026, 1, 1)
COLUMNS = ("report_id", "patient_id", "exam_date", "patient_age", "text")


def _track(lines: list[dict], work: Path, name: str) -> tuple[Path, Path]:
    gold, pred = work / f"{name}-gold", work / f"{name}-pred"
    gold.mkdir()
    write_gold(gold, lines, as_of=AS_OF)
    reports = work / f"{name}.csv"
    with reports.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows([[line[c] if line[c] is not None else "" for c in COLUMNS] for line in lines])
    result = CliRunner().invoke(app, ["track", str(reports), "-o", str(pred), "--as-of", AS_OF.isoformat()])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    return gold, pred


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        gold, pred = _track(list(generate_patients(args.patients, args.seed)), work, "synthetic")
        print(f"## Synthetic series (--patients {args.patients} --seed {args.seed}), rules backend\n")
        print(render_track(evaluate_track(gold, pred)) + "\n")
        labels_a = read_series_yaml(SET / "series.yaml")
        gold_a, pred_a = _track(labels_a, work, "handwritten")
        print("## Hand-written series (labels A), rules backend\n")
        print(render_track(evaluate_track(gold_a, pred_a)) + "\n")
        if (SET / "labels_b.yaml").is_file():
            gold_b = work / "labels-b"
            gold_b.mkdir()
            write_gold(
                gold_b, read_series_yaml(SET / "labels_b.yaml", texts=SET / "series.yaml"), as_of=AS_OF
            )
            print("## Hand-written series: labels B against labels A (inter-annotator)\n")
            print(render_track(evaluate_track(gold_a, gold_b)))


if __name__ == "__main__":
    main()
