"""Just enough measurement reading to check a value against its own quote (label audit, reasoning).

Deliberately small and independent of the rules backend: the audit must not share a parser with
the extractor whose disagreements it reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"\d+(?:[.,]\d+)?"
_UNIT = r"(?P<unit>cm|mm|centimet(?:er|re)s?|millimet(?:er|re)s?)\b"
_CHAIN = re.compile(rf"(?P<dims>{_NUM}(?:\s*(?:x|×|by)\s*{_NUM})*)\s*{_UNIT}", re.IGNORECASE)
_DIM = re.compile(_NUM)


@dataclass(frozen=True)
class Measurement:
    """One written measurement: its dimensions in the written unit and in mm."""

    text: str
    dims: tuple[float, ...]
    unit: str  # "cm" or "mm"

    @property
    def dims_mm(self) -> tuple[float, ...]:
        factor = 10.0 if self.unit == "cm" else 1.0
        return tuple(round(d * factor, 4) for d in self.dims)

    @property
    def longest_mm(self) -> float:
        return max(self.dims_mm)


def _number(raw: str) -> float:
    return float(raw.replace(",", "."))


def measurements(text: str) -> list[Measurement]:
    """Every "2.3 x 1.8 cm" / "5 mm" / "2,3 cm" in ``text``, in order."""
    out: list[Measurement] = []
    for m in _CHAIN.finditer(text):
        unit = "cm" if m.group("unit").lower().startswith("c") else "mm"
        dims = tuple(_number(d) for d in _DIM.findall(m.group("dims")))
        out.append(Measurement(text=m.group(0), dims=dims, unit=unit))
    return out


def supports(value: float, quote: str, *, tol: float = 0.051) -> bool | None:
    """Whether some dimension written in ``quote`` equals ``value`` mm; None when the quote has no measurement."""
    found = measurements(quote)
    if not found:
        return None
    return any(abs(d - value) <= tol for m in found for d in m.dims_mm)
