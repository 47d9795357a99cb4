"""Deterministic risk categories and follow-up recommendations from a guideline profile (SPEC §3-4).

The thresholds, strata, schedules and texts live in a YAML profile; this module only reads the
profile, evaluates its conditions (:mod:`pancyst.guideline.conditions`) and records a trace, so an
institution can change the rules without touching code and every output can say why.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pancyst.guideline.conditions import (
    CLINICAL_INPUTS,
    ConditionError,
    check_condition,
    evaluate,
    features_of,
)
from pancyst.schema import Action, Derived, Lesion, Recommendation, TraceEntry, construct

# Numbers are rounded to this many decimals before rules compare them, so that 2.9999999999 mm
# from a cm -> mm conversion meets a "gte: 30"-style boundary as the report meant it.
_DECIMALS = 6
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
        data = yaml.safe_load(text)
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


# ---------------------------------------------------------------------------------------------
# Evaluation


def _num(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), _DECIMALS)


def _positive(value: float | None) -> float | None:
    """A size, diameter or interval the rules may use: a number <= 0 is no measurement (input_scope
    reports it), so a prior of 0 mm never makes a cyst "grow"."""
    v = _num(value)
    return v if v is not None and v > 0 else None


def scope_problems(
    lesions: list[Lesion], mpd_diameter_mm: float | None, patient_age: float | None, profile: Profile
) -> list[str]:
    """Why a case is outside what the guideline can answer: impossible numbers, or a patient outside its
    age range (ACR 2017 covers adults). Any problem means no schedule."""
    problems: list[str] = []
    age = _num(patient_age)
    lo, hi = profile.scope.min_age, profile.scope.max_age
    if age is not None and not lo <= age <= hi:
        problems.append(f"patient_age {age:g} is outside the guideline's {lo:g}-{hi:g} years")
    mpd = _num(mpd_diameter_mm)
    if mpd is not None and mpd <= 0:
        problems.append(f"mpd_diameter_mm must be > 0 (got {mpd:g})")
    for n, lesion in enumerate(lesions):
        for key in ("size_mm", "prior_size_mm", "nodule_size_mm"):
            v = _num(getattr(lesion, key))
            if v is not None and v <= 0:
                problems.append(f"lesion {n}: {key} must be > 0 (got {v:g})")
        iv = _num(lesion.interval_months)
        if iv is not None and iv <= 0:
            problems.append(
                f"lesion {n}: interval_months must be > 0 (got {iv:g}): the prior exam is not before this one"
            )
    return problems


def growth_threshold_mm(prior_mm: float, profile: Profile) -> float:
    """The size at or above which a lesion of this prior size has grown (SPEC §3)."""
    for band in profile.growth.bands:
        if band.prior_below_mm is None or prior_mm < band.prior_below_mm:
            return round(prior_mm * (1 + band.increase), _DECIMALS)
    raise AssertionError("unreachable: the last growth band has no upper bound")


def growth_status(
    size_mm: float | None, prior_mm: float | None, profile: Profile
) -> Literal["grew", "not_grown", "no_prior"]:
    """SPEC §3: ``grew`` when size >= prior x (1 + t); a known prior with no size is ``not_grown``."""
    size, prior = _num(size_mm), _num(prior_mm)
    if prior is None:
        return "no_prior"
    if size is not None and size >= growth_threshold_mm(prior, profile):
        return "grew"
    return "not_grown"


def _growth_rate(size: float | None, prior: float | None, interval: float | None) -> float | None:
    if size is None or prior is None or interval is None or interval <= 0:
        return None
    return (size - prior) / (interval / 12)


@dataclass(frozen=True)
class _LesionResult:
    ctx: dict[str, Any]
    category: Literal[1, 2, 3]
    stigmata: list[str]
    worrisome: list[str]


def _lesion_context(lesion: Lesion | None, report: Mapping[str, Any]) -> dict[str, Any]:
    ctx: dict[str, Any] = dict(report)
    if lesion is None:
        for key in Lesion.model_fields:
            if key not in ("evidence", "count", "prior_exam_date", "stated_interval_months"):
                ctx[key] = None
        ctx.update(growth=None, growth_mm=None, growth_rate_mm_per_year=None)
        return ctx
    size, prior = _positive(lesion.size_mm), _positive(lesion.prior_size_mm)
    interval = _positive(lesion.interval_months)
    ctx.update(
        size_mm=size,
        location=lesion.location,
        mural_nodule=lesion.mural_nodule,
        nodule_size_mm=_positive(lesion.nodule_size_mm),
        wall_thickening=lesion.wall_thickening,
        septations=lesion.septations,
        mpd_communication=lesion.mpd_communication,
        prior_size_mm=prior,
        interval_months=interval,
        presumed_type=lesion.presumed_type,
        calcification=lesion.calcification,
        growth_mm=None if size is None or prior is None else round(size - prior, _DECIMALS),
        growth_rate_mm_per_year=_num(_growth_rate(size, prior, interval)),
    )
    return ctx


def _trace(*, rule: str, inputs: dict[str, Any], fired: bool, lesion: int | None, effect: str) -> TraceEntry:
    return construct(
        TraceEntry, {"rule": rule, "inputs": inputs, "fired": fired, "lesion": lesion, "effect": effect}
    )


def _evaluate_lesion(
    n: int, lesion: Lesion, report: Mapping[str, Any], profile: Profile, trace: list[TraceEntry]
) -> _LesionResult:
    ctx = _lesion_context(lesion, report)
    size, prior = ctx["size_mm"], ctx["prior_size_mm"]
    ctx["growth"] = growth_status(size, prior, profile)
    trace.append(
        _trace(
            rule="growth_status",
            inputs={
                "size_mm": size,
                "prior_size_mm": prior,
                "grew_at_mm": None if prior is None else growth_threshold_mm(prior, profile),
                "interval_months": ctx["interval_months"],
                "growth_rate_mm_per_year": ctx["growth_rate_mm_per_year"],
            },
            fired=ctx["growth"] == "grew",
            lesion=n,
            effect=ctx["growth"],
        )
    )
    fired: dict[str, list[str]] = {"high-risk stigma": [], "worrisome feature": []}
    for effect, rules in (
        ("high-risk stigma", profile.high_risk_stigmata),
        ("worrisome feature", profile.worrisome_features),
    ):
        for rule in rules:
            hit = evaluate(rule.when, ctx)
            if hit:
                fired[effect].append(rule.id)
            trace.append(
                _trace(
                    rule=rule.id,
                    inputs={f: ctx.get(f) for f in _reads(rule.when)},
                    fired=hit,
                    lesion=n,
                    effect=effect,
                )
            )
    stigmata, worrisome = fired["high-risk stigma"], fired["worrisome feature"]
    category: Literal[1, 2, 3] = 3 if stigmata else 2 if worrisome else 1
    trace.append(
        _trace(
            rule="category",
            inputs={"high_risk_stigmata": stigmata, "worrisome_features": worrisome},
            fired=True,
            lesion=n,
            effect=f"category {category}",
        )
    )
    return _LesionResult(ctx=ctx, category=category, stigmata=stigmata, worrisome=worrisome)


_READS: dict[int, list[str]] = {}


def _reads(cond: Any) -> list[str]:
    """features_of, memoized per condition object: profiles are loaded once and cached."""
    key = id(cond)
    names = _READS.get(key)
    if names is None:
        names = _READS[key] = features_of(cond)
    return names


def index_lesion(categories: list[int], sizes: list[float | None]) -> int | None:
    """SPEC §2: highest category, then largest size (unknown size smallest), then first mentioned."""
    if not categories:
        return None
    return max(
        range(len(categories)),
        key=lambda i: (categories[i], -math.inf if sizes[i] is None else sizes[i], -i),
    )


def _recommend(
    ctx: Mapping[str, Any], lesion: int | None, profile: Profile, trace: list[TraceEntry]
) -> Recommendation:
    for rule in profile.recommendation:
        hit = evaluate(rule.when, ctx)
        trace.append(
            _trace(
                rule=f"recommendation.{rule.id}",
                inputs={f: ctx.get(f) for f in _reads(rule.when)},
                fired=hit,
                lesion=lesion,
                effect=f"recommendation: {rule.action}" if hit else "",
            )
        )
        if hit:
            if rule.note:
                trace[-1] = trace[-1].model_copy(update={"effect": f"{trace[-1].effect} ({rule.note})"})
            return Recommendation(
                action=rule.action,
                stratum=rule.stratum,
                schedule=list(rule.schedule),
                text=rule.text,
                alternatives=list(rule.alternatives),
            )
    return Recommendation(
        action="not_applicable",
        stratum="no matching rule",
        text=f"Profile {profile.name} {profile.version} has no recommendation rule for this case.",
    )


def evaluate_report(
    lesions: list[Lesion],
    *,
    mpd_diameter_mm: float | None,
    mpd_dilated: str,
    jaundice: bool | None,
    patient_age: float | None,
    profile: Profile,
    surgical_candidate: bool | None = None,
    clinical: Mapping[str, Any] | None = None,
) -> Derived:
    """Categorize every lesion with the report-level duct features, pick the index lesion, recommend.

    ``clinical`` holds the optional clinical inputs (CA19-9, pancreatitis, new-onset diabetes) that
    some profiles read; one the profile reads and that is missing is listed in ``assumed_absent``."""
    clinical = clinical or {}
    report: dict[str, Any] = {
        **{key: clinical.get(key) for key in CLINICAL_INPUTS},
        "pcl_present": bool(lesions),
        "mpd_diameter_mm": _positive(mpd_diameter_mm),
        "mpd_dilated": mpd_dilated,
        "jaundice": jaundice,
        "surgical_candidate": surgical_candidate,
        "patient_age": _num(patient_age),
    }
    trace: list[TraceEntry] = []
    if not lesions:
        rec = _recommend(_lesion_context(None, report), None, profile, trace)
        return Derived(recommendation=rec, trace=trace)
    problems = scope_problems(lesions, mpd_diameter_mm, patient_age, profile)
    results = [_evaluate_lesion(n, lesion, report, profile, trace) for n, lesion in enumerate(lesions)]
    categories = [r.category for r in results]
    index = index_lesion(list(categories), [r.ctx["size_mm"] for r in results])
    assert index is not None
    trace.append(
        _trace(
            rule="index_lesion",
            inputs={"categories": list(categories), "sizes_mm": [r.ctx["size_mm"] for r in results]},
            fired=True,
            lesion=index,
            effect="index lesion",
        )
    )
    best = results[index]
    best.ctx["risk_category"] = best.category
    assumed = [key for key in profile.optional_inputs if report.get(key) is None]
    if assumed:
        trace.append(
            _trace(
                rule="assumed_absent",
                inputs={k: None for k in assumed},
                fired=True,
                lesion=None,
                effect=f"not given, taken as absent: {', '.join(assumed)}",
            )
        )
    rate = best.ctx["growth_rate_mm_per_year"]
    return Derived(
        growth=best.ctx["growth"],
        growth_rate_mm_per_year=None if rate is None else round(rate, 2),
        worrisome_features=best.worrisome,
        high_risk_stigmata=best.stigmata,
        risk_category=best.category,
        index_lesion=index,
        lesion_categories=categories,
        assumed_absent=assumed,
        recommendation=_out_of_scope(problems, profile, trace)
        if problems
        else _recommend(best.ctx, index, profile, trace),
        trace=trace,
    )


def _out_of_scope(problems: list[str], profile: Profile, trace: list[TraceEntry]) -> Recommendation:
    trace.append(
        _trace(
            rule="input_scope",
            inputs={"problems": problems},
            fired=True,
            lesion=None,
            effect="recommendation: not_applicable (outside the guideline's scope)",
        )
    )
    return Recommendation(
        action="not_applicable",
        stratum="outside the guideline's scope",
        text=f"Outside the scope of {profile.name} {profile.version}: {'; '.join(problems)}. No schedule is given.",
    )
