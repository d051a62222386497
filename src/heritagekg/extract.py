"""Extract stage: one Article -> one Extraction, each paragraph read by its language's reader.

Facts the authority file states about the places and bodies an article names (Dunhuang is in
Gansu; the World Heritage Centre is part of UNESCO) are added here, marked as derived from the
authority file rather than from the text.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from heritagekg.model import Article, Entity, Extraction, Paragraph, Relation
from heritagekg.translate import add_english_labels

if TYPE_CHECKING:
    from spacy.tokens import Doc

LANGS = ("auto", "en", "zh")


def paragraphs_for(article: Article, lang: str) -> dict[str, list[Paragraph]]:
    """Paragraphs grouped by the reader that takes them; `lang` forces one reader for all."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    groups: dict[str, list[Paragraph]] = {"en": [], "zh": []}
    for p in article.paragraphs:
        which = lang if lang != "auto" else ("zh" if p.lang == "zh" else "en")
        groups[which].append(p)
    return groups


def extract(article: Article, lang: str = "auto", model: str | None = None,
            en_docs: list[Doc] | None = None) -> Extraction:
    """Entities and relations of one article, both languages, aligned into shared entities.

    `en_docs` are the English paragraphs' docs when the caller already ran them through the
    English pipeline (the streaming build pipes many articles' paragraphs in one batch).
    """
    from heritagekg.nlp.en import EnglishReader, extract_en

    groups = paragraphs_for(article, lang)
    extraction = Extraction(article)
    if groups["en"] and en_docs is not None:
        reader = EnglishReader(article, list(zip(groups["en"], en_docs, strict=True)))
        extraction.entities.update(reader.entities)
        extraction.relations.extend(reader.relations)
    elif groups["en"]:
        entities, relations = extract_en(article, groups["en"], model)
        extraction.entities.update(entities)
        extraction.relations.extend(relations)
    if groups["zh"]:
        from heritagekg.nlp.zh import extract_zh

        entities, relations = extract_zh(article, groups["zh"])
        extraction.entities.update(entities)
        extraction.relations.extend(relations)
    if groups["en"] and groups["zh"]:
        from heritagekg.align import align_languages

        extraction = align_languages(extraction)
    add_english_labels(extraction)
    add_authority_facts(extraction)
    return extraction


def add_authority_facts(extraction: Extraction) -> None:
    """Containment and parent bodies among the authority entries this article mentions."""
    from heritagekg.authority import load_authority

    authority = load_authority()
    by_authority: dict[str, Entity] = {}
    for ent in extraction.entities.values():
        if ent.authority_id:
            by_authority.setdefault(ent.authority_id, ent)
    for auth_id, ent in sorted(by_authority.items()):
        entry = authority.entries[auth_id]
        for outer in authority.ancestors(auth_id):
            if outer in by_authority:
                extraction.add_relation(Relation(ent.key, "locatedIn", by_authority[outer].key, None, None,
                                                 1.0, "authority:located-in", "authority"))
        if entry.parent and entry.parent in by_authority:
            extraction.add_relation(Relation(ent.key, "parentOrganization", by_authority[entry.parent].key,
                                             None, None, 1.0, "authority:parent", "authority"))
