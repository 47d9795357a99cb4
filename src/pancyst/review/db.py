"""One way to open the sqlite files the review and study tools keep their state in.

sqlite is the store because a review is one person's (or a few people's) work on one machine
inside the PHI boundary: one file to copy, back up or delete, no server to run."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class StoreError(ValueError):
    """The database is missing, not ours, or of another kind (a review file given to a study)."""


@contextmanager
def connect(path: str | Path, *, kind: str, create: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection in one transaction (committed on success, rolled back on error), then closed.

    `kind` ("review" or "study") is written into a new database and checked on every open, so
    one tool never reads the other's file."""
    path = Path(path)
    if not create and not path.is_file():
        raise StoreError(f"no {kind} database at {path}")
    conn = sqlite3.connect(path, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        with conn:
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            row = conn.execute("SELECT value FROM meta WHERE key = 'kind'").fetchone()
            if row is None:
                if not create:
                    raise StoreError(f"{path} is not a pancyst {kind} database")
                conn.execute("INSERT INTO meta VALUES ('kind', ?)", (kind,))
            elif row["value"] != kind:
                raise StoreError(f"{path} is a pancyst {row['value']} database, not a {kind} one")
            yield conn
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: {exc}") from None
    finally:
        conn.close()


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row["value"])


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
