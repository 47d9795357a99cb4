"""Batch runner throughput, Ray start-up cost, a scale-out projection and peak memory (issue 11).

    .venv/bin/python bench/bench_batch.py --n 10000 --big 200000          # writes JSON to stdout
    .venv/bin/python bench/bench_batch.py --n 10000 --no-ray --pancyst .venv-fast/bin/pancyst

Every figure is a whole ``pancyst extract`` command (process start, reading, admission, the
rules backend, the guideline engine, writing), timed as wall time in a fresh process, median of
``--repeat`` runs, on a synthetic corpus (``pancyst synth``, seeded). Configurations:

* local, 1 process (``--workers 1``) and 2 processes (``--workers 2``);
* Ray, 2 actors (``--engine ray --workers 2``) on a local Ray instance started by the command;
* Ray start-up: the same command on a 10-report input, minus the local command on it;
* peak RSS (``/usr/bin/time -f %M``, the whole process tree's largest resident set) for the
  ``--n`` corpus and the ``--big`` corpus with one process: streaming means it should not grow.

The N-node projection takes the measured per-actor rate and the driver's own ceiling (reading,
admitting, pickling each job and writing each finished line, timed in this process with no
extraction) and reports min(N x cores x per-actor rate, driver ceiling). It is a projection from
two measured rates, not a measurement of a cluster.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pancyst.extract import get_extractor
from pancyst.io.readers import read_reports
from pancyst.pipeline import Pipeline


def _synth(pancyst: str, n: int, seed: int, folder: Path) -> Path:
    path = folder / f"synth_{n}_{seed}.jsonl"
    if not path.exists():
        subprocess.run([pancyst, "synth", "--n", str(n), "--seed", str(seed), "-o", str(path)], check=True)
    return path


def _wall(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return statistics.median(times)


def _peak_rss_mb(cmd: list[str]) -> float:
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, check=False)
    return round(int(done.stderr.strip().splitlines()[-1]) / 1024, 1)


def _driver_ceiling(src: Path, payloads: Path) -> float:
    """Rows/s the driver alone manages: read, admit, pickle each job (what goes to an actor) and
    write each finished line (``payloads``: the local run's output), with no extraction."""
    pipeline = Pipeline(get_extractor("rules"))
    start = time.perf_counter()
    n = 0
    with payloads.open(encoding="utf-8") as lines, open(os.devnull, "w", encoding="utf-8") as sink:
        for job, line in zip(pipeline.admit(read_reports(src)), lines, strict=True):
            pickle.loads(pickle.dumps(job))
            sink.write(line)
            n += 1
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=0, help="also measure peak RSS on this many reports")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pancyst", default=str(Path(sys.executable).with_name("pancyst")))
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "pancyst-bench")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    src = _synth(args.pancyst, args.n, args.seed, args.workdir)
    out = args.workdir / "out.jsonl"
    base = [args.pancyst, "extract", str(src), "-o", str(out), "-q"]
    result: dict[str, Any] = {
        "reports": args.n,
        "cores": len(os.sched_getaffinity(0)),
        "load": os.getloadavg(),
    }
    for workers in (1, 2):
        wall = _wall([*base, "--workers", str(workers)], args.repeat)
        result[f"local_{workers}_process"] = {"wall_s": round(wall, 2), "reports_per_s": round(args.n / wall)}
    tiny = args.workdir / "tiny.jsonl"
    with src.open(encoding="utf-8") as lines:
        tiny.write_text("".join(itertools.islice(lines, 10)), encoding="utf-8")
    if not args.no_ray:
        wall = _wall([*base, "--engine", "ray", "--workers", "2"], args.repeat)
        result["ray_2_actors"] = {"wall_s": round(wall, 2), "reports_per_s": round(args.n / wall)}
        small = [args.pancyst, "extract", str(tiny), "-o", str(args.workdir / "tiny.out.jsonl"), "-q"]
        startup = _wall([*small, "--engine", "ray", "--workers", "2"], args.repeat) - _wall(
            small, args.repeat
        )
        result["ray_startup_s"] = round(startup, 2)
        per_actor = args.n / max(wall - startup, 1e-9) / 2
        subprocess.run([*base, "--workers", "1"], check=False)
        ceiling = _driver_ceiling(src, out)
        result["ray_per_actor_reports_per_s"] = round(per_actor)
        result["driver_ceiling_reports_per_s"] = round(ceiling)
        result["projection_reports_per_s"] = {
            f"{nodes}x{cores}": round(min(nodes * cores * per_actor, ceiling))
            for nodes in (1, 4, 16)
            for cores in (16,)
        }
    rss = {str(args.n): _peak_rss_mb(base)}
    if args.big:
        big = _synth(args.pancyst, args.big, args.seed, args.workdir)
        rss[str(args.big)] = _peak_rss_mb([args.pancyst, "extract", str(big), "-o", str(out), "-q"])
    result["peak_rss_mb_1_process"] = rss
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
