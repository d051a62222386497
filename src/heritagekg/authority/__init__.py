"""The authority file: well-known bodies and places every article may name.

`authority.jsonl` holds one reviewed entry per line (international organizations, national
bodies, countries, China's provinces, major cities, World Heritage sites). The resolve stage
uses it to give one identity, preferred labels, a Wikidata link and containment facts to
whatever the articles call "UNESCO", "联合国教科文组织" or "the Mogao Grottoes"; the graph stage
cites it as the source `{base}source/authority` of the facts it contributes.

Loading validates the whole file and names the line of the first problem, so a bad edit fails
at load time rather than as a silent mis-link in the graph.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from heritagekg.errors import InputError

__all__ = [
    "AUTHORITY_SOURCE",
    "AUTHORITY_TYPES",
    "DEFAULT_PATH",
    "Authority",
    "AuthorityEntry",
    "load_authority",
    "normalize_name",
]

#: path under the base IRI that names this file as a source (`prov:wasDerivedFrom`)
AUTHORITY_SOURCE = "source/authority"

#: contract class local names an entry may have
AUTHORITY_TYPES = ("Organization", "Place", "HeritageSite")

#: the authority file shipped with the package
DEFAULT_PATH = Path(__file__).with_name("authority.jsonl")

_REQUIRED_KEYS = ("id", "type", "en", "zh", "acronyms", "wikidata", "located_in", "parent")
# "ambiguous" lists surface forms this entry knowingly shares with an entry of another type.
_OPTIONAL_KEYS = ("ambiguous",)
_NAME_LANGS = ("en", "zh")
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")
_LEADING_THE = re.compile(r"^the\s+")
_PLACE_TYPES = ("Place", "HeritageSite")


@lru_cache(maxsize=1 << 16)
def normalize_name(name: str) -> str:
    """Key under which a surface form is looked up.

    NFKC (full-width forms fold), casefold, a leading "the" dropped, then every character that
    is not a letter or digit removed, so "The U.S." == "US" and "Xi'an" == "Xian". Memoized:
    extraction looks up the same few names over and over.
    """
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    text = _LEADING_THE.sub("", text)
    return "".join(ch for ch in text if ch.isalnum())


@dataclass(frozen=True)
class AuthorityEntry:
    """One curated body or place with all the names it goes by."""

    id: str
    type: str
    names: dict[str, tuple[str, ...]]  # language -> names, preferred first; only languages with names
    acronyms: tuple[str, ...]
    wikidata: str | None
    located_in: tuple[str, ...]  # ids of direct containers
    parent: str | None  # id of the parent organization

    def preferred(self, lang: str) -> str | None:
        """Preferred label in `lang`, or None when the entry has no name in that language."""
        names = self.names.get(lang)
        return names[0] if names else None

    def all_names(self) -> list[tuple[str, str]]:
        """Every (surface form, language) pair; acronyms count as English."""
        pairs = [(name, lang) for lang, names in self.names.items() for name in names]
        pairs += [(acronym, "en") for acronym in self.acronyms]
        return pairs


class Authority:
    """The validated authority file with indexes for lookup and containment."""

    def __init__(self, entries: dict[str, AuthorityEntry], source: str = "") -> None:
        self.entries = entries
        self.source = source
        self._index: dict[str, list[str]] = {}
        for entry in entries.values():
            for surface, _lang in entry.all_names():
                ids = self._index.setdefault(normalize_name(surface), [])
                if entry.id not in ids:
                    ids.append(entry.id)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.entries

    def get(self, entry_id: str) -> AuthorityEntry | None:
        return self.entries.get(entry_id)

    def lookup(self, name: str, type: str | None = None) -> AuthorityEntry | None:
        """The entry called `name` (any language, name or acronym), or None.

        A form shared by entries of different types (declared "ambiguous" in the file) gives
        None unless `type` picks one: a guess would merge two different things.
        """
        candidates = self.lookup_all(name)
        if type is not None:
            candidates = [e for e in candidates if e.type == type]
        return candidates[0] if len(candidates) == 1 else None

    def lookup_all(self, name: str) -> list[AuthorityEntry]:
        """Every entry that claims `name` (more than one only for declared ambiguities)."""
        return [self.entries[i] for i in self._index.get(normalize_name(name), [])]

    def surface_forms(self, lang: str) -> list[tuple[str, str]]:
        """(surface form, entry id) pairs for building matchers, in file order.

        "en" gives English names and acronyms, "zh" the Chinese names; other languages give
        their names, if any entry has them.
        """
        pairs: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for entry in self.entries.values():
            forms = list(entry.names.get(lang, ()))
            if lang == "en":
                forms += entry.acronyms
            for form in forms:
                if (form, entry.id) not in seen:
                    seen.add((form, entry.id))
                    pairs.append((form, entry.id))
        return pairs

    def ancestors(self, entry_id: str) -> list[str]:
        """All containers of `entry_id` via located_in, nearest first (breadth-first), no repeats.

        Raises KeyError for an id that is not in the file (a caller bug, not a data problem).
        """
        if entry_id not in self.entries:
            raise KeyError(f"no authority entry {entry_id!r}")
        result: list[str] = []
        seen = {entry_id}
        frontier = list(self.entries[entry_id].located_in)
        while frontier:
            next_frontier: list[str] = []
            for place_id in frontier:
                if place_id in seen:
                    continue
                seen.add(place_id)
                result.append(place_id)
                next_frontier.extend(self.entries[place_id].located_in)
            frontier = next_frontier
        return result

    def is_within(self, inner: str, outer: str) -> bool:
        """True when `outer` is a (transitive) container of `inner`; a place is not within itself."""
        return outer in self.ancestors(inner)


def load_authority(path: str | Path | None = None) -> Authority:
    """Load and validate an authority file; the default (shipped) file is read once and cached."""
    if path is None:
        return _load_default()
    return _load(Path(path))


@lru_cache(maxsize=1)
def _load_default() -> Authority:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> Authority:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot read authority file: {exc.strerror or exc}") from exc
    entries: dict[str, AuthorityEntry] = {}
    lines: dict[str, int] = {}
    ambiguous: dict[str, set[str]] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        entry, declared = _parse_line(path, lineno, line)
        if entry.id in entries:
            _fail(path, lineno, f"duplicate id {entry.id!r} (first on line {lines[entry.id]})")
        entries[entry.id] = entry
        lines[entry.id] = lineno
        ambiguous[entry.id] = declared
    if not entries:
        raise InputError(str(path), "authority file has no entries")
    _check_references(path, entries, lines)
    _check_cycles(path, entries, lines, "located_in")
    _check_cycles(path, entries, lines, "parent")
    _check_surface_forms(path, entries, lines, ambiguous)
    return Authority(entries, source=str(path))


def _fail(path: Path, lineno: int, problem: str) -> None:
    raise InputError(str(path), f"line {lineno}: {problem}")


def _parse_line(path: Path, lineno: int, line: str) -> tuple[AuthorityEntry, set[str]]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        _fail(path, lineno, f"not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(obj, dict):
        _fail(path, lineno, "each line must be a JSON object")
    unknown = sorted(set(obj) - set(_REQUIRED_KEYS) - set(_OPTIONAL_KEYS))
    if unknown:
        _fail(path, lineno, f"unknown key(s) {', '.join(map(repr, unknown))}")
    missing = [k for k in _REQUIRED_KEYS if k not in obj]
    if missing:
        _fail(path, lineno, f"missing key(s) {', '.join(map(repr, missing))}")

    entry_id = obj["id"]
    if not isinstance(entry_id, str) or not _ID_RE.match(entry_id):
        _fail(path, lineno, f"id {entry_id!r} must be lowercase letters/digits joined by '-'")
    entry_type = obj["type"]
    if entry_type not in AUTHORITY_TYPES:
        _fail(path, lineno, f"{entry_id}: unknown type {entry_type!r} (allowed: {', '.join(AUTHORITY_TYPES)})")

    names: dict[str, tuple[str, ...]] = {}
    for lang in _NAME_LANGS:
        values = _string_list(path, lineno, entry_id, lang, obj[lang])
        if values:
            names[lang] = values
    if not names:
        _fail(path, lineno, f"{entry_id}: needs at least one English or Chinese name")
    acronyms = _string_list(path, lineno, entry_id, "acronyms", obj["acronyms"])
    declared = set(_string_list(path, lineno, entry_id, "ambiguous", obj.get("ambiguous", [])))

    wikidata = obj["wikidata"]
    if wikidata is not None and (not isinstance(wikidata, str) or not _WIKIDATA_RE.match(wikidata)):
        _fail(path, lineno, f"{entry_id}: malformed wikidata id {wikidata!r} (expected Q followed by digits, or null)")

    located_in = _string_list(path, lineno, entry_id, "located_in", obj["located_in"])
    parent = obj["parent"]
    if parent is not None and not isinstance(parent, str):
        _fail(path, lineno, f"{entry_id}: parent must be an entry id or null")
    if entry_type == "Organization" and located_in:
        _fail(path, lineno, f"{entry_id}: an Organization has no located_in (only places are contained)")
    if entry_type in _PLACE_TYPES and parent is not None:
        _fail(path, lineno, f"{entry_id}: a {entry_type} has no parent organization")

    entry = AuthorityEntry(
        id=entry_id,
        type=entry_type,
        names=names,
        acronyms=acronyms,
        wikidata=wikidata,
        located_in=located_in,
        parent=parent,
    )
    return entry, {normalize_name(form) for form in declared}


def _string_list(path: Path, lineno: int, entry_id: str, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        _fail(path, lineno, f"{entry_id}: {key!r} must be a list of non-empty strings")
    seen: list[str] = []
    for v in value:
        if key not in ("located_in", "ambiguous") and not normalize_name(v):
            _fail(path, lineno, f"{entry_id}: {key} entry {v!r} has no letters or digits")
        if v not in seen:
            seen.append(v)
    return tuple(seen)


def _check_references(path: Path, entries: dict[str, AuthorityEntry], lines: dict[str, int]) -> None:
    for entry in entries.values():
        for container in entry.located_in:
            target = entries.get(container)
            if target is None:
                _fail(path, lines[entry.id], f"{entry.id}: located_in {container!r} is not an entry")
            if target.type not in _PLACE_TYPES:
                _fail(path, lines[entry.id], f"{entry.id}: located_in {container!r} is a {target.type}, not a place")
            if container == entry.id:
                _fail(path, lines[entry.id], f"{entry.id}: is located_in itself")
        if entry.parent is not None:
            target = entries.get(entry.parent)
            if target is None:
                _fail(path, lines[entry.id], f"{entry.id}: parent {entry.parent!r} is not an entry")
            if target.type != "Organization":
                _fail(path, lines[entry.id], f"{entry.id}: parent {entry.parent!r} is a {target.type}, not an Organization")
            if entry.parent == entry.id:
                _fail(path, lines[entry.id], f"{entry.id}: is its own parent")


def _check_cycles(path: Path, entries: dict[str, AuthorityEntry], lines: dict[str, int], key: str) -> None:
    """Containment and parenthood must be acyclic, or ancestors() would be meaningless."""
    def successors(entry_id: str) -> tuple[str, ...]:
        entry = entries[entry_id]
        if key == "located_in":
            return entry.located_in
        return (entry.parent,) if entry.parent else ()

    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in entries:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        state[start] = 1
        while stack:
            node, index = stack[-1]
            nexts = successors(node)
            if index < len(nexts):
                stack[-1] = (node, index + 1)
                nxt = nexts[index]
                if state.get(nxt) == 1:
                    _fail(path, lines[node], f"{node}: {key} forms a cycle through {nxt!r}")
                if not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                stack.pop()


def _check_surface_forms(
    path: Path,
    entries: dict[str, AuthorityEntry],
    lines: dict[str, int],
    ambiguous: dict[str, set[str]],
) -> None:
    """One surface form names one thing: same-type clashes are errors, cross-type ones must be declared."""
    owners: dict[str, list[tuple[str, str]]] = {}  # key -> [(entry id, surface as written)]
    for entry in entries.values():
        keys_seen: set[str] = set()
        for surface, _lang in entry.all_names():
            key = normalize_name(surface)
            if key in keys_seen:
                continue
            keys_seen.add(key)
            for other_id, other_surface in owners.get(key, []):
                other = entries[other_id]
                where = f"{other_id!r} (line {lines[other_id]}, as {other_surface!r})"
                if other.type == entry.type:
                    _fail(path, lines[entry.id],
                          f"{entry.id}: surface form {surface!r} is already claimed by {where}, also a {entry.type}")
                if key not in ambiguous[entry.id] or key not in ambiguous[other_id]:
                    _fail(path, lines[entry.id],
                          f"{entry.id}: surface form {surface!r} is shared with {where} "
                          f"(a {other.type}); list it under \"ambiguous\" in both entries if intended")
            owners.setdefault(key, []).append((entry.id, surface))
