"""Stage 4, roles: what each number in a clause measures (the cyst now, the cyst before, a nodule,
a duct) and the date or interval of a prior size.
"""

from __future__ import annotations

import datetime as dt
import re

from pancyst.extract.rules import assertion as A
from pancyst.extract.rules import patterns as P
from pancyst.extract.rules.document import Doc, has_any
from pancyst.extract.rules.duct import communication_target, is_compound_heading, meas_between, narrated_size
from pancyst.extract.rules.model import LesionAcc, Mention, Sentence, Value
from pancyst.text.context import NEGATED
from pancyst.text.dates import DateMention, IntervalMention
from pancyst.text.measurements import Measurement


def measure_mention(doc: Doc, mention: Mention, lo: int, hi: int, sent: Sentence) -> None:
    ms = doc.meas_in(lo, hi)
    if not ms:
        return
    roles = [measurement_role(doc, ms, idx, lo, hi, sent) for idx in range(len(ms))]
    _earlier_size_of_a_cyst_seen_before(doc.t, ms, roles, lo)
    _size_of_another_object(doc.t, ms, roles)
    listed_priors(doc.t, ms, roles)
    _duct_priors(doc.t, ms, roles)
    currents: list[Measurement] = []
    priors: list[Measurement] = []
    took: IntervalMention | None = None  # the time a change "from 8 to 12 mm" took ("in 2 years")
    for m, role in zip(ms, roles, strict=True):
        if role == "current":
            currents.append(m)
        elif role == "prior":
            priors.append(m)
        elif role == "from_to":
            priors.append(Measurement(m.start, m.end, (m.values_mm[0],), "size"))
            currents.append(Measurement(m.start, m.end, (m.values_mm[1],), "size"))
            took = took or _change_took(doc, m, sent)
        elif role == "nodule" and mention.nodule_size is None:
            mention.nodule_size = Value(m.longest_mm, [(m.start, m.end)])
    if currents:
        pick = max(currents, key=lambda x: x.longest_mm) if mention.plural else _one_size(doc.t, currents)
        mention.size = Value(pick.longest_mm, [(pick.start, pick.end)])
    if priors:
        # the most recent prior: the one with the latest date, else the first
        dated = [(_date_near(doc, p, lo, hi, sent), p) for p in priors]
        with_date = [(d, p) for d, p in dated if d is not None]
        if with_date:
            d, p = max(with_date, key=lambda x: x[0].date)
            mention.prior = Value(p.longest_mm, [(p.start, p.end)])
            mention.prior_date = Value(d.date, [(d.start, d.end)])
        else:
            p = latest_by_year(doc.t, priors) or priors[0]
            mention.prior = Value(p.longest_mm, [(p.start, p.end)])
        iv = _interval_near(doc, p, sent) or took
        if iv is not None:
            mention.prior_interval = Value(iv.months, [(iv.start, iv.end)])
    elif "skip" in roles and has_any(doc.t[lo:hi], P.CHANGE_WORDS):
        # "Interval growth of 3 mm over 12 months." after the prior was given: the time the change took
        iv = next((x for x in doc.intervals_in(lo, hi) if time_since(doc.t, x, lo)), None)
        if iv is not None:
            mention.prior_interval = Value(iv.months, [(iv.start, iv.end)])


def _one_size(t: str, currents: list[Measurement]) -> Measurement:
    """The first size of a lesion, or, when the next size is its other axis ("8 mm in short axis and 12 mm in
    long axis"), the longer of the two (SPEC §2 row 1: the longest diameter)."""
    first = currents[0]
    if len(currents) > 1 and P.AXIS_PAIR_GAP_RE.fullmatch(t, first.end, currents[1].start):
        return max(currents[:2], key=lambda x: x.longest_mm)
    return first


def listed_priors(t: str, ms: list[Measurement], roles: list[str]) -> None:
    """ "previously 5 mm and 10 mm", "1.2 cm (2019) and 1.6 cm (2021)": a size listed right after a prior is a
    prior too."""
    _relabel_after(t, ms, roles, ("current", "prior"), P.LIST_GAP_RE, "prior")


def _relabel_after(
    t: str, ms: list[Measurement], roles: list[str], pair: tuple[str, str], gap: re.Pattern[str], new: str
) -> None:
    """A size whose role is ``pair[0]``, right after one whose role is ``pair[1]`` with only ``gap`` between them,
    takes the role ``new``."""
    role, before = pair
    for i in range(1, len(ms)):
        if roles[i] == role and roles[i - 1] == before and gap.fullmatch(t, ms[i - 1].end, ms[i].start):
            roles[i] = new


def latest_by_year(t: str, priors: list[Measurement]) -> Measurement | None:
    """Of several undated priors that each name their year ("it measured 1.2 cm in 2019 and 1.6 cm in 2021"),
    the latest; None unless every one names a year."""
    if len(priors) < 2:
        return None
    years: list[int] = []
    for p in priors:
        year = P.YEAR_AFTER_SIZE_RE.match(t, p.end)
        if year is None:
            return None
        years.append(int(year.group(1)))
    return priors[years.index(max(years))]


def _earlier_size_of_a_cyst_seen_before(t: str, ms: list[Measurement], roles: list[str], lo: int) -> None:
    """ "The 9 mm cyst seen previously in the head is again seen and now measures 10 mm": a size in a noun
    phrase that names the cyst as seen before is its prior when a later size of the sentence is the one now
    (without such a later size, "the previously seen 9 mm cyst is unchanged" keeps 9 mm as today's)."""
    for i in range(len(ms) - 1):
        if roles[i] != "current":
            continue
        m = ms[i]
        named_before = P.NAMED_BEFORE_SIZE_BEFORE_RE.search(t, max(lo, m.start - 40), m.start) or (
            P.NAMED_BEFORE_SIZE_AFTER_RE.match(t[m.end : m.end + 80])
        )
        # ("the 1.5 cm cyst in the head has grown to 2.6 cm": a definite size, then a change to a new one)
        definite = named_before or P.DEFINITE_SIZE_BEFORE_RE.search(t, max(lo, m.start - 20), m.start)
        if not definite:
            continue
        cue = P.CURRENT_BEFORE_RE if named_before else P.CHANGED_TO_BEFORE_RE
        later = [
            j
            for j in range(i + 1, len(ms))
            if roles[j] == "current" and cue.search(t, max(ms[j - 1].end, ms[j].start - 40), ms[j].start)
        ]
        if later:
            # "the reported 9 mm lesion actually measures 11 mm": a correction, the 9 mm was never the size
            corrected = P.CORRECTED_NOW_BEFORE_RE.search(
                t, max(ms[later[0] - 1].end, ms[later[0]].start - 40), ms[later[0]].start
            )
            roles[i] = "skip" if corrected else "prior"


def _duct_priors(t: str, ms: list[Measurement], roles: list[str]) -> None:
    """ "the main duct dilated to 8 mm in the body (previously 6 mm), and the cyst … 3.2 cm (previously 2.6 cm)": an
    earlier size right after a duct's size is the duct's, not the cyst's."""
    _relabel_after(t, ms, roles, ("prior", "duct"), P.DUCT_PRIOR_GAP_RE, "skip")


def _size_of_another_object(t: str, ms: list[Measurement], roles: list[str]) -> None:
    """ "an 18-mm hypoenhancing solid mass in the head … and a 6 mm simple-appearing cyst in the tail": a size
    written before the solid or other object it measures is not the cyst's, when a later size of the segment
    is (with no later size it stays: "a 3 cm solid mass, likely a solid pseudopapillary neoplasm")."""
    current = [i for i, role in enumerate(roles) if role == "current"]
    for i in current[:-1]:
        # (or of each of its parts: "with multiple small cysts (<2 cm each) … measuring 4.4 x 3.9 cm")
        if P.SIZE_OF_OTHER_RE.match(t, ms[i].end) or P.EACH_AFTER_RE.match(t, ms[i].end):
            roles[i] = "skip"


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def measurement_role(doc: Doc, ms: list[Measurement], idx: int, lo: int, hi: int, sent: Sentence) -> str:
    t = doc.t
    m = ms[idx]
    prev_end = ms[idx - 1].end if idx > 0 else lo
    before_full = t[max(prev_end, m.start - 60, sent.start) : m.start]
    # cut the before-window at the last clause punctuation (not inside a closed aside)
    scan = P.ASIDE_RE.sub(_blank, before_full) if ")" in before_full else before_full
    cut = max(scan.rfind(","), scan.rfind(";"), scan.rfind("("))
    before = scan[cut + 1 :] if cut >= 0 else scan
    if cut >= 0 and before_full[cut] == "(" and not before.strip():
        before = before_full[:cut]  # "unchanged vs prior (1.1 cm)": the cue before the parenthesis
    if P.CORRECTION_BEFORE_RE.search(before_full[-30:]) and _corrected(doc, before_full[-30:], sent):
        return "skip"
    if A.names_a_criterion(doc, m, sent):
        return "skip"  # "Worrisome features: size >3 cm, ...": a criterion met, not a measurement
    if "by" in before and P.DELTA_BEFORE_RE.search(before):
        return "skip"
    if _change_amount(t, before_full, m.end):
        return "skip"
    if _part_thickness(t, before_full, m.end):
        return "skip"  # "a thickened wall (3 mm)": the wall's thickness, not a size of the cyst
    mods = doc.ctx.modifiers(m.start, m.end, sent.start, sent.end)
    if NEGATED in mods and re.search(
        r"\b(?:not|rather\s+than|instead\s+of)\s+(?:\S+\s+){0,2}$", before_full[-25:]
    ):
        return "skip"
    nxt_start = ms[idx + 1].start if idx + 1 < len(ms) else hi
    # "16 mm -> 21 mm", "(16mm → 21mm)": a change written with an arrow, before and now
    if idx + 1 < len(ms) and P.ARROW_GAP_RE.fullmatch(t, m.end, nxt_start):
        return "prior"
    if idx > 0 and P.ARROW_GAP_RE.fullmatch(t, prev_end, m.start):
        return "current"
    # nodule size
    after = t[m.end : min(nxt_start, m.end + 60, hi)]
    # (every nodule phrase holds one of P.NODULE_WORDS: the substring test spares most searches)
    stop = min(hi, m.end + 45)
    nm = P.NODULE_RE.search(t, m.end, stop) if has_any(t[m.end : stop], P.NODULE_WORDS) else None
    if nm is not None and P.NODULE_AFTER_GAP_RE.match(t[m.end : nm.start()]):
        return "nodule"
    prior_cue = bool(P.PRIOR_BEFORE_RE.search(before)) and not P.RANGE_FROM_RE.search(before)
    if (not prior_cue or P.PART_CLAUSE_BEFORE_RE.search(before)) and not P.PRIOR_AFTER_RE.match(after):
        # "... nodule, measuring 9 mm on the study of 14/11/2014" is the cyst's prior size
        # "(previously 12 mm)" after "without enhancing nodule" is the cyst's prior, not the nodule's size
        near = max(lo, m.start - 40)
        for nm2 in (
            P.NODULE_RE.finditer(t, near, m.start) if has_any(t[near : m.start], P.NODULE_WORDS) else ()
        ):
            if P.NODULE_BEFORE_GAP_RE.match(t[nm2.end() : m.start]):
                return "nodule"
    # duct diameter (not when the size is followed by the cyst it measures: "12 mm unilocular cyst")
    rest = t[m.end : min(hi, m.end + 60)]
    sized_cyst = has_any(rest, P.CYST_WORDS) and P.SIZE_OF_CYST_RE.match(rest)
    for dm in () if sized_cyst else P.DUCT_RE.finditer(t, max(lo, m.start - 50), m.start):
        if is_compound_heading(t, dm):
            continue
        if communication_target(t, max(lo, dm.start() - 40), dm.start(), dm.end(), m, sent):
            continue  # "communicates with the main duct (previously 2.7 cm)": the duct is not measured
        if is_cystic_branch(t, dm, lo):
            continue  # "cystic dilatations of side branches in the head, up to 11 mm": the cysts' size
        gap = t[dm.end() : m.start]
        if P.MEAS_DUCT_GAP_RE.match(gap) or (
            ";" not in gap
            and (
                not P.DUCT_GAP_VETO_RE.search(gap)
                or narrated_size(t, dm.start(), dm.end(), m, sent.start, sent.end)
            )
            and not P.ANCHOR_RE.search(gap)
            and not meas_between(doc, dm.end(), m.start)
            and not re.search(r"\b(?:and|but|while)\s+(?:the\s+|a\s+|an\s+)?\w+\s+(?:measures|is|has)", gap)
        ):
            return "duct"
    ahead = t[m.end : min(hi, m.end + 30)]
    if (
        ("duct" in ahead or "mpd" in ahead or "cbd" in ahead)  # what the pattern needs, found without it
        and P.DUCT_AFTER_RE.match(ahead)
        and not P.CYST_AFTER_RE.match(ahead)
    ):
        return "duct"
    if m.kind == "range" and P.CHANGE_FROM_RE.search(t[max(sent.start, m.start - 80) : m.start]):
        return "from_to"
    if P.CURRENT_BEFORE_RE.search(before):
        return "current"
    if prior_cue and P.CURRENT_AFTER_RE.match(after):
        return "current"  # "it measured 11 mm at that time, compared to 14 mm today"
    if prior_cue:
        return "prior"
    if P.PAST_BEFORE_RE.search(before) and P.PRIOR_CONTEXT_RE.search(t, max(prev_end, sent.start), m.start):
        # "On the prior examination from 4/15/2013, it measured 1.9 cm.", "It was not pointed out on previous CT
        # (2022/08/10), but retrospectively it existed with 7mm in size."
        return "prior"
    am = P.PRIOR_AFTER_RE.match(after)
    if am is not None:
        # a cue that introduces the next measurement ("1.5 cm, previously 1.2 cm") is not ours
        consumed = idx + 1 < len(ms) and ms[idx + 1].start <= m.end + am.end() + 25 and nxt_start < m.end + 60
        if consumed:
            rest = t[m.end + am.end() : nxt_start]
            if re.fullmatch(
                r"[\s,:(]*(?:measur\w*|at|of|approximately|about|was|it|it\s+measured)?[\s,:(]*", rest
            ):
                return "current"
        return "prior"
    # a date right after a measurement that is not the exam date marks a prior ("1.2 cm on 3/1/2022")
    return "current"


def _corrected(doc: Doc, before: str, sent: Sentence) -> bool:
    """The size a correction cue leads is a wrong value; "reported as" leads one only where the sentence corrects."""
    if P.REPORTED_AS_RE.search(before) is None:
        return True
    return sent.kind == "addendum" or P.CORRECTION_CONTEXT_RE.search(doc.t, sent.start, sent.end) is not None


def is_cystic_branch(t: str, dm: re.Match[str], lo: int) -> bool:
    """A side branch said to be cystically dilated is the cyst (SPEC §2: a side-branch IPMN's cysts)."""
    if P.DUCT_GROUPS[dm.lastindex or 0] != "sb":
        return False
    return bool(
        P.CYSTIC_BRANCH_BEFORE_RE.search(t, max(lo, dm.start() - 40), dm.start())
        or P.CYSTIC_BRANCH_AFTER_RE.match(t, dm.end())
    )


def listed_sizes(doc: Doc, m: Measurement, lo: int) -> list[Measurement]:
    """The sizes a listed measurement implies, in text order: "8 and 5 mm" -> 8 mm, 5 mm."""
    t = doc.t
    if m.kind != "size" or len(m.values_mm) != 1:
        return [m]
    factor = 10.0 if "c" in t[m.start : m.end] else 1.0  # "cm" / "centimet…"
    out = [m]
    start = m.start
    while True:
        lm = P.LISTED_NUMBER_RE.search(t, max(lo, start - 24), start)
        if lm is None:
            break
        out.insert(0, Measurement(lm.start(1), lm.end(1), (float(lm.group(1)) * factor,), "size"))
        start = lm.start(1)
    return out


def priors_in_order(doc: Doc, sent: Sentence, listed: list[Mention]) -> bool:
    """A sentence that gives the earlier sizes of the cysts just listed, one each and in their order
    ("... two cysts, in the head and tail, measuring 6 and 15 mm respectively. On the previous MRI of
    10 July 2023 they measured 5 and 10 mm."): each listed cyst gets its prior. False when it is not one."""
    ms = [x for m in doc.meas_in(sent.start, sent.end) for x in listed_sizes(doc, m, sent.start)]
    if len(ms) != len(listed) or any(m.size is None or m.prior is not None for m in listed):
        return False
    if not P.PRIOR_LIST_RE.match(doc.t, sent.start, sent.end):
        return False
    dates = doc.dates_in(sent.start, sent.end)
    for mention, meas in zip(listed, ms, strict=True):
        mention.prior = Value(meas.longest_mm, [(meas.start, meas.end)])
        if dates:
            mention.prior_date = Value(dates[0].date, [(dates[0].start, dates[0].end)])
    return True


def _change_amount(t: str, before: str, end: int) -> bool:
    """A number that says how much a cyst changed ("grew 3 mm", "3 mm growth", "growth (3 mm over two
    years)"): no size of it, now or before."""
    tail = before[-40:].rstrip()
    if has_any(tail, P.CHANGE_WORDS):
        if _ends(P.CHANGE_AMOUNT_BEFORE_RE, tail):
            return True
        if tail.endswith("(") and _ends(P.CHANGE_CUE_BEFORE_RE, tail[:-1].rstrip()):
            return bool(P.CHANGE_OVER_AFTER_RE.match(t, end))
    return has_any(t[end : end + 40], P.CHANGE_AFTER_WORDS) and bool(P.CHANGE_AMOUNT_AFTER_RE.match(t, end))


def _part_thickness(t: str, before: str, end: int) -> bool:
    """A number that measures a wall or septum ("thickened wall (3 mm)", "septa up to 2 mm thick")."""
    if "thick" in before[-45:] and P.PART_SIZE_BEFORE_RE.search(before[-45:]):
        return True
    return "thick" in t[end : end + 16] and P.PART_SIZE_AFTER_RE.match(t, end) is not None


def _ends(pattern: re.Pattern[str], text: str) -> bool:
    """Whether a match of ``pattern`` ends ``text``."""
    return any(m.end() == len(text) for m in pattern.finditer(text))


def _date_near(doc: Doc, p: Measurement, lo: int, hi: int, sent: Sentence) -> DateMention | None:
    best: tuple[int, DateMention] | None = None
    for d in doc.dates_in(sent.start, sent.end):
        if d.end > sent.end or _dates_this_exam(doc.t, d.start):
            continue
        dist = p.start - d.end if d.end <= p.start else d.start - p.end
        if best is None or dist < best[0]:
            best = (dist, d)
    return best[1] if best else None


def _dates_this_exam(t: str, a: int) -> bool:
    """The date at ``a`` follows a phrase naming the current exam ("(current exam 01/20/2024)"): no prior's."""
    return any(m.end() == a for m in P.CURRENT_EXAM_DATE_RE.finditer(t, max(0, a - 40), a))


def time_since(t: str, iv: IntervalMention, lo: int) -> bool:
    """An interval that says how long ago ("18 months ago", "over the past year"), not a duration of
    something else; ``lo``: where the clause that may hold its cue begins."""
    return bool(
        P.INTERVAL_SINCE_AFTER_RE.match(t[iv.end : iv.end + 20])
        or P.INTERVAL_SINCE_BEFORE_RE.search(t[max(lo, iv.start - 30) : iv.start])
    )


def _change_took(doc: Doc, m: Measurement, sent: Sentence) -> IntervalMention | None:
    """The time right after a change from one size to another ("has grown from 8 mm to 12 mm in 2 years")."""
    return next(
        (
            iv
            for iv in doc.intervals_in(m.end, min(sent.end, m.end + 30))
            if P.CHANGE_TOOK_GAP_RE.fullmatch(doc.t, m.end, iv.start)
        ),
        None,
    )


def _interval_near(doc: Doc, p: Measurement, sent: Sentence) -> IntervalMention | None:
    t = doc.t
    best: tuple[int, IntervalMention] | None = None
    for iv in doc.intervals_in(sent.start, sent.end):
        if iv.end > sent.end or not time_since(t, iv, sent.start):
            continue
        dist = p.start - iv.end if iv.end <= p.start else iv.start - p.end
        if best is None or dist < best[0]:
            best = (dist, iv)
    return best[1] if best else None


LATEST = dt.date.max  # "Today's MRCP" without a date: the latest exam of a series


def described_exam_date(doc: Doc, les: LesionAcc) -> Value | None:
    """The date (and its span) of the exam the lesion's first description belongs to, when its sentence
    opens with an exam of its own and a date ("MRI 6/1/2023: ..."); "Today's MRCP" is the latest."""
    described = [m for m in les.mentions if m.group != "continuation"]
    # the first description with a size: a cyst first only named ("referred for a pancreatic cyst") is dated
    # by the exam that measured it
    first = next((m for m in described if m.size is not None), described[0] if described else None)
    if first is None:
        return None
    sent = first.sent
    # the sentence, or its line that names the cyst ("Dear Dr Patel,\nHer MRCP (21/03/2024) shows …")
    start = max(sent.start, doc.t.rfind("\n", sent.start, first.anchor[0]) + 1)
    label = P.EXAM_LABEL_RE.match(doc.t, start, min(sent.end, start + 70))
    if label is None:
        return None
    dates = [d for d in doc.dates_in(sent.start, sent.end) if start <= d.start < first.anchor[0]]
    if dates and dates[0].start - label.end() < 25:
        return Value(dates[0].date, [(dates[0].start, dates[0].end)])
    year = P.YEAR_AFTER_SIZE_RE.match(doc.t, label.end(), first.anchor[0])
    if year is not None:  # "CT in 2018 showed …": an exam dated by its year (an int, in a series of such)
        return Value(int(year.group(1)), [year.span(1)])
    return Value(LATEST) if label.group("today") or label.group("today2") or label.group("today3") else None
