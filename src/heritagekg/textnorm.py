"""Name normalisation shared by every stage that compares names (matching, resolution, IRIs)."""
from __future__ import annotations

import functools
import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")
_POSSESSIVE = re.compile(r"['’]s\b")
_LEADING_THE = re.compile(r"^the")


def norm_name(text: str) -> str:
    """NFKC, casefold, no punctuation/space, no leading "the", no possessive: the identity of a name."""
    return _norm_name(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _norm_name(text: str) -> str:
    """norm_name of a plain string, memoized: extraction asks for the same few names over and over."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _POSSESSIVE.sub("", text)
    text = _NON_WORD.sub("", text)
    return _LEADING_THE.sub("", text)


def slugify(text: str, max_len: int = 64) -> str:
    """ASCII slug for IRIs; Chinese is transliterated with pypinyin so IRIs stay readable."""
    text = unicodedata.normalize("NFKC", text)
    if re.search(r"[\u3400-\u9fff]", text):
        from pypinyin import lazy_pinyin

        text = " ".join(lazy_pinyin(text))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0]
    return slug or "x"
