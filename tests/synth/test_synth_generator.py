"""The synthetic corpus: determinism, schema, evidence, SPEC §2 conventions, mixes, phenomena."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pancyst.schema import FEATURE_KEYS, Features, GoldLine, check_spans
from pancyst.synth import generate, generate_report, split_for, summarize, write_corpus
from pancyst.synth.plan import grew
from pancyst.synth.render import fmt_date, fmt_len, interval_from_dates

N = 2000

REQUIRED_PHENOMENA = {
    "multi_lesion",
    "index_not_first_or_largest",
    "innumerable_cysts",
    "group_mention",
    "size_cm",
    "size_mm",
    "size_2d",
    "size_3d",
    "longest_not_first",
    "decimal_comma",
    "size_up_to",
    "size_approximately",
    "subcentimeter_no_size",
    "location_junction",
    "location_unspecified",
    "negated_feature",
    "hedge",
    "wall_thin",
    "unilocular_or_no_septa",
    "cyst_without_enhancement",
    "nodule_enhancement_unassessable",
    "prior_date_us",
    "prior_date_us_short",
    "prior_date_iso",
    "prior_date_eu",
    "prior_date_long",
    "prior_date_dmy_short",
    "prior_date_yy",
    "prior_date_in_comparison",
    "prior_stated_interval",
    "prior_without_interval",
    "two_priors",
    "stable_no_prior_size",
    "cbd_distractor",
    "side_branch_distractor",
    "series_image_ref",
    "other_organ_cyst",
    "solid_mass",
    "solid_mass_cystic_component",
    "solid_mass_beside_pcl",
    "resected_cyst",
    "resolved_cyst",
    "history_only_cyst",
    "fluid_collection",
    "no_pancreatic_cyst",
    "pseudocyst",
    "serous_cystadenoma",
    "mucinous",
    "bd_ipmn",
    "md_ipmn",
    "mixed_ipmn",
    "addendum_correction",
    "dictation_slip",
    "typo",
    "blanket_phrase",
    "british_spelling",
    "recommendation_text",
    "jaundice",
    "age_missing",
    "mpd_number_only",
    "mpd_qualitative_only",
    "mpd_number_and_words",
    "mpd_two_values",
    "wf_size",
    "wf_wall",
    "wf_nodule",
    "wf_growth",
    "wf_mpd_7_9",
    "wf_mpd_dilated_no_number",
    "hrs_enhancing",
    "hrs_mpd_10",
    "hrs_jaundice",
    # SPEC §2 reading conventions (tests/synth/test_synth_conventions.py checks their gold)
    "hedge_present_mural_nodule",
    "hedge_present_wall_thickening",
    "hedge_present_septations",
    "hedge_present_mpd_communication",
    "hedge_present_pcl_present",
    "hedge_not_stated_mural_nodule",
    "hedge_not_stated_wall_thickening",
    "hedge_not_stated_septations",
    "hedge_not_stated_mpd_communication",
    "solid_cystic_lesion",
    "solid_cystic_spn",
    "solid_cystic_cnet",
    "solid_cystic_mass",
    "location_span",
}
TEMPLATES = {"structured", "narrative", "british", "telegraphic", "synoptic", "impression_only"}


@pytest.fixture(scope="module")
def balanced() -> list[dict[str, Any]]:
    return list(generate(N, seed=42, mix="balanced"))


@pytest.fixture(scope="module")
def real() -> list[dict[str, Any]]:
    return list(generate(N, seed=42, mix="real"))


@pytest.fixture(scope="module")
def both(balanced: list[dict[str, Any]], real: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return balanced + real


# --- determinism ----------------------------------------------------------------------------------------


def test_same_seed_same_bytes_different_seed_different(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    write_corpus(a, n=150, seed=7, mix="balanced")
    write_corpus(b, n=150, seed=7, mix="balanced")
    write_corpus(c, n=150, seed=8, mix="balanced")
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    assert len(a.read_text().splitlines()) == 150


def test_report_depends_only_on_seed_mix_and_index() -> None:
    corpus = list(generate(30, seed=5, mix="real"))
    assert generate_report(5, 29, "real") == corpus[29]
    assert generate_report(5, 29, "balanced") != corpus[29]


def test_unknown_mix_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown mix"):
        generate_report(1, 0, "uniform")


def test_split_is_a_function_of_the_id() -> None:
    assert split_for("synth-000001") == split_for("synth-000001")
    splits = [split_for(f"synth-{i:06d}") for i in range(3000)]
    assert abs(splits.count("train") / 3000 - 0.70) < 0.04
    assert abs(splits.count("dev") / 3000 - 0.15) < 0.03


# --- schema and evidence --------------------------------------------------------------------------------


def test_every_line_is_a_gold_line_with_matching_spans(both: list[dict[str, Any]]) -> None:
    ids = set()
    for line in both:
        gold = GoldLine.model_validate(line)
        check_spans(line["text"], gold)
        ids.add(line["report_id"])
        assert line["template"] in TEMPLATES
        assert line["modality"] in ("CT", "MRI", "MRCP")
        assert line["split"] in ("train", "dev", "test")
    assert len(ids) == N


def test_every_stated_value_has_evidence(both: list[dict[str, Any]]) -> None:
    for line in both:
        if not line["pcl_present"]:
            continue
        for key, value in line["features"].items():
            default = value in (None, "not_stated", "single", "unspecified")
            if not default:
                assert line["evidence"].get(key), (line["report_id"], key)
        assert line["evidence"]["pcl_present"]
        for lesion in line["lesions"]:
            for span in lesion["evidence"]:
                assert line["text"][span["start"] : span["end"]] == span["text"]


def _mm_values(text: str) -> list[Decimal]:
    numbers = [Decimal(x.replace(",", ".")) for x in re.findall(r"\d+(?:[.,]\d+)?", text)]
    factor = Decimal(10) if re.search(r"\bcm\b|centimet", text) else Decimal(1)
    return [n * factor for n in numbers]


def test_size_evidence_says_the_gold_size_exactly(both: list[dict[str, Any]]) -> None:
    checked = 0
    for line in both:
        size = line["features"]["size_mm"]
        if size is None:
            continue
        assert Decimal(str(size)) == Decimal(str(size)).quantize(Decimal("0.1"))
        for span in line["evidence"]["size_mm"]:
            assert max(_mm_values(span["text"])) == Decimal(str(size)), (line["report_id"], span["text"])
            checked += 1
    assert checked > 1000


def test_duct_evidence_is_never_the_bile_duct_or_a_side_branch(both: list[dict[str, Any]]) -> None:
    distracted = 0
    for line in both:
        spans = line["evidence"].get("mpd_diameter_mm", [])
        if spans and ("cbd_distractor" in line["phenomena"] or "side_branch_distractor" in line["phenomena"]):
            distracted += 1
        for span in spans:
            value = Decimal(str(line["features"]["mpd_diameter_mm"]))
            assert _mm_values(span["text"]) == [value]
            before = line["text"][: span["start"]]
            window = before[max(before.rfind(". "), before.rfind("\n"), 0) :].lower()  # the same sentence
            assert "bile" not in window and "cbd" not in window and "side branch" not in window
    assert distracted > 50


# --- SPEC §2 conventions --------------------------------------------------------------------------------


def test_no_pcl_reports_take_the_spec_defaults(both: list[dict[str, Any]]) -> None:
    defaults = Features.no_pcl().model_dump(mode="json")
    seen = 0
    for line in both:
        if line["pcl_present"]:
            continue
        seen += 1
        assert line["features"] == defaults
        assert line["lesions"] == [] and line["evidence"] == {} and line["gold_category"] is None
    assert seen > 1000


def test_pcl_reports_have_lesions_and_index_features(both: list[dict[str, Any]]) -> None:
    for line in both:
        if not line["pcl_present"]:
            continue
        features = line["features"]
        assert line["lesions"] and line["gold_category"] in (1, 2, 3)
        assert features["location"] is not None and features["presumed_type"] is not None
        several = len(line["lesions"]) > 1 or any(lesion["count"] > 1 for lesion in line["lesions"])
        assert features["multiplicity"] == ("multiple" if several else "single")
        if features["prior_size_mm"] is None:
            assert features["interval_months"] is None


def test_corrections_take_the_finally_reported_value(both: list[dict[str, Any]]) -> None:
    slips = addenda = 0
    for line in both:
        if "dictation_slip" in line["phenomena"]:
            slips += 1
            lesion = next(les for les in line["lesions"] if les["evidence"])
            size_spans = [s for s in lesion["evidence"] if s["feature"] == "size_mm"]
            assert size_spans and all("cm" in s["text"] for s in size_spans)
        if "addendum_correction" in line["phenomena"]:
            addenda += 1
            start = line["text"].lower().rindex("addendum")
            corrected = [
                s
                for les in line["lesions"]
                for s in les["evidence"]
                if s["feature"] in ("size_mm", "location")
            ]
            assert any(s["start"] > start for s in corrected)
    assert slips > 5 and addenda > 5


def test_stated_intervals_and_dates_give_the_gold_interval(both: list[dict[str, Any]]) -> None:
    words = {"three": 3, "six": 6, "one": 12, "a": 12, "two": 24, "eighteen": 18}
    checked_dates = checked_words = 0
    for line in both:
        interval = line["features"]["interval_months"]
        if interval is None:
            continue
        texts = [s["text"] for s in line["evidence"]["interval_months"]]
        dates = [d for d in (_parse_date(t) for t in texts) if d is not None]
        if dates:
            exam = dt.date.fromisoformat(line["exam_date"]) if line["exam_date"] else max(dates)
            prior = min(dates)
            assert interval == round((exam - prior).days / 30.4375, 2), (line["report_id"], texts)
            checked_dates += 1
        else:
            m = re.match(r"(\d+|\w+) (months?|years?)", texts[0])
            assert m, texts
            n = int(m.group(1)) if m.group(1).isdigit() else words[m.group(1)]
            months = n * 12 if m.group(2).startswith("year") and n < 12 else n
            assert interval == months
            checked_words += 1
    assert checked_dates > 200 and checked_words > 50


_MONTH_NAMES = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}


def _parse_date(text: str) -> dt.date | None:
    """US month-first unless the first number cannot be a month (European dates always have day > 12)."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        year = 2000 + year if year < 100 else year
        return dt.date(year, b, a) if a > 12 else dt.date(year, a, b)
    if m := re.fullmatch(r"([A-Z][a-z]+) (\d{1,2}), (\d{4})", text):
        return dt.date(int(m[3]), _MONTH_NAMES[m[1][:3].lower()], int(m[2]))
    if m := re.fullmatch(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})", text):
        return dt.date(int(m[3]), _MONTH_NAMES[m[2][:3].lower()], int(m[1]))
    return None


def test_interval_arithmetic_by_hand() -> None:
    # 2023-03-14 → 2024-03-14 spans a leap day: 366 days / 30.4375 = 12.0246...
    assert interval_from_dates(dt.date(2024, 3, 14), dt.date(2023, 3, 14)) == 12.02
    # 182 days / 30.4375 = 5.9795... → 5.98
    assert interval_from_dates(dt.date(2023, 9, 12), dt.date(2023, 3, 14)) == 5.98


def test_dates_in_every_format() -> None:
    d = dt.date(2023, 3, 14)
    assert [
        fmt_date(d, f) for f in ("us", "us_short", "iso", "eu", "long", "long_dmy", "dmy_short", "yy")
    ] == [
        "03/14/2023",
        "3/14/2023",
        "2023-03-14",
        "14/03/2023",
        "March 14, 2023",
        "14 March 2023",
        "14 Mar 2023",
        "3/14/23",
    ]


@given(st.integers(min_value=1, max_value=2000))
def test_cm_to_mm_is_exact(d10: int) -> None:
    assert Decimal(fmt_len(d10, "cm")) * 10 == Decimal(d10) / 10
    assert Decimal(fmt_len(d10, "mm")) == Decimal(d10) / 10
    assert fmt_len(d10, "cm", comma=True) == fmt_len(d10, "cm").replace(".", ",")


def test_cm_examples() -> None:
    assert fmt_len(125, "cm") == "1.25"
    assert fmt_len(230, "cm") == "2.3"
    assert fmt_len(200, "cm") == "2" and fmt_len(200, "cm", whole_zero=True) == "2.0"
    assert fmt_len(45, "mm") == "4.5"


@given(st.integers(min_value=10, max_value=600), st.integers(min_value=10, max_value=600))
def test_growth_matches_the_acr_threshold(size10: int, prior10: int) -> None:
    prior, size = prior10 / 10, size10 / 10
    t = 1.0 if prior < 5 else 0.5 if prior < 15 else 0.2
    threshold = prior * (1 + t)
    if not math.isclose(size, threshold):
        assert grew(size10, prior10) == (size >= threshold)


# --- mixes, variety -------------------------------------------------------------------------------------


def _shares(corpus: list[dict[str, Any]]) -> tuple[float, list[float]]:
    pcl = [line for line in corpus if line["pcl_present"]]
    cats = [sum(1 for line in pcl if line["gold_category"] == c) / len(pcl) for c in (1, 2, 3)]
    return 1 - len(pcl) / len(corpus), cats


def test_real_mix_proportions(real: list[dict[str, Any]]) -> None:
    no_pcl, cats = _shares(real)
    assert abs(no_pcl - 0.35) < 0.045
    assert abs(cats[0] - 0.93) < 0.03 and abs(cats[1] - 0.06) < 0.025 and 0.001 < cats[2] < 0.025


def test_balanced_mix_proportions(balanced: list[dict[str, Any]]) -> None:
    no_pcl, cats = _shares(balanced)
    assert abs(no_pcl - 0.25) < 0.04
    assert all(abs(c - 1 / 3) < 0.05 for c in cats)


def test_every_phenomenon_and_template_appears(balanced: list[dict[str, Any]]) -> None:
    seen = {p for line in balanced for p in line["phenomena"]}
    assert REQUIRED_PHENOMENA - seen == set()
    assert {line["template"] for line in balanced} == TEMPLATES


def test_no_sentence_pattern_dominates(balanced: list[dict[str, Any]]) -> None:
    pcl_texts = [line["text"] for line in balanced if line["pcl_present"]]
    openings: dict[str, int] = {}
    for text in pcl_texts:
        for sentence in re.split(r"(?<=\.)\s+", text):
            key = " ".join(sentence.split()[:3])
            openings[key] = openings.get(key, 0) + 1
    assert len(set(pcl_texts)) == len(pcl_texts)
    lesion_like = {k: v for k, v in openings.items() if "cyst" in k.lower()}
    assert max(lesion_like.values()) < 0.15 * len(pcl_texts)


def test_british_template_spells_the_british_way(balanced: list[dict[str, Any]]) -> None:
    british = " ".join(line["text"] for line in balanced if line["template"] == "british")
    assert "calibre" in british or "dilatation" in british
    assert not re.search(r"\b(caliber|centimeters?|edema)\b", british)


def test_age_and_jaundice_metadata(both: list[dict[str, Any]]) -> None:
    ages = [line["patient_age"] for line in both]
    assert any(a is None for a in ages) and all(a is None or 18 <= a <= 100 for a in ages)
    for line in both:
        if line["jaundice"] and line["gold_category"] in (1, 2):
            assert all(les["location"] not in ("head", "uncinate") for les in line["lesions"])


def test_summary_line() -> None:
    from collections import Counter

    counts = Counter({"split:train": 7, "split:dev": 2, "split:test": 1, "category:none": 4, "category:1": 6})
    assert summarize(counts) == "10 reports | splits: train=7 dev=2 test=1 | categories: none=4 1=6 2=0 3=0"


# --- the guideline engine agrees with the sampled category ----------------------------------------------


def test_engine_category_equals_gold_category(balanced: list[dict[str, Any]]) -> None:
    from pancyst.guideline import evaluate_report, load_profile

    profile = load_profile("acr2017")
    checked = 0
    for line in balanced:
        if not line["pcl_present"]:
            continue
        gold = GoldLine.model_validate(line)
        f = line["features"]
        derived = evaluate_report(
            gold.lesions,
            mpd_diameter_mm=f["mpd_diameter_mm"],
            mpd_dilated=f["mpd_dilated"],
            jaundice=line["jaundice"],
            patient_age=line["patient_age"],
            profile=profile,
        )
        assert derived.risk_category == line["gold_category"], line["report_id"]
        assert derived.index_lesion is not None
        index = gold.lesions[derived.index_lesion]
        for key in FEATURE_KEYS:
            if key not in ("multiplicity", "mpd_diameter_mm", "mpd_dilated"):
                assert getattr(index, key) == f[key], (line["report_id"], key)
        checked += 1
    assert checked > 1400
