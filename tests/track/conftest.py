"""Series built from report text through the rules backend, as `pancyst track` runs them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from pancyst.extract import get_extractor
from pancyst.pipeline import Pipeline
from pancyst.schema import ReportInput
from pancyst.track import track_patients
from pancyst.track.series import SeriesResult

AS_OF = dt.date(2024, 1, 1)


@pytest.fixture(scope="session")
def run_series() -> Callable[..., SeriesResult]:
    pipeline = Pipeline(get_extractor("rules"))

    def run(rows: list[dict[str, Any]], **kw: Any) -> SeriesResult:
        reports = [ReportInput.model_validate(r) for r in rows]
        lines = list(pipeline.run(reports))
        return track_patients(list(zip(reports, lines, strict=True)), as_of=kw.pop("as_of", AS_OF), **kw)

    return run
