"""`pancyst categorize` and `pancyst profiles`: the guideline engine on features from elsewhere.

Features may come from another tool or from annotators, so every input line is untrusted: a bad
line becomes an output line with ``errors`` and the batch goes on, one output line per input line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from pydantic import ValidationError

from pancyst.cli._app import app
from pancyst.guideline import Profile, ProfileError, list_profiles, load_profile
from pancyst.guideline.conditions import CLINICAL_INPUTS
from pancyst.guideline.inputs import PATIENT_KEYS, input_problem
from pancyst.io.readers import same_file
from pancyst.pipeline import categorize_features
from pancyst.schema import FEATURE_KEYS, Features, GuidelineRef, NameVersion, ResultLine, line_report_id

__all__ = ["app", "categorize_lines"]

EXTERNAL = NameVersion(name="external", version="-")
# numeric features: JSON true/false there is a mistake, not a number (pydantic would read true as 1.0)
_NUMBER_FEATURES = frozenset(
    name for name, field in Features.model_fields.items() if field.annotation in (float | None, int | None)
)
_KNOWN_KEYS = {"report_id", "pcl_present", "features", "exam_date", *PATIENT_KEYS}


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(value)"
        parts.append(f"{key}: {err['msg']}")
    return "; ".join(parts)


def _one(n: int, raw: str, ref: GuidelineRef, profile: Profile, seen: dict[str, int]) -> ResultLine:
    fallback_id = f"line-{n}"

    def error(report_id: str, message: str, **extra: Any) -> ResultLine:
        return ResultLine(
            report_id=report_id,
            pcl_present=None,
            features=None,
            extractor=EXTERNAL,
            guideline=ref,
            errors=[f"line {n}: {message}"],
            **extra,
        )

    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return error(fallback_id, f"not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(data, dict):
        return error(fallback_id, f"expected a JSON object, got {type(data).__name__}")
    report_id = line_report_id(data.get("report_id"))
    if report_id is None:
        return error(fallback_id, "report_id missing or not a string")
    if report_id in seen:
        return error(report_id, f"duplicate report_id {report_id!r} (first seen at line {seen[report_id]})")
    seen[report_id] = n
    pcl = data.get("pcl_present")
    if not isinstance(pcl, bool):
        return error(report_id, "pcl_present missing or not true/false")
    features = data.get("features") or {}
    if not isinstance(features, dict):
        return error(report_id, "features must be a JSON object")
    flags = sorted(k for k, v in features.items() if isinstance(v, bool) and k in _NUMBER_FEATURES)
    if flags:
        return error(
            report_id, f"invalid features: {', '.join(flags)} must be a number or null, not true/false"
        )
    try:
        exam_date = dt.date.fromisoformat(data["exam_date"]) if data.get("exam_date") else None
    except (TypeError, ValueError):
        return error(report_id, "exam_date is not an ISO date (YYYY-MM-DD)")
    problem = input_problem(data)
    if problem is not None:
        return error(report_id, problem, exam_date=exam_date)
    age = data.get("patient_age")
    clinical = {k: data.get(k) for k in CLINICAL_INPUTS}
    try:
        feats, lesions, derived = categorize_features(
            features,
            pcl_present=pcl,
            patient_age=age,
            jaundice=data.get("jaundice"),
            profile=profile,
            surgical_candidate=data.get("surgical_candidate"),
            clinical=clinical,
        )
    except ValidationError as exc:
        return error(report_id, f"invalid features: {_validation_message(exc)}", exam_date=exam_date)
    unknown = sorted(set(data) - _KNOWN_KEYS)
    missing = [k for k in FEATURE_KEYS if k not in features] if pcl else []
    return ResultLine(
        report_id=report_id,
        pcl_present=pcl,
        features=feats,
        lesions=lesions,
        derived=derived,
        extractor=EXTERNAL,
        guideline=ref,
        exam_date=exam_date,
        patient_age=age,
        warnings=[f"ignored key(s): {', '.join(unknown)}"] * bool(unknown)
        + [f"missing feature key(s), read as not stated: {', '.join(missing)}"] * bool(missing),
    )


def categorize_lines(lines: Iterable[str], profile: Profile) -> Iterator[ResultLine]:
    """One result per non-blank input line, in order; never raises on a bad line."""
    ref = GuidelineRef(profile=profile.name, version=profile.version)
    seen: dict[str, int] = {}
    for n, raw in enumerate(lines, start=1):
        if raw.strip():
            yield _one(n, raw, ref, profile, seen)


def _open_input(path: str) -> contextlib.AbstractContextManager[TextIO]:
    if path == "-":
        return contextlib.nullcontext(sys.stdin)  # do not close the caller's stdin
    return Path(path).open(encoding="utf-8", errors="replace")


@app.command()
def categorize(
    features: Annotated[
        str, typer.Argument(help="JSONL of {report_id, pcl_present, features, ...}; '-' for stdin.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the result JSONL.")],
    profile: Annotated[
        str, typer.Option("--profile", "-p", help="Packaged profile name or a YAML file.")
    ] = "acr2017",
) -> None:
    """Risk category and ACR follow-up from features extracted elsewhere (SPEC §4)."""
    try:
        prof = load_profile(profile)
    except ProfileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if features != "-" and not Path(features).is_file():
        typer.echo(f"error: no such file: {features}", err=True)
        raise typer.Exit(2)
    if features != "-" and same_file(output, features):
        typer.echo(f"error: the output {output} would overwrite the input", err=True)
        raise typer.Exit(2)
    total = errors = 0
    with _open_input(features) as src, output.open("w", encoding="utf-8") as out:
        for line in categorize_lines(src, prof):
            out.write(line.model_dump_json() + "\n")
            total += 1
            errors += bool(line.errors)
    typer.echo(
        f"{total} line(s) written to {output} ({errors} with errors; profile {prof.name} {prof.version})",
        err=True,
    )
    if errors:
        raise typer.Exit(1)  # as extract: some lines have errors, the output is still complete


@app.command()
def profiles() -> None:
    """List the packaged guideline profiles and their versions."""
    for name in list_profiles():
        prof = load_profile(name)
        typer.echo(f"{prof.name}\t{prof.version}\t{prof.description}")
