"""Gold tracking tables for a synthetic series: the gold lines, linked by their gold lesion ids,
through the same series code as a prediction (so the two differ only where reading and linking do)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pancyst.llm.output import extraction_from_gold
from pancyst.pipeline import GivenExtractor, Pipeline
from pancyst.resources import load_yaml
from pancyst.schema import GoldLine, ReportInput, ResultLine
from pancyst.track.series import SeriesResult, track_patients
from pancyst.track.tables import write_table

_INPUT_KEYS = tuple(ReportInput.model_fields)  # one input schema, as the label factory reads it


def gold_series(lines: Iterable[dict[str, Any]], *, as_of: dt.date, profile: str = "acr2017") -> SeriesResult:
    pipeline = Pipeline(GivenExtractor("gold", "1"), profile=profile)
    pairs: list[tuple[ReportInput, ResultLine]] = []
    given: dict[tuple[str, int], str] = {}
    for line in lines:
        report = ReportInput.model_validate({k: line.get(k) for k in _INPUT_KEYS})
        gold = GoldLine.model_validate(line)
        pairs.append((report, pipeline.assemble(report, extraction_from_gold(gold))))
        for i, lesion_id in enumerate(line.get("gold_lesion_ids") or []):
            given[(report.report_id, i)] = lesion_id
    return track_patients(pairs, as_of=as_of, profile=profile, given=given)


def write_gold(outdir: Path, lines: list[dict[str, Any]], *, as_of: dt.date) -> SeriesResult:
    result = gold_series(lines, as_of=as_of)
    for name in ("exams", "lesions", "patients", "conflicts"):
        write_table(outdir, name, getattr(result, name))
    return result


_LESION_KEYS = {
    "size": "size_mm",
    "location": "location",
    "type": "presumed_type",
    "communication": "mpd_communication",
    "mural_nodule": "mural_nodule",
    "wall_thickening": "wall_thickening",
    "septations": "septations",
    "prior": "prior_size_mm",
}
_REPORT_KEYS = ("mpd_dilated", "mpd_diameter_mm", "multiplicity")


def _gold_lesion(raw: dict[str, Any]) -> dict[str, Any]:
    unknown = set(raw) - set(_LESION_KEYS) - {"lesion"}
    if unknown:
        raise ValueError(f"unknown lesion field(s): {', '.join(sorted(unknown))}")
    return {_LESION_KEYS[k]: v for k, v in raw.items() if k in _LESION_KEYS}


def read_series_yaml(labels: Path, texts: Path | None = None) -> list[dict[str, Any]]:
    """Gold lines from a hand-labelled series file (format: data/dev/longitudinal/series.yaml).

    `texts` supplies report text, dates and ages when `labels` holds labels only (a second
    annotator's file); ids must then match."""

    data = load_yaml(labels.read_text(encoding="utf-8"))
    base = load_yaml(texts.read_text(encoding="utf-8")) if texts else data
    info = {e["report"]: (p, e) for p in base["patients"] for e in p["exams"]}
    lines: list[dict[str, Any]] = []
    for patient in data["patients"]:
        first: dt.date | None = None
        for exam in patient["exams"]:
            source_patient, source = info[exam["report"]]
            day = dt.date.fromisoformat(str(source["date"]))
            first = first or day
            lesions = exam.get("lesions") or []
            lines.append(
                {
                    "report_id": exam["report"],
                    "patient_id": source_patient["id"],
                    "text": source["text"],
                    "exam_date": day.isoformat(),
                    "patient_age": source_patient["age"] + (day - first).days // 365,
                    "pcl_present": bool(lesions),
                    "features": {
                        k: str(exam[k]) if k == "mpd_dilated" else exam[k] for k in _REPORT_KEYS if k in exam
                    },
                    "lesions": [_gold_lesion(le) for le in lesions],
                    "gold_lesion_ids": [f"{source_patient['id']}:{le['lesion']}" for le in lesions],
                }
            )
    return lines
