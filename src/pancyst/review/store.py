"""The review database: each report's machine output, its corrected state, and every correction.

A correction is stored as a row (field, old value, new value, reviewer, time) next to the
report's current state, so the gold file can always be rebuilt and every gold value traced to
who changed it and when. Machine output is never overwritten: `original_json` keeps it.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pancyst.pipeline import extraction_from_result
from pancyst.review.db import StoreError, connect, get_meta, set_meta
from pancyst.review.edits import Change, recompute
from pancyst.schema import FEATURE_KEYS, OPTIONAL_FEATURE_KEYS, Extraction, ReportInput, ResultLine

STORE_VERSION = "1"
Status = Literal["unreviewed", "reviewed"]
CATEGORY_FILTERS: tuple[str, ...] = ("1", "2", "3", "none", "error")
FILTER_FEATURES: tuple[str, ...] = ("pcl_present", *FEATURE_KEYS, *OPTIONAL_FEATURE_KEYS)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    report_id TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    text TEXT NOT NULL,
    report_json TEXT NOT NULL,
    original_json TEXT NOT NULL,
    state_json TEXT NOT NULL,
    result_json TEXT NOT NULL,
    category TEXT NOT NULL,
    n_errors INTEGER NOT NULL,
    n_warnings INTEGER NOT NULL,
    n_flags INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'unreviewed',
    reviewed_by TEXT,
    reviewed_at TEXT
);
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports(report_id),
    field TEXT NOT NULL,
    old TEXT,
    new TEXT,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL
);
"""


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def category_of(line: ResultLine) -> str:
    """The list filter's category: '1'-'3', 'none' (no PCL) or 'error' (no result)."""
    if line.errors or line.pcl_present is None:
        return "error"
    if line.derived is None or line.derived.risk_category is None:
        return "none"
    return str(line.derived.risk_category)


@dataclass(frozen=True)
class Filters:
    """What the report list shows; every field optional. `feature`/`value` match a result feature."""

    category: str | None = None
    status: Status | None = None
    errors: bool = False
    warnings: bool = False
    flagged: bool = False
    feature: str | None = None
    value: str | None = None
    text: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """An SQL condition with its parameters (feature names come from a fixed list, never the user)."""
        clauses: list[str] = ["1 = 1"]
        params: list[Any] = []
        if self.category:
            clauses.append("category = ?")
            params.append(self.category)
        if self.status:
            clauses.append("status = ?")
            params.append(self.status)
        for flag, column in (
            (self.errors, "n_errors"),
            (self.warnings, "n_warnings"),
            (self.flagged, "n_flags"),
        ):
            if flag:
                clauses.append(f"{column} > 0")
        if self.feature in FILTER_FEATURES and self.value is not None:
            clauses.append(_feature_clause(self.feature, self.value, params))
        if self.text:
            clauses.append("instr(lower(text), lower(?)) > 0")
            params.append(self.text)
        return " AND ".join(clauses), params


def _feature_clause(feature: str, value: str, params: list[Any]) -> str:
    path = "$.pcl_present" if feature == "pcl_present" else f"$.features.{feature}"
    params.append(path)
    text = value.strip().lower()
    if text in ("", "null", "none"):
        return "json_extract(result_json, ?) IS NULL"
    if text in ("true", "false"):
        params.append(1 if text == "true" else 0)
        return "json_extract(result_json, ?) = ?"
    try:
        params.append(float(text))
    except ValueError:
        params.append(value.strip())
    return "json_extract(result_json, ?) = ?"


@dataclass(frozen=True)
class Item:
    """One row of the report list."""

    report_id: str
    position: int
    category: str
    status: str
    n_errors: int
    n_warnings: int
    n_flags: int


@dataclass(frozen=True)
class Entry:
    """One report under review: its input, the machine's line, the current state and its result."""

    report: ReportInput
    original: ResultLine
    state: Extraction
    result: ResultLine
    status: str
    reviewed_by: str | None
    reviewed_at: str | None
    position: int


@dataclass(frozen=True)
class Correction:
    report_id: str
    field: str
    old: Any
    new: Any
    reviewer: str
    at: str


def _dump(value: Any) -> str:
    return json.dumps(value, default=str)


def _columns(result: ResultLine) -> dict[str, Any]:
    return {
        "result_json": result.model_dump_json(),
        "category": category_of(result),
        "n_errors": len(result.errors),
        "n_warnings": len(result.warnings),
        "n_flags": len(result.flags),
    }


class ReviewStore:
    """The review database at `path` (created by :meth:`load`)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        with connect(self.path, kind="review") as conn:
            self.profile_default = get_meta(conn, "profile") or "acr2017"

    @classmethod
    def load(
        cls, path: str | Path, results: Iterable[ResultLine], reports: Mapping[str, ReportInput]
    ) -> tuple[ReviewStore, int, list[str]]:
        """Add result lines (with their reports' text) to the database at `path`, creating it.

        A report already in the database keeps its state and corrections (serving again resumes a
        review). Returns the store, the number of reports added, and warnings."""
        warnings: list[str] = []
        added = 0
        with connect(path, kind="review", create=True) as conn:
            conn.executescript(_SCHEMA)
            if get_meta(conn, "version") is None:
                set_meta(conn, "version", STORE_VERSION)
                set_meta(conn, "created", now())
                set_meta(conn, "secret", secrets.token_hex(32))
            position = int(conn.execute("SELECT COALESCE(MAX(position), -1) FROM reports").fetchone()[0])
            known = {r[0] for r in conn.execute("SELECT report_id FROM reports")}
            missing = 0
            for line in results:
                if line.report_id in known:
                    continue
                report = reports.get(line.report_id)
                if report is None:
                    missing += 1
                    continue
                position += 1
                known.add(line.report_id)
                cls._insert(conn, position, report, line)
                added += 1
            if missing:
                warnings.append(f"{missing} result line(s) have no report text in the reports file: left out")
        return cls(path), added, warnings

    @staticmethod
    def _insert(conn: sqlite3.Connection, position: int, report: ReportInput, line: ResultLine) -> None:
        state = extraction_from_result(line)
        conn.execute(
            "INSERT INTO reports (report_id, position, text, report_json, original_json, state_json, result_json,"
            " category, n_errors, n_warnings, n_flags) VALUES"
            " (:report_id, :position, :text, :report_json, :original_json, :state_json, :result_json,"
            " :category, :n_errors, :n_warnings, :n_flags)",
            {
                "report_id": line.report_id,
                "position": position,
                "text": report.text,
                "report_json": report.model_dump_json(),
                "original_json": line.model_dump_json(),
                "state_json": state.model_dump_json(),
                **_columns(line),
            },
        )

    def count(self, filters: Filters | None = None) -> int:
        where, params = (filters or Filters()).where()
        with connect(self.path, kind="review") as conn:
            return int(conn.execute(f"SELECT COUNT(*) FROM reports WHERE {where}", params).fetchone()[0])

    def items(self, filters: Filters | None = None, *, offset: int = 0, limit: int = 100) -> list[Item]:
        where, params = (filters or Filters()).where()
        sql = (
            "SELECT report_id, position, category, status, n_errors, n_warnings, n_flags FROM reports"
            f" WHERE {where} ORDER BY position LIMIT ? OFFSET ?"
        )
        with connect(self.path, kind="review") as conn:
            return [Item(**dict(row)) for row in conn.execute(sql, [*params, limit, offset])]

    def neighbour(self, position: int, filters: Filters | None = None, *, step: int = 1) -> int | None:
        """The position of the next (step 1) or previous (step -1) report among those `filters` match."""
        where, params = (filters or Filters()).where()
        op, order = (">", "ASC") if step > 0 else ("<", "DESC")
        sql = f"SELECT position FROM reports WHERE {where} AND position {op} ? ORDER BY position {order} LIMIT 1"
        with connect(self.path, kind="review") as conn:
            row = conn.execute(sql, [*params, position]).fetchone()
        return None if row is None else int(row[0])

    def secret(self) -> str:
        """The key that signs this review's session cookies (made with the database, kept in it)."""
        with connect(self.path, kind="review") as conn:
            value = get_meta(conn, "secret")
        if value is None:
            raise StoreError(f"{self.path} has no secret key: not made by pancyst review")
        return value

    def at(self, position: int) -> Entry | None:
        """The report at list position `position` (the web app's address for it)."""
        with connect(self.path, kind="review") as conn:
            row = conn.execute("SELECT report_id FROM reports WHERE position = ?", (position,)).fetchone()
        return None if row is None else self.get(str(row[0]))

    def get(self, report_id: str) -> Entry | None:
        with connect(self.path, kind="review") as conn:
            row = conn.execute("SELECT * FROM reports WHERE report_id = ?", (report_id,)).fetchone()
        if row is None:
            return None
        return Entry(
            report=ReportInput.model_validate_json(row["report_json"]),
            original=ResultLine.model_validate_json(row["original_json"]),
            state=Extraction.model_validate_json(row["state_json"]),
            result=ResultLine.model_validate_json(row["result_json"]),
            status=row["status"],
            reviewed_by=row["reviewed_by"],
            reviewed_at=row["reviewed_at"],
            position=row["position"],
        )

    def preview(self, entry: Entry, state: Extraction) -> ResultLine:
        """What the guideline engine says of `state` (nothing stored)."""
        return recompute(entry.report, state, entry.original.guideline.profile)

    def save(
        self, report_id: str, state: Extraction, changes: list[Change], reviewer: str, *, reviewed: bool
    ) -> ResultLine:
        """Store the corrected state, its recomputed result and each change; optionally mark reviewed."""
        entry = self.get(report_id)
        if entry is None:
            raise StoreError(f"no report {report_id!r}")
        result = self.preview(entry, state)
        at = now()
        with connect(self.path, kind="review") as conn:
            conn.executemany(
                "INSERT INTO corrections (report_id, field, old, new, reviewer, at) VALUES (?, ?, ?, ?, ?, ?)",
                [(report_id, c.field, _dump(c.old), _dump(c.new), reviewer, at) for c in changes],
            )
            status = "reviewed" if reviewed else entry.status
            by, when = (reviewer, at) if reviewed else (entry.reviewed_by, entry.reviewed_at)
            conn.execute(
                "UPDATE reports SET state_json = :state, result_json = :result_json, category = :category,"
                " n_errors = :n_errors, n_warnings = :n_warnings, n_flags = :n_flags, status = :status,"
                " reviewed_by = :by, reviewed_at = :at WHERE report_id = :report_id",
                {
                    "state": state.model_dump_json(),
                    **_columns(result),
                    "status": status,
                    "by": by,
                    "at": when,
                    "report_id": report_id,
                },
            )
        return result

    def corrections(self, report_id: str | None = None) -> list[Correction]:
        sql = "SELECT report_id, field, old, new, reviewer, at FROM corrections"
        params: tuple[str, ...] = ()
        if report_id is not None:
            sql += " WHERE report_id = ?"
            params = (report_id,)
        with connect(self.path, kind="review") as conn:
            rows = conn.execute(sql + " ORDER BY id", params).fetchall()
        return [
            Correction(
                r["report_id"], r["field"], json.loads(r["old"]), json.loads(r["new"]), r["reviewer"], r["at"]
            )
            for r in rows
        ]

    def stats(self) -> dict[str, int]:
        with connect(self.path, kind="review") as conn:
            rows = conn.execute("SELECT status, COUNT(*) FROM reports GROUP BY status").fetchall()
            n_corr = int(conn.execute("SELECT COUNT(*) FROM corrections").fetchone()[0])
        counts = {str(r[0]): int(r[1]) for r in rows}
        return {
            "reports": sum(counts.values()),
            "reviewed": counts.get("reviewed", 0),
            "corrections": n_corr,
        }

    def gold_lines(self, *, include_unreviewed: bool = False) -> Iterator[dict[str, Any]]:
        """One gold line per reviewed report (SPEC §6 features, evidence, lesions, plus the input).

        The line carries the report text and clinical inputs too, so the same file is a gold set for
        `pancyst evaluate` and a corpus for `pancyst label --teacher gold`."""
        where = "1 = 1" if include_unreviewed else "status = 'reviewed'"
        with connect(self.path, kind="review") as conn:
            rows = conn.execute(f"SELECT report_id FROM reports WHERE {where} ORDER BY position").fetchall()
        for row in rows:
            entry = self.get(str(row[0]))
            if entry is not None:
                yield gold_line(entry, len(self.corrections(entry.report.report_id)))


def gold_line(entry: Entry, n_corrections: int) -> dict[str, Any]:
    result = entry.result
    report = entry.report.model_dump(mode="json", exclude_none=True)
    return {
        **report,
        "pcl_present": bool(result.pcl_present),
        "features": result.features.model_dump(mode="json") if result.features else {},
        "evidence": {k: [s.model_dump(mode="json") for s in v] for k, v in result.evidence.items()},
        "lesions": [le.model_dump(mode="json") for le in result.lesions],
        "review": {
            "status": entry.status,
            "reviewed_by": entry.reviewed_by,
            "reviewed_at": entry.reviewed_at,
            "corrections": n_corrections,
            "machine": result_ref(entry.original),
        },
    }


def result_ref(line: ResultLine) -> str:
    return f"{line.extractor.name} {line.extractor.version}"
