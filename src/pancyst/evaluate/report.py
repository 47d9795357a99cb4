"""Human-readable views of an :class:`EvalResult`: a terminal table and a Markdown report.

The Markdown report quotes predicted evidence (report text), so it is written to a file the
user asked for, never logged.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table

from pancyst.evaluate.metrics import CONFUSION_LABELS, EvalResult, Score
from pancyst.schema import FEATURE_KEYS, OPTIONAL_FEATURE_KEYS


def fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def fmt_ci(score: Score) -> str:
    if score.ci_low is None or score.ci_high is None:
        return "–"
    return f"{score.ci_low:.3f}–{score.ci_high:.3f}"


def summary_rows(result: EvalResult) -> list[tuple[str, Score]]:
    """The rows both views share, in reading order: headline first."""
    rows: list[tuple[str, Score]] = [
        ("mean feature accuracy", result.mean_feature_accuracy),
        ("all features correct", result.all_features_correct),
        ("pcl_present accuracy", result.pcl_present.accuracy),
        ("pcl_present precision", result.pcl_present.precision),
        ("pcl_present recall", result.pcl_present.recall),
    ]
    rows += [(key, result.features[key]) for key in FEATURE_KEYS]
    rows += [(f"{key} (optional)", result.optional_features[key]) for key in OPTIONAL_FEATURE_KEYS]
    rows.append(("risk category macro-F1", result.category.macro_f1))
    return rows


def render_table(result: EvalResult) -> Table:
    table = Table(
        title=f"pancyst evaluate: {result.n_reports} reports, {result.n_gold_pcl} with a PCL (gold)",
        caption=f"95 % CI: bootstrap over reports, {result.bootstrap.n_boot} resamples, seed {result.bootstrap.seed}",
    )
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("95 % CI", justify="right")
    table.add_column("n", justify="right")
    for name, score in summary_rows(result):
        table.add_row(name, fmt(score.value), fmt_ci(score), str(score.n))
    return table


def _cell(value: Any) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    text = "null" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def render_markdown(result: EvalResult, max_errors: int = 25) -> str:
    out: list[str] = ["# pancyst evaluation", ""]
    out.append(
        f"{result.n_reports} reports, {result.n_gold_pcl} with a PCL in gold; guideline profile `{result.profile}`. "
        f"95 % CIs: percentile bootstrap over reports ({result.bootstrap.n_boot} resamples, "
        f"seed {result.bootstrap.seed}, {result.bootstrap.backend})."
    )
    out.append("")
    if result.missing_pred_ids or result.errored_pred_ids or result.extra_pred_ids:
        out.append(
            f"Missing predictions: {len(result.missing_pred_ids)}; prediction lines with errors: "
            f"{len(result.errored_pred_ids)} (both scored as wrong); predictions not in gold (ignored): "
            f"{len(result.extra_pred_ids)}."
        )
        if result.missing_pred_ids:
            out.append("")
            out.append("Missing ids: " + ", ".join(_cell(i) for i in result.missing_pred_ids[:max_errors]))
            if len(result.missing_pred_ids) > max_errors:
                out[-1] += f" … and {len(result.missing_pred_ids) - max_errors} more"
        out.append("")

    out += ["## Summary", "", "| metric | value | 95 % CI | n |", "|---|---:|---:|---:|"]
    out += [f"| {name} | {fmt(s.value)} | {fmt_ci(s)} | {s.n} |" for name, s in summary_rows(result)]
    out.append("")
    pcl = result.pcl_present
    out.append(f"pcl_present counts: TP {pcl.tp}, FP {pcl.fp}, FN {pcl.fn}, TN {pcl.tn}.")
    out.append("")

    cat = result.category
    out += [
        "## Risk category",
        "",
        f"Macro-F1 {fmt(cat.macro_f1.value)} ({fmt_ci(cat.macro_f1)}) over {cat.n} reports where gold or "
        "prediction has a category.",
        "",
        "| class | precision | recall | F1 | support | predicted |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, cs in cat.per_class.items():
        out.append(
            f"| {label} | {fmt(cs.precision)} | {fmt(cs.recall)} | {fmt(cs.f1)} | {cs.support} | {cs.predicted} |"
        )
    out += ["", "Confusion matrix (rows gold, columns predicted):", ""]
    out.append("| gold \\ pred | " + " | ".join(CONFUSION_LABELS) + " |")
    out.append("|---|" + "---:|" * len(CONFUSION_LABELS))
    for label, row in zip(CONFUSION_LABELS, cat.confusion, strict=True):
        out.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    out.append("")

    out += ["## Errors", ""]
    any_errors = False
    for key, items in result.errors.items():
        if not items:
            continue
        any_errors = True
        shown = items[:max_errors]
        out += [f"### {key} ({len(items)} errors)", "", "| report_id | gold | predicted | evidence | note |"]
        out.append("|---|---|---|---|---|")
        for item in shown:
            evidence = " … ".join(item.evidence)
            out.append(
                f"| {_cell(item.report_id)} | {_cell(item.gold)} | {_cell(item.pred)} | {_cell(evidence)} | "
                f"{_cell(item.note)} |"
            )
        if len(items) > len(shown):
            out.append("")
            out.append(f"… and {len(items) - len(shown)} more (all are in metrics.json).")
        out.append("")
    if not any_errors:
        out += ["No errors.", ""]
    if result.warnings:
        out += ["## Warnings", ""] + [f"- {w}" for w in result.warnings] + [""]
    return "\n".join(out)
