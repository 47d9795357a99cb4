"""Extraction backends behind one interface (:class:`pancyst.extract.base.Extractor`)."""

from pancyst.extract.base import ExtractionError, Extractor, available_backends, get_extractor, register

__all__ = ["ExtractionError", "Extractor", "available_backends", "get_extractor", "register"]
