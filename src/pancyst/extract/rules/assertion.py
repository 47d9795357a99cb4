"""Assertion: is a finding affirmed, denied, hedged, uncertain, past or hypothetical, and for which lesions.

ConText (``text/context.py``, trigger phrases in ``text/lexicon/context.yaml``) gives each target the
modifier categories whose trigger scope covers it. This stage adds what ConText lacks, with its
rules in ``text/lexicon/assertion.yaml``:

- a quantified group subject that denies the whole predicate for every lesion ("none of the
  cysts demonstrates a nodule or wall thickening": ConText ends "none"'s scope at the verb);
- sentences that cite a guideline or state a rule for cysts in general, whose cysts and sizes
  are not the patient's;
- the SPEC §2 reading of each category for a feature: a hedge counts as present, uncertainty
  ("cannot be excluded", "indeterminate") as not stated, a hypothetical as nothing said.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from pancyst.extract.rules import patterns as P
from pancyst.extract.rules.document import Doc
from pancyst.extract.rules.model import Sentence, SentenceReading
from pancyst.resources import load_yaml
from pancyst.text.context import HISTORICAL, HYPOTHETICAL, NEGATED, UNCERTAIN
from pancyst.text.measurements import Measurement

AFFIRMED = "affirmed"
DENIED = "denied"
NOT_STATED = "not_stated"
IGNORED = "ignored"


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern[str], ...]:
    raw = resources.files("pancyst.text").joinpath("lexicon/assertion.yaml").read_text(encoding="utf-8")
    lex = load_yaml(raw)
    return (
        _compile(lex["negative_subject"]),
        _compile(lex["contrast"]),
        _compile(lex["guideline"]),
        _compile(lex["generic_subject"]),
        _compile(lex["quoted"]),
        _compile(lex["quoted_after"]),
        _compile(lex["past_narrative"]),
        _compile(lex["not_a_retraction_before"]),
        _compile(lex["affirmed_item_before"]),
        _compile(lex["affirmed_item_after"]),
        _compile(lex["list_item_prefix"]),
        _compile(lex["affirmed_item_predicate"]),
        _compile(lex["reidentified_before"]),
        _compile(lex["reidentified_after"]),
        _compile(lex["other_exam_after"]),
        _compile(lex["operated_before"]),
        _compile(lex["counted_plural_before"]),
    )


(
    NEGATIVE_SUBJECT_RE,
    CONTRAST_RE,
    GUIDELINE_RE,
    GENERIC_SUBJECT_RE,
    QUOTED_RE,
    QUOTED_AFTER_RE,
    PAST_NARRATIVE_RE,
    NOT_A_RETRACTION_BEFORE_RE,
    AFFIRMED_ITEM_BEFORE_RE,
    AFFIRMED_ITEM_AFTER_RE,
    LIST_ITEM_PREFIX_RE,
    AFFIRMED_ITEM_PREDICATE_RE,
    REIDENTIFIED_BEFORE_RE,
    REIDENTIFIED_AFTER_RE,
    OTHER_EXAM_AFTER_RE,
    OPERATED_BEFORE_RE,
    COUNTED_PLURAL_BEFORE_RE,
) = _rules()
# every match of the patterns above holds one of these (checked in tests/extract/test_assertion.py)
_SUBJECT_WORDS = ("neither", "none", "no ")
_CITE_WORDS = (
    "acr", "american", "fukuoka", "kyoto", "aga", "european", "international", "guideline", "white",
    "consensus", "recommendation", "worrisome", "stigmata",
)  # fmt: skip
_PLURAL_WORDS = ("cysts", "lesions", "ipmns", "adenomas", "mcns", "scas", "neoplasms")
_CITE_OR_PLURAL = _CITE_WORDS + _PLURAL_WORDS
# every past-narrative match holds one of these words, or a year after "in" / "from" / a month
_PAST_WORDS = (
    "found",
    "reported",
    "patholog",
    "histolog",
    "specimen",
    "resected",
    "removed",
    "excised",
    "enucleated",
)


def _may_be_past(seg: str) -> bool:
    """A substring test every past-narrative match passes (tests check it)."""
    if ("19" in seg or "20" in seg) and ("in" in seg or "from" in seg):
        return True
    return _has_any(seg, _PAST_WORDS)


_SINGULAR_WORDS = ("cyst", "lesion")
# a singular generic subject is compared ("any cyst larger than …") or sized after "for/in/with a"
_COMPARATIVES = (
    "smaller", "larger", "less", "greater", "bigger", "under", "over", "below", "above", "between", "more",
    "<", ">", "≥", "≤",
)  # fmt: skip
_PREPOSITIONS = ("for", "in", "with")
# a duct threshold stated in general holds one of these
_DUCT_RULE_WORDS = ("exceed", "than", "more", "greater", "larger", "above", "over", "least", "≥", ">")
# the tail of the "for a cyst of 20 mm" pattern, a size right after the cyst word (two patterns with a
# literal opening each: re scans for a literal prefix far faster than for an alternation)
_SIZED_SINGULAR = (
    re.compile(r"cyst\s+(?:of\s+|measuring\s+)?\d"),
    re.compile(r"lesion\s+(?:of\s+|measuring\s+)?\d"),
)


def _has_any(seg: str, words: tuple[str, ...]) -> bool:
    for w in words:  # noqa: SIM110 (a loop: cheaper than any() with a generator)
        if w in seg:
            return True
    return False


def _reading(sent: Sentence) -> SentenceReading:
    r = sent.reading
    if r is None:
        r = sent.reading = SentenceReading()
    return r


def _denial(doc: Doc, sent: Sentence) -> tuple[int, int, int] | None:
    r = _reading(sent)
    if not r.denial_read:
        r.denial_read = True
        t = doc.t
        if _has_any(t[sent.start : sent.end], _SUBJECT_WORDS):
            m = NEGATIVE_SUBJECT_RE.search(t, sent.start, sent.end)
            if m is not None:
                stop = CONTRAST_RE.search(t, m.end(), sent.end)
                r.denial = (m.start(), m.end(), stop.start() if stop is not None else sent.end)
    return r.denial


def _advice(doc: Doc, sent: Sentence) -> SentenceReading:
    r = _reading(sent)
    if not r.advice_read:
        r.advice_read = True
        seg = doc.t[sent.start : sent.end]
        if may_advise(seg):
            r.cites = GUIDELINE_RE.search(seg) is not None
            r.generic = tuple(
                (m.start() + sent.start, m.end() + sent.start) for m in GENERIC_SUBJECT_RE.finditer(seg)
            )
            r.advice = r.cites or bool(r.generic)
    return r


def may_advise(seg: str) -> bool:
    """A substring test every guideline or generic-subject match passes (tests check it): most
    sentences name no guideline, no plural cyst word and no comparison."""
    if _has_any(seg, _CITE_OR_PLURAL):
        return True
    if ("duct" in seg or "mpd" in seg) and _has_any(seg, _DUCT_RULE_WORDS):
        return True  # a duct threshold in general: "when the main duct exceeds 5 mm"
    if not _has_any(seg, _SINGULAR_WORDS):
        return False
    if _has_any(seg, _COMPARATIVES):
        return True
    return _has_any(seg, _PREPOSITIONS) and any(rx.search(seg) is not None for rx in _SIZED_SINGULAR)


def denial_scope(doc: Doc, sent: Sentence) -> tuple[int, int, int] | None:
    """A quantified negative subject that denies its predicate for every lesion: (subject start,
    predicate start, predicate end), or None."""
    return _denial(doc, sent)


def denies_a_feature_of_cysts(doc: Doc, sent: Sentence) -> bool:
    """ "No communication of the lesions with the duct", "no nodules in any of the cysts": the negated cyst
    word is the complement of a denied feature, so the sentence speaks about the lesions."""
    return P.FEATURE_OF_CYST_RE.search(doc.t, sent.start, sent.end) is not None


def in_denial_subject(doc: Doc, a: int, sent: Sentence) -> bool:
    """The cyst word at ``a`` is the subject of a group denial ("none of the *cysts* has …"): no lesion."""
    scope = denial_scope(doc, sent)
    return scope is not None and scope[0] <= a < scope[1]


def modifiers(doc: Doc, a: int, b: int, sent: Sentence) -> frozenset[str]:
    """The ConText categories of ``[a, b)``, with a group denial added where one covers it."""
    mods = doc.ctx.modifiers(a, b, sent.start, sent.end)
    scope = denial_scope(doc, sent)
    if scope is not None and scope[1] <= a and b <= scope[2] and NEGATED not in mods:
        return mods | {NEGATED}
    return mods


def lesion_modifiers(doc: Doc, a: int, b: int, sent: Sentence, group_denial: bool = False) -> frozenset[str]:
    """The ConText categories of a lesion word or its place, less a denial of a feature it has, said after it
    ("a 24 mm cyst in the neck, mural nodule is absent": the nodule is denied, not the cyst nor its place) or
    before it ("no enhancement of the mass at the neck"). With ``group_denial``, a group denial that covers it
    counts (``modifiers``)."""
    mods = modifiers(doc, a, b, sent) if group_denial else doc.ctx.modifiers(a, b, sent.start, sent.end)
    if NEGATED not in mods:
        return mods
    t = doc.t
    for hit in doc.ctx.covering(a, b, sent.start, sent.end):
        if hit.rule.category != NEGATED:
            continue
        if hit.end <= a and P.FEATURE_OF_LESION_GAP_RE.search(t, hit.end, a):
            continue  # "absence of enhancement of the mass at the neck": the lesion's feature is denied
        if hit.start < b or not P.FEATURE_SUBJECT_RE.search(t, b, hit.start):
            return mods  # a denial of the lesion itself
    return mods - {NEGATED}


def feature_reading(doc: Doc, a: int, b: int, sent: Sentence) -> str:
    """SPEC §2's reading of a feature phrase: affirmed (hedges too), denied, not stated, or ignored.
    A template label left blank ("Septations:" and the line ends) or answered "N/A" states nothing."""
    if P.BLANK_FIELD_AFTER_RE.match(doc.t, b):
        return NOT_STATED
    mods = modifiers(doc, a, b, sent)
    if HYPOTHETICAL in mods:
        return IGNORED
    if NEGATED in mods:
        return AFFIRMED if affirmed_list_item(doc.t, a, b) else DENIED
    if UNCERTAIN in mods:
        return NOT_STATED
    if HISTORICAL in mods and _said_gone(doc, a, b, sent):
        return DENIED  # "the previously described mural nodule is no longer seen": none now
    return AFFIRMED


def _said_gone(doc: Doc, a: int, b: int, sent: Sentence) -> bool:
    return any(
        h.rule.category == HISTORICAL and P.RESOLVED_TRIGGER_RE.search(doc.t, h.start, h.end)
        for h in doc.ctx.covering(a, b, sent.start, sent.end)
    )


def affirmed_list_item(t: str, a: int, b: int) -> bool:
    """A feature listed after a denied one but described as seen: "No mural nodule, thin septations",
    "no nodules, septations present". A bare list ("no nodules, septations or wall thickening") stays
    denied: the negation spreads over it."""
    window = t[max(0, a - 45) : a]
    if "," not in window:
        return False  # "No mural nodules are present": the feature the negation names, not a later item
    if AFFIRMED_ITEM_BEFORE_RE.search(window):
        return True
    if not LIST_ITEM_PREFIX_RE.search(window):
        return False
    # "…, septations present"; "without nodules, communicating with the duct" (a predicate, not a noun)
    return bool(AFFIRMED_ITEM_AFTER_RE.match(t, b)) or bool(AFFIRMED_ITEM_PREDICATE_RE.match(t, a))


def generic_cyst(doc: Doc, a: int, b: int, sent: Sentence) -> bool:
    """The cyst word at ``[a, b)`` names cysts in general (a guideline's plural cysts, or a generic
    subject's), not a lesion of this report."""
    r = _advice(doc, sent)
    if not r.advice:
        return False
    if r.cites and P.PLURAL_RE.search(doc.t, a, b) is not None and not _counted_plural(doc, a, sent):
        return True
    return any(s <= a < e or s <= b <= e for s, e in r.generic)


_CLAUSE_MARKS = (",", ";", ":", "(")


def _counted_plural(doc: Doc, a: int, sent: Sentence) -> bool:
    """A guideline sentence's plural cyst word that a count or determiner makes this patient's ("Multiple
    small cysts, likely side-branch IPMNs; follow-up per ACR"), or whose clause the citation is not in."""
    t = doc.t
    head = t[sent.start : a]
    cut = max(head.rfind(c) for c in _CLAUSE_MARKS) + 1
    if P.COUNT_RE.search(head, cut) is not None or COUNTED_PLURAL_BEFORE_RE.search(head, cut) is not None:
        return True
    cite = GUIDELINE_RE.search(t, sent.start, sent.end)
    return cite is not None and ";" in (t[a : cite.start()] if cite.start() > a else t[cite.end() : a])


def states_thresholds(doc: Doc, sent: Sentence) -> bool:
    """A sentence that cites a guideline's thresholds ("per ACR, a main duct of 7 mm or more warrants
    EUS"): its sizes are not measurements of this patient."""
    r = sent.reading
    if r is None or not r.advice_read:
        # (a duct sentence: only a citation matters here, so the generic-subject scan can wait)
        if not _has_any(doc.t[sent.start : sent.end], _CITE_WORDS):
            return False
        r = _advice(doc, sent)
    return r.cites and THRESHOLD_RE.search(doc.t, sent.start, sent.end) is not None


THRESHOLD_RE = re.compile(
    r"\bor\s+(?:more|greater|larger|above)\b|≥|>=?|\b(?:more|greater|larger)\s+than\b|\bat\s+least\b"
)


def names_a_criterion(doc: Doc, m: Measurement, sent: Sentence) -> bool:
    """A size in a list of the guideline criteria a lesion meets, written as a threshold or a range
    ("Worrisome features: size >3 cm, enhancing nodule <5 mm, MPD 5-9 mm"): it names the criterion."""
    t = doc.t
    if P.CRITERIA_LABEL_RE.search(t, sent.start, m.start) is None:
        return False
    return (
        m.kind == "range"
        or P.CRITERION_SIZE_BEFORE_RE.search(t, max(sent.start, m.start - 14), m.start) is not None
    )


def states_a_rule_for_cysts(doc: Doc, sent: Sentence) -> bool:
    """A sentence whose subject is cysts in general ("for cysts of 15-25 mm without duct communication ..."):
    its numbers are the rule's. A sentence that only cites a guideline ("MPD 8 mm, a worrisome feature per
    ACR") still measures this patient."""
    return bool(_advice(doc, sent).generic)


def is_advice(doc: Doc, sent: Sentence) -> bool:
    """A sentence about cysts in general: it continues no lesion ("for cysts of 15-25 mm, MRI in 6 months")."""
    return _advice(doc, sent).advice


def in_scare_quotes(doc: Doc, a: int, b: int) -> bool:
    """The cyst word at ``[a, b)`` is another reading's, quoted ("the 'cyst' reported on the outside CT")."""
    t = doc.t
    return (
        QUOTED_RE.search(t, max(0, a - 2), a) is not None and QUOTED_AFTER_RE.match(t[b : b + 60]) is not None
    )


def reidentified(doc: Doc, a: int, b: int, sent: Sentence) -> bool:
    """The cyst word at ``[a, b)`` is an earlier exam's, which this reading identifies as something that is no
    cyst ("The previously questioned tiny cyst likely represented a prominent side branch.")."""
    t = doc.t
    if REIDENTIFIED_BEFORE_RE.search(t, max(sent.start, a - 50), a) is None:
        return False
    pred = REIDENTIFIED_AFTER_RE.match(t, b, sent.end)
    return pred is not None and not doc.anchors_in(pred.end(), sent.end)


def only_another_exams(doc: Doc, a: int, b: int, sent: Sentence) -> bool:
    """The cyst word at ``[a, b)`` is one another exam's report described, in a sentence that denies a cyst on
    this exam ("No cyst is identified on this exam, although a 6 mm cyst was described on the outside MRI")."""
    if OTHER_EXAM_AFTER_RE.match(doc.t, b, sent.end) is None:
        return False
    return any(
        NEGATED in doc.ctx.modifiers(am.start(), am.end(), sent.start, sent.end)
        for am in doc.anchors_in(sent.start, a)
    )


def removed_by_operation(doc: Doc, a: int, sent: Sentence) -> bool:
    """The lesion word at ``a`` is named in parentheses after the operation that removed it ("Post distal
    pancreatectomy (MCN, 2019)"): the patient's history."""
    return "(" in doc.t[max(sent.start, a - 12) : a] and bool(
        OPERATED_BEFORE_RE.search(doc.t, max(sent.start, a - 80), a)
    )


def is_past_narrative(doc: Doc, sent: Sentence) -> bool:
    """A sentence that tells the patient's history (a consult note's "In 2019 she was found to have …")."""
    r = _reading(sent)
    if not r.past_read:
        r.past_read = True
        seg = doc.t[sent.start : sent.end]
        r.past = _may_be_past(seg) and PAST_NARRATIVE_RE.search(seg) is not None
    return r.past


def retracts(doc: Doc, sent: Sentence, a: int, b: int, lo: int) -> bool:
    """A final statement that there is no pancreatic cyst ("IMPRESSION: No pancreatic cyst.") retracts
    every lesion (SPEC §2: the current exam as finally reported); "no other / new cyst" does not."""
    if sent.kind not in ("impression", "addendum") or denial_scope(doc, sent) is not None:
        return False
    if any(m.start() <= a < m.end() for m in P.FEATURE_OF_CYST_RE.finditer(doc.t, sent.start, sent.end)):
        return False  # "No enhancement of the cyst.": the feature is denied, the cyst is its complement
    return not NOT_A_RETRACTION_BEFORE_RE.search(doc.t, max(lo, a - 30), a)
