"""Build benchmarks: extraction at spaCy's speed, -j 2 vs -j 1, incremental rebuilds, memory.

Measured side by side in one run, on synthetic articles from `benchmarks/articles.py`:
- `extract.ratio_vs_spacy`: throughput of our extraction stage (the English pipeline with our
  components + the sentence rules, batched like `heritagekg build`) over spaCy's bare `nlp.pipe`
  with the same model on the same paragraphs, in this process, chunk by chunk alternately, by
  CPU time (so other jobs on the machine do not tilt it; the wall-clock ratio is reported too).
  Target >= 0.85. `build.ratio_vs_spacy_wall` compares the whole `heritagekg build -j 1` run
  (startup, ingest, extraction, resolution, store) with the same bare spaCy throughput.
- `extract.speedup_j2`: wall time of `heritagekg build --store` with `-j 1` over `-j 2` on the
  1k corpus (fresh cache each), as a user runs it (subprocess). Target >= 1.6 on 2 cores.
- `rebuild.fraction`: an unchanged rebuild's wall time over the first build's. Target <= 0.05.
  Editing one article is then checked to re-extract exactly one.
- `memory.peak_mb_10k`: peak RSS (MB) of a 10k-article `heritagekg build --store -j 2`, summed
  over the process and its workers (psutil, sampled every 0.1 s). Target < 2000. The 1k build's
  peak is reported beside it with both graphs' sizes: memory follows the graph, not the corpus.

    python -m benchmarks.build_bench            # prints JSON, merges into benchmarks/results.json
    python -m benchmarks.run --only build       # the same as a section of `make bench`
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from benchmarks.articles import write_corpus

#: a section of `python -m benchmarks.run` (`--only build`); its keys are already qualified
NAME = "build"
ORDER = 90
QUALIFIED_KEYS = True
N_SMALL = 1000
N_LARGE = 10_000
LARGE_LANGS = {"en": 0.85, "zh": 0.15}
CHUNK = 50
RESULTS = Path(__file__).parent / "results.json"
HERITAGEKG = str(Path(sys.executable).parent / "heritagekg")


def _measure_cli(args: list[str]) -> dict[str, Any]:
    """Run `heritagekg ARGS`; wall seconds, peak RSS of the process tree (MB), its stderr."""
    peak_total = peak_main = 0.0
    start = time.perf_counter()
    proc = psutil.Popen([HERITAGEKG, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out: dict[str, str] = {}
    reader = threading.Thread(target=lambda: out.update(zip(("stdout", "stderr"), proc.communicate())))
    reader.start()
    while reader.is_alive():
        try:
            main = proc.memory_info().rss
            total = main + sum(c.memory_info().rss for c in proc.children(recursive=True))
        except psutil.Error:
            total = main = 0
        peak_total, peak_main = max(peak_total, total / 2**20), max(peak_main, main / 2**20)
        reader.join(0.1)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"heritagekg {' '.join(args)} failed ({proc.returncode}): {out.get('stderr', '')[-2000:]}")
    stderr = out.get("stderr", "")
    counts = re.search(r"\((\d+) extracted, (\d+) cached\)", stderr)
    quads = re.search(r"(\d+) triples", stderr)
    return {"seconds": seconds, "peak_mb": peak_total, "main_peak_mb": peak_main, "stderr": stderr,
            "extracted": int(counts.group(1)) if counts else None,
            "cached": int(counts.group(2)) if counts else None,
            "quads": int(quads.group(1)) if quads else None}


def ratio_vs_spacy(corpus: Path) -> dict[str, float]:
    """Our extraction vs bare spaCy on the same English paragraphs, alternating chunk by chunk.

    The key ratio uses this process's CPU time (other jobs on a shared machine barely move it);
    the wall-clock ratio is reported beside it."""
    import statistics

    import spacy

    from heritagekg.cache import model_id
    from heritagekg.ingest import read_articles
    from heritagekg.nlp.en import english_pipeline
    from heritagekg.pipeline import extract_local

    articles = read_articles([corpus]).articles
    bare = spacy.load(model_id(None).split("==")[0])
    english_pipeline(None)
    list(bare.pipe([p.text for a in articles[:10] for p in a.paragraphs]))
    list(extract_local(iter(enumerate(articles[:10])), "auto", None))  # rules, cues, authority loaded
    cpu = {"bare": 0.0, "ours": 0.0}
    wall = {"bare": 0.0, "ours": 0.0}
    per_chunk: list[float] = []
    words = 0
    for i in range(0, len(articles), CHUNK):
        chunk = articles[i:i + CHUNK]
        texts = [p.text for a in chunk for p in a.paragraphs]
        words += sum(len(t.split()) for t in texts)
        c, w = time.process_time(), time.perf_counter()
        for _ in bare.pipe(texts):
            pass
        c_bare, w_bare = time.process_time() - c, time.perf_counter() - w
        c, w = time.process_time(), time.perf_counter()
        for _ in extract_local(iter(enumerate(chunk)), "auto", None):
            pass
        c_ours, w_ours = time.process_time() - c, time.perf_counter() - w
        cpu["bare"] += c_bare
        cpu["ours"] += c_ours
        wall["bare"] += w_bare
        wall["ours"] += w_ours
        per_chunk.append(c_bare / c_ours)
    return {"extract.ratio_vs_spacy": round(cpu["bare"] / cpu["ours"], 3),
            "extract.ratio_vs_spacy_wall": round(wall["bare"] / wall["ours"], 3),
            "extract.ratio_vs_spacy_chunk_median": round(statistics.median(per_chunk), 3),
            "extract.words": words, "extract.spacy_words_per_cpu_s": round(words / cpu["bare"]),
            "extract.spacy_words_per_s": round(words / wall["bare"]),
            "extract.ours_words_per_cpu_s": round(words / cpu["ours"])}


def run(ctx: object = None, n_small: int | None = None, n_large: int | None = None) -> dict[str, Any]:
    """All build benchmarks; returns the flat dict that goes into benchmarks/results.json.

    `ctx` is benchmarks.run's context (unused: this section makes its own corpora); sizes default
    to 1k and 10k articles (environment HKG_BENCH_SMALL / HKG_BENCH_LARGE override them)."""
    n_small = n_small or int(os.environ.get("HKG_BENCH_SMALL", N_SMALL))
    n_large = n_large or int(os.environ.get("HKG_BENCH_LARGE", N_LARGE))
    results: dict[str, Any] = {"machine.load_avg_start": round(os.getloadavg()[0], 2)}
    work = Path(tempfile.mkdtemp(prefix="hkg-build-bench-"))
    try:
        small, large = work / "news-1k", work / "news-10k"
        write_corpus(small, n_small, {"en": 1.0}, seed=11)
        results.update(ratio_vs_spacy(small))

        common = ["--no-validate", "--no-progress"]
        j1 = _measure_cli(["build", str(small), "--store", str(work / "s1"), "--cache", str(work / "c1"), "-j", "1", *common])
        j2 = _measure_cli(["build", str(small), "--store", str(work / "s2"), "--cache", str(work / "c2"), "-j", "2", *common])
        again = _measure_cli(["build", str(small), "--store", str(work / "s1"), "--cache", str(work / "c1"), *common])
        edited = sorted(small.glob("*.txt"))[n_small // 2]
        edited.write_text(edited.read_text(encoding="utf-8").replace("officials", "ministers", 1)
                          .replace("experts", "specialists", 1) + "\nThe organizers thanked all partners.\n",
                          encoding="utf-8")
        one = _measure_cli(["build", str(small), "--store", str(work / "s1"), "--cache", str(work / "c1"), *common])
        results.update({
            "build.j1_s": round(j1["seconds"], 2), "build.j2_s": round(j2["seconds"], 2),
            # the whole `heritagekg build` (startup, ingest, extract, resolve, store) against bare spaCy
            "build.ratio_vs_spacy_wall": round(results["extract.words"] / j1["seconds"]
                                               / results["extract.spacy_words_per_s"], 3),
            "extract.speedup_j2": round(j1["seconds"] / j2["seconds"], 3),
            "rebuild.first_s": round(j1["seconds"], 2), "rebuild.unchanged_s": round(again["seconds"], 2),
            "rebuild.fraction": round(again["seconds"] / j1["seconds"], 4),
            "rebuild.unchanged_extracted": again["extracted"],
            "rebuild.one_changed_s": round(one["seconds"], 2), "rebuild.one_changed_extracted": one["extracted"],
            "memory.peak_mb_1k": round(j1["peak_mb"], 1), "memory.quads_1k": j1["quads"],
        })

        write_corpus(large, n_large, LARGE_LANGS, seed=12)
        big = _measure_cli(["build", str(large), "--store", str(work / "s10"), "--cache", str(work / "c10"),
                            "-j", "2", *common])
        results.update({
            "memory.peak_mb_10k": round(big["peak_mb"], 1), "memory.main_peak_mb_10k": round(big["main_peak_mb"], 1),
            "memory.quads_10k": big["quads"], "build.10k_j2_s": round(big["seconds"], 2),
            "build.10k_articles_per_s": round(n_large / big["seconds"], 1),
        })
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["machine.load_avg_end"] = round(os.getloadavg()[0], 2)
    return results


def merge_results(new: dict[str, Any], path: Path = RESULTS) -> None:
    """Add our keys to benchmarks/results.json, keeping the other benchmarks' keys."""
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        old = {}
    old.update(new)
    path.write_text(json.dumps(old, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def main() -> None:
    results = run()
    merge_results(results)
    print(json.dumps(results, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
