"""Stage 1, document: normalized text, sections, sentences and one pass of the whole-text patterns,
looked up by offset; which organ a sentence or a cyst word is about.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right

from pancyst.construct import construct
from pancyst.extract.rules import patterns as P
from pancyst.extract.rules.model import TYPE_OF_GROUP, Sentence, Value
from pancyst.schema import Span
from pancyst.text.context import ContextIndex
from pancyst.text.dates import DateMention, IntervalMention, date_order, find_dates, find_intervals
from pancyst.text.measurements import Measurement, find_measurements
from pancyst.text.normalize import Normalized, to_normalized
from pancyst.text.sections import SectionMap
from pancyst.text.sentences import split_sentences


class Doc:
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
        self._day_first: bool | None = None  # the report's numeric date order, read on first use
        self.meas = find_measurements(t)
        self.meas_starts = [m.start for m in self.meas]
        self.anchors = [m for m in P.ANCHOR_RE.finditer(t) if anchor_group(m)]
        self.anchor_starts = [m.start() for m in self.anchors]
        self.ducts = list(P.DUCT_RE.finditer(t))
        self.duct_starts = [m.start() for m in self.ducts]
        organs = list(P.ORGAN_RE.finditer(t))
        self.organ_starts = [m.start() for m in organs]
        self.organ_ends = [m.end() for m in organs]
        self.organ_groups = [P.ORGAN_GROUPS[m.lastindex or 0] for m in organs]
        self.sentences = self._sentences()
        self.exam_date: Value | bool | None = False  # False: not looked up yet
        self._topic: str | None = "?"
        self._cyst_topic: bool | None = None
        self._spans: list[str] | None = None

    @property
    def topic(self) -> str | None:
        """The organ the exam is about, when its title or indication names the pancreas ("MRI PANCREAS",
        "MRCP", "Follow-up of pancreatic cyst"): a cyst or lesion that names no organ is the pancreas's."""
        if self._topic == "?":
            self._topic = (
                "pancreas" if any(P.PANCREAS_TOPIC_RE.search(x) for x in self._topic_spans()) else None
            )
        return self._topic

    @property
    def cyst_topic(self) -> bool:
        """The title or indication names a pancreatic cyst ("Hx pancreatic cyst.", "IPMN surveillance"): a
        measured pancreatic lesion that does not look solid is that cyst."""
        if self._cyst_topic is None:
            self._cyst_topic = any(
                P.PANCREAS_TOPIC_RE.search(x) and P.CYST_TOPIC_RE.search(x) for x in self._topic_spans()
            )
        return self._cyst_topic

    def _topic_spans(self) -> list[str]:
        """The title line and the history and exam sections (their openings), cut once."""
        if self._spans is None:
            t = self.t
            # (a report that opens on a labelled finding has no title: "FINDINGS: Cystic mass … separate from the
            # pancreas" names the pancreas as a landmark, not as what the exam is about)
            opens_on_a_finding = self.smap.opening_kind in ("findings", "impression", "addendum")
            first = "" if opens_on_a_finding else t[: max(t.find("\n"), 0) or len(t)][:120]
            self._spans = [first] + [
                t[to_normalized(self.norm, sec.start) : to_normalized(self.norm, sec.end)][:300]
                for sec in self.smap.sections
                if sec.kind in ("history", "exam")
            ]
        return self._spans

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
        for sent in out:
            if sent.kind == "history" and P.THIS_EXAM_SHOWS_RE.match(self.t, sent.start, sent.end):
                sent.kind = "findings"  # "History: … Today's MRI shows a 2.9 cm cyst": this exam's finding
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
            seg = self.t[a:b]
            dates = find_dates(seg, bool(self._day_first))
            if self._day_first is None and any(_ambiguous(seg, d) for d in dates):
                # the report's date order is read only when a date needs it (05/06/2023)
                self._day_first = _day_first(self.t)
                if self._day_first:
                    dates = find_dates(seg, True)
            found = self._dates[key] = [
                DateMention(d.start + a, d.end + a, d.date, d.precision) for d in dates
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


def _ambiguous(seg: str, d: DateMention) -> bool:
    """A numeric date whose day and month could swap (05/06/2023): read by the report's date order."""
    m = P.AMBIGUOUS_DATE_RE.match(seg, d.start, d.end)
    return m is not None and int(m.group(1)) <= 12 and int(m.group(2)) <= 12


def _day_first(t: str) -> bool:
    """The report's numeric date order: its own dates decide (:func:`pancyst.text.dates.date_order`);
    when none does, a report translated from a European language ("canal of Wirsung", "cephalic
    portion": ``rules.yaml`` ``DAY_FIRST_WORDS``) writes them day first, any other month first."""
    order = date_order(t)
    return has_any(t, P.DAY_FIRST_WORDS) if order is None else order


def anchor_group(anchor: re.Match[str]) -> str:
    """The named group of ANCHOR_RE an anchor matched (``sb``, ``cyst``, ...)."""
    return P.ANCHOR_GROUPS[anchor.lastindex or 0]


def in_a_differential(doc: Doc, am: re.Match[str]) -> bool:
    """A lesion type named as one of a differential ("MCN vs oligocystic serous cystadenoma", "serous
    cystadenoma or mucinous cystic neoplasm", "a pseudocyst versus cystic neoplasm"): the next or previous name,
    of another type or an untyped neoplasm, is joined to it by
    *vs / versus / or*, so neither type is the lesion's (a favoured one, "or less likely X", keeps it)."""
    own = TYPE_OF_GROUP.get(anchor_group(am), "unspecified")
    if own == "unspecified":
        return False
    i = bisect_left(doc.anchor_starts, am.start())
    for j in (i + 1, i - 1):
        if not 0 <= j < len(doc.anchors):
            continue
        other = doc.anchors[j]
        theirs = TYPE_OF_GROUP.get(anchor_group(other), "unspecified")
        if theirs == own or (theirs == "unspecified" and not P.NEOPLASM_NAME_RE.search(other.group(0))):
            continue  # (a bare "cyst" is no other candidate: "a small cyst or side-branch IPMN")
        a, b = (am.end(), other.start()) if j > i else (other.end(), am.start())
        if P.DIFFERENTIAL_JOIN_RE.fullmatch(doc.t, a, b):
            return True
        first = min(am.start(), other.start())
        if P.AND_JOIN_RE.fullmatch(doc.t, a, b) and P.DIFFERENTIAL_BEFORE_RE.search(
            doc.t, max(0, first - 40), first
        ):
            return True  # "differential diagnosis between serous cystadenoma and mucinous cystic neoplasm"
    return False


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


def organ_of(doc: Doc, a: int, b: int, lo: int, hi: int, sent: Sentence) -> str | None:
    """The organ a cyst word at [a, b) belongs to (SPEC §2: cysts of other organs are not PCLs)."""
    t = doc.t
    starts = doc.organ_starts
    groups = doc.organ_groups
    k = bisect_right(doc.organ_ends, a) - 1
    if (
        k >= 0
        and starts[k] >= sent.start
        and groups[k] != "weak"
        and P.ADJACENT_GAP_RE.fullmatch(t, doc.organ_ends[k], a)
        and not P.RELATIONAL_BEFORE_RE.search(t, max(sent.start, starts[k] - 30), starts[k])
    ):
        # the organ word that qualifies the cyst word ("renal cyst"), even across a clause cut before it
        return groups[k]
    n = len(starts)
    i = bisect_left(starts, lo)
    best: tuple[int, str] | None = None
    weak = False
    sent_best: tuple[int, str] | None = None
    landmark_end = -1  # the end of the last organ word read as a landmark ("adjacent to the pancreatic")
    while i < n and starts[i] < sent.end:
        ms = starts[i]
        group = groups[i]
        me = doc.organ_ends[i]
        i += 1
        if ms < sent.start:
            continue
        if group == "weak":
            if (
                lo <= ms < hi
                and not location_vetoed(t, ms, me)
                # "adjacent to the pancreatic head", "near the head": a landmark's part, not the cyst's place
                and not (landmark_end >= 0 and not t[landmark_end:ms].strip())
                and not _landmark_before(t, max(lo, ms - 30), ms)
            ):
                weak = True
            continue
        if group == "biliary" and t.startswith("bile", ms) and "pancrea" in t[max(lo, ms - 30) : ms]:
            continue
        if lo <= ms < hi and (
            P.ORIGIN_BEFORE_RE.search(t, max(lo, ms - 40), ms) or P.ORIGIN_AFTER_RE.match(t, me)
        ):
            return group  # "… between the pancreatic tail and the spleen, arising from the spleen"
        rel = P.RELATIONAL_BEFORE_RE.search(t, max(lo, ms - 30), ms)
        if rel is not None:
            if not _at_the_level_of(rel):
                landmark_end = me
            continue  # "in the pancreatic tail near the splenic hilum": the spleen is a landmark
        if P.VESSEL_AFTER_RE.match(t, me):
            continue  # "eroding the splenic artery": a vessel named after an organ, not the organ
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
    if sent.own_organ == "?":
        sent.own_organ = _own_organ(doc, sent)
    # an organ the sentence names in an earlier clause beats the one carried from the sentence before
    return sent.own_organ if sent.own_organ is not None else sent.organ


def _landmark_before(t: str, lo: int, hi: int) -> bool:
    """A relational phrase ends at ``hi``: what follows is a landmark ("near the splenic hilum"), unless it is
    "at the level of", which translated reports use for the place itself ("at the level of the pancreatic head")."""
    rel = P.RELATIONAL_BEFORE_RE.search(t, lo, hi)
    return rel is not None and not _at_the_level_of(rel)


def _at_the_level_of(rel: re.Match[str]) -> bool:
    return rel.group(0).startswith("at the level")


def _label_end(t: str, sent: Sentence) -> int:
    m = P.LABEL_RE.match(t, sent.start, sent.end)
    return m.end() if m is not None else sent.start


def location_vetoed(t: str, a: int, b: int) -> bool:
    return bool(
        P.LOCATION_VETO_BEFORE.search(t[max(0, a - 25) : a]) or P.LOCATION_VETO_AFTER.match(t[b : b + 30])
    )


def sentence_organ(doc: Doc, sent: Sentence, carry: str | None) -> str | None:
    if sent.own_organ == "?":
        sent.own_organ = _own_organ(doc, sent)
    if sent.own_organ is not None:
        return sent.own_organ
    if sent.heading is not None:
        return sent.heading
    return carry


def _own_organ(doc: Doc, sent: Sentence) -> str | None:
    """The organ a sentence itself names last (None when it names none), landmarks left out ("a cystic mass
    in the retroperitoneum adjacent to the pancreatic head" names no organ of its own)."""
    starts = doc.organ_starts
    groups = doc.organ_groups
    t = doc.t
    i = bisect_left(starts, sent.start)
    n = len(starts)
    last: str | None = None
    landmark_end = -1
    while i < n and starts[i] < sent.end:
        g = groups[i]
        ms = starts[i]
        i += 1
        if _landmark_before(t, max(sent.start, ms - 30), ms) or (
            landmark_end >= 0 and not t[landmark_end:ms].strip()
        ):
            landmark_end = doc.organ_ends[i - 1]
            continue
        if g != "weak":
            last = g
        elif last is None and not location_vetoed(t, ms, doc.organ_ends[i - 1]):
            last = "pancreas"
    return last


def has_any(seg: str, words: tuple[str, ...]) -> bool:
    for w in words:  # noqa: SIM110 (a loop: any() and a generator cost more than a few tests)
        if w in seg:
            return True
    return False
