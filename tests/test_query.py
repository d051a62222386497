"""The query library answered on the fixture (every file, asserted rows), parameters, errors,
result formats through the CLI, and remote endpoints (a real Oxigraph server)."""
from __future__ import annotations

import base64
import csv
import http.server
import io
import json
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from oxigraph_server import OxigraphServer
from typer.testing import CliRunner

from heritagekg.cli import app
from heritagekg.errors import EndpointError, QueryError
from heritagekg.query import (QueryResult, bind, execute, list_queries, load_query, names_graphs, parse_params, parse_term,
                              python_value, queries_dir, run_endpoint, run_query)
from heritagekg.store import Store
from heritagekg.vocab import shorten

FIXTURE = Path(__file__).parent / "fixtures" / "sample.trig"
R = "https://w3id.org/heritagekg/id/"
F = "hkgr:forum/forum-on-global-knowledge-sharing-for-the-protection-of-human-cultural-heritage-and-creative-industries-2025-09-22"
E7 = "hkgr:expo/7th-silk-road-dunhuang-international-cultural-expo"
E8 = "hkgr:expo/8th-silk-road-dunhuang-international-cultural-expo"
PRJ = "hkgr:project/gansu-revitalization-and-innovation-project"
GANSU_DEPT = "hkgr:organization/gansu-provincial-department-of-culture-and-tourism"
PUBS = {"hkgr:publication/gansu-international-marketing-strategy", "hkgr:publication/gansu-tourism-human-capital-strategy",
        "hkgr:publication/leveraging-culture-and-creativity-for-sustainable-development-policy-guideline-for-gansus-"
        "cultural-and-creative-industries"}


def rows(result: QueryResult, *columns: str) -> list[tuple[Any, ...]]:
    """Rows as tuples of plain values (IRIs shortened to hkgr:/hkg:), in result order."""
    out = []
    for d in result.to_dicts():
        out.append(tuple(shorten(v) if isinstance(v, str) and v.startswith("http") else v
                         for v in (d.get(c) for c in columns)))
    return out


def ask(name: str, source: Any, **params: str) -> QueryResult:
    text, label = load_query(name)
    return run_query(text, source, parse_params(params), name=label)


# --- sources: the same answers from TriG, flattened Turtle, a store, and a union-only store ------

@pytest.fixture(scope="module", params=["trig", "turtle", "store", "union-only store"])
def source(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp(request.param.replace(" ", "-"))
    if request.param == "trig":
        return Store.open(FIXTURE)
    if request.param == "turtle":
        Store.open(FIXTURE).dump(tmp / "flat.ttl")
        return tmp / "flat.ttl"
    if request.param == "store":
        with Store(tmp / "kg") as store:
            store.load(FIXTURE)
        return tmp / "kg"
    raw = ox.Store()  # named graphs only: queries go through pyoxigraph's union default graph
    raw.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return raw


def test_every_library_query_has_a_question_and_is_tested() -> None:
    library = list_queries()
    assert {q.name for q in library} == set(EXPECTED_COUNTS)
    for q in library:
        assert q.text.startswith("# Question: "), q.path
        assert q.question.endswith("?"), q.name


EXPECTED_COUNTS = {
    "organizers": 7, "releases": 3, "event-overview": 3, "speakers": 2, "funders": 1, "labels": 62, "evidence": 44,
    "timeline": 3, "organization-events": 7, "co-organizers": 9, "publications-by-project": 3, "people": 2,
    "shared-entities": 5, "missing-labels": 3, "bilingual-entities": 23,
}


@pytest.mark.parametrize("name", sorted(EXPECTED_COUNTS))
def test_library_query_row_counts(name: str, source: Any) -> None:
    assert len(ask(name, source)) == EXPECTED_COUNTS[name]


def test_organizers(source: Any) -> None:
    got = rows(ask("organizers", source), "event", "organizer", "organizerType")
    assert sorted(got) == sorted([
        (E7, GANSU_DEPT, "Organization"), (E7, "hkgr:organization/gansu-provincial-peoples-government", "Organization"),
        (E7, "hkgr:organization/ministry-of-culture-and-tourism", "Organization"),
        (F, GANSU_DEPT, "Organization"), (F, "hkgr:organization/un-tourism", "Organization"),
        (F, "hkgr:organization/unesco-regional-office-for-east-asia", "Organization"),
        (F, "hkgr:organization/world-bank", "Organization")])
    narrowed = ask("organizers", source, event=f"<{R}expo/7th-silk-road-dunhuang-international-cultural-expo>")
    assert {r[0] for r in rows(narrowed, "event")} == {E7}
    assert len(narrowed) == 3


def test_releases_and_publications_by_project(source: Any) -> None:
    got = rows(ask("releases", source, event=F), "event", "publication", "project", "projectLabel")
    assert {r[1] for r in got} == PUBS
    assert {(r[0], r[2], r[3]) for r in got} == {(F, PRJ, "Gansu Revitalization and Innovation Project")}
    by_project = rows(ask("publications-by-project", source, project=PRJ), "project", "publication", "releasedAt")
    assert {r[1] for r in by_project} == PUBS and {r[2] for r in by_project} == {F}


def test_event_overview_and_timeline(source: Any) -> None:
    import datetime as dt

    overview = rows(ask("event-overview", source), "event", "eventType", "startDate", "location", "partOf")
    assert sorted(overview, key=str) == sorted([
        (E7, "Expo", "2024-09", "hkgr:place/dunhuang", None),
        (E8, "Expo", None, "hkgr:place/dunhuang", None),
        (F, "Forum", dt.date(2025, 9, 22), "hkgr:place/dunhuang-international-convention-and-exhibition-center", E8),
    ], key=str)
    timeline = rows(ask("timeline", source), "event", "startDate")
    assert [r[0] for r in timeline] == [E7, F, E8]  # 2024-09, 2025-09-22, then no date
    assert rows(ask("timeline", source, event=F), "partOfLabel") == [("8th Silk Road (Dunhuang) International Cultural Expo",)]


def test_speakers_and_people(source: Any) -> None:
    got = rows(ask("speakers", source), "event", "speakerLabel", "jobTitle", "affiliation")
    assert sorted(got) == sorted([(E7, "李明", "厅长", GANSU_DEPT),
                                  (F, "Qu Xing", "Deputy Director-General", "hkgr:organization/unesco")])
    people = rows(ask("people", source, organization="hkgr:organization/unesco"), "personLabel", "jobTitle")
    assert people == [("Qu Xing", "Deputy Director-General")]


def test_funders_and_organization_events(source: Any) -> None:
    assert rows(ask("funders", source), "project", "funder") == [(PRJ, "hkgr:organization/world-bank")]
    got = rows(ask("organization-events", source, organization=GANSU_DEPT), "role", "event", "startDate")
    assert [r[1] for r in got] == [E7, F]  # ordered by date
    assert {r[0] for r in got} == {"organizer"}


def test_co_organizers_are_unordered_pairs(source: Any) -> None:
    got = rows(ask("co-organizers", source), "organizer", "coOrganizer", "events")
    assert len({frozenset(r[:2]) for r in got}) == 9 == len(got)
    assert all(r[2] == 1 for r in got)
    assert (GANSU_DEPT, "hkgr:organization/ministry-of-culture-and-tourism", 1) in got


def test_labels_in_every_language(source: Any) -> None:
    got = rows(ask("labels", source, entity="hkgr:place/gansu"), "kind", "lang", "label", "sameAs")
    assert got == [("preferred", "en", "Gansu", "wd:Q42392"), ("preferred", "zh", "甘肃省", "wd:Q42392"),
                   ("alternative", "zh", "甘肃", "wd:Q42392")]


def test_evidence_of_a_triple(source: Any) -> None:
    got = sorted(rows(ask("evidence", source, subject=PRJ, predicate="hkg:funder"), "source", "object", "evidence",
                      "confidence", "extractor"))
    assert [(r[0], r[1], r[4]) for r in got] == [
        ("hkgr:article/dunhuang-expo-2024", "hkgr:organization/world-bank", "zh:world-bank-loan"),
        ("hkgr:article/dunhuang-forum-2025", "hkgr:organization/world-bank", "en:world-bank-loan")]
    assert got[0][2] == "世界银行贷款甘肃丝绸之路经济带文化传承与创新项目的阶段性成果在文博会期间展出。"
    assert got[1][2].startswith("As part of the Gansu Revitalization and Innovation Project (GRIP)")
    assert [float(r[3]) for r in got] == [0.85, 0.8]
    by_literal = rows(ask("evidence", source, object='"厅长"@zh'), "subject", "extractor")
    assert by_literal == [("hkgr:person/li-ming", "zh:speaker-title")]
    authority = [r for r in rows(ask("evidence", source), "evidence", "source") if r[1] == "hkgr:source/authority"]
    assert len(authority) == 5 and all(r[0] is None for r in authority)


def test_shared_missing_and_bilingual_entities(source: Any) -> None:
    shared = rows(ask("shared-entities", source), "entity", "articles")
    assert {r[0] for r in shared} == {"hkgr:place/dunhuang", "hkgr:place/gansu", GANSU_DEPT, PRJ,
                                      "hkgr:organization/world-bank"}
    assert {r[1] for r in shared} == {2}
    missing = rows(ask("missing-labels", source), "entity", "missing", "label")
    assert sorted(missing) == [("hkgr:person/li-ming", "en", "李明"), ("hkgr:topic/digital-protection", "en", "数字化保护"),
                               ("hkgr:topic/international-cooperation", "zh", "international cooperation")]
    bilingual = {r[0] for r in rows(ask("bilingual-entities", source), "entity")}
    assert F in bilingual and "hkgr:person/li-ming" not in bilingual and len(bilingual) == 23


# --- the seed article, built by the real pipeline ------------------------------------------------

def test_library_answers_on_the_seed_graph(seed_build: Any) -> None:
    store = Store.from_dataset(seed_build.dataset)
    organizers = {r[0] for r in rows(ask("organizers", store), "organizerLabel")}
    assert {"World Bank", "UN Tourism", "Gansu Provincial Department of Culture and Tourism"} <= organizers
    assert len(ask("releases", store)) == 3
    assert ("Qu Xing", "Deputy Director-General") in rows(ask("speakers", store), "speakerLabel", "jobTitle")
    assert ("World Bank",) in rows(ask("funders", store), "funderLabel")
    for q in list_queries():  # every file runs on a real build
        run_query(q.text, store, name=q.name)


# --- parameters --------------------------------------------------------------------------------

def test_bind_puts_values_first_in_the_where_group() -> None:
    text = load_query("organizers")[0]
    bound = bind(text, parse_params(["event=<https://example.org/e>"]))
    where = bound.index("WHERE {")
    assert bound[where:].startswith("WHERE { VALUES ?event { <https://example.org/e> }")
    assert bound.count("\n") == text.count("\n")  # line numbers of the user's text stay valid


@pytest.mark.parametrize("query, expected", [
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "WHERE { VALUES ?s"),
    ("SELECT (CONCAT('{', ?s) AS ?x) { ?s ?p ?o } # {", "{ VALUES ?s"),
    ("PREFIX a: <urn:x#> ASK FROM <urn:g> { ?s a:p ?o }", "<urn:g> { VALUES ?s"),
    ("SELECT * { SELECT ?s { ?s ?p ?o } }", "\nVALUES ?s"),          # bare sub-select: trailing VALUES
    ("CONSTRUCT WHERE { ?s ?p ?o }", "\nVALUES ?s"),                 # short form: trailing VALUES
])
def test_bind_handles_query_forms(query: str, expected: str) -> None:
    bound = bind(query, parse_params(["s=<urn:x:a>"]))
    assert expected in bound
    ox.Store().query(bound)  # still valid SPARQL


def test_parameter_values_cannot_change_the_query() -> None:
    for evil in ['<urn:a> } } DELETE WHERE { ?s ?p ?o } #', '"a" . <x> <y> <z>', "<http://a b>", "_:b0"]:
        with pytest.raises(QueryError):
            parse_term(evil)
    term = parse_term('"} DROP ALL #"')  # a literal that looks like SPARQL stays one literal
    assert isinstance(term, ox.Literal) and term.value == "} DROP ALL #"
    bound = bind("SELECT ?x WHERE { ?x ?p ?o }", {"o": [term]})
    assert bound == 'SELECT ?x WHERE { VALUES ?o { "} DROP ALL #" }  ?x ?p ?o }'
    assert len(run_query("SELECT ?x WHERE { ?x ?p ?o }", Store.open(FIXTURE), {"o": [term]})) == 0


@pytest.mark.parametrize("text, expected", [
    ("<https://example.org/x>", ox.NamedNode("https://example.org/x")),
    ("https://example.org/x", ox.NamedNode("https://example.org/x")),
    ("hkgr:organization/unesco", ox.NamedNode(R + "organization/unesco")),
    ('"曲星"@zh', ox.Literal("曲星", language="zh")),
    ('"2025-09-22"^^xsd:date', ox.Literal("2025-09-22", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))),
    ("40", ox.Literal("40", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
    ("World Bank", ox.Literal("World Bank")),
])
def test_parse_term(text: str, expected: Any) -> None:
    assert parse_term(text) == expected


def test_unknown_parameter_and_bad_pairs_are_explained() -> None:
    with pytest.raises(QueryError, match=r"no variable \?nope .*event"):
        bind(load_query("organizers")[0], parse_params(["nope=1"]))
    with pytest.raises(QueryError, match="NAME=VALUE"):
        parse_params(["event"])
    with pytest.raises(QueryError, match="already ends with a VALUES"):
        bind("SELECT * { SELECT ?s { ?s ?p ?o } } VALUES ?s { <urn:a> }", parse_params(["s=<urn:b>"]))


# --- errors --------------------------------------------------------------------------------------

def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("PREFIX hkg: <https://w3id.org/heritagekg/ontology#>\nSELECT ?e WHERE {\n  ?e hkg:organizer\n}\n")
    with pytest.raises(QueryError, match=r"bad\.rq: syntax error at line 4, column 1 .*expected"):
        execute(str(bad), FIXTURE)
    with pytest.raises(QueryError, match=r"line 4, column 1 "):  # same position with a parameter bound
        execute(str(bad), FIXTURE, params=["e=<urn:x>"])


def test_unknown_query_name_lists_the_library() -> None:
    with pytest.raises(QueryError) as err:
        load_query("organisers")
    message = str(err.value)
    assert "unknown query 'organisers'" in message
    assert all(name in message for name in ("organizers", "timeline", "co-organizers", "missing-labels"))
    assert queries_dir().name == "queries"


# --- the CLI -------------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_csv_tsv_json_xml() -> None:
    base = ["query", "organizers", str(FIXTURE), "--param", f"event={E7}"]
    out = runner.invoke(app, [*base, "--format", "csv"])
    assert out.exit_code == 0, out.output
    table = list(csv.reader(io.StringIO(out.stdout)))
    assert table[0] == ["event", "eventLabel", "organizer", "organizerLabel", "organizerType"]
    assert len(table) == 4 and table[1][0] == R + "expo/7th-silk-road-dunhuang-international-cultural-expo"
    tsv = runner.invoke(app, [*base, "--format", "tsv"]).stdout.splitlines()
    assert tsv[0].split("\t")[0] == "?event" and tsv[1].startswith("<https://")
    data = json.loads(runner.invoke(app, [*base, "--format", "json"]).stdout)
    assert data["head"]["vars"][0] == "event" and len(data["results"]["bindings"]) == 3
    assert data["results"]["bindings"][0]["eventLabel"]["xml:lang"] == "en"
    xml = ET.fromstring(runner.invoke(app, [*base, "--format", "xml"]).stdout)
    assert len(xml.findall(".//{http://www.w3.org/2005/sparql-results#}result")) == 3


def test_cli_table_expression_construct_and_list(tmp_path: Path) -> None:
    out = runner.invoke(app, ["query", "people", str(FIXTURE)])
    assert out.exit_code == 0 and "Qu Xing" in out.stdout and "李明" in out.stdout
    out = runner.invoke(app, ["query", "-e", "ASK { ?f a hkg:Forum }", str(FIXTURE)])
    assert out.stdout.strip() == "true"
    out = runner.invoke(app, ["query", "-e", "CONSTRUCT { ?f a hkg:Forum } WHERE { ?f a hkg:Forum }", str(FIXTURE),
                              "-o", str(tmp_path / "forum.ttl")])
    assert out.exit_code == 0
    triples = list(ox.parse(path=str(tmp_path / "forum.ttl"), format=ox.RdfFormat.TURTLE))
    assert len(triples) == 1 and triples[0].object.value.endswith("#Forum")
    out = runner.invoke(app, ["query", "--list"])
    assert "co-organizers" in out.stdout and "organizers" in out.stdout


def test_cli_errors_are_one_line() -> None:
    out = runner.invoke(app, ["query", "-e", "SELECT ?x WHERE { ?x a }", str(FIXTURE)])
    assert out.exit_code == 1
    assert "syntax error at line 1, column" in out.stderr
    out = runner.invoke(app, ["query", "nope", str(FIXTURE)])
    assert out.exit_code == 1 and "available: bilingual-entities" in out.stderr
    out = runner.invoke(app, ["query", "timeline", str(FIXTURE), "--format", "turtle"])
    assert out.exit_code == 1 and "use --format table|json|xml|csv|tsv" in out.stderr


# --- endpoints -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A plain `oxigraph serve` on a store written by Store: the merged view needs no union flag."""
    location = tmp_path_factory.mktemp("oxigraph") / "kg"
    with Store(location) as store:
        store.load(FIXTURE)
    server = OxigraphServer(location).start()
    try:
        yield server
    finally:
        server.stop()


def test_endpoint_select_construct_and_params(oxigraph: OxigraphServer) -> None:
    text = load_query("organizers")[0]
    result = run_endpoint(text, oxigraph.query_url, parse_params([f"event={E7}"]))
    assert sorted(r[0] for r in rows(result, "organizerLabel")) == [
        "Gansu Provincial Department of Culture and Tourism", "Gansu Provincial People's Government",
        "Ministry of Culture and Tourism"]
    graph = run_endpoint("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 3", oxigraph.query_url)
    assert graph.kind == "graph" and len(graph.triples) == 3
    out = runner.invoke(app, ["query", "timeline", "--endpoint", oxigraph.query_url, "--format", "csv"])
    assert out.exit_code == 0 and out.stdout.startswith("startDate,")
    with pytest.raises(QueryError, match="rejected the query"):
        run_endpoint("SELECT ?x WHERE { ?x }", oxigraph.query_url)


class _AuthEndpoint(http.server.BaseHTTPRequestHandler):
    """A stand-in for a password-protected remote endpoint: 401 without the right basic auth."""

    accepted = ("Basic " + base64.b64encode(b"analyst:s3cret").decode(), "Bearer t0ken")

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Authorization") not in self.accepted:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="sparql"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
            {"n": {"type": "literal", "value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_endpoint_basic_auth_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _AuthEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        with pytest.raises(EndpointError, match="401"):
            run_endpoint("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", url)
        monkeypatch.setenv("HERITAGEKG_ENDPOINT_TOKEN", "t0ken")
        assert len(run_endpoint("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", url)) == 1
        monkeypatch.delenv("HERITAGEKG_ENDPOINT_TOKEN")
        monkeypatch.setenv("HERITAGEKG_ENDPOINT_USER", "analyst")
        monkeypatch.setenv("HERITAGEKG_ENDPOINT_PASSWORD", "s3cret")
        result = run_endpoint("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", url)
        assert python_value(result.rows[0][0]) == 7
    finally:
        server.shutdown()
        server.server_close()


def test_unreachable_endpoint_fails_in_seconds() -> None:
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    start = time.monotonic()
    out = runner.invoke(app, ["query", "organizers", "--endpoint", f"http://127.0.0.1:{port}/sparql"])
    assert time.monotonic() - start < 5
    assert out.exit_code == 1 and f"cannot connect to 127.0.0.1:{port}" in out.stderr


def test_silent_endpoint_times_out() -> None:
    with socket.socket() as sock:  # accepts connections (kernel backlog) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        start = time.monotonic()
        with pytest.raises(EndpointError, match="no answer within 1 s"):
            run_endpoint("ASK {}", f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", timeout=1)
        assert time.monotonic() - start < 5


@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", True),
    ("select * from <http://x/g> where { ?s ?p ?o }", True),
    ("SELECT * FROM NAMED <http://x/g> WHERE { graph ?g { ?s ?p ?o } }", True),
    ('SELECT * WHERE { ?s ?p "GRAPH" } # GRAPH in a comment', False),
    ("PREFIX graph: <http://x/> SELECT * WHERE { ?s graph:from ?o }", False),
    ("SELECT ?graph WHERE { ?graph ?p <http://x/GRAPH> }", False),
])
def test_names_graphs_reads_keywords_not_strings_iris_or_names(query: str, expected: bool) -> None:
    assert names_graphs(query) is expected


def test_local_results_keep_rows_as_sequences_and_pickle_as_tuples(tmp_path: Path) -> None:
    import pickle

    result = run_query("SELECT ?o ?missing WHERE { ?s <https://w3id.org/heritagekg/ontology#organizer> ?o } ORDER BY ?o",
                       FIXTURE)
    assert len(result) > 1 and all(len(row) == 2 and row[1] is None for row in result.rows)
    copy = pickle.loads(pickle.dumps(result))
    assert copy.rows == [tuple(row) for row in result.rows] and copy.variables == ["o", "missing"]
    assert all(isinstance(term, ox.NamedNode) for term in copy.column("o"))
