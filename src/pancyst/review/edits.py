"""Reviewer edits: form values checked against the SPEC's own types, applied, and re-assembled.

Every control a reviewer sees is built from the pydantic schema (``field_spec``), and every value
that comes back is validated by the same schema, so a correction can never hold a value the
contract does not allow. A corrected extraction goes through the pipeline's own assembly, so the
category and recommendation a reviewer sees are the guideline engine's, never a guess.
"""

from __future__ import annotations

import math
import types
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from pancyst.guideline import load_profile
from pancyst.pipeline import GivenExtractor, Pipeline
from pancyst.schema import Extraction, Lesion, ReportInput, ResultLine

REVIEW_EXTRACTOR = ("review", "1")
# What a reviewer may edit: the report-level features and, per lesion, its features.
REPORT_FIELDS: tuple[str, ...] = ("pcl_present", "multiplicity", "mpd_diameter_mm", "mpd_dilated")
LESION_FIELDS: tuple[str, ...] = (
    "size_mm",
    "location",
    "presumed_type",
    "mural_nodule",
    "nodule_size_mm",
    "wall_thickening",
    "septations",
    "mpd_communication",
    "calcification",
    "prior_size_mm",
    "interval_months",
    "count",
)
# Evidence keys a change to a field makes stale (the quote no longer states the value).
_STALE_EVIDENCE: dict[str, tuple[str, ...]] = {
    "interval_months": ("interval_months", "prior_exam_date", "stated_interval_months"),
}


class EditError(ValueError):
    """A form value the schema does not allow; the message names the field."""


@dataclass(frozen=True)
class FieldSpec:
    """How one field is edited: a closed set of choices, a number, a whole number or yes/no."""

    name: str
    kind: Literal["choice", "number", "integer", "boolean"]
    choices: tuple[str, ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class Change:
    """One corrected value: `field` is ``report.NAME``, ``lesion.N.NAME``, ``lesion.N`` (added/removed)."""

    field: str
    old: Any
    new: Any


def _model_for(name: str) -> type[BaseModel]:
    return Extraction if name in REPORT_FIELDS else Lesion


@cache
def field_spec(name: str) -> FieldSpec:
    """The control for a report-level or lesion field, read off the schema's annotation."""
    annotation = _model_for(name).model_fields[name].annotation
    args = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    optional = type(None) in args
    inner = next(a for a in args if a is not type(None))
    if get_origin(inner) is Literal:
        return FieldSpec(name, "choice", tuple(str(c) for c in get_args(inner)), optional)
    if inner is bool:
        return FieldSpec(name, "boolean", ("true", "false"), optional)
    if inner is int:
        return FieldSpec(name, "integer", (), optional)
    if inner is float:
        return FieldSpec(name, "number", (), optional)
    raise TypeError(f"no control for field {name} ({annotation})")


def parse_value(spec: FieldSpec, raw: str, where: str) -> Any:
    """A form string as the field's value; blank is null where the field allows it."""
    text = raw.strip()
    if text == "":
        if spec.optional:
            return None
        raise EditError(f"{where}: a value is required")
    if spec.kind in ("choice", "boolean"):
        if text not in spec.choices:
            raise EditError(f"{where}: {text!r} is not one of {', '.join(spec.choices)}")
        return text == "true" if spec.kind == "boolean" else text
    try:
        number = float(text)
    except ValueError:
        raise EditError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(number) or number < 0:
        raise EditError(f"{where}: {text!r} is not a non-negative number")
    if spec.kind == "integer":
        if number != int(number) or number < 1:
            raise EditError(f"{where}: {text!r} is not a whole number of at least 1")
        return int(number)
    return number


def _drop_evidence(spans: list[Any], field: str) -> list[Any]:
    stale = _STALE_EVIDENCE.get(field, (field,))
    return [s for s in spans if s.feature not in stale]


def _set_lesion(lesion: Lesion, field: str, value: Any, where: str) -> Lesion:
    update: dict[str, Any] = {field: value}
    if field == "interval_months":  # the reviewer states the interval: no date to recompute it from
        update.update(stated_interval_months=value, prior_exam_date=None)
    data = {**lesion.model_dump(), **update, "evidence": _drop_evidence(list(lesion.evidence), field)}
    try:
        return Lesion.model_validate(data)
    except ValidationError as exc:
        raise EditError(f"{where}: {exc.errors()[0]['msg']}") from None


def _lesion_changes(form: Mapping[str, str], n: int, lesion: Lesion, changes: list[Change]) -> Lesion:
    for field in LESION_FIELDS:
        key = f"lesion.{n}.{field}"
        if key not in form:
            continue
        value = parse_value(field_spec(field), form[key], f"lesion {n + 1} {field}")
        old = getattr(lesion, field)
        if value != old:
            lesion = _set_lesion(lesion, field, value, f"lesion {n + 1} {field}")
            changes.append(Change(key, old, value))
    return lesion


def apply_form(extraction: Extraction, form: Mapping[str, str]) -> tuple[Extraction, list[Change]]:
    """The extraction with every changed form value applied, and the list of changes.

    Fields absent from the form are left as they are; a value the schema does not allow raises
    :class:`EditError` and nothing is applied."""
    changes: list[Change] = []
    report: dict[str, Any] = {}
    evidence = {k: list(v) for k, v in extraction.evidence.items()}
    for field in REPORT_FIELDS:
        key = f"report.{field}"
        if key not in form:
            continue
        value = parse_value(field_spec(field), form[key], field)
        old = getattr(extraction, field)
        if value != old:
            report[field] = value
            evidence.pop(field, None)
            changes.append(Change(key, old, value))
    lesions = [_lesion_changes(form, n, lesion, changes) for n, lesion in enumerate(extraction.lesions)]
    updated = extraction.model_copy(update={**report, "lesions": lesions, "evidence": evidence})
    return Extraction.model_validate(updated.model_dump()), changes


def add_lesion(extraction: Extraction) -> tuple[Extraction, Change]:
    """A new, empty lesion (a cyst the machine missed); the report now has a PCL."""
    n = len(extraction.lesions)
    lesions = [*extraction.lesions, Lesion()]
    return extraction.model_copy(update={"lesions": lesions, "pcl_present": True}), Change(
        f"lesion.{n}", None, "added"
    )


def remove_lesion(extraction: Extraction, n: int) -> tuple[Extraction, Change]:
    """Drop lesion `n` (not a cyst, or counted twice)."""
    if not 0 <= n < len(extraction.lesions):
        raise EditError(f"no lesion {n + 1} in this report")
    removed = extraction.lesions[n]
    lesions = [le for i, le in enumerate(extraction.lesions) if i != n]
    summary = f"{removed.location} {removed.size_mm if removed.size_mm is not None else '?'} mm"
    return extraction.model_copy(update={"lesions": lesions}), Change(f"lesion.{n}", summary, "removed")


@cache
def _assembler(profile: str) -> Pipeline:
    return Pipeline(GivenExtractor(*REVIEW_EXTRACTOR), profile=load_profile(profile))


def recompute(report: ReportInput, extraction: Extraction, profile: str) -> ResultLine:
    """The reviewed extraction assembled like any backend's: intervals, index lesion, category, trace."""
    return _assembler(profile).assemble(report, extraction)
