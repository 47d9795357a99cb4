"""Apps over fresh databases made from the sample run, and a way to read a page's CSRF token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pancyst.review import ReviewStore
from pancyst.study import StudyStore
from pancyst.webapp import create_review_app, create_study_app


@pytest.fixture
def review_db(sample_run, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "review.sqlite"
    ReviewStore.load(path, sample_run.lines, sample_run.texts)
    return path


@pytest.fixture
def review_client(review_db: Path) -> Any:
    return create_review_app(str(review_db), "tester").test_client()


@pytest.fixture
def study(sample_run, tmp_path: Path) -> tuple[Path, dict[str, str]]:  # type: ignore[no-untyped-def]
    path = tmp_path / "study.sqlite"
    _, tokens = StudyStore.create(
        path, sample_run.lines, sample_run.texts, readers=["r1", "r2"], cases=6, seed=7, adjudicator="adj"
    )
    return path, tokens


@pytest.fixture
def study_app(study: tuple[Path, dict[str, str]]) -> Any:
    return create_study_app(str(study[0]), bootstrap=50)
