"""Zero-shot accuracy and speed of each packaged model, with and without CoT, on synthetic dev reports.

    .venv/bin/python bench/bench_llm.py --n 5 --models smollm2-135m gemma-270m --threads 2

Writes bench/out/llm/<model>-<cot|nocot>/{pred.jsonl,metrics.json} and prints one line per run:
mean feature accuracy (from `pancyst evaluate`), PCL accuracy, error lines, reports/s, tokens/s.
Tiny models are not expected to be accurate zero-shot; the point is a reproducible baseline.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

PANCYST = [sys.executable, "-c", "from pancyst.cli import app; app()"]


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PANCYST, *args], capture_output=True, text=True, check=False)


def _value(metric: object) -> object:
    return metric.get("value", "n/a") if isinstance(metric, dict) else ("n/a" if metric is None else metric)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=5, help="dev reports per run")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--models", nargs="+", default=["smollm2-135m", "gemma-270m", "pancyst-gemma-270m"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-tokens", type=int, default=1024)
    ap.add_argument("--out", type=Path, default=Path("bench/out/llm"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    corpus = args.out / "corpus.jsonl"
    done = _run(["synth", "--n", str(args.n * 10), "--seed", str(args.seed), "-o", str(corpus)])
    if done.returncode != 0:
        sys.exit(f"synth failed: {done.stderr[-500:]}")
    dev = [line for line in corpus.read_text().splitlines() if json.loads(line).get("split") == "dev"][
        : args.n
    ]
    dev_path = args.out / "dev.jsonl"
    dev_path.write_text("\n".join(dev) + "\n")

    print(f"{len(dev)} dev reports (seed {args.seed}), {args.threads} threads, max_tokens {args.max_tokens}")
    for model in args.models:
        for cot in (True, False):
            run_dir = args.out / f"{model}-{'cot' if cot else 'nocot'}"
            run_dir.mkdir(parents=True, exist_ok=True)
            pred = run_dir / "pred.jsonl"
            started = time.perf_counter()
            done = _run(
                ["extract", str(dev_path), "-o", str(pred), "--backend", "llm", "--model", model,
                 "--cot" if cot else "--no-cot", "--option", "cache=false", "--option", f"n_threads={args.threads}",
                 "--option", f"max_tokens={args.max_tokens}"]
            )  # fmt: skip
            elapsed = time.perf_counter() - started
            if done.returncode not in (0, 1):
                print(f"{model:<20} cot={cot!s:<5} failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            lines = [json.loads(x) for x in pred.read_text().splitlines()]
            errors = sum(1 for x in lines if x["errors"])
            tokens_out = sum((x.get("meta") or {}).get("tokens_out") or 0 for x in lines)
            ev = _run(
                [
                    "evaluate",
                    "--gold",
                    str(dev_path),
                    "--pred",
                    str(pred),
                    "-o",
                    str(run_dir),
                    "--n-boot",
                    "0",
                ]
            )
            metrics: dict[str, object] = {}
            if (run_dir / "metrics.json").is_file():
                metrics = json.loads((run_dir / "metrics.json").read_text())
            mean = _value(metrics.get("mean_feature_accuracy"))
            pcl = _value(
                (metrics.get("pcl_present") or {}).get("accuracy")
                if isinstance(metrics.get("pcl_present"), dict)
                else None
            )
            print(
                f"{model:<20} cot={cot!s:<5} mean_feature_acc={mean} pcl_acc={pcl} "
                f"error_lines={errors}/{len(lines)} reports/s={len(lines) / elapsed:.3f} "
                f"tokens_out/s(valid answers)={tokens_out / elapsed:.1f} wall={elapsed:.0f}s"
                + ("" if ev.returncode == 0 else " (evaluate failed)")
            )


if __name__ == "__main__":
    main()
