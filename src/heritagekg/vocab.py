"""The ontology's terms as Python names, so a misspelt term fails at import, not in a query.

`HKG` lists exactly the classes and properties declared in ontology/heritagekg.ttl
(tests/test_vocab.py keeps the two in step). Other modules build IRIs only from these objects.
"""
# No `from __future__ import annotations`: DefinedNamespace reads the annotations as classes.

from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

#: the package's view of the top-level ontology/ folder (src/heritagekg/ontology is a symlink)
ONTOLOGY_DIR: Path = Path(__file__).parent / "ontology"
ONTOLOGY_PATH: Path = ONTOLOGY_DIR / "heritagekg.ttl"
SHAPES_PATH: Path = ONTOLOGY_DIR / "shapes.ttl"


class HKG(DefinedNamespace):
    """heritagekg ontology terms (contract v1); any other attribute raises AttributeError."""

    _NS = Namespace("https://w3id.org/heritagekg/ontology#")
    _fail = True

    # classes
    Event: URIRef
    Forum: URIRef
    Expo: URIRef
    Organization: URIRef
    Person: URIRef
    Place: URIRef
    HeritageSite: URIRef
    Project: URIRef
    Publication: URIRef
    Topic: URIRef
    Article: URIRef

    # relations between resources
    organizer: URIRef
    partOf: URIRef
    location: URIRef
    participant: URIRef
    speaker: URIRef
    affiliation: URIRef
    releasedAt: URIRef
    outputOf: URIRef
    funder: URIRef
    implementedBy: URIRef
    publisher: URIRef
    about: URIRef
    locatedIn: URIRef
    parentOrganization: URIRef
    mentions: URIRef

    # values
    startDate: URIRef
    endDate: URIRef
    datePublished: URIRef
    jobTitle: URIRef
    sessionCount: URIRef
    speakerCount: URIRef
    participantCount: URIRef
    fundingAmount: URIRef
    currency: URIRef

    # evidence (on the rdf:Statement describing each extracted triple)
    evidence: URIRef
    confidence: URIRef
    extractor: URIRef


HKGR = Namespace("https://w3id.org/heritagekg/id/")
SCHEMA = Namespace("https://schema.org/")
CRM = Namespace("http://www.cidoc-crm.org/cidoc-crm/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
WD = Namespace("http://www.wikidata.org/entity/")

#: contract classes, and the ones an extracted entity (not an article) may have
CLASSES: tuple[URIRef, ...] = (
    HKG.Event, HKG.Forum, HKG.Expo, HKG.Organization, HKG.Person, HKG.Place, HKG.HeritageSite,
    HKG.Project, HKG.Publication, HKG.Topic, HKG.Article,
)
ENTITY_CLASSES: tuple[URIRef, ...] = tuple(c for c in CLASSES if c != HKG.Article)

#: properties of an rdf:Statement node (the evidence of a triple), not facts themselves
EVIDENCE_PROPERTIES: tuple[URIRef, ...] = (HKG.evidence, HKG.confidence, HKG.extractor)

#: prefixes every graph we write or render binds, so Turtle and tables read the same way
PREFIXES: dict[str, Namespace] = {
    "hkg": Namespace(str(HKG)),
    "hkgr": HKGR,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)),
    "dcterms": Namespace(str(DCTERMS)),
    "schema": SCHEMA,
    "crm": CRM,
    "sem": SEM,
    "wd": WD,
}


def hkg_terms() -> list[URIRef]:
    """Every term HKG declares, in declaration order."""
    return [HKG[name] for name in HKG.__annotations__ if not name.startswith("_")]


def bind_prefixes(graph: Graph, base_iri: str | None = None) -> Graph:
    """Bind our prefixes on `graph` (hkgr to `base_iri` when given) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    if base_iri is not None:
        graph.bind("hkgr", Namespace(base_iri), override=True, replace=True)
    return graph


def shorten(iri: str) -> str:
    """`iri` as prefix:local with our prefixes (hkgr:organization/unesco), else unchanged."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri
