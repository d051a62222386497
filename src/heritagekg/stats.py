"""Network analysis of a knowledge graph: what is in it, who is central, who bridges events.

Counts come from SPARQL on the merged view (each distinct triple once). The network is the
*entity graph*: nodes are resources typed with a contract class other than hkg:Article, edges
are the hkg: relations between two such nodes (hkg:mentions, rdf:Statement nodes, labels and
literal values are not edges; literal values become node attributes). On that graph:
- degree leaders: most distinct neighbours;
- PageRank leaders (damping 0.85, power iteration in pure Python: networkx's needs scipy);
- weakly connected components;
- organizations bridging most events: distinct events an organization is directly related to
  (organizer, funder, participant, or any other hkg: relation either way).
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Union

import networkx as nx
import pyoxigraph as ox

from heritagekg.query import python_value
from heritagekg.store import Store, open_source
from heritagekg.vocab import ENTITY_CLASSES as _ENTITY_CLASSES, HKG as _HKG

HKG = str(_HKG)
#: local names of the classes whose instances are nodes, and of the event classes
ENTITY_CLASSES = tuple(str(c)[len(HKG):] for c in _ENTITY_CLASSES)
EVENT_CLASSES = ("Event", "Forum", "Expo")

Source = Union[str, os.PathLike, Store, ox.Store]

_PREFIX = f"PREFIX hkg: <{HKG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
_VALUES = " ".join(f"hkg:{c}" for c in ENTITY_CLASSES)


@dataclass
class Ranked:
    """One entity on a leader board."""

    iri: str
    label: str
    type: str
    score: float


@dataclass
class Bridge:
    """An organization and the distinct events it is directly related to."""

    iri: str
    label: str
    events: int
    event_labels: list[str] = field(default_factory=list)


@dataclass
class GraphStats:
    """What `heritagekg stats` reports (`to_dict()` is its --json form)."""

    triples: int
    articles: int
    entities: int
    statements: int
    classes: dict[str, int]
    properties: dict[str, int]
    nodes: int
    edges: int
    components: int
    component_sizes: list[int]
    degree_leaders: list[Ranked]
    pagerank_leaders: list[Ranked]
    bridging_organizations: list[Bridge]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _compact(iri: str) -> str:
    from heritagekg.vocab import shorten

    return shorten(iri)


def entity_graph(source: Source) -> nx.MultiDiGraph:
    """The entity graph of `source` (see the module docstring) as a networkx MultiDiGraph.

    Node attributes: `type` (class local name), `label` (English, else Chinese, else any),
    `labels` (lang -> preferred label), and every hkg: literal fact (e.g. `startDate`).
    Edge key and attribute `predicate`: the property's local name ("organizer")."""
    store = open_source(source)  # type: ignore[arg-type]
    g = nx.MultiDiGraph()
    for row in store.query(f"{_PREFIX}SELECT DISTINCT ?e ?class WHERE {{ VALUES ?class {{ {_VALUES} }} ?e a ?class }}"):
        iri = row["e"].value  # type: ignore[index]
        if iri not in g:
            g.add_node(iri, type=row["class"].value[len(HKG):], labels={})  # type: ignore[index]
    for row in store.query(f"{_PREFIX}SELECT DISTINCT ?e ?l WHERE {{ VALUES ?class {{ {_VALUES} }} ?e a ?class ; rdfs:label ?l }}"):
        iri, lit = row["e"].value, row["l"]  # type: ignore[index]
        g.nodes[iri]["labels"].setdefault(lit.language or "", lit.value)
    for iri, data in g.nodes(data=True):
        labels = data["labels"]
        data["label"] = labels.get("en") or labels.get("zh") or next(iter(labels.values()), iri.rsplit("/", 1)[-1])
    facts = store.query(f"{_PREFIX}SELECT DISTINCT ?s ?p ?o WHERE {{ ?s ?p ?o FILTER(isLITERAL(?o) && STRSTARTS(STR(?p), STR(hkg:))) }}")
    for row in facts:
        s = row["s"]  # type: ignore[index]
        if isinstance(s, ox.NamedNode) and s.value in g:
            key = row["p"].value[len(HKG):]  # type: ignore[index]
            node = g.nodes[s.value]
            value = python_value(row["o"])  # type: ignore[index]
            if key in node and node[key] != value:  # several values: keep them all
                node[key] = sorted({*(node[key] if isinstance(node[key], list) else [node[key]]), value}, key=str)
            else:
                node[key] = value
    edges = store.query(f"{_PREFIX}SELECT DISTINCT ?s ?p ?o WHERE {{ ?s ?p ?o "
                        f"FILTER(isIRI(?o) && STRSTARTS(STR(?p), STR(hkg:)) && ?p != hkg:mentions) }}")
    for row in edges:
        s, p, o = row["s"], row["p"], row["o"]  # type: ignore[index]
        if isinstance(s, ox.NamedNode) and s.value in g and o.value in g:
            name = p.value[len(HKG):]
            g.add_edge(s.value, o.value, key=name, predicate=name)
    return g


def pagerank(graph: nx.DiGraph | nx.MultiDiGraph, alpha: float = 0.85, max_iter: int = 200,
             tol: float = 1e-10) -> dict[str, float]:
    """PageRank by power iteration (parallel edges count once; dangling rank spreads evenly)."""
    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    out = {u: sorted({v for v in graph.successors(u) if v != u}) for u in nodes}
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = alpha * sum(rank[u] for u in nodes if not out[u]) / n
        new = dict.fromkeys(nodes, (1.0 - alpha) / n + dangling)
        for u in nodes:
            if out[u]:
                share = alpha * rank[u] / len(out[u])
                for v in out[u]:
                    new[v] += share
        if sum(abs(new[u] - rank[u]) for u in nodes) < tol * n:
            return new
        rank = new
    return rank


def _leaders(graph: nx.MultiDiGraph, scores: dict[str, float], top: int) -> list[Ranked]:
    order = sorted(scores, key=lambda u: (-scores[u], graph.nodes[u]["label"], u))[:top]
    return [Ranked(u, graph.nodes[u]["label"], graph.nodes[u]["type"], round(scores[u], 6)) for u in order]


def _count(store: Store, sparql: str) -> int:
    return int(next(iter(store.query(_PREFIX + sparql)))["n"].value)  # type: ignore[index]


def _grouped(store: Store, sparql: str) -> dict[str, int]:
    rows = [(_compact(r["k"].value), int(r["n"].value)) for r in store.query(_PREFIX + sparql)]  # type: ignore[index]
    return dict(sorted(rows, key=lambda kv: (-kv[1], kv[0])))


def compute_stats(source: Source, top: int = 10, graph: nx.MultiDiGraph | None = None) -> GraphStats:
    """Counts, leaders, components and bridging organizations of `source`."""
    store = open_source(source)  # type: ignore[arg-type]
    g = graph if graph is not None else entity_graph(store)
    simple = nx.Graph(g.to_undirected(as_view=True))
    simple.remove_edges_from(nx.selfloop_edges(simple))
    degrees = {u: float(simple.degree(u)) for u in simple}
    components = sorted((len(c) for c in nx.connected_components(simple)), reverse=True)
    events = {u for u, t in g.nodes(data="type") if t in EVENT_CLASSES}
    bridges: list[Bridge] = []
    for u, t in g.nodes(data="type"):
        if t != "Organization":
            continue
        linked = sorted({v for v in simple.neighbors(u) if v in events}, key=lambda v: (g.nodes[v]["label"], v))
        if linked:
            bridges.append(Bridge(u, g.nodes[u]["label"], len(linked), [g.nodes[v]["label"] for v in linked]))
    bridges.sort(key=lambda b: (-b.events, b.label, b.iri))
    # a union default graph repeats a triple once per article graph: count distinct triples then
    triples = "?s ?k ?o" if store.has_merged_view() else "{ SELECT DISTINCT ?s ?k ?o WHERE { ?s ?k ?o } }"
    return GraphStats(
        triples=len(store),
        articles=_count(store, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a hkg:Article }"),
        entities=g.number_of_nodes(),
        statements=_count(store, "SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE { ?st a "
                                 "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> }"),
        classes=_grouped(store, "SELECT ?k (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?k } GROUP BY ?k"),
        properties=_grouped(store, f"SELECT ?k (COUNT(*) AS ?n) WHERE {{ {triples} }} GROUP BY ?k"),
        nodes=g.number_of_nodes(),
        edges=g.number_of_edges(),
        components=len(components),
        component_sizes=components[:top],
        degree_leaders=_leaders(g, degrees, top),
        pagerank_leaders=_leaders(g, pagerank(g), top),
        bridging_organizations=bridges[:top],
    )


def leaders_table(rows: Iterable[Ranked]) -> list[tuple[str, str, str, str]]:
    """(label, type, score, IRI) rows for display."""
    return [(r.label, r.type, f"{r.score:g}", _compact(r.iri)) for r in rows]
