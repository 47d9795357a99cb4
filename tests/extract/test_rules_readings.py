"""Rules backend: what a number or a later sentence does to the lesions already read.

Change amounts are not sizes; a cyst named again with what it lacked is the same cyst; a retraction
keeps the cyst the report names afterwards; a denied qualifier ("not a simple cyst") retracts nothing;
segment words of other languages are places.
"""

import datetime as dt

import pytest

from pancyst.extract.rules import RulesExtractor
from pancyst.schema import Extraction, ReportInput, check_spans

EXT = RulesExtractor()


def run(text: str) -> Extraction:
    ext = EXT.extract(ReportInput(report_id="t", text=text))
    check_spans(text, ext)
    return ext


@pytest.mark.parametrize(
    "text",
    [
        "FINDINGS: 14 mm cyst in the pancreatic body, previously 11 mm.\n"
        "IMPRESSION: Probable side-branch IPMN of the body with slow growth (3 mm over nearly two years).",
        "FINDINGS: The pancreatic body cyst grew 3 mm and now measures 14 mm (previously 11 mm).",
        "FINDINGS: Pancreatic body cyst measuring 14 mm, an increase of 3 mm from 11 mm in 2022.",
        "FINDINGS: 14 mm pancreatic body cyst, previously 11 mm: 3 mm growth over 2 years.",
    ],
)
def test_a_change_amount_is_no_size(text: str) -> None:
    ext = run(text)
    assert [(les.size_mm, les.prior_size_mm) for les in ext.lesions] == [(14.0, 11.0)]


@pytest.mark.parametrize(
    "text",
    [
        "FINDINGS: Pancreatic body cyst of 14 mm, increased (14 mm, previously 11 mm).",
        "FINDINGS: The cyst in the pancreatic body has grown to 14 mm from 11 mm.",
    ],
)
def test_a_size_after_a_growth_word_is_still_a_size(text: str) -> None:
    ext = run(text)
    assert [les.size_mm for les in ext.lesions] == [14.0]


@pytest.mark.parametrize(
    ("text", "size", "location"),
    [
        (
            "FINDINGS: Pancreas: a small T2-hyperintense cystic lesion, subcentimetric, without enhancement.\n"
            "IMPRESSION: Incidental small cystic lesion in the pancreatic tail.",
            None,
            "tail",
        ),
        (
            "FINDINGS: Pancreas: fluid collection, pseudocyst formation is suspected.\n"
            "IMPRESSION: Pancreatic pseudocyst in the pancreatic body (28 mm).",
            28.0,
            "body",
        ),
        (
            "HISTORY: A pancreatic cyst was found incidentally in 2022.\n"
            "IMAGING: MRI of 12 March 2024 showed a 14 mm cyst in the pancreatic body.",
            14.0,
            "body",
        ),
    ],
)
def test_the_one_cyst_named_again_with_what_it_lacked_is_one_lesion(
    text: str, size: float | None, location: str
) -> None:
    ext = run(text)
    assert len(ext.lesions) == 1, ext.lesions
    assert (ext.lesions[0].size_mm, ext.lesions[0].location) == (size, location)


def test_a_described_cyst_and_a_measured_one_stay_two() -> None:
    ext = run(
        "PANCREAS: There is a subcentimetre cyst, likely a side-branch IPMN, with communication with the"
        " main duct. A cystic focus in the pancreatic head measures 13 mm."
    )
    assert len(ext.lesions) == 2


@pytest.mark.parametrize(
    "addendum",
    [
        "ADDENDUM: The structure described as a 14 mm pancreatic tail cyst is a loop of jejunum. It is not a"
        " pancreatic lesion. The only pancreatic cyst is the 9 mm cyst in the pancreatic head.",
        "ADDENDUM: On the coronal images the 14 mm pancreatic tail cyst is a fluid-filled loop of jejunum."
        " It is not a pancreatic lesion.",
    ],
)
def test_a_retraction_of_the_lesion_just_named_keeps_the_others(addendum: str) -> None:
    ext = run(
        "FINDINGS: A 9 mm cyst in the pancreatic head and a 14 mm cyst in the pancreatic tail.\n"
        f"IMPRESSION: Two pancreatic cysts.\n{addendum}"
    )
    assert [(les.size_mm, les.location) for les in ext.lesions] == [(9.0, "head")]


@pytest.mark.parametrize(
    "closing",
    [
        "IMPRESSION: No pancreatic cyst.",
        "ADDENDUM: On review this is not a pancreatic lesion; it is a duodenal diverticulum.",
        # a retraction with no referent of its own retracts every lesion, whatever is named after it
        "ADDENDUM: There is no pancreatic cyst. The cystic structure described in the pancreatic head is the"
        " duodenum.",
        "ADDENDUM: No pancreatic cyst. The cyst seen on the prior CT was a duodenal diverticulum.",
    ],
)
def test_a_retraction_with_no_referent_removes_every_lesion(closing: str) -> None:
    ext = run(f"FINDINGS: A 9 mm cyst in the pancreatic head.\n{closing}")
    assert not ext.pcl_present


@pytest.mark.parametrize("qualifier", ["simple", "typical", "ordinary"])
def test_a_denied_qualifier_retracts_nothing(qualifier: str) -> None:
    ext = run(
        "FINDINGS: 1.7 cm T2-hyperintense lesion in the pancreatic tail, likely a cyst.\n"
        f"ADDENDUM: This is not a {qualifier} cyst; it is a solid-and-cystic lesion with an 8 mm enhancing"
        " solid component."
    )
    assert ext.pcl_present
    assert ext.lesions[0].size_mm == 17.0


@pytest.mark.parametrize(
    ("phrase", "location"),
    [
        ("In the pancreas staart a 12 mm cystic lesion.", "tail"),
        ("Pankreaskopf: 12 mm cystic lesion.", "head"),
        ("A 12 mm cyst in the pancreaskop.", "head"),
        ("Pankreasschwanz mit 12 mm Zyste: a 12 mm cyst.", "tail"),
        ("In the cabeza of the pancreas a 12 mm cystic lesion.", "head"),
        ("In the corpo of the pancreas a 12 mm cystic formation.", "body"),
        ("A 12 mm cyst in the coda del pancreas.", "tail"),
        ("A 12 mm cystic lesion of the processo uncinato.", "uncinate"),
        ("Cefalo-pancreatic cystic formation of 12 mm.", "head"),
        ("Several millimetric cystic formations of the caudal pancreas, the largest of 12 mm.", "tail"),
        ("A 12 mm cystic lesion of the cephalic pancreas.", "head"),
        ("Corporo-caudal cystic lesion of the pancreas of 12 mm.", "body"),
    ],
)
def test_segment_words_of_other_languages_are_places(phrase: str, location: str) -> None:
    ext = run(f"FINDINGS: {phrase}")
    assert [les.location for les in ext.lesions] == [location]


@pytest.mark.parametrize(
    ("sentence", "feature", "value"),
    [
        ("Honeycomb structure with cystic areas and a central scar.", "septations", "present"),
        ("Thin internal septa between the cystic spaces.", "septations", "present"),
        ("It shows cystic areas and a central calcification.", "calcification", "central"),
    ],
)
def test_a_sentence_that_names_only_parts_of_the_lesion_continues_it(
    sentence: str, feature: str, value: str
) -> None:
    ext = run(f"Serous cystadenoma in the head of the pancreas showing poor flow. {sentence}")
    assert len(ext.lesions) == 1
    assert getattr(ext.lesions[0], feature) == value


def test_a_report_writing_dates_day_first_dates_its_prior_so() -> None:
    ext = run(
        "Comparison: MRI of 12/01/2023.\nResults: cyst of the pancreatic head measuring 16 mm (versus 13 mm"
        " on the MRI of 12/01/2023).\nAddendum (29/02/2024): no change to the conclusion."
    )
    assert str(ext.lesions[0].prior_exam_date) == "2023-01-12"


@pytest.mark.parametrize(
    "note",
    [
        "GI clinic. Referred for a pancreatic cyst. CT on 3/4/2023 showed a 2.2 cm cyst in the pancreatic body."
        " MRI 6/1/2023: 2.3 cm body cyst communicating with the main duct, no mural nodule."
        " Today's MRCP (12/2/2024): body cyst 2.6 cm, no nodules, thin septations.",
        "Imaging review. MRI pancreas 06/01/2023: 23 mm cyst in the pancreatic body, communicating with the duct."
        " MRI pancreas 12/02/2024: the body cyst now measures 26 mm, thin septations, no mural nodule.",
    ],
)
def test_a_note_restating_a_series_of_exams_describes_one_cyst(note: str) -> None:
    ext = run(note)
    assert len(ext.lesions) == 1, ext.lesions
    les = ext.lesions[0]
    assert (les.size_mm, les.prior_size_mm, str(les.prior_exam_date)) == (26.0, 23.0, "2023-06-01")
    assert (les.location, les.septations, les.mural_nodule, les.mpd_communication) == (
        "body",
        "present",
        "absent",
        "present",
    )


def test_cysts_of_different_places_in_a_series_stay_apart() -> None:
    ext = run(
        "MRI 6/1/2023: 9 mm cyst in the pancreatic head. MRI 12/2/2024: 14 mm cyst in the pancreatic tail."
    )
    assert sorted((les.location, les.size_mm) for les in ext.lesions) == [("head", 9.0), ("tail", 14.0)]


@pytest.mark.parametrize(
    ("impression", "ptype"),
    [
        ("Two cysts.", "unspecified"),
        ("Two side-branch IPMNs.", "bd_ipmn"),
        ("2 pancreatic cysts.", "unspecified"),
    ],
)
def test_an_impression_summing_up_the_lesions_confirms_each(impression: str, ptype: str) -> None:
    ext = run(
        "MRI PANCREAS\nFINDINGS:\nLesion 1: Location: head | Size: 9 mm\nLesion 2: Location: body | Size: 12 mm\n"
        f"IMPRESSION: {impression}"
    )
    assert [(les.location, les.size_mm, les.count, les.presumed_type) for les in ext.lesions] == [
        ("head", 9.0, 1, ptype),
        ("body", 12.0, 1, ptype),
    ]


@pytest.mark.parametrize(
    "closing",
    [
        "Both cysts are unilocular and thin-walled, and neither has a solid component.",
        "Neither has a solid component.",
        "Neither shows a solid component or septation.",
    ],
)
def test_neither_with_its_verb_denies_for_every_cyst(closing: str) -> None:
    ext = run(
        f"FINDINGS: Two cysts, in the pancreatic head and tail, measuring 6 and 15 mm respectively. {closing}"
    )
    assert [les.mural_nodule for les in ext.lesions] == ["absent", "absent"]


@pytest.mark.parametrize(
    "priors",
    [
        "On the previous MRI of 10 July 2023 they measured 5 and 10 mm.",
        "They were 5 mm and 10 mm on the prior MRI of 10 July 2023.",
    ],
)
def test_the_earlier_sizes_of_listed_cysts_go_to_each_in_order(priors: str) -> None:
    ext = run(
        "FINDINGS: MRI of 18 July 2024 shows two cysts, in the pancreatic head and tail, measuring 6 and 15 mm"
        f" respectively. {priors}"
    )
    assert [
        (les.location, les.size_mm, les.prior_size_mm, str(les.prior_exam_date)) for les in ext.lesions
    ] == [
        ("head", 6.0, 5.0, "2023-07-10"),
        ("tail", 15.0, 10.0, "2023-07-10"),
    ]


def test_a_later_sentence_with_other_sizes_is_no_prior_list() -> None:
    ext = run(
        "FINDINGS: Two cysts, in the pancreatic head and tail, measuring 6 and 15 mm respectively. "
        "The spleen measures 11 cm."
    )
    assert [les.prior_size_mm for les in ext.lesions] == [None, None]


@pytest.mark.parametrize(
    ("text", "prior_date"),
    [
        # a report translated from a European language writes dates day first
        (
            "Results: cystic formation of the cephalic portion of 16 mm (versus 13 mm on the MRI of 12/01/2023)."
            " The canal of Wirsung is of normal calibre.",
            "2023-01-12",
        ),
        # an English report with nothing to say otherwise: month first
        ("FINDINGS: 16 mm cyst in the pancreatic head, previously 13 mm on 12/01/2023.", "2023-12-01"),
        # its own unambiguous date wins over the words
        (
            "Results: cystic formation of the cephalic portion of 16 mm (versus 13 mm on 12/01/2023; report"
            " of 12/25/2023). Canal of Wirsung normal.",
            "2023-12-01",
        ),
    ],
)
def test_the_reports_date_order(text: str, prior_date: str) -> None:
    assert str(run(text).lesions[0].prior_exam_date) == prior_date


def test_a_lesion_too_small_to_characterize_is_described_not_proposed_for_work_up() -> None:
    ext = run(
        "Pancreas: 5 mm cystic focus in the body, too small to characterize, possibly a side-branch IPMN."
    )
    assert (ext.lesions[0].mpd_communication, ext.lesions[0].presumed_type) == ("present", "bd_ipmn")


@pytest.mark.parametrize("verb", ["has been resected", "was resected", "has resolved"])
def test_a_resected_cyst_named_with_the_pancreas_is_gone(verb: str) -> None:
    assert not run(f"Pancreas: the cystic lesion in the head of the pancreas {verb}.").pcl_present


@pytest.mark.parametrize(
    "sentence",
    [
        "There is no evidence of main pancreatic duct dilatation, mural nodules, or thickened walls.",
        "No mural nodules, thickened walls or ductal dilatation.",
    ],
)
def test_a_denial_naming_the_duct_first_still_speaks_of_the_cyst(sentence: str) -> None:
    ext = run(f"MRI: a 9 x 7 mm cyst in the pancreatic body. {sentence}")
    les = ext.lesions[0]
    assert (les.size_mm, les.location, les.mural_nodule, les.wall_thickening) == (
        9.0,
        "body",
        "absent",
        "absent",
    )
    assert ext.mpd_dilated == "no"


def test_a_sentence_about_a_duct_gives_the_cyst_no_size_or_place() -> None:
    ext = run("Pancreas: 12 mm cyst in the tail. A dilated side branch in the body measures 3 mm.")
    assert [(les.size_mm, les.location) for les in ext.lesions] == [(12.0, "tail")]


@pytest.mark.parametrize(
    "text",
    [
        "On the follow-up CT one year later, the cyst in the pancreatic neck had increased from 15 to 22 mm.",
        "After 12 months the pancreatic neck cyst measured 22 mm (previously 15 mm).",
    ],
)
def test_a_duration_after_which_the_cyst_was_measured_is_the_interval(text: str) -> None:
    les = run(text).lesions[0]
    assert (les.size_mm, les.prior_size_mm, les.stated_interval_months) == (22.0, 15.0, 12.0)


@pytest.mark.parametrize(
    "text",
    [
        "CT demonstrates a 6 cm lobulated mass in the head of the pancreas composed of numerous tiny cysts.",
        "A 6 cm lesion in the pancreatic head consisting of multiple small cysts.",
        "Serous cystadenoma. A 6 cm mass in the pancreatic head made up of innumerable tiny cysts.",
    ],
)
def test_a_lesion_made_of_small_cysts_is_one_septated_lesion(text: str) -> None:
    ext = run(text)
    assert ext.multiplicity == "single"
    assert [(les.size_mm, les.location, les.septations) for les in ext.lesions] == [(60.0, "head", "present")]


def test_the_organ_made_of_cysts_is_many_cysts() -> None:
    assert run("The pancreas is replaced by innumerable cysts.").multiplicity == "multiple"


def test_a_title_naming_the_type_and_the_next_sentence_describe_one_lesion() -> None:
    ext = run("Case 4: Serous cystadenoma. CT shows a 6 cm cyst in the head of the pancreas.")
    assert [(les.size_mm, les.presumed_type) for les in ext.lesions] == [(60.0, "serous")]
    two = run("Serous cystadenoma. A 9 mm IPMN in the tail.")
    assert len(two.lesions) == 2


@pytest.mark.parametrize(
    ("text", "ptype"),
    [
        (
            "The lesion in the pancreatic head is most compatible with a pseudocyst, measuring 3.3 cm.",
            "pseudocyst",
        ),
        ("A 3.3 cm lesion in the pancreatic head, likely a mucinous cystic neoplasm.", "mucinous"),
    ],
)
def test_a_lesion_given_a_cystic_diagnosis_in_apposition_is_that_cyst(text: str, ptype: str) -> None:
    les = run(text).lesions
    assert [(x.size_mm, x.location, x.presumed_type) for x in les] == [(33.0, "head", ptype)]


def test_a_solid_diagnosis_in_apposition_is_no_cyst() -> None:
    assert not run(
        "A 2 cm lesion in the pancreatic tail, consistent with a neuroendocrine tumor."
    ).pcl_present


def test_the_organ_word_before_a_cyst_word_names_its_organ_across_a_clause_cut() -> None:
    text = (
        "Pancreas: No focal mass. There is a 1.5 cm cystic lesion adjacent to the pancreatic tail which likely"
        " arises from the left kidney (exophytic renal cyst)."
    )
    assert not run(text).pcl_present


@pytest.mark.parametrize(
    "text",
    [
        "Pancreas: there is a 9 mm cyst and a splenic artery aneurysm.",
        "Pancreas: there is a splenic artery aneurysm and a 9 mm cyst.",
    ],
)
def test_a_veto_word_of_another_entity_joined_to_the_cyst_vetoes_nothing(text: str) -> None:
    assert [les.size_mm for les in run(text).lesions] == [9.0]


@pytest.mark.parametrize("word", ["hematoma", "pseudoaneurysm"])
def test_a_cystic_lesion_called_a_mimic_is_no_cyst(word: str) -> None:
    assert not run(f"Pancreas: 2 cm cystic lesion in the tail; favor {word}.").pcl_present


def test_a_title_line_with_its_date_dates_a_report_without_headers() -> None:
    ext = run(
        "Abdomen CT 2/14/2024 compared to 2/10/2023:\n"
        "The cystic lesion in the pancreatic body measures 12 x 10 mm today versus 10 x 9 mm last year."
    )
    assert str(ext.exam_date) == "2024-02-14"
    assert str(ext.lesions[0].prior_exam_date) == "2023-02-10"


def test_a_title_line_that_measures_a_cyst_is_no_title() -> None:
    ext = run("Imaging review. MRI pancreas 06/01/2023: 23 mm cyst in the pancreatic body.\nNo other lesion.")
    assert ext.exam_date is None


@pytest.mark.parametrize(
    "text",
    [
        "A 14 mm cystic formation of the pancreatic isthmus, with thin walls and without solid vegetations, in"
        " communication with the Wirsung duct.",
        "Cyst of the pancreatic tail of 14 mm, unilocular, without parietal nodule, communicating with the Wirsung.",
    ],
)
def test_a_predicate_after_a_denied_item_is_affirmed(text: str) -> None:
    les = run(text).lesions[0]
    assert (les.mural_nodule, les.mpd_communication) == ("absent", "present")


def test_a_bare_list_after_without_stays_denied() -> None:
    text = "Cyst of the pancreatic tail of 12 mm without nodules, septations or communication with the duct."
    les = run(text).lesions[0]
    assert (les.mural_nodule, les.septations, les.mpd_communication) == ("absent", "absent", "absent")


def test_a_size_at_that_time_is_the_prior() -> None:
    ext = run(
        "FINDINGS: 2.3 cm septated cyst in the pancreatic head.\nIMPRESSION: side-branch IPMN of the pancreatic"
        " head, larger than on the previous examination (at that time 1.9 cm)."
    )
    assert [(les.size_mm, les.prior_size_mm) for les in ext.lesions] == [(23.0, 19.0)]


def test_a_lesion_said_not_to_be_a_cyst_is_none() -> None:
    text = (
        "MRI Pancreas: A 16 mm T2 hyperintense lesion in the head demonstrates progressive solid enhancement"
        " and is therefore not a cyst; likely a hemangioma or NET."
    )
    assert not run(text).pcl_present
    assert run("MRI Pancreas: A 16 mm T2 hyperintense lesion in the head is not a simple cyst.").pcl_present


@pytest.mark.parametrize(
    "text",
    [
        "IMPRESSION: Normal pancreas. The previously questioned pancreatic tail cyst on ultrasound represents"
        " fluid-filled bowel.",
        "FINDINGS: The 6 mm pancreatic head cyst seen on CT corresponds to a duodenal diverticulum.",
    ],
)
def test_a_cyst_said_to_be_a_mimic_is_none(text: str) -> None:
    assert not run(text).pcl_present


def test_nodular_enhancement_is_a_nodule() -> None:
    base = "Pancreas: 1.2 cm cystic lesion in the uncinate process"
    assert (
        run(f"{base}. There is a thin rim of enhancement, without nodular enhancement.")
        .lesions[0]
        .mural_nodule
        == "absent"
    )
    assert run(f"{base} with nodular enhancement along its wall.").lesions[0].mural_nodule == "enhancing"


@pytest.mark.parametrize(
    "text",
    [
        "PANCREAS: Partially obscured by bowel gas. A small cyst cannot be excluded in the tail.",
        "PANCREAS: Cannot rule out a small cyst in the tail.",
    ],
)
def test_a_cyst_whose_existence_is_doubted_is_not_stated(text: str) -> None:
    assert not run(text).pcl_present


@pytest.mark.parametrize(
    "text",
    [
        "PANCREAS: Indeterminate 1 cm cystic lesion in the tail.",
        "PANCREAS: 1 cm cystic lesion in the tail; IPMN cannot be excluded.",
    ],
)
def test_a_cyst_of_doubted_nature_is_a_cyst(text: str) -> None:
    assert [(les.size_mm, les.location) for les in run(text).lesions] == [(10.0, "tail")]


def test_a_conditional_names_no_feature() -> None:
    ext = run(
        "PANCREAS: A 1.8 cm cyst in the tail.\nIMPRESSION:\n1. 1.8 cm pancreatic tail cyst.\n2. Recommend MRI in"
        " 1 year; septations or communication with the main duct would favor a branch-duct IPMN."
    )
    les = ext.lesions[0]
    assert (les.septations, les.mpd_communication, les.presumed_type) == (
        "not_stated",
        "not_stated",
        "unspecified",
    )


def test_an_exam_label_is_no_organ_heading_for_the_duct() -> None:
    text = (
        "CT abdomen/pelvis: Pancreas shows a 10 mm cyst at the pancreatic neck. Upstream duct is not dilated."
    )
    assert run(text).mpd_dilated == "no"


@pytest.mark.parametrize(
    ("part", "size"),
    [
        ("a small solid component that was 15 mm in size", 15.0),
        ("a small solid/cystic component that was 15x20 mm", 20.0),
    ],
)
def test_a_size_in_a_past_relative_clause_of_a_nodule_is_the_nodules(part: str, size: float) -> None:
    les = run(f"A cystic mass in the pancreatic body measuring 46 mm with {part}.").lesions[0]
    assert (les.size_mm, les.prior_size_mm, les.nodule_size_mm, les.mural_nodule) == (
        46.0,
        None,
        size,
        "present_unspecified",
    )


def test_a_size_in_a_past_relative_clause_of_the_cyst_is_its_prior() -> None:
    les = run("A 46 mm cyst in the pancreatic body, which was 40 mm in 2020.").lesions[0]
    assert (les.size_mm, les.prior_size_mm) == (46.0, 40.0)


@pytest.mark.parametrize(("bound", "size"), [("none larger than 3 mm", 3.0), ("none exceeding 5 mm", 5.0)])
def test_none_larger_than_bounds_the_cysts_sizes(bound: str, size: float) -> None:
    ext = run(f"Pancreas: A few tiny cysts, {bound}.")
    assert ext.multiplicity == "multiple"
    assert [les.size_mm for les in ext.lesions] == [size]


@pytest.mark.parametrize("absent", ["not present on the prior CT", "not previously seen"])
def test_a_cyst_absent_on_the_prior_exam_is_new_not_denied(absent: str) -> None:
    ext = run(f"Pancreas: new 1.2 cm cystic lesion in the pancreatic body, {absent}.")
    assert [(les.size_mm, les.location) for les in ext.lesions] == [(12.0, "body")]


def test_a_normal_adjective_right_before_the_duct_says_it_is_not_dilated() -> None:
    ext = run("MRCP: Normal pancreatic duct caliber (2mm). Pancreas: 7 mm cyst in the body.")
    assert (ext.mpd_dilated, ext.mpd_diameter_mm) == ("no", 2.0)


def test_a_diagnosis_after_a_denied_list_is_not_denied() -> None:
    les = run("Pancreas: 8 mm cyst in the tail without solid component, consistent with BD-IPMN.").lesions[0]
    assert (les.mural_nodule, les.mpd_communication, les.presumed_type) == ("absent", "present", "bd_ipmn")


@pytest.mark.parametrize(
    ("history", "pcl"),
    [
        ("INDICATION: IPMN surveillance.", True),
        ("Hx pancreatic cyst.", True),
        ("INDICATION: abdominal pain.", False),
    ],
)
def test_a_measured_lesion_in_a_cyst_follow_up_is_the_cyst(history: str, pcl: bool) -> None:
    assert run(f"{history}\nFINDINGS: Pancreas: 11 mm lesion in the body, unchanged.").pcl_present is pcl


def test_a_solid_looking_lesion_in_a_cyst_follow_up_is_no_cyst() -> None:
    text = "INDICATION: pancreatic cyst follow-up.\nFINDINGS: Pancreas: new 2 cm hypoenhancing lesion in the head."
    assert not run(text).pcl_present


def test_dictation_shorthand_for_prior_and_dilatation() -> None:
    ext = run("PANCREAS: 1.1cm cyst in the pancreatic body, unchanged vs prior (1.1cm). No PD dil.")
    assert [(les.size_mm, les.prior_size_mm) for les in ext.lesions] == [(11.0, 11.0)]
    assert ext.mpd_dilated == "no"


@pytest.mark.parametrize(
    "sentence",
    [
        "Compared with CT of 06/2022 where it measured 1.3 x 1.0 cm.",
        "It was larger than in 2022 when it was 13 mm.",
    ],
)
def test_a_size_after_where_or_when_it_measured_is_the_prior(sentence: str) -> None:
    les = run(f"Pancreas: Cystic lesion in the pancreatic neck, 1.5 x 1.2 cm. {sentence}").lesions[0]
    assert (les.size_mm, les.prior_size_mm) == (15.0, 13.0)


def test_partitions_are_septa_and_solid_tissue_a_nodule() -> None:
    les = run(
        "Pancreas: 2.6 cm cystic structure in the head with several internal partitions and no solid tissue."
    )
    assert (les.lesions[0].septations, les.lesions[0].mural_nodule) == ("present", "absent")


def test_a_focus_the_cyst_contains_is_part_of_it() -> None:
    ext = run(
        "Pancreas: Cystic lesion of the pancreatic head (2.1 cm) with a dependent 4 mm non-enhancing focus, likely"
        " mucin or debris."
    )
    assert ext.multiplicity == "single"
    assert [les.size_mm for les in ext.lesions] == [21.0]


def test_none_before_a_predicate_denies_it_for_each_cyst_not_the_cysts() -> None:
    ext = run("Pancreas: Multiple small cysts, none communicating with the main duct.")
    assert ext.multiplicity == "multiple"
    assert [les.mpd_communication for les in ext.lesions] == ["absent"]


def test_the_cysts_a_cyst_contains_are_part_of_it() -> None:
    assert not run(
        "Image of a hepatic hydatid cyst with daughter cysts; the pancreas was normal."
    ).pcl_present
    two = run("Pancreas: 12 mm cyst in the head with a 5 mm cyst in the tail.")
    assert [(les.size_mm, les.location) for les in two.lesions] == [(12.0, "head"), (5.0, "tail")]


@pytest.mark.parametrize(
    "text",
    [
        "Axial T2-weighted image shows a 2 cm hyperintense lesion in the pancreatic tail.",
        'MRI: a lobulated 2 cm lesion in the pancreatic tail with a "bunch of grapes" appearance.',
    ],
)
def test_fluid_signal_or_a_grape_cluster_makes_a_bare_lesion_cystic(text: str) -> None:
    assert [(les.size_mm, les.location) for les in run(text).lesions] == [(20.0, "tail")]


@pytest.mark.parametrize(
    "text",
    [
        "IMPRESSION: Tiny pancreatic head cyst measuring 3 mm, no follow-up needed per ACR for cysts under 5 mm.",
        "IMPRESSION: 3 mm pancreatic head cyst. No follow-up is recommended for cysts smaller than 5 mm.",
    ],
)
def test_a_guideline_s_denied_cysts_retract_no_lesion(text: str) -> None:
    assert [(les.size_mm, les.location) for les in run(text).lesions] == [(3.0, "head")]


@pytest.mark.parametrize(
    "sentence",
    [
        "An enhancing nodule within the cyst is not seen.",
        "Enhancing nodule within the cyst is not recognized.",
        "Mural nodules in the lesion are not identified.",
        "A mural nodule is not recognised.",
    ],
)
def test_a_feature_of_the_cyst_denied_after_it_is_absent(sentence: str) -> None:
    assert [les.mural_nodule for les in run(f"A 25 mm cyst in the pancreatic body. {sentence}").lesions] == [
        "absent"
    ]


@pytest.mark.parametrize(
    ("text", "prior", "months"),
    [
        (
            "A 25 mm cyst in the pancreatic body. Compared with the previous examination one year ago (22 mm), "
            "slight enlargement.",
            22.0,
            12.0,
        ),
        ("The known 2.2 cm cyst in the neck of the pancreas, up from 1.8 cm last year.", 18.0, 12.0),
        (
            "Comparison is made to CT from 18 months ago. The cystic lesion in the pancreatic head now measures "
            "2.9 cm, previously 2.0 cm.",
            20.0,
            18.0,
        ),
    ],
)
def test_priors_and_intervals_in_other_words(text: str, prior: float, months: float) -> None:
    assert [(les.prior_size_mm, les.stated_interval_months) for les in run(text).lesions] == [(prior, months)]


def test_a_comparison_date_beats_last_year() -> None:
    ext = run(
        "EXAM: CT abdomen 2/14/2024\nCOMPARISON: CT 2/10/2023.\n"
        "FINDINGS: The pancreatic body cyst measures 12 mm, up from 10 mm last year."
    )
    assert [str(les.prior_exam_date) for les in ext.lesions] == ["2023-02-10"]


@pytest.mark.parametrize(
    "text",
    [
        "In the pancreatic isthmus there is a 1.3 cm oval lesion of fluid signal intensity on T2.",
        "A 13 mm lesion of water density in the pancreatic neck.",
    ],
)
def test_a_lesion_of_fluid_signal_is_a_cyst(text: str) -> None:
    assert [(les.size_mm, les.location) for les in run(text).lesions] == [(13.0, "neck")]


@pytest.mark.parametrize(
    "text",
    [
        "Pancreas: unremarkable. Cystoscopy showed no tumor.",
        "Pancreas: normal. Bladder: status post cystectomy with ileal conduit.",
        "Pancreas: normal. Status post cystogastrostomy.",
        "Gallbladder: normal. The ductus cysticus is long. Pancreas: normal.",
    ],
)
def test_a_word_that_starts_with_cyst_is_no_cyst(text: str) -> None:
    assert not run(text).pcl_present


@pytest.mark.parametrize(
    "duct",
    [
        "MPD diameter: 3 mm; dilatation: no",
        "Main pancreatic duct diameter: 3 mm. Dilatation: no.",
        "Main pancreatic duct: 3 mm; dilated: no",
        "Main pancreatic duct with preserved calibre.",
    ],
)
def test_a_duct_s_fields_and_preserved_calibre_say_not_dilated(duct: str) -> None:
    ext = run(f"Pancreatic cyst 12 mm in the tail.\n{duct}")
    assert ext.mpd_dilated == "no"


def test_a_status_word_of_another_duct_after_a_semicolon_is_not_the_main_duct_s() -> None:
    assert run("Pancreatic cyst 12 mm in the tail. MPD: 3 mm; CBD: dilated").mpd_dilated == "not_stated"


def test_thickening_of_its_wall() -> None:
    ext = run("Cystic lesion of the pancreatic body, 3.1 cm, with new thickening of its wall.")
    assert [les.wall_thickening for les in ext.lesions] == ["present"]


@pytest.mark.parametrize(
    "text",
    [
        "ADDENDUM: The size of the pancreatic cyst in the findings should read 1.8 cm, not 8 cm.\n"
        "FINDINGS: There is a 8 cm cyst in the pancreatic body.",
        "FINDINGS: There is a 8 cm cyst in the pancreatic body.\n"
        "ADDENDUM: The size of the pancreatic cyst in the findings should read 1.8 cm, not 8 cm.",
    ],
)
def test_an_addendum_corrects_wherever_it_is_written(text: str) -> None:
    assert [(les.size_mm, les.location) for les in run(text).lesions] == [(18.0, "body")]


def test_each_place_of_a_list_keeps_the_findings_of_its_own_stretch() -> None:
    ext = run(
        "There are two cystic lesions: one in the head (1.9 cm), which communicates with the main duct, "
        "and a second in the tail (2.4 cm) with an enhancing nodule."
    )
    got = [(les.location, les.mpd_communication, les.mural_nodule) for les in ext.lesions]
    assert got == [("head", "present", "not_stated"), ("tail", "not_stated", "enhancing")]


def test_a_finding_said_before_the_list_of_places_is_said_of_each() -> None:
    ext = run("Two septated cysts, in the head (9 mm) and tail (6 mm).")
    assert [(les.location, les.septations) for les in ext.lesions] == [
        ("head", "present"),
        ("tail", "present"),
    ]


def test_prominence_of_the_duct_is_dilatation() -> None:
    ext = run("Minimal prominence of the main pancreatic duct (4 mm). A 5 mm cyst in the pancreatic body.")
    assert ext.mpd_dilated == "yes"


def test_a_size_in_parentheses_after_a_prior_year_is_the_prior() -> None:
    ext = run("Panc: 1.6 cm cystic lesion body, unchanged from 2022 (1.6 cm).")
    assert [(les.size_mm, les.prior_size_mm) for les in ext.lesions] == [(16.0, 16.0)]


@pytest.mark.parametrize(
    "text",
    [
        "Pancreatic tail cyst 13 mm, 10 mm on prior MRI of 2023-01-15. Exam date 2024-01-20.",
        "Pancreatic tail cyst 13 mm (current exam 01/20/2024), 10 mm on prior MRI of 2023-01-15.",
    ],
)
def test_a_phrase_that_names_the_current_exam_dates_it(text: str) -> None:
    ext = run(text)
    assert str(ext.exam_date) == "2024-01-20"
    assert [str(les.prior_exam_date) for les in ext.lesions] == ["2023-01-15"]


@pytest.mark.parametrize(
    ("text", "multiple"),
    [
        (
            "The pancreas shows a cluster of small cysts in the tail, collectively measuring 2.4 x 1.9 cm.",
            False,
        ),
        ("A conglomerate of tiny cysts in the pancreatic tail measuring 24 mm.", False),
        ("Cluster of cysts in the pancreatic tail, the largest 24 mm.", True),
    ],
)
def test_a_cluster_of_cysts_is_one_lesion_unless_its_largest_is_named(text: str, multiple: bool) -> None:
    ext = run(text)
    assert [(les.size_mm, les.location) for les in ext.lesions] == [(24.0, "tail")]
    assert (ext.multiplicity == "multiple") is multiple


@pytest.mark.parametrize(
    "text",
    [
        "11 cm multiloculated cystic mass in the pancreatic tail, suspicious for mucinous cystic neoplasm with "
        "possible malignant features.",
        "11 cm side-branch IPMN of the pancreatic tail, concerning for malignant transformation.",
        "11 cm pancreatic tail cyst with a risk of malignancy.",
    ],
)
def test_a_cyst_s_malignant_features_keep_it_a_cyst(text: str) -> None:
    assert [(les.size_mm, les.location) for les in run(text).lesions] == [(110.0, "tail")]


@pytest.mark.parametrize(
    ("text", "lesions"),
    [
        (
            "Pancreas: Cyst in the pancreatic head, 7 mm, and another in the body, 4 mm, both unchanged.",
            [(7.0, "head"), (4.0, "body")],
        ),
        (
            "Pancreas: One cyst in the head measuring 5 mm and a second one in the tail measuring 9 mm.",
            [(5.0, "head"), (9.0, "tail")],
        ),
        ("Pancreas: 7 mm cyst in the head and another in the tail.", [(7.0, "head")]),
    ],
)
def test_another_without_its_noun_is_a_second_cyst(text: str, lesions: list[tuple[float, str]]) -> None:
    ext = run(text)
    assert [(les.size_mm, les.location) for les in ext.lesions] == lesions
    assert ext.multiplicity == "multiple"


@pytest.mark.parametrize(
    "text",
    [
        "Pancreas: 7 mm cyst in the head. Kidneys: 2 cm cyst on the left and another on the right.",
        "Pancreas: 7 mm cyst in the head and another in the liver.",
    ],
)
def test_another_of_another_organ_adds_no_pancreatic_cyst(text: str) -> None:
    ext = run(text)
    assert [(les.size_mm, les.location, les.count) for les in ext.lesions] == [(7.0, "head", 1)]


@pytest.mark.parametrize(
    ("addendum", "lesions"),
    [
        (
            "The tail cyst measures 8 mm and there is a second 5 mm cyst in the head.",
            [(8.0, "tail"), (5.0, "head")],
        ),
        ("There is also a 6 mm cyst in the head.", [(10.0, "tail"), (6.0, "head")]),
        ("The cyst is in the head, not the tail, and measures 12 mm.", [(12.0, "head")]),
        ("The cyst measures 12 mm.", [(12.0, "tail")]),
    ],
)
def test_an_addendum_s_other_cyst_does_not_correct_the_one_described(
    addendum: str, lesions: list[tuple[float, str]]
) -> None:
    ext = run(f"PANCREAS: 1 cm cyst in the tail. Otherwise unremarkable.\nADDENDUM: {addendum}")
    assert [(les.size_mm, les.location) for les in ext.lesions] == lesions


@pytest.mark.parametrize(
    ("text", "sizes"),
    [
        (
            "The 9 mm cyst seen previously in the pancreatic head is again seen and now measures 10 mm.",
            (10.0, 9.0),
        ),
        ("The previously seen 9 mm cyst in the pancreatic head now measures 10 mm.", (10.0, 9.0)),
        ("The 9 mm pancreatic head cyst described on the prior exam now measures 10 mm.", (10.0, 9.0)),
        ("The previously seen 9 mm cyst in the pancreatic head is unchanged.", (9.0, None)),
    ],
)
def test_the_size_of_a_cyst_named_as_seen_before_is_its_prior_when_a_size_now_follows(
    text: str, sizes: tuple[float, float | None]
) -> None:
    assert [(les.size_mm, les.prior_size_mm) for les in run(text).lesions] == [sizes]


@pytest.mark.parametrize(
    ("text", "calc"),
    [
        (
            "Pancreas: 1.8 cm cyst in the head with a few thin septa and calcification along its wall.",
            "peripheral",
        ),
        ("Pancreas: 1.8 cm cyst in the head with wall calcification.", "peripheral"),
        ("Pancreas: 1.8 cm cyst in the head with calcifications in the periphery.", "peripheral"),
        ("Pancreas: 1.8 cm cyst in the head with a thin wall and a central calcification.", "central"),
    ],
)
def test_a_calcification_in_the_wall_is_peripheral(text: str, calc: str) -> None:
    assert [les.calcification for les in run(text).lesions] == [calc]


@pytest.mark.parametrize(
    ("text", "nodules"),
    [
        (
            "Pancreas: A 1.9 cm cyst is seen in the head. A second smaller cyst of 6 mm is noted in the tail. "
            "The larger cyst has a mural nodule measuring 4 mm which enhances.",
            [(19.0, "enhancing"), (6.0, "not_stated")],
        ),
        (
            "Pancreas: A 6 mm cyst is noted in the tail. A 1.9 cm cyst is seen in the head. "
            "The smaller cyst has an enhancing mural nodule.",
            [(6.0, "enhancing"), (19.0, "not_stated")],
        ),
    ],
)
def test_the_larger_or_smaller_cyst_is_the_one_of_that_size(
    text: str, nodules: list[tuple[float, str]]
) -> None:
    assert [(les.size_mm, les.mural_nodule) for les in run(text).lesions] == nodules


@pytest.mark.parametrize(
    ("text", "pcl"),
    [
        (
            "Distal pancreatectomy and splenectomy performed for a 4 cm mucinous cystic neoplasm of the tail.",
            False,
        ),
        ("Whipple procedure for IPMN of the head in 2019. The remnant is unremarkable.", False),
        ("Whipple procedure for IPMN of the head in 2019. Now a 6 mm cyst in the remnant tail.", True),
        ("Pancreatic remnant after distal pancreatectomy contains a 5 mm cyst.", True),
        ("Pancreas: 2 cm cyst in the head. Resection for this cyst is recommended.", True),
    ],
)
def test_the_lesion_an_operation_removed_is_no_pcl(text: str, pcl: bool) -> None:
    assert run(text).pcl_present is pcl


@pytest.mark.parametrize(
    "text",
    [
        "Pancreas: The pancreatic duct is dilated to 6 mm throughout, without an obstructing lesion. "
        "There is a 1 cm cyst in the body.",
        "Pancreas: The main duct measures 6 mm in the head, where a 1 cm cyst abuts it.",
    ],
)
def test_a_duct_size_is_not_taken_by_a_cyst_word_of_another_phrase(text: str) -> None:
    ext = run(text)
    assert (ext.mpd_diameter_mm, [les.size_mm for les in ext.lesions]) == (6.0, [10.0])


@pytest.mark.parametrize(
    "text",
    [
        "PANCREAS: Two cysts are again seen. The first, in the head, measures 8 mm (previously 7 mm). "
        "The second, in the tail, measures 12 mm (previously 12 mm).",
        "PANCREAS: Two cysts are again seen. One in the head measures 8 mm. The other, in the tail, measures 12 mm.",
    ],
)
def test_the_first_and_the_second_of_a_group_are_its_cysts(text: str) -> None:
    ext = run(text)
    measured = [(les.size_mm, les.location) for les in ext.lesions if les.size_mm is not None]
    assert measured == [(8.0, "head"), (12.0, "tail")]
    assert ext.multiplicity == "multiple"


@pytest.mark.parametrize(
    "text",
    [
        "Pancreas: 3 cysts: 4 mm (head), 7 mm (body), 12 mm (tail, with thin septation).",
        "Pancreas: three cysts measuring 4 mm (head), 7 mm (body) and 12 mm (tail, with thin septation).",
    ],
)
def test_sizes_each_followed_by_its_place_in_parentheses_are_one_cyst_each(text: str) -> None:
    ext = run(text)
    assert [(les.size_mm, les.location) for les in ext.lesions] == [
        (4.0, "head"),
        (7.0, "body"),
        (12.0, "tail"),
    ]
    assert [les.septations for les in ext.lesions] == ["not_stated", "not_stated", "present"]


@pytest.mark.parametrize(
    "prior",
    [
        "On the 2022 CT it measured 9 mm.",
        "On the March 2022 MRI it measured 9 mm.",
        "On the 3/2022 scan it measured 9 mm.",
    ],
)
def test_an_exam_named_by_its_date_makes_a_past_size_a_prior(prior: str) -> None:
    ext = run(f"Pancreas: 11 mm cyst of the pancreatic body. {prior}")
    assert [(les.size_mm, les.prior_size_mm) for les in ext.lesions] == [(11.0, 9.0)]


def test_a_past_size_without_a_prior_exam_stays_the_size() -> None:
    ext = run("Pancreas: A cyst was seen in the body. It measured 11 mm on this CT.")
    assert [(les.size_mm, les.prior_size_mm) for les in ext.lesions] == [(11.0, None)]


@pytest.mark.parametrize(
    ("phrase", "communication"),
    [
        ("The MRCP shows the cyst connecting to the main pancreatic duct.", "present"),
        ("The cyst is connected to the main pancreatic duct.", "present"),
        ("The cyst is not connected to the main pancreatic duct.", "absent"),
    ],
)
def test_connected_to_the_duct_is_a_communication(phrase: str, communication: str) -> None:
    ext = run(f"Pancreas: 2 cm cyst in the head. {phrase}")
    assert [les.mpd_communication for les in ext.lesions] == [communication]


def test_daughter_cysts_are_a_part_of_the_lesion() -> None:
    ext = run(
        "Pancreas: Macrocystic lesion of the head, 4 cm, with a few daughter cysts and peripheral "
        "calcifications, favored mucinous cystic neoplasm."
    )
    assert [(les.size_mm, les.presumed_type, les.calcification) for les in ext.lesions] == [
        (40.0, "mucinous", "peripheral")
    ]


@pytest.mark.parametrize(
    ("phrase", "calcification"),
    [
        ("with a calcified wall", "peripheral"),
        ("with a calcified rim", "peripheral"),
        ("with a calcified central scar", "central"),
    ],
)
def test_a_calcified_wall_is_peripheral(phrase: str, calcification: str) -> None:
    assert [les.calcification for les in run(f"Pancreas: Tail cyst 11 mm {phrase}.").lesions] == [
        calcification
    ]


@pytest.mark.parametrize(
    ("text", "septations"),
    [
        ("Pancreas: Trabeculated 25 mm cystic lesion in the neck.", "present"),
        ("Pancreas: 25 mm cystic lesion in the neck, not trabeculated.", "absent"),
    ],
)
def test_trabeculation_is_septation(text: str, septations: str) -> None:
    assert [les.septations for les in run(text).lesions] == [septations]


def test_a_decimal_size_does_not_end_the_nodules_clause() -> None:
    ext = run(
        "Pancreas: Cystic lesion in the tail, 3.2 cm, with a solid component measuring 1.1 cm that does not enhance."
    )
    assert [(les.mural_nodule, les.nodule_size_mm) for les in ext.lesions] == [("nonenhancing", 11.0)]


@pytest.mark.parametrize(
    "text",
    [
        "Pancreas: Status post distal pancreatectomy and splenectomy for mucinous cystic neoplasm. "
        "No residual or recurrent cyst in the remnant.",
        "Pancreas: Status post distal pancreatectomy and splenectomy for MCN.",
    ],
)
def test_operations_joined_by_and_are_past(text: str) -> None:
    assert not run(text).pcl_present


@pytest.mark.parametrize(
    "made_of",
    ["composed of innumerable tiny cysts", "consisting of multiple small cysts", "made up of many cysts"],
)
def test_the_cysts_a_lesion_is_made_of_are_part_of_it(made_of: str) -> None:
    ext = run(
        f"Pancreas: Lobulated multicystic lesion in the head measuring 3.4 x 2.8 cm {made_of} with a central scar."
    )
    assert ext.multiplicity == "single"
    assert [(les.size_mm, les.count) for les in ext.lesions] == [(34.0, 1)]


@pytest.mark.parametrize(
    ("sentence", "dilated"),
    [
        ("No upstream dilatation.", "no"),
        ("There is upstream dilatation.", "yes"),
        ("The cyst causes upstream ductal dilatation.", "yes"),
    ],
)
def test_upstream_dilatation_names_the_main_duct(sentence: str, dilated: str) -> None:
    ext = run(f"Pancreas: 2 cm head cyst, separate from the main duct. {sentence}")
    assert ext.mpd_dilated == dilated


def test_upstream_dilatation_of_the_bile_duct_is_not_the_pancreatic_duct() -> None:
    assert (
        run("Liver: CBD stone with upstream dilatation. Pancreas: 2 cm head cyst.").mpd_dilated
        == "not_stated"
    )


@pytest.mark.parametrize(
    "other",
    [
        "Impression: Chronic calcific pancreatitis with a 3 cm pseudocyst in the tail.",
        "Pancreas: 3 cm pseudocyst in the tail adjacent to a calcified splenic artery.",
        "Pancreas: 3 cm pseudocyst in the tail. Vascular calcifications.",
        "Pancreas: 3 cm pseudocyst in the tail with calcification of the splenic artery nearby.",
    ],
)
def test_the_glands_or_a_vessels_calcification_is_not_the_cysts(other: str) -> None:
    assert [les.calcification for les in run(other).lesions] == ["not_stated"]


def test_a_cystically_dilated_side_branch_gives_the_cysts_size() -> None:
    ext = run("Pancreas: Several cystic dilatations of side branches in the head, up to 11 mm.")
    assert [(les.size_mm, les.location) for les in ext.lesions] == [(11.0, "head")]
    assert ext.mpd_diameter_mm is None


def test_a_later_prior_does_not_take_the_ducts_current_size() -> None:
    ext = run("Pancreas: Cyst in the head, 17 mm. The main duct measures 5 mm, previously 3 mm.")
    assert ext.mpd_diameter_mm == 5.0
    assert (
        run("Pancreas: Cyst in the head, 17 mm. The main duct measured 3 mm previously.").mpd_diameter_mm
        is None
    )


@pytest.mark.parametrize(
    ("sentence", "ptype"),
    [
        ("Septated body cyst, mucinous etiology suspected.", "mucinous"),
        ("The findings favor a serous etiology.", "serous"),
        ("A mucinous etiology cannot be excluded.", "unspecified"),
    ],
)
def test_an_etiology_types_the_lesion(sentence: str, ptype: str) -> None:
    ext = run(f"Pancreas: 22 mm body cyst. {sentence}")
    assert [les.presumed_type for les in ext.lesions] == [ptype]


@pytest.mark.parametrize(
    "text",
    [
        "ADRENALS: Left adrenal cystic lesion, 2.5 cm, likely a pseudocyst.",
        "SPLEEN: Splenic lesion of fluid attenuation, 3 cm, probably a pseudocyst.",
    ],
)
def test_a_pseudocyst_under_its_organs_heading_is_that_organs(text: str) -> None:
    assert not run(f"PANCREAS: Normal. No cystic lesion.\n{text}").pcl_present


def test_a_pseudocyst_under_another_heading_naming_no_organ_stays_pancreatic() -> None:
    ext = run("PANCREAS: Atrophic.\nLIVER: Normal. 5 cm pseudocyst in the lesser sac.")
    assert [(les.size_mm, les.presumed_type) for les in ext.lesions] == [(50.0, "pseudocyst")]


def test_a_templates_index_cyst_lines_name_one_cyst() -> None:
    ext = run(
        "PANCREATIC CYST SYNOPTIC REPORT\nIndex cyst location: tail\nIndex cyst size: 21 x 15 mm\n"
        "Septations: present\nMural nodule: absent"
    )
    assert ext.multiplicity == "single"
    assert [(les.size_mm, les.location, les.septations, les.mural_nodule) for les in ext.lesions] == [
        (21.0, "tail", "present", "absent")
    ]


def test_another_cyst_with_a_size_after_a_placed_one_stays_another() -> None:
    ext = run("Pancreas: The tail of the pancreas contains a cyst. The head contains a 9 mm cyst.")
    assert ext.multiplicity == "multiple"


@pytest.mark.parametrize(
    "text",
    [
        "Pancreas: 24 mm cyst in the neck. Mural nodule absent.",
        "Pancreas: 24 mm cyst in the neck, mural nodule absent, septations present.",
        "Pancreas: 24 mm cyst in the neck, mural nodule is absent.",
        "Pancreas: 24 mm cyst in the neck; enhancing mural nodule (absent).",
    ],
)
def test_a_nodule_denied_after_the_cyst_denies_the_nodule_not_the_cyst(text: str) -> None:
    ext = run(text)
    assert [(les.size_mm, les.location, les.mural_nodule) for les in ext.lesions] == [
        (24.0, "neck", "absent")
    ]


def test_a_cyst_denied_after_its_description_is_still_denied() -> None:
    assert not run("Pancreas: A pancreatic cyst is absent.").pcl_present
    assert not run("Pancreas: Pancreatic cyst, previously described, is not seen.").pcl_present


def test_a_checklists_answers_go_to_their_own_items() -> None:
    ext = run(
        "Index lesion: 24 mm cystic lesion, pancreatic neck.\n"
        "Worrisome features: wall thickening (present), enhancing mural nodule (absent), MPD 5-9 mm (no).\n"
        "MPD: 3 mm."
    )
    assert [(les.wall_thickening, les.mural_nodule) for les in ext.lesions] == [("present", "absent")]
    assert ext.mpd_diameter_mm == 3.0  # the criterion's 5-9 mm, answered "no", is no size


@pytest.mark.parametrize(
    ("sentence", "wall"),
    [
        ("Wall not thickened.", "absent"),
        ("The wall is not thickened.", "absent"),
        ("The wall shows no enhancement.", "absent"),
        ("Its walls are neither thickened nor enhancing.", "absent"),
        ("The wall is thickened.", "present"),
        ("The wall appears mildly thickened.", "present"),
    ],
)
def test_a_denied_wall_predicate_denies_the_thickening(sentence: str, wall: str) -> None:
    assert [les.wall_thickening for les in run(f"Pancreas: 14 mm cyst in the head. {sentence}").lesions] == [
        wall
    ]


def test_a_nodule_along_the_wall_that_does_not_enhance_says_nothing_of_the_wall() -> None:
    ext = run("Pancreas: 1.3 cm cyst in the body. A 4 mm nodule along its wall does not enhance.")
    assert [(les.wall_thickening, les.mural_nodule) for les in ext.lesions] == [
        ("not_stated", "nonenhancing")
    ]


@pytest.mark.parametrize(
    "second",
    [
        "A second, 6 mm, in the tail.",
        "Another in the tail measures 6 mm.",
        "There is another one in the tail, 6 mm.",
    ],
)
def test_a_sentence_about_another_unnamed_cyst_is_a_second_lesion(second: str) -> None:
    ext = run(f"Pancreas: A 10 mm cyst is seen in the neck. {second} No ductal dilatation.")
    assert [(les.size_mm, les.location) for les in ext.lesions] == [(10.0, "neck"), (6.0, "tail")]


def test_another_exam_is_no_second_lesion() -> None:
    ext = run("Pancreas: A 10 mm cyst in the neck. Another study in 2020 showed it at 8 mm.")
    assert [les.size_mm for les in ext.lesions] == [10.0]


def test_a_report_in_another_language_is_an_error_line_not_an_answer() -> None:
    from pancyst.pipeline import Pipeline

    text = (
        "Reperto: A livello della testa pancreatica si osserva una formazione cistica di 15 mm, comunicante con "
        "il dotto di Wirsung, che appare di calibro regolare (2 mm). Non noduli murali."
    )
    (line,) = Pipeline(EXT).run([ReportInput(report_id="it", text=text)])
    assert line.pcl_present is None
    assert "reads as Italian" in line.errors[0]


@pytest.mark.parametrize(
    "denied_before",
    [
        "not present on the MRI of 2 years ago",
        "not seen on the prior CT",
        "not visible on previous imaging",
        "not identified on the outside study",
    ],
)
def test_a_denial_said_of_an_earlier_exam_leaves_the_new_cyst(denied_before: str) -> None:
    ext = run(f"Pancreas: New 6 mm cyst in the body, {denied_before}.")
    assert [(les.size_mm, les.location) for les in ext.lesions] == [(6.0, "body")]


@pytest.mark.parametrize(
    "grown", ["the 9 mm tail cyst has grown to 12 mm", "the 9 mm tail cyst has increased in size to 12 mm"]
)
def test_a_cysts_size_before_it_grew_to_another_is_its_prior(grown: str) -> None:
    ext = run(f"Pancreas: Since the exam of 6 months ago, {grown}.")
    assert [(les.size_mm, les.prior_size_mm) for les in ext.lesions] == [(12.0, 9.0)]


@pytest.mark.parametrize(
    ("history", "prior", "months"),
    [
        ("History: Pancreatic cyst measured 2.0 cm on outside MRI 11/2023.", 20.0, 7.0),
        ("Indication: Follow-up of a 16 mm pancreatic body cyst seen 2 years ago.", 16.0, 24.0),
    ],
)
def test_the_size_the_history_gives_the_cyst_is_its_prior(history: str, prior: float, months: float) -> None:
    from pancyst.pipeline import Pipeline

    text = f"{history}\nFindings: Pancreas: Cyst in the pancreatic body measures 2.1 cm."
    (line,) = Pipeline(EXT).run([ReportInput(report_id="h", text=text, exam_date=dt.date(2024, 6, 1))])
    assert line.features is not None
    assert (line.features.size_mm, line.features.prior_size_mm) == (21.0, prior)
    assert line.features.interval_months == pytest.approx(months, abs=0.1)


@pytest.mark.parametrize(
    "history",
    [
        "History: Renal cyst, 2 cm.",
        "History: Evaluate for a 2 cm pancreatic cyst.",
        "History: 2 cm pancreatic head cyst on CT.",  # another place: another cyst
    ],
)
def test_a_history_size_of_no_matching_pancreatic_cyst_is_no_prior(history: str) -> None:
    ext = run(f"{history}\nFindings: Pancreas: 1.1 cm cyst in the pancreatic body.")
    assert [(les.size_mm, les.prior_size_mm) for les in ext.lesions] == [(11.0, None)]


def test_a_prior_the_findings_give_wins_over_the_historys() -> None:
    ext = run(
        "History: 8 mm pancreatic body cyst.\nFindings: Pancreas: 11 mm cyst in the body, previously 9 mm."
    )
    assert [les.prior_size_mm for les in ext.lesions] == [9.0]


def test_an_addendums_actual_size_corrects_the_reported_one() -> None:
    ext = run(
        "Pancreas: A 9 mm cystic lesion is again identified in the head.\n"
        "Addendum: The reported 9 mm head lesion actually measures 11 mm on the coronal images."
    )
    assert [(les.size_mm, les.prior_size_mm) for les in ext.lesions] == [(11.0, None)]


def test_a_list_of_criteria_met_measures_nothing() -> None:
    ext = run(
        "Pancreas: Branch duct IPMN in the head, now 32 mm (previously 27 mm), with a 5 mm enhancing mural nodule. "
        "MPD 6 mm.\nImpression: Worrisome features: size >3 cm, enhancing mural nodule <5 mm, MPD 5-9 mm."
    )
    assert ext.mpd_diameter_mm == 6.0
    assert [(les.size_mm, les.nodule_size_mm) for les in ext.lesions] == [(32.0, 5.0)]
    # a size said plainly in such a list is still this patient's
    assert run("Pancreas: 2 cm cyst. Worrisome features: MPD 7 mm.").mpd_diameter_mm == 7.0


@pytest.mark.parametrize(
    ("then", "which"),
    [("The larger one is septated.", 13.0), ("The smaller of the two is septated.", 4.0)],
)
def test_the_larger_or_smaller_one_is_that_lesion(then: str, which: float) -> None:
    ext = run(f"Pancreas: A 1.3 cm cyst in the neck and a 4 mm cyst in the tail. {then}")
    assert [les.size_mm for les in ext.lesions if les.septations == "present"] == [which]


@pytest.mark.parametrize(
    "text",
    [
        "CT ABDOMEN\nFindings: A 3 cm cystic lesion between the pancreatic tail and the spleen, arising from the spleen.",
        "CT ABDOMEN\nFindings: A 3 cm cystic lesion of splenic origin near the pancreatic tail.",
        "CT ABDOMEN\nFindings: Multilocular cystic mass in the retroperitoneum adjacent to the pancreatic head, 6 cm.",
    ],
)
def test_a_cyst_of_another_organ_or_place_beside_the_pancreas_is_no_pcl(text: str) -> None:
    assert not run(text).pcl_present


@pytest.mark.parametrize(
    "text",
    [
        "Pancreas: A 3 cm cyst arising from the pancreatic tail.",
        "Pancreas: 2 cm cyst in the tail near the splenic hilum.",
        "Report: At the level of the pancreatic head one notes a cystic formation of 36 x 21 mm.",
    ],
)
def test_a_pancreatic_cyst_named_beside_a_landmark_stays_pancreatic(text: str) -> None:
    assert run(text).pcl_present


@pytest.mark.parametrize(
    ("text", "dilated"),
    [
        ("pancreas 12 mm cyst in the head no nodules no septations duct normal 2 mm", "no"),
        ("Pancreas: 12 mm cyst. No septations or ductal dilatation.", "no"),
        ("Pancreas: 12 mm cyst. No septations, nodules, or ductal dilatation.", "no"),
    ],
)
def test_a_denial_of_another_noun_does_not_reach_the_ducts_status(text: str, dilated: str) -> None:
    assert run(text).mpd_dilated == dilated


def test_the_calibre_of_the_duct_a_cyst_communicates_with_is_its_size() -> None:
    ext = run(
        "Report: In the cephalic portion of the pancreas a cystic formation of 19 mm is appreciable, in "
        "communication with the duct of Wirsung, which appears of regular calibre (2 mm)."
    )
    assert (ext.mpd_diameter_mm, ext.mpd_dilated) == (2.0, "no")
    assert (
        run("Pancreas: the cyst communicates with the main duct (previously 2.7 cm).").mpd_diameter_mm is None
    )


@pytest.mark.parametrize("denial", ["no communication with any cyst", "without communication to the cysts"])
def test_a_denied_communication_with_every_cyst_reaches_each_listed_cyst(denial: str) -> None:
    ext = run(
        "Cyst 1 - head, 8 mm. Cyst 2 - body, 14 mm, with a thick septum. Cyst 3 - tail, 4 mm. "
        f"MPD 3 mm, {denial}."
    )
    assert [les.mpd_communication for les in ext.lesions] == ["absent"] * 3


@pytest.mark.parametrize(
    ("text", "ptype"),
    [
        ("Pancreas: A 1.3 cm sized cystic lesion at pancreas body, r/o BD-IPMN.", "bd_ipmn"),
        ("IMPRESSION: 1.3 cm pancreatic body cyst, rule out side-branch IPMN.", "bd_ipmn"),
        ("Pancreas: 1.3 cm cystic lesion in the body. Recommend MRI to rule out IPMN.", "unspecified"),
    ],
)
def test_a_bare_rule_out_after_a_lesion_proposes_its_diagnosis(text: str, ptype: str) -> None:
    assert run(text).lesions[0].presumed_type == ptype


def test_tiny_cysts_a_lesion_is_made_of_are_its_loculi_not_more_lesions() -> None:
    ext = run(
        "Pancreas: There is a 1.9 cm multilocular cystic lesion in the head with innumerable tiny cysts giving "
        "a honeycomb appearance, most compatible with serous cystadenoma."
    )
    assert (len(ext.lesions), ext.multiplicity, ext.lesions[0].presumed_type) == (1, "single", "serous")
    assert len(run("Pancreas: 2 cm cyst in the head with multiple small cysts in the tail.").lesions) == 2


@pytest.mark.parametrize(
    ("nodule", "reading"),
    [
        ("A 6 mm hyperechoic mural nodule was identified, with Doppler flow.", "enhancing"),
        ("A 6 mm mural nodule shows internal vascularity.", "enhancing"),
        ("A 6 mm mural nodule without Doppler flow, likely mucin.", "nonenhancing"),
        ("An avascular 6 mm mural nodule.", "nonenhancing"),
    ],
)
def test_a_nodules_vascularity_on_eus_is_its_enhancement(nodule: str, reading: str) -> None:
    assert (
        run(f"EUS: A 22 mm anechoic cyst in the pancreatic body. {nodule}").lesions[0].mural_nodule == reading
    )


def test_translated_cystic_images_and_levels_are_lesions_and_places() -> None:
    ext = run("Pancreas: Small cystic images in the head (8 mm) and in the body (6 mm).")
    assert [(les.location, les.size_mm) for les in ext.lesions] == [("head", 8.0), ("body", 6.0)]
    ext = run("Findings: At the pancreatic caudal level, a cystic image of 13 mm is observed.")
    assert (ext.lesions[0].location, ext.lesions[0].size_mm) == ("tail", 13.0)


def test_a_denial_after_a_list_of_places_is_said_of_every_place() -> None:
    ext = run(
        "Pancreas: Small cysts in the head (8 mm) and in the body (6 mm), with no intracystic vegetations."
    )
    assert [les.mural_nodule for les in ext.lesions] == ["absent", "absent"]
    ext = run("Pancreas: Two cysts, in the head (9 mm) and in the tail (6 mm) with an enhancing nodule.")
    assert [les.mural_nodule for les in ext.lesions] == ["not_stated", "enhancing"]


@pytest.mark.parametrize(
    "text",
    [
        "Pancreas: a cyst in the head (9 mm) and one in the tail (6 mm).",
        "Pancreas: 9 mm cyst in the head and another in the tail measuring 6 mm.",
        "Pancreas: 9 mm cyst in the head, and one in the tail measuring 6 mm.",
    ],
)
def test_an_elliptical_second_cyst_with_its_own_place_and_size_is_a_lesion(text: str) -> None:
    assert [(les.location, les.size_mm) for les in run(text).lesions] == [("head", 9.0), ("tail", 6.0)]


@pytest.mark.parametrize(
    "text",
    [
        "PANCREAS: Cyst in tail 11 mm. Previously (2021) 9 mm.",
        "PANCREAS: Cyst in tail 11 mm. Previously (2021) 9 mm. Previously (2019) 7 mm.",
        "PANCREAS: Cyst in tail 11 mm (series 5, image 22), previously (MRI) 9 mm.",
    ],
)
def test_a_parenthetical_aside_between_a_prior_cue_and_its_size_keeps_the_cue(text: str) -> None:
    les = run(text).lesions[0]
    assert (les.size_mm, les.prior_size_mm) == (11.0, 9.0)


@pytest.mark.parametrize(
    "closing",
    ["Both cystic, without enhancement.", "All of them are likely cysts.", "Both lesions appear cystic."],
)
def test_a_sentence_calling_the_whole_group_cystic_confirms_each_lesion(closing: str) -> None:
    ext = run(f"MRI ABDOMEN\nPancreas: Lesion 1: 9 mm head. Lesion 2: 4 mm tail. {closing}")
    assert [(les.location, les.size_mm) for les in ext.lesions] == [("head", 9.0), ("tail", 4.0)]


@pytest.mark.parametrize(
    "text",
    [
        "PANCREAS: 1.9 cm cyst in the pancreatic body; it measured 1.2 cm in 2019 and 1.6 cm in 2021.",
        "PANCREAS: 1.9 cm cyst in the pancreatic body, previously 1.2 cm (2019) and 1.6 cm (2021).",
    ],
)
def test_of_several_priors_each_with_its_year_the_latest_is_the_prior(text: str) -> None:
    les = run(text).lesions[0]
    assert (les.size_mm, les.prior_size_mm) == (19.0, 16.0)


@pytest.mark.parametrize(
    ("text", "pcl"),
    [
        ("Pancreas: 2.5 cm cyst in the tail, histology confirmed MCN.", True),
        ("Pancreas: 2.5 cm cyst in the tail; prior EUS histology showed MCN.", True),
        ("FINDINGS: Final pathology showed a 2.5 cm MCN of the tail.", False),
        ("Note: At surgery in 2020, pathology revealed a 2.5 cm MCN in the tail.", False),
    ],
)
def test_pathology_tells_history_only_as_the_sentences_subject(text: str, pcl: bool) -> None:
    assert run(text).pcl_present is pcl


@pytest.mark.parametrize(
    ("text", "ptype"),
    [
        ("Pancreas: 2.5 cm mucinous cyst in the tail.", "mucinous"),
        ("Pancreas: 2.5 cm cyst in the tail, likely a mucinous cyst.", "mucinous"),
        ("Pancreas: 2.5 cm cyst in the tail, likely a non-mucinous cyst.", "unspecified"),
    ],
)
def test_a_mucinous_cyst_is_mucinous(text: str, ptype: str) -> None:
    assert run(text).lesions[0].presumed_type == ptype


def test_cyst_s_is_a_group_unless_it_heads_a_template() -> None:
    ext = run("PANCREAS: Pancreatic cyst(s) in the body and tail, the largest 11 mm in the tail.")
    assert (ext.multiplicity, ext.lesions[0].location, ext.lesions[0].size_mm) == ("multiple", "tail", 11.0)
    heading = run("1. Pancreatic cyst(s)\n   Index cyst location: Tail\n   Index cyst size: 3.1 cm")
    assert [(les.location, les.size_mm) for les in heading.lesions] == [("tail", 31.0)]


def test_sizes_each_written_before_its_place_pair_up() -> None:
    ext = run("PANCREAS: 3 simple-appearing cysts: 4 mm head, 6 mm body, 9 mm tail.")
    assert [(les.location, les.size_mm) for les in ext.lesions] == [
        ("head", 4.0),
        ("body", 6.0),
        ("tail", 9.0),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "PANCREAS: Multiple cysts in the pancreatic head, neck and body, measuring up to 1.4 cm in the neck.",
        "PANCREAS: Multiple cysts in the head, neck and body, the largest 1.4 cm in the neck.",
    ],
)
def test_a_groups_place_is_that_of_its_largest(text: str) -> None:
    les = run(text).lesions[0]
    assert (les.location, les.size_mm) == ("neck", 14.0)


@pytest.mark.parametrize(
    "text",
    [
        'PANCREAS: No pancreatic lesion. The previously described tail "cyst" represented a splenule.',
        "PANCREAS: The 'cyst' in the tail is in fact a splenule.",
    ],
)
def test_a_quoted_cyst_this_reading_identifies_as_something_else_is_no_lesion(text: str) -> None:
    assert not run(text).pcl_present


@pytest.mark.parametrize(
    "text",
    [
        "PANCREAS: The cystic lesion in the pancreatic body, described on the outside CT as 2.0 cm, measures 1.7 cm"
        " on today's exam.",
        "PANCREAS: The cyst in the body, reported on the prior MRI as 2.0 cm, now measures 1.7 cm.",
    ],
)
def test_another_exams_reading_of_a_size_is_the_prior(text: str) -> None:
    les = run(text).lesions[0]
    assert (les.size_mm, les.prior_size_mm) == (17.0, 20.0)


def test_as_many_listed_sizes_as_the_count_are_that_many_lesions() -> None:
    ext = run(
        "MRCP\nFINDINGS: There are two cysts in the pancreatic tail measuring 8 mm and 6 mm. The smaller cyst"
        " communicates with the main duct. The larger cyst has a thin septation."
    )
    assert [(les.size_mm, les.septations, les.mpd_communication) for les in ext.lesions] == [
        (8.0, "present", "not_stated"),
        (6.0, "not_stated", "present"),
    ]


def test_the_time_a_stated_growth_took_is_the_interval_of_the_prior() -> None:
    les = run(
        "IMPRESSION: Pancreatic body cyst measuring 2.2 cm, previously 1.9 cm. Interval growth of 3 mm over 12 months."
    ).lesions[0]
    assert (les.prior_size_mm, les.stated_interval_months) == (19.0, 12.0)


@pytest.mark.parametrize(
    ("text", "comm"),
    [
        ("Pancreas: 2 cm cyst in the head, likely mixed-type IPMN.", "present"),
        ("Pancreas: 2 cm cyst in the head; mixed-type IPMN cannot be excluded.", "not_stated"),
    ],
)
def test_a_mixed_type_ipmn_communicates_like_a_side_branch_one(text: str, comm: str) -> None:
    assert run(text).lesions[0].mpd_communication == comm


def test_last_years_size_compared_with_is_the_prior() -> None:
    les = run(
        "Assessment: a known 2.1 cm branch-duct IPMN in the pancreatic head, stable on MRI today compared with"
        " last year (2.0 cm)."
    ).lesions[0]
    assert (les.size_mm, les.prior_size_mm) == (21.0, 20.0)


@pytest.mark.parametrize(
    "text",
    [
        "PANCREAS: There is a 7 mm cyst in the pancreatic tail. There is also a 4 mm cyst adjacent to the splenic"
        " hilum, which is likely a splenic cyst.",
        "PANCREAS: 7 mm cyst in the tail. 2 cm cystic lesion near the upper pole, likely a renal cyst.",
    ],
)
def test_a_cyst_whose_apposed_diagnosis_names_another_organ_is_that_organs(text: str) -> None:
    assert [(les.location, les.size_mm) for les in run(text).lesions] == [("tail", 7.0)]


def test_an_addendum_goes_on_about_the_lesion_last_described() -> None:
    les = run(
        "FINDINGS: Pancreas: 1.2 cm cyst in the body with a 4 mm mural nodule.\n"
        'ADDENDUM: On further review, the described "mural nodule" represents a septation; there is no solid'
        " component."
    ).lesions[0]
    assert (les.size_mm, les.mural_nodule, les.septations) == (12.0, "absent", "present")


def test_the_place_a_duct_is_measured_at_is_not_the_lesions() -> None:
    ext = run(
        "FINDINGS: PANCREAS: There is a 2.4 cm cystic lesion in the pancreatic body.\n"
        "ADDENDUM: On review of the coronal reformats, the main pancreatic duct measures up to 10.5 mm in the tail."
    )
    assert (ext.lesions[0].location, ext.mpd_diameter_mm) == ("body", 10.5)


@pytest.mark.parametrize(
    ("text", "nodule", "septa"),
    [
        (
            "PANCREAS: 2.1 cm cyst in the body. Previously described possible mural nodule is no longer seen.",
            "absent",
            "not_stated",
        ),
        ("PANCREAS: 2.1 cm cyst in the body. The septation has resolved.", "not_stated", "absent"),
        (
            "PANCREAS: 2.1 cm cyst in the body with a previously described mural nodule.",
            "present_unspecified",
            "not_stated",
        ),
    ],
)
def test_a_feature_said_to_be_gone_is_absent_now(text: str, nodule: str, septa: str) -> None:
    les = run(text).lesions[0]
    assert (les.mural_nodule, les.septations) == (nodule, septa)


@pytest.mark.parametrize(
    ("text", "nodule"),
    [
        ("PANCREAS: 1.8 cm cyst in the tail with dependent debris but no enhancing soft tissue.", "absent"),
        ("PANCREAS: 1.8 cm cyst in the tail with a 4 mm enhancing soft tissue nodule.", "enhancing"),
    ],
)
def test_enhancing_soft_tissue_in_a_cyst_is_a_nodule(text: str, nodule: str) -> None:
    assert run(text).lesions[0].mural_nodule == nodule


@pytest.mark.parametrize(
    "text",
    [
        "CT ABDOMEN\nPANCREAS: 2.0 cm well-defined hypodense lesion in the head, previously thought to be a cyst, now"
        " shows enhancement and is more likely a hypoenhancing solid neoplasm.",
        "CT ABDOMEN\nPANCREAS: 2.0 cm lesion in the head, initially thought to be a cyst.",
    ],
)
def test_a_cyst_reading_this_exam_revises_makes_no_lesion_cystic(text: str) -> None:
    assert not run(text).pcl_present


@pytest.mark.parametrize(
    ("text", "prior"),
    [
        ("PANCREAS: 1.1 cm cyst in the body, stable since 03/2021 (1.1 cm).", 11.0),
        ("PANCREAS: 1.1 cm cyst in the body, stable since 2021 (1.0 cm).", 10.0),
    ],
)
def test_the_size_an_exam_since_gave_is_the_prior(text: str, prior: float) -> None:
    les = run(text).lesions[0]
    assert (les.size_mm, les.prior_size_mm) == (11.0, prior)


@pytest.mark.parametrize(
    ("sentence", "comm"),
    [
        ("Communication with the main duct is suggested but not definitely seen.", "not_stated"),
        ("Communication with the main duct is suggested but not confirmed.", "not_stated"),
        ("Communication with the main duct is suggested.", "present"),
    ],
)
def test_a_hedge_taken_back_states_nothing(sentence: str, comm: str) -> None:
    assert run(f"PANCREAS: 1.2 cm cyst in the uncinate. {sentence}").lesions[0].mpd_communication == comm


@pytest.mark.parametrize(
    ("sentence", "size"),
    [
        (
            "PANCREAS: 4.5 cm multiloculated cystic mass in the head. The individual cysts measure up to 8 mm.",
            45.0,
        ),
        ("PANCREAS: A 3 cm microcystic lesion in the body; its component cysts are tiny, under 2 mm.", 30.0),
        ("PANCREAS: 4 cm multicystic lesion in the tail. The constituent cysts are 2-6 mm.", 40.0),
    ],
)
def test_a_lesions_own_cysts_are_its_loculi(sentence: str, size: float) -> None:
    ext = run(sentence)
    assert [(les.size_mm, les.count) for les in ext.lesions] == [(size, 1)]
    assert ext.multiplicity == "single"


def test_the_individual_cysts_of_many_cysts_are_still_many() -> None:
    ext = run("PANCREAS: Multiple cysts throughout the pancreas. The individual cysts measure up to 8 mm.")
    assert (ext.lesions[0].size_mm, ext.multiplicity) == (8.0, "multiple")


@pytest.mark.parametrize(
    ("name", "ptype"),
    [
        ("serous (microcystic) cystadenoma", "serous"),
        ("serous (micro-cystic) adenoma", "serous"),
        ("mucinous (cystic) neoplasm", "mucinous"),
        ("mucinous (non-IPMN) cystic neoplasm", "mucinous"),
    ],
)
def test_a_lesions_name_with_a_parenthetical_qualifier_types_it(name: str, ptype: str) -> None:
    assert run(f"PANCREAS: 3 cm cyst in the tail, likely {name}.").lesions[0].presumed_type == ptype


@pytest.mark.parametrize(
    "text",
    [
        "PANCREAS: A 9 mm cystically dilated side branch in the tail.",
        "PANCREAS: Cystic side branch in the tail, 9 mm, communicating with the duct.",
        "PANCREAS: Mixed-type IPMN with the main duct dilated to 8 mm and dilated side branches, the largest"
        " cystic side branch 9 mm in the tail.",
    ],
)
def test_a_cystic_side_branch_is_a_branch_duct_cyst_with_its_size(text: str) -> None:
    les = run(text).lesions[0]
    assert (les.size_mm, les.location, les.mpd_communication) == (9.0, "tail", "present")


@pytest.mark.parametrize(
    ("closing", "septa"),
    [
        ("The larger shows a single thin septation.", ("present", "not_stated")),
        ("The smaller has a thin septation.", ("not_stated", "present")),
        ("The larger one shows a single thin septation.", ("present", "not_stated")),
    ],
)
def test_the_larger_or_smaller_alone_as_subject_names_that_cyst(closing: str, septa: tuple[str, str]) -> None:
    ext = run(f"Pancreas: Two cysts: 1.2 cm in the tail and 0.9 cm in the head. {closing}")
    assert tuple(les.septations for les in ext.lesions) == septa


@pytest.mark.parametrize("marker", ["(arrowhead)", "(arrow)", "(*)", "(Fig. 2b)"])
def test_a_figure_marker_between_a_duct_and_its_own_size_keeps_the_size(marker: str) -> None:
    ext = run(
        "Axial T2-weighted image shows a 2.7-cm multilocular cystic lesion in the pancreatic head,"
        f" communicating with the dilated main pancreatic duct {marker}, which measures 7 mm."
    )
    assert ext.mpd_diameter_mm == 7.0


@pytest.mark.parametrize(
    ("diagnosis", "ptype"),
    [
        ("Differential: MCN vs oligocystic serous cystadenoma.", "unspecified"),
        ("The differential includes a serous cystadenoma or a mucinous cystic neoplasm.", "unspecified"),
        ("This may be a pseudocyst versus a mucinous cystic neoplasm.", "unspecified"),
        ("Likely a side-branch IPMN or less likely a mucinous cystic neoplasm.", "bd_ipmn"),
        ("Most likely a serous cystadenoma rather than a mucinous cystic neoplasm.", "serous"),
        ("Likely a serous cystadenoma.", "serous"),
        ("It could represent a pseudocyst versus cystic neoplasm.", "unspecified"),
        ("Likely a small cyst or side-branch IPMN.", "bd_ipmn"),
        ("Differential diagnosis between serous cystadenoma and mucinous cystic neoplasm.", "unspecified"),
        ("The differential includes a serous cystadenoma and a mucinous cystic neoplasm.", "unspecified"),
    ],
)
def test_a_differential_of_two_types_types_nothing(diagnosis: str, ptype: str) -> None:
    assert run(f"PANCREAS: 2.2 cm cystic lesion in the body. {diagnosis}").lesions[0].presumed_type == ptype


def test_a_cysts_apposed_diagnosis_stays_in_its_segment_before_a_denied_one() -> None:
    les = run(
        "PANCREAS: 2 cm cyst in the tail, likely serous cystadenoma rather than mucinous cystic neoplasm."
    ).lesions
    assert [(x.size_mm, x.presumed_type) for x in les] == [(20.0, "serous")]


def test_a_synoptic_field_with_its_unit_in_the_label_gives_the_size() -> None:
    ext = run(
        "Synoptic report - pancreatic cyst\nLesion number: 1\nLocation: body\nSize (mm): 17\n"
        "Morphology: unilocular\nMPD communication: yes\nMPD diameter (mm): 3\nImpression: BD-IPMN"
    )
    les = ext.lesions[0]
    assert (les.size_mm, les.location, ext.mpd_diameter_mm) == (17.0, "body", 3.0)


@pytest.mark.parametrize(
    "text",
    [
        "MR PANCREAS: The pancreatic duct is diffusely dilated to 12 mm without an obstructing lesion, with a"
        " patulous papilla, in keeping with main-duct IPMN.",
        "PANCREAS: Diffuse dilatation of the main duct to 12 mm without obstructing mass, consistent with main-duct"
        " IPMN.",
    ],
)
def test_a_diagnosis_after_a_denied_lesion_names_the_finding(text: str) -> None:
    ext = run(text)
    assert ext.pcl_present and [les.presumed_type for les in ext.lesions] == ["md_ipmn"]


@pytest.mark.parametrize(
    ("obj", "size"),
    [
        ("an 18-mm hypoenhancing solid mass in the head with upstream ductal dilatation (5 mm)", 6.0),
        ("a 9 mm gallstone", 6.0),
        ("a 3.1 cm infrarenal aortic aneurysm", 6.0),
        ("a 2.6 cm hypoenhancing mass in the head with upstream duct dilatation to 6 mm", 6.0),
    ],
)
def test_a_size_of_another_object_before_the_cyst_is_not_the_cysts(obj: str, size: float) -> None:
    les = run(f"Pancreas: There is {obj} and a 6 mm simple cyst in the tail.").lesions
    assert [(x.size_mm, x.location) for x in les] == [(size, "tail")]


def test_a_solid_lesion_called_a_pcl_keeps_its_only_size() -> None:
    assert (
        run("PANCREAS: a 3 cm solid mass, likely a solid pseudopapillary neoplasm.").lesions[0].size_mm
        == 30.0
    )


@pytest.mark.parametrize(
    "text",
    [
        "Pancreas: Possible tiny cyst vs. ectatic side branch in the body, 3 mm.",
        "Pancreas: cystic focus in the body, cyst or dilated side branch, 3 mm.",
    ],
)
def test_a_cyst_that_may_be_a_side_branch_keeps_its_size(text: str) -> None:
    assert run(text).lesions[0].size_mm == 3.0


@pytest.mark.parametrize(
    ("cyst", "count"),
    [
        ("An 18 mm cystic structure is seen within the pancreatic head. No septations.", 2),
        ("A 1.9 cm cystic lesion in the tail is continuous with the dilated main duct.", 1),
    ],
)
def test_a_main_duct_ipmn_in_the_impression_is_the_ducts_unless_the_cyst_joins_it(
    cyst: str, count: int
) -> None:
    ext = run(
        f"FINDINGS: PANCREAS: {cyst}\nIMPRESSION:\n1. Pancreatic cyst.\n"
        "2. Diffuse dilatation of the main pancreatic duct up to 10 mm, consistent with main-duct IPMN."
    )
    assert len(ext.lesions) == count


@pytest.mark.parametrize(
    "text",
    [
        "A 71-year-old man underwent CT in 2018 for hematuria, which showed a 1.5 cm cystic lesion in the pancreatic"
        " body. Follow-up MRI in 2021 demonstrated growth of the lesion to 2.5 cm.",
        "CT in 2018 showed a 1.5 cm cystic lesion in the pancreatic body. MRI in 2021: the cyst has grown to 2.5 cm.",
    ],
)
def test_a_series_of_exams_dated_by_their_years_describes_one_cyst(text: str) -> None:
    les = run(text).lesions
    assert [(x.size_mm, x.location, x.prior_size_mm, x.stated_interval_months) for x in les] == [
        (25.0, "body", 15.0, 36.0)
    ]


def test_exams_dated_by_year_in_two_places_stay_two_cysts() -> None:
    les = run(
        "CT in 2018 showed a 1.5 cm cyst in the body. MRI in 2021 showed a 9 mm cyst in the head."
    ).lesions
    assert sorted(x.location for x in les) == ["body", "head"]


@pytest.mark.parametrize(
    "discussion",
    [
        "Discussion: IPMNs are mucin-producing neoplasms arising from the ductal epithelium.",
        "Serous cystadenomas typically occur in older women and appear as microcystic lesions.",
        "Mucinous cystic neoplasms occur almost exclusively in women.",
    ],
)
def test_a_textbook_sentence_about_a_lesion_type_names_no_lesion(discussion: str) -> None:
    ext = run(f"Findings: a 2.2 cm cystic lesion in the pancreatic head.\n{discussion}")
    assert [(les.size_mm, les.location) for les in ext.lesions] == [(22.0, "head")]
    assert ext.multiplicity == "single"


@pytest.mark.parametrize(
    "rule",
    [
        "Main duct involvement is suggested when the main duct exceeds 5 mm.",
        "A duct of 10 mm or more is a high-risk stigma.",
        "Any main duct of more than 7 mm warrants EUS.",
    ],
)
def test_a_duct_threshold_stated_in_general_is_no_diameter(rule: str) -> None:
    ext = run(f"Findings: a 2.2 cm cyst in the pancreatic head. The main duct is 3 mm. {rule}")
    assert ext.mpd_diameter_mm == 3.0


def test_a_lesion_types_plural_counts_the_lesions() -> None:
    assert run("PANCREAS: Two serous cystadenomas in the head, 2 cm and 1 cm.").multiplicity == "multiple"


@pytest.mark.parametrize("verb", ["connects it to", "connects the cyst with", "connected them to"])
def test_a_channel_connecting_the_cyst_to_the_duct_is_communication(verb: str) -> None:
    ext = run(f"PANCREAS: 2.0 cm cyst of the pancreatic neck. On MRCP, a thin channel {verb} the main duct.")
    assert ext.lesions[0].mpd_communication == "present"


@pytest.mark.parametrize(
    "sentence",
    [
        "A 3.0 cm cyst in the tail was resected in 2020 (MCN).",
        "The 4 cm mucinous cystic neoplasm of the tail was surgically removed last year (MCN).",
    ],
)
def test_a_lesion_said_to_have_been_resected_is_history(sentence: str) -> None:
    assert not run(f"Pancreas: {sentence} The remnant pancreas is normal. Duct 2 mm.").pcl_present


def test_the_historys_prior_gives_its_time_to_the_same_prior_size() -> None:
    les = run(
        "HISTORY: 64 y/o F with incidental pancreatic cyst on CT 2 years ago measuring 1.0 cm.\n"
        "FINDINGS: The pancreatic tail cyst measures 1.3 cm today.\n"
        "IMPRESSION: Mild enlargement of the pancreatic tail cyst (1.3 cm, previously 1.0 cm)."
    ).lesions[0]
    assert (les.prior_size_mm, les.stated_interval_months) == (10.0, 24.0)


@pytest.mark.parametrize(
    ("sentence", "comm"),
    [
        (
            "A 13 mm cyst in the body abutting, but not clearly communicating with, the main duct.",
            "not_stated",
        ),
        ("A 13 mm cyst in the body, not definitely communicating with the main duct.", "not_stated"),
        ("A 13 mm cyst in the body. Communication with the main duct is not clearly seen.", "not_stated"),
        ("A 13 mm cyst in the body, not communicating with the main duct.", "absent"),
    ],
)
def test_not_clearly_doubts_what_follows_it_as_well_as_what_precedes_it(sentence: str, comm: str) -> None:
    assert run(f"PANCREAS: {sentence}").lesions[0].mpd_communication == comm


def test_consecutive_cyst_sentences_list_the_cysts_whose_priors_follow() -> None:
    les = run(
        "PANCREAS: There is a 1.0 cm cyst in the pancreatic head. There is a 1.3 cm cyst in the pancreatic tail."
        " Both are unchanged from the prior, when they measured 1.0 and 1.2 cm respectively."
    ).lesions
    assert [(x.size_mm, x.prior_size_mm) for x in les] == [(10.0, 10.0), (13.0, 12.0)]


@pytest.mark.parametrize(
    ("text", "pcl"),
    [
        (
            "PANCREAS: The previously questioned tiny cyst in the body likely represented a prominent side branch.",
            False,
        ),
        ("PANCREAS: The cyst seen on the outside CT corresponds to the duodenum.", False),
        ("PANCREAS: The previously described cyst in the head represents a side-branch IPMN, 12 mm.", True),
        ("PANCREAS: The previously described 12 mm cyst in the head is unchanged.", True),
    ],
)
def test_an_earlier_exams_cyst_this_reading_identifies_as_no_cyst_is_no_lesion(text: str, pcl: bool) -> None:
    assert run(text).pcl_present is pcl


@pytest.mark.parametrize(
    ("text", "pcl"),
    [
        (
            "PANCREAS: No pancreatic cystic lesion is identified on this exam, although a 6 mm cyst in the tail was"
            " described on the outside MRI.",
            False,
        ),
        (
            "PANCREAS: No new cyst. A 6 mm cyst in the tail, which was described on the outside MRI, is unchanged.",
            True,
        ),
    ],
)
def test_a_cyst_only_another_exam_described_beside_a_denial_is_no_lesion(text: str, pcl: bool) -> None:
    assert run(text).pcl_present is pcl


def test_a_consult_notes_outside_exam_and_todays_eus_are_one_cyst() -> None:
    les = run(
        "Consult note (GI): Patient referred for pancreatic cyst. Her outside MRI (3/2024) showed a 2.2 cm cyst in"
        " the pancreatic neck with no nodules. EUS today: 2.3 cm anechoic cyst in the neck with a thin septation."
    ).lesions
    assert [(x.size_mm, x.prior_size_mm, x.septations) for x in les] == [(23.0, 22.0, "present")]


@pytest.mark.parametrize(
    ("change", "months"),
    [
        ("has grown from 8 mm to 12 mm in 2 years", 24.0),
        ("has grown from 8 to 12 mm over the past 18 months", 18.0),
        ("increased from 8 to 12 mm. Follow-up in 2 years", None),
    ],
)
def test_the_time_a_change_from_one_size_to_another_took_is_the_interval(
    change: str, months: float | None
) -> None:
    les = run(f"Pancreas: The known cyst in the tail {change}.").lesions[0]
    assert (les.size_mm, les.prior_size_mm, les.stated_interval_months) == (12.0, 8.0, months)


def test_a_comparison_date_beats_the_rounded_time_a_change_took() -> None:
    text = (
        "Comparison: MRI 2022-09-13.\nFindings: 12 mm cyst in the body (prior 8 mm).\n"
        "Impression: The body cyst has grown from 8 mm to 12 mm in 2 years."
    )
    ext = EXT.extract(ReportInput(report_id="t", text=text, exam_date=dt.date(2024, 9, 24)))
    assert ext.lesions[0].prior_exam_date == dt.date(2022, 9, 13)


def test_a_criteria_label_naming_its_guideline_lists_criteria() -> None:
    ext = run(
        "IMPRESSION: 2.6 cm cyst in the pancreatic body, now with main duct dilatation to 7 mm."
        " Worrisome features per ACR: growth and MPD 7-9 mm."
    )
    assert ext.mpd_diameter_mm == 7.0


def test_a_quoted_cyst_of_an_outside_exam_placed_before_its_exam_is_that_exams() -> None:
    text = (
        'MRI Abdomen. Pancreas: normal. Note: the "cyst" in the pancreatic tail on the outside ultrasound'
        " corresponds to the left renal upper pole cyst."
    )
    assert not run(text).pcl_present


@pytest.mark.parametrize(
    ("text", "septa", "comm"),
    [
        ("Pancreas body cyst 12mm, MPD 3mm, no mural nodule, communication(+).", "not_stated", "present"),
        ("Pancreas body cyst 12mm, no mural nodule, septa(+).", "present", "not_stated"),
        ("Pancreas body cyst 12mm, no mural nodule, septa(-).", "absent", "not_stated"),
    ],
)
def test_a_plus_sign_after_a_denied_item_affirms_its_feature(text: str, septa: str, comm: str) -> None:
    les = run(text).lesions[0]
    assert (les.mural_nodule, les.septations, les.mpd_communication) == ("absent", septa, comm)


@pytest.mark.parametrize(
    ("walls", "wall"),
    [
        ("with regular walls", "absent"),
        ("whose walls are regular", "absent"),
        ("with smooth walls", "absent"),
        ("with smooth wall thickening", "present"),
        ("with a thick irregular wall", "present"),
    ],
)
def test_regular_or_smooth_walls_are_not_thickened(walls: str, wall: str) -> None:
    assert (
        run(f"Pancreas: cystic formation of the isthmus of 14 mm, {walls}.").lesions[0].wall_thickening
        == wall
    )


@pytest.mark.parametrize("phrase", ["no associated soft tissue", "no internal soft tissue"])
def test_soft_tissue_a_cyst_holds_is_its_solid_part(phrase: str) -> None:
    assert (
        run(f"Pancreas: A cyst in the head, 2.3 cm. There is {phrase}.").lesions[0].mural_nodule == "absent"
    )


@pytest.mark.parametrize("name", ["IPMN branch type", "IPMN, side branch type"])
def test_an_ipmn_named_branch_type_after_its_name_is_side_branch(name: str) -> None:
    assert run(f"Pancreas body cyst 12mm. {name} suspected.").lesions[0].presumed_type == "bd_ipmn"


def test_a_mixed_type_ipmn_refines_the_side_branch_cysts_it_includes() -> None:
    les = run(
        "Pancreas: The main pancreatic duct is dilated up to 6 mm with multiple cystically dilated side branches,"
        " the largest 9 mm in the tail. Findings suggest a mixed-type IPMN."
    ).lesions
    assert [x.presumed_type for x in les] == ["mixed_ipmn"]


def test_a_groups_place_is_its_own_largest_not_the_ducts_up_to() -> None:
    les = run(
        "Pancreas: The main pancreatic duct is dilated up to 6 mm in the body with multiple cystically dilated side"
        " branches, the largest 9 mm in the tail."
    ).lesions
    assert [(x.size_mm, x.location) for x in les] == [(9.0, "tail")]


def test_a_type_to_be_evaluated_for_is_a_question_not_a_reading() -> None:
    les = run(
        "FINDINGS: small cystic images of the head communicating with the duct, of maximum 7 mm, referable to"
        " branch-type IPMN.\nCONCLUSIONS: compatible with IPMN of the secondary branches; to be evaluated in the"
        " context of mixed IPMN."
    ).lesions
    assert [x.presumed_type for x in les] == ["bd_ipmn"]


@pytest.mark.parametrize("heading", ["Left ovary", "Ovary", "Right adnexal"])
def test_a_heading_naming_one_organ_of_a_pair_owns_its_cyst(heading: str) -> None:
    les = run(f"Pancreas: Small 6 mm cyst in the uncinate, unchanged. {heading}: 3 cm simple cyst.").lesions
    assert [(x.size_mm, x.location) for x in les] == [(6.0, "uncinate")]


@pytest.mark.parametrize(
    ("text", "pcl"),
    [
        (
            "Pancreas: Cystic dilatation of the pancreatic duct in the head related to chronic pancreatitis; no"
            " discrete cystic lesion.",
            False,
        ),
        ("Pancreas: cystic dilatation of side branches in the head, up to 11 mm.", True),
    ],
)
def test_the_main_ducts_cystic_dilatation_is_no_cyst_a_side_branchs_is(text: str, pcl: bool) -> None:
    assert run(text).pcl_present is pcl


@pytest.mark.parametrize(
    "sizes",
    [
        "measuring 8 mm in short axis and 12 mm in long axis",
        "measuring 8 mm (short axis) and 12 mm (long axis)",
    ],
)
def test_two_sizes_naming_their_axes_are_one_lesions_dimensions(sizes: str) -> None:
    les = run(f"Pancreas: A cyst {sizes} is present in the tail.").lesions
    assert [(x.size_mm, x.location) for x in les] == [(12.0, "tail")]


@pytest.mark.parametrize(
    ("text", "ptype"),
    [
        (
            "PANCREAS: Post distal pancreatectomy and splenectomy (MCN, 2019). The pancreatic remnant shows a new"
            " 5 mm cyst in the head.",
            "unspecified",
        ),
        ("PANCREAS: 2 cm cyst in the tail (MCN).", "mucinous"),
    ],
)
def test_a_lesion_named_after_the_operation_that_removed_it_is_history(text: str, ptype: str) -> None:
    assert [les.presumed_type for les in run(text).lesions] == [ptype]


@pytest.mark.parametrize(
    ("text", "prior"),
    [
        (
            "Pancreas: CT 2019: 6 mm cyst in the tail. MRI 2021: 8 mm cyst in the tail. Today: 10 mm cyst in the tail.",
            8.0,
        ),
        ("CT 2019: 6 mm tail cyst. MRI 2021: 8 mm tail cyst.", 6.0),
    ],
)
def test_an_exam_series_labelled_by_year_under_the_organs_label_is_one_cyst(text: str, prior: float) -> None:
    les = run(text).lesions
    assert [(x.location, x.prior_size_mm) for x in les] == [("tail", prior)]


@pytest.mark.parametrize(
    "comparison",
    [
        "unchanged compared to the previous study of March 2023 (21 mm)",
        "unchanged from the prior MRI of 14 Feb. 2023 (21 mm)",
        "compared with the prior CT on 2023-02-14 (21 mm)",
        "compared with the prior CT dated 14.02.2023 (21 mm)",
    ],
)
def test_a_prior_exams_date_between_its_cue_and_its_size_keeps_the_size_a_prior(comparison: str) -> None:
    les = run(f"Pancreas: In the body there is a cyst of 22 x 18 mm, {comparison}.").lesions
    assert [(x.size_mm, x.prior_size_mm) for x in les] == [(22.0, 21.0)]


@pytest.mark.parametrize(
    "denial",
    [
        "Findings suggesting malignancy, such as mural nodules or thickening of the cyst wall, are not observed.",
        "Signs of malignancy, such as mural nodules or wall thickening, are not seen.",
        "No evidence of malignancy. No mural nodule or wall thickening.",
    ],
)
def test_malignancy_as_what_signs_point_to_names_no_new_lesion(denial: str) -> None:
    les = run(f"Pancreas: A 12 mm cyst in the tail. {denial}").lesions
    assert [(x.mural_nodule, x.wall_thickening) for x in les] == [("absent", "absent")]


@pytest.mark.parametrize(
    ("text", "pcl"),
    [
        ("Pancreas: 2 cm solid and cystic lesion in the tail without signs of malignancy.", True),
        ("Pancreas: 2 cm solid and cystic lesion in the tail. No evidence of malignancy.", True),
        ("Pancreas: 2 cm solid and cystic lesion in the tail, suspicious for malignancy.", False),
    ],
)
def test_a_solid_and_cystic_lesion_whose_malignancy_is_denied_is_a_pcl(text: str, pcl: bool) -> None:
    assert run(text).pcl_present is pcl


def test_a_rule_for_cysts_with_a_feature_describes_no_lesion() -> None:
    ext = run(
        "PANCREAS: 2.8 cm cyst in the pancreatic body. No mural nodule. Main duct 3 mm.\n"
        "RECOMMENDATION: Cysts with thickened walls, mural nodules or a main duct over 7 mm warrant EUS."
    )
    assert [(x.size_mm, x.mural_nodule, x.wall_thickening) for x in ext.lesions] == [
        (28.0, "absent", "not_stated")
    ]
    assert ext.mpd_diameter_mm == 3.0


def test_the_patients_own_cysts_with_a_feature_are_still_findings() -> None:
    les = run(
        "PANCREAS: Two cysts, 2.8 cm in the body and 1 cm in the tail. The cysts with septations should be sampled."
    ).lesions
    assert len(les) == 2 and "present" in {x.septations for x in les}


@pytest.mark.parametrize(
    "calibre", ["which has usual calibre", "of habitual calibre", "of conserved calibre"]
)
def test_a_translated_usual_calibre_is_a_normal_duct(calibre: str) -> None:
    assert run(f"Pancreas: 9 mm cyst in the tail. The Wirsung duct, {calibre}.").mpd_dilated == "no"


@pytest.mark.parametrize(
    ("text", "comm"),
    [
        (
            "PANCREAS: Two adjacent cysts in the body (8 mm and 6 mm), possibly communicating with each other.",
            "not_stated",
        ),
        ("PANCREAS: 8 mm cyst in the body communicating with a second 5 mm cyst.", "not_stated"),
        (
            "PANCREAS: 8 mm cyst in the body communicating with the main duct and with a second cyst.",
            "present",
        ),
    ],
)
def test_cysts_communicating_with_each_other_say_nothing_of_the_duct(text: str, comm: str) -> None:
    assert run(text).lesions[0].mpd_communication == comm


def test_a_duct_communicating_with_the_lesion_is_communication() -> None:
    text = "Pancreas: 22 mm cyst in the head. The canal of Wirsung is slightly dilated, with 5 mm, and communicates with the lesion."
    assert run(text).lesions[0].mpd_communication == "present"


@pytest.mark.parametrize(
    "wall",
    [
        "The wall was thin.",
        "The walls were thin.",
        "The cyst wall appeared thin.",
        "Its wall was smooth and thin.",
    ],
)
def test_a_thin_wall_in_any_tense_or_copula_is_no_thickening(wall: str) -> None:
    les = run(f"EUS: A 19 mm cyst was seen in the pancreatic body. {wall}").lesions
    assert [x.wall_thickening for x in les] == ["absent"]


@pytest.mark.parametrize(
    "member",
    [
        "Index lesion in the pancreatic head",
        "The largest lesion in the head",
        "The dominant cyst in the head",
    ],
)
def test_the_measured_largest_member_of_a_group_is_the_groups_largest(member: str) -> None:
    text = f"Pancreas: Multiple cystic lesions throughout the pancreas, compatible with side branch IPMNs. {member} measures 1.9 cm."
    les = run(text).lesions
    assert [(x.size_mm, x.location, x.presumed_type) for x in les] == [(19.0, "head", "bd_ipmn")]


def test_a_cyst_after_a_group_elsewhere_stays_its_own() -> None:
    assert len(run("Pancreas: Multiple small cysts in the tail. A 1.9 cm cyst in the head.").lesions) == 2


@pytest.mark.parametrize(
    "differential",
    [
        "mucinous cystic neoplasm with invasive component versus IPMN with high-grade dysplasia",
        "serous cystadenoma with central scar vs. oligocystic MCN",
    ],
)
def test_a_qualified_name_before_versus_is_still_a_differential(differential: str) -> None:
    les = run(f"Pancreas: 4.5 cm cystic mass in the tail, concerning for {differential}.").lesions
    assert [x.presumed_type for x in les] == ["unspecified"]


@pytest.mark.parametrize(
    ("sentence", "feature", "value"),
    [
        ("A mural nodule is not pointed out.", "mural_nodule", "absent"),
        ("No solid parts.", "mural_nodule", "absent"),
        ("The cyst has a fine wall.", "wall_thickening", "absent"),
        ("The wall is fine.", "wall_thickening", "absent"),
    ],
)
def test_translated_phrasings_of_features(sentence: str, feature: str, value: str) -> None:
    les = run(f"Pancreas: A cystic lesion of 15 mm is recognized in the pancreatic body. {sentence}").lesions
    assert [getattr(x, feature) for x in les] == [value]


@pytest.mark.parametrize(
    "differential",
    [
        "DD side-branch IPMN, DD serous cystadenoma",
        "serous cystadenoma versus side-branch IPMN",
        "differential diagnosis BD-IPMN or serous cystadenoma",
    ],
)
def test_one_name_of_a_differential_neither_types_nor_implies_communication(differential: str) -> None:
    les = run(f"Pancreas: Cystic lesion in the head of 23 mm, {differential}.").lesions
    assert [(x.presumed_type, x.mpd_communication) for x in les] == [("unspecified", "not_stated")]


def test_a_favoured_side_branch_ipmn_still_implies_communication() -> None:
    les = run("Pancreas: Cystic lesion in the head of 23 mm, most likely side-branch IPMN.").lesions
    assert [(x.presumed_type, x.mpd_communication) for x in les] == [("bd_ipmn", "present")]


def test_a_bare_clinical_heading_is_the_history() -> None:
    assert run("CLINICAL: Known pancreatic tail IPMN.\nFINDINGS: Pancreas normal.").pcl_present is False


@pytest.mark.parametrize(
    ("wall", "value"),
    [
        ("The wall of the cyst is thin.", "absent"),
        ("The wall of the cyst is not thickened.", "absent"),
        ("The wall of the pancreatic cyst was thickened.", "present"),
    ],
)
def test_a_wall_named_with_its_cyst_as_complement(wall: str, value: str) -> None:
    les = run(f"Pancreas: 2 cm cyst in the body. {wall}").lesions
    assert [x.wall_thickening for x in les] == [value]


def test_another_organs_cyst_wall_is_not_the_pancreatic_cysts() -> None:
    text = "Pancreas: 2 cm cyst in the body. Kidney: 3 cm cyst; the wall of the renal cyst is thickened."
    assert [x.wall_thickening for x in run(text).lesions] == ["not_stated"]


def test_a_monocystic_lesion_has_no_septa() -> None:
    les = run(
        "CT revealed a cyst with a diameter of 15 mm in the pancreatic tail. The cystic lesion was monocystic."
    ).lesions
    assert [x.septations for x in les] == ["absent"]


def test_calcification_on_the_cyst_margin_is_peripheral() -> None:
    les = run("EUS revealed a cyst in the pancreatic tail with calcification on the cyst margin.").lesions
    assert [x.calcification for x in les] == ["peripheral"]


@pytest.mark.parametrize(
    "change",
    [
        "the 1.5 cm cyst in the head has grown to 2.6 cm",
        "the 1.5 cm cyst in the head has increased in size to 2.6 cm",
        "the 15 mm head cyst now measures 26 mm",
    ],
)
def test_a_definite_size_changed_to_a_new_one_is_the_prior(change: str) -> None:
    les = run(f"Pancreas: {change}.").lesions
    assert [(x.size_mm, x.prior_size_mm) for x in les] == [(26.0, 15.0)]


def test_two_definite_sizes_without_a_change_stay_two_lesions() -> None:
    les = run("Pancreas: The 9 mm cyst in the head and the 12 mm cyst in the tail are unchanged.").lesions
    assert sorted((x.size_mm, x.prior_size_mm) for x in les) == [(9.0, None), (12.0, None)]


@pytest.mark.parametrize(
    ("wall", "value"),
    [("with enhancement of the cyst wall", "present"), ("without enhancement of the wall", "absent")],
)
def test_enhancement_of_the_wall_said_directly(wall: str, value: str) -> None:
    les = run(f"Pancreas: 4 cm multilocular cystic mass in the tail {wall}.").lesions
    assert [x.wall_thickening for x in les] == [value]


@pytest.mark.parametrize(
    "joined",
    ["connected to a non-dilated main pancreatic duct", "with a connection to a slightly dilated duct"],
)
def test_a_connection_to_a_qualified_duct_is_communication(joined: str) -> None:
    les = run(f"MRCP: multiple grape-like cysts in the pancreatic body, {joined}.").lesions
    assert [x.mpd_communication for x in les] == ["present"]


def test_a_denied_feature_of_the_lesion_leaves_its_place() -> None:
    text = "MRI discloses complete absence of enhancement of the mass at the pancreatic neck consistent with its cystic nature."
    assert [x.location for x in run(text).lesions] == ["neck"]


def test_a_denied_cyst_still_denies_its_place() -> None:
    assert run("Pancreas: no cyst in the tail.").pcl_present is False


@pytest.mark.parametrize(
    ("text", "nodule"),
    [
        (
            "CT shows a cystic mass in the body of the pancreas. The mass has areas of cystic degeneration but has solid nodules.",
            "present_unspecified",
        ),
        (
            "Pancreas: 3 cm cystic lesion in the tail. It contains necrotic debris and an enhancing solid component.",
            "enhancing",
        ),
        # another lesion's solid parts are not the cyst's
        (
            "Pancreas: 2 cm cyst in the tail. The mass in the head shows necrosis and an enhancing nodule.",
            "not_stated",
        ),
    ],
)
def test_solid_words_said_of_the_lesion_just_described_are_its_own(text: str, nodule: str) -> None:
    assert [x.mural_nodule for x in run(text).lesions] == [nodule]


@pytest.mark.parametrize(
    "priors",
    [
        "previously 7 mm in 2021 and 5 mm in 2019",
        "previously 5 mm in 2019 and 7 mm in 2021",
        "previously 7 mm and 5 mm",
    ],
)
def test_a_listed_place_with_several_priors_keeps_its_latest(priors: str) -> None:
    les = run(f"PANCREAS: Two cysts: head 5 mm (unchanged), tail 9 mm ({priors}).").lesions
    assert [(x.location, x.size_mm, x.prior_size_mm) for x in les] == [
        ("head", 5.0, None),
        ("tail", 9.0, 7.0),
    ]


@pytest.mark.parametrize(
    "fields",
    [
        "Cyst location: tail\nCyst size: 14 mm",
        "PANCREAS: Cyst location: tail. Cyst size: 14 mm.",
        "PANCREAS:\nDominant cyst location: Tail\nDominant cyst size: 14 x 11 mm",
    ],
)
def test_template_fields_named_after_the_cyst_are_one_cysts(fields: str) -> None:
    les = run(fields).lesions
    assert [(x.size_mm, x.location) for x in les] == [(14.0, "tail")]


def test_numbered_template_fields_keep_their_cysts_apart() -> None:
    text = "Cyst 1 location: head\nCyst 1 size: 6 mm\nCyst 2 location: tail\nCyst 2 size: 11 mm"
    assert sorted((x.location, x.size_mm) for x in run(text).lesions) == [("head", 6.0), ("tail", 11.0)]


@pytest.mark.parametrize(
    ("count", "multiplicity"), [("3", "multiple"), ("Multiple (3)", "multiple"), ("1", "single")]
)
def test_a_count_field_sets_the_multiplicity(count: str, multiplicity: str) -> None:
    ext = run(f"PANCREAS:\nNumber of cysts: {count}\nDominant cyst location: Body\nDominant cyst size: 14 mm")
    assert ext.multiplicity == multiplicity and [x.size_mm for x in ext.lesions] == [14.0]


def test_a_communication_answered_indeterminate_without_a_colon_states_nothing() -> None:
    text = "PANCREAS: Size of index cyst 2.0 cm; location body; duct 3 mm; communication indeterminate."
    assert [x.mpd_communication for x in run(text).lesions] == ["not_stated"]


@pytest.mark.parametrize(
    "text",
    [
        "IMPRESSION: Multiple small pancreatic cysts, likely side-branch IPMNs; MRI in 2 years as per ACR.",
        "IMPRESSION: Several pancreatic cysts, likely side-branch IPMNs, followed as per the ACR white paper.",
    ],
)
def test_a_guideline_cited_after_the_patients_counted_cysts_leaves_them_the_patients(text: str) -> None:
    ext = run("Pancreas: Scattered cysts, the largest 8 mm in the body.\n" + text)
    assert ext.multiplicity == "multiple"
    assert {x.presumed_type for x in ext.lesions} == {"bd_ipmn"}


def test_a_guidelines_bare_plural_cysts_stay_the_guidelines() -> None:
    ext = run("Pancreas: 8 mm cyst in the body. Per ACR, cysts smaller than 15 mm are followed in 2 years.")
    assert ext.multiplicity == "single" and [x.size_mm for x in ext.lesions] == [8.0]


def test_an_exam_dated_in_the_sentence_that_measures_the_cyst_dates_the_interval() -> None:
    text = (
        "Dear Dr Patel,\nHer recent MRCP (21/03/2024) shows a 22 mm cyst in the pancreatic neck which has"
        " increased from 17 mm on the MRCP of March 2023."
    )
    ext = run(text)
    assert ext.exam_date == dt.date(2024, 3, 21)
    assert [(x.size_mm, x.prior_size_mm, x.prior_exam_date) for x in ext.lesions] == [
        (22.0, 17.0, dt.date(2023, 3, 1))
    ]


def test_a_header_exam_date_still_wins_over_a_described_exams() -> None:
    text = (
        "Exam date: 2024-04-02\nHer recent MRCP (21/03/2024) shows a 22 mm cyst in the pancreatic neck,"
        " increased from 17 mm on the MRCP of March 2023."
    )
    assert run(text).exam_date == dt.date(2024, 4, 2)


@pytest.mark.parametrize(
    "part",
    [
        "The cyst had a thickened wall (3 mm).",
        "The cyst has a 3 mm thick wall.",
        "Wall thickness 3 mm.",
        "The septa are thickened to 2 mm.",
        "It has septa up to 2 mm thick.",
    ],
)
def test_a_wall_or_septum_thickness_is_no_size_of_the_cyst(part: str) -> None:
    les = run(f"Pancreas: A 24 mm cyst in the body. {part}").lesions
    assert [(x.size_mm, x.location) for x in les] == [(24.0, "body")]


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("Pancreas: a 3 cm thick-walled cyst in the tail.", 30.0),
        ("Pancreas: cyst tail, 8 mm, without mural nodule or wall thickening (previously 3 mm).", 8.0),
    ],
)
def test_a_size_near_a_wall_word_that_measures_the_cyst_stays_its_size(text: str, size: float) -> None:
    assert [x.size_mm for x in run(text).lesions] == [size]


@pytest.mark.parametrize("spelling", ["visualized", "visualised"])
def test_a_trigger_reads_in_either_spelling(spelling: str) -> None:
    text = f"Pancreas: Unremarkable. The previously described 7 mm cyst in the neck is not {spelling} today."
    assert not run(text).pcl_present


@pytest.mark.parametrize(
    "text",
    [
        "Pancreas: A 2 cm cystic lesion in the body was present on the prior CT and is no longer seen today.",
        "Pancreas: The 2 cm body cyst was seen in 2021 and has since resolved.",
        "Pancreas: Findings consistent with resolved pseudocyst in the body.",
    ],
)
def test_a_cyst_said_to_be_gone_by_its_own_second_predicate_or_as_resolved_is_no_lesion(text: str) -> None:
    assert not run(text).pcl_present


def test_a_cyst_still_there_after_and_is_stays() -> None:
    text = "Pancreas: A 12 mm cyst in the tail was present on the prior CT and is unchanged."
    assert [x.size_mm for x in run(text).lesions] == [12.0]


@pytest.mark.parametrize(
    ("capsule", "wall"), [("a thick enhancing capsule", "present"), ("a thin capsule", "absent")]
)
def test_a_cystic_lesions_capsule_is_its_wall(capsule: str, wall: str) -> None:
    les = run(f"Pancreas: 3.5 cm cystic lesion in the tail with {capsule}.").lesions
    assert [x.wall_thickening for x in les] == [wall]


@pytest.mark.parametrize("lung", ["RUL", "right upper lobe", "lingula"])
def test_a_lung_nodule_listed_after_the_cyst_is_not_its_nodule(lung: str) -> None:
    text = f"IMPRESSION: 1. Stable 16 mm pancreatic cystic lesion. 2. 3.1 cm AAA. 3. 6 mm {lung} nodule."
    assert [x.mural_nodule for x in run(text).lesions] == ["not_stated"]


@pytest.mark.parametrize(
    "heading",
    ["Pancreatic cysts:", "Pancreas: Cystic lesion(s): 3", "PANCREATIC CYSTS:"],
)
def test_a_cyst_heading_over_a_list_of_places_and_sizes_makes_one_lesion_per_item(heading: str) -> None:
    text = f"IMPRESSION:\n{heading}\n- Head: 10 mm (prev 9 mm)\n- Body: 6 mm\n- Tail: 15 mm (prev 12 mm)\nDuct normal."
    ext = run(text)
    assert ext.multiplicity == "multiple"
    assert sorted((x.location, x.size_mm, x.prior_size_mm) for x in ext.lesions) == [
        ("body", 6.0, None),
        ("head", 10.0, 9.0),
        ("tail", 15.0, 12.0),
    ]


def test_a_checkbox_templates_n_answer_denies_and_y_affirms() -> None:
    text = "PANCREAS:\nCyst: Y\nLocation: head\nSize: 12mm\nSeptations: Y\nMural nodule: N\nMPD: 2mm"
    assert [(x.size_mm, x.septations, x.mural_nodule) for x in run(text).lesions] == [
        (12.0, "present", "absent")
    ]


def test_a_cyst_field_answered_n_is_no_cyst() -> None:
    assert not run("PANCREAS:\nCyst: N\nMPD: 2mm").pcl_present


@pytest.mark.parametrize("lead", ["confirming", "in keeping with", "suggestive of", "indicating"])
def test_a_diagnosis_a_denied_finding_leads_to_is_affirmed(lead: str) -> None:
    text = f"A hyperintense 9 mm lesion in the pancreatic tail; on the post-contrast image it does not enhance, {lead} a cyst."
    assert [(x.size_mm, x.location) for x in run(text).lesions] == [(9.0, "tail")]


def test_exams_named_in_our_and_in_an_imaging_labels_parenthesis_make_a_series() -> None:
    text = (
        "Imaging (outside CT, 2022): 2.0 cm pancreatic body cyst. Our MRI (2024): the cyst measures 2.4 cm and"
        " now has a 5 mm enhancing mural nodule."
    )
    ext = run(text)
    assert [(x.size_mm, x.prior_size_mm, x.stated_interval_months) for x in ext.lesions] == [
        (24.0, 20.0, 24.0)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Pancreas: 16 mm cyst in the head with thickened and enhancing walls, and a solid mural nodule of 7 mm.",
        "Pancreas: 10 mm cyst in the uncinate with a thickened enhancing wall. Questionable 4 mm mural nodule.",
    ],
)
def test_the_walls_enhancement_is_not_the_nodules(text: str) -> None:
    assert [(x.wall_thickening, x.mural_nodule) for x in run(text).lesions] == [
        ("present", "present_unspecified")
    ]


def test_a_nodule_said_to_enhance_beside_a_thick_wall_still_enhances() -> None:
    text = "Pancreas: 2 cm cyst in the head with an enhancing mural nodule and thick walls."
    assert [x.mural_nodule for x in run(text).lesions] == ["enhancing"]


def test_a_translated_tissue_portion_is_a_solid_component() -> None:
    text = "Pancreas: a cystic lesion of the isthmus measuring 14 mm, with a fine septum, without tissular portion."
    assert [(x.location, x.mural_nodule) for x in run(text).lesions] == [("neck", "absent")]


@pytest.mark.parametrize(
    ("said", "nodule"), [("taking contrast", "enhancing"), ("not taking contrast", "nonenhancing")]
)
def test_a_translated_nodule_taking_contrast_enhances(said: str, nodule: str) -> None:
    text = f"Pancreas: a 31 mm cystic lesion with a thickened and enhancing wall and a parietal nodule of 6 mm {said}."
    assert [x.mural_nodule for x in run(text).lesions] == [nodule]


@pytest.mark.parametrize(
    "lead",
    ["Today's MRI shows", "The current study demonstrates", "MRCP today shows", "Our follow-up MRI reveals"],
)
def test_a_history_sentence_whose_subject_is_this_exam_is_a_finding(lead: str) -> None:
    text = f"History: pancreatic cyst on an outside CT, for follow-up. {lead} a 2.9 cm unilocular cyst in the body."
    assert [(x.size_mm, x.location) for x in run(text).lesions] == [(29.0, "body")]


def test_a_history_sentence_that_only_plans_this_exam_names_no_lesion() -> None:
    assert not run("History: pancreatic cyst on CT 2022. Follow-up MRI today to assess the cyst.").pcl_present


def test_a_cyst_word_said_to_represent_a_mimic_further_on_in_its_clause_is_no_cyst() -> None:
    text = (
        "PANCREAS: No focal lesion. A cystic structure at the pancreatic head measuring 10 mm is continuous with the"
        " duodenum and represents a duodenal diverticulum."
    )
    assert not run(text).pcl_present


def test_a_mimic_named_after_a_comma_for_something_else_leaves_the_cyst() -> None:
    text = "Pancreas: A 2 cm cyst in the head, and a soft tissue focus near the duodenum that represents a lymph node."
    assert [x.size_mm for x in run(text).lesions] == [20.0]


@pytest.mark.parametrize(
    ("spelling", "prior_date"),
    [("not dilated, normal calibre", "2023-09-02"), ("not dilated, normal caliber", "2023-02-09")],
)
def test_british_spelling_dates_a_report_day_first(spelling: str, prior_date: str) -> None:
    text = f"Comparison: CT 02/09/2023.\nPancreas: 14 mm neck cyst, previously 12 mm. Duct {spelling}."
    assert [str(x.prior_exam_date) for x in run(text).lesions] == [prior_date]


@pytest.mark.parametrize(
    "parts",
    [
        "innumerable tiny cysts",
        "a central scar and innumerable tiny cysts",
        "a scar and numerous minute cysts",
    ],
)
def test_tiny_cysts_after_other_parts_of_a_lesion_are_its_loculi(parts: str) -> None:
    text = f"Pancreas: a 4.2 cm multiloculated cystic lesion in the head with {parts}, typical of a serous cystadenoma."
    ext = run(text)
    assert (ext.multiplicity, [x.size_mm for x in ext.lesions]) == ("single", [42.0])


def test_a_translated_tissue_component_is_a_solid_component() -> None:
    text = "Pancreas: cystic formation of the caudal portion of the pancreas, of 18 mm, without tissue component."
    assert [x.mural_nodule for x in run(text).lesions] == ["absent"]


@pytest.mark.parametrize(
    "label",
    ["Prior maximal diameter (MRI 2023-06-01)", "Previous maximum diameter", "Prior largest diameter (CT)"],
)
def test_a_templates_prior_diameter_label_gives_the_prior_size(label: str) -> None:
    text = f"Pancreatic cyst: present\nLocation: body\nMaximal diameter: 2.6 cm\n{label}: 2.4 cm"
    assert [(x.size_mm, x.prior_size_mm) for x in run(text).lesions] == [(26.0, 24.0)]


@pytest.mark.parametrize(
    ("closing", "diameter", "prior"),
    [
        ("did not communicate with the main pancreatic duct, which measured 2.5 mm.", 2.5, None),
        ("communicated with the main pancreatic duct, which measured 3 mm.", 3.0, None),
        # dated to an earlier exam after a communication: the cyst's prior, as before
        ("communicated with the main pancreatic duct, which measured 12 mm one year ago.", None, 12.0),
    ],
)
def test_a_narrated_ducts_past_tense_size_is_its_own(
    closing: str, diameter: float | None, prior: float | None
) -> None:
    ext = run(f"EUS: A 14 mm cyst was seen in the pancreatic neck. The cyst {closing}")
    assert (ext.mpd_diameter_mm, [(x.size_mm, x.prior_size_mm) for x in ext.lesions]) == (
        diameter,
        [(14.0, prior)],
    )


@pytest.mark.parametrize(
    ("closing", "diameter"),
    [
        ("The main duct was 2 mm.", 2.0),
        ("The main pancreatic duct measured 2 mm.", 2.0),
        ("The main duct was 6 mm on the prior exam.", None),
        ("Previously the main duct was 6 mm.", None),
    ],
)
def test_a_narrated_ducts_size_is_this_exams_unless_dated_earlier(
    closing: str, diameter: float | None
) -> None:
    assert (
        run(f"CT revealed a 6 cm unilocular cyst in the pancreatic body. {closing}").mpd_diameter_mm
        == diameter
    )


@pytest.mark.parametrize(
    ("closing", "dilated"),
    [
        ("no solid comp, PD nl.", "no"),
        ("No nodules, duct normal.", "no"),
        ("No dilatation, duct normal caliber.", "no"),
        ("The duct is not normal.", "yes"),
        ("Duct not of normal calibre.", "yes"),
    ],
)
def test_a_denial_further_back_does_not_deny_a_normal_duct(closing: str, dilated: str) -> None:
    assert run(f"Pancreas: 1.2 cm tail cyst, {closing}").mpd_dilated == dilated


@pytest.mark.parametrize(
    "text",
    [
        "EUS: A 25 mm anechoic lesion of the cephalic portion of the pancreas, with septa.",
        "Pancreas: A 25 mm simple lesion of the head of the pancreas, with septa.",
        "Pancreas: A 25 mm fluid-filled lesion of the pancreatic head, with septa.",
    ],
)
def test_a_cystic_looking_lesion_of_a_pancreatic_part_is_a_cyst(text: str) -> None:
    assert [(x.size_mm, x.location, x.septations) for x in run(text).lesions] == [(25.0, "head", "present")]


def test_a_lesion_of_another_organ_stays_that_organs() -> None:
    assert not run("Liver: A 25 mm simple lesion of the right lobe.").pcl_present


@pytest.mark.parametrize(
    ("text", "pcl"),
    [
        ("CT shows a lesion of the pancreatic head with cystic and solid parts.", True),
        # SPEC §2: a malignancy named before it in its sentence makes its cystic part no PCL
        (
            "Undifferentiated carcinoma of the pancreatic head: CT shows a lesion of the head with cystic and solid parts.",
            False,
        ),
    ],
)
def test_a_lesion_with_cystic_and_solid_parts_is_a_pcl_unless_called_malignant(text: str, pcl: bool) -> None:
    ext = run(text)
    assert (ext.pcl_present, [x.mural_nodule for x in ext.lesions]) == (
        pcl,
        ["present_unspecified"] if pcl else [],
    )


def test_a_contrast_enhancing_wall_nodule_is_an_enhancing_mural_nodule() -> None:
    text = "MRI: Pancreatic head with a 3.2 cm multilocular cystic lesion and a contrast-enhancing wall nodule of 8 mm."
    assert [(x.mural_nodule, x.wall_thickening) for x in run(text).lesions] == [("enhancing", "not_stated")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The pancreatic tail cyst measured 11 mm at that time, compared to 14 mm today.",
        "The tail cyst measured 11 mm on the outside MRI, versus 14 mm on the current exam.",
        "Pancreas: 14 mm tail cyst, compared to 11 mm on the prior.",
    ],
)
def test_a_size_a_prior_cue_leads_is_current_when_this_exam_follows_it(sentence: str) -> None:
    text = f"MRI: 14 mm unilocular cyst in the pancreatic tail. {sentence}"
    assert [(x.size_mm, x.prior_size_mm) for x in run(text).lesions] == [(14.0, 11.0)]


def test_a_figure_panel_measures_the_lesion_its_caption_is_about() -> None:
    text = (
        "A 53-year-old woman with a cystic lesion of the pancreatic tail. (A) CT shows a 3.5-cm unilocular cystic"
        " lesion with peripheral calcification. (B) On MRI, the lesion is hyperintense on T2-weighted images."
    )
    ext = run(text)
    assert (ext.multiplicity, [(x.size_mm, x.location) for x in ext.lesions]) == ("single", [(35.0, "tail")])


def test_without_a_panel_a_second_indefinite_cyst_elsewhere_stays_a_second_lesion() -> None:
    text = "Pancreas: a cystic lesion of the pancreatic tail. There is also a 3.5 cm cyst in the head."
    assert run(text).multiplicity == "multiple"


@pytest.mark.parametrize("bud", ["without tissue bud", "without a tissular bud"])
def test_a_translated_tissue_bud_is_a_solid_component(bud: str) -> None:
    text = f"Abdominal scanner: liquid formation of the pancreatic tail, with fine partitions, 42 x 35 mm, {bud}."
    assert [x.mural_nodule for x in run(text).lesions] == ["absent"]


def test_a_cystic_looking_lesion_of_a_size_is_a_cyst() -> None:
    text = (
        "Endoscopic ultrasound: an anechoic, round lesion of 17 mm in the pancreatic body with a thin septum."
    )
    assert [(x.size_mm, x.location, x.septations) for x in run(text).lesions] == [(17.0, "body", "present")]


def test_a_year_before_to_and_a_size_is_not_a_range_start() -> None:
    text = (
        "CT: Pancreas: Cyst in the pancreatic tail has increased from 1.9 cm in March 2022 to 2.8 cm today."
    )
    assert [(x.size_mm, x.prior_size_mm) for x in run(text).lesions] == [(28.0, 19.0)]


@pytest.mark.parametrize(
    "advice",
    [
        "If there is clinical concern for a pancreatic cyst, MRI is recommended.",
        "Should there be a pancreatic cyst on follow-up, MRCP would characterise it.",
    ],
)
def test_a_conditionals_own_there_is_does_not_end_it(advice: str) -> None:
    assert not run(
        f"US ABDOMEN\nPancreas: tail not visualized.\nImpression: Unremarkable. {advice}"
    ).pcl_present


@pytest.mark.parametrize(
    ("text", "lesions"),
    [
        (
            "CT: Pancreas: There is a 1.0 x 0.8 cm hypodensity at the pancreatic head-neck junction."
            " Impression: 1 cm pancreatic lesion, likely cyst.",
            [(10.0, "neck")],
        ),
        ("CT: Pancreas: There is a 1.0 x 0.8 cm hypodensity at the pancreatic head-neck junction.", []),
        ("CT: Liver: several hypodensities, likely cysts.", []),
    ],
)
def test_a_hypodensity_is_a_lesion_a_cyst_word_must_confirm(
    text: str, lesions: list[tuple[float, str]]
) -> None:
    assert [(x.size_mm, x.location) for x in run(text).lesions] == lesions


@pytest.mark.parametrize(
    ("answer", "multiplicity"),
    [
        ("Number: [ ] single [x] multiple", "multiple"),
        ("Number: [x] single [ ] multiple", "single"),
        ("Number: several", "multiple"),
        ("Number: 3", "single"),  # a bare number there may be an accession or series number
    ],
)
def test_a_bare_number_field_answered_in_words_counts_the_cysts(answer: str, multiplicity: str) -> None:
    assert (
        run(f"Structured report - Pancreas\nLargest cyst: 16 mm, pancreatic body\n{answer}").multiplicity
        == multiplicity
    )


@pytest.mark.parametrize(
    ("text", "pcl"),
    [
        ("CT: There is no longer a cyst in the pancreatic body.", False),
        ("CT: There are no longer any cysts in the pancreas.", False),
        ("CT: 8 mm cyst in the pancreatic body, no longer a concern.", True),
    ],
)
def test_a_cyst_said_to_be_no_longer_there_before_it_is_named_is_gone(text: str, pcl: bool) -> None:
    assert run(text).pcl_present is pcl


def test_a_queried_diagnosis_in_parenthesis_names_the_same_lesion() -> None:
    text = (
        "FINDINGS: In the body and tail of the pancreas there is a hypodensity measuring 2.8 cm, suspected to"
        " represent a cyst.\nIMPRESSION: A 2.8 cm hypodensity in the body and tail of the pancreas (? cyst)."
    )
    ext = run(text)
    assert (ext.multiplicity, [(x.size_mm, x.location) for x in ext.lesions]) == ("single", [(28.0, "body")])


@pytest.mark.parametrize("group", ["Multifocal side-branch IPMN", "Pluri-focal IPMN of the secondary ducts"])
def test_a_multifocal_ipmn_is_several_cysts(group: str) -> None:
    ext = run(f"MRI: {group}, the largest lesion in the tail measuring 19 mm.")
    assert (ext.multiplicity, [x.size_mm for x in ext.lesions]) == ("multiple", [19.0])


@pytest.mark.parametrize(
    ("text", "pcl"),
    [
        ("CT: Pancreatic head with a cystic lesion of 22 mm.", True),
        ("CT: Pancreatic body with two cysts of 5 and 8 mm.", True),
        ("Patients with cysts of 15-25 mm should have MRI in 6 months.", False),
        ("For a cyst of 22 mm, MRI in 6 months is advised.", False),
    ],
)
def test_with_makes_a_generic_cyst_only_after_a_generic_holder(text: str, pcl: bool) -> None:
    assert run(text).pcl_present is pcl


def test_a_low_density_area_a_later_sentence_calls_a_cyst_is_the_cyst() -> None:
    text = (
        "CT: A low-density area of 15 mm is found in the pancreatic body. Contrast effect is not observed inside."
        " It is considered a cyst."
    )
    assert [(x.size_mm, x.location) for x in run(text).lesions] == [(15.0, "body")]


def test_max_with_a_period_ends_no_sentence() -> None:
    text = (
        "MRI: Several small cystic lesions in the pancreatic corpus and cauda, max. 7 mm, without solid portions,"
        " compatible with side-branch IPMN."
    )
    assert [(x.size_mm, x.location) for x in run(text).lesions] == [(7.0, "body")]


def test_a_translated_signal_shadow_a_later_sentence_calls_cystic_is_the_lesion() -> None:
    text = (
        "MRI: A round long T1 long T2 signal shadow is seen in the pancreatic tail, about 1.5 cm x 1.2 cm in size."
        " Impression: cystic lesion of the pancreatic tail, considering a pancreatic cyst."
    )
    assert [(x.size_mm, x.location) for x in run(text).lesions] == [(15.0, "tail")]


@pytest.mark.parametrize(("said", "dilated"), [("is not expanded", "no"), ("is expanded to 6 mm", "yes")])
def test_a_translated_expanded_duct_is_dilated(said: str, dilated: str) -> None:
    assert run(f"MRI: 14 mm cyst in the pancreatic head. The Wirsung duct {said}.").mpd_dilated == dilated


@pytest.mark.parametrize(
    ("said", "dilated"),
    [("The ductus pancreaticus is not wide.", "no"), ("The pancreatic duct is wide (6 mm).", "yes")],
)
def test_a_translated_wide_duct_is_dilated(said: str, dilated: str) -> None:
    assert (
        run(
            f"CT: Pancreas: round hypodense structure in the neck of 8 mm, likely a small cyst. {said}"
        ).mpd_dilated
        == dilated
    )


def test_a_translated_contrast_effect_is_enhancement() -> None:
    text = "MRI: A multilocular cyst of 30 mm in the pancreatic head. A nodule of 7 mm with contrast effect is seen in the cyst."
    assert [x.mural_nodule for x in run(text).lesions] == ["enhancing"]


def test_a_hypodense_area_of_fluid_nature_is_a_cyst() -> None:
    text = "CT: Pancreas of regular size. In the cephalic portion a hypodense area of 10 mm of probable fluid nature."
    assert [(x.size_mm, x.location) for x in run(text).lesions] == [(10.0, "head")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The pancreatic gland shows in the body a cystic image of 7 mm and in the tail another of 5 mm.",
        "A 7 mm cyst in the body and another in the tail measuring 5 mm.",
    ],
)
def test_another_after_its_own_place_is_a_second_lesion(sentence: str) -> None:
    ext = run(f"CT: {sentence}")
    assert [(x.size_mm, x.location) for x in ext.lesions] == [(7.0, "body"), (5.0, "tail")]


@pytest.mark.parametrize(
    "said", ["Normal width of the ductus pancreaticus.", "The pancreatic duct is normal in width."]
)
def test_a_duct_of_normal_width_is_not_dilated(said: str) -> None:
    assert run(f"CT: Pancreas: 19 mm tail cyst. {said}").mpd_dilated == "no"


@pytest.mark.parametrize(
    "closing",
    ["No discrete cyst.", "No pancreatic cystic lesion.", "There is no cyst."],
)
def test_a_denied_cyst_keeps_a_main_duct_ipmn(closing: str) -> None:
    text = (
        "Impression: Findings suspicious for main duct IPMN: diffuse dilation of the main pancreatic duct up to 7 mm"
        f" without obstructing lesion. {closing}"
    )
    ext = run(text)
    assert ext.pcl_present
    assert [x.presumed_type for x in ext.lesions] == ["md_ipmn"]


def test_a_denied_cyst_still_retracts_a_cyst() -> None:
    assert not run(
        "Findings: 9 mm cyst in the pancreatic tail. Addendum: No pancreatic cyst is present."
    ).pcl_present


@pytest.mark.parametrize(
    "history",
    [
        "a pancreatic body cyst found incidentally on CT for kidney stones in 2021 (1.1 cm)",
        "a pancreatic body cyst, 1.1 cm on CT in 2021",
        "a pancreatic body cyst measuring 1.1 cm on the MRI in March 2021",
    ],
)
def test_a_size_on_an_exam_dated_by_its_year_is_the_prior(history: str) -> None:
    ext = run(f"HPI: 72F with {history}. Repeat MRI today shows the cyst measures 1.4 cm.")
    assert [(x.size_mm, x.prior_size_mm, x.location) for x in ext.lesions] == [(14.0, 11.0, "body")]


@pytest.mark.parametrize(
    "known",
    [
        "Follow-up of known IPMN in the pancreatic head.",
        "Patient with known mixed-type IPMN of the head.",
        "Established cyst of the pancreatic head.",
    ],
)
def test_a_size_after_a_lesion_named_as_known_is_that_lesion(known: str) -> None:
    ext = run(f"{known} Today's MRCP: head cyst 2.7 cm, main duct 3 mm.")
    assert [(x.size_mm, x.location) for x in ext.lesions] == [(27.0, "head")]


def test_a_new_cyst_after_a_known_one_is_another() -> None:
    ext = run("Known IPMN in the pancreatic head. New 6 mm cyst in the tail.")
    assert len(ext.lesions) == 2


def test_a_numbered_template_cyst_is_placed_by_its_location_field() -> None:
    text = (
        "Cyst 1\nLocation: pancreatic head\nSize: 19 x 15 mm\nSeptations: yes\n"
        "Cyst 2\nLocation: pancreatic tail\nSize: 8 mm\nSeptations: no"
    )
    ext = run(text)
    assert [(x.size_mm, x.location, x.septations) for x in ext.lesions] == [
        (19.0, "head", "present"),
        (8.0, "tail", "absent"),
    ]


def test_an_unplaced_cyst_is_not_placed_by_a_tumour_sentence() -> None:
    assert not run(
        "Radiologist's notes:\nLeft paraureteral cyst\nTumor of the body and tail of pancreas"
    ).pcl_present


@pytest.mark.parametrize(
    ("sentence", "nodule"),
    [
        ("A new 3 mm nodular component along the inferior wall demonstrates no enhancement.", "nonenhancing"),
        ("It has a 5 mm nodule along the posterior wall that enhances.", "enhancing"),
        ("A nodule on its dependent wall does not enhance.", "nonenhancing"),
    ],
)
def test_a_wall_that_places_a_nodule_is_not_described(sentence: str, nodule: str) -> None:
    ext = run(f"MRI: A 2.1 cm cyst in the pancreatic head. {sentence}")
    assert [(x.mural_nodule, x.wall_thickening) for x in ext.lesions] == [(nodule, "not_stated")]


def test_the_wall_as_subject_is_still_described() -> None:
    ext = run("MRI: A 2.1 cm cyst in the pancreatic head. The wall is thickened and enhances.")
    assert [x.wall_thickening for x in ext.lesions] == ["present"]


@pytest.mark.parametrize(
    "neighbour", ["abuts a 1.5 cm splenic artery aneurysm", "is adjacent to a walled-off necrosis"]
)
def test_a_neighbour_the_cyst_touches_vetoes_nothing(neighbour: str) -> None:
    ext = run(f"CT: A 1.1 cm cystic lesion in the pancreatic tail {neighbour}.")
    assert [(x.size_mm, x.location) for x in ext.lesions] == [(11.0, "tail")]


@pytest.mark.parametrize("relation", ["separate from", "distinct from", "extrinsic to"])
def test_a_cyst_said_apart_from_the_pancreas_is_not_pancreatic(relation: str) -> None:
    text = f"FINDINGS: Multiloculated cystic mass in the left upper quadrant {relation} the pancreas, 6.5 cm."
    assert not run(text).pcl_present


@pytest.mark.parametrize(
    ("said", "nodule"),
    [
        ("with a mural nodule of 8 mm without Doppler signal", "nonenhancing"),
        ("with a mural nodule of 8 mm with Doppler signal", "enhancing"),
        ("with an 8 mm mural nodule showing no colour Doppler flow", "nonenhancing"),
    ],
)
def test_doppler_signal_is_a_nodules_enhancement(said: str, nodule: str) -> None:
    ext = run(f"EUS: Cystic lesion in the pancreatic neck of 28 x 20 mm, unilocular, {said}.")
    assert [x.mural_nodule for x in ext.lesions] == [nodule]


def test_a_checkbox_templates_cyst_size_is_no_duct_diameter() -> None:
    text = (
        "Pancreas:\n[x] Cyst present\nNumber of cysts: 2\nLargest cyst location: tail\nLargest cyst size: 16 mm\n"
        "[ ] Mural nodule\n[ ] Thickened wall\n[x] Communication with main duct\nMain duct diameter: 2 mm"
    )
    ext = run(text)
    assert [x.size_mm for x in ext.lesions] == [16.0]
    assert (ext.mpd_diameter_mm, ext.multiplicity) == (2.0, "multiple")


def test_a_group_clause_after_a_list_of_places_is_said_of_each() -> None:
    text = (
        "Report:\nAt the level of the pancreatic gland multiple cystic formations are confirmed, with a maximum"
        " diameter of 11 mm in the uncinate process (previously 10 mm), 8 mm in the body and 6 mm in the tail, all"
        " unchanged in number, none of them with thickened walls or solid vegetations."
    )
    ext = run(text)
    assert [(x.size_mm, x.location, x.wall_thickening, x.mural_nodule) for x in ext.lesions] == [
        (11.0, "uncinate", "absent", "absent"),
        (8.0, "body", "absent", "absent"),
        (6.0, "tail", "absent", "absent"),
    ]
    assert ext.lesions[0].prior_size_mm == 10.0


@pytest.mark.parametrize(
    "earlier",
    [
        "On the prior examination from February 14, 2020, it measured 2.3 cm.",
        "It was not pointed out on the previous CT (2020/02/14), but retrospectively it existed with 23 mm in size.",
    ],
)
def test_a_past_size_in_a_sentence_naming_an_earlier_exam_is_the_prior(earlier: str) -> None:
    ext = run(f"PANCREAS: A 2.2 cm lobulated cystic lesion is present in the pancreatic tail. {earlier}")
    assert [(x.size_mm, x.prior_size_mm) for x in ext.lesions] == [(22.0, 23.0)]


def test_an_earlier_size_after_the_ducts_size_is_the_ducts() -> None:
    text = (
        "Imaging: MRI 15/01/2024 shows the main pancreatic duct dilated to 8 mm in the body (previously 6 mm), and the"
        " dominant cyst in the pancreatic head now measures 3.2 cm (previously 2.6 cm in January 2023)."
    )
    ext = run(text)
    assert [(x.size_mm, x.prior_size_mm) for x in ext.lesions] == [(32.0, 26.0)]
    assert ext.mpd_diameter_mm == 8.0


def test_small_cysts_a_multiloculated_lesion_has_are_its_loculi() -> None:
    text = (
        "PANCREAS: A well defined multiloculated cystic lesion with multiple small cysts (<2 cm each) giving a"
        " honeycomb appearance is noted in the head of pancreas measuring 4.4 x 3.9 cm."
    )
    ext = run(text)
    assert [(x.size_mm, x.location, x.septations) for x in ext.lesions] == [(44.0, "head", "present")]
    assert ext.multiplicity == "single"


def test_small_cysts_with_a_place_of_their_own_are_more_lesions() -> None:
    ext = run("MRI: A 2 cm cystic lesion in the pancreatic head with multiple small cysts in the tail.")
    assert len(ext.lesions) == 2


@pytest.mark.parametrize(
    ("history", "prior"),
    [
        ("Incidental pancreatic cyst on CT (outside, 2021, reported as 1.2 cm).", 12.0),
        ("Pancreatic cyst on outside CT, described as 12 mm.", 12.0),
    ],
)
def test_another_exams_reported_size_in_the_history_is_the_prior(history: str, prior: float) -> None:
    text = f"History: 63F. {history}\n\nFindings:\nPancreas: There is a 14 x 11 mm T2 hyperintense cyst in the neck."
    assert [(x.size_mm, x.prior_size_mm) for x in run(text).lesions] == [(14.0, prior)]


def test_reported_as_in_a_correction_still_names_the_wrong_value() -> None:
    text = (
        "Findings: 36 mm cyst in the pancreatic head.\nADDENDUM: the major diameter of the cyst is 26 mm, and not 36"
        " mm as erroneously reported."
    )
    assert [x.size_mm for x in run(text).lesions] == [26.0]


@pytest.mark.parametrize(
    ("said", "septa"),
    [
        ("There are no thick septations.", "not_stated"),
        ("No thickened or enhancing septa.", "not_stated"),
        ("No septations.", "absent"),
    ],
)
def test_a_denied_qualified_septum_denies_no_septa(said: str, septa: str) -> None:
    assert [x.septations for x in run(f"MRI: 17 mm cyst in the pancreatic head. {said}").lesions] == [septa]


def test_an_indefinite_subject_with_its_verb_after_a_comma_ends_a_denial() -> None:
    text = (
        "Findings: 21 mm cystic lesion in the pancreatic tail.\nConclusion: Given the absence of communication with"
        " the duct, a mucinous cystic neoplasm is the first possibility."
    )
    ext = run(text)
    assert [(x.size_mm, x.mpd_communication) for x in ext.lesions] == [(21.0, "absent")]


def test_a_translated_preliminary_examination_is_the_comparison() -> None:
    text = (
        "Preliminary examination: MRI of 21.03.2023.\n\nFindings:\nPancreas: cystic lesion in the pancreatic head,"
        " currently 23 x 15 mm (previous examination 22 x 14 mm)."
    )
    ext = EXT.extract(ReportInput(report_id="t", text=text, exam_date=dt.date(2024, 3, 25)))
    assert [(x.size_mm, x.prior_size_mm, x.prior_exam_date) for x in ext.lesions] == [
        (23.0, 22.0, dt.date(2023, 3, 21))
    ]


def test_a_notes_field_label_and_most_recent_exam_make_a_series() -> None:
    text = (
        "Background: IPMN surveillance since 2016. Most recent MRI (April 2023) showed a 17 mm cyst in the uncinate"
        " process, unchanged.\nInvestigations: MRI 2 May 2024 - uncinate cyst 18 mm, no mural nodule, main duct 3 mm."
    )
    ext = run(text)
    assert [(x.size_mm, x.prior_size_mm, x.location) for x in ext.lesions] == [(18.0, 17.0, "uncinate")]


def test_a_latin_duct_name_dates_the_report_day_first() -> None:
    text = (
        "Comparison: CT 12-01-2023.\nFindings: Pancreas: the known cystic lesion in the pancreatic tail has grown from"
        " 2.1 to 3.2 cm. Ductus pancreaticus widened to 6 mm."
    )
    ext = run(text)
    assert [str(x.prior_exam_date) for x in ext.lesions] == ["2023-01-12"]


def test_a_subjectless_denial_after_one_sentence_naming_two_cysts_is_about_each() -> None:
    text = (
        "MRI: The pancreas shows a 1.8 cm cyst in the uncinate process which communicates with the main duct, and a"
        " 9 mm cyst in the tail which does not. No mural nodules. The main duct is normal."
    )
    ext = run(text)
    assert [(x.location, x.mural_nodule) for x in ext.lesions] == [("uncinate", "absent"), ("tail", "absent")]


def test_a_guidelines_size_band_with_its_advice_is_no_lesion() -> None:
    text = (
        "IMPRESSION: 7 mm pancreatic uncinate cyst.\nRECOMMENDATIONS: Per the ACR white paper, for incidental"
        " pancreatic cysts smaller than 1.5 cm, MRI in 1 year is suggested; cysts 1.5-2.5 cm warrant MRI in 6 months;"
        " cysts larger than 2.5 cm should be evaluated with EUS."
    )
    ext = run(text)
    assert [(x.size_mm, x.location) for x in ext.lesions] == [(7.0, "uncinate")]


def test_a_nodular_focus_after_a_cyst_is_its_nodule() -> None:
    text = (
        "MRI: 2.2 cm T2 hyperintense lesion in the pancreatic tail with a 6 mm T2 hypointense nodular focus along"
        " its wall.\nIMPRESSION: 2.2 cm pancreatic tail cystic lesion with a 6 mm nodular focus, enhancement"
        " indeterminate."
    )
    ext = run(text)
    assert [(x.size_mm, x.mural_nodule, x.nodule_size_mm) for x in ext.lesions] == [
        (22.0, "present_unspecified", 6.0)
    ]


@pytest.mark.parametrize("hedge", ["possibly", "likely"])
def test_a_plural_diagnosis_after_two_joined_cysts_types_each(hedge: str) -> None:
    text = f"IMPRESSION: 1.6 cm septated cystic lesion of the pancreatic body and a 4 mm tail cyst, {hedge} side-branch IPMNs."
    ext = run(text)
    assert [(x.size_mm, x.presumed_type, x.mpd_communication) for x in ext.lesions] == [
        (16.0, "bd_ipmn", "present"),
        (4.0, "bd_ipmn", "present"),
    ]


def test_a_cystic_lymph_node_is_no_cyst() -> None:
    assert not run(
        "CT: Cystic lymph node adjacent to the pancreatic head, 1.5 cm, likely necrotic metastasis."
    ).pcl_present


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "IMPRESSION: Mixed type IPMN in pancreatic head with enhancing mural nodule (8mm).\nFindings:\nPancreas:"
            " Multilocular cystic lesion is seen in pancreatic head, 31mm in size.",
            [(31.0, "head", "mixed_ipmn")],
        ),
        (
            "Impression: Multiple small presumed side-branch IPMNs, stable.\nFindings: Several small cysts are again"
            " seen in the pancreatic head, neck and body, the largest measuring 9 mm in the neck, previously 8 mm.",
            [(9.0, "neck", "bd_ipmn")],
        ),
    ],
)
def test_findings_after_an_impression_written_first_describe_its_lesions(
    text: str, expected: list[tuple[float, str, str]]
) -> None:
    assert [(x.size_mm, x.location, x.presumed_type) for x in run(text).lesions] == expected


def test_a_report_whose_line_breaks_were_lost_keeps_its_sections() -> None:
    text = (
        "EXAM: CT ABDOMEN. INDICATION: Follow-up of a 12 mm pancreatic tail cyst. COMPARISONS: None available."
        " FINDINGS Status post cholecystectomy. There is a 14 mm cyst in the pancreatic tail. IMPRESSION An about"
        " 14 mm pancreatic tail cyst."
    )
    ext = run(text)
    assert [(x.size_mm, x.location, x.prior_size_mm) for x in ext.lesions] == [(14.0, "tail", 12.0)]


def test_an_impression_first_lesion_is_the_numbered_findings_cyst_it_measures() -> None:
    text = (
        "Impression:\n1. 0.7 x 0.3 cm pancreatic tail cystic lesion.\n2. Pancreatic head-neck junction cystic lesion,"
        " 2.2 cm, compatible with a side-branch IPMN.\nFindings:\nPancreatic cyst(s):\nNumber of cysts: 2\nCyst 1:\n"
        "Location: tail\nLargest dimension: 0.7x0.3 cm\nSeptations: present\nCyst 2:\nLocation: head-neck junction\n"
        "Largest dimension: 2.2 centimeters\nPrevious size: 1.9 cm (8/26/2023)\nWall thickening: not thickened\n"
    )
    ext = run(text)
    assert [(x.size_mm, x.location) for x in ext.lesions] == [(7.0, "tail"), (22.0, "neck")]
    assert [x.prior_size_mm for x in ext.lesions] == [None, 19.0]


def test_the_largest_after_a_duct_measures_the_cysts() -> None:
    text = (
        "MRI: The pancreatic duct is diffusely dilated to 6 mm. There are multiple cystic lesions along the main duct"
        " in the head and body, the largest 1.5 cm in the head, which communicate with the duct."
    )
    ext = run(text)
    assert (ext.lesions[0].size_mm, ext.mpd_diameter_mm) == (15.0, 6.0)
