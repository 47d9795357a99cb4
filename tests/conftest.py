"""Puts tests/ on sys.path so test modules can share plain helper modules (e.g. ``mlstack``)."""
