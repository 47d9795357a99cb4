"""A compiled (mypyc) build gives exactly the result lines of the Python source it was built from.

Runs where pancyst is installed compiled (`make test-compiled`); skipped in the editable pure-Python venv.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from pancyst.build import compiled_modules
from pancyst.extract.rules import RulesExtractor
from pancyst.pipeline import Pipeline
from pancyst.schema import ReportInput
from pancyst.synth.generator import generate

ROOT = Path(__file__).resolve().parents[2]
COMPILED = compiled_modules()
pytestmark = pytest.mark.skipif(not COMPILED, reason="pure-Python install; `make test-compiled` runs this")

KEYS = ("report_id", "text", "exam_date", "patient_age", "modality", "jaundice")

# Runs the same reports through the source tree's .py modules (PYTHONPATH=src shadows the installed build):
# the whole result line, so the compiled guideline engine (category, recommendation, trace) is compared too.
PURE = """
import json, sys
import pancyst.extract.rules as rules
import pancyst.guideline.engine as engine
assert rules.__file__.endswith(".py"), rules.__file__
assert engine.__file__.endswith(".py"), engine.__file__
from pancyst.pipeline import Pipeline
from pancyst.schema import ReportInput
pipeline = Pipeline(rules.RulesExtractor())
for line in open(sys.argv[1]):
    report = ReportInput.model_validate_json(line)
    print(pipeline.finish(report, pipeline.extractor.extract(report)).model_dump_json())
"""


def test_every_listed_module_is_compiled() -> None:
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pancyst"]["compile"]["modules"]
    expected = {p.removeprefix("src/").removesuffix(".py").replace("/", ".") for p in listed}
    assert set(COMPILED) == expected


def test_compiled_output_equals_source_output(tmp_path: Path) -> None:
    rows = [*generate(400, seed=5, mix="real"), *generate(400, seed=6, mix="balanced")]
    rows += [
        json.loads(x) for x in (ROOT / "data/dev/handwritten.jsonl").read_text().splitlines() if x.strip()
    ]
    inputs = [ReportInput.model_validate({k: r[k] for k in KEYS if r.get(k) is not None}) for r in rows]
    path = tmp_path / "inputs.jsonl"
    path.write_text("".join(inp.model_dump_json() + "\n" for inp in inputs))

    pipeline = Pipeline(RulesExtractor())
    compiled = [pipeline.finish(inp, pipeline.extractor.extract(inp)).model_dump_json() for inp in inputs]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    res = subprocess.run(
        [sys.executable, "-c", PURE, str(path)], env=env, capture_output=True, text=True, check=True
    )
    pure = res.stdout.splitlines()
    assert len(pure) == len(compiled) == len(inputs)
    differing = [inp.report_id for inp, a, b in zip(inputs, compiled, pure, strict=True) if a != b]
    assert differing == []
