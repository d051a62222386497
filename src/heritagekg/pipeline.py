"""The whole build: ingest -> extract -> resolve -> graph, as one library call.

One bad input never stops the build: its error is recorded (one line naming the file) and the
other articles are still built.

Two entry points:
- `build()` / `build_articles()`: the whole corpus in memory, an rdflib Dataset out (small inputs,
  notebooks, tests).
- `build_stream()`: articles stream from disk through the English pipeline in batches (`nlp.pipe`
  over the paragraphs of many articles at once), on `jobs` worker processes or a Dask cluster,
  with a build cache (an unchanged article is never re-extracted) and an on-disk pyoxigraph store
  updated one named graph per article, in one transaction each. Memory follows what was
  extracted (small) and the graph, not the corpus text.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import shutil
import signal
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from rdflib import Dataset

from heritagekg.errors import ExtractionError, HeritageKGError, InputError, StoreError
from heritagekg.extract import extract, paragraphs_for
from heritagekg.graph import add_article, build_dataset, normalize_base
from heritagekg.ingest import iter_files, read_articles, unique_id
from heritagekg.model import Article, Extraction
from heritagekg.resolve import Resolution, resolve
from heritagekg.serialize import atomic_open

#: articles per unit of work: one `nlp.pipe` call in-process, one task for a worker or Dask
BATCH_ARTICLES = 32
#: tasks kept in flight per worker (enough to keep it busy, few enough to bound memory)
INFLIGHT_PER_WORKER = 2
MANIFEST_NAME = "heritagekg-manifest.json"
#: article graphs built and written together (new graphs: one store transaction per batch)
WRITE_BATCH = 64
#: article graphs per bulk-loader call in a first build (bounds the loader's memory)
BULK_ARTICLES = 256
#: bump when the store manifest or the fingerprint of an article graph changes meaning
GRAPH_FORMAT = "1"


@dataclass
class BuildResult:
    dataset: Dataset
    articles: list[Article]
    extractions: list[Extraction]
    resolution: Resolution
    errors: list[HeritageKGError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def build_articles(articles: list[Article], base_iri: str | None = None, lang: str = "auto",
                   model: str | None = None, prefer: tuple[str, ...] = ("en", "zh"),
                   errors: list[HeritageKGError] | None = None) -> BuildResult:
    errors = list(errors or [])
    extractions: list[Extraction] = []
    for article in articles:
        try:
            extractions.append(extract(article, lang=lang, model=model))
        except HeritageKGError as exc:
            errors.append(exc)
        except Exception as exc:  # a bug on one article must not lose the others
            errors.append(ExtractionError(f"{article.source}: extraction failed: {type(exc).__name__}: {exc}"))
    resolution = resolve(extractions)
    dataset = build_dataset(extractions, resolution, base_iri=base_iri, prefer=prefer)
    return BuildResult(dataset, [e.article for e in extractions], extractions, resolution, errors)


def build(paths: Iterable[str | Path], base_iri: str | None = None, lang: str = "auto",
          model: str | None = None, prefer: tuple[str, ...] = ("en", "zh")) -> BuildResult:
    """Build the knowledge graph of every article under `paths`."""
    ingested = read_articles(paths, lang=None if lang == "auto" else lang)
    errors: list[HeritageKGError] = list(ingested.errors)
    return build_articles(ingested.articles, base_iri, lang, model, prefer, errors)


# --- streaming ingest ----------------------------------------------------------------------------

def read_file(file: Path, lang: str | None) -> tuple[list[Article], list[InputError]]:
    """The articles of one input file and the errors of its bad lines (ids not yet unique)."""
    from heritagekg.ingest import _read_file

    try:
        return _read_file(file, lang)
    except InputError as exc:
        return [], [exc]


def iter_articles(paths: Iterable[str | Path] | str | Path, lang: str | None = None
                  ) -> Iterator[Article | InputError]:
    """The articles of `read_articles(paths, lang)`, in the same order with the same ids, read one
    file at a time (an InputError is yielded in place of what could not be read)."""
    used: set[str] = set()
    for file in iter_files(paths):
        if isinstance(file, InputError):
            yield file
            continue
        articles, errors = read_file(file, lang)
        for article in articles:
            article.id = unique_id(article.id, article.content_hash, used)
            yield article
        yield from errors


def count_inputs(paths: Iterable[str | Path]) -> int:
    """About how many articles `paths` hold (files, lines of .jsonl files): the progress total."""
    from heritagekg.ingest import _folder_files

    total = 0
    for raw in paths:
        path = Path(raw)
        files = _folder_files(path)[0] if path.is_dir() else ([path] if path.is_file() else [])
        for f in files:
            if f.suffix.lower() == ".jsonl":
                try:
                    with f.open("rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


# --- extraction in batches -----------------------------------------------------------------------

@dataclass
class Outcome:
    """What extracting one article gave: its (slim) extraction, or the one-line error."""

    index: int
    extraction: Extraction | None
    error: str | None = None


def extract_batch(articles: list[Article], lang: str = "auto", model: str | None = None) -> list[Extraction | HeritageKGError]:
    """Extractions of several articles, their English paragraphs piped through spaCy together.

    Equivalent to `[extract(a) for a in articles]`; an article that fails gives its error in its
    place. When the batched pipe itself fails, the rest are extracted one by one to isolate it.
    """
    groups = [paragraphs_for(a, lang) for a in articles]
    texts = [p.text for g in groups for p in g["en"]]
    docs: Iterator | None = None
    if texts:
        try:
            from heritagekg.nlp.en import english_pipeline

            docs = iter(english_pipeline(model).pipe(texts))
        except Exception:
            docs = None  # e.g. no model: each article reports it below
    out: list[Extraction | HeritageKGError] = []
    for article, group in zip(articles, groups):
        en_docs = None
        if docs is not None and group["en"]:
            try:
                en_docs = [next(docs) for _ in group["en"]]
            except Exception:
                docs = None  # one text broke the batch: the others go one by one
        try:
            out.append(extract(article, lang=lang, model=model, en_docs=en_docs))
        except HeritageKGError as exc:
            out.append(exc)
        except Exception as exc:  # a bug on one article must not lose the others
            out.append(ExtractionError(f"{article.source}: extraction failed: {type(exc).__name__}: {exc}"))
    return out


def extract_task(batch: list[tuple[int, Article]], lang: str, model: str | None) -> list[Outcome]:
    """One unit of work for a worker process or a Dask worker: slim extractions and error lines
    travel back (small, and picklable whatever the exception class)."""
    from heritagekg.cache import slim

    results = extract_batch([a for _, a in batch], lang, model)
    return [Outcome(i, slim(r), None) if isinstance(r, Extraction) else Outcome(i, None, str(r))
            for (i, _), r in zip(batch, results)]


def warm_worker(lang: str, model: str | None) -> None:
    """Worker start: load the pipelines once per process; Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_worker_pipelines(lang, model)


def warm_worker_pipelines(lang: str, model: str | None) -> None:
    """Build the pipelines this build needs now, so no task pays for it (cached per process)."""
    try:
        if lang in ("auto", "en"):
            from heritagekg.nlp.en import english_pipeline

            english_pipeline(model)
        if lang in ("auto", "zh"):
            from heritagekg.nlp.zh import chinese_pipeline

            chinese_pipeline()
    except Exception:
        pass  # the first task reports the problem per article


def _batches(items: Iterator[tuple[int, Article]], size: int) -> Iterator[list[tuple[int, Article]]]:
    batch: list[tuple[int, Article]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_local(work: Iterator[tuple[int, Article]], lang: str, model: str | None,
                  batch_articles: int = BATCH_ARTICLES) -> Iterator[Outcome]:
    """Extract in this process, one `nlp.pipe` call per batch of articles."""
    for batch in _batches(work, batch_articles):
        yield from extract_task(batch, lang, model)


def extract_pool(work: Iterator[tuple[int, Article]], lang: str, model: str | None, jobs: int,
                 batch_articles: int = BATCH_ARTICLES // 2) -> Iterator[Outcome]:
    """Extract on `jobs` worker processes (each loads the model once); results as they finish."""
    import multiprocessing

    ctx = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=warm_worker,
                               initargs=(lang, model))
    batches = _batches(work, batch_articles)
    inflight: set[Future] = set()
    try:
        while True:
            while len(inflight) < jobs * INFLIGHT_PER_WORKER:
                batch = next(batches, None)
                if batch is None:
                    break
                inflight.add(pool.submit(extract_task, batch, lang, model))
            if not inflight:
                return
            done, inflight = wait(inflight, return_when=FIRST_COMPLETED)
            for fut in done:
                yield from fut.result()
    except BrokenProcessPool:
        raise ExtractionError("a worker process died (killed or out of memory); the articles it finished "
                              "are cached: run the build again to finish the rest") from None
    finally:
        for fut in inflight:
            fut.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


# --- the streaming build ---------------------------------------------------------------------------

@dataclass
class BuildProgress:
    """Where a streaming build is: sent to `on_progress` after every article and phase change."""

    phase: str                 # "extract" | "resolve" | "write" | "done"
    total: int                 # articles expected (estimate while reading)
    done: int = 0              # articles read and extracted or taken from the cache
    extracted: int = 0
    cached: int = 0
    failed: int = 0
    relations: int = 0         # relation triples found so far
    written: int = 0           # article graphs written to the store
    started: float = field(default_factory=time.perf_counter)


@dataclass
class StreamResult:
    """What a streaming build did; `dataset` only when asked for (no store, or `keep_dataset`)."""

    articles: list[Article]
    extractions: list[Extraction]
    resolution: Resolution
    errors: list[HeritageKGError]
    extracted: list[str]           # ids of the articles extracted this run (cache misses)
    cached: list[str]              # ids of the articles taken from the cache
    dataset: Dataset | None = None
    store: Path | None = None
    written: list[str] = field(default_factory=list)    # article graphs (re)written in the store
    unchanged: list[str] = field(default_factory=list)  # article graphs left as they were
    removed: list[str] = field(default_factory=list)    # graphs of articles no longer in the input
    quads: int = 0                                      # quads in the store (or dataset) after the build
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def relations(self) -> int:
        return sum(len(e.relations) for e in self.extractions)


def build_stream(paths: Iterable[str | Path], *, base_iri: str | None = None, lang: str = "auto",
                 model: str | None = None, prefer: tuple[str, ...] = ("en", "zh"), jobs: int = 1,
                 cache_dir: str | Path | None = None, store: str | Path | None = None,
                 dask: str | None = None, keep_dataset: bool | None = None,
                 batch_articles: int | None = None,
                 on_progress: Callable[[BuildProgress], None] | None = None) -> StreamResult:
    """Build the graph of every article under `paths`, streaming, cached and in parallel.

    - `jobs` > 1: that many worker processes; `dask`: a scheduler address or "local".
    - `cache_dir`: the build cache (default `.heritagekg-cache` beside `store`; none without one).
    - `store`: an on-disk store (heritagekg.store) kept equal to the graph of `paths`: graphs of
      new articles are added, changed ones replaced (each whole or not at all), those of articles
      no longer in the input removed, the others left untouched. A first build is written to a
      temporary folder that becomes `store` only when complete.
    - `keep_dataset`: also return the rdflib Dataset (default: when there is no store).
    """
    from heritagekg.cache import (ExtractionCache, FileIndex, article_key, article_material, default_cache_dir,
                                  key_for, slim)

    paths = list(paths)
    t0 = time.perf_counter()
    cache_root = cache_dir if cache_dir is not None else default_cache_dir(store)
    cache = ExtractionCache(cache_root) if cache_root is not None else None
    writer = _StoreWriter(Path(store)) if store is not None else None  # fail early: locked, not a store
    try:
        progress = BuildProgress("extract", count_inputs(paths))
        notify = on_progress or (lambda _p: None)
        notify(progress)

        found: dict[int, Extraction] = {}
        ids: dict[int, str] = {}
        extracted: list[int] = []
        cached: list[int] = []
        input_errors: list[HeritageKGError] = []
        failures: dict[int, HeritageKGError] = {}
        keys: dict[int, str] = {}
        sources: dict[int, str] = {}

        files = FileIndex(cache) if cache is not None else None
        ingest_lang = None if lang == "auto" else lang
        used_ids: set[str] = set()
        counter = iter(range(1 << 62))

        def take(index: int, article_id: str, source: str, key: str, hit: Extraction) -> None:
            ids[index], sources[index], keys[index] = article_id, source, key
            found[index] = hit
            cached.append(index)
            progress.done += 1
            progress.cached += 1
            progress.relations += len(hit.relations)
            notify(progress)

        def known(file: Path) -> bool:
            """Take a whole unchanged file from the caches, without reading it, when possible."""
            records = files.get(file, lang) if files is not None else None
            if records is None or cache is None:
                return False
            trial = set(used_ids)
            hits = []
            for raw_id, content_hash, material, readers in records:
                article_id = unique_id(raw_id, content_hash, trial)
                key = key_for(material, readers, article_id, lang, model)
                hit = cache.get(key)
                if hit is None:
                    return False
                hits.append((article_id, key, hit))
            used_ids.update(trial)
            for article_id, key, hit in hits:
                take(next(counter), article_id, hit.article.source, key, hit)
            return True

        def plan() -> Iterator[tuple[int, Article]]:
            """Cache hits are taken here; only misses flow on to the extractor."""
            for file in iter_files(paths):
                if isinstance(file, InputError):
                    input_errors.append(file)
                    progress.failed += 1
                    notify(progress)
                    continue
                if known(file):
                    continue
                sig = FileIndex.signature(file) if files is not None else None
                articles, errors = read_file(file, ingest_lang)
                input_errors.extend(errors)
                progress.failed += len(errors)
                if files is not None and not errors:
                    files.put(file, lang, sig, [(a.id, a.content_hash, *article_material(a, lang)) for a in articles])
                for article in articles:
                    index = next(counter)
                    article.id = unique_id(article.id, article.content_hash, used_ids)
                    ids[index], sources[index] = article.id, article.source
                    key = article_key(article, lang, model) if cache is not None else ""
                    keys[index] = key
                    hit = cache.get(key) if cache is not None else None
                    if hit is not None:
                        take(index, article.id, article.source, key, hit)
                        continue
                    yield index, article

        batch = batch_articles or (BATCH_ARTICLES if jobs <= 1 and not dask else BATCH_ARTICLES // 2)
        if dask:
            from heritagekg.scale import extract_dask

            outcomes = extract_dask(plan(), lang, model, dask, workers=jobs if jobs > 1 else 2,
                                    batch_articles=batch)
        elif jobs > 1:
            outcomes = extract_pool(plan(), lang, model, jobs, batch)
        else:
            outcomes = extract_local(plan(), lang, model, batch)
        for outcome in outcomes:
            progress.done += 1
            if outcome.extraction is None:
                failures[outcome.index] = ExtractionError(outcome.error or f"{sources.get(outcome.index)}: extraction failed")
                progress.failed += 1
            else:
                ex = slim(outcome.extraction)
                found[outcome.index] = ex
                extracted.append(outcome.index)
                progress.extracted += 1
                progress.relations += len(ex.relations)
                if cache is not None:
                    cache.put(keys[outcome.index], ex)
            notify(progress)
        t_extract = time.perf_counter()

        progress.phase = "resolve"
        notify(progress)
        order = sorted(found)
        extractions = [found[i] for i in order]
        resolution = resolve(extractions)
        t_resolve = time.perf_counter()
        errors = input_errors + [failures[i] for i in sorted(failures)]
        result = StreamResult([e.article for e in extractions], extractions, resolution, errors,
                              [ids[i] for i in sorted(extracted)], [ids[i] for i in sorted(cached)])
        if keep_dataset or (keep_dataset is None and writer is None):
            result.dataset = build_dataset(extractions, resolution, base_iri=base_iri, prefer=prefer)
            result.quads = len(result.dataset)
        if writer is not None:
            progress.phase = "write"
            notify(progress)
            # a graph whose article failed this run keeps its old content: only vanished ones go
            keep = {ids[i] for i in failures} | ({"*"} if input_errors else set())
            fingerprints = {ex.article.id: graph_fingerprint(ex, keys[i], resolution, base_iri, prefer)
                            for i, ex in zip(order, extractions)}

            def wrote(_article_id: str) -> None:
                progress.written += 1
                notify(progress)

            result.written, result.unchanged, result.removed = writer.update(
                extractions, fingerprints, resolution, base_iri, prefer, keep, wrote)
            result.quads = writer.quads()
            writer.commit()
            result.store = writer.path
    finally:
        if writer is not None:
            writer.close()  # an unfinished first build's folder goes; the lock is released
    t_end = time.perf_counter()
    result.seconds = {"extract": t_extract - t0, "resolve": t_resolve - t_extract,
                      "graph": t_end - t_resolve, "total": t_end - t0}
    progress.phase = "done"
    notify(progress)
    return result


# --- the store: one named graph per article, replaced whole ------------------------------------------

@functools.lru_cache(maxsize=1)
def _graph_code_version() -> str:
    """Hash of the modules that shape an article's graph from its extraction and resolution."""
    from heritagekg import graph as graph_module, vocab

    h = hashlib.sha256(GRAPH_FORMAT.encode())
    for module in (graph_module, vocab):
        h.update(Path(module.__file__).read_bytes())
    return h.hexdigest()[:16]


def graph_fingerprint(ex: Extraction, key: str, resolution: Resolution, base_iri: str | None,
                      prefer: tuple[str, ...]) -> str:
    """A hash of everything an article's named graph is made from: its extraction (by cache key
    or content), the resolved entities it mentions (their IRIs, classes and every name merged in
    from other articles), the base IRI and label order. Equal fingerprints, equal graphs."""
    h = hashlib.sha256()
    h.update(f"{_graph_code_version()}|{normalize_base(base_iri)}|{','.join(prefer)}|".encode())
    if key:
        h.update(key.encode())
    else:
        h.update(pickle.dumps((ex.article, ex.entities, ex.relations), protocol=4))
    a = ex.article
    h.update(repr((a.id, a.title, a.source, a.url, a.published, a.publisher)).encode())
    for local in sorted(ex.entities):
        rid = resolution.mapping[(a.id, local)]
        ent = resolution.entities[rid]
        h.update(repr((local, rid, ent.type, sorted(ent.names.items()), ent.acronyms, ent.wikidata)).encode())
    return h.hexdigest()


class _TermConverter:
    """rdflib terms -> pyoxigraph terms, remembering the IRIs and literals seen (entity IRIs and
    predicates recur in every article graph)."""

    def __init__(self, limit: int = 200_000) -> None:
        from heritagekg.store import to_ox

        self._to_ox = to_ox
        self._seen: dict = {}
        self.limit = limit

    def term(self, term: object) -> object:
        found = self._seen.get(term)
        if found is None:
            if len(self._seen) >= self.limit:
                self._seen.clear()
            found = self._seen[term] = self._to_ox(term)
        return found

    def triple(self, t: tuple) -> tuple:
        return self.term(t[0]), self.term(t[1]), self.term(t[2])


class _StoreWriter:
    """Keeps an on-disk store (heritagekg.store.Store) equal to the build's graph: graphs of new
    articles are added a batch per transaction (`Store.add_articles`), changed ones replaced one
    transaction each (`Store.replace_article`), so every article graph is whole or absent.

    A manifest beside the data (`heritagekg-manifest.json` in the store folder) records the
    fingerprint of every article graph written; an entry is dropped *before* its graph is
    rewritten and recorded only after the write committed, so an interrupted build leaves at
    worst graphs that the next run rewrites, never a stale entry that hides a change.
    """

    def __init__(self, path: Path) -> None:
        from heritagekg.store import Store, is_store_dir

        self.path = path
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path}: not a folder (a store is a folder)")
        #: a first build goes to a temporary folder, bulk-loaded, renamed into place when complete
        self.fresh = not path.exists() or not any(path.iterdir())
        if not self.fresh and not is_store_dir(path):
            raise StoreError(f"{path}: not a store folder and not empty; give a new or empty folder for a new store")
        self.building: Path | None = None
        try:
            (path.parent if self.fresh else path).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the store folder: {exc.strerror or exc}") from None
        for stale in path.parent.glob(f".{path.name}.building-*"):  # left by an interrupted first build
            shutil.rmtree(stale, ignore_errors=True)
        if self.fresh:
            self.building = Path(tempfile.mkdtemp(prefix=f".{path.name}.building-", dir=path.parent))
        self.store = Store(self.building or path)
        self.manifest_path = (self.building or path) / MANIFEST_NAME
        self.manifest: dict[str, str] = self._load_manifest()

    def _load_manifest(self) -> dict[str, str]:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}
        graphs = data.get("graphs") if isinstance(data, dict) else None
        return {str(k): str(v) for k, v in graphs.items()} if isinstance(graphs, dict) else {}

    def _save_manifest(self) -> None:
        data = json.dumps({"format": GRAPH_FORMAT, "graphs": dict(sorted(self.manifest.items()))},
                          ensure_ascii=False, indent=0).encode("utf-8")
        with atomic_open(self.manifest_path) as fh:
            fh.write(data)

    def article_graphs(self) -> set[str]:
        """Named graphs that hold an hkg:Article named like the graph: the ones a build wrote."""
        import pyoxigraph as ox

        from heritagekg.vocab import HKG

        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        article = ox.NamedNode(str(HKG.Article))
        db = self.store.oxigraph
        return {q.subject.value for q in db.quads_for_pattern(None, rdf_type, article, None)
                if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == q.subject.value}

    def update(self, extractions: list[Extraction], fingerprints: dict[str, str], resolution: Resolution,
               base_iri: str | None, prefer: tuple[str, ...], keep: set[str],
               on_write: Callable[[str], None]) -> tuple[list[str], list[str], list[str]]:
        """Write new and changed article graphs, drop vanished ones; (written, unchanged, removed)."""
        from heritagekg.graph import article_iri

        base = normalize_base(base_iri)
        present = self.article_graphs()
        wanted: dict[str, Extraction] = {}
        for ex in extractions:
            wanted[str(article_iri(base, ex.article.id))] = ex
        todo = [g for g, ex in wanted.items()
                if self.manifest.get(g) != fingerprints[ex.article.id] or g not in present]
        pending = set(todo)
        unchanged = [wanted[g].article.id for g in wanted if g not in pending]
        vanished = sorted(g for g in present - set(wanted)
                          if "*" not in keep and g.rsplit("/", 1)[-1] not in keep)
        if not todo and not vanished:
            return [], unchanged, []
        for g in todo + vanished:
            self.manifest.pop(g, None)
        self._save_manifest()
        written: list[str] = []
        removed: list[str] = []

        to_ox = _TermConverter()

        def graphs_of(chunk: list[str]) -> dict[str, list]:
            """Each article graph's triples as pyoxigraph triples (graph.add_article into a set:
            the same triples as build_dataset, without the cost of an rdflib graph)."""
            by_graph: dict[str, list] = {}
            for g in chunk:
                triples: set[tuple] = set()
                add_article(triples, wanted[g], resolution, base, prefer)  # type: ignore[arg-type]
                by_graph[g] = [to_ox.triple(t) for t in triples]
            return by_graph

        def done(g: str) -> None:
            self.manifest[g] = fingerprints[wanted[g].article.id]
            written.append(wanted[g].article.id)
            on_write(wanted[g].article.id)

        try:
            fresh = [g for g in todo if g not in present]
            if self.fresh:  # nobody sees this store before commit(): bulk loads, streamed
                def chunks(part: list[str]) -> Iterator[tuple[str, list]]:
                    for start in range(0, len(part), WRITE_BATCH):
                        chunk = part[start:start + WRITE_BATCH]
                        yield from graphs_of(chunk).items()
                        for g in chunk:
                            done(g)

                # the bulk loader holds what it is given in memory: a few thousand articles a call
                for start in range(0, len(fresh), BULK_ARTICLES):
                    self.store.add_articles(chunks(fresh[start:start + BULK_ARTICLES]), bulk=True)
                fresh = []
            for start in range(0, len(fresh), WRITE_BATCH):
                chunk = fresh[start:start + WRITE_BATCH]
                self.store.add_articles(graphs_of(chunk).items())  # one transaction per chunk
                for g in chunk:
                    done(g)
                self._save_manifest()
                if start // WRITE_BATCH % 16 == 15:
                    self.store.flush()  # else RocksDB keeps the transactions' writes in memory
            changed = [g for g in todo if g in present]
            for start in range(0, len(changed), WRITE_BATCH):
                chunk = changed[start:start + WRITE_BATCH]
                for g, triples in graphs_of(chunk).items():
                    self.store.replace_article(g, triples)  # one transaction per article
                    done(g)
                self._save_manifest()
            for g in vanished:
                self.store.remove_article(g)
                removed.append(g.rsplit("/", 1)[-1])
        finally:
            self._save_manifest()
        return written, unchanged, removed

    def quads(self) -> int:
        """Quads of the named graphs (the store's merged view is not counted), counted in Rust."""
        result = self.store.oxigraph.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(result))["n"].value)  # type: ignore[index]

    def commit(self) -> None:
        """Make the build's store the store: a first build's folder is renamed into place."""
        if self.building is None:
            return
        self._save_manifest()
        self.store.close()
        if self.path.exists():
            self.path.rmdir()  # empty (checked at open); a non-empty one was never "fresh"
        os.replace(self.building, self.path)
        self.building = None

    def close(self) -> None:
        """Release the store; an unfinished first build's folder is deleted (the store stays as it was)."""
        if getattr(self.store, "_db", None) is not None:
            self.store.close()
        if self.building is not None:
            shutil.rmtree(self.building, ignore_errors=True)
            self.building = None


def write_store_output(store: str | Path, output: str | Path) -> Path:
    """Write a store's graph to `output` (format by extension) with pyoxigraph, atomically: the
    graph never passes through rdflib, so a store of millions of triples exports in seconds."""
    from heritagekg.serialize import format_for
    from heritagekg.store import Store

    fmt, _ = format_for(output)
    with Store(store, read_only=True) as db:
        if fmt == "json-ld":  # our compact JSON-LD context is rdflib's serializer
            from heritagekg.serialize import write

            return write(db.to_dataset(), output)
        db.dump(output)
    return Path(output)


__all__ = ["BuildResult", "BuildProgress", "StreamResult", "build", "build_articles", "build_stream",
           "extract_batch", "iter_articles", "iter_files", "write_store_output", "InputError"]
