"""The Typer application every command module adds itself to."""

from __future__ import annotations

import logging

import typer

app = typer.Typer(
    name="pancyst",
    help="Pancreatic cystic lesion features, evidence and ACR 2017 risk categories from radiology reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals may hold report text (PHI)
)


@app.callback()
def main(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging (never logs report text)."),
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
