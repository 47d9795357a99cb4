"""A tiny deterministic backend for I/O and CLI tests (the real backends are tested elsewhere).

Every "cyst" word is a lesion; "<number> mm|cm" right before it is its size; "pancreatic
duct ... <n> mm" sets the duct. "BOOM" in a report makes it fail, like a model error.
"""

from __future__ import annotations

import os
import re
from typing import Any

from pancyst.extract.base import ExtractionError, Extractor
from pancyst.schema import Extraction, Lesion, ReportInput, Span

_CYST = re.compile(r"(?:(\d+(?:\.\d+)?)\s*(mm|cm)\s+)?(?:\w+\s+)?cyst", re.IGNORECASE)
_LOC = re.compile(r"\b(head|uncinate|neck|body|tail)\b", re.IGNORECASE)
_DUCT = re.compile(r"pancreatic duct[^.\d]*?(\d+(?:\.\d+)?)\s*mm", re.IGNORECASE)


class FakeExtractor(Extractor):
    name = "fake"
    version = "1.0"

    def __init__(self, **options: Any) -> None:
        unknown = set(options) - {"suffix", "only_pid"}
        if unknown:
            raise TypeError(f"unknown options {sorted(unknown)}")
        if "only_pid" in options and options["only_pid"] != os.getpid():
            raise RuntimeError("this backend cannot start in another process")  # simulates broken workers
        self.options = {k: v for k, v in options.items() if k != "only_pid"}

    def extract(self, report: ReportInput) -> Extraction:
        text = report.text
        if "BOOM" in text:
            raise ExtractionError("model returned garbage")
        lesions = []
        for match in _CYST.finditer(text):
            evidence = [Span(start=match.start(), end=match.end(), text=match.group(0), feature=None)]
            size = None
            if match.group(1):
                size = float(match.group(1)) * (10 if match.group(2).lower() == "cm" else 1)
                evidence.append(
                    Span(
                        start=match.start(1),
                        end=match.end(2),
                        text=text[match.start(1) : match.end(2)],
                        feature="size_mm",
                    )
                )
            location = "unspecified"
            loc = _LOC.search(text, match.end(), match.end() + 40)
            if loc:
                location = loc.group(1).lower()
                evidence.append(Span(start=loc.start(), end=loc.end(), text=loc.group(0), feature="location"))
            lesions.append(Lesion(size_mm=size, location=location, evidence=evidence))  # type: ignore[arg-type]
        meta = {"options": dict(self.options)} if self.options else {}
        extraction = Extraction(pcl_present=bool(lesions), lesions=lesions, meta=meta)
        duct = _DUCT.search(text)
        if duct and lesions:
            extraction.mpd_diameter_mm = float(duct.group(1))
            extraction.evidence["mpd_diameter_mm"] = [
                Span(start=duct.start(), end=duct.end(), text=duct.group(0), feature="mpd_diameter_mm")
            ]
        if lesions:
            extraction.evidence["pcl_present"] = [lesions[0].evidence[0]]
        return extraction


def register_fake() -> str:
    """Register this backend as "fake"; spawned worker processes get the same registration."""
    from pancyst.extract import register

    register("fake", "fake_extractor_io:FakeExtractor")
    return "fake"
