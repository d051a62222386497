"""viz without a browser: what build_view draws, the page it writes, the static picture, the CLI.

Inputs are real RDF files (tests/fixtures/viz_sample.trig and files written in tmp_path) read by
the real parsers; the browser side is tests/test_viz_browser.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from typer.testing import CliRunner

from heritagekg import viz
from heritagekg.cli import app
from heritagekg.errors import InputError, QueryError, StoreError

FIXTURE = Path(__file__).parent / "fixtures" / "viz_sample.trig"
ID = "https://w3id.org/heritagekg/id/"
FORUM = ID + "forum/forum-on-heritage-and-creative-industries-2025-09-22"
EXPO = ID + "expo/8th-silk-road-dunhuang-international-cultural-expo"
QU_XING = ID + "person/qu-xing"
UNESCO = ID + "organization/unesco"
REGIONAL_OFFICE = ID + "organization/unesco-regional-office-for-east-asia"
ORGANIZERS_SENTENCE = ("Organized in collaboration with UNESCO Regional Office for East Asia, UN Tourism, "
                       "the World Bank, and Gansu Provincial Department of Culture and Tourism")
PREFIXES = "PREFIX hkg: <https://w3id.org/heritagekg/ontology#>\n"


def entities_of(path: Path) -> set[str]:
    """Entities as an analyst would count them: resources typed with a contract class but Article."""
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TRIG)
    rows = store.query(PREFIXES + """SELECT DISTINCT ?e WHERE {
        ?e a ?c . FILTER(STRSTARTS(STR(?c), STR(hkg:)) && ?c != hkg:Article) }""",
                       use_default_graph_as_union=True)
    return {row["e"].value for row in rows}


@pytest.fixture(scope="module")
def view() -> viz.GraphView:
    return viz.build_view(FIXTURE)


def edges_between(view: viz.GraphView, a: str, b: str) -> list[viz.ViewEdge]:
    return [e for e in view.edges if {e.source, e.target} == {a, b}]


# --- what is drawn --------------------------------------------------------------------------------

def test_nodes_are_exactly_the_entities(view: viz.GraphView) -> None:
    expected = entities_of(FIXTURE)
    assert len(expected) == 12
    assert {n.id for n in view.nodes} == expected
    ids = " ".join(n.id for n in view.nodes)
    assert "/statement/" not in ids and "/article/" not in ids and "/source/" not in ids


def test_edges_are_relations_between_entities(view: viz.GraphView) -> None:
    labels = sorted(e.label for e in view.edges)
    assert labels.count("organizer") == 5  # four of the forum, one of the expo
    assert "part of" in labels and "parent organization" in labels  # ontology labels, not local names
    assert not any(e.label in ("mentions", "publisher", "label", "type") for e in view.edges)
    assert all(e.source != e.target for e in view.edges)


def test_degree_counts_relations_and_the_forum_is_the_hub(view: viz.GraphView) -> None:
    hub = max(view.nodes, key=lambda n: n.degree)
    assert hub.id == FORUM and hub.cls == "Forum"
    assert hub.degree == 11


def test_labels_in_the_asked_language_fall_back_to_the_other() -> None:
    en = {n.id: n for n in viz.build_view(FIXTURE, lang="en").nodes}
    zh = viz.build_view(FIXTURE, lang="zh")
    zh_nodes = {n.id: n for n in zh.nodes}
    assert en[QU_XING].label == "Qu Xing"
    assert zh_nodes[QU_XING].label == "曲星"
    assert zh_nodes[REGIONAL_OFFICE].label == "UNESCO Regional Office for East Asia"  # no @zh label
    assert zh.class_labels["Forum"] == "论坛"
    assert {e.label for e in zh.edges} >= {"主办方", "隶属于"}


def test_parallel_edges_stay_separate_in_small_graphs(view: viz.GraphView) -> None:
    pair = edges_between(view, FORUM, QU_XING)
    assert sorted(e.label for e in pair) == ["participant", "speaker"]
    nodes, edges, options = viz._vis_data(view)
    curved = [e for e in edges if {e["from"], e["to"]} == {FORUM, QU_XING} and "smooth" in e]
    assert len(curved) == 1  # the second is fanned out instead of drawn on top
    assert options["physics"]["enabled"] and options["layout"]["improvedLayout"]
    assert not any("x" in n for n in nodes)


def test_large_graphs_merge_parallel_edges_and_start_from_a_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(viz, "LARGE_GRAPH_NODES", 5)
    large = viz.build_view(FIXTURE)
    assert large.large
    merged = edges_between(large, FORUM, QU_XING)
    assert len(merged) == 1 and set(merged[0].label.split(" · ")) == {"participant", "speaker"}
    assert len(merged[0].relations) == 2
    monkeypatch.setattr(viz, "_IMPROVED_LAYOUT_MAX", 5)
    nodes, edges, options = viz._vis_data(large)
    assert all("x" in n and "y" in n for n in nodes)
    assert options["interaction"]["hideEdgesOnDrag"] and not options["edges"]["smooth"]["enabled"]
    assert viz._page_payload(large)["large"] is True


def test_details_carry_every_label_wikidata_and_evidence(view: viz.GraphView) -> None:
    forum = view.details[FORUM]
    assert forum.cls == "Forum" and forum.class_label == "Forum"
    assert {(label.text, label.lang, label.kind) for label in forum.labels} == {
        ("Forum on Heritage and Creative Industries", "en", "label"),
        ("文化遗产与创意产业论坛", "zh", "label"),
        ("Heritage Forum", "en", "altLabel"),
    }
    organizers = [r for r in forum.relations if r.predicate_label == "organizer" and r.subject == FORUM]
    assert len(organizers) == 4
    for relation in organizers:
        (evidence,) = relation.evidence
        assert evidence.sentence.startswith(ORGANIZERS_SENTENCE) and evidence.lang == "en"
        assert evidence.is_article and evidence.source == ID + "article/heritage-forum-2025"
        assert evidence.source_label == "Heritage Forum Held as Part of the Silk Road Expo"
        assert evidence.source_url == "https://example.org/news/heritage-forum-2025"
        assert evidence.confidence == pytest.approx(0.95) and evidence.extractor == "en:organizer-list"
    (part_of,) = [r for r in forum.relations if r.predicate_label == "part of"]
    assert {e.lang for e in part_of.evidence} == {"en", "zh"}  # read in both articles
    assert [f.object_label for f in forum.facts if f.predicate_label == "start date"] == ["2025-09-22"]
    assert view.details[UNESCO].wikidata == "http://www.wikidata.org/entity/Q7809"
    assert view.details[QU_XING].wikidata is None
    assert {a for a, _ in view.details[QU_XING].articles} == {ID + "article/heritage-forum-2025",
                                                              ID + "article/expo-news-2025"}


def test_authority_facts_have_a_reference_source_and_no_sentence(view: viz.GraphView) -> None:
    (parent,) = [r for r in view.details[REGIONAL_OFFICE].relations if r.predicate_label == "parent organization"]
    (evidence,) = parent.evidence
    assert evidence.sentence is None and not evidence.is_article
    assert evidence.source == ID + "source/authority" and evidence.extractor == "authority"


# --- sub-graphs ---------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["曲星", "Qu Xing", "qu  xing", QU_XING, "hkgr:person/qu-xing", f"<{QU_XING}>"])
def test_focus_by_any_label_or_iri(key: str) -> None:
    focused = viz.build_view(FIXTURE, focus=key, depth=1)
    assert {n.id for n in focused.nodes} == {QU_XING, FORUM, UNESCO}
    assert sorted(e.label for e in focused.edges) == ["affiliation", "participant", "speaker"]


def test_focus_depth_zero_and_two() -> None:
    assert [n.id for n in viz.build_view(FIXTURE, focus="Qu Xing", depth=0).nodes] == [QU_XING]
    two = {n.id for n in viz.build_view(FIXTURE, focus="Qu Xing", depth=2).nodes}
    assert {EXPO, REGIONAL_OFFICE} <= two and len(two) == 12


def test_unknown_focus_lists_close_matches() -> None:
    with pytest.raises(QueryError, match="close matches: 'Qu Xing'"):
        viz.build_view(FIXTURE, focus="Qu Xin")
    with pytest.raises(QueryError, match="'曲星'"):
        viz.build_view(FIXTURE, focus="曲")
    with pytest.raises(QueryError, match="none is close"):
        viz.build_view(FIXTURE, focus="zzzzzz")
    with pytest.raises(QueryError, match="depth"):
        viz.build_view(FIXTURE, focus="Qu Xing", depth=-1)


def test_construct_query_draws_only_its_result() -> None:
    query = PREFIXES + "CONSTRUCT { ?e hkg:organizer ?o } WHERE { ?e hkg:organizer ?o }"
    result = viz.build_view(FIXTURE, query=query)
    assert len(result.edges) == 5 and {e.label for e in result.edges} == {"organizer"}
    assert len(result.nodes) == 6 and QU_XING not in {n.id for n in result.nodes}
    # details still come from the whole graph
    assert any(r.predicate_label == "speaker" for r in result.details[FORUM].relations)


def test_select_spo_query_from_a_file(tmp_path: Path) -> None:
    rq = tmp_path / "part-of.rq"
    rq.write_text(PREFIXES + "SELECT ?s ?p ?o WHERE { ?s hkg:partOf ?o BIND(hkg:partOf AS ?p) }")
    result = viz.build_view(FIXTURE, query=rq)
    assert {n.id for n in result.nodes} == {FORUM, EXPO}
    assert [e.label for e in result.edges] == ["part of"]
    empty = viz.build_view(FIXTURE, query=PREFIXES + "CONSTRUCT { ?s ?p ?o } WHERE { ?s hkg:funder ?o }")
    assert empty.empty and "query" in (empty.note or "")


@pytest.mark.parametrize("query, message", [
    ("SELECT ?a ?b WHERE { ?a ?b ?c }", r"must bind \?s \?p \?o"),
    ("ASK { ?s ?p ?o }", "ASK"),
    ("SELEC nothing", "malformed"),
])
def test_bad_queries_raise_query_error(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        viz.build_view(FIXTURE, query=query)


# --- inputs -------------------------------------------------------------------------------------

def test_every_rdf_format_and_a_store_directory_give_the_same_nodes(tmp_path: Path, view: viz.GraphView) -> None:
    expected = {n.id for n in view.nodes}
    store = ox.Store()
    store.bulk_load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    store.dump(output=str(tmp_path / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    flat = list(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True))
    for name, fmt in (("kg.ttl", ox.RdfFormat.TURTLE), ("kg.nt", ox.RdfFormat.N_TRIPLES),
                      ("kg.jsonld", ox.RdfFormat.JSON_LD)):
        ox.serialize(flat, output=str(tmp_path / name), format=fmt)
    for name in ("kg.nq", "kg.ttl", "kg.nt", "kg.jsonld"):
        assert {n.id for n in viz.build_view(tmp_path / name).nodes} == expected, name
    on_disk = ox.Store(str(tmp_path / "store"))
    on_disk.bulk_load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    on_disk.flush()
    del on_disk
    assert {n.id for n in viz.build_view(tmp_path / "store").nodes} == expected
    dataset = rdflib.Dataset()
    dataset.parse(FIXTURE, format="trig")
    assert {n.id for n in viz.build_view(dataset).nodes} == expected


def test_missing_unknown_and_broken_inputs_raise_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such file"):
        viz.build_view(tmp_path / "missing.ttl")
    (tmp_path / "kg.csv").write_text("a,b\n")
    with pytest.raises(StoreError, match="unknown RDF file extension"):
        viz.build_view(tmp_path / "kg.csv")
    (tmp_path / "broken.ttl").write_text("<a> <b> .\n")
    with pytest.raises(StoreError, match="broken.ttl"):
        viz.build_view(tmp_path / "broken.ttl")


# --- the page -----------------------------------------------------------------------------------

def test_page_is_self_contained_and_written_atomically(tmp_path: Path, view: viz.GraphView) -> None:
    out = viz.render_html(view, tmp_path / "sub" / "graph.html")
    page = out.read_text(encoding="utf-8")
    assert [p.name for p in out.parent.iterdir()] == ["graph.html"]  # no temp file left behind
    assert "cdn.jsdelivr.net" not in page and "bootstrap" not in page.lower().split("</head>")[0]
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=[\"']?(https?:)?//", page, re.I)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "vis.Network" in page and 'id="hkg-data"' in page and 'id="hkg-search"' in page
    # pyvis's own call is gone: our script calls drawGraph() once its handlers are ready
    assert not re.search(r"^\s*drawGraph\(\);\s*$", page, re.M) and "= drawGraph();" in page
    assert 'lang="en"' in page


def test_hostile_labels_cannot_break_out_of_the_page(tmp_path: Path) -> None:
    evil = tmp_path / "evil.ttl"
    evil.write_text('@prefix hkg: <https://w3id.org/heritagekg/ontology#> .\n'
                    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                    '<https://example.org/x> a hkg:Person ; rdfs:label "</script><script>alert(1)</script>"@en .\n')
    page = viz.page_html(viz.build_view(evil))
    assert "<script>alert(1)" not in page and "</script><script>alert" not in page


def test_empty_graph_gives_a_page_and_a_picture_that_say_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix hkg: <https://w3id.org/heritagekg/ontology#> .\n")
    view = viz.build_view(empty)
    assert view.empty and view.nodes == [] and "empty" in (view.note or "")
    page = viz.render_html(view, tmp_path / "empty.html").read_text(encoding="utf-8")
    assert "The graph is empty" in page
    png = viz.render_static(view, tmp_path / "empty.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_notebook_html_is_an_iframe_with_the_escaped_page(view: viz.GraphView) -> None:
    frame = viz.notebook_html(view, height=500)
    assert frame.startswith("<iframe srcdoc=\"") and "height:500px" in frame
    srcdoc = frame.split('srcdoc="', 1)[1].split('" style=', 1)[0]
    assert "<script" not in srcdoc and "&lt;script" in srcdoc and "&quot;" in srcdoc
    assert viz.notebook_html(FIXTURE).count("&lt;/html&gt;") == 1


# --- the static picture --------------------------------------------------------------------------

def test_static_png_and_svg(tmp_path: Path, view: viz.GraphView) -> None:
    png = viz.render(view, tmp_path / "graph.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    svg = viz.render(viz.build_view(FIXTURE, lang="zh"), tmp_path / "graph.svg")
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    with pytest.raises(InputError, match="unknown output type"):
        viz.render(view, tmp_path / "graph.txt")


def test_cjk_font_has_chinese_glyphs() -> None:
    family = viz.cjk_font()
    if family is None:
        pytest.skip("no CJK font installed (Debian: fonts-noto-cjk)")
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    font = FT2Font(path)
    assert all(font.get_char_index(ord(ch)) for ch in "曲星论坛")


def test_force_layout_is_deterministic_and_spreads_nodes() -> None:
    nodes = [f"n{i}" for i in range(300)]
    edges = [(f"n{i}", f"n{(i * 7 + 1) % 300}") for i in range(300)] + [("n0", f"n{i}") for i in range(1, 40)]
    first = viz.force_layout(nodes, edges)
    assert first == viz.force_layout(nodes, edges)
    points = {(round(x, 3), round(y, 3)) for x, y in first.values()}
    assert len(points) > 280  # not collapsed onto a few spots
    assert viz.force_layout([], []) == {} and list(viz.force_layout(["a"], [])) == ["a"]


# --- the CLI --------------------------------------------------------------------------------------

def test_cli_writes_html_and_png(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["viz", str(FIXTURE), "-o", str(tmp_path / "kg.html"), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "12 entities" in result.output
    assert '"lang":"zh"' in (tmp_path / "kg.html").read_text(encoding="utf-8")
    result = runner.invoke(app, ["viz", str(FIXTURE), "-o", str(tmp_path / "kg.png"),
                                 "--focus", "曲星", "--depth", "1"])
    assert result.exit_code == 0, result.output
    assert "3 entities" in result.output and (tmp_path / "kg.png").exists()


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["viz", str(FIXTURE), "-o", str(tmp_path / "kg.html"), "--focus", "Qu Xin"])
    assert result.exit_code == QueryError.exit_code and "close matches: 'Qu Xing'" in result.output
    result = runner.invoke(app, ["viz", str(FIXTURE), "-o", str(tmp_path / "kg.html"), "--depth", "2"])
    assert result.exit_code == QueryError.exit_code and "--focus" in result.output
    result = runner.invoke(app, ["viz", str(FIXTURE), "-o", str(tmp_path / "kg.gif")])
    assert result.exit_code == InputError.exit_code and "unknown output type" in result.output
    assert not (tmp_path / "kg.html").exists()
