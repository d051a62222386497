"""Publishing to a real Oxigraph server: round trips by each protocol, whole-or-nothing replace,
a server stopped mid-export, retries, credentials that never leak, and 200,000 triples in chunks.

When Debian's virtuoso-opensource is installed, the round trip also runs against Virtuoso with
real digest auth (tests/virtuoso_server.py); otherwise those tests skip.

Read-back goes through SPARQLWrapper, as an analyst's client would. Oxigraph stores numeric
literals in canonical form ("1.0"^^xsd:decimal is stored as "1"), so triples are compared after
loading both sides into a pyoxigraph store, which canonicalizes the same way.
"""
from __future__ import annotations

import base64
import http.server
import itertools
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare
from oxigraph_server import OxigraphServer
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from typer.testing import CliRunner

from heritagekg.cli import app
from heritagekg.describe import DatasetMetadata, validate_description
from heritagekg.errors import EndpointError
from heritagekg.export import (
    ExportProgress,
    chunk_triples,
    export_graph,
    resolve_endpoints,
)

pytestmark = pytest.mark.server

FIXTURE = Path(__file__).parent / "fixtures" / "export_sample.trig"
ID = "https://w3id.org/heritagekg/id/"
FORUM = ID + "article/living-heritage-forum-2024"
EXPO = ID + "article/silk-road-expo-2023"
DATASET = ID + "dataset"
VOID_GRAPH = DATASET + "/void"
FAST = {"backoff": 0.05}


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A real Oxigraph server on an on-disk store (restartable: the fault tests need it)."""
    with OxigraphServer(tmp_path / "oxigraph-store") as server:
        yield server


@pytest.fixture
def oxigraph_memory_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A real Oxigraph server on an in-memory store, for the 200k-triple export."""
    with OxigraphServer(None, log_path=tmp_path / "oxigraph-memory.log") as server:
        yield server


# --- reading the server back (SPARQLWrapper) --------------------------------------------------

def select(server: OxigraphServer, query: str) -> list[dict[str, str]]:
    client = SPARQLWrapper(server.query_url)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    return [{k: v["value"] for k, v in row.items()} for row in result["results"]["bindings"]]


def graph_counts(server: OxigraphServer) -> dict[str, int]:
    rows = select(server, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]: int(row["n"]) for row in rows}


def temp_graphs(server: OxigraphServer) -> list[str]:
    return sorted(g for g in graph_counts(server) if "-tmp-" in g)


def served_triples(server: OxigraphServer, graph: str) -> set[str]:
    client = SPARQLWrapper(server.query_url)
    client.setQuery(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    client.setReturnFormat(TURTLE)
    data = client.query().convert()
    return canonical(ox.parse(data, format=ox.RdfFormat.TURTLE))


def served_rdflib(server: OxigraphServer, graph: str) -> rdflib.Graph:
    client = SPARQLWrapper(server.query_url)
    client.setQuery(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    client.setReturnFormat(TURTLE)
    return rdflib.Graph().parse(data=client.query().convert(), format="turtle")


def canonical(triples: object) -> set[str]:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)  # type: ignore[attr-defined]
    return {str(q.triple) for q in store}


def local_graphs(source: Path | ox.Store) -> dict[str, set[str]]:
    store = source if isinstance(source, ox.Store) else ox.Store()
    if not isinstance(source, ox.Store):
        store.load(path=str(source), format=ox.RdfFormat.TRIG)
    return {g.value: canonical(q.triple for q in store.quads_for_pattern(None, None, None, g))
            for g in store.named_graphs()}


def rdflib_counts(path: Path) -> dict[str, int]:
    """Per-graph triple counts by an independent parser."""
    ds = rdflib.Dataset()
    ds.parse(path, format="trig")
    return {str(g.identifier): len(g) for g in ds.graphs() if len(g)}


def data_graphs(server: OxigraphServer) -> dict[str, set[str]]:
    return {g: served_triples(server, g) for g in graph_counts(server)
            if g != VOID_GRAPH and "-tmp-" not in g}


# --- round trips ------------------------------------------------------------------------------

@pytest.mark.parametrize("protocol,expected", [("gsp", "gsp"), ("update", "update"), ("auto", "gsp")])
def test_round_trip_by_each_protocol(oxigraph_server: OxigraphServer, protocol: str, expected: str) -> None:
    report = export_graph(FIXTURE, oxigraph_server.url, protocol=protocol, chunk_size=25)  # type: ignore[arg-type]
    assert report.protocol == expected
    assert report.chunks > 4  # 71 + 55 triples at 25 a request, plus the description
    assert report.graphs == rdflib_counts(FIXTURE) == {FORUM: 71, EXPO: 55}
    counts = graph_counts(oxigraph_server)
    assert {g: counts[g] for g in (FORUM, EXPO)} == {FORUM: 71, EXPO: 55}
    assert data_graphs(oxigraph_server) == local_graphs(FIXTURE)
    assert temp_graphs(oxigraph_server) == []
    assert counts[VOID_GRAPH] == report.description_triples


def test_auto_falls_back_to_update_without_a_graph_store(oxigraph_server: OxigraphServer) -> None:
    sparql = f"{oxigraph_server.url}/sparql"  # one URL for query and update, no GSP endpoint known
    report = export_graph(FIXTURE, sparql, chunk_size=40)
    assert report.protocol == "update"
    assert data_graphs(oxigraph_server) == local_graphs(FIXTURE)
    with pytest.raises(EndpointError, match="--protocol gsp needs a Graph Store endpoint"):
        export_graph(FIXTURE, sparql, protocol="gsp")


def test_published_description_conforms_and_lists_the_graphs(oxigraph_server: OxigraphServer) -> None:
    export_graph(FIXTURE, oxigraph_server.url)
    description = served_rdflib(oxigraph_server, VOID_GRAPH)
    conforms, report = validate_description(description)
    assert conforms, report
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    ds = rdflib.URIRef(DATASET)
    assert set(description.subjects(void.inDataset, ds)) == {rdflib.URIRef(FORUM), rdflib.URIRef(EXPO)}
    assert description.value(ds, void.sparqlEndpoint) == rdflib.URIRef(oxigraph_server.query_url)
    assert int(description.value(ds, void.triples)) == 122


def test_one_graph_and_a_flat_file(oxigraph_server: OxigraphServer, tmp_path: Path) -> None:
    everything = local_graphs(FIXTURE)[FORUM] | local_graphs(FIXTURE)[EXPO]
    report = export_graph(FIXTURE, oxigraph_server.url, graph="https://example.org/graph/all")
    assert report.graphs == {"https://example.org/graph/all": 122}
    assert served_triples(oxigraph_server, "https://example.org/graph/all") == everything
    # a Turtle file has no graph names: its triples go to the graph named by the dataset IRI
    flat = tmp_path / "flat.ttl"
    store = ox.Store()
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    ox.serialize((q.triple for q in store), str(flat), format=ox.RdfFormat.TURTLE)
    report = export_graph(flat, oxigraph_server.url, dataset_iri="https://example.org/flat")
    assert report.graphs == {"https://example.org/flat": 122}
    assert served_triples(oxigraph_server, "https://example.org/flat") == everything
    assert "https://example.org/flat/void" in graph_counts(oxigraph_server)


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_blank_nodes_survive_one_triple_chunks(oxigraph_server: OxigraphServer, tmp_path: Path,
                                               protocol: str) -> None:
    source = tmp_path / "blank.ttl"
    source.write_text("""
        @prefix hkg: <https://w3id.org/heritagekg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/heritagekg/id/project/p> hkg:fundingAmount 5 ;
            hkg:about [ rdfs:label "a" ; hkg:locatedIn [ rdfs:label "b" ; hkg:locatedIn [ rdfs:label "c" ] ] ] ,
                      [ rdfs:label "d" ] .
        [] rdfs:label "e" ; hkg:about [ rdfs:label "a" ] .
    """, encoding="utf-8")
    expected = rdflib.Graph().parse(source, format="turtle")
    for _release in range(2):  # the second replace swaps over a filled graph (difference path)
        export_graph(source, oxigraph_server.url, protocol=protocol, chunk_size=1,  # type: ignore[arg-type]
                     graph="https://example.org/blank", describe=False)
        served = served_rdflib(oxigraph_server, "https://example.org/blank")
        assert len(served) == len(expected) and rdflib.compare.isomorphic(served, expected)


def test_chunks_keep_blank_node_groups_whole() -> None:
    b1, b2 = ox.BlankNode(), ox.BlankNode()
    p, s = ox.NamedNode("http://example.org/p"), ox.NamedNode("http://example.org/s")
    triples = [ox.Triple(s, p, b1), ox.Triple(b1, p, b2), ox.Triple(b2, p, ox.Literal("x"))]
    triples += [ox.Triple(s, p, ox.Literal(str(i))) for i in range(5)]
    chunks = chunk_triples(triples, 2)
    assert sum(len(c) for c in chunks) == 8
    with_blanks = [c for c in chunks if any(isinstance(t.object, ox.BlankNode) or isinstance(t.subject, ox.BlankNode)
                                            for t in c)]
    assert len(with_blanks) == 1 and len(with_blanks[0]) >= 3


# --- whole or nothing -------------------------------------------------------------------------

def _second_release(tmp_path: Path) -> Path:
    """The fixture minus the Expo article, with one label changed and one fact added."""
    store = ox.Store()
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    store.remove_graph(ox.NamedNode(EXPO))
    forum = ox.NamedNode(FORUM)
    paris = ox.NamedNode(ID + "place/paris")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.remove(ox.Quad(paris, label, ox.Literal("Paris", language="en"), forum))
    store.add(ox.Quad(paris, label, ox.Literal("Paris (France)", language="en"), forum))
    store.add(ox.Quad(paris, ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs"),
                      ox.NamedNode("http://www.wikidata.org/entity/Q90"), forum))
    path = tmp_path / "release2.trig"
    store.dump(str(path), format=ox.RdfFormat.TRIG)
    return path


def test_replace_twice_leaves_exactly_the_new_data(oxigraph_server: OxigraphServer, tmp_path: Path) -> None:
    other = "https://example.org/not-ours"
    sparql_update(oxigraph_server, f"INSERT DATA {{ GRAPH <{other}> {{ <urn:a> <urn:b> <urn:c> }} }}")
    export_graph(FIXTURE, oxigraph_server.url, metadata=DatasetMetadata(issued=__import__("datetime").date(2020, 1, 1)))
    release2 = _second_release(tmp_path)
    report = export_graph(release2, oxigraph_server.url, mode="replace")
    assert report.removed_graphs == [EXPO]
    assert data_graphs(oxigraph_server) == {**local_graphs(release2), other: {"<urn:a> <urn:b> <urn:c>"}}
    served = served_triples(oxigraph_server, FORUM)
    assert '<https://w3id.org/heritagekg/id/place/paris> <http://www.w3.org/2000/01/rdf-schema#label> "Paris"@en' \
        not in served
    description = served_rdflib(oxigraph_server, VOID_GRAPH)
    ds = rdflib.URIRef(DATASET)
    dcterms = rdflib.Namespace("http://purl.org/dc/terms/")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert int(description.value(ds, void.triples)) == len(local_graphs(release2)[FORUM])
    assert str(description.value(ds, dcterms.issued)) == "2020-01-01"  # first issue date kept
    assert set(description.subjects(void.inDataset, ds)) == {rdflib.URIRef(FORUM)}
    assert temp_graphs(oxigraph_server) == []


def sparql_update(server: OxigraphServer, update: str) -> None:
    client = SPARQLWrapper(server.query_url, updateEndpoint=server.update_url)
    client.setMethod(POST)
    client.setQuery(update)
    client.query()


def test_append_adds_and_describes_the_union(oxigraph_server: OxigraphServer, tmp_path: Path) -> None:
    full = ox.Store()
    full.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    forum_only, expo_only = ox.Store(), ox.Store()
    forum_only.extend(full.quads_for_pattern(None, None, None, ox.NamedNode(FORUM)))
    expo_only.extend(full.quads_for_pattern(None, None, None, ox.NamedNode(EXPO)))
    export_graph(forum_only, oxigraph_server.url)
    report = export_graph(expo_only, oxigraph_server.url, mode="append", protocol="update")
    assert report.mode == "append" and report.graphs == {EXPO: 55}
    assert data_graphs(oxigraph_server) == local_graphs(FIXTURE)
    description = served_rdflib(oxigraph_server, VOID_GRAPH)
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert int(description.value(rdflib.URIRef(DATASET), void.triples)) == 122
    assert validate_description(description)[0]
    assert temp_graphs(oxigraph_server) == []


def _big_release(n: int) -> ox.Store:
    """n synthetic triples in the fixture's two article graphs."""
    store = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.bulk_extend(ox.Quad(ox.NamedNode(f"{ID}person/synthetic-{i}"), label,
                              ox.Literal(f"Person {i}", language="en"), ox.NamedNode(FORUM if i % 2 else EXPO))
                      for i in range(n))
    return store


def _export_and_stop_server_after_first_chunk(server: OxigraphServer) -> EndpointError:
    seen: list[ExportProgress] = []

    def stop_server(progress: ExportProgress) -> None:
        seen.append(progress)
        if len(seen) == 1:
            server.stop()

    with pytest.raises(EndpointError) as failure:
        export_graph(_big_release(6000), server.url, chunk_size=500, progress=stop_server, **FAST)
    assert len(seen) == 1  # nothing after the first chunk got through
    return failure.value


def test_server_stopped_mid_replace_then_cleanup(oxigraph_server: OxigraphServer) -> None:
    export_graph(FIXTURE, oxigraph_server.url)
    before = data_graphs(oxigraph_server)
    before_void = served_triples(oxigraph_server, VOID_GRAPH)

    error = _export_and_stop_server_after_first_chunk(oxigraph_server)
    message = str(error)
    assert "cannot connect" in message and "failed after 4 tries" in message
    assert "nothing was published" in message and "--cleanup" in message

    oxigraph_server.start()
    assert data_graphs(oxigraph_server) == before  # the previous graphs are intact
    assert served_triples(oxigraph_server, VOID_GRAPH) == before_void
    leftovers = temp_graphs(oxigraph_server)
    assert len(leftovers) == 1 and leftovers[0].startswith(FORUM + "-tmp-")  # the first chunk landed

    result = CliRunner().invoke(app, ["export", "--cleanup", "--endpoint", oxigraph_server.url])
    assert result.exit_code == 0, result.output
    assert "removed 1 temporary graph" in result.output and leftovers[0] in result.output
    assert temp_graphs(oxigraph_server) == []
    assert data_graphs(oxigraph_server) == before


def test_next_export_removes_leftovers(oxigraph_server: OxigraphServer, tmp_path: Path) -> None:
    export_graph(FIXTURE, oxigraph_server.url)
    _export_and_stop_server_after_first_chunk(oxigraph_server)
    oxigraph_server.start()
    leftovers = temp_graphs(oxigraph_server)
    assert leftovers
    release2 = _second_release(tmp_path)
    report = export_graph(release2, oxigraph_server.url)
    assert report.removed_temp_graphs == leftovers
    assert temp_graphs(oxigraph_server) == []
    assert data_graphs(oxigraph_server) == local_graphs(release2)


def test_client_error_reports_the_server_message(oxigraph_server: OxigraphServer) -> None:
    export_graph(FIXTURE, oxigraph_server.url)
    before = data_graphs(oxigraph_server)
    # an update sent to the query endpoint: Oxigraph refuses it with a 4xx and says why
    with pytest.raises(EndpointError) as failure:
        export_graph(FIXTURE, oxigraph_server.url, protocol="update", update_endpoint=oxigraph_server.query_url)
    message = str(failure.value)
    assert "HTTP 4" in message and oxigraph_server.query_url in message
    assert message.split("HTTP 4", 1)[1].split(":", 1)[1].strip()  # the server's own words follow
    assert data_graphs(oxigraph_server) == before
    assert temp_graphs(oxigraph_server) == []


def test_cli_export_prints_what_it_published(oxigraph_server: OxigraphServer) -> None:
    result = CliRunner().invoke(app, ["export", str(FIXTURE), "--endpoint", oxigraph_server.url,
                                      "--chunk-size", "50"])
    assert result.exit_code == 0, result.output
    assert "published 126 triples in 2 graphs" in result.output
    assert f"<{FORUM}>  71 triples" in result.output
    assert f"description: <{VOID_GRAPH}>" in result.output
    bad = CliRunner().invoke(app, ["export", str(FIXTURE), "--endpoint", oxigraph_server.url,
                                   "--protocol", "ftp"])
    assert bad.exit_code != 0 and "--protocol" in bad.output


def test_200k_triples_in_chunks(oxigraph_memory_server: OxigraphServer, record_property: object) -> None:
    # in-memory store: on disk the same export takes ~20 s here, most of it Oxigraph's transactional
    # ADD into the target and DROP of the temporary graph (measured in the issue 6 report)
    server = oxigraph_memory_server
    store = ox.Store()
    store.bulk_extend(ox.Quad(ox.NamedNode(f"{ID}statement/s{i // 4}"), ox.NamedNode(f"{ID}p{i % 4}"),
                              ox.Literal(f"value {i}", language="en"), ox.NamedNode(f"{ID}article/synthetic-{i % 20}"))
                      for i in range(200_000))
    chunks: list[int] = []
    started = time.perf_counter()
    report = export_graph(store, server.url, chunk_size=10_000,
                          progress=lambda p: chunks.append(p.triples_sent))
    seconds = time.perf_counter() - started
    record_property("export_200k_seconds", round(seconds, 2))  # type: ignore[operator]
    print(f"\nexported 200,000 triples in {report.chunks} requests, {seconds:.1f} s")
    assert report.total_triples == 200_000
    assert report.chunks >= 20 and len(chunks) == report.chunks
    assert chunks == sorted(chunks) and chunks[-1] == 200_000 + report.description_triples
    counts = graph_counts(server)
    assert sum(n for g, n in counts.items() if g != VOID_GRAPH) == 200_000
    assert temp_graphs(server) == []


# --- retries and credentials (a tiny loopback HTTP server) ------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every request with the server's configured status, recording what it got."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        server = self.server
        server.requests.append((time.monotonic(), self.command, dict(self.headers)))  # type: ignore[attr-defined]
        status, headers, body = server.reply(self)  # type: ignore[attr-defined]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        data = body.encode("utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_HEAD(self) -> None:
        self._answer()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_server() -> Iterator[http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _url(server: http.server.ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def test_5xx_is_retried_with_backoff_then_reported(fake_server: http.server.ThreadingHTTPServer) -> None:
    fake_server.reply = lambda h: (503, {"Content-Type": "text/plain"}, "store is busy")  # type: ignore[attr-defined]
    with pytest.raises(EndpointError, match=r"failed after 4 tries: HTTP 503: store is busy"):
        export_graph(FIXTURE, _url(fake_server), protocol="update", backoff=0.05)
    times = [t for t, _m, _h in fake_server.requests]  # type: ignore[attr-defined]
    assert len(times) == 4
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert gaps[0] >= 0.04 and gaps[2] > gaps[0]  # exponential backoff


def _unauthorized_echoing_credentials(handler: http.server.BaseHTTPRequestHandler) -> tuple[int, dict, str]:
    """A careless server: its 401 page repeats the Authorization header it received."""
    challenge = 'Digest realm="test", nonce="abc123", qop="auth"' if handler.server.scheme == "digest" \
        else f'{handler.server.scheme.capitalize()} realm="test"'  # type: ignore[attr-defined]
    return 401, {"WWW-Authenticate": challenge}, f"Unauthorized. You sent: {handler.headers.get('Authorization')}"


@pytest.mark.parametrize("scheme,env,secret", [
    ("basic", {"HERITAGEKG_ENDPOINT_USER": "alice", "HERITAGEKG_ENDPOINT_PASSWORD": "s3cret-PASS-7781"},
     "s3cret-PASS-7781"),
    ("digest", {"HERITAGEKG_ENDPOINT_USER": "alice", "HERITAGEKG_ENDPOINT_PASSWORD": "s3cret-PASS-7781",
                "HERITAGEKG_ENDPOINT_AUTH": "digest"}, "s3cret-PASS-7781"),
    ("bearer", {"HERITAGEKG_ENDPOINT_TOKEN": "tok-XYZZY-9931"}, "tok-XYZZY-9931"),
])
def test_401_names_the_auth_problem_without_the_secret(fake_server: http.server.ThreadingHTTPServer,
                                                       monkeypatch: pytest.MonkeyPatch, scheme: str,
                                                       env: dict[str, str], secret: str) -> None:
    fake_server.scheme = scheme  # type: ignore[attr-defined]
    fake_server.reply = _unauthorized_echoing_credentials  # type: ignore[attr-defined]
    for name in ("HERITAGEKG_ENDPOINT_USER", "HERITAGEKG_ENDPOINT_PASSWORD", "HERITAGEKG_ENDPOINT_TOKEN",
                 "HERITAGEKG_ENDPOINT_AUTH"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["export", str(FIXTURE), "--endpoint", _url(fake_server)])
    assert result.exit_code != 0
    output = result.output
    assert "HTTP 401" in output and "rejected the credentials" in output and f"{scheme} auth" in output
    assert secret not in output
    assert base64.b64encode(f"alice:{secret}".encode()).decode() not in output
    # the credentials really were offered, in the scheme asked for
    sent = [h.get("Authorization", "") for _t, _m, h in fake_server.requests]  # type: ignore[attr-defined]
    if scheme == "basic":
        assert f"Basic {base64.b64encode(b'alice:s3cret-PASS-7781').decode()}" in sent
    elif scheme == "digest":
        digest = [h for h in sent if h.startswith("Digest ")]
        assert digest and 'username="alice"' in digest[0] and secret not in digest[0]
    else:
        assert f"Bearer {secret}" in sent


def test_401_without_credentials_says_how_to_give_them(fake_server: http.server.ThreadingHTTPServer,
                                                      monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake_server.scheme = "basic"  # type: ignore[attr-defined]
    fake_server.reply = _unauthorized_echoing_credentials  # type: ignore[attr-defined]
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    with pytest.raises(EndpointError) as failure:
        export_graph(FIXTURE, _url(fake_server), environ={})
    assert "requires authentication (HTTP 401" in str(failure.value)
    assert "HERITAGEKG_ENDPOINT_USER" in str(failure.value)


def test_netrc_credentials_are_used_and_redacted(fake_server: http.server.ThreadingHTTPServer,
                                                 monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake_server.scheme = "basic"  # type: ignore[attr-defined]
    fake_server.reply = _unauthorized_echoing_credentials  # type: ignore[attr-defined]
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login bob password netrc-PW-5150\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    with pytest.raises(EndpointError) as failure:
        export_graph(FIXTURE, _url(fake_server), environ={})
    message = str(failure.value)
    assert "basic auth as user 'bob' from netrc" in message
    assert "netrc-PW-5150" not in message and base64.b64encode(b"bob:netrc-PW-5150").decode() not in message
    sent = [h.get("Authorization", "") for _t, _m, h in fake_server.requests]  # type: ignore[attr-defined]
    assert f"Basic {base64.b64encode(b'bob:netrc-PW-5150').decode()}" in sent


def test_credentials_in_the_url_are_refused_without_echo() -> None:
    result = CliRunner().invoke(app, ["export", str(FIXTURE), "--endpoint", "http://alice:hunter2-URL@127.0.0.1:9/"])
    assert result.exit_code != 0
    assert "credentials do not belong in the URL" in result.output
    assert "hunter2-URL" not in result.output


def test_endpoint_layouts() -> None:
    oxigraph = resolve_endpoints("http://127.0.0.1:7878/")
    assert (oxigraph.query, oxigraph.update, oxigraph.gsp) == (
        "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store")
    assert resolve_endpoints("http://127.0.0.1:7878/query") == oxigraph
    virtuoso = resolve_endpoints("http://127.0.0.1:8890/sparql")
    assert (virtuoso.query, virtuoso.update, virtuoso.gsp) == (
        "http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql", None)
    fuseki = resolve_endpoints("http://127.0.0.1:3030/ds", gsp_endpoint="http://127.0.0.1:3030/ds/data")
    assert (fuseki.query, fuseki.update, fuseki.gsp) == (
        "http://127.0.0.1:3030/ds/query", "http://127.0.0.1:3030/ds/update", "http://127.0.0.1:3030/ds/data")
    with pytest.raises(EndpointError):
        resolve_endpoints(None)


# --- optional: the same round trip against Virtuoso (Debian virtuoso-opensource) --------------

@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from virtuoso_server import VIRTUOSO_BIN, VirtuosoServer

    if VIRTUOSO_BIN is None:
        pytest.skip("virtuoso-t not installed (apt-get install virtuoso-opensource)")
    with VirtuosoServer(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def _whole_decimal_as_integer(triple: str) -> str:
    """Virtuoso stores numbers as SQL numbers: a whole xsd:decimal ("1.0", "1500000.00") comes
    back as xsd:integer. Same value; we compare modulo that quirk (documented in the report)."""
    return re.sub(r'"(-?\d+)"\^\^<http://www.w3.org/2001/XMLSchema#decimal>',
                  r'"\1"^^<http://www.w3.org/2001/XMLSchema#integer>', triple)


def _virtuoso_graph(server: object, graph: str) -> set[str]:
    client = SPARQLWrapper(server.sparql_url)  # type: ignore[attr-defined]
    client.setQuery(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    client.setReturnFormat(TURTLE)
    return canonical(ox.parse(client.query().convert(), format=ox.RdfFormat.TURTLE))


@pytest.mark.parametrize("protocol", ["update", "gsp"])
def test_virtuoso_round_trip_with_digest_auth(virtuoso: object, protocol: str) -> None:
    env = {"HERITAGEKG_ENDPOINT_USER": "dba", "HERITAGEKG_ENDPOINT_PASSWORD": "dba",
           "HERITAGEKG_ENDPOINT_AUTH": "digest"}
    report = export_graph(FIXTURE, virtuoso.sparql_auth_url, gsp_endpoint=virtuoso.gsp_auth_url,  # type: ignore[attr-defined]
                          protocol=protocol, chunk_size=40, environ=env)  # type: ignore[arg-type]
    assert report.protocol == protocol and report.graphs == {FORUM: 71, EXPO: 55}
    expected = {g: {_whole_decimal_as_integer(t) for t in triples} for g, triples in local_graphs(FIXTURE).items()}
    assert {g: _virtuoso_graph(virtuoso, g) for g in (FORUM, EXPO)} == expected
    lines = "".join(f"{triple} .\n" for triple in _virtuoso_graph(virtuoso, VOID_GRAPH))
    description = rdflib.Graph().parse(data=lines, format="nt")
    conforms, text = validate_description(description)
    assert conforms, text


def test_virtuoso_rejects_a_wrong_password_without_leaking_it(virtuoso: object) -> None:
    env = {"HERITAGEKG_ENDPOINT_USER": "dba", "HERITAGEKG_ENDPOINT_PASSWORD": "wrong-PW-31337",
           "HERITAGEKG_ENDPOINT_AUTH": "digest"}
    with pytest.raises(EndpointError) as failure:
        export_graph(FIXTURE, virtuoso.sparql_auth_url, environ=env)  # type: ignore[attr-defined]
    message = str(failure.value)
    assert "HTTP 401" in message and "digest auth as user 'dba'" in message
    assert "wrong-PW-31337" not in message


# --- the real graphs: the seed article and the whole development corpus ------------------------

@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_seed_and_dev_corpus_round_trip(oxigraph_server: OxigraphServer, tmp_path: Path, seed_trig: Path,
                                        protocol: str) -> None:
    from conftest import corpus_path
    from heritagekg.pipeline import build
    from heritagekg.serialize import write

    corpus = write(build([corpus_path("dev")]).dataset, tmp_path / "corpus.trig")
    for source in (seed_trig, corpus):
        report = export_graph(source, oxigraph_server.url, protocol=protocol, chunk_size=500)  # type: ignore[arg-type]
        assert report.protocol == protocol
        expected = local_graphs(source)
        served = data_graphs(oxigraph_server)
        assert {g: served[g] for g in expected} == expected
        assert report.graphs == {g: len(t) for g, t in expected.items()}
