"""`pancyst review` and `pancyst study` on the command line (servers are not started here)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from typer.testing import CliRunner

from pancyst.cli import app
from pancyst.study import StudyStore

runner = CliRunner()


def test_serve_needs_the_reports_and_a_results_file(sample_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "r.sqlite"
    result = runner.invoke(app, ["review", "serve", str(sample_run.results), "--db", str(db)])
    assert result.exit_code == 2 and "--reports is needed" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"report_id": "a"}\nnot json\n', encoding="utf-8")
    result = runner.invoke(
        app, ["review", "serve", str(bad), "--reports", str(sample_run.reports), "--db", str(db)]
    )
    assert result.exit_code == 2 and "line 1" in result.output and "line 2" in result.output
    result = runner.invoke(app, ["review", "serve", "--db", str(db)])
    assert result.exit_code == 2 and "no review database" in result.output
    assert not db.exists()


def test_export_without_a_database(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["review", "export", "--db", str(tmp_path / "none.sqlite"), "--gold", str(tmp_path / "g")]
    )
    assert result.exit_code == 2 and "no review database" in result.output


def test_study_create_prints_tokens_once_and_export_writes_readings(sample_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "s.sqlite"
    args = [
        "study",
        "create",
        str(sample_run.results),
        "--reports",
        str(sample_run.reports),
        "--db",
        str(db),
        "--readers",
        "ana,ben",
        "--cases",
        "5",
        "--seed",
        "3",
        "--adjudicator",
        "cy",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    store = StudyStore(db)
    token = re.search(r"ana\s*│\s*reader\s*│\s*(\S+)", result.output)
    assert token is not None and store.login(token.group(1)) is not None
    assert runner.invoke(app, args).exit_code == 2  # created once
    for slot in store.slots("ana"):
        store.answer("ana", slot.case_id, "1", None)
    out = tmp_path / "readings.csv"
    result = runner.invoke(app, ["study", "export", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert {r["reader"] for r in rows} == {"ana", "model"} and len(rows) == 10
    assert all(float(r["seconds"]) >= 0 for r in rows if r["reader"] == "ana")
    no_model = tmp_path / "nm.csv"
    runner.invoke(app, ["study", "export", "--db", str(db), "-o", str(no_model), "--no-model"])
    assert {r["reader"] for r in csv.DictReader(no_model.open())} == {"ana"}


def test_a_review_database_is_not_a_study(sample_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pancyst.review import ReviewStore

    db = tmp_path / "r.sqlite"
    ReviewStore.load(db, sample_run.lines, sample_run.texts)
    result = runner.invoke(app, ["study", "export", "--db", str(db), "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "review database, not a study" in result.output


def test_agreement_prints_intervals_and_confusion(tmp_path: Path) -> None:
    path = tmp_path / "readings.csv"
    rows = [
        ("r1", "a", "1"),
        ("r1", "b", "1"),
        ("r2", "a", "2"),
        ("r2", "b", "3"),
        ("r3", "a", "none"),
        ("r3", "b", "none"),
        ("r4", "a", "2"),
        ("r4", "b", "2"),
    ]
    path.write_text("report_id,reader,category\n" + "".join(f"{r},{n},{c}\n" for r, n, c in rows))
    result = runner.invoke(
        app, ["agreement", str(path), "--bootstrap", "200", "-o", str(tmp_path / "a.json")]
    )
    assert result.exit_code == 0, result.output
    assert "95 % CI" in result.output and "a (rows) × b (columns)" in result.output
