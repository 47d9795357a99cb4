"""`pancyst` with the tests' fake backend registered: ``python launch.py extract ... -b fake``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io"))

from fake_extractor_io import register_fake

from pancyst.cli import app

register_fake()
if __name__ == "__main__":  # spawned worker processes import this file again
    app()
