"""`pancyst categorize` and `pancyst profiles` through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pancyst.cli import app
from pancyst.schema import ResultLine

runner = CliRunner()

LINES = [
    json.dumps(
        {
            "report_id": "r1",
            "pcl_present": True,
            "features": {
                "size_mm": 23,
                "location": "tail",
                "prior_size_mm": 18,
                "interval_months": 12,
                "mpd_diameter_mm": 3,
            },
            "patient_age": 70,
            "exam_date": "2024-03-01",
        }
    ),
    "{not json",
    json.dumps({"report_id": "r3", "pcl_present": False, "features": {"size_mm": 99}}),
    "",
    json.dumps({"report_id": "r4", "pcl_present": True, "features": {"size_mm": "big"}}),
    json.dumps({"report_id": "r5", "pcl_present": "yes"}),
    json.dumps({"pcl_present": True}),
    json.dumps({"report_id": "r1", "pcl_present": False}),
    json.dumps(
        {
            "report_id": "r8",
            "pcl_present": True,
            "features": {"size_mm": 12, "mural_nodule": "enhancing", "location": "head"},
            "jaundice": "maybe",
        }
    ),
    json.dumps(
        {"report_id": "r9", "pcl_present": True, "features": {"size_mm": 12}, "exam_date": "03/01/2024"}
    ),
    json.dumps([1, 2]),
    json.dumps(
        {
            "report_id": "r11",
            "pcl_present": True,
            "features": {"size_mm": 12, "location": "head"},
            "jaundice": True,
            "extra": 1,
        }
    ),
]


def _run(tmp_path: Path, *args: str) -> tuple[int, list[ResultLine], str]:
    src = tmp_path / "features.jsonl"
    src.write_text("\n".join(LINES) + "\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["categorize", str(src), "-o", str(out), *args])
    lines = (
        [ResultLine.model_validate_json(line) for line in out.read_text().splitlines()]
        if out.exists()
        else []
    )
    return result.exit_code, lines, result.output


def test_one_line_per_record_and_bad_lines_become_error_lines(tmp_path: Path) -> None:
    code, lines, output = _run(tmp_path)
    assert code == 1, output  # as extract: some lines carry errors, the output is still complete
    assert [line.report_id for line in lines] == [
        "r1",
        "line-2",
        "r3",
        "r4",
        "r5",
        "line-7",
        "r1",
        "r8",
        "r9",
        "line-11",
        "r11",
    ]
    by_pos = dict(enumerate(lines))
    good = by_pos[0]
    assert not good.errors
    assert good.extractor.name == "external" and good.extractor.version == "-"
    assert (good.guideline.profile, good.guideline.version) == ("acr2017", "1.1.0")
    assert good.derived is not None and good.derived.risk_category == 2
    assert good.derived.worrisome_features == ["growth"]
    assert good.derived.recommendation is not None and good.derived.recommendation.action == "eus_fna"
    assert good.lesions[0].size_mm == 23 and good.derived.index_lesion == 0
    assert str(good.exam_date) == "2024-03-01" and good.patient_age == 70
    no_pcl = by_pos[2]
    assert no_pcl.pcl_present is False and not no_pcl.errors
    assert no_pcl.features is not None and no_pcl.features.size_mm is None
    assert no_pcl.derived is not None and no_pcl.derived.risk_category is None
    errors = {n: line.errors for n, line in by_pos.items() if line.errors}
    assert sorted(errors) == [1, 3, 4, 5, 6, 7, 8, 9]
    assert "not valid JSON" in errors[1][0]
    assert "size_mm" in errors[3][0]
    assert "pcl_present" in errors[4][0]
    assert "report_id" in errors[5][0]
    assert "duplicate report_id 'r1'" in errors[6][0]
    assert "jaundice" in errors[7][0]
    assert "exam_date" in errors[8][0]
    assert "JSON object" in errors[9][0]
    for n in errors:
        assert by_pos[n].derived is None and by_pos[n].pcl_present is None
    jaundiced = by_pos[10]
    assert jaundiced.derived is not None and jaundiced.derived.risk_category == 3
    assert jaundiced.warnings[0] == "ignored key(s): extra"
    assert jaundiced.warnings[1].startswith("missing feature key(s), read as not stated: multiplicity")
    assert "11 line(s)" in output and "8 with errors" in output


def test_profile_option(tmp_path: Path) -> None:
    code, lines, _ = _run(tmp_path, "--profile", "fukuoka2017")
    assert code == 1  # the shared input holds malformed lines
    assert lines[0].guideline.profile == "fukuoka2017"
    # growth 5 mm in 12 months is a Fukuoka worrisome feature; ACR's percentage growth is not
    assert lines[0].derived is not None and lines[0].derived.worrisome_features == ["growth_5mm_in_2y"]


def test_bad_profile_and_missing_input(tmp_path: Path) -> None:
    code, lines, output = _run(tmp_path, "--profile", "nope")
    assert code == 2 and not lines and "unknown guideline profile 'nope'" in output
    result = runner.invoke(
        app, ["categorize", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o.jsonl")]
    )
    assert result.exit_code == 2 and "no such file" in result.output


def test_stdin(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    result = runner.invoke(app, ["categorize", "-", "-o", str(out)], input=LINES[0] + "\n")
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 1


def test_profiles_command() -> None:
    result = runner.invoke(app, ["profiles"])
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[0], r[1]) for r in rows] == [
        ("acr2017", "1.1.0"),
        ("european2018", "1.0.0"),
        ("fukuoka2017", "1.1.0"),
        ("kyoto2024", "1.0.0"),
    ]


def test_categorize_takes_surgical_candidacy_and_rejects_a_bad_value(tmp_path: Path) -> None:
    src = tmp_path / "c.jsonl"
    feats = {"size_mm": 12, "location": "body"}
    src.write_text(
        "\n".join(
            json.dumps({"report_id": rid, "pcl_present": True, "features": feats, "patient_age": 85, **extra})
            for rid, extra in [
                ("no", {"surgical_candidate": False}),
                ("unknown", {}),
                ("bad", {"surgical_candidate": "perhaps"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "o.jsonl"
    result = runner.invoke(app, ["categorize", str(src), "-o", str(out)])
    assert result.exit_code == 1, result.output  # the "bad" line
    lines = {
        r.report_id: r for r in (ResultLine.model_validate_json(x) for x in out.read_text().splitlines())
    }
    assert lines["no"].derived is not None and lines["no"].derived.recommendation is not None
    assert lines["no"].derived.recommendation.action == "no_surveillance"
    assert lines["unknown"].derived is not None and lines["unknown"].derived.recommendation is not None
    assert lines["unknown"].derived.recommendation.schedule == [(24, 2)]
    assert lines["bad"].errors and "surgical_candidate" in lines["bad"].errors[0]


def test_categorize_refuses_to_overwrite_its_input_by_path_or_hard_link(tmp_path: Path) -> None:
    src = tmp_path / "g.jsonl"
    src.write_text(LINES[0] + "\n", encoding="utf-8")
    before = src.read_bytes()
    result = runner.invoke(app, ["categorize", str(src), "-o", str(src)])
    assert result.exit_code == 2 and "would overwrite the input" in result.output
    link = tmp_path / "h.jsonl"
    link.hardlink_to(src)
    result = runner.invoke(app, ["categorize", str(link), "-o", str(src)])
    assert result.exit_code == 2 and "would overwrite the input" in result.output
    assert src.read_bytes() == before


def test_extract_refuses_a_hard_link_to_its_input_as_output(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"report_id": "a", "text": "5 mm cyst in the pancreatic tail."}) + "\n")
    before = src.read_bytes()
    link = tmp_path / "h.jsonl"
    link.hardlink_to(src)
    result = runner.invoke(app, ["extract", str(link), "-o", str(src), "--quiet"])
    assert result.exit_code == 2 and "would overwrite the input" in result.output
    assert src.read_bytes() == before


def test_categorize_rejects_true_as_a_size_and_names_missing_keys(tmp_path: Path) -> None:
    src = tmp_path / "c.jsonl"
    src.write_text(
        json.dumps({"report_id": "t", "pcl_present": True, "features": {"size_mm": True}})
        + "\n"
        + json.dumps({"report_id": "m", "pcl_present": True, "features": {"size_mm": 12, "location": "tail"}})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "o.jsonl"
    result = runner.invoke(app, ["categorize", str(src), "-o", str(out)])
    assert result.exit_code == 1
    t, m = (ResultLine.model_validate_json(x) for x in out.read_text().splitlines())
    assert t.errors and "size_mm must be a number" in t.errors[0]
    assert not m.errors and any("missing feature key(s)" in w and "mural_nodule" in w for w in m.warnings)
