"""`pancyst extract`: reports in, one result line per report out (SPEC §6)."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from contextlib import nullcontext
from typing import Annotated, Any

import typer

from pancyst.cli._app import app
from pancyst.extract import available_backends, get_extractor
from pancyst.io.parallel import ParallelPipeline, Prepared, available_cores
from pancyst.io.readers import FORMATS as INPUT_FORMATS
from pancyst.io.readers import OPTIONAL_COLUMNS, InputError, read_reports, same_file
from pancyst.io.writers import OUTPUT_FORMATS, Writer, detect_output_format, open_writer
from pancyst.pipeline import DEFAULT_MAX_CHARS, Pipeline
from pancyst.schema import BadRow, ReportInput

__all__ = ["app", "extract", "parse_options"]

EXIT_OK, EXIT_REPORT_ERRORS, EXIT_USAGE = 0, 1, 2

_HELP = f"""Extract PCL features, evidence and risk categories from radiology reports.

INPUT is a CSV/TSV, JSONL or Parquet file, a folder of .txt files (report id = file name),
or '-' for stdin (JSON lines, or else one report). OUT's format follows its extension
(.jsonl .csv .parquet .html) unless --format says otherwise; '-' writes JSONL to stdout.
Every input row gives exactly one output line, in input order; rows that cannot be read
or processed give a line with `errors`.

Exit codes: {EXIT_OK} every report processed; {EXIT_REPORT_ERRORS} some reports have errors
(the output is still complete); {EXIT_USAGE} usage or input problem (missing file, unknown
format, unknown backend or profile, bad option), nothing written.
"""


def parse_options(pairs: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` pairs; values are read as JSON when they parse (numbers, true, lists), else as text."""
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key.isidentifier():
            raise typer.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--option")
        try:
            options[key] = json.loads(raw)
        except ValueError:
            options[key] = raw
    return options


def _parse_columns(pairs: list[str]) -> dict[str, str]:
    columns: dict[str, str] = {}
    for pair in pairs:
        name, sep, source = pair.partition("=")
        if not sep or not name.strip() or not source.strip():
            raise typer.BadParameter(f"expected NAME=COLUMN, got {pair!r}", param_hint="--column")
        columns[name.strip()] = source.strip()
    return columns


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


@app.command(help=_HELP, no_args_is_help=True)
def extract(
    input_path: Annotated[
        str, typer.Argument(metavar="INPUT", help="File, folder of .txt files, or '-' (stdin).")
    ],
    output: Annotated[str, typer.Option("--output", "-o", help="Output file, or '-' for JSONL on stdout.")],
    backend: Annotated[
        str, typer.Option("--backend", "-b", help=f"Extraction backend ({', '.join(available_backends())}).")
    ] = "rules",
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help=f"Output format: {' | '.join(OUTPUT_FORMATS)}.")
    ] = None,
    input_format: Annotated[
        str | None, typer.Option("--input-format", help=f"Input format: {' | '.join(INPUT_FORMATS)}.")
    ] = None,
    profile: Annotated[str, typer.Option(help="Guideline profile name or YAML path.")] = "acr2017",
    id_col: Annotated[str, typer.Option("--id-col", help="Column holding the report id.")] = "report_id",
    text_col: Annotated[str, typer.Option("--text-col", help="Column holding the report text.")] = "text",
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            help=f"NAME=COLUMN for an optional column ({', '.join(OPTIONAL_COLUMNS)}); repeatable.",
        ),
    ] = None,
    max_chars: Annotated[
        int, typer.Option(min=1, help="Longer reports become error lines.")
    ] = DEFAULT_MAX_CHARS,
    workers: Annotated[
        int,
        typer.Option(
            min=0, help="Processes for CPU backends; 0 = one per available core (same output as 1)."
        ),
    ] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    model: Annotated[str | None, typer.Option(help="Model name or path (llm/hybrid backends).")] = None,
    base_url: Annotated[str | None, typer.Option(help="OpenAI-compatible server URL (llm backends).")] = None,
    api_key_env: Annotated[
        str | None, typer.Option(help="Name of the environment variable holding the API key.")
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Concurrent requests (llm backends).")
    ] = None,
    cot: Annotated[bool | None, typer.Option("--cot/--no-cot", help="Ask the model to reason first.")] = None,
    option: Annotated[
        list[str] | None, typer.Option("--option", help="KEY=VALUE passed to the backend; repeatable.")
    ] = None,
) -> None:
    options = parse_options(option or [])
    flags = {
        "model": model,
        "base_url": base_url,
        "api_key_env": api_key_env,
        "concurrency": concurrency,
        "cot": cot,
    }
    options.update({k: v for k, v in flags.items() if v is not None})
    columns = _parse_columns(column or [])

    try:
        out_fmt = fmt or detect_output_format(output)
        if out_fmt not in OUTPUT_FORMATS:
            raise ValueError(f"unknown output format {out_fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
        if output == "-" and out_fmt != "jsonl":
            raise ValueError(f"only jsonl can be written to stdout ('-'), not {out_fmt}")
    except ValueError as exc:
        raise _fail(str(exc)) from None
    if output != "-" and input_path != "-" and same_file(output, input_path):
        raise _fail(f"the output {output} would overwrite the input")
    if backend not in available_backends():
        raise _fail(f"unknown backend {backend!r}; choose one of {', '.join(available_backends())}")

    try:
        rows = list(
            read_reports(input_path, fmt=input_format, id_col=id_col, text_col=text_col, columns=columns)
        )
    except (InputError, FileNotFoundError) as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"cannot read {input_path}: {exc.strerror or type(exc).__name__}") from None

    try:
        extractor = get_extractor(backend, **options)
    except Exception as exc:  # unknown option, missing model, ...: a usage problem, reported plainly
        raise _fail(f"cannot start backend {backend!r}: {type(exc).__name__}: {exc}") from None
    try:
        try:
            pipeline = Pipeline(extractor, profile=profile, max_chars=max_chars)
        except Exception as exc:
            raise _fail(f"cannot load profile {profile!r}: {exc}") from None
        try:
            writer = open_writer(output, out_fmt)
        except (OSError, ValueError) as exc:
            raise _fail(f"cannot write {output}: {exc}") from None
        if workers == 0:
            workers = available_cores()
        if workers > 1 and len(rows) > 1:
            pipeline = ParallelPipeline(
                backend,
                options,
                workers,
                name=extractor.name,
                version=extractor.version,
                profile=profile,
                max_chars=max_chars,
                preparer=writer.preparer,
            )
        started = time.perf_counter()
        with writer:
            stats = _run(pipeline, rows, writer, show_progress=not quiet and sys.stderr.isatty())
        elapsed = time.perf_counter() - started
        if not quiet:
            typer.echo(_summary(stats, elapsed, output, extractor.run_summary()), err=True)
    finally:
        extractor.close()
    raise typer.Exit(EXIT_REPORT_ERRORS if stats["errors"] else EXIT_OK)


def _run(
    pipeline: Pipeline, rows: list[ReportInput | BadRow], writer: Writer, *, show_progress: bool
) -> Counter[str]:
    stats: Counter[str] = Counter()
    progress: Any = nullcontext()
    task = None
    if show_progress:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        progress = Progress(
            TextColumn("extracting"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
    with progress:
        if show_progress:
            task = progress.add_task("extract", total=len(rows))
        results = (
            pipeline.run_prepared(rows) if isinstance(pipeline, ParallelPipeline) else pipeline.run(rows)
        )
        for row, result in zip(rows, results, strict=True):
            if isinstance(result, Prepared):  # formatted in a worker process
                writer.write_prepared(result.payload)
                _count(stats, result.has_errors, result.pcl_present, result.risk_category)
            else:
                writer.write(result, row.text if isinstance(row, ReportInput) else None)
                category = result.derived.risk_category if result.derived is not None else None
                _count(stats, bool(result.errors), result.pcl_present, category)
            if task is not None:
                progress.advance(task)
    return stats


def _count(stats: Counter[str], has_errors: bool, pcl_present: bool | None, category: int | None) -> None:
    stats["reports"] += 1
    if has_errors:
        stats["errors"] += 1
    if pcl_present:
        stats["pcl"] += 1
    if category is not None:
        stats[f"category {category}"] += 1


def _summary(stats: Counter[str], elapsed: float, output: str, extra: dict[str, Any]) -> str:
    n = stats["reports"]
    rate = n / elapsed if elapsed > 0 else 0.0
    cats = ", ".join(f"{k}: {stats[k]}" for k in ("category 1", "category 2", "category 3"))
    line = (
        f"{n:,} reports, {stats['pcl']:,} with PCL, {stats['errors']:,} with errors; {cats}; "
        f"{rate:,.1f} reports/s; wrote {'stdout' if output == '-' else output}"
    )
    if extra:
        line += "; " + ", ".join(f"{k}={v}" for k, v in extra.items())
    return line
