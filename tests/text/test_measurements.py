import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pancyst.text.measurements import find_measurements, parse_size_mm


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.3 x 1.8 cm", 23.0),
        ("2,3 cm", 23.0),
        ("8 mm", 8.0),
        ("8mm", 8.0),
        ("1.25 cm", 12.5),
        ("2.1 x 1.5 x 1.2 cm", 21.0),
        ("1.2 cm x 0.8 cm", 12.0),
        ("12 by 8 millimeters", 12.0),
        ("a 12-mm cyst", 12.0),
        ("up to 5 mm", 5.0),
        ("2-5 mm", 5.0),
        ("2 to 5 mm", 5.0),
        (".8 cm", 8.0),
        ("3,4 cm (previous 2,6 cm)", 34.0),
        ("(series 3, image 45)", None),
        ("(4:33)", None),
        ("segment 7", None),
        ("T2 hyperintense", None),
        ("03/14/2023", None),
    ],
)
def test_parse_size_mm(text: str, expected: float | None) -> None:
    assert parse_size_mm(text) == expected


def test_series_image_reference_is_not_a_size() -> None:
    text = "cyst measuring 1.0 x 0.8 cm (series 4, image 22)"
    found = find_measurements(text)
    assert len(found) == 1
    assert text[found[0].start : found[0].end] == "1.0 x 0.8 cm"
    assert found[0].values_mm == (10.0, 8.0)


@pytest.mark.parametrize("text", ["-12 mm cyst", "change: -2 mm", "size \u221212 mm", "(-3 mm)"])
def test_a_signed_number_is_not_a_size(text: str) -> None:
    assert find_measurements(text) == []


@pytest.mark.parametrize(
    ("text", "expected"), [("8-12 mm", 12.0), ("- 12 mm cyst", 12.0), ("T2-12 mm", 12.0)]
)
def test_a_dash_that_is_no_sign_keeps_the_size(text: str, expected: float) -> None:
    assert parse_size_mm(text) == expected


def test_range_and_upto_kinds() -> None:
    assert [m.kind for m in find_measurements("ranging 2-5 mm, up to 7 mm")] == ["range", "upto"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises(text: str) -> None:
    parse_size_mm(text)
    for m in find_measurements(text):
        assert 0 <= m.start < m.end <= len(text)


@pytest.mark.parametrize(
    ("text", "sizes"),
    [
        ("a cyst measuring approximately five millimeters", [(5.0,)]),
        ("a formation of one point five centimetres and 3 mm", [(15.0,), (3.0,)]),
        ("Two and a half Centimeters", [(25.0,)]),
        ("five mm", []),  # a spelled number only with a spelled unit: "five mm" is not written
        ("one of the millimetre-thin septa", []),
    ],
)
def test_a_size_written_in_words(text: str, sizes: list[tuple[float, ...]]) -> None:
    assert [m.values_mm for m in find_measurements(text)] == sizes


@pytest.mark.parametrize(("text", "mm"), [("a cyst of size 1.5 x 1.2 cms", 15.0), ("measuring 8 mms", 8.0)])
def test_a_plural_unit_abbreviation_is_a_unit(text: str, mm: float) -> None:
    (m,) = find_measurements(text)
    assert m.longest_mm == mm


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Size (mm): 17", (17.0,)),
        ("MPD diameter [mm]: 3", (3.0,)),
        ("Size (cm): 1.2 x 0.9", (12.0, 9.0)),
        ("Lesion size (mm) 12x9", (12.0, 9.0)),
        ("Size (mm): 17 mm", (17.0,)),  # the answer's own unit: one size, not two
    ],
)
def test_a_bare_number_takes_the_unit_its_field_label_holds(text: str, values: tuple[float, ...]) -> None:
    assert [m.values_mm for m in find_measurements(text)] == [values]


@pytest.mark.parametrize("text", ["Lesion number: 1", "(series 2, image 34)", "Bosniak (class): 2"])
def test_a_bare_number_under_a_label_without_a_unit_is_no_size(text: str) -> None:
    assert find_measurements(text) == []


@pytest.mark.parametrize(
    ("text", "sizes"),
    [
        ("increased from 1.9 cm in March 2022 to 2.8 cm today", [(19.0,), (28.0,)]),
        ("measured 12 mm on 15 to 14 mm", [(12.0,), (14.0,)]),
        ("2 to 5 mm", [(2.0, 5.0)]),
    ],
)
def test_a_bare_number_above_a_ranges_end_starts_no_range(text: str, sizes: list[tuple[float, ...]]) -> None:
    assert [m.values_mm for m in find_measurements(text)] == sizes


@pytest.mark.parametrize(
    ("text", "sizes"),
    [
        ("a cystic formation of 17/14 mm", [(17.0, 14.0)]),
        ("on 12/2023 the cyst", []),
        ("MRI 3/12 showed", []),
    ],
)
def test_a_slash_between_dimensions_is_a_by(text: str, sizes: list[tuple[float, ...]]) -> None:
    assert [m.values_mm for m in find_measurements(text)] == sizes
