"""Stage 6, assembly: lesions into the SPEC ``Extraction`` with evidence spans; comparison dates and the
exam date.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from typing import Any

from pancyst.extract.rules import patterns as P
from pancyst.extract.rules.document import Doc, has_any
from pancyst.extract.rules.duct import duct_features
from pancyst.extract.rules.model import NO_LESION_SECTIONS, LesionAcc, Value
from pancyst.extract.rules.roles import LATEST, described_exam_date, time_since
from pancyst.schema import Extraction, Lesion, Multiplicity, Span
from pancyst.text.dates import DateMention, IntervalMention
from pancyst.text.normalize import to_normalized


def _counted_field(doc: Doc) -> tuple[int, int] | None:
    """A template's count field, outside the history, that answers two or more ("Number of cysts: 3",
    "Number of cystic lesions: multiple"): where it is, or None."""
    t = doc.t
    if "number" not in t and "count" not in t and "no." not in t:
        return None
    for fm in P.COUNT_FIELD_RE.finditer(t):
        if fm.group(1) is not None and int(fm.group(1)) < 2:
            continue
        sent = next((s for s in doc.sentences if s.start <= fm.start() < s.end), None)
        if sent is not None and sent.kind not in NO_LESION_SECTIONS:
            return fm.start(), fm.end()
    return None


def assemble(doc: Doc, lesions: list[LesionAcc]) -> Extraction:
    t = doc.t
    comparison: tuple[Value | None, Value | None] | None = None  # only a prior size without a date needs it
    exam_date = _exam_date(doc) or _dated_by_a_description(doc, lesions)
    out: list[Lesion] = []
    report_ev: dict[str, list[Span]] = {}
    pcl_spans: list[Span] = []
    for les in lesions:
        ev: list[Span] = []

        def add(feature: str, v: Value | None, ev: list[Span] = ev) -> None:
            if v is None:
                return
            for a, b in v.spans:
                ev.append(doc.span(a, b, feature))

        data: dict[str, Any] = {}
        if les.size is not None:
            data["size_mm"] = float(les.size.value)
            add("size_mm", les.size)
        if les.location is not None:
            data["location"] = les.location.value
            add("location", les.location)
        if les.nodule is not None and les.nodule.value != "not_stated":
            data["mural_nodule"] = les.nodule.value
            add("mural_nodule", les.nodule)
            if les.nodule_size is not None and les.nodule.value != "absent":
                data["nodule_size_mm"] = float(les.nodule_size.value)
        if les.wall is not None:
            data["wall_thickening"] = les.wall.value
            add("wall_thickening", les.wall)
        if les.septa is not None:
            data["septations"] = les.septa.value
            add("septations", les.septa)
        comm = les.comm if les.comm is not None and les.comm.value != "not_stated" else None
        if (
            comm is None
            and les.comm_implied is not None
            and (les.comm is None or les.comm.value != "not_stated")
        ):
            comm = les.comm_implied
        if (
            comm is None
            and les.comm is not None
            and les.comm.value == "not_stated"
            and les.comm_implied is not None
        ):
            comm = None
        if comm is not None:
            data["mpd_communication"] = comm.value
            add("mpd_communication", comm)
        if les.prior is not None:
            data["prior_size_mm"] = float(les.prior.value)
            add("prior_size_mm", les.prior)
            if les.prior_date is not None:
                data["prior_exam_date"] = les.prior_date.value
                add("interval_months", les.prior_date)
            else:
                stated = les.prior_interval
                comparison_date = comparison_interval = None
                if stated is None or _vague(doc, stated):
                    # a comparison exam's date beats "last year"
                    if comparison is None:
                        comparison = _comparison_prior(doc)
                    comparison_date, comparison_interval = comparison
                if comparison_date is not None:
                    data["prior_exam_date"] = comparison_date.value
                    add("interval_months", comparison_date)
                else:
                    interval = (
                        comparison_interval if stated is None or comparison_interval is not None else stated
                    )
                    if interval is not None:
                        data["stated_interval_months"] = float(interval.value)
                        add("interval_months", interval)
        if les.ptype is not None:
            data["presumed_type"] = les.ptype.value
            if les.ptype.value != "unspecified":
                add("presumed_type", les.ptype)
        if les.calc is not None:
            data["calcification"] = les.calc.value
            add("calcification", les.calc)
        data["count"] = max(1, les.count)
        first = next((mm for mm in les.mentions if mm.group != "continuation"), None)
        if first is not None:
            pcl_spans.append(doc.span(*first.anchor))
        data["evidence"] = ev
        out.append(Lesion.model_validate(data))
    if pcl_spans:
        report_ev["pcl_present"] = pcl_spans
    multiplicity: Multiplicity = "single"
    if len(out) >= 2 or any(les.count >= 2 for les in out):
        multiplicity = "multiple"
        plural = next((mm for les in lesions for mm in les.mentions if mm.plural), None)
        report_ev["multiplicity"] = [doc.span(*plural.anchor)] if plural is not None else pcl_spans[:2]
    elif out and (field := _counted_field(doc)) is not None:
        multiplicity = "multiple"  # "Number of cysts: 3" above the dominant cyst's fields
        report_ev["multiplicity"] = [doc.span(*field)]
    diameter, dilated = duct_features(doc)
    if diameter is not None:
        report_ev["mpd_diameter_mm"] = [doc.span(a, b) for a, b in diameter.spans]
    if dilated is not None:
        report_ev["mpd_dilated"] = [doc.span(a, b) for a, b in dilated.spans]
    if exam_date is not None:
        report_ev["exam_date"] = [doc.span(a, b) for a, b in exam_date.spans]
    del t
    return Extraction(
        pcl_present=bool(out),
        lesions=out,
        multiplicity=multiplicity,
        mpd_diameter_mm=float(diameter.value) if diameter is not None else None,
        mpd_dilated=dilated.value if dilated is not None else "not_stated",
        exam_date=exam_date.value if exam_date is not None else None,
        evidence=report_ev,
        warnings=list(doc.warnings),
    )


def _vague(doc: Doc, interval: Value) -> bool:
    """An interval written with no number ("last year"), or the rounded time a change took ("from 8 mm to 12 mm
    in 2 years"): a comparison exam's date or interval is better."""
    s, e = interval.spans[0]
    if doc.t[s:e].lower() == "year":  # (a numbered interval's span holds its number)
        return True
    before = doc.meas_in(max(0, s - 30), s)
    return bool(before) and P.CHANGE_TOOK_GAP_RE.fullmatch(doc.t, before[-1].end, s) is not None


def _comparison_prior(doc: Doc) -> tuple[Value | None, Value | None]:
    best: DateMention | None = None
    interval: IntervalMention | None = None
    exam = _exam_date(doc)
    for sec in doc.smap.sections:
        if sec.kind != "comparison":
            continue
        a = to_normalized(doc.norm, sec.start)
        b = to_normalized(doc.norm, sec.end)
        for d in doc.dates_in(a, b):
            if (exam is None or d.date != exam.value) and (best is None or d.date > best.date):
                best = d
        for iv in doc.intervals_in(a, b):
            if interval is None:
                interval = iv
    if best is None:
        # "Compared to the previous examination of 20/06/2022." written as a findings sentence
        starts = [sent.start for sent in doc.sentences]
        seen: set[int] = set()
        for cm in P.COMPARISON_SENT_RE.finditer(doc.t):  # one pass, then the sentence of each hit
            k = bisect_right(starts, cm.start()) - 1
            if k < 0 or k in seen:
                continue
            seen.add(k)
            sent = doc.sentences[k]
            if sent.kind in ("comparison", "technique") or cm.end() > sent.end:
                continue
            if doc.meas_in(sent.start, sent.end):
                continue
            for d in doc.dates_in(sent.start, sent.end):
                if (exam is None or d.date != exam.value) and (best is None or d.date > best.date):
                    best = d
            if interval is None:  # "Comparison is made to CT from 18 months ago."
                ivs = doc.intervals_in(sent.start, sent.end)
                interval = next((iv for iv in ivs if time_since(doc.t, iv, sent.start)), None)
    dv = Value(best.date, [(best.start, best.end)]) if best else None
    iv_v = Value(interval.months, [(interval.start, interval.end)]) if interval else None
    return dv, iv_v


def _exam_date(doc: Doc) -> Value | None:
    if doc.exam_date is False:
        doc.exam_date = _find_exam_date(doc)
    return doc.exam_date if isinstance(doc.exam_date, Value) else None


def _dated_by_a_description(doc: Doc, lesions: list[LesionAcc]) -> Value | None:
    """With no exam date in the header, the date of the exam whose description measures a lesion with a
    dated prior ("Her recent MRCP (12/03/2024) shows a 22 mm cyst …, increased from 17 mm on the MRCP of
    March 2023"): the size is that exam's, so the interval runs from the prior to it."""
    for les in lesions:
        if les.prior_date is None or les.size is None:
            continue
        when = described_exam_date(doc, les)
        if (
            when is not None
            and isinstance(when.value, dt.date)
            and les.prior_date.value < when.value < LATEST  # (LATEST: an undated "today's" exam)
        ):
            return when
    return None


def _find_exam_date(doc: Doc) -> Value | None:
    for sec in doc.smap.sections:
        if sec.kind not in ("exam", "preamble"):
            continue
        a = to_normalized(doc.norm, sec.header_start)
        b = to_normalized(doc.norm, sec.end)
        found = _line_date(doc, a, b)
        if found is not None:
            return found
    end = doc.t.find("\n")
    if (
        0 < end <= 120
        and P.EXAM_TITLE_RE.match(doc.t, 0, end)
        and not doc.meas_in(0, end)
        and not any(sec.kind == "exam" for sec in doc.smap.sections)
        # (not a labelled line of another section: "Preliminary examination: MRI of 21.03.2023." is the comparison)
        and doc.smap.opening_kind in (None, "exam")
    ):
        # a title line, "Abdomen CT 2/14/2024 compared to 2/10/2023:", opening a report with no exam section
        return _line_date(doc, 0, end)
    return _phrase_date(doc)


def _phrase_date(doc: Doc) -> Value | None:
    """A date written right after a phrase that names the current exam ("Exam date 2024-01-20.")."""
    if not has_any(doc.t, P.CURRENT_EXAM_DATE_WORDS):
        return None
    for m in P.CURRENT_EXAM_DATE_RE.finditer(doc.t):
        found = doc.dates_in(m.end(), min(len(doc.t), m.end() + 30))
        if found and found[0].start == m.end():
            return Value(found[0].date, [(found[0].start, found[0].end)])
    return None


def _line_date(doc: Doc, a: int, b: int) -> Value | None:
    """The first full date in [a, b) with no comparison cue before it on its line."""
    for d in doc.dates_in(a, b):
        nl = doc.t.rfind("\n", a, d.start)
        line = doc.t[nl + 1 if nl >= 0 else a : d.start]
        if d.precision == "day" and not P.PRIOR_DATE_LINE_RE.search(line):
            return Value(d.date, [(d.start, d.end)])
    return None
