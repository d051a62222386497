"""The build cache: keys follow everything an extraction depends on, entries are written whole,
and a second build over the same corpus extracts nothing — after one edit, exactly that article."""
from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from heritagekg.cache import ExtractionCache, article_key, extractor_version, model_id, slim
from heritagekg.ingest import article_from_text
from heritagekg.pipeline import build_stream

CITIES = ["Samarkand", "Bukhara", "Tbilisi", "Yerevan", "Kathmandu", "Cusco"]


def news(city: str, n: int) -> str:
    return (f"{city} Hosts Heritage Meeting\n\n"
            f"{city.upper()}, {n} May 2021 – The {n}th Forum on Living Heritage of {city} was organized by "
            f"the {city} Heritage Office and UNESCO. Director Amina Haddad of the {city} Heritage Office "
            f"spoke at the opening.\n")


def write_corpus(folder: Path, cities: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, city in enumerate(cities, 2):
        path = folder / f"{city.lower()}.txt"
        path.write_text(news(city, n), encoding="utf-8")
        paths.append(path)
    return paths


def test_extractor_version_is_stable_within_a_process():
    v = extractor_version()
    assert v == extractor_version() and len(v) == 24 and int(v, 16) >= 0


def test_model_id_names_the_installed_model_and_its_version():
    mid = model_id(None)
    name, _, version = mid.partition("==")
    assert name.startswith("en_core_web_sm") and version[:1].isdigit()


def test_key_changes_with_text_metadata_and_options_only():
    a = article_from_text(news("Samarkand", 3), id="a", source="a.txt")
    same = article_from_text(news("Samarkand", 3), id="a", source="a.txt")
    assert article_key(a) == article_key(same)
    assert article_key(a) != article_key(article_from_text(news("Samarkand", 4), id="a", source="a.txt"))
    assert article_key(a) != article_key(replace(a, published="2020-01-01"))
    assert article_key(a) != article_key(replace(a, id="b"))
    assert article_key(a) != article_key(a, lang="en")
    assert article_key(a) != article_key(a, model="some_other_model")


def test_entries_round_trip_slim_and_leave_no_temporary_files(tmp_path):
    from heritagekg.extract import extract

    cache = ExtractionCache(tmp_path / "c")
    article = article_from_text(news("Tbilisi", 5), id="t", source="t.txt")
    ex = extract(article)
    key = article_key(article)
    assert cache.get(key) is None and key not in cache
    cache.put(key, ex)
    got = cache.get(key)
    assert got is not None and key in cache
    assert got.article.text == "" and got.article.paragraphs == []          # text is not kept
    assert got.article.title == article.title and got.article.id == "t"
    assert got.entities == ex.entities and got.relations == ex.relations
    assert not [p for p in (tmp_path / "c").rglob("*.tmp")]
    assert slim(got) is got


def test_a_damaged_entry_is_a_miss_not_a_crash(tmp_path):
    cache = ExtractionCache(tmp_path / "c")
    key = "ab" * 32
    cache.path(key).parent.mkdir(parents=True)
    cache.path(key).write_bytes(pickle.dumps({"not": "an extraction"})[:7])
    assert cache.get(key) is None


def test_prune_keeps_only_the_given_keys(tmp_path):
    from heritagekg.model import Extraction

    cache = ExtractionCache(tmp_path / "c")
    art = article_from_text("Some text here.", id="x")
    for key in ("aa" + "0" * 62, "bb" + "0" * 62):
        cache.put(key, Extraction(art))
    assert cache.prune({"aa" + "0" * 62}) == 1
    assert sorted(cache.keys()) == ["aa" + "0" * 62]


def test_second_build_extracts_nothing_and_an_edit_re_extracts_only_that_article(tmp_path):
    corpus = tmp_path / "news"
    write_corpus(corpus, CITIES[:4])
    cache = tmp_path / "cache"
    first = build_stream([corpus], cache_dir=cache)
    assert first.extracted == ["bukhara", "samarkand", "tbilisi", "yerevan"] and first.cached == []
    second = build_stream([corpus], cache_dir=cache)
    assert second.extracted == [] and len(second.cached) == 4
    assert second.dataset is not None and set(second.dataset) == set(first.dataset)
    (corpus / "tbilisi.txt").write_text(news("Tbilisi", 9), encoding="utf-8")
    third = build_stream([corpus], cache_dir=cache)
    assert third.extracted == ["tbilisi"]
    assert sorted(third.cached) == ["bukhara", "samarkand", "yerevan"]
    # a different reading option is a different extraction: nothing is reused
    fourth = build_stream([corpus], cache_dir=cache, lang="en")
    assert len(fourth.extracted) == 4


def test_the_english_reader_reads_no_chinese_only_file(tmp_path):
    """Keeps CHINESE_ONLY honest: English articles' keys leave those files out."""
    import json
    import subprocess
    import sys

    script = f"""
import builtins, io, json, pathlib, sys
opened = set()
real_open, real_io_open = builtins.open, io.open
def spy(file, *a, **k):
    opened.add(str(file))
    return real_open(file, *a, **k)
builtins.open = io.open = spy
real_path_open = pathlib.Path.open
def path_spy(self, *a, **k):
    opened.add(str(self))
    return real_path_open(self, *a, **k)
pathlib.Path.open = path_spy
from heritagekg.ingest import article_from_text
from heritagekg.extract import extract
extract(article_from_text({news("Matera", 4)!r}, id="m"))
import heritagekg
root = pathlib.Path(heritagekg.__file__).parent
print(json.dumps({{"files": sorted(pathlib.Path(f).resolve().relative_to(root).as_posix() for f in opened
                                   if pathlib.Path(f).resolve().is_relative_to(root)),
                  "modules": sorted(m for m in sys.modules if m.startswith("heritagekg"))}}))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    from heritagekg.cache import CHINESE_ONLY

    assert "nlp/cues/en.yml" in seen["files"]                     # the spy does see cue files
    assert not CHINESE_ONLY & set(seen["files"])
    modules = {m.replace("heritagekg.", "").replace(".", "/") + ".py" for m in seen["modules"]}
    assert not CHINESE_ONLY & modules


def test_chinese_only_files_count_only_for_articles_with_chinese(tmp_path):
    assert extractor_version(("en",)) != extractor_version(("en", "zh"))
    assert extractor_version(("zh",)) != extractor_version(("en",))


def test_an_unchanged_file_is_not_even_read_again(tmp_path, monkeypatch):
    import os

    import heritagekg.pipeline as pipeline

    corpus = tmp_path / "news"
    write_corpus(corpus, CITIES[:3])
    cache = tmp_path / "cache"
    first = build_stream([corpus], cache_dir=cache)
    reads: list[str] = []
    real_read_file = pipeline.read_file
    monkeypatch.setattr(pipeline, "read_file", lambda f, lang: reads.append(f.name) or real_read_file(f, lang))
    second = build_stream([corpus], cache_dir=cache)
    assert reads == [] and second.extracted == [] and len(second.cached) == 3
    assert set(second.dataset) == set(first.dataset)
    # touched but not changed: read again, not extracted again
    os.utime(corpus / "bukhara.txt")
    third = build_stream([corpus], cache_dir=cache)
    assert reads == ["bukhara.txt"] and third.extracted == []
    # a same-named article in a new folder takes a suffixed id: its cache key differs
    write_corpus(tmp_path / "news" / "more", ["Bukhara"])
    fourth = build_stream([corpus], cache_dir=cache)
    assert len(fourth.extracted) == 1 and fourth.extracted[0].startswith("bukhara-")
    assert len(fourth.cached) == 3
