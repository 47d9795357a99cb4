"""The small condition language guideline profiles are written in.

A condition is data, so an institution changes a threshold by editing YAML, not Python:

- ``{feature: size_mm, gte: 30}``: one feature against one or more operators (all must hold);
  operators ``eq ne in not_in gt gte lt lte``;
- ``{all: [...]}``, ``{any: [...]}``, ``{not: {...}}``: combinations.

A missing value (null) never satisfies ``gt/gte/lt/lte``; ``{feature: size_mm, eq: null}``
asks for it explicitly. ``not_stated`` is an ordinary value, so a rule that asks for
``present`` treats it as absent (SPEC §4).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from pancyst.schema import (
    Calcification,
    Growth,
    Location,
    MuralNodule,
    PresentAbsent,
    PresumedType,
    YesNo,
)

NUMBER = "number"
BOOL = "bool"

# Every name a condition may test, with its kind: "number", "bool" or the allowed strings.
FEATURE_KINDS: dict[str, str | tuple[str, ...]] = {
    # lesion features
    "size_mm": NUMBER,
    "location": get_args(Location),
    "mural_nodule": get_args(MuralNodule),
    "nodule_size_mm": NUMBER,
    "wall_thickening": get_args(PresentAbsent),
    "septations": get_args(PresentAbsent),
    "mpd_communication": get_args(PresentAbsent),
    "prior_size_mm": NUMBER,
    "interval_months": NUMBER,
    "presumed_type": get_args(PresumedType),
    "calcification": get_args(Calcification),
    # report level and metadata
    "pcl_present": BOOL,
    "mpd_diameter_mm": NUMBER,
    "mpd_dilated": get_args(YesNo),
    "jaundice": BOOL,
    "surgical_candidate": BOOL,
    "patient_age": NUMBER,
    "ca19_9": NUMBER,
    "acute_pancreatitis": BOOL,
    "new_onset_diabetes": BOOL,
    # computed by the engine before the rules run
    "growth": get_args(Growth),
    "growth_mm": NUMBER,
    "growth_rate_mm_per_year": NUMBER,
    # for recommendation rules only: the lesion's category from the profile's own stigmata and features
    "risk_category": NUMBER,
}
# Clinical metadata a profile may read (ReportInput fields; evaluate_report's ``clinical``).
CLINICAL_INPUTS = ("ca19_9", "acute_pancreatitis", "new_onset_diabetes")

COMPARISONS = ("gt", "gte", "lt", "lte")
OPERATORS = ("eq", "ne", "in", "not_in", *COMPARISONS)
COMBINATORS = ("all", "any", "not")


class ConditionError(ValueError):
    """A condition that does not parse; the message names where it is."""


def _check_value(feature: str, value: Any, where: str) -> None:
    kind = FEATURE_KINDS[feature]
    if value is None:
        return
    if kind == NUMBER:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        expected = "a number"
    elif kind == BOOL:
        ok = isinstance(value, bool)
        expected = "true or false"
    else:
        ok = isinstance(value, str) and value in kind
        expected = "one of " + ", ".join(kind)
        if isinstance(value, bool):
            expected += " (quote yes/no in YAML: 'yes')"
    if not ok:
        raise ConditionError(f"{where}: {value!r} is not valid for {feature}; expected {expected}")


def check_condition(cond: Any, path: str = "when") -> None:
    """Raise :class:`ConditionError` naming the first bad key under ``path``."""
    if not isinstance(cond, Mapping) or not cond:
        raise ConditionError(f"{path}: a condition must be a non-empty mapping, got {cond!r}")
    combinators = [k for k in cond if k in COMBINATORS]
    if combinators:
        if len(cond) != 1:
            raise ConditionError(f"{path}: '{combinators[0]}' cannot be mixed with other keys {sorted(cond)}")
        key = combinators[0]
        sub = cond[key]
        if key == "not":
            check_condition(sub, f"{path}.not")
            return
        if not isinstance(sub, list) or not sub:
            raise ConditionError(f"{path}.{key}: expected a non-empty list of conditions")
        for i, item in enumerate(sub):
            check_condition(item, f"{path}.{key}[{i}]")
        return
    if "feature" not in cond:
        raise ConditionError(f"{path}: expected 'feature', 'all', 'any' or 'not', got keys {sorted(cond)}")
    feature = cond["feature"]
    if feature not in FEATURE_KINDS:
        raise ConditionError(
            f"{path}.feature: unknown feature {feature!r}; known: {', '.join(sorted(FEATURE_KINDS))}"
        )
    ops = [k for k in cond if k != "feature"]
    if not ops:
        raise ConditionError(f"{path}: feature {feature!r} has no operator ({', '.join(OPERATORS)})")
    for op in ops:
        where = f"{path}.{op}"
        if op not in OPERATORS:
            raise ConditionError(f"{where}: unknown operator {op!r}; known: {', '.join(OPERATORS)}")
        value = cond[op]
        if op in COMPARISONS and FEATURE_KINDS[feature] != NUMBER:
            raise ConditionError(f"{where}: {op} needs a numeric feature, {feature!r} is not one")
        if op in COMPARISONS and value is None:
            raise ConditionError(f"{where}: cannot compare with null")
        if op in ("in", "not_in"):
            if not isinstance(value, list) or not value:
                raise ConditionError(f"{where}: expected a non-empty list")
            for i, item in enumerate(value):
                _check_value(feature, item, f"{where}[{i}]")
        else:
            _check_value(feature, value, where)


def _holds(op: str, value: Any, target: Any) -> bool:
    if op == "eq":
        return bool(value == target)
    if op == "ne":
        return bool(value != target)
    if op == "in":
        return value in target
    if op == "not_in":
        return value not in target
    if value is None:
        return False
    if op == "gt":
        return bool(value > target)
    if op == "gte":
        return bool(value >= target)
    if op == "lt":
        return bool(value < target)
    return bool(value <= target)  # lte


def evaluate(cond: Mapping[str, Any] | None, ctx: Mapping[str, Any]) -> bool:
    """True when ``cond`` holds for ``ctx``; no condition (None) always holds."""
    if cond is None:
        return True
    if "all" in cond:
        return all(evaluate(c, ctx) for c in cond["all"])
    if "any" in cond:
        return any(evaluate(c, ctx) for c in cond["any"])
    if "not" in cond:
        return not evaluate(cond["not"], ctx)
    value = ctx.get(cond["feature"])
    return all(_holds(op, value, target) for op, target in cond.items() if op != "feature")


def features_of(cond: Mapping[str, Any] | None) -> list[str]:
    """The feature names a condition reads, in first-use order (for the trace's inputs)."""
    if cond is None:
        return []
    if "feature" in cond:
        return [cond["feature"]]
    names: list[str] = []
    subs = [cond["not"]] if "not" in cond else cond.get("all", cond.get("any", []))
    for sub in subs:
        for name in features_of(sub):
            if name not in names:
                names.append(name)
    return names
