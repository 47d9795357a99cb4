"""How the rules backend holds up when a labelled set is rewritten the way exports and institutions rewrite reports.

    .venv/bin/python bench/perturb.py /tmp/b/real_11.jsonl --n 2000
    .venv/bin/python bench/perturb.py data/dev/handwritten.jsonl data/dev/handwritten2.jsonl

Each perturbation keeps every label true: text exported at a fixed width of 60 columns (``wrap``), a report
whose line breaks were lost (``flat``), the impression written before the findings (``impression_first``),
capitals (``caps``), units spelled out (``units``), blank lines removed (``blank``) and Windows line ends
(``crlf``). The table gives mean feature exact match, all-features-correct and ``pcl_present`` accuracy
per perturbation (scored as ``bench_rules.py`` scores), next to the unchanged text (``none``). The set
must carry its gold labels inline (``pancyst synth`` output, ``data/dev`` sets).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_rules import load, score

WIDTH = 60
_IMPRESSION_RE = re.compile(
    r"\n[ \t]*(?:IMPRESSION|CONCLUSIONS?|Impression|Conclusions?|SUMMARY|Summary)\b[^\n]*"
)
_FINDINGS_RE = re.compile(r"\n[ \t]*(?:FINDINGS|Findings|REPORT|Report|Results|RESULTS)\b")
_ADDENDUM_RE = re.compile(r"\n[ \t]*(?:ADDENDUM|Addendum)")


def wrap(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        while len(line) > WIDTH:
            cut = line.rfind(" ", 0, WIDTH)
            if cut <= 0:
                break
            out.append(line[:cut])
            line = line[cut + 1 :]
        out.append(line)
    return "\n".join(out)


def flat(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text)


def impression_first(text: str) -> str | None:
    """The impression (up to an addendum) moved before the findings; None when the report has not both."""
    imp = _IMPRESSION_RE.search(text)
    if imp is None:
        return None
    body, rest = text[: imp.start()], text[imp.start() :]
    addendum = _ADDENDUM_RE.search(rest)
    tail = rest[addendum.start() :] if addendum else ""
    rest = rest[: addendum.start()] if addendum else rest
    findings = _FINDINGS_RE.search(body)
    if findings is None:
        return None
    return body[: findings.start()] + rest + body[findings.start() :] + tail


def units(text: str) -> str:
    text = re.sub(r"(\d)\s*mm\b", r"\1 millimeters", text)
    return re.sub(r"(\d)\s*cm\b", r"\1 centimeters", text)


PERTURBATIONS: dict[str, Callable[[str], str | None]] = {
    "none": lambda t: t,
    "wrap": wrap,
    "flat": flat,
    "impression_first": impression_first,
    "caps": str.upper,
    "units": units,
    "blank": lambda t: re.sub(r"\n\s*\n", "\n", t),
    "crlf": lambda t: t.replace("\n", "\r\n"),
}


def perturbed(rows: list[dict[str, Any]], fn: Callable[[str], str | None]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        text = fn(row["text"])
        if text is not None:
            out.append({**row, "text": text})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sets", nargs="+", type=Path, help="JSONL with inline gold labels")
    ap.add_argument("--n", type=int, default=0, help="score the first N reports of each set (0: all)")
    args = ap.parse_args()
    rows = [r for path in args.sets for r in (load(path)[: args.n] if args.n else load(path))]
    print(f"{'perturbation':<18}{'reports':>8}{'mean feature':>14}{'all correct':>13}{'pcl_present':>13}")
    for name, fn in PERTURBATIONS.items():
        changed = perturbed(rows, fn)
        if not changed:
            continue
        res = score(changed)
        print(
            f"{name:<18}{len(changed):>8}{res['mean_feature_accuracy']:>14.4f}"
            f"{res['all_features_correct']:>13.3f}{res['pcl_accuracy']:>13.3f}"
        )


if __name__ == "__main__":
    main()
