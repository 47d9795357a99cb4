"""Crash-safe, resumable output: a file at the requested path is always a finished one.

A run writes into a working folder beside the output, ``OUT.part/``:

- ``manifest.json``: what the run is (input fingerprint, backend, model, prompt, profile,
  format, options); a resume must match it;
- ``data``: the output itself for text formats (JSONL, CSV, NOTE_NLP CSV, HTML), or, for
  Parquet, a journal of the rows (JSON lines) turned into the Parquet file at the end;
- ``progress``: after each report, ``rows bytes state`` (rows done, bytes of ``data`` that
  hold them, the writer's state and the run's counts), appended unbuffered.

When every row is written, the output is renamed into place (one atomic step on the same
file system) and the folder removed. A run killed at any moment (SIGINT, SIGTERM, SIGKILL)
leaves the folder; ``--resume`` cuts ``data`` back to the last recorded row and goes on, so
the finished file is byte for byte the one an uninterrupted run writes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pancyst.io.writers import (
    FLAT_COLUMNS,
    NOTE_NLP_COLUMNS,
    Preparer,
    Writer,
    is_parquet_output,
    open_writer,
)

WORK_SUFFIX = ".part"
FORMAT_VERSION = 1
_SYNC_EVERY_S = 5.0
_COMPACT_AT = 1 << 20  # bytes of progress log before it is rewritten


class ResumeError(RuntimeError):
    """A resume that cannot go on (different run, damaged working folder): a usage problem."""


def work_dir(output: str | Path) -> Path:
    """The working folder of an output path."""
    path = Path(output)
    return path.with_name(path.name + WORK_SUFFIX)


@dataclass(frozen=True)
class Resumed:
    """Where an interrupted run stopped."""

    rows: int
    stats: Counter[str]


class _Journal(Writer):
    """Parquet's stand-in during a run: each payload as one JSON line (dates as ISO text)."""

    def __init__(self, path: Path, kind: str, now: dt.datetime | None, append: bool) -> None:
        super().__init__(path)
        self.preparer = Preparer(kind, now)
        self._handle: IO[str] = path.open("a" if append else "w", encoding="utf-8", newline="")

    def write_prepared(self, payload: Any) -> None:
        self._handle.write(json.dumps(payload, default=_iso, ensure_ascii=False) + "\n")
        self.count += 1

    def flush(self) -> int | None:
        self._handle.flush()
        return os.lseek(self._handle.fileno(), 0, os.SEEK_CUR)

    def close(self) -> None:
        self._handle.close()


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    raise TypeError(f"cannot journal {type(value).__name__}")


def _date_columns() -> tuple[frozenset[str], frozenset[str]]:
    import pyarrow as pa

    columns = [*FLAT_COLUMNS, *NOTE_NLP_COLUMNS]
    dates = frozenset(name for name, kind in columns if pa.types.is_date(kind(pa)))
    stamps = frozenset(name for name, kind in columns if pa.types.is_timestamp(kind(pa)))
    return dates, stamps


def _revive(row: dict[str, Any], dates: frozenset[str], stamps: frozenset[str]) -> dict[str, Any]:
    for key in dates & row.keys():
        if row[key] is not None:
            row[key] = dt.date.fromisoformat(row[key])
    for key in stamps & row.keys():
        if row[key] is not None:
            row[key] = dt.datetime.fromisoformat(row[key])
    return row


class WorkingOutput:
    """The output of one run, written crash-safe; see the module docstring."""

    resumable = True

    def __init__(self, output: str | Path, fmt: str, manifest: dict[str, Any], now: dt.datetime) -> None:
        self.output = Path(output)
        self.fmt = fmt
        self.manifest = {"pancyst_work": FORMAT_VERSION, "format": fmt, **manifest, "now": now.isoformat()}
        self.now = now
        self.dir = work_dir(output)
        self.parquet = is_parquet_output(output, fmt)
        self.data = self.dir / "data"
        self.writer: Writer | None = None
        self._progress: IO[bytes] | None = None
        self._rows = 0
        self._logged = 0
        self._synced = time.monotonic()

    # --- starting ---

    def interrupted_rows(self) -> int | None:
        """Rows an interrupted run finished, or None if there is no working folder."""
        if not self.dir.exists():
            return None
        record = self._last_record()
        return record[0] if record else 0

    def start(self) -> None:
        """A fresh run: a new working folder (an old one is replaced)."""
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        _write_atomic(self.dir / "manifest.json", json.dumps(self.manifest, indent=1, sort_keys=True))
        self.writer = self._open(append=False)
        self._progress = (self.dir / "progress").open("ab", buffering=0)

    def resume(self) -> Resumed:
        """Continue the interrupted run in the working folder; refuse one that differs."""
        found = self._check_manifest()
        self.now = dt.datetime.fromisoformat(found.get("now", self.now.isoformat()))
        self.manifest["now"] = self.now.isoformat()
        record = self._last_record()
        rows, size, state = record if record else (0, 0, {})
        if rows == 0:
            self.start()
            return Resumed(0, Counter())
        with self.data.open("r+b") as handle:
            handle.truncate(size)
        self.writer = self._open(append=True)
        self.writer.restore(state.get("writer", {}))
        self._progress = (self.dir / "progress").open("ab", buffering=0)
        self._rows = rows
        return Resumed(rows, Counter(state.get("stats", {})))

    def _open(self, *, append: bool) -> Writer:
        if self.parquet:
            kind = "note_nlp" if self.fmt == "note_nlp" else "flat"
            return _Journal(self.data, kind, self.now, append)
        return open_writer(self.data, self.fmt, now=self.now, append=append)

    def _check_manifest(self) -> dict[str, Any]:
        try:
            found = json.loads((self.dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ResumeError(f"cannot resume: {self.dir} has no readable manifest ({exc})") from None
        differs = sorted(
            key
            for key in set(found) | set(self.manifest)
            if key != "now" and found.get(key) != self.manifest.get(key)
        )
        if differs:
            raise ResumeError(
                f"cannot resume: this run differs from the interrupted one in {', '.join(differs)}; "
                f"run again without --resume after removing {self.dir}, or use the same settings"
            )
        return dict(found)

    def _last_record(self) -> tuple[int, int, dict[str, Any]] | None:
        """The last complete progress record whose bytes are all in ``data`` (a torn tail is skipped)."""
        try:
            lines = (self.dir / "progress").read_bytes().split(b"\n")
            size = self.data.stat().st_size
        except OSError:
            return None
        for raw in reversed(lines[:-1]):  # the part after the last newline is never complete
            try:
                rows, nbytes, state = raw.decode("utf-8").split(" ", 2)
                record = int(rows), int(nbytes), json.loads(state)
            except ValueError:
                continue
            if record[1] <= size:
                return record
        return None

    # --- writing ---

    def write(self, payload: Any, stats: Counter[str]) -> None:
        """Append one finished report and record it (after the bytes reached the operating system)."""
        if self.writer is None or self._progress is None:
            raise RuntimeError("working output not started")
        self.writer.write_prepared(payload)
        size = self.writer.flush()
        self._rows += 1
        state = {"writer": self.writer.state(), "stats": stats}
        record = f"{self._rows} {size} {json.dumps(state, separators=(',', ':'))}\n".encode()
        self._progress.write(record)
        self._logged += len(record)
        if self._logged > _COMPACT_AT:  # only the last record matters: keep the log small
            self._compact(record)
        if time.monotonic() - self._synced > _SYNC_EVERY_S:  # bound what a power cut can take
            os.fsync(self._progress.fileno())
            self._synced = time.monotonic()

    def _compact(self, record: bytes) -> None:
        if self._progress is not None:
            self._progress.close()
        tmp = self.dir / "progress.tmp"
        tmp.write_bytes(record)
        os.replace(tmp, self.dir / "progress")
        self._progress = (self.dir / "progress").open("ab", buffering=0)
        self._logged = len(record)

    def commit(self) -> None:
        """Every row is written: build the final file and rename it into place."""
        self._close()
        final = self.data
        if self.parquet:
            final = self.dir / "final.parquet"
            self._journal_to_parquet(final)
        _fsync_path(final)
        os.replace(final, self.output)
        shutil.rmtree(self.dir, ignore_errors=True)

    def abort(self) -> None:
        """Stop without finishing: the working folder stays for ``--resume``."""
        self._close()

    def _close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        if self._progress is not None:
            self._progress.close()
            self._progress = None

    def _journal_to_parquet(self, target: Path) -> None:
        dates, stamps = _date_columns()
        with (
            open_writer(target, self.fmt, now=self.now) as writer,
            self.data.open(encoding="utf-8") as journal,
        ):
            for line in journal:
                payload = json.loads(line)
                if isinstance(payload, list):  # NOTE_NLP: a report's rows
                    writer.write_prepared([_revive(row, dates, stamps) for row in payload])
                else:
                    writer.write_prepared(_revive(payload, dates, stamps))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _fsync_path(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


class DirectOutput:
    """Standard output or a device (``-o -``, ``-o /dev/…``): written straight through, no resume."""

    resumable = False

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.output = Path(writer.path)

    def write(self, payload: Any, stats: Counter[str]) -> None:
        self.writer.write_prepared(payload)

    def commit(self) -> None:
        self.writer.close()

    def abort(self) -> None:
        self.writer.close()


def needs_direct(output: str | Path) -> bool:
    """Outputs that cannot take a working file and a rename: stdout, and existing non-regular files."""
    if str(output) == "-":
        return True
    path = Path(output)
    return path.exists() and not path.is_file()
