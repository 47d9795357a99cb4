"""`pancyst track`, `synth --patients` and `evaluate --track` end to end on the bundled series."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from pancyst.cli import app
from pancyst.evaluate.track import evaluate_track
from pancyst.synth.series import generate_patients
from pancyst.track.tables import read_table

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data/samples/series"
runner = CliRunner()


def test_track_on_the_bundled_series_matches_its_gold(tmp_path: Path) -> None:
    out = tmp_path / "track"
    result = runner.invoke(
        app, ["track", str(SAMPLE / "reports.csv"), "-o", str(out), "--as-of", "2026-01-01"]
    )
    assert result.exit_code == 0, result.output
    for name in ("exams", "lesions", "patients", "conflicts"):
        assert (out / f"{name}.parquet").is_file() and (out / f"{name}.csv").is_file()
    page = (out / "timeline.html").read_text()
    assert (
        page.count("<svg") >= 8
        and "<script" not in page
        and "http" not in page.replace("http://www.w3.org/2000/svg", "")
    )
    scores = evaluate_track(SAMPLE, out)
    assert (
        scores.n_patients == 8 and scores.adherence.accuracy is not None and scores.adherence.accuracy > 0.8
    )
    assert scores.linking.recall is not None and scores.linking.recall > 0.8
    lines = (out / "results.jsonl").read_text().splitlines()
    assert len(lines) == len(read_table(out / "exams.parquet"))


def test_track_from_results_equals_extracting(tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    assert (
        runner.invoke(app, ["extract", str(SAMPLE / "reports.csv"), "-o", str(results), "--quiet"]).exit_code
        == 0
    )
    a, b = tmp_path / "a", tmp_path / "b"
    assert (
        runner.invoke(
            app, ["track", str(SAMPLE / "reports.csv"), "-o", str(a), "--as-of", "2026-01-01"]
        ).exit_code
        == 0
    )
    args = [
        "track",
        str(SAMPLE / "reports.csv"),
        "-o",
        str(b),
        "--as-of",
        "2026-01-01",
        "--from-results",
        str(results),
    ]
    assert runner.invoke(app, args).exit_code == 0
    assert read_table(a / "exams.parquet") == read_table(b / "exams.parquet")
    assert read_table(a / "lesions.parquet") == read_table(b / "lesions.parquet")


def test_bad_options_are_usage_errors(tmp_path: Path) -> None:
    args = ["track", str(SAMPLE / "reports.csv"), "-o", str(tmp_path / "x")]
    result = runner.invoke(app, [*args, "--as-of", "someday"])
    assert result.exit_code == 2 and "--as-of" in result.output
    assert runner.invoke(app, [*args, "--profile", "nope"]).exit_code == 2
    assert not (tmp_path / "x").exists()


def test_grace_months_changes_adherence(tmp_path: Path) -> None:
    counts = {}
    for grace in ("0", "12"):
        out = tmp_path / grace
        args = [
            "track",
            str(SAMPLE / "reports.csv"),
            "-o",
            str(out),
            "--as-of",
            "2026-01-01",
            "--grace-months",
            grace,
        ]
        assert runner.invoke(app, args).exit_code == 0
        counts[grace] = sum(r["adherence"] == "on_time" for r in read_table(out / "exams.parquet"))
    assert counts["12"] > counts["0"]


def test_synth_patients_is_seeded_and_its_gold_ids_follow_the_lesions(tmp_path: Path) -> None:
    a = [json.dumps(line) for line in generate_patients(12, 3)]
    assert a == [json.dumps(line) for line in generate_patients(12, 3)]
    lines = [json.loads(x) for x in a]
    per_patient: dict[str, int] = {}
    for line in lines:
        per_patient[line["patient_id"]] = per_patient.get(line["patient_id"], 0) + 1
        assert len(line["gold_lesion_ids"]) == len(line["lesions"])
        assert all(re.fullmatch(rf"{line['patient_id']}:L\d+", i) for i in line["gold_lesion_ids"])
    assert set(per_patient.values()) <= set(range(1, 7))
    out = tmp_path / "syn"
    result = runner.invoke(app, ["synth", "--patients", "5", "--seed", "2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "meta.json").read_text())["patients"] == 5


def test_evaluate_track_is_perfect_on_gold_and_drops_when_links_are_broken(tmp_path: Path) -> None:
    perfect = evaluate_track(SAMPLE, SAMPLE)
    assert perfect.linking.precision == perfect.linking.recall == 1.0
    assert perfect.adherence.accuracy == 1.0 and perfect.growth.agreement == 1.0
    broken = tmp_path / "broken"
    broken.mkdir()
    import pyarrow as pa
    import pyarrow.parquet as pq

    for name in ("exams", "lesions"):
        table = pq.read_table(SAMPLE / f"{name}.parquet")
        if name == "lesions":  # every observation its own lesion: no pair is predicted
            ids = [f"x{i}" for i in range(table.num_rows)]
            table = table.set_column(table.schema.get_field_index("lesion_id"), "lesion_id", pa.array(ids))
        pq.write_table(table, broken / f"{name}.parquet")
    scores = evaluate_track(SAMPLE, broken)
    assert scores.linking.pred_pairs == 0 and scores.linking.recall == 0.0
    cli = runner.invoke(
        app, ["evaluate", "--track", str(SAMPLE), "--pred", str(SAMPLE), "-o", str(tmp_path / "ev")]
    )
    assert cli.exit_code == 0 and "lesion-link precision | 1.000" in cli.output
    assert (tmp_path / "ev" / "track_metrics.json").is_file()


def test_the_hand_written_series_loads_and_both_labellings_cover_it() -> None:
    from pancyst.track.gold import read_series_yaml

    folder = ROOT / "data/dev/longitudinal"
    a = read_series_yaml(folder / "series.yaml")
    b = read_series_yaml(folder / "labels_b.yaml", texts=folder / "series.yaml")
    assert [line["report_id"] for line in a] == [line["report_id"] for line in b]
    per_patient: dict[str, int] = {}
    for line in a:
        per_patient[line["patient_id"]] = per_patient.get(line["patient_id"], 0) + 1
        assert len(line["gold_lesion_ids"]) == len(line["lesions"])
        for lesion in line["lesions"]:  # every labelled size is written in the text (mm or cm)
            size = lesion["size_mm"]
            assert f"{size:g} mm" in line["text"] or f"{size / 10:.1f} cm" in line["text"], (
                line["report_id"],
                size,
            )
    assert len(per_patient) >= 25 and set(per_patient.values()) <= {2, 3, 4, 5}


def test_a_labels_file_with_an_unknown_field_is_refused(tmp_path: Path) -> None:
    import pytest

    from pancyst.track.gold import read_series_yaml

    bad = tmp_path / "s.yaml"
    bad.write_text(
        "patients:\n  - id: X\n    age: 50\n    exams:\n      - report: X-1\n        date: 2020-01-01\n"
        "        text: 'cyst'\n        lesions:\n          - {lesion: A, sise: 3}\n"
    )
    with pytest.raises(ValueError, match="sise"):
        read_series_yaml(bad)
