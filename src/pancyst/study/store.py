"""The study database: cases, people (readers, an adjudicator, the study admin), readings.

Login tokens are stored only as SHA-256 hashes: the token is printed once at creation and a copy
of the database does not let anyone sign in. A reading is locked once given (a reader cannot
revise an early case after seeing later ones), and its time is measured by the server from the
first time the case was shown to the answer.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import secrets
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pancyst.evaluate.agreement import Reading
from pancyst.review.db import StoreError, connect, get_meta, set_meta
from pancyst.review.store import category_of, now
from pancyst.schema import ReportInput, ResultLine
from pancyst.study.design import pick_cases, reader_orders

ARMS: tuple[str, ...] = ("blind", "assisted")
CATEGORIES: tuple[str, ...] = ("1", "2", "3", "none")
Role = Literal["reader", "adjudicator", "admin"]
MODEL_READER = "model"

_SCHEMA = """
CREATE TABLE cases (
    case_id INTEGER PRIMARY KEY,
    report_id TEXT NOT NULL UNIQUE,
    report_json TEXT NOT NULL,
    result_json TEXT NOT NULL,
    model_category TEXT NOT NULL
);
CREATE TABLE people (name TEXT PRIMARY KEY, role TEXT NOT NULL, token_sha256 TEXT NOT NULL UNIQUE);
CREATE TABLE assignments (
    reader TEXT NOT NULL REFERENCES people(name),
    position INTEGER NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(case_id),
    PRIMARY KEY (reader, position),
    UNIQUE (reader, case_id)
);
CREATE TABLE readings (
    reader TEXT NOT NULL REFERENCES people(name),
    case_id INTEGER NOT NULL REFERENCES cases(case_id),
    shown_at TEXT NOT NULL,
    answered_at TEXT,
    seconds REAL,
    category TEXT,
    features_json TEXT,
    PRIMARY KEY (reader, case_id)
);
CREATE TABLE adjudications (
    case_id INTEGER PRIMARY KEY REFERENCES cases(case_id),
    adjudicator TEXT NOT NULL,
    category TEXT NOT NULL,
    at TEXT NOT NULL
);
"""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Person:
    name: str
    role: Role


@dataclass(frozen=True)
class Case:
    case_id: int
    report: ReportInput
    result: ResultLine
    model_category: str


@dataclass(frozen=True)
class Slot:
    """One case in one reader's list: its place, and the reading so far (None: not yet shown)."""

    position: int
    case_id: int
    category: str | None
    seconds: float | None
    shown: bool

    @property
    def answered(self) -> bool:
        return self.category is not None


def _model_category(line: ResultLine) -> str:
    category = category_of(line)
    return "none" if category == "error" else category


class StudyStore:
    """The study database at `path` (made by :meth:`create`)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        with connect(self.path, kind="study") as conn:
            self.arm = get_meta(conn, "arm") or "blind"
            self.ask_features = get_meta(conn, "ask_features") == "1"
            self.secret = get_meta(conn, "secret") or ""

    @classmethod
    def create(
        cls,
        path: str | Path,
        lines: Sequence[ResultLine],
        reports: dict[str, ReportInput],
        *,
        readers: Sequence[str],
        cases: int,
        seed: int,
        arm: str = "blind",
        stratify: bool = False,
        ask_features: bool = False,
        adjudicator: str | None = None,
    ) -> tuple[StudyStore, dict[str, str]]:
        """A new study; returns it and each person's login token (shown once, stored hashed)."""
        path = Path(path)
        _check_design(path, readers, arm, adjudicator)
        with_text = [line for line in lines if line.report_id in reports]
        picked = pick_cases(with_text, cases, seed=seed, stratify=stratify)
        if not picked:
            raise StoreError("no usable cases: every result line is an error or has no report text")
        people: dict[str, Role] = {name: "reader" for name in readers}
        if adjudicator:
            people[adjudicator] = "adjudicator"
        people["admin"] = "admin"
        tokens = {name: secrets.token_urlsafe(18) for name in people}
        with connect(path, kind="study", create=True) as conn:
            conn.executescript(_SCHEMA)
            for key, value in {
                "arm": arm,
                "seed": str(seed),
                "stratify": "1" if stratify else "0",
                "ask_features": "1" if ask_features else "0",
                "created": now(),
                "secret": secrets.token_hex(32),
            }.items():
                set_meta(conn, key, value)
            for case_id, line in enumerate(picked):
                conn.execute(
                    "INSERT INTO cases VALUES (?, ?, ?, ?, ?)",
                    (
                        case_id,
                        line.report_id,
                        reports[line.report_id].model_dump_json(),
                        line.model_dump_json(),
                        _model_category(line),
                    ),
                )
            for name, role in people.items():
                conn.execute("INSERT INTO people VALUES (?, ?, ?)", (name, role, token_hash(tokens[name])))
            for name, order in reader_orders(len(picked), readers, seed=seed).items():
                conn.executemany(
                    "INSERT INTO assignments VALUES (?, ?, ?)", [(name, p, c) for p, c in enumerate(order)]
                )
        return cls(path), tokens

    def login(self, token: str) -> Person | None:
        with connect(self.path, kind="study") as conn:
            row = conn.execute(
                "SELECT name, role FROM people WHERE token_sha256 = ?", (token_hash(token.strip()),)
            ).fetchone()
        return None if row is None else Person(row["name"], row["role"])

    def person(self, name: str) -> Person | None:
        with connect(self.path, kind="study") as conn:
            row = conn.execute("SELECT name, role FROM people WHERE name = ?", (name,)).fetchone()
        return None if row is None else Person(row["name"], row["role"])

    def readers(self) -> list[str]:
        with connect(self.path, kind="study") as conn:
            rows = conn.execute("SELECT name FROM people WHERE role = 'reader' ORDER BY name").fetchall()
        return [str(r[0]) for r in rows]

    def slots(self, reader: str) -> list[Slot]:
        """The reader's cases in their order, with what they answered (and nothing of anyone else's)."""
        sql = (
            "SELECT a.position, a.case_id, r.category, r.seconds, r.shown_at FROM assignments a"
            " LEFT JOIN readings r ON r.reader = a.reader AND r.case_id = a.case_id"
            " WHERE a.reader = ? ORDER BY a.position"
        )
        with connect(self.path, kind="study") as conn:
            rows = conn.execute(sql, (reader,)).fetchall()
        return [Slot(r[0], r[1], r[2], r[3], r[4] is not None) for r in rows]

    def case(self, case_id: int) -> Case | None:
        with connect(self.path, kind="study") as conn:
            row = conn.execute("SELECT * FROM cases WHERE case_id = ?", (case_id,)).fetchone()
        if row is None:
            return None
        return Case(
            row["case_id"],
            ReportInput.model_validate_json(row["report_json"]),
            ResultLine.model_validate_json(row["result_json"]),
            row["model_category"],
        )

    def show(self, reader: str, case_id: int) -> None:
        """Start the reader's clock on this case (the first time it is shown only)."""
        with connect(self.path, kind="study") as conn:
            conn.execute(
                "INSERT OR IGNORE INTO readings (reader, case_id, shown_at) VALUES (?, ?, ?)",
                (reader, case_id, _stamp()),
            )

    def answer(self, reader: str, case_id: int, category: str, features: dict[str, Any] | None) -> float:
        """Record a reading; returns its seconds. A second answer to the same case is refused."""
        if category not in CATEGORIES:
            raise ValueError(f"category must be one of {', '.join(CATEGORIES)}")
        self.show(reader, case_id)
        at = _stamp()
        with connect(self.path, kind="study") as conn:
            row = conn.execute(
                "SELECT shown_at, category FROM readings WHERE reader = ? AND case_id = ?", (reader, case_id)
            ).fetchone()
            if row["category"] is not None:
                raise ValueError("this case has been answered; readings are locked once given")
            seconds = round(
                (dt.datetime.fromisoformat(at) - dt.datetime.fromisoformat(row["shown_at"])).total_seconds(),
                3,
            )
            conn.execute(
                "UPDATE readings SET answered_at = ?, seconds = ?, category = ?, features_json = ?"
                " WHERE reader = ? AND case_id = ?",
                (at, seconds, category, json.dumps(features) if features else None, reader, case_id),
            )
        return seconds

    def readings(self, *, with_model: bool = True) -> list[Reading]:
        """Every answered reading, plus the model's category for each case read at least once."""
        with connect(self.path, kind="study") as conn:
            rows = _answered(conn)
            model = conn.execute("SELECT report_id, model_category FROM cases ORDER BY case_id").fetchall()
        out = [Reading(report_id=r["report_id"], reader=r["reader"], category=r["category"]) for r in rows]
        read = {r.report_id for r in out}
        if with_model:
            out += [
                Reading(report_id=m[0], reader=MODEL_READER, category=m[1]) for m in model if m[0] in read
            ]
        return out

    def disagreements(self) -> list[dict[str, Any]]:
        """Cases every reader has answered where they do not all agree, with any adjudication."""
        readers = self.readers()
        with connect(self.path, kind="study") as conn:
            rows = _answered(conn)
            adjudicated = {r[0]: r[1] for r in conn.execute("SELECT case_id, category FROM adjudications")}
        by_case: dict[int, dict[str, str]] = {}
        ids: dict[int, str] = {}
        for r in rows:
            by_case.setdefault(r["case_id"], {})[r["reader"]] = r["category"]
            ids[r["case_id"]] = r["report_id"]
        return [
            {"case_id": cid, "report_id": ids[cid], "readings": answers, "adjudicated": adjudicated.get(cid)}
            for cid, answers in sorted(by_case.items())
            if set(answers) >= set(readers) and len(set(answers.values())) > 1
        ]

    def adjudicate(self, case_id: int, adjudicator: str, category: str) -> None:
        if category not in CATEGORIES:
            raise ValueError(f"category must be one of {', '.join(CATEGORIES)}")
        if case_id not in {d["case_id"] for d in self.disagreements()}:
            raise ValueError("only a case the readers disagree on is adjudicated")
        with connect(self.path, kind="study") as conn:
            conn.execute(
                "INSERT OR REPLACE INTO adjudications VALUES (?, ?, ?, ?)",
                (case_id, adjudicator, category, now()),
            )

    def progress(self) -> dict[str, tuple[int, int]]:
        """reader → (answered, assigned)."""
        out: dict[str, tuple[int, int]] = {}
        for name in self.readers():
            slots = self.slots(name)
            out[name] = (sum(s.answered for s in slots), len(slots))
        return out

    def export(self, path: str | Path, *, with_model: bool = True) -> int:
        """Long-format readings CSV (report_id, reader, category, seconds, ...); returns rows written."""
        with connect(self.path, kind="study") as conn:
            rows = _answered(conn)
            model = conn.execute("SELECT report_id, model_category FROM cases ORDER BY case_id").fetchall()
        read = {r["report_id"] for r in rows}
        feature_keys = sorted({k for r in rows for k in json.loads(r["features_json"] or "{}")})
        header = [
            "report_id",
            "reader",
            "category",
            "seconds",
            "position",
            "arm",
            "answered_at",
            *feature_keys,
        ]
        n = 0
        with open(path, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(header)
            for r in rows:
                features = json.loads(r["features_json"] or "{}")
                out.writerow(
                    [
                        r["report_id"],
                        r["reader"],
                        r["category"],
                        r["seconds"],
                        r["position"] + 1,
                        self.arm,
                        r["answered_at"],
                        *(features.get(k, "") for k in feature_keys),
                    ]
                )
                n += 1
            for report_id, category in model if with_model else []:
                if report_id in read:
                    out.writerow(
                        [report_id, MODEL_READER, category, "", "", "", "", *([""] * len(feature_keys))]
                    )
                    n += 1
        return n

    def export_adjudications(self, path: str | Path) -> int:
        sql = (
            "SELECT c.report_id, a.adjudicator, a.category, a.at FROM adjudications a"
            " JOIN cases c ON c.case_id = a.case_id ORDER BY c.case_id"
        )
        with connect(self.path, kind="study") as conn:
            rows = conn.execute(sql).fetchall()
        with open(path, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["report_id", "adjudicator", "category", "at"])
            out.writerows([tuple(r) for r in rows])
        return len(rows)


def _answered(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    sql = (
        "SELECT c.report_id, r.reader, r.case_id, r.category, r.seconds, r.answered_at, r.features_json,"
        " a.position FROM readings r JOIN cases c ON c.case_id = r.case_id"
        " JOIN assignments a ON a.reader = r.reader AND a.case_id = r.case_id"
        " WHERE r.category IS NOT NULL ORDER BY c.case_id, r.reader"
    )
    return conn.execute(sql).fetchall()


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _check_design(path: Path, readers: Sequence[str], arm: str, adjudicator: str | None) -> None:
    if path.exists():
        raise StoreError(f"{path} exists: a study is created once (remove it or choose another --db)")
    if arm not in ARMS:
        raise StoreError(f"--arm must be one of {', '.join(ARMS)}")
    names = [*readers, *([adjudicator] if adjudicator else [])]
    if len(readers) < 2:
        raise StoreError("a reader study needs at least two readers")
    if len(set(names)) != len(names) or any(not n.strip() for n in names):
        raise StoreError("reader names must be distinct and non-empty")
    if {"admin", MODEL_READER} & set(names):
        raise StoreError("'admin' and 'model' are reserved names")
