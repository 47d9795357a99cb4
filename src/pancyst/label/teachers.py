"""Teachers: whatever labels reports for the SFT dataset.

- ``gold``: the synthetic corpus's gold labels, with programmatically written reasoning;
- ``rules``: the deterministic backend (``get_extractor("rules")``), same reasoning writer;
- ``llm``: any OpenAI-compatible model (GPT-4o-class, a local 70B behind vLLM) through the LLM
  backend; its own reasoning is kept.
Each returns :class:`Extraction` objects; the factory turns them into prompt/completion rows.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pancyst.extract.base import Extractor, get_extractor
from pancyst.label.measure import supports
from pancyst.llm.output import extraction_from_gold
from pancyst.schema import Extraction, GoldLine, Lesion, ReportInput, Span


@dataclass(frozen=True)
class LabelItem:
    report: ReportInput
    gold: GoldLine | None = None
    split: str | None = None


class Teacher(ABC):
    name: str = "teacher"
    version: str = "0"
    writes_reasoning: bool = False  # True: keep the teacher's own reasoning (meta["reasoning"])

    @abstractmethod
    def label_many(self, items: Sequence[LabelItem]) -> Iterator[Extraction | BaseException]:
        """One extraction or exception per item, in order."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release servers or models."""


def _value_first(spans: list[Span], lesion: Lesion) -> list[Span]:
    """Put a size quote that states the labelled value before one that does not (dictation slips)."""

    def bad(span: Span) -> bool:
        value = getattr(lesion, span.feature, None) if span.feature in ("size_mm", "prior_size_mm") else None
        return isinstance(value, int | float) and supports(float(value), span.text) is False

    return sorted(spans, key=bad)  # stable: order otherwise kept


class GoldTeacher(Teacher):
    """The synthetic corpus's own labels: exact, so the audit measures the pipeline, not the teacher."""

    name = "gold"
    version = "1"

    def label_one(self, item: LabelItem) -> Extraction:
        if item.gold is None:
            raise ValueError("the gold teacher needs gold lines (a synthetic corpus JSONL)")
        ext = extraction_from_gold(item.gold)
        lesions = [
            le.model_copy(update={"evidence": _value_first(list(le.evidence), le)}) for le in ext.lesions
        ]
        return ext.model_copy(update={"lesions": lesions})

    def label_many(self, items: Sequence[LabelItem]) -> Iterator[Extraction | BaseException]:
        for item in items:
            try:
                yield self.label_one(item)
            except Exception as exc:
                yield exc


class ExtractorTeacher(Teacher):
    """Any registered extraction backend as a teacher (``rules``, ``llm``, ``hybrid``)."""

    def __init__(self, backend: str, **options: Any) -> None:
        self.extractor: Extractor = get_extractor(backend, **options)
        model = options.get("model")
        self.name = f"{backend}:{model}" if model else backend
        self.version = self.extractor.version
        self.writes_reasoning = backend in ("llm", "hybrid")

    def label_many(self, items: Sequence[LabelItem]) -> Iterator[Extraction | BaseException]:
        yield from self.extractor.extract_many([item.report for item in items])

    def close(self) -> None:
        self.extractor.close()


def make_teacher(name: str, **options: Any) -> Teacher:
    """``gold``, ``rules``, ``llm`` or ``hybrid``; options go to the backend (model, base_url, ...)."""
    if name == "gold":
        return GoldTeacher()
    return ExtractorTeacher(name, **options)
