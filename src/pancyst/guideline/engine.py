"""Deterministic risk categories and follow-up recommendations from a guideline profile (SPEC §3-4).

The thresholds, strata, schedules and texts live in a YAML profile (:mod:`pancyst.guideline.profile`);
this module only evaluates its conditions (:mod:`pancyst.guideline.conditions`) and records a trace,
so an institution can change the rules without touching code and every output can say why. It holds
no pydantic model of its own, so the compiled build (``make setup-fast``) compiles it with mypyc.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pancyst.construct import construct
from pancyst.guideline.conditions import CLINICAL_INPUTS, evaluate, features_of
from pancyst.guideline.profile import Profile
from pancyst.schema import Derived, Lesion, Recommendation, TraceEntry

# Numbers are rounded to this many decimals before rules compare them, so that 2.9999999999 mm
# from a cm -> mm conversion meets a "gte: 30"-style boundary as the report meant it.
_DECIMALS = 6

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
