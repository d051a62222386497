"""The embedded store: named graph per article, merged view, replace_article, conversions, dumps."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from heritagekg.errors import StoreError
from heritagekg.store import Store, open_source

FIXTURE = Path(__file__).parent / "fixtures" / "sample.trig"
R = "https://w3id.org/heritagekg/id/"
A1 = R + "article/dunhuang-forum-2025"
A2 = R + "article/dunhuang-expo-2024"
DEFAULT = ox.DefaultGraph()


def fixture_quads() -> set[ox.Quad]:
    """The fixture as pyoxigraph stores it (literals in canonical form: "1.0"^^xsd:decimal is "1")."""
    plain = ox.Store()
    plain.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return set(plain)


def graph_of(store: Store, iri: str) -> set[ox.Triple]:
    return set(store.article_triples(iri))


def default_graph(store: Store) -> set[ox.Triple]:
    return {q.triple for q in store.oxigraph.quads_for_pattern(None, None, None, DEFAULT)}


@pytest.fixture
def disk_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "kg")
    store.load(FIXTURE)
    return store


def test_load_keeps_one_graph_per_article_and_builds_the_merged_view(disk_store: Store) -> None:
    quads = fixture_quads()
    assert disk_store.articles() == sorted([A1, A2])
    assert graph_of(disk_store, A1) == {q.triple for q in quads if q.graph_name == ox.NamedNode(A1)}
    merged = {q.triple for q in quads}
    assert default_graph(disk_store) == merged
    assert len(disk_store) == len(merged) < len(quads)  # shared labels count once
    assert disk_store.has_merged_view()


def test_replace_article_replaces_that_graph_only(disk_store: Store) -> None:
    other_before = graph_of(disk_store, A2)
    old = graph_of(disk_store, A1)
    qu_xing = ox.NamedNode(R + "person/qu-xing")
    shared = ox.Triple(ox.NamedNode(R + "place/dunhuang"), ox.NamedNode("https://w3id.org/heritagekg/ontology#locatedIn"),
                       ox.NamedNode(R + "place/gansu"))
    assert shared in old and shared in other_before
    new = {t for t in old if qu_xing not in (t.subject, t.object) and t != shared}
    added = ox.Triple(ox.NamedNode(R + "forum/x"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("X", language="en"))
    written = disk_store.replace_article(A1, [*new, added])

    assert written == len(new) + 1
    assert graph_of(disk_store, A1) == new | {added}
    assert graph_of(disk_store, A2) == other_before          # the other article is untouched
    merged = default_graph(disk_store)
    assert added in merged
    assert not any(qu_xing in (t.subject, t.object) for t in merged)  # only article 1 said it
    assert shared in merged                                   # article 2 still says it


def test_replace_article_accepts_rdflib_triples_and_creates_new_graphs(tmp_path: Path) -> None:
    store = Store(tmp_path / "kg")
    s, label = rdflib.URIRef(R + "organization/unesco"), rdflib.RDFS.label
    store.replace_article(R + "article/new", [(s, label, rdflib.Literal("UNESCO", lang="en"))])
    assert store.articles() == [R + "article/new"]
    assert len(store) == 1
    store.replace_article(R + "article/new", [(s, label, rdflib.Literal("联合国教科文组织", lang="zh"))])
    assert [t.object.value for t in store.article_triples(R + "article/new")] == ["联合国教科文组织"]
    assert len(store) == 1


def test_remove_article_keeps_what_others_state(disk_store: Store) -> None:
    assert disk_store.remove_article(A2)
    assert disk_store.articles() == [A1]
    assert default_graph(disk_store) == graph_of(disk_store, A1)
    assert not disk_store.remove_article(A2)


def test_store_persists_and_read_only_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "kg"
    with Store(path) as store:
        store.load(FIXTURE)
        n = len(store)
    reader = Store(path, read_only=True)
    assert len(reader) == n
    assert reader.articles() == sorted([A1, A2])
    with pytest.raises(StoreError, match="read-only"):
        reader.replace_article(A1, [])


def test_rdflib_round_trip_keeps_graphs(disk_store: Store) -> None:
    ds = disk_store.to_dataset()
    assert isinstance(ds, rdflib.Dataset)
    graphs = {str(c.identifier) for c in ds.graphs() if len(c)}
    assert graphs == {A1, A2}
    assert len(list(ds.quads((None, None, None, None)))) == len(fixture_quads())
    back = Store.from_dataset(ds)
    assert set(back.quads()) == set(disk_store.quads())
    assert default_graph(back) == default_graph(disk_store)


def test_dumps_keep_graphs_or_flatten_by_format(disk_store: Store, tmp_path: Path) -> None:
    disk_store.dump(tmp_path / "kg.trig")
    disk_store.dump(tmp_path / "kg.ttl")
    trig = ox.Store()
    trig.load(path=str(tmp_path / "kg.trig"), format=ox.RdfFormat.TRIG)
    assert set(trig) == fixture_quads()  # the derived merged view is not written
    ttl = ox.Store()
    ttl.load(path=str(tmp_path / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    assert {q.triple for q in ttl} == {q.triple for q in fixture_quads()}
    assert b"@prefix hkg:" in disk_store.dump(format="turtle")  # type: ignore[operator]


def test_turtle_graph_lives_in_the_default_graph(tmp_path: Path) -> None:
    Store.open(FIXTURE).dump(tmp_path / "flat.ttl")
    flat = Store.open(tmp_path / "flat.ttl")
    assert flat.articles() == []
    assert flat.has_merged_view()
    assert len(flat) == len({q.triple for q in fixture_quads()})


def test_a_store_of_named_graphs_only_is_queried_through_the_union(tmp_path: Path) -> None:
    raw = ox.Store(str(tmp_path / "raw"))  # as another tool would write it: no merged view
    raw.bulk_load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    raw.flush()
    del raw
    store = Store(tmp_path / "raw")
    assert not store.has_merged_view()
    rows = list(store.query("SELECT DISTINCT ?o WHERE { ?e <https://w3id.org/heritagekg/ontology#organizer> ?o }"))
    assert len(rows) == 6
    store.refresh_merged_view()
    assert store.has_merged_view()
    assert len(store) == len({q.triple for q in fixture_quads()})


def test_open_source_and_errors(tmp_path: Path) -> None:
    assert isinstance(open_source(FIXTURE), Store)
    assert open_source(ox.Store()).articles() == []
    with pytest.raises(StoreError, match="no such file"):
        Store.open(tmp_path / "missing.ttl")
    bad = tmp_path / "kg.csv"
    bad.write_text("a,b\n")
    with pytest.raises(StoreError, match="unknown RDF extension"):
        Store.open(bad)
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n")
    with pytest.raises(StoreError, match="broken.ttl: not valid Turtle"):
        Store.open(broken)
    (tmp_path / "plain").mkdir()
    with pytest.raises(StoreError, match="not a pyoxigraph store"):
        Store(tmp_path / "plain", read_only=True)


def test_a_second_writer_is_refused_with_a_clear_error(disk_store: Store) -> None:
    with pytest.raises(StoreError, match="cannot open the store"):
        Store(disk_store.path)


def test_writing_to_a_store_without_view_builds_the_whole_view_first(tmp_path: Path) -> None:
    raw = ox.Store(str(tmp_path / "raw"))  # graphs written by another tool
    raw.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    raw.flush()
    del raw
    store = Store(tmp_path / "raw")
    store.replace_article(R + "article/new", [(ox.NamedNode(R + "x"), ox.NamedNode(R + "p"), ox.Literal("v"))])
    assert len(store) == len({q.triple for q in fixture_quads()}) + 1  # article 1 and 2 are in the view too


def test_adding_a_rebuilt_article_replaces_its_graph(disk_store: Store) -> None:
    ds = disk_store.to_dataset()
    forum_graph = ds.graph(rdflib.URIRef(A1))
    qu_xing = rdflib.URIRef(R + "person/qu-xing")
    for triple in list(forum_graph.triples((qu_xing, None, None))):
        forum_graph.remove(triple)
    other = graph_of(disk_store, A2)
    disk_store.add_dataset(ds)
    assert not any(t.subject == ox.NamedNode(R + "person/qu-xing") for t in graph_of(disk_store, A1))
    assert graph_of(disk_store, A2) == other


def test_a_view_kept_in_memory_answers_like_the_store_and_named_graphs_still_work(disk_store: Store) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    per_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{A1}> {{ ?s ?p ?o }} }}"

    def ask(text: str) -> int:
        return int(next(iter(disk_store.query(text)))["n"].value)

    on_disk = ask(count), ask(per_graph)
    assert not disk_store.view_in_memory
    assert disk_store.keep_view_in_memory()
    assert disk_store.view_in_memory
    assert (ask(count), ask(per_graph)) == on_disk  # GRAPH goes to the store, the rest to the copy
    assert on_disk[1] > 0


def test_a_write_drops_the_memory_copy_so_queries_never_see_stale_data(disk_store: Store) -> None:
    disk_store.keep_view_in_memory()
    label = ox.Triple(ox.NamedNode(R + "forum/new"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("New forum", language="en"))
    disk_store.replace_article(A1, [*graph_of(disk_store, A1), label])
    assert not disk_store.view_in_memory
    ask = f'ASK {{ <{R}forum/new> <http://www.w3.org/2000/01/rdf-schema#label> "New forum"@en }}'
    assert bool(disk_store.query(ask))
    disk_store.keep_view_in_memory()
    assert bool(disk_store.query(ask))


def test_a_view_larger_than_the_limit_stays_on_disk(disk_store: Store) -> None:
    assert not disk_store.keep_view_in_memory(max_triples=len(disk_store) - 1)
    assert not disk_store.view_in_memory
    assert disk_store.keep_view_in_memory(max_triples=len(disk_store))
