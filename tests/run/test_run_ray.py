"""``--engine ray``: a local Ray instance gives the local run's output, loses no report to a dead actor."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "llm"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_run_resume_llm import steady

from mlstack import require
from pancyst.extract import get_extractor
from pancyst.io.writers import Preparer
from pancyst.pipeline import Pipeline
from pancyst.run import SerialExecutor, WorkerSpec
from pancyst.schema import ReportInput


@pytest.fixture(scope="module")
def ray() -> Any:
    require("ray")
    import ray as ray_module

    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    ray_module.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray_module
    ray_module.shutdown()


def _synth(n: int, seed: int = 4) -> list[ReportInput]:
    from pancyst.synth.generator import generate

    rows = [ReportInput(report_id=r["report_id"], text=r["text"]) for r in generate(n, seed)]
    rows[7] = ReportInput(report_id=rows[7].report_id, text="")  # an error row
    rows[9] = ReportInput(report_id=rows[3].report_id, text=rows[9].text)  # a duplicate id
    return rows


def _local(rows: list[ReportInput], backend: str = "rules", **options: Any) -> list[str]:
    pipeline = Pipeline(get_extractor(backend, **options))
    return [d.payload for d in SerialExecutor(pipeline, Preparer("jsonl")).map(pipeline.admit(rows))]


def _on_ray(rows: list[ReportInput], spec: WorkerSpec, actors: int = 2, batch: int = 64) -> list[str]:
    from pancyst.run.ray_engine import RayExecutor

    pipeline = Pipeline(get_extractor(spec.backend, **spec.options))
    return [d.payload for d in RayExecutor(spec, actors, batch=batch).map(pipeline.admit(rows))]


def test_rules_backend_on_ray_equals_local(ray: Any) -> None:
    rows = _synth(2000)
    assert _on_ray(rows, WorkerSpec.of("rules", {})) == _local(rows)


def test_a_killed_actor_costs_no_report(ray: Any) -> None:
    from pancyst.run.ray_engine import RayExecutor

    rows = _synth(600, seed=8)
    executor = RayExecutor(WorkerSpec.of("rules", {}), 2, batch=20)
    victim = executor.actor_pids()[0]
    pipeline = Pipeline(get_extractor("rules"))
    out = []
    for n, done in enumerate(executor.map(pipeline.admit(rows))):
        if n == 100:
            os.kill(victim, signal.SIGKILL)
        out.append(done.payload)
    assert out == _local(rows)


def test_llm_backend_on_ray_equals_local(ray: Any, tmp_path: Path) -> None:
    require("openai")
    from llm_stub_server import StubServer, chat_body

    from pancyst.extract.llm import load_examples
    from pancyst.llm.prompt import render_target

    text, output = load_examples(None, 1)[0]
    good = render_target(output)
    rows = [ReportInput(report_id=f"r{i}", text=f"{text} Report {i}.") for i in range(40)]
    with StubServer(lambda body: (200, chat_body(good), 0)) as stub:
        options = {"model": "stub", "base_url": stub.url, "cache": False, "concurrency": 4, "timeout_s": 10}
        local = steady(_local(rows, "llm", **options))
        assert steady(_on_ray(rows, WorkerSpec.of("llm", options), batch=8)) == local
        assert len(stub.requests) == 80  # each report once per run


def test_cli_engine_ray(tmp_path: Path) -> None:
    require("ray")
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(json.dumps({"report_id": r.report_id, "text": r.text}) + "\n" for r in _synth(300))
    )
    base = [sys.executable, "-m", "pancyst", "extract", str(src), "-q"]
    subprocess.run([*base, "-o", str(tmp_path / "local.parquet")], check=False)
    ray_run = subprocess.run(
        [*base, "-o", str(tmp_path / "ray.parquet"), "--engine", "ray", "--workers", "3"],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"},
    )
    assert ray_run.returncode == 1, ray_run.stderr  # the empty report
    assert (tmp_path / "ray.parquet").read_bytes() == (tmp_path / "local.parquet").read_bytes()


def test_workers_zero_is_one_actor_per_cluster_cpu(ray: Any) -> None:
    from pancyst.run.ray_engine import RayExecutor

    executor = RayExecutor(WorkerSpec.of("rules", {}), 0)
    try:
        assert len(set(executor.actor_pids())) == 2  # the fixture's instance has two CPUs
    finally:
        executor.close()


def test_actor_cpus_share_a_small_machine() -> None:
    from pancyst.run.ray_engine import actor_cpus

    assert actor_cpus(2, 2.0) == 1.0
    assert actor_cpus(3, 2.0) == 0.6666
    assert 3 * actor_cpus(3, 2.0) <= 2.0  # all three fit: rounded up, the third would wait forever
    assert 7 * actor_cpus(7, 3.0) <= 3.0
    assert actor_cpus(8, 2.0) == 0.25
    with pytest.raises(ValueError):
        actor_cpus(0, 2.0)


@pytest.mark.parametrize(
    ("address", "message"),
    [("127.0.0.1:1", "cannot reach Ray at 127.0.0.1:1"), ("nonsense", "is not host:port")],
)
def test_an_unreachable_cluster_is_a_usage_error_before_any_output(
    tmp_path: Path, address: str, message: str
) -> None:
    require("ray")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"report_id": "a", "text": "A 5 mm cyst in the pancreatic tail."}) + "\n")
    out = tmp_path / "o.jsonl"
    cmd = [sys.executable, "-m", "pancyst", "extract", str(src), "-o", str(out), "--engine", "ray"]
    done = subprocess.run(
        [*cmd, "--ray-address", address], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2 and message in done.stderr  # seconds, not Ray's minutes of retries
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]  # no output, no working folder
