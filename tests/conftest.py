"""Puts tests/ on sys.path so test modules can share plain helper modules (e.g. ``mlstack``)."""

import csv
from dataclasses import dataclass
from pathlib import Path as _Path

import pytest

from webapp_helpers import HOSTILE_ID, HOSTILE_TEXT

# ---- review / study fixtures: the bundled samples plus one hostile report, through the rules backend


@dataclass(frozen=True)
class SampleRun:
    reports: _Path
    results: _Path
    lines: list  # ResultLine
    texts: dict  # report_id -> ReportInput


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> SampleRun:
    from pancyst.extract import get_extractor
    from pancyst.io.readers import read_reports
    from pancyst.pipeline import Pipeline
    from pancyst.schema import ReportInput

    root = _Path(__file__).resolve().parents[1]
    folder = tmp_path_factory.mktemp("review-inputs")
    reports = folder / "reports.csv"
    with (root / "data/samples/reports.csv").open(newline="", encoding="utf-8") as src:
        rows = list(csv.DictReader(src))
    rows.append({**{k: "" for k in rows[0]}, "report_id": HOSTILE_ID, "text": HOSTILE_TEXT})
    with reports.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    inputs = list(read_reports(reports))
    lines = list(Pipeline(get_extractor("rules")).run(inputs))
    results = folder / "results.jsonl"
    results.write_text("".join(line.model_dump_json() + "\n" for line in lines), encoding="utf-8")
    texts = {r.report_id: r for r in inputs if isinstance(r, ReportInput)}
    return SampleRun(reports=reports, results=results, lines=lines, texts=texts)
