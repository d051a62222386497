"""Section "store": which engine is faster for each store operation (the table in store.py).

Runs on its own smaller graph (`STORE_TRIPLES`, ~200k distinct triples) so rdflib finishes in
seconds: loading a file, converting between an rdflib Dataset and the Store both ways (term by
term vs through N-Quads text), Turtle serialization, and replacing one article's graph.
"""
from __future__ import annotations

import statistics
from typing import Any

from benchmarks.common import BenchContext, timed
from benchmarks.generate import generate

NAME = "store"
ORDER = 40
STORE_TRIPLES = 200_000


def run(ctx: BenchContext) -> dict[str, Any]:
    import rdflib

    from heritagekg.store import Store

    work = ctx.workdir / "store-section"
    work.mkdir(parents=True, exist_ok=True)
    graph = generate(work / "g.nq", STORE_TRIPLES, ctx.seed)
    out: dict[str, Any] = {"quads": graph.quads, "triples": graph.triples}

    out["load_store_disk_s"], disk = timed(lambda: _loaded(Store(work / "disk"), graph.path))
    out["load_store_memory_s"], _ = timed(lambda: _loaded(Store(), graph.path))

    def parse() -> rdflib.Dataset:
        ds = rdflib.Dataset()
        ds.parse(graph.path, format="nquads")
        return ds

    out["load_rdflib_dataset_s"], ds = timed(parse)
    out["from_rdflib_convert_s"], _ = timed(lambda: Store.from_dataset(ds))
    out["from_rdflib_via_nquads_s"], _ = timed(
        lambda: _loaded(Store(), ds.serialize(format="nquads", encoding="utf-8"), "nq"))
    out["to_rdflib_convert_s"], _ = timed(disk.to_dataset)

    def via_nquads() -> rdflib.Dataset:
        back = rdflib.Dataset()
        back.parse(data=disk.dump(format="nq"), format="nquads")
        return back

    out["to_rdflib_via_nquads_s"], _ = timed(via_nquads)
    out["turtle_store_s"], _ = timed(lambda: disk.dump(work / "g.ttl"))
    flat = rdflib.Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        flat.add((s, p, o))
    out["turtle_rdflib_s"], _ = timed(lambda: flat.serialize(work / "g-rdflib.ttl", format="turtle"))

    articles = disk.articles()[:20]
    times = []
    for article in articles:
        triples = disk.article_triples(article)
        seconds, _ = timed(lambda: disk.replace_article(article, triples))
        times.append(seconds)
    out["replace_article_ms"] = round(statistics.median(times) * 1000, 1)
    out["replace_article_quads"] = round(statistics.mean(len(disk.article_triples(a)) for a in articles))
    disk.close()
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in out.items()}


def _loaded(store: Any, source: Any, fmt: str | None = None) -> Any:
    store.load(source, fmt)
    return store
