"""`pancyst extract`: reports in, one result line per report out (SPEC §6)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterable
from contextlib import nullcontext
from typing import Annotated, Any

import typer

from pancyst.cli._app import app
from pancyst.extract import available_backends, get_extractor
from pancyst.io.readers import FORMATS as INPUT_FORMATS
from pancyst.io.readers import OPTIONAL_COLUMNS, InputError, input_fingerprint, read_reports, same_file
from pancyst.io.writers import OUTPUT_FORMATS, Preparer, detect_output_format, open_writer
from pancyst.pipeline import DEFAULT_MAX_CHARS, Pipeline
from pancyst.run import (
    DirectOutput,
    Executor,
    ProcessExecutor,
    ResumeError,
    SerialExecutor,
    WorkerSpec,
    WorkingOutput,
    available_cores,
    needs_direct,
    run_batch,
    work_dir,
)
from pancyst.run.output import Resumed
from pancyst.schema import BadRow, ReportInput

__all__ = ["app", "extract", "parse_columns", "parse_options"]

EXIT_OK, EXIT_REPORT_ERRORS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT / SIGTERM, as shells report them
ENGINES = ("local", "ray")

_HELP = f"""Extract PCL features, evidence and risk categories from radiology reports.

INPUT is a CSV/TSV, JSONL or Parquet file, a folder of .txt files (report id = file name),
or '-' for stdin (JSON lines, or else one report). OUT's format follows its extension
(.jsonl .csv .parquet .html) unless --format says otherwise; '-' writes JSONL to stdout.
Every input row gives exactly one output line, in input order; rows that cannot be read
or processed give a line with `errors`.

The output appears at OUT only when it is complete: until then rows go to OUT.part/, and a
run that was stopped (Ctrl-C, SIGTERM, SIGKILL, a full disk) continues from there with
--resume, giving the same bytes as an uninterrupted run.

Exit codes: {EXIT_OK} every report processed; {EXIT_REPORT_ERRORS} some reports have errors
(the output is still complete); {EXIT_USAGE} usage, input or output problem (missing file,
unknown format, backend or profile, bad option, cannot write, disk full), no output written;
{EXIT_INTERRUPTED} / {EXIT_TERMINATED} stopped by Ctrl-C / SIGTERM (resume with --resume).
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


def parse_columns(pairs: list[str]) -> dict[str, str]:
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
            min=0,
            help="Processes (or Ray actors) for CPU backends; 0 = one per available core, or per CPU of the"
            " Ray cluster (same output as 1).",
        ),
    ] = 1,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an interrupted run of the same OUT (see OUT.part/).")
    ] = False,
    engine: Annotated[
        str, typer.Option(help="local (this machine's processes) or ray (Ray actors; the [ray] extra).")
    ] = "local",
    ray_address: Annotated[
        str | None, typer.Option("--ray-address", help="Ray cluster to join (default: start one here).")
    ] = None,
    nlp_date: Annotated[
        dt.datetime | None,
        typer.Option("--nlp-date", help="Run time recorded in NOTE_NLP (default: now; kept on --resume)."),
    ] = None,
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
    columns = parse_columns(column or [])

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

    if resume and (output == "-" or needs_direct(output)):
        raise _fail("--resume needs an output file (not stdout or a device)")
    if engine not in ENGINES:
        raise _fail(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    try:
        rows = read_reports(input_path, fmt=input_format, id_col=id_col, text_col=text_col, columns=columns)
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
        now = nlp_date or dt.datetime.now().replace(microsecond=0)
        settings = _settings(
            pipeline, input_path, input_format, id_col, text_col, columns, max_chars, options
        )
        preparer = Preparer(_preparer_kind(output, out_fmt), now)
        executor = _executor(
            engine, pipeline, preparer, backend, options, workers, ray_address, profile, max_chars
        )
        try:
            sink, resumed = _open_output(output, out_fmt, settings, now, resume=resume)
        except BaseException:
            executor.close()
            raise
        started = time.perf_counter()
        stats = _run(rows, pipeline, executor, sink, resumed, show_progress=not quiet and sys.stderr.isatty())
        elapsed = time.perf_counter() - started
        if not quiet:
            typer.echo(_summary(stats, elapsed, output, extractor.run_summary(), resumed), err=True)
    finally:
        extractor.close()
    raise typer.Exit(EXIT_REPORT_ERRORS if stats["errors"] else EXIT_OK)


def _settings(
    pipeline: Pipeline,
    input_path: str,
    input_format: str | None,
    id_col: str,
    text_col: str,
    columns: dict[str, str],
    max_chars: int,
    options: dict[str, Any],
) -> dict[str, Any]:
    """What a resumed run must share with the interrupted one (the working folder's manifest)."""
    source: dict[str, Any] = {"stdin": True} if input_path == "-" else input_fingerprint(input_path)
    return {
        "input": source,
        "reading": {"format": input_format, "id_col": id_col, "text_col": text_col, "columns": columns},
        "backend": {"name": pipeline.extractor_ref.name, "version": pipeline.extractor_ref.version},
        "options": {k: v for k, v in sorted(options.items()) if k not in _NOT_IN_OUTPUT},
        "profile": {"name": pipeline.guideline_ref.profile, "version": pipeline.guideline_ref.version},
        "max_chars": max_chars,
    }


# Backend options that change how fast a run goes, not what it writes: a resume may change them.
_NOT_IN_OUTPUT = frozenset({"concurrency", "base_url", "api_key_env", "timeout", "max_retries"})


def _preparer_kind(output: str, fmt: str) -> str:
    return "flat" if fmt in ("csv", "parquet") else fmt


def _open_output(
    output: str, fmt: str, settings: dict[str, Any], now: dt.datetime, *, resume: bool
) -> tuple[DirectOutput | WorkingOutput, Resumed | None]:
    """The run's output and, for ``--resume``, where the interrupted run stopped."""
    try:
        if needs_direct(output):
            return DirectOutput(open_writer(output, fmt, now=now)), None
        work = WorkingOutput(output, fmt, settings, now)
        done = work.interrupted_rows()
        if done is not None and not resume:
            raise _fail(
                f"an interrupted run of {output} is in {work.dir} ({done:,} rows done): add --resume to "
                f"continue it, or remove {work.dir} to start over"
            )
        if done is not None:
            return work, work.resume()
        work.start()
        return work, None
    except ResumeError as exc:
        raise _fail(str(exc)) from None
    except (OSError, ValueError) as exc:
        raise _fail(f"cannot write {output}: {_os_reason(exc)}") from None


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _executor(
    engine: str,
    pipeline: Pipeline,
    preparer: Preparer,
    backend: str,
    options: dict[str, Any],
    workers: int,
    ray_address: str | None,
    profile: str,
    max_chars: int,
) -> Executor:
    spec = WorkerSpec.of(backend, options, profile=profile, max_chars=max_chars, preparer=preparer)
    if engine == "ray":  # --workers 0: one actor per CPU of the cluster, known once connected
        from pancyst.run.ray_engine import RayExecutor, RayUnavailable

        try:  # started now: an unreachable cluster is exit 2 before any output exists
            ray_executor = RayExecutor(spec, actors=workers, address=ray_address)
            ray_executor.start()
        except RayUnavailable as exc:
            raise _fail(str(exc)) from None
        return ray_executor
    workers = workers or available_cores()
    if workers > 1:
        return ProcessExecutor(spec, workers)
    return SerialExecutor(pipeline, preparer)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, turned into the same orderly stop as Ctrl-C."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Terminated()


def _run(
    rows: Iterable[ReportInput | BadRow],
    pipeline: Pipeline,
    executor: Executor,
    sink: DirectOutput | WorkingOutput,
    resumed: Resumed | None,
    *,
    show_progress: bool,
) -> Counter[str]:
    """Run to the end and put the output in place; on Ctrl-C, SIGTERM or a write error, stop cleanly."""
    progress: Any = nullcontext()
    advance = None
    if show_progress:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress = Progress(
            SpinnerColumn(),
            TextColumn("extracting {task.completed:,} reports"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    skip = resumed.rows if resumed else 0
    try:
        with progress:
            if show_progress:
                task = progress.add_task("extract", total=None, completed=skip)
                advance = lambda: progress.advance(task)  # noqa: E731
            stats = run_batch(
                rows,
                pipeline,
                executor,
                sink,
                skip=skip,
                stats=resumed.stats if resumed else None,
                on_done=advance,
            )
        sink.commit()
        return stats
    except KeyboardInterrupt as exc:
        _abort(sink)
        kept = f"; continue with --resume ({work_dir(sink.output)} keeps the finished rows)"
        typer.echo(f"interrupted{kept if sink.resumable else ''}", err=True)
        raise typer.Exit(EXIT_TERMINATED if isinstance(exc, _Terminated) else EXIT_INTERRUPTED) from None
    except OSError as exc:
        _abort(sink)
        kept = f"; the finished rows are kept in {work_dir(sink.output)} for --resume"
        typer.echo(
            f"error: cannot write {sink.output}: {_os_reason(exc)}{kept if sink.resumable else ''}", err=True
        )
        raise typer.Exit(EXIT_USAGE) from None
    finally:
        executor.close()
        signal.signal(signal.SIGTERM, previous)


def _abort(sink: DirectOutput | WorkingOutput) -> None:
    with contextlib.suppress(OSError):  # closing a file on a full disk fails again
        sink.abort()


def _summary(
    stats: Counter[str], elapsed: float, output: str, extra: dict[str, Any], resumed: Resumed | None
) -> str:
    n = stats["reports"]
    fresh = n - (resumed.rows if resumed else 0)
    rate = fresh / elapsed if elapsed > 0 else 0.0
    cats = ", ".join(f"{k}: {stats[k]}" for k in ("category 1", "category 2", "category 3"))
    line = (
        f"{n:,} reports, {stats['pcl']:,} with PCL, {stats['errors']:,} with errors; {cats}; "
        f"{rate:,.1f} reports/s; wrote {'stdout' if output == '-' else output}"
    )
    if resumed is not None:
        line += f"; resumed after {resumed.rows:,} rows"
    if extra:
        line += "; " + ", ".join(f"{k}={v}" for k, v in extra.items())
    return line
