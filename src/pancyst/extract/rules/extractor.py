"""The rules backend (``--backend rules``): runs the stages over one report.

Flow: document -> per sentence, mentions (with their features and measurement roles) or a
continuation of the current lesion -> lesion merge -> assembly (with the duct features).
See docs/rules.md for where each SPEC reading convention lives.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any, TypeGuard

from pancyst.extract.base import ExtractionError, Extractor
from pancyst.extract.rules import assertion as A
from pancyst.extract.rules import patterns as P
from pancyst.extract.rules.assembly import assemble
from pancyst.extract.rules.document import Doc, anchor_group, sentence_organ
from pancyst.extract.rules.mentions import (
    continuation_mention,
    elliptical_mention,
    group_denial,
    list_item_mention,
    part_of_a_lesion,
    sentence_mentions,
    solid_veto,
    stated_prior,
)
from pancyst.extract.rules.merge import fold_exam_series, is_md, merge_mentions, only_a_heading
from pancyst.extract.rules.model import NO_LESION_SECTIONS, LesionAcc, Mention, Sentence
from pancyst.extract.rules.roles import priors_in_order
from pancyst.schema import Extraction, ReportInput
from pancyst.text.language import other_language

MAX_MENTIONS = 200


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
        language = other_language(report.text)
        if language is not None:
            # its shared tokens (sizes, "IPMN", "Wirsung") would still make a confident, wrong answer
            raise ExtractionError(
                f"the report reads as {language}, not English: the rules backend reads English reports only"
                " (translate it, or use --backend llm with a model that reads it)"
            )
        doc = Doc(report.text)
        return _extract(doc)


def _extract(doc: Doc) -> Extraction:
    mentions: list[Mention] = []
    retractions: list[tuple[int, int]] = []
    carry: str | None = None
    prev_kind = ""
    current: Mention | None = None
    listed: list[Mention] = []  # the cysts the last run of cyst sentences named
    run_end = -1  # where that run's last sentence ended
    any_confirmed = False
    cyst_group: str | None = None  # the section kind in which a group of cystic lesions was described
    stated: list[Mention] = []  # sizes the history or comparison gives a pancreatic cyst
    anchors = doc.anchors
    anchor_starts = doc.anchor_starts
    for sent_index, sent in enumerate(doc.sentences):
        if sent.kind != prev_kind:
            # an addendum goes on about the lesion last described ("ADDENDUM: The described 'mural nodule'
            # represents a septation."): SPEC §2, the exam as finally reported
            current = mentions[-1] if sent.kind == "addendum" and mentions else None
            carry = "pancreas" if current is not None else None
            prev_kind = sent.kind
        sent.organ = carry
        ai = bisect_left(anchor_starts, sent.start)
        sent_anchors = anchors[ai : bisect_left(anchor_starts, sent.end, ai)]
        organ = sentence_organ(doc, sent, carry)
        if sent.kind in NO_LESION_SECTIONS:
            if sent_anchors and (prior := stated_prior(doc, sent, sent_anchors)) is not None:
                stated.append(prior)  # "Indication: follow-up of a 15 mm pancreatic tail cyst (MRI 2022)."
            carry = organ
            continue
        if len(mentions) >= MAX_MENTIONS:
            doc.warnings.append(
                f"more than {MAX_MENTIONS} lesion mentions: the rest of the report was not read for lesions"
            )
            break
        new_mentions = sentence_mentions(
            doc, sent, sent_anchors, retractions, any_confirmed, group_before=cyst_group == sent.kind
        )
        if new_mentions:
            for m in new_mentions:
                mentions.append(m)
                any_confirmed = any_confirmed or not m.provisional
                if not m.provisional and m.count >= 2:
                    cyst_group = sent.kind
            current = new_mentions[-1]
            # "There is a 1.0 cm cyst in the head. There is a 1.3 cm cyst in the tail. Both are unchanged from the
            # prior, when they measured 1.0 and 1.2 cm respectively.": consecutive cyst sentences list together
            listed = listed + new_mentions if run_end == sent_index - 1 else new_mentions
            run_end = sent_index
            carry = "pancreas"
            continue
        if sent_anchors:
            denial = group_denial(doc, sent, current or (mentions[-1] if mentions else None))
            if denial is not None:
                mentions.append(denial)  # "neither cyst has a nodule": about every lesion described
                carry = "pancreas"
                continue
            if not all(part_of_a_lesion(doc.t, am, sent.start) for am in sent_anchors):
                # only cysts of other organs or negated ones: a new topic
                current = None if organ != "pancreas" else current
                carry = organ
                continue
            # only parts of a lesion ("Honeycomb structure with cystic areas"): read on as a continuation
        if organ not in (None, "pancreas"):
            current = None
            carry = organ
            continue
        if len(listed) >= 2 and priors_in_order(doc, sent, listed):
            carry = "pancreas"  # "On the previous MRI they measured 5 and 10 mm.": the listed cysts' priors
            continue
        if cyst_group == sent.kind:
            item = list_item_mention(doc, sent)
            if item is not None:
                mentions.append(item)  # after a group of cysts, each listed place with a size is one of them
                current = item
                carry = "pancreas"
                continue
        if current is not None and (item := elliptical_mention(doc, sent)) is not None:
            mentions.append(item)  # "A 10 mm cyst in the neck. A second, 6 mm, in the tail."
            current = item
            carry = "pancreas"
            continue
        if current is None:  # nothing to continue (and a solid topic would change nothing)
            carry = organ
            continue
        if (
            P.SOLID_TOPIC_RE.match(doc.t, sent.start, sent.end) or solid_veto(doc.t, sent.start, sent.end)
        ) and not _about_the_current_lesion(doc, sent, current):
            # "A 9 mm avidly enhancing solid nodule in the body, likely a neuroendocrine tumor.": a new,
            # solid lesion - its enhancement is not the cyst's mural nodule
            current = None
            carry = organ
            continue
        if organ == "pancreas" or carry == "pancreas" or sent.heading == "pancreas":
            cont = continuation_mention(doc, sent, current)
            if cont is not None and not A.is_advice(doc, sent):  # (advice describes no lesion)
                mentions.append(cont)
                if _placed_by_its_field(doc, sent, current, cont):
                    # "Cyst 1" then "Location: pancreatic head": a pancreatic cyst
                    current.organ_unknown = False
        carry = organ
    lesions = [les for les in merge_mentions(doc, mentions) if les.confirmed]
    if len(lesions) > 1:
        # "Pancreatic cysts:" heading a list of numbered cysts is not one more cyst
        lesions = [les for les in lesions if not only_a_heading(doc, les)] or lesions
    lesions = fold_exam_series(doc, lesions)
    if retractions and lesions:
        lesions = _after_retraction(doc, lesions, retractions)
    if stated and lesions:
        _give_stated_prior(lesions, stated[-1])
    ext = assemble(doc, lesions)
    return ext


def _placed_by_its_field(
    doc: Doc, sent: Sentence, current: Mention | None, cont: Mention
) -> TypeGuard[Mention]:
    """A template's cyst of no stated organ ("Cyst 1") whose next field places it in the pancreas ("Location:
    pancreatic head"): a pancreatic cyst, not one kept only if a lesion found later matches it."""
    return (
        current is not None
        and current.organ_unknown
        and cont.location is not None
        and P.LOCATION_FIELD_RE.match(doc.t, sent.start, sent.end) is not None
    )


def _about_the_current_lesion(doc: Doc, sent: Sentence, current: Mention) -> bool:
    """The sentence's subject is the lesion just described, by "it" or by its own noun ("a cystic mass ..." then
    "The mass has areas of cystic degeneration but has solid nodules."): its solid parts are that lesion's."""
    sm = P.SAME_LESION_SUBJECT_RE.match(doc.t, sent.start, sent.end)
    if sm is None:
        return False
    noun = sm.group(1)
    return noun is None or noun[:4] in doc.t[current.anchor[0] : current.anchor[1]]


def _give_stated_prior(lesions: list[LesionAcc], stated: Mention) -> None:
    """The earlier size the history gives a cyst is the prior of the one lesion it can be (in its place, with no
    prior of its own): "Indication: 5 mm cyst on outside CT 2 years ago." then "a 1.1 cm cyst in the body"."""
    loc = stated.location.value if stated.location else None
    fits = [les for les in lesions if loc is None or les.location is None or les.location.value == loc]
    if len(fits) != 1:
        return
    les = fits[0]
    if les.prior is not None:
        if stated.size is not None and les.prior.value == stated.size.value and les.prior_date is None:
            # "previously 1.0 cm" in the impression, "on CT 2 years ago measuring 1.0 cm" in the history: its time
            les.prior_interval = les.prior_interval or stated.prior_interval
            les.prior_date = stated.prior_date
        return
    les.prior = stated.size
    les.prior_date = stated.prior_date
    les.prior_interval = stated.prior_interval


def _after_retraction(
    doc: Doc, lesions: list[LesionAcc], retractions: list[tuple[int, int]]
) -> list[LesionAcc]:
    """SPEC §2, the exam as finally reported. "No pancreatic cyst." retracts every lesion; "It is not a
    pancreatic lesion." after "the structure described as a 1.4 cm tail cyst is a loop of jejunum"
    retracts the lesion it refers to, the one named last before it, and keeps the others."""
    dropped: set[int] = set()
    for a, _ in retractions:
        referent = _referent(doc, lesions, a)
        if referent is not None:
            dropped.add(id(referent))
            continue
        # "No discrete cyst." beside "main duct IPMN: diffuse dilation of the duct": a duct lesion is no cyst
        cyst_word = _denied_group(doc, a) in ("cyst", "lesion")
        dropped.update(id(les) for les in lesions if not (cyst_word and is_md(les)))
    return [les for les in lesions if id(les) not in dropped]


def _denied_group(doc: Doc, a: int) -> str:
    """The ANCHOR_RE group of the lesion word a retraction denies (it starts at ``a``)."""
    i = bisect_left(doc.anchor_starts, a)
    return anchor_group(doc.anchors[i]) if i < len(doc.anchors) and doc.anchor_starts[i] == a else ""


def _referent(doc: Doc, lesions: list[LesionAcc], a: int) -> LesionAcc | None:
    """The lesion a retraction's pronoun subject ("It / This is not a pancreatic lesion") refers to: the
    lesion named last before its sentence. None for a retraction that names no referent."""
    start = next(s.start for s in doc.sentences if s.start <= a < s.end)
    if not P.REFERENTIAL_RETRACTION_RE.fullmatch(doc.t, start, a):
        return None
    named = [(m.anchor[0], les) for les in lesions for m in les.mentions if m.anchor[0] < start]
    return max(named, key=lambda item: item[0])[1] if named else None


__all__ = ["RulesExtractor"]


def _debug(text: str) -> dict[str, Any]:  # pragma: no cover - developer aid
    ext = RulesExtractor().extract(ReportInput(report_id="debug", text=text))
    return ext.model_dump(mode="json")
