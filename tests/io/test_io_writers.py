from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fake_extractor_io import FakeExtractor

from pancyst.io.writers import (
    FLAT_COLUMN_NAMES,
    NOTE_NLP_COLUMN_NAMES,
    detect_output_format,
    flat_row,
    note_nlp_rows,
    open_writer,
)
from pancyst.pipeline import Pipeline
from pancyst.schema import ReportInput, ResultLine

NOW = dt.datetime(2025, 1, 2, 3, 4, 5)
TEXT_A = "FINDINGS: 2.3 cm cyst in the pancreatic tail.\nMain pancreatic duct 3 mm. Also 8 mm cyst head."
REPORTS = [
    ReportInput(report_id="a", text=TEXT_A, patient_age=70),
    ReportInput(report_id="b", text="Normal pancreas."),
    ReportInput(report_id="c", text="BOOM"),  # the fake backend fails on it
    ReportInput(report_id="d", text=""),
]


@pytest.fixture(scope="module")
def results() -> list[ResultLine]:
    return list(Pipeline(FakeExtractor()).run(REPORTS))


def _write(path: Path, fmt: str | None, results: list[ResultLine]) -> None:
    with open_writer(path, fmt, now=NOW) as writer:
        for report, result in zip(REPORTS, results, strict=True):
            writer.write(result, report.text)


def test_fixture_is_what_the_tests_assume(results: list[ResultLine]) -> None:
    a = results[0]
    assert a.pcl_present is True and a.features is not None and a.features.size_mm == 23.0
    assert len(a.lesions) == 2 and a.derived is not None and a.derived.index_lesion == 0
    assert results[2].errors and results[3].errors


def test_detect_output_format() -> None:
    assert [detect_output_format(p) for p in ("x.jsonl", "x.CSV", "x.parquet", "x.html", "-")] == [
        "jsonl",
        "csv",
        "parquet",
        "html",
        "jsonl",
    ]
    with pytest.raises(ValueError, match="--format"):
        detect_output_format("x.xlsx")
    with pytest.raises(ValueError, match="stdout"):
        open_writer("-", "csv")
    with pytest.raises(ValueError, match="unknown output format"):
        open_writer("x.out", "xml")


def test_jsonl_round_trip_and_flush_per_line(tmp_path: Path, results: list[ResultLine]) -> None:
    path = tmp_path / "sub" / "out.jsonl"
    writer = open_writer(path)
    writer.write(results[0], TEXT_A)
    # Flushed already: a crash now keeps this line.
    assert ResultLine.model_validate_json(path.read_text(encoding="utf-8").splitlines()[0]) == results[0]
    for result in results[1:]:
        writer.write(result)
    writer.close()
    writer.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [ResultLine.model_validate_json(line) for line in lines] == results


def test_flat_csv_one_row_per_report(tmp_path: Path, results: list[ResultLine]) -> None:
    path = tmp_path / "out.csv"
    _write(path, None, results)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(FLAT_COLUMN_NAMES)
    assert [r["report_id"] for r in rows] == ["a", "b", "c", "d"]
    a = rows[0]
    assert (a["pcl_present"], a["size_mm"], a["location"], a["mpd_diameter_mm"]) == (
        "true",
        "23.0",
        "tail",
        "3.0",
    )
    assert (a["n_lesions"], a["index_lesion"], a["patient_age"], a["extractor"]) == ("2", "0", "70.0", "fake")
    assert a["risk_category"] == str(results[0].derived.risk_category)  # type: ignore[union-attr]
    assert rows[1]["pcl_present"] == "false" and rows[1]["size_mm"] == ""
    assert rows[2]["pcl_present"] == "" and "model returned garbage" in rows[2]["errors"]
    assert rows[3]["errors"] == "empty report: no text to read"


def test_flat_row_joins_lists(results: list[ResultLine]) -> None:
    from pancyst.schema import Derived, Recommendation

    line = results[0].model_copy(
        update={
            "derived": Derived(
                risk_category=2,
                worrisome_features=["size_ge_30", "growth"],
                high_risk_stigmata=[],
                recommendation=Recommendation(action="surveillance", stratum="s", schedule=[(6, 4), (12, 2)]),
            ),
            "errors": ["x; y", "z"],
        }
    )
    row = flat_row(line)
    assert row["worrisome_features"] == "size_ge_30;growth" and row["high_risk_stigmata"] == ""
    assert row["recommendation_schedule"] == "6x4;12x2" and row["errors"] == "x; y | z"


def test_flat_parquet_schema_and_rows(tmp_path: Path, results: list[ResultLine]) -> None:
    path = tmp_path / "out.parquet"
    _write(path, "parquet", results)
    table = pq.read_table(path)
    assert table.num_rows == 4
    assert table.schema.names == list(FLAT_COLUMN_NAMES)
    schema = table.schema
    assert schema.field("report_id").type == pa.string() and not schema.field("report_id").nullable
    assert schema.field("pcl_present").type == pa.bool_()
    assert schema.field("size_mm").type == pa.float64()
    assert schema.field("risk_category").type == pa.int8()
    assert schema.field("n_lesions").type == pa.int32()
    assert schema.field("exam_date").type == pa.date32()
    data = table.to_pylist()
    assert data[0]["size_mm"] == 23.0 and data[0]["pcl_present"] is True
    assert data[2]["pcl_present"] is None and data[2]["n_lesions"] == 0


def test_empty_parquet_still_has_schema(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    open_writer(path).close()
    assert pq.read_table(path).schema.names == list(FLAT_COLUMN_NAMES)


def test_note_nlp_rows_offsets_match_text(results: list[ResultLine]) -> None:
    rows = note_nlp_rows(results[0], TEXT_A, now=NOW)
    spans = [r for r in rows if r["offset"] is not None]
    for row in spans:
        start = int(row["offset"])
        assert TEXT_A[start : start + len(row["lexical_variant"])] == row["lexical_variant"]
        assert row["lexical_variant"].replace("\n", " ") in row["snippet"]
        assert row["note_id"] == "a" and row["nlp_system"] == "pancyst fake 1.0"
        assert row["nlp_date"] == NOW.date() and row["term_exists"] == "Y"
    by_mod = {r["term_modifiers"]: r for r in spans}
    size0 = by_mod["feature=size_mm;value=23.0;lesion=0"]
    assert size0["offset"] == str(TEXT_A.index("2.3 cm")) and size0["lexical_variant"] == "2.3 cm"
    assert by_mod["feature=size_mm;value=8.0;lesion=1"]["lexical_variant"] == "8 mm"
    assert by_mod["feature=mpd_diameter_mm;value=3.0"]["lexical_variant"] == "pancreatic duct 3 mm"
    # The index lesion's spans appear once (as lesion=0), not again as report-level evidence.
    assert sum(1 for r in spans if r["lexical_variant"] == "2.3 cm") == 1
    # Snippet: 40 characters of context, line breaks as spaces.
    assert size0["snippet"] == TEXT_A[: TEXT_A.index("2.3 cm") + 6 + 40].replace("\n", " ")
    assert [int(r["offset"]) for r in spans] == sorted(int(r["offset"]) for r in spans)
    risk = rows[-1]
    assert risk["offset"] is None and risk["lexical_variant"].startswith("risk category ")
    assert risk["term_modifiers"].startswith(
        f"feature=risk_category;value={results[0].derived.risk_category};"
    )  # type: ignore[union-attr]


def test_note_nlp_negative_and_prior_terms(results: list[ResultLine]) -> None:
    from pancyst.schema import Span

    text = "No mural nodule. Previously 1.5 cm."
    base = results[0]
    lesion = base.lesions[0].model_copy(
        update={
            "mural_nodule": "absent",
            "prior_size_mm": 15.0,
            "evidence": [
                Span(start=0, end=15, text="No mural nodule", feature="mural_nodule"),
                Span(start=17, end=34, text="Previously 1.5 cm", feature="prior_size_mm"),
            ],
        }
    )
    line = base.model_copy(update={"lesions": [lesion], "evidence": {}, "derived": None})
    rows = note_nlp_rows(line, text, now=NOW)
    assert [(r["term_exists"], r["term_temporal"], r["term_modifiers"]) for r in rows] == [
        ("N", "current", "feature=mural_nodule;value=absent;lesion=0"),
        ("Y", "prior", "feature=prior_size_mm;value=15.0;lesion=0"),
    ]


def test_note_nlp_csv_and_parquet(tmp_path: Path, results: list[ResultLine]) -> None:
    csv_path = tmp_path / "nlp.csv"
    _write(csv_path, "note_nlp", results)
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(NOTE_NLP_COLUMN_NAMES)
    assert [int(r["note_nlp_id"]) for r in rows] == list(range(1, len(rows) + 1))
    assert {r["note_id"] for r in rows} == {"a"}  # b has no evidence and no PCL; c, d are errors
    assert rows[0]["nlp_datetime"] == "2025-01-02T03:04:05" and rows[0]["section_concept_id"] == "0"
    pq_path = tmp_path / "nlp.parquet"
    _write(pq_path, "note_nlp", results)
    table = pq.read_table(pq_path)
    assert table.num_rows == len(rows) and table.schema.names == list(NOTE_NLP_COLUMN_NAMES)
    assert table.schema.field("offset").type == pa.string()
    assert table.schema.field("nlp_datetime").type == pa.timestamp("ms")
    assert table.column("lexical_variant").to_pylist() == [r["lexical_variant"] for r in rows]


def test_jsonl_to_stdout(capsys: pytest.CaptureFixture[str], results: list[ResultLine]) -> None:
    with open_writer("-") as writer:
        writer.write(results[1])
    out = capsys.readouterr().out
    assert json.loads(out)["report_id"] == "b"


@pytest.mark.parametrize("opener", ["=", "+", "-", "@", "\t"])
def test_csv_outputs_neutralize_formula_cells_and_parquet_keeps_them(tmp_path: Path, opener: str) -> None:
    rid = f"{opener}HYPERLINK(1)"
    text = f"{opener}cmd| 2.3 cm cyst in the pancreatic tail."
    reports = [ReportInput(report_id=rid, text=text)]
    lines = list(Pipeline(FakeExtractor()).run(reports))
    for fmt, name in (("csv", "flat.csv"), ("note_nlp", "nlp.csv")):
        path = tmp_path / name
        with open_writer(path, fmt, now=NOW) as writer:
            writer.write(lines[0], text)
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        cells = [v for row in rows for v in row.values() if v]
        assert not any(v.startswith(("=", "+", "-", "@", "\t")) for v in cells), (fmt, cells)
        assert any(v == "'" + rid for v in cells)
    pq_path = tmp_path / "flat.parquet"
    with open_writer(pq_path, "parquet", now=NOW) as writer:
        writer.write(lines[0], text)
    assert pq.read_table(pq_path).column("report_id").to_pylist() == [rid]
