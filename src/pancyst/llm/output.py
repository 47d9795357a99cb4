"""What the model writes, and the conversions between it and :class:`pancyst.schema.Extraction`.

Field order is generation order: verbatim observations, then reasoning, then the answer, so the
model reads before it decides. Values carry the quote they came from; code (not the model)
aligns quotes to offsets, parses dates and intervals as written, and computes everything else.
Every field is required (no defaults): a missing key is an invalid answer, never a silent default.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict

from pancyst.grounding import DEFAULT_THRESHOLD, align
from pancyst.schema import (
    Extraction,
    GoldLine,
    Lesion,
    Location,
    Multiplicity,
    MuralNodule,
    PresentAbsent,
    PresumedType,
    Span,
    YesNo,
    strict_json_schema,
)
from pancyst.text.dates import parse_date, parse_interval_months
from pancyst.text.measurements import parse_size_mm
from pancyst.text.sentences import split_sentences

OUTPUT_VERSION = "2"  # 2: observations are the relevant report sentences, not only the answer's quotes


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LLMLesion(_Out):
    """One pancreatic cystic lesion: each value next to the verbatim quote that supports it."""

    size_mm: float | None
    size_quote: str | None
    location: Location
    location_quote: str | None
    count: int
    mural_nodule: MuralNodule
    nodule_quote: str | None
    wall_thickening: PresentAbsent
    wall_quote: str | None
    septations: PresentAbsent
    septa_quote: str | None
    mpd_communication: PresentAbsent
    communication_quote: str | None
    presumed_type: PresumedType
    type_quote: str | None
    prior_size_mm: float | None
    prior_quote: str | None
    prior_date_text: str | None
    prior_interval_text: str | None


class LLMAnswer(_Out):
    pcl_present: bool
    pcl_quote: str | None
    lesions: list[LLMLesion]
    multiplicity: Multiplicity
    multiplicity_quote: str | None
    mpd_diameter_mm: float | None
    mpd_dilated: YesNo
    mpd_quote: str | None
    exam_date_text: str | None


class LLMOutput(_Out):
    observation: list[str]
    reasoning: str
    answer: LLMAnswer


class LLMAnswerOnly(_Out):
    """The no-CoT output: the answer alone."""

    answer: LLMAnswer


# lesion feature -> (quote field, default that needs no evidence)
_LESION_QUOTES: dict[str, tuple[str, Any]] = {
    "size_mm": ("size_quote", None),
    "location": ("location_quote", "unspecified"),
    "mural_nodule": ("nodule_quote", "not_stated"),
    "wall_thickening": ("wall_quote", "not_stated"),
    "septations": ("septa_quote", "not_stated"),
    "mpd_communication": ("communication_quote", "not_stated"),
    "presumed_type": ("type_quote", "unspecified"),
    "prior_size_mm": ("prior_quote", None),
}
_NUMERIC = {"size_mm", "prior_size_mm", "mpd_diameter_mm"}


def output_json_schema(*, cot: bool = True) -> dict[str, Any]:
    """Strict-mode-safe schema (every property required, nullable via anyOf, no defaults)."""
    return strict_json_schema(LLMOutput if cot else LLMAnswerOnly)


def parse_output(raw: str, *, cot: bool = True) -> LLMOutput:
    """Validate the model's text as JSON in the output schema; raise ``pydantic.ValidationError`` if not."""
    if cot:
        return LLMOutput.model_validate_json(raw)
    answer = LLMAnswerOnly.model_validate_json(raw).answer
    return LLMOutput(observation=[], reasoning="", answer=answer)


# --- parsing of values written as text (the text layer's parsers) ---


def _safe(fn: Callable[[str], Any], text: str | None) -> Any:
    if not text:
        return None
    try:
        return fn(text)
    except Exception:  # a parser bug must not lose the report; the value stays unknown
        return None


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, abs_tol=0.051)


class _Grounder:
    """Aligns quotes for one report, collecting spans and warnings."""

    def __init__(self, text: str, threshold: float) -> None:
        self.text = text
        self.threshold = threshold
        self.warnings: list[str] = []
        self.last: int | None = None

    def span(self, feature: str, quote: str | None, value: Any) -> Span | None:
        if not quote:
            self.warnings.append(f"no quote supports {feature}={value}")
            return None
        span = align(quote, self.text, hint=self.last, threshold=self.threshold, feature=feature)
        if span is None:
            self.warnings.append(f"unaligned quote for {feature}: {quote[:60]!r}")
            return None
        self.last = span.start
        return span

    def check_number(self, feature: str, value: float | None, span: Span | None) -> None:
        """Flag a number the model wrote that its own quote does not state (never rewrite it)."""
        if value is None or span is None:
            return
        if feature == "mpd_diameter_mm":
            return  # a duct quote often holds several numbers; the value may be any of them
        parsed = _safe(parse_size_mm, span.text)
        if parsed is not None and not _close(float(parsed), value):
            self.warnings.append(f"value not supported by quote: {feature}={value} but quote says {parsed}")


def to_extraction(output: LLMOutput, text: str, *, threshold: float = DEFAULT_THRESHOLD) -> Extraction:
    """Ground every quote and parse dates/intervals as written; no arithmetic beyond unit parsing."""
    ans = output.answer
    g = _Grounder(text, threshold)
    evidence: dict[str, list[Span]] = {}

    def report_span(feature: str, quote: str | None, value: Any) -> None:
        span = g.span(feature, quote, value)
        if span is not None:
            evidence.setdefault(feature, []).append(span)

    if ans.pcl_present:
        report_span("pcl_present", ans.pcl_quote, True)
    elif ans.pcl_quote:  # "no pancreatic cyst" is evidence too, when the model gives it
        span = align(ans.pcl_quote, text, threshold=threshold, feature="pcl_present")
        if span is not None:
            evidence["pcl_present"] = [span]

    lesions: list[Lesion] = []
    for n, item in enumerate(ans.lesions if ans.pcl_present else []):
        spans: list[Span] = []
        for feature, (quote_field, default) in _LESION_QUOTES.items():
            value = getattr(item, feature)
            if value == default:
                continue
            span = g.span(f"{feature}" if n == 0 else f"{feature}[{n}]", getattr(item, quote_field), value)
            if span is not None:
                span = span.model_copy(update={"feature": feature})
                if feature in _NUMERIC:
                    g.check_number(feature, value, span)
                spans.append(span)
        prior_date = _safe(parse_date, item.prior_date_text)
        interval = _safe(parse_interval_months, item.prior_interval_text)
        if item.prior_date_text and prior_date is None:
            g.warnings.append(f"unparsed prior date: {item.prior_date_text[:40]!r}")
        if item.prior_interval_text and interval is None:
            g.warnings.append(f"unparsed prior interval: {item.prior_interval_text[:40]!r}")
        for raw, feature in (
            (item.prior_date_text, "prior_exam_date"),
            (item.prior_interval_text, "interval_months"),
        ):
            if raw:
                span = align(raw, text, hint=g.last, threshold=threshold, feature=feature)
                if span is not None:
                    spans.append(span)
        lesions.append(
            Lesion(
                size_mm=item.size_mm,
                location=item.location,
                mural_nodule=item.mural_nodule,
                wall_thickening=item.wall_thickening,
                septations=item.septations,
                mpd_communication=item.mpd_communication,
                presumed_type=item.presumed_type,
                count=max(1, item.count),
                prior_size_mm=item.prior_size_mm,
                prior_exam_date=prior_date,
                stated_interval_months=float(interval) if interval is not None else None,
                evidence=spans,
            )
        )

    if ans.mpd_diameter_mm is not None:
        report_span("mpd_diameter_mm", ans.mpd_quote, ans.mpd_diameter_mm)
    if ans.mpd_dilated != "not_stated":
        span = g.span("mpd_dilated", ans.mpd_quote, ans.mpd_dilated) if ans.mpd_diameter_mm is None else None
        if span is not None:
            evidence.setdefault("mpd_dilated", []).append(span)
        elif "mpd_diameter_mm" in evidence:
            evidence["mpd_dilated"] = [
                s.model_copy(update={"feature": "mpd_dilated"}) for s in evidence["mpd_diameter_mm"]
            ]
    if ans.pcl_present and ans.multiplicity == "multiple":
        report_span("multiplicity", ans.multiplicity_quote, "multiple")

    exam_date = _safe(parse_date, ans.exam_date_text)
    if ans.exam_date_text and exam_date is None:
        g.warnings.append(f"unparsed exam date: {ans.exam_date_text[:40]!r}")
    return Extraction(
        pcl_present=ans.pcl_present,
        lesions=lesions,
        multiplicity=ans.multiplicity if ans.pcl_present else "single",
        mpd_diameter_mm=ans.mpd_diameter_mm,
        mpd_dilated=ans.mpd_dilated,
        exam_date=exam_date,
        evidence=evidence,
        warnings=g.warnings,
        meta={"reasoning": output.reasoning} if output.reasoning else {},
    )


# --- the inverse: gold or rules extractions -> model targets (SFT data) ---


def _quote(spans: list[Span], feature: str) -> str | None:
    for span in spans:
        if span.feature == feature:
            return span.text
    return None


def _first(spans: list[Span] | None) -> str | None:
    return spans[0].text if spans else None


def _default_reasoning(extraction: Extraction, lesions: list[LLMLesion]) -> str:
    if not extraction.pcl_present:
        return "No pancreatic cystic lesion is described on the current exam."
    parts = [f"{len(lesions)} pancreatic cystic lesion(s) described."]
    sized = [(le.size_mm, i) for i, le in enumerate(lesions) if le.size_mm is not None]
    worrisome = [
        i
        for i, le in enumerate(lesions)
        if le.mural_nodule not in ("absent", "not_stated") or le.wall_thickening == "present"
    ]
    if worrisome:
        parts.append(f"Lesion {worrisome[0] + 1} has a nodule or thick wall, so it is the most worrisome.")
    elif sized:
        size, i = max(sized)
        parts.append(f"Lesion {i + 1} is the largest ({size:g} mm), so it is the index lesion.")
    for le in lesions:
        if le.size_quote and le.size_mm is not None and "cm" in le.size_quote.lower():
            parts.append(f"'{le.size_quote}' in cm is {le.size_mm:g} mm.")
            break
    return " ".join(parts)


def from_extraction(extraction: Extraction, text: str, reasoning: str | None = None) -> LLMOutput:
    """Build the target a model should have written (quotes = evidence span texts)."""
    lesions: list[LLMLesion] = []
    for lesion in extraction.lesions if extraction.pcl_present else []:
        ev = lesion.evidence
        lesions.append(
            LLMLesion(
                size_mm=lesion.size_mm,
                size_quote=_quote(ev, "size_mm") if lesion.size_mm is not None else None,
                location=lesion.location,
                location_quote=_quote(ev, "location") if lesion.location != "unspecified" else None,
                count=lesion.count,
                mural_nodule=lesion.mural_nodule,
                nodule_quote=_quote(ev, "mural_nodule") if lesion.mural_nodule != "not_stated" else None,
                wall_thickening=lesion.wall_thickening,
                wall_quote=_quote(ev, "wall_thickening") if lesion.wall_thickening != "not_stated" else None,
                septations=lesion.septations,
                septa_quote=_quote(ev, "septations") if lesion.septations != "not_stated" else None,
                mpd_communication=lesion.mpd_communication,
                communication_quote=(
                    _quote(ev, "mpd_communication") if lesion.mpd_communication != "not_stated" else None
                ),
                presumed_type=lesion.presumed_type,
                type_quote=_quote(ev, "presumed_type") if lesion.presumed_type != "unspecified" else None,
                prior_size_mm=lesion.prior_size_mm,
                prior_quote=_quote(ev, "prior_size_mm") if lesion.prior_size_mm is not None else None,
                prior_date_text=_quote(ev, "prior_exam_date") if lesion.prior_exam_date else None,
                prior_interval_text=(
                    _quote(ev, "interval_months")
                    if lesion.prior_size_mm is not None and lesion.prior_exam_date is None
                    else None
                ),
            )
        )
    rev = extraction.evidence
    mpd_quote = _first(rev.get("mpd_diameter_mm")) or _first(rev.get("mpd_dilated"))
    answer = LLMAnswer(
        pcl_present=extraction.pcl_present,
        pcl_quote=_first(rev.get("pcl_present")) or (lesions[0].size_quote if lesions else None),
        lesions=lesions,
        multiplicity=extraction.multiplicity if extraction.pcl_present else "single",
        multiplicity_quote=_first(rev.get("multiplicity")) if extraction.multiplicity == "multiple" else None,
        mpd_diameter_mm=extraction.mpd_diameter_mm,
        mpd_dilated=extraction.mpd_dilated,
        mpd_quote=mpd_quote
        if (extraction.mpd_diameter_mm is not None or extraction.mpd_dilated != "not_stated")
        else None,
        exam_date_text=_first(rev.get("exam_date")),
    )
    observation = _observation(text, answer)
    return LLMOutput(
        observation=observation,
        reasoning=reasoning if reasoning is not None else _default_reasoning(extraction, lesions),
        answer=answer,
    )


# Sentences worth reading before deciding: the pancreas, any cyst (a renal cyst is a trap to see),
# ducts and cystic neoplasms. Pattern and caps are about what to show, not about any one report.
_OBSERVE_RE = re.compile(r"pancrea|cyst|ipmn|neoplasm|uncinate|wirsung|\bducts?\b|\bmpd\b", re.IGNORECASE)
_OBSERVE_MAX = 8
_OBSERVE_CHARS = 200


def _observed_sentences(text: str) -> list[str]:
    """Verbatim report sentences about the pancreas, cysts or ducts, in report order (long ones cut at a word)."""
    out: list[str] = []
    for start, end in split_sentences(text):
        sentence = text[start:end].strip()
        if not _OBSERVE_RE.search(sentence) or sentence in out:
            continue
        if len(sentence) > _OBSERVE_CHARS:
            cut = sentence.rfind(" ", 0, _OBSERVE_CHARS)
            sentence = sentence[: cut if cut > 0 else _OBSERVE_CHARS].rstrip()
        out.append(sentence)
        if len(out) >= _OBSERVE_MAX:
            break
    return out


def _observation(text: str, answer: LLMAnswer) -> list[str]:
    """What to read before answering: the relevant sentences, then any quote of the answer they do not contain.

    Copying the sentences first puts the "is there a PCL?" decision after the evidence instead of at the
    first token, where a small model can only guess (seen in the CPU fine-tune: an observation that was
    empty for no-PCL reports taught the model to answer "no PCL" to every report)."""
    seen = _observed_sentences(text)
    quotes: list[str | None] = [answer.pcl_quote]
    for le in answer.lesions:
        quotes += [le.size_quote, le.location_quote, le.nodule_quote, le.wall_quote, le.septa_quote]
        quotes += [le.communication_quote, le.type_quote, le.prior_quote]
    quotes += [answer.multiplicity_quote, answer.mpd_quote]
    for q in quotes:
        if q and not any(q in s for s in seen):
            seen.append(q)
    return seen


def extraction_from_gold(gold: GoldLine) -> Extraction:
    """A gold line (synthetic corpus, annotations) as the Extraction an ideal backend would return."""
    report_level = {"pcl_present", "multiplicity", "mpd_diameter_mm", "mpd_dilated", "exam_date"}
    evidence = {k: list(v) for k, v in gold.evidence.items() if k in report_level and v}
    return Extraction(
        pcl_present=gold.pcl_present,
        lesions=list(gold.lesions) if gold.pcl_present else [],
        multiplicity=gold.features.multiplicity,
        mpd_diameter_mm=gold.features.mpd_diameter_mm,
        mpd_dilated=gold.features.mpd_dilated,
        evidence=evidence,
    )


def dumps_compact(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
