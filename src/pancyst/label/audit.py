"""The label audit: a teacher's row is rejected unless its JSON validates, every quote is in the
report, and no value contradicts the quote it cites. Teacher-rules disagreements are counted, not
rejected: they show where the teacher (or the rules) needs a person's eye.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from pancyst.grounding import align
from pancyst.label.measure import supports
from pancyst.llm.output import LLMOutput, parse_output
from pancyst.schema import FEATURE_KEYS, Features

Check = Literal["json", "quote", "contradiction", "consistency"]
CHECKS: tuple[Check, ...] = ("json", "quote", "contradiction", "consistency")

_NEGATED = re.compile(
    r"^\s*(?:there\s+(?:is|are)\s+)?(?:no|not|non|without|negative\s+for|absence\s+of|free\s+of)\b",
    re.IGNORECASE,
)
# value that asserts a finding -> quote field on the lesion
_POSITIVE_LESION: dict[str, tuple[str, frozenset[str]]] = {
    "mural_nodule": ("nodule_quote", frozenset({"enhancing", "nonenhancing", "present_unspecified"})),
    "wall_thickening": ("wall_quote", frozenset({"present"})),
    "septations": ("septa_quote", frozenset({"present"})),
    "mpd_communication": ("communication_quote", frozenset({"present"})),
}


class Failure(BaseModel):
    check: Check
    detail: str


class Audit(BaseModel):
    """The audit of one row; ``ok`` is False when any check failed."""

    ok: bool
    failures: list[Failure] = Field(default_factory=list)
    disagreements: dict[str, dict[str, Any]] | None = Field(
        default=None, description="feature -> {teacher, rules}; None when the rules were not run."
    )


def _quotes(output: LLMOutput) -> list[tuple[str, str]]:
    """(where, quote) for every verbatim quote the output claims."""
    out = [(f"observation[{i}]", q) for i, q in enumerate(output.observation)]
    ans = output.answer
    for name in ("pcl_quote", "multiplicity_quote", "mpd_quote", "exam_date_text"):
        q = getattr(ans, name)
        if q:
            out.append((name, q))
    for n, le in enumerate(ans.lesions):
        for name, value in le.model_dump().items():
            if (name.endswith("_quote") or name.endswith("_text")) and value:
                out.append((f"lesions[{n}].{name}", value))
    return out


def check_output(output: LLMOutput, text: str, *, threshold: float | None = None) -> list[Failure]:
    """Quote alignment, value-vs-quote contradictions and internal consistency of a parsed output."""
    failures: list[Failure] = []
    kw: dict[str, Any] = {} if threshold is None else {"threshold": threshold}
    for where, quote in _quotes(output):
        if align(quote, text, **kw) is None:
            failures.append(Failure(check="quote", detail=f"{where} not found in the report"))
    ans = output.answer
    numeric: list[tuple[str, float | None, str | None]] = [
        ("mpd_diameter_mm", ans.mpd_diameter_mm, ans.mpd_quote)
    ]
    for n, le in enumerate(ans.lesions):
        numeric.append((f"lesions[{n}].size_mm", le.size_mm, le.size_quote))
        numeric.append((f"lesions[{n}].prior_size_mm", le.prior_size_mm, le.prior_quote))
        for feature, (quote_field, positive) in _POSITIVE_LESION.items():
            quote = getattr(le, quote_field)
            value = getattr(le, feature)
            if value in positive and quote and _NEGATED.search(quote):
                failures.append(
                    Failure(
                        check="contradiction",
                        detail=f"lesions[{n}].{feature}={value} but its quote is a negation",
                    )
                )
    for where, value, cited in numeric:
        if value is None:
            continue
        if not cited:
            failures.append(Failure(check="contradiction", detail=f"{where}={value:g} has no quote"))
            continue
        if supports(value, cited) is False:
            failures.append(
                Failure(check="contradiction", detail=f"{where}={value:g} but its quote states other sizes")
            )
    if ans.mpd_dilated == "yes" and ans.mpd_quote and _NEGATED.search(ans.mpd_quote):
        failures.append(Failure(check="contradiction", detail="mpd_dilated=yes but its quote is a negation"))
    if ans.pcl_present and not ans.lesions:
        failures.append(Failure(check="consistency", detail="pcl_present true without any lesion"))
    if not ans.pcl_present and ans.lesions:
        failures.append(Failure(check="consistency", detail="pcl_present false but lesions listed"))
    if not ans.pcl_present and ans.multiplicity == "multiple":
        failures.append(Failure(check="consistency", detail="multiplicity multiple without a PCL"))
    return failures


def audit_completion(completion: str, text: str, *, cot: bool = True) -> tuple[Audit, LLMOutput | None]:
    """Audit the exact completion string a model would be trained on."""
    try:
        output = parse_output(completion, cot=cot)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {"msg": str(exc)}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return Audit(
            ok=False, failures=[Failure(check="json", detail=f"{where}: {first['msg']}".strip(": "))]
        ), None
    failures = check_output(output, text)
    return Audit(ok=not failures, failures=failures), output


def _same(a: Any, b: Any, feature: str) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= (0.5 if feature == "interval_months" else 0.1)
    return bool(a == b)


def disagreements(
    teacher: tuple[bool | None, Features | None], rules: tuple[bool | None, Features | None]
) -> dict[str, dict[str, Any]]:
    """Per feature (SPEC §5 matching rules), where the teacher's and the rules' report-level values differ."""
    (t_pcl, t_feat), (r_pcl, r_feat) = teacher, rules
    out: dict[str, dict[str, Any]] = {}
    if t_pcl != r_pcl:
        out["pcl_present"] = {"teacher": t_pcl, "rules": r_pcl}
    tf = (t_feat or Features.no_pcl()).model_dump()
    rf = (r_feat or Features.no_pcl()).model_dump()
    for key in FEATURE_KEYS:
        if not _same(tf[key], rf[key], key):
            out[key] = {"teacher": tf[key], "rules": rf[key]}
    return out


class AuditSummary(BaseModel):
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    failed_teacher: int = Field(default=0, description="Reports the teacher could not label at all.")
    failures_by_check: dict[str, int] = Field(default_factory=dict)
    compared_with_rules: int = 0
    disagreement_by_feature: dict[str, int] = Field(default_factory=dict)
    disagreement_rate_by_feature: dict[str, float] = Field(default_factory=dict)

    @classmethod
    def of(cls, audits: list[Audit], failed_teacher: int = 0) -> AuditSummary:
        by_check: Counter[str] = Counter()
        by_feature: Counter[str] = Counter()
        compared = 0
        for a in audits:
            by_check.update({f.check for f in a.failures})
            if a.disagreements is not None:
                compared += 1
                by_feature.update(a.disagreements.keys())
        keys = ["pcl_present", *FEATURE_KEYS]
        return cls(
            rows=len(audits),
            accepted=sum(a.ok for a in audits),
            rejected=sum(not a.ok for a in audits),
            failed_teacher=failed_teacher,
            failures_by_check={c: by_check.get(c, 0) for c in CHECKS},
            compared_with_rules=compared,
            disagreement_by_feature={k: by_feature.get(k, 0) for k in keys} if compared else {},
            disagreement_rate_by_feature={k: round(by_feature.get(k, 0) / compared, 4) for k in keys}
            if compared
            else {},
        )
