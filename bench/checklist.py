"""Behavioural (CheckList) pass rates of the rules backend, per capability and per feature.

    .venv/bin/python bench/checklist.py                       # tables
    .venv/bin/python bench/checklist.py --show 3              # + 3 failing examples per capability
    .venv/bin/python bench/checklist.py -o /tmp/checklist.json --by form subject section distractor
    .venv/bin/python bench/checklist.py --floors              # a FLOORS dict for the CI test

The cases come from ``tests/extract/behaviour/cases.py`` (deterministic grid, expected labels from
SPEC.md §2 and §4). ``mft`` cases check expected labels, ``inv`` cases check that a perturbation
changes none of the 11 features, pcl_present or the risk category, ``dir`` cases check that adding a
worrisome feature never lowers the category and reaches the SPEC category. The CI floors live in
``tests/extract/behaviour/test_behaviour.py``; ``--floors`` prints the current rates rounded down.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "extract"))

from behaviour.cases import (  # noqa: E402
    Result,
    by_capability,
    describe,
    evaluate,
    feature_rates,
    generate,
    rates,
)

AXES = ("form", "subject", "section", "distractor", "noun", "perturbation", "feature")


def floor2(rate: float) -> float:
    return math.floor(rate * 100 + 1e-9) / 100


def _tag(axis: str) -> Callable[[Result], list[str]]:
    return lambda r: [r.case.tags[axis]] if axis in r.case.tags else []


def table(title: str, rows: dict[str, dict[str, Any]], width: int = 46) -> str:
    out = [f"\n{title}", f"{'':{width}s} {'pass':>5s} {'n':>5s}  rate"]
    for key, row in rows.items():
        flag = "" if row["rate"] == 1 else "  <" if row["rate"] < 0.9 else ""
        out.append(f"{key[:width]:{width}s} {row['passed']:5d} {row['n']:5d}  {row['rate']:.3f}{flag}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output", type=Path, help="write the results as JSON to this path")
    ap.add_argument("--show", type=int, default=0, metavar="N", help="list N failing examples per capability")
    ap.add_argument("--by", nargs="*", default=[], choices=AXES, help="also tabulate by these case tags")
    ap.add_argument("--floors", action="store_true", help="print a FLOORS dict (rates rounded down)")
    ap.add_argument("--capability", help="only capabilities whose name contains this text")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    cases = generate()
    if args.capability:
        cases = [c for c in cases if args.capability in c.capability]
    results: list[Result] = evaluate(cases)
    elapsed = time.perf_counter() - t0

    caps = by_capability(results)
    feats = feature_rates(results)
    kinds = Counter(c.kind for c in cases)
    total = sum(r.passed for r in results)
    print(
        f"{len(cases)} cases ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))}), "
        f"{total}/{len(cases)} pass ({total / max(len(cases), 1):.3f}), {elapsed:.1f} s"
    )
    print(table("Pass rate per capability", caps))
    print(table("Per feature (mft: asserted keys; inv: key unchanged by the perturbation)", feats))
    axes: dict[str, dict[str, dict[str, Any]]] = {}
    for axis in AXES:
        axes[axis] = rates(results, _tag(axis))
    for axis in args.by:
        print(table(f"By {axis}", axes[axis], width=60))

    failures: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        if not r.passed:
            failures.setdefault(r.case.capability, []).append(describe(r))
    if args.show:
        print(f"\nFailing examples (up to {args.show} per capability)")
        for cap in sorted(failures):
            print(f"\n== {cap}: {len(failures[cap])} failing")
            for item in failures[cap][: args.show]:
                print(f"  - {item['id']}")
                print(f"    text: {item['snippet']}")
                if "changed" in item:
                    print(f"    perturbed: {item['changed']}")
                    print(f"    mismatches: {item['mismatches']}")
                else:
                    print(f"    expected: {item['expected']}  got: {item['got']}")
                if item.get("errors"):
                    print(f"    errors: {item['errors']}")
    if args.floors:
        print("\nFLOORS: dict[str, float] = {")
        for cap, row in caps.items():
            print(f"    {cap!r}: {floor2(row['rate']):.2f},")
        print("}")
    if args.output:
        payload = {
            "n_cases": len(cases),
            "by_kind": dict(kinds),
            "passed": total,
            "seconds": round(elapsed, 2),
            "capabilities": caps,
            "features": feats,
            "axes": axes,
            "failures": failures,
        }
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(payload, indent=1, default=str) + "\n")
        print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
