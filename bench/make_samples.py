"""Regenerate the bundled sample: data/samples/reports.csv (input) and data/samples/gold.jsonl (labels).

    .venv/bin/python bench/make_samples.py

Both come from ``pancyst synth --n 30 --seed 7 --mix balanced``, so every category shows;
gold.jsonl is byte-identical to that command's output.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pancyst.synth import generate

ROOT = Path(__file__).resolve().parents[1]
COLUMNS = ("report_id", "text", "exam_date", "patient_age", "modality", "jaundice")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def main(n: int = 30, seed: int = 7, mix: str = "balanced") -> None:
    out = ROOT / "data" / "samples"
    out.mkdir(parents=True, exist_ok=True)
    lines = list(generate(n, seed=seed, mix=mix))
    with (out / "reports.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for line in lines:
            writer.writerow([_cell(line[c]) for c in COLUMNS])
    with (out / "gold.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    cats = [line["gold_category"] for line in lines]
    print(f"wrote {n} reports to {out}: categories {[cats.count(c) for c in (None, 1, 2, 3)]} (none/1/2/3)")


if __name__ == "__main__":
    main()
