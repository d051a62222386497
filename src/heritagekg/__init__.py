"""heritagekg: cultural-heritage news in, an evidence-backed bilingual knowledge graph out."""
from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """`heritagekg.KnowledgeGraph` and `heritagekg.build` without importing spaCy at package import."""
    if name == "KnowledgeGraph":
        from heritagekg.api import KnowledgeGraph

        return KnowledgeGraph
    if name == "build":
        from heritagekg.pipeline import build

        return build
    raise AttributeError(name)


__all__ = ["KnowledgeGraph", "build", "__version__"]
