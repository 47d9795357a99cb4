"""Stage 7, duct: the report-level main pancreatic duct diameter and dilatation status."""

from __future__ import annotations

import re

from pancyst.extract.rules import assertion as A
from pancyst.extract.rules import patterns as P
from pancyst.extract.rules.document import Doc, has_any, sentence_organ
from pancyst.extract.rules.model import NO_LESION_SECTIONS, Sentence, Value
from pancyst.text.context import HISTORICAL, HYPOTHETICAL, NEGATED, UNCERTAIN
from pancyst.text.measurements import Measurement


def _denies_another_noun(doc: Doc, sm: re.Match[str], duct_start: int, sent: Sentence) -> bool:
    """Every denial that covers a duct's status word denies a noun of its own before the duct term
    (unpunctuated dictation: "no septations duct normal"; but "no septations or ductal dilatation" is a list
    the denial spreads over)."""
    t = doc.t
    for hit in doc.ctx.covering(sm.start(), sm.end(), sent.start, sent.end):
        if hit.rule.category != NEGATED:
            continue
        nouns = list(P.OTHER_NOUN_RE.finditer(t, hit.end, duct_start)) if hit.end <= duct_start else []
        if not nouns or P.COORDINATION_RE.search(t, nouns[-1].end(), duct_start):
            return False
    return True


def _denied_itself(doc: Doc, sm: re.Match[str], sent: Sentence) -> bool:
    """A normal-duct word is denied only by a denial right before it ("not normal", "is not of normal calibre")
    or after it: one further back denies something else ("no solid comp, PD nl": the duct is normal)."""
    t = doc.t
    return any(
        hit.rule.category == NEGATED
        and (hit.start >= sm.end() or P.NEAR_DENIAL_GAP_RE.fullmatch(t, hit.end, sm.start()) is not None)
        for hit in doc.ctx.covering(sm.start(), sm.end(), sent.start, sent.end)
    )


def _answered_no(doc: Doc, ms: Measurement, sent: Sentence) -> bool:
    """A size that a checklist answers "no" ("MPD 5-9 mm (no)", "MPD >= 10 mm: no") is a criterion."""
    return any(
        h.field and h.rule.category == NEGATED
        for h in doc.ctx.covering(ms.start, ms.end, sent.start, sent.end)
    )


def duct_features(doc: Doc) -> tuple[Value | None, Value | None]:
    t = doc.t
    diam: Value | None = None
    diam_addendum = False
    yes: Value | None = None
    no: Value | None = None
    status_addendum: Value | None = None
    carry: str | None = None
    duct_heading: re.Match[str] | None = None
    for sent in doc.sentences:
        if sent.kind in NO_LESION_SECTIONS:
            continue
        sent_org = sentence_organ(doc, sent, carry)
        carry = sent_org
        ducts = doc.ducts_in(sent.start, sent.end)
        if ducts and (A.states_thresholds(doc, sent) or A.states_a_rule_for_cysts(doc, sent)):
            # "per ACR, a main duct of 7 mm or more warrants EUS", "for cysts of 15-25 mm without duct
            # communication: MRI in 6 months": a rule's numbers, not this duct's
            continue
        if not ducts:
            if duct_heading is not None and P.FIELD_RE.match(t, sent.start, sent.end):
                ducts = [duct_heading]
            else:
                duct_heading = None
                continue
        elif (
            sent.end - sent.start < 40
            and not doc.meas_in(sent.start, sent.end)
            and not _dilated_words(t, sent.start, sent.end)
            and not P.NORMAL_DUCT_RE.search(t, sent.start, sent.end)
        ):
            duct_heading = ducts[0]  # "2. Main pancreatic duct" heading a list of fields
            continue
        typed: list[tuple[int, int, str]] = []
        for m in ducts:
            if is_compound_heading(t, m):
                continue  # "PANCREAS/PANCREATIC DUCT:" names a section, it measures nothing
            g = P.DUCT_GROUPS[m.lastindex or 0] or "bare"
            if g == "bare":
                if re.search(r"\b(?:cystic|bile|hepatic|common)\s+$", t[max(0, m.start() - 12) : m.start()]):
                    continue
                pancreatic_ctx = (
                    sent.heading == "pancreas"
                    or sent_org == "pancreas"
                    or re.search(r"pancrea|ipmn|wirsung", t[sent.start : sent.end])
                )
                biliary_ctx = sent.heading in ("biliary", "liver") or re.search(
                    r"\b(?:biliary|bile|cbd|hepatic|choledoch|gallbladder)", t[sent.start : sent.end]
                )
                if pancreatic_ctx and not biliary_ctx:
                    g = "mpd"
                elif biliary_ctx and not pancreatic_ctx:
                    g = "cbd"
                elif pancreatic_ctx and biliary_ctx:
                    g = (
                        "mpd"
                        if re.search(r"pancrea\w*\s+(?:\w+\s+)?$", t[max(0, m.start() - 20) : m.start()])
                        else "cbd"
                    )
                else:
                    continue
            typed.append((m.start(), m.end(), g))
        if not typed:
            continue
        if _opens_fields(t, ducts[-1], sent.end):
            duct_heading = ducts[-1]  # "Main pancreatic duct diameter: 3 mm." then "Dilatation: no."
        # diameters: a measurement right after (or before) a duct term belongs to the nearest term
        for ms in doc.meas_in(sent.start, sent.end):
            owner = _nearest_duct(doc, typed, ms, sent)
            if owner is None or owner[2] != "mpd":
                continue
            before = t[max(sent.start, ms.start - 40) : ms.start]
            if (
                P.PRIOR_BEFORE_RE.search(before.split(",")[-1])
                and not P.CURRENT_BEFORE_RE.search(before)
                and not narrated_size(t, owner[0], owner[1], ms, sent.start, sent.end)
            ):
                continue
            if P.CORRECTION_BEFORE_RE.search(before[-30:]):
                continue
            if P.DUCT_PRIOR_AFTER_RE.match(t, ms.end, ms.end + 30):
                continue
            if A.names_a_criterion(doc, ms, sent):
                continue  # "Worrisome features: …, MPD 5-9 mm.": the criterion, not this duct's size
            if _answered_no(doc, ms, sent):
                continue  # "Worrisome features: … MPD 5-9 mm (no)": a criterion, answered, not a size
            v = Value(ms.longest_mm, [(ms.start, ms.end)])
            if sent.kind == "addendum":
                if not diam_addendum or v.value > (diam.value if diam else 0):
                    diam = v
                diam_addendum = True
            elif not diam_addendum and (diam is None or v.value > diam.value):
                diam = v
        # dilatation status: each status word goes to the nearest duct term in its clause
        for sm in _dilated_words(t, sent.start, sent.end) + list(
            P.NORMAL_DUCT_RE.finditer(t, sent.start, sent.end)
        ):
            word = sm.group(0)
            owner = _nearest_duct_for_word(t, typed, sm.start(), sm.end())
            if owner is None or owner[2] != "mpd":
                continue
            is_normal = bool(P.NORMAL_DUCT_RE.fullmatch(word))
            if not is_normal and re.match(r"non|un", word):
                is_normal = True
            mods = doc.ctx.modifiers(sm.start(), sm.end(), sent.start, sent.end)
            if NEGATED in mods and (
                _denies_another_noun(doc, sm, owner[0], sent)
                or (is_normal and not _denied_itself(doc, sm, sent))
            ):
                mods = mods - {NEGATED}  # "no nodules no septations duct normal 2 mm": the duct is normal
            if HYPOTHETICAL in mods or UNCERTAIN in mods:
                continue
            if HISTORICAL in mods:
                continue
            if (
                word in ("normal", "unremarkable", "is normal", "are normal", "nl", "wnl", "regular")
                and not (
                    P.DUCT_RE.search(t, max(sent.start, sm.start() - 40), min(sent.end, sm.end() + 10))
                    and abs(owner[1] - sm.start()) < 30
                )
                # "Normal main pancreatic duct caliber": the adjective right before its duct
                and not (sm.end() <= owner[0] and not t[sm.end() : owner[0]].strip())
            ):
                continue
            val = "no" if (is_normal != (NEGATED in mods)) else "yes"
            v = Value(val, [(min(owner[0], sm.start()), max(owner[1], sm.end()))])
            if sent.kind == "addendum":
                status_addendum = v
            elif val == "yes" and yes is None:
                yes = v
            elif val == "no" and no is None:
                no = v
    status = status_addendum or yes or no
    return diam, status


def _dilated_words(t: str, lo: int, hi: int) -> list[re.Match[str]]:
    """DILATED_RE's matches in ``t[lo:hi]``, after a substring test that rules most sentences out."""
    return list(P.DILATED_RE.finditer(t, lo, hi)) if has_any(t[lo:hi], P.DILATED_WORDS) else []


def meas_between(doc: Doc, a: int, b: int) -> bool:
    """A measurement between a duct term and ``b``, other than a list of the same duct's segments.

    "The main duct measures 2 mm in the head and 3.5 mm in the body": the second size still
    belongs to the duct.
    """
    ms = doc.meas_in(a, b)
    if not ms:
        return False
    t = doc.t
    ends = [m.end for m in ms]
    starts = [m.start for m in ms[1:]] + [b]
    return not all(P.DUCT_SEGMENT_LIST_RE.fullmatch(t, e, s) for e, s in zip(ends, starts, strict=True))


def narrated_size(t: str, duct_start: int, duct_end: int, meas: Measurement, lo: int, hi: int) -> bool:
    """ "The main duct was 2 mm.", "…, which measured 2.5 mm": a narrated exam's duct size, unless it is dated to
    an earlier exam ("…, which measured 4 mm one year ago" is the cyst's prior), its clause ``[lo, hi)`` opens on an
    earlier time ("Previously the main duct was …") or goes on to this exam's own size ("… was 3 mm and now
    measures 5 mm")."""
    return bool(
        P.NARRATED_DUCT_SIZE_RE.fullmatch(t, duct_end, meas.start)
        and not P.PRIOR_AFTER_RE.match(t[meas.end : meas.end + 60])
        and not P.NOW_AFTER_RE.search(t, meas.end, hi)
        and not P.EARLIER_TIME_RE.search(t, lo, duct_start)
    )


def communication_target(
    t: str, lo: int, duct_start: int, duct_end: int, meas: Measurement, sent: Sentence
) -> bool:
    """The duct a cyst communicates with measures nothing, unless the size is its own ("…, which measures 2 mm",
    a narrated "…, which measured 2.5 mm")."""
    if P.DUCT_OWN_SIZE_RE.match(t, duct_end, meas.start) or narrated_size(
        t, duct_start, duct_end, meas, sent.start, sent.end
    ):
        return False
    return bool(
        P.COMM_BEFORE_DUCT_RE.search(t, lo, duct_start)
        or P.COMM_AFTER_DUCT_RE.match(t, duct_end, duct_end + 16)
    )


def is_compound_heading(t: str, m: re.Match[str]) -> bool:
    """A duct term in a heading that names two things ("PANCREAS/PANCREATIC DUCT:") measures nothing."""
    return bool(
        P.COMPOUND_HEADING_RE.match(t, m.end())
        and P.COMPOUND_LABEL_RE.fullmatch(t, max(0, t.rfind("\n", 0, m.start()) + 1), m.start())
    )


def _nearest_duct(
    doc: Doc, typed: list[tuple[int, int, str]], ms: Measurement, sent: Sentence
) -> tuple[int, int, str] | None:
    t = doc.t
    best: tuple[int, tuple[int, int, str]] | None = None
    after = t[ms.end : ms.end + 50].split("\n", 1)[
        0
    ]  # a cyst on the next line is not what this size measures
    if has_any(after, P.CYST_WORDS) and P.CYST_NEXT_RE.match(after):
        return None  # "a 1.6 cm head cyst"
    for d in typed:
        if d[1] <= ms.start:
            gap = t[d[1] : ms.start]
            if len(gap) > 70 or re.search(r"[;]|\band\s+(?:the\s+)?\w+\s+(?:duct|measures)", gap):
                continue
            if meas_between(doc, d[1], ms.start) or P.ANCHOR_RE.search(gap):
                continue
            if communication_target(t, max(0, d[0] - 40), d[0], d[1], ms, sent):
                continue
            if P.DUCT_GAP_VETO_RE.search(gap) and not narrated_size(t, d[0], d[1], ms, sent.start, sent.end):
                continue
            dist = ms.start - d[1]
        else:
            gap = t[ms.end : d[0]]
            if len(gap) > 25 or not re.fullmatch(r"[\s-]*(?:\w+\s+){0,2}", gap):
                continue
            dist = d[0] - ms.end + 5
        if best is None or dist < best[0]:
            best = (dist, d)
    return best[1] if best else None


def _nearest_duct_for_word(
    t: str, typed: list[tuple[int, int, str]], a: int, b: int
) -> tuple[int, int, str] | None:
    best: tuple[int, tuple[int, int, str]] | None = None
    for d in typed:
        if d[1] <= a:
            gap = t[d[1] : a]
            dist = a - d[1]
        elif d[0] >= b:
            gap = t[b : d[0]]
            dist = d[0] - b
        else:
            gap = ""
            dist = 0
        if len(gap) > 70 or re.search(r"\b(?:but|however|whereas|while)\b", gap):
            continue
        if ";" in gap and not (d[1] <= a and _next_field(t, d, gap, a)):
            continue
        if best is None or dist < best[0] or (dist == best[0] and d[2] == "mpd"):
            best = (dist, d)
    if best is None:
        return None
    # "no biliary or pancreatic ductal dilatation": coordinated terms share the status word
    if best[1][2] != "mpd":
        for d in typed:
            if d[2] == "mpd" and abs(d[0] - best[1][0]) < 40:
                lo, hi = min(d[1], best[1][1]), max(d[0], best[1][0])
                if lo >= hi or re.fullmatch(r"[\s,/]*(?:or|and|/)?[\s,/]*", t[lo:hi]):
                    return d
    return best[1]


def _opens_fields(t: str, duct: re.Match[str], end: int) -> bool:
    """A duct term that labels a field ("MPD diameter: 3 mm", "Main duct: 2 mm"): the fields after it are its."""
    return t.startswith(":", duct.end()) or P.FIELD_RE.match(t, duct.end(), end) is not None


def _next_field(t: str, duct: tuple[int, int, str], gap: str, a: int) -> bool:
    """A status word that labels the field after the duct's own ("MPD diameter: 3 mm; dilatation: no")."""
    if gap.count(";") != 1 or not (t.startswith(":", duct[1]) or P.FIELD_RE.match(t, duct[1])):
        return False
    field = P.FIELD_RE.match(t, duct[1] + gap.index(";") + 1)
    return field is not None and field.end() > a
