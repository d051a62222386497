"""VoID + DCAT descriptions: statistics match the data, the SHACL shape accepts what we promise
and rejects a description missing any promised field."""
from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from heritagekg.cli import app
from heritagekg.describe import (
    DatasetMetadata,
    describe_dataset,
    description_graph_iri,
    open_dataset,
    validate_description,
    write_description,
)
from heritagekg.errors import InputError

FIXTURE = Path(__file__).parent / "fixtures" / "export_sample.trig"
# plain Namespaces: rdflib's DefinedNamespace classes warn when pytest inspects the module
HKG = rdflib.Namespace("https://w3id.org/heritagekg/ontology#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
RDF = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = rdflib.Namespace("http://www.w3.org/2000/01/rdf-schema#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
DATASET = URIRef("https://w3id.org/heritagekg/id/dataset")
IANA = "https://www.iana.org/assignments/media-types/"


@pytest.fixture(scope="module")
def fixture_triples() -> set[tuple]:
    """The fixture's triples, merged over its graphs, parsed by rdflib (independent of pyoxigraph)."""
    ds = rdflib.Dataset()
    ds.parse(FIXTURE, format="trig")
    return {(s, p, o) for s, p, o, _g in ds.quads((None, None, None, None))}


@pytest.fixture(scope="module")
def description() -> Graph:
    meta = DatasetMetadata(issued=dt.date(2024, 1, 2), modified=dt.date(2024, 3, 4))
    return describe_dataset(FIXTURE, meta)


def _value(graph: Graph, subject: URIRef, predicate: URIRef) -> object:
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, f"{predicate}: {values}"
    return values[0]


def test_description_conforms_to_shapes(description: Graph) -> None:
    conforms, report = validate_description(description)
    assert conforms, report


def test_statistics_match_the_data(description: Graph, fixture_triples: set[tuple]) -> None:
    assert (DATASET, RDF.type, DCAT.Dataset) in description
    assert int(_value(description, DATASET, VOID.triples)) == len(fixture_triples) == 122
    iri_subjects = {s for s, _p, _o in fixture_triples if isinstance(s, URIRef)}
    assert int(_value(description, DATASET, VOID.entities)) == len(iri_subjects)

    class_counts = {description.value(part, VOID["class"]): int(description.value(part, VOID.entities))
                    for part in description.objects(DATASET, VOID.classPartition)}
    assert class_counts[HKG.Place] == 3
    assert class_counts[HKG.Article] == 2
    assert class_counts[RDF.Statement] == 6
    property_counts = {description.value(part, VOID.property): int(description.value(part, VOID.triples))
                       for part in description.objects(DATASET, VOID.propertyPartition)}
    assert property_counts[RDFS.label] == sum(1 for _s, p, _o in fixture_triples if p == RDFS.label)
    assert sum(property_counts.values()) == len(fixture_triples)
    vocabularies = set(description.objects(DATASET, VOID.vocabulary))
    assert URIRef(str(HKG)) in vocabularies and URIRef(str(RDFS)) in vocabularies


def test_catalogue_fields(description: Graph) -> None:
    assert _value(description, DATASET, DCTERMS.issued) == Literal("2024-01-02", datatype=XSD.date)
    assert _value(description, DATASET, DCTERMS.modified) == Literal("2024-03-04", datatype=XSD.date)
    assert _value(description, DATASET, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    publisher = _value(description, DATASET, DCTERMS.publisher)
    assert _value(description, publisher, FOAF.name) == Literal("heritagekg contributors")
    assert "2 cultural-heritage news articles" in str(_value(description, DATASET, DCTERMS.description))
    keywords = set(description.objects(DATASET, DCAT.keyword))
    # the data's topic labels join the default keywords, in both languages
    assert Literal("intangible cultural heritage", lang="en") in keywords
    assert Literal("非物质文化遗产", lang="zh") in keywords
    assert Literal("cultural heritage", lang="en") in keywords


def test_distributions_have_media_type_and_real_size(description: Graph) -> None:
    store = open_dataset(FIXTURE)
    sizes = {}
    for dist in description.objects(DATASET, DCAT.distribution):
        media = str(_value(description, dist, DCAT.mediaType)).removeprefix(IANA)
        sizes[media] = int(_value(description, dist, DCAT.byteSize))
    assert set(sizes) == {"text/turtle", "application/trig", "application/n-quads", "application/ld+json"}
    # N-Quads has no prefixes or layout choices: any writer gives the same bytes
    assert sizes["application/n-quads"] == len(store.dump(format=ox.RdfFormat.N_QUADS))
    # Turtle flattens the graphs, TriG keeps them: both parse back to the data
    assert all(size > 1000 for size in sizes.values())


@pytest.mark.parametrize("remove", [
    (None, DCTERMS.license),
    (None, DCTERMS.title),
    (None, DCTERMS.issued),
    (None, DCAT.keyword),
    (None, VOID.triples),
    (None, VOID.entities),
    (None, VOID.vocabulary),
    ("distribution", DCAT.byteSize),
    ("distribution", DCAT.mediaType),
    ("publisher", FOAF.name),
], ids=lambda r: f"{r[0] or 'dataset'}-{str(r[1]).rsplit('/', 1)[-1]}")
def test_description_missing_a_field_does_not_conform(description: Graph, remove: tuple) -> None:
    where, predicate = remove
    broken = Graph()
    for triple in description:
        broken.add(triple)
    subject = {None: DATASET,
               "distribution": URIRef(str(DATASET) + "/distribution/trig"),
               "publisher": description.value(DATASET, DCTERMS.publisher)}[where]
    assert (subject, predicate, None) in broken
    broken.remove((subject, predicate, None))
    conforms, report = validate_description(broken)
    assert not conforms
    assert str(predicate) in report or predicate.n3(broken.namespace_manager) in report


def test_a_missing_distribution_does_not_conform(description: Graph) -> None:
    broken = Graph()
    for triple in description:
        broken.add(triple)
    broken.remove((DATASET, DCAT.distribution, URIRef(str(DATASET) + "/distribution/jsonld")))
    conforms, report = validate_description(broken)
    assert not conforms
    assert "JSON-LD" in report


def test_dataset_iri_follows_the_base_iri(tmp_path: Path) -> None:
    moved = tmp_path / "moved.trig"
    moved.write_text(FIXTURE.read_text(encoding="utf-8").replace(
        "https://w3id.org/heritagekg/id/", "https://example.org/kg/"), encoding="utf-8")
    graph = describe_dataset(moved)
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert datasets == {URIRef("https://example.org/kg/dataset")}
    assert description_graph_iri("https://example.org/kg/dataset") == "https://example.org/kg/dataset/void"
    conforms, report = validate_description(graph)
    assert conforms, report


def test_flat_turtle_and_store_directory_give_the_same_counts(tmp_path: Path) -> None:
    flat = tmp_path / "flat.ttl"
    store = ox.Store()
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    ox.serialize((q.triple for q in store), str(flat), format=ox.RdfFormat.TURTLE)
    on_disk = ox.Store(str(tmp_path / "store"))
    on_disk.bulk_extend(store)
    on_disk.flush()
    del on_disk
    gc.collect()
    for source in (flat, tmp_path / "store"):
        graph = describe_dataset(source)
        assert int(graph.value(DATASET, VOID.triples)) == 122, source


def test_unreadable_inputs_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "graph.xyz").write_text("<a> <b> <c> .", encoding="utf-8")
    with pytest.raises(InputError, match="unknown RDF extension"):
        describe_dataset(tmp_path / "graph.xyz")
    with pytest.raises(InputError, match="no such file"):
        describe_dataset(tmp_path / "missing.ttl")
    (tmp_path / "broken.ttl").write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.ttl"):
        describe_dataset(tmp_path / "broken.ttl")
    (tmp_path / "folder").mkdir()
    with pytest.raises(InputError, match="not a pyoxigraph store"):
        describe_dataset(tmp_path / "folder")


def test_write_description_by_extension(description: Graph, tmp_path: Path) -> None:
    out = write_description(description, tmp_path / "void.jsonld")
    again = Graph().parse(out, format="json-ld")
    assert len(again) == len(description)
    with pytest.raises(InputError):
        write_description(description, tmp_path / "void.docx")


def test_cli_describe_writes_a_conforming_file(tmp_path: Path) -> None:
    out = tmp_path / "void.ttl"
    result = CliRunner().invoke(app, [
        "describe", str(FIXTURE), "-o", str(out), "--title", "Heritage news graph",
        "--publisher", "Heritage Lab", "--license", "https://creativecommons.org/publicdomain/zero/1.0/",
        "--keyword", "museums", "--issued", "2023-12-31", "--check"])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
    graph = Graph().parse(out, format="turtle")
    assert graph.value(DATASET, DCTERMS.title) == Literal("Heritage news graph", lang="en")
    assert graph.value(graph.value(DATASET, DCTERMS.publisher), FOAF.name) == Literal("Heritage Lab")
    assert graph.value(DATASET, DCTERMS.issued) == Literal("2023-12-31", datatype=XSD.date)
    assert (DATASET, DCAT.keyword, Literal("museums", lang="en")) in graph
    assert (DATASET, DCAT.keyword, Literal("news", lang="en")) not in graph  # --keyword replaces defaults


def test_cli_describe_to_stdout_and_bad_date() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["describe", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert (DATASET, RDF.type, DCAT.Dataset) in graph
    bad = runner.invoke(app, ["describe", str(FIXTURE), "--issued", "yesterday"])
    assert bad.exit_code != 0
    assert "--issued" in bad.output


def test_given_distribution_files_give_real_sizes_and_urls(tmp_path: Path) -> None:
    written = tmp_path / "kg.ttl"
    written.write_text("# a file as `heritagekg build` would write it\n" * 40, encoding="utf-8")
    out = tmp_path / "void.ttl"
    result = CliRunner().invoke(app, ["describe", str(FIXTURE), "-o", str(out), "--distribution", str(written),
                                      "--download-base", "https://data.example.org/heritage/", "--check"])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(out, format="turtle")
    turtle = URIRef(str(DATASET) + "/distribution/ttl")
    assert int(graph.value(turtle, DCAT.byteSize)) == written.stat().st_size
    assert graph.value(turtle, DCAT.downloadURL) == URIRef("https://data.example.org/heritage/kg.ttl")
    trig = URIRef(str(DATASET) + "/distribution/trig")
    assert graph.value(trig, DCAT.downloadURL) == URIRef("https://data.example.org/heritage/heritagekg.trig")
    bad = CliRunner().invoke(app, ["describe", str(FIXTURE), "--distribution", str(tmp_path / "kg.docx")])
    assert bad.exit_code != 0 and "kg.docx" in bad.output
