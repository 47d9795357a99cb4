"""The data contract (SPEC §2, §6) as pydantic models.

One set of models drives validation, the JSON Schema printed by ``pancyst schema``, the
output lines and the gold-label format, so the contract cannot drift between them.
This module imports nothing else from pancyst: every other layer stands on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = "1"

Location = Literal["head", "uncinate", "neck", "body", "tail", "unspecified"]
Multiplicity = Literal["single", "multiple"]
YesNo = Literal["yes", "no", "not_stated"]
MuralNodule = Literal["absent", "nonenhancing", "enhancing", "present_unspecified", "not_stated"]
PresentAbsent = Literal["present", "absent", "not_stated"]
PresumedType = Literal["bd_ipmn", "md_ipmn", "mixed_ipmn", "serous", "mucinous", "pseudocyst", "unspecified"]
Calcification = Literal["peripheral", "central", "present_unspecified", "absent", "not_stated"]
Growth = Literal["grew", "not_grown", "no_prior"]
Action = Literal[
    "surveillance",
    "eus_fna",
    "eus_fna_and_surgical_evaluation",
    "no_surveillance",
    "not_applicable",
    "age_needed",
]
Alignment = Literal["exact", "normalized", "fuzzy"]

# The eleven scored features (SPEC §2, rows 1-11), in SPEC order.
FEATURE_KEYS: tuple[str, ...] = (
    "size_mm",
    "location",
    "multiplicity",
    "mpd_diameter_mm",
    "mpd_dilated",
    "mural_nodule",
    "wall_thickening",
    "septations",
    "mpd_communication",
    "prior_size_mm",
    "interval_months",
)
OPTIONAL_FEATURE_KEYS: tuple[str, ...] = ("presumed_type", "calcification")
NUMERIC_FEATURES: frozenset[str] = frozenset(
    {"size_mm", "mpd_diameter_mm", "prior_size_mm", "interval_months"}
)
# Features that belong to the report (the duct, the count), not to one lesion.
REPORT_LEVEL_FEATURES: tuple[str, ...] = ("multiplicity", "mpd_diameter_mm", "mpd_dilated")
LESION_FEATURES: tuple[str, ...] = (
    "size_mm",
    "location",
    "mural_nodule",
    "wall_thickening",
    "septations",
    "mpd_communication",
    "prior_size_mm",
    "interval_months",
    "presumed_type",
    "calcification",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Strict):
    """A piece of evidence: ``text == report[start:end]`` always (checked by :func:`check_spans`)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    feature: str | None = Field(
        default=None, description="Which feature this span supports (lesion evidence)."
    )
    alignment: Alignment = "exact"
    score: float = Field(default=1.0, ge=0.0, le=1.0, description="Alignment score; 1.0 unless fuzzy.")

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} < start {self.start}")
        return self


class Features(_Strict):
    """The report-level feature vector: the index lesion's features plus the duct features."""

    size_mm: float | None = None
    location: Location | None = None
    multiplicity: Multiplicity = "single"
    mpd_diameter_mm: float | None = None
    mpd_dilated: YesNo = "not_stated"
    mural_nodule: MuralNodule = "not_stated"
    wall_thickening: PresentAbsent = "not_stated"
    septations: PresentAbsent = "not_stated"
    mpd_communication: PresentAbsent = "not_stated"
    prior_size_mm: float | None = None
    interval_months: float | None = None
    presumed_type: PresumedType | None = None
    calcification: Calcification = "not_stated"

    @classmethod
    def no_pcl(cls) -> Features:
        """SPEC §2: the values every feature takes when there is no PCL."""
        return cls()


class Lesion(_Strict):
    """One pancreatic cystic lesion on the current exam."""

    size_mm: float | None = None
    location: Location = "unspecified"
    mural_nodule: MuralNodule = "not_stated"
    nodule_size_mm: float | None = None
    wall_thickening: PresentAbsent = "not_stated"
    septations: PresentAbsent = "not_stated"
    mpd_communication: PresentAbsent = "not_stated"
    prior_size_mm: float | None = None
    prior_exam_date: dt.date | None = Field(default=None, description="Date of the prior exam, as stated.")
    stated_interval_months: float | None = Field(
        default=None, description="An interval stated in words ('6 months ago'), not computed."
    )
    interval_months: float | None = Field(
        default=None, description="Computed by code from dates or the stated interval."
    )
    presumed_type: PresumedType = "unspecified"
    calcification: Calcification = "not_stated"
    count: int = Field(
        default=1, ge=1, description="How many cysts this mention stands for ('innumerable cysts' > 1)."
    )
    evidence: list[Span] = Field(default_factory=list)


class Recommendation(_Strict):
    action: Action
    stratum: str = ""
    schedule: list[tuple[int, int]] = Field(
        default_factory=list, description="[[interval_months, count], ...]"
    )
    text: str = ""
    alternatives: list[Action] = Field(
        default_factory=list, description="Actions the guideline offers instead ('or EUS-FNA now')."
    )


class TraceEntry(_Strict):
    rule: str
    inputs: dict[str, Any] = Field(default_factory=dict)
    fired: bool
    lesion: int | None = None
    effect: str = ""


class Derived(_Strict):
    """Everything code computes from the features. Never produced by a model."""

    growth: Growth | None = None
    growth_rate_mm_per_year: float | None = None
    worrisome_features: list[str] = Field(default_factory=list)
    high_risk_stigmata: list[str] = Field(default_factory=list)
    risk_category: Literal[1, 2, 3] | None = None
    index_lesion: int | None = None
    lesion_categories: list[Literal[1, 2, 3]] = Field(default_factory=list)
    recommendation: Recommendation | None = None
    assumed_absent: list[str] = Field(
        default_factory=list,
        description="Clinical inputs the profile reads that were not given, so its rules took them as absent.",
    )
    trace: list[TraceEntry] = Field(default_factory=list)


class NameVersion(_Strict):
    name: str
    version: str


class GuidelineRef(_Strict):
    profile: str
    version: str


class ReportInput(_Strict):
    """One input row. ``text`` may be anything; the pipeline turns bad text into an error line."""

    report_id: str
    text: str
    exam_date: dt.date | None = None
    patient_id: str | None = Field(default=None, description="Links a patient's reports (`pancyst track`).")
    patient_age: float | None = None
    modality: str | None = None
    jaundice: bool | None = None
    surgical_candidate: bool | None = Field(
        default=None, description="Fit for pancreatic surgery (None: unknown); matters at age >= 80."
    )
    # clinical inputs some profiles use (kyoto2024, european2018); reports rarely state them
    ca19_9: float | None = Field(default=None, description="Serum CA19-9, U/mL.")
    acute_pancreatitis: bool | None = None
    new_onset_diabetes: bool | None = None


class Extraction(_Strict):
    """What an extractor returns: lesions and duct features with evidence, nothing derived.

    The pipeline turns this into a :class:`ResultLine` (index lesion, intervals, growth,
    category), so every backend gets the same deterministic arithmetic.
    """

    pcl_present: bool
    lesions: list[Lesion] = Field(default_factory=list)
    multiplicity: Multiplicity = "single"
    mpd_diameter_mm: float | None = None
    mpd_dilated: YesNo = "not_stated"
    exam_date: dt.date | None = Field(default=None, description="Current exam date found in the text.")
    evidence: dict[str, list[Span]] = Field(
        default_factory=dict, description="Report-level evidence (duct, PCL)."
    )
    warnings: list[str] = Field(default_factory=list)
    meta: dict[str, Any] = Field(
        default_factory=dict, description="Backend extras: tokens, latency, reasoning."
    )


class ResultLine(_Strict):
    """One JSONL output line (SPEC §6). Exactly one per input row, error or not."""

    report_id: str
    pcl_present: bool | None
    features: Features | None
    evidence: dict[str, list[Span]] = Field(default_factory=dict)
    lesions: list[Lesion] = Field(default_factory=list)
    derived: Derived | None = None
    extractor: NameVersion
    guideline: GuidelineRef
    schema_version: str = SCHEMA_VERSION
    exam_date: dt.date | None = None
    patient_age: float | None = None
    patient_id: str | None = None
    errors: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list, description="Review flags, e.g. hybrid disagreements.")
    meta: dict[str, Any] = Field(default_factory=dict)


class GoldLine(BaseModel):
    """A gold label line: the output schema, features only (SPEC §6). Extra keys are kept."""

    model_config = ConfigDict(extra="allow")

    report_id: str
    pcl_present: bool
    features: Features = Field(default_factory=Features)
    evidence: dict[str, list[Span]] = Field(default_factory=dict)
    lesions: list[Lesion] = Field(default_factory=list)

    @field_validator("features", mode="before")
    @classmethod
    def _none_features(cls, v: Any) -> Any:
        return {} if v is None else v


class BadRow(_Strict):
    """An input row that could not be read; it still becomes one output line."""

    report_id: str
    row: int
    error: str


class ExtractionError(RuntimeError):
    """A backend could not produce a valid extraction for one report (the batch goes on).

    Defined with the contract, not with the backends, so that the LLM client layer can raise
    it without importing the extractors that sit above it."""


class SpanError(ValueError):
    """Evidence that does not match the report text (SPEC §2: an error, not a warning)."""


def line_report_id(value: Any) -> str | None:
    """A JSON line's ``report_id`` as text: a string or an integer, never empty, never true/false."""
    if not isinstance(value, str | int) or isinstance(value, bool) or str(value) == "":
        return None
    return str(value)


def iter_spans(line: ResultLine | Extraction | GoldLine) -> list[Span]:
    spans: list[Span] = []
    for group in line.evidence.values():
        spans.extend(group)
    for lesion in line.lesions:
        spans.extend(lesion.evidence)
    return spans


def check_spans(text: str, line: ResultLine | Extraction | GoldLine) -> None:
    """Raise :class:`SpanError` on the first span whose text is not ``text[start:end]``."""
    for span in iter_spans(line):
        if span.end > len(text) or text[span.start : span.end] != span.text:
            raise SpanError(
                f"evidence span [{span.start}:{span.end}] for {span.feature or 'feature'} does not match the report text"
            )


def result_json_schema() -> dict[str, Any]:
    return ResultLine.model_json_schema()


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A JSON Schema inside what OpenAI strict mode and xgrammar both accept.

    Every property required (optional ones become nullable), ``additionalProperties: false``
    on every object, no defaults, titles or numeric/length constraints that strict mode rejects.
    """
    schema = model.model_json_schema()
    drop = {
        "default",
        "title",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "format",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "pattern",
    }

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items() if k not in drop}
            if out.get("type") == "object" and "properties" in out:
                out["required"] = list(out["properties"])
                out["additionalProperties"] = False
            elif (
                out.get("type") == "object"
                and "additionalProperties" in out
                and out["additionalProperties"] is not False
            ):
                # free-form maps are not allowed in strict mode; callers design answers without them
                out["additionalProperties"] = walk(out["additionalProperties"])
            if "prefixItems" in out:
                # tuples: strict mode has no prefixItems; an array of the (single) item type
                items = out.pop("prefixItems")
                out["items"] = items[0] if items else {}
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)
