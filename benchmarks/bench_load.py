"""Section "load": generate the graph and load it into each engine."""
from __future__ import annotations

from typing import Any

from benchmarks.common import BenchContext

NAME = "load"
ORDER = 10


def run(ctx: BenchContext) -> dict[str, Any]:
    graph = ctx.graph()
    ctx.store()
    ctx.rdflib_graph()
    return {
        "quads": graph.quads,
        "triples": graph.triples,
        "articles": graph.articles,
        "entities": graph.entities,
        "statements": graph.statements,
        "generate_s": round(ctx.timings["generate_s"], 2),
        "store_bulk_load_s": round(ctx.timings["store_bulk_load_s"], 2),
        "rdflib_parse_s": round(ctx.timings["rdflib_parse_s"], 2),
        "speedup_vs_rdflib": round(ctx.timings["rdflib_parse_s"] / ctx.timings["store_bulk_load_s"], 1),
    }
