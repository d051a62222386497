"""Section "query": every queries/*.rq on the on-disk store vs rdflib's in-memory graph.

Each library query runs in two forms on both engines, with the same query text:
- "listing": no parameter (every event, every entity ...);
- "focused": the way an analyst asks about one thing, each `--param` the file declares bound
  (with `heritagekg.query.bind`) to the busiest entity of its kind, the worst case.
The store side is `heritagekg.query.run_query` (execution and every row collected in Python),
median of `repeat` runs; rdflib runs `list(graph.query(text))`, median of up to 3 runs (1 when a
run takes over 2 s, stopped at `RDFLIB_CAP_S`: the speedup is then a lower bound).

Summary keys: `max_store_ms` / `min_speedup_vs_rdflib` over the analyst form of each query
(focused when it takes parameters, else the listing); `listing_*` over all listings.
"""
from __future__ import annotations

import signal
from typing import Any

from benchmarks.common import BenchContext, median_seconds

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

    store = ctx.store()
    graph = ctx.rdflib_graph()
    samples = _samples(store)
    details: dict[str, Any] = {}
    analyst: list[tuple[float, float]] = []
    listing: list[tuple[float, float]] = []
    for q in list_queries():
        forms = {"listing": q.text}
        params = [p for p in q.parameters if p != "object"]  # evidence: narrow by subject and predicate
        if params:
            forms["focused"] = bind(q.text, {p: [samples[p]] for p in params}, q.name)
        entry: dict[str, Any] = {}
        for form, text in forms.items():
            store_s, runs = median_seconds(lambda: run_query(text, store, name=q.name), ctx.repeat)
            rows = len(run_query(text, store, name=q.name))
            rdflib_s, rdflib_rows, capped = _rdflib_seconds(graph, text)
            entry[form] = {"rows": rows, "store_ms": round(store_s * 1000, 1), "store_runs": runs,
                           "rdflib_ms": round(rdflib_s * 1000, 1), "rdflib_capped": capped,
                           "speedup": round(rdflib_s / store_s, 1)}
            if not capped and rdflib_rows != rows:
                entry[form]["rdflib_rows"] = rdflib_rows  # engines disagree: visible in the results
            pair = (store_s * 1000, rdflib_s / store_s)
            if form == "listing":
                listing.append(pair)
            if form == ("focused" if params else "listing"):
                analyst.append(pair)
            print(f"  {q.name:26s} {form:8s} rows={rows:7d} store={store_s * 1000:8.1f} ms "
                  f"rdflib={rdflib_s * 1000:9.1f} ms{'+' if capped else ''} x{rdflib_s / store_s:.0f}", flush=True)
        entry["parameters"] = {p: str(samples[p]) for p in params}
        details[q.name] = entry
    return {
        "max_store_ms": round(max(ms for ms, _ in analyst), 1),
        "min_speedup_vs_rdflib": round(min(x for _, x in analyst), 1),
        "listing_max_store_ms": round(max(ms for ms, _ in listing), 1),
        "listing_min_speedup_vs_rdflib": round(min(x for _, x in listing), 1),
        "details": details,
    }
