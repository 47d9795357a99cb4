"""What every result writer shares: the Writer interface and the file helpers.

A module of its own below ``writers`` and ``review``, so that the HTML review page can be a
writer without importing the other writers, and the writers can offer it without a cycle.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from pancyst.schema import ResultLine

# result, report text -> what the writer appends (picklable: worker processes run it)
Prepare = Callable[[ResultLine, str | None], Any]


class Writer(ABC):
    """Takes result lines in input order; a context manager that closes what it opened."""

    preparer: Prepare

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self.count = 0

    def write(self, result: ResultLine, text: str | None = None) -> None:
        """Write one result; ``text`` is the report it came from, when there is one."""
        self.write_prepared(self.preparer(result, text))

    @abstractmethod
    def write_prepared(self, payload: Any) -> None:
        """Append what :attr:`preparer` made of one result."""

    @abstractmethod
    def close(self) -> None:
        """Flush and close; safe to call twice."""

    def flush(self) -> int | None:
        """Push what was written to the operating system; the file's size in bytes, where it has one."""
        return None

    def state(self) -> dict[str, Any]:
        """What a resumed writer needs besides the bytes already written (NOTE_NLP's next id)."""
        return {}

    def restore(self, state: dict[str, Any]) -> None:  # noqa: B027 - optional hook
        """Continue from :meth:`state` (``--resume``)."""

    def __enter__(self) -> Writer:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_text(path: str | Path, append: bool = False) -> IO[str]:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.open("a" if append else "w", encoding="utf-8", errors="replace", newline="")


def flushed_size(handle: IO[str]) -> int:
    """Flush a text handle and return the file's length in bytes (``tell`` on text is a cookie)."""
    handle.flush()
    return os.lseek(handle.fileno(), 0, os.SEEK_CUR)


def report_value(result: ResultLine, key: str) -> Any:
    """The value a report-level evidence key supports (a feature, pcl_present, exam_date)."""
    if key == "pcl_present":
        return result.pcl_present
    if key == "exam_date":
        return result.exam_date
    if result.features is not None and key in type(result.features).model_fields:
        return getattr(result.features, key)
    return None
