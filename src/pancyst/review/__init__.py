"""Reviewing machine output into gold labels: validated edits, a correction store, gold export.

Pure Python over sqlite; the web app (``pancyst.webapp``) is one front end to it."""

from pancyst.pipeline import extraction_from_result
from pancyst.review.db import StoreError
from pancyst.review.edits import (
    LESION_FIELDS,
    REPORT_FIELDS,
    Change,
    EditError,
    FieldSpec,
    apply_form,
    field_spec,
    recompute,
)
from pancyst.review.store import Filters, ReviewStore

__all__ = [
    "LESION_FIELDS",
    "REPORT_FIELDS",
    "Change",
    "EditError",
    "FieldSpec",
    "Filters",
    "ReviewStore",
    "StoreError",
    "apply_form",
    "extraction_from_result",
    "field_spec",
    "recompute",
]
