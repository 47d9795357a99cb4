"""A disk cache of model answers, so re-running a batch costs nothing.

The cache holds model output derived from report text (quotes are verbatim PHI): it lives in the
user's cache directory with owner-only permissions; delete it (or pass ``--option cache=false``)
where that is not acceptable. Keys are hashes, so report text is not stored as a key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any


def cache_key(
    text: str, *, prompt_version: str, schema_version: str, model: str, cot: bool, extra: str = ""
) -> str:
    text_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    parts = json.dumps([text_hash, prompt_version, schema_version, model, bool(cot), extra])
    return hashlib.sha256(parts.encode("utf-8")).hexdigest()


class AnswerCache:
    """sqlite3 key -> (raw answer, token counts). Safe across threads of one process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(path.parent, 0o700)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, raw TEXT NOT NULL, meta TEXT NOT NULL, "
            "created REAL NOT NULL)"
        )
        self._db.commit()
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)

    def get(self, key: str) -> tuple[str, dict[str, Any]] | None:
        with self._lock:
            row = self._db.execute("SELECT raw, meta FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        return str(row[0]), json.loads(row[1])

    def put(self, key: str, raw: str, meta: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO answers (key, raw, meta, created) VALUES (?, ?, ?, ?)",
                (key, raw, json.dumps(meta), time.time()),
            )
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
