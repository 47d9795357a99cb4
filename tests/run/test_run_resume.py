"""Kill a run (SIGKILL, SIGINT, SIGTERM) part-way, resume it, and get the bytes of an uninterrupted run."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pancyst.run import work_dir

LAUNCH = [sys.executable, str(Path(__file__).with_name("launch.py"))]
N = 20_000


def _reports(path: Path, n: int = N) -> Path:
    """Fake-backend reports with every kind of row: cysts, a failure, an empty text, a duplicate id, a bad line."""
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            if i % 997 == 5:
                handle.write("{not json\n")
                continue
            text = "BOOM" if i % 1009 == 7 else ("" if i % 1013 == 9 else f"{i % 40 + 1} mm cyst in the tail")
            rid = "dup" if i % 1019 == 3 else f"r{i}"
            handle.write(json.dumps({"report_id": rid, "text": text}) + "\n")
    return path


def _cmd(src: Path, out: Path, *extra: str) -> list[str]:
    return [
        *LAUNCH,
        "extract",
        str(src),
        "-o",
        str(out),
        "-b",
        "fake",
        "-q",
        "--nlp-date",
        "2026-01-02T03:04:05",
        *extra,
    ]


def _rows_done(out: Path) -> int:
    try:
        tail = (work_dir(out) / "progress").read_bytes().rsplit(b"\n", 2)
    except OSError:
        return 0
    try:
        return int(tail[-2].split(b" ", 1)[0]) if len(tail) >= 2 else 0
    except ValueError:
        return 0


def _run_until(cmd: list[str], out: Path, rows: int, sig: int) -> int:
    """Start ``cmd``, send ``sig`` once ``rows`` rows are recorded; the exit code."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while proc.poll() is None and _rows_done(out) < rows and time.monotonic() < deadline:
        time.sleep(0.002)
    if proc.poll() is None:
        proc.send_signal(sig)
    proc.communicate(timeout=120)
    return proc.returncode


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _reports(tmp_path_factory.mktemp("resume") / "in.jsonl")


@pytest.mark.parametrize("name", ["o.jsonl", "o.csv", "o.parquet", "nlp.csv", "nlp.parquet", "o.html"])
def test_sigkill_at_quarters_then_resume_is_byte_identical(source: Path, tmp_path: Path, name: str) -> None:
    fmt = ["--format", "note_nlp"] if name.startswith("nlp") else []
    whole = tmp_path / f"whole-{name}"
    assert subprocess.run(_cmd(source, whole, *fmt), check=False).returncode == 1  # some rows have errors
    out = tmp_path / name
    cmd = _cmd(source, out, *fmt)
    seen = []
    for quarter in (1, 2, 3):
        code = _run_until(cmd + (["--resume"] if quarter > 1 else []), out, N * quarter // 4, signal.SIGKILL)
        assert code == -signal.SIGKILL, "the run ended before it could be killed"
        assert not out.exists(), "a killed run must never leave a file at the output path"
        seen.append(_rows_done(out))
    assert seen == sorted(seen) and seen[0] > 0 and seen[-1] < N
    assert subprocess.run([*cmd, "--resume"], check=False).returncode == 1
    assert out.read_bytes() == whole.read_bytes()
    assert not work_dir(out).exists()


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_sigint_and_sigterm_stop_cleanly_and_resume(
    source: Path, tmp_path: Path, sig: int, code: int
) -> None:
    whole, out = tmp_path / "whole.parquet", tmp_path / "o.parquet"
    subprocess.run(_cmd(source, whole), check=False)
    proc = subprocess.Popen(_cmd(source, out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while proc.poll() is None and _rows_done(out) < N // 2:
        time.sleep(0.002)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == code and "--resume" in stderr and "Traceback" not in stderr
    assert not out.exists()
    rerun = subprocess.run(_cmd(source, out), check=False, capture_output=True, text=True)
    assert rerun.returncode == 2 and "add --resume" in rerun.stderr  # never silently starts over
    resumed = subprocess.run(_cmd(source, out, "--resume"), check=False, capture_output=True, text=True)
    assert resumed.returncode == 1 and out.read_bytes() == whole.read_bytes()


def test_resume_with_workers_and_rules_backend(tmp_path: Path) -> None:
    """The real backend with two worker processes: killed mid-run, resumed, identical to one process."""
    from pancyst.synth.generator import write_corpus

    src = tmp_path / "in.jsonl"
    write_corpus(src, 2000, seed=3)
    whole, out = tmp_path / "whole.jsonl", tmp_path / "o.jsonl"
    base = [*LAUNCH, "extract", str(src), "-q"]
    subprocess.run([*base, "-o", str(whole)], check=True)
    code = _run_until([*base, "-o", str(out), "--workers", "2"], out, 700, signal.SIGKILL)
    assert code == -signal.SIGKILL
    subprocess.run([*base, "-o", str(out), "--workers", "2", "--resume"], check=True)
    assert out.read_bytes() == whole.read_bytes()


def test_resume_refuses_a_different_run(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    _run_until(_cmd(source, out), out, 2000, signal.SIGKILL)
    other = tmp_path / "other.jsonl"
    other.write_bytes(source.read_bytes().replace(b"tail", b"head"))
    for cmd, what in (
        (_cmd(other, out, "--resume"), "input"),
        (_cmd(source, out, "--resume", "--profile", "fukuoka2017"), "profile"),
        (_cmd(source, out, "--resume", "--option", "suffix=1"), "options"),
        (_cmd(source, out, "--resume", "--max-chars", "50"), "max_chars"),
    ):
        result = subprocess.run(cmd, check=False, capture_output=True, text=True)
        assert result.returncode == 2 and "cannot resume" in result.stderr and what in result.stderr, (
            result.stderr
        )
    assert _rows_done(out) >= 2000  # the interrupted run is still there to resume


def test_killed_parent_takes_its_workers_with_it(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    proc = subprocess.Popen(
        _cmd(source, out, "--workers", "2"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    while proc.poll() is None and _rows_done(out) < 500:
        time.sleep(0.005)
    children = _children(proc.pid)
    assert children, "no worker processes found"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in children)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
