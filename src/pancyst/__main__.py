"""``python -m pancyst``: the same command line as ``pancyst``."""

from pancyst.cli import app

if __name__ == "__main__":
    app()
