"""Command-line interface. Each stage's commands live in their own module and register on ``app``."""

from pancyst.cli import categorize, evaluate, extract, llm, review, schema, synth, track, train  # noqa: F401  (registers commands)
from pancyst.cli._app import app

__all__ = ["app"]
