from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io"))  # the fake backend lives there

from fake_extractor_io import register_fake

from pancyst.cli import app
from pancyst.schema import ResultLine

BACKEND = register_fake()
runner = CliRunner()


def _run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["extract", *args], input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _lines(path: Path) -> list[ResultLine]:
    return [ResultLine.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write_csv(path: Path, rows: list[list[str]], header: tuple[str, ...] = ("report_id", "text")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_every_bad_report_gives_one_error_line_in_order(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    _write_csv(
        src,
        [
            ["ok1", "A 2.3 cm cyst in the pancreatic tail."],
            ["empty", ""],
            ["binary", "\x00\x01\x02\x03" * 50],
            ["huge", "cyst " * 1_000_000],  # 5 MB, over the default --max-chars
            ["ok1", "the same id again"],
            ["boom", "BOOM"],
            ["ok2", "No pancreatic lesion."],
        ],
    )
    with src.open("a", encoding="utf-8") as handle:
        handle.write("bad,one,two,three\n")  # malformed row: too many fields
        handle.write(',"no id"\n')
        handle.write("last,8 mm cyst head\n")
    out = tmp_path / "out.jsonl"
    code, stdout, stderr = _run(str(src), "-o", str(out), "--backend", BACKEND)
    assert code == 1
    lines = _lines(out)
    assert [line.report_id for line in lines] == [
        "ok1", "empty", "binary", "huge", "ok1", "boom", "ok2", "bad", "row-9", "last"
    ]  # fmt: skip
    errors = [line.errors for line in lines]
    assert errors[0] == [] and errors[6] == [] and errors[9] == []
    assert errors[1] == ["empty report: no text to read"]
    assert len(errors[2]) == 1 and errors[2][0].startswith("not text")
    assert len(errors[3]) == 1 and errors[3][0].startswith("report too long")
    assert len(errors[4]) == 1 and "duplicate report_id 'ok1'" in errors[4][0]
    assert errors[5] == ["extraction failed: ExtractionError: model returned garbage"]
    assert len(errors[7]) == 1 and "malformed CSV row" in errors[7][0]
    assert len(errors[8]) == 1 and "missing report id" in errors[8][0]
    assert lines[0].pcl_present is True and lines[6].pcl_present is False
    assert stdout == ""
    assert "10 reports, 2 with PCL, 7 with errors" in stderr


def test_all_good_exits_zero_and_quiet_is_quiet(tmp_path: Path) -> None:
    src = _write_csv(tmp_path / "in.csv", [["a", "1 cm cyst"], ["b", "nothing"]])
    code, _, stderr = _run(str(src), "-o", str(tmp_path / "o.jsonl"), "-b", BACKEND)
    assert code == 0 and "2 reports, 1 with PCL, 0 with errors; category 1: 1" in stderr
    code, stdout, stderr = _run(str(src), "-o", str(tmp_path / "q.jsonl"), "-b", BACKEND, "--quiet")
    assert (code, stdout, stderr) == (0, "", "")


def _many_reports(path: Path) -> Path:
    rows = []
    for i in range(45):
        text = f"Report {i}: a {i % 9 + 1} mm cyst in the pancreatic {['head', 'tail', 'body'][i % 3]}."
        if i % 11 == 0:
            text = "BOOM"
        if i % 13 == 0:
            text = ""
        rows.append([f"r{i % 40}", text])  # ids r0..r4 repeat at the end: duplicates across chunks
    return _write_csv(path, rows)


@pytest.mark.parametrize("suffix", ["jsonl", "html", "csv"])
def test_workers_give_identical_output(tmp_path: Path, suffix: str) -> None:
    src = _many_reports(tmp_path / "in.csv")
    one, two = tmp_path / f"one.{suffix}", tmp_path / f"two.{suffix}"
    code1, _, err1 = _run(str(src), "-o", str(one), "-b", BACKEND)
    code2, _, err2 = _run(str(src), "-o", str(two), "-b", BACKEND, "--workers", "2")
    assert code1 == code2 == 1
    assert one.read_bytes() == two.read_bytes()
    assert err1.split("reports/s")[0].rsplit(";", 1)[0] == err2.split("reports/s")[0].rsplit(";", 1)[0]
    if suffix == "jsonl":
        lines = _lines(two)
        assert len(lines) == 45 and sum(1 for line in lines if line.errors) >= 8


def _through(executor: Any, reports: list[Any], profile: str = "acr2017") -> list[str]:
    from fake_extractor_io import FakeExtractor

    from pancyst.pipeline import Pipeline

    jobs = Pipeline(FakeExtractor(), profile=profile).admit(reports)
    return [done.payload for done in executor.map(jobs)]


def test_process_executor_small_batches_same_as_serial() -> None:
    from fake_extractor_io import FakeExtractor

    from pancyst.pipeline import Pipeline
    from pancyst.run import ProcessExecutor, WorkerSpec
    from pancyst.schema import ReportInput

    reports = [
        ReportInput(report_id=str(i), text="BOOM" if i == 2 else f"{i} mm cyst tail") for i in range(1, 7)
    ]
    reports.append(ReportInput(report_id="1", text="duplicate of the first"))
    serial = list(Pipeline(FakeExtractor(), profile="fukuoka2017").run(reports))
    spec = WorkerSpec.of(BACKEND, {}, profile="fukuoka2017")
    assert _through(ProcessExecutor(spec, 2, batch=1), reports, "fukuoka2017") == [
        line.model_dump_json() for line in serial
    ]
    assert serial[0].guideline.profile == "fukuoka2017" and serial[1].errors and serial[-1].errors


def test_process_executor_falls_back_when_workers_cannot_start() -> None:
    import os

    from fake_extractor_io import FakeExtractor

    from pancyst.pipeline import Pipeline
    from pancyst.run import ProcessExecutor, WorkerSpec
    from pancyst.schema import ReportInput

    reports = [ReportInput(report_id=str(i), text=f"{i} mm cyst body") for i in range(1, 5)]
    spec = WorkerSpec.of(BACKEND, {"only_pid": os.getpid()})
    serial = list(Pipeline(FakeExtractor()).run(reports))
    assert _through(ProcessExecutor(spec, 2, batch=1), reports) == [line.model_dump_json() for line in serial]


def test_output_formats(tmp_path: Path) -> None:
    src = _write_csv(tmp_path / "in.csv", [["a", "2 cm cyst tail <x>"], ["b", ""]])
    for name, fmt in (("o.csv", None), ("o.parquet", None), ("nlp.csv", "note_nlp"), ("r.html", None)):
        args = [str(src), "-o", str(tmp_path / name), "-b", BACKEND, "-q"]
        code, _, _ = _run(*args, *(["--format", fmt] if fmt else []))
        assert code == 1  # report b is empty
    assert pq.read_table(tmp_path / "o.parquet").num_rows == 2
    assert (tmp_path / "o.csv").read_text(encoding="utf-8").count("\n") == 3
    assert "note_nlp_id" in (tmp_path / "nlp.csv").read_text(encoding="utf-8")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "&lt;x&gt;" in page and page.count('<section class="report"') == 2


def test_stdin_to_stdout(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"report_id": f"s{i}", "text": f"{i} mm cyst"}) + "\n" for i in range(1, 4))
    code, stdout, stderr = _run("-", "-o", "-", "-b", BACKEND, input=lines)
    assert code == 0
    assert [json.loads(line)["report_id"] for line in stdout.splitlines()] == ["s1", "s2", "s3"]
    assert "3 reports" in stderr and "wrote stdout" in stderr
    code, stdout, _ = _run("-", "-o", "-", "-b", BACKEND, "-q", input="Free text: 4 mm cyst, no JSON.")
    assert code == 0 and json.loads(stdout)["report_id"] == "stdin"


def test_backend_options_are_passed(tmp_path: Path) -> None:
    src = _write_csv(tmp_path / "in.csv", [["a", "1 cm cyst"]])
    out = tmp_path / "o.jsonl"
    code, _, _ = _run(str(src), "-o", str(out), "-b", BACKEND, "-q", "--option", "suffix=3")
    assert code == 0 and _lines(out)[0].meta == {"options": {"suffix": 3}}
    code, _, stderr = _run(str(src), "-o", str(out), "-b", BACKEND, "--model", "m1", "--no-cot")
    assert code == 2 and "'cot', 'model'" in stderr  # the fake backend rejects them: proof they were passed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "-o", "o.jsonl"], "input not found"),
        (["in.csv", "-o", "o.jsonl", "-b", "nosuch"], "unknown backend"),
        (["in.csv", "-o", "o.xlsx"], "output format"),
        (["in.csv", "-o", "o.jsonl", "--format", "xml"], "unknown output format"),
        (["in.csv", "-o", "-", "--format", "html"], "stdout"),
        (["in.xml", "-o", "o.jsonl"], "cannot tell the format"),
        (["in.csv", "-o", "o.jsonl", "--profile", "nosuch_profile"], "profile"),
        (["in.csv", "-o", "o.jsonl", "--option", "novalue"], "KEY=VALUE"),
        (["in.csv", "-o", "o.jsonl", "--column", "age=Age"], "mapping"),
        (["in.csv", "-o", "./in.csv"], "overwrite the input"),
        (["in.csv", "-o", "o.jsonl", "--text-col", "body"], "no 'body' column for the text"),
        (["in.csv", "-o", "o.jsonl", "--id-col", "acc"], "no 'acc' column for the report_id"),
    ],
)
def test_usage_errors_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    _write_csv(tmp_path / "in.csv", [["a", "cyst"]])
    (tmp_path / "in.xml").write_text("<x/>", encoding="utf-8")
    result = runner.invoke(app, ["extract", *args, *(["-b", BACKEND] if "-b" not in args else [])])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not (tmp_path / "o.jsonl").exists()
    assert (tmp_path / "in.csv").read_text(encoding="utf-8") == "report_id,text\na,cyst\n"


def test_help_documents_exit_codes() -> None:
    result = runner.invoke(app, ["extract", "--help"])
    assert result.exit_code == 0
    assert "Exit codes" in result.stdout and "--workers" in result.stdout


def test_workers_zero_uses_every_available_core(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pancyst.run import ProcessExecutor, available_cores

    assert available_cores() >= 1
    src = _many_reports(tmp_path / "in.csv")
    one, every = tmp_path / "one.jsonl", tmp_path / "every.jsonl"
    used: list[int] = []
    real = ProcessExecutor.__init__

    def spy(self: Any, spec: Any, workers: int, **kw: Any) -> None:
        used.append(workers)
        real(self, spec, workers, **kw)

    monkeypatch.setattr("pancyst.cli.extract.available_cores", lambda: 2)
    monkeypatch.setattr(ProcessExecutor, "__init__", spy)
    _run(str(src), "-o", str(one), "-b", BACKEND)
    _run(str(src), "-o", str(every), "-b", BACKEND, "--workers", "0")
    assert used == [2]
    assert one.read_bytes() == every.read_bytes()
