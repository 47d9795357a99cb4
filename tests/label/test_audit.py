"""The label audit rejects each kind of bad row, and accepts a good one."""

from __future__ import annotations

import json

from pancyst.label.audit import Audit, AuditSummary, audit_completion, disagreements
from pancyst.llm.output import LLMOutput, from_extraction
from pancyst.llm.prompt import render_target
from pancyst.schema import Extraction, Features, Lesion, Span

TEXT = (
    "PANCREAS: A 2.3 x 1.8 cm cyst in the pancreatic tail, previously 1.8 cm. "
    "No mural nodule. Main pancreatic duct 3 mm, not dilated."
)


def _span(quote: str, feature: str | None = None) -> Span:
    start = TEXT.index(quote)
    return Span(start=start, end=start + len(quote), text=quote, feature=feature)


def good_output() -> LLMOutput:
    lesion = Lesion(
        size_mm=23.0,
        location="tail",
        mural_nodule="absent",
        prior_size_mm=18.0,
        evidence=[
            _span("2.3 x 1.8 cm cyst", "size_mm"),
            _span("pancreatic tail", "location"),
            _span("No mural nodule", "mural_nodule"),
            _span("previously 1.8 cm", "prior_size_mm"),
        ],
    )
    ext = Extraction(
        pcl_present=True,
        lesions=[lesion],
        mpd_diameter_mm=3.0,
        mpd_dilated="no",
        evidence={"mpd_diameter_mm": [_span("Main pancreatic duct 3 mm, not dilated")]},
    )
    return from_extraction(ext, TEXT, reasoning="One cyst. 2.3 x 1.8 cm = 23 mm.")


def _with(output: LLMOutput, **lesion_update: object) -> str:
    lesion = output.answer.lesions[0].model_copy(update=lesion_update)
    answer = output.answer.model_copy(update={"lesions": [lesion]})
    return render_target(output.model_copy(update={"answer": answer}))


def checks(audit: Audit) -> set[str]:
    return {f.check for f in audit.failures}


def test_good_row_passes() -> None:
    audit, parsed = audit_completion(render_target(good_output()), TEXT)
    assert audit.ok, audit.failures
    assert parsed is not None and parsed.answer.lesions[0].size_mm == 23.0


def test_invalid_json_is_rejected() -> None:
    audit, parsed = audit_completion('{"observation": [], "reasoning": "x"', TEXT)
    assert not audit.ok and checks(audit) == {"json"} and parsed is None


def test_missing_field_fails_schema_validation() -> None:
    data = json.loads(render_target(good_output()))
    del data["answer"]["lesions"][0]["septations"]
    audit, _ = audit_completion(json.dumps(data), TEXT)
    assert checks(audit) == {"json"}
    assert "septations" in audit.failures[0].detail


def test_quote_not_in_report_is_rejected() -> None:
    audit, _ = audit_completion(_with(good_output(), location_quote="uncinate process of the pancreas"), TEXT)
    assert checks(audit) == {"quote"}
    assert "location_quote" in audit.failures[0].detail


def test_observation_quote_not_in_report_is_rejected() -> None:
    out = good_output()
    bad = render_target(
        out.model_copy(update={"observation": [*out.observation, "enhancing solid nodule 9 mm"]})
    )
    audit, _ = audit_completion(bad, TEXT)
    assert checks(audit) == {"quote"}


def test_size_contradicting_its_own_quote_is_rejected() -> None:
    # value 23 but the quote (which is in the report) says 1.8 cm = 18 mm
    audit, _ = audit_completion(_with(good_output(), size_quote="previously 1.8 cm"), TEXT)
    assert checks(audit) == {"contradiction"}
    assert "size_mm=23" in audit.failures[0].detail


def test_size_without_quote_is_rejected() -> None:
    audit, _ = audit_completion(_with(good_output(), size_quote=None), TEXT)
    assert checks(audit) == {"contradiction"}


def test_positive_finding_quoting_a_negation_is_rejected() -> None:
    audit, _ = audit_completion(_with(good_output(), mural_nodule="enhancing"), TEXT)
    assert checks(audit) == {"contradiction"}
    assert "mural_nodule=enhancing" in audit.failures[0].detail


def test_duct_value_not_in_its_quote_is_rejected() -> None:
    out = good_output()
    answer = out.answer.model_copy(update={"mpd_diameter_mm": 8.0})
    audit, _ = audit_completion(render_target(out.model_copy(update={"answer": answer})), TEXT)
    assert checks(audit) == {"contradiction"}


def test_lesions_without_pcl_is_inconsistent() -> None:
    out = good_output()
    answer = out.answer.model_copy(update={"pcl_present": False})
    audit, _ = audit_completion(render_target(out.model_copy(update={"answer": answer})), TEXT)
    assert checks(audit) == {"consistency"}


def test_disagreements_use_spec_tolerances() -> None:
    teacher = Features(size_mm=23.0, location="tail", interval_months=12.0)
    rules = Features(size_mm=23.05, location="body", interval_months=12.4)
    # size within 0.1 and interval within 0.5 agree; location differs
    assert disagreements((True, teacher), (True, rules)) == {"location": {"teacher": "tail", "rules": "body"}}
    assert disagreements((True, teacher), (False, None))["pcl_present"] == {"teacher": True, "rules": False}


def test_summary_counts_checks_and_disagreement_rates() -> None:
    ok = Audit(ok=True, disagreements={})
    bad, _ = audit_completion(_with(good_output(), size_quote=None), TEXT)
    bad.disagreements = {"size_mm": {"teacher": 23.0, "rules": None}}
    s = AuditSummary.of([ok, bad, Audit(ok=True)], failed_teacher=1)
    assert (s.rows, s.accepted, s.rejected, s.failed_teacher) == (3, 2, 1, 1)
    assert s.failures_by_check["contradiction"] == 1 and s.failures_by_check["quote"] == 0
    assert s.compared_with_rules == 2
    assert s.disagreement_rate_by_feature["size_mm"] == 0.5
