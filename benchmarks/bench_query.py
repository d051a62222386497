"""Section "query": every queries/*.rq on the on-disk store vs rdflib's in-memory graph.

Each library query runs in two forms on both engines, with the same query text:
- "listing": no parameter (every event, every entity ...);
- "focused": the way an analyst asks about one thing, each `--param` the file declares bound
  (with `heritagekg.query.bind`) to the busiest entity of its kind, the worst case.
Two store configurations, both `heritagekg.query.run_query` (execution and every row collected
in Python), median of `repeat` runs:
- "store": the on-disk store with its merged view copied into memory (`Store.keep_view_in_memory`),
  as `heritagekg serve` workers and the notebook API hold it; the copy's time is `view_load_s`;
- "disk": the on-disk store read through RocksDB, as a one-shot `heritagekg query STORE` reads it.
 rdflib runs `list(graph.query(text))`, median of up to 3 runs (1 when a
run takes over 2 s, stopped at `RDFLIB_CAP_S`: the speedup is then a lower bound).

Summary keys: `max_store_ms` / `min_speedup_vs_rdflib` over the analyst form of each query
(focused when it takes parameters, else the listing) on the served store; `disk_*` the same on
disk; `listing_*` over all listings.
"""
from __future__ import annotations

import signal
from typing import Any

from benchmarks.common import BenchContext, median_seconds, timed

NAME = "query"
ORDER = 20
RDFLIB_CAP_S = 45.0
RDFLIB_REPEAT_UNDER_S = 2.0

_SAMPLES = {  # the busiest of each kind: most publications released at it, most roles, most outputs
    "event": "SELECT ?x (COUNT(?p) AS ?n) WHERE { ?p hkg:releasedAt ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
    "organization": "SELECT ?x (COUNT(?e) AS ?n) WHERE { ?e hkg:organizer ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
    "project": "SELECT ?x (COUNT(?p) AS ?n) WHERE { ?p hkg:outputOf ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1",
}


class _RdflibTimeout(BaseException):
    """Raised by SIGALRM inside rdflib's pure-Python evaluation (BaseException: rdflib catches Exception)."""


def _rdflib_seconds(graph: Any, text: str) -> tuple[float, int, bool]:
    """(median seconds, rows, capped) of rdflib running `text`."""
    rows = 0

    def run() -> None:
        nonlocal rows
        rows = len(list(graph.query(text)))

    def alarm(*_: object) -> None:
        raise _RdflibTimeout

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, RDFLIB_CAP_S)
    try:
        seconds, _ = median_seconds(run, 3, budget_s=RDFLIB_REPEAT_UNDER_S)
        return seconds, rows, False
    except _RdflibTimeout:
        return RDFLIB_CAP_S, rows, True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _samples(store: Any) -> dict[str, Any]:
    import pyoxigraph as ox

    from heritagekg.query import run_query

    found: dict[str, Any] = {}
    for name, sparql in _SAMPLES.items():
        result = run_query(sparql, store)
        found[name] = result.rows[0][0]
    found["entity"] = found["organization"]
    found["subject"] = found["event"]
    found["predicate"] = ox.NamedNode("https://w3id.org/heritagekg/ontology#organizer")
    return found


def run(ctx: BenchContext) -> dict[str, Any]:
    from heritagekg.query import bind, list_queries, run_query

    from heritagekg.store import Store

    disk = ctx.store()
    graph = ctx.rdflib_graph()
    served = Store(disk.path, read_only=True)
    view_load_s, _ = timed(served.keep_view_in_memory)
    samples = _samples(disk)
    details: dict[str, Any] = {}
    analyst: list[tuple[float, float]] = []
    listing: list[tuple[float, float]] = []
    disk_analyst: list[tuple[float, float]] = []
    disk_listing: list[tuple[float, float]] = []
    for q in list_queries():
        forms = {"listing": q.text}
        params = [p for p in q.parameters if p != "object"]  # evidence: narrow by subject and predicate
        if params:
            forms["focused"] = bind(q.text, {p: [samples[p]] for p in params}, q.name)
        entry: dict[str, Any] = {}
        for form, text in forms.items():
            store_s, runs = median_seconds(lambda: run_query(text, served, name=q.name), ctx.repeat)
            disk_s, _ = median_seconds(lambda: run_query(text, disk, name=q.name), ctx.repeat, budget_s=2.0)
            rows = len(run_query(text, served, name=q.name))
            disk_rows = len(run_query(text, disk, name=q.name))
            rdflib_s, rdflib_rows, capped = _rdflib_seconds(graph, text)
            entry[form] = {"rows": rows, "store_ms": round(store_s * 1000, 1), "store_runs": runs,
                           "disk_ms": round(disk_s * 1000, 1),
                           "rdflib_ms": round(rdflib_s * 1000, 1), "rdflib_capped": capped,
                           "speedup": round(rdflib_s / store_s, 1), "disk_speedup": round(rdflib_s / disk_s, 1)}
            if not capped and rdflib_rows != rows:
                entry[form]["rdflib_rows"] = rdflib_rows  # engines disagree: visible in the results
            if disk_rows != rows:
                entry[form]["disk_rows"] = disk_rows
            pair, disk_pair = (store_s * 1000, rdflib_s / store_s), (disk_s * 1000, rdflib_s / disk_s)
            if form == "listing":
                listing.append(pair)
                disk_listing.append(disk_pair)
            if form == ("focused" if params else "listing"):
                analyst.append(pair)
                disk_analyst.append(disk_pair)
            print(f"  {q.name:26s} {form:8s} rows={rows:7d} store={store_s * 1000:8.1f} ms "
                  f"disk={disk_s * 1000:8.1f} ms rdflib={rdflib_s * 1000:9.1f} ms{'+' if capped else ''} "
                  f"x{rdflib_s / store_s:.0f}", flush=True)
        entry["parameters"] = {p: str(samples[p]) for p in params}
        details[q.name] = entry
    served.close()
    return {
        "max_store_ms": round(max(ms for ms, _ in analyst), 1),
        "min_speedup_vs_rdflib": round(min(x for _, x in analyst), 1),
        "listing_max_store_ms": round(max(ms for ms, _ in listing), 1),
        "listing_min_speedup_vs_rdflib": round(min(x for _, x in listing), 1),
        "disk_max_store_ms": round(max(ms for ms, _ in disk_analyst), 1),
        "disk_min_speedup_vs_rdflib": round(min(x for _, x in disk_analyst), 1),
        "disk_listing_max_store_ms": round(max(ms for ms, _ in disk_listing), 1),
        "view_load_s": round(view_load_s, 2),
        "details": details,
    }
