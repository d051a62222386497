"""Shared state of one benchmark run: the synthetic graph, the loaded engines, timing helpers.

Sections ask the context for what they need (`ctx.store()`, `ctx.rdflib_graph()`); each artifact
is built once per run, its build time recorded in `ctx.timings` (the load section reports them).
"""
from __future__ import annotations

import gc
import shutil
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from benchmarks.generate import GeneratedGraph, generate


@dataclass
class BenchContext:
    """Options of the run and lazily built artifacts shared by sections."""

    workdir: Path
    triples: int = 1_000_000
    repeat: int = 5
    seed: int = 42
    timings: dict[str, float] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)

    def cached(self, key: str, build: Callable[[], Any], timing: str | None = None) -> Any:
        """Build an artifact once; record its build time under `timing`."""
        if key not in self._cache:
            start = time.perf_counter()
            self._cache[key] = build()
            if timing:
                self.timings[timing] = time.perf_counter() - start
        return self._cache[key]

    def graph(self) -> GeneratedGraph:
        """The synthetic N-Quads file (~`triples` distinct triples)."""
        def make() -> GeneratedGraph:
            self.workdir.mkdir(parents=True, exist_ok=True)
            return generate(self.workdir / "synthetic.nq", self.triples, self.seed)
        return self.cached("graph", make, "generate_s")

    def store(self) -> Any:
        """An on-disk heritagekg Store holding the graph (named graphs + merged view)."""
        from heritagekg.store import Store

        def make() -> Any:
            path = self.workdir / "store"
            shutil.rmtree(path, ignore_errors=True)
            store = Store(path)
            store.load(self.graph().path)
            store.flush()
            return store
        self.graph()
        return self.cached("store", make, "store_bulk_load_s")

    def flat_ntriples(self) -> Path:
        """The merged graph as N-Triples (what rdflib's in-memory graph is loaded from)."""
        def make() -> Path:
            path = self.workdir / "merged.nt"
            self.store().dump(path)
            return path
        self.store()
        return self.cached("flat_nt", make, "store_dump_ntriples_s")

    def rdflib_graph(self) -> Any:
        """rdflib's in-memory Graph of the merged triples (set semantics, like our merged view)."""
        import rdflib

        def make() -> Any:
            g = rdflib.Graph()
            g.parse(self.flat_ntriples(), format="nt")
            return g
        self.flat_ntriples()
        return self.cached("rdflib", make, "rdflib_parse_s")

    def close(self, keep: bool = False) -> None:
        store = self._cache.pop("store", None)
        if store is not None:
            store.close()
        self._cache.clear()
        gc.collect()
        if not keep:
            shutil.rmtree(self.workdir, ignore_errors=True)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_seconds(fn: Callable[[], Any], repeat: int, budget_s: float | None = None) -> tuple[float, int]:
    """Median wall time of `repeat` calls (fewer when the first call alone exceeds `budget_s`)."""
    first, _ = timed(fn)
    times = [first]
    if budget_s is not None and first > budget_s:
        return first, 1
    for _ in range(repeat - 1):
        times.append(timed(fn)[0])
    return statistics.median(times), len(times)
