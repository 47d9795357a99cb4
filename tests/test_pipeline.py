"""The pipeline: one line per row, error lines, intervals and the index lesion computed by code."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from pancyst.extract.base import ExtractionError, Extractor
from pancyst.pipeline import Pipeline, check_text, compute_interval
from pancyst.schema import BadRow, Extraction, Lesion, ReportInput, Span

TEXT = "Tail cyst 12 mm, previously 8 mm on 01/15/2023. Head cyst 9 mm with enhancing nodule."


class FakeExtractor(Extractor):
    """Returns a fixed two-lesion extraction; fails on reports whose text contains 'FAIL'."""

    name = "fake"
    version = "1"

    def extract(self, report: ReportInput) -> Extraction:
        if "FAIL" in report.text:
            raise ExtractionError("model returned invalid JSON")
        if "BADSPAN" in report.text:
            return Extraction(pcl_present=True, lesions=[Lesion(evidence=[Span(start=0, end=3, text="zzz")])])
        s = report.text.index("12 mm")
        tail = Lesion(
            size_mm=12,
            location="tail",
            prior_size_mm=8,
            prior_exam_date=dt.date(2023, 1, 15),
            evidence=[Span(start=s, end=s + 5, text="12 mm", feature="size_mm")],
        )
        h = report.text.index("9 mm")
        head = Lesion(
            size_mm=9,
            location="head",
            mural_nodule="enhancing",
            evidence=[Span(start=h, end=h + 4, text="9 mm", feature="size_mm")],
        )
        return Extraction(pcl_present=True, lesions=[tail, head], multiplicity="single")


def _run(rows: list[ReportInput | BadRow]) -> list:  # type: ignore[type-arg]
    return list(Pipeline(FakeExtractor()).run(rows))


def test_index_lesion_is_most_worrisome_not_first_or_largest() -> None:
    [line] = _run([ReportInput(report_id="a", text=TEXT, exam_date=dt.date(2024, 1, 15), patient_age=60)])
    assert line.errors == []
    assert line.derived.risk_category == 3
    assert line.derived.index_lesion == 1
    assert line.features.location == "head" and line.features.size_mm == 9
    assert line.features.mural_nodule == "enhancing"
    assert line.features.multiplicity == "multiple"  # two lesions, whatever the backend said
    assert [e.text for e in line.evidence["size_mm"]] == ["9 mm"]
    # the tail lesion's interval comes from the dates: 365 days / 30.4375
    assert line.lesions[0].interval_months == round(365 / 30.4375, 2)


def test_bad_rows_and_failures_keep_one_line_per_row_in_order() -> None:
    rows: list[ReportInput | BadRow] = [
        ReportInput(report_id="ok", text=TEXT),
        ReportInput(report_id="empty", text="   \n"),
        BadRow(report_id="row-3", row=3, error="malformed JSON"),
        ReportInput(report_id="bin", text="\x00\x01\x02" * 100),
        ReportInput(report_id="fail", text="FAIL " + TEXT),
        ReportInput(report_id="ok", text=TEXT),
        ReportInput(report_id="span", text="BADSPAN " + TEXT),
        ReportInput(report_id="big", text="x" * 2_000_001),
    ]
    lines = _run(rows)
    assert [line.report_id for line in lines] == ["ok", "empty", "row-3", "bin", "fail", "ok", "span", "big"]
    assert lines[0].errors == []
    for line in lines[1:]:
        assert line.errors, line.report_id
    assert "empty" in lines[1].errors[0]
    assert "malformed JSON" in lines[2].errors[0]
    assert "not text" in lines[3].errors[0]
    assert "invalid JSON" in lines[4].errors[0]
    assert "duplicate report_id" in lines[5].errors[0]
    assert "does not match" in lines[6].errors[0]
    assert "too long" in lines[7].errors[0]
    assert all(line.pcl_present is None and line.features is None for line in lines[1:])


def test_check_text_accepts_ordinary_unicode() -> None:
    assert check_text("Pankreas: Zyste 12 mm, größe unverändert. 膵嚢胞") is None


def test_binary_after_a_long_text_header_is_still_not_text() -> None:
    header = "FINDINGS: a 12 mm cyst in the pancreatic tail. " * 600  # ~28,000 characters of text
    assert check_text(header + "\x00" + header) is not None  # one NUL anywhere
    assert check_text(header + "\x01\x02\x03\ufffd" * 2000) is not None  # a binary tail
    assert check_text(header + "\x01" * 5) is None  # a few stray controls in text pass
    assert check_text(header[:20_050] + "\ufffd" * 12) is None  # at the end of a long text too


@given(st.integers(min_value=1, max_value=100_000))
def test_windows_cover_the_text_and_are_full(length: int) -> None:
    from pancyst.pipeline import _WINDOW, _window_starts

    starts = _window_starts(length)
    assert starts[0] == 0 and min(starts[-1] + _WINDOW, length) == length
    assert all(b - a <= _WINDOW for a, b in pairwise(starts))
    assert all(start + _WINDOW <= length for start in starts) or starts == [0]


def test_a_bad_rows_made_up_id_that_repeats_a_real_id_is_flagged() -> None:
    rows: list[ReportInput | BadRow] = [
        ReportInput(report_id="row-2", text=TEXT),  # a real id that looks made up
        BadRow(report_id="row-2", row=2, error="malformed JSON"),
        BadRow(report_id="row-3", row=3, error="malformed JSON"),
        ReportInput(report_id="row-3", text=TEXT),  # a real id after a made-up one
    ]
    lines = _run(rows)
    assert [line.report_id for line in lines] == ["row-2", "row-2", "row-3", "row-3"]
    assert lines[0].errors == []
    assert "duplicate report_id 'row-2' (first seen at row 1)" in lines[1].errors[1]
    assert lines[2].errors == ["row 3: malformed JSON"]
    assert "duplicate report_id 'row-3' (first seen at row 3)" in lines[3].errors[0]


def test_interval_prefers_dates_and_needs_a_prior_size() -> None:
    lesion = Lesion(prior_size_mm=10, prior_exam_date=dt.date(2023, 7, 1), stated_interval_months=6)
    assert compute_interval(lesion, dt.date(2024, 1, 1)) == round(184 / 30.4375, 2)
    assert compute_interval(lesion, None) == 6.0
    assert compute_interval(Lesion(stated_interval_months=6), dt.date(2024, 1, 1)) is None
