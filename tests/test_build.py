from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import pancyst
from pancyst.build import compiled_modules, describe


def test_finds_extension_modules_by_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "dates.py").write_text("")
    (tmp_path / "text" / f"dates{EXTENSION_SUFFIXES[0]}").write_bytes(b"")
    (tmp_path / "schema.py").write_text("")
    monkeypatch.setattr(pancyst, "__path__", [str(tmp_path)])
    assert compiled_modules() == ["pancyst.text.dates"]
    assert describe() == "compiled by mypyc: 1 modules"


def test_source_tree_is_pure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "schema.py").write_text("")
    monkeypatch.setattr(pancyst, "__path__", [str(tmp_path)])
    assert compiled_modules() == []
    assert describe() == "pure Python"
