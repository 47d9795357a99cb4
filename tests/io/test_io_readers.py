from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pancyst.io.readers import InputError, parse_age, parse_bool, parse_exam_date, read_reports
from pancyst.schema import BadRow, ReportInput


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_csv_embedded_newlines_quotes_and_optional_columns(tmp_path: Path) -> None:
    text = 'FINDINGS:\nA 2.3 cm "cystic" lesion, tail.\r\nIMPRESSION: cyst'
    path = _write_csv(
        tmp_path / "r.csv",
        ["report_id", "text", "exam_date", "patient_age", "modality", "jaundice"],
        [["a1", text, "2024-03-05", "67", " MRI ", "yes"], ["a2", "second", "", "", "", ""]],
    )
    rows = list(read_reports(path))
    assert rows == [
        ReportInput(
            report_id="a1",
            text=text,
            exam_date=dt.date(2024, 3, 5),
            patient_age=67.0,
            modality="MRI",
            jaundice=True,
        ),
        ReportInput(report_id="a2", text="second"),
    ]


def test_csv_column_mapping_and_custom_id_text_columns(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "r.csv",
        ["AccessionNumber", "ReportText", "StudyDate", "Age"],
        [["X9", "cyst", "20230114", "065Y"]],
    )
    (row,) = read_reports(
        path,
        id_col="AccessionNumber",
        text_col="ReportText",
        columns={"exam_date": "StudyDate", "patient_age": "Age"},
    )
    assert row == ReportInput(report_id="X9", text="cyst", exam_date=dt.date(2023, 1, 14), patient_age=65.0)


def test_csv_bad_rows_become_badrows_in_order(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "report_id,text,patient_age\n"
        "r1,fine,50\n"
        ",no id,\n"  # row 2: missing id
        "r3,,\n"  # row 3: empty text is a report (the pipeline calls it empty)
        "r4,text,abc\n"  # row 4: age does not parse
        "r5,a,b,c,d\n"  # row 5: too many fields
        "r6\n"  # row 6: too few fields, no text
        "\n"  # blank line: not a row
        "r7,last,\n",
        encoding="utf-8",
    )
    rows = list(read_reports(path))
    assert [r.report_id for r in rows] == ["r1", "row-2", "r3", "r4", "r5", "r6", "r7"]
    assert isinstance(rows[0], ReportInput) and rows[0].patient_age == 50.0
    assert isinstance(rows[1], BadRow) and rows[1].row == 2 and "missing report id" in rows[1].error
    assert isinstance(rows[2], ReportInput) and rows[2].text == ""
    assert isinstance(rows[3], BadRow) and "'patient_age'" in rows[3].error and "'abc'" in rows[3].error
    assert isinstance(rows[4], BadRow) and "5 fields but the header has 3" in rows[4].error
    assert isinstance(rows[5], BadRow) and rows[5].row == 6 and "1 fields" in rows[5].error
    assert isinstance(rows[6], ReportInput) and rows[6].text == "last"


def test_csv_missing_text_column_is_a_usage_error_naming_the_columns(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "r.csv", ["report_id", "body"], [["r1", "x"], ["r2", "y"]])
    with pytest.raises(InputError, match=r"no 'text' column .*'report_id', 'body'.*--text-col"):
        read_reports(path)  # raised before the first row is asked for
    with pytest.raises(InputError, match=r"no 'accession' column .*--id-col"):
        read_reports(path, id_col="accession", text_col="body")
    assert [r.report_id for r in read_reports(path, text_col="body")] == ["r1", "r2"]


def test_csv_not_utf8_still_gives_lines(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("report_id,text\nr1,cyst 5 µm \xb0 ok\nr2,plain\n".encode("cp1252"))
    rows = list(read_reports(path))
    assert [r.report_id for r in rows] == ["r1", "r2"]
    assert isinstance(rows[0], ReportInput) and rows[0].text == "cyst 5 \ufffdm \ufffd ok"


def test_csv_long_field_and_bom(tmp_path: Path) -> None:
    big = "cyst " * 100_000  # 500 kB: over the csv module's default field limit
    path = tmp_path / "r.csv"
    path.write_bytes(b"\xef\xbb\xbf" + f'report_id,text\nr1,"{big}"\n'.encode())
    (row,) = read_reports(path)
    assert isinstance(row, ReportInput) and row.report_id == "r1" and row.text == big


def test_tsv(tmp_path: Path) -> None:
    path = tmp_path / "r.tsv"
    path.write_text("report_id\ttext\nr1\ta, b\n", encoding="utf-8")
    assert list(read_reports(path)) == [ReportInput(report_id="r1", text="a, b")]


def test_jsonl_malformed_line_and_types(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    lines = [
        json.dumps({"report_id": 7, "text": "int id", "jaundice": 0, "patient_age": 71.5}),
        "{not json",
        "",
        json.dumps(["a list"]),
        json.dumps({"report_id": "x", "text": None}),
        json.dumps({"report_id": "y", "text": 12}),
        json.dumps({"report_id": "z", "text": "lone \ud800 surrogate"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = list(read_reports(path))
    assert rows[0] == ReportInput(report_id="7", text="int id", jaundice=False, patient_age=71.5)
    assert isinstance(rows[1], BadRow) and (rows[1].report_id, rows[1].row) == ("row-2", 2)
    assert "malformed JSON on line 2" in rows[1].error
    assert isinstance(rows[2], BadRow) and rows[2].row == 4 and "not a JSON object" in rows[2].error
    assert isinstance(rows[3], BadRow) and rows[3].report_id == "x" and "missing text" in rows[3].error
    assert isinstance(rows[4], BadRow) and "int, not a string" in rows[4].error
    assert isinstance(rows[5], ReportInput) and rows[5].text == "lone \ufffd surrogate"
    assert len(rows) == 6


def test_parquet_streams_batches_and_maps_columns(tmp_path: Path) -> None:
    n = 2500  # more than one batch
    table = pa.table(
        {
            "id": [f"p{i}" for i in range(n)],
            "body": [f"report {i}" if i != 3 else None for i in range(n)],
            "exam_date": [dt.date(2024, 1, 1)] * n,
            "patient_age": [60] * n,
            "jaundice": [i == 5 for i in range(n)],
            "unused": list(range(n)),
        }
    )
    path = tmp_path / "r.parquet"
    pq.write_table(table, path, row_group_size=700)
    rows = list(read_reports(path, id_col="id", text_col="body"))
    assert len(rows) == n
    assert [r.report_id for r in rows[:6]] == ["p0", "p1", "p2", "p3", "p4", "p5"]
    assert rows[0] == ReportInput(
        report_id="p0", text="report 0", exam_date=dt.date(2024, 1, 1), patient_age=60.0, jaundice=False
    )
    assert isinstance(rows[3], BadRow) and rows[3].row == 4
    assert isinstance(rows[5], ReportInput) and rows[5].jaundice is True
    assert rows[-1].report_id == f"p{n - 1}"


def test_parquet_without_text_column_names_the_columns_it_has(tmp_path: Path) -> None:
    path = tmp_path / "r.parquet"
    pq.write_table(pa.table({"report_id": ["a", "b"], "note": ["x", "y"]}), path)
    with pytest.raises(InputError, match=r"no 'text' column .*columns: 'report_id', 'note'"):
        read_reports(path)
    assert [r.text for r in read_reports(path, text_col="note") if isinstance(r, ReportInput)] == ["x", "y"]


def test_a_fifo_named_txt_is_an_error_row_not_a_hang(tmp_path: Path) -> None:
    import os

    (tmp_path / "a.txt").write_text("first report", encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")  # nobody writes to it: opening it would block forever
    (tmp_path / "c.txt").write_text("third report", encoding="utf-8")
    rows = list(read_reports(tmp_path))
    assert [r.report_id for r in rows] == ["a", "b", "c"]
    assert isinstance(rows[1], BadRow) and "not a regular file" in rows[1].error


def test_txt_folder_sorted_and_binary_file(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("second report", encoding="utf-8")
    (tmp_path / "a.txt").write_text("first report", encoding="utf-8")
    (tmp_path / "c.TXT").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    rows = list(read_reports(tmp_path))
    assert [r.report_id for r in rows] == ["a", "b", "c"]
    assert isinstance(rows[2], ReportInput) and "\x00" in rows[2].text and "\ufffd" in rows[2].text


def test_single_txt_file(tmp_path: Path) -> None:
    path = tmp_path / "acc123.txt"
    path.write_text("one report", encoding="utf-8")
    assert list(read_reports(path)) == [ReportInput(report_id="acc123", text="one report")]


def test_stdin_jsonl_and_plain_text() -> None:
    lines = b'{"report_id": "s1", "text": "a"}\n{"report_id": "s2", "text": "b"}\n'
    assert [r.report_id for r in read_reports("-", stdin=io.BytesIO(lines))] == ["s1", "s2"]
    plain = b"FINDINGS: {not json} 1.2 cm cyst\n"
    assert list(read_reports("-", stdin=io.BytesIO(plain))) == [
        ReportInput(report_id="stdin", text=plain.decode())
    ]
    csv_in = b"report_id,text\nc1,hello\n"
    assert list(read_reports("-", fmt="csv", stdin=io.BytesIO(csv_in))) == [
        ReportInput(report_id="c1", text="hello")
    ]


def test_missing_file_and_unknown_format_raise(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_reports(tmp_path / "nope.csv")
    odd = tmp_path / "reports.xlsx"
    odd.write_bytes(b"x")
    with pytest.raises(InputError, match="xlsx"):
        read_reports(odd)
    with pytest.raises(InputError, match="input format"):
        read_reports(odd, fmt="xml")
    with pytest.raises(InputError, match="mapping"):
        read_reports(odd, fmt="csv", columns={"age": "Age"})
    bad_parquet = tmp_path / "r.parquet"
    bad_parquet.write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match="Parquet"):
        read_reports(bad_parquet)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", dt.date(2024, 3, 5)),
        ("2024-03-05T10:11:12", dt.date(2024, 3, 5)),
        ("2024-03-05 10:11", dt.date(2024, 3, 5)),
        ("20240305", dt.date(2024, 3, 5)),
        ("03/05/2024", dt.date(2024, 3, 5)),
        ("3/5/24", dt.date(2024, 3, 5)),
        ("03-05-2024", dt.date(2024, 3, 5)),
        ("03/05/2024 08:30", dt.date(2024, 3, 5)),
        ("Mar 5, 2024", dt.date(2024, 3, 5)),
        ("March 5 2024", dt.date(2024, 3, 5)),
        ("5 March 2024", dt.date(2024, 3, 5)),
        (dt.datetime(2024, 3, 5, 9), dt.date(2024, 3, 5)),
        ("", None),
        (None, None),
    ],
)
def test_parse_exam_date(raw: object, expected: dt.date | None) -> None:
    assert parse_exam_date(raw) == expected


@pytest.mark.parametrize("raw", ["yesterday", "13/45/2024", "2024-02-30", 12])
def test_parse_exam_date_rejects(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_exam_date(raw)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_dates_round_trip_iso_us_and_dicom(day: dt.date) -> None:
    assert parse_exam_date(day.isoformat()) == day
    assert parse_exam_date(day.strftime("%m/%d/%Y")) == day
    assert parse_exam_date(day.strftime("%Y%m%d")) == day


def test_parse_age_and_bool() -> None:
    assert [parse_age(v) for v in ("65", 65, "65.5", "65 y", "065Y", "70 years", " ", None)] == [
        65.0,
        65.0,
        65.5,
        65.0,
        65.0,
        70.0,
        None,
        None,
    ]
    for bad in ("abc", "-3", "200", True, float("inf")):
        with pytest.raises(ValueError):
            parse_age(bad)
    assert [parse_bool(v) for v in ("TRUE", "no", "Y", "0", 1, False, "")] == [
        True,
        False,
        True,
        False,
        True,
        False,
        None,
    ]
    with pytest.raises(ValueError):
        parse_bool("maybe")


_field = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_field.filter(lambda s: s.strip() != ""), _field), min_size=1, max_size=8))
def test_csv_round_trip_any_text(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str]]
) -> None:
    path = tmp_path_factory.mktemp("csv") / "r.csv"
    _write_csv(path, ["report_id", "text"], [list(r) for r in rows])
    got = list(read_reports(path))
    assert [(r.report_id, r.text) for r in got if isinstance(r, ReportInput)] == [
        (i.strip(), t) for i, t in rows
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(_field.filter(lambda s: s.strip() != ""), st.text(max_size=60)), min_size=1, max_size=8
    )
)
def test_jsonl_round_trip_any_text(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, str]]
) -> None:
    path = tmp_path_factory.mktemp("jsonl") / "r.jsonl"
    path.write_text(
        "".join(json.dumps({"report_id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8"
    )
    got = list(read_reports(path))
    assert len(got) == len(rows)
    for row, (rid, text) in zip(got, rows, strict=True):
        assert isinstance(row, ReportInput)
        assert row.report_id == rid.strip()
        assert len(row.text) == len(text)  # lone surrogates are replaced one for one


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_never_raise(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("bytes")
    for suffix in (".csv", ".jsonl", ".txt"):
        path = folder / f"r{suffix}"
        path.write_bytes(data)
        try:
            rows = read_reports(path)
        except InputError as exc:  # a CSV whose header lacks the id or text column: named, exit 2
            assert suffix == ".csv" and ("column" in str(exc) or "header" in str(exc))
            continue
        for row in rows:
            assert isinstance(row, ReportInput | BadRow)
    assert len(list(read_reports("-", stdin=io.BytesIO(data)))) >= 0


def test_surgical_candidate_is_an_optional_yes_no_column(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "r.csv",
        ["report_id", "text", "patient_age", "fit_for_surgery"],
        [["a1", "cyst", "84", "no"], ["a2", "cyst", "84", ""]],
    )
    rows = list(read_reports(path, columns={"surgical_candidate": "fit_for_surgery"}))
    assert rows == [
        ReportInput(report_id="a1", text="cyst", patient_age=84.0, surgical_candidate=False),
        ReportInput(report_id="a2", text="cyst", patient_age=84.0),
    ]


@pytest.mark.parametrize("first", [b'{"report_id": "a", "te', b"[1]", b"null", b'"just a string"'])
def test_stdin_jsonl_with_a_bad_first_line_gives_that_line_an_error(first: bytes) -> None:
    data = first + b'\n{"report_id": "b", "text": "4 mm cyst"}\n'
    rows = list(read_reports("-", stdin=io.BytesIO(data)))
    assert isinstance(rows[0], BadRow) and rows[0].row == 1
    assert [r.report_id for r in rows[1:]] == ["b"]


def test_stdin_free_text_that_opens_with_a_bracket_is_one_report() -> None:
    text = b"[Addendum] 4 mm cyst in the pancreatic tail.\nNo duct dilatation.\n"
    assert list(read_reports("-", stdin=io.BytesIO(text))) == [
        ReportInput(report_id="stdin", text=text.decode())
    ]
