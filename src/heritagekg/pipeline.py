"""The whole build: ingest -> extract -> resolve -> graph, as one library call.

One bad input never stops the build: its error is recorded (one line naming the file) and the
other articles are still built.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from rdflib import Dataset

from heritagekg.errors import ExtractionError, HeritageKGError, InputError
from heritagekg.extract import extract
from heritagekg.graph import build_dataset
from heritagekg.ingest import read_articles
from heritagekg.model import Article, Extraction
from heritagekg.resolve import Resolution, resolve


@dataclass
class BuildResult:
    dataset: Dataset
    articles: list[Article]
    extractions: list[Extraction]
    resolution: Resolution
    errors: list[HeritageKGError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def build_articles(articles: list[Article], base_iri: str | None = None, lang: str = "auto",
                   model: str | None = None, prefer: tuple[str, ...] = ("en", "zh"),
                   errors: list[HeritageKGError] | None = None) -> BuildResult:
    errors = list(errors or [])
    extractions: list[Extraction] = []
    for article in articles:
        try:
            extractions.append(extract(article, lang=lang, model=model))
        except HeritageKGError as exc:
            errors.append(exc)
        except Exception as exc:  # a bug on one article must not lose the others
            errors.append(ExtractionError(f"{article.source}: extraction failed: {type(exc).__name__}: {exc}"))
    resolution = resolve(extractions)
    dataset = build_dataset(extractions, resolution, base_iri=base_iri, prefer=prefer)
    return BuildResult(dataset, [e.article for e in extractions], extractions, resolution, errors)


def build(paths: Iterable[str | Path], base_iri: str | None = None, lang: str = "auto",
          model: str | None = None, prefer: tuple[str, ...] = ("en", "zh")) -> BuildResult:
    """Build the knowledge graph of every article under `paths`."""
    ingested = read_articles(paths, lang=None if lang == "auto" else lang)
    errors: list[HeritageKGError] = list(ingested.errors)
    return build_articles(ingested.articles, base_iri, lang, model, prefer, errors)


__all__ = ["BuildResult", "build", "build_articles", "InputError"]
