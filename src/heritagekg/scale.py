"""Scale-out on Dask: article batches extracted on a cluster's workers, resolved by the driver.

Why this split: extraction is the expensive, embarrassingly parallel part (spaCy per article);
resolution must see every article at once for IRIs to be deterministic and merges to cross
articles, and its input (slim extractions) is small. So workers read batches of articles and send
back slim Extractions; the driver caches them, resolves all of them in one pass and writes the
graph exactly as a single-process build does (same IRIs, same triples).

`address` is a scheduler address (`tcp://host:8786`) or `local`: a LocalCluster of worker
processes on the loopback interface, started and stopped with the build.
"""
from __future__ import annotations

import logging
from typing import Iterator

from heritagekg.errors import ExtractionError
from heritagekg.model import Article
from heritagekg.pipeline import INFLIGHT_PER_WORKER, Outcome, _batches, extract_task


def _warm(lang: str, model: str | None) -> tuple[str, str]:
    """Load the pipelines in a worker before the first task (once per worker process); the
    worker's extractor version and model, which must be the driver's for the cache to hold."""
    from heritagekg.cache import extractor_version, model_id
    from heritagekg.pipeline import warm_worker_pipelines

    warm_worker_pipelines(lang, model)
    return extractor_version(), model_id(model)


def connect(address: str, workers: int = 2, timeout: float = 15.0) -> tuple[object, object | None]:
    """(client, cluster or None): a LocalCluster for `local`, else a client of `address`
    (an unreachable scheduler is an ExtractionError after `timeout` seconds)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ExtractionError("--dask needs the dask[distributed] package: pip install 'dask[distributed]'") from None
    if address == "local":
        # every listener on loopback and a free port (the default dashboard takes :8787)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
                               silence_logs=logging.ERROR)
        try:
            return Client(cluster), cluster
        except BaseException:
            cluster.close()
            raise
    try:
        return Client(address, timeout=f"{timeout}s"), None
    except (OSError, TimeoutError) as exc:
        raise ExtractionError(f"{address}: cannot reach the Dask scheduler: {exc}") from None


def extract_dask(work: Iterator[tuple[int, Article]], lang: str, model: str | None, address: str,
                 workers: int = 2, batch_articles: int = 16) -> Iterator[Outcome]:
    """Outcomes of the articles of `work`, extracted by the workers of a Dask cluster.

    Batches are submitted as workers free up (a few in flight per worker), so the driver reads
    the corpus at the pace of the cluster and never holds it whole. Dask reschedules the tasks of
    a worker that dies; results arrive in completion order (each carries its article's index).
    """
    from distributed import as_completed

    from heritagekg.cache import extractor_version, model_id

    client, cluster = connect(address, workers)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)  # type: ignore[attr-defined]
        mine = (extractor_version(), model_id(model))
        for worker, theirs in client.run(_warm, lang, model).items():  # type: ignore[attr-defined]
            if tuple(theirs) != mine:
                raise ExtractionError(f"{address}: worker {worker} runs another heritagekg extractor or model "
                                      f"({theirs[1]}, extractor {theirs[0]}; here {mine[1]}, {mine[0]}); "
                                      "install the same heritagekg version on the workers")
        batches = _batches(work, batch_articles)
        pending = as_completed()
        inflight = 0
        for _ in range(n_workers * INFLIGHT_PER_WORKER):
            batch = next(batches, None)
            if batch is None:
                break
            pending.add(client.submit(extract_task, batch, lang, model, pure=False))  # type: ignore[attr-defined]
            inflight += 1
        while inflight:
            future = next(pending)
            inflight -= 1
            outcomes = future.result()
            future.release()
            batch = next(batches, None)
            if batch is not None:
                pending.add(client.submit(extract_task, batch, lang, model, pure=False))  # type: ignore[attr-defined]
                inflight += 1
            yield from outcomes
    finally:
        client.close()  # type: ignore[attr-defined]
        if cluster is not None:
            cluster.close()  # type: ignore[attr-defined]
