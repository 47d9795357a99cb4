"""The deterministic backend, one module per stage (see ``extractor`` for the flow)."""

from pancyst.extract.rules.extractor import MAX_MENTIONS, RulesExtractor

__all__ = ["MAX_MENTIONS", "RulesExtractor"]
