"""The kyoto2024 and european2018 profiles: every stigma, worrisome feature / indication and
recommendation branch, from the sources cited in the profiles and docs/guidelines.md."""

from __future__ import annotations

from typing import Any

import pytest
from guideline_helpers import run

# id, lesion, report kwargs, expected category, fired rule (or None), action, schedule
KYOTO: list[
    tuple[str, dict[str, Any], dict[str, Any], int | None, str | None, str, list[tuple[int, int]]]
] = [
    ("small", {"size_mm": 12}, {}, 1, None, "surveillance", [(6, 1), (18, 7)]),
    ("19.9", {"size_mm": 19.9}, {}, 1, None, "surveillance", [(6, 1), (18, 7)]),
    ("20", {"size_mm": 20}, {}, 1, None, "surveillance", [(6, 2), (12, 9)]),
    ("29.9", {"size_mm": 29.9}, {}, 1, None, "surveillance", [(6, 2), (12, 9)]),
    ("30 is worrisome", {"size_mm": 30}, {}, 2, "size_ge_30mm", "eus_fna", []),
    ("wall", {"size_mm": 12, "wall_thickening": "present"}, {}, 2, "wall_thickening", "eus_fna", []),
    ("mpd 5", {"size_mm": 12}, {"mpd": 5.0}, 2, "mpd_5_to_10mm", "eus_fna", []),
    ("mpd 4.9", {"size_mm": 12}, {"mpd": 4.9}, 1, None, "surveillance", [(6, 1), (18, 7)]),
    ("mpd 10", {"size_mm": 12}, {"mpd": 10.0}, 3, "mpd_ge_10mm", "eus_fna_and_surgical_evaluation", []),
    (
        "enhancing nodule 6 mm",
        {"size_mm": 12, "mural_nodule": "enhancing", "nodule_size_mm": 6},
        {},
        3,
        "enhancing_nodule_ge_5mm",
        "eus_fna_and_surgical_evaluation",
        [],
    ),
    (
        "enhancing nodule 3 mm",
        {"size_mm": 12, "mural_nodule": "enhancing", "nodule_size_mm": 3},
        {},
        2,
        "enhancing_nodule_lt_5mm",
        "eus_fna",
        [],
    ),
    (
        "growth 3 mm/y",
        {"size_mm": 15, "prior_size_mm": 12, "interval_months": 12},
        {},
        2,
        "growth_rate_ge_2_5mm_per_year",
        "eus_fna",
        [],
    ),
    (
        "growth 2 mm/y",
        {"size_mm": 14, "prior_size_mm": 12, "interval_months": 12},
        {},
        1,
        None,
        "surveillance",
        [(6, 1), (18, 7)],
    ),
    ("ca19-9 37", {"size_mm": 12}, {"clinical": {"ca19_9": 37}}, 2, "ca19_9_elevated", "eus_fna", []),
    ("ca19-9 20", {"size_mm": 12}, {"clinical": {"ca19_9": 20}}, 1, None, "surveillance", [(6, 1), (18, 7)]),
    (
        "pancreatitis",
        {"size_mm": 12},
        {"clinical": {"acute_pancreatitis": True}},
        2,
        "acute_pancreatitis",
        "eus_fna",
        [],
    ),
    (
        "diabetes",
        {"size_mm": 12},
        {"clinical": {"new_onset_diabetes": True}},
        2,
        "new_onset_diabetes",
        "eus_fna",
        [],
    ),
    (
        "jaundice head",
        {"size_mm": 12, "location": "head"},
        {"jaundice": True},
        3,
        "jaundice_head_lesion",
        "eus_fna_and_surgical_evaluation",
        [],
    ),
    ("serous", {"size_mm": 45, "presumed_type": "serous"}, {}, 2, "size_ge_30mm", "no_surveillance", []),
    ("pseudocyst", {"size_mm": 45, "presumed_type": "pseudocyst"}, {}, 2, None, "not_applicable", []),
    ("not a candidate", {"size_mm": 12}, {"candidate": False}, 1, None, "no_surveillance", []),
    ("no age needed", {"size_mm": 12}, {"age": None}, 1, None, "surveillance", [(6, 1), (18, 7)]),
    ("no size", {}, {}, 1, None, "not_applicable", []),
]

EUROPEAN: list[
    tuple[str, dict[str, Any], dict[str, Any], int | None, str | None, str, list[tuple[int, int]]]
] = [
    ("small", {"size_mm": 12}, {}, 1, None, "surveillance", [(6, 2), (12, 9)]),
    ("39.9", {"size_mm": 39.9}, {}, 1, None, "surveillance", [(6, 2), (12, 9)]),
    ("40", {"size_mm": 40}, {}, 2, "size_ge_40mm", "eus_fna_and_surgical_evaluation", []),
    ("mpd 5", {"size_mm": 12}, {"mpd": 5.0}, 2, "mpd_5_to_10mm", "eus_fna_and_surgical_evaluation", []),
    ("mpd 9.9", {"size_mm": 12}, {"mpd": 9.9}, 2, "mpd_5_to_10mm", "eus_fna_and_surgical_evaluation", []),
    ("mpd 10", {"size_mm": 12}, {"mpd": 10.0}, 3, "mpd_ge_10mm", "eus_fna_and_surgical_evaluation", []),
    (
        "growth 5 mm/y",
        {"size_mm": 17, "prior_size_mm": 12, "interval_months": 12},
        {},
        2,
        "growth_ge_5mm_per_year",
        "eus_fna_and_surgical_evaluation",
        [],
    ),
    (
        "growth 4 mm/y",
        {"size_mm": 16, "prior_size_mm": 12, "interval_months": 12},
        {},
        1,
        None,
        "surveillance",
        [(6, 2), (12, 9)],
    ),
    (
        "enhancing nodule 5 mm",
        {"size_mm": 12, "mural_nodule": "enhancing", "nodule_size_mm": 5},
        {},
        3,
        "enhancing_nodule_ge_5mm",
        "eus_fna_and_surgical_evaluation",
        [],
    ),
    (
        "enhancing nodule 4 mm",
        {"size_mm": 12, "mural_nodule": "enhancing", "nodule_size_mm": 4},
        {},
        2,
        "enhancing_nodule_lt_5mm",
        "eus_fna_and_surgical_evaluation",
        [],
    ),
    (
        "ca19-9 37",
        {"size_mm": 12},
        {"clinical": {"ca19_9": 37}},
        2,
        "ca19_9_ge_37",
        "eus_fna_and_surgical_evaluation",
        [],
    ),
    (
        "diabetes",
        {"size_mm": 12},
        {"clinical": {"new_onset_diabetes": True}},
        2,
        "new_onset_diabetes",
        "eus_fna_and_surgical_evaluation",
        [],
    ),
    (
        "pancreatitis",
        {"size_mm": 12},
        {"clinical": {"acute_pancreatitis": True}},
        2,
        "acute_pancreatitis",
        "eus_fna_and_surgical_evaluation",
        [],
    ),
    (
        "jaundice uncinate",
        {"size_mm": 12, "location": "uncinate"},
        {"jaundice": True},
        3,
        "jaundice_head_lesion",
        "eus_fna_and_surgical_evaluation",
        [],
    ),
    ("serous", {"size_mm": 30, "presumed_type": "serous"}, {}, 1, None, "no_surveillance", []),
    ("not a candidate", {"size_mm": 12}, {"candidate": False}, 1, None, "no_surveillance", []),
    ("no age needed", {"size_mm": 12}, {"age": None}, 1, None, "surveillance", [(6, 2), (12, 9)]),
    ("no size", {}, {}, 1, None, "not_applicable", []),
]


BRANCHES = [("kyoto2024", *case) for case in KYOTO] + [("european2018", *case) for case in EUROPEAN]


@pytest.mark.parametrize(
    ("profile", "name", "lesion", "report", "category", "fired", "action", "schedule"),
    BRANCHES,
    ids=[f"{c[0]}:{c[1]}" for c in BRANCHES],
)
def test_every_branch(profile: str, name: str, lesion: dict[str, Any], report: dict[str, Any],
                      category: int | None, fired: str | None, action: str,
                      schedule: list[tuple[int, int]]) -> None:  # fmt: skip
    d = run(lesion, profile=profile, **report)
    assert d.risk_category == category
    if fired is not None:
        assert fired in d.high_risk_stigmata + d.worrisome_features
    elif category == 1:
        assert d.high_risk_stigmata == d.worrisome_features == []
    assert d.recommendation is not None
    assert (d.recommendation.action, d.recommendation.schedule) == (action, schedule)


def test_a_relative_indication_lists_surveillance_as_the_alternative() -> None:
    rec = run({"size_mm": 45}, profile="european2018").recommendation
    assert rec is not None and rec.alternatives == ["surveillance"] and "6 months" in rec.text


@pytest.mark.parametrize("profile", ["kyoto2024", "european2018"])
def test_clinical_inputs_not_given_are_listed_as_assumed_absent(profile: str) -> None:
    d = run({"size_mm": 12}, profile=profile, clinical={"ca19_9": 12.0})
    assert d.assumed_absent == ["acute_pancreatitis", "new_onset_diabetes"]
    entry = next(e for e in d.trace if e.rule == "assumed_absent")
    assert "taken as absent" in entry.effect
    assert run({"size_mm": 12}, profile="acr2017").assumed_absent == []


def test_the_new_profiles_are_listed_and_usable_from_the_cli() -> None:
    from typer.testing import CliRunner

    from pancyst.cli import app

    out = CliRunner().invoke(app, ["profiles"])
    assert out.exit_code == 0 and "kyoto2024" in out.output and "european2018" in out.output


def test_extract_and_categorize_take_the_profiles_and_clinical_columns(tmp_path: Any) -> None:
    import json

    from typer.testing import CliRunner

    from pancyst.cli import app
    from pancyst.schema import ResultLine

    runner = CliRunner()
    src = tmp_path / "r.csv"
    src.write_text(
        "report_id,text,patient_age,ca19_9\n"
        'a,"FINDINGS: 12 mm cyst in the pancreatic tail.",60,52\n'
        'b,"FINDINGS: 12 mm cyst in the pancreatic tail.",60,\n',
        encoding="utf-8",
    )
    out = tmp_path / "o.jsonl"
    res = runner.invoke(app, ["extract", str(src), "-o", str(out), "--profile", "kyoto2024", "--quiet"])
    assert res.exit_code == 0, res.output
    lines = [ResultLine.model_validate_json(x) for x in out.read_text().splitlines()]
    assert lines[0].guideline.profile == "kyoto2024"
    assert lines[0].derived is not None and "ca19_9_elevated" in lines[0].derived.worrisome_features
    assert lines[1].derived is not None and lines[1].derived.risk_category == 1
    assert "ca19_9" in lines[1].derived.assumed_absent
    feats = tmp_path / "f.jsonl"
    feats.write_text(
        json.dumps({"report_id": "x", "pcl_present": True, "features": {"size_mm": 12}, "ca19_9": 40}) + "\n"
    )
    out2 = tmp_path / "c.jsonl"
    res = runner.invoke(app, ["categorize", str(feats), "-o", str(out2), "--profile", "european2018"])
    assert res.exit_code == 0, res.output
    line = ResultLine.model_validate_json(out2.read_text().splitlines()[0])
    assert line.derived is not None and line.derived.worrisome_features == ["ca19_9_ge_37"]
