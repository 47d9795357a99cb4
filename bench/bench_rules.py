"""Accuracy and speed of the rules backend (issue 3 targets).

    pancyst synth --n 10000 --seed 3 --mix real -o /tmp/real_3.jsonl       # and --mix balanced, --seed 11
    .venv/bin/python bench/bench_rules.py --synth /tmp/real_3.jsonl /tmp/balanced_3.jsonl --split test \
        --handwritten data/dev/handwritten.jsonl data/dev/handwritten2.jsonl --real-dev ../shared/data/real_dev
    taskset -c 1 .venv/bin/python bench/bench_rules.py --speed /tmp/real_3.jsonl --big
    make setup-fast && taskset -c 1 .venv-fast/bin/python bench/bench_rules.py --speed /tmp/real_3.jsonl  # compiled

Accuracy is scored end to end (``Pipeline(RulesExtractor())``) with a small SPEC §5 scorer:
exact match per feature over gold-PCL reports (numbers within 0.1, interval within 0.5), mean
over the eleven features, pcl_present accuracy, and risk-category macro-F1 over {1, 2, 3}.
``--split`` keeps the rows of one split (iterate on ``dev``, report ``test``).
Speed is reports/s of ``RulesExtractor.extract`` on one core (median of 3 runs, wall and CPU
time, with the load average: the machine may be shared), the whole pipeline (guideline engine
included, median of 3), and the whole process (start-up, reading, pipeline) timed separately.
Each timed run is a fresh process that has seen one made-up warm-up report and then reads every
report once: the text layer caches repeated lines and sentences, and timing a second pass over the
same reports would credit those caches with work that real use does once.
The result names the build that ran (pure Python, or compiled by mypyc: ``make setup-fast``).
``--big`` times three 1 MB reports: dense report text, random characters and word salad.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import string
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from pancyst.build import describe
from pancyst.extract.rules import RulesExtractor
from pancyst.pipeline import Pipeline
from pancyst.schema import FEATURE_KEYS, ReportInput, check_spans

INPUT_KEYS = ("report_id", "text", "exam_date", "patient_age", "modality", "jaundice")


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_split_gold(folder: Path) -> list[dict[str, Any]]:
    """Inputs and labels kept in two files (``reports.jsonl``, ``gold.jsonl``), joined by report id."""
    gold = {row["report_id"]: row for row in load(folder / "gold.jsonl")}
    return [{**gold[r["report_id"]], **r} for r in load(folder / "reports.jsonl")]


def to_input(row: dict[str, Any]) -> ReportInput:
    return ReportInput.model_validate(
        {k: row.get(k) for k in INPUT_KEYS if row.get(k) is not None or k == "text"}
    )


def gold_category(row: dict[str, Any]) -> int | None:
    if "gold_category" in row:
        return row["gold_category"]
    if "risk_category" in row:  # real_dev's gold.jsonl
        return row["risk_category"]
    derived = row.get("derived") or {}
    return derived.get("risk_category")


def match(key: str, gold: Any, pred: Any) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    if key == "interval_months":
        return abs(float(gold) - float(pred)) <= 0.5 + 1e-9
    if isinstance(gold, int | float) and not isinstance(gold, bool):
        return abs(float(gold) - float(pred)) <= 0.1 + 1e-9
    return bool(gold == pred)


def macro_f1(pairs: list[tuple[int | None, int | None]]) -> float:
    f1s = []
    for c in (1, 2, 3):
        tp = sum(1 for g, p in pairs if g == c and p == c)
        fp = sum(1 for g, p in pairs if g != c and p == c)
        fn = sum(1 for g, p in pairs if g == c and p != c)
        if tp + fp + fn == 0:
            continue
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def score(rows: list[dict[str, Any]], show_errors: int = 0, only: str | None = None) -> dict[str, Any]:
    pipe = Pipeline(RulesExtractor())
    inputs = [to_input(r) for r in rows]
    results = list(pipe.run(inputs))
    correct: Counter[str] = Counter()
    n_pcl = 0
    pcl_ok = 0
    all_ok = 0
    pairs: list[tuple[int | None, int | None]] = []
    errors: dict[str, list[str]] = defaultdict(list)
    span_errors = 0
    for row, inp, res in zip(rows, inputs, results, strict=True):
        try:
            check_spans(inp.text, res)
        except Exception:
            span_errors += 1
        gold_pcl = bool(row["pcl_present"])
        pred_pcl = bool(res.pcl_present)
        pcl_ok += gold_pcl == pred_pcl
        if gold_pcl != pred_pcl:
            errors["pcl_present"].append(f"{row['report_id']}: gold={gold_pcl} pred={pred_pcl} {res.errors}")
        pred_cat = res.derived.risk_category if res.derived else None
        pairs.append((gold_category(row), pred_cat))
        if gold_category(row) != pred_cat:
            errors["category"].append(f"{row['report_id']}: gold={gold_category(row)} pred={pred_cat}")
        if not gold_pcl:
            continue
        n_pcl += 1
        gold_f = row.get("features") or {}
        pred_f = res.features.model_dump() if res.features else {}
        ok_all = True
        for key in FEATURE_KEYS:
            ok = match(key, gold_f.get(key), pred_f.get(key))
            correct[key] += ok
            ok_all = ok_all and ok
            if not ok:
                errors[key].append(f"{row['report_id']}: gold={gold_f.get(key)!r} pred={pred_f.get(key)!r}")
        all_ok += ok_all
    per_feature = {k: correct[k] / n_pcl if n_pcl else 0.0 for k in FEATURE_KEYS}
    out = {
        "reports": len(rows),
        "pcl_reports": n_pcl,
        "pcl_accuracy": pcl_ok / len(rows) if rows else 0.0,
        "mean_feature_accuracy": sum(per_feature.values()) / len(per_feature),
        "all_features_correct": all_ok / n_pcl if n_pcl else 0.0,
        "risk_macro_f1": macro_f1(pairs),
        "per_feature": per_feature,
        "span_errors": span_errors,
    }
    if show_errors:
        for key, errs in errors.items():
            if only and key != only:
                continue
            print(f"--- {key}: {len(errs)} errors", file=sys.stderr)
            for e in errs[:show_errors]:
                print("   ", e, file=sys.stderr)
    return out


WARM_UP = (
    "FINDINGS: PANCREAS: A 1.2 cm cyst in the pancreatic body without mural nodule, unchanged from "
    "CT 01/02/2020. Main duct 2 mm.\nIMPRESSION: Small pancreatic cyst."
)


def one_pass(path: Path, what: str) -> dict[str, float]:
    """One timed pass over every report, in this (fresh) process, after a made-up warm-up report."""
    inputs = [to_input(r) for r in load(path)]
    ext = RulesExtractor()
    ext.extract(ReportInput(report_id="warm-up", text=WARM_UP))  # lazy lexicons and compiled patterns
    t0, c0 = time.perf_counter(), time.process_time()
    if what == "extract":
        for inp in inputs:
            ext.extract(inp)
    else:
        for _line in Pipeline(ext).run(inputs):
            pass
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}


def _fresh_pass(path: Path, what: str) -> dict[str, float]:
    res = subprocess.run(
        [sys.executable, __file__, "--one-pass", what, str(path)], check=True, capture_output=True, text=True
    )
    out: dict[str, float] = json.loads(res.stdout)
    return out


def speed(rows: list[dict[str, Any]], path: Path) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    passes = [_fresh_pass(path, "extract") for _ in range(3)]
    runs, cpu = [p["wall"] for p in passes], [p["cpu"] for p in passes]
    pipe_runs = [_fresh_pass(path, "pipeline")["wall"] for _ in range(3)]
    t0 = time.perf_counter()
    code = (
        "import json,sys\n"
        "from pancyst.extract.rules import RulesExtractor\n"
        "from pancyst.pipeline import Pipeline\n"
        "from pancyst.schema import ReportInput\n"
        "rows=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]\n"
        "keys=('report_id','text','exam_date','patient_age','modality','jaundice')\n"
        "ins=[ReportInput.model_validate({k:r[k] for k in keys if r.get(k) is not None}) for r in rows]\n"
        "n=sum(1 for _ in Pipeline(RulesExtractor()).run(ins))\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    whole = time.perf_counter() - t0
    n = len(rows)
    return {
        "build": describe(),
        "reports": n,
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "extract_reports_per_s_median_of_3": round(n / statistics.median(runs), 1),
        "extract_reports_per_s_cpu_time_median_of_3": round(n / statistics.median(cpu), 1),
        "extract_runs_s": [round(r, 3) for r in runs],
        "pipeline_reports_per_s_median_of_3": round(n / statistics.median(pipe_runs), 1),
        "whole_process_s": round(whole, 2),
        "whole_process_reports_per_s": round(n / whole, 1),
    }


def big_reports() -> dict[str, str]:
    """Three 1 MB inputs: dense report text, random characters, and word salad of rule words."""
    unit = (
        "PANCREAS: A 1.2 cm cyst in the pancreatic tail without mural nodule, previously 1.0 cm on 01/02/2020. "
        "The main pancreatic duct measures 3 mm. Liver: simple cyst. "
    )
    rnd = random.Random(0)
    garbage = "".join(
        rnd.choice(string.ascii_letters + string.digits + " .,:;\n/-") for _ in range(1_000_000)
    )
    words = [
        "the",
        "pancreas",
        "cyst",
        "duct",
        "head",
        "tail",
        "nodule",
        "wall",
        "mm",
        "cm",
        "1.2",
        "no",
        "not",
        "with",
        "and",
        "of",
        "in",
        "is",
        "measures",
    ]
    salad = " ".join(rnd.choice(words) for _ in range(250_000))
    return {
        "dense": (unit * (1_000_000 // len(unit) + 1))[:1_000_000],
        "garbage": garbage,
        "word_salad": salad[:1_000_000],
    }


def big_report_seconds() -> dict[str, float]:
    out = {}
    ext = RulesExtractor()
    for name, text in big_reports().items():
        t0 = time.perf_counter()
        ext.extract(ReportInput(report_id="big", text=text))
        out[name] = round(time.perf_counter() - t0, 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synth", type=Path, nargs="+", help="synthetic gold JSONL file(s), scored one by one")
    ap.add_argument("--split", help="keep only rows whose 'split' is this (dev, test)")
    ap.add_argument(
        "--handwritten", type=Path, nargs="+", help="hand-written gold JSONL file(s), scored one by one"
    )
    ap.add_argument(
        "--real-dev",
        type=Path,
        help="a folder with reports.jsonl (inputs) and gold.jsonl (labels), e.g. ../shared/data/real_dev",
    )
    ap.add_argument("--speed", type=Path, help="JSONL of reports to time (e.g. 10,000 synthetic)")
    ap.add_argument("--errors", type=int, default=0, help="print up to N errors per feature to stderr")
    ap.add_argument("--only", help="print errors of this feature only")
    ap.add_argument("--big", action="store_true", help="time one 1 MB report")
    ap.add_argument("--one-pass", nargs=2, metavar=("extract|pipeline", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one_pass:
        print(json.dumps(one_pass(Path(args.one_pass[1]), args.one_pass[0])))
        return
    out: dict[str, Any] = {}
    if args.synth:
        for path in args.synth:
            rows = [r for r in load(path) if args.split is None or r.get("split") == args.split]
            out[f"synthetic:{path.name}" + (f":{args.split}" if args.split else "")] = score(
                rows, args.errors, args.only
            )
    for path in args.handwritten or ():
        out[f"handwritten:{path.name}"] = score(load(path), args.errors, args.only)
    if args.real_dev:
        out["real_dev"] = score(load_split_gold(args.real_dev), args.errors, args.only)
    if args.speed:
        out["speed"] = speed(load(args.speed), args.speed)
    if args.big:
        out["one_mb_report_s"] = big_report_seconds()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
