"""`pancyst evaluate` and `pancyst agreement`: scoring (SPEC §5)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pancyst.cli._app import app
from pancyst.evaluate.agreement import (
    AGREEMENT_LABELS,
    AgreementResult,
    Interval,
    PairResult,
    agreement,
    read_readings,
)
from pancyst.evaluate.metrics import evaluate, read_jsonl
from pancyst.evaluate.report import render_markdown, render_table

__all__ = ["app"]

_err = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    _err.print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(1)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:  # messages may hold brackets (ids, pydantic text): never read as markup
        _err.print(
            f"[yellow]warning:[/yellow] {escape(warning)}", markup=True, highlight=False, soft_wrap=True
        )


@app.command("evaluate")
def evaluate_cmd(
    pred: Annotated[
        Path,
        typer.Option(
            "--pred",
            help="Predictions: JSONL from `pancyst extract` (a `pancyst track` folder with --track).",
            exists=True,
        ),
    ],
    gold: Annotated[
        Path | None,
        typer.Option("--gold", help="Gold labels, JSONL (GoldLine per line).", exists=True, dir_okay=False),
    ] = None,
    track: Annotated[
        Path | None,
        typer.Option(
            "--track",
            help="Score a `pancyst track` folder against this gold folder (`synth --patients`).",
            exists=True,
            file_okay=False,
        ),
    ] = None,
    outdir: Annotated[
        Path | None, typer.Option("--outdir", "-o", help="Write metrics.json and report.md here.")
    ] = None,
    n_boot: Annotated[
        int, typer.Option("--n-boot", min=0, help="Bootstrap resamples for the 95 % CIs (0: none).")
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed.")] = 0,
    profile: Annotated[
        str, typer.Option("--profile", help="Guideline profile for gold lines without gold_category.")
    ] = "acr2017",
    max_errors: Annotated[
        int, typer.Option("--max-errors", min=0, help="Errors listed per feature in report.md.")
    ] = 25,
) -> None:
    """Score predictions against gold labels: feature accuracy, PCL detection, risk-category macro-F1."""
    if track is not None:
        _evaluate_track(track, pred, outdir)
        return
    if gold is None or pred.is_dir():
        raise _fail(
            "give --gold GOLD.jsonl and a --pred JSONL file (or --track GOLD_DIR with a --pred folder)"
        )
    try:
        result = evaluate(
            read_jsonl(str(gold), keep_blank=True),
            read_jsonl(str(pred), keep_blank=True),
            n_boot=n_boot,
            seed=seed,
            profile=profile,
        )
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    _warn(result.warnings)
    Console().print(render_table(result))
    if outdir is not None:
        outdir.mkdir(parents=True, exist_ok=True)
        (outdir / "metrics.json").write_text(result.to_json() + "\n", encoding="utf-8")
        (outdir / "report.md").write_text(render_markdown(result, max_errors=max_errors), encoding="utf-8")
        _err.print(f"wrote {outdir / 'metrics.json'} and {outdir / 'report.md'}", highlight=False)


def _evaluate_track(gold_dir: Path, pred_dir: Path, outdir: Path | None) -> None:
    from pancyst.evaluate.track import evaluate_track, render_track

    if not pred_dir.is_dir():
        raise _fail("--track needs --pred to be the folder `pancyst track -o` wrote")
    try:
        scores = evaluate_track(gold_dir, pred_dir)
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    _warn(scores.warnings)
    text = render_track(scores)
    Console().print(text, markup=False, highlight=False)
    if outdir is not None:
        outdir.mkdir(parents=True, exist_ok=True)
        (outdir / "track_metrics.json").write_text(scores.model_dump_json(indent=2) + "\n", encoding="utf-8")
        (outdir / "track_report.md").write_text(text + "\n", encoding="utf-8")
        _err.print(f"wrote {outdir / 'track_metrics.json'} and {outdir / 'track_report.md'}", highlight=False)


def _agreement_table(result: AgreementResult) -> Table:
    names = result.all_readers()
    table = Table(title="Cohen's kappa (pairwise)")
    table.add_column("")
    for name in names:
        table.add_column(name, justify="right")
    for name, row in zip(names, result.kappa_matrix(), strict=True):
        table.add_row(name, *("–" if v is None else f"{v:.3f}" for v in row))
    return table


def _ci(ci: Interval | None) -> str:
    return "–" if ci is None else f"{ci.low:.3f} – {ci.high:.3f}"


def _pairs_table(result: AgreementResult) -> Table:
    table = Table(title="Cohen's kappa, 95 % bootstrap interval")
    for name in ("reader a", "reader b", "kappa", "95 % CI", "agreement", "reports"):
        table.add_column(name, justify="left" if name.startswith("reader") else "right")
    for p in result.pairwise:
        table.add_row(
            p.reader_a,
            p.reader_b,
            "–" if p.kappa is None else f"{p.kappa:.3f}",
            _ci(p.ci),
            "–" if p.observed_agreement is None else f"{p.observed_agreement:.3f}",
            str(p.n_reports),
        )
    return table


def _confusion_table(pair: PairResult) -> Table:
    table = Table(title=f"{pair.reader_a} (rows) × {pair.reader_b} (columns)")
    table.add_column("")
    for label in AGREEMENT_LABELS:
        table.add_column(label, justify="right")
    for label, row in zip(AGREEMENT_LABELS, pair.confusion, strict=True):
        table.add_row(label, *(str(c) for c in row))
    return table


def _fleiss_table(result: AgreementResult) -> Table:
    table = Table(title="Fleiss' kappa, 95 % bootstrap interval")
    table.add_column("readers")
    table.add_column("kappa", justify="right")
    table.add_column("95 % CI", justify="right")
    table.add_column("reports", justify="right")
    table.add_column("dropped", justify="right")
    for label, fr in (("readers", result.fleiss_readers), ("readers + model", result.fleiss_with_model)):
        if fr is None:
            continue
        kappa = "–" if fr.kappa is None else f"{fr.kappa:.3f}"
        table.add_row(
            f"{label} ({len(fr.readers)})",
            kappa,
            _ci(fr.ci),
            str(fr.n_reports),
            str(len(fr.dropped_report_ids)),
        )
    return table


@app.command("agreement")
def agreement_cmd(
    readings: Annotated[
        Path,
        typer.Argument(help="Long-format CSV: report_id, reader, category.", exists=True, dir_okay=False),
    ],
    model: Annotated[
        str | None,
        typer.Option("--model", help="The reader that is the model (default: a reader named 'model')."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the result as JSON here.")
    ] = None,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Bootstrap resamples of the reports for the 95 % intervals (0: none).")
    ] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
    confusion: Annotated[
        bool, typer.Option("--confusion/--no-confusion", help="Print a confusion matrix for every pair.")
    ] = True,
) -> None:
    """Fleiss' kappa over readers (and readers + model), pairwise Cohen's kappa, intervals, confusion."""
    try:
        result = agreement(read_readings(str(readings)), model=model, bootstrap=bootstrap, seed=seed)
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    _warn(result.warnings)
    console = Console()
    console.print(_fleiss_table(result))
    console.print(_agreement_table(result))
    console.print(_pairs_table(result))
    for pair in result.pairwise if confusion else []:
        console.print(_confusion_table(pair))
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(result.to_json() + "\n", encoding="utf-8")
        _err.print(f"wrote {output}", highlight=False)
