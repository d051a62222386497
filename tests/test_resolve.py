"""Identity across articles: one resource per real thing, never one for two things."""
from __future__ import annotations

from heritagekg.model import Article, Entity, Extraction, Relation, Value
from heritagekg.resolve import resolve


def article(aid: str) -> Article:
    return Article(id=aid, source=f"{aid}.txt", text="", paragraphs=[])


def ex(aid: str, *entities: Entity, relations: list[Relation] | None = None) -> Extraction:
    e = Extraction(article(aid))
    for ent in entities:
        e.entities[ent.key] = ent
    e.relations = relations or []
    return e


def ent(key: str, cls: str, *names: str, lang: str = "en", **kw) -> Entity:
    e = Entity(key=key, type=cls, **kw)
    for n in names:
        e.add_name(n, lang)
    return e


def test_organizations_merge_across_articles_by_name_and_acronym():
    a = ex("a", ent("en:1", "Organization", "Regional Heritage Council", acronyms=["RHC"]))
    b = ex("b", ent("en:1", "Organization", "the Regional Heritage Council"),
           ent("en:2", "Organization", "RHC"))
    res = resolve([a, b])
    ids = {res.mapping[("a", "en:1")], res.mapping[("b", "en:1")], res.mapping[("b", "en:2")]}
    assert len(ids) == 1


def test_two_editions_of_one_expo_stay_apart():
    a = ex("a", ent("en:1", "Expo", "2nd Coastal Crafts Expo", edition=2))
    b = ex("b", ent("en:1", "Expo", "8th Coastal Crafts Expo", edition=8))
    res = resolve([a, b])
    assert res.mapping[("a", "en:1")] != res.mapping[("b", "en:1")]


def test_same_edition_in_two_articles_is_one_event():
    a = ex("a", ent("en:1", "Expo", "8th Coastal Crafts Expo", edition=8))
    b = ex("b", ent("en:1", "Expo", "Eighth Coastal Crafts Expo", edition=8))
    res = resolve([a, b])
    assert res.mapping[("a", "en:1")] == res.mapping[("b", "en:1")]


def test_undated_unnumbered_events_never_leave_their_article():
    a = ex("a", ent("en:1", "Forum", "Forum on River Heritage"))
    b = ex("b", ent("en:1", "Forum", "Forum on River Heritage"))
    res = resolve([a, b])
    assert res.mapping[("a", "en:1")] != res.mapping[("b", "en:1")]


def test_events_with_dates_merge_by_year():
    rel = lambda: [Relation("en:1", "startDate", Value("date", "2019-05-02"), "s", "en", 0.9, "t")]
    a = ex("a", ent("en:1", "Forum", "Forum on River Heritage"), relations=rel())
    b = ex("b", ent("en:1", "Forum", "Forum on River Heritage"), relations=rel())
    res = resolve([a, b])
    assert res.mapping[("a", "en:1")] == res.mapping[("b", "en:1")]


def test_generic_publication_titles_stay_in_their_article():
    a = ex("a", ent("en:1", "Publication", "Annual Report"))
    b = ex("b", ent("en:1", "Publication", "Annual Report"))
    res = resolve([a, b])
    assert res.mapping[("a", "en:1")] != res.mapping[("b", "en:1")]


def test_authority_entries_are_one_resource_and_never_merge_with_others():
    a = ex("a", ent("en:1", "Place", "Dunhuang", authority_id="dunhuang"))
    b = ex("b", ent("zh:1", "Place", "敦煌", lang="zh", authority_id="dunhuang"),
           ent("zh:2", "Place", "Gansu", authority_id="gansu"))
    res = resolve([a, b])
    assert res.mapping[("a", "en:1")] == res.mapping[("b", "zh:1")] == "place/dunhuang"
    assert res.mapping[("b", "zh:2")] == "place/gansu"
    merged = res.entities["place/dunhuang"]
    assert merged.names["en"][0] == "Dunhuang" and merged.names["zh"][0] == "敦煌"


def test_iris_are_deterministic_and_input_order_independent():
    a = ex("a", ent("en:1", "Organization", "Valley Museum"), ent("en:2", "Person", "Lina Park"))
    b = ex("b", ent("en:1", "Organization", "Valley Museum"))
    one = resolve([a, b])
    two = resolve([b, a])
    assert sorted(one.entities) == sorted(two.entities)
    assert one.mapping == two.mapping
