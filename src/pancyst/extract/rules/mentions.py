"""Stage 2, mentions: the cyst words of a sentence that name a pancreatic lesion on this exam, each
with the clause that belongs to it; group sentences split into one mention per place.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import replace

from pancyst.extract.rules import assertion as A
from pancyst.extract.rules import patterns as P
from pancyst.extract.rules.document import Doc, anchor_group, has_any, in_a_differential, organ_of
from pancyst.extract.rules.features import fill_features, find_locations
from pancyst.extract.rules.model import (
    ALL_ATTRS,
    CONTINUES,
    FINDINGS,
    IMPLIES_COMMUNICATION,
    RANK,
    TYPE_OF_GROUP,
    Mention,
    Sentence,
    Value,
    refines_type,
)
from pancyst.extract.rules.roles import latest_by_year, listed_priors, listed_sizes, measurement_role
from pancyst.text.context import HISTORICAL, HYPOTHETICAL, NEGATED, UNCERTAIN
from pancyst.text.measurements import Measurement

# Lesion kinds that are the pancreas's by name: an IPMN wherever it is said, these unless an organ names them.
_IPMN_GROUPS = ("sb", "md", "mixed", "ipmn")
_PANCREATIC_ENTITIES = ("serous", "mucinous", "pseudo", "solidcystic")


def sentence_mentions(
    doc: Doc,
    sent: Sentence,
    anchors: list[re.Match[str]],
    retractions: list[tuple[int, int]],
    any_confirmed: bool = False,
    group_before: bool = False,
) -> list[Mention]:
    t = doc.t
    if not anchors:
        return []
    if len(anchors) > 1:
        # "a cystic mass … 46 mm with a solid/cystic component": a part of a lesion does not cut its clause
        anchors = [
            am
            for k, am in enumerate(anchors)
            if not part_of_a_lesion(t, am, sent.start)
            and not (k and (_made_of(t, anchors[k - 1], am) or _a_nodules_word(t, am)))
        ] or anchors[:1]
    apposed: set[int] = set()  # starts of kept anchors a cystic diagnosis is in apposition to
    apposed_organ: dict[int, str] = {}  # ... and the organ that diagnosis names
    reach: dict[int, int] = {}  # ... and where its last such diagnosis ends (its segment goes on to there)
    plural_dx: set[int] = set()  # ... when that diagnosis is plural ("…, likely side-branch IPMNs")
    if len(anchors) > 1:
        # "a 16 mm cystic lesion (presumed side-branch IPMN)", "a cyst, likely a mucinous cystic neoplasm":
        # a diagnosis in apposition names the same lesion; it types it but does not split the sentence
        kept = [anchors[0]]
        for am in anchors[1:]:
            named = _organ_word_before(doc, am)  # "…, which is likely a splenic cyst": the diagnosis's organ
            gap = t[kept[-1].end() : named[0] if named else am.start()]
            if (
                len(gap) < 120
                and P.APPOSITION_RE.search(gap)
                and not doc.meas_in(kept[-1].end(), am.start())
                # "…, consistent with a neuroendocrine tumor, not a cyst": a denial names no lesion, it retracts
                and NEGATED not in doc.ctx.modifiers(am.start(), am.end(), sent.start, sent.end)
                # "dilated duct without an obstructing lesion, … in keeping with main-duct IPMN": what is
                # denied is not the lesion the diagnosis names
                and NEGATED not in doc.ctx.modifiers(kept[-1].start(), kept[-1].end(), sent.start, sent.end)
            ):
                if anchor_group(am) not in (None, "lesion"):
                    apposed.add(kept[-1].start())
                    if P.PLURAL_RE.search(t, am.start(), am.end()):
                        plural_dx.add(kept[-1].start())
                if named is not None:
                    apposed_organ[kept[-1].start()] = named[1]
                reach[kept[-1].start()] = am.end()
                continue
            kept.append(am)
        anchors = kept
    # segment the sentence between anchors
    bounds = [sent.start]
    for k in range(1, len(anchors)):
        prev_end = reach.get(anchors[k - 1].start(), anchors[k - 1].end())
        nxt = anchors[k].start()
        bounds.append(_split_point(doc, prev_end, nxt))
    bounds.append(sent.end)
    out: list[Mention] = []
    for k, m in enumerate(anchors):
        a, b = m.start(), m.end()
        lo, hi = bounds[k], bounds[k + 1]
        group = anchor_group(m) or "cyst"
        other = P.ELLIPTICAL_OTHER_RE.search(t, b, hi)
        # "a 7 mm cyst in the head and another in the liver": what follows "another" names the other one's organ
        organ = apposed_organ.get(a) or organ_of(doc, a, b, lo, other.start() if other else hi, sent)
        if group in _IPMN_GROUPS:
            organ = "pancreas"
        elif (
            group == "pseudo"
            and organ not in (None, "pancreas")
            and not _qualified_by_organ(doc, a, b)
            and not _organs_own_pseudocyst(doc, sent, organ, a)
        ):
            organ = (
                "pancreas"  # a pseudocyst is the pancreas's unless an organ names it ("splenic pseudocyst")
            )
        if organ is None and (
            group in _PANCREATIC_ENTITIES or (sent.kind == "findings" and doc.topic == "pancreas")
        ):
            # a pancreatic entity, or a finding of an exam about the pancreas ("MRCP", "pancreatic cyst f/u");
            # the impression's bare "simple cysts" may sum up other organs' cysts
            organ = "pancreas"
        if group == "lesion" and organ != "pancreas":
            continue
        if organ != "pancreas":
            if organ is None and sent.kind in ("impression", "addendum", "preamble", "findings", "other"):
                # an unqualified cyst: kept only if it can be matched to a pancreatic lesion later
                pass
            else:
                continue
        mods = A.lesion_modifiers(doc, a, b, sent)  # after the organ: others' cysts need no context
        if NEGATED in mods or HYPOTHETICAL in mods:
            # "ADDENDUM: there is no pancreatic cyst" retracts the lesion (but not "no other cyst", nor
            # "none of the cysts has a nodule", which denies the nodule)
            if (
                NEGATED in mods
                and (organ or organ_of(doc, a, b, sent.start, sent.end, sent)) == "pancreas"
                and A.retracts(doc, sent, a, b, lo)
                # (not the guideline's cysts: "no follow-up for cysts under 5 mm")
                and not A.generic_cyst(doc, a, b, sent)
            ):
                retractions.append((a, b))
            elif NEGATED in mods and P.NOT_A_CYST_PREDICATE_RE.search(t, max(sent.start, a - 40), a):
                out = []  # "... lesion ... is therefore not a cyst": the lesion just described is none
            continue
        if HISTORICAL in mods or A.is_past_narrative(doc, sent) or A.in_scare_quotes(doc, a, b):
            continue
        if (
            A.reidentified(doc, a, b, sent)
            or A.only_another_exams(doc, a, b, sent)
            or A.removed_by_operation(doc, a, sent)
        ):
            continue  # "The previously questioned cyst likely represented a prominent side branch."
        if UNCERTAIN in mods and any(
            P.EXISTENCE_DOUBT_RE.fullmatch(t, h.start, h.end)
            for h in doc.ctx.covering(a, b, sent.start, sent.end)
            if h.rule.category == UNCERTAIN
        ):
            continue  # "A pancreatic cyst cannot be excluded.": not stated, no lesion
        if A.in_denial_subject(doc, a, sent):
            continue  # "none of the cysts shows a nodule": denies a feature, names no new lesion
        if A.generic_cyst(doc, a, b, sent):
            continue  # "cysts smaller than 15 mm are followed at one year": the guideline's cysts, not a lesion
        label = t[max(lo, a - 25) : a]
        if ("number" in label or "no." in label or "count" in label) and P.COUNT_LABEL_RE.search(label):
            continue  # "Number of cystic lesions: 1" is a field label
        if P.NOT_A_FINDING_AFTER_RE.match(t, b):
            continue  # "Pancreatic cyst(s):", "MRCP for cyst surveillance", "CYST REPORTING TEMPLATE"
        if group in ("cyst", "lesion") and _vetoed(t, a, b, lo, hi):
            continue
        if group in ("cyst", "lesion") and P.MIMIC_AFTER_RE.match(t, b, hi):
            continue  # "the questioned tail cyst represents fluid-filled bowel": a mimic, no cyst
        if (
            group in ("solidcystic", "cysticnet")
            or (group == "lesion" and "solid" in t[sent.start : sent.end])
        ) and _called_malignant(doc, sent.start, hi, sent):
            # SPEC §2: a cystic part of a malignancy is no PCL (one named before it in its sentence, too:
            # "Undifferentiated carcinoma of the pancreatic head: CT shows a lesion with cystic and solid parts")
            continue
        if part_of_a_lesion(t, m, sent.start):
            continue  # "Small cystic component.", "with cystic areas": part of another lesion, not a cyst
        if group == "lesion" and re.search(r"\bsolid\s+(?:\w+\s+)?$", t[max(lo, a - 20) : a]):
            continue  # "a 12 mm solid lesion": never a cyst, and not the lesion a later "the lesion" means
        if (
            k > 0
            and (
                group == "lesion"
                or (group == "cyst" and P.CONTAINED_CYSTS_BEFORE_RE.search(t, max(sent.start, a - 20), a))
            )
            and P.WITH_PART_BEFORE_RE.search(t, max(anchors[k - 1].end(), a - 60), a)
            and not P.NEW_LESION_RE.search(t, max(sent.start, a - 30), a)
        ):
            # "a cystic lesion with a dependent 4 mm focus", "a hydatid cyst with daughter cysts": a part of the
            # cyst just named (not "with a second cyst in the tail")
            continue
        mention = _build_mention(doc, sent, m, group, lo, hi, organ_known=organ == "pancreas")
        mention.organ_unknown = organ is None
        if (mention.plural or other) and organ == "pancreas" and group != "lesion":
            # "Cysts in the head and tail, 8 and 5 mm", "a cyst in the head, 7 mm, and another in the body, 4 mm"
            parts = _distribute(doc, mention, lo, hi, sent)
            if parts:
                out.extend(parts)
                continue
            second = _another_measured(doc, sent, other, hi) if other and not mention.plural else None
            if other and second is not None:
                # "a 9 mm cyst in the head and another in the tail measuring 6 mm": each its own stretch
                out.extend([_build_mention(doc, sent, m, group, lo, other.start(), organ_known=True), second])
                continue
            if other and not mention.plural and find_locations(doc, other.end(), hi, sent):
                # "a 7 mm cyst in the head and another in the tail": two cysts, one measured
                mention.count = 2
        if group == "lesion":
            mention.group = "cyst"
            mention.provisional = not (
                _cystic_descriptor(doc, lo, hi, sent)
                # "The lesion in the head is most compatible with a pseudocyst": a cystic diagnosis of it
                or a in apposed
                or (P.ENUMERATED_RE.match(t, a, b) and (any_confirmed or out))
                # "Multiple cystic lesions … A 9 mm lesion in the tail is unchanged": one of that group
                or (
                    (group_before or (doc.cyst_topic and sent.kind == "findings"))
                    and mention.size is not None
                    and not mention.plural
                    and not P.SOLID_LOOK_RE.search(t, lo, hi)
                )
            )
        if out and not _starts_new(doc, mention, out[-1]):
            _absorb(out[-1], mention)
            continue
        out.append(mention)
    if plural_dx:
        _share_a_plural_diagnosis(t, out, plural_dx)
    return out


def _share_a_plural_diagnosis(t: str, out: list[Mention], plural_dx: set[int]) -> None:
    """A plural diagnosis after cysts joined by *and* types each ("a 1.6 cm cyst of the body and a 4 mm tail cyst,
    possibly side-branch IPMNs"): the cyst before the last gets the type and what it implies too."""
    for prev, last in itertools.pairwise(out):
        if (
            last.anchor[0] in plural_dx
            and prev.ptype is None
            and P.AND_A_RE.search(t, prev.anchor[1], last.anchor[0])
        ):
            prev.ptype = last.ptype
            prev.comm_implied = prev.comm_implied or last.comm_implied


def _distribute(doc: Doc, mention: Mention, lo: int, hi: int, sent: Sentence) -> list[Mention]:
    """One plural mention that gives each place its own size is one lesion per place.

    "Cysts in the head and tail measure 8 and 5 mm, respectively", "two cysts, in the head (9 mm) and tail
    (6 mm)", "Three cysts: head 5 mm, body 12 mm, tail 7 mm". Places and sizes are paired in order after
    *respectively* or when every size stands before or after every place ("6 mm and 4 mm cysts in the head and
    neck"); otherwise each size goes with the place written right before it. Anything that does not
    pair up exactly leaves the mention as it is (one group lesion, its largest size).
    """
    t = doc.t
    places = find_locations(doc, lo, hi, sent)
    if len(places) < 2:
        return _counted_sizes(doc, mention, places, lo, hi, sent)
    ms = doc.meas_in(lo, hi)
    if len(ms) < 1:
        return []
    roles = [measurement_role(doc, ms, i, lo, hi, sent) for i in range(len(ms))]
    listed_priors(t, ms, roles)
    currents = [m for m, r in zip(ms, roles, strict=True) if r == "current"]
    priors = [m for m, r in zip(ms, roles, strict=True) if r == "prior"]
    if not currents:
        return []
    pairs: list[tuple[tuple[str, int, int], Measurement, Measurement | None]] = []
    sizes = [x for m in currents for x in listed_sizes(doc, m, lo)]
    in_blocks = all(x.start >= places[-1][2] for x in sizes) or all(x.end <= places[0][1] for x in sizes)
    in_order = bool(P.RESPECTIVELY_RE.search(t, lo, hi)) or in_blocks
    if in_order:
        # "head and tail ... 8 and 5 mm (respectively)", "6 mm and 4 mm cysts in the head and neck": in order
        old = [x for m in priors for x in listed_sizes(doc, m, lo)]
        if len(sizes) != len(places):
            return []
        olds: list[Measurement | None] = list(old) if len(old) == len(places) else [None] * len(places)
        pairs = list(zip(places, sizes, olds, strict=True))
    else:
        if len(currents) != len(places):
            return []
        pairs = _paired(t, places, currents)
        if not pairs:
            return []
        # "head 7mm (prev 4mm), body 10mm (prev 10mm), tail 5mm (new)": a prior goes with the size before it
        for p in priors:
            k = max((i for i, (_, size, _) in enumerate(pairs) if size.end <= p.start), default=None)
            if k is None or (k + 1 < len(pairs) and pairs[k + 1][0][1] < p.start):
                return []
            earlier = pairs[k][2]
            if earlier is not None:
                # "tail 9 mm (previously 7 mm in 2021 and 5 mm in 2019)": the latest of its priors, as for one cyst
                p = latest_by_year(t, [earlier, p]) or earlier
            pairs[k] = (pairs[k][0], pairs[k][1], p)
    if len({place[0] for place, _, _ in pairs}) < len(pairs):
        return []  # two sizes for one place: not a list of places
    out: list[Mention] = []
    for (loc, ls, le), size, prior in pairs:
        part = _one_of(mention, first=not out)
        part.location = Value(loc, [(ls, le)])
        part.size = Value(size.longest_mm, [(size.start, size.end)])
        part.prior = Value(prior.longest_mm, [(prior.start, prior.end)]) if prior is not None else None
        if prior is None:
            part.prior_date = part.prior_interval = None
        out.append(part)
    if not in_order:
        starts = [min(place[1], size.start) for place, size, _ in pairs]
        _own_findings(doc, out, starts, _shared_tail(doc, pairs, hi), hi, sent)
    return out


def _one_of(group: Mention, first: bool) -> Mention:
    """One lesion of a group mention split by place or size; each after the first is a new one."""
    return replace(
        group,
        plural=False,
        count=1,
        new_signal=not first or group.new_signal,
        in_group=True,
        heads_list=False,
    )


def _counted_sizes(
    doc: Doc, mention: Mention, places: list[tuple[str, int, int]], lo: int, hi: int, sent: Sentence
) -> list[Mention]:
    """ "Two cysts in the tail measuring 8 mm and 6 mm": as many sizes as the count, at most one place for
    all, is one lesion per size (so "the smaller cyst" that follows has its own lesion); else none."""
    if mention.count < 2:
        return []
    ms = doc.meas_in(lo, hi)
    roles = [measurement_role(doc, ms, i, lo, hi, sent) for i in range(len(ms))]
    currents = [m for m, r in zip(ms, roles, strict=True) if r == "current"]
    if any(r == "prior" for r in roles) or (len(currents) != 1 and not _joined(doc.t, currents)):
        return []
    sizes = [x for m in currents for x in listed_sizes(doc, m, lo)]
    if len(sizes) != mention.count:
        return []
    out: list[Mention] = []
    for size in sizes:
        part = _one_of(mention, first=not out)
        part.size = Value(size.longest_mm, [(size.start, size.end)])
        if places:
            part.location = Value(places[0][0], [(places[0][1], places[0][2])])
        out.append(part)
    return out


def _joined(t: str, sizes: list[Measurement]) -> bool:
    """Sizes written as one list ("8 mm and 6 mm", "8 mm, 6 mm")."""
    return all(P.LIST_GAP_RE.fullmatch(t, x.end, y.start) for x, y in itertools.pairwise(sizes))


def _another_measured(doc: Doc, sent: Sentence, other: re.Match[str], hi: int) -> Mention | None:
    """The pancreatic cyst an elliptical *another* names in ``[other, hi)`` when that stretch gives it a place
    and a size of its own (a place in another organ names none); else None."""
    a = other.start()
    if not doc.meas_in(other.end(), hi) or organ_of(doc, a, other.end(), a, hi, sent) not in (
        None,
        "pancreas",
    ):
        return None
    m = Mention(anchor=(a, other.end()), seg=(a, hi), sent=sent, group="cyst", new_signal=True)
    fill_features(doc, m, a, hi, sent)
    return m if m.size is not None and m.location is not None else None


def _shared_tail(
    doc: Doc, pairs: list[tuple[tuple[str, int, int], Measurement, Measurement | None]], hi: int
) -> int:
    """Where what is said of every place begins after the list: a denial set off by a comma after the last
    place and size ("in the head (8 mm) and in the body (6 mm), with no vegetations"); else ``hi``."""
    (_, _, place_end), size, prior = pairs[-1]
    end = max(place_end, size.end, prior.end if prior is not None else 0)
    tail = P.SHARED_DENIAL_AFTER_RE.match(doc.t, end, hi)
    return end if tail is not None else hi


def _own_findings(
    doc: Doc, parts: list[Mention], starts: list[int], shared_from: int, hi: int, sent: Sentence
) -> None:
    """Each place of a list keeps the findings written in its own stretch ("one in the head (1.9 cm), which
    communicates with the main duct, and a second in the tail (2.4 cm) with an enhancing nodule"); what is
    written before the first place, or from ``shared_from`` on, is said of them all."""
    ends = [*starts[1:], shared_from]
    for part, own_lo, own_hi in zip(parts, starts, ends, strict=True):
        own = Mention(anchor=(own_lo, own_lo), seg=(own_lo, own_hi), sent=sent, group="continuation")
        fill_features(doc, own, own_lo, own_hi, sent)
        for attr in FINDINGS:
            value = getattr(own, attr)
            shared = getattr(part, attr)
            if (
                value is None
                and shared is not None
                and all(s < starts[0] or s >= shared_from for s, _ in shared.spans)
            ):
                continue  # said before the list or after it: of every place
            setattr(part, attr, value)


def _paired(
    t: str, places: list[tuple[str, int, int]], sizes: list[Measurement]
) -> list[tuple[tuple[str, int, int], Measurement, Measurement | None]]:
    """Places and sizes paired one to one when each size is written right after its place ("head 5 mm,
    tail (9 mm)") or right before it ("9 mm in the neck and 6 mm in the uncinate process"); else none."""
    after = all(
        p[2] <= m.start and P.PLACE_SIZE_GAP_RE.fullmatch(t, p[2], m.start)
        for p, m in zip(places, sizes, strict=True)
    )
    before = all(
        m.end <= p[1] and P.SIZE_PLACE_GAP_RE.fullmatch(t, m.end, p[1])
        for p, m in zip(places, sizes, strict=True)
    )
    if not (after or before):
        return []
    return [(p, m, None) for p, m in zip(places, sizes, strict=True)]


def _called_malignant(doc: Doc, lo: int, hi: int, sent: Sentence) -> bool:
    """A malignancy named in ``t[lo:hi]`` and not denied: "without signs of malignancy" calls it nothing."""
    return any(
        NEGATED not in doc.ctx.modifiers(mm.start(), mm.end(), sent.start, sent.end)
        for mm in P.MALIGNANT_RE.finditer(doc.t, lo, hi)
    )


def solid_veto(t: str, lo: int, hi: int) -> bool:
    """A solid lesion or a collection named in ``t[lo:hi]`` (the words first, the pattern if one is there)."""
    return has_any(t[lo:hi], P.SOLID_VETO_WORDS) and P.SOLID_VETO_RE.search(t, lo, hi) is not None


def _vetoed(t: str, a: int, b: int, lo: int, hi: int) -> bool:
    """A solid lesion or collection named in the cyst word's own phrase: its clause ``t[lo:hi]`` up to where
    another entity joins it ("a 9 mm cyst and a splenic artery aneurysm": the aneurysm vetoes nothing)."""
    if not solid_veto(t, lo, hi):
        return False  # (most clauses: no phrase to cut)
    for j in P.ENTITY_JOIN_RE.finditer(t, lo, a):
        lo = j.end()
    after = P.ENTITY_JOIN_RE.search(t, b, hi)
    return solid_veto(t, lo, after.start() if after is not None else hi)


def _split_point(doc: Doc, a: int, b: int) -> int:
    t = doc.t
    last = None
    for m in P.CLAUSE_BREAK_RE.finditer(t, a, b):
        last = m
    if last is not None:
        return last.start()
    ms = doc.meas_in(a, b)
    if ms:
        return ms[-1].start
    return b


def _starts_new(doc: Doc, new: Mention, prev: Mention) -> bool:
    """Within one sentence, a second cyst word is a second lesion only with its own size or place."""
    if new.new_signal:
        return True
    if new.size is not None and prev.size is not None:
        return True
    if new.location is not None and prev.location is not None and new.location.value != prev.location.value:
        return new.size is not None or prev.size is None or new.plural or not new.definite
    return False


def _absorb(into: Mention, other: Mention) -> None:
    into.seg = (min(into.seg[0], other.seg[0]), max(into.seg[1], other.seg[1]))
    # "a 2 mm focus in the head … likely represents a small cyst": the cyst word confirms the focus
    into.provisional = into.provisional and other.provisional
    for name in ALL_ATTRS:
        mine, theirs = getattr(into, name), getattr(other, name)
        if name == "ptype" or theirs is None:
            continue
        rank = RANK.get(name)
        if mine is None or (rank is not None and rank[theirs.value] > rank[mine.value]):
            setattr(into, name, theirs)  # ranked features: the stronger reading ("enhancing" over implied)
    if refines_type(into.ptype, other.ptype):
        into.ptype = other.ptype
    into.plural = into.plural or other.plural
    into.count = max(into.count, other.count)


def _build_mention(
    doc: Doc, sent: Sentence, m: re.Match[str], group: str, lo: int, hi: int, organ_known: bool
) -> Mention:
    t = doc.t
    a, b = m.start(), m.end()
    plural = bool(P.PLURAL_RE.fullmatch(t, a, b)) or bool(P.PLURAL_RE.search(t, a, b))
    label = colon = P.LABEL_COLON_RE.match(t, b, hi)
    if label is not None:
        line_start = t.rfind("\n", 0, a) + 1
        prefix = t[max(line_start, sent.start, a - 30) : a]
        if not P.LABEL_PREFIX_RE.fullmatch(prefix) or P.COUNT_RE.search(prefix):
            label = None  # "Two cystic lesions: a 9 mm cyst … and a 4 mm cyst": a sentence, not a field
    listed = _listed_items(doc, colon.end()) if colon is not None else 0
    if listed >= 2:
        plural = True  # "Pancreatic cysts:" over "- Head: 10 mm" / "- Tail: 15 mm": a heading of its cysts
    elif plural and label is not None:
        # a template's field label ("Cystic lesions: single, neck, 12 x 9 mm") counts nothing; its answer does
        answer = t[label.end() : min(hi, label.end() + 40)]
        plural = bool(P.COUNT_RE.search(answer)) and not P.SINGLE_ANSWER_RE.match(answer)
    made_of = plural and (
        P.MADE_OF_CYSTS_BEFORE_RE.search(t, max(sent.start, a - 90), a) is not None
        or (
            P.CLUSTER_OF_CYSTS_BEFORE_RE.search(t, max(sent.start, a - 40), a) is not None
            and P.LARGEST_RE.search(t, b, hi) is None
        )
    )
    if made_of:
        plural = False  # "a mass composed of numerous tiny cysts" is one lesion
    mention = Mention(anchor=(a, b), seg=(lo, hi), sent=sent, group=group, plural=plural)
    before = t[max(lo, a - 60) : a]
    if label is not None:
        before = t[label.end() : min(hi, label.end() + 40)]  # the answer holds the count, if any
    counts = P.COUNT_RE.findall(before)
    cm_text = counts[-1] if counts else None
    count = 1
    if plural:
        count = 2
        if cm_text is not None:
            count = max(2, P.COUNT_WORDS.get(" ".join(cm_text.split()), 2))
    elif (
        cm_text is not None
        and not made_of
        # (a group word before a singular noun: "multifocal IPMN", "scattered cystic change")
        and re.search(
            r"\b(?:multiple|numerous|innumerable|several|scattered|few|multifocal|pluri-?focal)\b", cm_text
        )
    ):
        count = 3
    mention.count = max(count, listed)
    mention.heads_list = listed >= 2
    mention.definite = bool(P.DEFINITE_RE.search(t[max(lo, a - 40) : a]))
    mention.new_signal = bool(P.NEW_LESION_RE.search(t[max(lo, a - 30) : a])) or bool(
        P.ENUMERATED_AFTER_RE.match(t, b)
    )
    if not organ_known:
        mention.group = group
    fill_features(doc, mention, lo, hi, sent)
    if made_of and mention.septa is None:
        mention.septa = Value("present", [(a, b)])  # its small cysts are its loculi
    if group in ("solidcystic", "cysticnet") and mention.nodule is None:
        mention.nodule = Value("present_unspecified", [(a, b)])  # SPEC §2: its solid part is a mural nodule
    differential = in_a_differential(
        doc, m
    )  # one name of a differential neither types nor implies communication
    ptype = "unspecified" if differential else TYPE_OF_GROUP.get(group, "unspecified")
    mods = doc.ctx.modifiers(a, b, sent.start, sent.end)
    if group != "cyst" and (mention.ptype is None or ptype != "unspecified"):
        mention.ptype = Value(ptype, [(a, b)])  # (a bare "lesion" keeps the type its apposition gave it)
        if group in IMPLIES_COMMUNICATION and UNCERTAIN not in mods and not differential:
            mention.comm_implied = Value("present", [(a, b)])
    return mention


def stated_prior(doc: Doc, sent: Sentence, anchors: list[re.Match[str]]) -> Mention | None:
    """A pancreatic cyst's size the history or comparison gives ("Indication: follow-up of a 15 mm pancreatic
    tail cyst seen on MRI in 2022"): what an earlier exam measured, with its place and date. None when the
    sentence names no measured pancreatic cyst, or denies or proposes one ("evaluate for pancreatic cyst")."""
    for am in anchors:
        a, b = am.start(), am.end()
        group = anchor_group(am) or "cyst"
        organ = organ_of(doc, a, b, sent.start, sent.end, sent)
        pancreatic = (
            organ == "pancreas"
            or group in _IPMN_GROUPS
            or (organ is None and (group in _PANCREATIC_ENTITIES or doc.topic == "pancreas"))
        )
        if not pancreatic:
            continue
        mods = A.lesion_modifiers(doc, a, b, sent)
        if NEGATED in mods or HYPOTHETICAL in mods:
            continue
        m = Mention(anchor=(a, b), seg=(sent.start, sent.end), sent=sent, group=group)
        fill_features(doc, m, sent.start, sent.end, sent)
        if m.size is None:
            if m.prior is None:
                continue
            m.size = m.prior  # "... measured 2.0 cm on outside MRI 11/2023": earlier by its cue too
        dates = doc.dates_in(sent.start, sent.end)
        if m.prior_date is None and dates:
            d = max(dates, key=lambda x: x.date)
            m.prior_date = Value(d.date, [(d.start, d.end)])
        intervals = doc.intervals_in(sent.start, sent.end)
        if m.prior_interval is None and intervals:
            iv = intervals[0]
            m.prior_interval = Value(iv.months, [(iv.start, iv.end)])
        return m
    return None


def _listed_items(doc: Doc, end: int) -> int:
    """How many list items with a place and a size follow a field label that ends its line (the label's
    answer, at most a count, is the list): "Cystic lesion(s): 2" then "- Head: 6 mm", "- Tail: 11 mm"."""
    t = doc.t
    nl = t.find("\n", end)
    if nl < 0 or (t[end:nl].strip() and not P.COUNT_RE.fullmatch(t[end:nl].strip())):
        return 0
    n = 0
    while True:
        start = nl + 1
        nl = t.find("\n", start)
        stop = nl if nl >= 0 else len(t)
        item = P.LIST_ITEM_RE.match(t, start, stop)
        if (
            item is None
            or not P.LOCATION_RE.search(t, start, item.end() + 30)
            or not doc.meas_in(start, stop)
        ):
            return n
        n += 1
        if nl < 0:
            return n


def list_item_mention(doc: Doc, sent: Sentence) -> Mention | None:
    """After a group of cysts ("Representative lesions:"), a list item with its own place and size is one of them."""
    head = P.LIST_ITEM_RE.match(doc.t, sent.start, sent.end)
    m = _unnamed_mention(doc, sent, head, in_group=True)
    return m if m is not None and m.location is not None else None


def elliptical_mention(doc: Doc, sent: Sentence) -> Mention | None:
    """After a lesion, a sentence about another one left unnamed ("A second, 6 mm, in the tail.") with its size."""
    return _unnamed_mention(
        doc, sent, P.ELLIPTICAL_OPENING_RE.match(doc.t, sent.start, sent.end), in_group=False
    )


def _unnamed_mention(doc: Doc, sent: Sentence, head: re.Match[str] | None, in_group: bool) -> Mention | None:
    """A new lesion named by ``head`` (a list item's opening, "another"), kept when the sentence gives its size."""
    if head is None or not doc.meas_in(head.end(), sent.end):
        return None
    m = Mention(
        anchor=(sent.start, head.end()),
        seg=(sent.start, sent.end),
        sent=sent,
        group="cyst",
        new_signal=True,
        in_group=in_group,
    )
    fill_features(doc, m, sent.start, sent.end, sent)
    return m if m.size is not None else None


def continuation_mention(doc: Doc, sent: Sentence, current: Mention) -> Mention | None:
    """A sentence with no cyst word that goes on about the current lesion ("It measures 1.2 cm")."""
    seg = doc.t[sent.start : sent.end]
    if not doc.meas_in(sent.start, sent.end) and not has_any(seg, P.CONTINUATION_WORDS):
        return None  # nothing a lesion feature could come from ("Otherwise normal pancreas.")
    ducts = doc.ducts_in(sent.start, sent.end)
    duct_led = (
        bool(ducts)
        and ducts[0].start() - sent.start < 40
        and not has_any(seg, P.COMM_WORDS)
        # "No septations, solid components or ductal dilatation.": the lesion's features come first
        and not has_any(doc.t[sent.start : ducts[0].start()], P.CONTINUATION_WORDS)
        and not re.search(r"\b(?:it|its|the\s+(?:cyst|lesion))\b", seg)
    )
    if duct_led and not has_any(seg, P.APPEARANCE_WORDS):
        return None  # "The main duct measures 3 mm.": nothing of the lesion's appearance to keep
    m = Mention(anchor=current.anchor, seg=(sent.start, sent.end), sent=sent, group=current.group)
    fill_features(doc, m, sent.start, sent.end, sent)
    if duct_led:
        # "A dilated side branch in the body measures 3 mm.": the size and place are the duct's; what the
        # sentence says of a lesion's appearance ("no duct dilatation, mural nodules or thick walls") stays
        for attr in CONTINUES:
            if attr not in FINDINGS:
                setattr(m, attr, None)
    elif ducts and m.location is not None and m.location.spans[0][0] > ducts[0].end():
        m.location = None  # "On review, the main duct measures up to 10.5 mm in the tail.": the duct's place
    if any(getattr(m, k) is not None for k in CONTINUES):
        m.definite = True
        m.group = "continuation"
        values = [getattr(m, k) for k in FINDINGS]
        m.broadcast = (
            m.size is None
            and m.prior is None
            and m.location is None
            and all(v is None or v.value == "absent" for v in values)
            and not re.search(r"\b(?:it|its|this|the\s+(?:cyst|lesion))\b", doc.t[sent.start : sent.end])
        )
        # "No septations." after one cyst is about that cyst; a statement about the group ("none of the
        # cysts"), or any statement in a report that describes a group of cysts, is about all of them
        m.group_statement = bool(P.GROUP_WORDS_RE.search(doc.t, sent.start, sent.end))
        return m
    return None


def group_denial(doc: Doc, sent: Sentence, current: Mention | None) -> Mention | None:
    """ "None of the cysts shows a nodule or septa": a denial of features for every lesion described."""
    if current is None or (A.denial_scope(doc, sent) is None and not A.denies_a_feature_of_cysts(doc, sent)):
        return None
    m = continuation_mention(doc, sent, current)
    if m is None:
        return None
    m.size = m.prior = m.prior_date = m.prior_interval = m.location = None
    m.broadcast = m.group_statement = True
    return m


def _cystic_descriptor(doc: Doc, lo: int, hi: int, sent: Sentence) -> bool:
    """A word that makes a bare "lesion" cystic, other than the cystic parts of a lesion ("a mass lesion ...
    few cystic areas within the mass" is a solid lesion) and an earlier reading this one revises ("a lesion,
    previously thought to be a cyst, …")."""
    t = doc.t
    return any(
        (
            not (P.PART_OF_A_LESION_RE.match(t, dm.start()) or P.INTERNAL_PART_RE.match(t, dm.start()))
            or P.SOLID_AND_CYSTIC_PARTS_RE.match(t, dm.start())
            is not None  # "... with cystic and solid parts"
        )
        and HISTORICAL not in doc.ctx.modifiers(dm.start(), dm.end(), sent.start, sent.end)
        for dm in P.CYSTIC_DESCRIPTOR_RE.finditer(t, lo, hi)
    )


def part_of_a_lesion(t: str, am: re.Match[str], lo: int) -> bool:
    """ "cystic component / change", "... with cystic areas": a part of another lesion, not a lesion."""
    if anchor_group(am) != "cyst":
        return False
    a = am.start()
    if P.PART_OF_A_LESION_RE.match(t, a) or P.INNER_CYSTS_BEFORE_RE.search(t, max(lo, a - 40), a):
        return True
    part = P.INTERNAL_PART_RE.match(t, a)
    if part is None:
        return False
    # "... with cystic areas", "cystic areas ... within the mass"
    return bool(P.INTERNAL_PART_BEFORE_RE.search(t, max(lo, a - 25), a)) or bool(
        P.WITHIN_A_LESION_AFTER_RE.match(t, part.end())
    )


def _organs_own_pseudocyst(doc: Doc, sent: Sentence, organ: str | None, a: int) -> bool:
    """ "ADRENALS: Left adrenal cystic lesion, 2.5 cm, likely a pseudocyst.": under an organ's heading, a
    sentence that names that organ before the pseudocyst describes the organ's own."""
    if organ != sent.heading or organ not in P.PSEUDOCYST_ORGAN_HEADINGS:
        return False
    i = bisect_left(doc.organ_starts, sent.start)
    return organ in doc.organ_groups[i : bisect_left(doc.organ_starts, a, i)]


def _a_nodules_word(t: str, am: re.Match[str]) -> bool:
    """A lesion word inside a nodule's phrase after a lesion ("a cyst … with a 6 mm nodular focus along its wall"):
    the nodule, which neither names a lesion nor ends the cyst's clause."""
    return any(
        n.start() <= am.start() and am.end() <= n.end()
        for n in P.NODULE_RE.finditer(t, max(0, am.start() - 25), am.end())
    )


def _made_of(t: str, lesion: re.Match[str], am: re.Match[str]) -> bool:
    """ "a multicystic lesion … composed of innumerable tiny cysts": the cysts are the lesion's loculi (after a
    bare "lesion", the cysts' mention is the lesion: MADE_OF_CYSTS_BEFORE_RE)."""
    return (
        anchor_group(am) == "cyst"
        and anchor_group(lesion) not in (None, "lesion")
        and bool(P.MADE_OF_BEFORE_RE.search(t, max(lesion.end(), am.start() - 90), am.start()))
        # (not cysts with a place of their own: "a cystic lesion in the head with multiple small cysts in the tail")
        and P.LOCATION_RE.search(t, am.end(), am.end() + 25) is None
    )


def _organ_word_right_before(t: str, a: int) -> re.Match[str] | None:
    """The organ word that stands right before the cyst word at ``a`` ("splenic pseudocyst")."""
    before = P.ORGAN_RE.search(t, max(0, a - 16), a)
    return before if before is not None and P.ADJACENT_GAP_RE.fullmatch(t, before.end(), a) else None


def _organ_word_before(doc: Doc, am: re.Match[str]) -> tuple[int, str] | None:
    """Where the organ word that qualifies a cyst word starts, and its organ, other than the pancreas
    ("splenic cyst", "renal cyst"); None when no such word stands right before it."""
    before = _organ_word_right_before(doc.t, am.start())
    if before is None:
        return None
    organ = P.ORGAN_GROUPS[before.lastindex or 0]
    if organ in (None, "pancreas", "weak"):
        return None
    start = before.start()
    # the phrase's first organ word ("duodenal duplication cyst": both words are the bowel's)
    while (more := _organ_word_right_before(doc.t, start)) is not None and P.ORGAN_GROUPS[
        more.lastindex or 0
    ] == organ:
        start = more.start()
    return start, organ


def _qualified_by_organ(doc: Doc, a: int, b: int) -> bool:
    """An organ word right before or after a cyst word names its organ ("splenic pseudocyst", "... of the spleen")."""
    t = doc.t
    if _organ_word_right_before(t, a) is not None:
        return True
    after = P.OF_THE_RE.match(t, b)
    return after is not None and P.ORGAN_RE.match(t, after.end()) is not None
