"""Which modules of this installation run compiled (mypyc) and which run as Python source.

A compiled build gives the same output, only faster; `pancyst --version` and the speed benchmark say which
one ran, so a reported number can be traced to the build that produced it.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pancyst


def compiled_modules() -> list[str]:
    """Dotted names of the pancyst modules that are C extensions (import prefers them over .py files)."""
    suffixes = sorted(EXTENSION_SUFFIXES, key=len, reverse=True)  # ".cpython-311-….so" before ".so"
    found: set[str] = set()
    for root in map(Path, pancyst.__path__):
        for path in root.rglob("*"):
            rel = path.relative_to(root).as_posix()
            suffix = next((s for s in suffixes if rel.endswith(s)), None)
            if suffix is not None and path.is_file():
                found.add("pancyst." + rel[: -len(suffix)].replace("/", "."))
    return sorted(found)


def describe() -> str:
    mods = compiled_modules()
    if not mods:
        return "pure Python"
    return f"compiled by mypyc: {len(mods)} modules"
