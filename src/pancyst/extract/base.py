"""The one interface every extraction backend implements, and the registry that names them.

Backends are imported lazily by name so that ``--backend rules`` never pays for the
LLM stack's imports.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Any

from pancyst.schema import Extraction, ExtractionError, ReportInput

__all__ = [
    "ExtractionError",
    "Extractor",
    "available_backends",
    "backend_target",
    "get_extractor",
    "register",
]


class Extractor(ABC):
    """Turns one report into an :class:`Extraction`: lesions and duct features with evidence.

    Backends never compute intervals, growth or categories; the pipeline does.
    """

    name: str = "base"
    version: str = "0"

    @abstractmethod
    def extract(self, report: ReportInput) -> Extraction:
        """Raise :class:`ExtractionError` (or any exception) when this report fails."""

    def extract_many(self, reports: Iterable[ReportInput]) -> Iterator[Extraction | BaseException]:
        """Yield one extraction or exception per report, in input order.

        Backends that can work concurrently (servers) override this.
        """
        for report in reports:
            try:
                yield self.extract(report)
            except Exception as exc:  # one bad report never stops the batch
                yield exc

    def run_summary(self) -> dict[str, Any]:
        """Numbers worth printing after a run (tokens, latency, cost); empty for offline backends."""
        return {}

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release models, sessions or servers."""


# name -> "module:factory". Kept as strings so importing the registry is free.
_REGISTRY: dict[str, str] = {
    "rules": "pancyst.extract.rules:RulesExtractor",
    "llm": "pancyst.extract.llm:LLMExtractor",
    "hybrid": "pancyst.extract.hybrid:HybridExtractor",
}


def register(name: str, target: str) -> None:
    """Register a backend as ``"package.module:Factory"`` (third-party backends too)."""
    _REGISTRY[name] = target


def backend_target(name: str) -> str | None:
    """The ``"module:Factory"`` a backend name stands for (worker processes rebuild backends from it)."""
    return _REGISTRY.get(name)


def available_backends() -> list[str]:
    return sorted(_REGISTRY)


def get_extractor(name: str, **options: Any) -> Extractor:
    try:
        target = _REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"unknown backend {name!r}; choose one of {', '.join(available_backends())}"
        ) from None
    module_name, _, attr = target.partition(":")
    factory = getattr(importlib.import_module(module_name), attr)
    extractor = factory(**options)
    if not isinstance(extractor, Extractor):
        raise TypeError(f"backend {name!r} did not build an Extractor")
    return extractor
