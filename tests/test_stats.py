"""Network statistics of the fixture: counts, leaders, components, bridging organizations."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from heritagekg.cli import app
from heritagekg.stats import compute_stats, entity_graph, pagerank
from heritagekg.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "sample.trig"
R = "https://w3id.org/heritagekg/id/"
FORUM = R + "forum/forum-on-global-knowledge-sharing-for-the-protection-of-human-cultural-heritage-and-creative-industries-2025-09-22"
GANSU_DEPT = R + "organization/gansu-provincial-department-of-culture-and-tourism"


@pytest.fixture(scope="module")
def stats():  # type: ignore[no-untyped-def]
    return compute_stats(FIXTURE, top=5)


def test_counts_by_class_and_property(stats) -> None:  # type: ignore[no-untyped-def]
    assert (stats.triples, stats.articles, stats.entities, stats.statements) == (516, 2, 26, 44)
    assert stats.classes["hkg:Organization"] == 8 and stats.classes["hkg:Topic"] == 5
    assert stats.classes["hkg:Forum"] == 1 and stats.classes["rdf:Statement"] == 44
    assert stats.properties["hkg:organizer"] == 7
    assert stats.properties["hkg:funder"] == 1  # stated by both articles, one triple in the merge
    assert list(stats.properties.values()) == sorted(stats.properties.values(), reverse=True)


def test_leaders_components_and_bridges(stats) -> None:  # type: ignore[no-untyped-def]
    assert stats.degree_leaders[0].iri == FORUM and stats.degree_leaders[0].score == 14
    assert len(stats.degree_leaders) == 5
    assert [r.label for r in stats.pagerank_leaders[:2]] == ["Gansu", "Dunhuang"]  # everything is located there
    assert (stats.components, stats.component_sizes) == (1, [26])
    top = stats.bridging_organizations[0]
    assert (top.iri, top.events) == (GANSU_DEPT, 2)
    assert top.event_labels == ["7th Silk Road (Dunhuang) International Cultural Expo",
                                "Forum on Global Knowledge Sharing for the Protection of Human Cultural Heritage and "
                                "Creative Industries"]
    assert all(b.events == 1 for b in stats.bridging_organizations[1:])


def test_entity_graph_nodes_edges_and_facts() -> None:
    g = entity_graph(FIXTURE)
    assert g.number_of_nodes() == 26 and g.number_of_edges() == 33
    assert not any(R + "statement/" in n or R + "article/" in n for n in g)
    forum = g.nodes[FORUM]
    assert forum["type"] == "Forum" and forum["startDate"] == dt.date(2025, 9, 22) and forum["speakerCount"] == 40
    assert g.nodes[R + "person/li-ming"]["label"] == "李明"  # no English label: the Chinese one
    assert g.nodes[R + "person/qu-xing"]["jobTitle"] == ["Deputy Director-General", "副总干事"]
    assert set(g[FORUM][GANSU_DEPT]) == {"organizer"}


def test_pagerank_matches_the_textbook_algorithm() -> None:
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("d", "c")])
    ranks = pagerank(g)
    assert sum(ranks.values()) == pytest.approx(1.0)
    reference = getattr(nx.algorithms.link_analysis.pagerank_alg, "_pagerank_python", None)
    if reference is not None:
        expected = reference(g, alpha=0.85, max_iter=1000, tol=1e-12)
        assert ranks == pytest.approx(expected, abs=1e-6)
    assert max(ranks, key=ranks.get) == "c" and ranks["d"] == pytest.approx(0.15 / 4)


def test_flattened_turtle_gives_the_same_numbers(tmp_path: Path, stats) -> None:  # type: ignore[no-untyped-def]
    Store.open(FIXTURE).dump(tmp_path / "flat.ttl")
    flat = compute_stats(tmp_path / "flat.ttl", top=5)
    assert flat.to_dict() == stats.to_dict()


def test_cli_stats_table_and_json() -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["stats", str(FIXTURE), "--json", "--top", "3"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["entities"] == 26 and len(data["degree_leaders"]) == 3
    assert data["bridging_organizations"][0]["label"] == "Gansu Provincial Department of Culture and Tourism"
    out = runner.invoke(app, ["stats", str(FIXTURE)])
    assert out.exit_code == 0 and "PageRank leaders" in out.stdout and "516 triples" in out.stdout
    out = runner.invoke(app, ["stats", "missing.ttl"])
    assert out.exit_code == 1 and "missing.ttl: no such file" in out.stderr


def test_a_union_only_store_counts_each_triple_once(stats) -> None:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    raw = ox.Store()  # named graphs only, as another tool may write it
    raw.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    assert compute_stats(raw, top=5).to_dict() == stats.to_dict()
