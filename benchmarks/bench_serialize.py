"""Section "serialize": writing the million-triple graph with pyoxigraph (Store.dump)."""
from __future__ import annotations

from typing import Any

from benchmarks.common import BenchContext, timed

NAME = "serialize"
ORDER = 30


def run(ctx: BenchContext) -> dict[str, Any]:
    store = ctx.store()
    out: dict[str, Any] = {}
    turtle = ctx.workdir / "merged.ttl"
    seconds, _ = timed(lambda: store.dump(turtle))
    out["turtle_1m_s"] = round(seconds, 2)
    out["turtle_bytes"] = turtle.stat().st_size
    seconds, _ = timed(lambda: store.dump(ctx.workdir / "dataset.trig"))
    out["trig_s"] = round(seconds, 2)
    seconds, _ = timed(lambda: store.dump(ctx.workdir / "dataset.nq"))
    out["nquads_s"] = round(seconds, 2)
    return out
