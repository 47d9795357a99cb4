"""`pancyst` commands for the train stage: `label`, `train`, `cost`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from pancyst.cli._app import app
from pancyst.resources import load_yaml

__all__ = ["app", "cost", "label", "train"]

_err = Console(stderr=True)


def _options(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--option")
        try:
            out[key] = json.loads(raw)
        except json.JSONDecodeError:
            out[key] = raw
    return out


@app.command()
def label(
    input: Annotated[
        Path,
        typer.Argument(
            help="Reports: a synthetic corpus JSONL (with gold) or a CSV/JSONL of report_id,text."
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="SFT JSONL to write (+ OUTPUT.audit.json).")],
    teacher: Annotated[str, typer.Option("--teacher", "-t", help="gold | rules | llm | hybrid")] = "gold",
    model: Annotated[
        str | None, typer.Option(help="Teacher model (llm): a server model name or packaged model.")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible server for the llm teacher.")
    ] = None,
    option: Annotated[
        list[str] | None, typer.Option("--option", help="KEY=VALUE passed to the teacher backend.")
    ] = None,
    split: Annotated[
        str | None, typer.Option(help="Only rows of this split (synthetic corpus), e.g. train.")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many reports.")] = None,
    cot: Annotated[
        bool, typer.Option("--cot/--no-cot", help="Observation + reasoning before the JSON.")
    ] = True,
    prompt: Annotated[
        str,
        typer.Option(
            help="Student prompt style: full (every rule spelt out) or short (one line; for models fine-tuned "
            "on these rows, e.g. pancyst-gemma-270m). Serve with the same style."
        ),
    ] = "full",
    compare_rules: Annotated[
        bool,
        typer.Option(
            "--compare-rules/--no-compare-rules", help="Count teacher-rules disagreements per feature."
        ),
    ] = True,
    drop_rejected: Annotated[
        bool, typer.Option(help="Leave rows that failed the audit out of the file.")
    ] = False,
    profile: Annotated[
        str, typer.Option(help="Guideline profile for the index lesion in the reasoning.")
    ] = "acr2017",
) -> None:
    """A teacher labels reports into an audited SFT dataset of Observation / Reasoning / JSON completions."""
    from pancyst.label import make_teacher, read_items, run_label
    from pancyst.llm.prompt import PROMPT_STYLES

    if prompt not in PROMPT_STYLES:
        _err.print(f"[red]--prompt must be one of {', '.join(PROMPT_STYLES)}[/red]")
        raise typer.Exit(2)
    items = read_items(input, split=split, limit=limit)
    if not items:
        _err.print(f"[red]no reports in {input}{f' for split {split!r}' if split else ''}[/red]")
        raise typer.Exit(2)
    opts = _options(option or [])
    if model is not None:
        opts["model"] = model
    if base_url is not None:
        opts["base_url"] = base_url
    if teacher in ("llm", "hybrid"):
        opts.setdefault("cot", cot)
    try:
        t = make_teacher(teacher, **opts)
    except (ValueError, ImportError, RuntimeError) as exc:
        _err.print(f"[red]cannot start teacher {teacher!r}: {exc}[/red]")
        raise typer.Exit(2) from exc
    rules = None
    if compare_rules and teacher != "rules":
        try:
            from pancyst.extract import get_extractor

            rules = get_extractor("rules")
        except Exception as exc:  # rules backend missing: the audit runs without the comparison
            _err.print(
                f"[yellow]rules backend unavailable ({type(exc).__name__}); no disagreement counts[/yellow]"
            )
    try:
        summary = run_label(
            items,
            t,
            output,
            cot=cot,
            rules=rules,
            profile=profile,
            keep_rejected=not drop_rejected,
            prompt_style="short" if prompt == "short" else "full",
        )
    finally:
        t.close()
    table = Table(title=f"label audit: {output}")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("rows", str(summary.rows))
    table.add_row("accepted", str(summary.accepted))
    table.add_row("rejected", str(summary.rejected))
    table.add_row("teacher failed", str(summary.failed_teacher))
    for check, n in summary.failures_by_check.items():
        table.add_row(f"  failed check: {check}", str(n))
    if summary.compared_with_rules:
        for feature, rate in summary.disagreement_rate_by_feature.items():
            table.add_row(
                f"  teacher != rules: {feature}", f"{summary.disagreement_by_feature[feature]} ({rate:.1%})"
            )
    _err.print(table)


@app.command()
def train(
    config: Annotated[Path, typer.Argument(help="Training config YAML (configs/train/*.yaml).")],
    max_steps: Annotated[int | None, typer.Option(help="Override training.max_steps (smoke runs).")] = None,
    no_export: Annotated[bool, typer.Option("--no-export", help="Save the adapter only.")] = False,
) -> None:
    """LoRA (CPU) or QLoRA (GPU) fine-tuning with TRL's SFTTrainer; saves the adapter and exports GGUF."""
    from pancyst.train.config import load_config

    try:
        cfg = load_config(config)
    except (ValueError, OSError) as exc:
        _err.print(f"[red]bad config {config}: {exc}[/red]")
        raise typer.Exit(2) from exc
    if max_steps is not None:
        cfg = cfg.model_copy(update={"training": cfg.training.model_copy(update={"max_steps": max_steps})})
    try:
        from pancyst.train.sft import export
        from pancyst.train.sft import train as run_train
    except ImportError as exc:
        _err.print(f"[red]training stack missing ({exc.name}); run make setup-ml[/red]")
        raise typer.Exit(2) from exc
    result = run_train(cfg)
    _err.print(
        f"trained {result.steps} steps on {result.examples} examples in {result.wall_s:.0f} s "
        f"({result.s_per_step:.2f} s/step); loss {result.first_loss} -> {result.last_loss}; adapter {result.adapter_dir}"
    )
    if not no_export:
        for kind, path in export(cfg, result).items():
            _err.print(f"exported {kind}: {path}")


@app.command()
def cost(
    config: Annotated[
        Path | None, typer.Option(help="YAML with CostInputs fields (prices, hours, latency).")
    ] = None,
    results: Annotated[
        Path | None,
        typer.Option(help="Result JSONL from `pancyst extract --backend llm`: measured latency and tokens."),
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="KEY=VALUE override, e.g. training_cost=354.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Training cost, per-report cost of an API versus a self-hosted model, and the break-even report count."""
    from pancyst.train.cost import CostInputs, compute, measured_from_file

    data: dict[str, Any] = {}
    if config is not None:
        data.update(load_yaml(config.read_text(encoding="utf-8")) or {})
    if results is not None:
        data.update(measured_from_file(results))
    data.update(_options(set_ or []))
    try:
        inputs = CostInputs.model_validate(data)
    except ValueError as exc:
        _err.print(f"[red]bad cost inputs: {exc}[/red]")
        raise typer.Exit(2) from exc
    res = compute(inputs)
    if as_json:
        typer.echo(res.model_dump_json(indent=2))
        return
    table = Table(title="cost: API vs self-hosted")
    table.add_column("item")
    table.add_column("value", justify="right")
    for k, v in res.table():
        table.add_row(k, v)
    Console().print(table)
