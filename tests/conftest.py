"""Shared fixtures: real builds of real articles (the spaCy model loads once per test session)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from heritagekg.model import Extraction

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


def corpus_path(*parts: str) -> Path:
    """A file of the shared development corpus (beside the clone in CI); skip when absent."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared corpus not available: {path}")
    return path


def read_en(text: str, **meta) -> "Extraction":
    """The extraction of an invented English article (`meta`: article_from_text's keywords)."""
    from heritagekg.extract import extract
    from heritagekg.ingest import article_from_text

    return extract(article_from_text(text, id="t", **meta))


def en_facts(ex: "Extraction") -> set[tuple[str, str, str]]:
    """(subject label, predicate, object label or literal) of every relation extracted."""
    from heritagekg.model import Value

    out = set()
    for r in ex.relations:
        obj = r.object.value if isinstance(r.object, Value) else ex.entities[r.object].label
        out.add((ex.entities[r.subject].label, r.predicate, obj))
    return out


@pytest.fixture(scope="session")
def seed_build():
    """The graph of data/ (the bilingual seed article), built once per session."""
    from heritagekg.pipeline import build

    result = build([DATA])
    assert not result.errors, result.errors
    return result


@pytest.fixture(scope="session")
def seed_ttl(seed_build, tmp_path_factory) -> Path:
    from heritagekg.serialize import write

    return write(seed_build.dataset, tmp_path_factory.mktemp("seed") / "kg.ttl")


@pytest.fixture(scope="session")
def seed_trig(seed_build, tmp_path_factory) -> Path:
    from heritagekg.serialize import write

    return write(seed_build.dataset, tmp_path_factory.mktemp("seed") / "kg.trig")
