"""The HTML review page: one self-contained file per run with every report and its evidence.

A reviewer reads the report with each evidence span highlighted next to the features,
lesions, category, recommendation and rule trace. No external URLs (it is opened on
machines without network and holds PHI); everything from the data is escaped.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import IO, Any

from pancyst.io.base import Writer, flushed_size, open_text, report_value
from pancyst.schema import FEATURE_KEYS, LESION_FEATURES, OPTIONAL_FEATURE_KEYS, ResultLine

MAX_SHOWN_CHARS = 300_000  # a 5 MB "report" (an error line) should not make the page unusable
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

COLORS: dict[str, str] = {
    "pcl_present": "#fde68a",
    "size_mm": "#bfdbfe",
    "location": "#bbf7d0",
    "multiplicity": "#e9d5ff",
    "mpd_diameter_mm": "#fecaca",
    "mpd_dilated": "#fca5a5",
    "mural_nodule": "#fbcfe8",
    "wall_thickening": "#fed7aa",
    "septations": "#a5f3fc",
    "mpd_communication": "#c7d2fe",
    "prior_size_mm": "#d9f99d",
    "interval_months": "#fef08a",
    "prior_exam_date": "#fef08a",
    "stated_interval_months": "#fef08a",
    "presumed_type": "#ddd6fe",
    "calcification": "#d6d3d1",
    "exam_date": "#e2e8f0",
}
DEFAULT_COLOR = "#e5e7eb"
_LESION_COLUMNS: tuple[str, ...] = (*LESION_FEATURES, "count")


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _css_name(feature: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", feature)


@dataclass(frozen=True)
class Mark:
    """One highlighted span and what it says (shown as the tooltip)."""

    start: int
    end: int
    feature: str
    label: str
    key: str = ""  # what a control points at ("L0.size_mm"): the web app focuses spans by it


def highlight(text: str, marks: list[Mark]) -> str:
    """Escaped text with ``<mark>`` elements; overlapping spans are cut at every boundary.

    Each piece between two boundaries is wrapped once, coloured by the shortest span that
    covers it, and its tooltip lists every covering span, so nesting and partial overlaps
    both give valid HTML with nothing lost.
    """
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    if not valid:
        return esc(text)
    bounds = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    out: list[str] = []
    for a, b in pairwise(bounds):
        piece = esc(text[a:b])
        covering = [m for m in valid if m.start <= a and m.end >= b]
        if not covering:
            out.append(piece)
            continue
        inner = min(covering, key=lambda m: (m.end - m.start, m.feature))
        features = list(dict.fromkeys(m.feature for m in covering))
        classes = f"hl f-{_css_name(inner.feature)}" + (" multi" if len(features) > 1 else "")
        title = "\n".join(dict.fromkeys(m.label for m in covering))
        keys = " ".join(dict.fromkeys(m.key for m in covering if m.key))
        data_k = f' data-k="{esc(keys)}"' if keys else ""
        out.append(
            f'<mark class="{classes}" data-f="{esc(" ".join(features))}"{data_k} title="{esc(title)}">{piece}</mark>'
        )
    return "".join(out)


def fmt_value(value: Any) -> str:
    """A value as a reader reads it: — for null, yes/no, 12 for 12.0."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def evidence_marks(result: ResultLine) -> list[Mark]:
    """Every evidence span of a line as a mark; lesion spans keyed ``L{n}.{feature}``, the rest by key."""
    marks: dict[tuple[int, int, str], Mark] = {}
    for i, lesion in enumerate(result.lesions):
        for span in lesion.evidence:
            feature = span.feature or "lesion"
            value = getattr(lesion, feature, None) if span.feature else None
            label = f"{feature} = {fmt_value(value)} (lesion {i})" if span.feature else f"lesion {i}"
            marks.setdefault(
                (span.start, span.end, f"L{i}.{feature}"),
                Mark(span.start, span.end, feature, label, f"L{i}.{feature}"),
            )
    for key, spans in result.evidence.items():
        value = report_value(result, key)
        for span in spans:
            marks.setdefault(
                (span.start, span.end, key),
                Mark(span.start, span.end, key, f"{key} = {fmt_value(value)}", key),
            )
    return list(marks.values())


def _schedule_text(schedule: list[tuple[int, int]]) -> str:
    return ", then ".join(f"every {months} months × {count}" for months, count in schedule)


def _category_key(result: ResultLine) -> str:
    if result.errors:
        return "error"
    if result.derived is None or result.derived.risk_category is None:
        return "none"
    return str(result.derived.risk_category)


def render_report(result: ResultLine, text: str | None) -> str:
    """One report's ``<section>`` (escaped throughout)."""
    category = _category_key(result)
    badge = {"error": "error", "none": "no PCL"}.get(category, f"category {category}")
    parts = [
        f'<section class="report" data-id="{esc(result.report_id)}" data-cat="{category}" '
        f'data-err="{int(bool(result.errors))}" data-warn="{int(bool(result.warnings or result.flags))}">',
        f'<h2><span class="rid">{esc(result.report_id)}</span> <span class="badge c-{category}">{esc(badge)}</span></h2>',
        '<p class="meta">'
        f"extractor {esc(result.extractor.name)} {esc(result.extractor.version)} · "
        f"profile {esc(result.guideline.profile)} {esc(result.guideline.version)}"
        + (f" · exam {esc(result.exam_date)}" if result.exam_date else "")
        + (f" · age {esc(fmt_value(result.patient_age))}" if result.patient_age is not None else "")
        + "</p>",
    ]
    for kind, items in (("errors", result.errors), ("warnings", result.warnings), ("flags", result.flags)):
        if items:
            parts.append(
                f'<ul class="{kind}">' + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>"
            )
    parts.append(_recommendation(result))
    parts.append(text_block(text, evidence_marks(result)))
    if result.features is not None:
        parts.append(_features_table(result))
    if result.lesions:
        parts.append(_lesions_table(result))
    if result.derived is not None and result.derived.trace:
        parts.append(_trace(result))
    parts.append("</section>")
    return "\n".join(parts)


def _recommendation(result: ResultLine) -> str:
    derived = result.derived
    if derived is None:
        return ""
    bits = []
    if derived.worrisome_features:
        bits.append("worrisome features: " + ", ".join(derived.worrisome_features))
    if derived.high_risk_stigmata:
        bits.append("high-risk stigmata: " + ", ".join(derived.high_risk_stigmata))
    if derived.growth:
        rate = derived.growth_rate_mm_per_year
        bits.append(f"growth: {derived.growth}" + (f" ({rate:g} mm/year)" if rate is not None else ""))
    out = '<div class="derived">'
    if bits:
        out += "<p>" + esc(" · ".join(bits)) + "</p>"
    rec = derived.recommendation
    if rec is not None:
        out += (
            f'<p class="rec"><b>Recommendation:</b> {esc(rec.action)}'
            + (f" — {esc(rec.stratum)}" if rec.stratum else "")
            + (f" — {esc(_schedule_text(rec.schedule))}" if rec.schedule else "")
            + "</p>"
        )
        if rec.text:
            out += f'<p class="rectext">{esc(rec.text)}</p>'
    return out + "</div>"


def text_block(text: str | None, marks: list[Mark]) -> str:
    """The report as escaped, highlighted HTML; control characters shown as \ufffd, very long text cut."""
    if text is None:
        return '<p class="notext">(no report text)</p>'
    shown = _CONTROL.sub("\ufffd", text[:MAX_SHOWN_CHARS])  # same length: offsets still hold
    note = ""
    if len(text) > MAX_SHOWN_CHARS:
        note = f'<p class="notext">({len(text) - MAX_SHOWN_CHARS:,} more characters not shown)</p>'
    return f'<pre class="text">{highlight(shown, marks)}</pre>{note}'


def _features_table(result: ResultLine) -> str:
    assert result.features is not None
    rows = [
        f"<tr><td>pcl_present</td><td>{esc(fmt_value(result.pcl_present))}</td><td>{_quotes(result, 'pcl_present')}</td></tr>"
    ]
    for key in (*FEATURE_KEYS, *OPTIONAL_FEATURE_KEYS):
        value = getattr(result.features, key)
        rows.append(
            f'<tr><td><span class="chip f-{_css_name(key)}"></span>{esc(key)}</td>'
            f"<td>{esc(fmt_value(value))}</td><td>{_quotes(result, key)}</td></tr>"
        )
    return (
        '<table class="features"><thead><tr><th>feature</th><th>value</th><th>evidence</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _quotes(result: ResultLine, key: str) -> str:
    return " ".join(
        f'<q title="[{span.start}:{span.end}] {esc(span.alignment)}">{esc(span.text)}</q>'
        for span in result.evidence.get(key, [])
    )


def _lesions_table(result: ResultLine) -> str:
    derived = result.derived
    cats = derived.lesion_categories if derived else []
    index = derived.index_lesion if derived else None
    head = "".join(f"<th>{esc(c)}</th>" for c in ("#", "category", *_LESION_COLUMNS))
    body = []
    for i, lesion in enumerate(result.lesions):
        cat = cats[i] if i < len(cats) else None
        cells = "".join(f"<td>{esc(fmt_value(getattr(lesion, c)))}</td>" for c in _LESION_COLUMNS)
        marker = " ★" if i == index else ""
        body.append(
            f"<tr{' class=index' if i == index else ''}><td>{i}{marker}</td><td>{esc(fmt_value(cat))}</td>{cells}</tr>"
        )
    return f'<table class="lesions"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def _trace(result: ResultLine) -> str:
    assert result.derived is not None
    trace = result.derived.trace
    fired = sum(1 for t in trace if t.fired)
    rows = "".join(
        f'<tr class="{"fired" if t.fired else "quiet"}"><td>{esc(t.rule)}</td><td>{esc(fmt_value(t.lesion))}</td>'
        f"<td>{'yes' if t.fired else 'no'}</td><td>{esc(t.effect)}</td>"
        f"<td><code>{esc(json.dumps(t.inputs, default=str, sort_keys=True))}</code></td></tr>"
        for t in trace
    )
    return (
        f"<details><summary>Rule trace ({len(trace)} rules, {fired} fired)</summary>"
        '<table class="trace"><thead><tr><th>rule</th><th>lesion</th><th>fired</th><th>effect</th><th>inputs</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></details>"
    )


def _css() -> str:
    colors = "\n".join(
        f".f-{_css_name(k)}{{background:{v}}}" for k, v in {**COLORS, "lesion": DEFAULT_COLOR}.items()
    )
    return f"""
body{{font:14px/1.4 system-ui,sans-serif;margin:0;color:#111}}
header{{position:sticky;top:0;background:#f8fafc;border-bottom:1px solid #cbd5e1;padding:8px 16px;z-index:1}}
header input,header select{{font:inherit;margin-right:8px}}
main{{padding:0 16px}}
.legend span{{display:inline-block;padding:0 4px;margin:2px;border-radius:3px;font-size:12px}}
section.report{{border:1px solid #cbd5e1;border-radius:6px;margin:12px 0;padding:8px 12px}}
h2{{font-size:16px;margin:4px 0}}
.badge{{font-size:12px;padding:2px 6px;border-radius:10px;background:#e2e8f0}}
.c-1{{background:#dcfce7}} .c-2{{background:#fef3c7}} .c-3{{background:#fee2e2}} .c-error{{background:#7f1d1d;color:#fff}}
.meta{{color:#475569;font-size:12px;margin:2px 0}}
pre.text{{white-space:pre-wrap;word-wrap:break-word;background:#fff;border:1px solid #e2e8f0;padding:8px;max-height:32em;overflow:auto}}
mark.hl{{background:{DEFAULT_COLOR};border-radius:2px;padding:0}}
mark.multi{{outline:1px dashed #334155}}
{colors}
table{{border-collapse:collapse;margin:6px 0;font-size:13px}}
td,th{{border:1px solid #e2e8f0;padding:2px 6px;text-align:left;vertical-align:top}}
tr.index td{{font-weight:600}} tr.quiet td{{color:#64748b}}
.chip{{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}}
ul.errors{{color:#991b1b}} ul.warnings,ul.flags{{color:#92400e}}
.notext{{color:#64748b;font-style:italic}}
.hidden{{display:none}}
"""


_SCRIPT = """
(function(){
  var q=document.getElementById('q'), cat=document.getElementById('cat'), n=document.getElementById('n');
  var all=Array.prototype.slice.call(document.querySelectorAll('section.report'));
  var counts={};
  all.forEach(function(s){var c=s.getAttribute('data-cat');counts[c]=(counts[c]||0)+1;});
  Array.prototype.forEach.call(cat.options,function(o){
    if(o.value==='warn'){o.text+=' ('+all.filter(function(s){return s.getAttribute('data-warn')==='1';}).length+')';}
    else if(o.value){o.text+=' ('+(counts[o.value]||0)+')';}
  });
  function apply(){
    var term=q.value.trim().toLowerCase(), want=cat.value, shown=0;
    all.forEach(function(s){
      var ok=true;
      if(want==='warn'){ok=s.getAttribute('data-warn')==='1';}
      else if(want){ok=s.getAttribute('data-cat')===want;}
      if(ok&&term){ok=s.getAttribute('data-id').toLowerCase().indexOf(term)>=0||s.textContent.toLowerCase().indexOf(term)>=0;}
      s.classList.toggle('hidden',!ok); if(ok){shown++;}
    });
    n.textContent=shown+' of '+all.length+' reports';
  }
  q.addEventListener('input',apply); cat.addEventListener('change',apply); apply();
})();
"""


def page_head(title: str = "pancyst review") -> str:
    legend = "".join(f'<span class="f-{_css_name(k)}">{esc(k)}</span>' for k in COLORS)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_css()}</style></head><body>\n"
        '<header><input id="q" type="search" placeholder="filter by report id or text" aria-label="filter">'
        '<select id="cat" aria-label="category"><option value="">all</option>'
        '<option value="1">category 1</option><option value="2">category 2</option>'
        '<option value="3">category 3</option><option value="none">no PCL</option>'
        '<option value="error">errors</option><option value="warn">warnings / flags</option></select>'
        f'<span id="n"></span><div class="legend">{legend}</div></header>\n<main>\n'
    )


def page_tail() -> str:
    return f"</main>\n<script>{_SCRIPT}</script>\n</body></html>\n"


class HtmlWriter(Writer):
    """Streams sections to one file; the filter script at the end counts what it finds."""

    def __init__(self, path: str | Path, *, append: bool = False) -> None:
        super().__init__(path)
        self.preparer = render_report
        self._handle: IO[str] | None = open_text(path, append)
        if not append:
            self._handle.write(page_head())

    def flush(self) -> int | None:
        return None if self._handle is None else flushed_size(self._handle)

    def write_prepared(self, payload: Any) -> None:
        if self._handle is None:
            raise ValueError("writer is closed")
        self._handle.write(payload + "\n")
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.write(page_tail())
            self._handle.close()
            self._handle = None
