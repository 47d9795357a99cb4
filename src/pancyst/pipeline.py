"""Report in, one SPEC §6 result line out: checks the text, runs a backend, computes what code computes.

Whatever a backend returns, intervals, growth, index lesion and category come from here and
the guideline engine, so every backend is held to the same arithmetic.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, cast

from pancyst.extract.base import Extractor
from pancyst.guideline import Profile, evaluate_report, load_profile
from pancyst.guideline.conditions import CLINICAL_INPUTS
from pancyst.llm.output import extraction_from_gold
from pancyst.schema import (
    REPORT_LEVEL_FEATURES,
    BadRow,
    Derived,
    Extraction,
    Features,
    GoldLine,
    GuidelineRef,
    Lesion,
    NameVersion,
    ReportInput,
    ResultLine,
    Span,
    check_spans,
)

log = logging.getLogger(__name__)

DAYS_PER_MONTH = 30.4375
DEFAULT_MAX_CHARS = 2_000_000


# Control characters other than whitespace, and the replacement character of a failed decode.
_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")
_WINDOW = 20_000


def check_text(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> str | None:
    """Return why this text cannot be processed, or None if it can."""
    if not text or not text.strip():
        return "empty report: no text to read"
    if len(text) > max_chars:
        return f"report too long: {len(text):,} characters (limit {max_chars:,}; see --max-chars)"
    if "\x00" in text:
        return "not text: the report contains NUL bytes (binary data?)"
    for start in _window_starts(len(text)):  # every window: binary data may follow a text header
        window = text[start : start + _WINDOW]
        if len(_BAD_CHARS.findall(window)) > max(8, len(window) // 20):
            return "not text: too many control or undecodable characters (binary data?)"
    return None


def _window_starts(length: int) -> list[int]:
    """Starts of full windows covering the text; the last one ends at the end (never a short tail
    that a few stray characters would fill past the threshold)."""
    starts = list(range(0, max(length - _WINDOW, 0) + 1, _WINDOW))
    if starts[-1] + _WINDOW < length:
        starts.append(length - _WINDOW)
    return starts


def clinical_inputs(report: ReportInput) -> dict[str, Any]:
    """The optional clinical inputs some guideline profiles read (kyoto2024, european2018)."""
    return {key: getattr(report, key) for key in CLINICAL_INPUTS}


def compute_interval(lesion: Lesion, exam_date: dt.date | None) -> float | None:
    """SPEC §2 row 11: months between the prior exam and this one; null without a prior size.

    A prior dated on or after this exam gives an interval <= 0, kept as computed: the guideline engine
    reports it as outside its scope (no schedule) instead of the date being silently dropped."""
    if lesion.prior_size_mm is None:
        return None
    if lesion.prior_exam_date is not None and exam_date is not None:
        return round((exam_date - lesion.prior_exam_date).days / DAYS_PER_MONTH, 2)
    if lesion.stated_interval_months is not None:
        return float(lesion.stated_interval_months)
    return None


def _features(extraction: Extraction, index: Lesion | None, multiplicity: str) -> Features:
    if not extraction.pcl_present or index is None:
        return Features.no_pcl()
    return Features(
        size_mm=index.size_mm,
        location=index.location,
        multiplicity=multiplicity,
        mpd_diameter_mm=extraction.mpd_diameter_mm,
        mpd_dilated=extraction.mpd_dilated,
        mural_nodule=index.mural_nodule,
        wall_thickening=index.wall_thickening,
        septations=index.septations,
        mpd_communication=index.mpd_communication,
        prior_size_mm=index.prior_size_mm,
        interval_months=index.interval_months,
        presumed_type=index.presumed_type,
        calcification=index.calcification,
    )


def _evidence(extraction: Extraction, index: Lesion | None) -> dict[str, list[Span]]:
    evidence: dict[str, list[Span]] = {k: list(v) for k, v in extraction.evidence.items() if v}
    if not extraction.pcl_present:
        return {k: v for k, v in evidence.items() if k not in REPORT_LEVEL_FEATURES}
    if index is not None:
        for span in index.evidence:
            if span.feature:
                evidence.setdefault(span.feature, []).append(span)
    return evidence


@dataclass(frozen=True, slots=True)
class Job:
    """One admitted input row: ``seq`` is its position; ``line`` is set when admission already
    decided it (bad row, empty or duplicate report), else ``report`` waits for extraction."""

    seq: int
    report: ReportInput | None
    line: ResultLine | None = None

    @property
    def text(self) -> str | None:
        return self.report.text if self.report is not None else None

    @property
    def seq_id(self) -> str:
        return self.report.report_id if self.report is not None else f"row-{self.seq + 1}"


def batched(items: Iterable[Job], size: int) -> Iterator[list[Job]]:
    """Consecutive lists of at most ``size`` items (streaming)."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def extraction_from_result(line: ResultLine) -> Extraction:
    """A result line back as the extraction it was assembled from (an error line: no PCL yet)."""
    if line.pcl_present is None:
        return Extraction(pcl_present=False, exam_date=line.exam_date)
    gold = GoldLine(
        report_id=line.report_id,
        pcl_present=line.pcl_present,
        features=line.features or {},
        evidence=line.evidence,
        lesions=line.lesions,
    )
    return extraction_from_gold(gold).model_copy(update={"exam_date": line.exam_date})


class GivenExtractor(Extractor):
    """Stands in for a backend so the pipeline can assemble an extraction made elsewhere.

    A teacher's labels or a reviewer's corrections go through the same assembly (intervals,
    index lesion, category, recommendation, trace) as a backend's output."""

    def __init__(self, name: str = "given", version: str = "0") -> None:
        self.name = name
        self.version = version

    def extract(self, report: ReportInput) -> Extraction:
        raise NotImplementedError("a GivenExtractor only names where an extraction came from")


class Pipeline:
    """Runs one backend over reports and assembles result lines."""

    def __init__(
        self,
        extractor: Extractor,
        profile: Profile | str = "acr2017",
        max_chars: int = DEFAULT_MAX_CHARS,
    ) -> None:
        self.extractor = extractor
        self.profile = load_profile(profile) if isinstance(profile, str) else profile
        self.max_chars = max_chars
        self.extractor_ref = NameVersion(name=extractor.name, version=extractor.version)
        self.guideline_ref = GuidelineRef(profile=self.profile.name, version=self.profile.version)

    def error_line(self, report_id: str, errors: list[str], report: ReportInput | None = None) -> ResultLine:
        return ResultLine(
            report_id=report_id,
            pcl_present=None,
            features=None,
            extractor=self.extractor_ref,
            guideline=self.guideline_ref,
            exam_date=report.exam_date if report else None,
            patient_age=report.patient_age if report else None,
            patient_id=report.patient_id if report else None,
            errors=errors,
        )

    def assemble(self, report: ReportInput, extraction: Extraction) -> ResultLine:
        """Validate evidence, compute intervals and derived values, pick the index lesion."""
        check_spans(report.text, extraction)
        exam_date = report.exam_date or extraction.exam_date
        lesions = [
            lesion.model_copy(update={"interval_months": compute_interval(lesion, exam_date)})
            for lesion in (extraction.lesions if extraction.pcl_present else [])
        ]
        derived = evaluate_report(
            lesions,
            mpd_diameter_mm=extraction.mpd_diameter_mm,
            mpd_dilated=extraction.mpd_dilated,
            jaundice=report.jaundice,
            patient_age=report.patient_age,
            profile=self.profile,
            surgical_candidate=report.surgical_candidate,
            clinical=clinical_inputs(report),
        )
        index = lesions[derived.index_lesion] if derived.index_lesion is not None and lesions else None
        multiplicity = extraction.multiplicity
        if sum(lesion.count for lesion in lesions) >= 2:
            multiplicity = "multiple"
        warnings = list(extraction.warnings)
        if extraction.pcl_present and not lesions:
            warnings.append("pcl_present without any lesion: features left at defaults")
        return ResultLine(
            report_id=report.report_id,
            pcl_present=extraction.pcl_present,
            features=_features(extraction, index, multiplicity),
            evidence=_evidence(extraction, index),
            lesions=lesions,
            derived=derived,
            extractor=self.extractor_ref,
            guideline=self.guideline_ref,
            exam_date=exam_date,
            patient_age=report.patient_age,
            patient_id=report.patient_id,
            warnings=warnings,
            flags=[str(flag) for flag in extraction.meta.get("flags", [])],
            meta={k: v for k, v in extraction.meta.items() if k != "flags"},
        )

    def admit(self, rows: Iterable[ReportInput | BadRow]) -> Iterator[Job]:
        """The admission step: one :class:`Job` per row, in order, streaming.

        A bad row, an unreadable text or a repeated report id is decided here (an error line);
        everything else waits for extraction. Only the ids seen so far are kept, so memory does
        not grow with the texts."""
        seen: dict[str, int] = {}
        for n, row in enumerate(rows):
            first = seen.setdefault(row.report_id, n)  # a bad row's id counts: made up or not, it is output
            dup = (
                f"duplicate report_id {row.report_id!r} (first seen at row {first + 1})"
                if first != n
                else None
            )
            if isinstance(row, BadRow):
                messages = [f"row {row.row}: {row.error}", *([dup] if dup else [])]
                yield Job(n, None, self.error_line(row.report_id, messages))
                continue
            problem = check_text(row.text, self.max_chars)
            if dup:
                problem = f"{problem}; {dup}" if problem else dup
            yield Job(n, row, None if problem is None else self.error_line(row.report_id, [problem], row))

    def finish_stream(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, ResultLine]]:
        """The per-report finish: extract the jobs that wait, assemble, yield every job in order.

        One lazy ``extract_many`` call sees the whole stream, so a server backend keeps its
        concurrency across batches; decided jobs are held back only until the report before
        them is done."""
        pending: deque[Job] = deque()

        def waiting() -> Iterator[ReportInput]:
            for job in jobs:
                pending.append(job)
                if job.line is None and job.report is not None:
                    yield job.report

        for outcome in self.extractor.extract_many(waiting()):
            while pending:
                job = pending.popleft()
                if job.line is not None:
                    yield job, job.line
                    continue
                yield job, self.finish(cast(ReportInput, job.report), outcome)
                break
        for job in pending:  # decided jobs after the last report (or a backend that stopped early)
            yield (
                job,
                job.line
                or self.error_line(
                    job.seq_id, ["extraction failed: the backend returned no result"], job.report
                ),
            )

    def finish_jobs(self, jobs: Sequence[Job]) -> list[ResultLine]:
        """:meth:`finish_stream` over one batch (what a worker process runs)."""
        return [line for _, line in self.finish_stream(jobs)]

    def run(self, rows: Iterable[ReportInput | BadRow]) -> Iterator[ResultLine]:
        """Exactly one line per row, in input order; a bad row or failed report yields an error line."""
        return (line for _, line in self.finish_stream(self.admit(rows)))

    def finish(self, report: ReportInput, outcome: Extraction | BaseException) -> ResultLine:
        """Turn one backend outcome into a result line; never raises."""
        if isinstance(outcome, BaseException):
            log.warning("report %s failed: %s", report.report_id, type(outcome).__name__)
            return self.error_line(report.report_id, [f"extraction failed: {_describe(outcome)}"], report)
        try:
            return self.assemble(report, outcome)
        except Exception as exc:
            log.warning("report %s could not be assembled: %s", report.report_id, type(exc).__name__)
            return self.error_line(report.report_id, [f"invalid extraction: {_describe(exc)}"], report)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def categorize_features(
    features: dict[str, Any],
    *,
    pcl_present: bool,
    patient_age: float | None = None,
    jaundice: bool | None = None,
    profile: Profile | str = "acr2017",
    surgical_candidate: bool | None = None,
    clinical: dict[str, Any] | None = None,
) -> tuple[Features, list[Lesion], Derived]:
    """Categorize a flat feature dict from elsewhere (``pancyst categorize``): one lesion, no evidence.

    Returns the features, the single lesion judged (none without a PCL) and the derived values.
    """
    prof = load_profile(profile) if isinstance(profile, str) else profile
    feats = Features.model_validate(features) if pcl_present else Features.no_pcl()
    lesion_keys = set(Lesion.model_fields) & set(Features.model_fields)
    lesion_data = {k: getattr(feats, k) for k in lesion_keys if getattr(feats, k) is not None}
    lesions = [Lesion.model_validate(lesion_data)] if pcl_present else []
    derived = evaluate_report(
        lesions,
        mpd_diameter_mm=feats.mpd_diameter_mm,
        mpd_dilated=feats.mpd_dilated,
        jaundice=jaundice,
        patient_age=patient_age,
        profile=prof,
        surgical_candidate=surgical_candidate,
        clinical=clinical,
    )
    return feats, lesions, derived
