"""Embedded store: pyoxigraph on disk (or in memory), one named graph per article.

Layout
- Each article's triples sit in the named graph named by the article IRI (docs/DESIGN.md).
- The default graph holds the *merged view*: the RDF merge (set union) of all article graphs,
  kept in step on every write through this class. Queries run on it, so a SPARQL query needs no
  GRAPH clause and no union flag, and a plain `oxigraph serve --location DIR` answers the same.

Why a merged view instead of pyoxigraph's `use_default_graph_as_union=True`: the union has bag
semantics (a triple stated in k article graphs matches k times), and our entities' types and
labels are repeated in every article graph that mentions them, so each label join multiplies
rows by k. On an early 1M-quad version of the benchmark graph `queries/bilingual-entities.rq`
under the union grew past 21 GB of memory and was killed; on the merged view it returns its rows
in about a second. The
view costs ~1.8x the quads on disk (1.23M article quads + 1.0M merged triples).

Engine per operation, measured by `python -m benchmarks.run --only store,serialize,load`
(`benchmarks/results.json`; 2 cores shared with other jobs, load average 3-5, so absolute times
are inflated 2-3x; runs differ by +-20%):

| operation (200k distinct triples unless noted) | pyoxigraph                  | rdflib            | choice     |
|------------------------------------------------|-----------------------------|-------------------|------------|
| load an N-Quads file                           | 5.6 s disk (+view), 3.0 s memory | 9.6 s (Dataset.parse) | pyoxigraph |
| load 1M triples (1.23M quads)                  | 20 s on disk, with the view | 43 s in memory    | pyoxigraph |
| rdflib Dataset -> store                        | term by term 5.6 s          | via N-Quads 5.5 s | term by term (tie; no text copy) |
| store -> rdflib Dataset                        | term by term 13.5 s         | via N-Quads 15.0 s | N-Quads (tie; rdflib's parser, less code) |
| Turtle, 200k / 1M triples                      | 1.3 s (disk) / 0.8 s (memory) | 11.1 s / -      | pyoxigraph |
| library queries, 1M triples                    | 0.4-200 ms served from memory, up to 1.1 s on disk; 20x->60000x rdflib (query section) | | pyoxigraph |
| replace one article graph (~420 quads)         | one SPARQL Update, 33 ms    |                   | pyoxigraph |

Where queries run: a one-shot `heritagekg query STORE` reads RocksDB directly. Long-lived
readers (`serve` workers, the notebook API) first copy the merged view into an in-memory store
of the default graph alone (`keep_view_in_memory`: 5.8 s and ~400 MB per million triples, up to
`MEMORY_MAX_TRIPLES`), where the library queries run 3-5x faster; queries that name graphs still
go to the store.

So rdflib only remains the in-memory API other stages build graphs with; everything downstream
of the graph (load, query, serialize, serve, stats) runs on pyoxigraph. An in-memory pyoxigraph
store suits small graphs, but its default-graph lookups slow down when a subject sits in
thousands of named graphs (1M quads: 5.7 s in memory vs 0.08 s on disk for one label join), so
large graphs belong in an on-disk store. Reading a large on-disk store back is the slow part of
its dumps (1M triples as Turtle: 3.7 s from disk vs 0.8 s from memory).
"""
from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Union

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef

from heritagekg.errors import StoreError
from heritagekg.serialize import atomic_open

#: RDF file extension -> pyoxigraph format (reading and writing)
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}
#: format names a caller may give instead of an extension
FORMAT_NAMES: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES, "n-triples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS, "nquads": ox.RdfFormat.N_QUADS, "n-quads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD, "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML, "rdfxml": ox.RdfFormat.RDF_XML, "rdf/xml": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}

_DEFAULT = ox.DefaultGraph()
#: the largest merged view long-lived readers (serve workers, the notebook API) copy into memory
#: by default: ~800 MB each (keep_view_in_memory)
MEMORY_MAX_TRIPLES = 2_000_000
#: pyoxigraph query arguments that choose the dataset (the in-memory view cannot answer them)
_DATASET_ARGS = frozenset({"default_graph", "named_graphs", "use_default_graph_as_union"})
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = Union[ox.NamedNode, ox.BlankNode, ox.Literal]
TripleLike = Union[ox.Triple, ox.Quad, tuple[Any, Any, Any]]


def prefixes() -> dict[str, str]:
    """Our prefixes for Turtle/TriG output; resources (hkgr:) stay full IRIs because their local
    parts contain '/', which Turtle would have to write as `hkgr:organization\\/unesco`."""
    from heritagekg.vocab import PREFIXES

    return {p: str(ns) for p, ns in PREFIXES.items() if p != "hkgr"}


def rdf_format(path: str | Path | None = None, format: str | ox.RdfFormat | None = None) -> ox.RdfFormat:
    """The pyoxigraph format named by `format`, else by the extension of `path`."""
    if isinstance(format, ox.RdfFormat):
        return format
    if format:
        fmt = FORMAT_NAMES.get(format.lower())
        if fmt is None:
            raise StoreError(f"unknown RDF format {format!r}; use one of {', '.join(sorted(FORMAT_NAMES))}")
        return fmt
    ext = Path(str(path or "")).suffix.lower()
    if ext not in RDF_FORMATS:
        raise StoreError(f"{path}: unknown RDF extension {ext or '(none)'}; "
                         f"use one of {' '.join(RDF_FORMATS)} or a store directory")
    return RDF_FORMATS[ext]


def is_store_dir(path: str | Path) -> bool:
    """Whether `path` is a pyoxigraph (RocksDB) store directory."""
    p = Path(path)
    return p.is_dir() and (p / "CURRENT").exists()


# --- terms: rdflib <-> pyoxigraph ----------------------------------------------------------------

def to_ox(term: Any) -> OxTerm:
    """An rdflib term (or a pyoxigraph one, unchanged) as a pyoxigraph term."""
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise StoreError(f"cannot store {type(term).__name__} {term!r} as an RDF term")


def to_rdflib(term: Any) -> rdflib.term.Node:
    """A pyoxigraph term as an rdflib term (rdflib's literal normalization applies)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value) if dt in (_XSD_STRING, _RDF_LANGSTRING) else Literal(term.value, datatype=URIRef(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise StoreError(f"cannot convert {term!r} to rdflib")


def _triple(t: TripleLike) -> ox.Triple:
    if isinstance(t, ox.Triple):
        return t
    if isinstance(t, ox.Quad):
        return t.triple
    s, p, o = t
    return ox.Triple(to_ox(s), to_ox(p), to_ox(o))


def _graph_name(iri: str | URIRef | ox.NamedNode) -> ox.NamedNode:
    try:
        return iri if isinstance(iri, ox.NamedNode) else ox.NamedNode(str(iri))
    except ValueError as exc:
        raise StoreError(f"{iri!r} is not a valid article IRI: {exc}") from None


def _graph_iri(ctx: Any) -> str | None:
    name = _rdflib_graph_name(ctx)
    return name.value if isinstance(name, ox.NamedNode) else None


def _rdflib_graph_name(ctx: Any) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
    ident = getattr(ctx, "identifier", ctx)
    if ident is None or str(ident) == str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID):
        return _DEFAULT
    return to_ox(ident)  # type: ignore[return-value]


# --- the store ------------------------------------------------------------------------------------

class Store:
    """A pyoxigraph store with one named graph per article and the merged view as default graph.

    `Store(path)` opens (or creates) an on-disk store; `Store()` keeps everything in memory;
    `read_only=True` opens an existing store without locking it (queries, serving, a second
    reader beside a writer). Writes go through `load`, `add_dataset`, `replace_article` and
    `remove_article`, which keep the merged view in step.
    """

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._memory_view: ox.Store | None = None  # see keep_view_in_memory
        try:
            if self.path is None:
                self._db = ox.Store()
            elif read_only:
                if not is_store_dir(self.path):
                    raise StoreError(f"{self.path}: not a pyoxigraph store directory (no CURRENT file)")
                self._db = ox.Store.read_only(str(self.path))
            else:
                if self.path.exists() and not self.path.is_dir():
                    raise StoreError(f"{self.path}: not a folder (a store is a folder)")
                self._db = ox.Store(str(self.path))
        except OSError as exc:
            reason = str(exc).splitlines()[0]
            raise StoreError(f"{self.path}: cannot open the store ({reason}); is another process writing it?") from None

    @classmethod
    def open(cls, source: str | Path, *, read_only: bool = True) -> "Store":
        """A store directory as is, or an RDF file loaded into a new in-memory store."""
        p = Path(source)
        if p.is_dir():
            return cls(p, read_only=read_only)
        if not p.exists():
            raise StoreError(f"{p}: no such file or store directory")
        store = cls()
        store.load(p)
        return store

    @classmethod
    def wrap(cls, db: ox.Store) -> "Store":
        """Wrap an existing pyoxigraph store (e.g. one a caller built in memory)."""
        store = cls.__new__(cls)
        store.path, store.read_only, store._db, store._memory_view = None, False, db, None
        return store

    @classmethod
    def from_dataset(cls, dataset: rdflib.Graph, path: str | Path | None = None) -> "Store":
        """A new store (in memory unless `path`) holding an rdflib Dataset or Graph."""
        store = cls(path)
        store.add_dataset(dataset)
        return store

    # -- reading ----------------------------------------------------------------------------------

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store (for callers that need its full API)."""
        return self._db

    def articles(self) -> list[str]:
        """IRIs of the named graphs (one per article), sorted."""
        return sorted(g.value for g in self._db.named_graphs() if isinstance(g, ox.NamedNode))

    def has_merged_view(self) -> bool:
        """True when the default graph holds the merged view (or there are no named graphs).

        A store written by another tool may hold named graphs only; queries then fall back to
        pyoxigraph's union default graph (correct with DISTINCT, slower on large graphs)."""
        if next(iter(self._db.quads_for_pattern(None, None, None, _DEFAULT)), None) is not None:
            return True
        return next(iter(self._db.named_graphs()), None) is None

    def __len__(self) -> int:
        """Distinct triples of the graph (the merged view), counted in Rust."""
        pattern = "?s ?p ?o" if self.has_merged_view() else "{ SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
        result = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        return int(next(iter(result))["n"].value)  # type: ignore[index]

    def query(self, sparql: str, **kwargs: Any) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL query on the merged view (pyoxigraph keyword arguments pass through).

        With `keep_view_in_memory()`, a query that names no graph (no GRAPH, FROM, or dataset
        argument) runs on the in-memory copy; the others on the store itself.
        Raises SyntaxError (pyoxigraph's, with line:column) for a malformed query."""
        if self._memory_view is not None and not _DATASET_ARGS.intersection(kwargs):
            from heritagekg.query import names_graphs

            if not names_graphs(sparql):
                return self._memory_view.query(sparql, **kwargs)
        if "use_default_graph_as_union" not in kwargs and "default_graph" not in kwargs:
            kwargs["use_default_graph_as_union"] = not self.has_merged_view()
        return self._db.query(sparql, **kwargs)

    def keep_view_in_memory(self, max_triples: int | None = None) -> bool:
        """Copy the merged view into an in-memory pyoxigraph store that answers later queries.

        Why: RocksDB lookups make the library queries 4-5x slower on an on-disk store than on an
        in-memory store holding the default graph alone (and an in-memory store that also holds
        the article graphs is as slow as disk). Long-lived readers (`serve`, the notebook API)
        pay the copy once, about 5.5 s and 400 MB per million triples (benchmarks/results.json,
        `query.view_load_s`); a one-shot CLI query would not earn it back. The copy is a snapshot:
        any write through this Store drops it. Returns False (nothing copied) when the view holds
        more than `max_triples`."""
        if self._memory_view is not None:
            return True
        if self.path is None and next(iter(self._db.named_graphs()), None) is None:
            self._memory_view = self._db  # already an in-memory store of the default graph only
            return True
        if max_triples is not None and len(self) > max_triples:
            return False
        view = ox.Store()
        if self.has_merged_view():
            view.bulk_extend(self._db.quads_for_pattern(None, None, None, _DEFAULT))
        else:
            view.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in self._db)
        self._memory_view = view
        return True

    @property
    def view_in_memory(self) -> bool:
        """Whether queries naming no graph run on an in-memory copy of the view."""
        return self._memory_view is not None

    def article_triples(self, article_iri: str) -> list[ox.Triple]:
        """The triples of one article's named graph."""
        return [q.triple for q in self._db.quads_for_pattern(None, None, None, _graph_name(article_iri))]

    def quads(self) -> Iterator[ox.Quad]:
        """The stored data without the derived view: article quads, plus the default graph when
        it is the only graph (a store loaded from Turtle)."""
        if not self.articles():
            yield from self._db.quads_for_pattern(None, None, None, _DEFAULT)
            return
        for quad in self._db:
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                yield quad

    def to_dataset(self) -> rdflib.Dataset:
        """The store as an rdflib Dataset (named graph per article), via N-Quads text: rdflib's
        own parser beat building its terms one by one from Python (table above)."""
        from heritagekg.vocab import PREFIXES

        ds = rdflib.Dataset()
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns, override=True, replace=True)
        data = ox.serialize(self.quads(), format=ox.RdfFormat.N_QUADS)
        if data:
            ds.parse(data=data, format="nquads")
        return ds

    # -- writing ----------------------------------------------------------------------------------

    def _writable(self) -> None:
        """Refuse writes to a read-only store; give a store written by another tool (named graphs,
        no merged view) its view first, so the view never covers only part of the graphs."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        self._memory_view = None  # a snapshot of the view: stale after any write
        if not self.has_merged_view():
            self.refresh_merged_view()

    def load(self, source: str | Path | bytes | IO[bytes], format: str | ox.RdfFormat | None = None,
             *, base_iri: str | None = None) -> None:
        """Bulk-load an RDF file (format from its extension) or bytes (give `format`).

        Quads keep their graphs and are also added to the merged view in the same pass; triples
        of a triple format go to the default graph. Bulk loading is not transactional: a failed
        load can leave part of the file behind (load into a fresh store, or re-run)."""
        self._writable()
        is_path = isinstance(source, (str, Path))
        fmt = rdf_format(source if is_path else None, format)  # type: ignore[arg-type]
        where = str(source) if is_path else "input"
        if is_path and not Path(source).is_file():  # type: ignore[arg-type]
            raise StoreError(f"{source}: no such file")
        try:
            if fmt.supports_datasets:
                parsed = (ox.parse(path=str(source), format=fmt, base_iri=base_iri) if is_path
                          else ox.parse(source, format=fmt, base_iri=base_iri))  # type: ignore[arg-type]
                self._db.bulk_extend(_with_merged_view(parsed))
            elif is_path:
                self._db.bulk_load(path=str(source), format=fmt, base_iri=base_iri)
            else:
                self._db.bulk_load(source, format=fmt, base_iri=base_iri)  # type: ignore[arg-type]
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{where}: not valid {fmt.name}: {str(exc).splitlines()[0]}") from None
        except OSError as exc:
            raise StoreError(f"{where}: cannot load: {str(exc).splitlines()[0]}") from None

    def add_dataset(self, dataset: rdflib.Graph, *, replace: bool = True) -> None:
        """Add an rdflib Dataset (named graphs kept) or Graph (default graph).

        With `replace`, an article graph the store already holds is replaced whole (a rebuilt
        article), one transaction each; new graphs are bulk-loaded."""
        self._writable()
        if isinstance(dataset, rdflib.Dataset) or getattr(dataset, "context_aware", False):
            existing = set(self.articles()) if replace else set()
            if existing:
                by_graph: dict[str, list[tuple[Any, Any, Any]]] = {}
                for s, p, o, c in dataset.quads((None, None, None, None)):
                    name = _rdflib_graph_name(c)
                    if isinstance(name, ox.NamedNode) and name.value in existing:
                        by_graph.setdefault(name.value, []).append((s, p, o))
                for name, triples in by_graph.items():
                    self.replace_article(name, triples)
            quads = (ox.Quad(to_ox(s), to_ox(p), to_ox(o), _rdflib_graph_name(c))
                     for s, p, o, c in dataset.quads((None, None, None, None))
                     if not existing or _graph_iri(c) not in existing)
        else:
            quads = (ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in dataset)
        self._db.bulk_extend(_with_merged_view(quads))

    def replace_article(self, article_iri: str, triples: Iterable[TripleLike]) -> int:
        """Make the named graph `article_iri` hold exactly `triples`; other graphs are untouched.

        One SPARQL Update, so one transaction: readers see the old graph or the new one. Triples
        that only this article stated leave the merged view; the new ones join it. Returns the
        number of triples written. (Blank nodes are renamed by SPARQL Update; ours are IRIs.)"""
        self._writable()
        g = _graph_name(article_iri)
        new = {_triple(t) for t in triples}
        body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in new)
        update = (
            f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }}\n"
            f"  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g}) }} }} ;\n"
            f"DROP SILENT GRAPH {g} ;\n"
            f"INSERT DATA {{\n{body}\nGRAPH {g} {{\n{body}\n}} }}"
        )
        try:
            self._db.update(update)
        except (SyntaxError, OSError) as exc:
            raise StoreError(f"{self.path or 'store'}: cannot replace {g.value}: {str(exc).splitlines()[0]}") from None
        return len(new)

    def add_articles(self, graphs: Iterable[tuple[str, Iterable[TripleLike]]], *, bulk: bool = False) -> int:
        """Add the named graphs of articles the store does not hold yet (their triples join the
        merged view) in one transaction: all of them or none. Much faster than one
        `replace_article` each for a first build. `bulk=True` streams them as N-Quads into the
        bulk loader instead (several times faster, not transactional: for a store no one uses
        yet). Returns the number of article quads."""
        self._writable()
        count = 0

        def lines() -> Iterator[bytes]:
            nonlocal count
            for iri, triples in graphs:
                g = str(_graph_name(iri))
                chunk = []
                for t in triples:
                    t = t if isinstance(t, tuple) and isinstance(t[0], (ox.NamedNode, ox.BlankNode)) else _triple(t)
                    line = f"{t[0]} {t[1]} {t[2]}"
                    chunk.append(f"{line} {g} .\n{line} .\n")  # the article's graph, then the merged view
                count += len(chunk)
                yield "".join(chunk).encode("utf-8")

        try:
            if bulk:
                self._db.bulk_load(_Stream(lines()), ox.RdfFormat.N_QUADS, lenient=True)  # terms come from pyoxigraph: valid
            else:
                self._db.load(b"".join(lines()), ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"{self.path or 'store'}: cannot add article graphs: {str(exc).splitlines()[0]}") from None
        return count

    def remove_article(self, article_iri: str) -> bool:
        """Drop an article's graph (and what only it stated from the merged view); False if absent."""
        self._writable()
        g = _graph_name(article_iri)
        if not self._db.contains_named_graph(g):
            return False
        self._db.update(
            f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }}\n"
            f"  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {g}) }} }} ;\n"
            f"DROP GRAPH {g}")
        return True

    def refresh_merged_view(self) -> None:
        """Rebuild the default graph as the merge of the named graphs (for a store whose graphs
        were written by another tool). Replaces whatever the default graph held."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")
        self._memory_view = None
        if not self.articles():
            return
        self._db.update("DROP SILENT DEFAULT")
        self._db.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in self._db
                             if not isinstance(q.graph_name, ox.DefaultGraph))

    # -- writing out ------------------------------------------------------------------------------

    def dump(self, output: str | Path | IO[bytes] | None = None,
             format: str | ox.RdfFormat | None = None) -> bytes | None:
        """Serialize with pyoxigraph: TriG/N-Quads keep the article graphs (not the derived view),
        other formats write the merged view. A path is written atomically; None returns bytes."""
        is_path = isinstance(output, (str, Path))
        fmt = rdf_format(output if is_path else None, format)  # type: ignore[arg-type]
        pre = prefixes()

        def write(sink: IO[bytes] | None) -> bytes | None:
            if fmt.supports_datasets:
                return ox.serialize(self.quads(), sink, fmt, prefixes=pre)
            if self.has_merged_view():
                return self._db.dump(sink, fmt, from_graph=_DEFAULT, prefixes=pre)
            flat = ox.Store()  # a store of named graphs only: merge them in Rust first
            flat.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in self._db)
            return flat.dump(sink, fmt, from_graph=_DEFAULT, prefixes=pre)

        try:
            if is_path:
                with atomic_open(output) as fh:  # type: ignore[arg-type]
                    write(fh)
                return None
            return write(output)  # type: ignore[arg-type]
        except (ValueError, OSError) as exc:
            raise StoreError(f"{output if is_path else 'output'}: cannot write {fmt.name}: {exc}") from None

    def flush(self) -> None:
        """Make writes durable (on-disk stores)."""
        if self.path is not None and not self.read_only:
            self._db.flush()

    def close(self) -> None:
        """Flush and release the store (the RocksDB lock goes with the last reference)."""
        try:
            self.flush()
        finally:
            self._db = None  # type: ignore[assignment]
            self._memory_view = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path) if self.path else 'in memory'!r}, articles={len(self.articles())})"


class _Stream(io.RawIOBase):
    """A binary file reading the chunks of an iterator: feeds the bulk loader without building
    the whole text in memory."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._rest:
            nxt = next(self._chunks, None)
            if nxt is None:
                return 0
            self._rest = nxt
        n = min(len(buffer), len(self._rest))
        buffer[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n


def _with_merged_view(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each quad, and for a named-graph quad its triple in the default graph too."""
    for q in quads:
        yield q
        if not isinstance(q.graph_name, ox.DefaultGraph):
            yield ox.Quad(q.subject, q.predicate, q.object, _DEFAULT)


def open_source(source: str | os.PathLike[str] | Store | ox.Store) -> Store:
    """A Store for anything a command accepts: a Store, a pyoxigraph store, a directory, a file."""
    if isinstance(source, Store):
        return source
    if isinstance(source, ox.Store):
        return Store.wrap(source)
    return Store.open(Path(source))
