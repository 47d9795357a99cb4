"""Stage 3, features: location, nodule, wall, septa, communication, type and calcification of a mention,
read from its clause.
"""

from __future__ import annotations

import re

from pancyst.extract.rules import assertion as A
from pancyst.extract.rules import patterns as P
from pancyst.extract.rules.document import Doc, anchor_group, has_any, in_a_differential, location_vetoed
from pancyst.extract.rules.model import (
    IMPLIES_COMMUNICATION,
    LOCATION_OF_GROUP,
    RANK,
    TYPE_OF_GROUP,
    Mention,
    Sentence,
    Value,
    refines_type,
)
from pancyst.extract.rules.roles import measure_mention
from pancyst.text.context import HISTORICAL, HYPOTHETICAL, NEGATED, UNCERTAIN


def find_locations(doc: Doc, lo: int, hi: int, sent: Sentence) -> list[tuple[str, int, int]]:
    """The pancreatic places named in ``t[lo:hi]``, in text order (every one holds a P.LOCATION_WORDS word)."""
    t = doc.t
    if not has_any(t[lo:hi], P.LOCATION_WORDS):
        return []
    out: list[tuple[str, int, int]] = []
    for lm in P.LOCATION_RE.finditer(t, lo, hi):
        if location_vetoed(t, lm.start(), lm.end()):
            continue
        if lm.lastgroup == "body" and P.NOT_A_PLACE_AFTER_RE.match(t, lm.end(), lm.end() + 10):
            continue
        if NEGATED in A.lesion_modifiers(doc, lm.start(), lm.end(), sent, group_denial=True):
            continue
        out.append((LOCATION_OF_GROUP[lm.lastgroup or "head"], lm.start(), lm.end()))
    return out


def fill_features(doc: Doc, mention: Mention, lo: int, hi: int, sent: Sentence) -> None:
    t = doc.t
    a, b = mention.anchor
    if mention.group == "continuation" or not (lo <= a < hi):
        a, b = lo, lo
    seg = t[lo:hi]
    # location: nearest to the anchor; for a group, the place of its largest one ("cysts in the head, neck and
    # body, the largest measuring 9 mm in the neck")
    places = find_locations(doc, lo, hi, sent)
    if (mention.plural or mention.count >= 2) and len(places) > 1 and ("large" in seg or "up to" in seg):
        # (the group's own largest after its noun first: "the duct is dilated up to 6 mm in the body with cystic
        # side branches, the largest 9 mm in the tail")
        big = P.LARGEST_PLACE_RE.search(t, a, hi) or P.LARGEST_PLACE_RE.search(t, lo, hi)
        if big is not None:
            after = [p for p in places if p[1] >= big.end() and p[1] - big.end() < 60]
            places = after[:1] or places
    best: tuple[int, str, int, int] | None = None
    for loc, ls, le in places:
        dist = a - le if le <= a else ls - b
        if best is None or dist < best[0]:
            best = (dist, loc, ls, le)
    if best is not None:
        loc, ls, le = (
            _proximal_of_span(t, places, (best[1], best[2], best[3])) if not mention.plural else best[1:]
        )
        mention.location = Value(loc, [(ls, le)])
    # measurements
    measure_mention(doc, mention, lo, hi, sent)
    # mural nodule (a substring test first: most segments mention none of these words)
    for nm in P.NODULE_RE.finditer(t, lo, hi) if has_any(seg, P.NODULE_WORDS) else ():
        reading = A.feature_reading(doc, nm.start(), nm.end(), sent)
        if reading in (A.IGNORED, A.NOT_STATED) or A.in_scare_quotes(doc, nm.start(), nm.end()):
            continue  # (a quoted "mural nodule" this reading calls a septation is none)
        val = (
            "absent" if reading == A.DENIED else _nodule_enhancement(doc, nm.start(), nm.end(), lo, hi, sent)
        )
        _put_ranked(mention, "nodule", Value(val, [(nm.start(), nm.end())]))
    # wall
    has_wall = "wall" in seg or "mural" in seg
    for wm in P.WALL_FIELD_RE.finditer(t, lo, hi) if has_wall else ():
        # "Wall thickening: imperceptible", "Wall: not thickened" - the answer decides, not the label
        ans = P.FIELD_ANSWER_RE.match(t, wm.end())
        if ans is None:
            continue
        answer = _field_value(ans.group(1), P.WALL_PRESENT_ANSWER_RE)
        if answer is not None:
            _put_ranked(mention, "wall", Value(answer, [(wm.start(), ans.end())]))
    for wm in P.WALL_ABSENT_RE.finditer(t, lo, hi) if has_wall else ():
        if own_wall(t, wm, lo):
            _put_ranked(mention, "wall", Value("absent", [(wm.start(), wm.end())]))
    for wm in P.WALL_PRESENT_RE.finditer(t, lo, hi) if has_wall else ():
        if not own_wall(t, wm, lo):
            continue
        if _overlaps_any(P.WALL_ABSENT_RE, t, wm.start(), wm.end(), lo, hi):
            continue
        if _overlaps_any(P.WALL_FIELD_RE, t, wm.start(), wm.end(), lo, hi):
            continue
        reading = A.feature_reading(doc, wm.start(), wm.end(), sent)
        if reading in (A.IGNORED, A.NOT_STATED):
            continue
        val = "absent" if reading == A.DENIED else "present"
        _put_ranked(mention, "wall", Value(val, [(wm.start(), wm.end())]))
    # septations
    has_septa = has_any(seg, P.SEPTA_WORDS)
    for sm in P.SEPTA_ABSENT_RE.finditer(t, lo, hi) if has_septa else ():
        _put_ranked(mention, "septa", Value("absent", [(sm.start(), sm.end())]))
    for sm in P.SEPTA_PRESENT_RE.finditer(t, lo, hi) if has_septa else ():
        if _overlaps_any(P.SEPTA_ABSENT_RE, t, sm.start(), sm.end(), lo, hi):
            continue
        if t.startswith(":", sm.end()) and P.SEPTA_ABSENT_RE.search(t, sm.end(), min(hi, sm.end() + 30)):
            continue  # "Septations: unilocular" - the label is not the answer
        reading = A.feature_reading(doc, sm.start(), sm.end(), sent)
        if reading in (A.IGNORED, A.NOT_STATED):
            continue  # a hedged septation ("possible thin septation") is still reported as seen
        if reading == A.DENIED and P.SEPTA_QUALIFIER_BEFORE_RE.search(
            t, max(lo, sm.start() - 25), sm.start()
        ):
            continue  # "No thickened septa": thick ones are denied, not septa
        val = "absent" if reading == A.DENIED else "present"
        _put_ranked(mention, "septa", Value(val, [(sm.start(), sm.end())]))
    # communication with the main duct
    for cm in P.COMM_RE.finditer(t, lo, hi) if has_any(seg, P.COMM_WORDS) else ():
        reading = A.feature_reading(doc, cm.start(), cm.end(), sent)
        tail = t[cm.end() : min(hi, cm.end() + 60)]
        if re.search(r"\b(?:bile|biliary|cbd|common\s+duct)\b", tail[:40]):
            continue
        if P.COMM_OTHER_TARGET_RE.match(t, cm.end(), sent.end) and not doc.ducts_in(
            max(sent.start, cm.start() - 60), cm.start()
        ):
            # "two cysts communicating with each other", "... with a second cyst": not with the main duct (but
            # "the Wirsung ... communicates with the lesion" is; the other cyst may open the next segment)
            continue
        field = P.COMM_FIELD_RE.match(t, cm.end(), hi)
        if (field is not None and P.UNCERTAIN_ANSWER_RE.match(field.group(1))) or P.UNCERTAIN_ANSWER_RE.match(
            t, cm.end(), hi
        ):
            val = "not_stated"  # "MPD communication: indeterminate", "...; communication indeterminate"
        elif reading in (A.IGNORED, A.NOT_STATED):
            val = "not_stated"
        elif reading == A.DENIED:
            val = "absent"
        else:
            val = "present"
        v = Value(val, [(cm.start(), cm.end())])
        if mention.comm is None or (mention.comm.value == "not_stated" and val != "not_stated"):
            mention.comm = v
    for sm in (
        P.SEPARATE_FROM_DUCT_RE.finditer(t, lo, hi)
        if ("separate" in seg or "distinct" in seg or "apart" in seg)
        else ()
    ):
        if A.feature_reading(doc, sm.start(), sm.end(), sent) != A.AFFIRMED:
            continue
        if mention.comm is None or mention.comm.value == "not_stated":
            mention.comm = Value("absent", [(sm.start(), sm.end())])
    # side-branch IPMN inside the segment (not the anchor itself) implies communication
    for am in doc.anchors_in(lo, hi):
        am_group = anchor_group(am)
        if am_group in IMPLIES_COMMUNICATION:
            mods = A.modifiers(doc, am.start(), am.end(), sent)
            if NEGATED in mods or HISTORICAL in mods or in_a_differential(doc, am):
                continue  # (one name of a differential does not call the lesion a side-branch IPMN)
            if UNCERTAIN not in mods and HYPOTHETICAL not in mods and mention.comm_implied is None:
                mention.comm_implied = Value("present", [(am.start(), am.end())])
        if am_group in TYPE_OF_GROUP and am_group != "cyst" and (am.start(), am.end()) != mention.anchor:
            mods = A.modifiers(doc, am.start(), am.end(), sent)
            if NEGATED in mods or HISTORICAL in mods or in_a_differential(doc, am):
                continue
            named = Value(TYPE_OF_GROUP[am_group], [(am.start(), am.end())])
            if refines_type(mention.ptype, named):
                mention.ptype = named
    # calcification
    for km in P.CALC_RE.finditer(t, lo, hi) if "calc" in seg else ():
        if _calcifies_another(t, km, lo):
            continue
        reading = A.feature_reading(doc, km.start(), km.end(), sent)
        if reading in (A.IGNORED, A.NOT_STATED):
            continue
        if reading == A.DENIED:
            val = "absent"
        else:
            # (the place may name the cyst, which opens the next segment: "calcification on the cyst margin")
            near = t[max(lo, km.start() - 30) : min(sent.end, km.end() + 30)]
            if P.CALC_PERIPHERAL_RE.search(near):
                val = "peripheral"
            elif P.CALC_CENTRAL_RE.search(near):
                val = "central"
            else:
                val = "present_unspecified"
        _put_ranked(mention, "calc", Value(val, [(km.start(), km.end())]))


def _calcifies_another(t: str, km: re.Match[str], lo: int) -> bool:
    """ "chronic calcific pancreatitis", "vascular calcifications": the gland's or a vessel's, not the cyst's."""
    return bool(
        P.CALC_OTHER_AFTER_RE.match(t, km.end())
        or P.CALC_OTHER_BEFORE_RE.search(t, max(lo, km.start() - 24), km.start())
    )


_PROXIMAL_ORDER = {"head": 0, "uncinate": 0, "neck": 1, "body": 2, "tail": 3}


def _proximal_of_span(
    t: str, places: list[tuple[str, int, int]], best: tuple[str, int, int]
) -> tuple[str, int, int]:
    """SPEC §2: one lesion spanning two segments ("in the body and tail", "head extending into the neck")
    takes the more proximal one."""
    if len(places) == 1:
        return best
    k = places.index(best)
    joined = [best]
    if k > 0 and P.SPAN_GAP_RE.fullmatch(t, places[k - 1][2], best[1]):
        joined.append(places[k - 1])
    if k + 1 < len(places) and P.SPAN_GAP_RE.fullmatch(t, best[2], places[k + 1][1]):
        joined.append(places[k + 1])
    return joined[0] if len(joined) == 1 else min(joined, key=lambda p: _PROXIMAL_ORDER[p[0]])


def _field_value(answer: str, present_re: re.Pattern[str]) -> str | None:
    """'present' / 'absent' for a template answer, None when it says neither."""
    if P.ABSENT_ANSWER_RE.search(answer):
        return "absent"
    if present_re.search(answer):
        return "present"
    return None


def own_wall(t: str, wm: re.Match[str], lo: int) -> bool:
    """A wall reading said of the wall itself, not of a part placed on it ("a 3 mm nodular component along the
    inferior wall demonstrates no enhancement": the component does not enhance; the wall is not described)."""
    return not (
        t.startswith("wall", wm.start())
        and P.PART_PLACE_BEFORE_RE.search(t, max(lo, wm.start() - 40), wm.start())
    )


def _overlaps_any(rx: re.Pattern[str], t: str, a: int, b: int, lo: int, hi: int) -> bool:
    return any(m.start() < b and a < m.end() for m in rx.finditer(t, max(lo, a - 40), min(hi, b + 40)))


def _put_ranked(mention: Mention, name: str, v: Value) -> None:
    """Keep the higher-ranked of two readings in one clause (ranks: feature_table.yaml)."""
    rank = RANK[name]
    cur: Value | None = getattr(mention, name)
    if cur is None or rank[v.value] > rank[cur.value]:
        setattr(mention, name, v)


def _clause_end(t: str, i: int) -> bool:
    """A semicolon, or a period that is not a decimal point."""
    ch = t[i]
    if ch == ";":
        return True
    return ch == "." and not (0 < i < len(t) - 1 and t[i - 1].isdigit() and t[i + 1].isdigit())


def _nodule_enhancement(doc: Doc, a: int, b: int, lo: int, hi: int, sent: Sentence) -> str:
    t = doc.t
    # the nodule's own clause (a decimal point in its size, "measuring 1.1 cm", ends nothing)
    c0 = a
    while c0 > lo and not _clause_end(t, c0 - 1):
        c0 -= 1
    c1 = b
    while c1 < hi and not _clause_end(t, c1):
        c1 += 1
    win_lo = max(c0, a - 45)
    win_hi = min(c1, b + 70)
    window = t[win_lo:win_hi]
    if P.ENH_UNKNOWN_RE.search(window):
        return "present_unspecified"
    if P.NONENHANCING_RE.search(window):
        return "nonenhancing"
    for em in P.ENHANCING_RE.finditer(t, win_lo, win_hi):
        if any(
            wm.start() < em.end() and em.start() < wm.end() and own_wall(t, wm, lo)
            for wm in P.WALL_PRESENT_RE.finditer(t, max(lo, em.start() - 40), min(hi, em.end() + 40))
        ):
            continue  # "thickened and enhancing walls …, and a solid nodule": the wall's enhancement
        reading = A.feature_reading(doc, em.start(), em.end(), sent)
        if reading == A.DENIED:
            return "nonenhancing"
        if reading != A.AFFIRMED:
            return "present_unspecified"  # SPEC §2: a nodule whose enhancement cannot be assessed
        return "enhancing"
    return "present_unspecified"
