"""The deterministic backend (``--backend rules``): SPEC features with evidence, no model, no server.

Flow per report: normalize (lower case, slip correction) -> sections and sentences -> one pass
of every pattern over the whole text -> lesion mentions (a cyst word on this exam, in the
pancreas, not negated, resolved or hypothetical) with their own size, location and features ->
mentions merged into lesions (the same cyst in findings, impression and addendum) -> duct
features for the report. The SPEC §2 reading conventions are applied where they bite; see
docs/rules.md for the design and the phrasing it does not yet handle.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from typing import Any

from pancyst.extract import rules_patterns as P
from pancyst.extract.base import Extractor
from pancyst.schema import Extraction, Lesion, Multiplicity, ReportInput, Span, construct
from pancyst.text.context import HISTORICAL, HYPOTHETICAL, NEGATED, POSSIBLE, ContextIndex
from pancyst.text.dates import DateMention, IntervalMention, find_dates, find_intervals
from pancyst.text.measurements import Measurement, find_measurements
from pancyst.text.normalize import Normalized, to_normalized
from pancyst.text.sections import SectionMap
from pancyst.text.sentences import split_sentences

LESION_SECTIONS = frozenset({"findings", "impression", "addendum", "preamble", "other"})
NO_LESION_SECTIONS = frozenset({"history", "technique", "comparison", "exam"})
TYPE_OF_GROUP = {
    "sb": "bd_ipmn",
    "md": "md_ipmn",
    "mixed": "mixed_ipmn",
    "ipmn": "unspecified",
    "serous": "serous",
    "mucinous": "mucinous",
    "pseudo": "pseudocyst",
    "cyst": "unspecified",
}
LOCATION_OF_GROUP = {
    "uncinate": "uncinate",
    "neckj": "neck",
    "bodyj": "body",
    "head": "head",
    "neck": "neck",
    "body": "body",
    "tail": "tail",
}
NODULE_RANK = {"not_stated": 0, "absent": 1, "present_unspecified": 2, "nonenhancing": 3, "enhancing": 4}
PA_RANK = {"not_stated": 0, "absent": 1, "present": 2}
CALC_RANK = {"not_stated": 0, "absent": 1, "present_unspecified": 2, "central": 3, "peripheral": 3}


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    kind: str
    heading: str | None
    organ: str | None = None  # the organ this sentence talks about (mentions, heading or carried over)
    own_organ: str | None = "?"  # the organ it names itself; "?" until looked up


@dataclass(slots=True)
class Value:
    """A feature value with the normalized-text spans it came from."""

    value: Any
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Mention:
    """One description of a lesion (a cyst word and the clause that belongs to it)."""

    anchor: tuple[int, int]
    seg: tuple[int, int]
    sent: Sentence
    group: str
    plural: bool = False
    count: int = 1
    definite: bool = False
    new_signal: bool = False
    provisional: bool = False
    broadcast: bool = False
    group_statement: bool = False
    size: Value | None = None
    prior: Value | None = None
    prior_date: Value | None = None
    prior_interval: Value | None = None
    location: Value | None = None
    nodule: Value | None = None
    nodule_size: Value | None = None
    wall: Value | None = None
    septa: Value | None = None
    comm: Value | None = None
    comm_implied: Value | None = None
    calc: Value | None = None
    ptype: Value | None = None
    organ_unknown: bool = False  # no organ word, heading or carried organ: kept only if it joins a lesion
    in_group: bool = False  # one of several cysts a group sentence or list described


@dataclass(slots=True)
class LesionAcc:
    mentions: list[Mention] = field(default_factory=list)
    confirmed: bool = False
    size: Value | None = None
    size_kind: str = ""
    prior: Value | None = None
    prior_date: Value | None = None
    prior_interval: Value | None = None
    location: Value | None = None
    nodule: Value | None = None
    nodule_size: Value | None = None
    wall: Value | None = None
    septa: Value | None = None
    comm: Value | None = None
    comm_implied: Value | None = None
    calc: Value | None = None
    ptype: Value | None = None
    count: int = 1


class _Doc:
    """Everything found in one report, computed once and looked up by offset."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.norm = Normalized(text)
        t = self.norm.text
        self.t = t
        self.smap = SectionMap(text)
        self._ctx: ContextIndex | None = None
        self.warnings: list[str] = []
        self._dates: dict[tuple[int, int], list[DateMention]] = {}
        self._intervals: dict[tuple[int, int], list[IntervalMention]] = {}
        self.meas = find_measurements(t)
        self.meas_starts = [m.start for m in self.meas]
        self.anchors = [m for m in P.ANCHOR_RE.finditer(t) if _group(m)]
        self.anchor_starts = [m.start() for m in self.anchors]
        self.ducts = list(P.DUCT_RE.finditer(t))
        self.duct_starts = [m.start() for m in self.ducts]
        organs = list(P.ORGAN_RE.finditer(t))
        self.organ_starts = [m.start() for m in organs]
        self.organ_ends = [m.end() for m in organs]
        self.organ_groups = [P.ORGAN_GROUPS[m.lastindex or 0] for m in organs]
        self.sentences = self._sentences()
        self.exam_date: Value | bool | None = False  # False: not looked up yet

    def _sentences(self) -> list[Sentence]:
        out: list[Sentence] = []
        text = self.original
        cut_points = [h.start for h in self.smap.headers if h.kind is None]
        norm = self.norm
        identity = not norm.corrections  # normalized offsets are the original ones
        organ_heading = self.smap.organ_heading
        for sec in self.smap.sections:
            # organ headings and field labels start a new sentence (the label stays in it)
            i = bisect_left(cut_points, sec.start + 1)
            j = bisect_left(cut_points, sec.end)
            cuts = cut_points[i:j]
            edges = [sec.start, *cuts, sec.end]
            bounds: list[tuple[int, int]] = []
            for a, b in itertools.pairwise(edges):
                bounds.extend([(a + sa, a + sb) for sa, sb in _piece_sentences(text, a, b)])
            kind = sec.kind
            if identity:
                out.extend(Sentence(a, b, kind, organ_heading(a)) for a, b in bounds)
            else:
                for a, b in bounds:
                    na = to_normalized(norm, a)
                    nb = to_normalized(norm, b)
                    out.append(Sentence(na, nb, kind, organ_heading(a)))
        return out

    # Computed on first use: most reports never ask for context, and garbage never does.
    @property
    def ctx(self) -> ContextIndex:
        if self._ctx is None:
            self._ctx = ContextIndex(self.t)
        return self._ctx

    def span(self, a: int, b: int, feature: str | None = None) -> Span:
        s, e = self.norm.span(a, b)
        # built, not validated: text is the report's own slice and the pipeline checks every span
        return _span(s, e, self.original[s:e], feature)

    def dates_in(self, a: int, b: int) -> list[DateMention]:
        """Dates written in ``[a, b)`` (a sentence or section), found on first use."""
        key = (a, b)
        found = self._dates.get(key)
        if found is None:
            found = self._dates[key] = [
                DateMention(d.start + a, d.end + a, d.date, d.precision) for d in find_dates(self.t[a:b])
            ]
        return found

    def intervals_in(self, a: int, b: int) -> list[IntervalMention]:
        key = (a, b)
        found = self._intervals.get(key)
        if found is None:
            found = self._intervals[key] = [
                IntervalMention(iv.start + a, iv.end + a, iv.months) for iv in find_intervals(self.t[a:b])
            ]
        return found

    def anchors_in(self, a: int, b: int) -> list[re.Match[str]]:
        return _within(self.anchors, self.anchor_starts, a, b)

    def ducts_in(self, a: int, b: int) -> list[re.Match[str]]:
        return _within(self.ducts, self.duct_starts, a, b)

    def meas_in(self, a: int, b: int) -> list[Measurement]:
        i = bisect_left(self.meas_starts, a)
        out = []
        while i < len(self.meas) and self.meas[i].start < b:
            if self.meas[i].end <= b:
                out.append(self.meas[i])
            i += 1
        return out


def _group(anchor: re.Match[str]) -> str:
    """The named group of ANCHOR_RE an anchor matched (``sb``, ``cyst``, ...)."""
    return P.ANCHOR_GROUPS[anchor.lastindex or 0]


def _within(matches: list[re.Match[str]], starts: list[int], a: int, b: int) -> list[re.Match[str]]:
    """The matches that lie in ``[a, b)`` (``starts``: their start offsets, sorted)."""
    i = bisect_left(starts, a)
    if i == len(starts) or starts[i] >= b:
        return []  # most sentences hold none: no second search, no list to filter
    j = bisect_left(starts, b, i)
    return [m for m in matches[i:j] if m.end() <= b]


def _span(start: int, end: int, text: str, feature: str | None) -> Span:
    return construct(
        Span,
        {"start": start, "end": end, "text": text, "feature": feature, "alignment": "exact", "score": 1.0},
    )


MAX_SENTENCE_CHARS = 1_000
MAX_MENTIONS = 200


_piece_cache: dict[str, tuple[tuple[int, int], ...]] = {}
_PIECE_CACHE_MAX = 50_000
_MAX_CACHED_PIECE = 400


def _piece_sentences(text: str, a: int, b: int) -> tuple[tuple[int, int], ...]:
    """The sentences of ``text[a:b]`` (a section, or the part of one under an organ heading), offsets from ``a``.

    Templated reports repeat these pieces ("SPLEEN: Unremarkable."), so they are split once. The split
    reads nothing outside the piece, except when the piece opens with a line break (the sentence
    splitter looks back past it for the previous line's end): such a piece is not remembered.
    """
    piece = text[a:b]
    found = _piece_cache.get(piece)
    if found is None:
        spans: list[tuple[int, int]] = []
        for sa, sb in split_sentences(text, a, b):
            if sb - sa <= MAX_SENTENCE_CHARS:
                spans.append((sa - a, sb - a))
            else:
                spans.extend((ca - a, cb - a) for ca, cb in _cap_sentence(text, sa, sb))
        found = tuple(spans)
        if len(piece) <= _MAX_CACHED_PIECE and not piece.lstrip(" \t\r").startswith("\n"):
            if len(_piece_cache) > _PIECE_CACHE_MAX:
                _piece_cache.clear()
            _piece_cache[piece] = found
    return found


def _cap_sentence(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A "sentence" longer than any dictated one (garbage, a list without periods) is cut at spaces.

    Keeps every per-sentence step (context scopes, segments, organ lookup) bounded, so a 1 MB
    report stays linear.
    """
    if b - a <= MAX_SENTENCE_CHARS:
        return [(a, b)]
    out: list[tuple[int, int]] = []
    while b - a > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", a + MAX_SENTENCE_CHARS // 2, a + MAX_SENTENCE_CHARS)
        if cut <= a:
            cut = a + MAX_SENTENCE_CHARS
        out.append((a, cut))
        a = cut
        while a < b and text[a].isspace():
            a += 1
    if b > a:
        out.append((a, b))
    return out


# ---------------------------------------------------------------------------------------------------
def _organ_of(doc: _Doc, a: int, b: int, lo: int, hi: int, sent: Sentence) -> str | None:
    """The organ a cyst word at [a, b) belongs to (SPEC §2: cysts of other organs are not PCLs)."""
    t = doc.t
    starts = doc.organ_starts
    groups = doc.organ_groups
    n = len(starts)
    i = bisect_left(starts, lo)
    best: tuple[int, str] | None = None
    weak = False
    sent_best: tuple[int, str] | None = None
    while i < n and starts[i] < sent.end:
        ms = starts[i]
        group = groups[i]
        me = doc.organ_ends[i]
        i += 1
        if ms < sent.start:
            continue
        if group == "weak":
            if lo <= ms < hi and not _location_vetoed(t, ms, me):
                weak = True
            continue
        if group == "biliary" and t.startswith("bile", ms) and "pancrea" in t[max(lo, ms - 30) : ms]:
            continue
        if P.RELATIONAL_BEFORE_RE.search(t, max(lo, ms - 30), ms):
            continue  # "in the pancreatic tail near the splenic hilum": the spleen is a landmark
        dist = a - me if me <= a else ms - b
        # an organ in the sentence's own label ("PANCREAS/SPLEEN: 11 mm cyst in the pancreatic tail") is a
        # heading: the clause's organ words come first
        in_label = me <= a and me - sent.start < 42 and me < _label_end(t, sent)
        if lo <= ms < hi and not in_label:
            if best is None or dist < best[0]:
                best = (dist, group)
        elif sent_best is None or dist < sent_best[0]:
            sent_best = (dist, group)
    if best is not None:
        return best[1]
    if weak:
        return "pancreas"
    if sent.heading is not None:
        return sent.heading
    if sent_best is not None:
        return sent_best[1]
    return sent.organ


_LABEL_RE = re.compile(r"[a-z][a-z /,&-]{0,40}:")


def _label_end(t: str, sent: Sentence) -> int:
    m = _LABEL_RE.match(t, sent.start, sent.end)
    return m.end() if m is not None else sent.start


def _location_vetoed(t: str, a: int, b: int) -> bool:
    return bool(
        P.LOCATION_VETO_BEFORE.search(t[max(0, a - 25) : a]) or P.LOCATION_VETO_AFTER.match(t[b : b + 30])
    )


def _sentence_organ(doc: _Doc, sent: Sentence, carry: str | None) -> str | None:
    if sent.own_organ == "?":
        sent.own_organ = _own_organ(doc, sent)
    if sent.own_organ is not None:
        return sent.own_organ
    if sent.heading is not None:
        return sent.heading
    return carry


def _own_organ(doc: _Doc, sent: Sentence) -> str | None:
    """The organ a sentence itself names last (None when it names none)."""
    starts = doc.organ_starts
    groups = doc.organ_groups
    i = bisect_left(starts, sent.start)
    n = len(starts)
    last: str | None = None
    while i < n and starts[i] < sent.end:
        g = groups[i]
        if g != "weak":
            last = g
        elif last is None and not _location_vetoed(doc.t, starts[i], doc.organ_ends[i]):
            last = "pancreas"
        i += 1
    return last


# ---------------------------------------------------------------------------------------------------
class RulesExtractor(Extractor):
    """Deterministic extractor: regular expressions, a ConText engine and SPEC reading conventions."""

    name = "rules"
    version = "0.2.0"

    def __init__(self, **options: Any) -> None:
        if options:
            raise ValueError(
                f"the rules backend takes no options; got {', '.join(sorted(options))}"
                " (it has nothing to configure: no model, no server)"
            )

    def extract(self, report: ReportInput) -> Extraction:
        doc = _Doc(report.text)
        return _extract(doc)


# ---------------------------------------------------------------------------------------------------
def _extract(doc: _Doc) -> Extraction:
    mentions: list[Mention] = []
    retractions: list[tuple[int, int]] = []
    carry: str | None = None
    prev_kind = ""
    current: Mention | None = None
    any_confirmed = False
    cyst_group: str | None = None  # the section kind in which a group of cystic lesions was described
    anchors = doc.anchors
    anchor_starts = doc.anchor_starts
    for sent in doc.sentences:
        if sent.kind != prev_kind:
            carry = None
            current = None
            prev_kind = sent.kind
        sent.organ = carry
        ai = bisect_left(anchor_starts, sent.start)
        sent_anchors = anchors[ai : bisect_left(anchor_starts, sent.end, ai)]
        organ = _sentence_organ(doc, sent, carry)
        if sent.kind in NO_LESION_SECTIONS:
            carry = organ
            continue
        if len(mentions) >= MAX_MENTIONS:
            doc.warnings.append(
                f"more than {MAX_MENTIONS} lesion mentions: the rest of the report was not read for lesions"
            )
            break
        new_mentions = _sentence_mentions(
            doc, sent, sent_anchors, retractions, any_confirmed, group_before=cyst_group == sent.kind
        )
        if new_mentions:
            for m in new_mentions:
                mentions.append(m)
                any_confirmed = any_confirmed or not m.provisional
                if not m.provisional and m.count >= 2:
                    cyst_group = sent.kind
            current = new_mentions[-1]
            carry = "pancreas"
            continue
        if sent_anchors:
            # only cysts of other organs or negated ones: a new topic
            current = None if organ != "pancreas" else current
            carry = organ
            continue
        if organ not in (None, "pancreas"):
            current = None
            carry = organ
            continue
        if cyst_group == sent.kind:
            item = _list_item(doc, sent)
            if item is not None:
                mentions.append(item)  # after a group of cysts, each listed place with a size is one of them
                current = item
                carry = "pancreas"
                continue
        if current is None:  # nothing to continue (and a solid topic would change nothing)
            carry = organ
            continue
        if _SOLID_TOPIC_RE.match(doc.t, sent.start, sent.end) or _solid_veto(doc.t, sent.start, sent.end):
            # "A 9 mm avidly enhancing solid nodule in the body, likely a neuroendocrine tumor.": a new,
            # solid lesion - its enhancement is not the cyst's mural nodule
            current = None
            carry = organ
            continue
        if organ == "pancreas" or carry == "pancreas" or sent.heading == "pancreas":
            cont = _continuation(doc, sent, current)
            if cont is not None:
                mentions.append(cont)
        carry = organ
    lesions = [les for les in _merge(doc, mentions) if les.confirmed]
    if len(lesions) > 1:
        # "Pancreatic cysts:" heading a list of numbered cysts is not one more cyst
        lesions = [les for les in lesions if not _only_a_heading(doc, les)] or lesions
    if retractions and lesions:
        lesions = []
    ext = _assemble(doc, lesions)
    return ext


_SOLID_TOPIC_RE = re.compile(
    r"(?:\d{1,2}[.)]\s*)?(?:(?:there\s+is|note\s+is\s+made\s+of|redemonstrated|again\s+(?:seen|noted))\s+)?an?\s+"
    r"(?:[\w.,-]+\s+){0,5}?(?:solid\s+(?:\w+\s+)?(?:nodules?|mass(?:es)?|lesions?|tumou?rs?)|mass(?:es)?|tumou?rs?)\b"
)


_APPOSITION_RE = re.compile(
    r"(?:\(\s*|,\s*|\b)(?:(?:most|more|very)\s+)?(?:likely|probably|probable|presumed|presumably|possibly|possible"
    r"|favou?red|suspected|suggestive\s+of|suspicious\s+for|consistent\s+with|compatible\s+with|in\s+keeping\s+with"
    r"|representing|typical\s+of|characteristic\s+of|reflecting|which\s+(?:is|may\s+be)|that\s+is)"
    r"(?:\s+(?:representing|reflecting|to\s+be|as))?(?:\s+(?:an?|the))?\s*$"
)


_HEADING_AFTER_RE = re.compile(r"(?:\(s\)|\(es\))?[ \t]*:[ \t]*(?:\n|$)")


def _only_a_heading(doc: _Doc, les: LesionAcc) -> bool:
    return (
        les.size is None
        and les.location is None
        and all(getattr(les, k) is None for k in ("nodule", "wall", "septa", "comm", "prior", "calc"))
        and all(
            m.group == "continuation" or _HEADING_AFTER_RE.match(doc.t, m.anchor[1]) for m in les.mentions
        )
    )


def _sentence_mentions(
    doc: _Doc,
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
        # "a 16 mm cystic lesion (presumed side-branch IPMN)", "a cyst, likely a mucinous cystic neoplasm":
        # a diagnosis in apposition names the same lesion; it types it but does not split the sentence
        kept = [anchors[0]]
        for am in anchors[1:]:
            gap = t[kept[-1].end() : am.start()]
            if (
                len(gap) < 120
                and _APPOSITION_RE.search(gap)
                and not doc.meas_in(kept[-1].end(), am.start())
                # "…, consistent with a neuroendocrine tumor, not a cyst": a denial names no lesion, it retracts
                and NEGATED not in doc.ctx.modifiers(am.start(), am.end(), sent.start, sent.end)
            ):
                continue
            kept.append(am)
        anchors = kept
    # segment the sentence between anchors
    bounds = [sent.start]
    for k in range(1, len(anchors)):
        prev_end = anchors[k - 1].end()
        nxt = anchors[k].start()
        bounds.append(_split_point(doc, prev_end, nxt))
    bounds.append(sent.end)
    out: list[Mention] = []
    for k, m in enumerate(anchors):
        a, b = m.start(), m.end()
        lo, hi = bounds[k], bounds[k + 1]
        group = _group(m) or "cyst"
        organ = _organ_of(doc, a, b, lo, hi, sent)
        if group in ("sb", "md", "mixed", "ipmn"):
            organ = "pancreas"
        elif group == "pseudo" and organ not in (None, "pancreas", "weak"):
            organ = organ
        if organ is None and group in ("serous", "mucinous", "pseudo"):
            organ = "pancreas"
        if group == "lesion" and organ != "pancreas":
            continue
        if organ != "pancreas":
            if organ is None and sent.kind in ("impression", "addendum", "preamble", "findings", "other"):
                # an unqualified cyst: kept only if it can be matched to a pancreatic lesion later
                pass
            else:
                continue
        mods = doc.ctx.modifiers(a, b, sent.start, sent.end)  # after the organ: others' cysts need no context
        if NEGATED in mods or HYPOTHETICAL in mods:
            # "ADDENDUM: there is no pancreatic cyst" retracts the lesion (but not "no other cyst")
            if (
                sent.kind == "addendum"
                and NEGATED in mods
                and (organ or _organ_of(doc, a, b, sent.start, sent.end, sent)) == "pancreas"
                and not re.search(r"\b(?:other|new|additional|further|second)\b", t[max(lo, a - 30) : a])
            ):
                retractions.append((a, b))
            continue
        if HISTORICAL in mods:
            continue
        label = t[max(lo, a - 25) : a]
        if ("number" in label or "no." in label or "count" in label) and _COUNT_LABEL_RE.search(label):
            continue  # "Number of cystic lesions: 1" is a field label
        if _NOT_A_FINDING_AFTER_RE.match(t, b):
            continue  # "Pancreatic cyst(s):", "MRCP for cyst surveillance", "CYST REPORTING TEMPLATE"
        if group in ("cyst", "lesion") and _solid_veto(t, lo, hi):
            continue
        if group == "cyst" and _PART_OF_A_LESION_RE.match(t, a):
            continue  # "Small cystic component.", "cystic change": part of another lesion, not a cyst
        if group == "lesion" and re.search(r"\bsolid\s+(?:\w+\s+)?$", t[max(lo, a - 20) : a]):
            continue  # "a 12 mm solid lesion": never a cyst, and not the lesion a later "the lesion" means
        mention = _build_mention(doc, sent, m, group, lo, hi, organ_known=organ == "pancreas")
        mention.organ_unknown = organ is None
        if mention.plural and organ == "pancreas" and group != "lesion":
            parts = _distribute(doc, mention, lo, hi, sent)
            if parts:
                out.extend(parts)
                continue
        if group == "lesion":
            mention.group = "cyst"
            mention.provisional = not (
                P.CYSTIC_DESCRIPTOR_RE.search(t, lo, hi)
                or (P.ENUMERATED_RE.match(t, a, b) and (any_confirmed or out))
                # "Multiple cystic lesions … A 9 mm lesion in the tail is unchanged": one of that group
                or (
                    group_before
                    and mention.size is not None
                    and not mention.plural
                    and not _SOLID_LOOK_RE.search(t, lo, hi)
                )
            )
        if out and not _starts_new(doc, mention, out[-1]):
            _absorb(out[-1], mention)
            continue
        out.append(mention)
    return out


# "8 and 5 mm", "1.2, 0.9 and 0.7 cm": numbers listed before the one that carries the unit
_LISTED_NUMBER_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{1,2})?)\s*(?:,\s*and|,|and|&)\s*$")
# between a place and its own size: "head (9 mm)", "body: 12 mm", "tail, measuring 7 mm", "head 5 mm"
_PLACE_SIZE_GAP_RE = re.compile(
    r"[\s(:,=-]*(?:(?:which\s+|that\s+)?(?:measuring|measures|measure|measured|of|at|up\s+to)\s*)?[\s(:=]*"
)
_LIST_GAP_RE = re.compile(r"\s*(?:,\s*and|,|and|&)\s*")
_RESPECTIVELY_RE = re.compile(r"\brespectively\b|\bresp\.")


def _listed_sizes(doc: _Doc, m: Measurement, lo: int) -> list[Measurement]:
    """The sizes a listed measurement implies, in text order: "8 and 5 mm" -> 8 mm, 5 mm."""
    t = doc.t
    if m.kind != "size" or len(m.values_mm) != 1:
        return [m]
    factor = 10.0 if "c" in t[m.start : m.end] else 1.0  # "cm" / "centimet…"
    out = [m]
    start = m.start
    while True:
        lm = _LISTED_NUMBER_RE.search(t, max(lo, start - 24), start)
        if lm is None:
            break
        out.insert(0, Measurement(lm.start(1), lm.end(1), (float(lm.group(1)) * factor,), "size"))
        start = lm.start(1)
    return out


def _distribute(doc: _Doc, mention: Mention, lo: int, hi: int, sent: Sentence) -> list[Mention]:
    """One plural mention that gives each place its own size is one lesion per place.

    "Cysts in the head and tail measure 8 and 5 mm, respectively", "two cysts, in the head (9 mm) and tail
    (6 mm)", "Three cysts: head 5 mm, body 12 mm, tail 7 mm". Places and sizes are paired in order after
    *respectively* or when every size stands before or after every place ("6 mm and 4 mm cysts in the head and
    neck"); otherwise each size goes with the place written right before it. Anything that does not
    pair up exactly leaves the mention as it is (one group lesion, its largest size).
    """
    t = doc.t
    places = _locations(doc, lo, hi, sent)
    if len(places) < 2:
        return []
    ms = doc.meas_in(lo, hi)
    if len(ms) < 1:
        return []
    roles = [_role(doc, ms, i, lo, hi, sent) for i in range(len(ms))]
    for i in range(1, len(ms)):
        # "previously 5 mm and 10 mm": a size listed right after a prior is a prior too
        if (
            roles[i] == "current"
            and roles[i - 1] == "prior"
            and _LIST_GAP_RE.fullmatch(t, ms[i - 1].end, ms[i].start)
        ):
            roles[i] = "prior"
    currents = [m for m, r in zip(ms, roles, strict=True) if r == "current"]
    priors = [m for m, r in zip(ms, roles, strict=True) if r == "prior"]
    if not currents:
        return []
    pairs: list[tuple[tuple[str, int, int], Measurement, Measurement | None]] = []
    sizes = [x for m in currents for x in _listed_sizes(doc, m, lo)]
    in_blocks = all(x.start >= places[-1][2] for x in sizes) or all(x.end <= places[0][1] for x in sizes)
    if _RESPECTIVELY_RE.search(t, lo, hi) or in_blocks:
        # "head and tail ... 8 and 5 mm (respectively)", "6 mm and 4 mm cysts in the head and neck": in order
        old = [x for m in priors for x in _listed_sizes(doc, m, lo)]
        if len(sizes) != len(places):
            return []
        olds: list[Measurement | None] = list(old) if len(old) == len(places) else [None] * len(places)
        pairs = list(zip(places, sizes, olds, strict=True))
    else:
        if len(currents) != len(places):
            return []
        for place, size in zip(places, currents, strict=True):
            if not (place[2] <= size.start and _PLACE_SIZE_GAP_RE.fullmatch(t, place[2], size.start)):
                return []
            pairs.append((place, size, None))
        # "head 7mm (prev 4mm), body 10mm (prev 10mm), tail 5mm (new)": a prior goes with the size before it
        for p in priors:
            k = max((i for i, (_, size, _) in enumerate(pairs) if size.end <= p.start), default=None)
            if k is None or pairs[k][2] is not None or (k + 1 < len(pairs) and pairs[k + 1][0][1] < p.start):
                return []
            pairs[k] = (pairs[k][0], pairs[k][1], p)
    if len({place[0] for place, _, _ in pairs}) < len(pairs):
        return []  # two sizes for one place: not a list of places
    out: list[Mention] = []
    for (loc, ls, le), size, prior in pairs:
        part = replace(
            mention, plural=False, count=1, new_signal=bool(out) or mention.new_signal, in_group=True
        )
        part.location = Value(loc, [(ls, le)])
        part.size = Value(size.longest_mm, [(size.start, size.end)])
        part.prior = Value(prior.longest_mm, [(prior.start, prior.end)]) if prior is not None else None
        if prior is None:
            part.prior_date = part.prior_interval = None
        out.append(part)
    return out


_SOLID_LOOK_RE = re.compile(
    r"\b(?:hypo-?|hyper-?|avidly\s+|arterially\s+)enhanc\w*|\bhypervascular|\bsolid\b"
)
_PART_OF_A_LESION_RE = re.compile(
    r"cystic\s+(?:components?|portions?|elements?|changes?|degeneration|necrosis|parts?)\b"
)
_COUNT_LABEL_RE = re.compile(r"\b(?:number|no\.|count)\s+of\s+(?:\w+\s+)?$")


def _solid_veto(t: str, lo: int, hi: int) -> bool:
    """A solid lesion or a collection named in ``t[lo:hi]`` (the words first, the pattern if one is there)."""
    return _has_any(t[lo:hi], P.SOLID_VETO_WORDS) and P.SOLID_VETO_RE.search(t, lo, hi) is not None


_NOT_A_FINDING_AFTER_RE = re.compile(
    r"(?:\(s\)|\(es\))?[ \t]+(?:[a-z]+[ \t]+)?(?:surveillance|follow[ -]?up|protocol|reporting|template"
    r"|worksheet|screening|work[ -]?up)\b"
)


def _split_point(doc: _Doc, a: int, b: int) -> int:
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


def _starts_new(doc: _Doc, new: Mention, prev: Mention) -> bool:
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
    for name in (
        "size",
        "prior",
        "prior_date",
        "prior_interval",
        "location",
        "nodule",
        "nodule_size",
        "wall",
        "septa",
        "comm",
        "comm_implied",
        "calc",
    ):
        if getattr(into, name) is None and getattr(other, name) is not None:
            setattr(into, name, getattr(other, name))
    if other.ptype is not None and (into.ptype is None or into.ptype.value == "unspecified"):
        into.ptype = other.ptype
    into.plural = into.plural or other.plural
    into.count = max(into.count, other.count)


def _build_mention(
    doc: _Doc, sent: Sentence, m: re.Match[str], group: str, lo: int, hi: int, organ_known: bool
) -> Mention:
    t = doc.t
    a, b = m.start(), m.end()
    plural = bool(P.PLURAL_RE.fullmatch(t, a, b)) or bool(P.PLURAL_RE.search(t, a, b))
    label = _LABEL_COLON_RE.match(t, b, hi)
    if label is not None:
        line_start = t.rfind("\n", 0, a) + 1
        prefix = t[max(line_start, sent.start, a - 30) : a]
        if not _LABEL_PREFIX_RE.fullmatch(prefix) or P.COUNT_RE.search(prefix):
            label = None  # "Two cystic lesions: a 9 mm cyst … and a 4 mm cyst": a sentence, not a field
    if plural and label is not None:
        # a template's field label ("Cystic lesions: single, neck, 12 x 9 mm") counts nothing; its answer does
        answer = t[label.end() : min(hi, label.end() + 40)]
        plural = bool(P.COUNT_RE.search(answer)) and not _SINGLE_ANSWER_RE.match(answer)
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
    elif cm_text is not None and re.search(
        r"\b(?:multiple|numerous|innumerable|several|scattered|few)\b", cm_text
    ):
        count = 3
    mention.count = count
    mention.definite = bool(P.DEFINITE_RE.search(t[max(lo, a - 40) : a]))
    mention.new_signal = bool(P.NEW_LESION_RE.search(t[max(lo, a - 30) : a])) or bool(
        _ENUMERATED_AFTER_RE.match(t, b)
    )
    if not organ_known:
        mention.group = group
    _fill_features(doc, mention, lo, hi, sent)
    ptype = TYPE_OF_GROUP.get(group, "unspecified")
    mods = doc.ctx.modifiers(a, b, sent.start, sent.end)
    if group != "cyst":
        mention.ptype = Value(ptype, [(a, b)])
        if group == "sb" and POSSIBLE not in mods:
            mention.comm_implied = Value("present", [(a, b)])
    return mention


_LABEL_COLON_RE = re.compile(r"(?:\(s\))?[ \t]*:")
# whitespace, bullets and list numbers that may open a line ("- ", "• ", "2. ", "3) ")
_BULLET = r"[\s*•·\-–\d.)]*"
_LABEL_PREFIX_RE = re.compile(_BULLET + r"(?:[a-z]+\s+)?")
_SINGLE_ANSWER_RE = re.compile(r"\s*(?:single|one|solitary|1|a|an)\b")
_GROUP_WORDS_RE = re.compile(r"\b(?:any|all|none|either|neither|each|both|cysts|lesions|foci|ipmns)\b")


_ENUMERATED_AFTER_RE = re.compile(r"\s*(?:#|no\.?)?\s*\d{1,2}\b(?!\s*(?:mm|cm|x|\.\d))")


# "- Pancreatic tail: 2.1 cm, previously 2.1 cm", "Head: 7 mm": an item of a list of places with sizes
_LIST_ITEM_RE = re.compile(
    _BULLET + r"(?:(?:the\s+)?pancreatic\s+)?(?:head|neck|body|tail|uncinate(?:\s+process)?)\s*[:=-]\s*"
)


def _list_item(doc: _Doc, sent: Sentence) -> Mention | None:
    """After a group of cysts ("Representative lesions:"), a list item with its own place and size is one of them."""
    t = doc.t
    head = _LIST_ITEM_RE.match(t, sent.start, sent.end)
    if head is None or not doc.meas_in(head.end(), sent.end):
        return None
    m = Mention(
        anchor=(sent.start, head.end()),
        seg=(sent.start, sent.end),
        sent=sent,
        group="cyst",
        new_signal=True,
        in_group=True,
    )
    _fill_features(doc, m, sent.start, sent.end, sent)
    return m if m.size is not None and m.location is not None else None


def _continuation(doc: _Doc, sent: Sentence, current: Mention) -> Mention | None:
    """A sentence with no cyst word that goes on about the current lesion ("It measures 1.2 cm")."""
    seg = doc.t[sent.start : sent.end]
    if not doc.meas_in(sent.start, sent.end) and not _has_any(seg, _CONTINUATION_WORDS):
        return None  # nothing a lesion feature could come from ("Otherwise normal pancreas.")
    ducts = doc.ducts_in(sent.start, sent.end)
    if (
        ducts
        and ducts[0].start() - sent.start < 40
        and not _has_any(seg, _COMM_WORDS)
        and not re.search(r"\b(?:it|its|the\s+(?:cyst|lesion))\b", seg)
    ):
        return None  # "A dilated side branch in the body measures 3 mm.": about a duct, not the cyst
    m = Mention(anchor=current.anchor, seg=(sent.start, sent.end), sent=sent, group=current.group)
    _fill_features(doc, m, sent.start, sent.end, sent)
    if any(
        getattr(m, k) is not None
        for k in (
            "size",
            "prior",
            "location",
            "nodule",
            "wall",
            "septa",
            "comm",
            "calc",
            "prior_date",
            "prior_interval",
        )
    ):
        m.definite = True
        m.group = "continuation"
        values = [getattr(m, k) for k in ("nodule", "wall", "septa", "comm", "calc")]
        m.broadcast = (
            m.size is None
            and m.prior is None
            and m.location is None
            and all(v is None or v.value == "absent" for v in values)
            and not re.search(r"\b(?:it|its|this|the\s+(?:cyst|lesion))\b", doc.t[sent.start : sent.end])
        )
        # "No septations." after one cyst is about that cyst; a statement about the group ("none of the
        # cysts"), or any statement in a report that describes a group of cysts, is about all of them
        m.group_statement = bool(_GROUP_WORDS_RE.search(doc.t, sent.start, sent.end))
        return m
    return None


# ---------------------------------------------------------------------------------------------------
_NODULE_WORDS = ("nodul", "solid", "papillary", "tissue", "component", "vegetation")
_SEPTA_WORDS = ("sept", "locul", "simple", "multicystic", "without internal", "honeycomb")
_COMM_WORDS = ("communicat", "connect", "contiguous", "continuous")
_CONTINUATION_WORDS = (
    _NODULE_WORDS
    + _SEPTA_WORDS
    + _COMM_WORDS
    + ("wall", "mural", "calc", "head", "neck", "body", "tail", "uncinate")
)


_LOCATION_WORDS = ("head", "neck", "body", "tail", "uncinate")
_CYST_WORDS = ("cyst", "lesion", "ipmn")  # one is in every name of a cyst the size patterns look for


def _has_any(seg: str, words: tuple[str, ...]) -> bool:
    for w in words:  # noqa: SIM110 (a loop: any() and a generator cost more than a few tests)
        if w in seg:
            return True
    return False


_LARGEST_RE = re.compile(r"\b(?:the\s+)?largest\b")
_NOT_A_PLACE_AFTER_RE = re.compile(r"\s+(?:wall|habitus|mass)")


def _locations(doc: _Doc, lo: int, hi: int, sent: Sentence) -> list[tuple[str, int, int]]:
    """The pancreatic places named in ``t[lo:hi]``, in text order (every one holds a _LOCATION_WORDS word)."""
    t = doc.t
    if not _has_any(t[lo:hi], _LOCATION_WORDS):
        return []
    out: list[tuple[str, int, int]] = []
    for lm in P.LOCATION_RE.finditer(t, lo, hi):
        if _location_vetoed(t, lm.start(), lm.end()):
            continue
        if lm.lastgroup == "body" and _NOT_A_PLACE_AFTER_RE.match(t, lm.end(), lm.end() + 10):
            continue
        if NEGATED in doc.ctx.modifiers(lm.start(), lm.end(), sent.start, sent.end):
            continue
        out.append((LOCATION_OF_GROUP[lm.lastgroup or "head"], lm.start(), lm.end()))
    return out


def _fill_features(doc: _Doc, mention: Mention, lo: int, hi: int, sent: Sentence) -> None:
    t = doc.t
    ctx = doc.ctx
    a, b = mention.anchor
    if mention.group == "continuation" or not (lo <= a < hi):
        a, b = lo, lo
    seg = t[lo:hi]
    # location: nearest to the anchor; for a group, the place of its largest one ("cysts in the head, neck and
    # body, the largest measuring 9 mm in the neck")
    places = _locations(doc, lo, hi, sent)
    if mention.plural and len(places) > 1 and "large" in seg:
        big = _LARGEST_RE.search(t, lo, hi)
        if big is not None:
            after = [p for p in places if p[1] >= big.end() and p[1] - big.end() < 60]
            places = after[:1] or places
    best: tuple[int, str, int, int] | None = None
    for loc, ls, le in places:
        dist = a - le if le <= a else ls - b
        if best is None or dist < best[0]:
            best = (dist, loc, ls, le)
    if best is not None:
        mention.location = Value(best[1], [(best[2], best[3])])
    # measurements
    _measure(doc, mention, lo, hi, sent)
    # mural nodule (a substring test first: most segments mention none of these words)
    for nm in P.NODULE_RE.finditer(t, lo, hi) if _has_any(seg, _NODULE_WORDS) else ():
        mods = ctx.modifiers(nm.start(), nm.end(), sent.start, sent.end)
        if HYPOTHETICAL in mods:
            continue
        val = "absent" if NEGATED in mods else _nodule_enhancement(doc, nm.start(), nm.end(), lo, hi, sent)
        _put_ranked(mention, "nodule", Value(val, [(nm.start(), nm.end())]), NODULE_RANK)
    # wall
    has_wall = "wall" in seg or "mural" in seg
    for wm in P.WALL_FIELD_RE.finditer(t, lo, hi) if has_wall else ():
        # "Wall thickening: imperceptible", "Wall: not thickened" - the answer decides, not the label
        ans = P.FIELD_ANSWER_RE.match(t, wm.end())
        if ans is None:
            continue
        answer = _field_value(ans.group(1), P.WALL_PRESENT_ANSWER_RE)
        if answer is not None:
            _put_ranked(mention, "wall", Value(answer, [(wm.start(), ans.end())]), PA_RANK)
    for wm in P.WALL_ABSENT_RE.finditer(t, lo, hi) if has_wall else ():
        _put_ranked(mention, "wall", Value("absent", [(wm.start(), wm.end())]), PA_RANK)
    for wm in P.WALL_PRESENT_RE.finditer(t, lo, hi) if has_wall else ():
        if _overlaps_any(P.WALL_ABSENT_RE, t, wm.start(), wm.end(), lo, hi):
            continue
        if _overlaps_any(P.WALL_FIELD_RE, t, wm.start(), wm.end(), lo, hi):
            continue
        mods = ctx.modifiers(wm.start(), wm.end(), sent.start, sent.end)
        if POSSIBLE in mods or HYPOTHETICAL in mods:
            continue
        val = "absent" if NEGATED in mods else "present"
        _put_ranked(mention, "wall", Value(val, [(wm.start(), wm.end())]), PA_RANK)
    # septations
    has_septa = _has_any(seg, _SEPTA_WORDS)
    for sm in P.SEPTA_ABSENT_RE.finditer(t, lo, hi) if has_septa else ():
        _put_ranked(mention, "septa", Value("absent", [(sm.start(), sm.end())]), PA_RANK)
    for sm in P.SEPTA_PRESENT_RE.finditer(t, lo, hi) if has_septa else ():
        if _overlaps_any(P.SEPTA_ABSENT_RE, t, sm.start(), sm.end(), lo, hi):
            continue
        if t.startswith(":", sm.end()) and P.SEPTA_ABSENT_RE.search(t, sm.end(), min(hi, sm.end() + 30)):
            continue  # "Septations: unilocular" - the label is not the answer
        mods = ctx.modifiers(sm.start(), sm.end(), sent.start, sent.end)
        if HYPOTHETICAL in mods:
            continue  # a hedged septation ("possible thin septation") is still reported as seen
        val = "absent" if NEGATED in mods else "present"
        _put_ranked(mention, "septa", Value(val, [(sm.start(), sm.end())]), PA_RANK)
    # communication with the main duct
    for cm in P.COMM_RE.finditer(t, lo, hi) if _has_any(seg, _COMM_WORDS) else ():
        mods = ctx.modifiers(cm.start(), cm.end(), sent.start, sent.end)
        tail = t[cm.end() : min(hi, cm.end() + 60)]
        if re.search(r"\b(?:bile|biliary|cbd|common\s+duct)\b", tail[:40]):
            continue
        field = _COMM_FIELD_RE.match(t, cm.end(), hi)
        if field is not None and _UNCERTAIN_ANSWER_RE.match(field.group(1)):
            val = "not_stated"  # "MPD communication: indeterminate"
        elif POSSIBLE in mods or HYPOTHETICAL in mods:
            val = "not_stated"
        elif NEGATED in mods:
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
        if NEGATED in ctx.modifiers(sm.start(), sm.end(), sent.start, sent.end):
            continue
        if mention.comm is None or mention.comm.value == "not_stated":
            mention.comm = Value("absent", [(sm.start(), sm.end())])
    # side-branch IPMN inside the segment (not the anchor itself) implies communication
    for am in doc.anchors_in(lo, hi):
        am_group = _group(am)
        if am_group == "sb":
            mods = ctx.modifiers(am.start(), am.end(), sent.start, sent.end)
            if NEGATED in mods or HISTORICAL in mods:
                continue
            if POSSIBLE not in mods and mention.comm_implied is None:
                mention.comm_implied = Value("present", [(am.start(), am.end())])
        if am_group in TYPE_OF_GROUP and am_group != "cyst" and (am.start(), am.end()) != mention.anchor:
            mods = ctx.modifiers(am.start(), am.end(), sent.start, sent.end)
            if NEGATED in mods or HISTORICAL in mods:
                continue
            pt = TYPE_OF_GROUP[am_group]
            if mention.ptype is None or (mention.ptype.value == "unspecified" and pt != "unspecified"):
                mention.ptype = Value(pt, [(am.start(), am.end())])
    # calcification
    for km in P.CALC_RE.finditer(t, lo, hi) if "calc" in seg else ():
        mods = ctx.modifiers(km.start(), km.end(), sent.start, sent.end)
        if HYPOTHETICAL in mods or POSSIBLE in mods:
            continue
        if NEGATED in mods:
            val = "absent"
        else:
            near = t[max(lo, km.start() - 30) : min(hi, km.end() + 30)]
            if P.CALC_PERIPHERAL_RE.search(near):
                val = "peripheral"
            elif P.CALC_CENTRAL_RE.search(near):
                val = "central"
            else:
                val = "present_unspecified"
        _put_ranked(mention, "calc", Value(val, [(km.start(), km.end())]), CALC_RANK)


_COMM_FIELD_RE = re.compile(r"[^:\n.;]{0,30}:\s*([^\n.;]{1,40})")
_UNCERTAIN_ANSWER_RE = re.compile(
    r"\s*(?:indeterminate|uncertain|equivocal|unknown|unclear|not\s+(?:assessed|evaluated|determined|assessable)"
    r"|cannot\s+be|can\s*not\s+be|n/?a\b|\?)"
)


def _field_value(answer: str, present_re: re.Pattern[str]) -> str | None:
    """'present' / 'absent' for a template answer, None when it says neither."""
    if P.ABSENT_ANSWER_RE.search(answer):
        return "absent"
    if present_re.search(answer):
        return "present"
    return None


def _overlaps_any(rx: re.Pattern[str], t: str, a: int, b: int, lo: int, hi: int) -> bool:
    return any(m.start() < b and a < m.end() for m in rx.finditer(t, max(lo, a - 40), min(hi, b + 40)))


def _put_ranked(mention: Mention, name: str, v: Value, rank: dict[str, int]) -> None:
    cur: Value | None = getattr(mention, name)
    if cur is None or rank[v.value] > rank[cur.value]:
        setattr(mention, name, v)


def _nodule_enhancement(doc: _Doc, a: int, b: int, lo: int, hi: int, sent: Sentence) -> str:
    t = doc.t
    # the nodule's own clause
    c0 = a
    while c0 > lo and t[c0 - 1] not in ";.":
        c0 -= 1
    c1 = b
    while c1 < hi and t[c1] not in ";.":
        c1 += 1
    win_lo = max(c0, a - 45)
    win_hi = min(c1, b + 70)
    window = t[win_lo:win_hi]
    if P.ENH_UNKNOWN_RE.search(window):
        return "present_unspecified"
    if P.NONENHANCING_RE.search(window):
        return "nonenhancing"
    for em in P.ENHANCING_RE.finditer(t, win_lo, win_hi):
        mods = doc.ctx.modifiers(em.start(), em.end(), sent.start, sent.end)
        if NEGATED in mods:
            return "nonenhancing"
        if POSSIBLE in mods:
            return "present_unspecified"
        return "enhancing"
    return "present_unspecified"


def _measure(doc: _Doc, mention: Mention, lo: int, hi: int, sent: Sentence) -> None:
    ms = doc.meas_in(lo, hi)
    if not ms:
        return
    roles = [_role(doc, ms, idx, lo, hi, sent) for idx in range(len(ms))]
    currents: list[Measurement] = []
    priors: list[Measurement] = []
    for m, role in zip(ms, roles, strict=True):
        if role == "current":
            currents.append(m)
        elif role == "prior":
            priors.append(m)
        elif role == "from_to":
            priors.append(Measurement(m.start, m.end, (m.values_mm[0],), "size"))
            currents.append(Measurement(m.start, m.end, (m.values_mm[1],), "size"))
        elif role == "nodule" and mention.nodule_size is None:
            mention.nodule_size = Value(m.longest_mm, [(m.start, m.end)])
    if currents:
        pick = max(currents, key=lambda x: x.longest_mm) if mention.plural else currents[0]
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
            p = priors[0]
            mention.prior = Value(p.longest_mm, [(p.start, p.end)])
        iv = _interval_near(doc, p, sent)
        if iv is not None:
            mention.prior_interval = Value(iv.months, [(iv.start, iv.end)])


def _role(doc: _Doc, ms: list[Measurement], idx: int, lo: int, hi: int, sent: Sentence) -> str:
    t = doc.t
    m = ms[idx]
    prev_end = ms[idx - 1].end if idx > 0 else lo
    before_full = t[max(prev_end, m.start - 60, sent.start) : m.start]
    # cut the before-window at the last clause punctuation
    cut = max(before_full.rfind(","), before_full.rfind(";"), before_full.rfind("("))
    before = before_full[cut + 1 :] if cut >= 0 else before_full
    if P.CORRECTION_BEFORE_RE.search(before_full[-30:]):
        return "skip"
    if "by" in before and P.DELTA_BEFORE_RE.search(before):
        return "skip"
    mods = doc.ctx.modifiers(m.start, m.end, sent.start, sent.end)
    if NEGATED in mods and re.search(
        r"\b(?:not|rather\s+than|instead\s+of)\s+(?:\S+\s+){0,2}$", before_full[-25:]
    ):
        return "skip"
    # nodule size
    nxt_start = ms[idx + 1].start if idx + 1 < len(ms) else hi
    after = t[m.end : min(nxt_start, m.end + 60, hi)]
    # (every nodule phrase holds one of _NODULE_WORDS: the substring test spares most searches)
    stop = min(hi, m.end + 45)
    nm = P.NODULE_RE.search(t, m.end, stop) if _has_any(t[m.end : stop], _NODULE_WORDS) else None
    if nm is not None and P.NODULE_AFTER_GAP_RE.match(t[m.end : nm.start()]):
        return "nodule"
    prior_cue = bool(P.PRIOR_BEFORE_RE.search(before)) and not P.RANGE_FROM_RE.search(before)
    if not prior_cue and not P.PRIOR_AFTER_RE.match(after):
        # "... nodule, measuring 9 mm on the study of 14/11/2014" is the cyst's prior size
        # "(previously 12 mm)" after "without enhancing nodule" is the cyst's prior, not the nodule's size
        near = max(lo, m.start - 40)
        for nm2 in (
            P.NODULE_RE.finditer(t, near, m.start) if _has_any(t[near : m.start], _NODULE_WORDS) else ()
        ):
            if P.NODULE_BEFORE_GAP_RE.match(t[nm2.end() : m.start]):
                return "nodule"
    # duct diameter (not when the size is followed by the cyst it measures: "12 mm unilocular cyst")
    rest = t[m.end : min(hi, m.end + 60)]
    sized_cyst = _has_any(rest, _CYST_WORDS) and _SIZE_OF_CYST_RE.match(rest)
    for dm in () if sized_cyst else P.DUCT_RE.finditer(t, max(lo, m.start - 50), m.start):
        if _is_compound_heading(t, dm):
            continue
        if _communication_target(t, max(lo, dm.start() - 40), dm.start(), dm.end(), m.start):
            continue  # "communicates with the main duct (previously 2.7 cm)": the duct is not measured
        gap = t[dm.end() : m.start]
        if P.MEAS_DUCT_GAP_RE.match(gap) or (
            ";" not in gap
            and not _DUCT_GAP_VETO_RE.search(gap)
            and not P.ANCHOR_RE.search(gap)
            and not _meas_between(doc, dm.end(), m.start)
            and not re.search(r"\b(?:and|but|while)\s+(?:the\s+|a\s+|an\s+)?\w+\s+(?:measures|is|has)", gap)
        ):
            return "duct"
    ahead = t[m.end : min(hi, m.end + 30)]
    if (
        ("duct" in ahead or "mpd" in ahead or "cbd" in ahead)  # what the pattern needs, found without it
        and _DUCT_AFTER_RE.match(ahead)
        and not _CYST_AFTER_RE.match(ahead)
    ):
        return "duct"
    if m.kind == "range" and P.CHANGE_FROM_RE.search(t[max(sent.start, m.start - 80) : m.start]):
        return "from_to"
    if P.CURRENT_BEFORE_RE.search(before):
        return "current"
    if prior_cue:
        return "prior"
    if P.PAST_BEFORE_RE.search(before) and P.PRIOR_CONTEXT_RE.search(before_full):
        return "prior"  # "On the prior examination from 4/15/2013, it measured 1.9 cm."
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


_DUCT_AFTER_RE = re.compile(r"[\s-]*(?:\w+\s+){0,2}(?:duct|ducts|mpd|cbd)\b")
_CYST_AFTER_RE = re.compile(r"[\s-]*(?:\w+\s+){0,3}(?:cyst|lesion|ipmn)")
_DUCT_GAP_VETO_RE = re.compile(
    r"\b(?:septa\w*|walls?|nodul\w*|previously|prior|formerly|which\s+measured|compared|communicat\w*)\b"
)


def _date_near(doc: _Doc, p: Measurement, lo: int, hi: int, sent: Sentence) -> DateMention | None:
    best: tuple[int, DateMention] | None = None
    for d in doc.dates_in(sent.start, sent.end):
        if d.end > sent.end:
            continue
        dist = p.start - d.end if d.end <= p.start else d.start - p.end
        if best is None or dist < best[0]:
            best = (dist, d)
    return best[1] if best else None


def _interval_near(doc: _Doc, p: Measurement, sent: Sentence) -> IntervalMention | None:
    t = doc.t
    best: tuple[int, IntervalMention] | None = None
    for iv in doc.intervals_in(sent.start, sent.end):
        if iv.end > sent.end:
            continue
        after = t[iv.end : iv.end + 20]
        before = t[max(sent.start, iv.start - 30) : iv.start]
        if not (
            re.match(r"\s*(?:ago|prior|earlier|before|previously)\b", after)
            or re.search(r"\b(?:over|in|during)\s+(?:the\s+)?(?:past|last|preceding|prior)\s+$", before)
            or re.search(r"\b(?:since|interval\s+of|over)\s+$", before)
        ):
            continue
        dist = p.start - iv.end if iv.end <= p.start else iv.start - p.end
        if best is None or dist < best[0]:
            best = (dist, iv)
    return best[1] if best else None


# ---------------------------------------------------------------------------------------------------
def _same_size(x: float | None, y: float | None) -> bool:
    return x is not None and y is not None and abs(x - y) <= 0.1 + 1e-9


def _slip(x: float | None, y: float | None) -> bool:
    return x is not None and y is not None and (abs(x * 10 - y) <= 0.5 or abs(y * 10 - x) <= 0.5)


def _merge(doc: _Doc, mentions: list[Mention]) -> list[LesionAcc]:
    lesions: list[LesionAcc] = []
    pending: list[Mention] = []
    last: LesionAcc | None = None
    for m in mentions:
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
                or any(les.count >= 2 and not _only_a_heading(doc, les) for les in lesions)
                or any(x.in_group for les in lesions for x in les.mentions)
            )
        ):
            for les in lesions:
                _fold(les, m, kind, fill_only=True)
            continue
        if (
            m.plural
            and len(lesions) > 1
            and m.size is None
            and (
                _ALL_OF_THEM_RE.search(doc.t, max(m.seg[0], m.anchor[0] - 30), m.anchor[0])
                # "Lesions communicate with the main duct." opening a sentence after the cysts were listed
                or _SENTENCE_OPENING_RE.fullmatch(doc.t, m.sent.start, m.anchor[0])
            )
        ):
            # "All three cysts communicate with the main duct": about each cyst already described
            for les in lesions:
                _fold(les, m, kind, fill_only=True)
            continue
        if m.group == "continuation":
            target = last
        elif kind in ("impression", "addendum") and lesions:
            target = _match(lesions, m)
            if (
                target is None
                and (kind == "addendum" or _DESCRIBED_ABOVE_RE.search(doc.t, m.anchor[1], m.seg[1]))
                and m.definite
                and size is None
                and not m.new_signal
            ):
                # "ADDENDUM: The cyst described above is in the head, not the tail" corrects that cyst
                target = lesions[0] if len(lesions) == 1 else last
            if target is None and size is None and not m.new_signal and loc is None:
                target = last if kind == "addendum" and last is not None else _largest(lesions)
        else:
            if (
                lesions
                and not m.new_signal
                and not (
                    m.group == "md"
                    and last is not None
                    and (last.ptype is None or last.ptype.value != "md_ipmn")
                )
                # "Multiple subcentimeter cysts throughout the pancreas" after one cyst: a group, not that cyst
                and not (m.plural and m.count >= 2 and not m.definite and last is not None and last.count < 2)
            ):
                if size is None and (
                    loc is None
                    or (last is not None and last.location and last.location.value == loc)
                    or (last is not None and last.location is None and last.size is None)
                ):
                    target = last  # a cyst named again without size or a new place is the one just described
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
    for m in pending:
        target = _match(lesions, m) if m.size is not None else None
        if target is not None:
            _fold(target, m, m.sent.kind, fill_only=m.sent.kind not in ("impression", "addendum"))
    return lesions


_DESCRIBED_ABOVE_RE = re.compile(r"^\s+(?:described|mentioned|noted|seen)\s+(?:above|previously|earlier)\b")


_ALL_OF_THEM_RE = re.compile(r"\b(?:all|both|each|every|these|those)\b")
_SENTENCE_OPENING_RE = re.compile(_BULLET + r"(?:the\s+|they\s+|cystic\s+)?")


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
    if size is not None and len(lesions) == 1 and loc is None:
        les = lesions[0]
        if les.size is None:
            return les
    if size is not None and m.sent.kind == "addendum" and len(lesions) == 1:
        return lesions[0]
    return None


def _fold(les: LesionAcc, m: Mention, kind: str, fill_only: bool = False) -> None:
    override = kind == "addendum" and not fill_only
    if fill_only:
        for name in ("nodule", "wall", "septa", "comm", "calc"):
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
    for name in ("prior", "location", "nodule_size", "prior_date", "prior_interval"):
        v = getattr(m, name)
        if v is not None and (getattr(les, name) is None or override):
            setattr(les, name, v)
    if m.prior is not None and m.prior_date is None and override:
        les.prior_date = les.prior_date
    for name, rank in (("nodule", NODULE_RANK), ("wall", PA_RANK), ("septa", PA_RANK), ("calc", CALC_RANK)):
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
        and (les.ptype is None or les.ptype.value == "unspecified" or override)
        and not (override and m.ptype.value == "unspecified" and les.ptype is not None)
    ):
        les.ptype = m.ptype


# ---------------------------------------------------------------------------------------------------
def _assemble(doc: _Doc, lesions: list[LesionAcc]) -> Extraction:
    t = doc.t
    comparison: tuple[Value | None, Value | None] | None = None  # only a prior size without a date needs it
    exam_date = _exam_date(doc)
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
            elif les.prior_interval is not None:
                data["stated_interval_months"] = float(les.prior_interval.value)
                add("interval_months", les.prior_interval)
            else:
                if comparison is None:
                    comparison = _comparison_prior(doc)
                comparison_date, comparison_interval = comparison
                if comparison_date is not None:
                    data["prior_exam_date"] = comparison_date.value
                    add("interval_months", comparison_date)
                elif comparison_interval is not None:
                    data["stated_interval_months"] = float(comparison_interval.value)
                    add("interval_months", comparison_interval)
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
    diameter, dilated = _duct(doc)
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


def _comparison_prior(doc: _Doc) -> tuple[Value | None, Value | None]:
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
        for cm in _COMPARISON_SENT_RE.finditer(doc.t):  # one pass, then the sentence of each hit
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
    dv = Value(best.date, [(best.start, best.end)]) if best else None
    iv_v = Value(interval.months, [(interval.start, interval.end)]) if interval else None
    return dv, iv_v


_COMPARISON_SENT_RE = re.compile(
    r"\b(?:compar\w*|comp\.?(?=\s*\d)|(?:prior|previous|last|most\s+recent)\s+(?:\w+\s+)?(?:exam\w*|stud\w*|ct|mri|mrcp"
    r"|imaging|scan))"
)


def _exam_date(doc: _Doc) -> Value | None:
    if doc.exam_date is False:
        doc.exam_date = _find_exam_date(doc)
    return doc.exam_date if isinstance(doc.exam_date, Value) else None


def _find_exam_date(doc: _Doc) -> Value | None:
    for sec in doc.smap.sections:
        if sec.kind not in ("exam", "preamble"):
            continue
        a = to_normalized(doc.norm, sec.header_start)
        b = to_normalized(doc.norm, sec.end)
        for d in doc.dates_in(a, b):
            nl = doc.t.rfind("\n", a, d.start)
            line = doc.t[nl + 1 if nl >= 0 else a : d.start]
            if d.precision == "day" and not _PRIOR_DATE_LINE_RE.search(line):
                return Value(d.date, [(d.start, d.end)])
    return None


# "Comp 1/5/22.", "Prior: CT 3/3/2021" in a preamble: the comparison's date, not this exam's
_PRIOR_DATE_LINE_RE = re.compile(r"\b(?:comp(?:ar\w*)?|prior|previous|prev|compared|last)\b")


def _duct(doc: _Doc) -> tuple[Value | None, Value | None]:
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
        sent_org = _sentence_organ(doc, sent, carry)
        carry = sent_org
        ducts = doc.ducts_in(sent.start, sent.end)
        if not ducts:
            if duct_heading is not None and _FIELD_RE.match(t, sent.start, sent.end):
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
            if _is_compound_heading(t, m):
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
        # diameters: a measurement right after (or before) a duct term belongs to the nearest term
        for ms in doc.meas_in(sent.start, sent.end):
            owner = _nearest_duct(doc, typed, ms)
            if owner is None or owner[2] != "mpd":
                continue
            before = t[max(sent.start, ms.start - 40) : ms.start]
            if P.PRIOR_BEFORE_RE.search(before.split(",")[-1]) and not P.CURRENT_BEFORE_RE.search(before):
                continue
            if P.CORRECTION_BEFORE_RE.search(before[-30:]):
                continue
            if re.match(
                r"[\s),]*(?:on|in)\s+(?:the\s+)?(?:prior|previous)|[\s),]*previously", t[ms.end : ms.end + 30]
            ):
                continue
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
            if HYPOTHETICAL in mods or POSSIBLE in mods:
                continue
            if HISTORICAL in mods:
                continue
            if word in ("normal", "unremarkable", "is normal", "are normal", "nl", "wnl", "regular") and not (
                P.DUCT_RE.search(t, max(sent.start, sm.start() - 40), min(sent.end, sm.end() + 10))
                and abs(owner[1] - sm.start()) < 30
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
    return list(P.DILATED_RE.finditer(t, lo, hi)) if _has_any(t[lo:hi], P.DILATED_WORDS) else []


def _meas_between(doc: _Doc, a: int, b: int) -> bool:
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


_COMPOUND_HEADING_RE = re.compile(r"\s*:")
_SIZE_OF_CYST_RE = re.compile(
    r"[\s-]*(?:(?!(?:of|to|from|in|at|with|upstream|downstream|near|proximal|distal)\b)\w+[\s,-]+){0,5}?"
    r"(?:cysts?|lesions?|ipmns?|cystic|pseudocysts?)\b"
)


_COMM_BEFORE_DUCT_RE = re.compile(r"(?:communicat\w*|connect\w*|connection)\s+(?:\w+\s+){0,3}$")
_COMM_AFTER_DUCT_RE = re.compile(r"(?:al)?\s+(?:communicat|connect)")
# present tense only: "…, which measured 4 mm one year ago" after a communication is the cyst's prior size
_DUCT_OWN_SIZE_RE = re.compile(r"\s*,?\s*(?:which|that)\s+(?:\w+\s+){0,2}?(?:measures|is)\b")


def _communication_target(t: str, lo: int, duct_start: int, duct_end: int, meas_start: int) -> bool:
    """The duct a cyst communicates with measures nothing, unless the size is its own ("…, which measures 2 mm")."""
    if _DUCT_OWN_SIZE_RE.match(t, duct_end, meas_start):
        return False
    return bool(
        _COMM_BEFORE_DUCT_RE.search(t, lo, duct_start)
        or _COMM_AFTER_DUCT_RE.match(t, duct_end, duct_end + 16)
    )


def _is_compound_heading(t: str, m: re.Match[str]) -> bool:
    """A duct term in a heading that names two things ("PANCREAS/PANCREATIC DUCT:") measures nothing."""
    return bool(
        _COMPOUND_HEADING_RE.match(t, m.end())
        and _COMPOUND_LABEL_RE.fullmatch(t, max(0, t.rfind("\n", 0, m.start()) + 1), m.start())
    )


_COMPOUND_LABEL_RE = re.compile(r"[ \t*#-]*[a-z][a-z ]{0,30}(?:/|\s+and\s+|\s*&\s*)\s*(?:the\s+)?")


def _nearest_duct(
    doc: _Doc, typed: list[tuple[int, int, str]], ms: Measurement
) -> tuple[int, int, str] | None:
    t = doc.t
    best: tuple[int, tuple[int, int, str]] | None = None
    after = t[ms.end : ms.end + 50].split("\n", 1)[
        0
    ]  # a cyst on the next line is not what this size measures
    if _has_any(after, _CYST_WORDS) and _CYST_NEXT_RE.match(after):
        return None  # "a 1.6 cm head cyst"
    for d in typed:
        if d[1] <= ms.start:
            gap = t[d[1] : ms.start]
            if len(gap) > 70 or re.search(r"[;]|\band\s+(?:the\s+)?\w+\s+(?:duct|measures)", gap):
                continue
            if _meas_between(doc, d[1], ms.start) or P.ANCHOR_RE.search(gap):
                continue
            if _communication_target(t, max(0, d[0] - 40), d[0], d[1], ms.start):
                continue
            if _DUCT_GAP_VETO_RE.search(gap):
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


_CYST_NEXT_RE = re.compile(r"[\s-]*(?:\w+[\s,-]+){0,5}?(?:cysts?|lesions?|ipmns?|cystic|pseudocysts?)\b")
_FIELD_RE = re.compile(r"\s*(?:[-*•]\s*)?(?:diameter|caliber|calibre|size|dilat\w*|width|measurement)\s*:")


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
        if len(gap) > 70 or ";" in gap or re.search(r"\b(?:but|however|whereas|while)\b", gap):
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


__all__ = ["RulesExtractor"]


def _debug(text: str) -> dict[str, Any]:  # pragma: no cover - developer aid
    ext = RulesExtractor().extract(ReportInput(report_id="debug", text=text))
    return ext.model_dump(mode="json")
