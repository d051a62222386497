"""The SPARQL endpoint, started on a free loopback port and queried with SPARQLWrapper."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from SPARQLWrapper import GET, JSON, POST, POSTDIRECTLY, TURTLE, XML, SPARQLWrapper

from heritagekg.serve import RunningServer, ServerConfig, is_update, negotiate, start_server
from heritagekg.store import Store

pytestmark = pytest.mark.server

FIXTURE = Path(__file__).parent / "fixtures" / "sample.trig"
ROOT = Path(__file__).resolve().parents[1]
E7 = "https://w3id.org/heritagekg/id/expo/7th-silk-road-dunhuang-international-cultural-expo"
ORGANIZERS = f"""PREFIX hkg: <https://w3id.org/heritagekg/ontology#>
SELECT ?o WHERE {{ <{E7}> hkg:organizer ?o }} ORDER BY ?o"""
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    running = start_server(FIXTURE, ServerConfig(port=0, timeout=2, max_rows=20, workers=1))
    try:
        yield running
    finally:
        running.close()


def client(server: RunningServer, query: str, method: str = GET, fmt: str = JSON) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.endpoint)
    sw.setQuery(query)
    sw.setMethod(method)
    sw.setReturnFormat(fmt)
    return sw


def organizers_of(result: object) -> list[str]:
    if isinstance(result, dict):
        return [b["o"]["value"] for b in result["results"]["bindings"]]
    return [u.firstChild.data for u in result.documentElement.getElementsByTagName("uri")]  # type: ignore[attr-defined]


EXPECTED = ["https://w3id.org/heritagekg/id/organization/gansu-provincial-department-of-culture-and-tourism",
            "https://w3id.org/heritagekg/id/organization/gansu-provincial-peoples-government",
            "https://w3id.org/heritagekg/id/organization/ministry-of-culture-and-tourism"]


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_select_over_get_and_post_in_json_and_xml(server: RunningServer, method: str, fmt: str) -> None:
    result = client(server, ORGANIZERS, method, fmt).queryAndConvert()
    assert organizers_of(result) == EXPECTED


def test_post_directly_and_ask(server: RunningServer) -> None:
    sw = client(server, "ASK { ?s a <https://w3id.org/heritagekg/ontology#Forum> }", POST)
    sw.setRequestMethod(POSTDIRECTLY)  # application/sparql-query body
    assert sw.queryAndConvert() == {"head": {}, "boolean": True}


def test_construct_returns_turtle(server: RunningServer) -> None:
    sw = client(server, f"CONSTRUCT {{ <{E7}> ?p ?o }} WHERE {{ <{E7}> ?p ?o }}", GET, TURTLE)
    body = sw.queryAndConvert()
    triples = {q.triple for q in ox.parse(body, format=ox.RdfFormat.TURTLE)}
    expected = {q.triple for q in Store.open(FIXTURE).oxigraph.quads_for_pattern(ox.NamedNode(E7), None, None,
                                                                                     ox.DefaultGraph())}
    assert triples == expected and len(expected) == 13


def test_csv_and_tsv_by_accept_header(server: RunningServer) -> None:
    for accept, first in (("text/csv", "o"), ("text/tab-separated-values", "?o")):
        req = urllib.request.Request(server.endpoint + "?" + urllib.parse.urlencode({"query": ORGANIZERS}),
                                     headers={"Accept": accept})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.headers["Content-Type"].startswith(accept)
            lines = resp.read().decode().splitlines()
        assert lines[0] == first and len(lines) == 4


def test_unacceptable_format_is_406(server: RunningServer) -> None:
    req = urllib.request.Request(server.endpoint + "?" + urllib.parse.urlencode({"query": ORGANIZERS}),
                                 headers={"Accept": "image/png"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 406


def test_updates_are_refused_and_change_nothing(server: RunningServer) -> None:
    insert = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    sw = SPARQLWrapper(server.endpoint, updateEndpoint=server.url + "/update")
    sw.setMethod(POST)
    sw.setQuery(insert)
    with pytest.raises(urllib.error.HTTPError) as err:
        sw.query()
    assert err.value.code == 403 and b"read-only" in err.value.read()
    for data, ctype in ((insert.encode(), "application/sparql-update"),
                        (urllib.parse.urlencode({"update": insert}).encode(), "application/x-www-form-urlencoded"),
                        (urllib.parse.urlencode({"query": insert}).encode(), "application/x-www-form-urlencoded")):
        req = urllib.request.Request(server.endpoint, data=data, headers={"Content-Type": ctype})
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=10)
        assert err.value.code == 403
    assert client(server, "ASK { <urn:x:a> ?p ?o }").queryAndConvert()["boolean"] is False


def test_slow_query_is_cut_off_and_the_server_recovers(server: RunningServer) -> None:
    start = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as err:
        client(server, SLOW).queryAndConvert()
    elapsed = time.monotonic() - start
    assert err.value.code == 503
    assert b"timed out" in err.value.read()
    assert 1.5 < elapsed < 6
    deadline = time.monotonic() + 20  # a fresh worker replaces the killed one
    while True:
        try:
            assert organizers_of(client(server, ORGANIZERS).queryAndConvert()) == EXPECTED
            break
        except urllib.error.HTTPError as exc:
            if exc.code != 503 or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_result_size_is_capped(server: RunningServer) -> None:
    req = urllib.request.Request(server.endpoint + "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        data = json.loads(resp.read())
        assert resp.headers["X-HeritageKG-Truncated"] == "true"
    assert len(data["results"]["bindings"]) == 20


def test_syntax_error_is_400_with_position(server: RunningServer) -> None:
    with pytest.raises(Exception) as err:
        client(server, "SELECT ?x WHERE {\n ?x ?y }").queryAndConvert()
    assert "line 2, column" in str(err.value)


def test_query_page_is_self_contained(server: RunningServer) -> None:
    with urllib.request.urlopen(server.url + "/", timeout=10) as resp:
        page = resp.read().decode()
    assert "<textarea" in page and "fetch(\"/sparql\"" in page
    assert "src=\"http" not in page and "href=\"http" not in page  # no CDN, works offline
    assert "co-organizers" in page  # the query library as examples


def test_resource_description(server: RunningServer) -> None:
    req = urllib.request.Request(server.url + "/id/organization/world-bank", headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        triples = list(ox.parse(resp.read(), format=ox.RdfFormat.TURTLE))
    labels = {t.object.value for t in triples if t.predicate.value.endswith("#label")}
    assert labels == {"World Bank", "世界银行"}
    req = urllib.request.Request(server.url + "/id/organization/world-bank", headers={"Accept": "application/ld+json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.headers["Content-Type"] == "application/ld+json"
        assert "世界银行" in resp.read().decode()
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(server.url + "/id/organization/nobody", timeout=10)
    assert err.value.code == 404


def test_negotiation_and_update_detection() -> None:
    assert negotiate(None, "select") == "json"
    assert negotiate("text/csv;q=0.5, application/sparql-results+xml", "select") == "xml"
    assert negotiate("*/*", "graph") == "turtle"
    assert negotiate("application/json", "graph", "jsonld") == "jsonld"
    assert negotiate("image/png", "select") is None
    assert is_update("PREFIX a: <urn:a#>\n# comment\nINSERT DATA { a:x a:y a:z }")
    assert not is_update("PREFIX insert: <urn:a#> SELECT * WHERE { ?s insert:p ?o }")


def test_serving_a_store_directory(tmp_path: Path) -> None:
    with Store(tmp_path / "kg") as store:
        store.load(FIXTURE)
    with start_server(tmp_path / "kg", ServerConfig(port=0, workers=1)) as running:
        assert organizers_of(client(running, ORGANIZERS).queryAndConvert()) == EXPECTED


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_cli_serve_starts_answers_and_stops_on_sigterm() -> None:
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])))
    proc = subprocess.Popen([sys.executable, "-c", "from heritagekg.cli import app; app()", "serve", str(FIXTURE),
                             "--port", str(port), "--workers", "1"], env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise AssertionError(proc.stderr.read().decode() if proc.stderr else "no output")  # noqa: B904
                time.sleep(0.2)
        sw = SPARQLWrapper(f"http://127.0.0.1:{port}/sparql")
        sw.setQuery(ORGANIZERS)
        sw.setReturnFormat(JSON)
        assert organizers_of(sw.queryAndConvert()) == EXPECTED
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        assert b"serving" in proc.stderr.read()  # type: ignore[union-attr]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with pytest.raises(OSError):  # the port is free again: nothing left listening
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)


@pytest.mark.parametrize("memory_max_triples", [0, 1_000_000])
def test_workers_answer_the_same_from_disk_and_from_memory(tmp_path: Path, memory_max_triples: int) -> None:
    with Store(tmp_path / "kg") as store:
        store.load(FIXTURE)
    graphs = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    with start_server(tmp_path / "kg", ServerConfig(port=0, workers=1, memory_max_triples=memory_max_triples)) as running:
        assert organizers_of(client(running, ORGANIZERS).queryAndConvert()) == EXPECTED
        bindings = client(running, graphs).queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [b["g"]["value"].rsplit("/", 1)[-1] for b in bindings] == ["dunhuang-expo-2024", "dunhuang-forum-2025"]
    assert all(int(b["n"]["value"]) > 10 for b in bindings)
