"""The contract models: round-trips, span checks, strict JSON Schema."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from pancyst.schema import (
    FEATURE_KEYS,
    Extraction,
    Features,
    GoldLine,
    GuidelineRef,
    Lesion,
    NameVersion,
    ResultLine,
    Span,
    SpanError,
    check_spans,
    strict_json_schema,
)

TEXT = "Pancreas: 2.3 x 1.8 cm cystic lesion in the tail."


def _line(**kw: object) -> ResultLine:
    base: dict[str, object] = {
        "report_id": "r1",
        "pcl_present": True,
        "features": Features(size_mm=23.0, location="tail"),
        "extractor": NameVersion(name="rules", version="1"),
        "guideline": GuidelineRef(profile="acr2017", version="1"),
    }
    base.update(kw)
    return ResultLine.model_validate(base)


def test_feature_keys_follow_spec_order() -> None:
    assert FEATURE_KEYS[0] == "size_mm" and FEATURE_KEYS[-1] == "interval_months"
    assert len(FEATURE_KEYS) == 11
    assert set(FEATURE_KEYS) <= set(Features.model_fields)


def test_no_pcl_defaults_match_spec() -> None:
    f = Features.no_pcl()
    assert f.size_mm is None and f.location is None and f.presumed_type is None
    assert f.multiplicity == "single"
    assert f.mpd_dilated == f.mural_nodule == f.wall_thickening == "not_stated"


def test_result_line_round_trips_through_json() -> None:
    start = TEXT.index("2.3")
    span = Span(start=start, end=start + 19, text=TEXT[start : start + 19], feature="size_mm")
    line = _line(
        evidence={"size_mm": [span]}, lesions=[Lesion(size_mm=23.0, location="tail", evidence=[span])]
    )
    again = ResultLine.model_validate_json(line.model_dump_json())
    assert again == line
    check_spans(TEXT, again)


def test_mismatched_span_is_an_error() -> None:
    line = _line(evidence={"size_mm": [Span(start=0, end=4, text="Panx")]})
    with pytest.raises(SpanError):
        check_spans(TEXT, line)


def test_span_past_end_is_an_error() -> None:
    line = _line(evidence={"size_mm": [Span(start=len(TEXT) - 2, end=len(TEXT) + 5, text="l.")]})
    with pytest.raises(SpanError):
        check_spans(TEXT, line)


def test_unknown_keys_and_values_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Features.model_validate({"location": "spleen"})
    with pytest.raises(ValidationError):
        Features.model_validate({"size": 3})
    with pytest.raises(ValidationError):
        Span(start=5, end=2, text="")


def test_gold_line_accepts_extra_keys_and_null_features() -> None:
    gold = GoldLine.model_validate({"report_id": "g", "pcl_present": False, "features": None, "text": "x"})
    assert gold.features == Features()


def _all_objects(node: object) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            found.append(node)
        for v in node.values():
            found.extend(_all_objects(v))
    elif isinstance(node, list):
        for v in node:
            found.extend(_all_objects(v))
    return found


def test_strict_schema_is_closed_and_fully_required() -> None:
    schema = strict_json_schema(Extraction)
    text = json.dumps(schema)
    assert '"default"' not in text and "allOf" not in text and "prefixItems" not in text
    objects = _all_objects(schema)
    assert objects, "expected object definitions"
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert obj["required"] == list(obj["properties"])  # type: ignore[call-overload]


@given(st.text(max_size=60), st.integers(0, 70), st.integers(0, 70))
def test_check_spans_accepts_exactly_matching_spans(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    ok = Extraction(pcl_present=True, evidence={"x": [Span(start=start, end=end, text=text[start:end])]})
    check_spans(text, ok)
    bad = Extraction(
        pcl_present=True, evidence={"x": [Span(start=start, end=end, text=text[start:end] + "#")]}
    )
    with pytest.raises(SpanError):
        check_spans(text, bad)
