"""What a synthetic report says, decided before any wording: the lesions, the duct, the metadata.

Sizes are kept in tenths of a millimetre (integers) so every cm → mm conversion is exact and
every threshold test is integer arithmetic. Features are sampled *for a target category*
(ACR 2017, SPEC §4) and the category is then recomputed from the sampled features, so the gold
category is a consequence of the gold features, never a separate label.

The SPEC §2 reading conventions for hedges, solid-and-cystic lesions and lesions spanning two
segments are sampled last, from a second random stream (``conv``), and never change a gold
category: a report that draws none of them is byte for byte what it was before they existed.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

MIXES: dict[str, tuple[float, tuple[float, float, float]]] = {
    # mix: (share of reports without a PCL, category 1/2/3 shares among PCL reports)
    "real": (0.35, (0.93, 0.06, 0.01)),
    "balanced": (0.25, (1 / 3, 1 / 3, 1 / 3)),
}
TEMPLATES: dict[str, float] = {
    "structured": 32,
    "narrative": 24,
    "british": 12,
    "telegraphic": 11,
    "synoptic": 10,
    "impression_only": 11,
}
NO_PCL_KINDS: dict[str, float] = {
    "normal": 26,
    "other_organ": 20,
    "solid_mass": 14,
    "resected": 10,
    "resolved": 10,
    "history_only": 12,
    "fluid_collection": 8,
}
LOCATIONS: dict[str, float] = {
    "head": 24,
    "uncinate": 11,
    "neck": 8,
    "body": 24,
    "tail": 27,
    "unspecified": 6,
}
KINDS: dict[str, float] = {"cyst": 50, "bd_ipmn": 31, "serous": 6, "mucinous": 5, "pseudocyst": 8}
MODALITIES: dict[str, float] = {"CT": 50, "MRI": 35, "MRCP": 15}
PRESUMED: dict[str, str] = {
    "cyst": "unspecified",
    "bd_ipmn": "bd_ipmn",
    "md_ipmn": "md_ipmn",
    "mixed_ipmn": "mixed_ipmn",
    "serous": "serous",
    "mucinous": "mucinous",
    "pseudocyst": "pseudocyst",
    "solid_cystic": "unspecified",
}
# SPEC §2 reading conventions, scaled per mix (1.0: the rates below; 0.0: none of them).
CONVENTION_RATE: dict[str, float] = {"real": 1.0, "balanced": 1.0}
# A hedged statement of a stated feature ("possible thin septation"): the gold value stays present.
HEDGE_PRESENT: dict[str, float] = {
    "mural_nodule": 0.15,
    "wall_thickening": 0.15,
    "septations": 0.08,
    "mpd_communication": 0.12,
    "pcl_present": 0.04,  # "6 mm hypodensity in the tail, likely a small cyst"
}
# "cannot be excluded", "cannot be confirmed", "indeterminate" about a feature: the gold stays not_stated.
HEDGE_NOT_STATED: dict[str, float] = {
    "mural_nodule": 0.03,
    "wall_thickening": 0.03,
    "septations": 0.03,
    "mpd_communication": 0.04,
}
SOLID_CYSTIC_RATE = 0.3  # of the lesions of 10 mm or more with a mural nodule (a simple cyst, BD-IPMN or MCN)
SOLID_CYSTIC_KINDS: dict[str, float] = {"spn": 55, "cnet": 27, "mass": 18}
SPAN_RATE = 0.1  # of the lesions of 15 mm or more in the head, neck or body
SPANS: dict[str, tuple[str, ...]] = {"head": ("neck", "neck", "body"), "neck": ("body",), "body": ("tail",)}
# A report keeps one date convention: US (month first) or European (day first).
DATE_FORMATS: dict[str, tuple[str, ...]] = {
    "us": ("us", "us_short", "iso", "long", "yy"),
    "eu": ("eu", "long_dmy", "dmy_short", "iso"),
}


def pick(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def grew(size10: int, prior10: int) -> bool:
    """ACR 2017 growth (SPEC §3) in integer tenths: size >= prior x (1 + t)."""
    return size10 * 10 >= prior10 * _growth_factor10(prior10)


def _growth_factor10(prior10: int) -> int:
    return 20 if prior10 < 50 else 15 if prior10 < 150 else 12


@dataclass
class Prior:
    size10: int
    date: dt.date | None = None
    date_fmt: str = "us"
    in_comparison: bool = False  # the date is stated only in the COMPARISON section
    stated_months: int | None = None
    older: tuple[int, dt.date] | None = None  # a second, earlier prior (most recent one counts)


@dataclass
class LesionPlan:
    kind: str = "cyst"
    group: str | None = None  # innumerable | multiple | subcm: one mention standing for several cysts
    count: int = 1
    dims10: list[int] = field(default_factory=list)  # as written; longest = size
    unit: str = "mm"
    size_style: str = "plain"  # plain | approx | none (sub-centimeter, no number)
    location: str = "unspecified"
    mural_nodule: str = "not_stated"
    nodule10: int | None = None
    wall: str = "not_stated"
    septations: str = "not_stated"
    sept_hedge: bool = False
    communication: str = "not_stated"
    comm_hedge: bool = False
    calcification: str = "not_stated"
    no_enhancement_note: bool = False
    prior: Prior | None = None
    stable_no_size: bool = False
    new: bool = False
    solid_kind: str | None = None  # spn | cnet | mass, for kind "solid_cystic"
    # A lesion spanning two segments: location is the proximal one, span_to the distal one; span_style
    # "pair" ("in the body and tail") or "extend" ("in the head, extending into the neck").
    span_to: str | None = None
    span_style: str = "pair"
    hedged: set[str] = field(default_factory=set)  # features stated with a hedge: gold present
    unsure: set[str] = field(default_factory=set)  # features said to be "cannot be excluded": gold not_stated

    @property
    def size10(self) -> int | None:
        return max(self.dims10) if self.dims10 else None

    @property
    def presumed_type(self) -> str:
        return PRESUMED[self.kind]


@dataclass
class DuctPlan:
    state: str = "none"  # none | no | no_num | num | yes | yes_num | two
    d10: int | None = None  # the largest stated diameter
    d2_10: int | None = None  # the smaller value of a "two" statement

    @property
    def dilated(self) -> str:
        return {"no": "no", "no_num": "no", "yes": "yes", "yes_num": "yes"}.get(self.state, "not_stated")


@dataclass
class ReportPlan:
    modality: str
    template: str
    exam_date: dt.date
    exam_date_meta: bool
    exam_date_in_text: bool
    age: int | None
    sex: str
    jaundice: bool | None
    pcl: bool
    nopcl_kind: str | None = None
    target: int | None = None
    lesions: list[LesionPlan] = field(default_factory=list)
    duct: DuctPlan = field(default_factory=DuctPlan)
    other_organs: list[str] = field(default_factory=list)
    cbd: bool = False
    side_branch: bool = False
    correction: str | None = None  # addendum_size | addendum_location | slip
    wrong_location: str | None = None
    correction_lesion: int = 0
    blanket: bool = False
    typo: bool = False
    solid_beside: bool = False
    date_style: str = "us"
    prior_mode: str | None = None  # date | stated | bare, shared by all lesions
    prior_date: dt.date | None = None
    prior_months: int = 12
    phen: set[str] = field(default_factory=set)

    @property
    def exam_date_known(self) -> bool:
        return self.exam_date_meta or self.exam_date_in_text


def lesion_category(les: LesionPlan, duct: DuctPlan, jaundice: bool | None) -> int:
    """SPEC §4, profile acr2017, for one lesion with the report-level duct features."""
    d = duct.d10
    if les.mural_nodule == "enhancing" or (d is not None and d >= 100):
        return 3
    if jaundice and les.location in ("head", "uncinate"):
        return 3
    s = les.size10
    if s is not None and s >= 300:
        return 2
    if les.wall == "present" or les.mural_nodule in ("nonenhancing", "present_unspecified"):
        return 2
    if (d is not None and 70 <= d < 100) or (d is None and duct.dilated == "yes"):
        return 2
    if les.prior is not None and s is not None and grew(s, les.prior.size10):
        return 2
    return 1


def index_lesion(plan: ReportPlan) -> int:
    """Highest category, ties → largest size, ties → first mentioned (SPEC §2)."""
    cats = [lesion_category(les, plan.duct, plan.jaundice) for les in plan.lesions]
    return max(range(len(cats)), key=lambda i: (cats[i], plan.lesions[i].size10 or -1, -i))


def report_category(plan: ReportPlan) -> int | None:
    if not plan.pcl or not plan.lesions:
        return None
    return max(lesion_category(les, plan.duct, plan.jaundice) for les in plan.lesions)


# --- sampling -------------------------------------------------------------------------------------------


def plan_report(rng: random.Random, mix: str, conv: random.Random | None = None) -> ReportPlan:
    """The plan of one report; ``conv`` draws the SPEC §2 reading-convention phrasings."""
    no_pcl_share, cat_shares = MIXES[mix]
    modality = pick(rng, MODALITIES)
    template = pick(rng, TEMPLATES)
    exam_date = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(0, 13 * 365))
    age = None if rng.random() < 0.15 else int(rng.triangular(35, 92, 70))
    plan = ReportPlan(
        modality=modality,
        template=template,
        exam_date=exam_date,
        exam_date_meta=rng.random() < 0.85,
        exam_date_in_text=rng.random() < 0.35,
        age=age,
        sex=rng.choice(["woman", "man", "female", "male"]),
        jaundice=rng.choice([None, None, None, False, False]),
        pcl=rng.random() >= no_pcl_share,
    )
    plan.date_style = "eu" if template == "british" or rng.random() < 0.12 else "us"
    if age is None:
        plan.phen.add("age_missing")
    if template == "british":
        plan.phen.add("british_spelling")
    if plan.pcl:
        plan.target = rng.choices((1, 2, 3), weights=cat_shares)[0]
        base_phen = set(plan.phen)
        for _ in range(50):
            # each attempt starts clean: nothing from a rejected attempt may leak into the plan
            plan.phen = set(base_phen)
            plan.correction, plan.correction_lesion, plan.wrong_location = None, 0, None
            _sample_pcl(rng, plan)
            if report_category(plan) == plan.target:
                break
        else:  # pragma: no cover - the sampler is built to hit its target
            raise RuntimeError(f"could not sample a category {plan.target} report")
    else:
        plan.nopcl_kind = pick(rng, NO_PCL_KINDS)
        plan.phen.add(f"no_pcl_{plan.nopcl_kind}")
        if plan.nopcl_kind == "solid_mass" and rng.random() < 0.4:
            plan.jaundice = True
    _sample_distractors(rng, plan)
    if plan.pcl:
        rate = CONVENTION_RATE.get(mix, 0.0)
        _sample_conventions(
            conv if conv is not None else random.Random("pancyst-synth-conventions"), plan, rate
        )
    return plan


def _sample_distractors(rng: random.Random, plan: ReportPlan) -> None:
    if rng.random() < 0.3:
        organs = ["kidneys", "liver", "spleen", "pelvis"]
        plan.other_organs = rng.sample(organs, k=rng.choice([1, 1, 2]))
    if plan.nopcl_kind == "other_organ" and not plan.other_organs:
        plan.other_organs = [rng.choice(["kidneys", "liver", "spleen", "pelvis"])]
    if plan.other_organs:
        plan.phen.add("other_organ_cyst")
    plan.cbd = rng.random() < (0.8 if plan.jaundice else 0.3)
    if plan.cbd:
        plan.phen.add("cbd_distractor")
    plan.side_branch = plan.pcl and rng.random() < 0.12
    if plan.side_branch:
        plan.phen.add("side_branch_distractor")


def _sample_pcl(rng: random.Random, plan: ReportPlan) -> None:
    plan.phen = {p for p in plan.phen if p in ("age_missing", "british_spelling")}
    plan.jaundice = rng.choice([None, None, None, False, False])
    plan.prior_mode = None
    plan.typo = rng.random() < 0.05
    n = rng.choices((1, 2, 3, 4), weights=(66, 21, 9, 4))[0]
    plan.lesions = [_benign_lesion(rng, plan) for _ in range(n)]
    if rng.random() < 0.1:  # a group mention: "innumerable cysts up to 5 mm", "multiple sub-centimeter cysts"
        group = _group_lesion(rng)
        if n == 1 and rng.random() < 0.5:
            plan.lesions = [group]
        else:
            plan.lesions.append(group)
    plan.duct = _benign_duct(rng)
    plan.solid_beside = rng.random() < 0.03
    if plan.solid_beside:
        plan.phen.add("solid_mass_beside_pcl")
    target = plan.target or 1
    if target >= 2:
        _inject(rng, plan, target)
    elif rng.random() < 0.03 and all(les.location not in ("head", "uncinate") for les in plan.lesions):
        plan.jaundice = True
        plan.phen.add("jaundice_non_head")
    for les in plan.lesions:
        _sample_prior(rng, plan, les, want_growth=False)
    plan.blanket = target == 1 and rng.random() < 0.15
    _sample_correction(rng, plan)


def _quantize(rng: random.Random, mm: float, unit: str, fine: bool) -> int:
    step = 5 if fine else 10
    return max(step, round(mm * 10 / step) * step)


def _sample_size(rng: random.Random, les: LesionPlan, lo: float, hi: float) -> None:
    """Fill dims10/unit for a longest diameter in [lo, hi) mm."""
    mm = lo + (hi - lo) * rng.random() ** 1.5
    les.unit = (
        ("mm" if mm < 5 or rng.random() < 0.75 else "cm")
        if mm < 10
        else ("cm" if rng.random() < 0.65 else "mm")
    )
    fine = rng.random() < 0.1
    size10 = _quantize(rng, mm, les.unit, fine)
    step = 5 if fine else 10
    while size10 >= hi * 10:
        size10 -= step
    while size10 < lo * 10:
        size10 += step
    ndims = rng.choices((1, 2, 3), weights=(50, 38, 12))[0]
    dims = [size10]
    for _ in range(ndims - 1):
        dims.append(min(size10, _quantize(rng, size10 / 10 * rng.uniform(0.45, 0.95), les.unit, fine)))
    if ndims > 1 and rng.random() < 0.2:
        dims = dims[1:] + dims[:1]  # longest diameter not written first
    les.dims10 = dims
    les.size_style = "approx" if rng.random() < 0.15 else "plain"


def _benign_lesion(rng: random.Random, plan: ReportPlan) -> LesionPlan:
    kind = pick(rng, KINDS)
    les = LesionPlan(kind=kind, location=pick(rng, LOCATIONS))
    if rng.random() < 0.06:
        les.size_style = "none"  # "sub-centimeter cyst": no number, size null
    else:
        _sample_size(rng, les, 10 if kind == "pseudocyst" else 3, 30)
    r = rng.random()
    les.mural_nodule = "absent" if r < 0.35 else "not_stated"
    les.no_enhancement_note = (
        les.mural_nodule == "not_stated" and plan.modality != "MRCP" and rng.random() < 0.07
    )
    les.wall = "absent" if rng.random() < 0.25 else "not_stated"
    r = rng.random()
    les.septations = "absent" if r < 0.2 else "present" if r < 0.42 else "not_stated"
    les.sept_hedge = les.septations == "present" and rng.random() < 0.2
    if kind == "bd_ipmn":
        les.communication = "present"
    elif kind in ("serous", "mucinous", "pseudocyst"):
        les.communication = "absent" if rng.random() < 0.25 else "not_stated"
    else:
        r = rng.random()
        les.communication = "present" if r < 0.1 else "absent" if r < 0.27 else "not_stated"
        les.comm_hedge = les.communication == "not_stated" and rng.random() < 0.1
    if kind == "serous":
        les.septations, les.sept_hedge = "present", False
        les.calcification = "central" if rng.random() < 0.45 else "not_stated"
    elif kind == "mucinous":
        les.calcification = "peripheral" if rng.random() < 0.35 else "not_stated"
    else:
        r = rng.random()
        les.calcification = "absent" if r < 0.08 else "present_unspecified" if r < 0.11 else "not_stated"
    return les


def _group_lesion(rng: random.Random) -> LesionPlan:
    group = rng.choice(["innumerable", "multiple", "subcm"])
    les = LesionPlan(kind=rng.choice(["cyst", "cyst", "bd_ipmn"]), group=group, count=2)
    if les.kind == "bd_ipmn":
        les.communication = "present"
    if group == "subcm":
        les.size_style = "none"
    else:
        _sample_size(rng, les, 3, 10 if group == "innumerable" else 25)
        les.dims10 = [max(les.dims10)]
        les.size_style = "plain"
        les.location = (
            "unspecified" if group == "innumerable" and rng.random() < 0.6 else pick(rng, LOCATIONS)
        )
        while les.location == "unspecified" and group == "multiple":
            les.location = pick(rng, LOCATIONS)
    return les


def _benign_duct(rng: random.Random) -> DuctPlan:
    state = rng.choices(("none", "no", "no_num", "num", "yes_num", "two"), weights=(33, 25, 12, 16, 5, 9))[0]
    if state == "none" or state == "no":
        return DuctPlan(state)
    if state == "yes_num":
        return DuctPlan(state, rng.choice([50, 55, 60, 65]))
    d = rng.choice([10, 15, 20, 20, 25, 30, 30, 35, 40])
    if state == "two":
        return DuctPlan(state, d + rng.choice([5, 10, 15]), d)
    return DuctPlan(state, d)


def _inject(rng: random.Random, plan: ReportPlan, target: int) -> None:
    """Add worrisome features (target 2) or a high-risk stigma (target 3) to a lesion or the duct."""
    singles = [i for i, les in enumerate(plan.lesions) if les.group is None]
    i = rng.choice(singles) if singles else None
    if target == 3:
        routes = ["enhancing", "mpd_10", "jaundice"] if i is not None else ["mpd_10"]
        route = rng.choices(routes, weights=(45, 35, 20)[: len(routes)])[0]
        plan.phen.add(f"hrs_{route}")
        if route == "mpd_10":
            _duct_route(rng, plan, rng.choice([100, 105, 110, 120, 130, 150]))
        elif route == "jaundice":
            assert i is not None
            plan.lesions[i].location = rng.choice(["head", "head", "uncinate"])
            plan.jaundice = True
            plan.phen.add("jaundice")
        else:
            assert i is not None
            les = plan.lesions[i]
            les.mural_nodule = "enhancing"
            les.nodule10 = rng.choice([None, 30, 40, 50, 60, 80, 100])
            les.no_enhancement_note = False
        if rng.random() < 0.3 and i is not None:  # a worrisome feature on top
            _worrisome(rng, plan, i)
    else:
        routes = ["lesion", "duct"] if i is not None else ["duct"]
        if rng.choices(routes, weights=(78, 22)[: len(routes)])[0] == "duct":
            if rng.random() < 0.35:
                plan.duct = DuctPlan("yes")
                plan.phen.add("wf_mpd_dilated_no_number")
            else:
                _duct_route(rng, plan, rng.choice([70, 75, 80, 85, 90, 95]))
                plan.phen.add("wf_mpd_7_9")
        else:
            assert i is not None
            _worrisome(rng, plan, i)
            if rng.random() < 0.2:
                _worrisome(rng, plan, i)


def _duct_route(rng: random.Random, plan: ReportPlan, d10: int) -> None:
    if rng.random() < 0.12:
        mixed = next((les for les in plan.lesions if les.group is None), None)
        if mixed is not None and mixed.size10 is not None:
            mixed.kind, mixed.communication, mixed.comm_hedge = "mixed_ipmn", "present", False
            plan.phen.add("mixed_ipmn")
        plan.duct = DuctPlan("yes_num", d10)
    elif rng.random() < 0.12:
        md = LesionPlan(kind="md_ipmn", location=rng.choice(["unspecified", "body", "tail", "head"]))
        plan.lesions.append(md)
        plan.duct = DuctPlan("yes_num", d10)
        plan.phen.add("md_ipmn")
    else:
        plan.duct = DuctPlan(rng.choice(["yes_num", "yes_num", "num"]), d10)


def _worrisome(rng: random.Random, plan: ReportPlan, i: int) -> None:
    les = plan.lesions[i]
    route = rng.choices(("size", "wall", "nodule", "growth"), weights=(35, 20, 20, 25))[0]
    plan.phen.add(f"wf_{route}")
    if route == "size":
        _sample_size(rng, les, 30, 70)
        les.size_style = "plain" if rng.random() < 0.85 else "approx"
    elif route == "wall":
        les.wall = "present"
    elif route == "nodule":
        les.mural_nodule = rng.choice(["nonenhancing", "present_unspecified"])
        les.nodule10 = rng.choice([None, None, 30, 40, 50])
        les.no_enhancement_note = False
        if les.mural_nodule == "present_unspecified":
            plan.phen.add("nodule_enhancement_unassessable")
    else:
        if les.size10 is None or les.size10 < 80:
            _sample_size(rng, les, 8, 30)
        _sample_prior(rng, plan, les, want_growth=True)


def _sample_prior(rng: random.Random, plan: ReportPlan, les: LesionPlan, want_growth: bool) -> None:
    """A prior size (growing or not) with a dated or stated interval; or 'stable' with no size."""
    if les.prior is not None or les.group is not None or les.kind == "md_ipmn":
        return
    size10 = les.size10
    if not want_growth:
        r = rng.random()
        if size10 is None or r > 0.4:
            if r > 0.4 and r < 0.5:
                les.stable_no_size = True
            elif r > 0.5 and r < 0.53:
                les.new = True
            return
    assert size10 is not None
    step = 10 if size10 % 10 == 0 else 5
    prior10: int | None = None
    if want_growth:
        candidates = [p for p in range(20, size10, step) if size10 * 10 >= p * _growth_factor10(p) + 50]
        if candidates:
            prior10 = rng.choice(candidates[-3:])
    else:
        for _ in range(10):
            p = max(20, round(size10 * rng.uniform(0.8, 1.12) / step) * step)
            if size10 * 10 <= p * _growth_factor10(p) - 50:
                prior10 = p
                break
    if prior10 is None:
        return
    prior = Prior(size10=prior10)
    if plan.prior_mode is None:  # one prior exam per report: every lesion's prior shares its date or interval
        r = rng.random()
        plan.prior_mode = "date" if plan.exam_date_known and r < 0.72 else "stated" if r < 0.93 else "bare"
        plan.prior_date = plan.exam_date - dt.timedelta(days=rng.randrange(90, 1100))
        plan.prior_months = rng.choice([3, 6, 6, 12, 12, 12, 18, 24, 24, 36])
    if plan.prior_mode == "date" and plan.prior_date is not None:
        prior.date = plan.prior_date
        prior.date_fmt = rng.choice(DATE_FORMATS[plan.date_style])
        if prior.date_fmt == "eu" and prior.date.day <= 12:
            prior.date_fmt = "long_dmy"  # a numeric day-first date must stay unambiguous
        prior.in_comparison = rng.random() < 0.3
        if not prior.in_comparison and rng.random() < 0.12:
            older = prior.date - dt.timedelta(days=rng.randrange(150, 700))
            prior.older = (max(20, prior10 - rng.choice([0, step, 2 * step])), older)
    elif plan.prior_mode == "stated":
        prior.stated_months = plan.prior_months
    les.prior = prior


def _sample_correction(rng: random.Random, plan: ReportPlan) -> None:
    singles = [les for les in plan.lesions if les.group is None and les.kind != "md_ipmn"]
    if len(plan.lesions) != 1 or not singles or rng.random() > 0.1:
        return  # "the cyst described above" must be unambiguous
    kind = rng.choice(["addendum_size", "addendum_location", "slip"])
    les = singles[0]
    if kind == "slip":
        if plan.template == "impression_only" or les.size10 is None:
            return
        les.unit = "cm"
        les.size_style = "plain"
        plan.phen.add("dictation_slip")
    elif kind == "addendum_size":
        if les.size10 is None:
            return
        plan.phen.add("addendum_correction")
    else:
        if les.location == "unspecified":
            return
        plan.wrong_location = rng.choice([loc for loc in ("head", "body", "tail") if loc != les.location])
        plan.phen.add("addendum_correction")
    plan.correction = kind
    plan.correction_lesion = next(k for k, other in enumerate(plan.lesions) if other is les)


# --- SPEC §2 reading conventions ------------------------------------------------------------------------


def _sample_conventions(conv: random.Random, plan: ReportPlan, rate: float) -> None:
    """Solid-and-cystic lesions, lesions spanning two segments, hedged and 'cannot be excluded' wordings.

    Every draw comes from ``conv``, and none changes a lesion's category (a solid part is the mural
    nodule the plan already has, a span keeps the proximal location, a hedge keeps the value), so the
    report keeps its sampled category. Gold values are read from the plan after this, as always.
    """
    if rate <= 0:
        return
    target = report_category(plan)
    for k, les in enumerate(plan.lesions):
        if les.group is not None or les.kind in ("md_ipmn", "mixed_ipmn"):
            continue
        if (
            les.mural_nodule in ("enhancing", "nonenhancing", "present_unspecified")
            and les.kind in ("cyst", "bd_ipmn", "mucinous")
            and (les.size10 or 0) >= 100  # a solid-and-cystic mass of some size
            and not plan.solid_beside
            and conv.random() < SOLID_CYSTIC_RATE * rate
        ):
            _make_solid_cystic(conv, plan, les, k)
        if (
            les.location in SPANS
            and (les.size10 or 0) >= 150  # only a lesion of some size reaches a second segment
            and not (plan.correction == "addendum_location" and k == plan.correction_lesion)
            and conv.random() < SPAN_RATE * rate
        ):
            les.span_to = conv.choice(SPANS[les.location])
            les.span_style = conv.choice(["pair", "pair", "extend"])
            plan.phen.add("location_span")
        _sample_hedges(conv, les, rate)
    assert report_category(plan) == target, "a reading convention changed the category"


def _make_solid_cystic(conv: random.Random, plan: ReportPlan, les: LesionPlan, k: int) -> None:
    """A lesion both solid and cystic, not called malignant: its solid part is the mural nodule (SPEC §2).

    The lesion already has the nodule, so its category stands. A solid pseudopapillary neoplasm under
    2 cm gets a size of its own (2-7 cm) where nothing else depends on the size (no prior, no
    correction); otherwise it becomes a cystic neuroendocrine tumour or an unnamed solid-and-cystic mass.
    """
    les.kind = "solid_cystic"
    les.solid_kind = pick(conv, SOLID_CYSTIC_KINDS)
    if les.solid_kind == "spn" and (les.size10 or 0) < 200:
        if (
            les.prior is None
            and not les.stable_no_size
            and not (plan.correction and k == plan.correction_lesion)
        ):
            _sample_size(conv, les, 20, 70)  # >= 30 mm is worrisome, below the nodule's own category
        else:
            les.solid_kind = conv.choice(["cnet", "mass"])
    if les.mural_nodule == "nonenhancing":  # SPEC §2: enhancing or present_unspecified (same category)
        les.mural_nodule = "present_unspecified"
    if les.nodule10 is not None and les.size10 is not None and les.nodule10 >= les.size10:
        les.nodule10 = None  # the solid part lies within the lesion
    les.communication = "absent" if conv.random() < 0.3 else "not_stated"
    les.comm_hedge = False
    les.no_enhancement_note = False
    plan.phen.update({"solid_cystic_lesion", f"solid_cystic_{les.solid_kind}"})


def _sample_hedges(conv: random.Random, les: LesionPlan, rate: float) -> None:
    stated = {
        "mural_nodule": les.mural_nodule in ("enhancing", "nonenhancing", "present_unspecified")
        and les.kind != "solid_cystic",
        "wall_thickening": les.wall == "present",
        "septations": les.septations == "present" and not les.sept_hedge and les.kind != "serous",
        "mpd_communication": les.communication == "present",
        "pcl_present": les.kind == "cyst",
    }
    silent = {
        "mural_nodule": les.mural_nodule == "not_stated" and not les.no_enhancement_note,
        "wall_thickening": les.wall == "not_stated",
        "septations": les.septations == "not_stated" and les.kind != "serous",
        "mpd_communication": les.communication == "not_stated" and not les.comm_hedge,
    }
    for feature, p in HEDGE_PRESENT.items():
        if stated[feature] and conv.random() < p * rate:
            les.hedged.add(feature)
    for feature, p in HEDGE_NOT_STATED.items():
        if silent[feature] and conv.random() < p * rate:
            les.unsure.add(feature)
