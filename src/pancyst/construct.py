"""``construct(Model, values)``: a pydantic model from trusted values, without validation.

Hot paths (evidence spans, rule-trace entries) build tens of these per report. It lives in its own
module, with no model of its own, so the compiled build (``make setup-fast``) compiles it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

_M = TypeVar("_M", bound=BaseModel)
_N_FIELDS: dict[type, int] = {}


def construct(cls: type[_M], values: dict[str, Any]) -> _M:
    """``cls.model_construct(**values)`` for trusted values that name every field, at a third of its cost;
    the object is the same (same ``__dict__``, fields set, no extra, no private state)."""
    n = _N_FIELDS.get(cls)
    if n is None:
        n = _N_FIELDS[cls] = len(cls.model_fields)
    if len(values) != n:
        raise ValueError(f"construct({cls.__name__}) needs every field: got {sorted(values)}")
    obj: _M = object.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj
