"""Resolve stage: article-local entities -> one resource per real-world thing, across articles.

Identity rules (the top complaint about LLM graph builders is merging different things that
share a name, so events and publications are careful):
- an authority entry is one resource wherever it appears;
- organizations, people, places, projects and topics with the same normalised name (or a shared
  acronym) of the same kind are one resource;
- an event is its name *plus* its edition or year: the 2nd and the 8th Expo differ, and an event
  with neither ("the Forum") never leaves its article;
- a publication with a generic title ("Final Declaration", "annual report") stays in its article.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from heritagekg.model import Entity, Extraction, Value
from heritagekg.textnorm import norm_name, slugify

EVENT_TYPES = {"Event", "Forum", "Expo"}
MERGE_GROUP = {"Place": "place", "HeritageSite": "place", "Organization": "org", "Person": "person",
               "Project": "project", "Topic": "topic", "Publication": "publication",
               "Event": "event", "Forum": "event", "Expo": "event"}
TYPE_RANK = {"HeritageSite": 2, "Place": 1, "Forum": 2, "Expo": 2, "Event": 1}
_ORDINAL = re.compile(r"^(\d+(st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
                      r"tenth|eleventh|twelfth)\s+", re.I)
_ZH_EDITION = re.compile(r"^第[一二三四五六七八九十百\d]+届")


@dataclass
class ResolvedEntity:
    """One resource of the graph: its IRI path, class, every name by language, Wikidata link."""

    id: str                      # IRI path under the base, e.g. "organization/unesco"
    type: str
    names: dict[str, list[str]] = field(default_factory=dict)
    acronyms: list[str] = field(default_factory=list)
    wikidata: str | None = None
    authority_id: str | None = None

    def add_names(self, ent: Entity) -> None:
        for lang, names in sorted(ent.names.items()):
            bucket = self.names.setdefault(lang, [])
            for n in names:
                if n not in bucket:
                    bucket.append(n)
        for a in ent.acronyms:
            if a not in self.acronyms:
                self.acronyms.append(a)
        self.wikidata = self.wikidata or ent.wikidata
        self.authority_id = self.authority_id or ent.authority_id


@dataclass
class Resolution:
    entities: dict[str, ResolvedEntity]
    #: (article id, local entity key) -> resolved entity id
    mapping: dict[tuple[str, str], str]


def identity_keys(ent: Entity, extraction: Extraction) -> list[str]:
    """Keys under which this entity is the same as another; several keys merge transitively."""
    group = MERGE_GROUP.get(ent.type, ent.type.lower())
    if ent.authority_id:
        return [f"auth:{ent.authority_id}"]
    names = [n for lang in sorted(ent.names) for n in ent.names[lang]]
    article = extraction.article.id
    if group == "event":
        year = _year_of(ent, extraction)
        qualifier = f"#{ent.edition}" if ent.edition else (f"@{year}" if year else f"!{article}")
        bases = {norm_name(_strip_ordinal(n)) for n in names}
        if any(len(b) < 6 for b in bases) or not bases:
            qualifier += f"!{article}"
        return sorted(f"event:{b}{qualifier}" for b in bases if b)
    if group == "publication":
        keys = []
        for n in names:
            scoped = len(n.split()) <= 3 and not re.search(r"[\u3400-\u9fff]{6,}", n)
            keys.append(f"publication:{norm_name(n)}" + (f"!{article}" if scoped else ""))
        return sorted(set(keys))
    keys = [f"{group}:{norm_name(n)}" for n in names if norm_name(n)]
    acronyms = set(ent.acronyms) | {n for n in names if re.fullmatch(r"[A-Z][A-Z0-9&]{1,9}", n)}
    keys += [f"{group}:acr:{a}" for a in sorted(acronyms) if group in ("org", "project")]
    if group == "person":
        keys = [k for k in keys if len(k) > len("person:") + 3]
    return sorted(set(keys)) or [f"{group}:{ent.key}!{article}"]


def _strip_ordinal(name: str) -> str:
    return _ZH_EDITION.sub("", _ORDINAL.sub("", name))


def _year_of(ent: Entity, extraction: Extraction) -> str | None:
    for rel in extraction.relations:
        if rel.subject == ent.key and rel.predicate == "startDate" and isinstance(rel.object, Value):
            return rel.object.value[:4]
    return ent.year


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def resolve(extractions: list[Extraction]) -> Resolution:
    """Merge the entities of all articles into resources with deterministic IRI paths."""
    uf = _UnionFind()
    local_keys: dict[tuple[str, str], list[str]] = {}
    authority_of: dict[str, str] = {}
    for ex in extractions:
        for ent in ex.entities.values():
            keys = identity_keys(ent, ex)
            local_keys[(ex.article.id, ent.key)] = keys
            for k in keys[1:]:
                uf.union(keys[0], k)
    # two different authority entries never merge, even when a name is shared
    groups: dict[str, list[tuple[str, str]]] = {}
    for local, keys in sorted(local_keys.items()):
        groups.setdefault(uf.find(keys[0]), []).append(local)
    del authority_of
    entity_by_local: dict[tuple[str, str], Entity] = {
        (ex.article.id, e.key): e for ex in extractions for e in ex.entities.values()}
    resolved: dict[str, ResolvedEntity] = {}
    mapping: dict[tuple[str, str], str] = {}
    used: dict[str, str] = {}
    for root in sorted(groups):
        members = groups[root]
        ents = [entity_by_local[m] for m in members]
        counts = Counter(e.type for e in ents)  # O(k), not O(k²): k is thousands for popular bodies
        cls = max(counts, key=lambda t: (TYPE_RANK.get(t, 0), counts[t]))
        ent0 = ResolvedEntity(id="", type=cls)
        for e in ents:
            ent0.add_names(e)
        path = _path(ent0, root, ents, members)
        if path in used and used[path] != root:
            path = f"{path}-{hashlib.sha1(root.encode()).hexdigest()[:6]}"
        used[path] = root
        ent0.id = path
        resolved[path] = ent0
        for m in members:
            mapping[m] = path
    return Resolution(resolved, mapping)


def _path(ent: ResolvedEntity, root: str, ents: list[Entity], members: list[tuple[str, str]]) -> str:
    cls = ent.type.lower()
    if ent.authority_id:
        return f"{cls}/{slugify(ent.authority_id)}"
    label = (ent.names.get("en") or ent.names.get("zh") or [next(iter(ent.names.values()), ["x"])[0]])[0]
    slug = slugify(label, 72)
    if "#" in root or "@" in root:
        qualifier = root.split("#")[-1] if "#" in root else root.split("@")[-1]
        qualifier = qualifier.split("!")[0]
        if "#" in root and not re.match(r"^\d", slug):
            slug = f"{slug}-ed{qualifier}"
        elif "@" in root:
            slug = f"{slug}-{qualifier}"
    if "!" in root:
        slug = f"{slug}--{slugify(root.split('!')[-1], 40)}"
    return f"{cls}/{slug}"
