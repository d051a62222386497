"""The viz page in a real browser: Debian's chromium driven by Playwright, offline.

Every request outside file:// is blocked and recorded; the page must make none and log no error.
Install the browser with `make browser` (apt-get install chromium); never `playwright install`.
The page's Content-Security-Policy forbids eval, so waits use function predicates ("() => ...").
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from heritagekg import viz

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
FIXTURE = Path(__file__).parent / "fixtures" / "viz_sample.trig"
ID = "https://w3id.org/heritagekg/id/"
FORUM = ID + "forum/forum-on-heritage-and-creative-industries-2025-09-22"
QU_XING = ID + "person/qu-xing"
ORGANIZERS_SENTENCE = "Organized in collaboration with UNESCO Regional Office for East Asia, UN Tourism"

if not os.path.exists(CHROMIUM):
    pytest.skip("Debian chromium is not installed (make browser)", allow_module_level=True)


class Page:
    """An opened viz page plus what it tried to fetch and what it logged."""

    def __init__(self, page, outside: list[str], errors: list[str]) -> None:
        self.page, self.outside, self.errors = page, outside, errors

    def js(self, expression: str, arg: object = None) -> object:
        return self.page.evaluate(expression, arg)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser, html: Path) -> Page:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    outside: list[str] = []
    errors: list[str] = []

    def route(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(html.as_uri())
    page.wait_for_function("() => window.hkg && window.hkg.stable === true", timeout=30_000)
    return Page(page, outside, errors)


@pytest.fixture(scope="module")
def sample_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return viz.render_html(viz.build_view(FIXTURE), tmp_path_factory.mktemp("viz") / "graph.html")


@pytest.fixture
def page(browser, sample_html: Path) -> Iterator[Page]:
    opened = open_page(browser, sample_html)
    yield opened
    opened.page.close()


def click_node(page: Page, node_id: str) -> None:
    """Click a node where the canvas draws it (centred first so no overlay covers it)."""
    page.js("""id => { const p = network.getPositions([id])[id];
                       network.moveTo({position: p, scale: 1.0, animation: false}); }""", node_id)
    point = page.js("""id => { const p = network.getPositions([id])[id];
                              const dom = network.canvasToDOM(p);
                              const box = document.getElementById('mynetwork').getBoundingClientRect();
                              return {x: box.left + dom.x, y: box.top + dom.y}; }""", node_id)
    page.page.mouse.click(point["x"], point["y"])


def test_page_loads_offline_without_errors(page: Page) -> None:
    assert page.outside == []
    assert page.errors == []
    assert page.js("document.title") == "heritagekg: viz_sample.trig"
    assert page.js("document.getElementById('hkg-status').textContent") == "12 entities · 14 relations"


def test_drawn_nodes_are_the_entities_of_the_graph(page: Page) -> None:
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    rows = store.query("""PREFIX hkg: <https://w3id.org/heritagekg/ontology#>
        SELECT DISTINCT ?e WHERE { ?e a ?c . FILTER(STRSTARTS(STR(?c), STR(hkg:)) && ?c != hkg:Article) }""",
                       use_default_graph_as_union=True)
    entities = {row["e"].value for row in rows}
    assert page.js("network.body.data.nodes.length") == len(entities) == 12
    assert set(page.js("network.body.data.nodes.getIds()")) == entities
    assert page.js("network.body.data.edges.length") == 14


def test_clicking_the_forum_shows_its_organizers_evidence(page: Page, tmp_path: Path) -> None:
    click_node(page, FORUM)
    page.page.wait_for_selector("#hkg-panel:not([hidden])")
    assert page.js("network.getSelectedNodes()") == [FORUM]
    panel = page.page.inner_text("#hkg-panel")
    assert ORGANIZERS_SENTENCE in panel
    assert panel.count(ORGANIZERS_SENTENCE) == 4  # one per organizer relation
    assert "Heritage Forum Held as Part of the Silk Road Expo" in panel  # the source article
    assert "文化遗产与创意产业论坛" in panel and "Heritage Forum" in panel  # every label
    assert "作为第八届丝绸之路(敦煌)国际文化博览会的分论坛之一" in panel  # part-of, second article
    page.page.screenshot(path=str(tmp_path / "viz-test.png"))
    assert (tmp_path / "viz-test.png").stat().st_size > 20_000  # a drawn page, not a blank one


def test_panel_links_wikidata_when_known(page: Page) -> None:
    page.js("id => hkg.select(id, true)", ID + "organization/unesco")
    link = page.page.locator("#hkg-panel a.hkg-wikidata")
    assert link.get_attribute("href") == "https://www.wikidata.org/wiki/Q7809"
    assert link.inner_text() == "Wikidata Q7809"


def test_search_finds_both_names_as_the_same_node(page: Page) -> None:
    found = []
    for name in ("曲星", "Qu Xing"):
        page.page.fill("#hkg-search", name)
        assert page.page.locator("#hkg-results li").count() == 1
        page.page.press("#hkg-search", "Enter")
        found.append(page.js("network.getSelectedNodes()"))
        assert page.js("hkg.selected") == QU_XING
        assert "Deputy Director-General" in page.page.inner_text("#hkg-panel")
    assert found == [[QU_XING], [QU_XING]]
    assert page.js("name => hkg.search(name)", "非遗") == [ID + "topic/intangible-cultural-heritage"]


def test_class_checkboxes_hide_and_show_a_class(page: Page) -> None:
    hidden = "() => network.body.data.nodes.get({filter: n => n.hidden === true}).length"
    page.page.uncheck('#hkg-classes input[data-class="Organization"]')
    assert page.js(hidden) == 5
    page.page.check('#hkg-classes input[data-class="Organization"]')
    assert page.js(hidden) == 0


def test_chinese_page_uses_chinese_labels(browser, tmp_path: Path) -> None:
    html = viz.render_html(viz.build_view(FIXTURE, lang="zh"), tmp_path / "zh.html")
    opened = open_page(browser, html)
    try:
        assert opened.js("id => network.body.data.nodes.get(id).label", QU_XING) == "曲星"
        assert opened.js("document.getElementById('hkg-search').placeholder").startswith("按任意名称")
        assert opened.outside == [] and opened.errors == []
    finally:
        opened.page.close()


def test_empty_graph_page_says_so(browser, tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix hkg: <https://w3id.org/heritagekg/ontology#> .\n")
    opened = open_page(browser, viz.render_html(viz.build_view(empty), tmp_path / "empty.html"))
    try:
        assert opened.page.is_visible("#hkg-empty")
        assert "The graph is empty" in opened.page.inner_text("#hkg-empty")
        assert opened.js("network.body.data.nodes.length") == 0
        assert opened.outside == [] and opened.errors == []
    finally:
        opened.page.close()


def test_seed_graph_page(browser, seed_trig: Path, tmp_path: Path) -> None:
    """The real pipeline's graph of data/: every entity drawn, the forum's organizers' evidence, 曲星 = Qu Xing."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(seed_trig), format=ox.RdfFormat.TRIG)
    rows = store.query("""PREFIX hkg: <https://w3id.org/heritagekg/ontology#>
        SELECT DISTINCT ?e WHERE { ?e a ?c . FILTER(STRSTARTS(STR(?c), STR(hkg:)) && ?c != hkg:Article) }""",
                       use_default_graph_as_union=True)
    entities = {row["e"].value for row in rows}
    opened = open_page(browser, viz.render_html(viz.build_view(seed_trig), tmp_path / "seed.html"))
    try:
        assert opened.outside == [] and opened.errors == []
        assert set(opened.js("network.body.data.nodes.getIds()")) == entities
        forums = opened.js("""Object.keys(hkg.data.nodes).filter(id => hkg.data.nodes[id][0] === 'Forum'
            && hkg.data.nodes[id][5].some(r => hkg.data.rels[r][0] === id && hkg.data.rels[r][1] === 'organizer'))""")
        assert forums, "the seed graph has a forum with organizers"
        forum = forums[0]
        click_node(opened, forum)
        opened.page.wait_for_selector("#hkg-panel:not([hidden])")
        assert "Organized in collaboration with" in opened.page.inner_text("#hkg-panel")
        assert opened.js("name => hkg.search(name)", "曲星") == opened.js("name => hkg.search(name)", "Qu Xing")
        assert len(opened.js("name => hkg.search(name)", "曲星")) == 1
        opened.page.screenshot(path=str(tmp_path / "viz-seed-test.png"))
    finally:
        opened.page.close()
