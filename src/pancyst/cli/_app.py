"""The Typer application every command module adds itself to."""

from __future__ import annotations

import logging

import typer

from pancyst import __version__
from pancyst.build import describe

app = typer.Typer(
    name="pancyst",
    help="Pancreatic cystic lesion features, evidence and ACR 2017 risk categories from radiology reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals may hold report text (PHI)
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pancyst {__version__} ({describe()})")
        raise typer.Exit()


@app.callback()
def main(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging (never logs report text)."),
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="Version and build (pure Python or compiled).",
    ),
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
