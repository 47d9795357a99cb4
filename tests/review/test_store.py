"""The review database: loading, resuming, filters, corrections and the gold export."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pancyst.evaluate.metrics import evaluate
from pancyst.label.factory import read_items
from pancyst.review import Filters, ReviewStore, StoreError, apply_form
from pancyst.review.store import gold_line
from pancyst.schema import GoldLine


@pytest.fixture
def store(sample_run, tmp_path: Path) -> ReviewStore:  # type: ignore[no-untyped-def]
    store, added, warnings = ReviewStore.load(tmp_path / "review.sqlite", sample_run.lines, sample_run.texts)
    assert added == len(sample_run.lines) and warnings == []
    return store


def test_loading_again_resumes_and_keeps_corrections(store: ReviewStore, sample_run) -> None:  # type: ignore[no-untyped-def]
    entry = store.at(0)
    assert entry is not None and entry.state.lesions
    state, changes = apply_form(entry.state, {"lesion.0.size_mm": "41"})
    store.save(entry.report.report_id, state, changes, "ana", reviewed=True)
    again, added, _ = ReviewStore.load(store.path, sample_run.lines, sample_run.texts)
    assert added == 0 and again.count() == len(sample_run.lines)
    kept = again.at(0)
    assert kept is not None and kept.state.lesions[0].size_mm == 41.0 and kept.status == "reviewed"
    assert kept.original == entry.original  # machine output never overwritten


def test_results_without_text_are_left_out_with_a_warning(sample_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    texts = dict(list(sample_run.texts.items())[:5])
    store, added, warnings = ReviewStore.load(tmp_path / "r.sqlite", sample_run.lines, texts)
    assert added == 5 and store.count() == 5
    assert warnings and "no report text" in warnings[0]


def test_filters(store: ReviewStore, sample_run) -> None:  # type: ignore[no-untyped-def]
    total = store.count()
    by_category = {c: store.count(Filters(category=c)) for c in ("1", "2", "3", "none", "error")}
    assert sum(by_category.values()) == total
    expected_2 = sum(1 for line in sample_run.lines if line.derived and line.derived.risk_category == 2)
    assert by_category["2"] == expected_2
    assert store.count(Filters(text="<SCRIPT>")) == 1  # free text, case-insensitive
    tails = sum(1 for line in sample_run.lines if line.features and line.features.location == "tail")
    assert store.count(Filters(feature="location", value="tail")) == tails
    no_size = sum(1 for line in sample_run.lines if not line.features or line.features.size_mm is None)
    assert store.count(Filters(feature="size_mm", value="null")) == no_size
    assert store.count(Filters(status="reviewed")) == 0


def test_neighbours_follow_the_filter(store: ReviewStore) -> None:
    ones = [item.position for item in store.items(Filters(category="1"))]
    assert len(ones) >= 2 and ones[1] - ones[0] >= 1
    assert store.neighbour(ones[0], Filters(category="1")) == ones[1]
    assert store.neighbour(ones[1], Filters(category="1"), step=-1) == ones[0]
    assert store.neighbour(ones[-1], Filters(category="1")) is None
    assert store.neighbour(ones[0]) == ones[0] + 1  # unfiltered: the very next report


def test_corrections_are_traced(store: ReviewStore) -> None:
    entry = store.at(1)
    assert entry is not None
    new = "no" if entry.state.mpd_dilated == "yes" else "yes"
    same = "true" if entry.state.pcl_present else "false"
    state, changes = apply_form(entry.state, {"report.mpd_dilated": new, "report.pcl_present": same})
    store.save(entry.report.report_id, state, changes, "ben", reviewed=False)
    rows = store.corrections(entry.report.report_id)
    assert [(r.field, r.old, r.new, r.reviewer) for r in rows] == [
        ("report.mpd_dilated", entry.state.mpd_dilated, new, "ben")
    ]
    assert store.stats()["corrections"] == 1


def test_gold_export_feeds_evaluate_and_the_label_factory(store: ReviewStore, tmp_path: Path) -> None:
    for position in range(6):
        entry = store.at(position)
        assert entry is not None
        store.save(entry.report.report_id, entry.state, [], "ana", reviewed=True)
    gold = tmp_path / "gold.jsonl"
    lines = list(store.gold_lines())
    assert len(lines) == 6
    gold.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    golds = [GoldLine.model_validate(line) for line in lines]
    entries = [store.at(p) for p in range(6)]
    result = evaluate(golds, [e.result for e in entries if e is not None], n_boot=0)
    assert result.n_reports == 6 and result.pcl_present.accuracy.value == 1.0
    assert result.mean_feature_accuracy.value == 1.0  # accepted unchanged: gold equals the machine
    items = read_items(gold)
    assert len(items) == 6 and all(item.gold is not None for item in items)
    assert [item.report.text for item in items] == [e.report.text for e in entries if e is not None]
    assert len(list(store.gold_lines(include_unreviewed=True))) == store.count()


def test_a_gold_line_records_who_reviewed(store: ReviewStore) -> None:
    entry = store.at(2)
    assert entry is not None
    store.save(entry.report.report_id, entry.state, [], "ana", reviewed=True)
    reviewed = store.at(2)
    assert reviewed is not None
    line = gold_line(reviewed, 0)
    assert line["review"]["reviewed_by"] == "ana" and line["report_id"] == entry.report.report_id


def test_other_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no review database"):
        ReviewStore(tmp_path / "missing.sqlite")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError):
        ReviewStore(junk)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).close()
    with pytest.raises(StoreError, match="not a pancyst review database"):
        ReviewStore(other)
