"""The label factory end to end with the gold teacher, and the `pancyst label` command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from pancyst.cli import app
from pancyst.label import GoldTeacher, LabelItem, label_rows, read_items
from pancyst.label.reasoning import write_reasoning
from pancyst.llm.output import parse_output, to_extraction
from pancyst.llm.prompt import PROMPT_VERSION, build_messages, prompt_version
from pancyst.schema import Extraction, Lesion, Span

TEXT = "PANCREAS: 2.3 x 1.8 cm cyst in the tail. Second cyst in the head measuring 6 mm. Main duct 3 mm."


def _span(quote: str, feature: str) -> dict[str, object]:
    start = TEXT.index(quote)
    return {"start": start, "end": start + len(quote), "text": quote, "feature": feature}


GOLD = {
    "report_id": "g1",
    "text": TEXT,
    "split": "train",
    "pcl_present": True,
    "features": {"size_mm": 23.0, "location": "tail", "multiplicity": "multiple", "mpd_diameter_mm": 3.0},
    "evidence": {"mpd_diameter_mm": [_span("Main duct 3 mm", "mpd_diameter_mm")]},
    "lesions": [
        {
            "size_mm": 23.0,
            "location": "tail",
            "evidence": [_span("2.3 x 1.8 cm", "size_mm"), _span("tail", "location")],
        },
        {
            "size_mm": 6.0,
            "location": "head",
            "evidence": [_span("6 mm", "size_mm"), _span("head", "location")],
        },
    ],
}
NO_PCL = {
    "report_id": "g2",
    "text": "Normal pancreas. Renal cyst 1 cm.",
    "split": "dev",
    "pcl_present": False,
}


def _corpus(tmp_path: Path) -> Path:
    p = tmp_path / "corpus.jsonl"
    p.write_text(json.dumps(GOLD) + "\n" + json.dumps(NO_PCL) + "\n")
    return p


def test_gold_rows_round_trip_and_carry_provenance(tmp_path: Path) -> None:
    items = read_items(_corpus(tmp_path))
    assert [i.report.report_id for i in items] == ["g1", "g2"]
    now = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    rows = list(label_rows(items, GoldTeacher(), now=now))
    row, audit = rows[0]
    assert row is not None and audit is not None and audit.ok
    assert row["provenance"] == {
        "teacher": "gold",
        "teacher_version": "1",
        "prompt_version": PROMPT_VERSION,
        "output_version": "2",
        "schema_version": "1",
        "cot": True,
        "created": "2025-01-02T03:04:05+00:00",
    }
    assert row["prompt"][-1]["role"] == "user" and TEXT in row["prompt"][-1]["content"]
    out = parse_output(row["completion"])
    assert [le.size_mm for le in out.answer.lesions] == [23.0, 6.0]
    assert "2.3 x 1.8 cm = 23 mm" in out.reasoning
    ext = to_extraction(out, TEXT)
    assert ext.mpd_diameter_mm == 3.0 and ext.multiplicity == "multiple"


def test_split_filter_and_limit(tmp_path: Path) -> None:
    assert [i.report.report_id for i in read_items(_corpus(tmp_path), split="dev")] == ["g2"]
    assert len(read_items(_corpus(tmp_path), limit=1)) == 1


def test_gold_teacher_puts_the_value_stating_quote_first() -> None:
    text = "Cyst 2.1 x 1.6 mm (dictation). IMPRESSION: 2.1 cm cyst."
    slip, right = text.index("2.1 x 1.6 mm"), text.index("2.1 cm")
    lesion = Lesion(
        size_mm=21.0,
        evidence=[
            Span(start=slip, end=slip + 12, text="2.1 x 1.6 mm", feature="size_mm"),
            Span(start=right, end=right + 6, text="2.1 cm", feature="size_mm"),
        ],
    )
    from pancyst.schema import GoldLine, ReportInput

    gold = GoldLine(report_id="x", pcl_present=True, lesions=[lesion])
    ext = GoldTeacher().label_one(LabelItem(report=ReportInput(report_id="x", text=text), gold=gold))
    assert ext.lesions[0].evidence[0].text == "2.1 cm"


def test_reasoning_names_the_worrisome_lesion_not_the_first() -> None:
    small_nodular = Lesion(size_mm=12.0, location="head", mural_nodule="enhancing")
    big = Lesion(size_mm=25.0, location="tail")
    text = write_reasoning(Extraction(pcl_present=True, lesions=[big, small_nodular]))
    assert "Most worrisome: lesion 2, head, 12 mm: enhancing nodule." in text
    assert (
        write_reasoning(Extraction(pcl_present=False)) == "No pancreatic cystic lesion on the current exam."
    )


def test_label_cli_writes_rows_and_audit_summary(tmp_path: Path) -> None:
    out = tmp_path / "sft.jsonl"
    res = CliRunner().invoke(app, ["label", str(_corpus(tmp_path)), "-o", str(out), "--no-compare-rules"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["report_id"] for r in rows] == ["g1", "g2"]
    assert all(r["audit"]["ok"] for r in rows)
    summary = json.loads((tmp_path / "sft.jsonl.audit.json").read_text())
    assert (summary["rows"], summary["accepted"], summary["rejected"]) == (2, 2, 0)


def test_label_cli_empty_split_fails(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app, ["label", str(_corpus(tmp_path)), "-o", str(tmp_path / "x.jsonl"), "--split", "test"]
    )
    assert res.exit_code == 2


def test_short_prompt_rows_record_their_prompt_version(tmp_path: Path) -> None:
    items = read_items(_corpus(tmp_path))
    (row, audit), _ = list(label_rows(items, GoldTeacher(), prompt_style="short"))
    assert row is not None and audit is not None and audit.ok
    assert row["provenance"]["prompt_version"] == prompt_version("short") != PROMPT_VERSION
    assert row["prompt"] == build_messages(TEXT, style="short")
    out = tmp_path / "short.jsonl"
    res = CliRunner().invoke(
        app, ["label", str(_corpus(tmp_path)), "-o", str(out), "--no-compare-rules", "--prompt", "short"]
    )
    assert res.exit_code == 0, res.output
    first = json.loads(out.read_text().splitlines()[0])
    assert first["prompt"] == row["prompt"]
    bad = CliRunner().invoke(app, ["label", str(_corpus(tmp_path)), "-o", str(out), "--prompt", "long"])
    assert bad.exit_code == 2
