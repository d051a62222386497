"""The build end to end: the seed graph answers the analyst questions, articles built together share
organizations and places but not events, and the development corpus scores above its floors."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, XSD

from conftest import CORPUS, ROOT, corpus_path
from heritagekg.vocab import HKG

QUERIES = ROOT / "queries"


def rows(graph: Graph, name: str) -> list[dict[str, str]]:
    result = graph.query((QUERIES / f"{name}.rq").read_text(encoding="utf-8"))
    return [{str(k): ("" if v is None else str(v)) for k, v in r.asdict().items()} for r in result]


@pytest.fixture(scope="module")
def seed_graph(seed_ttl) -> Graph:
    return Graph().parse(seed_ttl)


def test_organizers_of_the_forum(seed_graph):
    got = {r["organizerLabel"] for r in rows(seed_graph, "organizers")}
    assert got == {"UNESCO Regional Office for East Asia", "UN Tourism", "World Bank",
                   "Gansu Provincial Department of Culture and Tourism"}


def test_releases_and_their_project(seed_graph):
    got = rows(seed_graph, "releases")
    pubs = {r["publicationLabel"] for r in got}
    assert len(pubs) == 3
    assert any(p.startswith("Leveraging Culture and Creativity for Sustainable Development:") for p in pubs)
    assert {r["projectLabel"] for r in got} == {"Gansu Revitalization and Innovation Project"}
    grip = next(s for s, o in seed_graph.subject_objects(None) if str(o) == "GRIP")
    assert (grip, RDF.type, HKG.Project) in seed_graph


def test_when_where_and_part_of(seed_graph):
    got = [r for r in rows(seed_graph, "event-overview") if r["eventLabel"].startswith("Forum on Global")]
    assert {r["startDate"] for r in got} == {"2025-09-22"}
    assert "8th Silk Road (Dunhuang) International Cultural Expo" in {r["partOfLabel"] for r in got}
    assert {"Dunhuang", "Dunhuang International Convention and Exhibition Center"} <= {r["locationLabel"] for r in got}


def test_speaker_and_role(seed_graph):
    got = rows(seed_graph, "speakers")
    assert any(r["speakerLabel"] == "Qu Xing" and r["jobTitle"] == "Deputy Director-General"
               and r["affiliationLabel"] == "UNESCO" for r in got)


def test_funder_of_the_project(seed_graph):
    got = rows(seed_graph, "funders")
    assert [(r["projectLabel"], r["funderLabel"]) for r in got] == [
        ("Gansu Revitalization and Innovation Project", "World Bank")]


def test_labels_in_both_languages(seed_graph):
    got = rows(seed_graph, "labels")
    qu = {(r["lang"], r["label"]) for r in got if r["entity"].endswith("/person/qu-xing")}
    assert ("en", "Qu Xing") in qu and ("zh", "曲星") in qu


def test_every_relation_has_evidence(seed_graph):
    got = rows(seed_graph, "evidence")
    assert got and all(r["confidence"] and r["extractor"] and r["source"] for r in got)
    from_text = [r for r in got if r["source"].endswith("/article/seed")]
    assert from_text and all(r["evidence"] for r in from_text)
    assert any("Organized in collaboration with" in r["evidence"] for r in from_text)


def test_article_node_has_publication_note(seed_graph):
    art = next(seed_graph.subjects(RDF.type, HKG.Article))
    assert seed_graph.value(art, HKG.datePublished) == Literal("2025-09-24", datatype=XSD.date)
    publisher = seed_graph.value(art, HKG.publisher)
    assert publisher is not None and str(publisher).endswith("/organization/unesco")
    assert len(set(seed_graph.objects(art, HKG.mentions))) >= 15


def test_the_graph_conforms_to_the_shapes(seed_build):
    from heritagekg.validate import validate_graph

    report = validate_graph(seed_build.dataset)
    assert report.conforms, [str(v) for v in report.violations[:5]]


def test_articles_built_together_share_bodies_and_places_not_events(tmp_path: Path):
    from heritagekg.pipeline import build

    paths = [ROOT / "data" / "seed.txt", corpus_path("dev", "silkroad_expo_2017.txt"),
             corpus_path("dev", "wb_gansu_2017.txt")]
    g = Graph()
    for s, p, o, _ in build(paths).dataset.quads((None, None, None, None)):
        g.add((s, p, o))

    def named(label: str, cls) -> set:
        return {s for s in g.subjects(RDF.type, cls)
                if any(str(o) == label for o in g.objects(s, None) if isinstance(o, Literal))}

    assert len(named("World Bank", HKG.Organization)) == 1
    assert len(named("Gansu", HKG.Place)) == 1
    assert len(named("Dunhuang", HKG.Place)) == 1
    expos = set(g.subjects(RDF.type, HKG.Expo))
    assert len(expos) == 2
    starts = {str(g.value(e, HKG.startDate))[:4] for e in expos if g.value(e, HKG.startDate)}
    assert "2017" in starts
    second = next(e for e in expos if "2nd" in str(g.value(e, None, any=True) or "") or
                  any("2nd" in str(o) for o in g.objects(e, None)))
    assert str(g.value(second, HKG.startDate)) == "2017-09-20"
    assert str(g.value(second, HKG.endDate)) == "2017-09-21"


def _score(ttl: Path, gold: Path) -> dict:
    module = _score_module()
    return module.score(module.load(str(ttl)), json.loads(gold.read_text(encoding="utf-8")))


def test_dev_corpus_scores_above_the_floors(tmp_path: Path, capsys):
    """Every dev article at recall >= 0.60 and precision >= 0.80; seed_en at 0.85 / 0.90;
    the bilingual seed at 0.90 / 0.90. Prints the per-article table."""
    from heritagekg.pipeline import build
    from heritagekg.serialize import write

    dev = corpus_path("dev")
    table = []
    failures = []
    for article in sorted(dev.glob("*.txt")):
        gold = CORPUS / "gold" / f"{article.stem}.json"
        if not gold.exists():
            continue
        result = build([article])
        assert not result.errors, result.errors
        ttl = write(result.dataset, tmp_path / f"{article.stem}.ttl")
        s = _score(ttl, gold)
        floor = {"seed_en": (0.85, 0.90), "seed": (0.90, 0.90)}.get(article.stem, (0.60, 0.80))
        table.append(f"{article.stem:34} recall {s['recall']:.2f}  precision {s['precision']:.2f}")
        if s["recall"] < floor[0] or s["precision"] < floor[1]:
            failures.append(f"{article.stem}: {s['recall']:.2f}/{s['precision']:.2f} < {floor}")
        assert s["unevidenced_relations"] == 0
    with capsys.disabled():
        print("\n" + "\n".join(table))
    assert len(table) >= 8
    assert not failures, failures


def test_bilingual_gold_entities_are_one_resource_with_both_labels(seed_graph):
    """Each seed entity named in both languages is one resource with an @en and an @zh label."""
    from rdflib.namespace import RDFS, SKOS

    gold = json.loads(corpus_path("gold", "seed.json").read_text(encoding="utf-8"))
    norm = _score_module().norm
    names: dict = {}
    for p in (RDFS.label, SKOS.altLabel):
        for s, o in seed_graph.subject_objects(p):
            names.setdefault(s, set()).add(norm(o))
    missing = []
    for e in gold["entities"]:
        has_zh = any(any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in e["names"])
        has_en = any(not any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in e["names"])
        if not (has_zh and has_en):
            continue
        keys = {norm(n) for n in e["names"]}
        matches = [s for s, ns in names.items() if ns & keys]
        langs = {o.language for s in matches for o in seed_graph.objects(s, RDFS.label)}
        if len(matches) != 1 or not {"en", "zh"} <= langs:
            missing.append((e["id"], len(matches), sorted(langs)))
    assert not missing, missing


def _score_module():
    spec = importlib.util.spec_from_file_location("hkg_score", CORPUS.parent / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module
