"""Lesion linking on hand-built series, through the rules backend's reading of each report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pancyst.schema import Lesion, Span
from pancyst.track.link import ExamLesions, link_patient, load_rules
from pancyst.track.series import SeriesResult
from track_helpers import by_report

Run = Callable[..., SeriesResult]


def _row(rid: str, day: str, text: str, pid: str = "P1", age: int = 60) -> dict[str, Any]:
    return {"report_id": rid, "patient_id": pid, "exam_date": day, "patient_age": age, "text": text}


def _ids(result: SeriesResult, report: str) -> dict[str, str]:
    """location -> lesion_id of the observations in one report."""
    return {r["location"]: r["lesion_id"] for r in by_report(result)[report] if r["location"]}


def test_a_cyst_renamed_to_the_body_tail_junction_keeps_its_id(run_series: Run) -> None:
    result = run_series(
        [
            _row("a", "2018-01-01", "PANCREAS: 14 mm cyst in the pancreatic body. No duct dilatation."),
            _row("b", "2019-01-05", "PANCREAS: The known 15 mm cyst at the body/tail junction is unchanged."),
            _row("c", "2020-01-09", "PANCREAS: 15 mm cystic lesion in the pancreatic tail."),
        ]
    )
    rows = [by_report(result)[r][0] for r in "abc"]
    assert len({r["lesion_id"] for r in rows}) == 1 and [r["status"] for r in rows][1:] == ["seen_before"] * 2
    assert rows[2]["location"] == "tail" and rows[0]["location"] == "body"
    assert [(c["report_id"], c["kind"]) for c in result.conflicts] == [("c", "location_changed")]


def test_two_cysts_that_swap_rank_keep_their_ids(run_series: Run) -> None:
    result = run_series(
        [
            _row(
                "a",
                "2018-01-01",
                "PANCREAS: 20 mm cyst in the pancreatic tail. A 9 mm cyst in the pancreatic head.",
            ),
            _row(
                "b",
                "2019-01-05",
                "PANCREAS: 10 mm cyst in the pancreatic head. 21 mm cyst in the pancreatic tail.",
            ),
        ]
    )
    assert _ids(result, "a") == _ids(result, "b")
    assert len(set(_ids(result, "a").values())) == 2


def test_a_new_cyst_gets_a_new_id(run_series: Run) -> None:
    result = run_series(
        [
            _row("a", "2018-01-01", "PANCREAS: 8 mm cyst in the pancreatic tail."),
            _row(
                "b",
                "2019-01-05",
                "PANCREAS: 8 mm cyst in the pancreatic tail, unchanged. New 6 mm cyst in the pancreatic head.",
            ),
        ]
    )
    rows = {r["location"]: r for r in by_report(result)["b"]}
    assert rows["tail"]["status"] == "seen_before" and rows["head"]["status"] == "new"
    assert rows["head"]["lesion_id"] != rows["tail"]["lesion_id"]


def test_a_resected_cyst_and_a_resolved_one(run_series: Run) -> None:
    result = run_series(
        [
            _row(
                "a",
                "2018-01-01",
                "PANCREAS: 25 mm cyst in the pancreatic tail. 7 mm cyst in the pancreatic head.",
            ),
            _row(
                "b",
                "2019-01-05",
                "HISTORY: Status post distal pancreatectomy. PANCREAS: 7 mm cyst in the pancreatic head.",
            ),
            _row("c", "2020-01-10", "PANCREAS: No pancreatic cyst. Post-surgical changes."),
        ]
    )
    statuses = {(r["report_id"], r["status"]) for r in result.lesions}
    assert ("b", "resected") in statuses and ("c", "resolved") in statuses
    resected = next(r for r in result.lesions if r["status"] == "resected")
    assert resected["lesion_id"] == _ids(result, "a")["tail"]


def test_different_patients_never_share_a_lesion(run_series: Run) -> None:
    result = run_series(
        [
            _row("a", "2018-01-01", "PANCREAS: 8 mm cyst in the pancreatic tail.", pid="P1"),
            _row("b", "2019-01-05", "PANCREAS: 8 mm cyst in the pancreatic tail.", pid="P2"),
        ]
    )
    assert by_report(result)["a"][0]["lesion_id"] != by_report(result)["b"][0]["lesion_id"]


_LOCS = st.sampled_from(["head", "uncinate", "neck", "body", "tail", "unspecified"])
_LESION = st.builds(
    lambda loc, size: Lesion(location=loc, size_mm=size, evidence=[]),
    _LOCS,
    st.one_of(st.none(), st.floats(2, 60)),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(_LESION, max_size=4), min_size=1, max_size=5))
def test_every_observation_is_in_one_track_and_a_track_sees_an_exam_once(exams: list[list[Lesion]]) -> None:
    inputs = [ExamLesions(f"r{n}", None, "PANCREAS.", lesions) for n, lesions in enumerate(exams)]
    tracks, events = link_patient("P", inputs, load_rules())
    seen = [(o.exam, o.lesion) for t in tracks for o in t.observations]
    assert sorted(seen) == sorted((n, i) for n, lesions in enumerate(exams) for i in range(len(lesions)))
    for track in tracks:
        assert len({o.exam for o in track.observations}) == len(track.observations)
    assert all(e.observation is None or (e.observation.exam, e.observation.lesion) in seen for e in events)


def test_the_new_cue_is_read_in_the_lesions_sentence() -> None:
    from pancyst.track.link import cue_of

    text = "Old 5 mm cyst in the tail. There is a new 6 mm cyst in the head."
    head = Lesion(
        location="head", size_mm=6, evidence=[Span(start=44, end=48, text=text[44:48], feature="size_mm")]
    )
    tail = Lesion(
        location="tail", size_mm=5, evidence=[Span(start=4, end=8, text=text[4:8], feature="size_mm")]
    )
    assert cue_of(text, head, load_rules()) == "new" and cue_of(text, tail, load_rules()) is None


def test_cues_are_read_in_the_whole_sentence_not_up_to_a_decimal_point() -> None:
    from pancyst.track.link import cue_of

    text = "PANCREAS: The known cyst measures 1.4 cm in the tail. A new 6 mm cyst is in the head."
    start = text.index("1.4 cm")
    tail = Lesion(
        location="tail",
        size_mm=14,
        evidence=[Span(start=start, end=start + 6, text="1.4 cm", feature="size_mm")],
    )
    assert cue_of(text, tail, load_rules()) == "seen"
