"""The notebook API: one object for a knowledge graph you build, load, query, analyse and save.

    from heritagekg.api import KnowledgeGraph
    kg = KnowledgeGraph.build(["data/"])              # or KnowledgeGraph.load("out/kg.trig")
    kg.query("organizers", event="hkgr:forum/...")    # a library query by name, with parameters
    kg.query("SELECT ?s WHERE { ?s a hkg:Forum }")    # or any SPARQL (our prefixes are known)
    nx_graph = kg.to_networkx(); kg.stats(); kg.serialize("out/kg.trig")

Everything runs on a pyoxigraph Store (in memory, or on disk with `store=`), the fastest engine
for each of these operations (see store.py); `to_rdflib()` converts when rdflib is needed.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Union

import networkx as nx
import pyoxigraph as ox
import rdflib

from heritagekg.errors import HeritageKGError
from heritagekg.query import QueryResult, list_queries, parse_params, run_query
from heritagekg.stats import GraphStats, compute_stats, entity_graph
from heritagekg.store import MEMORY_MAX_TRIPLES, Store, open_source

PathLike = Union[str, os.PathLike]
_NAME = re.compile(r"^[A-Za-z0-9_\-]+$")


class KnowledgeGraph:
    """A heritagekg graph held in a pyoxigraph Store (named graph per article + merged view)."""

    def __init__(self, store: Store, errors: Iterable[HeritageKGError] = ()) -> None:
        self.store = store
        self._view_checked = False  # see query()
        #: inputs that could not be built (one error per file), from `build`
        self.errors: list[HeritageKGError] = list(errors)

    @classmethod
    def build(cls, paths: PathLike | Iterable[PathLike], *, base_iri: str | None = None,
              store: PathLike | None = None, **options: Any) -> "KnowledgeGraph":
        """Build the graph of articles (files or folders) with the extraction pipeline.

        `store`: keep it in an on-disk store there instead of memory; `options` go to
        `heritagekg.pipeline.build` (lang, model, prefer). Unreadable inputs end up in `.errors`."""
        from heritagekg.pipeline import build

        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        result = build(list(paths), base_iri=base_iri, **options)
        return cls(Store.from_dataset(result.dataset, store), result.errors)

    @classmethod
    def load(cls, source: PathLike | Store | ox.Store | rdflib.Graph) -> "KnowledgeGraph":
        """An RDF file, a store directory (opened read-only), a Store, or an rdflib Graph/Dataset."""
        if isinstance(source, rdflib.Graph):
            return cls(Store.from_dataset(source))
        return cls(open_source(source))  # type: ignore[arg-type]

    # -- asking ------------------------------------------------------------------------------------

    def query(self, sparql: str, **params: Any) -> QueryResult:
        """Run SPARQL text or a library query by name; keyword arguments bind variables.

        Our prefixes (hkg:, hkgr:, rdfs:, ...) may be used without PREFIX lines. Values are IRIs
        (<...>, https://..., hkgr:...), literals ('"text"@en') or plain Python numbers/strings."""
        name = "query"
        if _NAME.match(sparql.strip()):
            library = {q.name: q for q in list_queries()}
            if sparql.strip() in library:
                name = f"{sparql.strip()}.rq"
                sparql = library[sparql.strip()].text
        values = {k: (v if isinstance(v, (list, tuple)) else [v]) for k, v in params.items()}
        values = {k: [str(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else x for x in vs]
                  for k, vs in values.items()}
        if not self._view_checked:  # once: a notebook asks many questions of one graph
            self.store.keep_view_in_memory(MEMORY_MAX_TRIPLES)
            self._view_checked = True
        return run_query(sparql, self.store, parse_params(values), name=name)

    def stats(self, top: int = 10) -> GraphStats:
        """Counts by class and property, degree/PageRank leaders, components, bridging bodies."""
        return compute_stats(self.store, top)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The entity graph (nodes: entities with type/label/labels/facts; edges: hkg: relations)."""
        return entity_graph(self.store)

    def to_rdflib(self) -> rdflib.Dataset:
        """The graph as an rdflib Dataset, one named graph per article."""
        return self.store.to_dataset()

    def show(self, lang: str = "en", height: int = 640, **view_options: Any) -> "_Html":
        """The interactive graph inline in a notebook (heritagekg.viz; `focus=`, `depth=`, `query=`
        narrow it). Displays itself in Jupyter; `str()` is the <iframe> HTML."""
        from heritagekg.viz import notebook_html

        return _Html(notebook_html(self.store.oxigraph, lang=lang, height=height, **view_options))

    def articles(self) -> list[str]:
        """The article IRIs (one named graph each)."""
        return self.store.articles()

    # -- saving ------------------------------------------------------------------------------------

    def serialize(self, path: PathLike, format: str | None = None) -> Path:
        """Write the graph (format from the extension: .ttl .trig .nq .nt .jsonld .rdf), atomically.
        TriG and N-Quads keep one named graph per article; the others flatten them."""
        self.store.dump(Path(path), format)
        return Path(path)

    def __len__(self) -> int:
        return len(self.store)

    def __repr__(self) -> str:
        where = str(self.store.path) if self.store.path else "in memory"
        return f"<KnowledgeGraph {len(self)} triples, {len(self.articles())} articles, {where}>"


class _Html(str):
    """HTML text that Jupyter renders (`_repr_html_`) instead of printing."""

    def _repr_html_(self) -> str:
        return str(self)
