"""Fleiss' and Cohen's kappa against textbook and hand-computed values."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pancyst.evaluate.agreement import (
    Reading,
    agreement,
    cohen_kappa,
    fleiss_kappa,
    normalize_category,
    read_readings,
)

# Fleiss (1971) as tabulated on Wikipedia: 10 subjects, 14 raters, 5 categories.
# P-bar = 0.378, P-e = 0.2128, kappa = 0.210.
FLEISS_TABLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_textbook_example() -> None:
    assert fleiss_kappa(FLEISS_TABLE) == pytest.approx(0.20993, abs=5e-5)


def test_fleiss_rejects_uneven_rows_and_undefined_case() -> None:
    with pytest.raises(ValueError):
        fleiss_kappa([[2, 0], [1, 0]])
    assert fleiss_kappa([[3, 0], [3, 0]]) is None  # all ratings in one category: chance agreement 1


def test_cohen_hand_example() -> None:
    # agree at 6 of 8 -> p_o = 0.75; a: 1x3 2x3 3x2, b: 1x3 2x4 3x1 -> p_e = (9 + 12 + 2) / 64 = 23/64
    # kappa = (48/64 - 23/64) / (41/64) = 25/41
    a = ["1", "1", "2", "2", "3", "3", "1", "2"]
    b = ["1", "2", "2", "2", "3", "1", "1", "2"]
    assert cohen_kappa(a, b) == pytest.approx(25 / 41)
    assert cohen_kappa(b, a) == pytest.approx(25 / 41)
    assert cohen_kappa(["1", "1"], ["1", "1"]) is None


@given(st.lists(st.sampled_from(["1", "2", "3", "none"]), min_size=2, max_size=30))
def test_identical_raters_agree_perfectly(ratings: list[str]) -> None:
    k = cohen_kappa(ratings, ratings)
    assert k is None if len(set(ratings)) == 1 else k == pytest.approx(1.0)


@given(
    st.lists(
        st.tuples(st.sampled_from(["1", "2", "3"]), st.sampled_from(["1", "2", "3"])), min_size=1, max_size=30
    )
)
def test_two_rater_fleiss_and_cohen_bounded(pairs: list[tuple[str, str]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    k = cohen_kappa(a, b)
    assert k is None or -1.0 - 1e-9 <= k <= 1.0 + 1e-9
    table = [[(x == c) + (y == c) for c in ("1", "2", "3")] for x, y in pairs]
    f = fleiss_kappa(table)
    assert f is None or -1.0 - 1e-9 <= f <= 1.0 + 1e-9


def test_normalize_category() -> None:
    assert [normalize_category(v) for v in ("1", 2, "3.0", "", " None ", None)] == [
        "1",
        "2",
        "3",
        "none",
        "none",
        "none",
    ]
    with pytest.raises(ValueError):
        normalize_category("4")


READINGS = """report_id,reader,category
x1,A,1
x1,B,1
x1,C,1
x1,model,1
x2,A,2
x2,B,2
x2,C,1
x2,model,2
x3,A,3
x3,B,3
x3,C,3
x3,model,3
x4,A,1
x4,B,2
x4,model,1
x5,A,none
x5,B,
x5,C,none
x5,model,1
"""


def test_agreement_long_format(tmp_path: Path) -> None:
    path = tmp_path / "readings.csv"
    path.write_text(READINGS)
    res = agreement(read_readings(str(path)))
    assert res.readers == ["A", "B", "C"] and res.model == "model"
    # Humans over x1 x2 x3 x5 (x4 lacks C). Rows [1,2,3,none]: x1 [3,0,0,0] P=1; x2 [1,2,0,0] P=(1+4-3)/6=1/3;
    # x3, x5 P=1 -> P-bar 5/6. p_j = 4/12, 2/12, 3/12, 3/12 -> P-e = 38/144. kappa = (60-19)/(72-19) = 41/53
    assert res.fleiss_readers is not None
    assert res.fleiss_readers.kappa == pytest.approx(41 / 53)
    assert res.fleiss_readers.n_reports == 4
    assert res.fleiss_readers.dropped_report_ids == ["x4"]
    # With the model: x1 P=1; x2 [1,3,0,0] P=(1+9-4)/12=1/2; x3 P=1; x5 [1,0,0,3] P=1/2 -> P-bar 3/4.
    # p_j = 6/16, 3/16, 4/16, 3/16 -> P-e = 70/256. kappa = (96-35)/(128-35) = 61/93
    assert res.fleiss_with_model is not None
    assert res.fleiss_with_model.kappa == pytest.approx(61 / 93)
    # A vs B over x1..x5: A 1 2 3 1 none, B 1 2 3 2 none: p_o 4/5, p_e (2*1 + 1*2 + 1 + 1)/25 = 6/25 -> 14/19
    ab = next(p for p in res.pairwise if (p.reader_a, p.reader_b) == ("A", "B"))
    assert ab.kappa == pytest.approx(14 / 19)
    assert ab.n_reports == 5 and ab.observed_agreement == pytest.approx(0.8)
    matrix = res.kappa_matrix()
    assert len(matrix) == 4 and matrix[0][0] == 1.0
    assert matrix[0][1] == matrix[1][0] == pytest.approx(14 / 19)
    assert res.warnings and "dropped" in res.warnings[0]


def test_agreement_named_model_and_errors() -> None:
    readings = [Reading(report_id=r, reader=n, category=c) for r, n, c in
                [("a", "R1", "1"), ("a", "R2", "1"), ("a", "gpt", "2"), ("b", "R1", "2"), ("b", "R2", "2"), ("b", "gpt", "2")]]  # fmt: skip
    res = agreement(readings, model="gpt")
    assert res.readers == ["R1", "R2"] and res.model == "gpt"
    assert res.fleiss_readers is not None and res.fleiss_readers.kappa == pytest.approx(1.0)
    with pytest.raises(ValueError, match="no reader named"):
        agreement(readings, model="nobody")
    with pytest.raises(ValueError, match="more than once"):
        agreement([*readings, Reading(report_id="a", reader="R1", category="3")])
    no_model = agreement(readings[:2] + readings[3:5])
    assert no_model.model is None and no_model.fleiss_with_model is None


def test_read_readings_reports_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("report_id,reader,category\nx1,A,1\nx1,B,high\n")
    with pytest.raises(ValueError, match=r"bad.csv:3: not a risk category"):
        read_readings(str(path))
    path.write_text("report,reader,category\n")
    with pytest.raises(ValueError, match="missing column"):
        read_readings(str(path))


def test_confusion_matrix_counts_pairs() -> None:
    from pancyst.evaluate.agreement import confusion_matrix

    m = confusion_matrix(["1", "1", "2", "none"], ["1", "2", "2", "3"])
    assert m[0] == [1, 1, 0, 0] and m[1] == [0, 1, 0, 0] and m[3] == [0, 0, 1, 0]
    assert sum(map(sum, m)) == 4


def _two_readers(n: int) -> list[Reading]:
    a = ["1", "2", "3", "none", "1", "2"] * n
    b = ["1", "2", "2", "none", "1", "3"] * n
    return [Reading(report_id=f"r{i}", reader=name, category=c) for name, cats in (("a", a), ("b", b))
            for i, c in enumerate(cats)]  # fmt: skip


def test_bootstrap_intervals_hold_the_estimate_and_repeat() -> None:
    result = agreement(_two_readers(10), bootstrap=300, seed=1)
    pair = result.pairwise[0]
    assert pair.ci is not None and pair.kappa is not None
    assert pair.ci.low <= pair.kappa <= pair.ci.high and pair.ci.low < pair.ci.high
    assert result.fleiss_readers is not None and result.fleiss_readers.ci is not None
    again = agreement(_two_readers(10), bootstrap=300, seed=1)
    assert again.pairwise[0].ci == pair.ci
    assert agreement(_two_readers(10), bootstrap=0).pairwise[0].ci is None


def test_bootstrap_narrows_with_more_reports() -> None:
    wide = agreement(_two_readers(3), bootstrap=300).pairwise[0].ci
    narrow = agreement(_two_readers(30), bootstrap=300).pairwise[0].ci
    assert wide is not None and narrow is not None
    assert narrow.high - narrow.low < wide.high - wide.low
