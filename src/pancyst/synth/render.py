"""Wording: turn a :class:`ReportPlan` into report text whose evidence ranges are tagged.

Tags are ``L<i>:<feature>`` for lesion ``i`` and ``R:<feature>`` for report-level facts
(duct, multiplicity, PCL mention). Values that the finally-reported text does not support
(a dictation slip, a value an addendum corrects) are written untagged, so they never become
evidence. The generator reads gold values from the plan and evidence from the tags.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from pancyst.resources import load_yaml
from pancyst.synth.frag import Frag, capitalize, join, render
from pancyst.synth.plan import DATE_FORMATS, DuctPlan, ReportPlan, grew, index_lesion, report_category

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_ORGANS = {
    "CT": [
        "lower_chest",
        "liver",
        "biliary",
        "pancreas",
        "spleen",
        "adrenals",
        "kidneys",
        "bowel",
        "nodes",
        "vessels",
        "pelvis",
        "bones",
    ],
    "MRI": ["liver", "biliary", "pancreas", "spleen", "adrenals", "kidneys", "nodes", "vessels", "bones"],
    "MRCP": ["liver", "biliary", "pancreas", "spleen", "kidneys"],
}
_NUMBER_WORDS = {"three": 3, "four": 4, "five": 5}


@lru_cache(maxsize=1)
def phrases() -> dict[str, Any]:
    text = resources.files("pancyst.synth").joinpath("data/phrases.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = load_yaml(text)
    return data


@lru_cache(maxsize=1)
def _british_re() -> tuple[re.Pattern[str], dict[str, str]]:
    table: dict[str, str] = phrases()["british"]
    pattern = re.compile(
        r"\b(" + "|".join(sorted(map(re.escape, table), key=len, reverse=True)) + r")\b", re.I
    )
    return pattern, table


def fmt_len(d10: int, unit: str, comma: bool = False, whole_zero: bool = False) -> str:
    """A length in tenths of a millimetre written in ``unit`` (exact: 125 tenths → '1.25' cm)."""
    if unit == "cm":
        whole, frac = divmod(d10, 100)
        if frac == 0:
            text = f"{whole}.0" if whole_zero else f"{whole}"
        elif frac % 10 == 0:
            text = f"{whole}.{frac // 10}"
        else:
            text = f"{whole}.{frac:02d}"
    else:
        whole, frac = divmod(d10, 10)
        text = f"{whole}" if frac == 0 else f"{whole}.{frac}"
    return text.replace(".", ",") if comma else text


def fmt_date(d: dt.date, fmt: str) -> str:
    month = _MONTHS[d.month - 1]
    return {
        "us": f"{d.month:02d}/{d.day:02d}/{d.year}",
        "us_short": f"{d.month}/{d.day}/{d.year}",
        "iso": d.isoformat(),
        "eu": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "long": f"{month} {d.day}, {d.year}",
        "long_dmy": f"{d.day} {month} {d.year}",
        "dmy_short": f"{d.day} {month[:3]} {d.year}",
        "yy": f"{d.month}/{d.day}/{d.year % 100:02d}",
    }[fmt]


def interval_from_dates(current: dt.date, prior: dt.date) -> float:
    """SPEC §2: days / 30.4375, rounded to 2 decimals."""
    return round((current - prior).days / 30.4375, 2)


class Writer:
    """Writes one report. All randomness comes from the report's own ``random.Random``."""

    def __init__(self, rng: random.Random, plan: ReportPlan) -> None:
        self.rng = rng
        self.plan = plan
        self.p = phrases()
        self.british = plan.template == "british"
        self.terse = plan.template == "telegraphic"
        self.comma = rng.random() < 0.04 and not self.terse
        self.nodule_written: dict[int, bool] = {}
        self.counts: dict[int, int] = {}
        self.solid_sub: str | None = None
        self.variant: dict[tuple[int | None, str], int] = {}
        self.category = report_category(plan)
        self.wrong_dims: list[int] = []
        if plan.correction in ("addendum_size", "slip"):
            les = plan.lesions[plan.correction_lesion]
            longest = max(les.dims10)
            delta = 100 if les.unit == "cm" else 50
            wrong = longest + delta if longest <= delta or rng.random() < 0.5 else longest - delta
            self.wrong_dims = [wrong if d == longest else d for d in les.dims10]
        self._align_comparison_dates()

    # --- small helpers ----------------------------------------------------------------------------------
    def pick(self, *path: str | int) -> str:
        node: Any = self.p
        for key in path:
            node = node[key]
        return self.brit(self.rng.choice(node))

    def brit(self, text: str) -> str:
        if not self.british:
            return text
        pattern, table = _british_re()

        def sub(m: re.Match[str]) -> str:
            word = m.group(0)
            new = table[word.lower()]
            return capitalize(new) if word[:1].isupper() else new

        return pattern.sub(sub, text)

    def place(self, location: str, form: str, lesion: int | None = None) -> str:
        """A name for ``location``; a lesion keeps one naming variant throughout the report."""
        variants = self.p["locations"][location]["variants"]
        key = (lesion, location)
        if lesion is None or key not in self.variant:
            choice = self.rng.randrange(len(variants))
            if lesion is None:
                return self.brit(variants[choice][form])
            self.variant[key] = choice
        return self.brit(variants[self.variant[key]][form])

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def phen(self, name: str) -> None:
        self.plan.phen.add(name)

    def img(self) -> str:
        if not self.chance(0.22):
            return ""
        self.phen("series_image_ref")
        tpl = self.rng.choice(self.p["image_ref"])
        return " " + tpl.format(s=self.rng.randint(2, 14), i=self.rng.randint(8, 190))

    def unit_label(self, unit: str) -> str:
        if self.chance(0.04):
            return self.brit("centimeters" if unit == "cm" else "millimeters")
        return unit

    def measure(self, dims10: Sequence[int], unit: str, label: str | None = None) -> str:
        label = label or self.unit_label(unit)
        zero = self.chance(0.3)
        nums = [fmt_len(d, unit, self.comma, zero) for d in dims10]
        if self.comma and any("," in n for n in nums):
            self.phen("decimal_comma")
        if len(nums) > 1:
            self.phen("size_3d" if len(nums) == 3 else "size_2d")
            if dims10[0] != max(dims10):
                self.phen("longest_not_first")
        self.phen(f"size_{unit}")
        space = "" if (self.terse and unit == "mm" and self.chance(0.5)) else " "
        if len(nums) > 1 and self.chance(0.12):
            return " x ".join(f"{n}{space}{label}" for n in nums)
        sep = self.rng.choice([" x ", " x ", " x ", " × ", "x", " by "])
        return sep.join(nums) + space + label

    def date_text(self, d: dt.date, fmt: str, prior: bool = False) -> str:
        if prior:
            self.phen(f"prior_date_{fmt}")
        return fmt_date(d, fmt)

    # --- comparison dates -------------------------------------------------------------------------------
    def _align_comparison_dates(self) -> None:
        """Lesions whose prior date is stated only in COMPARISON share one comparison exam."""
        dated = [
            les.prior for les in self.plan.lesions if les.prior is not None and les.prior.date is not None
        ]
        for prior in dated[1:]:  # one most recent prior exam per report
            prior.date = dated[0].date
            if prior.date_fmt == "eu" and prior.date is not None and prior.date.day <= 12:
                prior.date_fmt = "long_dmy"  # a numeric day-first date must stay unambiguous
            if prior.older is not None and dated[0].date is not None and prior.older[1] >= dated[0].date:
                prior.older = None
        shared = [prior for prior in dated if prior.in_comparison]
        if not shared:
            return
        date = shared[0].date
        for les in self.plan.lesions:  # a bare "previously 9 mm" then refers to the comparison exam too
            if les.prior is not None and les.prior.date is None and les.prior.stated_months is None:
                les.prior.date, les.prior.in_comparison = date, True

    # --- lesion pieces ----------------------------------------------------------------------------------
    def _lesion_tags(self, i: int, *features: str) -> list[str]:
        return [f"L{i}:{f}" for f in features]

    def value_key(self, i: int, feature: str, value: str) -> str:
        """The phrase list for a stated value: plain, hedged ('possible ...') or a solid part (SPEC §2)."""
        les = self.plan.lesions[i]
        if feature == "mural_nodule" and les.kind == "solid_cystic":
            return "solid_enhancing" if value == "enhancing" else "solid_unspecified"
        if feature in les.hedged:
            return f"{value}_hedged"
        return value

    def noun(self, i: int) -> tuple[Frag, set[str]]:
        """The lesion noun; returns which features the noun itself establishes."""
        les = self.plan.lesions[i]
        tags = ["R:pcl_present"]
        if len(self.plan.lesions) > 1:
            tags.append("R:multiplicity")
        covered: set[str] = set()
        kind = les.kind
        if kind == "solid_cystic":
            return self._solid_cystic_noun(i, tags)
        if kind == "cyst" and "pcl_present" in les.hedged:
            # "a 6 mm hypodensity ..., likely a small cyst": the hedge (type clause) is the PCL evidence
            self.phen("hedge")
            self.phen("hedge_present_pcl_present")
            pool = self.p["noun"]["hedged_CT" if self.plan.modality == "CT" else "hedged_MRI"]
            return Frag(self.brit(self.rng.choice(pool))).tagged(*tags[1:]), {"pcl_hedge"}
        typed_p = {"bd_ipmn": 0.45, "serous": 0.4, "mucinous": 0.3, "pseudocyst": 0.6, "mixed_ipmn": 0.3}.get(
            kind, 0.0
        )
        if self.chance(typed_p):
            if kind == "bd_ipmn" and self.plan.typo and self.chance(0.6):
                text = self.pick("noun", "bd_ipmn_typo")
                self.phen("typo")
            else:
                text = self.pick("noun", kind)
            covered.add("presumed_type")
            if kind == "bd_ipmn":
                covered.add("mpd_communication")
                self.phen("bd_ipmn")
        elif kind == "serous":
            text = self.pick("noun", "serous_generic")
        else:
            pool = list(self.p["noun"]["cyst"])
            extra = "cyst_CT" if self.plan.modality == "CT" else "cyst_MRI"
            pool += self.p["noun"][extra]
            text = self.brit(self.rng.choice(pool))
        if les.kind != "cyst":
            self.phen(les.kind if les.kind != "serous" else "serous_cystadenoma")
        return Frag(text).tagged(*tags, *self._lesion_tags(i, *covered)), covered

    def _solid_cystic_noun(self, i: int, tags: list[str]) -> tuple[Frag, set[str]]:
        """A solid-and-cystic lesion; a noun that names the solid part states an unspecified mural nodule."""
        les = self.plan.lesions[i]
        key = (i, "solid_noun")
        if key not in self.variant:  # one naming per lesion, in findings and impression alike
            self.variant[key] = 0 if les.mural_nodule == "enhancing" or self.chance(0.6) else 1
        named = self.variant[key] == 0
        text = self.pick("noun", "solid_cystic" if named else "solid_cystic_plain")
        covered: set[str] = set()
        if named and les.mural_nodule == "present_unspecified":
            covered.add("mural_nodule")
        return Frag(text).tagged(*tags, *self._lesion_tags(i, *covered)), covered

    def type_clause(self, i: int, covered: set[str], plural: bool = False) -> Frag:
        les = self.plan.lesions[i]
        if "pcl_hedge" in covered:
            pool = self.p["type_clause"]["cyst_hedged"]
            if (les.size10 or 0) >= 200:
                pool = [t for t in pool if "small" not in t]
            return render(self.brit(self.rng.choice(pool)), tags=["R:pcl_present"])
        if les.kind == "solid_cystic":
            if les.solid_kind in ("spn", "cnet"):
                return Frag(self.pick("type_clause", f"solid_cystic_{les.solid_kind}"))
            return Frag()
        if "presumed_type" in covered or les.kind == "cyst":
            return Frag()
        key = les.kind + ("_plural" if plural else "")
        feats = ["presumed_type"] + (["mpd_communication"] if les.kind == "bd_ipmn" else [])
        covered.update(feats)
        if les.kind == "bd_ipmn":
            self.phen("bd_ipmn")
        return render(self.pick("type_clause", key), tags=self._lesion_tags(i, *feats))

    def size(self, i: int, where: str = "findings") -> Frag:
        """The size phrase; '' for a lesion without a number (sub-centimeter, tiny)."""
        les = self.plan.lesions[i]
        if les.size10 is None:
            if les.size_style == "none":
                self.phen("subcentimeter_no_size")
                return Frag(self.pick("size_none_attr"))
            return Frag()
        corrected = self.plan.correction if i == self.plan.correction_lesion else None
        approx = self.pick("size_approx") if les.size_style == "approx" else ""
        if approx and les.stable_no_size:
            approx = "approximately "
        if approx:
            self.phen("size_approximately")
        if corrected == "addendum_size" and where != "addendum":
            return Frag(approx + self.measure(self.wrong_dims, les.unit))
        if corrected == "slip" and where == "findings":
            return Frag(approx + self.measure(les.dims10, "cm", label="mm"))
        if corrected == "slip" and where == "impression":
            dims = les.dims10 if self.chance(0.5) else [max(les.dims10)]
            return Frag(approx) + Frag(self.measure(dims, "cm", label="cm")).tagged(f"L{i}:size_mm")
        return Frag(approx) + Frag(self.measure(les.dims10, les.unit)).tagged(f"L{i}:size_mm")

    def loc(self, i: int, form: str = "full", where: str = "findings") -> Frag:
        les = self.plan.lesions[i]
        location = les.location
        if les.span_to is not None:
            return self._span_loc(i, form, where)
        wrong = (
            self.plan.correction == "addendum_location"
            and i == self.plan.correction_lesion
            and where != "addendum"
        )
        if wrong and self.plan.wrong_location:
            location = self.plan.wrong_location
        if self.plan.typo and form == "full" and self.chance(0.4):
            text = self.pick("locations", location, "typo")
            self.phen("typo")
        else:
            text = self.place(location, form, i)
        if "junction" in text or "head/uncinate" in text:
            self.phen("location_junction")
        frag = Frag(text)
        if location == "unspecified" or wrong:
            if location == "unspecified":
                self.phen("location_unspecified")
            return frag
        return frag.tagged(f"L{i}:location")

    def _span_loc(self, i: int, form: str, where: str) -> Frag:
        """A lesion spanning two segments: "body and tail", or the proximal one (the extent said apart)."""
        les = self.plan.lesions[i]
        assert les.span_to is not None
        self.phen("location_span")
        if les.span_style == "pair" or where == "synoptic":
            variants = self.p["location_spans"][f"{les.location}-{les.span_to}"]
            key = (i, "span")
            if key not in self.variant:
                self.variant[key] = self.rng.randrange(len(variants))
            text = self.brit(variants[self.variant[key]][form])
        else:
            key = (i, les.location)
            if key not in self.variant:
                self.variant[key] = self.rng.randrange(2)  # a plain name, never a junction
            text = self.brit(self.p["locations"][les.location]["variants"][self.variant[key]][form])
        return Frag(text).tagged(f"L{i}:location")

    def span_extent(self, i: int) -> tuple[Frag, Frag]:
        """(clause, sentence) saying how far an "extend" lesion reaches; both are location evidence."""
        les = self.plan.lesions[i]
        if les.span_to is None or les.span_style != "extend":
            return Frag(), Frag()
        names = self.p["locations"]
        slots = {
            "from": self.brit(names[les.location]["variants"][0]["short"]),
            "into": self.brit(names[les.span_to]["variants"][0]["short"]),
            "into_full": self.brit(names[les.span_to]["variants"][0]["full"]),
            "It": self.pick("it"),
        }
        if self.chance(0.5):
            return render(self.pick("location_extend", "clause"), slots, [f"L{i}:location"]), Frag()
        return Frag(), render(self.pick("location_extend", "sentence"), slots, [f"L{i}:location"])

    def stab(self, i: int) -> str:
        les = self.plan.lesions[i]
        if les.stable_no_size:
            self.phen("stable_no_prior_size")
            return self.pick("stable_adj")
        if les.new:
            return self.pick("new_adj")
        return ""

    def nsize(self, i: int) -> str:
        les = self.plan.lesions[i]
        if les.nodule10 is None:
            return ""
        self.nodule_written[i] = True
        return f"{fmt_len(les.nodule10, 'mm', self.comma)} mm "

    def statements(self, i: int, covered: set[str]) -> tuple[list[Frag], list[Frag], list[Frag], list[Frag]]:
        """Feature statements split into (adjectives, with-phrases, without-phrases, sentences)."""
        les = self.plan.lesions[i]
        items: list[tuple[str, str, bool]] = []  # (feature, yaml value key, tagged)
        if les.mural_nodule != "not_stated":
            if "mural_nodule" not in covered:
                items.append(("mural_nodule", self.value_key(i, "mural_nodule", les.mural_nodule), True))
        elif les.no_enhancement_note:
            items.append(("mural_nodule", "no_enhancement_note", False))
            self.phen("cyst_without_enhancement")
        elif "mural_nodule" in les.unsure:
            items.append(("mural_nodule", "unsure", False))
        if les.wall != "not_stated":
            items.append(("wall_thickening", self.value_key(i, "wall_thickening", les.wall), True))
        elif "wall_thickening" in les.unsure:
            items.append(("wall_thickening", "unsure", False))
        if les.septations != "not_stated":
            items.append(("septations", self.value_key(i, "septations", les.septations), True))
        elif "septations" in les.unsure:
            items.append(("septations", "unsure", False))
        if "mpd_communication" not in covered or self.chance(0.25):
            if les.communication != "not_stated":
                key = self.value_key(i, "mpd_communication", les.communication)
                items.append(("mpd_communication", key, True))
            elif les.comm_hedge:
                items.append(("mpd_communication", "hedge_not_stated", False))
                self.phen("hedge")
            elif "mpd_communication" in les.unsure:
                items.append(("mpd_communication", "unsure", False))
        if les.calcification != "not_stated":
            items.append(("calcification", les.calcification, True))
        self.rng.shuffle(items)
        adjs: list[Frag] = []
        withs: list[Frag] = []
        withouts: list[Frag] = []
        sentences: list[Frag] = []
        it = self.pick("it")
        for feature, value, tagged in items:
            entry: dict[str, list[str]] = self.p["features"][feature][value]
            tags = self._lesion_tags(i, feature) if tagged else []
            if value == "absent":
                self.phen("negated_feature")
            if value.endswith("_hedged"):  # SPEC §2: a hedged finding counts as present
                self.phen("hedge")
                self.phen(f"hedge_present_{feature}")
            elif value == "unsure":  # "cannot be excluded / confirmed", "indeterminate": not_stated
                self.phen("hedge")
                self.phen(f"hedge_not_stated_{feature}")
            if feature == "septations" and les.sept_hedge:
                self.phen("hedge")
                sentences.append(render(self.pick("features", feature, value, "hedge"), {"It": it}, tags))
                continue
            if feature == "wall_thickening" and value == "absent":
                self.phen("wall_thin")
            if feature == "septations" and value == "absent":
                self.phen("unilocular_or_no_septa")
            modes = [m for m in ("adj", "with", "without", "sentence") if m in entry]
            weights = {"adj": 1.0, "with": 1.2, "without": 1.6, "sentence": 1.2}
            mode = self.rng.choices(modes, weights=[weights[m] for m in modes])[0]
            slots = {"nsize": self.nsize(i) if feature == "mural_nodule" else "", "It": it}
            if mode == "adj":
                adjs.append(Frag(self.pick("features", feature, value, "adj")).tagged(*tags))
            elif mode == "with":
                withs.append(render(self.pick("features", feature, value, "with"), slots, tags))
            elif mode == "without":
                withouts.append(Frag(self.pick("features", feature, value, "without")).tagged(*tags))
            else:
                sentences.append(render(self.pick("features", feature, value, "sentence"), slots, tags))
        return adjs, withs, withouts, sentences

    def prior_frags(self, i: int, with_when: bool = True) -> tuple[Frag, Frag | None]:
        """The prior size and, when stated beside it, its date or interval (both tagged)."""
        les = self.plan.lesions[i]
        prior = les.prior
        assert prior is not None
        psize = Frag(self.measure([prior.size10], les.unit)).tagged(f"L{i}:prior_size_mm")
        if not with_when or prior.in_comparison:
            return psize, None
        if prior.date is not None:
            return psize, Frag(self.date_text(prior.date, prior.date_fmt, prior=True)).tagged(
                f"L{i}:interval_months"
            )
        if prior.stated_months is not None:
            return psize, Frag(self.pick("interval_words", prior.stated_months)).tagged(
                f"L{i}:interval_months"
            )
        return psize, None

    def prior_pieces(self, i: int) -> tuple[Frag, Frag]:
        """(clause to append to the lesion sentence, or a separate sentence)."""
        les = self.plan.lesions[i]
        prior = les.prior
        if prior is None:
            if les.stable_no_size and self.chance(0.3):
                cmp_text = str(self.plan.exam_date.year - self.rng.randint(1, 4))
                return Frag(), render(
                    self.pick("prior", "stable_sentence"), {"It": self.pick("it"), "cmp": cmp_text}
                )
            return Frag(), Frag()
        unit = les.unit
        psize, _ = self.prior_frags(i, with_when=False)
        size10 = les.size10 or 0
        direction = "up" if size10 > prior.size10 else "down" if size10 < prior.size10 else "same"
        if prior.date is not None and not prior.in_comparison:
            when = Frag(self.date_text(prior.date, prior.date_fmt, prior=True)).tagged(
                f"L{i}:interval_months"
            )
            if prior.older is not None:
                self.phen("two_priors")
                psize2 = self.measure([prior.older[0]], unit)
                when2 = self.date_text(prior.older[1], prior.date_fmt)
                tpl = self.pick("prior", "two")
                return render(tpl, {"psize": psize, "when": when, "psize2": psize2, "when2": when2}), Frag()
            if self.chance(0.3):
                return Frag(), render(
                    self.pick("prior", "sentence_date"), {"psize": psize, "when": when, "It": self.pick("it")}
                )
            pool = list(self.p["prior"]["date"]) + list(self.p["prior"][f"date_{direction}"])
            return render(self.brit(self.rng.choice(pool)), {"psize": psize, "when": when}), Frag()
        if prior.stated_months is not None:
            self.phen("prior_stated_interval")
            when = Frag(self.pick("interval_words", prior.stated_months)).tagged(f"L{i}:interval_months")
            if self.chance(0.3):
                tpl = self.pick("prior", "sentence_interval")
                return Frag(), render(tpl, {"psize": psize, "when": when, "It": self.pick("it")})
            pool = list(self.p["prior"]["interval"]) + (
                list(self.p["prior"]["interval_up"]) if direction == "up" else []
            )
            return render(self.brit(self.rng.choice(pool)), {"psize": psize, "when": when}), Frag()
        if prior.date is None:
            self.phen("prior_without_interval")
        return render(self.pick("prior", "bare"), {"psize": psize}), Frag()

    def lesion(self, i: int, where: str = "findings") -> Frag:
        """Every sentence about lesion ``i``, as findings (or, for impression-only reports, impression) text."""
        les = self.plan.lesions[i]
        if les.kind == "md_ipmn":
            return self.md_ipmn(i)
        if les.group is not None:
            return self.group(i)
        noun, covered = self.noun(i)
        typec = self.type_clause(i, covered)
        adjs, withs, withouts, sentences = self.statements(i, covered)
        prior_clause, prior_sentence = self.prior_pieces(i)
        extent, extent_sentence = self.span_extent(i)
        if extent_sentence.text:
            sentences.insert(0, extent_sentence)
        tail = extent + typec
        if withs:
            tail = tail + ", with " + _and_join(withs)
        if withouts:
            negs = _or_join(withouts)
            if self.chance(0.5):
                tail = tail + ", without " + negs
            else:
                sentences.insert(0, Frag("No ") + negs + ".")
        tail = tail + prior_clause
        size = self.size(i, where)
        form = (
            "short"
            if self.plan.template in ("structured", "british", "telegraphic") and self.chance(0.5)
            else "full"
        )
        slots: dict[str, Frag | str] = {
            "stab": self.stab(i),
            "size": size,
            "adj": join(adjs, ", ") + (" " if adjs else ""),
            "noun": noun,
            "loc": self.loc(i, form, where),
            "img": self.img() if les.size10 is not None else "",
            "tail": tail,
        }
        if self.terse:
            frame_key = "terse" if size.text else "attr"
        else:
            frame_key = "pred" if les.size10 is not None and self.chance(0.5) else "attr"
        frames = [
            f for f in self.p["frames"][frame_key] if size.text or "{size}" not in f or frame_key == "attr"
        ]
        main = render(self.brit(self.rng.choice(frames)), slots).cap()
        rest = [f.cap() for f in [*sentences, prior_sentence] if f.text]
        return join([main, *rest], " ")

    def group(self, i: int) -> Frag:
        les = self.plan.lesions[i]
        self.phen("group_mention")
        if les.group == "innumerable":
            self.phen("innumerable_cysts")
            key = "innumerable_size" if les.location == "unspecified" else "innumerable_size_loc"
        elif les.group == "multiple":
            key = "multiple_size_loc"
        else:
            key = "subcm"
            self.phen("subcentimeter_no_size")
        frames = list(self.p["group"][key])
        if len(self.plan.lesions) == 1:
            frames = [f for f in frames if "dditional" not in f]
        if les.kind == "bd_ipmn":
            frames = [f for f in frames if "{typec}" in f]
        tpl = self.brit(self.rng.choice(frames))
        for word, n in _NUMBER_WORDS.items():
            if f"at least {word}" in tpl:
                self.counts[i] = n
        if "up to {size}" in tpl:
            self.phen("size_up_to")
        covered: set[str] = set()
        slots: dict[str, Frag | str] = {"typec": self.type_clause(i, covered, plural=True)}
        if les.size10 is not None:
            slots["size"] = Frag(self.measure(les.dims10, les.unit)).tagged(f"L{i}:size_mm")
        if les.location != "unspecified":
            slots["loc"] = self.loc(i)
        return render(tpl, slots, {"mult": ["R:multiplicity", "R:pcl_present"]})

    def md_ipmn(self, i: int) -> Frag:
        les = self.plan.lesions[i]
        d10 = self.plan.duct.d10 or 80
        frames = [f for f in self.p["md_ipmn"] if ("{loc}" in f) == (les.location != "unspecified")]
        slots: dict[str, Frag | str] = {"d": f"{fmt_len(d10, 'mm', self.comma)} mm"}
        if les.location != "unspecified":
            slots["loc"] = self.place(les.location, "full", i)
        tags = {
            "dil": ["R:mpd_dilated"],
            "d": ["R:mpd_diameter_mm"],
            "type": ["R:pcl_present", f"L{i}:presumed_type"]
            + (["R:multiplicity"] if len(self.plan.lesions) > 1 else []),
            "loc": [f"L{i}:location"],
        }
        return render(self.brit(self.rng.choice(frames)), slots, tags)

    # --- duct -------------------------------------------------------------------------------------------
    def duct(self, duct: DuctPlan, where: str = "findings", tagged: bool = True) -> Frag | None:
        if duct.state == "none" or (duct.d10 is None and duct.state in ("num", "no_num", "yes_num", "two")):
            return None
        if where == "findings" and any(les.kind == "md_ipmn" for les in self.plan.lesions):
            return None
        state = "num" if where == "impression" and duct.state == "two" else duct.state
        if duct.state != "none":
            self.phen(
                {
                    "no": "mpd_qualitative_only",
                    "yes": "mpd_qualitative_only",
                    "num": "mpd_number_only",
                    "no_num": "mpd_number_and_words",
                    "yes_num": "mpd_number_and_words",
                    "two": "mpd_two_values",
                }[state]
            )
        pool = self.p["duct"]["terse"][state] if self.terse else self.p["duct"][state]
        tpl = self.brit(self.rng.choice(pool))
        slots: dict[str, Frag | str] = {"img": self.img()}
        if duct.d10 is not None:
            slots["d"] = f"{fmt_len(duct.d10, 'mm', self.comma)} mm"
        if duct.d2_10 is not None:
            slots["d2"] = f"{fmt_len(duct.d2_10, 'mm', self.comma)} mm"
        dil = ["R:mpd_dilated"] if duct.dilated != "not_stated" and tagged else []
        return render(tpl, slots, {"": dil, "d": ["R:mpd_diameter_mm"] if tagged else [], "d2": []})

    # --- sections ---------------------------------------------------------------------------------------
    def header(self) -> Frag:
        plan = self.plan
        title = self.pick("title_prefix") + self.exam_title()
        out = Frag(title)
        if plan.exam_date_in_text:
            fmt = self.rng.choice(DATE_FORMATS[plan.date_style])
            if fmt == "eu" and plan.exam_date.day <= 12:
                fmt = "long_dmy"
            label = self.pick("date_label")
            out = out + "\n" + label + Frag(self.date_text(plan.exam_date, fmt)).tagged("R:exam_date")
        return out

    def needs_contrast(self) -> bool:
        """Enhancement statements need a contrast exam; keep titles and technique consistent."""
        return any(
            les.mural_nodule in ("enhancing", "nonenhancing") or les.wall == "present"
            for les in self.plan.lesions
        )

    def _contrast_ok(self, text: str) -> bool:
        lower = text.lower()
        without = "without" in lower and "with and without" not in lower and "wo contrast" not in lower
        return not (without or "non-contrast" in lower or "abbreviated" in lower or lower.strip() == "mrcp")

    def exam_title(self) -> str:
        pool = self.p["exam_title"][self.plan.modality]
        if self.needs_contrast():
            pool = [t for t in pool if self._contrast_ok(t)]
        return self.brit(self.rng.choice(pool))

    def technique(self) -> str:
        pool = self.p["technique"][self.plan.modality]
        if self.needs_contrast():
            pool = [t for t in pool if self._contrast_ok(t)] or pool
        return self.pick("technique_label") + self.brit(self.rng.choice(pool))

    def history(self) -> Frag:
        plan = self.plan
        if plan.jaundice:
            key = "jaundice"
        elif plan.nopcl_kind == "history_only":
            key = "history_only_cyst"
            self.phen("history_only_cyst")
        elif plan.nopcl_kind == "resected":
            key = "resected"
        elif plan.nopcl_kind == "fluid_collection" or any(les.kind == "pseudocyst" for les in plan.lesions):
            key = "pancreatitis"
        else:
            key = "generic"
        pool = [t for t in self.p["history"][key] if plan.age is not None or "{age}" not in t]
        tpl = self.brit(self.rng.choice(pool or self.p["history"]["generic"][:1]))
        sex_short = "F" if plan.sex in ("woman", "female") else "M"
        text = tpl.format(
            age=plan.age, sex=plan.sex, sex_short=f"y/o {sex_short}" if self.chance(0.5) else sex_short
        )
        return Frag(self.pick("history_label") + text)

    def comparison(self) -> Frag:
        plan = self.plan
        label = self.pick("comparison_label")
        priors = [(i, les.prior) for i, les in enumerate(plan.lesions) if les.prior is not None]
        shared = [(i, p) for i, p in priors if p.in_comparison]
        exam = self.pick("comparison_exam")
        if shared:
            date = shared[0][1].date
            assert date is not None
            fmt = shared[0][1].date_fmt
            tags = [f"L{i}:interval_months" for i, _ in shared]
            self.phen("prior_date_in_comparison")
            return (
                Frag(label + capitalize(exam) + " ")
                + Frag(self.date_text(date, fmt, prior=True)).tagged(*tags)
                + "."
            )
        if any(p.date is None for _, p in priors):  # stated intervals or no date at all: no dated comparison
            return Frag(
                label
                + self.rng.choice(
                    [
                        "Prior outside study (date not available).",
                        "Prior MRI.",
                        "Multiple prior studies.",
                        "Prior CT, outside institution.",
                    ]
                )
            )
        dated = sorted({p.date for _, p in priors if p.date is not None}, reverse=True)
        if dated and self.chance(0.7):
            fmt = self.rng.choice([f for f in DATE_FORMATS[plan.date_style] if f != "eu"])
            return Frag(
                label + " and ".join(f"{capitalize(exam)} {self.date_text(d, fmt)}" for d in dated) + "."
            )
        if not priors and self.chance(0.35):
            d = plan.exam_date - dt.timedelta(days=self.rng.randrange(120, 1500))
            fmt = self.rng.choice([f for f in DATE_FORMATS[plan.date_style] if f != "eu"])
            return Frag(label + f"{capitalize(exam)} {self.date_text(d, fmt)}.")
        return Frag(label + self.pick("comparison_none"))

    def other_organ(self, organ: str) -> Frag:
        tpl = self.pick("other_organ", organ)
        side = self.rng.choice(["left", "right"])
        text = tpl.format(
            side=side,
            Side=capitalize(side),
            cm=fmt_len(self.rng.randrange(80, 450, 10), "cm", self.comma),
            mm=self.rng.randint(4, 25),
            seg=self.rng.randint(2, 8),
        )
        return Frag(text)

    def cbd(self) -> Frag:
        if self.plan.jaundice:
            return Frag(self.pick("cbd_dilated").format(n=self.rng.randint(10, 16)))
        return Frag(self.pick("cbd").format(n=self.rng.randint(3, 9)))

    def pancreas(self) -> list[Frag]:
        """Findings about the pancreas (lesions, duct, distractors), in reading order."""
        plan = self.plan
        out: list[Frag] = []
        if plan.pcl:
            out.extend(self.lesion(i) for i in range(len(plan.lesions)))
            duct = self.duct(plan.duct)
            if duct is not None:
                out.insert(0 if self.chance(0.25) else len(out), duct)
            if plan.side_branch:
                out.append(Frag(self.pick("side_branch").format(n=self.rng.randint(3, 6))))
            if plan.solid_beside:
                tpl = self.rng.choice([t for t in self.p["nopcl"]["solid_mass"] if "neuroendocrine" in t])
                out.append(
                    Frag(self.brit(tpl).format(mm=self.rng.randint(8, 18), loc=self.place("body", "full")))
                )
            if self.chance(0.25):
                extra = self.p["pancreas_normal_extra"]
                if any(les.kind == "solid_cystic" for les in plan.lesions):
                    extra = [t for t in extra if "solid" not in t]  # never "no solid mass" beside one
                out.append(Frag(self.brit(self.rng.choice(extra))))
            return out
        kind = plan.nopcl_kind or "normal"
        if kind in ("normal", "other_organ"):
            out.append(Frag(self.pick("nopcl", "normal")))
            self.phen("no_pancreatic_cyst")
        elif kind == "solid_mass":
            sub = "solid_mass_cystic" if self.chance(0.3) else "solid_mass"
            self.solid_sub = sub
            self.phen("solid_mass_cystic_component" if sub == "solid_mass_cystic" else "solid_mass")
            loc = self.rng.choice(["head", "body", "tail", "uncinate"])
            cm = self.rng.randrange(150, 600, 10)
            out.append(
                Frag(
                    self.pick("nopcl", sub).format(
                        cm=fmt_len(cm, "cm"),
                        cm2=fmt_len(cm - 50, "cm"),
                        mm=self.rng.randint(8, 25),
                        d=self.rng.randint(4, 9),
                        loc=self.place(loc, "full"),
                    )
                )
            )
        elif kind == "resolved":
            self.phen("resolved_cyst")
            loc = self.rng.choice(["head", "body", "tail", "neck"])
            out.append(
                Frag(
                    self.pick("nopcl", "resolved").format(
                        mm=self.rng.randint(4, 20),
                        loc=self.place(loc, "full"),
                        loc_adj=self.place(loc, "adj"),
                    )
                )
            )
        elif kind == "resected":
            self.phen("resected_cyst")
            out.append(Frag(self.pick("nopcl", "resected")))
        elif kind == "fluid_collection":
            self.phen("fluid_collection")
            cm = self.rng.randrange(200, 900, 10)
            out.append(
                Frag(
                    self.pick("nopcl", "fluid_collection").format(
                        cm=fmt_len(cm, "cm"), cm2=fmt_len(cm - 60, "cm")
                    )
                )
            )
        else:
            out.append(Frag(self.pick("nopcl", kind)))
        if self.chance(0.3):
            stray = self.duct(
                DuctPlan("no") if self.chance(0.5) else DuctPlan("num", self.rng.choice([20, 30])),
                tagged=False,
            )
            if stray is not None:
                out.append(stray.untagged())
        return out

    def impression_lesion(self, i: int) -> Frag:
        les = self.plan.lesions[i]
        if les.kind == "md_ipmn" or les.group is not None:
            return self.lesion(i, "impression")
        noun, covered = self.noun(i)
        tail = self.type_clause(i, covered)
        highlights: list[Frag] = []
        if les.mural_nodule in ("enhancing", "nonenhancing", "present_unspecified") and (
            "mural_nodule" not in covered
        ):
            highlights.append(
                render(
                    self.pick(
                        "features",
                        "mural_nodule",
                        self.value_key(i, "mural_nodule", les.mural_nodule),
                        "with",
                    ),
                    {"nsize": self.nsize(i)},
                    [f"L{i}:mural_nodule"],
                )
            )
        if les.wall == "present":
            highlights.append(
                render(
                    self.pick(
                        "features", "wall_thickening", self.value_key(i, "wall_thickening", "present"), "with"
                    ),
                    tags=[f"L{i}:wall_thickening"],
                )
            )
        if highlights:
            tail = tail + ", with " + _and_join(highlights)
        if les.prior is not None and les.size10 is not None and grew(les.size10, les.prior.size10):
            tail = tail + self.rng.choice(
                [", with interval growth", ", which has enlarged", " showing interval enlargement"]
            )
        size = self.size(i, "impression")
        if not size.text and les.size10 is None:
            size = Frag(self.pick("size_none_attr")) if les.size_style == "none" else Frag()
        slots: dict[str, Frag | str] = {
            "stab": self.stab(i),
            "size": size,
            "adj": "",
            "noun": noun,
            "loc": self.loc(i, "full", "impression"),
            "loc_adj": self.loc(i, "adj", "impression"),
            "tail": tail,
        }
        frames = self.p["frames"]["impression"]
        if les.location == "unspecified":
            frames = [f for f in frames if "{loc}" not in f]
        if not size.text:
            frames = [f for f in frames if "measuring {size}" not in f and ", {size}" not in f]
        item = render(self.brit(self.rng.choice(frames)), slots).cap()
        if self.plan.blanket:
            self.phen("blanket_phrase")
            item = item + self.pick("impression_extra", "blanket")
        return item

    def impression(self) -> list[Frag]:
        plan = self.plan
        items: list[Frag] = []
        if not plan.pcl:
            kind = plan.nopcl_kind if plan.nopcl_kind != "other_organ" else "normal"
            items.append(Frag(self.pick("nopcl_impression", self.solid_sub or kind or "normal")))
        elif plan.template == "impression_only":
            items.extend(self.lesion(i) for i in range(len(plan.lesions)))
            duct = self.duct(plan.duct)
            if duct is not None:
                items.append(duct)
        else:
            idx = index_lesion(plan)
            chosen = [
                i
                for i in range(len(plan.lesions))
                if i == idx
                or (i == plan.correction_lesion and plan.correction == "slip")
                or self.chance(0.35)
            ]
            items.extend(self.impression_lesion(i) for i in chosen)
            if (
                self.category
                and self.category >= 2
                and plan.duct.state in ("yes", "yes_num", "num")
                and (plan.duct.dilated == "yes" or (plan.duct.d10 or 0) >= 70)
            ):
                duct = self.duct(plan.duct, "impression")
                if duct is not None:
                    items.append(duct)
        for organ in plan.other_organs:
            if self.chance(0.4):
                items.append(
                    Frag(
                        f"Incidental {'renal' if organ == 'kidneys' else 'hepatic' if organ == 'liver' else 'splenic' if organ == 'spleen' else 'adnexal'} cyst."
                    )
                )
        if plan.pcl and self.chance(0.6):
            items.append(Frag(self.pick("impression_extra", f"reco{self.category}")))
            self.phen("recommendation_text")
        return items

    def addendum(self) -> Frag | None:
        plan = self.plan
        if plan.correction not in ("addendum_size", "addendum_location"):
            return None
        i = plan.correction_lesion
        label = self.pick("addendum_label")
        if plan.correction == "addendum_size":
            les = plan.lesions[i]
            slots: dict[str, Frag | str] = {
                "true": self.size(i, "addendum"),
                "wrong": self.measure(self.wrong_dims, les.unit),
                "loc": self.loc(i, "full", "addendum").untagged(),
                "loc_adj": self.loc(i, "adj", "addendum").untagged(),
            }
            return Frag(label) + render(self.pick("addendum", "size"), slots)
        wrong = self.place(plan.wrong_location or "head", "full")
        slots = {"true": self.loc(i, "full", "addendum"), "wrong": wrong}
        return Frag(label) + render(self.pick("addendum", "location"), slots)

    def synoptic(self) -> list[Frag]:
        """A structured pancreatic-cyst block: one 'Label: value' line per stated feature."""
        plan = self.plan
        lines: list[Frag] = [Frag(self.pick("synoptic", "header"))]
        if plan.pcl:
            n = len(plan.lesions) if all(les.group is None for les in plan.lesions) else None
            count = f"{n}" if n is not None else self.rng.choice(["multiple", "innumerable", ">5"])
            tags = ["R:multiplicity"] if (n or 2) > 1 else []
            lines.append(render(self.pick("synoptic", "count"), {"n": Frag(count).tagged(*tags)}))
        vals = self.p["synoptic"]["values"]
        for i, les in enumerate(plan.lesions):
            if les.group is not None or les.kind == "md_ipmn":
                lines.append(self.lesion(i))
                continue
            if len(plan.lesions) > 1:
                lines.append(Frag(f"Cyst {i + 1}:"))
            noun_tags = ["R:pcl_present"]
            noun_word = "solid and cystic lesion" if les.kind == "solid_cystic" else "cystic lesion"
            lines.append(Frag(self.rng.choice(["Lesion: ", "Type: "])) + Frag(noun_word).tagged(*noun_tags))
            lines.append(render(self.pick("synoptic", "location"), {"v": self.loc(i, "short", "synoptic")}))
            size = self.size(i)
            if size.text:
                lines.append(render(self.pick("synoptic", "size"), {"v": size + self.img()}))
            if les.prior is not None:
                psize, when = self.prior_frags(i)
                stated = psize + (Frag(" (") + when + ")" if when is not None else Frag())
                lines.append(render(self.pick("synoptic", "prior"), {"v": stated}))
            elif les.stable_no_size:
                lines.append(Frag("Change since prior: ") + self.pick("stable_adj").strip())
                self.phen("stable_no_prior_size")
            for feature, value in (
                ("mural_nodule", les.mural_nodule),
                ("wall_thickening", les.wall),
                ("septations", les.septations),
                ("mpd_communication", les.communication if not les.comm_hedge else "not_stated"),
                ("calcification", les.calcification),
            ):
                hedge = feature == "mpd_communication" and les.comm_hedge
                unsure = value == "not_stated" and feature in les.unsure and not hedge
                if value == "not_stated" and not hedge and not unsure:
                    continue
                key = "unsure" if unsure else value if hedge else self.value_key(i, feature, value)
                if key.endswith("_hedged") or unsure:
                    self.phen("hedge")
                    self.phen(f"hedge_{'not_stated' if unsure else 'present'}_{feature}")
                word = self.rng.choice(vals[feature][key])
                if feature == "mural_nodule" and les.nodule10 is not None:
                    word += f", {fmt_len(les.nodule10, 'mm')} mm"
                    self.nodule_written[i] = True
                tags = [] if hedge or unsure else [f"L{i}:{feature}"]
                lines.append(render(self.pick("synoptic", feature), {"v": word}, tags))
            type_tags = [f"L{i}:presumed_type"] + (
                [f"L{i}:mpd_communication"] if les.kind == "bd_ipmn" else []
            )
            if les.kind == "solid_cystic":
                word = self.rng.choice(vals["solid_cystic"][les.solid_kind or "mass"])
                lines.append(render(self.pick("synoptic", "presumed_type"), {"v": word}))
            elif les.kind != "cyst" or self.chance(0.3):
                word = self.rng.choice(vals["presumed_type"][les.presumed_type])
                tags = type_tags if les.kind != "cyst" else []
                lines.append(render(self.pick("synoptic", "presumed_type"), {"v": word}, tags))
        if plan.pcl:
            terse, self.terse = self.terse, True
            duct = self.duct(plan.duct)
            self.terse = terse
            if duct is not None:
                lines.append(duct)
        return lines

    # --- whole reports ----------------------------------------------------------------------------------
    def organ_content(self) -> dict[str, list[Frag]]:
        content: dict[str, list[Frag]] = {"pancreas": self.pancreas()}
        for organ in self.plan.other_organs:
            content.setdefault(organ, []).append(self.other_organ(organ))
        if self.plan.cbd:
            content.setdefault("biliary", []).append(self.cbd())
        return content

    def write(self) -> Frag:
        template = self.plan.template
        if template == "british":
            template = self.rng.choice(["structured", "narrative"])
        build = {
            "structured": self._structured,
            "narrative": self._narrative,
            "telegraphic": self._telegraphic,
            "impression_only": self._impression_only,
            "synoptic": self._synoptic,
        }[template]
        report = build()
        addendum = self.addendum()
        if addendum is not None:
            report = report + "\n\n" + addendum
        return report

    def _preamble(self, comparison: bool = True) -> list[Frag]:
        parts = [self.header(), self.history()]
        if self.chance(0.8):
            parts.append(Frag(self.technique()))
        if comparison:
            parts.append(self.comparison())
        return parts

    def _impression_block(self, numbered: bool | None = None) -> Frag:
        items = self.impression()
        numbered = self.chance(0.7) if numbered is None else numbered
        label = self.pick("impression_label")
        if numbered and len(items) > 1:
            body = join([Frag(f"{k + 1}. ") + item for k, item in enumerate(items)], "\n")
        else:
            body = join(items, " " if not numbered else "\n")
        return Frag(label + "\n") + body

    def _structured(self) -> Frag:
        content = self.organ_content()
        upper = self.chance(0.6)
        lines: list[Frag] = []
        for organ in _ORGANS[self.plan.modality]:
            heading = self.pick("normal", organ, "heading")
            heading = heading.upper() if upper else capitalize(heading.lower())
            body = content.get(organ) or [Frag(self.pick("normal", organ, "text"))]
            lines.append(Frag(heading + ": ") + join(body, " "))
        findings = Frag(self.pick("findings_label") + "\n") + join(lines, "\n")
        return join([*self._preamble(), Frag(), findings, Frag(), self._impression_block()], "\n")

    def _narrative(self) -> Frag:
        content = self.organ_content()
        organs = [
            o for o in _ORGANS[self.plan.modality] if o != "pancreas" and (o in content or self.chance(0.6))
        ]
        before = [
            Frag(self.pick("normal", o, "text")) if o not in content else join(content[o], " ")
            for o in organs[:2]
        ]
        after = [
            Frag(self.pick("normal", o, "text")) if o not in content else join(content[o], " ")
            for o in organs[2:]
        ]
        paragraphs = [join(before, " "), join(content["pancreas"], " "), join(after, " ")]
        if self.chance(0.3):
            paragraphs = paragraphs[1:2] + paragraphs[:1] + paragraphs[2:]
        findings = Frag(self.pick("findings_label") + "\n") + join([p for p in paragraphs if p.text], "\n\n")
        return join([*self._preamble(), Frag(), findings, Frag(), self._impression_block()], "\n")

    def _telegraphic(self) -> Frag:
        content = self.organ_content()
        head = Frag(self.exam_title())
        if self.plan.exam_date_in_text:
            head = self.header()
        hist = self.history()
        lines = [head, hist, self.comparison()]
        bits: list[Frag] = []
        for organ in _ORGANS[self.plan.modality]:
            if organ in content:
                name = {"pancreas": "Panc", "biliary": "Biliary", "kidneys": "Kidneys"}.get(
                    organ, capitalize(organ.replace("_", " "))
                )
                bits.append(Frag(f"{name}: ") + join(content[organ], " "))
            elif self.chance(0.5):
                bits.append(
                    Frag(
                        f"{capitalize(organ.replace('_', ' '))}: {self.rng.choice(['nl.', 'unremarkable.', 'neg.', 'WNL.'])}"
                    )
                )
        lines.append(Frag("Findings: ") + join(bits, " "))
        lines.append(Frag("IMP: ") + join(self.impression(), " "))
        return join(lines, "\n")

    def _impression_only(self) -> Frag:
        parts = [self.header()]
        if self.chance(0.6):
            parts.append(self.history())
        if any(les.prior is not None for les in self.plan.lesions) or self.chance(0.4):
            parts.append(self.comparison())
        organ = self._organ_content_draft()
        block = self._impression_block()
        extra = [f for k, v in organ.items() if k != "pancreas" for f in v]
        if not self.plan.pcl:
            block = block + " " + join(organ["pancreas"], " ")
        if extra:
            block = block + "\n" + join(extra, " ")
        return join([*parts, Frag(), block], "\n")

    def _organ_content_draft(self) -> dict[str, list[Frag]]:
        """Organ content whose pancreas part a PCL report does not print (synoptic, impression only).

        The convention phenomena (``hedge_present_*``, ``hedge_not_stated_*``) the unprinted draft drew
        are dropped again, so they name only wording the report shows.
        """
        before = set(self.plan.phen)
        content = self.organ_content()
        if self.plan.pcl:
            drafted = {
                p for p in self.plan.phen - before if p.startswith(("hedge_present_", "hedge_not_stated_"))
            }
            self.plan.phen -= drafted
        return content

    def _synoptic(self) -> Frag:
        content = self._organ_content_draft()
        if self.plan.pcl:
            content["pancreas"] = []
        organs = [o for o in _ORGANS[self.plan.modality] if content.get(o) or self.chance(0.5)]
        body = [
            join(content[o], " ") if content.get(o) else Frag(self.pick("normal", o, "text"))
            for o in organs
            if o != "pancreas" or not self.plan.pcl
        ]
        findings = Frag(self.pick("findings_label") + "\n") + join(body, " ")
        parts = [*self._preamble(), Frag(), findings]
        if self.plan.pcl:
            parts += [Frag(), join(self.synoptic(), "\n")]
        return join([*parts, Frag(), self._impression_block()], "\n")


def _and_join(items: list[Frag]) -> Frag:
    if len(items) == 1:
        return items[0]
    return join(items[:-1], ", ") + " and " + items[-1]


def _or_join(items: list[Frag]) -> Frag:
    if len(items) == 1:
        return items[0]
    return join(items[:-1], ", ") + " or " + items[-1]
