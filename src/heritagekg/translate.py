"""English labels for Chinese names built from a known place and a generic ending.

Chinese official names compose: 敦煌国际会展中心 is 敦煌 (Dunhuang, from the authority file) +
国际会展中心 (International Convention and Exhibition Center, from ``cues/zh_en_suffixes.yml``).
Only such exact compositions get an English label; anything else keeps its Chinese name alone.
"""
from __future__ import annotations

from heritagekg.model import Extraction
from heritagekg.nlp import cues

COMPOSABLE = ("Place", "Organization")


def compose_english(name: str) -> str | None:
    """English rendering of `name` when it is a known place plus a generic ending, else None."""
    from heritagekg.authority import load_authority

    authority = load_authority()
    suffixes: dict[str, str] = cues("zh_en_suffixes")
    for suffix in sorted(suffixes, key=len, reverse=True):
        if not name.endswith(suffix) or len(name) == len(suffix):
            continue
        stem = name[: -len(suffix)]
        for candidate in (stem, stem + "省", stem + "市"):
            entry = authority.lookup(candidate)
            if entry is not None and entry.type in ("Place", "HeritageSite") and entry.preferred("en"):
                return f"{entry.preferred('en')} {suffixes[suffix]}"
        return None
    return None


def add_english_labels(extraction: Extraction) -> None:
    """Give Chinese-only places and bodies their composed English name (as a second language)."""
    for ent in extraction.entities.values():
        if ent.type not in COMPOSABLE or ent.names.get("en") or not ent.names.get("zh"):
            continue
        english = compose_english(ent.names["zh"][0])
        if english:
            ent.add_name(english, "en")
