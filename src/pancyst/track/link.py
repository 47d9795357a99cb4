"""Lesion linking: which cyst in this exam is which cyst in the patient's earlier exams.

Each open track (one cyst followed over time) is compared with each lesion of the next exam by
location (same, adjacent segment, unstated), size continuity, presumed type and the report's own
words ("new", "previously seen", a stated prior that equals the track's last size). Pairs are
taken cheapest first, one lesion per track, so two cysts that swap rank between reports keep their
ids. A lesion no track takes starts a new track; a track no lesion takes is resolved, or resected
when the report says so for its part of the pancreas. All weights are in ``linking.yaml``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pancyst.resources import load_yaml
from pancyst.schema import Lesion
from pancyst.text.sentences import split_sentences

RULES_PATH = Path(__file__).with_name("linking.yaml")
Status = Literal["new", "seen_before", "resolved", "resected"]


@dataclass(frozen=True)
class LinkRules:
    """``linking.yaml``, compiled."""

    max_cost: float
    location: dict[str, float]
    adjacent: frozenset[frozenset[str]]
    size: dict[str, float]
    type_mismatch: float
    seen_bonus: float
    stated_prior_bonus: float
    new: tuple[re.Pattern[str], ...]
    seen: tuple[re.Pattern[str], ...]
    resection: tuple[tuple[re.Pattern[str], frozenset[str] | None], ...]

    def agrees(self, stated: float, measured: float) -> bool:
        """A stated prior size agrees with an earlier report's own measurement."""
        return abs(stated - measured) <= max(self.size["agree_mm"], self.size["agree_fraction"] * measured)


def _patterns(items: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in items)


@cache
def load_rules(path: str | None = None) -> LinkRules:
    data: dict[str, Any] = load_yaml(Path(path or RULES_PATH).read_text(encoding="utf-8"))
    loc = data["location"]
    return LinkRules(
        max_cost=float(data["max_cost"]),
        location={k: float(loc[k]) for k in ("same", "adjacent", "unspecified")},
        adjacent=frozenset(frozenset(pair) for pair in loc["adjacency"]),
        size={k: float(v) for k, v in data["size"].items()},
        type_mismatch=float(data["type_mismatch"]),
        seen_bonus=float(data["cues"]["seen_bonus"]),
        stated_prior_bonus=float(data["cues"]["stated_prior_bonus"]),
        new=_patterns(data["cues"]["new"]),
        seen=_patterns(data["cues"]["seen"]),
        resection=tuple(
            (
                re.compile(r["pattern"], re.IGNORECASE),
                None if r["locations"] == "any" else frozenset(r["locations"]),
            )
            for r in data["resection"]
        ),
    )


@dataclass(frozen=True)
class Observation:
    """One lesion as one exam saw it."""

    exam: int  # position of the exam in the patient's series
    report_id: str
    exam_date: dt.date | None
    lesion: int  # position of the lesion in its result line
    size_mm: float | None
    location: str
    presumed_type: str
    stated_prior_mm: float | None
    cue: Literal["new", "seen"] | None = None


@dataclass
class Track:
    """One cyst followed over a patient's exams."""

    lesion_id: str
    observations: list[Observation] = field(default_factory=list)
    status: Status = "new"
    closed: bool = False  # resected: never linked again

    def last_measured(self) -> Observation | None:
        return next((o for o in reversed(self.observations) if o.size_mm is not None), None)

    def last(self) -> Observation:
        return self.observations[-1]


@dataclass(frozen=True)
class ExamLesions:
    """What the linker needs of one exam: its lesions and its text (for the reports' own words)."""

    report_id: str
    exam_date: dt.date | None
    text: str
    lesions: list[Lesion]


@dataclass(frozen=True)
class LinkEvent:
    """A status row: the observation (None for a track that ended) of a track at an exam."""

    exam: int
    track: Track
    status: Status
    observation: Observation | None


def sentence_around(text: str, start: int) -> str:
    """The sentence (as the text layer splits them: "1.4 cm" and "Dr." end nothing) holding `start`."""
    for a, b in split_sentences(text):
        if a <= start < b:
            return text[a:b]
    return ""


def cue_of(text: str, lesion: Lesion, rules: LinkRules) -> Literal["new", "seen"] | None:
    if not lesion.evidence:
        return None
    first = min(lesion.evidence, key=lambda s: s.start)
    sentence = sentence_around(text, first.start)
    if any(p.search(sentence) for p in rules.new):
        return "new"
    if any(p.search(sentence) for p in rules.seen):
        return "seen"
    return None


def _location_cost(a: str, b: str, rules: LinkRules) -> float:
    if a == b:
        return rules.location["unspecified"] if a == "unspecified" else rules.location["same"]
    if "unspecified" in (a, b):
        return rules.location["unspecified"]
    return rules.location["adjacent"] if frozenset((a, b)) in rules.adjacent else math.inf


def cost(track: Track, obs: Observation, rules: LinkRules) -> float:
    """How unlike the track's last sighting this lesion is (inf: never the same cyst)."""
    if obs.cue == "new" or track.closed:
        return math.inf
    last = track.last()
    measured = track.last_measured()
    before = measured.size_mm if measured is not None else None
    total = _location_cost(last.location, obs.location, rules)
    if before is not None and obs.size_mm is not None:
        total += rules.size["weight"] * abs(obs.size_mm - before) / max(obs.size_mm, before, 1e-9)
    else:
        total += rules.size["missing"]
    if (
        "unspecified" not in (last.presumed_type, obs.presumed_type)
        and last.presumed_type != obs.presumed_type
    ):
        total += rules.type_mismatch
    if obs.cue == "seen":
        total -= rules.seen_bonus
    if obs.stated_prior_mm is not None and before is not None and rules.agrees(obs.stated_prior_mm, before):
        total -= rules.stated_prior_bonus
    return total


def _observations(n: int, exam: ExamLesions, rules: LinkRules) -> list[Observation]:
    return [
        Observation(
            exam=n,
            report_id=exam.report_id,
            exam_date=exam.exam_date,
            lesion=i,
            size_mm=lesion.size_mm,
            location=lesion.location,
            presumed_type=lesion.presumed_type,
            stated_prior_mm=lesion.prior_size_mm,
            cue=cue_of(exam.text, lesion, rules),
        )
        for i, lesion in enumerate(exam.lesions)
    ]


def _resected(text: str, location: str, rules: LinkRules) -> bool:
    return any(p.search(text) and (where is None or location in where) for p, where in rules.resection)


def _matches(
    open_tracks: list[Track],
    observations: list[Observation],
    rules: LinkRules,
    given: dict[tuple[str, int], str] | None,
) -> list[tuple[int, int]]:
    """(track, observation) pairs: the given ids where known (gold), else cheapest first, one to one."""
    if given is not None:
        ids = {t.lesion_id: ti for ti, t in enumerate(open_tracks)}
        return [
            (ids[lid], oi)
            for oi, obs in enumerate(observations)
            if (lid := given.get((obs.report_id, obs.lesion))) is not None and lid in ids
        ]
    pairs = sorted(
        (c, ti, oi)
        for ti, track in enumerate(open_tracks)
        for oi, obs in enumerate(observations)
        if (c := cost(track, obs, rules)) <= rules.max_cost
    )
    taken_tracks: set[int] = set()
    taken_obs: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, ti, oi in pairs:
        if ti not in taken_tracks and oi not in taken_obs:
            taken_tracks.add(ti)
            taken_obs.add(oi)
            out.append((ti, oi))
    return out


def link_patient(
    patient_id: str,
    exams: list[ExamLesions],
    rules: LinkRules | None = None,
    given: dict[tuple[str, int], str] | None = None,
) -> tuple[list[Track], list[LinkEvent]]:
    """Link the lesions of one patient's exams (in date order); returns the tracks and status events.

    `given` maps (report_id, lesion index) to a lesion id (gold links): then only the statuses are
    worked out, the same way as for linked lesions."""
    rules = rules or load_rules()
    tracks: list[Track] = []
    events: list[LinkEvent] = []
    for n, exam in enumerate(exams):
        observations = _observations(n, exam, rules)
        open_tracks = [t for t in tracks if not t.closed]
        taken_tracks: set[int] = set()
        taken_obs: set[int] = set()
        for ti, oi in _matches(open_tracks, observations, rules, given):
            taken_tracks.add(ti)
            taken_obs.add(oi)
            track = open_tracks[ti]
            track.observations.append(observations[oi])
            track.status = "seen_before"
            events.append(LinkEvent(n, track, "seen_before", observations[oi]))
        for ti, track in enumerate(open_tracks):
            if ti in taken_tracks or track.status == "resolved":
                continue
            ended: Status = "resected" if _resected(exam.text, track.last().location, rules) else "resolved"
            track.status = ended
            track.closed = ended == "resected"
            events.append(LinkEvent(n, track, ended, None))
        for oi, obs in enumerate(observations):
            if oi not in taken_obs:
                default = f"{patient_id}:L{len(tracks) + 1}"
                lesion_id = given.get((obs.report_id, obs.lesion), default) if given is not None else default
                track = Track(lesion_id=lesion_id, observations=[obs])
                tracks.append(track)
                events.append(LinkEvent(n, track, "new", obs))
    return tracks, events
