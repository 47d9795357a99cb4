"""Validate the hand-written development set (data/dev/handwritten.jsonl) and print a summary.

The gold labels are written by hand, so this checker re-derives everything that can be derived
(category, intervals, the no-PCL defaults) with its own small functions, independent of the
package's guideline engine, and cross-checks numbers and locations against the report text.
Run: ``.venv/bin/python bench/check_handwritten.py [path]``; exit status 1 when any line is wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pancyst.schema import Features, GoldLine

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "dev" / "handwritten.jsonl"
DAYS_PER_MONTH = 30.4375
REQUIRED_KEYS = (
    "report_id",
    "text",
    "exam_date",
    "patient_age",
    "modality",
    "jaundice",
    "style",
    "pcl_present",
    "features",
    "gold_category",
    "notes",
)
MODALITIES = frozenset({"CT", "MRI", "MRCP"})
STYLES = frozenset(
    {
        "us_academic",
        "us_community",
        "british",
        "european_translated",
        "terse",
        "structured",
        "voice_recognition",
        # second set (handwritten2.jsonl)
        "translated_french",
        "translated_spanish",
        "translated_italian",
        "translated_german",
        "translated_dutch",
        "translated_portuguese",
        "translated_japanese",
        "australian",
        "canadian",
        "indian",
        "synoptic",
        "whole_abdomen",
        "impression_only",
        "addendum",
        "consult_note",
    }
)
# Words a report may use for each location (dictation slips and translations included).
LOCATION_WORDS: dict[str, tuple[str, ...]] = {
    "head": ("head", "cephalic", "had", "caput", "cabeza", "cefálic", "cefalic", "kopf", "kop"),
    "uncinate": ("uncinate", "uncinado", "uncinat"),
    "neck": ("neck", "isthm", "istm", "collo", "cuello", "colo"),
    "body": ("body", "corpus", "corpo", "cuerpo", "corps", "korpus"),
    "tail": ("tail", "tale", "cauda", "caudal", "cola", "coda", "queue", "schwanz", "staart"),
}


@dataclass
class Summary:
    """What the checker found: counts for the README and every error, one string each."""

    n_lines: int = 0
    errors: list[str] = field(default_factory=list)
    by_style: Counter[str] = field(default_factory=Counter)
    by_modality: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    n_pcl: int = 0
    n_no_pcl: int = 0
    n_age_null: int = 0
    n_with_prior: int = 0
    n_multiple: int = 0
    ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def growth_threshold_factor(prior_mm: float) -> float:
    """ACR 2017 growth step (SPEC §3): 100% under 5 mm, 50% for 5-15 mm, 20% from 15 mm."""
    if prior_mm < 5:
        return 1.0
    if prior_mm < 15:
        return 0.5
    return 0.2


def grew(size_mm: float | None, prior_mm: float | None) -> bool:
    if size_mm is None or prior_mm is None:
        return False
    return size_mm >= prior_mm * (1 + growth_threshold_factor(prior_mm))


def acr2017_category(pcl_present: bool, f: Features, jaundice: bool | None) -> int | None:
    """SPEC §4 categories from the gold features; `not_stated` counts as absent."""
    if not pcl_present:
        return None
    mpd = f.mpd_diameter_mm
    if (
        f.mural_nodule == "enhancing"
        or (mpd is not None and mpd >= 10)
        or (jaundice is True and f.location in ("head", "uncinate"))
    ):
        return 3
    if (
        (f.size_mm is not None and f.size_mm >= 30)
        or f.wall_thickening == "present"
        or f.mural_nodule in ("nonenhancing", "present_unspecified")
        or (mpd is not None and 7 <= mpd < 10)
        or (f.mpd_dilated == "yes" and mpd is None)
        or grew(f.size_mm, f.prior_size_mm)
    ):
        return 2
    return 1


def interval_from_dates(exam: dt.date, prior: dt.date) -> float:
    return round((exam - prior).days / DAYS_PER_MONTH, 2)


def _number_forms(mm: float) -> list[tuple[str, str]]:
    """Ways a length in mm can be written, each with the units that may follow it."""
    forms = {(f"{mm:g}", "mm|millim|x|\u00d7")}
    cm = mm / 10
    for text in {f"{cm:g}", f"{cm:.1f}"}:
        forms.add((text, "cm|centim|x|\u00d7"))
        forms.add((text.replace(".", ","), "cm|centim|x|\u00d7"))
    return sorted(forms)


def number_in_text(mm: float, text: str) -> bool:
    """True when ``mm`` is written in ``text`` as a measurement (a number followed by a unit or 'x')."""
    return any(
        re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)\s*(?:{units})", text, flags=re.IGNORECASE)
        for form, units in _number_forms(mm)
    )


def location_in_text(location: str, text: str) -> bool:
    lowered = text.lower()
    return any(re.search(rf"\b{word}", lowered) for word in LOCATION_WORDS[location])


def _parse_date(value: Any, what: str, errors: list[str]) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.append(f"{what} {value!r} is not an ISO date")
        return None


def check_line(d: dict[str, Any]) -> list[str]:
    """Every problem with one gold line, as readable strings (empty when the line is right)."""
    errors: list[str] = []
    missing = [k for k in REQUIRED_KEYS if k not in d]
    if missing:
        return [f"missing keys {missing}"]
    try:
        gold = GoldLine.model_validate(d)
    except ValidationError as exc:
        return [f"not a GoldLine: {exc.error_count()} error(s): {exc.errors()[0]['msg']}"]
    raw_features = d["features"]
    absent_keys = [k for k in Features.model_fields if k not in raw_features]
    if absent_keys:
        errors.append(f"features must list every key explicitly; missing {absent_keys}")
    f = gold.features
    text = d["text"]
    if not isinstance(text, str) or not text.strip():
        errors.append("empty text")
        return errors
    if d["modality"] not in MODALITIES:
        errors.append(f"modality {d['modality']!r} not in {sorted(MODALITIES)}")
    if d["style"] not in STYLES:
        errors.append(f"style {d['style']!r} not in {sorted(STYLES)}")
    age = d["patient_age"]
    if age is not None and (not isinstance(age, int) or not 18 <= age <= 110):
        errors.append(f"patient_age {age!r} is not an adult age in years")
    if d["jaundice"] not in (None, True, False):
        errors.append("jaundice must be true, false or null")
    exam = _parse_date(d["exam_date"], "exam_date", errors)

    if not gold.pcl_present:
        if f != Features.no_pcl():
            errors.append("pcl_present is false but features are not the SPEC §2 no-PCL defaults")
        if d["gold_category"] is not None:
            errors.append("pcl_present is false but gold_category is not null")
        if "prior_exam_date" in d or "stated_interval_months" in d:
            errors.append("prior exam keys on a line without a PCL")
        return errors

    if f.location is None:
        errors.append("PCL line without a location (use 'unspecified')")
    elif f.location != "unspecified" and not location_in_text(f.location, text):
        errors.append(f"location {f.location!r} not named in the text")
    if f.presumed_type is None:
        errors.append("PCL line without a presumed_type (use 'unspecified')")
    for key in ("size_mm", "mpd_diameter_mm", "prior_size_mm"):
        value = getattr(f, key)
        if value is not None and not number_in_text(value, text):
            errors.append(f"{key} {value:g} mm not found in the text as mm or cm")
    if f.mpd_diameter_mm is not None and f.mpd_dilated == "no" and f.mpd_diameter_mm >= 7:
        errors.append("mpd_dilated 'no' with a duct of 7 mm or more: check the label")
    if f.multiplicity == "single" and f.size_mm is None and f.location == "unspecified":
        errors.append("PCL with no size and no location: is it really described?")

    expected = acr2017_category(True, f, d["jaundice"])
    if d["gold_category"] != expected:
        errors.append(f"gold_category {d['gold_category']} but the features give {expected}")

    prior_date = _parse_date(d.get("prior_exam_date"), "prior_exam_date", errors)
    stated = d.get("stated_interval_months")
    if f.prior_size_mm is None:
        if f.interval_months is not None:
            errors.append("interval_months set without prior_size_mm")
        if prior_date is not None or stated is not None:
            errors.append("prior exam date or interval given without prior_size_mm")
    elif prior_date is not None:
        if stated is not None:
            errors.append("both prior_exam_date and stated_interval_months: dates win, drop one")
        if exam is None:
            errors.append("prior_exam_date needs exam_date")
        elif prior_date >= exam:
            errors.append("prior_exam_date is not before exam_date")
        elif f.interval_months != interval_from_dates(exam, prior_date):
            errors.append(
                f"interval_months {f.interval_months} but the dates give {interval_from_dates(exam, prior_date)}"
            )
    elif stated is not None:
        if f.interval_months != float(stated):
            errors.append(f"interval_months {f.interval_months} but the stated interval is {stated}")
    elif f.interval_months is not None:
        errors.append("interval_months without a prior_exam_date or stated_interval_months to derive it from")
    return errors


def check_lines(lines: list[dict[str, Any]]) -> Summary:
    s = Summary()
    seen: set[str] = set()
    for i, d in enumerate(lines, start=1):
        s.n_lines += 1
        rid = str(d.get("report_id", f"line {i}"))
        if rid in seen:
            s.errors.append(f"{rid}: duplicate report_id")
        seen.add(rid)
        s.ids.append(rid)
        s.errors.extend(f"{rid}: {e}" for e in check_line(d))
        s.by_style[str(d.get("style"))] += 1
        s.by_modality[str(d.get("modality"))] += 1
        s.by_category[str(d.get("gold_category"))] += 1
        if d.get("pcl_present"):
            s.n_pcl += 1
            features = d.get("features") or {}
            if features.get("prior_size_mm") is not None:
                s.n_with_prior += 1
            if features.get("multiplicity") == "multiple":
                s.n_multiple += 1
        else:
            s.n_no_pcl += 1
        if d.get("patient_age") is None:
            s.n_age_null += 1
    return s


def load(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    lines: list[dict[str, Any]] = []
    errors: list[str] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: not JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            errors.append(f"line {n}: not a JSON object")
            continue
        lines.append(obj)
    return lines, errors


def check_file(path: Path = DEFAULT_PATH) -> Summary:
    lines, parse_errors = load(path)
    summary = check_lines(lines)
    summary.errors[:0] = parse_errors
    return summary


def format_summary(s: Summary) -> str:
    def counts(c: Counter[str]) -> str:
        return ", ".join(f"{k}={v}" for k, v in sorted(c.items()))

    rows = [
        f"lines: {s.n_lines}  PCL: {s.n_pcl}  no PCL: {s.n_no_pcl}",
        f"category: {counts(s.by_category)}",
        f"style: {counts(s.by_style)}",
        f"modality: {counts(s.by_modality)}",
        f"PCL with prior size: {s.n_with_prior}  PCL multiple: {s.n_multiple}  age null: {s.n_age_null}",
        f"errors: {len(s.errors)}",
    ]
    rows.extend(f"  {e}" for e in s.errors)
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_PATH
    summary = check_file(path)
    print(format_summary(summary))
    return 0 if summary.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
