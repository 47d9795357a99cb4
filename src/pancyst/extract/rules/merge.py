"""Stage 5, lesion merge: mentions of the same cyst (findings, impression, addendum, continuation
sentences) folded into one lesion.
"""

from __future__ import annotations

import datetime as dt
import re

from pancyst.extract.rules import patterns as P
from pancyst.extract.rules.document import Doc
from pancyst.extract.rules.model import (
    ALL_ATTRS,
    CONTINUES,
    FINDINGS,
    FIRST_WINS,
    RANK,
    LesionAcc,
    Mention,
    Value,
    refines_type,
)
from pancyst.extract.rules.roles import LATEST, described_exam_date


def only_a_heading(doc: Doc, les: LesionAcc) -> bool:
    return (
        les.size is None
        and les.location is None
        and all(getattr(les, k) is None for k in CONTINUES)
        and all(
            m.group == "continuation" or m.heads_list or P.HEADING_AFTER_RE.match(doc.t, m.anchor[1])
            for m in les.mentions
        )
    )


def _same_size(x: float | None, y: float | None) -> bool:
    return x is not None and y is not None and abs(x - y) <= 0.1 + 1e-9


def _slip(x: float | None, y: float | None) -> bool:
    return x is not None and y is not None and (abs(x * 10 - y) <= 0.5 or abs(y * 10 - x) <= 0.5)


def merge_mentions(doc: Doc, mentions: list[Mention]) -> list[LesionAcc]:
    lesions: list[LesionAcc] = []
    pending: list[Mention] = []
    last: LesionAcc | None = None
    for m in _addenda_last(mentions):
        kind = m.sent.kind
        size = m.size.value if m.size else None
        loc = m.location.value if m.location else None
        target: LesionAcc | None = None
        if (
            m.group == "continuation"
            and m.broadcast
            and len(lesions) > 1
            and (
                m.group_statement
                or any(les.count >= 2 and not only_a_heading(doc, les) for les in lesions)
                or any(x.in_group for les in lesions for x in les.mentions)
                or _named_together_just_before(doc, lesions, m)
            )
        ):
            for les in lesions:
                _fold(les, m, kind, fill_only=True)
            continue
        if _group_is_cystic(doc, lesions, m):
            for les in lesions:  # "Lesion 1: 9 mm head. Lesion 2: 4 mm tail. Both cystic.": each is a cyst
                _fold(les, m, kind, fill_only=True)
                les.confirmed = True
            continue
        if (
            m.plural
            and len(lesions) > 1
            and m.size is None
            and (
                P.ALL_OF_THEM_RE.search(doc.t, max(m.seg[0], m.anchor[0] - 30), m.anchor[0])
                # "Lesions communicate with the main duct." opening a sentence after the cysts were listed
                or P.SENTENCE_OPENING_RE.fullmatch(doc.t, m.sent.start, m.anchor[0])
            )
        ):
            # "All three cysts communicate with the main duct": about each cyst already described
            for les in lesions:
                _fold(les, m, kind, fill_only=True)
            continue
        if m.group == "continuation":
            target = _by_size_opening(doc, lesions, m) or last  # "The larger one abuts the duct.
        elif kind == "impression" and _sums_up(lesions, m):
            for les in lesions:  # "IMPRESSION: Two side-branch IPMNs." after two lesions: each of them
                _fold_group(les, m)
            continue
        elif kind in ("impression", "addendum") and lesions:
            target = _match(lesions, m)
            if (
                target is None
                and (kind == "addendum" or P.DESCRIBED_ABOVE_RE.search(doc.t, m.anchor[1], m.seg[1]))
                and m.definite
                and size is None
                and not m.new_signal
            ):
                # "ADDENDUM: The cyst described above is in the head, not the tail" corrects that cyst
                target = lesions[0] if len(lesions) == 1 else last
            if target is None and size is None and not m.new_signal and loc is None:
                target = last if kind == "addendum" and last is not None else _largest(lesions)
                if m.group == "md" and not is_md(target):
                    # "2. Main duct dilated to 10 mm, consistent with main-duct IPMN." after a cyst the duct does
                    # not reach: the duct's own lesion (a cyst continuous with the duct is part of it)
                    md = [les for les in lesions if is_md(les)]
                    target = md[-1] if md else target if _communicates(target) else None
        else:
            if _another_field_of_the_last(doc, m, last, size, loc):
                target = last  # "Cyst location: tail." then "Cyst size: 14 mm.": one cyst's template fields
            elif (
                lesions
                and not m.new_signal
                and not (m.group == "md" and last is not None and not is_md(last))
                # "Multiple subcentimeter cysts throughout the pancreas" after one cyst: a group, not that cyst
                and not (m.plural and m.count >= 2 and not m.definite and last is not None and last.count < 2)
            ):
                if size is None and loc is None and len(lesions) > 1:
                    target = _by_size(doc, lesions, m)  # "The larger cyst has a mural nodule."
                if target is None and (
                    size is None
                    and (
                        loc is None
                        or (last is not None and last.location and last.location.value == loc)
                        or (last is not None and last.location is None and last.size is None)
                    )
                ):
                    target = last  # a cyst named again without size or a new place is the one just described
                if target is None and (
                    _sizes_the_last(doc, m, last, size, loc) or _sizes_the_known(doc, m, last, loc)
                ):
                    target = last  # "Index cyst location: tail." then "Index cyst size: 21 x 15 mm."
                if target is None and _largest_of_the_group(doc, m, last, size):
                    target = last  # "Multiple cysts, ... IPMN. Index lesion in the head measures 19 mm."
                if target is None and size is not None and _named_before(lesions, m):
                    target = lesions[0]
                if target is None:
                    for les in lesions:
                        lsize = les.size.value if les.size else None
                        lloc = les.location.value if les.location else None
                        if _same_size(lsize, size) and (loc is None or lloc is None or lloc == loc):
                            target = les
                            break
                        if size is None and loc is not None and lloc == loc and m.definite:
                            target = les
                            break
        if target is None and kind == "findings" and not m.new_signal and _impression_first(lesions):
            # "IMPRESSION: … FINDINGS: …": the findings describe the lesions summed up (a group, the group)
            target = _match(lesions, m) or (
                lesions[0] if len(lesions) == 1 and lesions[0].count >= 2 and m.count >= 2 else None
            )
        if target is None:
            if m.organ_unknown:
                pending.append(m)  # a cyst of no known organ: only as a description of a lesion found later
                continue
            if m.group == "continuation":
                continue
            target = LesionAcc()
            lesions.append(target)
        _fold(target, m, kind)
        last = target
    lesions = _summed_up_first(lesions)
    for m in pending:
        target = _match(lesions, m) if m.size is not None else None
        if target is not None:
            if m.sent.kind in ("impression", "addendum"):
                _fold(target, m, m.sent.kind)
            else:
                _fill_missing(target, m)
    return lesions


def _summed_up_first(lesions: list[LesionAcc]) -> list[LesionAcc]:
    """An impression that opens the report and the findings' numbered cysts after it ("Impression: 1. 0.7 cm tail
    cyst. 2. … Findings: … Cyst 1: Location: tail. Largest dimension: 0.7 cm …"): each impression lesion that a later
    findings lesion measures the same, in the same place, is that lesion (a findings heading it took up, "Pancreatic
    cyst(s):", says nothing of its own)."""
    if len(lesions) < 2:
        return lesions  # (nothing to fold into)
    findings = [les for les in lesions if any(_describes(x) for x in les.mentions)]
    if not findings:
        return lesions
    first_finding = min(x.anchor[0] for les in findings for x in les.mentions if _describes(x))
    described = {id(les) for les in findings}
    dropped: set[int] = set()
    for les in lesions:
        if les.size is None or id(les) in described:
            continue
        if not all(x.anchor[0] < first_finding or x.sent.kind != "impression" for x in les.mentions):
            continue
        loc = les.location.value if les.location else None
        same = [
            f
            for f in findings
            if f.size is not None
            and (_same_size(f.size.value, les.size.value) or _slip(f.size.value, les.size.value))
            and (loc is None or f.location is None or f.location.value == loc)
        ]
        if len(same) == 1:
            _fill_missing(same[0], les, (*FINDINGS, "location", "prior", "prior_date", "prior_interval"))
            _fill_type(same[0], les.ptype)
            same[0].mentions[:0] = les.mentions
            dropped.add(id(les))
    return [les for les in lesions if id(les) not in dropped] if dropped else lesions


def _describes(m: Mention) -> bool:
    """A findings mention that measures or places a lesion."""
    return m.sent.kind == "findings" and (m.size is not None or m.location is not None)


def _impression_first(lesions: list[LesionAcc]) -> bool:
    """Every lesion so far comes from an impression written before the findings (some reports open on it)."""
    return bool(lesions) and all(x.sent.kind == "impression" for les in lesions for x in les.mentions)


def _named_together_just_before(doc: Doc, lesions: list[LesionAcc], m: Mention) -> bool:
    """Every lesion was first described in the one sentence right before this one ("a 1.8 cm cyst in the uncinate
    process …, and a 9 mm cyst in the tail …. No mural nodules."): a subjectless denial after it is about each.
    (After cysts described in separate sentences it stays with the last one, as the synthetic corpus labels it.)"""
    firsts = {id(les.mentions[0].sent) for les in lesions}
    if len(firsts) != 1:
        return False
    k = next((i for i, s in enumerate(doc.sentences) if s is m.sent), 0)
    return k > 0 and doc.sentences[k - 1] is lesions[0].mentions[0].sent


def _addenda_last(mentions: list[Mention]) -> list[Mention]:
    """SPEC §2, the exam as finally reported: an addendum corrects what the report says wherever it is
    written, also when the reporting system puts it above the original text."""
    if not any(m.sent.kind == "addendum" for m in mentions):
        return mentions
    return [m for m in mentions if m.sent.kind != "addendum"] + [
        m for m in mentions if m.sent.kind == "addendum"
    ]


def _sums_up(lesions: list[LesionAcc], m: Mention) -> bool:
    """An impression's group of as many cysts as the findings described, with no size or place of its
    own ("Two cysts.", "Three side-branch IPMNs."): it sums them up, one by one."""
    return (
        len(lesions) >= 2
        and m.plural
        and m.count == len(lesions)
        and m.size is None
        and m.location is None
        and not m.new_signal
    )


def _fold_group(les: LesionAcc, m: Mention) -> None:
    """What a summing-up group says of each lesion: it is confirmed, and gets the findings and type it lacks."""
    if not m.provisional:
        les.confirmed = True
    les.mentions.append(m)
    _fill_missing(les, m, (*FINDINGS, "comm_implied"))
    _fill_type(les, m.ptype)


def _sizes_the_last(
    doc: Doc, m: Mention, last: LesionAcc | None, size: float | None, loc: str | None
) -> bool:
    """A definite cyst ("the / index / said cyst") with a size, after a lesion that has none, in no other
    place: it measures that lesion (a template's "Index cyst location:" and "Index cyst size:" lines). So does
    a cyst in a figure's panel ("… with a cystic lesion of the pancreatic tail. (A) CT shows a 3.5-cm unilocular
    cystic lesion …"): a caption's panels show the one lesion it is about."""
    return (
        size is not None
        and not m.plural
        and last is not None
        and last.size is None
        and last.count < 2
        and (loc is None or last.location is None or last.location.value == loc)
        and (
            (
                m.definite
                and P.NAMED_AGAIN_BEFORE_RE.search(doc.t, max(m.sent.start, m.anchor[0] - 30), m.anchor[0])
                is not None
            )
            or P.PANEL_RE.match(doc.t, m.sent.start, m.anchor[0]) is not None
        )
    )


def _sizes_the_known(doc: Doc, m: Mention, last: LesionAcc | None, loc: str | None) -> bool:
    """A cyst with a size in the known lesion's place (or in none), after the report named that lesion only as known
    ("Follow-up of known IPMN in the pancreatic head. Head cyst 2.7 cm."): its size today, not one more cyst."""
    return (
        m.size is not None
        and not m.plural
        and last is not None
        and last.size is None
        and last.count < 2
        and (loc is None or last.location is None or last.location.value == loc)
        and all(
            x.group != "continuation"
            and P.KNOWN_BEFORE_RE.search(doc.t, max(x.sent.start, x.anchor[0] - 40), x.anchor[0]) is not None
            for x in last.mentions
        )
    )


def _another_field_of_the_last(
    doc: Doc, m: Mention, last: LesionAcc | None, size: float | None, loc: str | None
) -> bool:
    """A template's fields named after the cyst ("Cyst location: tail", then "Cyst size: 14 mm"): each is a field
    of the cyst the one before it was, as long as it fills what that one lacks."""
    label = _field_label(doc, m)
    if last is None or label is None:
        return False
    before = [lb for lb in (_field_label(doc, x) for x in last.mentions) if lb is not None]
    if not before or before[-1].group(1) != label.group(1):
        return False  # (numbered fields: "Cyst 1 size:" after "Cyst 2 location:" is another cyst's)
    return (size is None or last.size is None) and (
        loc is None or last.location is None or last.location.value == loc
    )


def _field_label(doc: Doc, m: Mention) -> re.Match[str] | None:
    return P.CYST_FIELD_LABEL_AFTER_RE.match(doc.t, m.anchor[1])


def _largest_of_the_group(doc: Doc, m: Mention, last: LesionAcc | None, size: float | None) -> bool:
    """The group just described, unmeasured, and then its largest, dominant or index member with a size: the
    group's largest (as "The largest is in the head." would be), not one more lesion."""
    return (
        size is not None
        and not m.plural
        and last is not None
        and last.size is None
        and last.count >= 2
        and P.GROUP_MEMBER_BEFORE_RE.search(doc.t, max(m.sent.start, m.anchor[0] - 30), m.anchor[0])
        is not None
    )


def _named_before(lesions: list[LesionAcc], m: Mention) -> bool:
    """The one lesion so far was only named, as one cyst, with nothing said of it but perhaps its type:
    the history or a title names it ("A pancreatic cyst was found in 2022.", "Case 4: Serous
    cystadenoma."), the next sentence describes it ("a 14 mm cyst in the body"). One cyst."""
    if len(lesions) != 1 or m.count >= 2:
        return False
    les = lesions[0]
    named_type = les.ptype.value if les.ptype is not None else "unspecified"
    if named_type != "unspecified" and m.group != "cyst" and (m.ptype is None or m.ptype.value != named_type):
        return False  # "Serous cystadenoma. A 9 mm IPMN in the tail.": two lesions
    return _only_named(les, but=("ptype", "comm_implied"))


def _by_size(doc: Doc, lesions: list[LesionAcc], m: Mention) -> LesionAcc | None:
    """The lesion "the larger / smaller cyst" names: the largest or smallest of those measured (None
    without such a word, or when fewer than two lesions have a size)."""
    if not m.definite:
        return None
    bm = P.BY_SIZE_BEFORE_RE.search(doc.t, max(m.sent.start, m.anchor[0] - 40), m.anchor[0])
    measured = [les for les in lesions if les.size is not None]
    if bm is None or len(measured) < 2:
        return None
    pick = max if bm.group("big") else min
    return pick(measured, key=lambda les: les.size.value if les.size else 0.0)


def _by_size_opening(doc: Doc, lesions: list[LesionAcc], m: Mention) -> LesionAcc | None:
    """The lesion a sentence opening "The larger / smaller one" continues about (None without it)."""
    bm = P.BY_SIZE_OPENING_RE.match(doc.t, m.sent.start, m.sent.end)
    measured = [les for les in lesions if les.size is not None]
    if bm is None or len(measured) < 2:
        return None
    pick = max if bm.group("big") or bm.group("big2") else min
    return pick(measured, key=lambda les: les.size.value if les.size else 0.0)


def is_md(les: LesionAcc | None) -> bool:
    """The lesion is a main-duct IPMN: a mention of one merges into no other lesion (a cyst beside it is one more)."""
    return les is not None and les.ptype is not None and les.ptype.value == "md_ipmn"


def _communicates(les: LesionAcc) -> bool:
    return les.comm is not None and les.comm.value == "present"


def _largest(lesions: list[LesionAcc]) -> LesionAcc:
    return max(lesions, key=lambda les: les.size.value if les.size else -1.0)


def _match(lesions: list[LesionAcc], m: Mention) -> LesionAcc | None:
    size = m.size.value if m.size else None
    loc = m.location.value if m.location else None
    best: LesionAcc | None = None
    for les in lesions:
        lsize = les.size.value if les.size else None
        lloc = les.location.value if les.location else None
        if loc is not None and lloc is not None and loc != lloc:
            continue
        if size is not None and (_same_size(lsize, size) or _slip(lsize, size)):
            return les
        if size is not None and lsize is not None:
            continue  # both measured, different sizes: another cyst in the same part of the gland
        if loc is not None and lloc == loc and best is None:
            best = les
    if best is not None:
        return best
    if len(lesions) == 1 and lesions[0].size is None:
        les = lesions[0]
        if size is not None and loc is None:
            return les
        if les.location is None and les.count < 2 and not m.new_signal and m.count < 2:
            # the one cyst described, named again with the place it lacked ("a small cystic lesion in the
            # pancreas" ... "IMPRESSION: small cystic lesion in the pancreatic tail")
            return les
    if size is not None and m.sent.kind == "addendum" and len(lesions) == 1 and _may_correct(lesions[0], m):
        return lesions[0]
    return None


def _may_correct(les: LesionAcc, m: Mention) -> bool:
    """An addendum's measured cyst corrects the one lesion unless it is another one: "a second 5 mm cyst",
    or an indefinite cyst in another place ("there is also a 5 mm cyst in the head" after a tail cyst);
    "the cyst is in the head and measures 8 mm" corrects both place and size."""
    if m.new_signal:
        return False
    loc = m.location.value if m.location else None
    return loc is None or les.location is None or les.location.value == loc or m.definite


def _fill_missing(les: LesionAcc, src: LesionAcc | Mention, names: tuple[str, ...] = ALL_ATTRS) -> None:
    """Give ``les`` the values of ``names`` it lacks from ``src`` (a cyst of no known organ that describes
    a lesion found later gives it everything it lacks, its size too)."""
    for name in names:
        if getattr(les, name) is None and getattr(src, name) is not None:
            setattr(les, name, getattr(src, name))


def _fill_type(les: LesionAcc, ptype: Value | None) -> None:
    """The type policy of feature_table.yaml, without an addendum: a specific type replaces unspecified."""
    if refines_type(les.ptype, ptype):
        les.ptype = ptype


def _only_named(les: LesionAcc, but: tuple[str, ...] = ()) -> bool:
    """A lesion only named, as one cyst, with nothing said of it (no size, place, type or feature; the
    attributes ``but`` names may be set)."""
    return les.count < 2 and all(getattr(les, name) is None for name in ALL_ATTRS if name not in but)


def _group_is_cystic(doc: Doc, lesions: list[LesionAcc], m: Mention) -> bool:
    """A sentence that says the whole group is cystic, naming no size or place of its own."""
    return (
        len(lesions) > 1
        and not m.provisional
        and m.group == "cyst"
        and m.size is None
        and m.location is None
        and P.GROUP_IS_CYSTIC_RE.fullmatch(doc.t, m.sent.start, m.anchor[0]) is not None
    )


def _fold(les: LesionAcc, m: Mention, kind: str, fill_only: bool = False) -> None:
    override = kind == "addendum" and not fill_only
    if fill_only:
        for name in FINDINGS:
            v = getattr(m, name)
            if v is not None and getattr(les, name) is None:
                setattr(les, name, v)
        return
    les.mentions.append(m)
    if not m.provisional and m.group != "continuation":
        les.confirmed = True
    les.count = max(les.count, m.count)
    if m.size is not None:
        if les.size is None or override:
            les.size = m.size
            les.size_kind = kind
        elif (
            kind == "impression" and _slip(les.size.value, m.size.value) and m.size.value > les.size.value
        ) or (m.plural and m.size.value > les.size.value and not _same_size(les.size.value, m.size.value)):
            les.size = m.size
    for name in FIRST_WINS:
        v = getattr(m, name)
        if v is not None and (getattr(les, name) is None or override):
            setattr(les, name, v)
    for name, rank in RANK.items():
        v = getattr(m, name)
        if v is None:
            continue
        cur = getattr(les, name)
        if cur is None or override or rank[v.value] > rank[cur.value]:
            setattr(les, name, v)
    if m.comm is not None and (les.comm is None or override or les.comm.value == "not_stated"):
        les.comm = m.comm
    if m.comm_implied is not None and les.comm_implied is None:
        les.comm_implied = m.comm_implied
    if (
        m.ptype is not None
        and (refines_type(les.ptype, m.ptype) or override)
        and not (override and m.ptype.value == "unspecified" and les.ptype is not None)
    ):
        les.ptype = m.ptype


def fold_exam_series(doc: Doc, lesions: list[LesionAcc]) -> list[LesionAcc]:
    """A note that restates a series of exams ("CT on 3/4/2023 showed a 2.2 cm cyst in the body. MRI
    6/1/2023: 2.3 cm body cyst ... Today's MRCP (12/2/2024): body cyst 2.6 cm") describes one cyst per
    place at each exam: the latest exam's description is the lesion, the exam before it gives the prior
    size and date, and what the latest leaves unsaid comes from the earlier ones. A cyst the note only
    names ("referred for a pancreatic cyst") is then the cyst of the series."""
    if len(lesions) < 2:
        return lesions
    by_place: dict[str, list[tuple[Value, LesionAcc]]] = {}
    unplaced: list[tuple[Value, LesionAcc]] = []
    for les in lesions:
        when = described_exam_date(doc, les) if les.size is not None else None
        if when is None:
            continue
        if les.location is not None:
            by_place.setdefault(les.location.value, []).append((when, les))
        elif les.count < 2:
            unplaced.append((when, les))
    if len(by_place) == 1 and unplaced:
        # "CT in 2018 showed a 1.5 cm cyst in the body. MRI in 2021 demonstrated growth of the lesion to 2.5 cm.":
        # with one place in the series, a dated description that names none is of the same cyst
        series = next(iter(by_place.values()))
        series.extend(unplaced)
    folded: set[int] = set()
    for series in by_place.values():
        if len(series) < 2 or len({when.value for when, _ in series}) < len(series):
            continue  # one description per exam, or it is not a series
        series.sort(key=lambda item: _when(item[0]))
        (before, prior), (_, current) = series[-2], series[-1]
        if current.prior is None and prior.size is not None and before.value != LATEST:
            current.prior = Value(prior.size.value, list(prior.size.spans))
            if isinstance(before.value, int):  # two exams dated by their years only: the years apart
                now = series[-1][0]
                if isinstance(now.value, int) and current.prior_interval is None:
                    current.prior_interval = Value(12.0 * (now.value - before.value), list(now.spans))
            else:
                current.prior_date = before
        for _, earlier in reversed(series[:-1]):
            _fill_missing(current, earlier, (*FINDINGS, "location"))
            _fill_type(current, earlier.ptype)
            folded.add(id(earlier))
    if folded and len(by_place) == 1:
        # the note's own subject ("referred for a pancreatic cyst"), only named: the cyst of the series
        folded.update(id(les) for les in lesions if _only_named(les))
    return [les for les in lesions if id(les) not in folded]


def _when(v: Value) -> dt.date:
    """An exam's date for ordering a series; one dated by its year alone counts from the year's start."""
    return dt.date(v.value, 1, 1) if isinstance(v.value, int) else v.value
