"""Radiology report sections and organ headings.

A section kind decides what a mention means: a cyst in the INDICATION is history, one in the
FINDINGS is on this exam, an ADDENDUM corrects. Organ headings (``PANCREAS:``, ``KIDNEYS:``)
decide which organ an unqualified "cyst" belongs to.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from pancyst.resources import load_yaml

SECTION_KINDS = (
    "preamble",
    "exam",
    "history",
    "technique",
    "comparison",
    "findings",
    "impression",
    "addendum",
    "other",
)


# Headers and sections are plain records, not frozen: a report builds a score of them, and a frozen
# dataclass is four times as slow to build.
@dataclass(slots=True, init=False)  # __init__ written out: mypyc compiles it (see extract/rules/model.py)
class Header:
    start: int  # where the label starts
    end: int  # just after the colon (or the label)
    kind: str | None  # a section kind, or None for an organ heading / field label
    organ: str | None  # organ for organ headings
    label: str

    def __init__(self, start: int, end: int, kind: str | None, organ: str | None, label: str) -> None:
        self.start = start
        self.end = end
        self.kind = kind
        self.organ = organ
        self.label = label


@dataclass(slots=True, init=False)
class Section:
    kind: str
    start: int  # content start (after the header)
    end: int
    header_start: int
    label: str

    def __init__(self, kind: str, start: int, end: int, header_start: int, label: str) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.header_start = header_start
        self.label = label


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    data = resources.files("pancyst.text").joinpath("lexicon/sections.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = load_yaml(data)
    return loaded


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], re.Pattern[str]]:
    lex = _lexicon()
    kinds: dict[str, str] = {}
    for kind, labels in lex["sections"].items():
        for label in labels:
            kinds[_norm_label(label)] = kind
    organs: dict[str, str] = {}
    for organ, labels in lex["organ_headings"].items():
        for label in labels:
            organs[_norm_label(label)] = organ
    # A label at line start (optionally bulleted or numbered) followed by a colon, or a whole line
    # that is just a known section name.
    header_re = re.compile(
        r"[ \t]*(?:[-*•>#]+[ \t]*|\d{1,2}[.)][ \t]+)?"
        r"(?P<label>[A-Za-z][A-Za-z0-9 /&(),'-]{0,48}?)[ \t]*(?:(?P<colon>:)|(?=[ \t]*[*=#-]*[ \t]*(?:\r?\n|$)))"
    )
    return kinds, organs, header_re


@lru_cache(maxsize=1)
def _exam_words() -> frozenset[str]:
    return frozenset(_lexicon().get("exam_words") or [])


_NOT_LETTERS_RE = re.compile(r"[^a-z ]+")
_label_cache: dict[str, str] = {}


def _norm_label(label: str) -> str:
    found = _label_cache.get(label)
    if found is None:
        if len(_label_cache) > 50_000:
            _label_cache.clear()
        found = _label_cache[label] = " ".join(_NOT_LETTERS_RE.sub(" ", label.lower()).split())
    return found


_STAR_RE = re.compile(r"[*=_~]+")


# "... normal. IMPRESSION: ..." - a header run into the previous line.
_INLINE_RE = re.compile(
    r"[.;)][ \t]{1,3}(?:(?P<label>[A-Z][A-Za-z /&]{0,30}?)[ \t]*(?P<colon>:)"
    # ... or, in capitals with no colon, before a capitalised word ("… None available. FINDINGS Status post …": a
    # report whose line breaks were lost)
    # (a section's label only: "CBD 8 mm", "MPD 3 mm" are no organ headings)
    r"|(?P<caps>[A-Z][A-Z /&]{2,30}?)[ \t]+(?=[A-Z][a-z]))"
)


_MAX_HEADER_LINE = 90
_SIZE_NEXT_RE = re.compile(r"[ \t]*\d+(?:[.,]\d+)?[ \t]*(?:mm|cm|millim|centim)", re.IGNORECASE)


# label start and end (offsets within the line), section kind, organ, normalized label
_LineHeader = tuple[int, int, str | None, str | None, str]
_line_cache: dict[str, tuple[_LineHeader, ...]] = {}
_LINE_CACHE_MAX = 50_000
_MAX_CACHED_LINE = 300


def find_headers(text: str) -> list[Header]:
    """Section headers and organ headings with offsets, in text order."""
    out: list[Header] = []
    cache = _line_cache
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        stop = nl if nl >= 0 else n
        line = text[pos:stop]
        found = cache.get(line)
        if found is None:
            found = _line_headers(line)
            if len(line) <= _MAX_CACHED_LINE:  # templates repeat their header lines, report by report
                if len(cache) > _LINE_CACHE_MAX:
                    cache.clear()
                cache[line] = found
        for start, end, kind, organ, label in found:
            out.append(Header(pos + start, pos + end, kind, organ, label))
        if nl < 0:
            break
        pos = nl + 1
    return out


def _line_headers(line: str) -> tuple[_LineHeader, ...]:
    """The headers of one line: no label, colon or run-in header crosses a line break."""
    kinds, organs, header_re = _tables()
    found: list[re.Match[str]] = []
    # a label is short: a long line with no colon near its start cannot be a header
    if (len(line) <= _MAX_HEADER_LINE or ":" in line[:_MAX_HEADER_LINE]) and not (
        # without a colon a header is the whole line, and only a list number ("1.") has a period
        ":" not in line and "." in line.lstrip(" \t")[3:]
    ):
        m = header_re.match(line + "\n")  # the line break the pattern may look for, as in the report
        if m is not None and m.group("label"):
            found.append(m)
    found.extend(_INLINE_RE.finditer(line))
    found.sort(key=_label_start)
    out: list[_LineHeader] = _run_in_caps(line, kinds, [(_label_start(m), m.end()) for m in found])
    for m in found:
        caps = m.re is _INLINE_RE and m.group("caps") is not None
        raw = m.group("caps") if caps else m.group("label")
        label = _norm_label(raw)
        if not label:
            continue
        kind = kinds.get(label)
        if kind is None and label.endswith(" s"):
            kind = kinds.get(label[:-2])
        if kind is None and "(" in raw:
            kind = kinds.get(_norm_label(raw.split("(", 1)[0]))  # "ADDENDUM (same day):"
        organ = None
        if kind is None and caps:
            continue
        if kind is None:
            organ = organs.get(label)
            if organ is None:
                organ = organs.get(label.rstrip("s"))
        if kind is None and organ is None:
            if m.group("colon"):
                # "Pancreatic duct:" / "-main duct caliber:" style field labels keep the organ context
                # unless the label names another organ.
                organ = _organ_in_label(label, organs)
                if organ is None:
                    continue
                out.append((_label_start(m), m.end(), None, organ, label))
            continue
        if not m.group("colon") and organ is not None and not (raw.isupper() or raw.istitle()):
            continue  # a bare organ word on its own line is a heading only as "PANCREAS" or "Pancreas"
        if kind == "comparison" and _SIZE_NEXT_RE.match(line, m.end()):
            continue  # "Prior: 9 mm (04/2021), 8 mm (05/2019).": the lesion's earlier sizes, not a section
        out.append((_label_start(m), m.end(), kind, organ, label))
    out.sort()
    return tuple(out)


# a run of capitalised words before a colon, mid-line ("… WITH AND WITHOUT CONTRAST IMPRESSION: 1. …")
_CAPS_RUN_RE = re.compile(r"[ \t]([A-Z]{2,}(?:[ /&]+[A-Z]{2,}){0,6})(?=[ \t]*:)")
_CAPS_WORD_RE = re.compile(r"[A-Z]+")


def _run_in_caps(line: str, kinds: dict[str, str], taken: list[tuple[int, int]]) -> list[_LineHeader]:
    """Labels in capitals run into a capitalised title or sentence with no break before them (a report whose line
    breaks were lost: "PROCEDURE: MRI ABDOMEN WITH AND WITHOUT CONTRAST IMPRESSION: 1. …"): the longest run of
    final words that is a section label is the header."""
    if ":" not in line:
        return []
    out: list[_LineHeader] = []
    for m in _CAPS_RUN_RE.finditer(line):
        for w in _CAPS_WORD_RE.finditer(m.group(1)):
            start = m.start(1) + w.start()
            label = _norm_label(line[start : m.end()])
            kind = kinds.get(label)
            if kind is None:
                continue  # (a section's label only: "Communication with MPD:" is a field, not a heading)
            # (not inside a label found already: "CLINICAL HISTORY:")
            if not any(a <= start < b for a, b in taken):
                out.append((start, line.index(":", m.end()) + 1, kind, None, label))
            break
    return out


def _label_start(m: re.Match[str]) -> int:
    return m.start("caps") if m.re is _INLINE_RE and m.group("caps") is not None else m.start("label")


_GENERIC_LABEL_WORDS = frozenset(
    {"cyst", "cysts", "lesion", "lesions", "cystic", "main", "duct", "mpd", "other"}
)


def _organ_in_label(label: str, organs: dict[str, str]) -> str | None:
    words = label.split()
    if words and words[0] in _exam_words():
        return None  # "CT abdomen/pelvis:" names the exam, not an organ whose findings follow
    for word in words:
        if word in _GENERIC_LABEL_WORDS:
            continue
        organ = organs.get(word) or organs.get(word.rstrip("s"))
        if organ is not None:
            return organ
    return None


def split_sections(text: str) -> list[Section]:
    """Cut the report into sections; text before the first header is the ``preamble``."""
    return _sections_from(text, find_headers(text))


class SectionMap:
    """Which section and organ heading a character offset falls under."""

    def __init__(self, text: str) -> None:
        headers = find_headers(text)
        self.sections = _sections_from(text, headers)
        self._starts = [s.header_start for s in self.sections]
        organ_marks: list[tuple[int, str | None]] = []
        for h in headers:
            if h.kind is not None:
                organ_marks.append((h.start, None))  # a new section resets the organ heading
            else:
                organ_marks.append((h.start, h.organ))
        self.headers = headers
        self._organ_pos = [p for p, _ in organ_marks]
        self._organ_val = [o for _, o in organ_marks]
        lead = len(text) - len(text.lstrip())
        # the section label the report opens on ("FINDINGS: …", "Preliminary examination: …"), if any
        self.opening_kind = headers[0].kind if headers and headers[0].start == lead else None

    def section_index(self, pos: int) -> int:
        i = bisect_right(self._starts, pos) - 1
        return max(i, 0)

    def section(self, pos: int) -> Section:
        return self.sections[self.section_index(pos)]

    def organ_heading(self, pos: int) -> str | None:
        i = bisect_right(self._organ_pos, pos) - 1
        return self._organ_val[i] if i >= 0 else None


def _sections_from(text: str, headers: list[Header]) -> list[Section]:
    if not any(h.kind is not None for h in headers):
        return [Section("findings", 0, len(text), 0, "")]
    # (kind, content start, header start, label): the ends are known once the next one starts
    starts: list[tuple[str, int, int, str]] = []
    for h in headers:
        if h.kind is None:
            # An organ heading after the history or comparison starts the findings, even unlabelled.
            if starts and starts[-1][0] in _BEFORE_FINDINGS:
                starts.append(("findings", h.start, h.start, ""))
            elif not starts and h.start > 0:
                starts.append(("preamble", 0, 0, ""))
                starts.append(("findings", h.start, h.start, ""))
            elif not starts:
                starts.append(("findings", 0, 0, ""))
            continue
        kind = h.kind
        if starts and starts[-1][0] == "addendum" and any(k in _REPORTED for k, *_ in starts):
            # everything after an addendum header belongs to the addendum; one written above the findings
            # (a system that puts addenda first) ends where the original report's sections start
            kind = "addendum"
        if not starts and h.start > 0:
            starts.append(("preamble", 0, 0, ""))
        starts.append((kind, h.end, h.start, h.label))
    fixed: list[Section] = []
    for i, (kind, start, header_start, label) in enumerate(starts):
        end = starts[i + 1][2] if i + 1 < len(starts) else len(text)
        end = max(start, end)
        if kind in _ONE_PARAGRAPH:
            # "Indication: ...\nThe pancreas shows ..." - unlabelled findings after a one-line history.
            stop = _paragraph_end(text, start, end)
            if stop < end:
                fixed.append(Section(kind, start, stop, header_start, label))
                fixed.append(Section("findings", stop, end, stop, ""))
                continue
        fixed.append(Section(kind, start, end, header_start, label))
    if not any(s.kind == "findings" for s in fixed):
        _unlabelled_findings(text, fixed)
    return fixed


def _unlabelled_findings(text: str, sections: list[Section]) -> None:
    """A report with an impression but no findings section has them unlabelled after its last history-like
    section, on the same line ("CT A/P. Hx: weight loss. The pancreatic head contains a 2.5 cm mass. Impression: ..."): that
    section holds its first sentence, the findings the rest."""
    last = max((i for i, s in enumerate(sections) if s.kind in _ONE_PARAGRAPH), default=None)
    if last is None or any(s.kind in _REPORTED for s in sections[:last]):
        return
    if not any(s.kind == "impression" for s in sections[last:]):
        return  # no impression either: a note that only gives a history
    sec = sections[last]
    cut = _SENTENCE_END_RE.search(text, sec.start, sec.end)
    if cut is None or "\n" in text[sec.start : cut.end()]:
        return
    sections[last] = Section(sec.kind, sec.start, cut.end(), sec.header_start, sec.label)
    sections.insert(last + 1, Section("findings", cut.end(), sec.end, cut.end(), ""))


_REPORTED = frozenset({"findings", "impression"})
_SENTENCE_END_RE = re.compile(r"[.][ \t]+(?=[A-Z][a-z])")
_ONE_PARAGRAPH = frozenset({"history", "comparison", "technique", "exam"})
_LINE_END_RE = re.compile(r"[.]?[ \t]*\r?\n")


def _paragraph_end(text: str, start: int, end: int) -> int:
    """Where a history-like section stops: a blank line, or a line ending in a period."""
    pos = start
    while True:
        nl = text.find("\n", pos, end)
        if nl < 0:
            return end
        line = text[start:nl].strip()
        if line and (line.endswith(".") or not text[nl + 1 : end].split("\n", 1)[0].strip()):
            rest = text[nl + 1 : end]
            if rest.strip():
                return nl + 1
            return end
        pos = nl + 1


_BEFORE_FINDINGS = frozenset({"history", "comparison", "technique", "exam", "preamble"})
