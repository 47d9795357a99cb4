"""A killed LLM run resumes without sending any finished report to the model again."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "llm"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_run_resume import _rows_done, _run_until

from mlstack import require

N = 120
REPORT_NO = re.compile(r"Study number (\d+)\.")


def _source(path: Path) -> Path:
    from pancyst.extract.llm import load_examples

    text = load_examples(None, 1)[0][0]
    path.write_text(
        "".join(
            json.dumps({"report_id": f"r{i}", "text": f"{text} Study number {i}."}) + "\n" for i in range(N)
        )
    )
    return path


def _asked(requests: list[dict[str, Any]]) -> list[int]:
    """Which reports the model was asked about (the last message holds the report)."""
    return [int(REPORT_NO.findall(json.dumps(body["messages"][-1]))[-1]) for body in requests]


def steady(payloads: Iterable[str]) -> list[dict[str, Any]]:
    """Result lines without what differs run to run (each model call's wall time)."""
    lines = [json.loads(p) for p in payloads]
    for line in lines:
        line.get("meta", {}).pop("latency_s", None)
    return lines


def _steady(path: Path) -> list[dict[str, Any]]:
    return steady(path.read_text(encoding="utf-8").splitlines())


def test_resume_sends_no_finished_report_to_the_model_again(tmp_path: Path) -> None:
    require("openai")
    from llm_stub_server import StubServer, chat_body

    from pancyst.extract.llm import load_examples
    from pancyst.llm.prompt import render_target

    good = render_target(load_examples(None, 1)[0][1])
    src = _source(tmp_path / "in.jsonl")
    with StubServer(lambda body: (200, chat_body(good), 0.01)) as stub:
        cmd = [sys.executable, "-m", "pancyst", "extract", str(src), "-b", "llm", "--model", "stub"]
        cmd += ["--base-url", stub.url, "--concurrency", "2", "--option", "cache=false", "-q"]
        out = tmp_path / "o.jsonl"
        assert _run_until([*cmd, "-o", str(out)], out, N // 3, signal.SIGKILL) == -signal.SIGKILL
        written = _rows_done(out)
        first = _asked(stub.requests)
        stub.requests.clear()
        assert 0 < written < N and not out.exists()
        resumed = subprocess.run(
            [*cmd, "-o", str(out), "--resume"], capture_output=True, text=True, check=False
        )
        assert resumed.returncode == 0, resumed.stderr
        again = _asked(stub.requests)
        stub.requests.clear()
        whole = tmp_path / "whole.jsonl"
        assert subprocess.run([*cmd, "-o", str(whole)], check=False).returncode == 0
    assert not set(again) & set(range(written))  # nothing already written is asked again
    assert sorted(again) == list(range(written, N))  # the rest, each once
    assert set(first) >= set(range(written))
    assert _steady(out) == _steady(whole)  # every row once, in order, same content
