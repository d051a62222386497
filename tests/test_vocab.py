"""vocab.HKG and ontology/heritagekg.ttl declare exactly the same terms, so a typo fails early."""
from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from heritagekg.vocab import (
    CLASSES,
    HKG,
    HKGR,
    ONTOLOGY_PATH,
    SHAPES_PATH,
    WD,
    bind_prefixes,
    hkg_terms,
    shorten,
)

DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


def declared_hkg_terms(ontology: Graph) -> set[URIRef]:
    return {s for t in DECLARATION_TYPES for s in ontology.subjects(RDF.type, t)
            if isinstance(s, URIRef) and str(s).startswith(str(HKG))}


def test_every_vocab_term_is_declared_in_the_ontology(ontology: Graph) -> None:
    missing = set(hkg_terms()) - declared_hkg_terms(ontology)
    assert not missing, f"in vocab.py but not declared in heritagekg.ttl: {sorted(missing)}"


def test_every_ontology_term_is_in_vocab(ontology: Graph) -> None:
    extra = declared_hkg_terms(ontology) - set(hkg_terms())
    assert not extra, f"declared in heritagekg.ttl but missing from vocab.HKG: {sorted(extra)}"


def test_no_hkg_iri_in_the_ontology_is_undeclared(ontology: Graph) -> None:
    """Catches a misspelt term used in a domain, range or subClassOf of the ontology itself."""
    used = {t for triple in ontology for t in triple
            if isinstance(t, URIRef) and str(t).startswith(str(HKG))}
    assert used <= set(hkg_terms()), sorted(used - set(hkg_terms()))


def test_misspelt_term_fails_at_attribute_access() -> None:
    assert HKG.organizer == URIRef("https://w3id.org/heritagekg/ontology#organizer")
    with pytest.raises(AttributeError):
        HKG.organiser  # noqa: B018


def test_namespaces_and_paths() -> None:
    assert HKGR["organization/unesco"] == URIRef("https://w3id.org/heritagekg/id/organization/unesco")
    assert WD.Q7809 == URIRef("http://www.wikidata.org/entity/Q7809")
    assert len(CLASSES) == 11 and HKG.Article in CLASSES
    # the package path goes through the src/heritagekg/ontology symlink to the top-level folder
    assert ONTOLOGY_PATH.is_file() and SHAPES_PATH.is_file()
    assert ONTOLOGY_PATH.resolve().parent.name == "ontology"
    assert ONTOLOGY_PATH.resolve().parent.parent == SHAPES_PATH.resolve().parent.parent


def test_shorten_and_bind_prefixes() -> None:
    assert shorten(str(HKGR["organization/unesco"])) == "hkgr:organization/unesco"
    assert shorten(str(HKG.organizer)) == "hkg:organizer"
    assert shorten("https://example.org/x") == "https://example.org/x"
    g = bind_prefixes(Graph(), base_iri="https://example.org/kg/")
    assert dict(g.namespaces())["hkgr"] == URIRef("https://example.org/kg/")
    assert dict(g.namespaces())["hkg"] == URIRef(str(HKG))
