"""Check a graph against ontology/shapes.ttl with pySHACL and return the findings as data.

The ontology is handed to pySHACL as its ontology graph (no inference), so the shapes see the
rdfs:subClassOf triples: a value typed hkg:Forum satisfies "must be an hkg:Event". RDFS
inference is deliberately off: it would derive types from rdfs:domain and hide domain errors.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import rdflib
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from heritagekg.errors import StoreError
from heritagekg.serialize import FORMATS
from heritagekg.vocab import ONTOLOGY_PATH, PREFIXES, SHAPES_PATH

_SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
_LITERAL_PREFIXES = Graph(bind_namespaces="core")  # renders "2025"^^xsd:string in reports


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong, and how bad it is."""

    focus: str
    path: str | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    value: str | None = None
    shape: str | None = None


@dataclass
class ValidationReport:
    """The outcome of validating one graph; `report_graph` is pySHACL's full results graph."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph, repr=False)

    @property
    def errors(self) -> list[Violation]:
        """The results that make the graph non-conforming (severity Violation)."""
        return [v for v in self.violations if v.severity == "Violation"]

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view, for `--format json` and for tools."""
        return {
            "conforms": self.conforms,
            "violations": [
                {"severity": v.severity, "focus": v.focus, "path": v.path, "value": v.value,
                 "message": v.message, "shape": v.shape}
                for v in self.violations
            ],
        }


@functools.lru_cache(maxsize=1)
def _shapes_graph() -> Graph:
    """The SHACL shapes, parsed once per process."""
    return Graph().parse(SHAPES_PATH, format="turtle")


@functools.lru_cache(maxsize=1)
def _ontology_graph() -> Graph:
    """The ontology whose subclass axioms the shapes rely on, parsed once per process."""
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


class _PreparedQueryGraph(Graph):
    """A Graph that parses each distinct SPARQL text once.

    pySHACL sends a SPARQL constraint's text again for every focus node, and rdflib parses it
    again each time (~30 ms): with thousands of focus nodes that was most of the run time.
    """

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[str, Query] = {}

    def query(self, query_object: str | Query, processor: str = "sparql",  # type: ignore[override]
              result: str = "sparql", initNs: Mapping[str, object] | None = None,  # noqa: N803
              initBindings: Mapping[str, Node] | None = None,  # noqa: N803
              use_store_provided: bool = True, **kwargs: object) -> Result:
        if isinstance(query_object, str) and processor == "sparql":
            prepared = self._prepared.get(query_object)
            if prepared is None:
                namespaces = dict(self.namespaces()) if initNs is None else dict(initNs)
                prepared = self._prepared[query_object] = prepareQuery(query_object, initNs=namespaces)
            query_object = prepared
        return super().query(query_object, processor, result, initNs, initBindings,
                             use_store_provided, **kwargs)


def _data_copy(graph: Graph | rdflib.Dataset) -> _PreparedQueryGraph:
    """Our own copy of every triple (all named graphs merged): shapes judge the union."""
    data = _PreparedQueryGraph()
    triples = (graph.quads((None, None, None, None)) if isinstance(graph, rdflib.ConjunctiveGraph)
               else graph.triples((None, None, None)))
    for triple in triples:
        data.add(triple[:3])
    return data


def validate_graph(graph: Graph | rdflib.Dataset) -> ValidationReport:
    """Validate `graph` (a Dataset's named graphs are merged first); never modifies the input."""
    from pyshacl import validate  # imported here: it is slow to import and only needed here

    data = _data_copy(graph)
    # inplace: pySHACL mixes the ontology into our copy instead of cloning it a second time
    conforms, report_graph, _ = validate(
        data,
        shacl_graph=_shapes_graph(),
        ont_graph=_ontology_graph(),
        inference="none",
        allow_warnings=True,
        inplace=True,
    )
    return ValidationReport(bool(conforms), _violations(report_graph), report_graph)


def validate_file(path: str | Path) -> ValidationReport:
    """Parse an RDF file by its extension and validate it; StoreError names an unreadable file."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:  # the one extension table, shared with the writer
        known = ", ".join(FORMATS)
        raise StoreError(f"{path}: not an RDF file we read (extension {path.suffix or '(none)'}; "
                         f"expected one of {known})")
    fmt, _ = FORMATS[path.suffix.lower()]
    if not path.is_file():
        raise StoreError(f"{path}: no such file")
    dataset = rdflib.Dataset()  # holds triples and quads alike; validate_graph merges the graphs
    try:
        dataset.parse(path, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many unrelated exception types
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise StoreError(f"{path}: cannot parse as {fmt}: {detail[:300]}") from exc
    return validate_graph(dataset)


def _violations(report: Graph) -> list[Violation]:
    """Turn pySHACL's results graph into Violation records, most severe first, stable order."""
    found: set[Violation] = set()  # pySHACL repeats a message when two constraints fail alike
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        shape = report.value(result, SH.sourceShape)
        found.add(Violation(
            focus=_text(report.value(result, SH.focusNode)) or "",
            path=_text(path),
            message=_message(report, result),
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            value=_text(value),
            shape=str(shape) if isinstance(shape, URIRef) else None,
        ))
    return sorted(found, key=lambda v: (_SEVERITY_ORDER.get(v.severity, 3), v.focus, v.path or "",
                                        v.value or "", v.message))


def _message(report: Graph, result: Node) -> str:
    """The English result message if there is one, else any message pySHACL gave."""
    messages = [m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    if not messages:
        return "does not conform"
    return _compact(str(min(messages, key=lambda m: (m.language not in (None, "en"), str(m)))))


def _compact(message: str) -> str:
    """Shorten our own IRIs that SPARQL constraints put into messages (hkg:funder, hkgr:…)."""
    for prefix in ("hkg", "hkgr"):
        message = message.replace(str(PREFIXES[prefix]), f"{prefix}:")
    return message


def _text(node: Node | None) -> str | None:
    """A node as a string: IRIs in full, blank nodes as _:id, literals in Turtle with datatype.

    A literal keeps its datatype or language ("2025"^^xsd:string) because that is often the error.
    """
    if node is None:
        return None
    if isinstance(node, rdflib.BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        return node.n3(_LITERAL_PREFIXES.namespace_manager)
    return str(node)

