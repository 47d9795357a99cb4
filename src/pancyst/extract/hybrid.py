"""``--backend hybrid``: rules and LLM side by side; the LLM's answer is kept, every disagreement flagged.

A reviewer sees ``disagree:size_mm rules=23.0 llm=21.0`` in the result line's flags (the
pipeline copies ``meta["flags"]``), so the cases worth a second look are one filter away.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from pancyst.extract.base import Extractor, get_extractor
from pancyst.guideline import evaluate_report, load_profile
from pancyst.schema import FEATURE_KEYS, LESION_FEATURES, Extraction, Lesion, ReportInput

log = logging.getLogger(__name__)

# interval_months is computed by the pipeline from dates; compare what the backends read instead.
COMPARED: tuple[str, ...] = (
    "pcl_present",
    *[k for k in FEATURE_KEYS if k != "interval_months"],
    "prior_exam_date",
    "stated_interval_months",
)


# The index lesion's features read for comparison (interval, type and calcification are derived or optional).
_LESION_KEYS = tuple(
    k for k in LESION_FEATURES if k not in ("interval_months", "presumed_type", "calcification")
)


def _index(extraction: Extraction) -> Lesion | None:
    """The most worrisome lesion, picked exactly as the pipeline will (the guideline engine)."""
    lesions = extraction.lesions if extraction.pcl_present else []
    if not lesions:
        return None
    derived = evaluate_report(
        lesions,
        mpd_diameter_mm=extraction.mpd_diameter_mm,
        mpd_dilated=extraction.mpd_dilated,
        jaundice=None,
        patient_age=None,
        profile=load_profile("acr2017"),
    )
    return lesions[derived.index_lesion] if derived.index_lesion is not None else None


def feature_values(extraction: Extraction) -> dict[str, Any]:
    """The comparable, report-level view of one extraction."""
    index = _index(extraction)
    values: dict[str, Any] = {"pcl_present": extraction.pcl_present}
    count = sum(le.count for le in extraction.lesions) if extraction.pcl_present else 0
    values["multiplicity"] = "multiple" if count >= 2 or extraction.multiplicity == "multiple" else "single"
    values["mpd_diameter_mm"] = extraction.mpd_diameter_mm
    values["mpd_dilated"] = extraction.mpd_dilated
    for key in (*_LESION_KEYS, "prior_exam_date", "stated_interval_months"):
        values[key] = getattr(index, key) if index is not None else None
    if not extraction.pcl_present:
        values["multiplicity"] = "single"
    return values


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 0.05
    return bool(a == b)


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return "null" if value is None else str(value)


def disagreements(rules: Extraction, llm: Extraction) -> list[str]:
    a, b = feature_values(rules), feature_values(llm)
    return [f"disagree:{k} rules={_show(a[k])} llm={_show(b[k])}" for k in COMPARED if not _same(a[k], b[k])]


class HybridExtractor(Extractor):
    """Runs the rules backend and the LLM backend; LLM values win, disagreements become flags.

    If the LLM fails on a report, the rules answer is returned with an ``llm_failed`` flag, so the
    batch keeps a reviewed-for-sure answer rather than an error line.
    """

    name = "hybrid"

    def __init__(
        self, rules: Extractor | None = None, llm: Extractor | None = None, **llm_options: Any
    ) -> None:
        self.rules = rules or get_extractor("rules")
        # both come from the registry: backends never import each other (make lint checks it)
        self.llm = llm or get_extractor("llm", **llm_options)
        self.version = f"rules={self.rules.version};llm={self.llm.version}"

    def _combine(
        self, report: ReportInput, llm_out: Extraction | BaseException
    ) -> Extraction | BaseException:
        try:
            rules_out = self.rules.extract(report)
        except Exception as exc:
            rules_out = None
            rules_error = exc
        if isinstance(llm_out, BaseException):
            if rules_out is None:
                return llm_out
            flags = [
                *rules_out.meta.get("flags", []),
                f"llm_failed: {type(llm_out).__name__}: {str(llm_out)[:120]}",
            ]
            return rules_out.model_copy(
                update={"meta": {**rules_out.meta, "flags": flags, "source": "rules"}}
            )
        if rules_out is None:
            flags = [*llm_out.meta.get("flags", []), f"rules_failed: {type(rules_error).__name__}"]
            return llm_out.model_copy(update={"meta": {**llm_out.meta, "flags": flags, "source": "llm"}})
        flags = [*llm_out.meta.get("flags", []), *disagreements(rules_out, llm_out)]
        return llm_out.model_copy(update={"meta": {**llm_out.meta, "flags": flags, "source": "llm"}})

    def extract(self, report: ReportInput) -> Extraction:
        outcome = next(iter(self.extract_many([report])))
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def extract_many(self, reports: Iterable[ReportInput]) -> Iterator[Extraction | BaseException]:
        batch = list(reports)
        for report, llm_out in zip(batch, self.llm.extract_many(batch), strict=True):
            yield self._combine(report, llm_out)

    def run_summary(self) -> dict[str, Any]:
        return self.llm.run_summary()

    def close(self) -> None:
        self.llm.close()
        self.rules.close()
