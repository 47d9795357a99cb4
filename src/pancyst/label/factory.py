"""The label factory: reports -> teacher -> audited prompt/completion rows (SFT JSONL).

The prompt and the completion come from the LLM backend's own ``build_messages`` and
``render_target``, so a fine-tuned model is trained on exactly what it will be asked at serve time.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pancyst.extract.base import Extractor
from pancyst.label.audit import Audit, AuditSummary, audit_completion, disagreements
from pancyst.label.reasoning import write_reasoning
from pancyst.label.teachers import LabelItem, Teacher
from pancyst.llm.output import OUTPUT_VERSION, from_extraction
from pancyst.llm.prompt import PromptStyle, build_messages, prompt_version, render_target
from pancyst.schema import SCHEMA_VERSION, Extraction, Features, GoldLine, ReportInput

log = logging.getLogger(__name__)

_INPUT_KEYS = tuple(ReportInput.model_fields)  # one input schema: a new metadata field is read here too


def read_items(path: Path, *, split: str | None = None, limit: int | None = None) -> list[LabelItem]:
    """JSONL (a synthetic corpus: input + gold on one line) or CSV (report_id, text, ...)."""
    items: list[LabelItem] = []
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as fh:
            rows: Iterable[dict[str, Any]] = list(csv.DictReader(fh))
    else:
        with path.open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
    for row in rows:
        if split is not None and row.get("split") != split:
            continue
        data = {k: (row.get(k) if row.get(k) not in ("",) else None) for k in _INPUT_KEYS if k in row}
        report = ReportInput.model_validate(data)
        gold = GoldLine.model_validate(row) if "pcl_present" in row else None
        items.append(LabelItem(report=report, gold=gold, split=row.get("split")))
        if limit is not None and len(items) >= limit:
            break
    return items


class _Assembler:
    """Index lesion, category and report-level features, via the pipeline (None if unavailable)."""

    def __init__(self, profile: str) -> None:
        try:
            from pancyst.pipeline import GivenExtractor, Pipeline

            self.pipeline: Any = Pipeline(GivenExtractor(), profile=profile)
        except Exception as exc:  # guideline engine missing or profile unreadable
            log.warning(
                "label: no guideline engine (%s); reasoning names the largest lesion", type(exc).__name__
            )
            self.pipeline = None

    def __call__(
        self, report: ReportInput, ext: Extraction
    ) -> tuple[bool | None, Features | None, int | None, int | None]:
        if self.pipeline is None:
            return ext.pcl_present, None, None, None
        try:
            line = self.pipeline.assemble(report, ext)
        except Exception:
            return ext.pcl_present, None, None, None
        d = line.derived
        return (
            line.pcl_present,
            line.features,
            (d.index_lesion if d else None),
            (d.risk_category if d else None),
        )


def label_rows(
    items: Sequence[LabelItem],
    teacher: Teacher,
    *,
    cot: bool = True,
    rules: Extractor | None = None,
    profile: str = "acr2017",
    now: dt.datetime | None = None,
    prompt_style: PromptStyle = "full",
) -> Iterator[tuple[dict[str, Any] | None, Audit | None]]:
    """One (row, audit) per item; (None, None) when the teacher failed on that report.

    ``prompt_style`` is the prompt the student will be served with, not the teacher's."""
    created = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    assemble = _Assembler(profile)
    provenance = {
        "teacher": teacher.name,
        "teacher_version": teacher.version,
        "prompt_version": prompt_version(prompt_style),
        "output_version": OUTPUT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "cot": cot,
        "created": created,
    }
    rule_results = iter(rules.extract_many([it.report for it in items])) if rules is not None else None
    for item, outcome in zip(items, teacher.label_many(items), strict=True):
        rule_outcome = next(rule_results) if rule_results is not None else None
        if isinstance(outcome, BaseException):
            log.warning("label: teacher failed on %s: %s", item.report.report_id, type(outcome).__name__)
            yield None, None
            continue
        text = item.report.text
        pcl, feats, index, category = assemble(item.report, outcome)
        reasoning = outcome.meta.get("reasoning") if teacher.writes_reasoning else None
        if not reasoning:
            reasoning = write_reasoning(outcome, index=index, category=category)
        try:
            output = from_extraction(outcome, text, reasoning=str(reasoning))
            completion = render_target(output, cot=cot)
        except ValidationError as exc:
            log.warning("label: unbuildable target for %s: %s", item.report.report_id, type(exc).__name__)
            yield None, None
            continue
        audit, _ = audit_completion(completion, text, cot=cot)
        if isinstance(rule_outcome, Extraction):
            r_pcl, r_feats, _, _ = assemble(item.report, rule_outcome)
            if feats is not None or pcl is False:
                audit.disagreements = disagreements((pcl, feats), (r_pcl, r_feats))
        row = {
            "report_id": item.report.report_id,
            "split": item.split,
            "prompt": build_messages(text, cot=cot, style=prompt_style),
            "completion": completion,
            "provenance": provenance,
            "audit": audit.model_dump(mode="json"),
        }
        yield row, audit


def run_label(
    items: Sequence[LabelItem],
    teacher: Teacher,
    out: Path,
    *,
    cot: bool = True,
    rules: Extractor | None = None,
    profile: str = "acr2017",
    keep_rejected: bool = True,
    prompt_style: PromptStyle = "full",
) -> AuditSummary:
    """Write the SFT JSONL (rejected rows kept but marked, unless ``keep_rejected`` is False) and
    ``<out>.audit.json``; return the summary."""
    audits: list[Audit] = []
    failed = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        rows = label_rows(items, teacher, cot=cot, rules=rules, profile=profile, prompt_style=prompt_style)
        for row, audit in rows:
            if row is None or audit is None:
                failed += 1
                continue
            audits.append(audit)
            if audit.ok or keep_rejected:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    summary = AuditSummary.of(audits, failed_teacher=failed)
    summary_path = out.with_name(out.name + ".audit.json")
    summary_path.write_text(json.dumps(summary.model_dump(mode="json"), indent=2) + "\n", encoding="utf-8")
    return summary
