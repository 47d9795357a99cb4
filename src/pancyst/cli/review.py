"""`pancyst review` (correct machine output into gold) and `pancyst study` (reader studies).

Both read a results JSONL from `pancyst extract` plus the reports it was made from (results
lines carry no report text), keep their state in one sqlite file, and serve a local web app.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pancyst.cli._app import app
from pancyst.cli.extract import parse_columns
from pancyst.io.readers import InputError, read_reports
from pancyst.schema import ReportInput, ResultLine

__all__ = ["app"]

review_app = typer.Typer(help="Review and correct machine output in a local web app; export gold labels.")
study_app = typer.Typer(help="Reader studies: blinded readers, adjudication, agreement with the model.")
app.add_typer(review_app, name="review")
app.add_typer(study_app, name="study")
_err = Console(stderr=True)

ReportsOpt = Annotated[
    Path | None,
    typer.Option(
        "--reports", help="The reports the results were made from (CSV, TSV, JSONL, Parquet, .txt folder)."
    ),
]
IdColOpt = Annotated[str, typer.Option("--id-col", help="Column holding the report id.")]
TextColOpt = Annotated[str, typer.Option("--text-col", help="Column holding the report text.")]
ColumnOpt = Annotated[list[str] | None, typer.Option("--column", help="NAME=COLUMN for an optional column.")]
HostOpt = Annotated[str, typer.Option(help="Address to listen on (loopback unless you say otherwise).")]
PortOpt = Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")]


def _fail(message: str, code: int = 2) -> typer.Exit:
    _err.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def read_results(path: Path) -> list[ResultLine]:
    """Result lines; a line that is not one is an error naming its line number (up to ten listed)."""
    lines: list[ResultLine] = []
    bad: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                lines.append(ResultLine.model_validate_json(raw))
            except ValidationError as exc:
                bad.append(f"line {n}: {exc.errors()[0]['msg']}")
    if bad:
        more = f" (and {len(bad) - 10} more)" if len(bad) > 10 else ""
        raise ValueError(f"{path} is not a pancyst results file: " + "; ".join(bad[:10]) + more)
    return lines


def read_report_texts(
    path: Path, id_col: str, text_col: str, column: list[str] | None
) -> dict[str, ReportInput]:
    """The reports by id (bad rows are skipped: their results are error lines anyway)."""
    rows = read_reports(path, id_col=id_col, text_col=text_col, columns=parse_columns(column or []))
    return {row.report_id: row for row in rows if isinstance(row, ReportInput)}


def _inputs(
    results: Path, reports: Path | None, id_col: str, text_col: str, column: list[str] | None
) -> tuple[list[ResultLine], dict[str, ReportInput]]:
    if reports is None:
        raise _fail("--reports is needed: result lines carry no report text")
    try:
        return read_results(results), read_report_texts(reports, id_col, text_col, column)
    except (ValueError, InputError, OSError) as exc:
        raise _fail(str(exc)) from None


def _serve(web: Any, what: str, host: str, port: int) -> None:
    """Warn about a non-loopback address, say where the app is, serve until Ctrl-C."""
    from pancyst.webapp.common import LOOPBACK, serve

    if host not in LOOPBACK:
        _err.print(
            f"[yellow]warning:[/yellow] listening on {escape(host)}: anyone who can reach this address can read "
            "the reports. Serve on loopback and use an SSH tunnel unless this network is inside your PHI boundary.",
            highlight=False,
        )
    _err.print(f"{what} app on http://{host}:{port}/ (Ctrl-C to stop)", highlight=False)
    serve(web, host=host, port=port)


@review_app.command("serve")
def review_serve(
    results: Annotated[Path | None, typer.Argument(help="Results JSONL from `pancyst extract`.")] = None,
    reports: ReportsOpt = None,
    db: Annotated[Path, typer.Option(help="The review database (created, or resumed).")] = Path(
        "review.sqlite"
    ),
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8765,
    reviewer: Annotated[
        str | None, typer.Option(help="Name stored with each correction (default: login name).")
    ] = None,
    id_col: IdColOpt = "report_id",
    text_col: TextColOpt = "text",
    column: ColumnOpt = None,
) -> None:
    """Serve the review app. Given RESULTS, its reports are added to the database first (resumable)."""
    from pancyst.review import ReviewStore, StoreError
    from pancyst.webapp import create_review_app

    if results is not None:
        lines, texts = _inputs(results, reports, id_col, text_col, column)
        try:
            store, added, warnings = ReviewStore.load(db, lines, texts)
        except StoreError as exc:
            raise _fail(str(exc)) from None
        for warning in warnings:
            _err.print(f"[yellow]warning:[/yellow] {escape(warning)}", highlight=False)
        _err.print(f"{db}: {added} report(s) added, {store.count()} in all", highlight=False)
    try:
        web = create_review_app(str(db), reviewer or getpass.getuser())
    except StoreError as exc:
        raise _fail(f"{exc} (give RESULTS and --reports to create it)") from None
    _serve(web, "review", host, port)


@review_app.command("export")
def review_export(
    db: Annotated[Path, typer.Option(help="The review database.")] = Path("review.sqlite"),
    gold: Annotated[Path, typer.Option("--gold", help="Gold JSONL to write.")] = Path("gold.jsonl"),
    include_unreviewed: Annotated[
        bool, typer.Option("--all/--reviewed-only", help="Also reports nobody has marked reviewed.")
    ] = False,
) -> None:
    """Corrected gold labels: for `pancyst evaluate --gold` and `pancyst label --teacher gold`."""
    from pancyst.review import ReviewStore, StoreError

    try:
        store = ReviewStore(db)
        gold.parent.mkdir(parents=True, exist_ok=True)
        n = 0
        with gold.open("w", encoding="utf-8") as fh:
            for line in store.gold_lines(include_unreviewed=include_unreviewed):
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
                n += 1
    except (StoreError, OSError) as exc:
        raise _fail(str(exc)) from None
    stats = store.stats()
    _err.print(
        f"wrote {n} gold line(s) to {gold} ({stats['reviewed']} of {stats['reports']} reviewed, "
        f"{stats['corrections']} corrections)",
        highlight=False,
    )


@study_app.command("create")
def study_create(
    results: Annotated[
        Path, typer.Argument(help="Results JSONL from `pancyst extract` (the model's readings).")
    ],
    readers: Annotated[str, typer.Option(help="Reader names, comma-separated (at least two).")],
    reports: ReportsOpt = None,
    db: Annotated[Path, typer.Option(help="The study database to create.")] = Path("study.sqlite"),
    cases: Annotated[int, typer.Option(min=1, help="How many cases to draw.")] = 100,
    seed: Annotated[int, typer.Option(help="Seed of the case draw and the reading orders.")] = 7,
    arm: Annotated[str, typer.Option(help="blind (model output hidden) or assisted (shown).")] = "blind",
    stratify: Annotated[bool, typer.Option(help="Draw the categories (none, 1, 2, 3) in turn.")] = False,
    ask_features: Annotated[bool, typer.Option(help="Readers also enter the eleven SPEC features.")] = False,
    adjudicator: Annotated[str | None, typer.Option(help="Name of the reader who adjudicates.")] = None,
    id_col: IdColOpt = "report_id",
    text_col: TextColOpt = "text",
    column: ColumnOpt = None,
) -> None:
    """Create a study: draw cases, give each reader a random order, print each login token once."""
    from pancyst.study import StudyStore
    from pancyst.study.store import StoreError

    lines, texts = _inputs(results, reports, id_col, text_col, column)
    names = [n.strip() for n in readers.split(",") if n.strip()]
    try:
        store, tokens = StudyStore.create(
            db,
            lines,
            texts,
            readers=names,
            cases=cases,
            seed=seed,
            arm=arm,
            stratify=stratify,
            ask_features=ask_features,
            adjudicator=adjudicator,
        )
    except StoreError as exc:
        raise _fail(str(exc)) from None
    n_cases = len(store.slots(names[0]))
    table = Table(title=f"{db}: {n_cases} cases, {arm} arm — tokens are shown once, not stored")
    table.add_column("name")
    table.add_column("role")
    table.add_column("token")
    for name, token in tokens.items():
        person = store.person(name)
        table.add_row(name, person.role if person else "", token)
    Console().print(table)
    if n_cases < cases:
        _err.print(
            f"[yellow]warning:[/yellow] only {n_cases} usable case(s) (asked for {cases})", highlight=False
        )


@study_app.command("serve")
def study_serve(
    db: Annotated[Path, typer.Option(help="The study database.")] = Path("study.sqlite"),
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8766,
    bootstrap: Annotated[int, typer.Option(min=0, help="Bootstrap resamples on the results page.")] = 1000,
) -> None:
    """Serve the study app: readers sign in with their token."""
    from pancyst.study.store import StoreError
    from pancyst.webapp import create_study_app

    try:
        web = create_study_app(str(db), bootstrap=bootstrap)
    except StoreError as exc:
        raise _fail(str(exc)) from None
    _serve(web, "study", host, port)


@study_app.command("export")
def study_export(
    db: Annotated[Path, typer.Option(help="The study database.")] = Path("study.sqlite"),
    output: Annotated[Path, typer.Option("--output", "-o", help="Long-format readings CSV.")] = Path(
        "readings.csv"
    ),
    model: Annotated[
        bool, typer.Option("--model/--no-model", help="Add the model as reader 'model'.")
    ] = True,
    adjudications: Annotated[Path | None, typer.Option(help="Also write the adjudications CSV here.")] = None,
) -> None:
    """Readings for `pancyst agreement`: report_id, reader, category, seconds, position, arm, ..."""
    from pancyst.study import StudyStore
    from pancyst.study.store import StoreError

    try:
        store = StudyStore(db)
        output.parent.mkdir(parents=True, exist_ok=True)
        n = store.export(output, with_model=model)
        if adjudications is not None:
            m = store.export_adjudications(adjudications)
            _err.print(f"wrote {m} adjudication(s) to {adjudications}", highlight=False)
    except (StoreError, OSError) as exc:
        raise _fail(str(exc)) from None
    _err.print(f"wrote {n} reading(s) to {output}", highlight=False)
