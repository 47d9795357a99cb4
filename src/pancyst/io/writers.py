"""Result writers: JSONL, a flat table, an OMOP NOTE_NLP-shaped table, the HTML review page (SPEC §6).

All writers take results one at a time, in order, with the report text when there is one
(for snippets and highlighting). Column order and types are fixed here so downstream
loaders can rely on them; docs/outputs.md documents every column.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pancyst.io.base import Writer, flushed_size, open_text, report_value
from pancyst.io.review import HtmlWriter, render_report
from pancyst.schema import FEATURE_KEYS, OPTIONAL_FEATURE_KEYS, ResultLine, Span

__all__ = [  # Writer, HtmlWriter and the file helpers are re-exported: callers import them from here
    "ERROR_SEP",
    "FLAT_COLUMNS",
    "FLAT_COLUMN_NAMES",
    "LIST_SEP",
    "NOTE_NLP_COLUMNS",
    "NOTE_NLP_COLUMN_NAMES",
    "OMOP_TEXT_MAX",
    "OUTPUT_FORMATS",
    "SNIPPET_CONTEXT",
    "FlatWriter",
    "HtmlWriter",
    "JsonlWriter",
    "NoteNlpWriter",
    "Preparer",
    "Writer",
    "detect_output_format",
    "flat_row",
    "flushed_size",
    "format_schedule",
    "is_parquet_output",
    "note_nlp_rows",
    "open_text",
    "open_writer",
    "report_value",
    "snippet",
]

OUTPUT_FORMATS: tuple[str, ...] = ("jsonl", "csv", "parquet", "note_nlp", "html")
_SUFFIXES: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".html": "html",
    ".htm": "html",
}
LIST_SEP = ";"
ERROR_SEP = " | "  # error messages may themselves contain ";"
SNIPPET_CONTEXT = 40
OMOP_TEXT_MAX = 250  # NOTE_NLP snippet / lexical_variant / nlp_system are varchar(250)
_PARQUET_BATCH = 1000
_REQUIRED = frozenset({"report_id", "note_id", "note_nlp_id"})


def detect_output_format(path: str | Path) -> str:
    """The output format implied by a path's extension (``'-'`` is JSONL on stdout)."""
    if str(path) == "-":
        return "jsonl"
    fmt = _SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        raise ValueError(
            f"cannot tell the output format of {Path(path).name!r} from its extension; "
            f"name one of {', '.join(OUTPUT_FORMATS)} (--format)"
        )
    return fmt


@dataclass(frozen=True)
class Preparer:
    """The per-report half of a writer: result -> what gets written (a line, a row, rows, a section).

    A plain, picklable function of one result, so ``--workers`` runs it in the worker
    processes and the parent only appends: output is the same either way.
    """

    kind: str  # jsonl | flat | note_nlp | html
    now: dt.datetime | None = None

    def __call__(self, result: ResultLine, text: str | None) -> Any:
        if self.kind == "jsonl":
            return result.model_dump_json()
        if self.kind == "flat":
            return flat_row(result)
        if self.kind == "note_nlp":
            return note_nlp_rows(result, text, now=self.now or dt.datetime.now())
        if self.kind == "html":
            return render_report(result, text)
        raise ValueError(f"unknown writer kind {self.kind!r}")


def open_writer(
    path: str | Path, fmt: str | None = None, *, now: dt.datetime | None = None, append: bool = False
) -> Writer:
    """A writer for ``fmt`` (inferred from the extension when None).

    ``note_nlp`` writes Parquet for a ``.parquet``/``.pq`` path and CSV otherwise. ``now``
    fixes NOTE_NLP's ``nlp_date``/``nlp_datetime``; it defaults to the time of opening.
    ``append`` continues a text file (JSONL, CSV, HTML) without writing its header again
    (``--resume``); Parquet cannot be appended to.
    """
    fmt = fmt or detect_output_format(path)
    if fmt not in OUTPUT_FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}")
    if str(path) == "-" and fmt != "jsonl":
        raise ValueError(f"only jsonl can be written to stdout ('-'), not {fmt}")
    if fmt == "jsonl":
        return JsonlWriter(path, append=append)
    if fmt == "html":
        return HtmlWriter(path, append=append)
    parquet = is_parquet_output(path, fmt)
    if fmt == "csv" and Path(path).suffix.lower() in (".parquet", ".pq"):
        raise ValueError(f"{Path(path).name} ends in .parquet but --format is csv")
    if parquet and append:
        raise ValueError("a Parquet file cannot be appended to")
    if fmt == "note_nlp":
        return NoteNlpWriter(path, parquet=parquet, now=now, append=append)
    return FlatWriter(path, parquet=parquet, append=append)


def is_parquet_output(path: str | Path, fmt: str) -> bool:
    """Whether ``fmt`` at ``path`` writes Parquet (``parquet``, or ``note_nlp`` to a .parquet/.pq path)."""
    return fmt == "parquet" or (fmt == "note_nlp" and Path(path).suffix.lower() in (".parquet", ".pq"))


class JsonlWriter(Writer):
    """The full nested result, one line each, flushed as it goes: a crash keeps what was written."""

    def __init__(self, path: str | Path, *, append: bool = False) -> None:
        super().__init__(path)
        self.preparer = Preparer("jsonl")
        self._stdout = str(path) == "-"
        self._handle: IO[str] | None = sys.stdout if self._stdout else open_text(path, append)

    def flush(self) -> int | None:
        if self._handle is None or self._stdout:
            return None
        return flushed_size(self._handle)

    def write_prepared(self, payload: Any) -> None:
        if self._handle is None:
            raise ValueError("writer is closed")
        self._handle.write(payload + "\n")
        self._handle.flush()
        self.count += 1

    def close(self) -> None:
        if self._handle is not None and not self._stdout:
            self._handle.close()
        self._handle = None


# --- tables ---------------------------------------------------------------------------------


class _Table:
    """Rows of fixed columns to CSV (streamed) or Parquet (explicit schema, written in batches)."""

    def __init__(
        self, path: str | Path, columns: Sequence[tuple[str, Any]], parquet: bool, append: bool = False
    ) -> None:
        self.names = [name for name, _ in columns]
        self.parquet = parquet
        self._rows: list[dict[str, Any]] = []
        self._closed = False
        if parquet:
            import pyarrow as pa
            import pyarrow.parquet as pq

            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._schema = pa.schema(
                [pa.field(name, kind(pa), nullable=name not in _REQUIRED) for name, kind in columns]
            )
            self._pq_writer: Any = pq.ParquetWriter(str(path), self._schema)
        else:
            import csv

            self._handle = open_text(path, append)
            self._csv = csv.writer(self._handle, lineterminator="\n")
            if not append:
                self._csv.writerow(self.names)

    def add(self, row: dict[str, Any]) -> None:
        if self.parquet:
            self._rows.append(row)
            if len(self._rows) >= _PARQUET_BATCH:
                self._flush()
        else:
            self._csv.writerow([_csv_cell(row.get(name)) for name in self.names])

    def flush(self) -> int | None:
        return None if self.parquet or self._closed else flushed_size(self._handle)

    def _flush(self) -> None:
        if self._rows:
            import pyarrow as pa

            self._pq_writer.write_batch(pa.RecordBatch.from_pylist(self._rows, schema=self._schema))
            self._rows = []

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.parquet:
            self._flush()
            self._pq_writer.close()
        else:
            self._handle.close()


# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): report ids and snippets are
# untrusted text. CSV cells that open with one of these get a leading apostrophe; Parquet and JSONL keep
# the exact value.
_FORMULA_OPENERS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_OPENERS) else value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# Column name -> pyarrow type factory (called with the pyarrow module, so pyarrow stays a lazy import).
_STR = lambda pa: pa.string()  # noqa: E731
_F64 = lambda pa: pa.float64()  # noqa: E731
_NUMERIC = {"size_mm", "mpd_diameter_mm", "prior_size_mm", "interval_months"}

FLAT_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("report_id", _STR),
    ("pcl_present", lambda pa: pa.bool_()),
    *((key, _F64 if key in _NUMERIC else _STR) for key in (*FEATURE_KEYS, *OPTIONAL_FEATURE_KEYS)),
    ("risk_category", lambda pa: pa.int8()),
    ("growth", _STR),
    ("growth_rate_mm_per_year", _F64),
    ("worrisome_features", _STR),
    ("high_risk_stigmata", _STR),
    ("recommendation_action", _STR),
    ("recommendation_stratum", _STR),
    ("recommendation_schedule", _STR),
    ("recommendation_text", _STR),
    ("recommendation_alternatives", _STR),
    ("n_lesions", lambda pa: pa.int32()),
    ("index_lesion", lambda pa: pa.int32()),
    ("exam_date", lambda pa: pa.date32()),
    ("patient_age", _F64),
    ("patient_id", _STR),
    ("extractor", _STR),
    ("extractor_version", _STR),
    ("profile", _STR),
    ("profile_version", _STR),
    ("errors", _STR),
    ("warnings", _STR),
    ("flags", _STR),
)
FLAT_COLUMN_NAMES: tuple[str, ...] = tuple(name for name, _ in FLAT_COLUMNS)


def flat_row(result: ResultLine) -> dict[str, Any]:
    """One report as one flat row (every FLAT_COLUMNS key; None where unknown)."""
    row: dict[str, Any] = dict.fromkeys(FLAT_COLUMN_NAMES)
    row.update(
        report_id=result.report_id,
        pcl_present=result.pcl_present,
        n_lesions=len(result.lesions),
        exam_date=result.exam_date,
        patient_age=result.patient_age,
        patient_id=result.patient_id,
        extractor=result.extractor.name,
        extractor_version=result.extractor.version,
        profile=result.guideline.profile,
        profile_version=result.guideline.version,
        errors=ERROR_SEP.join(result.errors) or None,
        warnings=ERROR_SEP.join(result.warnings) or None,
        flags=LIST_SEP.join(result.flags) or None,
    )
    if result.features is not None:
        for key in (*FEATURE_KEYS, *OPTIONAL_FEATURE_KEYS):
            row[key] = getattr(result.features, key)
    derived = result.derived
    if derived is not None:
        row.update(
            risk_category=derived.risk_category,
            growth=derived.growth,
            growth_rate_mm_per_year=derived.growth_rate_mm_per_year,
            worrisome_features=LIST_SEP.join(derived.worrisome_features),
            high_risk_stigmata=LIST_SEP.join(derived.high_risk_stigmata),
            index_lesion=derived.index_lesion,
        )
        rec = derived.recommendation
        if rec is not None:
            row.update(
                recommendation_action=rec.action,
                recommendation_stratum=rec.stratum or None,
                recommendation_schedule=format_schedule(rec.schedule) or None,
                recommendation_text=rec.text or None,
                recommendation_alternatives=LIST_SEP.join(rec.alternatives) or None,
            )
    return row


def format_schedule(schedule: Sequence[Sequence[int]]) -> str:
    """``[[6, 4], [12, 2]]`` -> ``"6x4;12x2"`` (every 6 months, 4 times; then ...)."""
    return LIST_SEP.join(f"{months}x{count}" for months, count in schedule)


class FlatWriter(Writer):
    """One row per report, every report (error lines too), fixed column order and types."""

    def __init__(self, path: str | Path, *, parquet: bool, append: bool = False) -> None:
        super().__init__(path)
        self.preparer = Preparer("flat")
        self._table = _Table(path, FLAT_COLUMNS, parquet, append)

    def flush(self) -> int | None:
        return self._table.flush()

    def write_prepared(self, payload: Any) -> None:
        self._table.add(payload)
        self.count += 1

    def close(self) -> None:
        self._table.close()


# --- OMOP NOTE_NLP ---------------------------------------------------------------------------

_I32 = lambda pa: pa.int32()  # noqa: E731
NOTE_NLP_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("note_nlp_id", lambda pa: pa.int64()),
    ("note_id", _STR),
    ("section_concept_id", _I32),
    ("snippet", _STR),
    ("offset", _STR),
    ("lexical_variant", _STR),
    ("note_nlp_concept_id", _I32),
    ("note_nlp_source_concept_id", _I32),
    ("nlp_system", _STR),
    ("nlp_date", lambda pa: pa.date32()),
    ("nlp_datetime", lambda pa: pa.timestamp("ms")),
    ("term_exists", _STR),
    ("term_temporal", _STR),
    ("term_modifiers", _STR),
)
NOTE_NLP_COLUMN_NAMES: tuple[str, ...] = tuple(name for name, _ in NOTE_NLP_COLUMNS)
_PRIOR_FEATURES = frozenset({"prior_size_mm", "prior_exam_date", "stated_interval_months", "interval_months"})
_NEGATIVE_VALUES = frozenset({"absent", "no", "false"})


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def snippet(text: str | None, span: Span, context: int = SNIPPET_CONTEXT) -> str:
    """The span with ``context`` characters either side, line breaks shown as spaces."""
    if text is None or span.end > len(text):
        piece = span.text
    else:
        piece = text[max(0, span.start - context) : span.end + context]
    return "".join(" " if ch in "\r\n\t\f\v" else ch for ch in piece)[:OMOP_TEXT_MAX]


def note_nlp_rows(result: ResultLine, text: str | None, *, now: dt.datetime) -> list[dict[str, Any]]:
    """NOTE_NLP rows for one report: a row per evidence span, then one for the risk category.

    Lesion evidence is reported per lesion (``lesion=i`` in term_modifiers); the report-level
    copy of the index lesion's spans is not repeated. ``note_nlp_id`` is left to the writer.
    """
    system = f"pancyst {result.extractor.name} {result.extractor.version}"[:OMOP_TEXT_MAX]
    base = {
        "note_id": result.report_id,
        "section_concept_id": 0,
        "note_nlp_concept_id": 0,
        "note_nlp_source_concept_id": 0,
        "nlp_system": system,
        "nlp_date": now.date(),
        "nlp_datetime": now.replace(microsecond=0, tzinfo=None),
    }
    found: list[tuple[Span, str, Any, int | None]] = []
    seen: set[tuple[int, int, str]] = set()
    for i, lesion in enumerate(result.lesions):
        for span in lesion.evidence:
            feature = span.feature or "lesion"
            found.append((span, feature, getattr(lesion, feature, None) if span.feature else None, i))
            seen.add((span.start, span.end, feature))
    for key, spans in result.evidence.items():
        for span in spans:
            if (span.start, span.end, key) not in seen:
                found.append((span, key, report_value(result, key), None))
                seen.add((span.start, span.end, key))
    found.sort(key=lambda item: (item[0].start, item[0].end, item[1]))
    rows: list[dict[str, Any]] = []
    for span, feature, value, lesion_no in found:
        value_text = _value_text(value)
        modifiers = f"feature={feature};value={value_text}"
        if lesion_no is not None:
            modifiers += f";lesion={lesion_no}"
        if span.alignment != "exact":
            modifiers += f";alignment={span.alignment};score={span.score:.2f}"
        rows.append(
            {
                **base,
                "snippet": snippet(text, span),
                "offset": str(span.start),
                "lexical_variant": span.text[:OMOP_TEXT_MAX],
                "term_exists": "N" if value_text in _NEGATIVE_VALUES else "Y",
                "term_temporal": "prior" if feature in _PRIOR_FEATURES else "current",
                "term_modifiers": modifiers,
            }
        )
    derived = result.derived
    if derived is not None and derived.risk_category is not None:
        modifiers = (
            f"feature=risk_category;value={derived.risk_category};derived=true;"
            f"profile={result.guideline.profile};profile_version={result.guideline.version}"
        )
        if derived.worrisome_features:
            modifiers += f";worrisome_features={','.join(derived.worrisome_features)}"
        if derived.high_risk_stigmata:
            modifiers += f";high_risk_stigmata={','.join(derived.high_risk_stigmata)}"
        rows.append(
            {
                **base,
                "snippet": "",
                "offset": None,
                "lexical_variant": f"risk category {derived.risk_category}",
                "term_exists": "Y",
                "term_temporal": "current",
                "term_modifiers": modifiers,
            }
        )
    return rows


class NoteNlpWriter(Writer):
    """OMOP CDM v5.4 NOTE_NLP-shaped rows; concept ids are 0 (unmapped), note_id is the report id."""

    def __init__(
        self, path: str | Path, *, parquet: bool, now: dt.datetime | None = None, append: bool = False
    ) -> None:
        super().__init__(path)
        self.now = now or dt.datetime.now()
        self.preparer = Preparer("note_nlp", self.now)
        self._table = _Table(path, NOTE_NLP_COLUMNS, parquet, append)
        self._next_id = 1

    def flush(self) -> int | None:
        return self._table.flush()

    def state(self) -> dict[str, Any]:
        return {"next_note_nlp_id": self._next_id}

    def restore(self, state: dict[str, Any]) -> None:
        self._next_id = int(state.get("next_note_nlp_id", 1))

    def write_prepared(self, payload: Any) -> None:
        for row in payload:
            row["note_nlp_id"] = self._next_id
            self._next_id += 1
            self._table.add(row)
        self.count += 1

    def close(self) -> None:
        self._table.close()
