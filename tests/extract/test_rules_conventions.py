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
        ("A 15 mm cystic neuroendocrine tumour of the pancreatic tail.", "not_stated"),
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
