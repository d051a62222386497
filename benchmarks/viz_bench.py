"""Visualization benchmark: time to a stable drawing in Debian's chromium, and page size.

For graphs of 500, 5,000 and 20,000 entities (exact counts, hence a generator of our own rather
than benchmarks/generate.py, which targets a number of quads) shaped like the graph heritagekg
writes: events with organizers, speakers, places and topics drawn with Zipf-like reuse, persons
with affiliations, publications released at events, every relation with an evidence statement.

Measured per size: build_view seconds (RDF -> view), render seconds (view -> HTML file), page
size, and seconds from navigation start to the first drawing after physics stabilized
(`hkg.stableMs`, set by the page itself). Target: 5,000 nodes stable in under 10 s.

    python -m benchmarks.viz_bench            # prints the results as JSON
"""
from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from heritagekg import viz

SIZES = (500, 5000, 20000)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

_HKG = "https://w3id.org/heritagekg/ontology#"
_BASE = "https://w3id.org/heritagekg/id/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_PROV = "http://www.w3.org/ns/prov#"
_XSD = "http://www.w3.org/2001/XMLSchema#"

#: share of entities per class (sums to 1)
_MIX = (("Forum", 0.10), ("Expo", 0.03), ("Event", 0.02), ("Organization", 0.30), ("Person", 0.25),
        ("Place", 0.10), ("HeritageSite", 0.03), ("Project", 0.05), ("Publication", 0.07), ("Topic", 0.05))
_WORDS = ("heritage culture silk road tourism creative craft museum grotto academy regional national "
          "provincial international digital living community river mountain city festival dialogue "
          "knowledge innovation sustainable youth design archive temple").split()
_ZH = "文化遗产丝绸之路旅游创意手工博物馆石窟研究院区域国家省国际数字社区河流山城市节对话知识创新"


def _class_sizes(n: int) -> dict[str, int]:
    sizes = {cls: max(1, int(n * share)) for cls, share in _MIX}
    sizes["Organization"] += n - sum(sizes.values())  # exact total
    return sizes


def synthetic_nquads(n: int, seed: int = 5) -> str:
    """N-Quads of a graph with exactly `n` entities, in the shape of docs/DESIGN.md."""
    rng = random.Random(seed)
    sizes = _class_sizes(n)
    iri = {cls: [f"{_BASE}{cls.lower()}/{cls.lower()}-{i}" for i in range(k)] for cls, k in sizes.items()}

    def zipf(cls: str) -> str:
        pool = iri[cls]
        return pool[min(len(pool) - 1, int(rng.paretovariate(1.1)) - 1)] if rng.random() < 0.5 \
            else rng.choice(pool)

    lines: list[str] = []
    statement = 0

    def quad(s: str, p: str, o: str, g: str) -> None:
        lines.append(f"<{s}> <{p}> {o} <{g}> .")

    def relation(s: str, p: str, o: str, sentence: str, article: str) -> None:
        nonlocal statement
        quad(s, _HKG + p, f"<{o}>", article)
        st = f"{_BASE}statement/{statement:08x}"
        statement += 1
        quad(st, _RDF + "type", f"<{_RDF}Statement>", article)
        quad(st, _RDF + "subject", f"<{s}>", article)
        quad(st, _RDF + "predicate", f"<{_HKG}{p}>", article)
        quad(st, _RDF + "object", f"<{o}>", article)
        quad(st, _HKG + "evidence", json.dumps(sentence, ensure_ascii=False) + "@en", article)
        quad(st, _HKG + "confidence", f'"0.9"^^<{_XSD}decimal>', article)
        quad(st, _HKG + "extractor", '"bench:synthetic"', article)
        quad(st, _PROV + "wasDerivedFrom", f"<{article}>", article)

    for cls, pool in iri.items():
        for i, entity in enumerate(pool):
            g = f"{_BASE}article/entities-{i % 50}"
            quad(entity, _RDF + "type", f"<{_HKG}{cls}>", g)
            name = " ".join(rng.choice(_WORDS).title() for _ in range(3)) + f" {cls} {i}"
            quad(entity, _RDFS + "label", json.dumps(name) + "@en", g)
            if rng.random() < 0.6:
                zh = "".join(rng.choice(_ZH) for _ in range(6)) + str(i)
                quad(entity, _RDFS + "label", json.dumps(zh, ensure_ascii=False) + "@zh", g)
    events = iri["Forum"] + iri["Expo"] + iri["Event"]
    persons = iter(iri["Person"])
    for i, event in enumerate(events):
        article = f"{_BASE}article/news-{i}"
        quad(article, _RDF + "type", f"<{_HKG}Article>", article)
        quad(article, _RDFS + "label", json.dumps(f"News {i}") + "@en", article)
        sentence = f"The event {i} was organized by several partners and brought together experts."
        for _ in range(rng.randint(1, 4)):
            relation(event, "organizer", zipf("Organization"), sentence, article)
        for _ in range(rng.randint(1, 4)):
            person = next(persons, None) or rng.choice(iri["Person"])
            relation(event, rng.choice(("speaker", "participant")), person, sentence, article)
            relation(person, "affiliation", zipf("Organization"), sentence, article)
        relation(event, "location", zipf("Place"), sentence, article)
        relation(event, "about", zipf("Topic"), sentence, article)
        if event in iri["Forum"] and rng.random() < 0.5:
            relation(event, "partOf", rng.choice(iri["Expo"]), sentence, article)
    article = f"{_BASE}article/background"
    for publication in iri["Publication"]:
        relation(publication, "releasedAt", rng.choice(events), "It was launched at the event.", article)
        relation(publication, "outputOf", zipf("Project"), "It is a knowledge product of the project.", article)
    for project in iri["Project"]:
        relation(project, "funder", zipf("Organization"), "The project is funded by the bank.", article)
    for i, place in enumerate(iri["Place"][1:] + iri["HeritageSite"], start=1):
        relation(place, "locatedIn", iri["Place"][rng.randrange(min(i, len(iri["Place"])))],
                 "The site lies in the province.", article)
    return "\n".join(lines) + "\n"


def _measure_page(browser, path: Path, screenshot: Path | None, timeout_s: float) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    outside: list[str] = []
    errors: list[str] = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
               else (outside.append(route.request.url), route.abort()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    start = time.perf_counter()
    page.goto(path.as_uri(), timeout=timeout_s * 1000)
    page.wait_for_function("() => window.hkg && window.hkg.stable === true", timeout=timeout_s * 1000,
                           polling=100)
    wall = time.perf_counter() - start
    stable_ms = page.evaluate("hkg.stableMs")
    drawn = page.evaluate("network.body.data.nodes.length")
    if screenshot is not None:
        page.screenshot(path=str(screenshot))
    page.close()
    return {"stable_s": round(stable_ms / 1000, 2), "wall_s": round(wall, 2), "drawn": drawn,
            "requests_outside": len(outside), "console_errors": len(errors)}


def _sizes_results(sizes: tuple[int, ...], work: Path, out_dir: Path | None, browser) -> Iterator[tuple[str, object]]:
    for n in sizes:
        store = ox.Store()
        store.bulk_load(synthetic_nquads(n).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        start = time.perf_counter()
        view = viz.build_view(store)
        built = time.perf_counter()
        page = viz.render_html(view, work / f"viz-{n}.html")
        rendered = time.perf_counter()
        shot = out_dir / f"viz-bench-{n}.png" if out_dir else None
        measured = _measure_page(browser, page, shot, timeout_s=300)
        yield f"viz.nodes_{n}", len(view.nodes)
        yield f"viz.edges_{n}", len(view.edges)
        yield f"viz.build_s_{n}", round(built - start, 2)
        yield f"viz.render_s_{n}", round(rendered - built, 2)
        yield f"viz.file_mb_{n}", round(page.stat().st_size / 1e6, 2)
        yield f"viz.stable_s_{n}", measured["stable_s"]
        yield f"viz.wall_s_{n}", measured["wall_s"]
        yield f"viz.drawn_{n}", measured["drawn"]
        yield f"viz.requests_outside_{n}", measured["requests_outside"]
        yield f"viz.console_errors_{n}", measured["console_errors"]


def run(sizes: tuple[int, ...] = SIZES, out_dir: Path | None = None) -> dict:
    """Render each size and measure it in chromium; returns flat `viz.*` keys (seconds, MB, counts)."""
    from playwright.sync_api import sync_playwright

    results: dict[str, object] = {"viz.large_graph_nodes": viz.LARGE_GRAPH_NODES}
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hkg-viz-bench-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            results.update(_sizes_results(sizes, Path(tmp), out_dir, browser))
        finally:
            browser.close()
    results["viz.target_met_5000"] = (results.get("viz.stable_s_5000", 1e9) < 10)  # type: ignore[operator]
    return results


if __name__ == "__main__":
    print(json.dumps(run(out_dir=Path("out")), indent=2))
