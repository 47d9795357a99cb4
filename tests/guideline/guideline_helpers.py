"""Helpers shared by the guideline tests."""

from __future__ import annotations

from typing import Any

from pancyst.guideline import evaluate_report, load_profile
from pancyst.schema import Derived, Lesion


def run(
    lesions: list[dict[str, Any]] | dict[str, Any] | None = None,
    *,
    mpd: float | None = None,
    dilated: str = "not_stated",
    jaundice: bool | None = None,
    age: float | None = 50,
    profile: str = "acr2017",
    candidate: bool | None = None,
    clinical: dict[str, Any] | None = None,
) -> Derived:
    """Evaluate a report built from plain dicts (one dict = one lesion)."""
    if lesions is None:
        items: list[dict[str, Any]] = []
    elif isinstance(lesions, dict):
        items = [lesions]
    else:
        items = lesions
    return evaluate_report(
        [Lesion(**item) for item in items],
        mpd_diameter_mm=mpd,
        mpd_dilated=dilated,
        jaundice=jaundice,
        patient_age=age,
        profile=load_profile(profile),
        surgical_candidate=candidate,
        clinical=clinical,
    )
