from __future__ import annotations

from pancyst.extract.base import ExtractionError, Extractor
from pancyst.extract.hybrid import HybridExtractor, disagreements
from pancyst.schema import Extraction, Lesion, ReportInput


class _Fixed(Extractor):
    def __init__(self, name: str, outcome: Extraction | Exception) -> None:
        self.name = name
        self.outcome = outcome

    def extract(self, report: ReportInput) -> Extraction:
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


RULES = Extraction(
    pcl_present=True,
    lesions=[Lesion(size_mm=23.0, location="tail", septations="present")],
    mpd_diameter_mm=3.0,
)
LLM = Extraction(
    pcl_present=True,
    lesions=[Lesion(size_mm=21.0, location="tail", septations="present")],
    mpd_diameter_mm=3.04,
    mpd_dilated="no",
    meta={"tokens_in": 5},
)
REPORT = ReportInput(report_id="r", text="x")


def test_disagreements_name_each_feature() -> None:
    assert disagreements(RULES, LLM) == [
        "disagree:size_mm rules=23.0 llm=21.0",
        "disagree:mpd_dilated rules=not_stated llm=no",
    ]
    assert disagreements(RULES, RULES) == []


def test_pcl_disagreement() -> None:
    flags = disagreements(Extraction(pcl_present=False), LLM)
    assert flags[0] == "disagree:pcl_present rules=False llm=True"
    assert "disagree:size_mm rules=null llm=21.0" in flags


def test_llm_value_kept_and_flags_in_meta() -> None:
    hybrid = HybridExtractor(rules=_Fixed("rules", RULES), llm=_Fixed("llm", LLM))
    out = hybrid.extract(REPORT)
    assert out.lesions[0].size_mm == 21.0 and out.meta["tokens_in"] == 5
    assert out.meta["flags"] == [
        "disagree:size_mm rules=23.0 llm=21.0",
        "disagree:mpd_dilated rules=not_stated llm=no",
    ]


def test_llm_failure_falls_back_to_rules_with_flag() -> None:
    hybrid = HybridExtractor(rules=_Fixed("rules", RULES), llm=_Fixed("llm", ExtractionError("boom")))
    (out,) = list(hybrid.extract_many([REPORT]))
    assert isinstance(out, Extraction) and out.lesions[0].size_mm == 23.0
    assert out.meta["flags"] == ["llm_failed: ExtractionError: boom"]


def test_both_failing_is_an_error() -> None:
    hybrid = HybridExtractor(rules=_Fixed("rules", ValueError("r")), llm=_Fixed("llm", ExtractionError("l")))
    (out,) = list(hybrid.extract_many([REPORT]))
    assert isinstance(out, ExtractionError)
