import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pancyst.text.sections import SectionMap, find_headers, split_sections
from pancyst.text.sentences import split_sentences

REPORT = """EXAM: MRI abdomen 05/01/2023
CLINICAL HISTORY: pancreatic cyst follow-up.
COMPARISON: MRI 05/03/2022.
FINDINGS:
LIVER: Simple cyst in segment 7.
PANCREAS: 1.2 cm cyst in the tail.
-main duct caliber: 3 mm
IMPRESSION:
1. Stable pancreatic tail cyst.
ADDENDUM: the cyst measures 1.4 cm.
"""


def test_sections_and_kinds() -> None:
    kinds = [s.kind for s in split_sections(REPORT)]
    assert kinds == ["exam", "history", "comparison", "findings", "impression", "addendum"]


def test_headers_after_an_addendum_belong_to_it_unless_it_opens_the_report() -> None:
    # an addendum after the findings holds the headers it restates; one a system put above the original
    # report ends where that report's own sections start
    after = "FINDINGS: 12 mm pancreatic cyst.\nADDENDUM: corrected size.\nIMPRESSION: 14 mm cyst."
    assert [s.kind for s in split_sections(after)] == ["findings", "addendum", "addendum"]
    above = "ADDENDUM: corrected size.\nFINDINGS: 12 mm pancreatic cyst.\nIMPRESSION: 14 mm cyst."
    assert [s.kind for s in split_sections(above)] == ["addendum", "findings", "impression"]


def test_organ_headings() -> None:
    smap = SectionMap(REPORT)
    assert smap.organ_heading(REPORT.index("Simple cyst")) == "liver"
    assert smap.organ_heading(REPORT.index("1.2 cm")) == "pancreas"
    assert smap.organ_heading(REPORT.index("3 mm")) == "pancreas"  # a field label keeps the organ
    assert smap.section(REPORT.index("Stable")).kind == "impression"


def test_inline_and_abbreviated_headers() -> None:
    text = "CT A/P. Hx: pain.\nPanc: 8mm cyst tail.\nIMP: Small cyst."
    kinds = [s.kind for s in split_sections(text)]
    assert kinds == ["preamble", "history", "findings", "impression"]
    assert any(h.organ == "pancreas" for h in find_headers(text))


def test_unlabelled_findings_after_one_line_history() -> None:
    text = "Clinical data: known IPMN.\nThe pancreatic tail cyst measures 2 cm.\nCONCLUSION: x"
    sections = split_sections(text)
    assert [s.kind for s in sections] == ["history", "findings", "impression"]


@pytest.mark.parametrize(
    ("text", "kinds", "findings"),
    [
        (
            "CT A/P. Hx: weight loss. The pancreatic head contains a 2.5 cm mass. Impression: Mass.",
            ["preamble", "history", "findings", "impression"],
            "The pancreatic head contains a 2.5 cm mass. ",
        ),
        # no impression: a note that only gives a history keeps it whole
        (
            "CT A/P. Hx: weight loss. Known 12 mm cyst in the head on outside CT.",
            ["preamble", "history"],
            None,
        ),
        # a findings section of its own: the history stays whole
        (
            "Hx: pain. Known cyst. Findings: cyst 8 mm. Impression: cyst.",
            ["history", "findings", "impression"],
            None,
        ),
    ],
)
def test_unlabelled_findings_run_on_after_a_one_sentence_history(
    text: str, kinds: list[str], findings: str | None
) -> None:
    sections = split_sections(text)
    assert [s.kind for s in sections] == kinds
    if findings is not None:
        assert next(text[s.start : s.end] for s in sections if s.kind == "findings") == findings


def test_sentences() -> None:
    text = "A 1.2 cm cyst, approx. 3 mm from the duct. No nodule.\n1. Stable cyst.\n2. Renal cysts."
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "A 1.2 cm cyst, approx. 3 mm from the duct.",
        "No nodule.",
        "1. Stable cyst.",
        "2. Renal cysts.",
    ]


def test_wrapped_line_continues() -> None:
    text = "There is a cyst in the\npancreatic tail. Next."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "There is a cyst in the\npancreatic tail.",
        "Next.",
    ]


@pytest.mark.parametrize(
    "wrapped",
    [
        "The cyst measures 1.5 x 1.1 x\n0.9 cm.",
        "There is a 12 mm cyst in the\nPancreatic tail.",
        "A cyst of the head measuring\n14 mm.",
        "A cyst in the head,\nMPD normal.",
    ],
)
def test_a_line_that_stops_mid_phrase_continues_before_a_capital_or_digit(wrapped: str) -> None:
    assert [wrapped[a:b] for a, b in split_sentences(wrapped)] == [wrapped]


@pytest.mark.parametrize(
    "lines", ["12 mm cyst in the head\nNo ductal dilatation", "Pancreas: normal\n2. Liver: normal"]
)
def test_a_line_that_ends_a_phrase_ends_before_a_capital_or_digit(lines: str) -> None:
    assert len(split_sentences(lines)) == 2


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raise(text: str) -> None:
    for a, b in split_sentences(text):
        assert 0 <= a < b <= len(text)
    smap = SectionMap(text)
    smap.section(len(text) // 2)
    split_sections(text)


def test_a_question_mark_that_opens_a_word_is_a_hedge_not_an_end() -> None:
    text = "A 2.4 cm hypodensity (? cyst), without nodularity. Is it new? No."
    spans = [text[a:b] for a, b in split_sentences(text, 0, len(text))]
    assert spans == ["A 2.4 cm hypodensity (? cyst), without nodularity.", "Is it new?", "No."]


def test_a_label_naming_the_exam_is_no_organ_heading() -> None:
    text = "CT abdomen/pelvis: Pancreas shows a 10 mm cyst at the neck. Upstream duct is not dilated."
    assert SectionMap(text).organ_heading(text.index("Upstream")) is None


@pytest.mark.parametrize(
    "text",
    [
        "Pancreas: 9 mm cyst in the body again noted. Prior: 9 mm (04/2021), 8 mm (05/2019). The duct is 2 mm.",
        "Pancreas: 9 mm cyst in the body.\nPrior: 8 mm (05/2019).\nDuct: 2 mm.",
    ],
)
def test_a_comparison_label_followed_by_a_size_is_a_field_not_a_section(text: str) -> None:
    assert [sec.kind for sec in SectionMap(text).sections] == ["findings"]


def test_a_comparison_label_followed_by_an_exam_is_a_section() -> None:
    text = "Pancreas: 9 mm cyst in the body. Prior: CT of 05/2019."
    assert [sec.kind for sec in SectionMap(text).sections] == ["findings", "comparison"]


@pytest.mark.parametrize("box", ["[x]", "[ ]", "[X]", "[]"])
def test_a_checkbox_line_is_a_sentence_of_its_own(box: str) -> None:
    text = f"Largest cyst size: 16 mm\n{box} Communication with main duct"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Largest cyst size: 16 mm",
        f"{box} Communication with main duct",
    ]


def test_a_parenthesis_on_the_next_line_still_continues() -> None:
    text = "Main duct normal caliber\n(2 mm)."
    assert len(split_sentences(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "1. 1.4 cm pancreatic body cystic lesion communicating with\nthe main pancreatic duct, consistent with a side-branch\nIPMN.",
        "On revision, the major diameter of the cyst is 26 mm, and not\n36 mm as erroneously reported.",
    ],
)
def test_a_wrapped_line_of_prose_goes_on(text: str) -> None:
    assert len(split_sentences(text)) == 1


def test_a_wrapped_sentence_after_a_label_goes_on() -> None:
    text = "Clinical details: Follow-up of branch duct IPMN. Previous\nMRCP 22/09/2022."
    assert [text[a:b] for a, b in split_sentences(text)][-1] == "Previous\nMRCP 22/09/2022."


@pytest.mark.parametrize(
    "text",
    [
        "Presumed diagnosis: solid pseudopapillary neoplasm\nMPD 3 mm head, 3.5 mm body.",
        "No acute findings\nRecommend surgical consultation.",
        "The pancreas is normal in size, shape and enhancement pattern\n2. No biliary dilatation.",
        "Mural nodule: no\nSeptations: yes",
    ],
)
def test_a_field_a_short_line_or_a_new_item_still_ends_its_line(text: str) -> None:
    assert len(split_sentences(text)) == 2


def test_a_capitals_section_label_run_into_the_text_is_a_header() -> None:
    text = "COMPARISONS: None available. FINDINGS Status post cholecystectomy. IMPRESSION An 8 mm pancreatic cyst."
    assert [h.kind for h in find_headers(text)] == ["comparison", "findings", "impression"]


@pytest.mark.parametrize(
    "text", ["A 3.6 cm hepatic cyst. CBD 8 mm. Pancreas normal.", "Normal liver. MPD Normal caliber."]
)
def test_a_capitals_abbreviation_run_into_the_text_is_no_heading(text: str) -> None:
    assert find_headers(text) == []


def test_a_capitals_label_run_into_a_capitals_title_is_a_header() -> None:
    text = "PROCEDURE: MRI ABDOMEN WITH AND WITHOUT CONTRAST IMPRESSION: 1. Scattered pancreatic cysts."
    assert [(h.kind, text[h.start : h.end]) for h in find_headers(text)] == [
        ("exam", "PROCEDURE:"),
        ("impression", "IMPRESSION:"),
    ]


def test_a_capitals_organ_word_ending_a_field_label_is_no_heading() -> None:
    text = "Communication with MPD: [ ] yes [ ] no [x] indeterminate"
    assert find_headers(text) == []


def test_a_title_case_organ_line_after_the_comparison_starts_the_findings() -> None:
    text = "Exam date: 12/13/2022\nPrior exam: 12/07/2021 MRI\nPancreas\n  MPD maximum diameter: 3 mm\n  Location: head"
    smap = SectionMap(text)
    assert smap.section(text.index("MPD")).kind == "findings"
    assert smap.organ_heading(text.index("MPD")) == "pancreas"
