"""Rules backend, second round: duct segment lists, prior cues, templates, apposition, solid neighbours."""

import time

import pytest

from pancyst.extract.rules import MAX_MENTIONS, RulesExtractor
from pancyst.schema import Extraction, Lesion, ReportInput, check_spans

EXT = RulesExtractor()


def run(text: str) -> Extraction:
    ext = EXT.extract(ReportInput(report_id="t", text=text))
    check_spans(text, ext)
    return ext


def index(text: str) -> Lesion:
    ext = run(text)
    assert ext.pcl_present, text
    return max(ext.lesions, key=lambda les: les.size_mm or 0)


@pytest.mark.parametrize(
    ("text", "diameter"),
    [
        ("PANCREAS: 9 mm cyst in the tail. Pancreatic duct 2 mm in the head and 4 mm in the tail.", 4.0),
        ("PANCREAS: 9 mm cyst in the tail. Wirsung duct: 1.5 mm at the head, 3.5 mm at the body.", 3.5),
        ("PANCREAS: 9 mm cyst in the tail. MPD 2 mm head, 3 mm body, 5 mm tail.", 5.0),
    ],
)
def test_duct_measured_per_segment_takes_the_largest(text: str, diameter: float) -> None:
    ext = run(text)
    assert ext.mpd_diameter_mm == diameter
    assert [les.size_mm for les in ext.lesions] == [9.0]  # the segment sizes are not cyst sizes


def test_heading_that_names_the_duct_measures_nothing() -> None:
    ext = run("PANCREAS/PANCREATIC DUCT: A 12 mm unilocular, thin-walled cyst in the tail.")
    assert ext.mpd_diameter_mm is None
    assert ext.lesions[0].size_mm == 12.0


def test_duct_named_as_communication_target_is_not_measured() -> None:
    ext = run("A 2.4 cm cyst in the pancreatic body connects to the main duct and measured 2.2 cm in 2021.")
    assert ext.mpd_diameter_mm is None
    assert (
        index(
            "A 2.4 cm cyst in the pancreatic body connects to the main duct and measured 2.2 cm in 2021."
        ).prior_size_mm
        == 22.0
    )


@pytest.mark.parametrize(
    ("text", "prior", "interval"),
    [
        ("Pancreatic body cyst of 14 mm, compared to 11 mm two years ago.", 11.0, 24.0),
        ("Pancreatic body cyst of 14 mm. Prior measurement 12 mm, 8 months ago.", 12.0, 8.0),
        ("Pancreatic body cyst of 14 mm. It measured 10 mm on the study of 18 months ago.", 10.0, 18.0),
        ("Pancreatic body cyst of 14 mm, without mural nodule (previously 13 mm one year ago).", 13.0, 12.0),
    ],
)
def test_prior_size_cues(text: str, prior: float, interval: float) -> None:
    les = index(text)
    assert (les.size_mm, les.prior_size_mm, les.stated_interval_months) == (14.0, prior, interval)
    assert les.mural_nodule in ("not_stated", "absent") and les.nodule_size_mm is None


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("smooth", "absent"),
        ("not thickened", "absent"),
        ("thickened and enhancing", "present"),
        ("none", "absent"),
    ],
)
def test_template_wall_answer_decides(answer: str, value: str) -> None:
    text = f"Pancreatic cyst:\nLocation: tail\nSize: 11 mm\nWall thickening: {answer}\n"
    assert index(text).wall_thickening == value


def test_template_septation_label_is_not_a_finding() -> None:
    les = index(
        "Pancreatic cyst:\nLocation: head\nSize: 8 mm\nSeptations: unilocular\nMain duct communication: no\n"
    )
    assert (les.septations, les.mpd_communication) == ("absent", "absent")


def test_template_lists_numbered_cysts_separately() -> None:
    text = (
        "Pancreatic cysts:\nCyst 1:\nLocation: head\nSize: 6 mm\nCyst 2:\nLocation: tail\nSize: 14 mm\n"
        "Cyst 3:\nLocation: body\nSize: 9 mm\n"
    )
    ext = run(text)
    assert sorted(les.size_mm or 0 for les in ext.lesions) == [6.0, 9.0, 14.0]


def test_template_title_and_indication_are_not_lesions() -> None:
    ext = run("EXAM: MRCP for cyst surveillance\nFINDINGS:\nPANCREATIC CYST WORKSHEET\nNo pancreatic cyst.\n")
    assert not ext.pcl_present


def test_apposition_names_the_same_lesion() -> None:
    ext = run(
        "A 16 mm cystic lesion at the junction of the pancreatic body and tail (presumed side-branch IPMN)."
    )
    assert len(ext.lesions) == 1
    les = ext.lesions[0]
    assert (les.location, les.presumed_type, les.mpd_communication) == ("body", "bd_ipmn", "present")


def test_solid_tumour_after_a_cyst_does_not_lend_its_enhancement() -> None:
    text = (
        "PANCREAS: 8 mm cyst in the pancreatic tail. A 12 mm arterially enhancing solid mass in the head, "
        "likely a neuroendocrine tumour."
    )
    les = index(text)
    assert (les.size_mm, les.mural_nodule) == (8.0, "not_stated")


def test_avidly_enhancing_nodule_size_is_not_a_cyst() -> None:
    ext = run("PANCREAS: 3 mm cyst in the tail with a 6 mm avidly enhancing mural nodule.")
    assert [les.size_mm for les in ext.lesions] == [3.0]
    assert (ext.lesions[0].mural_nodule, ext.lesions[0].nodule_size_mm) == ("enhancing", 6.0)


def test_statement_after_one_of_two_cysts_stays_with_it() -> None:
    text = "PANCREAS: 20 mm cyst in the head with thin septations. 7 mm cyst in the tail. No internal septations."
    ext = run(text)
    by_loc = {les.location: les for les in ext.lesions}
    assert (by_loc["head"].septations, by_loc["tail"].septations) == ("present", "absent")


def test_hedged_septation_counts_as_seen() -> None:
    assert index("A 2 cm pancreatic tail cyst. There is a possible thin septation.").septations == "present"


def test_different_sizes_in_one_region_are_two_lesions() -> None:
    text = "FINDINGS: 4 mm cyst in the pancreatic body. 9 mm cyst in the pancreatic body.\nIMPRESSION: 9 mm body cyst."
    ext = run(text)
    assert sorted(les.size_mm or 0 for les in ext.lesions) == [4.0, 9.0]


def test_main_duct_ipmn_is_its_own_lesion() -> None:
    text = "PANCREAS: 10 mm cyst in the tail. Diffuse dilatation of the main duct to 11 mm, compatible with main-duct IPMN."
    ext = run(text)
    assert sorted(les.presumed_type or "" for les in ext.lesions) == ["md_ipmn", "unspecified"]


def test_non_dilated_duct_is_not_dilated() -> None:
    assert (
        run("9 mm pancreatic head cyst. Non-dilated main pancreatic duct measuring 2 mm.").mpd_dilated == "no"
    )


def test_resolved_cyst_spanning_two_parts_is_history() -> None:
    text = "The previously seen 5 mm cyst at the junction of the pancreatic head and neck is no longer visualized."
    assert not run(text).pcl_present


def test_starred_addendum_header_corrects_location() -> None:
    text = (
        "FINDINGS: 3.4 cm cyst in the pancreatic body.\n*** ADDENDUM ***\n"
        "The cyst described above is located in the pancreatic head, not the body.\n"
    )
    ext = run(text)
    assert [(les.size_mm, les.location) for les in ext.lesions] == [(34.0, "head")]


def test_microcystic_lesion_is_a_cyst() -> None:
    assert (
        index("Pancreatic tail microcystic lesion of 14 mm, typical of serous cystadenoma.").presumed_type
        == "serous"
    )


def test_common_short_words_are_not_corrected() -> None:
    # "thin" is two edits from "tail" and sits next to "pancreatic", but it is a real word
    les = index("A 1 cm cyst in the pancreatic head with thin pancreatic parenchyma around it.")
    assert les.location == "head"


def test_mention_cap_warns_and_stays_linear() -> None:
    unit = "A 1.2 cm cyst in the pancreatic tail. "
    text = unit * (MAX_MENTIONS * 3)
    t0 = time.perf_counter()
    ext = run(text)
    assert time.perf_counter() - t0 < 5
    assert any("lesion mentions" in w for w in ext.warnings)


def test_one_long_sentence_is_cut() -> None:
    text = "pancreas cyst head with no wall and " * 30_000  # ~1 MB without a period
    t0 = time.perf_counter()
    run(text)
    assert time.perf_counter() - t0 < 5


def test_statement_about_all_cysts_reaches_each() -> None:
    text = (
        "PANCREAS:\n- Head: 8 mm cyst.\n- Tail: 13 mm cyst with a 3 mm non-enhancing nodule.\n"
        "Both cysts communicate with the main pancreatic duct.\n"
    )
    ext = run(text)
    assert [les.mpd_communication for les in ext.lesions] == ["present", "present"]


def test_group_after_one_cyst_is_a_second_lesion() -> None:
    text = "PANCREAS: 9 mm cyst in the body. Several subcentimeter cysts throughout the pancreas."
    ext = run(text)
    assert len(ext.lesions) == 2 and max(les.count for les in ext.lesions) >= 2


def test_size_after_nodule_with_a_prior_cue_is_the_prior() -> None:
    les = index(
        "16 mm cyst in the pancreatic head with a 5 mm enhancing mural nodule, measuring 9 mm on the study of 3/4/2020."
    )
    assert (les.size_mm, les.nodule_size_mm, les.prior_size_mm) == (16.0, 5.0, 9.0)


@pytest.mark.parametrize("answer", ["indeterminate", "cannot be determined", "not assessed"])
def test_template_uncertain_communication_is_not_stated(answer: str) -> None:
    les = index(f"Pancreatic cyst:\nLocation: body\nSize: 12 mm\nMPD communication: {answer}\n")
    assert les.mpd_communication == "not_stated"


def test_addendum_header_with_a_parenthesis() -> None:
    text = (
        "FINDINGS: 2.7 cm side-branch IPMN in the pancreatic head.\n"
        "ADDENDUM (same day): The cyst described above is located in the pancreatic tail, not the head.\n"
    )
    ext = run(text)
    assert [(les.size_mm, les.location) for les in ext.lesions] == [(27.0, "tail")]


def test_side_branch_sentence_is_not_the_cyst() -> None:
    les = index(
        "A 25 mm serous cystadenoma of the pancreas. A dilated side branch in the pancreatic body measures 3 mm."
    )
    assert (les.size_mm, les.location) == (25.0, "unspecified")


def test_solid_lesion_is_not_what_the_addendum_corrects() -> None:
    text = (
        "FINDINGS: 10 mm cystic lesion in the pancreatic tail. A 12 mm enhancing solid lesion in the pancreatic "
        "body, compatible with a neuroendocrine tumour.\nADDENDUM: the cystic lesion is in the body/tail "
        "junction rather than the tail.\n"
    )
    ext = run(text)
    assert [(les.size_mm, les.location) for les in ext.lesions] == [(10.0, "body")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "PANCREAS: Cysts in the pancreatic head and tail measure 8 and 5 mm, respectively.",
            [(8, "head"), (5, "tail")],
        ),
        (
            "Two cysts in the pancreatic head and body measuring 1.2 cm and 0.8 cm, respectively.",
            [(12, "head"), (8, "body")],
        ),
        (
            "Pancreatic cysts measuring 1.1 cm and 7 mm in the head and tail respectively.",
            [(11, "head"), (7, "tail")],
        ),
        (
            "Cystic lesions in the uncinate process and pancreatic body measure 1.5 x 1.2 cm and 0.9 x 0.7 cm, "
            "respectively.",
            [(15, "uncinate"), (9, "body")],
        ),
        ("There are two pancreatic cysts, in the head (9 mm) and tail (6 mm).", [(9, "head"), (6, "tail")]),
        (
            "Pancreas: Three cysts: head 5 mm, body 12 mm, tail 7 mm.",
            [(5, "head"), (12, "body"), (7, "tail")],
        ),
        (
            "Pancreas: Unchanged 6 mm and 4 mm cysts in the pancreatic head and neck.",
            [(6, "head"), (4, "neck")],
        ),
        ("Cysts in the pancreatic head and tail measuring 8 and 5 mm.", [(8, "head"), (5, "tail")]),
        # each size written before its own place
        (
            "Pancreas: Two pancreatic cysts: 9 mm in the neck and 6 mm in the uncinate process.",
            [(9, "neck"), (6, "uncinate")],
        ),
        (
            "Two pancreatic cysts measuring 8 mm in the pancreatic head and 5 mm in the tail of the pancreas.",
            [(8, "head"), (5, "tail")],
        ),
        (
            "PANCREAS: Three cysts, 4 mm within the head, 11 mm in the body and 6 mm in the tail.",
            [(4, "head"), (11, "body"), (6, "tail")],
        ),
    ],
)
def test_group_sentence_gives_each_place_its_size(text: str, expected: list[tuple[float, str]]) -> None:
    ext = run(text)
    assert [(les.size_mm, les.location) for les in ext.lesions] == expected
    assert ext.multiplicity == "multiple"


@pytest.mark.parametrize(
    "text",
    [
        "PANCREAS: Two cysts, the larger 9 mm in the neck; the other in the tail.",  # one size, two places
        "PANCREAS: Cysts in the head and tail, the largest 9 mm in the head.",
    ],
)
def test_sizes_that_do_not_pair_one_to_one_stay_one_group(text: str) -> None:
    ext = run(text)
    assert len([les for les in ext.lesions if les.size_mm is not None]) == 1


def test_respectively_pairs_priors_too() -> None:
    ext = run(
        "Pancreas: Two cystic lesions are seen in the pancreatic neck and tail, measuring 6 mm and 14 mm "
        "respectively, previously 5 mm and 10 mm."
    )
    assert [(les.size_mm, les.location, les.prior_size_mm) for les in ext.lesions] == [
        (6, "neck", 5),
        (14, "tail", 10),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # one size for a group, or places without their own sizes: one group lesion, as before
        "Redemonstrated multiple pancreatic cystic lesions, the largest in the tail measuring 1.8 cm.",
        "Innumerable cysts in the head and tail, up to 6 mm.",
        "Cysts in the head and tail measure 8, 6 and 5 mm, respectively.",  # three sizes, two places
    ],
)
def test_group_sentence_that_does_not_pair_up_stays_one_lesion(text: str) -> None:
    ext = run(text)
    assert len(ext.lesions) == 1 and ext.lesions[0].count >= 2


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        # as many sizes as the count: one lesion each (neither size is read as a count)
        ("Two tiny cysts in the body, 3 and 4 mm.", [1, 1]),
        ("3 cysts in the tail.", [3]),
    ],
)
def test_a_size_is_not_a_count(text: str, counts: list[int]) -> None:
    ext = run(text)
    assert [les.count for les in ext.lesions] == counts and ext.multiplicity == "multiple"


def test_size_before_a_plural_cyst_word_is_not_its_count() -> None:
    les = run("Pancreas: Stable 1.4 cm cysts in the tail.").lesions
    assert [(x.size_mm, x.count) for x in les] == [(14, 2)]


def test_addendum_that_calls_the_lesion_solid_not_a_cyst_retracts() -> None:
    ext = run(
        "FINDINGS:\nPANCREAS: 1.4 cm cyst in the pancreatic head.\nADDENDUM: The lesion in the pancreatic head is "
        "solid and enhancing, consistent with a neuroendocrine tumor, not a cyst."
    )
    assert not ext.pcl_present and ext.lesions == []


def test_addendum_denying_a_cyst_of_another_organ_retracts_nothing() -> None:
    ext = run(
        "FINDINGS:\nPANCREAS: 1.4 cm cyst in the pancreatic head.\nLIVER: 2 cm lesion in segment 6.\n"
        "ADDENDUM: The hepatic lesion is a hemangioma, not a cyst."
    )
    assert ext.pcl_present and [les.size_mm for les in ext.lesions] == [14.0]


def test_cystic_component_of_a_solid_tumour_in_the_next_sentence_is_no_pcl() -> None:
    ext = run(
        "Pancreas: 3.5 cm hypoenhancing mass in the pancreatic head with upstream ductal dilatation to 6 mm, "
        "consistent with adenocarcinoma. Small cystic component."
    )
    assert not ext.pcl_present


def test_focus_that_likely_represents_a_cyst_is_one() -> None:
    ext = run(
        "Pancreas: No suspicious pancreatic lesion. Tiny 2 mm hypoattenuating focus in the pancreatic head is too "
        "small to characterize but likely represents a small cyst."
    )
    assert [(les.size_mm, les.location) for les in ext.lesions] == [(2.0, "head")]


def test_sized_lesion_after_a_group_of_cystic_lesions_is_one_of_them() -> None:
    ext = run(
        "PANCREAS: Multiple T2 hyperintense cystic lesions throughout the pancreas, compatible with multifocal "
        "side-branch IPMN. The dominant lesion in the pancreatic head measures 2.2 cm. A 9 mm lesion in the tail "
        "is unchanged."
    )
    assert (9.0, "tail") in [(les.size_mm, les.location) for les in ext.lesions]


def test_enhancing_lesion_after_a_group_of_cysts_is_not_a_cyst() -> None:
    ext = run("PANCREAS: Multiple small cysts. A 2 cm hypoenhancing lesion in the tail.")
    assert (20.0, "tail") not in [(les.size_mm, les.location) for les in ext.lesions]


@pytest.mark.parametrize(
    ("text", "comm"),
    [
        ("Pancreas: 14 mm cyst in the head, separate from the main pancreatic duct.", "absent"),
        ("Pancreas: 14 mm cyst in the head, distinct from the duct.", "absent"),
        ("Pancreas: 14 mm cyst in the head which communicates with the main duct.", "present"),
    ],
)
def test_cyst_separate_from_the_duct_does_not_communicate(text: str, comm: str) -> None:
    assert index(text).mpd_communication == comm


def test_cyst_of_no_known_organ_is_no_pcl_on_its_own() -> None:
    ext = run("FINDINGS:\nPancreas: Normal.\nIMPRESSION: 1. Stable 1 cm cyst.")
    assert not ext.pcl_present


def test_cyst_of_no_known_organ_describes_the_pancreatic_lesion_of_its_size() -> None:
    ext = run("FINDINGS: 2 cm cyst with thin septations.\nIMPRESSION: 2 cm pancreatic cyst in the body.")
    assert [(les.size_mm, les.location, les.septations) for les in ext.lesions] == [(20.0, "body", "present")]


def test_duct_a_cyst_abuts_is_a_landmark_not_its_organ() -> None:
    les = index(
        "Findings: There is a 2.5 cm cystic lesion in the uncinate process with a few thin septations, abutting "
        "the distal common bile duct."
    )
    assert (les.size_mm, les.location) == (25.0, "uncinate")


@pytest.mark.parametrize(
    ("text", "multiplicity"),
    [
        ("Pancreas:\n-Cystic lesions: single, neck, 12 x 9 mm\n-Septations: none\n", "single"),
        (
            "Pancreas\n  Cystic lesions: 3.5 cm multiloculated cystic lesion in the pancreatic tail.\n",
            "single",
        ),
        ("Pancreas:\n- Cystic lesions: multiple, the largest 12 mm in the head.\n", "multiple"),
        ("Pancreas: Two cystic lesions: a 9 mm cyst in the head and a 4 mm cyst in the tail.", "multiple"),
    ],
)
def test_template_label_counts_nothing_its_answer_does(text: str, multiplicity: str) -> None:
    assert run(text).multiplicity == multiplicity


def test_abbreviated_prior_cue() -> None:
    les = index("Pancreas: multiple SB-IPMNs. Dominant head lesion 1.1cm (prev 1.0cm). Others <5mm.")
    assert (les.size_mm, les.prior_size_mm) == (11.0, 10.0)


def test_place_list_with_a_prior_after_each_size() -> None:
    ext = run("Panc: 3 cysts - head 7mm (prev 4mm), body 10mm (prev 10mm), tail 5mm (new). No solid comp.")
    assert [(les.location, les.size_mm, les.prior_size_mm) for les in ext.lesions] == [
        ("head", 7.0, 4.0),
        ("body", 10.0, 10.0),
        ("tail", 5.0, None),
    ]


def test_group_location_is_that_of_its_largest() -> None:
    les = run(
        "Findings: Several small cysts are again seen in the pancreatic head, neck and body, the largest measuring "
        "9 mm in the neck, previously 8 mm."
    ).lesions
    assert [(x.size_mm, x.location, x.prior_size_mm) for x in les] == [(9.0, "neck", 8.0)]


@pytest.mark.parametrize(
    ("text", "diameter"),
    [
        (
            "Pancreas:\n-Parenchyma: normal\n-Main duct caliber: 2 mm\n-Cystic lesions: single, neck, 12 mm\n",
            2.0,
        ),
        (
            "Several small cysts in the pancreatic head communicate with the main pancreatic duct, which measures 2 mm.",
            2.0,
        ),
        # past tense after a communication: the cyst's prior size, not the duct's
        (
            "A 4 mm cyst in the body, with a connection to the main duct, which measured 4 mm one year ago.",
            None,
        ),
    ],
)
def test_duct_diameter_in_templates_and_relative_clauses(text: str, diameter: float | None) -> None:
    assert run(text).mpd_diameter_mm == diameter


def test_listed_places_after_a_group_are_lesions_and_the_group_statement_reaches_them() -> None:
    ext = run(
        "PANCREAS: Again seen are multiple T2 hyperintense cystic lesions throughout the pancreas. Representative "
        "lesions:\n- Pancreatic tail: 2.1 cm, previously 2.1 cm.\n- Pancreatic head: 1.4 cm, previously 0.9 cm.\n"
        "Lesions communicate with the main pancreatic duct."
    )
    listed = [
        (les.location, les.size_mm, les.prior_size_mm, les.mpd_communication) for les in ext.lesions[1:]
    ]
    assert listed == [("tail", 21.0, 21.0, "present"), ("head", 14.0, 9.0, "present")]
    assert ext.multiplicity == "multiple"


def test_place_label_without_a_group_before_is_not_a_new_lesion() -> None:
    ext = run("PANCREAS: A 9 mm cyst.\nPancreatic tail: 9 mm, previously 8 mm.")
    assert [(les.size_mm, les.location, les.prior_size_mm) for les in ext.lesions] == [(9.0, "tail", 8.0)]


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        (
            "At the level of the pancreatic body is the cystic lesion of 2,3 cm. No endocystic vegetations.",
            "mural_nodule",
            "absent",
        ),
        ("Panc: 7mm cyst in the head. No solid comp. PD nl.", "mural_nodule", "absent"),
        (
            "Pancreatic head: a microcystic lesion of 2,5 cm with honeycomb aspect and a central scar.",
            "septations",
            "present",
        ),
        (
            "A 1.9 cm cystic lesion in the pancreatic tail is continuous with the dilated main duct.",
            "mpd_communication",
            "present",
        ),
        (
            "Multiple cystic lesions of the pancreas, referable to multifocal branch-type IPMN, the largest 2 cm.",
            "presumed_type",
            "bd_ipmn",
        ),
    ],
)
def test_translated_and_terse_vocabulary(text: str, field: str, value: str) -> None:
    assert getattr(index(text), field) == value


def test_negative_sentence_after_a_distributed_group_reaches_every_cyst() -> None:
    ext = run(
        "Multiple cystic lesions of the pancreas, the greater in the body of 1,4 cm and in the head of 1,1 cm. "
        "No parietal nodules."
    )
    assert [(les.location, les.mural_nodule) for les in ext.lesions] == [
        ("body", "absent"),
        ("head", "absent"),
    ]


def test_comparison_date_in_a_terse_preamble_is_not_the_exam_date() -> None:
    ext = run("CT A/P c+. Hx panc cysts.\nComp 1/5/22.\nPanc: 10mm cyst in body (prev 8mm).")
    assert ext.exam_date is None
    assert [(les.prior_size_mm, str(les.prior_exam_date)) for les in ext.lesions] == [(8.0, "2022-01-05")]


@pytest.mark.parametrize(
    "text", ["CT A/P. Hx panc cyst. Panc: normal.", "MRCP. H/o pancreatic cyst. Pancreas: unremarkable."]
)
def test_terse_history_is_not_a_finding(text: str) -> None:
    assert not run(text).pcl_present


def test_numbered_list_of_places_after_a_group() -> None:
    ext = run(
        "FINDINGS:\nPancreas: Several cysts are present:\n1. Head: 11 mm\n2. Body: 7 mm\n3. Tail: 4 mm\n"
        "No main duct dilatation."
    )
    assert [(les.location, les.size_mm) for les in ext.lesions if les.size_mm] == [
        ("head", 11.0),
        ("body", 7.0),
        ("tail", 4.0),
    ]
    assert ext.mpd_diameter_mm is None  # the duct sentence after the list measures nothing
