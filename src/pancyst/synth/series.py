"""Synthetic patients over time (`pancyst synth --patients N`): 1-6 reports per patient.

Each patient starts with one to three cysts and is imaged again after a drawn interval (roughly
on schedule, early, late, or never again: lost to follow-up). Between exams a cyst may grow, a new
one may appear ("new"), one may resolve, a body/tail cyst may be resected (the report says "status
post distal pancreatectomy"), a cyst may be described in the neighbouring segment, and a report
may state the prior size (sometimes wrongly) or leave it to the earlier report. Every report is
rendered by the same writer as `pancyst synth`, so each line is also an ordinary gold line; the
line adds `patient_id` and `gold_lesion_ids` (one per gold lesion, stable across the series).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pancyst.guideline import evaluate_report, load_profile
from pancyst.schema import Lesion
from pancyst.synth.generator import _line
from pancyst.synth.plan import PRESUMED, DuctPlan, LesionPlan, Prior, ReportPlan, _sample_distractors, pick
from pancyst.synth.render import Writer

_TEMPLATES: dict[str, float] = {
    "structured": 35,
    "narrative": 30,
    "british": 10,
    "telegraphic": 15,
    "impression_only": 10,
}
_SEGMENTS = ("head", "uncinate", "neck", "body", "tail")
_NEIGHBOUR = {"head": "uncinate", "uncinate": "head", "neck": "body", "body": "tail", "tail": "body"}
_KINDS: dict[str, float] = {"cyst": 55, "bd_ipmn": 40, "serous": 5}
# months after the previous exam, by how the patient keeps the schedule
_TIMING: dict[str, float] = {"on_time": 70, "late": 15, "early": 5, "lost": 10}
RESECTION_NOTE = (
    "\nSURGICAL HISTORY: Status post distal pancreatectomy for a pancreatic cyst since the prior exam.\n"
)


@dataclass
class _Cyst:
    lesion_id: str
    location: str
    kind: str
    size10: int
    rate10: int  # growth per year, tenths of a mm
    last_size10: int | None = None
    last_date: dt.date | None = None


def _due_months(cysts: list[_Cyst], age: int) -> int:
    """The interval ACR 2017 gives these cysts now (what a patient on schedule would keep)."""
    lesions = [
        Lesion(
            size_mm=c.size10 / 10,
            location=c.location,
            presumed_type=PRESUMED[c.kind],
            mpd_communication="present" if c.kind == "bd_ipmn" else "not_stated",
        )
        for c in cysts
    ]
    derived = evaluate_report(
        lesions,
        mpd_diameter_mm=None,
        mpd_dilated="no",
        jaundice=None,
        patient_age=age,
        profile=load_profile("acr2017"),
    )
    rec = derived.recommendation
    return rec.schedule[0][0] if rec is not None and rec.action == "surveillance" and rec.schedule else 24


def _interval(rng: random.Random, cysts: list[_Cyst], age: int) -> tuple[str, int]:
    due = _due_months(cysts, age)
    timing = pick(rng, _TIMING)
    if timing == "late":
        return timing, due + rng.randint(6, 18)
    if timing == "early":
        return timing, max(2, due - rng.randint(5, 8))
    return timing, due + rng.randint(-1, 1)


def _new_cyst(rng: random.Random, pid: str, n: int, taken: set[str]) -> _Cyst | None:
    free = [s for s in _SEGMENTS if s not in taken]
    if not free:
        return None
    return _Cyst(
        f"{pid}:L{n}",
        rng.choice(free),
        pick(rng, _KINDS),
        rng.randint(40, 200),
        rng.choice([0, 0, 0, 10, 20, 40]),
    )


def _lesion_plan(rng: random.Random, cyst: _Cyst, exam: int, new: bool, stated_wrong: bool) -> LesionPlan:
    plan = LesionPlan(kind=cyst.kind, dims10=[cyst.size10], location=cyst.location, new=new and exam > 0)
    if cyst.kind == "bd_ipmn":  # "side-branch IPMN" states duct communication (SPEC row 9)
        plan.communication = "present"
    if cyst.last_size10 is not None and cyst.last_date is not None and rng.random() < 0.5:
        stated = cyst.last_size10 + (rng.choice([-40, 40, 50]) if stated_wrong else 0)
        plan.prior = Prior(size10=max(20, stated), date=cyst.last_date)
    return plan


def _render(
    rng: random.Random, exam_date: dt.date, age: int, lesions: list[LesionPlan], resected: bool
) -> tuple[ReportPlan, Writer, Any]:
    template = pick(rng, _TEMPLATES)
    plan = ReportPlan(
        modality=rng.choice(["CT", "MRI", "MRI"]),
        template=template,
        exam_date=exam_date,
        exam_date_meta=True,
        exam_date_in_text=rng.random() < 0.3,
        age=age,
        sex=rng.choice(["woman", "man"]),
        jaundice=None,
        pcl=bool(lesions),
    )
    plan.date_style = "eu" if template == "british" else "us"
    plan.lesions = lesions
    plan.duct = DuctPlan(state=rng.choice(["no", "no_num", "none"]), d10=rng.choice([20, 25, 30]))
    if plan.duct.state != "no_num":
        plan.duct.d10 = None
    if not lesions:
        plan.nopcl_kind = "resected" if resected else "resolved"
    _sample_distractors(rng, plan)
    writer = Writer(rng, plan)
    return plan, writer, writer.write()


def _series(seed: int, p: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"pancyst-synth-patients:{seed}:{p}")
    pid = f"P{p + 1:04d}"
    age = rng.randint(45, 77)
    day = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(0, 6 * 365))
    n_exams = rng.choices(range(1, 7), weights=(10, 20, 25, 20, 15, 10))[0]
    cysts: list[_Cyst] = []
    counter = 0
    for _ in range(rng.choices((1, 2, 3), weights=(60, 30, 10))[0]):
        counter += 1
        cyst = _new_cyst(rng, pid, counter, {c.location for c in cysts})
        if cyst:
            cysts.append(cyst)
    for exam in range(n_exams):
        fresh: set[str] = set()
        resected = False
        if exam > 0:
            timing, months = _interval(rng, cysts, age)
            if timing == "lost":
                return
            day += dt.timedelta(days=round(months * 30.4375))
            age += months // 12
            for c in cysts:
                c.size10 += round(c.rate10 * months / 12)
            event = rng.random()
            if event < 0.12:
                counter += 1
                added = _new_cyst(rng, pid, counter, {c.location for c in cysts})
                if added:
                    cysts.append(added)
                    fresh.add(added.lesion_id)
            elif event < 0.18 and len(cysts) > 1:
                cysts.remove(min(cysts, key=lambda c: c.size10))
            elif event < 0.23 and any(c.location in ("body", "tail") for c in cysts):
                resected = True
                cysts = [c for c in cysts if c.location not in ("body", "tail")]
            elif event < 0.28 and cysts:
                moved = rng.choice(cysts)
                if _NEIGHBOUR[moved.location] not in {c.location for c in cysts}:
                    moved.location = _NEIGHBOUR[moved.location]
        else:
            fresh = {c.lesion_id for c in cysts}
        wrong = rng.random() < 0.08
        plans = [_lesion_plan(rng, c, exam, c.lesion_id in fresh, wrong) for c in cysts]
        plan, writer, frag = _render(rng, day, age, plans, resected)
        line = _line(f"{pid}-E{exam + 1}", plan, writer, frag)
        if resected and cysts:
            line["text"] += RESECTION_NOTE
        line.update(patient_id=pid, gold_lesion_ids=[c.lesion_id for c in cysts] if plan.pcl else [])
        line["split"] = "series"
        yield line
        for c in cysts:
            c.last_size10, c.last_date = c.size10, day


def generate_patients(n: int, seed: int) -> Iterator[dict[str, Any]]:
    """Every report of patients 0..n-1, patient by patient, exams in date order (seeded per patient)."""
    for p in range(n):
        yield from _series(seed, p)
