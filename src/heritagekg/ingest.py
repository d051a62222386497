"""Input files -> model.Article: the text, its paragraphs with their language, and what the
article says about itself (title, publication note, dateline).

Reads .txt, .md, .html/.htm and .jsonl files, or folders of them (recursively, in sorted order).
One bad input never stops a build: read_articles records an InputError naming the file and the
problem, and reads the rest.

Limit: a .txt/.md/.html file may be at most MAX_BYTES (10 MB); a .jsonl file may be any size,
but each of its lines (one article) may be at most MAX_BYTES. Sizes are checked before reading.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

from heritagekg.dates import find_dates, parse_date
from heritagekg.errors import InputError
from heritagekg.model import Article, Paragraph

MAX_BYTES = 10 * 1024 * 1024  # per file (per line for .jsonl): a news article is ~10 KB
_MIB = 1024 * 1024

#: extension -> reader kind
EXTENSIONS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
              ".htm": "html", ".jsonl": "jsonl"}
_EXPECTED = ".txt, .md, .html, .jsonl"

CUES_DIR = Path(__file__).parent / "nlp" / "cues"
NOTE_MAX_CHARS = 300   # a publication note is one short line, not a body paragraph
NOTE_MAX_WORDS = 30    # the same for space-separated languages
TITLE_MAX_CHARS = 200  # a longer first paragraph is body text, not a headline
HAN_WEIGHT = 3         # one Han character carries about as much as three Latin letters
MIN_LETTERS_FOR_LANGID = 20  # langid guesses wildly on shorter Latin-script text
LANGID_MIN_PROB = 0.9
#: languages py3langid may answer for non-CJK text: those heritage news comes in
LANGID_LANGUAGES = ("en", "fr", "es", "de", "it", "pt", "nl", "ru", "ar")


@dataclass
class IngestResult:
    """The articles read, in input order, and one error per input that could not be read."""

    articles: list[Article] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


@dataclass(frozen=True)
class PublicationNote:
    """What an article's own publication note states ("本文原载于…", "Originally published by…")."""

    published: str | None = None  # ISO date
    publisher: str | None = None
    url: str | None = None


# --- public entry points ---------------------------------------------------------------------

def iter_files(paths: Iterable[str | Path] | str | Path) -> Iterator[Path | InputError]:
    """The input files under `paths` in `read_articles` order (folders walked sorted, a file
    reached twice given once); an InputError in place of a missing path or an empty folder."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files, skipped = _folder_files(path)
            if not files:
                note = f"; skipped {skipped} file(s) with other extensions" if skipped else ""
                yield InputError(str(path), f"no readable files ({_EXPECTED}) in folder{note}")
                continue
        elif path.exists():
            files = [path]
        else:
            yield InputError(str(path), "no such file or folder")
            continue
        for file in files:
            key = file.resolve()
            if key in seen:
                continue
            seen.add(key)
            yield file


def read_articles(paths: Iterable[str | Path] | str | Path, lang: str | None = None) -> IngestResult:
    """Read every article under paths (files or folders); never raises for one bad input.

    Folders are walked recursively in sorted order; hidden files and files with other
    extensions are skipped there (a file named explicitly with another extension is an error).
    A file reached twice is read once. Article ids are made unique across the whole result.
    lang, when given, is the declared language of every article (no detection).
    """
    result = IngestResult()
    for file in iter_files(paths):
        if isinstance(file, InputError):
            result.errors.append(file)
            continue
        try:
            articles, errors = _read_file(file, lang)
        except InputError as exc:
            result.errors.append(exc)
            continue
        result.articles.extend(articles)
        result.errors.extend(errors)
    _make_ids_unique(result.articles)
    return result


def read_article(path: str | Path, lang: str | None = None) -> list[Article]:
    """The article(s) of one file (a .jsonl file gives one per line); raises InputError.

    Strict: any bad line of a .jsonl file raises (read_articles would skip it and go on).
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(str(path), "is a folder; read folders with read_articles")
    if not path.exists():
        raise InputError(str(path), "no such file or folder")
    articles, errors = _read_file(path, lang)
    if errors:
        raise errors[0]
    _make_ids_unique(articles)
    return articles


_META_FIELDS = ("title", "url", "published", "publisher", "lang")


def article_from_text(text: str, id: str = "text", source: str = "<text>", **meta: Any) -> Article:
    """Build an Article from plain text: paragraphs, languages, title, publication note, dateline.

    meta may give title, url, published (any date parse_date reads), publisher and lang; what it
    gives wins over what the text says. lang declares the language of every paragraph.
    """
    unknown = sorted(set(meta) - set(_META_FIELDS))
    if unknown:
        raise TypeError(f"unknown article field(s): {', '.join(unknown)}")
    text = _normalize(text)
    if not text.strip():
        raise InputError(source, "no text")
    given = {k: (str(v).strip() or None) if v is not None else None for k, v in meta.items()}
    published = given.get("published")
    if published is not None:
        iso = parse_date(published)
        if iso is None or len(iso) != 10:
            raise InputError(source, f"published date {published!r} is not a full date (e.g. 2025-09-24)")
        published = iso
    declared = given.get("lang")

    blocks = split_paragraphs(text)
    langs = [declared] * len(blocks) if declared else detect_languages([b for _, b in blocks])
    paragraphs = [Paragraph(index=i, text=block, lang=lg, start=start)
                  for i, ((start, block), lg) in enumerate(zip(blocks, langs))]

    note_index, note = _find_note(paragraphs)
    body = [p for p in paragraphs if p.index != note_index]
    return Article(
        id=id,
        source=source,
        text=text,
        paragraphs=paragraphs,
        title=given.get("title") or _title(body),
        url=given.get("url") or note.url,
        published=published or note.published or _dateline(body),
        publisher=given.get("publisher") or note.publisher,
        lang=declared,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


# --- files and folders -----------------------------------------------------------------------

def _folder_files(folder: Path) -> tuple[list[Path], int]:
    """Readable files under folder in sorted order, and how many others were skipped."""
    files: list[Path] = []
    skipped = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            if Path(name).suffix.lower() in EXTENSIONS:
                files.append(Path(root) / name)
            else:
                skipped += 1
    files.sort(key=lambda p: p.relative_to(folder).as_posix())
    return files, skipped


def _read_file(path: Path, lang: str | None) -> tuple[list[Article], list[InputError]]:
    """Articles of one file and the errors of its bad lines; raises for a bad file."""
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind is None:
        shown = path.suffix or "(none)"
        raise InputError(str(path), f"unsupported extension {shown}; expected {_EXPECTED}")
    if kind == "jsonl":
        return _read_jsonl(path, lang)
    data = _read_bytes(path)
    stem_id = slugify(path.stem)
    if kind == "html":
        text, meta = _html_text(data, path)
    else:
        text = _decode(data, str(path))
        meta = {}
        if kind == "markdown":
            text, meta = strip_markdown(text)
    if not text.strip():
        raise InputError(str(path), "empty file")
    if lang:
        meta["lang"] = lang
    return [article_from_text(text, id=stem_id, source=str(path), **meta)], []


def _regular_file_size(path: Path) -> int:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(str(path), "no such file or folder") from None
    except PermissionError:
        raise InputError(str(path), "permission denied") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(str(path), "not a regular file")
    if st.st_size == 0:
        raise InputError(str(path), "empty file")
    return st.st_size


def _too_big(size: int) -> str:
    return f"file is {size / _MIB:.1f} MB; limit is {MAX_BYTES // _MIB} MB"


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, after checking its size without reading it."""
    size = _regular_file_size(path)
    if size > MAX_BYTES:
        raise InputError(str(path), _too_big(size))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:  # grew since stat
        raise InputError(str(path), _too_big(len(data)))
    return data


def _looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control characters, mean this is not text."""
    if b"\x00" in data:
        return True
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) * 0.05


def _decode(data: bytes, where: str, offset: int = 0, codec: str = "utf-8") -> str:
    """Text of data; offset is where data starts in the file, for the error's byte position."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(where, "UTF-16 text; expected UTF-8")
    if data.startswith(codecs.BOM_UTF8):
        data, offset = data[3:], offset + 3
    if _looks_binary(data):
        raise InputError(where, "binary file, not text")
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if codec == "utf-8" else codec
        raise InputError(where, f"not valid {name} at byte {offset + exc.start}") from None


def _normalize(text: str) -> str:
    """One newline convention, no BOM: offsets then mean the same on every platform."""
    text = text.lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")


# --- JSONL -----------------------------------------------------------------------------------

_JSONL_FIELDS = ("title", "url", "date", "published", "lang", "publisher", "id")


def _read_jsonl(path: Path, lang: str | None) -> tuple[list[Article], list[InputError]]:
    """One article per line; a bad line is an error naming path:line, the others are read."""
    _regular_file_size(path)
    articles: list[Article] = []
    errors: list[InputError] = []
    stem = slugify(path.stem)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    with handle:
        head = handle.read(8192)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise InputError(str(path), "UTF-16 text; expected UTF-8")
        if _looks_binary(head.removeprefix(codecs.BOM_UTF8)):
            raise InputError(str(path), "binary file, not text")
        handle.seek(0)
        offset = 0
        number = 0
        while True:
            raw = handle.readline(MAX_BYTES + 1)
            if not raw:
                break
            number += 1
            where = f"{path}:{number}"
            start = offset
            offset += len(raw)
            if len(raw) > MAX_BYTES:  # skip the rest of an over-long line without holding it
                size = len(raw)
                while not raw.endswith(b"\n"):
                    raw = handle.readline(_MIB)
                    if not raw:
                        break
                    size += len(raw)
                offset = start + size
                errors.append(InputError(where, f"line is {size / _MIB:.1f} MB; limit is {MAX_BYTES // _MIB} MB"))
                continue
            try:
                line = _decode(raw, where, offset=start)
                if not line.strip():
                    continue
                articles.append(_jsonl_article(line, where, f"{stem}-{number}", lang))
            except InputError as exc:
                errors.append(exc)
    if not articles and not errors:
        raise InputError(str(path), "empty file")
    return articles, errors


def _jsonl_article(line: str, where: str, default_id: str, lang: str | None) -> Article:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(record, dict):
        raise InputError(where, "expected a JSON object with a \"text\" field")
    text = record.get("text")
    if text is None:
        raise InputError(where, "no \"text\" field")
    if not isinstance(text, str):
        raise InputError(where, "\"text\" must be a string")
    if not text.strip():
        raise InputError(where, "\"text\" is empty")
    for name in _JSONL_FIELDS:
        if record.get(name) is not None and not isinstance(record[name], str):
            raise InputError(where, f"\"{name}\" must be a string")
    date = record.get("date") or record.get("published")
    published = None
    if date:
        published = parse_date(date)
        if published is None or len(published) != 10:
            raise InputError(where, f"\"date\" {date!r} is not a full date (e.g. 2025-09-24)")
    article_id = slugify(record["id"]) if record.get("id") else default_id
    return article_from_text(text, id=article_id, source=where, title=record.get("title"),
                             url=record.get("url"), published=published,
                             publisher=record.get("publisher"), lang=record.get("lang") or lang)


# --- HTML ------------------------------------------------------------------------------------

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _html_text(data: bytes, path: Path) -> tuple[str, dict[str, str]]:
    """Main text of a page (boilerplate dropped by trafilatura) and its title/date/publisher/url."""
    codec = "utf-8"
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            codec = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            codec = "utf-8"
        if codec in ("gb2312", "gbk"):
            codec = "gb18030"  # pages that say gb2312 routinely use gbk characters
    html = _decode(data, str(path), codec=codec)
    import trafilatura  # slow import; only HTML needs it

    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False,
        # only the page's own metadata, never a date guessed from its text or today's date
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not body:
        raise InputError(str(path), "no article text found in the page")
    meta: dict[str, str] = {}
    publisher = _clean_site_name(getattr(document, "sitename", None))
    title = _clean_page_title(getattr(document, "title", None), publisher)
    date = parse_date(getattr(document, "date", None) or "")
    if title:
        meta["title"] = title
        if not body.startswith(title):  # keep the headline in the text, as a .txt file would
            body = f"{title}\n\n{body}"
    if date and len(date) == 10:
        meta["published"] = date
    if publisher:
        meta["publisher"] = publisher
    url = getattr(document, "url", None)
    if url:
        meta["url"] = url
    return body, meta


def _clean_site_name(name: str | None) -> str | None:
    """A site name, unless it is only a host name (trafilatura falls back to one)."""
    name = (name or "").strip()
    if not name or (" " not in name and "." in name):
        return None
    return name


def _clean_page_title(title: str | None, site: str | None) -> str | None:
    """The headline without a trailing "| Site name"."""
    title = " ".join((title or "").split())
    if site:
        for sep in (" | ", " - ", " – ", " — ", " :: ", " · ", "_"):
            if title.endswith(sep + site):
                title = title[: -len(sep + site)]
    return title or None


# --- Markdown --------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.DOTALL)
_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),                        # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),                    # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),                   # [text][ref]
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),                     # <https://...>
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),                           # inline HTML tags
    (re.compile(r"`([^`]+)`"), r"\1"),                                # `code`
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),            # **strong**
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # _emphasis_
    (re.compile(r"~~(.+?)~~"), r"\1"),                                # ~~strike~~
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),             # \* escapes
]


def strip_markdown(text: str) -> tuple[str, dict[str, str]]:
    """Plain text of Markdown (headings, emphasis, links, lists, quotes, tables -> text; code
    blocks and images dropped) and the title/date/publisher/url/lang of a YAML front matter."""
    text = _normalize(text)
    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        try:
            data = yaml.safe_load(front.group(1))
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):
            text = text[front.end():]
            for key in ("title", "url", "publisher", "lang"):
                if isinstance(data.get(key), str):
                    meta[key] = data[key]
            date = parse_date(str(data.get("date") or data.get("published") or ""))
            if date and len(date) == 10:
                meta["published"] = date
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    lines: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        opener = re.match(r"\s{0,3}(`{3,}|~{3,})", line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence:
                fence = None
            lines.append("")
            continue
        if opener:
            fence = opener.group(1)[0]
            lines.append("")
            continue
        if re.fullmatch(r"\s*([-*_])(\s*\1){2,}\s*|\s*=+\s*", line):  # rule or setext underline
            lines.append("")
            continue
        if re.match(r"\s{0,3}\[[^\]]+\]:\s*\S+", line):  # link reference definition
            continue
        heading = re.match(r"\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$", line)
        if heading:
            line = heading.group(1)
        line = re.sub(r"^\s*(?:>\s?)+", "", line)
        line = re.sub(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+", "", line)
        if line.strip().startswith("|"):
            if re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line):
                continue
            line = "; ".join(c.strip() for c in line.strip().strip("|").split("|") if c.strip())
        for pattern, replacement in _INLINE:
            line = pattern.sub(replacement, line)
        lines.append(line)
    return "\n".join(lines), meta


# --- paragraphs and languages ----------------------------------------------------------------

_SENTENCE_END = (".", "。", "!", "?", "！", "？", ":", "：", ";", "；", "\"", "”", "'", "’", "」", "』", ")", "）")


def split_paragraphs(text: str) -> list[tuple[int, str]]:
    """(start offset, text) of every paragraph: one per line, blank lines dropped.

    News text puts one paragraph per line. A block of lines hard-wrapped at a fixed width
    (three or more similar-length lines that mostly do not end a sentence, some continuing in
    lower case) is one paragraph instead, its newlines read as spaces (same length, so offsets
    hold).
    """
    paragraphs: list[tuple[int, str]] = []
    block: list[tuple[int, str]] = []

    def flush() -> None:
        if not block:
            return
        if _hard_wrapped([line for _, line in block]):
            first, last = block[0], block[-1]
            raw = text[first[0]:last[0] + len(last[1])]
            lead = len(raw) - len(raw.lstrip())
            paragraphs.append((first[0] + lead, raw.strip().replace("\n", " ")))
        else:
            for start, line in block:
                lead = len(line) - len(line.lstrip())
                paragraphs.append((start + lead, line.strip()))
        block.clear()

    offset = 0
    for line in text.split("\n"):
        if line.strip():
            block.append((offset, line))
        else:
            flush()
        offset += len(line) + 1
    flush()
    return paragraphs


def _hard_wrapped(lines: list[str]) -> bool:
    if len(lines) < 3:
        return False
    widths = [len(line.rstrip()) for line in lines[:-1]]
    if max(widths) > 100 or min(widths) < 40 or min(widths) < 0.6 * max(widths):
        return False
    open_ended = sum(1 for line in lines[:-1] if not line.rstrip().endswith(_SENTENCE_END))
    # prose wrapped mid-sentence continues in lower case; a list of headings does not
    continued = any(line.lstrip()[:1].islower() for line in lines[1:])
    return continued and open_ended * 2 >= len(lines) - 1


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")


@lru_cache(maxsize=1)
def _langid() -> Any:
    """py3langid restricted to LANGID_LANGUAGES (loaded once; ~0.7 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGID_LANGUAGES))
    return identifier


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of text by its majority script, else py3langid; None when unsure.

    'zh' when Han characters outweigh other letters (each counting HAN_WEIGHT letters),
    'ja'/'ko' when kana/hangul are present in that CJK majority. Latin and other scripts go to
    py3langid (restricted to LANGID_LANGUAGES), trusted only on long enough text.
    """
    han = len(_HAN.findall(text))
    kana = len(_KANA.findall(text))
    hangul = len(_HANGUL.findall(text))
    cjk = han + kana + hangul
    letters = sum(1 for c in text if c.isalpha()) - cjk
    if cjk and cjk * HAN_WEIGHT > letters:
        if hangul > han + kana:
            return "ko"
        if kana >= 2 and kana * 10 >= han + kana:
            return "ja"
        return "zh"
    if letters < MIN_LETTERS_FOR_LANGID:
        return None
    lang, prob = _langid().classify(text)
    return str(lang) if prob >= LANGID_MIN_PROB else None


def detect_languages(texts: list[str]) -> list[str]:
    """The language of each paragraph; unsure ones borrow from the article.

    A short Latin-script line ("Paris, 14 June 2024") takes the article's commonest
    non-CJK language, else 'en'; a line without letters takes its neighbour's.
    """
    found = [detect_language(t) for t in texts]
    latin = Counter(lg for lg in found if lg and lg not in ("zh", "ja", "ko"))
    fallback = latin.most_common(1)[0][0] if latin else "en"
    result: list[str] = []
    for i, (text, lang) in enumerate(zip(texts, found)):
        if lang is None:
            if any(c.isalpha() for c in text):
                lang = fallback
            else:
                before = [x for x in result if x]
                after = [x for x in found[i + 1:] if x]
                lang = before[-1] if before else after[0] if after else fallback
        result.append(lang)
    return result


# --- what the article says about itself ------------------------------------------------------

@lru_cache(maxsize=1)
def _note_cues() -> dict[str, dict[str, list[str]]]:
    data = yaml.safe_load((CUES_DIR / "publication_notes.yml").read_text(encoding="utf-8"))
    cues: dict[str, dict[str, list[str]]] = {}
    for lang, table in data.items():
        cues[lang] = {}
        for key in ("cues", "colon_cues", "introducers", "channel_words", "stop_words"):
            words = table.get(key) or []
            bad = [w for w in words if not isinstance(w, str)]
            if bad:  # YAML reads a bare on/off/yes/no as a boolean
                raise ValueError(f"publication_notes.yml: {lang}.{key} has non-text entries {bad}; quote them")
            cues[lang][key] = sorted(words, key=len, reverse=True)
    return cues


_URL = re.compile(r"https?://[^\s<>\"'“”‘’()（）【】\[\]，。；]+")
_OPENERS = "【[(（〔<*_—–-"
_CLOSERS = "】])）〕>*_"
_PUNCT = " \t\"'“”‘’«»:：-–—.,，。;；|/\\"


def parse_publication_note(paragraph: str) -> PublicationNote | None:
    """The date, publisher and URL stated by a publication note paragraph, or None.

    "【本文原载于联合国教科文组织公众号2025年9月24日推文】" -> 2025-09-24, 联合国教科文组织;
    "Originally published by UNESCO on 24 September 2025" -> 2025-09-24, UNESCO.
    Cue words live in nlp/cues/publication_notes.yml.
    """
    text = paragraph.strip()
    if not text or len(text) > NOTE_MAX_CHARS:
        return None
    text = text.lstrip(_OPENERS + " ").rstrip(_CLOSERS + " ").replace("’", "'")
    for lang, cues in _note_cues().items():
        rest = _after_cue(text, cues, lang)
        if rest is None or (lang != "zh" and len(text.split()) > NOTE_MAX_WORDS):
            continue
        note = _read_note(rest, cues, lang)
        if note.published or note.publisher or note.url:
            return note
    return None


def _after_cue(text: str, cues: dict[str, list[str]], lang: str) -> str | None:
    folded = text.lower() if lang != "zh" else text
    for cue in cues["colon_cues"]:
        match = re.match(rf"{re.escape(cue)}\s*[:：]", folded)
        if match:
            return text[match.end():]
    for cue in cues["cues"]:
        if folded.startswith(cue):
            after = text[len(cue):]
            if lang == "zh" or not after[:1].isalnum():
                return after
    return None


def _read_note(rest: str, cues: dict[str, list[str]], lang: str) -> PublicationNote:
    urls = _URL.findall(rest)
    url = urls[0].rstrip(".,;") if urls else None
    rest = _URL.sub(" | ", rest)
    dates = [d for d in find_dates(rest) if d.kind == "date" and not d.is_range]
    published = dates[0].value if dates else None
    for found in reversed(find_dates(rest, years=True)):
        rest = rest[:found.start] + " | " + rest[found.end:]
    rest = _cut_at_stop_word(rest, cues["stop_words"], lang)
    publisher = _zh_publisher(rest, cues) if lang == "zh" else _en_publisher(rest, cues)
    return PublicationNote(published=published, publisher=publisher, url=url)


def _cut_at_stop_word(text: str, stop_words: list[str], lang: str) -> str:
    cut = len(text)
    for word in stop_words:
        if lang == "zh":
            position = text.find(word)
        else:
            match = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)
            position = match.start() if match else -1
        if 0 <= position < cut:
            cut = position
    return text[:cut]


def _trim_channel(name: str, channel_words: list[str], lang: str) -> str:
    name = name.strip(_PUNCT)
    changed = True
    while changed and name:
        changed = False
        for word in channel_words:
            if name.lower().endswith(word.lower()) and len(name) > len(word):
                head = name[: -len(word)]
                if lang == "zh" or word.startswith("'") or not head[-1:].isalnum():
                    name, changed = head.strip(_PUNCT), True
                    break
    return name


def _en_publisher(rest: str, cues: dict[str, list[str]]) -> str | None:
    intro = "|".join(re.escape(w) for w in cues["introducers"])
    by: list[str] = []
    other: list[str] = []
    lead: list[str] = []
    for segment in re.split(r"\s*(?:\||[,;()\[\]]|\.(?=\s|$))\s*", rest):
        parts = re.split(rf"(?i)(?<!\w)({intro})(?!\w)", segment)
        lead.append(parts[0])
        for word, chunk in zip(parts[1::2], parts[2::2]):
            (by if word.lower() == "by" else other).append(chunk)
    for chunk in by + lead[:1] + other:
        name = _trim_channel(chunk, cues["channel_words"], "en")
        words = name.split()
        if 1 <= len(words) <= 10 and re.match(r"(?:the\s+)?[A-Z]", name):
            return name
    return None


def _zh_publisher(rest: str, cues: dict[str, list[str]]) -> str | None:
    named = re.search(r"[《“「『\"]([^》”」』\"]{2,40})[》”」』\"]", rest)
    pieces = [named.group(1)] if named else []
    pieces += re.split(r"[|，,；;。、（）()【】\[\]/]", rest)
    for piece in pieces:
        name = _trim_channel(piece.replace("《", "").replace("》", ""), cues["channel_words"], "zh")
        if len(name) >= 2 and re.search(r"[^\W\d_]", name) and not re.search(r"\d", name):
            return name
    return None


def _find_note(paragraphs: list[Paragraph]) -> tuple[int | None, PublicationNote]:
    """The first publication note among the first two and last two paragraphs."""
    candidates = paragraphs[:2] + [p for p in paragraphs[-2:] if p.index >= 2]
    for paragraph in candidates:
        note = parse_publication_note(paragraph.text)
        if note is not None:
            return paragraph.index, note
    return None, PublicationNote()


_DATELINE_PLACE = re.compile(r"[^\W\d_][^\d\n:;!?]{0,80}?,\s*")  # "WASHINGTON, ", "Dunhuang, Gansu province, "
_DATELINE_AGENCY = re.compile(r"[（(]?[^\s\d，。,.;；:：“”\"'()（）]{0,20}")  # "新华社兰州", "本报成都"


def parse_dateline(paragraph: str) -> str | None:
    """ISO date of a dateline opening the paragraph, or None.

    "WASHINGTON, February 24, 2017 –", "Dunhuang, 22 September 2025 –", "Paris, 14 June 2024",
    "新华社兰州2023年9月7日电". A dateline without a year ("本报成都6月23日电") takes the year of
    the same month and day written in full in that paragraph, else gives None.
    """
    head = paragraph[:200]
    found = find_dates(head)
    if not found:
        return None
    date = found[0]
    if date.is_range or date.day is None:
        return None
    prefix, after = head[:date.start], paragraph[date.end:]
    english = (_DATELINE_PLACE.fullmatch(prefix) is not None and len(prefix.split()) <= 8
               and re.match(r"\s*(?:$|[–—―‒-]|:|\(|/)", after) is not None)
    chinese = _DATELINE_AGENCY.fullmatch(prefix) is not None and after.lstrip().startswith(("电", "讯"))
    if not (english or chinese):
        return None
    if date.year is not None:
        return date.value
    for other in find_dates(paragraph):
        if other.year is not None and (other.month, other.day) == (date.month, date.day) and not other.is_range:
            return other.value
    return None


def _dateline(paragraphs: list[Paragraph]) -> str | None:
    """The first dateline among the opening paragraphs (headline and subhead may precede it)."""
    for paragraph in paragraphs[:4]:
        date = parse_dateline(paragraph.text)
        if date:
            return date
    return None


def _title(paragraphs: list[Paragraph]) -> str | None:
    """The first paragraph when it reads as a headline: short, no sentence-final period."""
    if len(paragraphs) < 2:
        return None
    first = paragraphs[0].text.strip()
    if (len(first) >= TITLE_MAX_CHARS or first.endswith((".", "。", "．"))
            or not re.search(r"[^\W\d_]", first) or parse_dateline(first)):
        return None
    return first


# --- ids -------------------------------------------------------------------------------------

def slugify(text: str, max_length: int = 80) -> str:
    """A lower-case ASCII slug for an IRI segment; Chinese is written in pinyin (敦煌 -> dun-huang)."""
    text = unicodedata.normalize("NFKC", text)
    if _HAN.search(text):
        from pypinyin import lazy_pinyin  # only Chinese names need it

        text = "-".join(lazy_pinyin(text))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "article"


def unique_id(article_id: str, content_hash: str, used: set[str]) -> str:
    """`article_id`, or when it is taken a short content hash (then a counter) appended; the id
    returned joins `used`. Streaming builds call it article by article."""
    candidate = article_id
    if candidate in used:
        candidate = f"{article_id}-{content_hash[:8]}"
        number = 2
        while candidate in used:
            candidate = f"{article_id}-{content_hash[:8]}-{number}"
            number += 1
    used.add(candidate)
    return candidate


def _make_ids_unique(articles: list[Article]) -> None:
    """Later articles whose id is taken get a short content hash (then a counter) appended."""
    used: set[str] = set()
    for article in articles:
        article.id = unique_id(article.id, article.content_hash, used)
