"""Scoring `pancyst track` against gold tracking tables (`pancyst evaluate --track`).

* **Lesion linking**: precision and recall over pairs of observations of the same lesion. Each
  predicted observation is first aligned to a gold observation of the same report (location, then
  size); a pair counts when both its observations align and gold also calls them one lesion.
* **Growth**: ACR growth (grew / not_grown / no_prior) per aligned observation, as agreement and
  Cohen's kappa (the measure the NYU tracking study reports), over observations where either side
  has a prior.
* **Adherence**: the class of each exam's follow-up, accuracy and a confusion matrix.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, Field

from pancyst.evaluate.agreement import cohen_kappa
from pancyst.schema import Growth
from pancyst.track.adherence import ADHERENCE
from pancyst.track.link import load_rules
from pancyst.track.tables import read_table

GROWTH_LABELS: tuple[str, ...] = get_args(Growth)
ADHERENCE_LABELS: tuple[str, ...] = (*ADHERENCE, "missing")
Key = tuple[str, int]  # (report_id, n-th observation of that report in the gold table)


class LinkScores(BaseModel):
    precision: float | None
    recall: float | None
    f1: float | None
    gold_pairs: int
    pred_pairs: int
    true_pairs: int
    aligned_observations: int
    gold_observations: int
    pred_observations: int


class GrowthScores(BaseModel):
    agreement: float | None
    kappa: float | None
    n: int
    confusion: list[list[int]] = Field(description="Rows gold, columns predicted, in GROWTH_LABELS order.")


class AdherenceScores(BaseModel):
    accuracy: float | None
    n: int
    labels: list[str] = Field(default_factory=lambda: list(ADHERENCE_LABELS))
    confusion: list[list[int]] = Field(description="Rows gold, columns predicted, in `labels` order.")


class TrackScores(BaseModel):
    linking: LinkScores
    growth: GrowthScores
    adherence: AdherenceScores
    n_patients: int
    n_exams: int
    warnings: list[str] = Field(default_factory=list)


def _load(folder: Path, name: str) -> list[dict[str, Any]]:
    for suffix in (".parquet", ".csv"):
        path = folder / f"{name}{suffix}"
        if path.is_file():
            return read_table(path)
    raise FileNotFoundError(f"{folder} has no {name}.parquet or {name}.csv (is it a `pancyst track` folder?)")


def _observations(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    by_report: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["status"] in ("new", "seen_before"):
            by_report[row["report_id"]].append(row)
    return by_report


def _unlike(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    la, lb = a["location"] or "unspecified", b["location"] or "unspecified"
    loc = (
        0.0
        if la == lb
        else 0.3
        if "unspecified" in (la, lb)
        else 0.6
        if frozenset((la, lb)) in load_rules().adjacent
        else None
    )
    if loc is None:
        return None
    sa, sb = a["size_mm"], b["size_mm"]
    if sa is None or sb is None:
        return loc + 0.3
    rel = abs(sa - sb) / max(sa, sb, 1e-9)
    return None if rel > 0.35 else loc + rel


def align(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[int, int]:
    """Predicted observation index -> gold observation index, within one report, cheapest first."""
    pairs = sorted(
        (c, pi, gi)
        for pi, p in enumerate(pred)
        for gi, g in enumerate(gold)
        if (c := _unlike(g, p)) is not None
    )
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, pi, gi in pairs:
        if pi not in out and gi not in used:
            out[pi] = gi
            used.add(gi)
    return out


def _pairs(groups: dict[str, list[Key]]) -> set[frozenset[Key]]:
    return {frozenset(p) for keys in groups.values() for p in combinations(sorted(set(keys)), 2)}


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def score_linking(
    gold_rows: list[dict[str, Any]], pred_rows: list[dict[str, Any]]
) -> tuple[LinkScores, list[tuple[dict[str, Any], dict[str, Any] | None]]]:
    gold_obs, pred_obs = _observations(gold_rows), _observations(pred_rows)
    gold_groups: dict[str, list[Key]] = defaultdict(list)
    pred_groups: dict[str, list[Key]] = defaultdict(list)
    matched: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    aligned = 0
    for report_id in sorted(set(gold_obs) | set(pred_obs)):
        g, p = gold_obs.get(report_id, []), pred_obs.get(report_id, [])
        for gi, row in enumerate(g):
            gold_groups[row["lesion_id"]].append((report_id, gi))
        mapping = align(g, p)
        aligned += len(mapping)
        for pi, row in enumerate(p):
            key = (report_id, mapping[pi]) if pi in mapping else (report_id, -1 - pi)
            pred_groups[row["lesion_id"]].append(key)
        back = {gi: pi for pi, gi in mapping.items()}
        matched += [(row, p[back[gi]] if gi in back else None) for gi, row in enumerate(g)]
    gold_pairs, pred_pairs = _pairs(gold_groups), _pairs(pred_groups)
    true = len(gold_pairs & pred_pairs)
    precision, recall = _ratio(true, len(pred_pairs)), _ratio(true, len(gold_pairs))
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
    scores = LinkScores(
        precision=precision,
        recall=recall,
        f1=f1,
        gold_pairs=len(gold_pairs),
        pred_pairs=len(pred_pairs),
        true_pairs=true,
        aligned_observations=aligned,
        gold_observations=sum(map(len, gold_obs.values())),
        pred_observations=sum(map(len, pred_obs.values())),
    )
    return scores, matched


def score_growth(matched: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> GrowthScores:
    gold, pred = [], []
    for g, p in matched:
        a = g["acr_growth"] or "no_prior"
        b = (p["acr_growth"] if p else None) or "no_prior"
        if a == b == "no_prior":
            continue
        gold.append(a)
        pred.append(b)
    index = {label: i for i, label in enumerate(GROWTH_LABELS)}
    confusion = [[0] * len(GROWTH_LABELS) for _ in GROWTH_LABELS]
    for a, b in zip(gold, pred, strict=True):
        confusion[index[a]][index[b]] += 1
    agree = sum(a == b for a, b in zip(gold, pred, strict=True))
    return GrowthScores(
        agreement=_ratio(agree, len(gold)), kappa=cohen_kappa(gold, pred), n=len(gold), confusion=confusion
    )


def score_adherence(gold_rows: list[dict[str, Any]], pred_rows: list[dict[str, Any]]) -> AdherenceScores:
    pred = {r["report_id"]: r["adherence"] or "missing" for r in pred_rows}
    index = {label: i for i, label in enumerate(ADHERENCE_LABELS)}
    confusion = [[0] * len(ADHERENCE_LABELS) for _ in ADHERENCE_LABELS]
    n = correct = 0
    for row in gold_rows:
        a, b = row["adherence"] or "missing", pred.get(row["report_id"], "missing")
        confusion[index[a]][index[b]] += 1
        n += 1
        correct += a == b
    return AdherenceScores(accuracy=_ratio(correct, n), n=n, confusion=confusion)


def evaluate_track(gold_dir: Path, pred_dir: Path) -> TrackScores:
    gold_exams, pred_exams = _load(gold_dir, "exams"), _load(pred_dir, "exams")
    linking, matched = score_linking(_load(gold_dir, "lesions"), _load(pred_dir, "lesions"))
    warnings = []
    missing = {r["report_id"] for r in gold_exams} - {r["report_id"] for r in pred_exams}
    if missing:
        warnings.append(f"{len(missing)} gold exam(s) are not in the prediction")
    return TrackScores(
        linking=linking,
        growth=score_growth(matched),
        adherence=score_adherence(gold_exams, pred_exams),
        n_patients=len({r["patient_id"] for r in gold_exams}),
        n_exams=len(gold_exams),
        warnings=warnings,
    )


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _matrix(labels: tuple[str, ...] | list[str], confusion: list[list[int]]) -> list[str]:
    used = [i for i, label in enumerate(labels) if any(confusion[i]) or any(row[i] for row in confusion)]
    head = "| gold \\ pred | " + " | ".join(labels[i] for i in used) + " |"
    rule = "|---|" + "---:|" * len(used)
    rows = [f"| {labels[i]} | " + " | ".join(str(confusion[i][j]) for j in used) + " |" for i in used]
    return [head, rule, *rows]


def render_track(scores: TrackScores) -> str:
    """The scores as Markdown (printed by the CLI and written as track_report.md)."""
    link, growth, adh = scores.linking, scores.growth, scores.adherence
    lines = [
        f"# Tracking: {scores.n_patients} patients, {scores.n_exams} exams",
        "",
        "| measure | value | n |",
        "|---|---:|---:|",
        f"| lesion-link precision | {_pct(link.precision)} | {link.pred_pairs} pairs |",
        f"| lesion-link recall | {_pct(link.recall)} | {link.gold_pairs} pairs |",
        f"| lesion-link F1 | {_pct(link.f1)} | |",
        f"| observations aligned | {link.aligned_observations} / {link.gold_observations} gold, {link.pred_observations} predicted | |",
        f"| growth agreement | {_pct(growth.agreement)} | {growth.n} |",
        f"| growth Cohen's kappa | {_pct(growth.kappa)} | {growth.n} |",
        f"| adherence accuracy | {_pct(adh.accuracy)} | {adh.n} |",
        "",
        "Growth (ACR), rows gold:",
        "",
        *_matrix(GROWTH_LABELS, growth.confusion),
        "",
        "Adherence, rows gold:",
        "",
        *_matrix(adh.labels, adh.confusion),
    ]
    return "\n".join(lines)
