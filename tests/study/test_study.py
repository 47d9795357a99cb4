"""Reader studies: the seeded draw, reading orders, hashed tokens, locked timed readings, export."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pancyst.evaluate.agreement import agreement, read_readings
from pancyst.review.store import category_of
from pancyst.study import StudyStore, pick_cases, reader_orders
from pancyst.study.store import StoreError


def _create(sample_run, path: Path, **kw):  # type: ignore[no-untyped-def]
    options = {"readers": ["r1", "r2"], "cases": 8, "seed": 7, **kw}
    return StudyStore.create(path, sample_run.lines, sample_run.texts, **options)


def test_the_draw_is_seeded_and_never_takes_error_lines(sample_run) -> None:  # type: ignore[no-untyped-def]
    a = [line.report_id for line in pick_cases(sample_run.lines, 10, seed=3)]
    b = [line.report_id for line in pick_cases(sample_run.lines, 10, seed=3)]
    c = [line.report_id for line in pick_cases(sample_run.lines, 10, seed=4)]
    assert a == b and a != c and len(set(a)) == 10
    errored = sample_run.lines[0].model_copy(update={"errors": ["bad"], "pcl_present": None})
    assert pick_cases([errored], 5, seed=1) == []


def test_stratified_draw_balances_categories(sample_run) -> None:  # type: ignore[no-untyped-def]
    available = Counter(category_of(line) for line in sample_run.lines)
    picked = Counter(category_of(line) for line in pick_cases(sample_run.lines, 8, seed=1, stratify=True))
    expected = {k: min(v, 2) for k, v in available.items() if k != "error"}
    assert sum(picked.values()) == 8
    assert all(picked[k] >= min(expected[k], 2) for k in expected)


def test_each_reader_has_an_own_order() -> None:
    orders = reader_orders(20, ["a", "b"], seed=7)
    assert sorted(orders["a"]) == sorted(orders["b"]) == list(range(20))
    assert orders["a"] != orders["b"]
    assert orders == reader_orders(20, ["a", "b"], seed=7)


def test_tokens_are_stored_hashed(sample_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store, tokens = _create(sample_run, tmp_path / "s.sqlite", adjudicator="adj")
    assert set(tokens) == {"r1", "r2", "adj", "admin"}
    raw = (tmp_path / "s.sqlite").read_bytes()
    assert all(token.encode() not in raw for token in tokens.values())
    me = store.login(tokens["r2"])
    assert me is not None and (me.name, me.role) == ("r2", "reader")
    assert store.login("wrong") is None and store.login("") is None


def test_design_errors(sample_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreError, match="two readers"):
        _create(sample_run, tmp_path / "a.sqlite", readers=["solo"])
    with pytest.raises(StoreError, match="distinct"):
        _create(sample_run, tmp_path / "b.sqlite", readers=["x", "x"])
    with pytest.raises(StoreError, match="reserved"):
        _create(sample_run, tmp_path / "c.sqlite", readers=["model", "x"])
    with pytest.raises(StoreError, match="arm"):
        _create(sample_run, tmp_path / "d.sqlite", arm="open")
    _create(sample_run, tmp_path / "e.sqlite")
    with pytest.raises(StoreError, match="exists"):
        _create(sample_run, tmp_path / "e.sqlite")


def test_readings_are_timed_and_locked(sample_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store, _ = _create(sample_run, tmp_path / "s.sqlite")
    slot = store.slots("r1")[0]
    store.show("r1", slot.case_id)
    seconds = store.answer("r1", slot.case_id, "2", None)
    assert seconds >= 0
    with pytest.raises(ValueError, match="locked"):
        store.answer("r1", slot.case_id, "1", None)
    with pytest.raises(ValueError, match="category"):
        store.answer("r1", store.slots("r1")[1].case_id, "4", None)
    assert store.slots("r1")[0].category == "2"
    assert all(s.category is None for s in store.slots("r2"))  # nobody else's answers


def test_export_is_what_agreement_reads(sample_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store, _ = _create(sample_run, tmp_path / "s.sqlite", cases=6)
    answers = {"r1": ["1", "1", "2", "2", "3", "none"], "r2": ["1", "2", "2", "2", "3", "1"]}
    cases = sorted(s.case_id for s in store.slots("r1"))
    for reader, cats in answers.items():
        for case_id, cat in zip(cases, cats, strict=True):
            store.answer(reader, case_id, cat, None)
    out = tmp_path / "readings.csv"
    assert store.export(out) == 18  # 12 readings + 6 model rows
    readings = read_readings(str(out))
    result = agreement(readings, model="model", bootstrap=0)
    pair = next(p for p in result.pairwise if {p.reader_a, p.reader_b} == {"r1", "r2"})
    # hand computed: p_o = 4/6; r1 = {1:2, 2:2, 3:1, none:1}, r2 = {1:2, 2:3, 3:1}
    # p_e = (2*2 + 2*3 + 1*1 + 1*0) / 36 = 11/36; kappa = (24/36 - 11/36) / (25/36) = 13/25
    assert pair.kappa == pytest.approx(13 / 25)
    assert [d["case_id"] for d in store.disagreements()] == [cases[1], cases[5]]
    store.adjudicate(cases[1], "adj", "2")
    with pytest.raises(ValueError, match="disagree"):
        store.adjudicate(cases[0], "adj", "1")
    adj = tmp_path / "adj.csv"
    assert store.export_adjudications(adj) == 1
