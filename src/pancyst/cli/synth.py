"""`pancyst` commands for the synth stage."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from pancyst.cli._app import app
from pancyst.synth import MIXES, summarize, write_corpus
from pancyst.synth.series import generate_patients

__all__ = ["app", "synth"]


SERIES_AS_OF = dt.date(2026, 1, 1)


@app.command()
def synth(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="JSONL file to write (input rows and gold labels); a folder with --patients.",
        ),
    ],
    n: Annotated[int, typer.Option("--n", min=1, help="Number of reports.")] = 1000,
    patients: Annotated[
        int | None,
        typer.Option(
            "--patients",
            min=1,
            help="Write N patients' series (1-6 reports each) and their gold tables instead.",
        ),
    ] = None,
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
    if patients is not None:
        _series(output, patients, seed)
        return
    if mix not in MIXES:
        raise typer.BadParameter(f"choose one of {', '.join(sorted(MIXES))}", param_hint="--mix")
    output.parent.mkdir(parents=True, exist_ok=True)
    counts = write_corpus(output, n=n, seed=seed, mix=mix)
    typer.echo(f"{output}: {summarize(counts)}")


def _series(output: Path, patients: int, seed: int) -> None:
    """reports.jsonl (gold lines with patient_id and gold_lesion_ids) and the gold tables, in `output`."""
    from pancyst.track.gold import write_gold

    output.mkdir(parents=True, exist_ok=True)
    lines = list(generate_patients(patients, seed))
    with (output / "reports.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    gold = write_gold(output, lines, as_of=SERIES_AS_OF)
    meta = {"patients": patients, "seed": seed, "reports": len(lines), "as_of": SERIES_AS_OF.isoformat()}
    (output / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    typer.echo(
        f"{output}: {patients} patients, {len(lines)} reports, {len(gold.lesions)} gold lesion rows; "
        f"track with --as-of {SERIES_AS_OF.isoformat()}"
    )
