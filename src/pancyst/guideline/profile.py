"""Guideline profiles: the YAML rules (thresholds, strata, schedules, texts) as validated models.

A profile is data an institution can edit; this module reads and checks it (every condition
parsed, rule ids unique) so the engine (:mod:`pancyst.guideline.engine`) only evaluates.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pancyst.guideline.conditions import CLINICAL_INPUTS, ConditionError, check_condition
from pancyst.resources import load_yaml
from pancyst.schema import Action

_PACKAGE = "pancyst.guideline"
# Trace entries the engine writes itself; profile rules may not take these ids.
RESERVED_RULE_IDS = frozenset({"growth_status", "category", "index_lesion", "input_scope", "assumed_absent"})


class ProfileError(ValueError):
    """A profile that cannot be found or does not validate; the message names the bad key."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GrowthBand(_Frozen):
    """Growth means size >= prior x (1 + increase) for priors below ``prior_below_mm`` (None: no bound)."""

    prior_below_mm: float | None = None
    increase: float = Field(ge=0)


class GrowthSpec(_Frozen):
    bands: list[GrowthBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> GrowthSpec:
        bounds = [b.prior_below_mm for b in self.bands]
        if bounds[-1] is not None:
            raise ValueError("the last growth band must have prior_below_mm: null (no upper bound)")
        finite = [b for b in bounds[:-1] if b is not None]
        if len(finite) != len(bounds) - 1 or finite != sorted(finite):
            raise ValueError("growth bands must be in ascending prior_below_mm order, only the last one null")
        return self


def _checked_condition(value: Any) -> Any:
    if value is not None:
        try:
            check_condition(value)
        except ConditionError as exc:
            raise ValueError(str(exc)) from None
    return value


class Rule(_Frozen):
    """A worrisome feature or high-risk stigma: fires when ``when`` holds for a lesion."""

    id: str = Field(min_length=1)
    when: dict[str, Any]
    description: str = ""

    @field_validator("when")
    @classmethod
    def _valid_when(cls, v: Any) -> Any:
        return _checked_condition(v)


class RecommendationRule(_Frozen):
    """One row of the ordered decision list; no ``when`` means it always matches."""

    id: str = Field(min_length=1)
    when: dict[str, Any] | None = None
    action: Action
    stratum: str
    schedule: list[tuple[int, int]] = Field(default_factory=list)
    text: str
    alternatives: list[Action] = Field(default_factory=list)
    note: str = ""  # for the trace: which rule sets the action, and why the category may differ

    @field_validator("when")
    @classmethod
    def _valid_when(cls, v: Any) -> Any:
        return _checked_condition(v)

    @model_validator(mode="after")
    def _schedule_matches_action(self) -> RecommendationRule:
        if self.action == "surveillance" and not self.schedule:
            raise ValueError(f"rule {self.id!r}: a surveillance rule needs a schedule")
        if self.action != "surveillance" and self.schedule:
            raise ValueError(f"rule {self.id!r}: only surveillance has a schedule (SPEC §4)")
        if any(months <= 0 or count <= 0 for months, count in self.schedule):
            raise ValueError(f"rule {self.id!r}: schedule intervals and counts must be positive")
        if self.action in self.alternatives:
            raise ValueError(f"rule {self.id!r}: an alternative must differ from the action")
        return self


class Scope(_Frozen):
    """The patients a guideline speaks for (ACR 2017: asymptomatic adults)."""

    min_age: float = 18
    max_age: float = 120


class TrackingSpec(_Frozen):
    """How a patient's series is followed (`pancyst track`): when surveillance may stop, the grace window.

    ``stop_when_stable_for: schedule`` means the index cyst may leave surveillance once it has not
    grown for as long as its stratum's whole schedule lasts (ACR 2017: "stop if stable" after the
    listed exams); ``never`` keeps every patient under surveillance (lifelong follow-up)."""

    stop_when_stable_for: Literal["schedule", "never"] = "schedule"
    grace_months: float = Field(default=3.0, ge=0)
    fukuoka_growth_mm: float = Field(default=5.0, gt=0, description="Growth flag: at least this over...")
    fukuoka_window_months: float = Field(default=24.0, gt=0, description="...this many months.")
    kyoto_rate_mm_per_year: float = Field(default=2.5, gt=0, description="Growth-rate flag.")


class Profile(_Frozen):
    """A named, versioned guideline: growth bands, stigmata, worrisome features, recommendation list."""

    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    description: str = ""
    source: str = ""
    growth: GrowthSpec
    scope: Scope = Field(default_factory=Scope)
    high_risk_stigmata: list[Rule]
    worrisome_features: list[Rule]
    recommendation_from: str | None = None
    recommendation: list[RecommendationRule] = Field(min_length=1)
    # clinical inputs the rules read that reports rarely state: a missing one is taken as absent, and
    # the output says so (derived.assumed_absent)
    optional_inputs: list[str] = Field(default_factory=list)
    tracking: TrackingSpec = Field(default_factory=TrackingSpec)

    @field_validator("optional_inputs")
    @classmethod
    def _known_inputs(cls, v: list[str]) -> list[str]:
        unknown = sorted(set(v) - set(CLINICAL_INPUTS))
        if unknown:
            raise ValueError(
                f"unknown optional input(s) {', '.join(unknown)}; known: {', '.join(CLINICAL_INPUTS)}"
            )
        return v

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int | float) else v

    @model_validator(mode="after")
    def _unique_ids(self) -> Profile:
        for label, rules in (
            ("high_risk_stigmata/worrisome_features", [*self.high_risk_stigmata, *self.worrisome_features]),
            ("recommendation", self.recommendation),
        ):
            ids = [r.id for r in rules]
            reserved = sorted(set(ids) & RESERVED_RULE_IDS)
            if reserved:
                raise ValueError(
                    f"rule id(s) reserved for the engine's own trace in {label}: {', '.join(reserved)}"
                )
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"duplicate rule id(s) in {label}: {', '.join(dupes)}")
        return self


# ---------------------------------------------------------------------------------------------
# Loading


def list_profiles() -> list[str]:
    """Names of the profiles shipped with the package."""
    folder = resources.files(_PACKAGE) / "profiles"
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _read(name_or_path: str) -> tuple[str, Path | None]:
    if name_or_path in list_profiles():
        return (resources.files(_PACKAGE) / "profiles" / f"{name_or_path}.yaml").read_text("utf-8"), None
    path = Path(name_or_path)
    if path.is_file():
        try:
            return path.read_text("utf-8"), path
        except (OSError, UnicodeDecodeError) as exc:
            raise ProfileError(f"cannot read guideline profile {name_or_path}: {exc}") from None
    raise ProfileError(
        f"unknown guideline profile {name_or_path!r}: not a packaged profile ({', '.join(list_profiles())}) "
        "and not a file"
    )


def _format_validation(source: str, exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        key = ".".join(str(part) for part in err["loc"]) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        problems.append(f"{key}: {msg}")
    return f"invalid guideline profile {source}: " + "; ".join(problems)


def _parse(name_or_path: str, seen: tuple[str, ...]) -> Profile:
    text, path = _read(name_or_path)
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"invalid guideline profile {name_or_path}: not YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ProfileError(f"invalid guideline profile {name_or_path}: expected a mapping at the top level")
    base = data.get("recommendation_from")
    if base is not None:
        if "recommendation" in data:
            raise ProfileError(
                f"invalid guideline profile {name_or_path}: recommendation: give either it or recommendation_from"
            )
        if not isinstance(base, str) or base in seen:
            raise ProfileError(
                f"invalid guideline profile {name_or_path}: recommendation_from: bad or circular {base!r}"
            )
        if path is not None and base not in list_profiles() and not Path(base).is_absolute():
            base = str(path.parent / base)
        parent = _parse(base, (*seen, name_or_path))
        data = {**data, "recommendation": [r.model_dump() for r in parent.recommendation]}
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(_format_validation(name_or_path, exc)) from None


@functools.lru_cache(maxsize=32)
def _load_cached(name_or_path: str) -> Profile:
    return _parse(name_or_path, ())


def load_profile(name_or_path: str = "acr2017") -> Profile:
    """A packaged profile by name, or a YAML file by path; cached (edit a file, restart to reload)."""
    return _load_cached(str(name_or_path))
