"""YAML for the bundled rules, profiles and prompts, and for the user's own config files.

Every process reads a dozen lexicon and profile files before its first report; PyYAML's pure-Python
parser takes about 0.3 s for them, libyaml's C parser (which PyYAML wheels ship) a tenth of that.
Both are safe loaders and build the same data; the pure one is the fallback where libyaml is missing.
"""

from __future__ import annotations

from typing import Any

import yaml

_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``, with libyaml's parser when PyYAML has it."""
    return yaml.load(text, Loader=_SAFE_LOADER)
