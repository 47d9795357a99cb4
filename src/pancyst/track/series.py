"""A patient's series: linked lesions, growth from the patient's own earlier reports, adherence.

Each exam is re-assembled through the pipeline with the priors its series gives it, so the
category and recommendation of an exam whose report states no prior still reflect the growth
since the earlier report, through the same guideline profile as everything else. A prior the
report states that disagrees with the earlier report's own measurement is flagged, and the
earlier report's measurement wins (it is what was measured; a stated prior is a recollection).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pancyst.guideline import Profile, growth_status, load_profile
from pancyst.pipeline import GivenExtractor, Pipeline, extraction_from_result
from pancyst.schema import Lesion, ReportInput, ResultLine
from pancyst.track.adherence import adherence_of, months_between, next_due_months
from pancyst.track.link import ExamLesions, LinkRules, Observation, Track, link_patient, load_rules


@dataclass
class ExamResult:
    report: ReportInput
    line: ResultLine  # the series-adjusted result line
    row: dict[str, Any]


@dataclass
class SeriesResult:
    exams: list[dict[str, Any]] = field(default_factory=list)
    lesions: list[dict[str, Any]] = field(default_factory=list)
    patients: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    lines: list[ResultLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _patient_key(report: ReportInput) -> str:
    return report.patient_id if report.patient_id else f"report:{report.report_id}"


def group_patients(
    pairs: Iterable[tuple[ReportInput, ResultLine]],
) -> tuple[dict[str, list[tuple[ReportInput, ResultLine]]], int]:
    """Reports by patient in input order; a report without patient_id is its own patient (counted)."""
    groups: dict[str, list[tuple[ReportInput, ResultLine]]] = {}
    alone = 0
    for report, line in pairs:
        alone += report.patient_id is None and not line.errors
        groups.setdefault(_patient_key(report), []).append((report, line))
    return groups, alone


@dataclass
class _Exam:
    report: ReportInput
    line: ResultLine
    date: dt.date


def _error(report: ReportInput, line: ResultLine) -> str | None:
    if line.errors:
        return "; ".join(line.errors)
    if line.exam_date is None and report.exam_date is None:
        return "no exam_date (column or text): the exam cannot be placed in the series"
    return None


def _earlier(track: Track, exam: int) -> list[Observation]:
    return [
        o for o in track.observations if o.exam < exam and o.size_mm is not None and o.exam_date is not None
    ]


class _Patient:
    """One patient's series worked out: links, series priors, re-assembly, rows."""

    def __init__(
        self,
        patient_id: str,
        exams: list[_Exam],
        pipeline: Pipeline,
        rules: LinkRules,
        given: dict[tuple[str, int], str] | None = None,
    ) -> None:
        self.id = patient_id
        self.exams = exams
        self.pipeline = pipeline
        self.profile: Profile = pipeline.profile
        self.rules = rules
        inputs = [
            ExamLesions(
                e.report.report_id, e.date, e.report.text, list(e.line.lesions) if e.line.pcl_present else []
            )
            for e in exams
        ]
        self.tracks, self.events = link_patient(patient_id, inputs, rules, given)
        self.track_of: dict[tuple[int, int], Track] = {
            (o.exam, o.lesion): t for t in self.tracks for o in t.observations
        }
        self.conflicts: list[dict[str, Any]] = []
        self.sources: dict[tuple[int, int], Observation] = {}
        self.lines = [self._reassemble(n) for n in range(len(exams))]

    # ---- series priors ---------------------------------------------------------------------------
    def _series_prior(self, n: int, i: int, lesion: Lesion) -> Lesion:
        track = self.track_of.get((n, i))
        if track is None:
            return lesion
        earlier = _earlier(track, n)
        if not earlier:
            return lesion
        source = earlier[-1]
        if lesion.prior_size_mm is not None and lesion.prior_exam_date is not None:
            same_day = [o for o in earlier if o.exam_date == lesion.prior_exam_date]
            source = same_day[-1] if same_day else source
        last = track.observations[[o.exam for o in track.observations].index(n) - 1]
        if "unspecified" not in (last.location, lesion.location) and last.location != lesion.location:
            self._conflict(
                n, track, "location_changed", f"{last.location} in {last.report_id}, {lesion.location} here"
            )
        if lesion.prior_size_mm is not None:
            assert source.size_mm is not None
            if self.rules.agrees(lesion.prior_size_mm, source.size_mm):
                return lesion
            self._conflict(
                n,
                track,
                "stated_prior_disagrees",
                f"stated prior {lesion.prior_size_mm:g} mm; {source.report_id} ({source.exam_date}) measured "
                f"{source.size_mm:g} mm, which is used",
            )
        self.sources[(n, i)] = source
        return lesion.model_copy(
            update={
                "prior_size_mm": source.size_mm,
                "prior_exam_date": source.exam_date,
                "stated_interval_months": None,
            }
        )

    def _conflict(self, n: int, track: Track, kind: str, detail: str) -> None:
        self.conflicts.append(
            {
                "patient_id": self.id,
                "lesion_id": track.lesion_id,
                "report_id": self.exams[n].report.report_id,
                "exam_date": self.exams[n].date,
                "kind": kind,
                "detail": detail,
            }
        )

    def _reassemble(self, n: int) -> ResultLine:
        exam = self.exams[n]
        extraction = extraction_from_result(exam.line)
        lesions = [self._series_prior(n, i, le) for i, le in enumerate(extraction.lesions)]
        report = exam.report.model_copy(update={"exam_date": exam.date})
        line = self.pipeline.assemble(report, extraction.model_copy(update={"lesions": lesions}))
        notes = [
            f"series: lesion {i + 1} prior {src.size_mm:g} mm from {src.report_id} ({src.exam_date})"
            for (m, i), src in sorted(self.sources.items())
            if m == n
        ]
        return line.model_copy(
            update={
                "warnings": [*exam.line.warnings, *notes],
                "flags": exam.line.flags,
                "meta": exam.line.meta,
                "extractor": exam.line.extractor,
            }
        )

    # ---- rows --------------------------------------------------------------------------------------
    def lesion_rows(self) -> list[dict[str, Any]]:
        rows = []
        for event in self.events:
            exam = self.exams[event.exam]
            row: dict[str, Any] = {
                "patient_id": self.id,
                "lesion_id": event.track.lesion_id,
                "report_id": exam.report.report_id,
                "exam_date": exam.date,
                "status": event.status,
                "size_mm": None,
                "location": None,
                "presumed_type": None,
                "acr_growth": None,
                "growth_rate_mm_per_year": None,
                "fukuoka_growth": None,
                "kyoto_growth": None,
                "prior_size_mm": None,
                "prior_report_id": None,
                "conflicts": None,
            }
            if event.observation is not None:
                row.update(self._growth(event.exam, event.observation, event.track))
            mine = [
                c["kind"]
                for c in self.conflicts
                if c["lesion_id"] == event.track.lesion_id and c["report_id"] == exam.report.report_id
            ]
            row["conflicts"] = "|".join(mine) or None
            rows.append(row)
        return rows

    def _growth(self, n: int, obs: Observation, track: Track) -> dict[str, Any]:
        lesion = self.lines[n].lesions[obs.lesion]
        prior, size = lesion.prior_size_mm, lesion.size_mm
        rate = None
        if prior is not None and size is not None and lesion.interval_months and lesion.interval_months > 0:
            rate = round((size - prior) / (lesion.interval_months / 12.0), 2)
        spec = self.profile.tracking
        day = self.exams[n].date
        window = [
            o.size_mm
            for o in _earlier(track, n)
            if o.exam_date is not None
            and o.size_mm is not None
            and months_between(o.exam_date, day) <= spec.fukuoka_window_months
        ]
        source = self.sources.get((n, obs.lesion))
        return {
            "size_mm": size,
            "location": lesion.location,
            "presumed_type": lesion.presumed_type,
            "acr_growth": growth_status(size, prior, self.profile),
            "growth_rate_mm_per_year": rate,
            "fukuoka_growth": None
            if size is None or not window
            else any(size - before >= spec.fukuoka_growth_mm for before in window),
            "kyoto_growth": None if rate is None else rate >= spec.kyoto_rate_mm_per_year,
            "prior_size_mm": prior,
            "prior_report_id": source.report_id if source else None,
        }

    def _stable_months(self, n: int) -> float | None:
        """Months the index cyst has gone without growing (since first seen or since it last grew)."""
        line = self.lines[n]
        index = line.derived.index_lesion if line.derived else None
        track = self.track_of.get((n, index)) if index is not None else None
        if track is None:
            return None
        since = self.exams[track.observations[0].exam].date
        for obs in track.observations:
            if obs.exam > n:
                break
            grown = self.lines[obs.exam].lesions[obs.lesion]
            if growth_status(grown.size_mm, grown.prior_size_mm, self.profile) == "grew":
                since = self.exams[obs.exam].date
        return months_between(since, self.exams[n].date)

    def exam_rows(self, as_of: dt.date, grace: float) -> list[dict[str, Any]]:
        rows = []
        for n, (exam, line) in enumerate(zip(self.exams, self.lines, strict=True)):
            derived = line.derived
            rec = derived.recommendation if derived else None
            following = self.exams[n + 1].date if n + 1 < len(self.exams) else None
            adherence, due = adherence_of(
                exam.date,
                rec,
                following,
                as_of=as_of,
                grace_months=grace,
                stable_months=self._stable_months(n),
                profile=self.profile,
            )
            index = derived.index_lesion if derived else None
            track = self.track_of.get((n, index)) if index is not None else None
            rows.append(
                {
                    "patient_id": self.id,
                    "report_id": exam.report.report_id,
                    "exam_date": exam.date,
                    "index_lesion_id": track.lesion_id if track else None,
                    "risk_category": derived.risk_category if derived else None,
                    "recommendation_action": rec.action if rec else None,
                    "recommendation_text": rec.text if rec else None,
                    "next_due_months": next_due_months(rec) if adherence != "complete" else None,
                    "next_due_date": due,
                    "next_exam_date": following,
                    "adherence": adherence,
                    "series_prior": any(m == n for m, _ in self.sources),
                    "errors": None,
                }
            )
        return rows


def _patient_row(
    patient_id: str, exams: list[dict[str, Any]], n_lesions: int, n_errors: int
) -> dict[str, Any]:
    valid = [e for e in exams if e["errors"] is None]
    last = valid[-1] if valid else None
    cats = [e["risk_category"] for e in valid if e["risk_category"] is not None]
    counts = {k: sum(e["adherence"] == k for e in valid) for k in ("on_time", "early", "late")}
    return {
        "patient_id": patient_id,
        "n_exams": len(valid),
        "n_error_exams": n_errors,
        "n_lesions": n_lesions,
        "first_exam_date": valid[0]["exam_date"] if valid else None,
        "last_exam_date": last["exam_date"] if last else None,
        "highest_category": max(cats) if cats else None,
        "current_category": last["risk_category"] if last else None,
        "current_recommendation": last["recommendation_action"] if last else None,
        "current_next_due_date": last["next_due_date"] if last else None,
        "current_adherence": last["adherence"] if last else None,
        "n_on_time": counts["on_time"],
        "n_early": counts["early"],
        "n_late": counts["late"],
    }


def _error_row(patient_id: str, report: ReportInput, line: ResultLine, why: str) -> dict[str, Any]:
    return {
        "patient_id": patient_id,
        "report_id": report.report_id,
        "exam_date": report.exam_date or line.exam_date,
        "index_lesion_id": None,
        "risk_category": None,
        "recommendation_action": None,
        "recommendation_text": None,
        "next_due_months": None,
        "next_due_date": None,
        "next_exam_date": None,
        "adherence": None,
        "series_prior": False,
        "errors": why,
    }


def track_patients(
    pairs: Sequence[tuple[ReportInput, ResultLine]],
    *,
    as_of: dt.date,
    grace_months: float | None = None,
    profile: Profile | str = "acr2017",
    rules: LinkRules | None = None,
    given: dict[tuple[str, int], str] | None = None,
    sink: Callable[[ResultLine], None] | None = None,
) -> SeriesResult:
    """Every patient's series: the exams, lesions, patients and conflicts tables, and adjusted lines.

    `given` holds known lesion ids (report_id, lesion index) -> id: the gold tables of a synthetic
    series are made this way, by the same code with the gold links. With `sink`, each adjusted line
    goes there as soon as its patient is done instead of into the result (a large run's lines, with
    their rule traces, are never all in memory)."""
    prof = load_profile(profile) if isinstance(profile, str) else profile
    grace = prof.tracking.grace_months if grace_months is None else grace_months
    rules = rules or load_rules()
    out = SeriesResult()
    emit = sink if sink is not None else out.lines.append
    groups, alone = group_patients(pairs)
    if alone:
        out.warnings.append(f"{alone} report(s) have no patient_id: each is its own patient")
    pipelines: dict[tuple[str, str], Pipeline] = {}
    for patient_id, members in groups.items():
        exams: list[_Exam] = []
        rows: list[dict[str, Any]] = []
        for report, line in members:
            why = _error(report, line)
            if why is not None:
                rows.append(_error_row(patient_id, report, line, why))
                emit(line)
            else:
                exams.append(_Exam(report, line, report.exam_date or line.exam_date))  # type: ignore[arg-type]
        exams.sort(key=lambda e: e.date)  # stable: same-day exams keep input order
        if exams:
            ref = exams[0].line.extractor
            key = (ref.name, ref.version)
            pipeline = pipelines.setdefault(key, Pipeline(GivenExtractor(*key), profile=prof))
            patient = _Patient(patient_id, exams, pipeline, rules, given)
            rows = patient.exam_rows(as_of, grace) + rows
            out.lesions += patient.lesion_rows()
            out.conflicts += patient.conflicts
            for adjusted in patient.lines:
                emit(adjusted)
            n_lesions = len(patient.tracks)
        else:
            n_lesions = 0
        out.exams += rows
        out.patients.append(_patient_row(patient_id, rows, n_lesions, len(rows) - len(exams)))
    return out
