"""Pictures of a heritagekg graph: an offline interactive page and a static drawing for reports.

`build_view` turns a graph (file, store directory, rdflib graph or pyoxigraph store) into a
`GraphView`: the entities to draw, the relations between them, and per entity the details an
analyst asks for (type, every label in every language, Wikidata link, literal facts, and each
relation's evidence sentences and source article). Only entities are nodes: rdf:Statement nodes,
labels, types and literal values are details, never nodes. Articles are the provenance layer and
are not drawn in whole-graph or --focus views (their hkg:mentions would turn every picture into
a few hub stars); a --query result that names articles draws them as a class of their own.

`render_html` writes one self-contained page (vis-network inlined by pyvis, our panel, legend,
search and class checkboxes inlined from viz_assets/) that makes no network request at all;
`render_static` draws the same colours, shapes and legend with networkx + matplotlib.

Large graphs: above LARGE_GRAPH_NODES nodes the page starts from a precomputed layout, runs a
short physics stabilization once and then switches physics off, merges the edges of the same
pair of nodes into one, and hides edges while dragging or zooming.
"""
from __future__ import annotations

import difflib
import html as html_lib
import json
import math
import os
import re
import unicodedata
import warnings
from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Union

import pyoxigraph as ox
import rdflib
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from heritagekg.errors import HeritageKGError, InputError, QueryError, StoreError
from heritagekg.serialize import atomic_open
from heritagekg.vocab import HKG, ONTOLOGY_PATH, PREFIXES, SCHEMA

#: above this many drawn nodes the page runs physics once, then stops, and merges parallel edges
LARGE_GRAPH_NODES = 1000

ASSETS_DIR = Path(__file__).parent / "viz_assets"

#: how each RDF file extension is parsed
_RDF_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json-ld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}
_HTML_SUFFIXES = (".html", ".htm")
_STATIC_SUFFIXES = (".png", ".svg", ".pdf")


# --- styles: one table shared by the page and the static drawing --------------------------------

@dataclass(frozen=True)
class ClassStyle:
    """How a class is drawn: colour, vis-network shape and the matching matplotlib marker."""

    color: str
    shape: str
    marker: str


#: most specific first: an entity typed Forum and Event is drawn as a Forum
CLASS_STYLES: dict[str, ClassStyle] = {
    "Forum": ClassStyle("#e15759", "diamond", "D"),
    "Expo": ClassStyle("#f28e2b", "star", "*"),
    "HeritageSite": ClassStyle("#9c755f", "triangleDown", "v"),
    "Event": ClassStyle("#ff9da7", "diamond", "D"),
    "Organization": ClassStyle("#4e79a7", "dot", "o"),
    "Person": ClassStyle("#59a14f", "triangle", "^"),
    "Place": ClassStyle("#76b7b2", "square", "s"),
    "Project": ClassStyle("#edc948", "hexagon", "h"),
    "Publication": ClassStyle("#b07aa1", "square", "s"),
    "Topic": ClassStyle("#86bcb6", "dot", "o"),
    "Article": ClassStyle("#8c8c8c", "square", "s"),
    "Other": ClassStyle("#c7c7c7", "dot", "o"),
}
_CLASS_RANK = {name: i for i, name in enumerate(CLASS_STYLES)}
_HKG_NS = str(HKG)
_ENTITY_CLASS_NAMES = frozenset(CLASS_STYLES) - {"Article", "Other"}

#: predicates that describe a resource rather than relate two: their objects are never nodes
_STRUCTURAL = frozenset(str(p) for p in (
    RDF.type, RDFS.label, SKOS.altLabel, SKOS.prefLabel, OWL.sameAs, SCHEMA.url,
    PROV.wasDerivedFrom, RDF.subject, RDF.predicate, RDF.object,
    HKG.evidence, HKG.confidence, HKG.extractor, HKG.mentions,
))
_WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"


# --- the view -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Literal:
    """An RDF literal as the view needs it (value, language tag, datatype IRI)."""

    value: str
    lang: str | None = None
    datatype: str | None = None


#: a term: an IRI (or "_:id" blank node) as a string, or a Literal
Term = Union[str, Literal]


@dataclass(frozen=True)
class Label:
    """One name of an entity: rdfs:label ("label") or skos:altLabel ("altLabel")."""

    text: str
    lang: str | None
    kind: str


@dataclass(frozen=True)
class Evidence:
    """Why a triple is in the graph: the sentence and where it was read (or the reference source)."""

    sentence: str | None
    lang: str | None
    source: str | None
    source_label: str | None
    source_url: str | None
    source_date: str | None
    is_article: bool
    confidence: float | None
    extractor: str | None


@dataclass(frozen=True)
class Relation:
    """One triple about an entity, with display labels and every statement's evidence."""

    subject: str
    subject_label: str
    predicate: str
    predicate_label: str
    object: Term
    object_label: str
    evidence: tuple[Evidence, ...]

    @property
    def is_literal(self) -> bool:
        return isinstance(self.object, Literal)


@dataclass(frozen=True)
class ViewNode:
    """A drawn entity."""

    id: str
    label: str
    cls: str
    degree: int


@dataclass(frozen=True)
class ViewEdge:
    """A drawn line: one relation, or every relation between the same two nodes (large graphs)."""

    source: str
    target: str
    label: str
    relations: tuple[Relation, ...]


@dataclass(frozen=True)
class NodeDetails:
    """What the side panel shows for one entity."""

    id: str
    cls: str
    class_label: str
    labels: tuple[Label, ...]
    same_as: tuple[str, ...]
    facts: tuple[Relation, ...]
    relations: tuple[Relation, ...]
    articles: tuple[tuple[str, str], ...]

    @property
    def wikidata(self) -> str | None:
        """The Wikidata entity IRI among owl:sameAs, if any."""
        return next((s for s in self.same_as if s.startswith(_WIKIDATA_ENTITY)), None)


@dataclass
class GraphView:
    """Everything a renderer needs: nodes, edges, per-node details, and how to draw them."""

    nodes: list[ViewNode]
    edges: list[ViewEdge]
    details: dict[str, NodeDetails]
    lang: str = "en"
    title: str = "heritagekg"
    note: str | None = None
    class_labels: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.nodes

    @property
    def large(self) -> bool:
        return len(self.nodes) > LARGE_GRAPH_NODES

    def class_counts(self) -> list[tuple[str, int]]:
        """Classes present, in legend order, with their node counts."""
        counts: dict[str, int] = defaultdict(int)
        for node in self.nodes:
            counts[node.cls] += 1
        return sorted(counts.items(), key=lambda item: _CLASS_RANK.get(item[0], 99))


# --- reading a graph ----------------------------------------------------------------------------

GraphSource = Union[str, os.PathLike, rdflib.Graph, ox.Store, GraphView]


def _open_store(source: Any) -> tuple[ox.Store, str]:
    """Any supported graph source as a pyoxigraph store (the fast engine) and a name for messages."""
    if isinstance(source, ox.Store):
        return source, "store"
    if isinstance(source, rdflib.Graph):
        store = ox.Store()
        data = source.serialize(format="nquads" if source.context_aware else "nt", encoding="utf-8")
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        return store, "graph"
    if isinstance(source, (str, os.PathLike)):
        return _open_path(Path(source))
    for attribute in ("store", "dataset", "graph"):  # a KnowledgeGraph-like wrapper
        inner = getattr(source, attribute, None)
        if isinstance(inner, (ox.Store, rdflib.Graph)):
            return _open_store(inner)
    raise StoreError(f"cannot draw a {type(source).__name__}: pass an RDF file, a store directory, "
                     "an rdflib graph or a pyoxigraph store")


def _open_path(path: Path) -> tuple[ox.Store, str]:
    if path.is_dir():
        try:
            return ox.Store.read_only(str(path)), str(path)
        except OSError as exc:
            raise StoreError(f"{path}: cannot open as an Oxigraph store: {exc}") from None
    if not path.exists():
        raise StoreError(f"{path}: no such file or store directory")
    rdf_format = _RDF_FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        known = " ".join(sorted(_RDF_FORMATS))
        raise StoreError(f"{path}: unknown RDF file extension (use one of {known}, or a store directory)")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=rdf_format)
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"{path}: cannot parse as {rdf_format.name}: {exc}") from None
    return store, str(path)


def _term(node: Any) -> Term:
    if isinstance(node, ox.Literal):
        lang = node.language
        return Literal(node.value, lang, None if lang else node.datatype.value)
    if isinstance(node, ox.BlankNode):
        return "_:" + node.value
    return node.value


@dataclass
class _Statement:
    subject: str | None = None
    predicate: str | None = None
    object: Term | None = None
    sentences: list[Literal] = field(default_factory=list)
    confidence: float | None = None
    extractor: str | None = None
    sources: list[str] = field(default_factory=list)


@dataclass
class _Facts:
    """One pass over every quad: what the view is built from (the union of all graphs)."""

    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, list[Label]] = field(default_factory=lambda: defaultdict(list))
    same_as: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    triples: dict[tuple[str, str, Term], None] = field(default_factory=dict)
    statements: dict[str, _Statement] = field(default_factory=lambda: defaultdict(_Statement))
    mentions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    literals: dict[tuple[str, str], list[Literal]] = field(default_factory=lambda: defaultdict(list))

    def is_statement(self, node: str) -> bool:
        return node in self.statements

    def is_article(self, node: str) -> bool:
        return str(HKG.Article) in self.types.get(node, ())

    def is_class(self, node: str) -> bool:
        return node.startswith(_HKG_NS) or str(RDFS.Class) in self.types.get(node, ())


_RDF_TYPE, _RDFS_LABEL, _ALT_LABEL, _PREF_LABEL = str(RDF.type), str(RDFS.label), str(SKOS.altLabel), str(SKOS.prefLabel)
_SAME_AS, _MENTIONS, _DERIVED = str(OWL.sameAs), str(HKG.mentions), str(PROV.wasDerivedFrom)
_STATEMENT_SLOTS = {str(RDF.subject): "subject", str(RDF.predicate): "predicate", str(RDF.object): "object"}
_EVIDENCE, _CONFIDENCE, _EXTRACTOR = str(HKG.evidence), str(HKG.confidence), str(HKG.extractor)
_KEPT_LITERALS = frozenset({str(HKG.datePublished), str(SCHEMA.url)})


def _collect(store: ox.Store) -> _Facts:
    """Read every quad once, sorting it into types, labels, statements and relation triples."""
    facts = _Facts()
    statement_type = str(RDF.Statement)
    for quad in store.quads_for_pattern(None, None, None, None):
        s, p, o = _term(quad.subject), quad.predicate.value, _term(quad.object)
        if isinstance(s, Literal):
            continue
        if p == _RDF_TYPE:
            if o == statement_type:
                facts.statements[s]  # noqa: B018 - registers the statement
            elif isinstance(o, str):
                facts.types[s].add(o)
        elif p in (_RDFS_LABEL, _ALT_LABEL, _PREF_LABEL):
            if isinstance(o, Literal):
                label = Label(o.value, o.lang, "altLabel" if p == _ALT_LABEL else "label")
                if label not in facts.labels[s]:
                    facts.labels[s].append(label)
        elif p == _SAME_AS:
            if isinstance(o, str) and o not in facts.same_as[s]:
                facts.same_as[s].append(o)
        elif p in _STATEMENT_SLOTS:
            setattr(facts.statements[s], _STATEMENT_SLOTS[p], o)
        elif p == _EVIDENCE:
            if isinstance(o, Literal) and o not in facts.statements[s].sentences:
                facts.statements[s].sentences.append(o)
        elif p == _CONFIDENCE:
            if isinstance(o, Literal):
                try:
                    facts.statements[s].confidence = float(o.value)
                except ValueError:
                    pass
        elif p == _EXTRACTOR:
            if isinstance(o, Literal):
                facts.statements[s].extractor = o.value
        elif p == _DERIVED:
            if isinstance(o, str) and o not in facts.statements[s].sources:
                facts.statements[s].sources.append(o)
        elif p == _MENTIONS:
            if isinstance(o, str) and s not in facts.mentions[o]:
                facts.mentions[o].append(s)
        else:
            facts.triples[(s, p, o)] = None
            if p in _KEPT_LITERALS and isinstance(o, Literal):
                facts.literals[(s, p)].append(o)
    # statement nodes are never subjects of relations
    for node in list(facts.statements):
        facts.types.pop(node, None)
    facts.triples = {t: None for t in facts.triples if t[0] not in facts.statements}
    return facts


def _evidence_index(facts: _Facts, lang: str) -> dict[tuple[str, str, Term], list[Evidence]]:
    """Every statement's evidence, keyed by the triple it describes."""
    index: dict[tuple[str, str, Term], list[Evidence]] = defaultdict(list)
    for statement in facts.statements.values():
        if statement.subject is None or statement.predicate is None or statement.object is None:
            continue
        key = (statement.subject, statement.predicate, statement.object)
        if not isinstance(key[0], str) or not isinstance(key[1], str):
            continue
        sources = statement.sources or [None]
        sentences: list[Literal | None] = list(statement.sentences) or [None]
        for source in sources:
            is_article = source is not None and facts.is_article(source)
            url = date = None
            if source is not None:
                urls = facts.literals.get((source, str(SCHEMA.url)))
                dates = facts.literals.get((source, str(HKG.datePublished)))
                url = urls[0].value if urls else None
                date = dates[0].value if dates else None
            for sentence in sentences:
                evidence = Evidence(
                    sentence=sentence.value if sentence else None,
                    lang=sentence.lang if sentence else None,
                    source=source,
                    source_label=_display_label(facts, source, lang) if source else None,
                    source_url=url, source_date=date, is_article=is_article,
                    confidence=statement.confidence, extractor=statement.extractor,
                )
                if evidence not in index[key]:
                    index[key].append(evidence)
    return index


# --- labels -------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _ontology_labels() -> dict[str, tuple[Label, ...]]:
    """rdfs:label of every class and property in ontology/heritagekg.ttl (empty if it is missing)."""
    if not ONTOLOGY_PATH.exists():
        return {}
    store = ox.Store()
    try:
        store.bulk_load(path=str(ONTOLOGY_PATH), format=ox.RdfFormat.TURTLE)
    except (SyntaxError, ValueError, OSError):
        return {}
    labels: dict[str, list[Label]] = defaultdict(list)
    for quad in store.quads_for_pattern(None, ox.NamedNode(_RDFS_LABEL), None, None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            labels[quad.subject.value].append(Label(quad.object.value, quad.object.language, "label"))
    return {iri: tuple(found) for iri, found in labels.items()}


def _lang_matches(tag: str | None, lang: str) -> bool:
    return tag is not None and tag.lower().split("-")[0] == lang.lower().split("-")[0]


def _fallback_langs(lang: str) -> list[str]:
    """The asked language, then the other language of our bilingual graphs."""
    primary = lang.lower().split("-")[0]
    return [primary] + [other for other in ("en", "zh") if other != primary]


def _pick_label(labels: Iterable[Label], lang: str) -> str | None:
    """Preferred label in `lang`, else in the other language, else any label, else any alt label."""
    labels = list(labels)
    for kind in ("label", "altLabel"):
        of_kind = [label for label in labels if label.kind == kind]
        for wanted in _fallback_langs(lang):
            for label in of_kind:
                if _lang_matches(label.lang, wanted):
                    return label.text
        if of_kind:
            return of_kind[0].text
    return None


def local_name(iri: str) -> str:
    """The last segment of an IRI, for resources without a label."""
    for separator in ("#", "/", ":"):
        if separator in iri.rstrip(separator):
            return iri.rstrip(separator).rsplit(separator, 1)[1]
    return iri


def _display_label(facts: _Facts, node: str, lang: str) -> str:
    return _pick_label(facts.labels.get(node, ()), lang) or local_name(node)


def _term_label(facts: _Facts, iri: str, lang: str) -> str:
    """A property's or class's label: from the ontology file, else from the data, else its name."""
    return (_pick_label(_ontology_labels().get(iri, ()), lang)
            or _pick_label(facts.labels.get(iri, ()), lang) or local_name(iri))


def _node_class(facts: _Facts, node: str) -> str:
    names = [t[len(_HKG_NS):] for t in facts.types.get(node, ()) if t.startswith(_HKG_NS)]
    names = [n for n in names if n in CLASS_STYLES]
    return min(names, key=_CLASS_RANK.__getitem__) if names else "Other"


# --- choosing what to draw ----------------------------------------------------------------------

def _drawable(facts: _Facts, node: Term, allow_articles: bool) -> bool:
    """May this term be a node? Entities yes; statements, literals, classes, (articles) no."""
    if not isinstance(node, str) or facts.is_statement(node) or facts.is_class(node):
        return False
    return allow_articles or not facts.is_article(node)


def _relation_triples(facts: _Facts, triples: Iterable[tuple[str, str, Term]],
                      allow_articles: bool) -> list[tuple[str, str, str]]:
    kept = {(s, p, o): None for s, p, o in triples  # a dict: a SELECT over named graphs repeats rows
            if p not in _STRUCTURAL and isinstance(o, str)
            and _drawable(facts, s, allow_articles) and _drawable(facts, o, allow_articles)}
    return list(kept)  # type: ignore[arg-type]


def _whole_selection(facts: _Facts) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Every entity (typed with a contract class) and every relation between drawable resources."""
    edges = _relation_triples(facts, facts.triples, allow_articles=False)
    nodes = {node: None for node, types in facts.types.items()
             if _drawable(facts, node, False) and _node_class(facts, node) in _ENTITY_CLASS_NAMES}
    for s, _, o in edges:
        nodes.setdefault(s)
        nodes.setdefault(o)
    return list(nodes), edges


def _read_query(query: str | os.PathLike) -> tuple[str, str]:
    if isinstance(query, os.PathLike):
        path = Path(query)
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{path}: cannot read the query: {exc}") from None
    return query, "query"


def _query_triples(store: ox.Store, query: str | os.PathLike) -> list[tuple[Term, str, Term]]:
    """Run a CONSTRUCT (or a SELECT binding ?s ?p ?o) over the union of all graphs."""
    text, name = _read_query(query)
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    try:
        result = store.query(text, use_default_graph_as_union=True, prefixes=prefixes)
    except SyntaxError as exc:
        raise QueryError(f"{name}: malformed SPARQL: {exc}") from None
    except OSError as exc:
        raise QueryError(f"{name}: the query failed: {exc}") from None
    if isinstance(result, ox.QueryBoolean):
        raise QueryError(f"{name}: an ASK query has nothing to draw; use CONSTRUCT or SELECT ?s ?p ?o")
    if isinstance(result, ox.QueryTriples):
        return [(_term(t.subject), t.predicate.value, _term(t.object)) for t in result]
    variables = {v.value for v in result.variables}
    if not {"s", "p", "o"} <= variables:
        got = " ".join("?" + v for v in sorted(variables)) or "none"
        raise QueryError(f"{name}: a SELECT must bind ?s ?p ?o to be drawn (it binds {got})")
    triples: list[tuple[Term, str, Term]] = []
    for solution in result:
        s, p, o = solution["s"], solution["p"], solution["o"]
        if s is not None and isinstance(p, ox.NamedNode) and o is not None:
            triples.append((_term(s), p.value, _term(o)))
    return triples


def _query_selection(facts: _Facts, result: list[tuple[Term, str, Term]]
                     ) -> tuple[list[str], list[tuple[str, str, str]]]:
    """What a query result draws: its relation triples, and every resource it describes."""
    edges = _relation_triples(facts, [t for t in result if isinstance(t[0], str)], allow_articles=True)
    nodes: dict[str, None] = {}
    for s, _, o in result:
        if _drawable(facts, s, True):
            nodes.setdefault(s)  # type: ignore[arg-type]
    for s, _, o in edges:
        nodes.setdefault(s)
        nodes.setdefault(o)
    return list(nodes), edges


def _normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _expand_curie(text: str) -> str:
    text = text.strip().strip("<>")
    prefix, _, rest = text.partition(":")
    if rest and not rest.startswith("//") and prefix in PREFIXES:
        return str(PREFIXES[prefix]) + rest
    return text


def _find_entity(view_nodes: Iterable[str], facts_labels: dict[str, list[Label]], key: str) -> str:
    """The one node whose IRI or any label is `key`; QueryError with close matches otherwise."""
    candidates = list(view_nodes)
    iri = _expand_curie(key)
    if iri in set(candidates):
        return iri
    wanted = _normalize(key)
    by_label: dict[str, set[str]] = defaultdict(set)
    for node in candidates:
        for label in facts_labels.get(node, ()):
            by_label[_normalize(label.text)].add(node)
        by_label[_normalize(local_name(node))].add(node)
    found = by_label.get(wanted, set())
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        listed = ", ".join(sorted(found)[:6])
        raise QueryError(f"--focus {key!r} names {len(found)} entities ({listed}): pass one IRI instead")
    display = {}
    for node in candidates:
        for label in facts_labels.get(node, ()):
            display.setdefault(_normalize(label.text), label.text)
    close = difflib.get_close_matches(wanted, list(display), n=5, cutoff=0.6)
    close += [k for k in display if wanted and wanted in k and k not in close][: 5 - len(close)]
    if close:
        suggestions = ", ".join(repr(display[c]) for c in close)
        raise QueryError(f"--focus {key!r}: no entity has this label or IRI; close matches: {suggestions}")
    raise QueryError(f"--focus {key!r}: no entity has this label or IRI (and none is close)")


def _neighbourhood(nodes: list[str], edges: list[tuple[str, str, str]], center: str, depth: int
                   ) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Nodes within `depth` hops of `center` (edges in either direction) and the edges among them."""
    adjacency: dict[str, set[str]] = defaultdict(set)
    for s, _, o in edges:
        adjacency[s].add(o)
        adjacency[o].add(s)
    distance = {center: 0}
    queue = deque([center])
    while queue:
        node = queue.popleft()
        if distance[node] >= depth:
            continue
        for neighbour in adjacency[node]:
            if neighbour not in distance:
                distance[neighbour] = distance[node] + 1
                queue.append(neighbour)
    kept = [node for node in nodes if node in distance]
    return kept, [(s, p, o) for s, p, o in edges if s in distance and o in distance]


# --- building the view --------------------------------------------------------------------------

def build_view(graph: GraphSource, lang: str = "en", query: str | os.PathLike | None = None,
               focus: str | None = None, depth: int = 1) -> GraphView:
    """What to draw from `graph`: the whole graph, a query's result, or one entity's neighbourhood.

    `graph` is an RDF file (.ttl .trig .nt .nq .jsonld .rdf), an Oxigraph store directory, an
    rdflib graph/dataset or a pyoxigraph store. `query` is SPARQL text, or a path to a .rq file: a
    CONSTRUCT, or a SELECT binding ?s ?p ?o, run over the union of all named graphs. `focus` is an
    IRI (or hkgr: CURIE) or any label of one entity; `depth` the number of hops kept around it.
    """
    if isinstance(graph, GraphView):
        return graph
    if depth < 0:
        raise QueryError(f"--depth must be 0 or more (got {depth})")
    store, name = _open_store(graph)
    facts = _collect(store)
    if query is not None:
        nodes, edges = _query_selection(facts, _query_triples(store, query))
        note = "The query result has no entities to draw." if not nodes else None
    else:
        nodes, edges = _whole_selection(facts)
        note = "The graph is empty: it has no entities to draw." if not nodes else None
    if focus is not None:
        if not nodes:
            raise QueryError(f"--focus {focus!r}: there are no entities to focus on")
        center = _find_entity(nodes, facts.labels, focus)
        nodes, edges = _neighbourhood(nodes, edges, center, depth)
    title = f"heritagekg: {Path(name).name if name not in ('store', 'graph') else name}"
    return _assemble(facts, nodes, edges, lang, title, note)


def _assemble(facts: _Facts, nodes: list[str], edges: list[tuple[str, str, str]], lang: str,
              title: str, note: str | None) -> GraphView:
    evidence = _evidence_index(facts, lang)
    labels: dict[str, str] = {}

    def label_of(node: str) -> str:
        if node not in labels:
            labels[node] = _display_label(facts, node, lang)
        return labels[node]

    predicate_labels: dict[str, str] = {}

    def relation(s: str, p: str, o: Term) -> Relation:
        if p not in predicate_labels:
            predicate_labels[p] = _term_label(facts, p, lang)
        object_label = o.value if isinstance(o, Literal) else label_of(o)
        return Relation(s, label_of(s), p, predicate_labels[p], o, object_label,
                        tuple(evidence.get((s, p, o), ())))

    node_set = set(nodes)
    degree: dict[str, int] = defaultdict(int)
    drawn: list[Relation] = []
    for s, p, o in edges:
        degree[s] += 1
        degree[o] += 1
        drawn.append(relation(s, p, o))

    # every triple touching a drawn node, for its panel (not only the drawn ones)
    facts_of: dict[str, list[Relation]] = defaultdict(list)
    relations_of: dict[str, list[Relation]] = defaultdict(list)
    for s, p, o in facts.triples:
        if p in _STRUCTURAL:
            continue
        touches_s, touches_o = s in node_set, isinstance(o, str) and o in node_set
        if not (touches_s or touches_o):
            continue
        if isinstance(o, Literal):
            facts_of[s].append(relation(s, p, o))
        elif _drawable(facts, s, True) and _drawable(facts, o, True):
            rel = relation(s, p, o)
            if touches_s:
                relations_of[s].append(rel)
            if touches_o and o != s:
                relations_of[o].append(rel)

    class_labels = {name: _term_label(facts, _HKG_NS + name, lang) for name in CLASS_STYLES}
    langs = _fallback_langs(lang)

    def label_order(label: Label) -> tuple:
        primary = (label.lang or "").lower().split("-")[0]
        return (label.kind != "label", langs.index(primary) if primary in langs else len(langs), label.text)

    def relation_order(node: str) -> Any:
        return lambda r: (r.subject != node, r.predicate_label, r.object_label, r.subject_label)

    view_nodes: list[ViewNode] = []
    details: dict[str, NodeDetails] = {}
    for node in nodes:
        cls = _node_class(facts, node)
        view_nodes.append(ViewNode(node, label_of(node), cls, degree[node]))
        articles = tuple((a, _display_label(facts, a, lang)) for a in facts.mentions.get(node, ()))
        details[node] = NodeDetails(
            id=node, cls=cls, class_label=class_labels.get(cls, cls),
            labels=tuple(sorted(facts.labels.get(node, ()), key=label_order)),
            same_as=tuple(facts.same_as.get(node, ())),
            facts=tuple(sorted(facts_of.get(node, ()), key=relation_order(node))),
            relations=tuple(sorted(relations_of.get(node, ()), key=relation_order(node))),
            articles=tuple(sorted(articles, key=lambda a: a[1])),
        )
    view_nodes.sort(key=lambda n: (_CLASS_RANK.get(n.cls, 99), n.label, n.id))
    large = len(view_nodes) > LARGE_GRAPH_NODES
    return GraphView(view_nodes, _edges(drawn, merge=large), details, lang, title, note, class_labels)


def _edges(relations: list[Relation], merge: bool) -> list[ViewEdge]:
    """One edge per relation, or (merge) one per unordered pair of nodes."""
    if not merge:
        return [ViewEdge(r.subject, r.object, r.predicate_label, (r,)) for r in relations]  # type: ignore[arg-type]
    grouped: dict[frozenset[str], list[Relation]] = {}
    for r in relations:
        grouped.setdefault(frozenset((r.subject, r.object)), []).append(r)  # type: ignore[arg-type]
    merged = []
    for group in grouped.values():
        names = list(dict.fromkeys(r.predicate_label for r in group))
        merged.append(ViewEdge(group[0].subject, group[0].object, " · ".join(names), tuple(group)))  # type: ignore[arg-type]
    return merged


# --- layout for large graphs --------------------------------------------------------------------

def force_layout(nodes: list[str], edges: Iterable[tuple[str, str]], iterations: int = 200,
                 seed: int = 7) -> dict[str, tuple[float, float]]:
    """ForceAtlas2-style positions in O(iterations * (nodes + edges + grid log grid)), numpy only.

    Repulsion between all nodes (degree-weighted, ~1/d) comes from a particle-mesh field: node
    weights are binned on a grid and convolved with the 1/d kernel by FFT, so 20,000 nodes take
    seconds, not the minutes a pairwise layout would. Attraction along edges is exact; gravity
    (proportional to distance) keeps small components and lone nodes near the rest. Close
    neighbours in one grid cell do not repel: the page's short physics run separates them.
    Units: mean spacing of a few units; callers scale.
    """
    import numpy as np

    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[a], index[b]) for a, b in edges if a in index and b in index and a != b],
                     dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    radius = math.sqrt(n)
    angle, distance = rng.uniform(0, 2 * math.pi, n), radius * np.sqrt(rng.uniform(0, 1, n))
    pos = np.stack([distance * np.cos(angle), distance * np.sin(angle)], axis=1)
    grid = 64 if n <= 2000 else 128 if n <= 10000 else 256
    size = 2 * grid  # zero-padded: the FFT's wrap-around never reaches real nodes
    offsets = np.fft.fftfreq(size) * size
    ox_, oy_ = np.meshgrid(offsets, offsets, indexing="ij")
    r2 = ox_ ** 2 + oy_ ** 2
    r2[0, 0] = 1.0
    kernel_x, kernel_y = np.fft.rfft2(ox_ / r2), np.fft.rfft2(oy_ / r2)  # d / |d|^2, zero at 0
    weight = np.bincount(pairs.ravel(), minlength=n).astype(float) + 1.0
    start_step = radius / 4
    for step in range(iterations):
        temperature = start_step * (1 - step / iterations) ** 1.5 + 0.05
        low = pos.min(axis=0)
        cell_size = max(float((pos.max(axis=0) - low).max()), 1e-9) * 1.0001 / grid
        cells = np.clip(((pos - low) / cell_size).astype(np.int64), 0, grid - 1)
        flat = cells[:, 0] * size + cells[:, 1]
        mass = np.fft.rfft2(np.bincount(flat, weights=weight, minlength=size * size).reshape(size, size))
        field_x = np.fft.irfft2(mass * kernel_x, s=(size, size)).ravel()[flat]
        field_y = np.fft.irfft2(mass * kernel_y, s=(size, size)).ravel()[flat]
        force = np.stack([field_x, field_y], axis=1) * (weight / cell_size)[:, None]
        if len(pairs):
            pull = pos[pairs[:, 1]] - pos[pairs[:, 0]]
            for axis in (0, 1):
                force[:, axis] += (np.bincount(pairs[:, 0], weights=pull[:, axis], minlength=n)
                                   - np.bincount(pairs[:, 1], weights=pull[:, axis], minlength=n))
        force -= pos * weight[:, None]
        length = np.sqrt((force ** 2).sum(axis=1)) + 1e-9
        pos += force * (np.minimum(length, temperature) / length)[:, None]
    pos -= pos.mean(axis=0)
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for i, node in enumerate(nodes)}


def _mean_spacing(positions: dict[str, tuple[float, float]]) -> float:
    """Typical distance between neighbouring nodes: sqrt(area per node) of the bounding box."""
    if len(positions) < 2:
        return 1.0
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    area = max(max(xs) - min(xs), 1e-9) * max(max(ys) - min(ys), 1e-9)
    return math.sqrt(area / len(positions)) or 1.0


# --- the interactive page -----------------------------------------------------------------------

#: vis-network's improvedLayout (Kamada-Kawai on clusters) is fine up to here; past it we seed
_IMPROVED_LAYOUT_MAX = 150
#: seeded layouts are scaled to about this many pixels between neighbouring nodes
_SEED_SPACING_PX = 45.0


def physics_budget_ms(node_count: int) -> int:
    """How long the page lets physics run before it stops it (large graphs start from a layout)."""
    return 5000 if node_count <= _IMPROVED_LAYOUT_MAX else 3000


def _node_size(degree: int, large: bool) -> float:
    base, step, cap = (6.0, 2.5, 40.0) if large else (12.0, 4.0, 48.0)
    return round(min(cap, base + step * math.sqrt(degree)), 1)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _vis_data(view: GraphView) -> tuple[list[dict], list[dict], dict]:
    """vis-network nodes, edges and options for the view."""
    large = view.large
    positions: dict[str, tuple[float, float]] = {}
    if len(view.nodes) > _IMPROVED_LAYOUT_MAX:  # vis's own initial layout is too slow past this
        positions = force_layout([n.id for n in view.nodes], [(e.source, e.target) for e in view.edges])
        scale = _SEED_SPACING_PX / _mean_spacing(positions)
        positions = {k: (x * scale, y * scale) for k, (x, y) in positions.items()}
    nodes = []
    for node in view.nodes:
        style = CLASS_STYLES.get(node.cls, CLASS_STYLES["Other"])
        item: dict[str, Any] = {
            "id": node.id, "label": _short(node.label), "cls": node.cls,
            "title": f"{node.label} ({view.class_labels.get(node.cls, node.cls)})",
            "color": style.color, "shape": style.shape, "size": _node_size(node.degree, large),
        }
        if node.id in positions:
            item["x"], item["y"] = (round(v, 1) for v in positions[node.id])
        nodes.append(item)
    edges = []
    pair_count: dict[frozenset[str], int] = defaultdict(int)
    for index, edge in enumerate(view.edges):
        item = {"id": f"e{index}", "from": edge.source, "to": edge.target, "label": edge.label,
                "title": edge.label}
        if large:
            forward = any(r.subject == edge.source for r in edge.relations)
            backward = any(r.subject == edge.target for r in edge.relations)
            item["arrows"] = ",".join(a for a, on in (("to", forward), ("from", backward)) if on)
        else:
            pair = frozenset((edge.source, edge.target))
            k = pair_count[pair]
            pair_count[pair] += 1
            if k:  # parallel edges of small graphs: fan them out instead of drawing them on top
                item["smooth"] = {"enabled": True, "type": "curvedCW" if k % 2 else "curvedCCW",
                                  "roundness": 0.2 * ((k + 1) // 2)}
        edges.append(item)
    options = {
        "autoResize": True,
        "nodes": {"borderWidth": 1, "widthConstraint": {"maximum": 170},
                  "font": {"size": 14, "face": "system-ui, 'Noto Sans', 'Noto Sans CJK SC', sans-serif"}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9aa5b1", "highlight": "#3a4750", "hover": "#3a4750"},
            "font": {"size": 10, "color": "#58626b", "strokeWidth": 3, "align": "middle"},
            "smooth": {"enabled": not large, "type": "continuous", "roundness": 0.3},
            "width": 1,
        },
        "interaction": {"hover": not large, "tooltipDelay": 200, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large},
        "layout": {"improvedLayout": len(view.nodes) <= _IMPROVED_LAYOUT_MAX, "randomSeed": 7},
        "physics": {
            "enabled": bool(view.nodes),
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60 if large else -120,
                                 "springLength": 110 if large else 170,
                                 "springConstant": 0.06 if large else 0.04, "avoidOverlap": 0.2 if large else 0.6},
            "minVelocity": 1.0,
            "stabilization": {"enabled": True, "iterations": 1000 if not positions else 300,
                              "updateInterval": 5 if large else 25, "fit": True},
        },
    }
    return nodes, edges, options


def _page_payload(view: GraphView) -> dict:
    """The data our page script reads: details, relations and evidence, each string once."""
    rel_index: dict[int, int] = {}
    rels: list[list] = []
    ev_index: dict[Evidence, int] = {}
    evs: list[list] = []
    src_index: dict[str | None, int] = {}
    srcs: list[list] = []
    names: dict[str, str] = {}
    drawn = {n.id for n in view.nodes}

    def source_ref(e: Evidence) -> int | None:
        if e.source is None:
            return None
        if e.source not in src_index:
            src_index[e.source] = len(srcs)
            srcs.append([e.source, e.source_label, e.source_url, e.source_date, e.is_article])
        return src_index[e.source]

    def evidence_ref(e: Evidence) -> int:
        if e not in ev_index:
            ev_index[e] = len(evs)
            evs.append([e.sentence, e.lang, source_ref(e), e.confidence, e.extractor])
        return ev_index[e]

    def relation_ref(r: Relation) -> int:
        key = id(r)
        if key not in rel_index:
            rel_index[key] = len(rels)
            if r.is_literal:
                obj: Any = r.object_label
                lang = r.object.lang  # type: ignore[union-attr]
            else:
                obj, lang = r.object, None
                if r.object not in drawn:
                    names[r.object] = r.object_label  # type: ignore[index]
            if r.subject not in drawn:
                names[r.subject] = r.subject_label
            rels.append([r.subject, r.predicate_label, obj, r.is_literal, lang,
                         [evidence_ref(e) for e in r.evidence]])
        return rel_index[key]

    nodes = {}
    for node in view.nodes:
        d = view.details[node.id]
        nodes[node.id] = [
            d.cls, node.label, [[label.text, label.lang, label.kind] for label in d.labels],
            list(d.same_as), [[iri, label] for iri, label in d.articles],
            [relation_ref(r) for r in d.facts] + [relation_ref(r) for r in d.relations],
        ]
    # a merged or drawn edge points at the same Relation objects the panel lists
    edge_rels = [[relation_ref(r) for r in e.relations] for e in view.edges]
    classes = [[cls, view.class_labels.get(cls, cls), CLASS_STYLES[cls].color, CLASS_STYLES[cls].shape,
                count] for cls, count in view.class_counts()]
    return {"lang": view.lang, "title": view.title, "note": view.note, "large": view.large,
            "threshold": LARGE_GRAPH_NODES, "physicsBudgetMs": physics_budget_ms(len(view.nodes)), "classes": classes, "nodes": nodes, "names": names,
            "rels": rels, "ev": evs, "src": srcs, "edgeRels": edge_rels}


def _script_json(payload: Any) -> str:
    """JSON that is safe inside a <script> element (no "</script>", no U+2028 surprises)."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _asset(name: str) -> str:
    return (ASSETS_DIR / name).read_text(encoding="utf-8")


#: pyvis 0.3.2 links Bootstrap from a CDN even with cdn_resources="in_line"; we drop the tags
_REMOTE_TAG = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>"
    r"|<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.IGNORECASE)
_ANY_REMOTE = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*\b(?:src|href|data)\s*=\s*"
    r"[\"']?(?:https?:)?//|@import|url\(\s*[\"']?(?:https?:)?//", re.IGNORECASE)
_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; base-uri 'none'; form-action 'none'")


def page_html(view: GraphView) -> str:
    """The complete, self-contained HTML page for `view` (no external resource of any kind)."""
    from pyvis.network import Network

    vis_nodes, vis_edges, options = _vis_data(view)
    network = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading="")
    # assigned directly: pyvis's add_node/add_edge are quadratic, too slow for 20,000 nodes
    network.nodes, network.edges = vis_nodes, vis_edges
    network.node_ids = [n["id"] for n in vis_nodes]
    network.options = options
    page = network.generate_html()
    page = _REMOTE_TAG.sub("", page)
    # our script draws the network, so its handlers exist before stabilization starts
    page, calls = re.subn(r"\bdrawGraph\(\);(\s*</script>)", r"\1", page)
    if calls != 1:
        raise HeritageKGError("pyvis template changed: cannot find its drawGraph() call")
    head = (f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html_lib.escape(view.title)}</title>\n"
            f"<style>{_asset('page.css')}</style>\n")
    page = page.replace("<head>", "<head>\n" + head, 1)
    lang = view.lang.split("-")[0] or "en"
    page = page.replace("<html>", f'<html lang="{html_lib.escape(lang)}">', 1)
    body_end = page.rindex("</body>")
    page = (page[:body_end] + _asset("chrome.html")
            + f'<script type="application/json" id="hkg-data">{_script_json(_page_payload(view))}</script>\n'
            + f"<script>{_asset('page.js')}</script>\n" + page[body_end:])
    remote = _ANY_REMOTE.search(page)
    if remote:
        raise HeritageKGError(f"the page would fetch an external resource ({remote.group(0)[:80]}…)")
    return page


def _write_atomic(path: Path, data: bytes) -> None:
    """Temp file next to `path`, then rename: a reader (or a browser) never sees half a page."""
    try:
        with atomic_open(path) as handle:
            handle.write(data)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write: {exc}") from None


def render_html(view: GraphView, path: str | os.PathLike) -> Path:
    """Write the interactive page for `view` to `path` atomically; returns the path."""
    target = Path(path)
    _write_atomic(target, page_html(view).encode("utf-8"))
    return target


def notebook_html(graph: GraphSource, lang: str = "en", height: int = 640, **view_options: Any) -> str:
    """An <iframe srcdoc> showing the page inline in Jupyter (wrap it in IPython.display.HTML)."""
    view = graph if isinstance(graph, GraphView) else build_view(graph, lang=lang, **view_options)
    srcdoc = html_lib.escape(page_html(view), quote=True)
    return (f'<iframe srcdoc="{srcdoc}" style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"></iframe>')


# --- the static drawing -------------------------------------------------------------------------

_CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei",
                 "WenQuanYi Micro Hei", "Noto Serif CJK SC", "Droid Sans Fallback", "AR PL UMing CN")
_CJK_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
              "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
              "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
              "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """A font family that matplotlib can use for Chinese labels, or None when none is installed.

    Debian: `apt-get install fonts-noto-cjk` (or fonts-wqy-zenhei). A font installed after
    matplotlib built its cache is found by file and registered.
    """
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in installed:
            return family
    for path in _CJK_FILES:
        if os.path.exists(path):
            try:
                font_manager.fontManager.addfont(path)
                return font_manager.FontProperties(fname=path).get_name()
            except (OSError, RuntimeError, ValueError):
                continue
    return None


def has_cjk(text: str) -> bool:
    """Does `text` contain CJK ideographs (which need a CJK font to draw)?"""
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def static_layout(view: GraphView) -> dict[str, tuple[float, float]]:
    """Positions for the static drawing: per-component spring layouts packed in rows when small,
    the force layout when not. Packing keeps lone nodes from squeezing the graph into a corner."""
    import networkx as nx

    pairs = [(e.source, e.target) for e in view.edges]
    if len(view.nodes) >= 500:
        return force_layout([n.id for n in view.nodes], pairs)
    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in view.nodes)
    graph.add_edges_from(pairs)
    boxes = []
    for component in sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c))):
        sub = graph.subgraph(sorted(component))
        half = 0.6 * math.sqrt(len(component)) if len(component) > 1 else 0.3
        pos = nx.spring_layout(sub, seed=7, k=1.6 / math.sqrt(len(component)), iterations=100,
                               method="force", scale=half) if len(component) > 1 else {next(iter(component)): (0.0, 0.0)}
        boxes.append(({n: (float(x), float(y)) for n, (x, y) in pos.items()}, half))
    row_width = math.sqrt(sum((2 * h) ** 2 for _, h in boxes)) * 1.3
    placed: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for pos, half in boxes:
        if x > 0 and x + 2 * half > row_width:
            x, y, row_height = 0.0, y - row_height, 0.0
        for node, (px, py) in pos.items():
            placed[node] = (x + half + px, y - half + py)
        x += 2 * half + 0.3
        row_height = max(row_height, 2 * half + 0.3)
    return placed


def render_static(view: GraphView, path: str | os.PathLike) -> Path:
    """Draw `view` with networkx + matplotlib to .png, .svg or .pdf (same colours and legend)."""
    import networkx as nx
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if "." + fmt not in _STATIC_SUFFIXES:
        raise InputError(str(target), "a static drawing is written as .png, .svg or .pdf")
    font = cjk_font()
    rc = {"font.family": "sans-serif", "font.sans-serif": ([font] if font else []) + ["DejaVu Sans"],
          "svg.fonttype": "path", "axes.unicode_minus": False}
    n = len(view.nodes)
    with rc_context(rc), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        side = 9 if n <= 60 else 12 if n <= 400 else 16
        fig = Figure(figsize=(side * 1.25, side), dpi=150)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.01, 0.01, 0.80, 0.92))  # the legend sits to the right, off the graph
        ax.set_axis_off()
        ax.set_aspect("equal", adjustable="datalim")
        fig.suptitle(f"{view.title} — {n} entities, {len(view.edges)} edges", fontsize=12)
        if view.empty:
            ax.text(0.5, 0.5, view.note or "The graph is empty: it has no entities to draw.",
                    ha="center", va="center", fontsize=14, transform=ax.transAxes)
        else:
            _draw_graph(ax, view, static_layout(view), nx)
            handles = [Line2D([], [], linestyle="", marker=CLASS_STYLES[cls].marker, markersize=9,
                              markerfacecolor=CLASS_STYLES[cls].color, markeredgecolor="#333333",
                              label=f"{view.class_labels.get(cls, cls)} ({count})")
                       for cls, count in view.class_counts()]
            fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(0.995, 0.93), fontsize=9,
                       frameon=True, framealpha=0.9)
        buffer = _figure_bytes(fig, fmt)
    _write_atomic(target, buffer)
    return target


def _figure_bytes(fig: Any, fmt: str) -> bytes:
    import io

    out = io.BytesIO()
    fig.savefig(out, format=fmt, facecolor="white")
    return out.getvalue()


def _draw_graph(ax: Any, view: GraphView, pos: dict[str, tuple[float, float]], nx: Any) -> None:
    n = len(view.nodes)
    graph = nx.DiGraph()
    graph.add_nodes_from(node.id for node in view.nodes)
    edge_labels: dict[tuple[str, str], list[str]] = defaultdict(list)
    for edge in view.edges:
        graph.add_edge(edge.source, edge.target)
        if edge.label not in edge_labels[(edge.source, edge.target)]:
            edge_labels[(edge.source, edge.target)].append(edge.label)
    small = n <= 150
    arrows = {"arrows": True, "arrowsize": 8, "node_size": 300} if graph.number_of_edges() <= 300 \
        else {"arrows": False}  # FancyArrowPatch per edge is slow; plain lines past 300 edges
    nx.draw_networkx_edges(graph, pos, ax=ax, edge_color="#9aa5b1", width=0.8 if small else 0.3,
                           alpha=0.8, **arrows)
    for cls, _ in view.class_counts():
        members = [node for node in view.nodes if node.cls == cls]
        style = CLASS_STYLES[cls]
        sizes = [(80 + 60 * math.sqrt(m.degree)) if small else (6 + 6 * math.sqrt(m.degree)) for m in members]
        nx.draw_networkx_nodes(graph, pos, nodelist=[m.id for m in members], ax=ax, node_color=style.color,
                               node_shape=style.marker, node_size=sizes, edgecolors="#333333",
                               linewidths=0.5)
    labelled = view.nodes if small else sorted(view.nodes, key=lambda m: -m.degree)[:40]
    ys = [y for _, y in pos.values()]
    drop = 0.022 * ((max(ys) - min(ys)) or 1.0)  # labels sit just under their marker
    nx.draw_networkx_labels(graph, {m.id: (pos[m.id][0], pos[m.id][1] - drop) for m in labelled},
                            labels={m.id: _short(m.label, 40) for m in labelled}, ax=ax,
                            font_size=7 if small else 6, verticalalignment="top")
    ax.margins(0.1)
    if graph.number_of_edges() <= 80:
        nx.draw_networkx_edge_labels(graph, pos, edge_labels={k: " · ".join(v) for k, v in edge_labels.items()},
                                     ax=ax, font_size=6, font_color="#58626b", rotate=False,
                                     bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7})


# --- one entry point by output extension --------------------------------------------------------

def check_output(path: str | os.PathLike) -> str:
    """'html' or 'static' for an output path; InputError for anything else (checked before work)."""
    suffix = Path(path).suffix.lower()
    if suffix in _HTML_SUFFIXES:
        return "html"
    if suffix in _STATIC_SUFFIXES:
        return "static"
    raise InputError(str(path), "unknown output type: use .html for the interactive page, "
                                ".png, .svg or .pdf for a static drawing")


def render(view: GraphView, path: str | os.PathLike) -> Path:
    """Write `view` as an interactive page (.html) or a static drawing (.png/.svg/.pdf)."""
    return render_html(view, path) if check_output(path) == "html" else render_static(view, path)
