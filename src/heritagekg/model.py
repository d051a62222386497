"""The records that flow between stages: ingest -> extract -> resolve -> graph.

Each stage reads the previous stage's records and returns new ones; nothing reaches back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal as TypingLiteral, Protocol, Union

#: contract class local names an extractor may emit
ENTITY_TYPES = ("Event", "Forum", "Expo", "Organization", "Person", "Place", "HeritageSite",
                "Project", "Publication", "Topic")


@dataclass(frozen=True)
class Paragraph:
    """A block of an article with the language it is written in (ISO 639-1, e.g. 'en', 'zh')."""

    index: int
    text: str
    lang: str
    start: int = 0  # character offset in Article.text


@dataclass
class Article:
    """One source document, split into paragraphs, with what it says about itself."""

    id: str                      # stable slug, the last path segment of the article IRI
    source: str                  # file path (or path:line for JSONL)
    text: str
    paragraphs: list[Paragraph]
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when known
    publisher: str | None = None  # publisher name as stated
    lang: str | None = None       # declared language, else None (detected per paragraph)
    content_hash: str = ""        # sha256 of text: the cache key of later stages

    @property
    def langs(self) -> list[str]:
        """Languages of the paragraphs, in order of first appearance."""
        seen: list[str] = []
        for p in self.paragraphs:
            if p.lang not in seen:
                seen.append(p.lang)
        return seen


@dataclass(frozen=True)
class Value:
    """A literal object of a relation; kind picks the XSD datatype in the graph stage."""

    kind: TypingLiteral["date", "gYearMonth", "gYear", "int", "decimal", "text"]
    value: str
    lang: str | None = None  # only for kind == "text"


@dataclass
class Entity:
    """One thing an article names, with every name it is given there.

    `key` is unique within one article's extraction. `names` maps a language to the names seen,
    the preferred one first. Events carry `edition`/`year` because those are part of their
    identity: the 2nd and the 8th edition of an Expo are different resources.
    """

    key: str
    type: str
    names: dict[str, list[str]] = field(default_factory=dict)
    acronyms: list[str] = field(default_factory=list)
    authority_id: str | None = None
    wikidata: str | None = None
    edition: int | None = None
    year: str | None = None

    def add_name(self, name: str, lang: str, preferred: bool = False) -> None:
        name = " ".join(name.split())
        if not name:
            return
        names = self.names.setdefault(lang, [])
        if name in names:
            if preferred:
                names.remove(name)
                names.insert(0, name)
            return
        if preferred:
            names.insert(0, name)
        else:
            names.append(name)

    def add_acronym(self, acronym: str) -> None:
        if acronym not in self.acronyms:
            self.acronyms.append(acronym)

    def link_authority(self, entry: "AuthorityEntryLike") -> None:
        """Take an authority entry's identity: its id, Wikidata link, names and acronyms."""
        self.authority_id = entry.id
        self.wikidata = entry.wikidata
        for lang, names in entry.names.items():
            for n in names:
                self.add_name(n, lang)
        for acr in entry.acronyms:
            self.add_acronym(acr)

    def absorb(self, other: "Entity") -> None:
        """Everything `other` knows (it names the same thing): names, acronyms, identity, edition."""
        for lang, names in other.names.items():
            for name in names:
                self.add_name(name, lang)
        for acr in other.acronyms:
            self.add_acronym(acr)
        self.authority_id = self.authority_id or other.authority_id
        self.wikidata = self.wikidata or other.wikidata
        self.edition = self.edition if self.edition is not None else other.edition
        self.year = self.year or other.year

    @property
    def label(self) -> str:
        for lang in ("en", "zh", *self.names):
            if self.names.get(lang):
                return self.names[lang][0]
        return self.acronyms[0] if self.acronyms else self.key


@dataclass
class Relation:
    """One extracted fact: subject key, contract property, object key or Value, and its evidence.

    derived_from is "article" for facts read in the text (evidence is the sentence) and
    "authority" for facts stated by the authority file (evidence is None).
    """

    subject: str
    predicate: str
    object: Union[str, Value]
    evidence: str | None
    lang: str | None
    confidence: float
    extractor: str
    derived_from: TypingLiteral["article", "authority"] = "article"


@dataclass
class Extraction:
    """What the extract stage found in one article."""

    article: Article
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)

    def add_relation(self, rel: Relation) -> None:
        merge_relation(self.relations, rel)


def merge_relation(relations: list[Relation], rel: Relation) -> None:
    """Add `rel` keeping one copy per (s, p, o): the most confident reading wins."""
    for i, old in enumerate(relations):
        if (old.subject, old.predicate, old.object) == (rel.subject, rel.predicate, rel.object):
            if rel.confidence > old.confidence:
                relations[i] = rel
            return
    relations.append(rel)


class AuthorityEntryLike(Protocol):
    id: str
    wikidata: str | None
    names: dict[str, tuple[str, ...]]
    acronyms: tuple[str, ...]
