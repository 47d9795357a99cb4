"""Regenerate the bundled samples.

    .venv/bin/python bench/make_samples.py

data/samples/reports.csv (input) and gold.jsonl (labels) come from ``pancyst synth --n 30 --seed 7
--mix balanced``, so every category shows; gold.jsonl is byte-identical to that command's output.
data/samples/series/ holds 8 synthetic patients over time (``pancyst synth --patients 8 --seed 7``):
reports.csv (the input of ``pancyst track``), gold.jsonl and the gold tracking tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from pancyst.synth import generate
from pancyst.synth.series import generate_patients
from pancyst.track.gold import write_gold

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ("report_id", "text", "exam_date", "patient_age", "modality", "jaundice")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write(out: Path, columns: tuple[str, ...], lines: list[dict[str, Any]]) -> None:
    """reports.csv (the input columns) and gold.jsonl (whole lines) in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "reports.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for line in lines:
            writer.writerow([_cell(line[c]) for c in columns])
    with (out / "gold.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


def main(n: int = 30, seed: int = 7, mix: str = "balanced") -> None:
    out = ROOT / "data" / "samples"
    lines = list(generate(n, seed=seed, mix=mix))
    _write(out, COLUMNS, lines)
    cats = [line["gold_category"] for line in lines]
    print(f"wrote {n} reports to {out}: categories {[cats.count(c) for c in (None, 1, 2, 3)]} (none/1/2/3)")


SERIES_COLUMNS = ("report_id", "patient_id", "exam_date", "patient_age", "modality", "text")


def series(n: int = 8, seed: int = 7) -> None:
    out = ROOT / "data" / "samples" / "series"
    lines = list(generate_patients(n, seed))
    _write(out, SERIES_COLUMNS, lines)
    write_gold(out, lines, as_of=dt.date(2026, 1, 1))
    print(f"wrote {n} patients, {len(lines)} reports to {out}")


if __name__ == "__main__":
    main()
    series()
