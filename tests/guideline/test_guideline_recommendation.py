"""The ACR 2017 follow-up recommendation (SPEC §4 and its schedule table), every stratum and branch."""

from __future__ import annotations

from typing import Any

import pytest
from guideline_helpers import run

SIX_MONTHLY = [(6, 4), (12, 2), (24, 3)]
YEARLY = [(12, 5), (24, 2)]

# id, lesion, report kwargs (age defaults to 50), action, stratum, schedule
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str, str, list[tuple[int, int]]]] = [
    # order: pseudocyst before everything
    ("pseudocyst", {"size_mm": 40, "presumed_type": "pseudocyst"}, {}, "not_applicable", "pseudocyst", []),
    (
        "pseudocyst beats override",
        {"size_mm": 40, "presumed_type": "pseudocyst", "mural_nodule": "enhancing"},
        {},
        "not_applicable",
        "pseudocyst",
        [],
    ),
    # override, whatever size or age
    (
        "nonenhancing nodule",
        {"size_mm": 8, "mural_nodule": "nonenhancing"},
        {},
        "eus_fna_and_surgical_evaluation",
        "high-risk features",
        [],
    ),
    (
        "enhancing nodule",
        {"size_mm": 8, "mural_nodule": "enhancing"},
        {},
        "eus_fna_and_surgical_evaluation",
        "high-risk features",
        [],
    ),
    (
        "unspecified nodule",
        {"size_mm": 8, "mural_nodule": "present_unspecified"},
        {},
        "eus_fna_and_surgical_evaluation",
        "high-risk features",
        [],
    ),
    (
        "wall",
        {"size_mm": 8, "wall_thickening": "present"},
        {},
        "eus_fna_and_surgical_evaluation",
        "high-risk features",
        [],
    ),
    ("mpd 7", {"size_mm": 8}, {"mpd": 7}, "eus_fna_and_surgical_evaluation", "high-risk features", []),
    ("mpd 10", {"size_mm": 8}, {"mpd": 10}, "eus_fna_and_surgical_evaluation", "high-risk features", []),
    ("mpd 6.9", {"size_mm": 8}, {"mpd": 6.9}, "surveillance", "< 15 mm, age < 65", YEARLY),
    (
        "dilated, no diameter",
        {"size_mm": 8},
        {"dilated": "yes"},
        "eus_fna_and_surgical_evaluation",
        "high-risk features",
        [],
    ),
    (
        "dilated, 4 mm",
        {"size_mm": 8},
        {"dilated": "yes", "mpd": 4},
        "surveillance",
        "< 15 mm, age < 65",
        YEARLY,
    ),
    (
        "jaundice head",
        {"size_mm": 8, "location": "head"},
        {"jaundice": True},
        "eus_fna_and_surgical_evaluation",
        "high-risk features",
        [],
    ),
    (
        "jaundice tail",  # SPEC §4: jaundice overrides at any location (the stigma stays head/uncinate)
        {"size_mm": 8, "location": "tail"},
        {"jaundice": True},
        "eus_fna_and_surgical_evaluation",
        "high-risk features",
        [],
    ),
    (
        "override at 90",
        {"size_mm": 8, "wall_thickening": "present"},
        {"age": 90},
        "eus_fna_and_surgical_evaluation",
        "high-risk features, age >= 80",
        [],
    ),
    (
        "override, no age",
        {"size_mm": 8, "wall_thickening": "present"},
        {"age": None},
        "eus_fna_and_surgical_evaluation",
        "high-risk features",
        [],
    ),
    (
        "override, no size",
        {"wall_thickening": "present"},
        {},
        "eus_fna_and_surgical_evaluation",
        "high-risk features",
        [],
    ),
    (
        "override, serous",
        {"size_mm": 20, "presumed_type": "serous"},
        {"mpd": 8},
        "eus_fna_and_surgical_evaluation",
        "high-risk features",
        [],
    ),
    # serous
    ("serous", {"size_mm": 30, "presumed_type": "serous"}, {}, "no_surveillance", "serous cystadenoma", []),
    (
        "serous 41",
        {"size_mm": 41, "presumed_type": "serous"},
        {},
        "no_surveillance",
        "serous cystadenoma",
        [],
    ),
    (
        "serous, no age",
        {"size_mm": 20, "presumed_type": "serous"},
        {"age": None},
        "no_surveillance",
        "serous cystadenoma",
        [],
    ),
    # missing size, then missing age
    ("no size", {}, {}, "not_applicable", "size not stated", []),
    ("no size, no age", {}, {"age": None}, "not_applicable", "size not stated", []),
    ("no age", {"size_mm": 8}, {"age": None}, "age_needed", "age not known", []),
    # peripheral calcification
    (
        "> 25 peripheral calcification",
        {"size_mm": 25.1, "calcification": "peripheral"},
        {},
        "eus_fna_and_surgical_evaluation",
        "> 25 mm, peripheral calcification",
        [],
    ),
    (
        "25 peripheral calcification",
        {"size_mm": 25, "calcification": "peripheral"},
        {},
        "surveillance",
        "15-25 mm, communication absent or not stated",
        SIX_MONTHLY,
    ),
    (
        "> 25 central calcification",
        {"size_mm": 30, "calcification": "central"},
        {},
        "surveillance",
        "> 25 mm, age < 80",
        SIX_MONTHLY,
    ),
    (
        "> 25 peripheral calcification at 85",
        {"size_mm": 30, "calcification": "peripheral"},
        {"age": 85},
        "eus_fna_and_surgical_evaluation",
        "> 25 mm, peripheral calcification",
        [],
    ),
    # white dot and < 15 mm by age
    ("4.9", {"size_mm": 4.9}, {}, "surveillance", "< 5 mm (white dot)", [(24, 1)]),
    ("4.9 at 70", {"size_mm": 4.9}, {"age": 70}, "surveillance", "< 5 mm (white dot)", [(24, 1)]),
    ("5", {"size_mm": 5}, {}, "surveillance", "< 15 mm, age < 65", YEARLY),
    ("14.9 at 64", {"size_mm": 14.9}, {"age": 64}, "surveillance", "< 15 mm, age < 65", YEARLY),
    ("14.9 at 64.9", {"size_mm": 14.9}, {"age": 64.9}, "surveillance", "< 15 mm, age < 65", YEARLY),
    ("14.9 at 65", {"size_mm": 14.9}, {"age": 65}, "surveillance", "< 15 mm, age 65-79", [(24, 5)]),
    ("14.9 at 79", {"size_mm": 14.9}, {"age": 79}, "surveillance", "< 15 mm, age 65-79", [(24, 5)]),
    ("14.9 at 80", {"size_mm": 14.9}, {"age": 80}, "surveillance", "age >= 80", [(24, 2)]),
    ("4 at 80", {"size_mm": 4}, {"age": 80}, "surveillance", "age >= 80", [(24, 2)]),
    # 15-25 mm by communication
    (
        "15 communicating",
        {"size_mm": 15, "mpd_communication": "present"},
        {},
        "surveillance",
        "15-19 mm, communication present",
        YEARLY,
    ),
    (
        "19.9 communicating",
        {"size_mm": 19.9, "mpd_communication": "present"},
        {},
        "surveillance",
        "15-19 mm, communication present",
        YEARLY,
    ),
    (
        "20 communicating",
        {"size_mm": 20, "mpd_communication": "present"},
        {},
        "surveillance",
        "20-25 mm, communication present",
        SIX_MONTHLY,
    ),
    (
        "25 communicating",
        {"size_mm": 25, "mpd_communication": "present"},
        {},
        "surveillance",
        "20-25 mm, communication present",
        SIX_MONTHLY,
    ),
    (
        "15 communicating at 70",
        {"size_mm": 15, "mpd_communication": "present"},
        {"age": 70},
        "surveillance",
        "15-19 mm, communication present",
        YEARLY,
    ),
    (
        "15 not communicating",
        {"size_mm": 15, "mpd_communication": "absent"},
        {},
        "surveillance",
        "15-25 mm, communication absent or not stated",
        SIX_MONTHLY,
    ),
    (
        "19.9 communication not stated",
        {"size_mm": 19.9},
        {},
        "surveillance",
        "15-25 mm, communication absent or not stated",
        SIX_MONTHLY,
    ),
    (
        "25 not communicating",
        {"size_mm": 25, "mpd_communication": "absent"},
        {},
        "surveillance",
        "15-25 mm, communication absent or not stated",
        SIX_MONTHLY,
    ),
    # > 25 mm
    ("25.1", {"size_mm": 25.1}, {}, "surveillance", "> 25 mm, age < 80", SIX_MONTHLY),
    (
        "25.1 communicating",
        {"size_mm": 25.1, "mpd_communication": "present"},
        {},
        "surveillance",
        "> 25 mm, age < 80",
        SIX_MONTHLY,
    ),
    ("40 at 79", {"size_mm": 40}, {"age": 79}, "surveillance", "> 25 mm, age < 80", SIX_MONTHLY),
    ("40 at 80", {"size_mm": 40}, {"age": 80}, "surveillance", "age >= 80", [(24, 2)]),
    # growth branches
    ("< 5 grew", {"size_mm": 4.5, "prior_size_mm": 2}, {}, "surveillance", "< 15 mm, growth", [(12, 10)]),
    ("< 15 grew", {"size_mm": 12, "prior_size_mm": 8}, {}, "surveillance", "< 15 mm, growth", [(12, 10)]),
    (
        "< 15 grew at 70",
        {"size_mm": 12, "prior_size_mm": 8},
        {"age": 70},
        "surveillance",
        "< 15 mm, growth",
        [(12, 10)],
    ),
    (
        "< 15 not grown",
        {"size_mm": 11.9, "prior_size_mm": 8},
        {},
        "surveillance",
        "< 15 mm, age < 65",
        YEARLY,
    ),
    (
        "15-19 grew",
        {"size_mm": 19, "prior_size_mm": 15.5},
        {},
        "surveillance",
        "15-19 mm, growth",
        SIX_MONTHLY,
    ),
    (
        "15-19 grew communicating",
        {"size_mm": 19, "prior_size_mm": 15.5, "mpd_communication": "present"},
        {},
        "surveillance",
        "15-19 mm, growth",
        SIX_MONTHLY,
    ),
    ("grew to 20", {"size_mm": 20, "prior_size_mm": 13}, {}, "eus_fna", "15-25 mm, growth, >= 20 mm", []),
    ("grew from 20", {"size_mm": 24, "prior_size_mm": 20}, {}, "eus_fna", "15-25 mm, growth, >= 20 mm", []),
    ("grew to 25", {"size_mm": 25, "prior_size_mm": 16}, {}, "eus_fna", "15-25 mm, growth, >= 20 mm", []),
    (
        "20-25 not grown",
        {"size_mm": 23.9, "prior_size_mm": 20, "mpd_communication": "present"},
        {},
        "surveillance",
        "20-25 mm, communication present",
        SIX_MONTHLY,
    ),
    (
        "grew to 25.1",
        {"size_mm": 25.1, "prior_size_mm": 20},
        {},
        "eus_fna_and_surgical_evaluation",
        "> 25 mm, growth",
        [],
    ),
    (
        "grew to 40",
        {"size_mm": 40, "prior_size_mm": 30},
        {},
        "eus_fna_and_surgical_evaluation",
        "> 25 mm, growth",
        [],
    ),
    (
        "> 25 not grown",
        {"size_mm": 35, "prior_size_mm": 30},
        {},
        "surveillance",
        "> 25 mm, age < 80",
        SIX_MONTHLY,
    ),
    (
        "80, <= 25 grew",
        {"size_mm": 25, "prior_size_mm": 20},
        {"age": 80},
        "surveillance",
        "age >= 80, <= 25 mm, growth",
        [(12, 1)],
    ),
    (
        "80, small grew",
        {"size_mm": 6, "prior_size_mm": 2},
        {"age": 85},
        "surveillance",
        "age >= 80, <= 25 mm, growth",
        [(12, 1)],
    ),
    (
        "80, > 25 grew",
        {"size_mm": 25.1, "prior_size_mm": 20},
        {"age": 80},
        "eus_fna_and_surgical_evaluation",
        "age >= 80, > 25 mm, growth",
        [],
    ),
    (
        "80, 25 not grown",
        {"size_mm": 25, "prior_size_mm": 24},
        {"age": 80},
        "surveillance",
        "age >= 80",
        [(24, 2)],
    ),
    (
        "79, > 25 grew",
        {"size_mm": 26, "prior_size_mm": 20},
        {"age": 79},
        "eus_fna_and_surgical_evaluation",
        "> 25 mm, growth",
        [],
    ),
]


@pytest.mark.parametrize(
    ("lesion", "report", "action", "stratum", "schedule"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_acr_recommendation(
    lesion: dict[str, Any], report: dict[str, Any], action: str, stratum: str, schedule: list[tuple[int, int]]
) -> None:
    rec = run(lesion, **report).recommendation
    assert rec is not None
    assert (rec.action, rec.stratum, rec.schedule) == (action, stratum, schedule)
    assert rec.text


def test_texts_say_what_is_missing_or_possible() -> None:
    texts = {
        "age": run({"size_mm": 8}, age=None),
        "size": run({}),
        "serous": run({"size_mm": 41, "presumed_type": "serous"}),
        "fna_alt": run({"size_mm": 18}),
    }
    rec = {k: v.recommendation for k, v in texts.items()}
    assert all(r is not None for r in rec.values())
    assert "patient age needed" in rec["age"].text  # type: ignore[union-attr]
    assert "size" in rec["size"].text.lower()  # type: ignore[union-attr]
    assert "40 mm" in rec["serous"].text and "resection" in rec["serous"].text  # type: ignore[union-attr]
    assert "EUS-FNA" in rec["fna_alt"].text  # type: ignore[union-attr]


def test_recommendation_follows_the_index_lesion() -> None:
    derived = run([{"size_mm": 4, "location": "tail"}, {"size_mm": 31, "location": "body"}], age=70)
    assert derived.index_lesion == 1  # size >= 30 is a worrisome feature
    assert derived.recommendation is not None
    assert derived.recommendation.stratum == "> 25 mm, age < 80"


def test_fukuoka_reuses_the_acr_recommendation() -> None:
    acr = run({"size_mm": 18, "mpd_communication": "present"}, age=70)
    fuk = run({"size_mm": 18, "mpd_communication": "present"}, age=70, profile="fukuoka2017")
    assert acr.recommendation == fuk.recommendation
    # Fukuoka's 5 mm duct is a worrisome feature, but ACR's override starts at 7 mm
    fuk6 = run({"size_mm": 18}, mpd=6, profile="fukuoka2017")
    assert fuk6.risk_category == 2
    assert fuk6.recommendation is not None and fuk6.recommendation.action == "surveillance"
