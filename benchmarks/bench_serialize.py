"""Section "serialize": writing the million-triple graph with pyoxigraph.

`turtle_1m_s`: Turtle of the merged graph from an in-memory pyoxigraph store (the engine's
serialization speed, the path of a KnowledgeGraph in memory); `turtle_from_disk_store_s`: the
same through `Store.dump` on the on-disk store, which adds reading every term back from RocksDB
and an fsync'd atomic write; TriG and N-Quads keep the article graphs.
"""
from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from benchmarks.common import BenchContext, timed

NAME = "serialize"
ORDER = 30


def run(ctx: BenchContext) -> dict[str, Any]:
    from heritagekg.store import Store, prefixes

    store = ctx.store()
    out: dict[str, Any] = {}
    memory = Store()
    memory.load(ctx.flat_ntriples())
    seconds, data = timed(lambda: memory.oxigraph.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(),
                                                        prefixes=prefixes()))
    out["turtle_1m_s"] = round(seconds, 2)
    out["turtle_triples"] = len(memory)
    out["turtle_bytes"] = len(data)
    del data, memory
    turtle = ctx.workdir / "merged.ttl"
    seconds, _ = timed(lambda: store.dump(turtle))
    out["turtle_from_disk_store_s"] = round(seconds, 2)
    seconds, _ = timed(lambda: store.dump(ctx.workdir / "dataset.trig"))
    out["trig_from_disk_store_s"] = round(seconds, 2)
    seconds, _ = timed(lambda: store.dump(ctx.workdir / "dataset.nq"))
    out["nquads_from_disk_store_s"] = round(seconds, 2)
    return out
