"""Build cache: one Extraction per article, keyed so that an unchanged article is never re-read.

The key of an article is a hash of everything its extraction depends on: the article itself
(text, id, metadata, paragraph languages), the reading options (`--lang`), the English model's
name and version, and the *extractor version* — a hash of heritagekg's extraction code and data
files (nlp/, authority/, cue and pattern files, extract/align/dates...) and of spaCy's and jieba's
versions, computed once per process (files only the Chinese reader reads count only for articles
with Chinese paragraphs). Changing a rule or a cue word therefore invalidates the cache of the
articles it can affect; changing one article invalidates only its entry.

Entries are pickled Extractions of a *slim* article (metadata kept, text dropped), written
atomically (temporary file + rename), so an interrupted build never leaves a half-written entry.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import pickle
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from heritagekg.serialize import atomic_open
from heritagekg.errors import StoreError
from heritagekg.model import Article, Extraction

#: bump when the entry layout changes
CACHE_FORMAT = "1"
DEFAULT_CACHE_NAME = ".heritagekg-cache"
PACKAGE_DIR = Path(__file__).parent
#: package files and folders whose content shapes an Extraction
EXTRACTOR_SOURCES = ("nlp", "authority", "extract.py", "align.py", "translate.py", "dates.py",
                     "numerals.py", "textnorm.py", "model.py")
_SOURCE_SUFFIXES = {".py", ".yml", ".yaml", ".jsonl", ".json", ".txt", ".csv", ".tsv"}


#: files only the Chinese reader reads: an article without Chinese paragraphs does not depend on
#: them, so tuning Chinese rules keeps the cache of English articles (tests/test_cache.py checks
#: that the English reader opens none of them)
CHINESE_ONLY = frozenset({"nlp/zh.py", "nlp/cues/zh_lexicon.yml", "nlp/cues/zh_surnames.yml",
                          "nlp/patterns/zh_relations.jsonl", "numerals.py", "align.py"})


@functools.lru_cache(maxsize=4)
def extractor_version(readers: tuple[str, ...] = ("en", "zh")) -> str:
    """Hash of the extraction code and data files plus spaCy/jieba versions (once per process).

    `readers` are the language readers an article goes through; without "zh" the Chinese-only
    files are left out of the hash."""
    h = hashlib.sha256(f"heritagekg-cache-{CACHE_FORMAT}".encode())
    for name in EXTRACTOR_SOURCES:
        root = PACKAGE_DIR / name
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            rel = path.relative_to(PACKAGE_DIR).as_posix()
            if path.suffix not in _SOURCE_SUFFIXES or not path.exists():
                continue
            if "zh" not in readers and rel in CHINESE_ONLY:
                continue
            h.update(rel.encode())
            h.update(b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    for dist in ("spacy", "jieba", "py3langid"):
        h.update(f"{dist}={_dist_version(dist)};".encode())
    return h.hexdigest()[:24]


@functools.lru_cache(maxsize=None)
def model_id(model: str | None = None) -> str:
    """`name==version` of the English model that would be loaded, without loading it."""
    from heritagekg.nlp import resolve_en_model

    try:
        name = resolve_en_model(model)
    except Exception:  # no model installed: extraction will fail and report it; the key may not
        return f"{model or '-'}==?"
    path = Path(name)
    if path.exists():  # a model given as a folder: its meta.json names the version
        meta = path / "meta.json"
        return f"{path.resolve()}=={hashlib.sha256(meta.read_bytes()).hexdigest()[:12] if meta.exists() else '?'}"
    return f"{name}=={_dist_version(name)}"


def _dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        try:
            return importlib.metadata.version(name.replace("_", "-"))
        except importlib.metadata.PackageNotFoundError:
            return "?"


def article_material(article: Article, lang: str = "auto") -> tuple[str, tuple[str, ...]]:
    """(hash of what ingest made of an article, except its id; the readers it goes through).

    Kept per input file by FileIndex, so an unchanged file's keys are known without reading it."""
    from heritagekg.extract import paragraphs_for

    groups = paragraphs_for(article, lang)
    readers = tuple(r for r in ("en", "zh") if groups[r])
    h = hashlib.sha256()
    for part in (article.content_hash or hashlib.sha256(article.text.encode("utf-8")).hexdigest(),
                 article.source, article.title, article.url, article.published, article.publisher,
                 article.lang):
        h.update(("" if part is None else str(part)).encode("utf-8"))
        h.update(b"\x1f")
    for p in article.paragraphs:
        h.update(f"{p.index}:{p.start}:{p.lang}:{len(p.text)}\x1e".encode())
    return h.hexdigest(), readers


def key_for(material: str, readers: tuple[str, ...], article_id: str, lang: str = "auto",
            model: str | None = None) -> str:
    """Cache key from an article's material, its final id and the reading options."""
    h = hashlib.sha256()
    for part in (CACHE_FORMAT, extractor_version(readers), model_id(model), lang, article_id, material):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def article_key(article: Article, lang: str = "auto", model: str | None = None) -> str:
    """Cache key of one article's extraction under these options (hex sha256)."""
    material, readers = article_material(article, lang)
    return key_for(material, readers, article.id, lang, model)


def slim(extraction: Extraction) -> Extraction:
    """The extraction with its article's text and paragraphs dropped (the graph needs neither),
    so a build keeps memory proportional to what it found, not to the corpus it read."""
    art = extraction.article
    if not art.text and not art.paragraphs:
        return extraction
    return replace(extraction, article=replace(art, text="", paragraphs=[]))


class ExtractionCache:
    """A folder of pickled Extractions, one file per article key, written atomically."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.entries = self.root / f"v{CACHE_FORMAT}"
        try:
            self.entries.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot create the build cache: {exc.strerror or exc}") from None

    def path(self, key: str) -> Path:
        return self.entries / key[:2] / f"{key}.pkl"

    def __contains__(self, key: str) -> bool:
        return self.path(key).is_file()

    def get(self, key: str) -> Extraction | None:
        """The cached extraction, or None when absent or unreadable (a damaged entry is a miss)."""
        path = self.path(key)
        try:
            with path.open("rb") as fh:
                value = pickle.load(fh)
        except FileNotFoundError:
            return None
        except Exception:  # truncated by a crash of another tool, or written by another version
            return None
        return value if isinstance(value, Extraction) else None

    def put(self, key: str, extraction: Extraction) -> None:
        """Store the (slimmed) extraction under key; the entry appears whole or not at all."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(slim(extraction), protocol=pickle.HIGHEST_PROTOCOL)
        with atomic_open(path) as fh:
            fh.write(data)

    def keys(self) -> Iterable[str]:
        for path in self.entries.glob("[0-9a-f][0-9a-f]/*.pkl"):
            yield path.stem

    def prune(self, keep: set[str]) -> int:
        """Delete every entry whose key is not in `keep`; the number deleted."""
        removed = 0
        for key in list(self.keys()):
            if key not in keep:
                try:
                    self.path(key).unlink()
                    removed += 1
                except FileNotFoundError:
                    pass
        return removed


@functools.lru_cache(maxsize=1)
def ingest_version() -> str:
    """Hash of the code and data that turn a file into Articles (ingest, dates, cue files)."""
    h = hashlib.sha256(f"ingest-{CACHE_FORMAT}".encode())
    for rel in ("ingest.py", "dates.py", "textnorm.py", "model.py", "nlp/cues/months.yml",
                "nlp/cues/publication_notes.yml"):
        path = PACKAGE_DIR / rel
        if path.exists():
            h.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    for dist in ("py3langid", "trafilatura"):
        h.update(f"{dist}={_dist_version(dist)};".encode())
    return h.hexdigest()[:24]


#: what FileIndex keeps per article of a file: (id before de-duplication, content hash,
#: material hash, readers)
FileRecord = tuple[str, str, str, tuple[str, ...]]


class FileIndex:
    """What ingest made of each input file last time, valid while the file's size, times and
    inode are unchanged: an unchanged corpus is rebuilt without reading or parsing its files."""

    def __init__(self, cache: ExtractionCache) -> None:
        self.root = cache.entries / "files"

    def _path(self, file: Path, lang: str) -> Path:
        digest = hashlib.sha1(f"{file.resolve()}\0{lang}".encode()).hexdigest()
        return self.root / digest[:2] / f"{digest}.pkl"

    @staticmethod
    def signature(file: Path) -> tuple[int, ...] | None:
        try:
            st = file.stat()
        except OSError:
            return None
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

    def get(self, file: Path, lang: str) -> list[FileRecord] | None:
        sig = self.signature(file)
        if sig is None:
            return None
        try:
            with self._path(file, lang).open("rb") as fh:
                stored_sig, version, records = pickle.load(fh)
        except Exception:  # absent, damaged or from another version: read the file
            return None
        return records if stored_sig == sig and version == ingest_version() else None

    def put(self, file: Path, lang: str, sig: tuple[int, ...] | None, records: list[FileRecord]) -> None:
        """Record a file's articles under the signature it had *before* it was read (a file
        changed while being read then fails the next check and is read again)."""
        if sig is None:
            return
        path = self._path(file, lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_open(path) as fh:
            pickle.dump((sig, ingest_version(), records), fh, protocol=pickle.HIGHEST_PROTOCOL)


def default_cache_dir(store: str | Path | None) -> Path | None:
    """`.heritagekg-cache` beside the store folder (None without a store)."""
    if store is None:
        return None
    return Path(store).resolve().parent / DEFAULT_CACHE_NAME
