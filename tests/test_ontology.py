"""ontology/heritagekg.ttl and ontology/shapes.ttl: they parse everywhere, carry every contract term
with English and Chinese labels and definitions, align as the contract says, and the shapes cover
every class and property and are themselves valid SHACL."""
from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS

from heritagekg.vocab import CRM, HKG, ONTOLOGY_PATH, SCHEMA, SEM, SHAPES_PATH

H = Namespace(str(HKG))
# a plain Namespace: rdflib's XSD object warns when pytest probes module attributes
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

# The contract (docs: /work/shared/CONTRACT.md, v1), written out here independently of vocab.py.
CONTRACT_CLASSES = ["Event", "Forum", "Expo", "Organization", "Person", "Place", "HeritageSite",
                    "Project", "Publication", "Topic", "Article"]
CONTRACT_OBJECT_PROPERTIES = ["organizer", "partOf", "location", "participant", "speaker",
                              "affiliation", "releasedAt", "outputOf", "funder", "implementedBy",
                              "publisher", "about", "locatedIn", "parentOrganization", "mentions"]
CONTRACT_DATATYPE_PROPERTIES = ["startDate", "endDate", "jobTitle", "datePublished", "sessionCount",
                                "speakerCount", "participantCount", "fundingAmount", "currency",
                                "evidence", "confidence", "extractor"]
ALL_TERMS = CONTRACT_CLASSES + CONTRACT_OBJECT_PROPERTIES + CONTRACT_DATATYPE_PROPERTIES

# (term, rdfs:subClassOf / rdfs:subPropertyOf target) pairs the contract asks for
CLASS_ALIGNMENTS = [
    ("Event", SCHEMA.Event), ("Event", CRM.E5_Event), ("Event", SEM.Event),
    ("Forum", H.Event), ("Forum", SCHEMA.Event), ("Expo", H.Event),
    ("Organization", SCHEMA.Organization), ("Organization", CRM.E74_Group),
    ("Person", SCHEMA.Person), ("Person", CRM.E21_Person),
    ("Place", SCHEMA.Place), ("Place", CRM.E53_Place),
    ("HeritageSite", H.Place), ("HeritageSite", CRM.E27_Site),
    ("Project", SCHEMA.Project), ("Project", CRM.E7_Activity),
    ("Publication", SCHEMA.CreativeWork), ("Publication", CRM.E31_Document),
    ("Topic", SKOS.Concept), ("Article", SCHEMA.NewsArticle), ("Article", PROV.Entity),
]
PROPERTY_ALIGNMENTS = [
    ("organizer", SCHEMA.organizer), ("partOf", SCHEMA.superEvent), ("partOf", DCTERMS.isPartOf),
    ("location", SCHEMA.location), ("startDate", SCHEMA.startDate), ("endDate", SCHEMA.endDate),
    ("participant", SCHEMA.attendee), ("speaker", H.participant), ("speaker", SCHEMA.performer),
    ("affiliation", SCHEMA.affiliation), ("jobTitle", SCHEMA.jobTitle),
    ("outputOf", PROV.wasGeneratedBy), ("funder", SCHEMA.funder), ("publisher", SCHEMA.publisher),
    ("about", SCHEMA.about), ("locatedIn", SCHEMA.containedInPlace),
    ("parentOrganization", SCHEMA.parentOrganization), ("datePublished", SCHEMA.datePublished),
    ("mentions", SCHEMA.mentions),
]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


def union_members(graph: Graph, node: URIRef | BNode | None) -> set:
    """A named class as {itself}, an owl:unionOf class expression as its members."""
    if isinstance(node, URIRef):
        return {node}
    members = graph.value(node, OWL.unionOf)
    return set(Collection(graph, members)) if members is not None else set()


@pytest.mark.parametrize("path", [ONTOLOGY_PATH, SHAPES_PATH], ids=["ontology", "shapes"])
def test_parses_with_rdflib_and_pyoxigraph_alike(path) -> None:
    rdflib_count = len(Graph().parse(path, format="turtle"))
    oxigraph_count = len(list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)))
    assert rdflib_count == oxigraph_count > 100


def test_ontology_header(ontology: Graph) -> None:
    onto = ontology.value(predicate=RDF.type, object=OWL.Ontology)
    assert onto == URIRef("https://w3id.org/heritagekg/ontology")
    assert ontology.value(onto, OWL.versionInfo) is not None
    assert {t.language for t in ontology.objects(onto, DCTERMS.title)} == {"en", "zh"}
    assert isinstance(ontology.value(onto, DCTERMS.license), URIRef)


@pytest.mark.parametrize("name", ALL_TERMS)
def test_term_has_one_label_and_definition_per_language(ontology: Graph, name: str) -> None:
    term = H[name]
    labels = [lit.language for lit in ontology.objects(term, RDFS.label)]
    assert sorted(labels) == ["en", "zh"], f"hkg:{name} labels: {labels}"
    definitions = [lit.language for lit in ontology.objects(term, SKOS.definition)]
    assert sorted(definitions) == ["en", "zh"], f"hkg:{name} definitions: {definitions}"
    zh_label = next(str(lit) for lit in ontology.objects(term, RDFS.label) if lit.language == "zh")
    assert re.search(r"[\u4e00-\u9fff]", zh_label), f"hkg:{name} @zh label is not Chinese: {zh_label}"


def test_declaration_kinds(ontology: Graph) -> None:
    assert {str(c).split("#")[1] for c in ontology.subjects(RDF.type, OWL.Class)
            if str(c).startswith(str(H))} == set(CONTRACT_CLASSES)
    assert {str(p).split("#")[1] for p in ontology.subjects(RDF.type, OWL.ObjectProperty)} \
        == set(CONTRACT_OBJECT_PROPERTIES)
    assert {str(p).split("#")[1] for p in ontology.subjects(RDF.type, OWL.DatatypeProperty)} \
        == set(CONTRACT_DATATYPE_PROPERTIES)


@pytest.mark.parametrize(("name", "target"), CLASS_ALIGNMENTS)
def test_class_alignment(ontology: Graph, name: str, target: URIRef) -> None:
    assert (H[name], RDFS.subClassOf, target) in ontology


def test_expo_is_an_exhibition_or_a_festival(ontology: Graph) -> None:
    unions = [union_members(ontology, sup) for sup in ontology.objects(H.Expo, RDFS.subClassOf)
              if isinstance(sup, BNode)]
    assert {SCHEMA.ExhibitionEvent, SCHEMA.Festival} in unions


@pytest.mark.parametrize(("name", "target"), PROPERTY_ALIGNMENTS)
def test_property_alignment(ontology: Graph, name: str, target: URIRef) -> None:
    assert (H[name], RDFS.subPropertyOf, target) in ontology


@pytest.mark.parametrize(("name", "domain", "range_"), [
    ("organizer", {H.Event}, {H.Organization, H.Person}),
    ("partOf", {H.Event, H.Project}, {H.Event, H.Project}),
    ("location", {H.Event, H.Project, H.Organization}, {H.Place}),
    ("participant", {H.Event}, {H.Person, H.Organization}),
    ("speaker", {H.Event}, {H.Person}),
    ("about", {H.Event, H.Project, H.Publication, H.Article}, {H.Topic, H.Place, H.HeritageSite}),
    ("publisher", {H.Publication, H.Article}, {H.Organization}),
    ("startDate", {H.Event, H.Project}, {XSD.date, XSD.gYearMonth, XSD.gYear}),
    ("datePublished", {H.Article, H.Publication}, {XSD.date, XSD.gYearMonth, XSD.gYear}),
    ("sessionCount", {H.Event}, {XSD.integer}),
    ("fundingAmount", {H.Project}, {XSD.decimal}),
    ("jobTitle", {H.Person}, {RDF.langString}),
    ("evidence", {RDF.Statement}, {RDF.langString}),
])
def test_domain_and_range(ontology: Graph, name: str, domain: set, range_: set) -> None:
    assert union_members(ontology, ontology.value(H[name], RDFS.domain)) == domain
    assert union_members(ontology, ontology.value(H[name], RDFS.range)) == range_


def test_confidence_range_is_a_decimal_between_0_and_1(ontology: Graph) -> None:
    restricted = ontology.value(H.confidence, RDFS.range)
    assert ontology.value(restricted, OWL.onDatatype) == XSD.decimal
    facets = Collection(ontology, ontology.value(restricted, OWL.withRestrictions))
    bounds = {p: o.toPython() for facet in facets for p, o in ontology.predicate_objects(facet)}
    assert bounds == {XSD.minInclusive: 0, XSD.maxInclusive: 1}


# --- shapes ---------------------------------------------------------------------------------

def test_shapes_target_every_class_and_property(shapes: Graph) -> None:
    targeted_classes = set(shapes.objects(None, SH.targetClass))
    assert {H[c] for c in CONTRACT_CLASSES} <= targeted_classes
    targeted_properties = set(shapes.objects(None, SH.targetSubjectsOf))
    non_evidence = set(CONTRACT_OBJECT_PROPERTIES + CONTRACT_DATATYPE_PROPERTIES) \
        - {"evidence", "confidence", "extractor"}
    assert {H[p] for p in non_evidence} <= targeted_properties
    # the evidence properties are checked on the rdf:Statement shape
    statement_shape = shapes.value(predicate=SH.targetClass, object=RDF.Statement)
    paths = {shapes.value(ps, SH.path) for ps in shapes.objects(statement_shape, SH.property)}
    assert {H.evidence, H.confidence, H.extractor, RDF.subject, RDF.predicate, RDF.object,
            PROV.wasDerivedFrom} <= paths


def test_shapes_use_only_declared_terms(shapes: Graph) -> None:
    """A misspelt hkg: term in a shape or in its SPARQL would silently check nothing."""
    used = {str(t) for triple in shapes for t in triple
            if isinstance(t, URIRef) and str(t).startswith(str(H))}
    for select in shapes.objects(None, SH.select):
        used |= {str(H) + local for local in re.findall(r"\bhkg:(\w+)", str(select))}
    declared = {str(H[n]) for n in ALL_TERMS}
    assert used <= declared, sorted(used - declared)
    assert str(H.organizer) in used


def test_every_constraint_has_a_readable_message(shapes: Graph) -> None:
    for shape in set(shapes.subjects(SH.path, None)) | set(shapes.subjects(SH.sparql, None)):
        if (None, RDF.first, shape) in shapes:
            continue  # members of an sh:or list report through their owner's message
        own = list(shapes.objects(shape, SH.message))
        sparql = [shapes.value(c, SH.message) for c in shapes.objects(shape, SH.sparql)]
        assert own or all(sparql), f"shape {shape} has no sh:message"
        assert all(isinstance(m, Literal) and m.language == "en" for m in own + sparql if m)


def test_shapes_are_valid_shacl(shapes: Graph, ontology: Graph) -> None:
    """pySHACL's meta-validation checks shapes.ttl against the SHACL-for-SHACL shapes."""
    from pyshacl import validate

    conforms, _, text = validate(Graph(), shacl_graph=shapes, ont_graph=ontology, meta_shacl=True)
    assert conforms, text
