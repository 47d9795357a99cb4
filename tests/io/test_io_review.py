from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from fake_extractor_io import FakeExtractor
from hypothesis import given, settings
from hypothesis import strategies as st

from pancyst.io.review import Mark, highlight, render_report
from pancyst.io.writers import open_writer
from pancyst.pipeline import Pipeline
from pancyst.schema import ReportInput, Span


class _Collect(HTMLParser):
    """Text per character, with the features of the <mark> it sits in; checks nesting."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chars: list[tuple[str, frozenset[str]]] = []
        self.stack: list[str] = []
        self.current: frozenset[str] = frozenset()
        self.nested_marks = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            if "mark" in self.stack:
                self.nested_marks += 1
            self.current = frozenset((dict(attrs).get("data-f") or "").split())
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"unbalanced </{tag}>"
        self.stack.pop()
        if tag == "mark":
            self.current = frozenset()

    def handle_data(self, data: str) -> None:
        self.chars.extend((ch, self.current) for ch in data)


def _parse(fragment: str) -> _Collect:
    parser = _Collect()
    parser.feed(fragment)
    parser.close()
    assert parser.stack == []
    return parser


def test_highlight_escapes_and_marks_a_span() -> None:
    text = "a <script>alert('x')</script> & 2.3 cm cyst"
    start = text.index("2.3 cm")
    out = highlight(text, [Mark(start, start + 6, "size_mm", 'size_mm = 23 <"b">')])
    assert "<script>" not in out and "&lt;script&gt;" in out and "&amp; " in out
    assert (
        '<mark class="hl f-size_mm" data-f="size_mm" title="size_mm = 23 &lt;&quot;b&quot;&gt;">2.3 cm</mark>'
        in out
    )
    parsed = _parse(out)
    assert "".join(ch for ch, _ in parsed.chars) == text


def test_highlight_nested_and_partial_overlaps() -> None:
    text = "0123456789"
    marks = [
        Mark(1, 8, "size_mm", "outer"),
        Mark(3, 5, "location", "inner"),
        Mark(6, 10, "septations", "tail"),
    ]
    out = highlight(text, marks)
    parsed = _parse(out)
    assert parsed.nested_marks == 0
    features = [f for _, f in parsed.chars]
    assert features[0] == frozenset()
    assert features[1] == features[2] == frozenset({"size_mm"})
    assert features[3] == features[4] == frozenset({"size_mm", "location"})
    assert features[5] == frozenset({"size_mm"})
    assert features[6] == features[7] == frozenset({"size_mm", "septations"})
    assert features[8] == features[9] == frozenset({"septations"})
    # The inner span is coloured by itself (the shortest covering span), and the tooltip lists both.
    assert re.search(
        r'<mark class="hl f-location multi" data-f="size_mm location" title="outer\ninner">34</mark>', out
    )


def test_highlight_ignores_spans_outside_the_text() -> None:
    assert highlight("abc", [Mark(2, 9, "size_mm", "x"), Mark(1, 1, "size_mm", "empty")]) == "abc"


@settings(max_examples=150, deadline=None)
@given(
    st.text(max_size=40),
    st.lists(
        st.tuples(st.integers(0, 45), st.integers(0, 45), st.sampled_from(["size_mm", "location", "x"])),
        max_size=6,
    ),
)
def test_highlight_keeps_text_and_covers_every_span(text: str, raw: list[tuple[int, int, str]]) -> None:
    marks = [Mark(min(a, b), max(a, b), f, f"{f}<&>") for a, b, f in raw]
    text = text.replace("\r", "")  # the HTML parser normalizes CR; the page shows it the same
    parsed = _parse(highlight(text, marks))
    assert parsed.nested_marks == 0
    assert "".join(ch for ch, _ in parsed.chars) == text
    for mark in marks:
        if 0 <= mark.start < mark.end <= len(text):
            for i in range(mark.start, mark.end):
                assert mark.feature in parsed.chars[i][1]


def _results() -> list[tuple[ReportInput, object]]:
    reports = [
        ReportInput(report_id="r<1>", text="PANCREAS: <blink>2.3 cm cyst</blink> in the tail & duct."),
        ReportInput(report_id="r2", text="BOOM"),
    ]
    return list(zip(reports, Pipeline(FakeExtractor()).run(reports), strict=True))


def test_html_page_is_self_contained_escaped_and_lists_every_report(tmp_path: Path) -> None:
    path = tmp_path / "review.html"
    pairs = _results()
    with open_writer(path) as writer:
        for report, result in pairs:
            writer.write(result, report.text)  # type: ignore[arg-type]
        writer.write(pairs[1][1], None)  # type: ignore[arg-type]  # an error line without text
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "<link" not in page
    assert "<blink>" not in page and "&lt;blink&gt;" in page
    assert 'data-id="r&lt;1&gt;"' in page
    assert page.count('<section class="report"') == 3
    assert '<mark class="hl f-size_mm' in page and ">2.3 cm</mark>" in page
    assert "model returned garbage" in page and page.count('data-cat="error"') == 2
    assert "(no report text)" in page
    assert "<details><summary>Rule trace" in page
    assert '<input id="q"' in page and "addEventListener" in page


def test_render_report_escapes_script_in_text() -> None:
    report = ReportInput(report_id="x", text="<script>alert(1)</script> 5 mm cyst")
    (result,) = Pipeline(FakeExtractor()).run([report])
    section = render_report(result, report.text)
    assert "<script>" not in section and "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    _parse(section)


def test_render_report_skips_a_span_that_does_not_match() -> None:
    report = ReportInput(report_id="x", text="short 5 mm cyst")
    (result,) = Pipeline(FakeExtractor()).run([report])
    result.evidence["septations"] = [Span(start=100, end=110, text="elsewhere!", feature="septations")]
    section = render_report(result, report.text)
    assert "f-septations" not in section.split('<pre class="text">')[1].split("</pre>")[0]
    _parse(section)
