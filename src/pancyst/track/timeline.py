"""The per-patient timeline page: each exam's category, due date and adherence, and a size-over-time
plot per lesion as inline SVG (no scripts, no CDN; every value escaped)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from pancyst.io.review import esc, fmt_value

W, H, PAD = 560, 180, 36
_COLORS = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#be185d", "#4b5563")


def _svg(points: dict[str, list[tuple[dt.date, float]]]) -> str:
    series = {k: v for k, v in points.items() if v}
    if not series:
        return '<p class="note">No measured lesion.</p>'
    days = [d.toordinal() for pts in series.values() for d, _ in pts]
    sizes = [s for pts in series.values() for _, s in pts]
    x0, x1 = min(days), max(days) if max(days) > min(days) else min(days) + 1
    top = max(sizes) * 1.15 or 1.0

    def x(d: dt.date) -> float:
        return PAD + (d.toordinal() - x0) / (x1 - x0) * (W - 2 * PAD)

    def y(s: float) -> float:
        return H - PAD + 10 - s / top * (H - 2 * PAD)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" role="img" aria-label="size over time">',
        f'<line x1="{PAD}" y1="{H - PAD + 10}" x2="{W - PAD}" y2="{H - PAD + 10}" stroke="#94a3b8"/>',
        f'<text x="4" y="14" font-size="11">{esc(f"{top:.0f}")} mm</text>',
    ]
    for k, (lesion_id, pts) in enumerate(sorted(series.items())):
        color = _COLORS[k % len(_COLORS)]
        coords = " ".join(f"{x(d):.1f},{y(s):.1f}" for d, s in pts)
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{coords}"/>')
        for d, s in pts:
            parts.append(
                f'<circle cx="{x(d):.1f}" cy="{y(s):.1f}" r="3" fill="{color}"><title>{esc(lesion_id)} {esc(d)}: {esc(fmt_value(s))} mm</title></circle>'
            )
        parts.append(
            f'<text x="{W - PAD + 4}" y="{y(pts[-1][1]):.1f}" font-size="10" fill="{color}">{esc(lesion_id.rsplit(":", 1)[-1])}</text>'
        )
    parts.append(f'<text x="{PAD}" y="{H - 4}" font-size="10">{esc(dt.date.fromordinal(x0))}</text>')
    parts.append(
        f'<text x="{W - PAD}" y="{H - 4}" font-size="10" text-anchor="end">{esc(dt.date.fromordinal(x1))}</text>'
    )
    return "".join(parts) + "</svg>"


def _exam_table(exams: list[dict[str, Any]]) -> str:
    head = "".join(
        f"<th>{c}</th>"
        for c in ("exam", "report", "category", "recommendation", "due", "next exam", "adherence")
    )
    body = "".join(
        f'<tr class="adh-{esc(e["adherence"])}"><td>{esc(fmt_value(e["exam_date"]))}</td><td>{esc(e["report_id"])}</td>'
        f"<td>{esc(fmt_value(e['risk_category']))}</td><td>{esc(fmt_value(e['recommendation_action']))}</td>"
        f"<td>{esc(fmt_value(e['next_due_date']))}</td><td>{esc(fmt_value(e['next_exam_date']))}</td>"
        f"<td>{esc(fmt_value(e['adherence']))}{' — ' + esc(e['errors']) if e['errors'] else ''}</td></tr>"
        for e in exams
    )
    return f'<table class="exams"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


_CSS = (
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em}h2{margin-top:1.6em}table{border-collapse:collapse}"
    "td,th{padding:2px 8px;border-bottom:1px solid #e5e7eb;text-align:left}.adh-late td:last-child,"
    ".adh-lost_to_follow_up td:last-child{color:#b91c1c;font-weight:600}.adh-on_time td:last-child{color:#047857}"
    ".note{color:#64748b}"
)


def render_timeline(
    exams: list[dict[str, Any]], lesions: list[dict[str, Any]], patients: list[dict[str, Any]]
) -> str:
    """One self-contained HTML page, one section per patient."""
    by_patient: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in exams:
        by_patient[e["patient_id"]].append(e)
    points: dict[str, dict[str, list[tuple[dt.date, float]]]] = defaultdict(lambda: defaultdict(list))
    for row in lesions:
        if row["size_mm"] is not None and row["exam_date"] is not None:
            points[row["patient_id"]][row["lesion_id"]].append((row["exam_date"], row["size_mm"]))
    sections = []
    for p in patients:
        pid = p["patient_id"]
        rows = sorted(by_patient[pid], key=lambda e: (e["exam_date"] is None, e["exam_date"] or dt.date.min))
        summary = (
            f"{p['n_exams']} exam(s), {p['n_lesions']} lesion(s), highest category "
            f"{fmt_value(p['highest_category'])}, now: {fmt_value(p['current_adherence'])}"
        )
        sections.append(
            f'<section id="{esc(pid)}"><h2>{esc(pid)}</h2><p>{esc(summary)}</p>'
            f"{_svg(points.get(pid, {}))}{_exam_table(rows)}</section>"
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pancyst timelines</title>'
        f"<style>{_CSS}</style></head><body><h1>Patient timelines</h1>"
        f'<p class="note">{len(patients)} patient(s). Size over time per lesion; adherence of the follow-up '
        "to each exam.</p>" + "".join(sections) + "</body></html>"
    )
