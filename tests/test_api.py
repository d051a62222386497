"""The notebook API: build with the real pipeline, load, query, analyse, save."""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
import rdflib

from heritagekg.api import KnowledgeGraph
from heritagekg.errors import QueryError
from heritagekg.stats import GraphStats

FIXTURE = Path(__file__).parent / "fixtures" / "sample.trig"
DATA = Path(__file__).resolve().parents[1] / "data"
R = "https://w3id.org/heritagekg/id/"


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return KnowledgeGraph.load(FIXTURE)


def test_load_and_query_by_name_with_parameters(kg: KnowledgeGraph) -> None:
    assert len(kg) == 516 and kg.articles() == [R + "article/dunhuang-expo-2024", R + "article/dunhuang-forum-2025"]
    result = kg.query("organizers", event="hkgr:expo/7th-silk-road-dunhuang-international-cultural-expo")
    assert sorted(d["organizerLabel"] for d in result.to_dicts()) == [
        "Gansu Provincial Department of Culture and Tourism", "Gansu Provincial People's Government",
        "Ministry of Culture and Tourism"]


def test_sparql_with_predeclared_prefixes_and_python_values(kg: KnowledgeGraph) -> None:
    result = kg.query("SELECT ?e ?n WHERE { ?e hkg:speakerCount ?n }")
    assert result.to_dicts() == [{"e": R + "forum/forum-on-global-knowledge-sharing-for-the-protection-of-human-"
                                       "cultural-heritage-and-creative-industries-2025-09-22", "n": 40}]
    assert len(kg.query("SELECT ?e WHERE { ?e hkg:sessionCount ?n }", n=10)) == 1
    assert len(kg.query("SELECT ?e WHERE { ?e hkg:sessionCount ?n }", n=11)) == 0
    with pytest.raises(QueryError, match="syntax error at line 1"):
        kg.query("SELECT ?e WHERE { ?e hkg:sessionCount }")


def test_networkx_stats_and_rdflib(kg: KnowledgeGraph) -> None:
    g = kg.to_networkx()
    assert isinstance(g, nx.MultiDiGraph) and g.number_of_nodes() == 26
    stats = kg.stats(top=3)
    assert isinstance(stats, GraphStats) and stats.degree_leaders[0].type == "Forum"
    ds = kg.to_rdflib()
    assert isinstance(ds, rdflib.Dataset) and len(list(ds.quads((None, None, None, None)))) == 539


def test_serialize_round_trips(kg: KnowledgeGraph, tmp_path: Path) -> None:
    for name in ("kg.trig", "kg.ttl", "kg.nq", "kg.jsonld"):
        path = kg.serialize(tmp_path / name)
        again = KnowledgeGraph.load(path)
        assert len(again) == len(kg), name
    assert KnowledgeGraph.load(tmp_path / "kg.trig").articles() == kg.articles()
    assert KnowledgeGraph.load(tmp_path / "kg.ttl").articles() == []  # Turtle flattens the graphs


def test_load_an_rdflib_dataset_and_an_on_disk_store(kg: KnowledgeGraph, tmp_path: Path) -> None:
    from_rdflib = KnowledgeGraph.load(kg.to_rdflib())
    assert len(from_rdflib) == len(kg)
    built = KnowledgeGraph(kg.store.__class__.from_dataset(kg.to_rdflib(), tmp_path / "store"))
    built.store.close()
    reopened = KnowledgeGraph.load(tmp_path / "store")
    assert len(reopened) == len(kg) and reopened.store.read_only


def test_build_runs_the_pipeline(tmp_path: Path) -> None:
    kg = KnowledgeGraph.build(DATA, store=tmp_path / "store")
    assert kg.errors == [] and len(kg.articles()) == 1
    assert kg.store.path == tmp_path / "store"
    speakers = kg.query("speakers").to_dicts()
    assert ("Qu Xing", "Deputy Director-General") in {(d["speakerLabel"], d.get("jobTitle")) for d in speakers}
    assert "KnowledgeGraph" in repr(kg) and "1 articles" in repr(kg)


def test_show_draws_the_graph_inline(kg: KnowledgeGraph) -> None:
    shown = kg.show(focus="Qu Xing", depth=1)
    assert shown._repr_html_().startswith("<iframe srcdoc=")
    assert "Qu Xing" in str(shown)
