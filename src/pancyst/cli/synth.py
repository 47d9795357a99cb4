"""`pancyst` commands for the synth stage."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pancyst.cli._app import app
from pancyst.synth import MIXES, summarize, write_corpus

__all__ = ["app", "synth"]


@app.command()
def synth(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="JSONL file to write (input rows and gold labels).")
    ],
    n: Annotated[int, typer.Option("--n", min=1, help="Number of reports.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same bytes.")] = 0,
    mix: Annotated[
        str,
        typer.Option(
            "--mix",
            help="real: ~93/6/1 % categories 1/2/3, ~35 % without PCL; balanced: equal thirds, ~25 % without.",
        ),
    ] = "real",
) -> None:
    """Write synthetic CT/MRI/MRCP reports with gold features, evidence and ACR 2017 categories."""
    if mix not in MIXES:
        raise typer.BadParameter(f"choose one of {', '.join(sorted(MIXES))}", param_hint="--mix")
    output.parent.mkdir(parents=True, exist_ok=True)
    counts = write_corpus(output, n=n, seed=seed, mix=mix)
    typer.echo(f"{output}: {summarize(counts)}")
