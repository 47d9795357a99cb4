"""Optional-stack guard shared by tests (a plain module: ``conftest`` names clash under xdist)."""

from __future__ import annotations

import importlib
import os

import pytest


def require(module: str) -> None:
    """Skip when an optional stack is missing, unless CI demands it (PANCYST_REQUIRE_ML=1)."""
    try:
        importlib.import_module(module)
    except ImportError:
        if os.environ.get("PANCYST_REQUIRE_ML") == "1":
            raise
        pytest.skip(f"{module} not installed (make setup-ml)")
