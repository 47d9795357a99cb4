"""Reviewer edits: schema-checked values, evidence that goes stale, and re-assembly by the engine."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pancyst.review import EditError, apply_form, extraction_from_result, field_spec, recompute
from pancyst.review.edits import add_lesion, parse_value, remove_lesion
from pancyst.schema import Extraction, Lesion, ReportInput, Span

TEXT = "PANCREAS: 1.2 cm cyst in the pancreatic head. No main duct dilatation."


def _state() -> Extraction:
    size = Span(start=10, end=16, text="1.2 cm", feature="size_mm")
    loc = Span(start=29, end=45, text="pancreatic head.", feature="location")
    return Extraction(
        pcl_present=True,
        lesions=[Lesion(size_mm=12.0, location="head", evidence=[size, loc])],
    )


def test_controls_come_from_the_schema() -> None:
    assert field_spec("location").choices == ("head", "uncinate", "neck", "body", "tail", "unspecified")
    assert field_spec("size_mm").kind == "number" and field_spec("size_mm").optional
    assert field_spec("count").kind == "integer" and not field_spec("count").optional
    assert field_spec("pcl_present").kind == "boolean"
    assert "enhancing" in field_spec("mural_nodule").choices


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("size_mm", "twelve", "not a number"),
        ("size_mm", "-3", "non-negative"),
        ("size_mm", "nan", "non-negative"),
        ("location", "liver", "not one of"),
        ("count", "1.5", "whole number"),
        ("count", "", "required"),
        ("pcl_present", "maybe", "not one of"),
    ],
)
def test_values_the_schema_does_not_allow_are_refused(name: str, raw: str, message: str) -> None:
    with pytest.raises(EditError, match=message):
        parse_value(field_spec(name), raw, name)


@given(st.text(max_size=12))
def test_parse_value_either_gives_a_valid_value_or_refuses(raw: str) -> None:
    spec = field_spec("septations")
    try:
        value = parse_value(spec, raw, "septations")
    except EditError:
        return
    assert value in spec.choices


def test_a_change_is_listed_and_its_stale_evidence_dropped() -> None:
    state, changes = apply_form(_state(), {"lesion.0.size_mm": "35", "lesion.0.location": "head"})
    assert [(c.field, c.old, c.new) for c in changes] == [("lesion.0.size_mm", 12.0, 35.0)]
    features = {s.feature for s in state.lesions[0].evidence}
    assert features == {"location"}  # the "1.2 cm" quote no longer states the value


def test_a_refused_value_applies_nothing() -> None:
    before = _state()
    with pytest.raises(EditError):
        apply_form(before, {"lesion.0.size_mm": "35", "lesion.0.location": "liver"})
    assert before.lesions[0].size_mm == 12.0


def test_interval_edit_is_a_stated_interval() -> None:
    state, _ = apply_form(_state(), {"lesion.0.prior_size_mm": "8", "lesion.0.interval_months": "24"})
    lesion = state.lesions[0]
    assert lesion.stated_interval_months == 24.0 and lesion.prior_exam_date is None
    line = recompute(ReportInput(report_id="r", text=TEXT), state, "acr2017")
    assert line.features is not None and line.features.interval_months == 24.0
    assert line.derived is not None and line.derived.growth == "grew"


def test_recompute_follows_the_edit() -> None:
    report = ReportInput(report_id="r", text=TEXT, patient_age=60)
    small = recompute(report, _state(), "acr2017")
    state, _ = apply_form(_state(), {"lesion.0.mural_nodule": "enhancing"})
    worse = recompute(report, state, "acr2017")
    assert small.derived is not None and worse.derived is not None
    assert small.derived.risk_category == 1 and worse.derived.risk_category == 3


def test_add_and_remove_lesions() -> None:
    state, change = add_lesion(Extraction(pcl_present=False))
    assert state.pcl_present and len(state.lesions) == 1 and change.new == "added"
    state, change = remove_lesion(state, 0)
    assert state.lesions == [] and change.new == "removed"
    with pytest.raises(EditError):
        remove_lesion(state, 0)


def test_error_lines_start_as_no_pcl(sample_run) -> None:  # type: ignore[no-untyped-def]
    line = sample_run.lines[0].model_copy(update={"pcl_present": None, "features": None, "errors": ["x"]})
    state = extraction_from_result(line)
    assert not state.pcl_present and state.lesions == [] and state.exam_date == line.exam_date


def test_result_round_trips_through_its_extraction(sample_run) -> None:  # type: ignore[no-untyped-def]
    for line in sample_run.lines:
        if line.errors:
            continue
        again = recompute(sample_run.texts[line.report_id], extraction_from_result(line), "acr2017")
        assert again.features == line.features
        assert again.derived is not None and line.derived is not None
        assert again.derived.risk_category == line.derived.risk_category
