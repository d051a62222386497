"""Scale-out on Dask: a LocalCluster of 2 worker processes on loopback builds the same graph,
byte for byte (same IRIs), as one process; a worker killed mid-build changes nothing."""
from __future__ import annotations

import os
import signal
from pathlib import Path

import psutil
import pytest

from conftest import DATA
from heritagekg.errors import ExtractionError
from heritagekg.pipeline import BuildProgress, build_stream
from heritagekg.serialize import to_bytes

pytest.importorskip("distributed")

CITIES = ["Samarkand", "Bukhara", "Tbilisi", "Yerevan", "Kathmandu", "Cusco", "Matera", "Porto"]


def news(city: str, n: int) -> str:
    return (f"{city} Hosts Heritage Meeting\n\n"
            f"{city.upper()}, {n} May 2021 – The {n}th Forum on Living Heritage of {city} was organized by "
            f"the {city} Heritage Office and UNESCO. Director Amina Haddad of the {city} Heritage Office "
            f"spoke at the opening.\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("news")
    for n, city in enumerate(CITIES, 2):
        (folder / f"{city.lower()}.txt").write_text(news(city, n), encoding="utf-8")
    (folder / "seed.txt").write_text((DATA / "seed.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def single(corpus) -> bytes:
    return to_bytes(build_stream([corpus]).dataset, "nquads", True)


def _dask_workers() -> list[psutil.Process]:
    """Worker processes of the LocalCluster this test process started (nanny children)."""
    return [p for p in psutil.Process().children(recursive=True)
            if any("spawn_main" in part for part in p.cmdline())]


def test_local_cluster_with_two_workers_builds_the_same_graph(corpus, single):
    result = build_stream([corpus], dask="local", jobs=2, batch_articles=2)
    assert not result.errors
    assert to_bytes(result.dataset, "nquads", True) == single
    assert sorted(result.extracted) == sorted(["seed", *(c.lower() for c in CITIES)])
    assert not _dask_workers()                                   # the cluster is stopped with the build


def test_a_killed_worker_is_replaced_and_the_graph_is_unchanged(corpus, single, tmp_path):
    killed: list[int] = []

    def kill_one_worker(p: BuildProgress) -> None:
        if p.phase == "extract" and p.done >= 2 and not killed:
            workers = _dask_workers()
            assert workers, "no dask worker process found"
            killed.append(workers[0].pid)
            os.kill(workers[0].pid, signal.SIGKILL)

    result = build_stream([corpus], dask="local", jobs=2, batch_articles=1, cache_dir=tmp_path / "cache",
                          on_progress=kill_one_worker)
    assert killed
    assert to_bytes(result.dataset, "nquads", True) == single


def test_an_unreachable_scheduler_is_one_clear_error():
    from heritagekg.scale import connect

    with pytest.raises(ExtractionError, match="tcp://127.0.0.1:9: cannot reach the Dask scheduler"):
        connect("tcp://127.0.0.1:9", timeout=2)
