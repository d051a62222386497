"""The streaming build: same graph as the in-memory build, batched and in worker processes; an
on-disk store kept equal to the corpus one article graph at a time; Ctrl-C keeps what finished."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from conftest import DATA
from heritagekg.cli import app
from heritagekg.extract import extract
from heritagekg.ingest import read_articles
from heritagekg.pipeline import (MANIFEST_NAME, BuildProgress, build, build_stream, extract_batch, iter_articles,
                                 write_store_output)
from heritagekg.serialize import to_bytes

CITIES = ["Samarkand", "Bukhara", "Tbilisi", "Yerevan", "Kathmandu", "Cusco", "Matera", "Porto", "Bergen",
          "Nara", "Fez", "Petra"]
HKGR = "https://w3id.org/heritagekg/id/"


def news(city: str, n: int, partner: str = "UNESCO") -> str:
    return (f"{city} Hosts Heritage Meeting\n\n"
            f"{city.upper()}, {n} May 2021 – The {n}th Forum on Living Heritage of {city} was organized by "
            f"the {city} Heritage Office and {partner}. Director Amina Haddad of the {city} Heritage Office "
            f"spoke at the opening.\n")


def write_corpus(folder: Path, cities: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n, city in enumerate(cities, 2):
        (folder / f"{city.lower()}.txt").write_text(news(city, n), encoding="utf-8")


def nquads(result) -> bytes:
    return to_bytes(result.dataset, "nquads", True)


def store_quads(path: Path) -> set[str]:
    """The article graphs' quads; also checks that the store's merged view (its default graph,
    heritagekg.store) is exactly the union of the article graphs after every update."""
    store = ox.Store.read_only(str(path))
    named = {q for q in store if not isinstance(q.graph_name, ox.DefaultGraph)}
    view = {str(q.triple) for q in store if isinstance(q.graph_name, ox.DefaultGraph)}
    assert view == {str(q.triple) for q in named}
    return {str(q) for q in named}


def canonical(quads_bytes: bytes) -> set[str]:
    """Quads as a pyoxigraph store holds them (xsd:decimal written canonically: 0.90 -> 0.9)."""
    store = ox.Store()
    store.load(quads_bytes, ox.RdfFormat.N_QUADS)
    return {str(q) for q in store}


def extractions_cached(cache: Path) -> list[Path]:
    """Entries of the extraction cache (not of its index of input files)."""
    return list(cache.glob("v*/[0-9a-f][0-9a-f]/*.pkl"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("news")
    write_corpus(folder, CITIES[:5])
    (folder / "seed.txt").write_text((DATA / "seed.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "sub").mkdir()
    # the same file stem twice: ingest gives the second a content-hash suffix
    (folder / "sub" / "bukhara.txt").write_text(news("Bukhara", 11, "ICOMOS"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def reference(corpus):
    result = build([corpus])
    assert not result.errors
    return result


def test_iter_articles_reads_like_read_articles(corpus, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    streamed = list(iter_articles([corpus, bad, tmp_path / "missing.txt"]))
    eager = read_articles([corpus, bad, tmp_path / "missing.txt"])
    articles = [a for a in streamed if not isinstance(a, Exception)]
    errors = [e for e in streamed if isinstance(e, Exception)]
    assert [(a.id, a.source, a.content_hash) for a in articles] == \
        [(a.id, a.source, a.content_hash) for a in eager.articles]
    assert "bukhara" in {a.id for a in articles} and any(a.id.startswith("bukhara-") for a in articles)
    assert [str(e) for e in errors] == [str(e) for e in eager.errors]


def test_batched_extraction_equals_one_article_at_a_time(corpus):
    articles = read_articles([corpus]).articles
    batched = extract_batch(articles)
    for article, got in zip(articles, batched):
        one = extract(article)
        assert got.entities == one.entities and got.relations == one.relations, article.id


def test_stream_build_writes_the_same_bytes_as_build(corpus, reference):
    seen: list[BuildProgress] = []
    result = build_stream([corpus], on_progress=lambda p: seen.append(
        BuildProgress(p.phase, p.total, p.done, p.extracted, p.cached, p.failed, p.relations)))
    assert nquads(result) == nquads(reference)
    assert result.extracted == [a.id for a in reference.articles]
    assert seen[0].phase == "extract" and seen[0].total == 7 and seen[-1].phase == "done"
    assert [p.done for p in seen if p.phase == "extract"][-1] == 7
    assert seen[-1].relations == sum(len(e.relations) for e in reference.extractions) > 0


def test_two_worker_processes_give_the_same_graph(corpus, reference):
    result = build_stream([corpus], jobs=2, batch_articles=2)
    assert nquads(result) == nquads(reference)
    assert sorted(result.extracted) == sorted(a.id for a in reference.articles)


def test_store_follows_the_corpus_one_article_graph_at_a_time(tmp_path):
    news_dir = tmp_path / "news"
    write_corpus(news_dir, CITIES[:4])
    store = tmp_path / "kg"
    first = build_stream([news_dir], store=store)
    assert first.written == ["bukhara", "samarkand", "tbilisi", "yerevan"] and first.removed == []
    assert (tmp_path / ".heritagekg-cache").is_dir()            # default cache: beside the store
    assert store_quads(store) == canonical(nquads(build([news_dir])))
    manifest = json.loads((store / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(manifest["graphs"]) == [f"{HKGR}article/{c}" for c in ("bukhara", "samarkand", "tbilisi", "yerevan")]

    again = build_stream([news_dir], store=store)
    assert again.extracted == [] and again.written == [] and len(again.unchanged) == 4

    (news_dir / "tbilisi.txt").write_text(news("Tbilisi", 9, "ICCROM"), encoding="utf-8")
    (news_dir / "yerevan.txt").unlink()
    write_corpus(news_dir / "more", ["Cusco"])
    changed = build_stream([news_dir], store=store)
    assert changed.extracted == ["cusco", "tbilisi"]
    assert "tbilisi" in changed.written and "cusco" in changed.written and "samarkand" in changed.unchanged
    assert changed.removed == ["yerevan"]
    db = ox.Store.read_only(str(store))
    assert not db.contains_named_graph(ox.NamedNode(f"{HKGR}article/yerevan"))
    assert store_quads(store) == canonical(nquads(build([news_dir])))


def test_a_graph_other_than_an_article_is_never_removed(tmp_path):
    news_dir = tmp_path / "news"
    write_corpus(news_dir, CITIES[:2])
    store = tmp_path / "kg"
    build_stream([news_dir], store=store)
    db = ox.Store(str(store))
    other = ox.NamedNode("https://example.org/void")
    db.add(ox.Quad(other, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("catalogue"), other))
    del db
    (news_dir / "bukhara.txt").unlink()
    result = build_stream([news_dir], store=store)
    assert result.removed == ["bukhara"]
    assert ox.Store.read_only(str(store)).contains_named_graph(other)


def test_an_interrupted_store_update_is_finished_by_the_next_run(tmp_path):
    news_dir = tmp_path / "news"
    write_corpus(news_dir, CITIES[:4])
    store = tmp_path / "kg"
    build_stream([news_dir], store=store)
    before = store_quads(store)
    for city in ("Bukhara", "Samarkand", "Tbilisi"):
        (news_dir / f"{city.lower()}.txt").write_text(news(city, 12, "ICOMOS"), encoding="utf-8")

    def ctrl_c_after_one_graph(p: BuildProgress) -> None:
        if p.phase == "write" and p.written == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_stream([news_dir], store=store, on_progress=ctrl_c_after_one_graph)
    middle = store_quads(store)
    assert middle != before
    manifest = json.loads((store / MANIFEST_NAME).read_text(encoding="utf-8"))["graphs"]
    assert len([g for g in manifest if g.rsplit("/", 1)[-1] in ("bukhara", "samarkand", "tbilisi")]) == 1
    rerun = build_stream([news_dir], store=store)
    assert rerun.extracted == []                                  # all three were cached before Ctrl-C
    assert len(rerun.written) == 2
    assert store_quads(store) == canonical(nquads(build([news_dir])))


def test_sigint_keeps_the_store_and_the_rerun_extracts_only_the_rest(tmp_path):
    news_dir = tmp_path / "news"
    write_corpus(news_dir, CITIES[:2])
    store, cache = tmp_path / "kg", tmp_path / "cache"
    cmd = [str(Path(sys.executable).parent / "heritagekg"), "build", str(news_dir), "--store", str(store),
           "--cache", str(cache), "--batch-size", "1", "--no-progress"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    before = store_quads(store)
    write_corpus(news_dir / "more", CITIES[2:])
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while len(extractions_cached(cache)) < 4 and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert store_quads(store) == before                            # extraction phase: store untouched
    done = len(extractions_cached(cache))
    assert 4 <= done < len(CITIES)
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"({len(CITIES) - done} extracted, {done} cached)" in rerun.stderr
    assert store_quads(store) == canonical(nquads(build([news_dir])))


def test_cli_store_and_output_from_the_store(tmp_path):
    news_dir = tmp_path / "news"
    write_corpus(news_dir, CITIES[:3])
    runner = CliRunner()
    out = tmp_path / "kg.nq"
    res = runner.invoke(app, ["build", str(news_dir), "--store", str(tmp_path / "kg"), "-o", str(out), "-j", "1"])
    assert res.exit_code == 0, res.output
    assert "3 article graphs written, 0 unchanged, 0 removed" in res.output
    assert canonical(out.read_bytes()) == store_quads(tmp_path / "kg")
    ttl = write_store_output(tmp_path / "kg", tmp_path / "kg.ttl")
    from rdflib import Graph

    triples = {q.triple for q in ox.Store.read_only(str(tmp_path / "kg"))}
    assert len(Graph().parse(ttl)) == len(triples)
    res = runner.invoke(app, ["build", str(news_dir), "--store", str(tmp_path / "kg")])
    assert "0 article graphs written, 3 unchanged" in res.output and "(0 extracted, 3 cached)" in res.output


def test_cli_needs_an_output_or_a_store(tmp_path):
    res = CliRunner().invoke(app, ["build", str(DATA)])
    assert res.exit_code == 2 and "give -o FILE, --store DIR, or both" in res.output


def test_a_killed_worker_process_fails_cleanly_and_the_rerun_finishes(tmp_path):
    import psutil

    from heritagekg.errors import ExtractionError

    news_dir = tmp_path / "news"
    write_corpus(news_dir, CITIES[:2])
    store, cache = tmp_path / "kg", tmp_path / "cache"
    build_stream([news_dir], store=store, cache_dir=cache)
    before = store_quads(store)
    write_corpus(news_dir / "more", CITIES[2:])
    killed: list[int] = []

    def kill_a_worker(p: BuildProgress) -> None:
        if p.phase == "extract" and p.extracted >= 1 and not killed:
            servers = [c for c in psutil.Process().children() if "forkserver" in " ".join(c.cmdline())]
            workers = [w for s in servers for w in s.children()]
            assert workers, "no worker process found"
            killed.append(workers[0].pid)
            os.kill(workers[0].pid, signal.SIGKILL)

    with pytest.raises(ExtractionError, match="worker process died"):
        build_stream([news_dir], store=store, cache_dir=cache, jobs=2, batch_articles=1, on_progress=kill_a_worker)
    assert store_quads(store) == before
    rerun = build_stream([news_dir], store=store, cache_dir=cache, jobs=2)
    assert len(rerun.extracted) + len(rerun.cached) == len(CITIES) and len(rerun.cached) >= 3
    assert store_quads(store) == canonical(nquads(build([news_dir])))


def test_an_interrupted_first_build_leaves_no_store_behind(tmp_path):
    news_dir = tmp_path / "news"
    write_corpus(news_dir, CITIES[:3])
    store = tmp_path / "kg"

    def ctrl_c_while_writing(p: BuildProgress) -> None:
        if p.phase == "write" and p.written == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_stream([news_dir], store=store, on_progress=ctrl_c_while_writing)
    assert not store.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".kg.")] == []
    result = build_stream([news_dir], store=store)
    assert result.extracted == [] and len(result.written) == 3      # extractions were cached
    assert store_quads(store) == canonical(nquads(build([news_dir])))


def test_a_folder_that_is_not_a_store_is_refused(tmp_path):
    from heritagekg.errors import StoreError

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not a store folder and not empty"):
        build_stream([DATA], store=tmp_path / "docs")
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["notes.txt"]
