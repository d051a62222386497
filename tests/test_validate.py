"""validate.py against the real shapes: a hand-written graph in the DESIGN.md shape conforms, and
each way of breaking it is reported with the node, the property and a readable message."""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS
from typer.testing import CliRunner

from heritagekg.cli import app
from heritagekg.errors import StoreError
from heritagekg.validate import ValidationReport, _shapes_graph, validate_file, validate_graph
from heritagekg.vocab import HKG, HKGR

FIXTURE = Path(__file__).parent / "fixtures" / "valid_graph.trig"
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # plain: rdflib's XSD warns under pytest

FORUM = HKGR["forum/heritage-forum-2025"]
EXPO = HKGR["expo/heritage-fair-2025"]
UNESCO = HKGR["organization/unesco"]
JANE = HKGR["person/jane-doe"]
CHINA = HKGR["place/china"]
ARTICLE = HKGR["article/a1"]


@pytest.fixture(scope="module")
def dataset() -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(FIXTURE, format="trig")
    return ds


@pytest.fixture
def graph(dataset: rdflib.Dataset) -> Graph:
    """A fresh flat copy of the valid graph, for one test to break."""
    g = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def results(report: ValidationReport, focus: URIRef, path: URIRef | None = None) -> list[str]:
    """Messages reported for one node (and property)."""
    return [v.message for v in report.violations
            if v.focus == str(focus) and (path is None or v.path == str(path))]


# --- the valid graph ------------------------------------------------------------------------

def test_valid_dataset_conforms_with_named_graphs(dataset: rdflib.Dataset) -> None:
    assert len(list(dataset.graphs())) >= 2  # the article's named graph plus the default graph
    report = validate_graph(dataset)
    assert report.conforms, report.violations
    assert report.violations == []
    assert isinstance(report.report_graph, Graph)


def test_validation_leaves_the_input_untouched(graph: Graph) -> None:
    before = set(graph)
    assert validate_graph(graph).conforms
    assert set(graph) == before  # the ontology was mixed into a copy, not into our graph


def test_subclasses_count_as_their_class(graph: Graph) -> None:
    """A Forum is an Event (organizer), a HeritageSite is a Place (about): only via the ontology."""
    assert validate_graph(graph).conforms
    graph.set((FORUM, RDF.type, HKG.Topic))  # no longer any kind of Event
    report = validate_graph(graph)
    assert not report.conforms
    assert "Only an hkg:Event has hkg:organizer." in results(report, FORUM)


# --- each kind of violation -----------------------------------------------------------------

def test_missing_label(graph: Graph) -> None:
    graph.remove((CHINA, RDFS.label, None))
    report = validate_graph(graph)
    assert not report.conforms
    assert results(report, CHINA, RDFS.label) == ["Needs at least one rdfs:label."]


def test_two_english_labels(graph: Graph) -> None:
    graph.add((UNESCO, RDFS.label, Literal("U.N.E.S.C.O.", lang="en")))
    report = validate_graph(graph)
    assert not report.conforms
    assert any("one preferred rdfs:label per language" in m for m in results(report, UNESCO, RDFS.label))


def test_label_without_language_tag(graph: Graph) -> None:
    graph.set((CHINA, RDFS.label, Literal("China")))
    report = validate_graph(graph)
    assert not report.conforms
    [violation] = [v for v in report.violations if v.focus == str(CHINA)]
    assert violation.value == '"China"' and "language tag" in violation.message


def test_string_typed_date(graph: Graph) -> None:
    as_string = Literal("2025-09-22", datatype=XSD.string)
    graph.set((FORUM, HKG.startDate, as_string))
    graph.set((HKGR["statement/start"], RDF.object, as_string))  # evidence still matches
    report = validate_graph(graph)
    assert not report.conforms
    [violation] = report.violations
    assert (violation.focus, violation.path) == (str(FORUM), str(HKG.startDate))
    assert violation.value == '"2025-09-22"^^xsd:string'
    assert "xsd:date, xsd:gYearMonth or xsd:gYear" in violation.message


def test_ill_formed_date_literal(graph: Graph) -> None:
    bad = Literal("2025-13-45", datatype=XSD.date)
    graph.set((FORUM, HKG.endDate, bad))
    graph.set((HKGR["statement/end"], RDF.object, bad))
    assert results(validate_graph(graph), FORUM, HKG.endDate)


def test_statement_from_article_without_evidence(graph: Graph) -> None:
    statement = HKGR["statement/organizer"]
    graph.remove((statement, HKG.evidence, None))
    report = validate_graph(graph)
    assert not report.conforms
    assert results(report, statement) == ["Derived from an hkg:Article but has no hkg:evidence sentence."]


def test_authority_statement_needs_no_evidence(graph: Graph) -> None:
    statement = HKGR["statement/beijing-in-china"]
    assert graph.value(statement, HKG.evidence) is None
    assert graph.value(statement, PROV.wasDerivedFrom) == HKGR["source/authority"]
    assert validate_graph(graph).conforms
    graph.add((statement, PROV.wasDerivedFrom, ARTICLE))  # now it is also a claim of the article
    assert results(validate_graph(graph), statement)


def test_evidence_without_language_tag(graph: Graph) -> None:
    statement = HKGR["statement/speaker"]
    graph.set((statement, HKG.evidence, Literal("Jane Doe delivered opening remarks.")))
    assert results(validate_graph(graph), statement, HKG.evidence)


@pytest.mark.parametrize(("path", "change"), [
    (HKG.confidence, lambda g, s: g.remove((s, HKG.confidence, None))),
    (HKG.confidence, lambda g, s: g.set((s, HKG.confidence, Literal("1.5", datatype=XSD.decimal)))),
    (HKG.confidence, lambda g, s: g.add((s, HKG.confidence, Literal("0.2", datatype=XSD.decimal)))),
    (HKG.extractor, lambda g, s: g.remove((s, HKG.extractor, None))),
    (PROV.wasDerivedFrom, lambda g, s: g.remove((s, PROV.wasDerivedFrom, None))),
    (RDF.object, lambda g, s: g.add((s, RDF.object, HKGR["organization/culture-sector"]))),
], ids=["no-confidence", "confidence-above-1", "two-confidences", "no-extractor", "no-source",
        "two-objects"])
def test_incomplete_statement(graph: Graph, path: URIRef,
                              change: Callable[[Graph, URIRef], None]) -> None:
    statement = HKGR["statement/organizer"]
    change(graph, statement)
    report = validate_graph(graph)
    assert not report.conforms
    assert results(report, statement, path), report.violations


def test_relation_without_statement(graph: Graph) -> None:
    graph.add((FORUM, HKG.funder, UNESCO))
    report = validate_graph(graph)
    assert not report.conforms
    [violation] = report.violations
    assert (violation.focus, violation.path, violation.value) == (str(FORUM), str(HKG.funder), str(UNESCO))
    assert violation.message == "hkg:funder hkgr:organization/unesco has no rdf:Statement giving its evidence."


def test_statement_must_match_the_triple_exactly(graph: Graph) -> None:
    """A statement about another object does not cover the triple."""
    graph.set((HKGR["statement/speaker"], RDF.object, UNESCO))
    report = validate_graph(graph)
    assert "hkg:speaker hkgr:person/jane-doe has no rdf:Statement giving its evidence." in \
        results(report, FORUM, HKG.speaker)


def test_article_metadata_and_mentions_need_no_statement(graph: Graph) -> None:
    # the fixture's article has publisher, datePublished, about and mentions without statements
    assert not list(graph.subjects(RDF.subject, ARTICLE))
    assert validate_graph(graph).conforms


@pytest.mark.parametrize("bad", [
    URIRef("https://en.wikipedia.org/wiki/UNESCO"),
    URIRef("https://www.wikidata.org/wiki/Q7809"),
    Literal("Q7809"),
])
def test_bad_same_as(graph: Graph, bad: URIRef | Literal) -> None:
    graph.set((UNESCO, OWL.sameAs, bad))
    report = validate_graph(graph)
    assert not report.conforms
    assert any("Wikidata entity IRI" in m for m in results(report, UNESCO, OWL.sameAs))


def test_wrong_domain_and_range(graph: Graph) -> None:
    graph.add((JANE, HKG.organizer, UNESCO))  # a person does not organize in the contract
    graph.add((FORUM, HKG.speaker, UNESCO))   # a speaker is a person
    report = validate_graph(graph)
    assert "Only an hkg:Event has hkg:organizer." in results(report, JANE)
    assert "hkg:speaker must be an hkg:Person." in results(report, FORUM, HKG.speaker)


def test_count_must_be_an_integer(graph: Graph) -> None:
    graph.set((FORUM, HKG.sessionCount, Literal("12")))
    assert "hkg:sessionCount must be a non-negative xsd:integer." in \
        results(validate_graph(graph), FORUM, HKG.sessionCount)


def test_missing_currency_is_only_a_warning(graph: Graph) -> None:
    project = HKGR["project/skills-programme"]
    graph.remove((project, HKG.currency, None))
    graph.remove((HKGR["statement/currency"], None, None))
    report = validate_graph(graph)
    assert report.conforms
    assert [v.severity for v in report.violations] == ["Warning"]
    assert report.errors == []


# --- files ----------------------------------------------------------------------------------

@pytest.mark.parametrize("ext", [".ttl", ".nt", ".trig", ".nq", ".jsonld"])
def test_validate_file_by_extension(tmp_path: Path, dataset: rdflib.Dataset, graph: Graph,
                                    ext: str) -> None:
    path = tmp_path / f"kg{ext}"
    fmt = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nquads", ".jsonld": "json-ld"}[ext]
    (dataset if ext in (".trig", ".nq") else graph).serialize(path, format=fmt, encoding="utf-8")
    assert validate_file(path).conforms


def test_validate_file_reports_violations(tmp_path: Path, graph: Graph) -> None:
    graph.add((FORUM, HKG.funder, UNESCO))
    path = tmp_path / "kg.ttl"
    graph.serialize(path, format="turtle")
    report = validate_file(path)
    assert not report.conforms and report.violations[0].path == str(HKG.funder)


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("broken.ttl", "hkg:x hkg:y .", "cannot parse as turtle"),
    ("broken.jsonld", "{not json", "cannot parse as json-ld"),
    ("graph.csv", "a,b", "not an RDF file"),
    ("absent.ttl", None, "no such file"),
])
def test_unreadable_file_raises_store_error(tmp_path: Path, name: str, content: str | None,
                                            expected: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(StoreError) as excinfo:
        validate_file(path)
    assert str(path) in str(excinfo.value) and expected in str(excinfo.value)


def test_shapes_are_parsed_once(graph: Graph) -> None:
    validate_graph(graph)
    parsed = _shapes_graph.cache_info().misses
    validate_graph(graph)
    assert _shapes_graph.cache_info().misses == parsed == 1


# --- command line ---------------------------------------------------------------------------

runner = CliRunner()


def test_cli_conforming_file_exits_0() -> None:
    result = runner.invoke(app, ["validate", str(FIXTURE)])
    assert result.exit_code == 0, result.output
    assert "conforms (0 violations, 0 warnings)" in result.output


def test_cli_lists_violations_and_exits_1(tmp_path: Path, graph: Graph) -> None:
    graph.add((FORUM, HKG.funder, UNESCO))
    graph.set((UNESCO, OWL.sameAs, URIRef("https://en.wikipedia.org/wiki/UNESCO")))
    path = tmp_path / "kg.ttl"
    graph.serialize(path, format="turtle")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "does not conform (2 violations, 0 warnings)" in result.output
    assert "hkg:funder" in result.output and "owl:sameAs" in result.output


def test_cli_json(tmp_path: Path, graph: Graph) -> None:
    graph.remove((CHINA, RDFS.label, None))
    path = tmp_path / "kg.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["conforms"] is False and payload["file"] == str(path)
    assert [(v["focus"], v["path"], v["severity"]) for v in payload["violations"]] == \
        [(str(CHINA), str(RDFS.label), "Violation")]


def test_cli_unparsable_file_is_one_clean_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.trig"
    path.write_text("<a> <b> .", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"error: {path}: cannot parse as trig" in result.output
    assert "Traceback" not in result.output


def test_cli_rejects_unknown_format_option() -> None:
    result = runner.invoke(app, ["validate", str(FIXTURE), "--format", "xml"])
    assert result.exit_code == 2
