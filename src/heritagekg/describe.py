"""VoID + DCAT descriptions of a knowledge graph, the way linked-data portals catalogue datasets.

A portal's catalogue (CKAN, data.europa.eu, a SPARQL service's VoID) wants a `dcat:Dataset`
with a title, publisher, license and dates, plus statistics (`void:triples`, `void:entities`,
class and property partitions) and one `dcat:Distribution` per download format with its media
type and size. The statistics come from the data; the rest from `DatasetMetadata` (defaults
suit a heritagekg build). `ontology/dcat-shapes.ttl` states what we promise and
`validate_description` checks it.

Counting rules (so numbers can be compared between releases):
- the dataset is the RDF merge of all graphs: a triple stated in two article graphs counts once;
- `void:entities` counts distinct IRI subjects; a class partition counts distinct typed subjects;
- a property partition counts distinct triples with that predicate;
- `dcat:byteSize` is the size of the file given for that format (`distribution_files`, e.g. the
  files `heritagekg build` wrote), else of what pyoxigraph writes (Turtle and JSON-LD flatten the
  named graphs, TriG and N-Quads keep one per article, as docs/DESIGN.md says).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, VOID, XSD

from heritagekg.errors import InputError, StoreError
from heritagekg.vocab import HKG, HKGR, ONTOLOGY_DIR, PREFIXES, bind_prefixes

#: the SHACL shapes for the DCAT/VoID fields a description promises
DCAT_SHAPES_PATH: Path = ONTOLOGY_DIR / "dcat-shapes.ttl"

DEFAULT_TITLE = "heritagekg knowledge graph"
DEFAULT_PUBLISHER = "heritagekg contributors"
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
DEFAULT_KEYWORDS: tuple[str, ...] = ("cultural heritage", "news", "knowledge graph")
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
LEXVO_ISO639_1 = "http://id.loc.gov/vocabulary/iso639-1/"
#: at most this many topic labels become keywords (a catalogue shows keywords as tags)
MAX_TOPIC_KEYWORDS = 20


@dataclass(frozen=True)
class Serialization:
    """One downloadable serialization: file extension, media type, pyoxigraph format."""

    extension: str
    media_type: str
    label: str
    format: ox.RdfFormat
    keeps_graphs: bool


#: the distributions every description lists, in this order
SERIALIZATIONS: tuple[Serialization, ...] = (
    Serialization("ttl", "text/turtle", "Turtle", ox.RdfFormat.TURTLE, False),
    Serialization("trig", "application/trig", "TriG", ox.RdfFormat.TRIG, True),
    Serialization("nq", "application/n-quads", "N-Quads", ox.RdfFormat.N_QUADS, True),
    Serialization("jsonld", "application/ld+json", "JSON-LD", ox.RdfFormat.JSON_LD, False),
)

#: input extensions we read, to pyoxigraph formats (a directory is a pyoxigraph store)
INPUT_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class DatasetMetadata:
    """What a catalogue needs that the data cannot tell; every field has a sensible default.

    `dataset_iri` None means: derive it from the data's resource namespace (`{base}dataset`).
    `publisher_iri` None means: mint `{dataset_iri}/publisher`. Dates default to today (UTC).
    `download_base` (a URL folder) adds dcat:downloadURL `{download_base}/{name}.{ext}`.
    `distribution_files`: files already written (.ttl .trig .nq .jsonld); their real size and
    name are used for their format instead of serializing again.
    """

    dataset_iri: str | None = None
    title: str = DEFAULT_TITLE
    description: str | None = None
    publisher: str = DEFAULT_PUBLISHER
    publisher_iri: str | None = None
    license: str = DEFAULT_LICENSE
    keywords: tuple[str, ...] = DEFAULT_KEYWORDS
    issued: dt.date | None = None
    modified: dt.date | None = None
    download_base: str | None = None
    download_name: str = "heritagekg"
    extra_keywords_from_topics: bool = True
    sparql_endpoint: str | None = None
    named_graphs: tuple[str, ...] = field(default=())
    distribution_files: tuple[Path, ...] = field(default=())


# --- reading graphs ---------------------------------------------------------------------------

def open_dataset(source: str | Path | ox.Store) -> ox.Store:
    """Load an RDF file (format by extension) or open a pyoxigraph store directory, read-only.

    Files go into an in-memory pyoxigraph store: parsing and serializing 200k triples takes about
    a second there, against tens of seconds with rdflib.
    """
    if isinstance(source, ox.Store):
        return source
    path = Path(source)
    if path.is_dir():
        return _open_store_dir(path)
    if not path.exists():
        raise InputError(str(path), "no such file or store directory")
    fmt = INPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(INPUT_FORMATS))
        raise InputError(str(path), f"unknown RDF extension {path.suffix!r} (use one of {known})")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(str(path), f"cannot parse as {fmt.name}: {exc}") from None
    return store


def _open_store_dir(path: Path) -> ox.Store:
    """Open an on-disk pyoxigraph store (what `heritagekg build --store DIR` writes)."""
    if not (path / "CURRENT").exists():
        raise InputError(str(path), "directory is not a pyoxigraph store (no CURRENT file)")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"{path}: cannot open store read-only: {exc}") from None


def flatten(store: ox.Store) -> ox.Store:
    """The RDF merge of every graph, in the default graph of a new store (duplicates collapse)."""
    flat = ox.Store()
    flat.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in store)
    return flat


def resource_base(store: ox.Store) -> str:
    """The resource namespace (`--base-iri`) the data was built with, read off article IRIs."""
    pattern = re.compile(r"^(.+/)article/[^/]+$")
    candidates = [g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
    candidates += [q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)),
                                                                    ox.NamedNode(str(HKG.Article)))
                   if isinstance(q.subject, ox.NamedNode)]
    for iri in candidates:
        match = pattern.match(iri)
        if match:
            return match.group(1)
    return str(HKGR)


def default_dataset_iri(store: ox.Store) -> str:
    """`{base}dataset`: the dataset lives in the same namespace as the resources it holds."""
    return resource_base(store) + "dataset"


def description_graph_iri(dataset_iri: str) -> str:
    """The named graph `export` publishes the VoID/DCAT description into."""
    return f"{dataset_iri.rstrip('/#')}/void"


# --- the description --------------------------------------------------------------------------

def describe_dataset(source: str | Path | ox.Store, metadata: DatasetMetadata | None = None) -> Graph:
    """VoID + DCAT description of `source` (file, store directory or pyoxigraph Store)."""
    meta = metadata or DatasetMetadata()
    store = open_dataset(source)
    flat = flatten(store)
    dataset_iri = meta.dataset_iri or default_dataset_iri(store)
    ds = URIRef(dataset_iri)
    today = dt.datetime.now(dt.timezone.utc).date()

    g = bind_prefixes(Graph(), base_iri=resource_base(store))
    for prefix, ns in (("dcat", DCAT), ("void", VOID), ("foaf", FOAF)):
        g.bind(prefix, ns)
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal(meta.title, lang="en")))
    n_articles = _count(flat, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{HKG.Article}> }}")
    languages = _languages(flat)
    g.add((ds, DCTERMS.description, Literal(meta.description or _default_description(n_articles, languages),
                                            lang="en")))
    publisher = URIRef(meta.publisher_iri or f"{dataset_iri.rstrip('/#')}/publisher")
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(meta.publisher)))
    g.add((ds, DCTERMS.license, URIRef(meta.license)))
    g.add((ds, DCTERMS.issued, Literal((meta.issued or today).isoformat(), datatype=XSD.date)))
    g.add((ds, DCTERMS.modified, Literal((meta.modified or today).isoformat(), datatype=XSD.date)))
    for keyword in _keywords(flat, meta):
        g.add((ds, DCAT.keyword, keyword))
    for lang in languages:
        g.add((ds, DCTERMS.language, URIRef(LEXVO_ISO639_1 + lang)))
    g.add((ds, DCTERMS.conformsTo, URIRef(str(HKG).rstrip("#"))))
    g.add((ds, VOID.uriSpace, Literal(resource_base(store))))
    if meta.sparql_endpoint:
        g.add((ds, VOID.sparqlEndpoint, URIRef(meta.sparql_endpoint)))
    for graph_name in meta.named_graphs:
        g.add((URIRef(graph_name), VOID.inDataset, ds))

    _add_statistics(g, ds, flat)
    _add_distributions(g, ds, dataset_iri, store, flat, meta)
    return g


def _default_description(n_articles: int, languages: list[str]) -> str:
    langs = " and ".join(languages) if languages else "unknown"
    return (f"Events, organizations, people, places, heritage sites, projects, publications and topics "
            f"reported in {n_articles} cultural-heritage news article{'s' if n_articles != 1 else ''} "
            f"(languages: {langs}), each extracted fact described by an rdf:Statement with its evidence "
            f"sentence, confidence and source article.")


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    """Run a SELECT (pyoxigraph's query() also returns booleans and triples)."""
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions), query
    return solutions


def _count(store: ox.Store, query: str) -> int:
    for solution in _select(store, query):
        return int(solution[0].value)
    return 0


def _languages(flat: ox.Store) -> list[str]:
    """Primary language subtags of literals (`zh-Hans` -> `zh`), sorted."""
    langs = {str(s[0].value).split("-")[0].lower()
             for s in _select(flat, "SELECT DISTINCT (LANG(?o) AS ?l) WHERE { ?s ?p ?o FILTER(LANG(?o) != '') }")}
    return sorted(lang for lang in langs if re.fullmatch(r"[a-z]{2}", lang))


def _keywords(flat: ox.Store, meta: DatasetMetadata) -> list[Literal]:
    """The given keywords plus the labels of the data's topics (most mentioned first)."""
    keywords = [Literal(k, lang="en") for k in meta.keywords]
    if meta.extra_keywords_from_topics:
        query = f"""
            SELECT ?label (COUNT(?m) AS ?n) WHERE {{
              ?t a <{HKG.Topic}> ; <{RDFS.label}> ?label .
              OPTIONAL {{ ?m <{HKG.mentions}> ?t }}
            }} GROUP BY ?label ORDER BY DESC(?n) STR(?label) LIMIT {MAX_TOPIC_KEYWORDS}"""
        for solution in _select(flat, query):
            label = solution["label"]
            keywords.append(Literal(label.value, lang=label.language) if label.language else Literal(label.value))
    unique: list[Literal] = []
    for keyword in keywords:
        if keyword not in unique:
            unique.append(keyword)
    return unique


def _vocabulary(iri: str) -> str:
    """The namespace of a term: up to and including the last `#`, else the last `/`."""
    cut = iri.rfind("#")
    if cut < 0:
        cut = iri.rfind("/")
    return iri[: cut + 1] if cut > 0 else iri


def _add_statistics(g: Graph, ds: URIRef, flat: ox.Store) -> None:
    g.add((ds, VOID.triples, Literal(len(flat), datatype=XSD.integer)))
    entities = _count(flat, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")
    g.add((ds, VOID.entities, Literal(entities, datatype=XSD.integer)))
    subjects = _count(flat, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
    objects = _count(flat, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }")
    g.add((ds, VOID.distinctSubjects, Literal(subjects, datatype=XSD.integer)))
    g.add((ds, VOID.distinctObjects, Literal(objects, datatype=XSD.integer)))

    classes = [(s["c"].value, int(s["n"].value)) for s in _select(flat,
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s <{RDF.type}> ?c FILTER(isIRI(?c)) }} "
        "GROUP BY ?c ORDER BY ?c")]
    properties = [(s["p"].value, int(s["n"].value)) for s in _select(flat,
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p")]
    g.add((ds, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    for cls, n in classes:
        partition = BNode()
        g.add((ds, VOID.classPartition, partition))
        g.add((partition, VOID["class"], URIRef(cls)))
        g.add((partition, VOID.entities, Literal(n, datatype=XSD.integer)))
    for prop, n in properties:
        partition = BNode()
        g.add((ds, VOID.propertyPartition, partition))
        g.add((partition, VOID.property, URIRef(prop)))
        g.add((partition, VOID.triples, Literal(n, datatype=XSD.integer)))
    for vocabulary in sorted({_vocabulary(iri) for iri, _ in classes + properties}):
        g.add((ds, VOID.vocabulary, URIRef(vocabulary)))


def serialized_size(store: ox.Store, flat: ox.Store, serialization: Serialization) -> int:
    """Bytes of `serialization` of the data, as pyoxigraph writes it with our prefixes."""
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    if serialization.keeps_graphs:
        data = store.dump(format=serialization.format, prefixes=prefixes)
    else:
        data = flat.dump(format=serialization.format, from_graph=ox.DefaultGraph(), prefixes=prefixes)
    return len(data or b"")


def _distribution_files(meta: DatasetMetadata) -> dict[str, Path]:
    """Given files by extension (without the dot); an unknown extension or a missing file is an error."""
    known = {ser.extension for ser in SERIALIZATIONS}
    files: dict[str, Path] = {}
    for file in meta.distribution_files:
        path = Path(file)
        ext = path.suffix.lower().lstrip(".")
        if ext not in known:
            raise InputError(str(path), f"not a distribution format (use one of {', '.join(sorted(known))})")
        if not path.is_file():
            raise InputError(str(path), "no such distribution file")
        files[ext] = path
    return files


def _add_distributions(g: Graph, ds: URIRef, dataset_iri: str, store: ox.Store, flat: ox.Store,
                       meta: DatasetMetadata) -> None:
    files = _distribution_files(meta)
    for ser in SERIALIZATIONS:
        dist = URIRef(f"{dataset_iri.rstrip('/#')}/distribution/{ser.extension}")
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"{meta.title} ({ser.label})", lang="en")))
        g.add((dist, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + ser.media_type)))
        file = files.get(ser.extension)
        size = file.stat().st_size if file else serialized_size(store, flat, ser)
        g.add((dist, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
        if meta.download_base:
            name = file.name if file else f"{meta.download_name}.{ser.extension}"
            url = URIRef(f"{meta.download_base.rstrip('/')}/{name}")
            g.add((dist, DCAT.downloadURL, url))
            g.add((dist, DCAT.accessURL, url))
            g.add((ds, VOID.dataDump, url))


# --- output and validation --------------------------------------------------------------------

#: output extension -> rdflib serializer name
DESCRIPTION_FORMATS: dict[str, str] = {
    ".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld", ".nt": "nt", ".rdf": "xml",
}


def description_text(description: Graph, fmt: str = "turtle") -> str:
    """The description serialized (small: a few hundred triples, rdflib is fine)."""
    return description.serialize(format=fmt)


def write_description(description: Graph, path: str | Path) -> Path:
    """Write the description in the format its extension names, atomically."""
    out = Path(path)
    fmt = DESCRIPTION_FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise InputError(str(out), f"unknown description extension {out.suffix!r} "
                                   f"(use one of {', '.join(sorted(DESCRIPTION_FORMATS))})")
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(description_text(description, fmt), encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        raise StoreError(f"{out}: cannot write description: {exc}") from None
    return out


def validate_description(description: Graph, shapes_path: str | Path = DCAT_SHAPES_PATH) -> tuple[bool, str]:
    """Check a description against the DCAT/VoID shapes: (conforms, pySHACL's report text)."""
    from pyshacl import validate  # slow import; only needed here

    shapes = Graph().parse(str(shapes_path), format="turtle")
    conforms, _report, text = validate(description, shacl_graph=shapes, inference="none")
    return bool(conforms), str(text)


def triples_of(description: Graph) -> Iterable[ox.Triple]:
    """The description as pyoxigraph triples (what `export` uploads)."""
    return (t for t in ox.parse(description.serialize(format="nt").encode("utf-8"),
                                format=ox.RdfFormat.N_TRIPLES))
