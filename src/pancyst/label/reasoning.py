"""Programmatic chain-of-thought for offline teachers (synthetic gold, rules).

States what an 8B teacher's reasoning would: which cyst is most worrisome and why, and the unit
conversions behind each number. Short on purpose: every token is paid for in CPU training and decoding.
"""

from __future__ import annotations

from collections.abc import Sequence

from pancyst.label.measure import measurements
from pancyst.schema import Extraction, Lesion, Span


def _fmt(x: float) -> str:
    return f"{x:g}"


def _conversion(value: float | None, spans: Sequence[Span], feature: str) -> str | None:
    """'2.3 x 1.8 cm = 23 mm' when a cited measurement in cm gives ``value``."""
    if value is None:
        return None
    for span in spans:
        if span.feature not in (feature, None):
            continue
        for m in measurements(span.text):
            if m.unit == "cm" and any(abs(d - value) <= 0.051 for d in m.dims_mm):
                return f"{m.text} = {_fmt(value)} mm"
    return None


def _concerns(lesion: Lesion) -> list[str]:
    out: list[str] = []
    if lesion.mural_nodule == "enhancing":
        out.append("enhancing nodule")
    elif lesion.mural_nodule in ("nonenhancing", "present_unspecified"):
        out.append("mural nodule")
    if lesion.wall_thickening == "present":
        out.append("thick wall")
    if lesion.size_mm is not None and lesion.size_mm >= 30:
        out.append("size >= 30 mm")
    if (
        lesion.prior_size_mm is not None
        and lesion.size_mm is not None
        and lesion.size_mm > lesion.prior_size_mm
    ):
        out.append(f"grown from {_fmt(lesion.prior_size_mm)} mm")
    return out


def _describe(lesion: Lesion) -> str:
    where = lesion.location if lesion.location != "unspecified" else "location unspecified"
    size = f"{_fmt(lesion.size_mm)} mm" if lesion.size_mm is not None else "size not given"
    return f"{where}, {size}"


def write_reasoning(extraction: Extraction, *, index: int | None = None, category: int | None = None) -> str:
    """Two or three sentences for one labelled report.

    ``index``/``category`` come from the guideline engine when available; otherwise the largest
    lesion with the most concerns is named.
    """
    if not extraction.pcl_present or not extraction.lesions:
        return "No pancreatic cystic lesion on the current exam."
    lesions = extraction.lesions
    if index is None or not 0 <= index < len(lesions):
        index = max(
            range(len(lesions)), key=lambda i: (len(_concerns(lesions[i])), lesions[i].size_mm or 0.0, -i)
        )
    n = sum(le.count for le in lesions)
    parts = [f"{n} pancreatic cystic lesion{'s' if n > 1 else ''}."]
    chosen = lesions[index]
    why = _concerns(chosen)
    if len(lesions) == 1:
        parts.append(f"Index lesion: {_describe(chosen)}" + (f"; {', '.join(why)}." if why else "."))
    else:
        reason = ", ".join(why) if why else ("largest" if chosen.size_mm is not None else "first described")
        cat = f" (category {category})" if category is not None else ""
        parts.append(f"Most worrisome: lesion {index + 1}, {_describe(chosen)}{cat}: {reason}.")
    conv = [
        c
        for c in (
            _conversion(chosen.size_mm, chosen.evidence, "size_mm"),
            _conversion(chosen.prior_size_mm, chosen.evidence, "prior_size_mm"),
        )
        if c
    ]
    mpd = _conversion(
        extraction.mpd_diameter_mm, extraction.evidence.get("mpd_diameter_mm", []), "mpd_diameter_mm"
    )
    if mpd:
        conv.append(mpd)
    if conv:
        parts.append("; ".join(conv) + ".")
    return " ".join(parts)
