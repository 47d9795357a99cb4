"""`pancyst track`: a patient's reports as one series (lesions linked, growth, follow-up adherence)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from pancyst.cli._app import app
from pancyst.cli.extract import parse_columns, parse_options
from pancyst.cli.review import read_results
from pancyst.io.readers import InputError, parse_exam_date, read_reports
from pancyst.schema import BadRow, ReportInput, ResultLine

__all__ = ["app"]
_err = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    _err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _as_of(raw: str | None) -> dt.date:
    if raw is None:
        return dt.date.today()
    try:
        day = parse_exam_date(raw)
    except ValueError as exc:
        raise _fail(f"--as-of: {exc}") from None
    if day is None:
        raise _fail("--as-of: no date given")
    return day


def _placeholder(row: BadRow) -> ReportInput:
    return ReportInput(report_id=row.report_id, text="")


def _extracted(
    rows: list[ReportInput | BadRow], backend: str, options: dict[str, Any], profile: str
) -> list[ResultLine]:
    from pancyst.extract import get_extractor
    from pancyst.pipeline import Pipeline

    try:
        extractor = get_extractor(backend, **options)
    except Exception as exc:  # unknown backend or option, missing model: a usage problem
        raise _fail(f"cannot start backend {backend!r}: {exc}") from None
    return [_compact(line) for line in Pipeline(extractor, profile=profile).run(rows)]


def _compact(line: ResultLine) -> ResultLine:
    """What the series needs of a line: its reading. Derived values (and their traces) are recomputed."""
    return line.model_copy(update={"derived": None}) if line.derived is not None else line


def _from_results(rows: list[ReportInput | BadRow], path: Path) -> tuple[list[ResultLine], list[str]]:
    try:
        by_id = {line.report_id: line for line in read_results(path)}
    except (ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    lines, missing = [], 0
    for row in rows:
        line = by_id.get(row.report_id)
        if line is None:
            missing += 1
            line = ResultLine.model_validate(
                {
                    "report_id": row.report_id,
                    "pcl_present": None,
                    "features": None,
                    "extractor": {"name": "none", "version": "-"},
                    "guideline": {"profile": "-", "version": "-"},
                    "errors": ["no result line for this report in --from-results"],
                }
            )
        lines.append(_compact(line))
    notes = [f"{missing} report(s) have no result line in {path}: error rows"] if missing else []
    return lines, notes


@app.command("track")
def track_cmd(
    reports: Annotated[
        Path, typer.Argument(help="Reports with patient_id and exam_date columns (any extract input).")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for the tables and the timeline page.")
    ],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date adherence is judged at (default: today).")
    ] = None,
    grace_months: Annotated[
        float | None,
        typer.Option(min=0, help="On-time window around a due date (default: the profile's, 3)."),
    ] = None,
    from_results: Annotated[
        Path | None, typer.Option("--from-results", help="Use these result lines instead of extracting.")
    ] = None,
    backend: Annotated[str, typer.Option(help="Backend when extracting: rules | llm | hybrid.")] = "rules",
    option: Annotated[list[str] | None, typer.Option("--option", help="KEY=VALUE for the backend.")] = None,
    profile: Annotated[str, typer.Option(help="Guideline profile name or YAML path.")] = "acr2017",
    id_col: Annotated[str, typer.Option("--id-col")] = "report_id",
    text_col: Annotated[str, typer.Option("--text-col")] = "text",
    column: Annotated[
        list[str] | None, typer.Option("--column", help="NAME=COLUMN, e.g. patient_id=MRN; repeatable.")
    ] = None,
) -> None:
    """Link each patient's reports, track every cyst, and judge follow-up adherence."""
    from pancyst.guideline import ProfileError, load_profile
    from pancyst.track import track_patients
    from pancyst.track.tables import write_table
    from pancyst.track.timeline import render_timeline

    day = _as_of(as_of)
    try:
        prof = load_profile(profile)
        rows = list(
            read_reports(reports, id_col=id_col, text_col=text_col, columns=parse_columns(column or []))
        )
    except (ProfileError, InputError, OSError, ValueError) as exc:
        raise _fail(str(exc)) from None
    if from_results is not None:
        lines, notes = _from_results(rows, from_results)
    else:
        lines, notes = _extracted(rows, backend, parse_options(option or []), profile), []
    inputs = [r if isinstance(r, ReportInput) else _placeholder(r) for r in rows]
    del rows
    try:
        output.mkdir(parents=True, exist_ok=True)
        with (output / "results.jsonl").open("w", encoding="utf-8") as fh:

            def write(line: ResultLine) -> None:
                fh.write(line.model_dump_json() + "\n")

            pairs = list(zip(inputs, lines, strict=True))
            result = track_patients(pairs, as_of=day, grace_months=grace_months, profile=prof, sink=write)
        for name in ("exams", "lesions", "patients", "conflicts"):
            write_table(output, name, getattr(result, name))
        (output / "timeline.html").write_text(
            render_timeline(result.exams, result.lesions, result.patients), encoding="utf-8"
        )
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc}") from None
    for warning in [*notes, *result.warnings]:
        _err.print(f"[yellow]warning:[/yellow] {escape(warning)}", highlight=False)
    counts = Counter(e["adherence"] or "error" for e in result.exams)
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    _err.print(
        f"{len(result.patients)} patient(s), {len(result.exams)} exam(s), {len(result.lesions)} lesion row(s), "
        f"{len(result.conflicts)} conflict(s); adherence as of {day}: {summary}. Wrote {output}/",
        highlight=False,
    )
