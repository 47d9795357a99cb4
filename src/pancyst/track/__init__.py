"""Patients over time: link a patient's reports, track each cyst, measure follow-up adherence.

``link`` matches lesions across exams (rules in ``linking.yaml``); ``series`` gives each exam the
growth its own patient's earlier reports show and re-runs the guideline engine on it; ``adherence``
turns the recommended schedules and the next exam dates into on-time / late / lost; ``tables``
writes the exams, lesions and patients tables; ``timeline`` draws the per-patient page."""

from pancyst.track.adherence import Adherence, add_months, adherence_of, months_between
from pancyst.track.link import LinkRules, Observation, Track, link_patient, load_rules
from pancyst.track.series import ExamResult, SeriesResult, track_patients

__all__ = [
    "Adherence",
    "ExamResult",
    "LinkRules",
    "Observation",
    "SeriesResult",
    "Track",
    "add_months",
    "adherence_of",
    "link_patient",
    "load_rules",
    "months_between",
    "track_patients",
]
