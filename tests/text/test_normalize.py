import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pancyst.text.normalize import normalize, to_normalized


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A cyst in the pancreatic tale.", "a cyst in the pancreatic tail."),
        ("tale of the pancreas", "tail of the pancreas"),
        ("Mural module present.", "mural nodule present."),
        ("Likely IP MN", "likely ipmn"),
        ("I.P.M.N. of the uncinate", "ipmn of the uncinate"),
        ("pancraetic cyst with septatoins", "pancreatic cyst with septations"),
        # real words are left alone
        ("well circumscribed, as well as the body wall", "well circumscribed, as well as the body wall"),
        ("the tail is normal", "the tail is normal"),
        ("diluted contrast, separated from", "diluted contrast, separated from"),
        ("two cysts in the body", "two cysts in the body"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text).text == expected


def test_offsets_map_back() -> None:
    text = "A 2 cm pancraetic tale cyst"
    n = normalize(text)
    i = n.text.index("tail")
    a, b = n.span(i, i + 4)
    assert text[a:b] == "tale"
    j = n.text.index("pancreatic")
    a, b = n.span(j, j + len("pancreatic"))
    assert text[a:b] == "pancraetic"
    assert to_normalized(n, text.index("cyst")) == n.text.index("cyst")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_never_raises_and_maps_inside(text: str) -> None:
    n = normalize(text)
    a, b = n.span(0, len(n.text))
    assert 0 <= a <= b <= len(text)
