"""Every analyst query answered on a multi-article graph built from the development corpus."""
from __future__ import annotations

import pytest
from rdflib import Graph

from conftest import ROOT, corpus_path

QUERIES = sorted((ROOT / "queries").glob("*.rq"))


@pytest.fixture(scope="module")
def corpus_graph() -> Graph:
    from heritagekg.pipeline import build

    result = build([corpus_path("dev")])
    assert not result.errors and len(result.articles) >= 10
    g = Graph()
    for s, p, o, _ in result.dataset.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def rows(g: Graph, name: str) -> list[dict[str, str]]:
    text = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    return [{str(k): ("" if v is None else str(v)) for k, v in r.asdict().items()} for r in g.query(text)]


@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_every_query_answers(corpus_graph, query):
    result = list(corpus_graph.query(query.read_text(encoding="utf-8")))
    if query.stem != "missing-labels":
        assert result, f"{query.stem} returned no rows on the corpus graph"


def test_entities_mentioned_by_several_articles(corpus_graph):
    shared = {r.get("label") or r.get("entityLabel") or "" for r in rows(corpus_graph, "shared-entities")}
    assert {"UNESCO", "World Bank", "Dunhuang", "Gansu"} <= shared


def test_timeline_spans_the_corpus_in_order(corpus_graph):
    starts = [r["start"] if "start" in r else r.get("startDate", "") for r in rows(corpus_graph, "timeline")]
    dated = [s for s in starts if s]
    assert dated == sorted(dated)
    assert dated[0].startswith("1") or dated[0] <= "2013"
    assert any(s.startswith("2025-09-22") for s in dated)


def test_three_editions_of_the_expo_stay_three_events(corpus_graph):
    expos = {(r["event"], r["eventLabel"], r.get("start") or r.get("startDate", "")) for r in rows(corpus_graph, "event-overview")
             if "Silk Road (Dunhuang) International Cultural Expo" in r["eventLabel"]
             or "丝绸之路(敦煌)国际文化博览会" in r["eventLabel"]}
    assert len({e for e, _, _ in expos}) == 3
    assert {"2017-09-20", "2023-09-06"} <= {d for _, _, d in expos}


def test_people_by_organization_and_role(corpus_graph):
    got = {(r.get("personLabel"), r.get("jobTitle")) for r in rows(corpus_graph, "people")}
    assert ("Audrey Azoulay", "Director-General") in got
    assert ("Qu Xing", "Deputy Director-General") in got
