"""The shipped authority file loads, validates and answers lookups; broken files fail by line."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from heritagekg.authority import (
    AUTHORITY_SOURCE,
    AUTHORITY_TYPES,
    DEFAULT_PATH,
    Authority,
    load_authority,
    normalize_name,
)
from heritagekg.errors import InputError


@pytest.fixture(scope="module")
def authority() -> Authority:
    return load_authority()


def entry_line(id_: str, type_: str = "Place", **fields: object) -> dict:
    """A minimal valid entry; keyword arguments override its fields."""
    entry: dict = {
        "id": id_,
        "type": type_,
        "en": [id_.replace("-", " ").title()],
        "zh": [],
        "acronyms": [],
        "wikidata": None,
        "located_in": [],
        "parent": None,
    }
    entry.update(fields)
    return entry


def write_jsonl(path: Path, rows: list[object]) -> Path:
    lines = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- the shipped file -------------------------------------------------------------------------

def test_shipped_file_loads_with_hundreds_of_entries(authority: Authority) -> None:
    assert len(authority) >= 500
    types = {e.type for e in authority.entries.values()}
    assert types == set(AUTHORITY_TYPES)
    assert authority.source == str(DEFAULT_PATH)


def test_raw_lines_hold_no_events_persons_projects_or_publications() -> None:
    forbidden = {"Event", "Forum", "Expo", "Person", "Project", "Publication", "Topic"}
    seen_types = set()
    for line in DEFAULT_PATH.read_text(encoding="utf-8").splitlines():
        if line.strip():
            seen_types.add(json.loads(line)["type"])
    assert seen_types <= set(AUTHORITY_TYPES)
    assert not seen_types & forbidden


def test_required_bodies_and_places_are_present(authority: Authority) -> None:
    required = [
        "unesco", "un-tourism", "world-bank", "united-nations", "icomos", "iccrom", "iucn", "wipo",
        "adb", "european-union", "council-of-europe", "alecso", "icesco", "getty-conservation-institute",
        "world-monuments-fund", "aga-khan-trust-for-culture", "undp", "unep", "mct", "ncha", "xinhua",
        "china", "south-korea", "united-states", "gansu", "sichuan", "dunhuang", "xian", "lhasa",
        "mogao-caves", "great-wall", "maijishan-grottoes", "jiayuguan-pass", "angkor-wat", "petra",
        "machu-picchu", "hatra", "babylon", "hexi-corridor",
    ]
    missing = [i for i in required if i not in authority]
    assert not missing
    assert authority.entries["unesco-world-heritage-centre"].parent == "unesco"
    assert authority.entries["ncha"].parent == "mct"


def test_all_sovereign_countries_are_there(authority: Authority) -> None:
    countries = [e for e in authority.entries.values()
                 if e.type == "Place" and e.wikidata and not e.located_in]
    assert len(countries) >= 193
    for country in countries:
        assert country.preferred("en") and country.preferred("zh"), country.id


def test_wikidata_ids_are_well_formed_and_unique(authority: Authority) -> None:
    ids = [e.wikidata for e in authority.entries.values() if e.wikidata]
    assert all(re.fullmatch(r"Q[1-9]\d*", i) for i in ids)
    assert len(ids) == len(set(ids))
    assert authority.entries["unesco"].wikidata == "Q7809"
    assert authority.entries["china"].wikidata == "Q148"
    assert authority.entries["paris"].wikidata == "Q90"


def test_chinese_preferred_labels_are_simplified(authority: Authority) -> None:
    assert authority.entries["unesco"].preferred("zh") == "联合国教科文组织"
    assert authority.entries["gansu"].preferred("zh") == "甘肃"
    assert authority.entries["unesco"].preferred("en") == "UNESCO"
    assert authority.entries["unesco"].preferred("fr") is None


# --- lookup -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("United Nations Educational, Scientific and Cultural Organization", "unesco"),
        ("UNESCO", "unesco"),                 # acronym
        ("unesco", "unesco"),                 # case
        ("ＵＮＥＳＣＯ", "unesco"),             # full-width (NFKC)
        ("联合国教科文组织", "unesco"),          # Chinese
        ("聯合國教科文組織", "unesco"),          # Traditional variant
        ("UNWTO", "un-tourism"),
        ("World Tourism Organization", "un-tourism"),
        ("UN Tourism", "un-tourism"),
        ("the Mogao Grottoes", "mogao-caves"),  # leading "the"
        ("Mogao  caves", "mogao-caves"),        # spacing
        ("莫高窟", "mogao-caves"),
        ("U.S.", "united-states"),             # punctuation
        ("US", "united-states"),
        ("The United States", "united-states"),
        ("Republic of Korea", "south-korea"),
        ("South Korea", "south-korea"),
        ("韩国", "south-korea"),
        ("Xi'an", "xian"),
        ("XIAN", "xian"),
        ("Gansu Province", "gansu"),
        ("甘肃省", "gansu"),
        ("甘肅", "gansu"),
        ("Maijishan Grottoes", "maijishan-grottoes"),
        ("麦积山石窟", "maijishan-grottoes"),
        ("国家文物局", "ncha"),
        ("文化和旅游部", "mct"),
        ("新华社", "xinhua"),
        ("Cote d'Ivoire", "cote-divoire"),
        ("Côte d’Ivoire", "cote-divoire"),
    ],
)
def test_lookup_finds_entry(authority: Authority, surface: str, expected: str) -> None:
    entry = authority.lookup(surface)
    assert entry is not None, surface
    assert entry.id == expected


def test_lookup_misses_unknown_names(authority: Authority) -> None:
    assert authority.lookup("Forum on Global Knowledge Sharing") is None
    assert authority.lookup("") is None
    assert authority.lookup("...") is None


def test_normalize_name() -> None:
    assert normalize_name("The U.S.") == normalize_name("US") == "us"
    assert normalize_name("Xi'an") == normalize_name("xi an") == "xian"
    assert normalize_name("Thebes") == "thebes"  # only a separate leading word "the" is dropped
    assert normalize_name("刚果（布）") == "刚果布"


def test_surface_forms_per_language(authority: Authority) -> None:
    en = authority.surface_forms("en")
    zh = authority.surface_forms("zh")
    assert ("UNESCO", "unesco") in en
    assert ("UNWTO", "un-tourism") in en            # acronyms come with English
    assert ("Mogao Grottoes", "mogao-caves") in en
    assert ("莫高窟", "mogao-caves") in zh
    assert ("聯合國教科文組織", "unesco") in zh
    assert all(re.search(r"[\u4e00-\u9fff]", s) for s, _ in zh)
    assert not any(re.search(r"[\u4e00-\u9fff]", s) for s, _ in en)
    assert len(en) == len(set(en))
    assert authority.surface_forms("fr") == []


# --- containment -------------------------------------------------------------------------------

def test_ancestors_of_a_city_reach_its_country(authority: Authority) -> None:
    assert authority.ancestors("dunhuang") == ["gansu", "china"]
    assert authority.ancestors("mogao-caves") == ["dunhuang", "gansu", "china"]
    assert authority.ancestors("paris") == ["france"]
    assert authority.ancestors("china") == []
    assert authority.is_within("maijishan-grottoes", "china")
    assert authority.is_within("lhasa", "china")
    assert not authority.is_within("china", "gansu")
    assert not authority.is_within("gansu", "gansu")
    with pytest.raises(KeyError):
        authority.ancestors("atlantis")


def test_nearest_container_comes_first_and_none_repeats(authority: Authority) -> None:
    chain = authority.ancestors("badaling")  # in Beijing and part of the Great Wall
    assert chain[:2] == ["beijing", "great-wall"]
    assert chain.count("china") == 1
    assert chain[-1] == "china"


def test_every_chinese_city_and_site_reaches_china(authority: Authority) -> None:
    provinces = {e.id for e in authority.entries.values() if e.located_in == ("china",)}
    assert {"gansu", "sichuan", "beijing", "hong-kong", "tibet"} <= provinces
    for entry in authority.entries.values():
        chain = authority.ancestors(entry.id) if entry.type != "Organization" else []
        if provinces & set(chain):
            assert "china" in chain, entry.id


# --- caching ---------------------------------------------------------------------------------

def test_default_file_is_cached_explicit_paths_are_not(tmp_path: Path) -> None:
    assert load_authority() is load_authority()
    path = write_jsonl(tmp_path / "a.jsonl", [entry_line("atlantis")])
    first, second = load_authority(path), load_authority(str(path))
    assert first is not second
    assert first.lookup("Atlantis").id == "atlantis"


def test_authority_source_path() -> None:
    assert AUTHORITY_SOURCE == "source/authority"


# --- broken files ------------------------------------------------------------------------------

BROKEN = [
    ("bad-json", ['{"id": "x",'], 1, "not valid JSON"),
    ("not-object", ["[1, 2]"], 1, "JSON object"),
    ("unknown-key", [entry_line("a"), {**entry_line("b"), "capital": "x"}], 2, "unknown key"),
    ("missing-key", [{k: v for k, v in entry_line("a").items() if k != "parent"}], 1, "missing key"),
    ("unknown-type", [entry_line("a"), entry_line("b", "Event")], 2, "unknown type 'Event'"),
    ("bad-id", [entry_line("a"), {**entry_line("a"), "id": "Bad Id"}], 2, "must be lowercase"),
    ("duplicate-id", [entry_line("a"), entry_line("b"), {**entry_line("a"), "en": ["Other"]}], 3,
     "duplicate id 'a'"),
    ("bad-wikidata", [entry_line("a", wikidata="q42")], 1, "malformed wikidata"),
    ("dangling-located-in", [entry_line("a"), entry_line("b", located_in=["nowhere"])], 2,
     "located_in 'nowhere'"),
    ("dangling-parent", [entry_line("o", "Organization", parent="ghost")], 1, "parent 'ghost'"),
    ("parent-not-org", [entry_line("p"), entry_line("o", "Organization", parent="p")], 2,
     "not an Organization"),
    ("org-located", [entry_line("p"), entry_line("o", "Organization", located_in=["p"])], 2,
     "has no located_in"),
    ("cycle", [entry_line("a", located_in=["b"]), entry_line("b", located_in=["a"])], 2, "cycle"),
    ("same-type-clash", [entry_line("a", en=["Springfield"]), entry_line("b", en=["The springfield"])],
     2, "already claimed by 'a'"),
    ("acronym-clash", [entry_line("o1", "Organization", en=["One"], acronyms=["ABC"]),
                       entry_line("o2", "Organization", en=["A.B.C."])], 2, "already claimed"),
    ("cross-type-undeclared", [entry_line("a", en=["Petra"]), entry_line("s", "HeritageSite", en=["Petra"])],
     2, "ambiguous"),
    ("empty-names", [entry_line("a", en=[], zh=[])], 1, "at least one English or Chinese name"),
]


@pytest.mark.parametrize(("label", "rows", "bad_line", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_names_file_and_line(tmp_path: Path, label: str, rows: list, bad_line: int,
                                         message: str) -> None:
    path = write_jsonl(tmp_path / f"{label}.jsonl", rows)
    with pytest.raises(InputError) as info:
        load_authority(path)
    text = str(info.value)
    assert str(path) in text
    assert f"line {bad_line}:" in text
    assert message in text


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_authority(tmp_path / "nope.jsonl")


def test_declared_cross_type_ambiguity_needs_a_type_to_resolve(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "amb.jsonl", [
        entry_line("petra-town", en=["Petra"], ambiguous=["Petra"]),
        entry_line("petra", "HeritageSite", en=["Petra", "Rose City"], ambiguous=["petra"]),
    ])
    authority = load_authority(path)
    assert authority.lookup("Petra") is None
    assert authority.lookup("Petra", type="HeritageSite").id == "petra"
    assert authority.lookup("Petra", type="Place").id == "petra-town"
    assert {e.id for e in authority.lookup_all("petra")} == {"petra", "petra-town"}
    assert authority.lookup("Rose City").id == "petra"
