"""CheckList-style behavioural cases for the rules backend (Ribeiro et al., ACL 2020).

Every case is a minimal but realistic report built from a grid of axes:

* feature       pcl_present, mural_nodule, wall_thickening, septations, mpd_communication,
                mpd_dilated, size_mm, location, multiplicity (and the MPD diameter)
* form          how the feature is asserted: affirmed, negated (``NEGATION_FORMS``), hedged,
                "cannot be excluded", a field line ("X: none")
* subject       "the cyst", "the cysts", "none of the cysts", "both cysts", "It", "Cyst wall:" ...
* section       FINDINGS, IMPRESSION, ADDENDUM
* distractor    none, another organ's cyst in the same sentence, a guideline sentence

Expected labels come from SPEC.md §2 (features and reading conventions) and §4 (risk category)
only. Each case asserts just the features it is about. Three kinds of test (CheckList terms):

* ``mft``  minimum functionality: the output equals the expected labels;
* ``inv``  invariance: a label-preserving perturbation leaves the 11 SPEC features, ``pcl_present``
           and the risk category unchanged;
* ``dir``  directional: adding a worrisome feature to a category-1 report never lowers the
           category (``dir/never lowers``) and reaches the SPEC category (``dir/reaches SPEC category``).

The generator is deterministic (no network; every random choice comes from a ``random.Random``
seeded from ``SEED`` and the case id). ``evaluate`` runs the cases through the public pipeline.
"""

from __future__ import annotations

import random
import re
import textwrap
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, get_args

from pancyst.schema import FEATURE_KEYS

SEED = 2020

# The keys compared by invariance tests: pcl_present, the 11 SPEC features (schema.FEATURE_KEYS), the risk category.
COMPARED_KEYS: tuple[str, ...] = ("pcl_present", *FEATURE_KEYS, "risk_category")
NUMERIC_KEYS = frozenset({"size_mm", "mpd_diameter_mm", "prior_size_mm", "interval_months"})
TOLERANCE_MM = 0.05


# --------------------------------------------------------------------------------------------
# Cases and reports
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """A report as parts, so perturbations can reorder sections; ``render`` gives the text."""

    header: tuple[tuple[str, str], ...]
    findings: tuple[tuple[str, str], ...]  # (organ label, paragraph); a paragraph may hold "\n"
    impression: tuple[str, ...]
    addendum: str = ""

    def render(self) -> str:
        out = [f"{label}: {text}" for label, text in self.header]
        out += ["", "FINDINGS:"]
        for label, para in self.findings:
            out.append(f"{label}:\n{para[1:]}" if para.startswith("\n") else f"{label}: {para}")
        out += ["", "IMPRESSION:"]
        out += [f"{n}. {line}" for n, line in enumerate(self.impression, 1)]
        if self.addendum:
            out += ["", "ADDENDUM:", self.addendum]
        return "\n".join(out) + "\n"


@dataclass
class Case:
    id: str
    capability: str
    kind: str  # "mft", "inv" or "dir"
    text: str
    expected: dict[str, Any] = field(default_factory=dict)  # mft: key -> value; dir: risk_category
    tags: dict[str, str] = field(default_factory=dict)
    perturbed: str | None = None  # inv / dir: the perturbed text
    jaundice: bool | None = None
    report: Report | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "capability": self.capability,
            "kind": self.kind,
            "text": self.text,
            "expected": self.expected,
            "tags": self.tags,
        }
        if self.perturbed is not None:
            out["perturbed"] = self.perturbed
        if self.jaundice is not None:
            out["jaundice"] = self.jaundice
        return out


def _rng(*key: object) -> random.Random:
    return random.Random(zlib.crc32(f"{SEED}|{'|'.join(map(str, key))}".encode()))


# --------------------------------------------------------------------------------------------
# Surrounding text
# --------------------------------------------------------------------------------------------

EXAMS = (
    "MRI abdomen with and without contrast (MRCP protocol).",
    "CT abdomen and pelvis with intravenous contrast.",
    "MRCP.",
    "CT pancreas protocol, multiphasic.",
    "MRI pancreas with and without gadolinium.",
)
TECHNIQUES = (
    "Multiplanar T1- and T2-weighted images before and after intravenous gadolinium.",
    "Axial images from the lung bases to the symphysis after intravenous contrast.",
    "Thin-section pancreatic and portal venous phase images.",
    "Heavily T2-weighted MRCP sequences with 3D reconstructions.",
)
HISTORIES = (
    "Abdominal pain.",
    "Weight loss.",
    "Elevated liver enzymes.",
    "Epigastric pain, rule out pancreatitis.",
    "Incidental finding on ultrasound.",
)
COMPARISONS = ("None.", "None available.", "CT 03/02/2022.", "No prior imaging.")
# Organ lines carry words with British variants (tumor, caliber, hyperintense, edema, hemorrhage)
# so the spelling invariance has something to change.
LIVER = (
    "Normal in size and contour. No focal hepatic tumor.",
    "Mild hepatic steatosis. No focal lesion. Hepatic veins of normal caliber.",
    "Normal. No T2 hyperintense or arterially enhancing lesion.",
    "No focal lesion. No biliary ductal dilatation.",
)
KIDNEYS = (
    "No hydronephrosis or solid renal tumor.",
    "Normal enhancement and excretion. No hydronephrosis.",
    "No T1 hypointense or T2 hyperintense renal lesion. No hydronephrosis.",
    "Unremarkable.",
)
SPLEEN = (
    "Normal in size.",
    "Unremarkable. No hemorrhage.",
    "Normal size, no focal lesion.",
)
GALLBLADDER = (
    "Unremarkable.",
    "Normal. No pericholecystic edema.",
    "Surgically absent.",
)
IMPRESSION_TAIL = (
    "No other acute abdominal abnormality.",
    "Otherwise unremarkable examination.",
    "Hepatic steatosis.",
    "No acute findings in the abdomen.",
)

SEGMENT_PHRASES: dict[str, tuple[str, ...]] = {
    "head": ("pancreatic head", "head of the pancreas"),
    "uncinate": ("uncinate process", "uncinate process of the pancreas"),
    "neck": ("pancreatic neck", "neck of the pancreas"),
    "body": ("pancreatic body", "body of the pancreas"),
    "tail": ("pancreatic tail", "tail of the pancreas"),
}
SEGMENT_ADJ = {"head": "head", "uncinate": "uncinate", "neck": "neck", "body": "body", "tail": "tail"}


def fmt_num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def fmt_size(mm: float, unit: str = "mm") -> str:
    return f"{fmt_num(mm)} mm" if unit == "mm" else f"{fmt_num(mm / 10)} cm"


def join_statements(base: str, stmts: Sequence[str]) -> str:
    """Join sentences: "+ ..." attaches to the previous sentence, "|..." starts a new line."""
    out = base
    for stmt in stmts:
        if not stmt:
            continue
        if stmt.startswith("+"):
            out = out.rstrip().rstrip(".") + stmt[1:] + "."
        elif stmt.startswith("|"):
            out = out + "\n" + stmt[1:]
        else:
            out = (out + " " + stmt) if out else stmt
    return out


def cap1(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Lesion:
    size_mm: float = 12.0
    location: str = "body"
    unit: str = "mm"
    desc: str = ""  # e.g. "unilocular "
    layout: str = "single"  # "single", "two", "multiple"


def lesion_sentence(les: Lesion, rng: random.Random) -> str:
    size = fmt_size(les.size_mm, les.unit)
    seg = rng.choice(SEGMENT_PHRASES[les.location])
    if les.layout == "two":
        other = "tail" if les.location != "tail" else "head"
        small = fmt_size(6.0, les.unit)
        return rng.choice(
            (
                f"There are two cystic lesions in the pancreas: a {size} lesion in the {seg} "
                f"and a {small} lesion in the {SEGMENT_PHRASES[other][0]}.",
                f"Two pancreatic cysts are present, measuring {size} in the {seg} and {small} "
                f"in the {SEGMENT_PHRASES[other][0]}.",
            )
        )
    if les.layout == "multiple":
        return rng.choice(
            (
                f"There are multiple cystic lesions in the pancreas, the largest measuring {size} in the {seg}.",
                f"Several pancreatic cysts are present, the largest {size} in the {seg}.",
            )
        )
    desc = les.desc
    return rng.choice(
        (
            f"There is a {size} {desc}cystic lesion in the {seg}.",
            f"A {size} {desc}cyst is seen in the {seg}.",
            f"There is a {size} {desc}T2-hyperintense cystic focus in the {seg}.",
            f"{cap1(size)} {desc}cystic lesion in the {seg}.",
        )
    )


def impression_line(les: Lesion, rng: random.Random) -> str:
    size = fmt_size(les.size_mm, les.unit)
    seg = SEGMENT_PHRASES[les.location][0]
    if les.layout != "single":
        return f"Multiple pancreatic cystic lesions, the largest {size} in the {seg}."
    return rng.choice((f"{cap1(size)} cystic lesion in the {seg}.", f"{cap1(size)} {seg} cyst."))


def build_report(
    rng: random.Random,
    pancreas: str,
    impression: Sequence[str],
    addendum: str = "",
    history: str | None = None,
    extra_organs: Sequence[tuple[str, str]] = (),
) -> Report:
    header = (
        ("EXAM", rng.choice(EXAMS)),
        ("CLINICAL HISTORY", history if history is not None else rng.choice(HISTORIES)),
        ("TECHNIQUE", rng.choice(TECHNIQUES)),
        ("COMPARISON", rng.choice(COMPARISONS)),
    )
    organs = [
        ("LIVER", rng.choice(LIVER)),
        ("GALLBLADDER", rng.choice(GALLBLADDER)),
        ("SPLEEN", rng.choice(SPLEEN)),
        ("PANCREAS", pancreas),
        ("KIDNEYS", rng.choice(KIDNEYS)),
    ]
    organs = [o for o in organs if rng.random() > 0.25 or o[0] == "PANCREAS"]
    organs.extend(extra_organs)
    imp = [*impression]
    if rng.random() < 0.6:
        imp.append(rng.choice(IMPRESSION_TAIL))
    return Report(header=header, findings=tuple(organs), impression=tuple(imp), addendum=addendum)


def lesion_report(
    rng: random.Random,
    les: Lesion,
    findings_stmts: Sequence[str] = (),
    impression_stmts: Sequence[str] = (),
    addendum_stmts: Sequence[str] = (),
    impression_extra: Sequence[str] = (),
    template: bool = False,
    extra_organs: Sequence[tuple[str, str]] = (),
    history: str | None = None,
) -> Report:
    """A report with one base lesion (or a group of lesions) and statements placed by section."""
    if template:
        seg = SEGMENT_PHRASES[les.location][0]
        base = f"\nLesion: {fmt_size(les.size_mm, les.unit)} cystic lesion, {seg}."
        pancreas = join_statements(base, ["|" + s.lstrip("|") for s in findings_stmts])
    else:
        pancreas = join_statements(lesion_sentence(les, rng), findings_stmts)
    imp = join_statements(impression_line(les, rng), impression_stmts)
    addendum = ""
    if addendum_stmts:
        seg = SEGMENT_PHRASES[les.location][0]
        addendum = join_statements(
            f"On re-review of the subtraction images, the {seg} lesion is again seen.", addendum_stmts
        )
    return build_report(
        rng, pancreas, [imp, *impression_extra], addendum, history=history, extra_organs=extra_organs
    )


# --------------------------------------------------------------------------------------------
# Features: noun phrases, affirmed / negated phrasings, values
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NP:
    text: str
    plural: bool = False
    art: str = ""  # indefinite article when the noun is countable and singular
    value: Any = None  # the value when affirmed (mural nodule: enhancing / present_unspecified ...)

    def bare(self) -> str:
        return self.text

    def a(self) -> str:
        return f"{self.art} {self.text}" if self.art else self.text

    def be(self) -> str:
        return "are" if self.plural else "is"


@dataclass(frozen=True)
class Feature:
    key: str
    pos: Any  # value when affirmed (default)
    neg: Any  # value when negated
    unstated: Any  # value when not stated / cannot be excluded
    nouns: tuple[NP, ...]
    subject: str  # default subject of "S does not show X"
    lesion_level: bool  # a property of the cyst (subject axis applies)


FEATURES: dict[str, Feature] = {
    "mural_nodule": Feature(
        "mural_nodule",
        "present_unspecified",
        "absent",
        "not_stated",
        (
            NP("mural nodule", art="a", value="present_unspecified"),
            NP("enhancing mural nodule", art="an", value="enhancing"),
            NP("solid component", art="a", value="present_unspecified"),
            NP("enhancing nodule", art="an", value="enhancing"),
            NP("nodularity", value="present_unspecified"),
            NP("enhancing solid component", art="an", value="enhancing"),
        ),
        "The cyst",
        True,
    ),
    "wall_thickening": Feature(
        "wall_thickening",
        "present",
        "absent",
        "not_stated",
        (
            NP("wall thickening", value="present"),
            NP("thickening of the cyst wall", value="present"),
            NP("cyst wall thickening", value="present"),
            NP("thickened wall", art="a", value="present"),
        ),
        "The cyst",
        True,
    ),
    "septations": Feature(
        "septations",
        "present",
        "absent",
        "not_stated",
        (
            NP("septations", plural=True, value="present"),
            NP("internal septations", plural=True, value="present"),
            NP("septa", plural=True, value="present"),
            NP("internal septation", value="present"),
        ),
        "The cyst",
        True,
    ),
    "mpd_communication": Feature(
        "mpd_communication",
        "present",
        "absent",
        "not_stated",
        (
            NP("communication with the main pancreatic duct", value="present"),
            NP("main duct communication", value="present"),
            NP("communication with the main duct", value="present"),
            NP("connection to the main pancreatic duct", art="a", value="present"),
        ),
        "The cyst",
        True,
    ),
    "mpd_dilated": Feature(
        "mpd_dilated",
        "yes",
        "no",
        "not_stated",
        (
            NP("main pancreatic duct dilatation", value="yes"),
            NP("dilatation of the main pancreatic duct", value="yes"),
            NP("main duct dilation", value="yes"),
            NP("MPD dilatation", value="yes"),
            NP("dilation of the main pancreatic duct", value="yes"),
        ),
        "The pancreas",
        False,
    ),
    "pcl_present": Feature(
        "pcl_present",
        True,
        False,
        False,
        (
            NP("pancreatic cyst", art="a", value=True),
            NP("cystic lesion", art="a", value=True),
            NP("pancreatic cystic lesion", art="a", value=True),
            NP("cystic pancreatic lesion", art="a", value=True),
            NP("cystic pancreatic neoplasm", art="a", value=True),
        ),
        "The pancreas",
        False,
    ),
}
LESION_FEATURES = ("mural_nodule", "wall_thickening", "septations", "mpd_communication")
# Coordination partners (A, C in "no A or X"): other findings one would list with X.
_CALC, _NOD, _SOLID = NP("calcification"), NP("mural nodule", art="a"), NP("solid component", art="a")
_WALL, _SEPT, _MPD = NP("wall thickening"), NP("septations", plural=True), NP("main duct dilatation")
_COMM = NP("communication with the main duct")
PARTNERS: dict[str, tuple[NP, ...]] = {
    "mural_nodule": (_CALC, _WALL, _SEPT, _MPD, _COMM),
    "wall_thickening": (_CALC, _NOD, _SOLID, _SEPT, _MPD),
    "septations": (_CALC, _NOD, _SOLID, _WALL, _MPD),
    "mpd_communication": (_CALC, _NOD, _SOLID, _WALL, _SEPT),
    "mpd_dilated": (_CALC, _NOD, _SOLID, NP("peripancreatic stranding"), NP("pancreatic atrophy")),
    "pcl_present": (
        NP("solid mass", art="a"),
        NP("pancreatic calcification"),
        NP("peripancreatic fluid collection", art="a"),
        NP("pancreatic ductal dilatation"),
        NP("pancreatic atrophy"),
    ),
}


def partners(feature: str) -> list[NP]:
    return list(PARTNERS[feature])


# A form maps a name to (capability, statement templates). Template fields: {X} the noun, {aX} with its
# article, {Xc} / {cap_aX} capitalised, {be} is/are, {A} {aA} {C} {aC} coordination partners, {S} the
# subject, {Lbl} a field-line label, {art_h} the article before a hedge word. A statement that starts with
# "+" attaches to the lesion sentence; one that starts with "|" is a line of its own.
NEGATION_FORMS: dict[str, tuple[str, tuple[str, ...]]] = {
    # simple
    "no X": ("negation/simple", ("No {X}.", "No {X} {be} present.")),
    "without X": ("negation/simple", ("+ without {X}", "+, without {X}")),
    "with no X": ("negation/simple", ("+ with no {X}",)),
    "X is not seen": ("negation/simple", ("{Xc} {be} not seen.",)),
    "X is not identified": ("negation/simple", ("{Xc} {be} not identified.",)),
    "X is not demonstrated": ("negation/simple", ("{Xc} {be} not demonstrated.",)),
    "X is absent": ("negation/simple", ("{Xc} {be} absent.",)),
    # telegraphic dictation, and a denial attached to the lesion sentence after it
    "X absent": ("negation/simple", ("{Xc} absent.",)),
    "X not seen": ("negation/simple", ("{Xc} not seen.",)),
    "no X identified": ("negation/simple", ("No {X} identified.",)),
    ", X absent": ("negation/simple", ("+, {X} absent",)),
    ", X is not seen": ("negation/simple", ("+, {X} {be} not seen",)),
    "no X noted": ("negation/simple", ("No {X} noted.", "No {X} {be} noted.")),
    "X was not seen": ("negation/simple", ("{Xc} {was} not seen.",)),
    "no definite X": ("negation/simple", ("No definite {X}.", "No convincing {X}.")),
    "no appreciable X": ("negation/simple", ("No appreciable {X}.", "No significant {X}.")),
    "without evidence of X": ("negation/simple", ("+ without evidence of {X}",)),
    "X not appreciated": ("negation/simple", ("{Xc} not appreciated.", "{Xc} not demonstrated.")),
    "negative for X": ("negation/simple", ("Negative for {X}.", "{S} is negative for {X}.")),
    "absence of X": ("negation/simple", ("Absence of {X} is noted.", "There is absence of {X}.")),
    "free of X": ("negation/simple", ("{S} is free of {X}.",)),
    "no evidence of X": ("negation/simple", ("There is no evidence of {X}.", "No evidence of {X}.")),
    "does not show X": ("negation/simple", ("{S} does not show {aX}.",)),
    "there is no X": ("negation/simple", ("There {be} no {X}.",)),
    "lacks X": ("negation/simple", ("{S} lacks {aX}.",)),
    # coordination
    "nor X": (
        "negation/coordination",
        ("There {beA} no {A}, nor {X}.", "No {A} is seen, nor {be} there {aX}."),
    ),
    "no A or X": ("negation/coordination", ("No {A} or {X}.", "There {beA} no {A} or {X}.")),
    "no A, C, or X": ("negation/coordination", ("No {A}, {C}, or {X}.",)),
    "without A and without X": ("negation/coordination", ("+ without {A} and without {X}",)),
    "neither A nor X": (
        "negation/coordination",
        ("There {beA} neither {aA} nor {aX}.", "Neither {A} nor {X} {be} seen."),
    ),
    "does not demonstrate X, A or C": (
        "negation/coordination",
        ("{S} does not demonstrate {aX}, {A} or {C}.",),
    ),
    "does not demonstrate A, X or C": (
        "negation/coordination",
        ("{S} does not demonstrate {aA}, {X} or {C}.",),
    ),
    "does not demonstrate A, C or X": (
        "negation/coordination",
        ("{S} does not demonstrate {aA}, {C} or {X}.",),
    ),
    # field lines
    "X: none": ("field line", ("|{Lbl}: none.",)),
    "X: absent": ("field line", ("|{Lbl}: absent.",)),
    "X: no": ("field line", ("|{Lbl}: no.",)),
    "X (absent)": ("field line", ("|{Lbl} (absent).",)),
    "X: not seen": ("field line", ("|{Lbl}: not seen.", "|{Lbl}: not identified.")),
    "X - none": ("field line", ("|{Lbl} - none.", "|{Lbl} -- absent.")),
    "X: negative": ("field line", ("|{Lbl}: negative.",)),
}
AFFIRM_FORMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "there is X": ("affirmation/basic", ("There {be} {aX}.",)),
    "with X": ("affirmation/basic", ("+ with {aX}",)),
    "S shows X": ("affirmation/basic", ("{S} shows {aX}.", "{S} demonstrates {aX}.")),
    "X is seen": ("affirmation/basic", ("{cap_aX} {be} seen.",)),
    "X: present": ("field line", ("|{Lbl}: present.",)),
    "X: yes": ("field line", ("|{Lbl}: yes.",)),
    "X is present": ("affirmation/basic", ("{Xc} {be} present.", "{Xc} {be} noted.")),
    "X: seen": ("field line", ("|{Lbl}: seen.", "|{Lbl}: identified.")),
}
HEDGES = ("possible", "probable", "likely", "questionable", "suspected")
HEDGE_FORMS: dict[str, tuple[str, tuple[str, ...]]] = {
    **{
        f"{h} X": ("hedge/present", (f"There {{be}} {{art_h}}{h} {{X}}.", f"+ with {{art_h}}{h} {{X}}"))
        for h in HEDGES
    },
    "? X": ("hedge/present", ("? {X}.",)),
}
UNSTATED_FORMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "X cannot be excluded": ("hedge/cannot exclude", ("{cap_aX} cannot be excluded.",)),
    "X cannot be confirmed": ("hedge/cannot exclude", ("{cap_aX} cannot be confirmed.",)),
    "X cannot be ruled out": ("hedge/cannot exclude", ("{cap_aX} cannot be ruled out.",)),
    "indeterminate for X": ("hedge/cannot exclude", ("{S} is indeterminate for {X}.",)),
}

# Idiomatic negations from the SPEC reading conventions, per feature: (form, statement).
IDIOMS: dict[str, tuple[tuple[str, str], ...]] = {
    "wall_thickening": (
        ("thin-walled", "{S} is thin-walled."),
        ("imperceptible wall", "+ with an imperceptible wall"),
        ("thin non-enhancing wall", "+ with a thin non-enhancing wall"),
        # a denied predicate of the wall
        ("wall is not thickened", "The wall is not thickened."),
        ("wall not thickened", "Wall not thickened."),
        ("wall shows no enhancement", "The cyst wall shows no enhancement."),
        ("walls neither thickened nor enhancing", "Its walls are neither thickened nor enhancing."),
    ),
    "septations": (
        ("unilocular", "{S} is unilocular."),
        ("no septation (singular)", "No septation is seen."),
        ("not septated", "{S} is not septated."),
        ("does not contain septations", "{S} does not contain septations."),
    ),
    "mural_nodule": (
        ("no nodularity", "+ without nodularity"),
        ("no solid component", "No solid component."),
        ("has no mural nodule", "{S} has no mural nodule."),
        ("nodularity is not present", "Nodularity is not present."),
    ),
    "mpd_communication": (
        ("does not communicate", "{S} does not communicate with the main pancreatic duct."),
        ("no communication seen", "No communication with the main duct is seen."),
    ),
    "mpd_dilated": (
        ("not dilated", "The main pancreatic duct is not dilated."),
        ("normal caliber", "The main pancreatic duct is of normal caliber."),
        ("normal in caliber", "The main pancreatic duct is normal in caliber."),
        ("nondilated", "The main pancreatic duct is nondilated."),
    ),
}
# Idiomatic affirmations (verb / adjective phrasings), per feature: (form, statement, value).
AFFIRM_IDIOMS: dict[str, tuple[tuple[str, str, Any], ...]] = {
    "mural_nodule": (
        ("with sized enhancing nodule", "+ with a 4 mm enhancing mural nodule", "enhancing"),
        ("non-enhancing nodule", "{S} contains a non-enhancing mural nodule.", "nonenhancing"),
        (
            "nodule, enhancement unassessable",
            "+ with a 5 mm mural nodule; enhancement cannot be assessed",
            "present_unspecified",
        ),
        (
            "enhancing solid component along wall",
            "There is an enhancing solid component along the posterior wall.",
            "enhancing",
        ),
    ),
    "wall_thickening": (
        ("wall is thickened", "The cyst wall is thickened.", "present"),
        ("thick-walled", "{S} is thick-walled.", "present"),
        ("thickened enhancing wall", "+ with a thickened, enhancing wall", "present"),
    ),
    "septations": (
        ("septated", "{S} is septated.", "present"),
        ("multiloculated", "{S} is multiloculated.", "present"),
        ("thin septations", "{S} contains thin internal septations.", "present"),
    ),
    "mpd_communication": (
        ("communicates with", "{S} communicates with the main pancreatic duct.", "present"),
        ("communicating with", "+, communicating with the main pancreatic duct", "present"),
        ("side-branch IPMN", "Findings are consistent with a side-branch IPMN.", "present"),
        ("likely side-branch IPMN", "+, likely a side-branch IPMN", "present"),
    ),
    "mpd_dilated": (
        ("duct is dilated", "The main pancreatic duct is dilated.", "yes"),
        ("mildly dilated", "The main pancreatic duct is mildly dilated.", "yes"),
        ("dilated MPD", "There is a dilated main pancreatic duct.", "yes"),
    ),
}


def render_form(template: str, x: NP, a: NP, c: NP, subject: str, label: str) -> str:
    return template.format(
        X=x.bare(),
        aX=x.a(),
        cap_aX=cap1(x.a()),
        Xc=cap1(x.bare()),
        be=x.be(),
        was="were" if x.plural else "was",
        beA=a.be(),
        A=a.bare(),
        aA=a.a(),
        C=c.bare(),
        aC=c.a(),
        S=subject,
        Lbl=label,
        art_h="a "
        if x.art
        else "",  # the article agrees with the hedge word; fix_articles mends "a enhancing"
    )


def fix_articles(text: str) -> str:
    """'a enhancing' -> 'an enhancing', 'a 8 mm' -> 'an 8 mm', 'an possible' -> 'a possible'."""
    text = re.sub(r"\b([Aa]) (?=[aeioAEIO]|un(?!i)|8|11\b|11\.|18\b|18\.)", lambda m: m.group(1) + "n ", text)
    return re.sub(r"\b([Aa])n (?=[b-df-hj-np-tv-z])", lambda m: m.group(1) + " ", text)


# --------------------------------------------------------------------------------------------
# Grid generators
# --------------------------------------------------------------------------------------------


def _lesion_for(feature: str, rng: random.Random, layout: str = "single") -> Lesion:
    loc = rng.choice(("head", "uncinate", "neck", "body", "tail"))
    size = float(rng.choice((8, 10, 12, 14, 16, 18, 22)))
    desc = "" if feature in ("septations", "wall_thickening") else rng.choice(("", "", "unilocular "))
    return Lesion(size_mm=size, location=loc, desc=desc, unit=rng.choice(("mm", "mm", "cm")), layout=layout)


PCL_NEG_BASE = (
    "Normal in size and enhancement.",
    "Normal pancreatic parenchyma.",
    "Normal size and contour.",
)


def pcl_report(rng: random.Random, stmts: Sequence[str], impression: str, template: bool = False) -> Report:
    base = ("\n" if template else "") + rng.choice(PCL_NEG_BASE)
    if template:
        pancreas = join_statements(base, ["|" + s.lstrip("|") for s in stmts])
    else:
        pancreas = join_statements(base, stmts)
    return build_report(rng, pancreas, [impression])


def _place(
    feature: str,
    stmt: str,
    rng: random.Random,
    section: str = "FINDINGS",
    layout: str = "single",
    impression_extra: Sequence[str] = (),
    extra_stmts_before: Sequence[str] = (),
) -> Report:
    """Put a feature statement into a report, in the given section."""
    if feature == "pcl_present":
        imp = rng.choice(("No acute abdominal abnormality.", "Unremarkable pancreas.", "No acute findings."))
        if section == "IMPRESSION":
            return pcl_report(rng, [], stmt, template=False)
        template = stmt.startswith("|")
        return pcl_report(rng, [*extra_stmts_before, stmt], imp, template=template)
    les = _lesion_for(feature, rng, layout)
    template = stmt.startswith("|")
    if section == "FINDINGS":
        return lesion_report(
            rng, les, [*extra_stmts_before, stmt], template=template, impression_extra=impression_extra
        )
    if section == "IMPRESSION":
        return lesion_report(
            rng, les, extra_stmts_before, impression_stmts=[stmt], impression_extra=impression_extra
        )
    return lesion_report(
        rng, les, extra_stmts_before, addendum_stmts=[stmt], impression_extra=impression_extra
    )


def _mft(
    cid: str,
    capability: str,
    report: Report,
    expected: dict[str, Any],
    jaundice: bool | None = None,
    **tags: str,
) -> Case:
    return Case(
        id=cid,
        capability=capability,
        kind="mft",
        text=fix_articles(report.render()),
        expected=expected,
        tags=tags,
        jaundice=jaundice,
        report=report,
    )


def _subject_default(feature: str, rng: random.Random) -> str:
    f = FEATURES[feature]
    if f.lesion_level:
        return rng.choice(("The cyst", "The lesion", "The cystic lesion"))
    return f.subject


def _expand(
    feature: str,
    form: str,
    spec: tuple[str, tuple[str, ...]],
    value_of: Callable[[NP], Any],
    nouns: Sequence[NP],
    section: str = "FINDINGS",
    distractor: str = "none",
    capability: str | None = None,
    impression_extra: Callable[[random.Random], Sequence[str]] | None = None,
) -> Iterable[Case]:
    cap, templates = spec
    for n_noun, x in enumerate(nouns):
        for n_t, template in enumerate(templates):
            if template.startswith("|") and section != "FINDINGS":
                continue
            cid = f"{feature}/{form}/{section}/{distractor}/{n_noun}.{n_t}"
            rng = _rng(cid)
            a, c = rng.sample(partners(feature), 2)
            stmt = render_form(template, x, a, c, _subject_default(feature, rng), cap1(x.bare()))
            extra = impression_extra(rng) if impression_extra else ()
            report = _place(feature, stmt, rng, section, impression_extra=extra)
            yield _mft(
                cid,
                capability or cap,
                report,
                {feature: value_of(x)},
                feature=feature,
                form=form,
                subject="default",
                section=section,
                distractor=distractor,
                noun=x.text,
            )


def _const(value: Any) -> Callable[[NP], Any]:
    return lambda _x: value


def core_grid() -> list[Case]:
    """feature x assertion form, FINDINGS, default subject, no distractor."""
    out: list[Case] = []
    for feature, f in FEATURES.items():
        nouns = f.nouns
        for form, spec in NEGATION_FORMS.items():
            out += _expand(feature, form, spec, _const(f.neg), nouns[:3])
        for form, spec in AFFIRM_FORMS.items():
            if feature == "pcl_present" and form in ("with X",):
                continue
            out += _expand(feature, form, spec, lambda x: x.value, nouns[:3])
        for form, spec in HEDGE_FORMS.items():
            out += _expand(feature, form, spec, lambda x: x.value, nouns[:2])
        for form, spec in UNSTATED_FORMS.items():
            if form == "indeterminate for X" and not f.lesion_level:
                continue
            out += _expand(feature, form, spec, _const(f.unstated), nouns[:2])
        for form, stmt in IDIOMS.get(feature, ()):
            cid = f"{feature}/idiom {form}/FINDINGS/none/0.0"
            rng = _rng(cid)
            report = _place(feature, stmt.format(S=_subject_default(feature, rng)), rng)
            out.append(
                _mft(
                    cid,
                    "negation/idiomatic",
                    report,
                    {feature: f.neg},
                    feature=feature,
                    form=form,
                    subject="default",
                    section="FINDINGS",
                    distractor="none",
                )
            )
        for form, stmt, value in AFFIRM_IDIOMS.get(feature, ()):
            cid = f"{feature}/affirm {form}/FINDINGS/none/0.0"
            rng = _rng(cid)
            report = _place(feature, stmt.format(S=_subject_default(feature, rng)), rng)
            out.append(
                _mft(
                    cid,
                    "affirmation/idiomatic",
                    report,
                    {feature: value},
                    feature=feature,
                    form=form,
                    subject="default",
                    section="FINDINGS",
                    distractor="none",
                )
            )
        # not mentioned at all, and blanket phrases (SPEC: set no individual feature)
        if feature != "pcl_present":
            for n, blanket in enumerate(
                (
                    "",
                    "No worrisome features.",
                    "No worrisome features or high-risk stigmata.",
                    "No suspicious features.",
                    "Otherwise benign-appearing.",
                )
            ):
                cid = f"{feature}/{'blanket' if blanket else 'not mentioned'}/FINDINGS/none/{n}"
                rng = _rng(cid)
                report = _place(feature, blanket, rng)
                out.append(
                    _mft(
                        cid,
                        "baseline/blanket phrase" if blanket else "baseline/not mentioned",
                        report,
                        {feature: f.unstated},
                        feature=feature,
                        form="blanket" if blanket else "not mentioned",
                        subject="default",
                        section="FINDINGS",
                        distractor="none",
                    )
                )
    return out


@dataclass(frozen=True)
class Subject:
    text: str
    plural: bool
    layout: str
    polarity: int  # +1: the predicate applies to the lesion(s); -1: negative quantifier
    capability: str


SUBJECTS: dict[str, Subject] = {
    "the cyst": Subject("The cyst", False, "single", 1, "subject/singular"),
    "the lesion": Subject("The lesion", False, "single", 1, "subject/singular"),
    "the cysts": Subject("The cysts", True, "two", 1, "subject/plural"),
    "the lesions": Subject("The lesions", True, "multiple", 1, "subject/plural"),
    "none of the cysts": Subject(
        "None of the cysts", False, "multiple", -1, "group subject/quantified negative"
    ),
    "none of the lesions": Subject(
        "None of the lesions", False, "two", -1, "group subject/quantified negative"
    ),
    "neither cyst": Subject("Neither cyst", False, "two", -1, "group subject/quantified negative"),
    "both cysts": Subject("Both cysts", True, "two", 1, "group subject/quantified positive"),
    "all of the cysts": Subject("All of the cysts", True, "multiple", 1, "group subject/quantified positive"),
    "each of the cysts": Subject(
        "Each of the cysts", False, "multiple", 1, "group subject/quantified positive"
    ),
    "it": Subject("It", False, "single", 1, "subject/pronoun"),
}
# Predicates: (name, singular, plural, value or None for "the feature's negative value").
AFFIRM_PREDICATES: dict[str, tuple[tuple[str, str, str, Any], ...]] = {
    "mural_nodule": (
        (
            "shows enhancing nodule",
            "shows an enhancing mural nodule",
            "show an enhancing mural nodule",
            "enhancing",
        ),
        ("contains nodule", "contains a mural nodule", "contain a mural nodule", "present_unspecified"),
        ("has solid component", "has a solid component", "have a solid component", "present_unspecified"),
    ),
    "wall_thickening": (
        ("has thickened wall", "has a thickened wall", "have a thickened wall", "present"),
        (
            "demonstrates wall thickening",
            "demonstrates wall thickening",
            "demonstrate wall thickening",
            "present",
        ),
    ),
    "septations": (
        ("contains septations", "contains thin septations", "contain thin septations", "present"),
        ("is septated", "is septated", "are septated", "present"),
    ),
    "mpd_communication": (
        (
            "communicates",
            "communicates with the main pancreatic duct",
            "communicate with the main pancreatic duct",
            "present",
        ),
        (
            "shows communication",
            "shows communication with the main duct",
            "show communication with the main duct",
            "present",
        ),
    ),
}
NEG_PREDICATES: tuple[tuple[str, str, str], ...] = (
    ("does not show", "does not show {aX}", "do not show {aX}"),
    ("is free of", "is free of {X}", "are free of {X}"),
    ("is without", "is without {X}", "are without {X}"),
    ("has no", "has no {X}", "have no {X}"),
    ("lacks", "lacks {aX}", "lack {aX}"),
    ("does not demonstrate", "does not demonstrate {aX}", "do not demonstrate {aX}"),
)


def subject_grid() -> list[Case]:
    out: list[Case] = []
    for feature in LESION_FEATURES:
        f = FEATURES[feature]
        for sname, subj in SUBJECTS.items():
            preds: list[tuple[str, str, Any]] = []
            for pname, sg, pl, value in AFFIRM_PREDICATES[feature]:
                preds.append(
                    (f"affirm: {pname}", sg if not subj.plural else pl, value if subj.polarity > 0 else f.neg)
                )
            if subj.polarity > 0:
                for n, (pname, sg, pl) in enumerate(NEG_PREDICATES):
                    x = f.nouns[n % len(f.nouns)]
                    if feature == "mural_nodule":
                        x = f.nouns[n % 3]
                    pred = (pl if subj.plural else sg).format(X=x.bare(), aX=x.a())
                    preds.append((f"negated: {pname}", pred, f.neg))
            for pname, pred, value in preds:
                cid = f"{feature}/subject {sname}/{pname}"
                rng = _rng(cid)
                les = replace(_lesion_for(feature, rng, subj.layout), desc="")
                stmt = f"{subj.text} {pred}."
                report = lesion_report(rng, les, [stmt])
                out.append(
                    _mft(
                        cid,
                        subj.capability,
                        report,
                        {feature: value},
                        feature=feature,
                        form=pname,
                        subject=sname,
                        section="FINDINGS",
                        distractor="none",
                    )
                )
    # template labels ("Cyst wall: thin.") in a structured pancreas block
    for feature, items in TEMPLATE_LINES.items():
        for n, (line, value) in enumerate(items):
            cid = f"{feature}/subject template label/{n}"
            rng = _rng(cid)
            les = replace(_lesion_for(feature, rng), desc="")
            report = lesion_report(rng, les, ["|" + line], template=True)
            out.append(
                _mft(
                    cid,
                    "subject/template label",
                    report,
                    {feature: value},
                    feature=feature,
                    form=line,
                    subject="template label",
                    section="FINDINGS",
                    distractor="none",
                )
            )
    return out


TEMPLATE_LINES: dict[str, tuple[tuple[str, Any], ...]] = {
    "wall_thickening": (
        ("Cyst wall: thickened.", "present"),
        ("Cyst wall: thick and enhancing.", "present"),
        ("Cyst wall: thin.", "absent"),
        ("Cyst wall: thin, non-enhancing.", "absent"),
        ("Cyst wall: imperceptible.", "absent"),
        ("Cyst wall: smooth, no thickening.", "absent"),
    ),
    "mural_nodule": (
        ("Cyst wall: thin, with a 5 mm enhancing mural nodule.", "enhancing"),
        ("Cyst wall: thin, no mural nodule.", "absent"),
        ("Cyst contents: simple fluid, no solid component.", "absent"),
        ("Cyst contents: enhancing solid component.", "enhancing"),
        ("Solid component: present, enhancing.", "enhancing"),
        ("Mural nodule: present, non-enhancing.", "nonenhancing"),
    ),
    "septations": (
        ("Cyst morphology: septated.", "present"),
        ("Cyst morphology: unilocular.", "absent"),
        ("Internal architecture: multiloculated.", "present"),
        ("Internal architecture: no septations.", "absent"),
    ),
    "mpd_communication": (
        ("Duct relationship: communicates with the main duct.", "present"),
        ("Duct relationship: no communication with the main duct.", "absent"),
        ("Main duct communication: not seen.", "absent"),
    ),
    "mpd_dilated": (
        ("Main pancreatic duct: dilated.", "yes"),
        ("Main pancreatic duct: normal caliber.", "no"),
        ("Main pancreatic duct: not dilated.", "no"),
        ("MPD: nondilated.", "no"),
    ),
}

SECTION_FORMS = (
    ("there is X", AFFIRM_FORMS),
    ("with X", AFFIRM_FORMS),
    ("no X", NEGATION_FORMS),
    ("without X", NEGATION_FORMS),
    ("X is not seen", NEGATION_FORMS),
    ("there is no X", NEGATION_FORMS),
    ("no A or X", NEGATION_FORMS),
    ("possible X", HEDGE_FORMS),
    ("X cannot be excluded", UNSTATED_FORMS),
)


# pcl_present in the impression: only the natural standalone negations ("1. No pancreatic cyst.")
PCL_SECTION_FORMS = ("no X", "X is not seen", "there is no X", "no A or X")


def _value_for(feature: str, table: dict[str, tuple[str, tuple[str, ...]]]) -> Callable[[NP], Any]:
    f = FEATURES[feature]
    if table is NEGATION_FORMS:
        return lambda _x: f.neg
    if table is UNSTATED_FORMS:
        return lambda _x: f.unstated
    return lambda x: x.value


def section_grid() -> list[Case]:
    """The same statements in the IMPRESSION or an ADDENDUM instead of the findings."""
    out: list[Case] = []
    for feature, f in FEATURES.items():
        for section in ("IMPRESSION", "ADDENDUM"):
            if feature == "pcl_present" and section == "ADDENDUM":
                continue
            for form, table in SECTION_FORMS:
                if feature == "pcl_present" and form not in PCL_SECTION_FORMS:
                    continue
                out += _expand(
                    feature,
                    form,
                    table[form],
                    _value_for(feature, table),
                    f.nouns[:2],
                    section=section,
                    capability=f"section/{section.lower()}",
                )
    out += addendum_corrections()
    return out


def addendum_corrections() -> list[Case]:
    """SPEC: an addendum that corrects a value wins."""
    out: list[Case] = []
    pairs: dict[str, tuple[tuple[str, str, Any], ...]] = {
        "mural_nodule": (
            ("No mural nodule.", "Correction: there is a 5 mm enhancing mural nodule.", "enhancing"),
            (
                "+ with a 5 mm enhancing mural nodule",
                "Correction: no mural nodule is present; the finding was a vessel.",
                "absent",
            ),
        ),
        "wall_thickening": (
            ("The cyst is thin-walled.", "Correction: the cyst wall is thickened.", "present"),
            (
                "The cyst wall is thickened.",
                "Correction: the cyst wall is thin, without thickening.",
                "absent",
            ),
        ),
        "septations": (
            ("No septations.", "Correction: thin internal septations are present.", "present"),
            (
                "The cyst contains thin septations.",
                "Correction: the cyst is unilocular, without septations.",
                "absent",
            ),
        ),
        "mpd_communication": (
            (
                "No communication with the main duct.",
                "Correction: the cyst communicates with the main pancreatic duct.",
                "present",
            ),
            (
                "The cyst communicates with the main pancreatic duct.",
                "Correction: no communication with the main duct is seen.",
                "absent",
            ),
        ),
        "mpd_dilated": (
            (
                "The main pancreatic duct is not dilated.",
                "Correction: the main pancreatic duct is dilated.",
                "yes",
            ),
            (
                "The main pancreatic duct is dilated.",
                "Correction: the main pancreatic duct is of normal caliber.",
                "no",
            ),
        ),
    }
    for feature, items in pairs.items():
        for n, (first, correction, value) in enumerate(items):
            cid = f"{feature}/addendum correction/{n}"
            rng = _rng(cid)
            les = replace(_lesion_for(feature, rng), desc="")
            report = lesion_report(rng, les, [first], addendum_stmts=[correction])
            out.append(
                _mft(
                    cid,
                    "addendum/correction",
                    report,
                    {feature: value},
                    feature=feature,
                    form="correction",
                    subject="default",
                    section="ADDENDUM",
                    distractor="none",
                )
            )
    for n, (was, now, value) in enumerate(((12, 18, 18.0), (25, 15, 15.0), (8, 32, 32.0))):
        cid = f"size_mm/addendum correction/{n}"
        rng = _rng(cid)
        les = Lesion(size_mm=float(was), location="body")
        corr = f"Correction: the pancreatic body cyst measures {now} mm, not {was} mm."
        report = lesion_report(rng, les, [], addendum_stmts=[corr])
        out.append(
            _mft(
                cid,
                "addendum/correction",
                report,
                {"size_mm": value},
                feature="size_mm",
                form="correction",
                subject="default",
                section="ADDENDUM",
                distractor="none",
            )
        )
    return out


ORGANS = (
    ("left kidney", "renal"),
    ("right kidney", "renal"),
    ("liver", "hepatic"),
    ("right ovary", "adnexal"),
    ("spleen", "splenic"),
)
# Another organ's cyst with the opposite polarity: (affirmed clause, negated clause).
OTHER_ORGAN_CLAUSES: dict[str, tuple[str, str]] = {
    "mural_nodule": ("contains an enhancing mural nodule", "has no mural nodule"),
    "wall_thickening": ("has a thickened wall", "is thin-walled without wall thickening"),
    "septations": ("contains thin septations", "has no septations"),
    "mpd_communication": (
        "communicates with the collecting system",
        "does not communicate with the collecting system",
    ),
}
GUIDELINE_SENTENCES = (
    "Per ACR 2017, cysts smaller than 15 mm are followed at 1 year.",
    "Per ACR 2017 white paper, cysts of 25 mm or larger are followed every 6 months.",
    "Per ACR 2017, cysts with a mural nodule, a thickened wall or a main duct of 7 mm or more warrant EUS-FNA.",
    "Fukuoka 2017 high-risk stigmata include an enhancing mural nodule of 5 mm or more and a main pancreatic duct of 10 mm or more.",
    "Recommend MRI in 1 year; septations or communication with the main duct would favor a branch-duct IPMN.",
    "Recommendation: per ACR 2017, a cyst of 3 cm or more, or a dilated main duct, warrants EUS.",
)


def distractor_grid() -> list[Case]:
    out: list[Case] = []
    # another organ's cyst in the same sentence, with the opposite polarity
    polarities: tuple[tuple[str, int], ...] = (
        ("affirmed", 1),
        ("affirmed", 2),
        ("negated", 1),
        ("negated", 2),
        ("negated", 3),
        ("not mentioned", 1),
    )
    for feature in LESION_FEATURES:
        f = FEATURES[feature]
        aff_clause, neg_clause = OTHER_ORGAN_CLAUSES[feature]
        for pol, n in polarities:
            for order in (0, 1):
                cid = f"{feature}/other organ/{pol}/{n}/{order}"
                rng = _rng(cid)
                organ, _adj = rng.choice(ORGANS)
                osize = fmt_size(float(rng.choice((25, 31, 35, 42))), rng.choice(("mm", "cm")))
                les = replace(_lesion_for(feature, rng), desc="")
                if pol == "not mentioned":
                    seg = SEGMENT_PHRASES[les.location][0]
                    stmt = f"A {osize} cyst in the {organ}, adjacent to the {seg}, {aff_clause}."
                    value = f.unstated
                else:
                    preds = AFFIRM_PREDICATES[feature] if pol == "affirmed" else None
                    if preds is not None:
                        _, pred, _, value = preds[(n - 1) % len(preds)]
                    else:
                        _, sg, _ = NEG_PREDICATES[(n * 2) % len(NEG_PREDICATES)]
                        x = f.nouns[n % 3]
                        pred, value = sg.format(X=x.bare(), aX=x.a()), f.neg
                    other = neg_clause if pol == "affirmed" else aff_clause
                    subj = rng.choice(("the pancreatic cyst", "the pancreatic lesion"))
                    if order == 0:
                        stmt = f"{cap1(subj)} {pred}, whereas the {osize} cyst in the {organ} {other}."
                    else:
                        stmt = f"Unlike the {osize} cyst in the {organ}, which {other}, {subj} {pred}."
                report = lesion_report(rng, les, [stmt])
                out.append(
                    _mft(
                        cid,
                        "distractor/other organ same sentence",
                        report,
                        {feature: value},
                        feature=feature,
                        form=pol,
                        subject="default",
                        section="FINDINGS",
                        distractor="other organ",
                    )
                )
    # duct: the common bile duct in the same sentence
    duct_items: tuple[tuple[str, dict[str, Any]], ...] = (
        (
            "The main pancreatic duct is not dilated, but the common bile duct is dilated to 11 mm.",
            {"mpd_dilated": "no", "mpd_diameter_mm": None},
        ),
        (
            "The main pancreatic duct is dilated, whereas the common bile duct is of normal caliber.",
            {"mpd_dilated": "yes"},
        ),
        (
            "The common bile duct is dilated to 12 mm; the main pancreatic duct is normal.",
            {"mpd_dilated": "no", "mpd_diameter_mm": None},
        ),
        (
            "The common bile duct is dilated, measuring 9 mm.",
            {"mpd_dilated": "not_stated", "mpd_diameter_mm": None},
        ),
        (
            "Dilated intrahepatic bile ducts and a 10 mm common bile duct; no pancreatic duct dilatation.",
            {"mpd_dilated": "no", "mpd_diameter_mm": None},
        ),
    )
    for n, (stmt, exp) in enumerate(duct_items):
        cid = f"mpd_dilated/other duct/{n}"
        rng = _rng(cid)
        report = lesion_report(rng, _lesion_for("mpd_dilated", rng), [stmt])
        out.append(
            _mft(
                cid,
                "distractor/other organ same sentence",
                report,
                exp,
                feature="mpd_dilated",
                form="bile duct",
                subject="default",
                section="FINDINGS",
                distractor="other organ",
            )
        )
    # pcl_present with another organ's cyst in the same sentence
    pcl_items = (
        ("There is no pancreatic cyst, but a 2.5 cm simple cyst is present in the left kidney.", False),
        ("No cystic lesion in the pancreas; a 3.1 cm cyst is seen in the right ovary.", False),
        (
            "The pancreas is free of cystic lesions, whereas the liver contains several simple cysts up to 2 cm.",
            False,
        ),
        (
            "A 2.2 cm cyst in the upper pole of the left kidney abuts the pancreatic tail, which is normal.",
            False,
        ),
    )
    for n, (stmt, value) in enumerate(pcl_items):
        cid = f"pcl_present/other organ/{n}"
        rng = _rng(cid)
        report = pcl_report(rng, [stmt], "No pancreatic abnormality.")
        out.append(
            _mft(
                cid,
                "distractor/other organ same sentence",
                report,
                {"pcl_present": value},
                feature="pcl_present",
                form="negated",
                subject="default",
                section="FINDINGS",
                distractor="other organ",
            )
        )
    for n, loc in enumerate(("body", "tail", "head")):
        cid = f"pcl_present/other organ/affirmed/{n}"
        rng = _rng(cid)
        seg = SEGMENT_PHRASES[loc][0]
        stmt = f"There is a 12 mm cyst in the {seg} and a 3.5 cm simple cyst in the left kidney."
        report = build_report(rng, stmt, [f"12 mm {seg} cyst."])
        out.append(
            _mft(
                cid,
                "distractor/other organ same sentence",
                report,
                {"pcl_present": True, "size_mm": 12.0, "location": loc},
                feature="pcl_present",
                form="affirmed",
                subject="default",
                section="FINDINGS",
                distractor="other organ",
            )
        )

    # a guideline / recommendation sentence mentioning sizes and features
    def guideline(rng: random.Random) -> Sequence[str]:
        return [rng.choice(GUIDELINE_SENTENCES)]

    for feature, f in FEATURES.items():
        if feature == "pcl_present":
            continue
        for form, table in SECTION_FORMS:
            out += _expand(
                feature,
                form,
                table[form],
                _value_for(feature, table),
                f.nouns[:2],
                distractor="guideline",
                capability="distractor/guideline sentence",
                impression_extra=guideline,
            )
        for n, sentence in enumerate(GUIDELINE_SENTENCES):
            cid = f"{feature}/not mentioned/FINDINGS/guideline/{n}"
            rng = _rng(cid)
            report = _place(feature, "", rng, impression_extra=[sentence])
            out.append(
                _mft(
                    cid,
                    "distractor/guideline sentence",
                    report,
                    {feature: f.unstated},
                    feature=feature,
                    form="not mentioned",
                    subject="default",
                    section="FINDINGS",
                    distractor="guideline",
                )
            )
    return out


def size_grid() -> list[Case]:
    out: list[Case] = []
    formats: tuple[tuple[str, float], ...] = (
        ("12 mm", 12.0),
        ("1.2 cm", 12.0),
        ("1.25 cm", 12.5),
        ("2.3 x 1.8 cm", 23.0),
        ("18 x 23 mm", 23.0),
        ("0.8 cm", 8.0),
        ("8 mm", 8.0),
        ("1.5 x 1.1 x 0.9 cm", 15.0),
        ("12-mm", 12.0),
        ("12mm", 12.0),
        ("3.4 cm", 34.0),
        ("2.0 cm", 20.0),
        ("4 mm", 4.0),
        ("9 x 7 mm", 9.0),
        ("1.1 x 1.6 cm", 16.0),
    )
    for size, mm in formats:
        for variant in range(3):
            cid = f"size_mm/format {size}/{variant}"
            rng = _rng(cid)
            loc = rng.choice(("head", "body", "tail", "neck"))
            seg = rng.choice(SEGMENT_PHRASES[loc])
            sentence = (
                f"There is a {size} cystic lesion in the {seg}.",
                f"A cystic lesion in the {seg} measures {size}.",
                f"Cystic lesion in the {seg}, measuring {size}.",
            )[variant]
            report = build_report(rng, sentence, [f"Pancreatic {loc} cystic lesion."])
            out.append(
                _mft(
                    cid,
                    "size/format",
                    report,
                    {"size_mm": mm},
                    feature="size_mm",
                    form=size,
                    subject="default",
                    section="FINDINGS",
                    distractor="none",
                )
            )
    # size given only in the impression
    for n, (size, mm) in enumerate((("1.4 cm", 14.0), ("9 mm", 9.0), ("2.6 x 2.1 cm", 26.0))):
        cid = f"size_mm/impression only/{n}"
        rng = _rng(cid)
        report = build_report(
            rng, "There is a cystic lesion in the pancreatic tail.", [f"{size} pancreatic tail cyst."]
        )
        out.append(
            _mft(
                cid,
                "section/impression",
                report,
                {"size_mm": mm},
                feature="size_mm",
                form="impression only",
                subject="default",
                section="IMPRESSION",
                distractor="none",
            )
        )
    # distractor sizes in or around the lesion sentence
    distractors: tuple[tuple[str, str, str], ...] = (
        (
            "nodule size",
            "other measurement",
            "There is a 14 mm cystic lesion in the pancreatic body with a 4 mm mural nodule.",
        ),
        (
            "duct size",
            "other measurement",
            "There is a 14 mm cystic lesion in the pancreatic body. The main pancreatic duct measures 3 mm.",
        ),
        (
            "CBD size",
            "other measurement",
            "There is a 14 mm cystic lesion in the pancreatic body. The common bile duct measures 9 mm.",
        ),
        (
            "prior size",
            "other measurement",
            "There is a 14 mm cystic lesion in the pancreatic body, previously 11 mm.",
        ),
        (
            "renal cyst same sentence",
            "other organ",
            "There is a 14 mm cystic lesion in the pancreatic body and a 4.5 cm cyst in the left kidney.",
        ),
        (
            "hepatic cyst before",
            "other organ",
            "A 3.2 cm hepatic cyst abuts a 14 mm cystic lesion in the pancreatic body.",
        ),
        (
            "adrenal nodule same sentence",
            "other organ",
            "There is a 14 mm cystic lesion in the pancreatic body and a 3.1 cm left adrenal nodule.",
        ),
        (
            "node size",
            "other measurement",
            "There is a 14 mm cystic lesion in the pancreatic body. A 16 mm peripancreatic lymph node is noted.",
        ),
        (
            "slice thickness",
            "other measurement",
            "On 3 mm slices there is a 14 mm cystic lesion in the pancreatic body.",
        ),
    )
    for name, dist, stmt in distractors:
        cid = f"size_mm/distractor {name}"
        rng = _rng(cid)
        report = build_report(rng, stmt, ["14 mm pancreatic body cystic lesion."])
        cap = (
            "distractor/other organ same sentence"
            if dist == "other organ"
            else "distractor/other measurement"
        )
        out.append(
            _mft(
                cid,
                cap,
                report,
                {"size_mm": 14.0},
                feature="size_mm",
                form=name,
                subject="default",
                section="FINDINGS",
                distractor=dist,
            )
        )
    for n, sentence in enumerate(GUIDELINE_SENTENCES):
        for mm in (12.0, 22.0):
            cid = f"size_mm/guideline/{n}/{mm}"
            rng = _rng(cid)
            les = Lesion(
                size_mm=mm, location=rng.choice(("head", "body", "tail")), unit=rng.choice(("mm", "cm"))
            )
            report = lesion_report(rng, les, impression_extra=[sentence])
            out.append(
                _mft(
                    cid,
                    "distractor/guideline sentence",
                    report,
                    {"size_mm": mm},
                    feature="size_mm",
                    form="guideline",
                    subject="default",
                    section="FINDINGS",
                    distractor="guideline",
                )
            )
    # reading conventions: innumerable cysts up to N, slips, a second smaller cyst
    conv = (
        (
            "innumerable up to",
            "Innumerable cysts throughout the pancreas, up to 5 mm.",
            "Innumerable pancreatic cysts up to 5 mm.",
            {"size_mm": 5.0, "multiplicity": "multiple"},
        ),
        (
            "dictation slip",
            "There is a 2.1 x 1.6 mm cystic lesion in the pancreatic tail.",
            "2.1 cm pancreatic tail cyst.",
            {"size_mm": 21.0},
        ),
        (
            "two cysts, larger index",
            "A 9 mm cyst in the pancreatic head and a 17 mm cyst in the pancreatic tail.",
            "Two pancreatic cysts, up to 17 mm.",
            {"size_mm": 17.0, "location": "tail"},
        ),
    )
    for name, stmt, imp, exp in conv:
        cid = f"size_mm/convention {name}"
        rng = _rng(cid)
        report = build_report(rng, stmt, [imp])
        out.append(
            _mft(
                cid,
                "size/reading convention",
                report,
                exp,
                feature="size_mm",
                form=name,
                subject="default",
                section="FINDINGS",
                distractor="none",
            )
        )
    return out


def location_grid() -> list[Case]:
    out: list[Case] = []
    phrases: tuple[tuple[str, str], ...] = (
        ("pancreatic head", "head"),
        ("head of the pancreas", "head"),
        ("uncinate process", "uncinate"),
        ("pancreatic head/uncinate process", "uncinate"),
        ("pancreatic neck", "neck"),
        ("neck of the pancreas", "neck"),
        ("head-neck junction", "neck"),
        ("pancreatic body", "body"),
        ("body of the pancreas", "body"),
        ("body/tail junction", "body"),
        ("pancreatic tail", "tail"),
        ("tail of the pancreas", "tail"),
        ("pancreatic head and body", "head"),
        ("pancreatic body and tail", "body"),
        ("pancreatic neck and body", "neck"),
    )
    for phrase, loc in phrases:
        for variant in range(3):
            cid = f"location/{phrase}/{variant}"
            rng = _rng(cid)
            size = fmt_size(float(rng.choice((9, 13, 17, 21))), rng.choice(("mm", "cm")))
            verb = "spanning" if " and " in phrase else "in"
            the = "" if phrase.startswith(("head-neck", "body/tail")) else "the "
            if phrase.startswith(("head-neck", "body/tail")):
                phrase_full = f"the pancreatic {phrase}"
            else:
                phrase_full = f"{the}{phrase}"
            sentence = (
                f"There is a {size} cystic lesion {verb} {phrase_full}.",
                f"A {size} cyst is present {verb} {phrase_full}.",
                f"{cap1(size)} unilocular cystic lesion {verb} {phrase_full}.",
            )[variant]
            report = build_report(rng, sentence, [f"{cap1(size)} pancreatic cystic lesion."])
            out.append(
                _mft(
                    cid,
                    "location/segment",
                    report,
                    {"location": loc},
                    feature="location",
                    form=phrase,
                    subject="default",
                    section="FINDINGS",
                    distractor="none",
                )
            )
    for n in range(3):
        cid = f"location/unspecified/{n}"
        rng = _rng(cid)
        sentence = (
            "There is a 12 mm pancreatic cyst.",
            "A 12 mm cystic lesion is seen in the pancreas.",
            "12 mm cystic pancreatic lesion.",
        )[n]
        report = build_report(rng, sentence, ["12 mm pancreatic cyst."])
        out.append(
            _mft(
                cid,
                "location/segment",
                report,
                {"location": "unspecified"},
                feature="location",
                form="unspecified",
                subject="default",
                section="FINDINGS",
                distractor="none",
            )
        )
    dist = (
        (
            "A 12 mm cystic lesion in the pancreatic tail; incidental 9 mm stone in the gallbladder neck.",
            "tail",
        ),
        ("A 12 mm cyst in the pancreatic head; the pancreatic tail is atrophic.", "head"),
        (
            "A 12 mm cyst in the pancreatic body, abutting the splenic vein, with a normal pancreatic head and tail.",
            "body",
        ),
        (
            "There is a 12 mm cystic lesion in the pancreatic neck and a 2 cm cyst in the left renal upper pole.",
            "neck",
        ),
        ("A 12 mm cystic lesion in the uncinate process. The pancreatic tail is normal.", "uncinate"),
        ("A 3 cm cyst in the right hepatic lobe and a 12 mm cyst in the pancreatic tail.", "tail"),
    )
    for n, (stmt, loc) in enumerate(dist):
        cid = f"location/distractor/{n}"
        rng = _rng(cid)
        report = build_report(rng, stmt, ["12 mm pancreatic cyst."])
        out.append(
            _mft(
                cid,
                "distractor/location words",
                report,
                {"location": loc},
                feature="location",
                form="distractor",
                subject="default",
                section="FINDINGS",
                distractor="other organ",
            )
        )
    return out


def multiplicity_grid() -> list[Case]:
    out: list[Case] = []
    items: tuple[tuple[str, str, str, str], ...] = (
        ("single", "There is a 12 mm cystic lesion in the pancreatic body.", "single", "none"),
        (
            "no other cysts",
            "There is a 12 mm cystic lesion in the pancreatic body. No other pancreatic cysts.",
            "single",
            "none",
        ),
        ("solitary", "A solitary 12 mm cyst in the pancreatic tail.", "single", "none"),
        ("multiple", "Multiple pancreatic cysts, the largest 12 mm in the body.", "multiple", "none"),
        (
            "several",
            "Several cystic lesions are scattered throughout the pancreas, up to 12 mm.",
            "multiple",
            "none",
        ),
        (
            "innumerable",
            "Innumerable small pancreatic cysts, the largest 6 mm in the tail.",
            "multiple",
            "none",
        ),
        ("scattered", "Scattered pancreatic cysts measuring up to 9 mm.", "multiple", "none"),
        ("two cysts", "Two pancreatic cysts: 12 mm in the body and 7 mm in the tail.", "multiple", "none"),
        (
            "second cyst",
            "A 12 mm cyst in the pancreatic body. A second 5 mm cyst is seen in the tail.",
            "multiple",
            "none",
        ),
        (
            "additional cyst",
            "A 12 mm cyst in the pancreatic head and an additional 4 mm cyst in the pancreatic neck.",
            "multiple",
            "none",
        ),
        (
            "at least three",
            "At least three cystic lesions in the pancreas, the largest 11 mm in the head.",
            "multiple",
            "none",
        ),
        (
            "renal cysts same sentence",
            "Multiple renal cysts and a single 12 mm cyst in the pancreatic body.",
            "single",
            "other organ",
        ),
        (
            "hepatic cysts same sentence",
            "There is a 12 mm pancreatic body cyst and innumerable hepatic cysts.",
            "single",
            "other organ",
        ),
        (
            "several renal cysts",
            "A 12 mm cystic lesion in the pancreatic tail; several bilateral renal cysts.",
            "single",
            "other organ",
        ),
        (
            "liver cysts paragraph",
            "A 12 mm cystic lesion in the pancreatic tail.",
            "single",
            "other organ paragraph",
        ),
    )
    for name, stmt, value, dist in items:
        for variant in range(2):
            cid = f"multiplicity/{name}/{variant}"
            rng = _rng(cid)
            imp = "See findings above." if variant else "Pancreatic findings as described above."
            extra = (
                (("LIVER", "Multiple simple hepatic cysts, up to 2.3 cm."),) if "paragraph" in dist else ()
            )
            report = build_report(rng, stmt, [imp], extra_organs=extra)
            cap = "multiplicity/count" if dist == "none" else "distractor/other organ multiplicity"
            out.append(
                _mft(
                    cid,
                    cap,
                    report,
                    {"multiplicity": value},
                    feature="multiplicity",
                    form=name,
                    subject="default",
                    section="FINDINGS",
                    distractor=dist,
                )
            )
    return out


def mpd_grid() -> list[Case]:
    out: list[Case] = []
    items: tuple[tuple[str, str, dict[str, Any], str], ...] = (
        (
            "number only",
            "The main pancreatic duct measures 3 mm.",
            {"mpd_diameter_mm": 3.0, "mpd_dilated": "not_stated"},
            "none",
        ),
        (
            "number only cm",
            "The main pancreatic duct measures 0.4 cm.",
            {"mpd_diameter_mm": 4.0, "mpd_dilated": "not_stated"},
            "none",
        ),
        ("MPD abbreviation", "MPD 8 mm.", {"mpd_diameter_mm": 8.0}, "none"),
        (
            "dilated to",
            "The main pancreatic duct is dilated to 11 mm.",
            {"mpd_diameter_mm": 11.0, "mpd_dilated": "yes"},
            "none",
        ),
        (
            "mildly dilated, N",
            "The main pancreatic duct is mildly dilated, 5 mm.",
            {"mpd_diameter_mm": 5.0, "mpd_dilated": "yes"},
            "none",
        ),
        (
            "normal caliber (N)",
            "The main pancreatic duct is of normal caliber (2 mm).",
            {"mpd_diameter_mm": 2.0, "mpd_dilated": "no"},
            "none",
        ),
        (
            "not dilated, N",
            "The main pancreatic duct is not dilated, measuring 2.5 mm.",
            {"mpd_diameter_mm": 2.5, "mpd_dilated": "no"},
            "none",
        ),
        ("up to", "The main pancreatic duct measures up to 7 mm.", {"mpd_diameter_mm": 7.0}, "none"),
        (
            "largest of two",
            "The main pancreatic duct measures 4 mm in the head and 6 mm in the body.",
            {"mpd_diameter_mm": 6.0},
            "none",
        ),
        (
            "CBD only",
            "The common bile duct measures 9 mm.",
            {"mpd_diameter_mm": None, "mpd_dilated": "not_stated"},
            "other duct",
        ),
        (
            "side branch",
            "A dilated side branch measures 4 mm. The main duct is not dilated.",
            {"mpd_diameter_mm": None, "mpd_dilated": "no"},
            "other duct",
        ),
        (
            "CBD and MPD",
            "The common bile duct measures 9 mm and the main pancreatic duct 3 mm.",
            {"mpd_diameter_mm": 3.0},
            "other duct",
        ),
        (
            "cystic duct",
            "The cystic duct is 4 mm. The main pancreatic duct is normal in caliber.",
            {"mpd_diameter_mm": None, "mpd_dilated": "no"},
            "other duct",
        ),
    )
    for name, stmt, exp, dist in items:
        for variant in range(2):
            cid = f"mpd/{name}/{variant}"
            rng = _rng(cid)
            les = _lesion_for("mpd", rng)
            report = (
                lesion_report(rng, les, [stmt])
                if variant == 0
                else lesion_report(rng, les, [], impression_stmts=[stmt])
            )
            section = "FINDINGS" if variant == 0 else "IMPRESSION"
            cap = "mpd/diameter" if dist == "none" else "distractor/other duct"
            out.append(
                _mft(
                    cid,
                    cap,
                    report,
                    exp,
                    feature="mpd",
                    form=name,
                    subject="default",
                    section=section,
                    distractor=dist,
                )
            )
    for n, sentence in enumerate(GUIDELINE_SENTENCES):
        cid = f"mpd/guideline/{n}"
        rng = _rng(cid)
        report = lesion_report(
            rng,
            _lesion_for("mpd", rng),
            ["The main pancreatic duct measures 2 mm."],
            impression_extra=[sentence],
        )
        out.append(
            _mft(
                cid,
                "distractor/guideline sentence",
                report,
                {"mpd_diameter_mm": 2.0},
                feature="mpd",
                form="guideline",
                subject="default",
                section="FINDINGS",
                distractor="guideline",
            )
        )
    return out


def pcl_grid() -> list[Case]:
    out: list[Case] = []
    lesion_types = (
        "cyst",
        "cystic lesion",
        "cystic focus",
        "T2-hyperintense cystic focus",
        "side-branch IPMN",
        "branch-duct IPMN",
        "main-duct IPMN",
        "mixed-type IPMN",
        "serous cystadenoma",
        "mucinous cystic neoplasm",
        "pseudocyst",
        "cystic neoplasm",
        "solid pseudopapillary neoplasm",
        "cystic neuroendocrine tumor",
    )
    for name in lesion_types:
        for variant in range(2):
            cid = f"pcl_present/type {name}/{variant}"
            rng = _rng(cid)
            seg = rng.choice(SEGMENT_PHRASES[rng.choice(("head", "body", "tail"))])
            art = "an" if name[0] in "aeiou" else "a"
            stmt = (
                f"There is {art} 14 mm {name} in the {seg}."
                if variant == 0
                else f"Findings in the {seg} are consistent with {art} {name}, measuring 1.4 cm."
            )
            report = build_report(rng, stmt, [f"1.4 cm {name}."])
            exp: dict[str, Any] = {"pcl_present": True, "size_mm": 14.0}
            if name in ("solid pseudopapillary neoplasm", "cystic neuroendocrine tumor"):
                exp["mural_nodule"] = "present_unspecified"
            out.append(
                _mft(
                    cid,
                    "pcl/lesion type",
                    report,
                    exp,
                    feature="pcl_present",
                    form=name,
                    subject="default",
                    section="FINDINGS",
                    distractor="none",
                )
            )
    not_pcl: tuple[tuple[str, str, str, str | None], ...] = (
        ("normal pancreas", "pcl/not a PCL", "Normal in size and enhancement. No focal lesion.", None),
        (
            "solid mass",
            "pcl/not a PCL",
            "There is a 2.5 cm hypoenhancing solid mass in the pancreatic head.",
            None,
        ),
        (
            "adenocarcinoma with cystic necrosis",
            "pcl/not a PCL",
            "A 3.2 cm pancreatic adenocarcinoma in the body with central cystic necrosis.",
            None,
        ),
        (
            "fluid collection",
            "pcl/not a PCL",
            "An acute peripancreatic fluid collection measures 4 cm.",
            None,
        ),
        ("cystic duct", "pcl/not a PCL", "Normal. The cystic duct is patent.", None),
        (
            "cystic fibrosis",
            "pcl/not a PCL",
            "Fatty replacement of the pancreas, compatible with cystic fibrosis.",
            None,
        ),
        (
            "history only",
            "pcl/not current exam",
            "Normal in size and enhancement, without focal lesion.",
            "Pancreatic cyst on outside CT, evaluate.",
        ),
        (
            "resected",
            "pcl/not current exam",
            "Status post distal pancreatectomy for a mucinous cystic neoplasm. No residual or recurrent cystic lesion.",
            None,
        ),
        (
            "resolved",
            "pcl/not current exam",
            "The previously described pancreatic tail cyst is no longer visualized.",
            None,
        ),
        (
            "resolved pseudocyst",
            "pcl/not current exam",
            "Interval resolution of the previously noted pancreatic pseudocyst.",
            None,
        ),
        ("renal cysts only", "pcl/other organ only", "Normal.", None),
        ("hepatic cysts only", "pcl/other organ only", "Unremarkable.", None),
        ("adnexal cyst only", "pcl/other organ only", "No focal lesion.", None),
        ("splenic cyst only", "pcl/other organ only", "Normal in size and enhancement.", None),
    )
    other_organ = {
        "renal cysts only": (
            "KIDNEYS",
            "Bilateral simple renal cysts, the largest 2.1 cm in the left kidney.",
        ),
        "hepatic cysts only": ("LIVER", "Several simple hepatic cysts, the largest 2.4 cm in segment 7."),
        "adnexal cyst only": ("PELVIS", "A 3 cm simple cyst in the right ovary."),
        "splenic cyst only": ("SPLEEN", "A 1.2 cm simple splenic cyst."),
    }
    for name, cap, stmt, history in not_pcl:
        for variant in range(2):
            cid = f"pcl_present/{name}/{variant}"
            rng = _rng(cid)
            extra = (other_organ[name],) if name in other_organ else ()
            imp = rng.choice(
                ("No pancreatic cystic lesion.", "No acute abdominal abnormality.", "See findings.")
            )
            if name in other_organ:
                imp = rng.choice(
                    ("Simple cysts as described, no follow-up needed.", "Benign-appearing cysts.")
                )
            report = build_report(rng, stmt, [imp], history=history, extra_organs=extra)
            out.append(
                _mft(
                    cid,
                    cap,
                    report,
                    {"pcl_present": False},
                    feature="pcl_present",
                    form=name,
                    subject="default",
                    section="FINDINGS",
                    distractor="none",
                )
            )
    return out


def category_grid() -> list[Case]:
    """SPEC §4 thresholds, one rule at a time, on small reports."""
    out: list[Case] = []
    items: tuple[tuple[str, float, str, int | None, bool | None, str], ...] = (
        ("low risk", 12, "No mural nodule. The main pancreatic duct is not dilated.", 1, None, "body"),
        ("size 29 mm", 29, "No mural nodule.", 1, None, "body"),
        ("size 30 mm", 30, "No mural nodule.", 2, None, "body"),
        ("size 3.4 cm", 34, "No mural nodule.", 2, None, "tail"),
        ("thickened wall", 12, "The cyst wall is thickened.", 2, None, "body"),
        ("nonenhancing nodule", 12, "There is a 3 mm non-enhancing mural nodule.", 2, None, "body"),
        ("unspecified nodule", 12, "There is a mural nodule.", 2, None, "body"),
        ("enhancing nodule", 12, "There is a 5 mm enhancing mural nodule.", 3, None, "body"),
        ("MPD 6 mm", 12, "The main pancreatic duct measures 6 mm.", 1, None, "body"),
        ("MPD 7 mm", 12, "The main pancreatic duct measures 7 mm.", 2, None, "body"),
        ("MPD 9.9 mm", 12, "The main pancreatic duct measures 9.9 mm.", 2, None, "body"),
        ("MPD 10 mm", 12, "The main pancreatic duct measures 10 mm.", 3, None, "body"),
        ("MPD dilated, no number", 12, "The main pancreatic duct is dilated.", 2, None, "body"),
        ("growth 8 to 12 mm", 12, "+, previously 8 mm on CT 01/05/2023", 2, None, "body"),
        ("no growth 11 to 12 mm", 12, "+, previously 11 mm on CT 01/05/2023", 1, None, "body"),
        ("growth 4 to 8 mm", 8, "+, previously 4 mm on CT 01/05/2023", 2, None, "body"),
        ("growth 15 to 18 mm", 18, "+, previously 15 mm on CT 01/05/2023", 2, None, "body"),
        ("no growth 15 to 17 mm", 17, "+, previously 15 mm on CT 01/05/2023", 1, None, "body"),
        ("jaundice head", 12, "No mural nodule.", 3, True, "head"),
        ("jaundice uncinate", 12, "No mural nodule.", 3, True, "uncinate"),
        ("jaundice tail", 12, "No mural nodule.", 1, True, "tail"),
    )
    for name, size, stmt, cat, jaundice, loc in items:
        for variant in range(2):
            cid = f"risk_category/{name}/{variant}"
            rng = _rng(cid)
            les = Lesion(size_mm=float(size), location=loc, unit="mm" if variant == 0 else "cm")
            report = lesion_report(rng, les, [stmt])
            out.append(
                _mft(
                    cid,
                    "category/threshold",
                    report,
                    {"risk_category": cat},
                    jaundice=jaundice,
                    feature="risk_category",
                    form=name,
                    subject="default",
                    section="FINDINGS",
                    distractor="none",
                )
            )
    for n in range(2):
        cid = f"risk_category/no pcl/{n}"
        rng = _rng(cid)
        report = pcl_report(rng, ["No cystic lesion."], "Normal pancreas.")
        out.append(
            _mft(
                cid,
                "category/threshold",
                report,
                {"risk_category": None},
                feature="risk_category",
                form="no pcl",
                subject="default",
                section="FINDINGS",
                distractor="none",
            )
        )
    return out


# --------------------------------------------------------------------------------------------
# Invariance perturbations
# --------------------------------------------------------------------------------------------

UNRELATED_ORGANS = (
    ("ADRENALS", "A 14 mm left adrenal nodule measures -5 HU, consistent with an adenoma."),
    ("LYMPH NODES", "A 11 mm short-axis periportal lymph node, likely reactive."),
    ("VASCULATURE", "The abdominal aorta measures 2.4 cm, without aneurysm."),
    ("LUNG BASES", "A 6 mm nodule in the right lower lobe."),
    ("BONES", "A 1.5 cm sclerotic focus in L2, likely a bone island."),
    ("BLADDER", "Bladder wall is normal. Prostate measures 4.5 cm."),
)
FEATURE_WORD_ORGANS = (
    ("GALLBLADDER", "Gallbladder wall thickening to 5 mm with a 9 mm stone."),
    ("LIVER", "An 8 mm arterially enhancing nodule in segment 6, likely a flash-filling hemangioma."),
    ("BILE DUCTS", "The common bile duct is dilated to 9 mm."),
    ("KIDNEYS", "A 3.5 cm septated cyst in the left kidney with a thickened wall, Bosniak IIF."),
    ("LIVER", "Multiple simple hepatic cysts up to 1.8 cm."),
    (
        "KIDNEYS",
        "Left renal cyst with an enhancing mural nodule, 4.1 cm, suspicious for cystic renal cell carcinoma.",
    ),
)
BRITISH = (
    ("tumor", "tumour"),
    ("caliber", "calibre"),
    ("hemorrhage", "haemorrhage"),
    ("edema", "oedema"),
    ("hyperintense", "hyper-intense"),
    ("hypointense", "hypo-intense"),
    ("hypoenhancing", "hypo-enhancing"),
    ("favor", "favour"),
    ("centimeter", "centimetre"),
    ("esophag", "oesophag"),
)
_MEASURE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)((?:\s*x\s*\d+(?:\.\d+)?)*)(\s*)(mm|cm)\b")


def convert_units(text: str) -> str:
    """12 mm -> 1.2 cm, 2.3 x 1.8 cm -> 23 x 18 mm: the same lengths in the other unit."""

    def conv(m: re.Match[str]) -> str:
        unit = m.group(4)
        factor = 0.1 if unit == "mm" else 10.0
        nums = re.findall(r"\d+(?:\.\d+)?", m.group(1) + m.group(2))
        new = [fmt_num(round(float(v) * factor, 4)) for v in nums]
        return " x ".join(new) + m.group(3) + ("cm" if unit == "mm" else "mm")

    return _MEASURE.sub(conv, text)


def british(text: str) -> str:
    for us, uk in BRITISH:
        text = re.sub(us, uk, text)
        text = re.sub(cap1(us), cap1(uk), text)
    return text


def wrap_lines(text: str, width: int) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(textwrap.wrap(line, width=width, break_long_words=False, break_on_hyphens=False) or [""])
    return "\n".join(out)


def split_sentence(text: str) -> str:
    """Break the longest line of the PANCREAS paragraph at a space near its middle."""
    start = text.find("PANCREAS:")
    end = text.find("\n", start)
    line = text[start:end]
    spaces = [i for i, ch in enumerate(line) if ch == " "]
    if len(spaces) < 4:
        return text
    mid = min(spaces, key=lambda i: abs(i - len(line) // 2))
    return text[: start + mid] + "\n" + text[start + mid + 1 :]


def reorder(report: Report, rng: random.Random) -> Report:
    organs = list(report.findings)
    if len(organs) < 2:
        return report
    for _ in range(10):
        rng.shuffle(organs)
        if tuple(organs) != report.findings:
            break
    return replace(report, findings=tuple(organs))


def add_organs(report: Report, paragraphs: Sequence[tuple[str, str]]) -> str:
    """Add organ paragraphs; one whose label is already there replaces that paragraph."""
    findings = list(report.findings)
    for label, text in paragraphs:
        labels = [lab for lab, _ in findings]
        if label in labels and label != "PANCREAS":
            findings[labels.index(label)] = (label, text)
        else:
            findings.append((label, text))
    return fix_articles(replace(report, findings=tuple(findings)).render())


PERTURBATIONS: dict[str, Callable[[Case, random.Random], str]] = {
    "inv/unrelated organ paragraph": lambda c, rng: add_organs(_req(c), rng.sample(UNRELATED_ORGANS, 2)),
    "inv/organ paragraph with feature words": lambda c, rng: add_organs(
        _req(c), [rng.choice(FEATURE_WORD_ORGANS)]
    ),
    "inv/guideline sentence added": lambda c, rng: fix_articles(
        replace(_req(c), impression=(*_req(c).impression, rng.choice(GUIDELINE_SENTENCES))).render()
    ),
    "inv/units mm-cm": lambda c, rng: convert_units(c.text),
    "inv/upper case": lambda c, rng: c.text.upper(),
    "inv/lower case": lambda c, rng: c.text.lower(),
    "inv/british spelling": lambda c, rng: british(c.text),
    "inv/line wrap": lambda c, rng: wrap_lines(c.text, rng.choice((48, 56, 64, 72))),
    "inv/sentence split across lines": lambda c, rng: split_sentence(c.text),
    "inv/organ section order": lambda c, rng: fix_articles(reorder(_req(c), rng).render()),
}


def _req(case: Case) -> Report:
    assert case.report is not None, case.id
    return case.report


def invariance_cases(bases: Sequence[Case], per_perturbation: int = 70) -> list[Case]:
    out: list[Case] = []
    pool = [c for c in bases if c.report is not None and c.kind == "mft" and c.jaundice is None]
    for name, perturb in PERTURBATIONS.items():
        rng = _rng("inv", name)
        picked = rng.sample(pool, min(per_perturbation * 2, len(pool)))
        n = 0
        for base in picked:
            new = perturb(base, _rng(name, base.id))
            if new == base.text:
                continue
            out.append(
                Case(
                    id=f"{name}/{base.id}",
                    capability=name,
                    kind="inv",
                    text=base.text,
                    perturbed=new,
                    tags={"perturbation": name, "feature": base.tags.get("feature", ""), "base": base.id},
                    report=base.report,
                )
            )
            n += 1
            if n >= per_perturbation:
                break
    return out


# --------------------------------------------------------------------------------------------
# Directional tests
# --------------------------------------------------------------------------------------------

# (name, slot, statement, category SPEC gives the perturbed report)
DIR_CHANGES: tuple[tuple[str, str, str, int], ...] = (
    ("enhancing nodule", "nodule", "There is a 6 mm enhancing mural nodule.", 3),
    ("enhancing nodule (with)", "nodule", "+ with an enhancing mural nodule", 3),
    ("non-enhancing nodule", "nodule", "It contains a non-enhancing mural nodule.", 2),
    ("thickened wall", "wall", "The cyst wall is thickened and enhancing.", 2),
    ("thick-walled", "wall", "+ with wall thickening", 2),
    ("size 32 mm", "size", "32", 2),
    ("size 3.5 cm", "size", "35", 2),
    ("MPD 8 mm", "mpd", "The main pancreatic duct measures 8 mm.", 2),
    ("MPD 11 mm", "mpd", "The main pancreatic duct measures 11 mm.", 3),
    ("MPD dilated to 11 mm", "mpd", "The main pancreatic duct is dilated to 11 mm.", 3),
    ("MPD dilated, no number", "mpd", "The main pancreatic duct is dilated.", 2),
)
DIR_NODULE = ("", "No mural nodule.", "No solid component.")
DIR_WALL = ("", "The cyst is thin-walled.", "")
DIR_MPD = ("", "The main pancreatic duct is not dilated.", "The main pancreatic duct measures 2 mm.")


def dir_base(n: int) -> tuple[Lesion, dict[str, str], random.Random]:
    rng = _rng("dir base", n)
    les = Lesion(
        size_mm=float(rng.choice((6, 9, 12, 15, 18, 22, 25))),
        location=rng.choice(("head", "uncinate", "neck", "body", "tail")),
        unit=rng.choice(("mm", "cm")),
        desc=rng.choice(("", "unilocular ")),
    )
    slots = {"nodule": rng.choice(DIR_NODULE), "wall": rng.choice(DIR_WALL), "mpd": rng.choice(DIR_MPD)}
    return les, slots, rng


def dir_render(les: Lesion, slots: dict[str, str], seed: int) -> Report:
    rng = _rng("dir render", seed)
    stmts = [slots["nodule"], slots["wall"], slots["mpd"]]
    # attached statements ("+ with ...") go right after the lesion sentence
    stmts.sort(key=lambda s: not s.startswith("+"))
    return lesion_report(rng, les, stmts)


def directional_cases(n_bases: int = 24) -> tuple[list[Case], list[Case]]:
    """Returns (base cases asserting category 1, directional cases)."""
    bases: list[Case] = []
    out: list[Case] = []
    for n in range(n_bases):
        les, slots, _rng_base = dir_base(n)
        base = dir_render(les, slots, n)
        base_text = fix_articles(base.render())
        bases.append(
            Case(
                id=f"risk_category/dir base/{n}",
                capability="category/threshold",
                kind="mft",
                text=base_text,
                expected={"risk_category": 1},
                tags={"feature": "risk_category", "form": "dir base"},
                report=base,
            )
        )
        for name, slot, stmt, cat in DIR_CHANGES:
            if slot == "size":
                new = dir_render(replace(les, size_mm=float(stmt)), slots, n)
            else:
                new = dir_render(les, {**slots, slot: stmt}, n)
            new_text = fix_articles(new.render())
            for mode, cap in (("monotone", "dir/never lowers"), ("target", "dir/reaches SPEC category")):
                out.append(
                    Case(
                        id=f"{cap}/{name}/{n}",
                        capability=cap,
                        kind="dir",
                        text=base_text,
                        perturbed=new_text,
                        expected={"risk_category": cat, "mode": mode},
                        tags={"perturbation": name, "feature": "risk_category"},
                    )
                )
    return bases, out


# --------------------------------------------------------------------------------------------
# All cases
# --------------------------------------------------------------------------------------------


def generate() -> list[Case]:
    mft = (
        core_grid()
        + subject_grid()
        + section_grid()
        + distractor_grid()
        + size_grid()
        + location_grid()
        + multiplicity_grid()
        + mpd_grid()
        + pcl_grid()
        + category_grid()
    )
    dir_bases, dirs = directional_cases()
    mft += dir_bases
    inv_pool = [c for c in mft if c.tags.get("distractor") == "none" and c.tags.get("section") == "FINDINGS"]
    return mft + invariance_cases(inv_pool) + dirs


def valid_values() -> dict[str, set[Any] | None]:
    """Allowed expected values per key (None: a non-negative number or null)."""
    from pancyst import schema

    return {
        "pcl_present": {True, False},
        "location": set(get_args(schema.Location)),
        "multiplicity": set(get_args(schema.Multiplicity)),
        "mpd_dilated": set(get_args(schema.YesNo)),
        "mural_nodule": set(get_args(schema.MuralNodule)),
        "wall_thickening": set(get_args(schema.PresentAbsent)),
        "septations": set(get_args(schema.PresentAbsent)),
        "mpd_communication": set(get_args(schema.PresentAbsent)),
        "risk_category": {1, 2, 3, None},
        "size_mm": None,
        "mpd_diameter_mm": None,
        "prior_size_mm": None,
        "interval_months": None,
    }


# --------------------------------------------------------------------------------------------
# Running and scoring
# --------------------------------------------------------------------------------------------


@dataclass
class Result:
    case: Case
    passed: bool
    got: dict[str, Any]
    mismatches: dict[str, tuple[Any, Any]]  # key -> (expected / original, got / perturbed)


def outcome_of(line: Any) -> dict[str, Any]:
    feats = line.features.model_dump() if line.features is not None else {}
    out: dict[str, Any] = {"pcl_present": line.pcl_present}
    for key in FEATURE_KEYS:
        out[key] = feats.get(key)
    out["risk_category"] = line.derived.risk_category if line.derived is not None else None
    out["errors"] = list(line.errors)
    return out


def run_texts(items: Iterable[tuple[str, bool | None]]) -> dict[tuple[str, bool | None], dict[str, Any]]:
    """Run each distinct (text, jaundice) once through the rules pipeline."""
    from pancyst.extract import get_extractor
    from pancyst.pipeline import Pipeline
    from pancyst.schema import ReportInput

    keys = list(dict.fromkeys(items))
    rows = [
        ReportInput(report_id=f"b{n}", text=text, jaundice=jaundice)
        for n, (text, jaundice) in enumerate(keys)
    ]
    lines = list(Pipeline(get_extractor("rules")).run(rows))
    return {key: outcome_of(line) for key, line in zip(keys, lines, strict=True)}


def same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= TOLERANCE_MM
    return bool(a == b)


def evaluate(cases: Sequence[Case]) -> list[Result]:
    items: list[tuple[str, bool | None]] = []
    for c in cases:
        items.append((c.text, c.jaundice))
        if c.perturbed is not None:
            items.append((c.perturbed, c.jaundice))
    outs = run_texts(items)
    results: list[Result] = []
    for c in cases:
        got = outs[(c.text, c.jaundice)]
        mism: dict[str, tuple[Any, Any]] = {}
        # an error line is never a pass: two error lines would otherwise look "invariant"
        errors = [
            *got["errors"],
            *(outs[(c.perturbed, c.jaundice)]["errors"] if c.perturbed is not None else []),
        ]
        if errors:
            results.append(Result(c, False, got, {"errors": ([], errors)}))
            continue
        if c.kind == "mft":
            for key, exp in c.expected.items():
                if not same(exp, got.get(key)):
                    mism[key] = (exp, got.get(key))
            results.append(Result(c, not mism, got, mism))
        elif c.kind == "inv":
            assert c.perturbed is not None
            new = outs[(c.perturbed, c.jaundice)]
            for key in COMPARED_KEYS:
                if not same(got.get(key), new.get(key)):
                    mism[key] = (got.get(key), new.get(key))
            results.append(Result(c, not mism, new, mism))
        else:
            assert c.perturbed is not None
            new = outs[(c.perturbed, c.jaundice)]
            before, after = got.get("risk_category") or 0, new.get("risk_category") or 0
            target = c.expected["risk_category"]
            ok = after >= before if c.expected["mode"] == "monotone" else after == target
            if not ok:
                mism["risk_category"] = (target if c.expected["mode"] == "target" else f">= {before}", after)
            results.append(Result(c, ok, new, mism))
    return results


def rates(results: Iterable[Result], by: Callable[[Result], Iterable[str]]) -> dict[str, dict[str, Any]]:
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        for key in by(r):
            tally[key][0] += int(r.passed)
            tally[key][1] += 1
    return {k: {"passed": p, "n": n, "rate": p / n} for k, (p, n) in sorted(tally.items())}


def feature_rates(results: Iterable[Result]) -> dict[str, dict[str, Any]]:
    """MFT: per asserted key; INV: per compared key (stability)."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        if r.case.kind == "mft":
            keys: Iterable[str] = r.case.expected
            prefix = ""
        elif r.case.kind == "inv":
            keys, prefix = COMPARED_KEYS, "inv:"
        else:
            continue
        for key in keys:
            tally[prefix + key][0] += int(key not in r.mismatches)
            tally[prefix + key][1] += 1
    return {k: {"passed": p, "n": n, "rate": p / n} for k, (p, n) in sorted(tally.items())}


def by_capability(results: Iterable[Result]) -> dict[str, dict[str, Any]]:
    return rates(results, lambda r: [r.case.capability])


def snippet(text: str) -> str:
    """The PANCREAS paragraph, the impression and any addendum: what a case is about."""
    lines = text.split("\n")
    keep: list[str] = []
    mode = ""
    for line in lines:
        head = line.split(":", 1)[0]
        if head.isupper() and ":" in line:
            mode = head
        if mode in ("PANCREAS", "IMPRESSION", "ADDENDUM") or (
            mode == "CLINICAL HISTORY" and "cyst" in line.lower()
        ):
            keep.append(line.strip())
    return " | ".join(k for k in keep if k and k not in ("IMPRESSION:", "ADDENDUM:"))


def diff_snippet(before: str, after: str) -> str:
    """The lines of ``after`` that are not in ``before`` (for invariance / directional cases)."""
    old = set(before.split("\n"))
    new = [line.strip() for line in after.split("\n") if line not in old and line.strip()]
    return " | ".join(new[:6]) + (" | ..." if len(new) > 6 else "")


def describe(result: Result) -> dict[str, Any]:
    c = result.case
    out: dict[str, Any] = {"id": c.id, "capability": c.capability, "kind": c.kind, "tags": c.tags}
    if c.kind == "mft":
        out["snippet"] = snippet(c.text)
        out["expected"] = {k: v for k, v in c.expected.items()}
        out["got"] = {k: result.got.get(k) for k in c.expected}
    else:
        assert c.perturbed is not None
        out["snippet"] = snippet(c.text)
        out["changed"] = diff_snippet(c.text, c.perturbed)
        names = ("before", "after") if c.kind == "inv" else ("expected", "got")
        out["mismatches"] = {k: dict(zip(names, pair, strict=True)) for k, pair in result.mismatches.items()}
    if result.got.get("errors"):
        out["errors"] = result.got["errors"]
    return out
