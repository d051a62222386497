"""The Chinese reader on short articles written for these tests (no dev-corpus text)."""
from __future__ import annotations

import json

import pytest

from heritagekg.ingest import article_from_text
from heritagekg.model import Entity, Relation, Value
from heritagekg.nlp import PATTERNS_DIR
from heritagekg.nlp.zh import (CODES, DOMAIN_RANGE, _lexicon, chinese_pipeline, extract_zh, find_mentions,
                               load_patterns, pos_words)


def read(text: str, published: str | None = None) -> tuple[dict[str, Entity], list[Relation]]:
    article = article_from_text(text, id="t", lang="zh", published=published)
    return extract_zh(article, article.paragraphs)


def named(entities: dict[str, Entity], name: str) -> Entity:
    hits = [e for e in entities.values() if name in e.names.get("zh", ())]
    assert len(hits) == 1, (name, [e.names for e in entities.values()])
    return hits[0]


def facts(entities: dict[str, Entity], relations: list[Relation]) -> set[tuple[str, str, str]]:
    """(subject zh name, predicate, object zh name or literal) for easy assertions."""
    def label(key_or_value: object) -> str:
        if isinstance(key_or_value, Value):
            return key_or_value.value
        entity = entities[str(key_or_value)]
        return (entity.names.get("zh") or entity.names.get("en") or [entity.key])[0]
    return {(label(r.subject), r.predicate, label(r.object)) for r in relations}


# --- isolated parts -----------------------------------------------------------------------------

def test_pipeline_is_spacy_zh_with_our_named_components() -> None:
    nlp = chinese_pipeline()
    assert nlp.lang == "zh"
    assert nlp.pipe_names == ["heritage_zh_words", "heritage_zh_mentions", "heritage_zh_resolve",
                              "heritage_zh_relations"]
    assert chinese_pipeline() is nlp  # built once per process


def test_book_title_marks_make_publications_known_by_their_subtitle_too() -> None:
    text = "会上发布了《山地遗产:保护与利用指南》和《茶马古道研究》。"
    mentions, _ = find_mentions(text, pos_words(text), _lexicon(), {})
    pubs = [m for m in mentions if m.kind == "Publication"]
    assert [m.names for m in pubs] == [("山地遗产:保护与利用指南", "保护与利用指南"), ("茶马古道研究",)]
    assert text[pubs[0].start:pubs[0].end] == "《山地遗产:保护与利用指南》"


def test_dates_full_partial_and_ranges() -> None:
    entities, relations = read(
        "2024年3月5日,第三届高原文化遗产论坛在拉萨开幕。\n\n"
        "作为论坛的配套活动,唐卡艺术展于3月6日至8日在拉萨举行。\n\n"
        "论坛于3月9日闭幕。")
    got = facts(entities, relations)
    forum, show = "第三届高原文化遗产论坛", "唐卡艺术展"
    assert (forum, "startDate", "2024-03-05") in got
    assert (show, "startDate", "2024-03-06") in got and (show, "endDate", "2024-03-08") in got
    assert (forum, "endDate", "2024-03-09") in got  # 闭幕: the day it closed
    assert (show, "partOf", forum) in got


def test_yearless_dates_take_the_articles_year() -> None:
    entities, relations = read("5月20日,秦岭生态文化旅游节在西安开幕。", published="2022-05-21")
    assert any(r.predicate == "startDate" and r.object == Value("date", "2022-05-20") for r in relations)
    festival = named(entities, "秦岭生态文化旅游节")
    assert festival.type == "Expo" and festival.year == "2022"


def test_year_of_a_founding_is_a_gyear() -> None:
    entities, relations = read("专家介绍了2001年启动的长城保护工程。")
    project = named(entities, "长城保护工程")
    assert project.type == "Project"
    assert [r.object for r in relations if (r.subject, r.predicate) == (project.key, "startDate")] == \
        [Value("gYear", "2001")]


def test_edition_sets_the_edition_and_keeps_the_base_name() -> None:
    entities, _ = read("第十二届中国艺术节在昆明开幕。")
    expo = named(entities, "第十二届中国艺术节")
    assert expo.type == "Expo" and expo.edition == 12
    assert "中国艺术节" in expo.names["zh"]


# --- relation patterns -------------------------------------------------------------------------

def test_organizer_list_and_reference_back() -> None:
    entities, relations = read(
        "2023年10月12日,“古村落保护与乡村振兴”研讨会在黄山市举行。"
        "该研讨会由安徽省文物局、黄山学院与国际古迹遗址理事会合作举办。")
    got = facts(entities, relations)
    forum = "“古村落保护与乡村振兴”研讨会"
    for org in ("安徽省文物局", "黄山学院", "国际古迹遗址理事会"):
        assert (forum, "organizer", org) in got
    assert (forum, "location", "黄山市") in got
    assert named(entities, forum).type == "Forum"
    icomos = named(entities, "国际古迹遗址理事会")
    assert icomos.authority_id and icomos.names.get("en")  # the authority file's English names


def test_title_before_name_gives_job_title_affiliation_and_speaker() -> None:
    entities, relations = read(
        "首届黄河文化论坛在郑州举行。河南省文物局局长田凯在开幕式上致辞,"
        "国际博物馆协会主席艾玛·纳尔迪出席。")
    got = facts(entities, relations)
    forum = "首届黄河文化论坛"
    assert named(entities, forum).edition == 1
    assert ("田凯", "jobTitle", "局长") in got
    assert ("田凯", "affiliation", "河南省文物局") in got
    assert (forum, "speaker", "田凯") in got
    assert ("艾玛·纳尔迪", "jobTitle", "主席") in got
    assert (forum, "participant", "艾玛·纳尔迪") in got
    assert named(entities, "艾玛·纳尔迪").type == "Person"


def test_counts_with_approximations() -> None:
    entities, relations = read("2021年9月1日,丝路遗产对话会在兰州举办。对话会共设十余场专题讨论,"
                               "逾三十位学者发言,800余名嘉宾出席。")
    got = facts(entities, relations)
    forum = "丝路遗产对话会"
    assert (forum, "sessionCount", "10") in got
    assert (forum, "speakerCount", "30") in got
    assert (forum, "participantCount", "800") in got


def test_release_part_of_and_theme() -> None:
    entities, relations = read(
        "作为大运河文化带建设项目的重要组成部分,运河遗产论坛以非物质文化遗产为主题,"
        "现场发布了《运河城市遗产报告》及《运河保护手册》。")
    got = facts(entities, relations)
    forum = "运河遗产论坛"
    assert (forum, "partOf", "大运河文化带建设项目") in got
    assert ("运河城市遗产报告", "releasedAt", forum) in got and ("运河保护手册", "releasedAt", forum) in got
    assert ("运河城市遗产报告", "outputOf", "大运河文化带建设项目") in got
    assert (forum, "about", "非物质文化遗产") in got
    topic = named(entities, "非物质文化遗产")
    assert "intangible cultural heritage" in topic.names["en"]


def test_adjacent_places_and_quoted_slogans() -> None:
    entities, relations = read("第五届茶文化节在云南省普洱市开幕,以“茶和天下”为主题。")
    festival, city, province = (named(entities, n) for n in ("第五届茶文化节", "普洱市", "云南省"))
    assert [r.object for r in relations if (r.subject, r.predicate) == (festival.key, "location")] == [city.key]
    assert [(r.subject, r.object) for r in relations if r.predicate == "locatedIn"] == [(city.key, province.key)]
    assert not any(r.predicate == "about" for r in relations)  # a slogan is not a topic


def test_every_relation_is_evidenced_typed_and_keyed() -> None:
    entities, relations = read("2024年3月5日,第三届高原文化遗产论坛在拉萨开幕,由西藏大学主办。")
    assert relations
    for r in relations:
        assert r.evidence and r.lang == "zh" and r.extractor.startswith("zh:")
        assert 0 <= r.confidence <= 1
        domain, range_ = DOMAIN_RANGE[r.predicate]
        assert entities[r.subject].type in domain
        if isinstance(r.object, str):
            assert range_ is not None and entities[r.object].type in range_
    assert all(key.startswith("zh:") for key in entities)


def test_pattern_file_is_valid_data() -> None:
    patterns = load_patterns()
    assert len(patterns) >= 20
    lines = [json.loads(line) for line in (PATTERNS_DIR / "zh_relations.jsonl").read_text("utf-8").splitlines()]
    assert len({p["id"] for p in lines}) == len(lines)
    for p in patterns:
        assert p.id.startswith("zh:")
        assert p.predicate == "@date" or p.predicate in DOMAIN_RANGE
    assert set(CODES.values()) >= {"F", "X", "O", "P", "L"}


# --- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "UNESCO与World Bank在Dunhuang举办Heritage Forum,共有40位嘉宾(speakers)参加。",  # mixed scripts
    "聯合國教科文組織副總幹事於2025年9月22日出席論壇並致辭,論壇在西安舉行。",  # Traditional
    "２０２５年９月２２日，第八届文化节（扬州）开幕；１２００余名嘉宾出席！",  # full-width forms
    "今天天气很好,我们去公园散步了。",  # no entities
    "《》“”()【】。。。!!",  # marks only
])
def test_odd_input_reads_without_crashing(text: str) -> None:
    entities, relations = read(text)
    assert all(key.startswith("zh:") for key in entities)
    assert all(r.subject in entities for r in relations)


def test_full_width_forms_read_like_ascii() -> None:
    entities, relations = read("２０２５年９月２２日，第八届文化节（扬州）开幕；")
    festival = named(entities, "第八届文化节")
    assert festival.edition == 8
    assert Value("date", "2025-09-22") in [r.object for r in relations if r.subject == festival.key]


def test_text_without_names_gives_nothing() -> None:
    assert read("今天天气很好,我们去公园散步了。") == ({}, [])


def test_traditional_authority_names_are_recognized() -> None:
    entities, _ = read("聯合國教科文組織在西安舉行會議。")
    assert any(e.authority_id == "unesco" for e in entities.values())
