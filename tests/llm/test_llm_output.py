from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from pancyst.extract.llm import load_examples
from pancyst.llm.output import LLMOutput, from_extraction, output_json_schema, parse_output, to_extraction
from pancyst.llm.prompt import render_target
from pancyst.schema import Extraction, Lesion, Span, check_spans

TEXT = "Pancreas: 2.3 x 1.8 cm cyst in the pancreatic tail, previously 1.9 cm 6 months ago. Duct 3 mm."


def _walk(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for v in node.values():
            found += _walk(v)
    elif isinstance(node, list):
        for v in node:
            found += _walk(v)
    return found


@pytest.mark.parametrize("cot", [True, False])
def test_schema_is_strict_mode_safe(cot: bool) -> None:
    schema = output_json_schema(cot=cot)
    for node in _walk(schema):
        assert "default" not in node and "allOf" not in node and "title" not in node
        if "pattern" in node:
            assert "type" in node
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert node["required"] == list(node["properties"])
    top = list(schema["properties"])
    assert top == (["observation", "reasoning", "answer"] if cot else ["answer"])


def _answer(**over: Any) -> dict[str, Any]:
    lesion = {
        "size_mm": 23.0, "size_quote": "2.3 x 1.8 cm", "location": "tail", "location_quote": "pancreatic tail",
        "count": 1, "mural_nodule": "not_stated", "nodule_quote": None, "wall_thickening": "not_stated",
        "wall_quote": None, "septations": "not_stated", "septa_quote": None, "mpd_communication": "not_stated",
        "communication_quote": None, "presumed_type": "unspecified", "type_quote": None, "prior_size_mm": 19.0,
        "prior_quote": "previously 1.9 cm", "prior_date_text": None, "prior_interval_text": "6 months ago",
    }  # fmt: skip
    lesion.update(over.pop("lesion", {}))
    answer = {
        "pcl_present": True, "pcl_quote": "cyst in the pancreatic tail", "lesions": [lesion],
        "multiplicity": "single", "multiplicity_quote": None, "mpd_diameter_mm": 3.0, "mpd_dilated": "not_stated",
        "mpd_quote": "Duct 3 mm", "exam_date_text": None,
    }  # fmt: skip
    answer.update(over)
    return answer


def _output(**over: Any) -> LLMOutput:
    return LLMOutput.model_validate({"observation": [], "reasoning": "r", "answer": _answer(**over)})


def test_to_extraction_grounds_and_parses_interval() -> None:
    ext = to_extraction(_output(), TEXT)
    check_spans(TEXT, ext)
    lesion = ext.lesions[0]
    assert lesion.size_mm == 23.0 and lesion.prior_size_mm == 19.0
    assert lesion.stated_interval_months == 6.0 and lesion.interval_months is None  # code computes it later
    assert {s.feature for s in lesion.evidence} == {"size_mm", "location", "prior_size_mm", "interval_months"}
    assert ext.evidence["mpd_diameter_mm"][0].text == "Duct 3 mm"
    assert ext.warnings == [] and ext.meta["reasoning"] == "r"


def test_unaligned_and_unsupported_values_are_flagged_not_changed() -> None:
    ext = to_extraction(
        _output(
            lesion={"size_mm": 21.0, "location_quote": "tail of the spleen region", "septations": "present"}
        ),
        TEXT,
    )
    assert ext.lesions[0].size_mm == 21.0
    assert "value not supported by quote: size_mm=21.0 but quote says 23.0" in ext.warnings
    assert any(w.startswith("unaligned quote for location:") for w in ext.warnings)
    assert "no quote supports septations=present" in ext.warnings


def test_no_pcl_drops_lesions() -> None:
    ext = to_extraction(
        _output(pcl_present=False, pcl_quote=None, mpd_diameter_mm=None, mpd_quote=None), TEXT
    )
    assert ext.pcl_present is False and ext.lesions == [] and ext.evidence == {}


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        '{"observation": [], "reasoning": "x", "answer": {"pcl_present": true',  # truncated
        json.dumps({"observation": [], "reasoning": "x", "answer": _answer(), "extra": 1}),  # extra key
        json.dumps({"observation": [], "reasoning": "x", "answer": {**_answer(), "mpd_dilated": "maybe"}}),
        json.dumps(
            {
                "observation": [],
                "reasoning": "x",
                "answer": {k: v for k, v in _answer().items() if k != "pcl_quote"},
            }
        ),
    ],
)
def test_parse_output_rejects_invalid(raw: str) -> None:
    with pytest.raises(ValidationError):
        parse_output(raw)


def test_parse_output_no_cot() -> None:
    out = parse_output(json.dumps({"answer": _answer()}), cot=False)
    assert out.reasoning == "" and out.answer.lesions[0].size_mm == 23.0
    with pytest.raises(ValidationError):
        parse_output(json.dumps({"reasoning": "x", "answer": _answer()}), cot=False)


def test_round_trip_from_extraction_to_extraction() -> None:
    for text, output in load_examples(None, 2):
        ext = to_extraction(output, text)
        check_spans(text, ext)
        assert ext.warnings == []
        again = from_extraction(ext, text, reasoning=output.reasoning)
        assert again == output
        assert parse_output(render_target(again)) == again


def test_from_extraction_uses_span_texts() -> None:
    size = Span(start=10, end=22, text="2.3 x 1.8 cm", feature="size_mm")
    ext = Extraction(pcl_present=True, lesions=[Lesion(size_mm=23.0, evidence=[size])])
    out = from_extraction(ext, TEXT)
    assert out.answer.lesions[0].size_quote == "2.3 x 1.8 cm"
    assert out.answer.lesions[0].location_quote is None
    assert out.observation[0].startswith("Pancreas: 2.3 x 1.8 cm cyst") and "23 mm" in out.reasoning


def test_observation_reads_the_relevant_sentences_before_the_answer() -> None:
    text = (
        "EXAM: CT abdomen 03/04/2024.\nLIVER: Normal.\nKIDNEYS: Simple cyst in the right kidney, 4 cm.\n"
        "PANCREAS: Normal. No cystic lesion."
    )
    out = from_extraction(Extraction(pcl_present=False), text)
    # a no-PCL answer still reads the trap (renal cyst) and the negation first
    assert out.observation == [
        "KIDNEYS: Simple cyst in the right kidney, 4 cm.",
        "PANCREAS: Normal.",
        "No cystic lesion.",
    ]
    # a quote from a sentence the filter does not show is still read before the answer
    text2 = "PANCREAS: Cyst in the tail. It measures 1.2 cm."
    q = text2.index("1.2 cm")
    size = Span(start=q, end=q + 6, text="1.2 cm", feature="size_mm")
    out2 = from_extraction(
        Extraction(pcl_present=True, lesions=[Lesion(size_mm=12.0, evidence=[size])]), text2
    )
    assert out2.observation == ["PANCREAS: Cyst in the tail.", "1.2 cm"]
    long = "The pancreatic " + "very " * 60 + "long sentence."
    (cut,) = from_extraction(Extraction(pcl_present=False), long).observation
    assert len(cut) <= 200 and long.startswith(cut) and not cut.endswith(" ")
