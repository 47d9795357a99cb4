"""`pancyst schema`: print the JSON Schema of the output line or of the LLM answer."""

from __future__ import annotations

import json

import typer
from pydantic import BaseModel

from pancyst.cli._app import app
from pancyst.schema import GoldLine, ResultLine, strict_json_schema


@app.command("schema")
def schema_command(
    which: str = typer.Argument("result", help="result (SPEC §6 output line), gold, or extraction"),
    strict: bool = typer.Option(
        False, "--strict", help="OpenAI-strict / xgrammar-safe form (usable as response_format)."
    ),
) -> None:
    """Print a JSON Schema. The same pydantic models validate every line the tools read and write."""
    kinds: dict[str, type[BaseModel]] = {"result": ResultLine, "gold": GoldLine}
    if which == "extraction":
        from pancyst.schema import Extraction

        kinds["extraction"] = Extraction
    if which not in kinds:
        raise typer.BadParameter(f"choose one of {', '.join(sorted([*kinds, 'extraction']))}")
    model = kinds[which]
    schema = strict_json_schema(model) if strict else model.model_json_schema()
    typer.echo(json.dumps(schema, indent=2))
