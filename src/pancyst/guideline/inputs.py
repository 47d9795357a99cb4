"""The patient inputs a guideline profile reads, checked once for every door they come in by.

`pancyst categorize` lines and `pancyst evaluate` gold lines carry them as plain JSON written by
people or other tools, so a value of the wrong kind ("seventy", "yes") must be named, never read
as something else: Python would take the string "yes" as no jaundice and crash on age "seventy".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pancyst.guideline.conditions import CLINICAL_INPUTS

FLAGS = ("jaundice", "surgical_candidate", "acute_pancreatitis", "new_onset_diabetes")  # true/false/null
PATIENT_KEYS = ("patient_age", *FLAGS, *CLINICAL_INPUTS)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def input_problem(data: Mapping[str, Any]) -> str | None:
    """What is wrong with a line's patient inputs, or None; absent and null mean unknown."""
    age = data.get("patient_age")
    if age is not None and not (_number(age) and 0 <= age < 130):
        return "patient_age must be a number of years (0-130)"
    for key in FLAGS:
        if data.get(key) is not None and not isinstance(data[key], bool):
            return f"{key} must be true, false or null (unknown)"
    ca = data.get("ca19_9")
    if ca is not None and not (_number(ca) and ca >= 0):
        return "ca19_9 must be a number >= 0 (U/mL) or null"
    return None
