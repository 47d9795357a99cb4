"""The synthetic corpus: one JSON line per report, both an input row and its gold label (SPEC §2, §6).

Report ``i`` of seed ``s`` depends only on ``(s, mix, i)``: each report has its own
``random.Random`` seeded from that string, so corpora are reproducible byte for byte and a
longer corpus starts with the shorter one. A second stream seeded the same way draws the SPEC §2
reading-convention phrasings (hedges, solid-and-cystic lesions, two-segment lesions), so a report
that draws none of them reads exactly as it did before they were added.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pancyst.schema import LESION_FEATURES, Features, Lesion, Span
from pancyst.synth.frag import Frag
from pancyst.synth.plan import MIXES, ReportPlan, index_lesion, plan_report, report_category
from pancyst.synth.render import Writer, interval_from_dates

__all__ = ["MIXES", "generate", "generate_report", "split_for", "summarize", "write_corpus"]

_LESION_DEFAULTS: dict[str, Any] = {
    "size_mm": None,
    "location": "unspecified",
    "mural_nodule": "not_stated",
    "wall_thickening": "not_stated",
    "septations": "not_stated",
    "mpd_communication": "not_stated",
    "prior_size_mm": None,
    "interval_months": None,
    "presumed_type": "unspecified",
    "calcification": "not_stated",
}


def split_for(report_id: str) -> str:
    """70/15/15 train/dev/test, fixed by the id alone (sha256, never ``hash()``)."""
    bucket = int(hashlib.sha256(report_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if bucket < 70 else "dev" if bucket < 85 else "test"


def generate_report(seed: int, index: int, mix: str = "real") -> dict[str, Any]:
    """Report number ``index`` (0-based) of the corpus for ``seed`` and ``mix``."""
    if mix not in MIXES:
        raise ValueError(f"unknown mix {mix!r}; choose one of {sorted(MIXES)}")
    rng = random.Random(f"pancyst-synth:{seed}:{mix}:{index}")
    conv = random.Random(f"pancyst-synth-conventions:{seed}:{mix}:{index}")  # SPEC §2 reading conventions
    plan = plan_report(rng, mix, conv)
    writer = Writer(rng, plan)
    frag = writer.write()
    report_id = f"synth-{index + 1:06d}"
    return _line(report_id, plan, writer, frag)


def generate(n: int, seed: int, mix: str = "real") -> Iterator[dict[str, Any]]:
    for index in range(n):
        yield generate_report(seed, index, mix)


def write_corpus(path: Path, n: int, seed: int, mix: str = "real") -> Counter[str]:
    """Write ``n`` reports as JSONL; returns counts per split and per category for the summary line."""
    counts: Counter[str] = Counter()
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for line in generate(n, seed, mix):
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
            counts[f"split:{line['split']}"] += 1
            counts[f"category:{line['gold_category'] if line['gold_category'] is not None else 'none'}"] += 1
    return counts


def summarize(counts: Counter[str]) -> str:
    splits = " ".join(f"{k}={counts.get(f'split:{k}', 0)}" for k in ("train", "dev", "test"))
    cats = " ".join(f"{k}={counts.get(f'category:{k}', 0)}" for k in ("none", "1", "2", "3"))
    total = sum(v for k, v in counts.items() if k.startswith("split:"))
    return f"{total} reports | splits: {splits} | categories: {cats}"


# --- gold assembly --------------------------------------------------------------------------------------


def _spans_by_tag(frag: Frag) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for start, end, tag in sorted(frag.spans):
        bucket = out.setdefault(tag, [])
        if (start, end) not in bucket:
            bucket.append((start, end))
    return out


def _span(text: str, start: int, end: int, feature: str) -> Span:
    return Span(start=start, end=end, text=text[start:end], feature=feature)


def _lesion_values(plan: ReportPlan, writer: Writer, i: int) -> dict[str, Any]:
    les = plan.lesions[i]
    prior = les.prior
    interval: float | None = None
    if prior is not None:
        if prior.date is not None:
            interval = interval_from_dates(plan.exam_date, prior.date)
        elif prior.stated_months is not None:
            interval = float(prior.stated_months)
    return {
        "size_mm": les.size10 / 10 if les.size10 is not None else None,
        "location": les.location,
        "mural_nodule": les.mural_nodule,
        "nodule_size_mm": les.nodule10 / 10
        if les.nodule10 is not None and writer.nodule_written.get(i)
        else None,
        "wall_thickening": les.wall,
        "septations": les.septations,
        "mpd_communication": les.communication,
        "prior_size_mm": prior.size10 / 10 if prior is not None else None,
        "prior_exam_date": prior.date if prior is not None else None,
        "stated_interval_months": float(prior.stated_months)
        if prior is not None and prior.stated_months
        else None,
        "interval_months": interval,
        "presumed_type": les.presumed_type,
        "calcification": les.calcification,
        "count": writer.counts.get(i, les.count),
    }


def _line(report_id: str, plan: ReportPlan, writer: Writer, frag: Frag) -> dict[str, Any]:
    text = frag.text
    tags = _spans_by_tag(frag)
    lesions: list[dict[str, Any]] = []
    evidence: dict[str, list[Span]] = {}
    features = Features.no_pcl()
    category = report_category(plan)
    if plan.pcl:
        values = [_lesion_values(plan, writer, i) for i in range(len(plan.lesions))]
        for i, vals in enumerate(values):
            spans = [
                _span(text, s, e, f)
                for f in LESION_FEATURES
                if vals[f] != _LESION_DEFAULTS[f]
                for s, e in tags.get(f"L{i}:{f}", [])
            ]
            lesion = Lesion(**vals, evidence=spans)
            lesions.append(_dump_lesion(lesion))
        idx = index_lesion(plan)
        top = values[idx]
        multiple = len(plan.lesions) > 1 or any(v["count"] > 1 for v in values)
        duct = plan.duct
        features = Features(
            size_mm=top["size_mm"],
            location=top["location"],
            multiplicity="multiple" if multiple else "single",
            mpd_diameter_mm=duct.d10 / 10 if duct.d10 is not None else None,
            mpd_dilated=duct.dilated,
            mural_nodule=top["mural_nodule"],
            wall_thickening=top["wall_thickening"],
            septations=top["septations"],
            mpd_communication=top["mpd_communication"],
            prior_size_mm=top["prior_size_mm"],
            interval_months=top["interval_months"],
            presumed_type=top["presumed_type"],
            calcification=top["calcification"],
        )
        for f in LESION_FEATURES:
            if top[f] != _LESION_DEFAULTS[f]:
                evidence[f] = [_span(text, s, e, f) for s, e in tags.get(f"L{idx}:{f}", [])]
        if (
            "interval_months" in evidence
            and plan.lesions[idx].prior is not None
            and plan.lesions[idx].prior.date is not None  # type: ignore[union-attr]
            and not plan.exam_date_meta
        ):
            evidence["interval_months"] += [
                _span(text, s, e, "interval_months") for s, e in tags.get("R:exam_date", [])
            ]
        report_level = {
            "multiplicity": features.multiplicity != "single",
            "mpd_diameter_mm": features.mpd_diameter_mm is not None,
            "mpd_dilated": features.mpd_dilated != "not_stated",
            "pcl_present": True,
        }
        for f, wanted in report_level.items():
            if wanted:
                evidence[f] = [_span(text, s, e, f) for s, e in tags.get(f"R:{f}", [])]
        if multiple:
            phen = plan.phen
            phen.add("multi_lesion")
            largest = max(range(len(values)), key=lambda k: (values[k]["size_mm"] or -1, -k))
            if idx != 0 and idx != largest and (values[largest]["size_mm"] or -1) > (top["size_mm"] or -1):
                phen.add("index_not_first_or_largest")
    return {
        "report_id": report_id,
        "text": text,
        "exam_date": plan.exam_date.isoformat() if plan.exam_date_meta else None,
        "patient_age": plan.age,
        "modality": plan.modality,
        "jaundice": plan.jaundice,
        "split": split_for(report_id),
        "pcl_present": plan.pcl,
        "features": features.model_dump(mode="json"),
        "evidence": {k: [_dump_span(s) for s in v] for k, v in evidence.items()},
        "lesions": lesions,
        "gold_category": category,
        "template": plan.template,
        "phenomena": sorted(plan.phen),
    }


def _dump_span(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": span.text, "feature": span.feature}


def _dump_lesion(lesion: Lesion) -> dict[str, Any]:
    out = lesion.model_dump(mode="json", exclude={"evidence"})
    out["evidence"] = [_dump_span(s) for s in lesion.evidence]
    return out
