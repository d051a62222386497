"""Bilingual alignment within one article: the Chinese and English mentions of one thing merge.

A bilingual article (Chinese first, English after, or the reverse) names most things twice, and
each half states facts the other leaves out. The extractors give each half its own entities
(keys "zh:…" and "en:…"); `align_languages` pairs them and merges each pair into one entity that
carries the names of both languages, so every fact lands on the shared entity.

Evidence, strongest first, each pairing only one-to-one and only between compatible types:
1. the same authority entry; a shared acronym (GRIP in both halves); a shared name;
2. person names by pinyin (曲星 <-> "Qu Xing", order and tones ignored);
3. events of the same class and edition (第八届 <-> 8th);
4. structure, repeated until nothing changes: entities in the same relation to an entity already
   aligned (the only forum of each half that is part of the aligned expo), lists in the same
   order (organizers of the aligned forum, publications released at it), or the same date.
Two entities with different authority ids, or with types that cannot be one thing, never merge.
"""
from __future__ import annotations

import copy
import functools
import itertools
import re
from typing import Iterable

from heritagekg.model import Entity, Extraction, Relation, Value
from heritagekg.textnorm import norm_name

_EVENTS = {"Event", "Forum", "Expo"}
_PLACES = {"Place", "HeritageSite"}
#: relations whose objects (or subjects) form an ordered list worth aligning position by position
#: (themes and attendees are listed in no particular order, so they are not among them)
_LIST_PREDICATES = {("organizer", "out"), ("releasedAt", "in"), ("outputOf", "in"), ("funder", "out")}
_DATE_PREDICATES = ("startDate", "endDate")
_CJK = re.compile(r"[\u3400-\u9fff]")


def compatible(a: Entity, b: Entity) -> bool:
    """Could these two be one thing? Same class, or a class and its subclass; ids agree."""
    if a.authority_id and b.authority_id and a.authority_id != b.authority_id:
        return False
    if a.edition is not None and b.edition is not None and a.edition != b.edition:
        return False
    if a.type == b.type:
        return True
    pair = {a.type, b.type}
    return (pair <= _EVENTS and "Event" in pair) or pair == _PLACES


def align_languages(extraction: Extraction) -> Extraction:
    """One entity per thing named in both halves of the article; relations re-pointed, deduplicated."""
    entities = extraction.entities
    zh = [k for k in entities if k.startswith("zh:")]
    en = [k for k in entities if k.startswith("en:")]
    pairs: dict[str, str] = {}  # zh key -> en key
    if zh and en:
        for rule in (_by_test(_same_authority), _by_test(_same_acronym), _by_test(_same_name),
                     _by_pinyin, _by_edition):
            _accept(pairs, rule(entities, zh, en, pairs))
        while True:
            found = _by_structure(entities, extraction.relations, zh, en, pairs)
            if not _accept(pairs, found):
                break
    return _merge(extraction, pairs)


def _accept(pairs: dict[str, str], found: Iterable[tuple[str, str]]) -> bool:
    """Add candidate pairs whose ends are both still free; True when any was added."""
    taken = set(pairs.values())
    added = False
    for z, e in found:
        if z not in pairs and e not in taken:
            pairs[z] = e
            taken.add(e)
            added = True
    return added


def _unique(candidates: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Keep zh -> en candidates that are one-to-one in both directions."""
    reverse: dict[str, list[str]] = {}
    for z, es in candidates.items():
        for e in es:
            reverse.setdefault(e, []).append(z)
    return [(z, es[0]) for z, es in candidates.items() if len(es) == 1 and len(reverse[es[0]]) == 1]


def _free(keys: list[str], pairs: dict[str, str], english: bool = False) -> list[str]:
    taken = set(pairs.values()) if english else set(pairs)
    return [k for k in keys if k not in taken]


# --- evidence by name -------------------------------------------------------------------------

def _names(entity: Entity) -> set[str]:
    found = {norm_name(n) for names in entity.names.values() for n in names}
    return {n for n in found if n}


def _by_test(test):  # type: ignore[no-untyped-def]
    """A rule pairing free compatible entities for which test(zh_entity, en_entity) holds."""

    def rule(entities: dict[str, Entity], zh: list[str], en: list[str],
             pairs: dict[str, str]) -> list[tuple[str, str]]:
        free_en = _free(en, pairs, True)
        candidates = {z: [e for e in free_en if compatible(entities[z], entities[e])
                          and test(entities[z], entities[e])] for z in _free(zh, pairs)}
        return _unique({z: es for z, es in candidates.items() if es})

    return rule


def _same_authority(a: Entity, b: Entity) -> bool:
    return bool(a.authority_id) and a.authority_id == b.authority_id


def _same_acronym(a: Entity, b: Entity) -> bool:
    acr_a = set(a.acronyms) | {n for n in a.names.get("en", ()) if n.isupper() and len(n) >= 2}
    acr_b = set(b.acronyms) | {n for n in b.names.get("en", ()) if n.isupper() and len(n) >= 2}
    return bool(acr_a & acr_b)


def _same_name(a: Entity, b: Entity) -> bool:
    return bool(_names(a) & _names(b))


# --- persons by pinyin --------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _compound_surnames() -> frozenset[str]:
    from heritagekg.nlp import cues

    return frozenset(cues("zh_surnames")["compound"])


@functools.lru_cache(maxsize=4096)
def pinyin_readings(name: str) -> frozenset[tuple[str, str]]:
    """Every (surname, given name) reading of a Chinese name, toneless: 曲星 -> {("qu", "xing")}.

    Each character may have several readings (曲 qu, 单 shan/dan); compound surnames (欧阳)
    are split off as one surname.
    """
    from pypinyin import Style, pinyin

    name = name.replace("·", "").strip()
    if not 2 <= len(name) <= 4 or not all(_CJK.match(c) for c in name):
        return frozenset()
    syllables = [sorted(set(r)) for r in pinyin(name, style=Style.NORMAL, heteronym=True, strict=False)]
    cuts = [1]
    if name[:2] in _compound_surnames() and len(name) >= 3:
        cuts = [2]
    readings: set[tuple[str, str]] = set()
    for cut in cuts:
        for combo in itertools.product(*syllables):
            readings.add(("".join(combo[:cut]), "".join(combo[cut:])))
    return frozenset(readings)


def _roman_parts(name: str) -> tuple[str, ...]:
    """'Qu Xing' -> ('qu', 'xing'); 'Su Bo-min' -> ('su', 'bomin')."""
    words = re.split(r"\s+", re.sub(r"[-‐'’.]", "", name.strip().lower()))
    return tuple(w for w in words if w)


def pinyin_match(chinese: str, roman: str) -> bool:
    """Is `roman` a pinyin spelling of the Chinese name, in either order? (曲星 ~ Qu Xing, Xing Qu)"""
    parts = _roman_parts(roman)
    if len(parts) not in (2, 3) or not all(p.isascii() and p.isalpha() for p in parts):
        return False
    for surname, given in pinyin_readings(chinese):
        if len(parts) == 2 and (parts == (surname, given) or parts == (given, surname)):
            return True
        if len(parts) == 3 and ((parts[0] == surname and parts[1] + parts[2] == given)
                                or (parts[2] == surname and parts[0] + parts[1] == given)):
            return True
    return False


def _by_pinyin(entities: dict[str, Entity], zh: list[str], en: list[str],
               pairs: dict[str, str]) -> list[tuple[str, str]]:
    candidates: dict[str, list[str]] = {}
    for z in _free(zh, pairs):
        a = entities[z]
        if a.type != "Person":
            continue
        hits = [e for e in _free(en, pairs, True) if entities[e].type == "Person" and any(
            pinyin_match(cz, ce) for cz in a.names.get("zh", ()) for ce in entities[e].names.get("en", ()))]
        if hits:
            candidates[z] = hits
    return _unique(candidates)


# --- events by edition ----------------------------------------------------------------------------

def _by_edition(entities: dict[str, Entity], zh: list[str], en: list[str],
                pairs: dict[str, str]) -> list[tuple[str, str]]:
    candidates: dict[str, list[str]] = {}
    for z in _free(zh, pairs):
        a = entities[z]
        if a.type not in _EVENTS or a.edition is None:
            continue
        hits = [e for e in _free(en, pairs, True) if entities[e].type == a.type
                and entities[e].edition == a.edition]
        if hits:
            candidates[z] = hits
    return _unique(candidates)


# --- structure --------------------------------------------------------------------------------------

def _by_structure(entities: dict[str, Entity], relations: list[Relation], zh: list[str], en: list[str],
                  pairs: dict[str, str]) -> list[tuple[str, str]]:
    """Pairs implied by relations to entities (or dates) already aligned."""
    found: list[tuple[str, str]] = []
    z_free, e_free = set(_free(zh, pairs)), set(_free(en, pairs, True))
    anchors = list(pairs.items())
    for z_anchor, e_anchor in anchors:
        for (predicate, direction), (z_side, e_side) in _neighbours(relations, z_anchor, e_anchor).items():
            if (predicate, direction) in _LIST_PREDICATES and len(z_side) == len(e_side) and len(z_side) > 1:
                found += _positional(entities, pairs, z_side, e_side)
                continue
            for group in _type_groups(entities, z_side, e_side, z_free, e_free):
                found.append(group)
    found += _by_dates(entities, relations, z_free, e_free)
    return found


def _neighbours(relations: list[Relation], z_anchor: str, e_anchor: str) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    """For each (predicate, direction): the entities linked to each anchor, in relation order."""
    sides: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
    for rel in relations:
        if not isinstance(rel.object, str):
            continue
        for anchor, index in ((z_anchor, 0), (e_anchor, 1)):
            if rel.subject == anchor and rel.object != anchor:
                other, direction = rel.object, "out"
            elif rel.object == anchor and rel.subject != anchor:
                other, direction = rel.subject, "in"
            else:
                continue
            if not other.startswith(("zh:", "en:")[index]):
                continue
            lists = sides.setdefault((rel.predicate, direction), ([], []))
            if other not in lists[index]:
                lists[index].append(other)
    return sides


def _positional(entities: dict[str, Entity], pairs: dict[str, str], z_side: list[str],
                e_side: list[str]) -> list[tuple[str, str]]:
    """Parallel lists: align by position when every already-aligned member sits at the same place."""
    taken = set(pairs.values())
    for z, e in zip(z_side, e_side):
        if (z in pairs) != (e in taken) or (z in pairs and pairs[z] != e):
            return []
        if not compatible(entities[z], entities[e]):
            return []
    return [(z, e) for z, e in zip(z_side, e_side) if z not in pairs]


def _type_groups(entities: dict[str, Entity], z_side: list[str], e_side: list[str],
                 z_free: set[str], e_free: set[str]) -> list[tuple[str, str]]:
    """The only free entity of a class on each side is one thing."""
    found = []
    families = sorted({_family(entities[k].type) for k in z_side + e_side})
    for family in families:
        zs = [z for z in z_side if z in z_free and _family(entities[z].type) == family]
        es = [e for e in e_side if e in e_free and _family(entities[e].type) == family]
        if len(zs) == 1 and len(es) == 1 and compatible(entities[zs[0]], entities[es[0]]):
            found.append((zs[0], es[0]))
    return found


def _family(cls: str) -> str:
    if cls in _PLACES:
        return "Place"
    return cls


def _by_dates(entities: dict[str, Entity], relations: list[Relation], z_free: set[str],
              e_free: set[str]) -> list[tuple[str, str]]:
    """Events of one class that start (or end) on the same stated day."""
    dated: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}
    for rel in relations:
        if rel.predicate in _DATE_PREDICATES and isinstance(rel.object, Value) and rel.object.kind == "date":
            subj = rel.subject
            if subj not in z_free and subj not in e_free:
                continue
            cls = _family(entities[subj].type)
            lists = dated.setdefault((rel.predicate, rel.object.value, cls), ([], []))
            index = 0 if subj.startswith("zh:") else 1
            if subj not in lists[index]:
                lists[index].append(subj)
    found = []
    for (_, _, cls), (zs, es) in sorted(dated.items()):
        if cls in _EVENTS and len(zs) == 1 and len(es) == 1 and compatible(entities[zs[0]], entities[es[0]]):
            found.append((zs[0], es[0]))
    return found


# --- merging ------------------------------------------------------------------------------------

def _merge(extraction: Extraction, pairs: dict[str, str]) -> Extraction:
    """A new Extraction: each pair one entity (the English key kept), relations re-pointed."""
    entities: dict[str, Entity] = {}
    for key, entity in extraction.entities.items():
        if key in pairs:
            continue
        entities[key] = copy.deepcopy(entity)
    for z, e in sorted(pairs.items()):
        _absorb(entities[e], extraction.entities[z])
    merged = Extraction(extraction.article, entities)
    for rel in extraction.relations:
        subject = pairs.get(rel.subject, rel.subject)
        obj = pairs.get(rel.object, rel.object) if isinstance(rel.object, str) else rel.object
        if subject == obj:
            continue
        merged.add_relation(Relation(subject, rel.predicate, obj, rel.evidence, rel.lang, rel.confidence,
                                     rel.extractor, rel.derived_from))
    return merged


def _absorb(target: Entity, other: Entity) -> None:
    """Names of both languages on one entity; ids, edition and the more specific class kept."""
    target.absorb(other)
    if target.type in ("Event", "Place") and other.type != target.type:
        target.type = other.type
