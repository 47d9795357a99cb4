"""The assertion stage: group denials, guideline sentences, hedges and uncertainty (SPEC §2)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pancyst.extract.rules import RulesExtractor
from pancyst.extract.rules import assertion as A
from pancyst.schema import Extraction, ReportInput

EX = RulesExtractor()


def run(text: str) -> Extraction:
    return EX.extract(ReportInput(report_id="t", text=text))


TWO = "FINDINGS:\nPancreas: Two cysts, in the head (8 mm) and the tail (12 mm). "


@pytest.mark.parametrize(
    "denial",
    [
        "None of the cysts demonstrates an enhancing mural nodule or wall thickening.",
        "Neither of the cysts shows an enhancing mural nodule or wall thickening.",
        "Neither cyst has an enhancing mural nodule or wall thickening.",
        "No cyst demonstrates an enhancing mural nodule or wall thickening.",
        "None of them has an enhancing mural nodule or wall thickening.",
    ],
)
def test_a_group_denial_reaches_every_cyst_and_names_no_lesion(denial: str) -> None:
    ext = run(TWO + denial)
    assert [les.size_mm for les in ext.lesions] == [8.0, 12.0]
    for les in ext.lesions:
        assert les.mural_nodule == "absent"
        assert les.wall_thickening == "absent"


def test_a_group_denial_stops_at_a_contrast_word() -> None:
    doc_text = TWO + "None of the cysts has septations, although a nodule is present."
    ext = run(doc_text)
    assert all(les.septations == "absent" for les in ext.lesions)
    assert not any(les.mural_nodule == "absent" for les in ext.lesions)


def test_a_group_denial_in_an_addendum_is_not_a_retraction() -> None:
    ext = run(TWO + "\n\nADDENDUM: None of the cysts shows a mural nodule.")
    assert ext.pcl_present and len(ext.lesions) == 2


@pytest.mark.parametrize(
    "advice",
    [
        "Per ACR 2017 guidelines, cysts smaller than 15 mm are followed with MRI in 1 year.",
        "For cysts of 15-25 mm, MRI every 6 months is advised.",
        "Cysts under 5 mm are followed once at 2 years according to the white paper.",
        "A cyst larger than 3 cm would warrant EUS.",
    ],
)
def test_guideline_sentences_add_no_lesion_and_no_size(advice: str) -> None:
    ext = run(
        f"FINDINGS: A 3 mm cyst in the pancreatic body.\nIMPRESSION: 3 mm pancreatic body cyst. {advice}"
    )
    assert len(ext.lesions) == 1
    assert ext.multiplicity == "single"
    assert ext.lesions[0].size_mm == 3.0


def test_a_singular_cyst_in_a_sentence_citing_the_guideline_is_the_patients() -> None:
    ext = run("IMPRESSION: Pancreatic head cyst increased from 3 mm to 8 mm, meeting ACR growth criteria.")
    assert ext.pcl_present and ext.lesions[0].size_mm == 8.0 and ext.lesions[0].prior_size_mm == 3.0


@pytest.mark.parametrize(
    ("sentence", "feature", "value"),
    [
        ("with possible thin septation", "septations", "present"),
        ("with questionable wall thickening", "wall_thickening", "present"),
        ("with a suspected mural nodule", "mural_nodule", "present_unspecified"),
        ("with probable communication with the main pancreatic duct", "mpd_communication", "present"),
        ("; communication with the main duct cannot be excluded", "mpd_communication", "not_stated"),
        ("; a mural nodule cannot be excluded", "mural_nodule", "not_stated"),
        ("; wall thickening cannot be confirmed", "wall_thickening", "not_stated"),
        ("; septations are indeterminate", "septations", "not_stated"),
    ],
)
def test_hedges_count_as_present_and_uncertainty_as_not_stated(
    sentence: str, feature: str, value: str
) -> None:
    ext = run(f"FINDINGS: A 14 mm cyst in the pancreatic tail {sentence}.")
    assert getattr(ext.lesions[0], feature) == value


@pytest.mark.parametrize(
    "denial",
    [
        "It does not show septa, solid components or ductal communication.",
        "There are no septa, solid components or communication with the duct.",
        "Without septa, without solid components and without communication with the duct.",
        "It does not present septa, solid components nor communication with the main duct.",
    ],
)
def test_negation_spreads_over_a_coordinated_list(denial: str) -> None:
    les = run(f"FINDINGS: A 14 mm cyst in the pancreatic tail. {denial}").lesions[0]
    assert (les.septations, les.mural_nodule, les.mpd_communication) == ("absent", "absent", "absent")


def test_translated_anatomy_reads_as_the_english_segment() -> None:
    ext = run("FINDINGS: In the cauda pancreatis a cystic formation of 14 x 10 mm is appreciable.")
    assert ext.lesions[0].location == "tail"
    span = ext.lesions[0].evidence[1]
    assert span.text.lower() == "cauda"  # evidence points at the report's own word


_DENIAL_SUBJECTS = st.sampled_from(
    ["neither of the cysts", "none of the lesions", "neither cyst", "no cyst has"]
)


@settings(max_examples=60, deadline=None)
@given(subject=_DENIAL_SUBJECTS, rest=st.text(alphabet="abcdefghij ,", max_size=40))
def test_the_subject_pre_check_admits_every_denial(subject: str, rest: str) -> None:
    seg = f"{subject} {rest}"
    if A.NEGATIVE_SUBJECT_RE.search(seg):
        assert any(w in seg for w in A._SUBJECT_WORDS)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(A.GUIDELINE_RE) | st.from_regex(A.GENERIC_SUBJECT_RE))
def test_the_guideline_pre_check_admits_every_match(text: str) -> None:
    low = text.lower()
    m = A.GUIDELINE_RE.search(low) or A.GENERIC_SUBJECT_RE.search(low)
    if m is not None:
        assert A.may_advise(m.group(0))


def test_a_final_no_pancreatic_cyst_retracts_a_lesion_named_earlier() -> None:
    text = (
        "FINDINGS: Pancreas: 9 mm hypodense cyst in the pancreatic head, questioned on ultrasound.\n"
        "IMPRESSION: No pancreatic cyst. The finding corresponds to fluid in the duodenum."
    )
    assert not run(text).pcl_present
    kept = "FINDINGS: 9 mm cyst in the pancreatic head.\nIMPRESSION: 9 mm pancreatic head cyst. No other pancreatic cyst."
    assert run(kept).pcl_present


@pytest.mark.parametrize(
    "impression",
    [
        "IMPRESSION: 36 mm septated cyst in the pancreatic tail. No enhancement of the cyst.",
        "IMPRESSION: 36 mm septated cyst in the pancreatic tail. No communication of the cyst with the duct.",
        "IMPRESSION: 36 mm cyst in the pancreatic tail. Dilated main duct without obstructing lesion.",
        "IMPRESSION: 36 mm cyst in the pancreatic tail. No solid pancreatic lesion.",
    ],
)
def test_a_denied_feature_of_the_cyst_or_another_kind_of_lesion_retracts_nothing(impression: str) -> None:
    ext = run(impression)
    assert ext.pcl_present
    assert ext.lesions[0].size_mm == 36.0


def test_a_guideline_sentences_range_gives_no_duct_size() -> None:
    text = (
        "FINDINGS: 17 mm cyst in the uncinate process. Pancreatic duct not dilated.\n"
        "IMPRESSION: According to ACR 2017 for cysts of 15-25 mm without proven duct communication: MRI in 6 months."
    )
    ext = run(text)
    assert ext.pcl_present and ext.mpd_diameter_mm is None
    # a sentence that only cites the guideline still measures this patient's duct
    cited = run(
        "FINDINGS: 17 mm cyst in the pancreatic body. The main pancreatic duct measures 8 mm, a worrisome feature per ACR 2017."
    )
    assert cited.mpd_diameter_mm == 8.0


def test_a_cyst_another_reading_gave_in_scare_quotes_is_no_finding() -> None:
    text = "IMPRESSION: The pancreatic head 'cyst' reported on the outside CT is a duodenal diverticulum."
    assert not run(text).pcl_present
    assert run("A unilocular cystic lesion ('CYST') in the pancreatic tail measuring 2.3 cm.").pcl_present


@pytest.mark.parametrize(
    "history",
    [
        "In 2019 she was found to have a 4.1 cm cystic lesion in the pancreatic tail.",
        "She was found to have a 4.1 cm cystic lesion in the pancreatic tail two years ago.",
        "An outside MRI reportedly showed a 9 mm cyst in the pancreatic head.",
        "Incidental 9 mm pancreatic head cyst in 2021, not re-imaged since.",
    ],
)
def test_a_consult_notes_past_narrative_is_history(history: str) -> None:
    assert not run(f"HPI: Referred for advice. {history}\nPlan: MRI pancreas.").pcl_present


def test_a_field_answered_not_applicable_is_a_denial() -> None:
    assert not run("Pancreatic cyst present: No\nCyst location: N/A\nLargest diameter: N/A").pcl_present


@pytest.mark.parametrize(
    "text",
    [
        "HPI: distal pancreatectomy in 2019. Pathology showed a mucinous cystic neoplasm with low-grade dysplasia.",
        "Plan:\n1. MRI pancreas with MRCP to re-evaluate the cyst.",
        "Clinical notes: ? pancreatic cyst on outside ultrasound.\nFindings: Pancreas: normal. No pancreatic cyst.",
        "Pancreas: an ill-defined hypoenhancing mass lesion measuring 34 mm. Few small non-enhancing cystic areas "
        "are noted within the mass.",
    ],
)
def test_pathology_plans_indications_and_cystic_areas_of_a_mass_are_no_pcl(text: str) -> None:
    assert not run(text).pcl_present


@settings(max_examples=200, deadline=None)
@given(st.from_regex(A.PAST_NARRATIVE_RE))
def test_the_past_narrative_pre_check_admits_every_match(text: str) -> None:
    low = text.lower()
    if A.PAST_NARRATIVE_RE.search(low) is not None:
        assert A._may_be_past(low)


@pytest.mark.parametrize(
    ("answer", "septations", "nodule", "wall"),
    [
        (
            "",
            "not_stated",
            "not_stated",
            "not_stated",
        ),  # a label left blank ("Septations:" and the line ends)
        (" N/A", "not_stated", "not_stated", "not_stated"),  # "not applicable" says nothing either way
        (" not applicable", "not_stated", "not_stated", "not_stated"),
        (" none", "absent", "absent", "absent"),
        (" present", "present", "present_unspecified", "present"),
    ],
)
def test_a_template_field_left_blank_or_not_applicable_states_nothing(
    answer: str, septations: str, nodule: str, wall: str
) -> None:
    text = (
        "CT PANCREAS - CYST TEMPLATE\nCyst location: Tail\nLargest diameter: 2.8 cm\n"
        f"Septations:{answer}\nMural nodule:{answer}\nWall thickening:{answer}\n"
        "Impression: 2.8 cm pancreatic tail cyst."
    )
    lesion = run(text).lesions[0]
    assert (lesion.septations, lesion.mural_nodule, lesion.wall_thickening) == (septations, nodule, wall)


@pytest.mark.parametrize(
    "line",
    ["Cyst walls: all thin", "Walls: both imperceptible", "Cyst walls: all smooth", "Cyst walls: thin"],
)
def test_a_wall_field_said_of_every_cyst_reaches_each(line: str) -> None:
    text = (
        "MRI PANCREAS\nFINDINGS:\nLesion 1: Location: head | Size: 9 mm | Septations: absent\n"
        f"Lesion 2: Location: body | Size: 12 mm | Septations: absent\n{line}\nIMPRESSION: Two side-branch IPMNs."
    )
    assert [les.wall_thickening for les in run(text).lesions] == ["absent", "absent"]


@pytest.mark.parametrize(
    ("tail", "nodule", "septations"),
    [
        # an item described by number or degree after a comma is seen: the negation stops there
        ("No mural nodule, thin septations.", "absent", "present"),
        ("No solid component, a few fine internal septa.", "absent", "present"),
        ("No nodule, septations present.", "absent", "present"),
        # a bare list, or one whose items name features, stays denied
        ("No nodules, septations or wall thickening.", "absent", "absent"),
        (
            "The cyst does not demonstrate duct dilatation, enhancing mural nodule or septation.",
            "absent",
            "absent",
        ),
        ("No mural nodules are present.", "absent", "not_stated"),
        ("No septations are seen.", "not_stated", "absent"),
    ],
)
def test_negation_stops_at_a_listed_item_described_as_seen(tail: str, nodule: str, septations: str) -> None:
    lesion = run(f"FINDINGS: A 2 cm cyst in the pancreatic body. {tail}").lesions[0]
    assert (lesion.mural_nodule, lesion.septations) == (nodule, septations)


def test_a_case_reports_undated_finding_is_its_exam() -> None:
    text = (
        "The patient was found to have a 2.8-cm solid-pseudopapillary neoplasm of the pancreatic tail with solid and"
        " cystic components on CT; the solid portions enhanced avidly."
    )
    ext = run(text)
    assert [(x.size_mm, x.location, x.mural_nodule) for x in ext.lesions] == [(28.0, "tail", "enhancing")]


@pytest.mark.parametrize(
    ("diagnosis", "pcl"),
    [
        ("later confirmed on CT as a choledochal cyst", False),
        ("proven at EUS to be a duodenal duplication cyst", False),
        ("later confirmed on MRI as a side-branch IPMN", True),
    ],
)
def test_a_diagnosis_a_later_exam_gave_names_the_lesion(diagnosis: str, pcl: bool) -> None:
    text = f"Ultrasound shows a 2.5 cm anechoic lesion in the region of the pancreatic head, {diagnosis}."
    assert run(text).pcl_present is pcl
