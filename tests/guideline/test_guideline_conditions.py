from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pancyst.guideline.conditions import ConditionError, check_condition, evaluate, features_of


@pytest.mark.parametrize(
    ("cond", "message"),
    [
        ({}, "non-empty mapping"),
        ([], "non-empty mapping"),
        ({"feature": "size"}, "unknown feature 'size'"),
        ({"feature": "size_mm"}, "has no operator"),
        ({"feature": "size_mm", "gtee": 3}, "when.gtee: unknown operator"),
        ({"feature": "size_mm", "gte": "30"}, "expected a number"),
        ({"feature": "size_mm", "gte": None}, "cannot compare with null"),
        ({"feature": "location", "gte": 3}, "needs a numeric feature"),
        ({"feature": "mpd_dilated", "eq": True}, "quote yes/no"),
        ({"feature": "location", "in": ["head", "belly"]}, "when.in[1]: 'belly'"),
        ({"feature": "location", "in": []}, "non-empty list"),
        ({"feature": "jaundice", "eq": "yes"}, "true or false"),
        ({"all": [{"feature": "size_mm", "gte": 1}, {"bogus": 1}]}, "when.all[1]: expected 'feature'"),
        ({"any": []}, "when.any: expected a non-empty list"),
        ({"not": {"feature": "nope", "eq": 1}}, "when.not.feature: unknown feature"),
        ({"all": [{"feature": "size_mm", "gte": 1}], "feature": "size_mm"}, "cannot be mixed"),
    ],
)
def test_bad_conditions_name_the_key(cond: Any, message: str) -> None:
    with pytest.raises(ConditionError, match=None) as info:
        check_condition(cond)
    assert message in str(info.value)


def test_good_conditions_pass() -> None:
    check_condition({"feature": "mpd_diameter_mm", "gte": 7, "lt": 10})
    check_condition({"feature": "mpd_diameter_mm", "eq": None})
    check_condition(
        {
            "any": [
                {"feature": "location", "in": ["head", "uncinate"]},
                {"not": {"feature": "jaundice", "eq": True}},
            ]
        }
    )


def test_evaluate_semantics() -> None:
    ctx = {"size_mm": 20.0, "location": "head", "mpd_diameter_mm": None, "jaundice": None}
    assert evaluate({"feature": "size_mm", "gte": 20}, ctx)
    assert not evaluate({"feature": "size_mm", "gt": 20}, ctx)
    assert evaluate({"feature": "size_mm", "gte": 15, "lte": 20}, ctx)
    assert not evaluate({"feature": "size_mm", "gte": 15, "lt": 20}, ctx)
    assert evaluate({"feature": "mpd_diameter_mm", "eq": None}, ctx)
    assert not evaluate({"feature": "mpd_diameter_mm", "gte": 0}, ctx)  # missing never compares
    assert not evaluate({"feature": "mpd_diameter_mm", "lt": 100}, ctx)
    assert evaluate({"feature": "location", "in": ["head", "uncinate"]}, ctx)
    assert evaluate({"feature": "location", "not_in": ["tail"]}, ctx)
    assert evaluate({"feature": "location", "ne": "tail"}, ctx)
    assert not evaluate({"feature": "jaundice", "eq": True}, ctx)
    assert evaluate({"any": [{"feature": "jaundice", "eq": True}, {"feature": "size_mm", "lt": 25}]}, ctx)
    assert not evaluate({"all": [{"feature": "jaundice", "eq": True}, {"feature": "size_mm", "lt": 25}]}, ctx)
    assert evaluate({"not": {"feature": "jaundice", "eq": True}}, ctx)
    assert evaluate(None, ctx)


def test_features_of_lists_each_name_once_in_order() -> None:
    cond = {
        "any": [
            {"feature": "mpd_diameter_mm", "gte": 7},
            {"all": [{"feature": "mpd_dilated", "eq": "yes"}, {"feature": "mpd_diameter_mm", "eq": None}]},
            {"not": {"feature": "location", "eq": "head"}},
        ]
    }
    assert features_of(cond) == ["mpd_diameter_mm", "mpd_dilated", "location"]
    assert features_of(None) == []


numbers = st.none() | st.floats(min_value=-1000, max_value=1000, allow_nan=False)


@given(value=numbers, target=st.floats(min_value=-1000, max_value=1000, allow_nan=False))
def test_comparisons_match_python_and_null_never_compares(value: float | None, target: float) -> None:
    ctx = {"size_mm": value}
    for op, fn in (
        ("gt", float.__gt__),
        ("gte", float.__ge__),
        ("lt", float.__lt__),
        ("lte", float.__le__),
    ):
        expected = False if value is None else fn(float(value), target)
        assert evaluate({"feature": "size_mm", op: target}, ctx) is expected
        assert evaluate({"not": {"feature": "size_mm", op: target}}, ctx) is (not expected)
