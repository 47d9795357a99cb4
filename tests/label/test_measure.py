"""The audit's own measurement reader."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pancyst.label.measure import measurements, supports


def test_examples() -> None:
    found = measurements("A 2.3 x 1.8 cm cyst, previously 1,8 cm; duct 3 mm; 2.1 x 1.5 x 1.2 centimeters")
    assert [m.dims_mm for m in found] == [(23.0, 18.0), (18.0,), (3.0,), (21.0, 15.0, 12.0)]
    assert found[0].longest_mm == 23.0
    assert supports(23, "2.3 x 1.8 cm") is True
    assert supports(23, "1.8 cm") is False
    assert supports(5, "sub-centimeter cyst") is None
    assert measurements("series 5 image 42") == []


@given(
    dims=st.lists(st.integers(min_value=1, max_value=999), min_size=1, max_size=3),
    unit=st.sampled_from(["cm", "mm", "CM", "centimetres", "millimeters"]),
    sep=st.sampled_from([" x ", "x", " × ", " by "]),
    comma=st.booleans(),
)
def test_round_trip(dims: list[int], unit: str, sep: str, comma: bool) -> None:
    values = [d / 10 for d in dims]  # one decimal place
    written = sep.join(f"{v:.1f}".replace(".", ",") if comma else f"{v:.1f}" for v in values)
    found = measurements(f"cyst measuring {written} {unit} in the head")
    assert len(found) == 1
    factor = 10 if unit.lower().startswith("c") else 1
    assert found[0].dims_mm == tuple(round(v * factor, 4) for v in values)
