"""Optional compiled build: `PANCYST_COMPILE=1 pip install --no-build-isolation .` (see README, "Speed").

Without PANCYST_COMPILE this is a plain pure-Python install (all metadata lives in pyproject.toml).
With it, mypyc compiles the modules listed under [tool.pancyst.compile] to C extensions; the output is the
same (checked by tests/extract/test_compiled.py), only faster. mypyc type-checks with the project's mypy
configuration, so mypy and the runtime dependencies must already be installed (hence --no-build-isolation).
"""

import os
import tomllib
from pathlib import Path

from setuptools import setup

ext_modules = []
if os.environ.get("PANCYST_COMPILE") == "1":
    from mypyc.build import mypycify

    config = tomllib.loads(Path(__file__).with_name("pyproject.toml").read_text())
    modules = config["tool"]["pancyst"]["compile"]["modules"]
    ext_modules = mypycify(modules, opt_level="3")

setup(ext_modules=ext_modules)
