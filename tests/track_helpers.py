"""Helpers for the tracking tests."""

from __future__ import annotations

from typing import Any

from pancyst.track.series import SeriesResult


def by_report(result: SeriesResult, table: str = "lesions") -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in getattr(result, table):
        out.setdefault(row["report_id"], []).append(row)
    return out
