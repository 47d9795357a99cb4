"""Guideline profiles (rules as data) and the engine that applies them (SPEC §3-4)."""

from pancyst.guideline.conditions import FEATURE_KINDS, ConditionError
from pancyst.guideline.engine import evaluate_report, growth_status, growth_threshold_mm, index_lesion
from pancyst.guideline.profile import (
    GrowthBand,
    GrowthSpec,
    Profile,
    ProfileError,
    RecommendationRule,
    Rule,
    TrackingSpec,
    list_profiles,
    load_profile,
)

__all__ = [
    "FEATURE_KINDS",
    "ConditionError",
    "GrowthBand",
    "GrowthSpec",
    "Profile",
    "ProfileError",
    "RecommendationRule",
    "Rule",
    "TrackingSpec",
    "evaluate_report",
    "growth_status",
    "growth_threshold_mm",
    "index_lesion",
    "list_profiles",
    "load_profile",
]
