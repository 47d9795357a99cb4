"""SPEC §2's newer reading conventions, each with the phrasing families it covers (docs/rules.md maps them)."""

from __future__ import annotations

import pytest

from pancyst.extract.rules import RulesExtractor
from pancyst.schema import Extraction, ReportInput

EX = RulesExtractor()


def run(text: str) -> Extraction:
    return EX.extract(ReportInput(report_id="t", text=text))


@pytest.mark.parametrize(
    ("text", "nodule"),
    [
        ("A 4 cm solid and cystic mass in the pancreatic tail.", "present_unspecified"),
        ("CT: 60 x 40 mm solidocystic tumor of the pancreatic head.", "present_unspecified"),
        ("A 3 cm cystic and solid lesion in the pancreatic body.", "present_unspecified"),
        ("Solid pseudopapillary neoplasm of the pancreatic tail, 5 cm.", "present_unspecified"),
        ("A solid and cystic mass in the pancreatic tail; the solid portion enhances avidly.", "enhancing"),
        ("A 15 mm cystic neuroendocrine tumour of the pancreatic tail.", "present_unspecified"),
    ],
)
def test_a_solid_and_cystic_lesion_not_called_malignant_is_a_pcl_with_a_nodule(
    text: str, nodule: str
) -> None:
    ext = run(text)
    assert ext.pcl_present
    assert ext.lesions[0].mural_nodule == nodule


@pytest.mark.parametrize(
    "text",
    [
        "A solid and cystic mass in the pancreatic head, consistent with adenocarcinoma.",
        "Solid and cystic metastasis in the pancreatic tail.",
    ],
)
def test_a_solid_and_cystic_malignancy_is_no_pcl(text: str) -> None:
    assert not run(text).pcl_present


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("A 24 mm cyst in the pancreatic body and tail.", "body"),
        ("A 24 mm cyst in the pancreatic tail and body.", "body"),
        ("A 24 mm cystic lesion in the pancreatic head extending into the neck.", "head"),
        ("A 30 mm cystic lesion extending from the neck to the tail.", "neck"),
    ],
)
def test_a_lesion_spanning_two_segments_takes_the_proximal_one(text: str, location: str) -> None:
    assert run(f"FINDINGS: {text}").lesions[0].location == location


def test_two_cysts_in_two_segments_are_not_a_span() -> None:
    ext = run("FINDINGS: Cysts in the head and tail, 5 and 8 mm respectively.")
    assert [les.location for les in ext.lesions] == ["head", "tail"]


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("a 14 mm cystic formation in the cauda pancreatis", "tail"),
        ("a 9 mm cyst of the caput pancreatis", "head"),
        ("a 9 mm cyst at the isthmus", "neck"),
        ("a 9 mm cyst in the cephalic portion of the pancreas", "head"),
        ("multiple small cysts in the pancreatic uncus", "uncinate"),
    ],
)
def test_translated_anatomy(text: str, location: str) -> None:
    assert run(f"FINDINGS: Pancreas: {text}.").lesions[0].location == location


def test_a_pseudocyst_is_pancreatic_unless_an_organ_names_it() -> None:
    assert run("CT shows a pseudocyst eroding the splenic artery.").pcl_present
    assert not run("A 3 cm splenic pseudocyst is unchanged.").pcl_present


def test_cystic_spaces_inside_a_lesion_are_part_of_it() -> None:
    ext = run(
        "Serous cystadenoma in the head of the pancreas. Honeycomb structure with cystic areas and central scar."
    )
    assert len(ext.lesions) == 1 and ext.multiplicity == "single"


def test_a_field_answered_indeterminate_is_not_stated() -> None:
    les = run("Cyst 1:\nLocation: tail\nMaximal diameter: 14 mm\nMural nodule: indeterminate\n").lesions[0]
    assert les.mural_nodule == "not_stated"


def test_a_clause_without_an_organ_takes_the_organ_its_sentence_names_not_the_last_sentences() -> None:
    text = (
        "No focal liver lesion.\n\nA microcystic lesion in the pancreatic parenchyma measures 14 mm, compatible "
        "with serous cystadenoma, without solid component, increased from 7 mm on 1/16/2013."
    )
    les = run(text).lesions[0]
    assert (les.presumed_type, les.prior_size_mm, les.mural_nodule) == ("serous", 7.0, "absent")


def test_two_names_of_one_lesion_keep_the_stronger_nodule_reading() -> None:
    text = (
        "Solid-cystic lesion in the pancreatic tail, measuring 2.4 cm, most suggestive of a solid "
        "pseudopapillary tumor, with a 3 mm enhancing solid component."
    )
    assert run(text).lesions[0].mural_nodule == "enhancing"


def test_spanish_and_portuguese_calques_name_a_cyst() -> None:
    ext = run("Report: In the cauda of the pancreas one observes a quistic formation with 2,7 x 2,0 cm.")
    assert ext.pcl_present and ext.lesions[0].size_mm == 27.0 and ext.lesions[0].location == "tail"


def test_a_liquid_formation_is_a_cyst_a_fluid_collection_is_not() -> None:
    assert run(
        "At the level of the pancreas, one notes a liquid formation of the corpus of 32 x 25 mm."
    ).pcl_present
    assert not run("A peripancreatic fluid collection of 32 mm near the pancreatic body.").pcl_present


def test_minus_and_plus_signs_answer_a_field() -> None:
    text = "Findings:\nCystic lesion in the pancreatic uncinate process, 21mm.\nSeptum (-). Mural nodule (-). Wall thickening (+)."
    les = run(text).lesions[0]
    assert (les.septations, les.mural_nodule, les.wall_thickening) == ("absent", "absent", "present")


def test_a_change_written_with_an_arrow_is_prior_then_current() -> None:
    les = run("IMPRESSION: Cystic lesion in the pancreatic tail, increased in size (16mm -> 21mm).").lesions[
        0
    ]
    assert (les.size_mm, les.prior_size_mm) == (21.0, 16.0)


def test_a_guideline_cyst_of_a_size_range_is_no_lesion() -> None:
    text = (
        "CONCLUSION: Branch-duct IPMN of the pancreatic head of 16 mm. According to the ACR 2017 recommendations, "
        "for a cyst of 15 to 19 mm communicating with the duct, a control MRI in 1 year is proposed."
    )
    ext = run(text)
    assert len(ext.lesions) == 1 and ext.lesions[0].size_mm == 16.0


def test_communication_that_is_unclear_is_not_stated() -> None:
    les = run("Cystic lesion in the pancreatic head, 14 mm. Communication with MPD is unclear.").lesions[0]
    assert les.mpd_communication == "not_stated"


def test_a_field_answer_covers_its_own_label_not_the_fields_before_it() -> None:
    text = "Lesion 1: Location: head | Size: 9 mm | Septations: absent | Mural nodule: none | Communication with MPD: yes"
    les = run("MRI PANCREAS CYST SURVEILLANCE\n\n" + text).lesions[0]
    assert (les.location, les.size_mm, les.septations, les.mural_nodule) == ("head", 9.0, "absent", "absent")
    assert les.mpd_communication == "present"


def test_a_checkbox_template_reads_only_the_ticked_options() -> None:
    text = (
        "CT PANCREAS PROTOCOL\n\nPancreatic cystic lesion: [x] yes [ ] no\nLocation: [ ] head [ ] neck [ ] body [x] tail\n"
        "Size: 16 mm\nSeptations: [ ] yes [x] no\nMural nodule: [ ] yes [x] no\n"
        "Communication with MPD: [ ] yes [ ] no [x] indeterminate\n"
    )
    les = run(text).lesions[0]
    assert (les.location, les.septations, les.mural_nodule, les.mpd_communication) == (
        "tail",
        "absent",
        "absent",
        "not_stated",
    )
    span = les.evidence[1]
    assert "[x] tail" in text[span.start - 4 : span.end] or span.text == "tail"


def test_a_cyst_with_no_organ_word_in_an_exam_about_the_pancreas_is_pancreatic() -> None:
    assert run("MRCP\n\nFINDINGS: A 9 mm unilocular cyst, unchanged.").pcl_present
    assert not run("CT ABDOMEN\n\nFINDINGS: A 9 mm unilocular cyst, unchanged.").pcl_present


@pytest.mark.parametrize(
    ("duct", "dilated"),
    [
        ("Ductus pancreaticus not widened.", "no"),
        ("The principal pancreatic conduct is widened to 8 mm.", "yes"),
    ],
)
def test_dutch_and_german_duct_words(duct: str, dilated: str) -> None:
    assert run(f"Pancreas: a 12 mm cyst in the pancreatic tail. {duct}").mpd_dilated == dilated


@pytest.mark.parametrize(
    "denial",
    [
        "No communication of the lesions with the main pancreatic duct is demonstrated.",
        "No communication of the cysts with the ductus pancreaticus is seen.",
    ],
)
def test_a_denied_feature_of_the_cysts_reaches_them(denial: str) -> None:
    ext = run(f"Pancreas: two cysts, in the head (8 mm) and the tail (12 mm). {denial}")
    assert [les.mpd_communication for les in ext.lesions] == ["absent", "absent"]


def test_no_nodule_in_any_of_the_cysts_and_none_is_septated() -> None:
    text = "Pancreas: two cysts, in the head (8 mm) and the tail (12 mm). No enhancing nodules are seen in any of the cysts, and none is septated."
    ext = run(text)
    assert all(les.mural_nodule == "absent" and les.septations == "absent" for les in ext.lesions)


def test_ipmn_of_secondary_branch_is_a_side_branch_ipmn() -> None:
    les = run("Cystic lesion of 9 mm in the pancreatic tail, probable IPMN of secondary branch.").lesions[0]
    assert (les.presumed_type, les.mpd_communication) == ("bd_ipmn", "present")


def test_thickening_nor_enhancement_of_the_walls_is_denied_wall_thickening() -> None:
    text = "A 14 mm cyst in the pancreatic body. There is no thickening nor pathological enhancement of the walls."
    assert run(text).lesions[0].wall_thickening == "absent"
