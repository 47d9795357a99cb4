"""The working folder: torn progress records, extra bytes, a different run, a full disk."""

from __future__ import annotations

import datetime as dt
import errno
import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pancyst.run import WorkingOutput, work_dir

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io"))
from fake_extractor_io import register_fake

from pancyst.cli import app

NOW = dt.datetime(2026, 1, 2, 3, 4, 5)
BACKEND = register_fake()


def _lines(n: int) -> list[str]:
    return [json.dumps({"report_id": f"r{i}", "n": i}) for i in range(n)]


def _write(out: WorkingOutput, payloads: list[str]) -> None:
    for payload in payloads:
        out.write(payload, Counter(reports=1))


def test_resume_cuts_bytes_written_after_the_last_record(tmp_path: Path) -> None:
    target = tmp_path / "o.jsonl"
    first = WorkingOutput(target, "jsonl", {"input": "x"}, NOW)
    first.start()
    _write(first, _lines(5))
    first.abort()
    with (work_dir(target) / "data").open("a", encoding="utf-8") as handle:
        handle.write('{"report_id": "half')  # a row whose record never made it
    with (work_dir(target) / "progress").open("ab") as handle:
        handle.write(b"6 999")  # a torn record
    second = WorkingOutput(target, "jsonl", {"input": "x"}, NOW)
    assert second.interrupted_rows() == 5
    resumed = second.resume()
    assert resumed.rows == 5 and resumed.stats["reports"] == 1
    _write(second, _lines(8)[5:])
    second.commit()
    assert target.read_text(encoding="utf-8").splitlines() == _lines(8)
    assert not work_dir(target).exists()


def test_a_record_beyond_the_data_is_not_trusted(tmp_path: Path) -> None:
    target = tmp_path / "o.jsonl"
    run = WorkingOutput(target, "jsonl", {}, NOW)
    run.start()
    _write(run, _lines(3))
    run.abort()
    data = work_dir(target) / "data"
    data.write_bytes(data.read_bytes()[:-5])  # lost at a power cut after its record was written
    assert WorkingOutput(target, "jsonl", {}, NOW).interrupted_rows() == 2


def test_progress_log_is_compacted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pancyst.run.output._COMPACT_AT", 300)
    target = tmp_path / "o.jsonl"
    run = WorkingOutput(target, "jsonl", {}, NOW)
    run.start()
    _write(run, _lines(50))
    run.abort()
    assert (work_dir(target) / "progress").stat().st_size < 400
    assert WorkingOutput(target, "jsonl", {}, NOW).interrupted_rows() == 50


def test_resume_refuses_another_manifest(tmp_path: Path) -> None:
    from pancyst.run import ResumeError

    target = tmp_path / "o.jsonl"
    run = WorkingOutput(target, "jsonl", {"backend": {"name": "rules"}}, NOW)
    run.start()
    _write(run, _lines(2))
    run.abort()
    with pytest.raises(ResumeError, match="backend"):
        WorkingOutput(target, "jsonl", {"backend": {"name": "llm"}}, NOW).resume()


def _reports(path: Path, n: int) -> Path:
    path.write_text(
        "".join(json.dumps({"report_id": f"r{i}", "text": f"{i} mm cyst"}) + "\n" for i in range(n))
    )
    return path


def test_disk_full_mid_run_exits_2_and_leaves_the_earlier_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, out = _reports(tmp_path / "in.jsonl", 40), tmp_path / "o.jsonl"
    runner = CliRunner()
    assert runner.invoke(app, ["extract", str(src), "-o", str(out), "-b", BACKEND, "-q"]).exit_code == 0
    earlier = out.read_bytes()
    real = WorkingOutput.write

    def fill_up(self: WorkingOutput, payload: object, stats: Counter[str]) -> None:
        if self._rows == 10:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, payload, stats)

    monkeypatch.setattr(WorkingOutput, "write", fill_up)
    result = runner.invoke(
        app, ["extract", str(src), "-o", str(out), "-b", BACKEND, "-q", "--option", "suffix=2"]
    )
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr and "--resume" in result.stderr
    assert out.read_bytes() == earlier
    monkeypatch.setattr(WorkingOutput, "write", real)
    resumed = runner.invoke(
        app, ["extract", str(src), "-o", str(out), "-b", BACKEND, "-q", "--option", "suffix=2", "--resume"]
    )
    assert resumed.exit_code == 0 and len(out.read_text().splitlines()) == 40
    assert json.loads(out.read_text().splitlines()[0])["meta"] == {"options": {"suffix": 2}}


def test_device_output_full_is_a_clear_error(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    src = _reports(tmp_path / "in.jsonl", 5)
    result = CliRunner().invoke(
        app, ["extract", str(src), "-o", "/dev/full", "-f", "jsonl", "-b", BACKEND, "-q"]
    )
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert not Path("/dev/full.part").exists()


def test_unwritable_output_folder_is_exit_2(tmp_path: Path) -> None:
    src = _reports(tmp_path / "in.jsonl", 3)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(
        app, ["extract", str(src), "-o", str(blocker / "o.jsonl"), "-b", BACKEND, "-q"]
    )
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_resume_needs_a_file_output(tmp_path: Path) -> None:
    src = _reports(tmp_path / "in.jsonl", 3)
    result = CliRunner().invoke(app, ["extract", str(src), "-o", "-", "-b", BACKEND, "--resume"])
    assert result.exit_code == 2 and "--resume needs an output file" in result.stderr
