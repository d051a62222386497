"""Bilingual alignment inside one article: which zh:/en: entities merge, and what they carry."""
from __future__ import annotations

import pytest

from heritagekg.align import align_languages, pinyin_match, pinyin_readings
from heritagekg.ingest import article_from_text
from heritagekg.model import Entity, Extraction, Relation, Value


def entity(key: str, type_: str, zh: list[str] | None = None, en: list[str] | None = None, **kw: object) -> Entity:
    e = Entity(key=key, type=type_, **kw)  # type: ignore[arg-type]
    for name in zh or []:
        e.add_name(name, "zh")
    for name in en or []:
        e.add_name(name, "en")
    return e


def rel(s: str, p: str, o: object, lang: str = "zh", conf: float = 0.8) -> Relation:
    return Relation(s, p, o, "evidence", lang, conf, f"{lang}:test")  # type: ignore[arg-type]


def extraction(entities: list[Entity], relations: list[Relation]) -> Extraction:
    article = article_from_text("示例。\n\nExample.", id="a")
    return Extraction(article, {e.key: e for e in entities}, list(relations))


@pytest.mark.parametrize("zh, roman", [
    ("曲星", "Qu Xing"), ("曲星", "Xing Qu"), ("苏伯民", "Su Bomin"), ("苏伯民", "Su Bo-min"),
    ("欧阳修", "Ouyang Xiu"), ("单霁翔", "Shan Jixiang"),
])
def test_pinyin_matches_in_either_order_without_tones(zh: str, roman: str) -> None:
    assert pinyin_match(zh, roman)


@pytest.mark.parametrize("zh, roman", [("曲星", "Li Wei"), ("曲星", "Qu"), ("曲星", "Qux Ing Extra Words"),
                                       ("伊琳娜·博科娃", "Irina Bokova"), ("曲星", "曲星")])
def test_pinyin_rejects_other_names(zh: str, roman: str) -> None:
    assert not pinyin_match(zh, roman)


def test_pinyin_readings_cover_polyphonic_surnames() -> None:
    assert ("shan", "jixiang") in pinyin_readings("单霁翔")
    assert ("ouyang", "xiu") in pinyin_readings("欧阳修")


def test_person_by_pinyin_merges_and_facts_of_both_halves_land_on_one_entity() -> None:
    ex = extraction(
        [entity("zh:p", "Person", zh=["曲星"]), entity("en:p", "Person", en=["Qu Xing"]),
         entity("zh:o", "Organization", zh=["某组织"], authority_id="unesco"),
         entity("en:o", "Organization", en=["UNESCO"], authority_id="unesco")],
        [rel("zh:p", "affiliation", "zh:o"), rel("en:p", "affiliation", "en:o", "en"),
         rel("zh:p", "jobTitle", Value("text", "副总干事", "zh"))])
    out = align_languages(ex)
    assert set(out.entities) == {"en:p", "en:o"}
    person = out.entities["en:p"]
    assert person.names == {"en": ["Qu Xing"], "zh": ["曲星"]}
    assert [(r.subject, r.predicate, r.object) for r in out.relations] == [
        ("en:p", "affiliation", "en:o"), ("en:p", "jobTitle", Value("text", "副总干事", "zh"))]


def test_shared_acronym_merges_projects() -> None:
    ex = extraction([entity("zh:j", "Project", zh=["丝路遗产振兴项目"], acronyms=["SHRP"]),
                     entity("en:j", "Project", en=["Silk Heritage Revival Project"], acronyms=["SHRP"])], [])
    out = align_languages(ex)
    assert list(out.entities) == ["en:j"]
    assert out.entities["en:j"].names["zh"] == ["丝路遗产振兴项目"]


def test_edition_then_structure_then_positions() -> None:
    """The 3rd expo of each half, its only forum, the forum's organizers and releases in order."""
    zh = [entity("zh:x", "Expo", zh=["第三届丝路文化博览会"], edition=3),
          entity("zh:f", "Forum", zh=["数字遗产论坛"]),
          entity("zh:o1", "Organization", zh=["甲研究院"]), entity("zh:o2", "Organization", zh=["乙大学"]),
          entity("zh:b1", "Publication", zh=["报告一"]), entity("zh:b2", "Publication", zh=["报告二"]),
          entity("zh:v", "Place", zh=["某会展中心"])]
    en = [entity("en:x", "Expo", en=["3rd Silk Road Cultural Expo"], edition=3),
          entity("en:f", "Forum", en=["Digital Heritage Forum"]),
          entity("en:o1", "Organization", en=["Academy A"]), entity("en:o2", "Organization", en=["University B"]),
          entity("en:b1", "Publication", en=["Report One"]), entity("en:b2", "Publication", en=["Report Two"])]
    relations = [rel("zh:f", "partOf", "zh:x"), rel("zh:f", "organizer", "zh:o1"), rel("zh:f", "organizer", "zh:o2"),
                 rel("zh:b1", "releasedAt", "zh:f"), rel("zh:b2", "releasedAt", "zh:f"),
                 rel("zh:f", "location", "zh:v"),
                 rel("en:f", "partOf", "en:x", "en"), rel("en:f", "organizer", "en:o1", "en"),
                 rel("en:f", "organizer", "en:o2", "en"), rel("en:b1", "releasedAt", "en:f", "en"),
                 rel("en:b2", "releasedAt", "en:f", "en")]
    out = align_languages(extraction(zh + en, relations))
    assert set(out.entities) == {"en:x", "en:f", "en:o1", "en:o2", "en:b1", "en:b2", "zh:v"}
    assert out.entities["en:o1"].names["zh"] == ["甲研究院"]
    assert out.entities["en:b2"].names["zh"] == ["报告二"]
    # a fact only the Chinese half states lands on the shared forum, and duplicates are gone
    triples = [(r.subject, r.predicate, r.object) for r in out.relations]
    assert ("en:f", "location", "zh:v") in triples
    assert len(triples) == len(set(triples)) == 6


def test_lists_of_different_length_are_not_aligned_by_position() -> None:
    zh = [entity("zh:f", "Forum", zh=["论坛"], authority_id=None, edition=2),
          entity("zh:o1", "Organization", zh=["甲"]), entity("zh:o2", "Organization", zh=["乙"])]
    en = [entity("en:f", "Forum", en=["Forum"], edition=2), entity("en:o1", "Organization", en=["A"]),
          entity("en:o2", "Organization", en=["B"]), entity("en:o3", "Organization", en=["C"])]
    relations = [rel("zh:f", "organizer", "zh:o1"), rel("zh:f", "organizer", "zh:o2"),
                 rel("en:f", "organizer", "en:o1", "en"), rel("en:f", "organizer", "en:o2", "en"),
                 rel("en:f", "organizer", "en:o3", "en")]
    out = align_languages(extraction(zh + en, relations))
    assert {"zh:o1", "zh:o2", "en:o1", "en:o2", "en:o3"} <= set(out.entities)
    assert "zh:f" not in out.entities


def test_incompatible_types_never_merge() -> None:
    ex = extraction([entity("zh:a", "Person", zh=["曲星"]), entity("en:a", "Organization", en=["Qu Xing"]),
                     entity("zh:b", "Forum", zh=["论坛"], edition=4), entity("en:b", "Expo", en=["Expo"], edition=4),
                     entity("zh:c", "Place", zh=["敦煌"], authority_id="dunhuang"),
                     entity("en:c", "Place", en=["Dunhuang"], authority_id="lanzhou")], [])
    out = align_languages(ex)
    assert set(out.entities) == {"zh:a", "en:a", "zh:b", "en:b", "zh:c", "en:c"}


def test_ambiguous_candidates_stay_apart_and_output_is_deterministic() -> None:
    ents = [entity("zh:p", "Person", zh=["王伟"]), entity("en:p1", "Person", en=["Wang Wei"]),
            entity("en:p2", "Person", en=["Wei Wang"])]
    first = align_languages(extraction(ents, []))
    assert set(first.entities) == {"zh:p", "en:p1", "en:p2"}  # two readings fit: no guess
    again = align_languages(extraction(ents, []))
    assert list(first.entities) == list(again.entities)


def test_self_relations_made_by_a_merge_are_dropped() -> None:
    ex = extraction([entity("zh:t", "Topic", zh=["非物质文化遗产"], en=["intangible cultural heritage"]),
                     entity("en:t", "Topic", en=["intangible cultural heritage"])],
                    [rel("zh:t", "about", "en:t")])
    out = align_languages(ex)
    assert list(out.entities) == ["en:t"] and out.relations == []
