"""ingest: real files in tmp_path -> Articles, and one clear error per bad input."""
from __future__ import annotations

import hashlib
import json
import tracemalloc
from pathlib import Path

import pytest

from heritagekg.dates import find_dates, parse_date
from heritagekg.errors import InputError
from heritagekg.ingest import (
    MAX_BYTES,
    IngestResult,
    article_from_text,
    detect_language,
    parse_dateline,
    parse_publication_note,
    read_article,
    read_articles,
    slugify,
    strip_markdown,
)

BILINGUAL = """【本文原载于文化遗产研究院公众号2024年5月18日推文】

2024年5月16日,第三届黄河流域石窟寺保护国际研讨会在洛阳举办。会议由龙门石窟研究院与国际古迹遗址理事会中国国家委员会联合主办。
来自十二个国家的八十余位专家围绕石窟寺数字化保护与可持续旅游展开讨论。

Grottoes conservation meeting held in Luoyang
Luoyang, 16 May 2024 – The third International Symposium on Cave Temple Conservation in the Yellow River Basin opened today.
It was co-organized by the Longmen Grottoes Research Academy and ICOMOS China, and brought together more than eighty experts from twelve countries.
"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def only_error(result: IngestResult) -> InputError:
    assert result.articles == []
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


# --- bad input: one line naming the file and the problem -------------------------------------

def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.txt", "")
    error = only_error(read_articles([path]))
    assert error.path == str(path)
    assert error.problem == "empty file"
    assert str(error) == f"{path}: empty file"
    assert only_error(read_articles([write(tmp_path / "blank.md", "  \n\n \t\n")])).problem == "empty file"


def test_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert only_error(read_articles([path])).problem == "binary file, not text"


def test_invalid_utf8_names_the_byte(tmp_path: Path) -> None:
    path = write(tmp_path / "latin1.txt", "Café culture".encode("latin-1"))
    assert only_error(read_articles([path])).problem == "not valid UTF-8 at byte 3"


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbfHeadline here\nBody sentence one.\n")
    [article] = read_articles([path]).articles
    assert article.text.startswith("Headline")
    assert article.title == "Headline here"
    # the byte position of a later error still counts the BOM
    bad = write(tmp_path / "bombad.txt", b"\xef\xbb\xbfab\xff")
    assert only_error(read_articles([bad])).problem == "not valid UTF-8 at byte 5"


def test_missing_path(tmp_path: Path) -> None:
    error = only_error(read_articles([tmp_path / "nowhere.txt"]))
    assert error.problem == "no such file or folder"
    with pytest.raises(InputError, match="no such file or folder"):
        read_article(tmp_path / "nowhere.txt")


def test_unknown_extension(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.xyz", "Some text.")
    assert only_error(read_articles([path])).problem == \
        "unsupported extension .xyz; expected .txt, .md, .html, .jsonl"


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    line = b"A heritage sentence that repeats to fill the file.\n"
    with path.open("wb") as handle:
        for _ in range(20 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    path.write_bytes(path.read_bytes()[: 20 * 1024 * 1024])
    assert MAX_BYTES == 10 * 1024 * 1024
    tracemalloc.start()
    try:
        result = read_articles([path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert only_error(result).problem == "file is 20.0 MB; limit is 10 MB"
    assert peak < 2 * 1024 * 1024, f"read {peak} bytes into memory for a refused file"


def test_jsonl_bad_lines_are_named_and_others_read(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": "First article.\nIt is short.", "title": "One"}),
        "{not json",
        json.dumps({"title": "no text here"}),
        "",
        json.dumps({"text": "Fourth line article.", "date": "24 September 2025", "publisher": "UNESCO",
                    "url": "https://example.org/4", "lang": "en"}),
        json.dumps(["a", "list"]),
    ]
    path = write(tmp_path / "news.jsonl", "\n".join(lines) + "\n")
    result = read_articles([path])
    assert [a.id for a in result.articles] == ["news-1", "news-5"]
    assert [a.source for a in result.articles] == [f"{path}:1", f"{path}:5"]
    assert [e.path for e in result.errors] == [f"{path}:2", f"{path}:3", f"{path}:6"]
    assert result.errors[0].problem.startswith("not valid JSON")
    assert result.errors[1].problem == 'no "text" field'
    fourth = result.articles[1]
    assert (fourth.published, fourth.publisher, fourth.url, fourth.lang) == \
        ("2025-09-24", "UNESCO", "https://example.org/4", "en")
    assert result.articles[0].title == "One"
    # read_article is strict: the first bad line raises
    with pytest.raises(InputError) as raised:
        read_article(path)
    assert raised.value.path == f"{path}:2"


def test_jsonl_bad_field_types_and_dates(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", "\n".join([
        json.dumps({"text": "Body.", "title": 7}),
        json.dumps({"text": "Body.", "date": "sometime soon"}),
        json.dumps({"text": "   "}),
    ]))
    result = read_articles([path])
    assert result.articles == []
    assert [e.problem for e in result.errors] == [
        '"title" must be a string',
        "\"date\" 'sometime soon' is not a full date (e.g. 2025-09-24)",
        '"text" is empty',
    ]


def test_folder_with_nothing_readable_names_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "pictures"
    write(folder / "a.jpg", b"\xff\xd8\xff\xe0")
    write(folder / ".hidden.txt", "Hidden text.")
    error = only_error(read_articles([folder]))
    assert error.path == str(folder)
    assert "no readable files (.txt, .md, .html, .jsonl) in folder" in error.problem
    assert only_error(read_articles([tmp_path / "empty-dir-missing"])).problem == "no such file or folder"
    (tmp_path / "emptydir").mkdir()
    assert only_error(read_articles([tmp_path / "emptydir"])).path == str(tmp_path / "emptydir")


def test_folder_with_good_and_bad_files(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    write(folder / "b_good.txt", "Second headline\nA body sentence about a forum.\n")
    write(folder / "a_good.md", "# First headline\n\nA body sentence about an expo.\n")
    write(folder / "sub" / "c_good.txt", "Third headline\nA body sentence about a site.\n")
    write(folder / "empty.txt", "")
    write(folder / "binary.txt", b"\x00\x01\x02\x03")
    write(folder / "sub" / "bad.txt", b"ok \xc3\x28 broken")
    write(folder / "README.pdf", b"%PDF-1.7")  # other extensions in a folder are skipped
    result = read_articles([folder])
    assert [a.title for a in result.articles] == ["First headline", "Second headline", "Third headline"]
    assert [a.id for a in result.articles] == ["a-good", "b-good", "c-good"]
    problems = {Path(e.path).name: e.problem for e in result.errors}
    assert problems == {"binary.txt": "binary file, not text", "empty.txt": "empty file",
                        "bad.txt": "not valid UTF-8 at byte 3"}
    # same input, same output: order and ids do not depend on the file system
    again = read_articles([folder])
    assert [(a.id, a.source, a.content_hash) for a in again.articles] == \
        [(a.id, a.source, a.content_hash) for a in result.articles]


def test_one_path_as_a_string_and_duplicates_read_once(tmp_path: Path) -> None:
    path = write(tmp_path / "one.txt", "Headline\nBody.\n")
    assert len(read_articles(str(path)).articles) == 1
    assert len(read_articles([path, tmp_path, str(path)]).articles) == 1


# --- articles --------------------------------------------------------------------------------

def test_bilingual_text_gives_zh_and_en_paragraphs(tmp_path: Path) -> None:
    path = write(tmp_path / "石窟 研讨会.txt", BILINGUAL)
    [article] = read_article(path)
    assert article.id == "shi-ku-yan-tao-hui"
    assert article.source == str(path)
    assert article.content_hash == hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    assert article.langs == ["zh", "en"]
    assert [p.lang for p in article.paragraphs] == ["zh", "zh", "zh", "en", "en", "en"]
    assert [p.index for p in article.paragraphs] == list(range(6))
    for paragraph in article.paragraphs:  # offsets point into the text
        assert article.text[paragraph.start:paragraph.start + len(paragraph.text)] == paragraph.text
    assert article.paragraphs[1].text.startswith("2024年5月16日")
    assert article.paragraphs[2].text.startswith("来自十二个国家")  # single newline splits
    # the note names the publisher and the date; the first body line is no headline
    assert (article.published, article.publisher) == ("2024-05-18", "文化遗产研究院")
    assert article.title is None
    assert article.lang is None


def test_mixed_script_lines_follow_their_majority_script() -> None:
    assert detect_language("该论坛由UNESCO Regional Office for East Asia与甘肃省文化和旅游厅合作举办。") == "zh"
    assert detect_language("Deputy Director-General Qu Xing (曲星) delivered the opening remarks.") == "en"
    assert detect_language("La conférence s'est tenue à Paris avec de nombreux participants.") == "fr"
    article = article_from_text("Une conférence à Paris\nLa conférence s'est tenue à Paris avec de nombreux "
                                "participants venus du monde entier.\n2024")
    assert [p.lang for p in article.paragraphs] == ["fr", "fr", "fr"]  # short lines follow the article


def test_declared_language_is_used_for_every_paragraph(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Headline\n中文段落在这里。\n")
    [article] = read_articles([path], lang="en").articles
    assert article.lang == "en"
    assert {p.lang for p in article.paragraphs} == {"en"}


def test_title_is_a_short_first_line_and_stays_a_paragraph() -> None:
    article = article_from_text("World Bank backs heritage project in Gansu\n\n"
                                "WASHINGTON, February 24, 2017 – A loan won approval today.")
    assert article.title == "World Bank backs heritage project in Gansu"
    assert article.paragraphs[0].text == article.title
    assert article.published == "2017-02-24"
    assert article_from_text("A full sentence opens this text.\nAnother one.").title is None
    assert article_from_text("x" * 250 + "\nAnother line.").title is None
    assert article_from_text("Only one line").title is None
    assert article_from_text("Headline\nBody.", title="Given title").title == "Given title"


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = ("Delegates from many countries met in the city this week to talk about\n"
            "how heritage sites can welcome visitors without harming what makes\n"
            "them special, and how local people can share in the benefits.\n"
            "\nShort closing line.")
    article = article_from_text(text)
    assert len(article.paragraphs) == 2
    first = article.paragraphs[0]
    assert "\n" not in first.text and first.text.endswith("benefits.")
    assert len(first.text) == len(article.text.split("\n\n")[0])
    # a list of title-case lines is not prose
    listing = article_from_text("Leveraging Culture and Creativity for Sustainable Development\n"
                                "Gansu International Marketing Strategy of the Province\n"
                                "Gansu Tourism Human Capital Strategy for the Silk Road")
    assert len(listing.paragraphs) == 3


# --- publication notes and datelines ---------------------------------------------------------

@pytest.mark.parametrize("note, published, publisher", [
    ("【本文原载于联合国教科文组织公众号2025年9月24日推文】", "2025-09-24", "联合国教科文组织"),
    ("本文转载自微信公众号“文博中国”2025年1月3日", "2025-01-03", "文博中国"),
    ("来源：新华社 记者 张三", None, "新华社"),
    ("原载《光明日报》2025年9月24日第5版", "2025-09-24", "光明日报"),
    ("Originally published by UNESCO on 24 September 2025", "2025-09-24", "UNESCO"),
    ("First published on 24 September 2025 by UNESCO.", "2025-09-24", "UNESCO"),
    ("First published on UNESCO’s website on Sept. 24, 2025", "2025-09-24", "UNESCO"),
    ("Source: UNESCO World Heritage Centre, 2025-09-24", "2025-09-24", "UNESCO World Heritage Centre"),
    ("(This article was originally published in The Diplomat on 3 May 2024.)", "2024-05-03", "The Diplomat"),
])
def test_publication_note(note: str, published: str | None, publisher: str) -> None:
    parsed = parse_publication_note(note)
    assert parsed is not None
    assert (parsed.published, parsed.publisher) == (published, publisher)


@pytest.mark.parametrize("text", [
    "First published in 2003, the Convention has been ratified by 180 States.",
    "Sources say the forum was a success.",
    "来源于民间的传统技艺得到了保护。",
    "2025年9月22日,论坛在敦煌举办。",
])
def test_body_text_is_not_a_publication_note(text: str) -> None:
    assert parse_publication_note(text) is None


def test_note_in_the_last_paragraph_and_note_beats_dateline() -> None:
    article = article_from_text("Museum reopens\nPARIS, 3 March 2024 – The museum reopened.\n"
                                "Originally published by Heritage Daily on 5 March 2024.")
    assert (article.published, article.publisher) == ("2024-03-05", "Heritage Daily")
    assert article.title == "Museum reopens"


def test_note_gives_url() -> None:
    article = article_from_text("Originally published at https://example.org/news/42 on 2 May 2024\n"
                                "Headline\nBody sentence.")
    assert (article.url, article.published) == ("https://example.org/news/42", "2024-05-02")
    assert article.title == "Headline"  # the note is not the headline


@pytest.mark.parametrize("paragraph, expected", [
    ("WASHINGTON, February 24, 2017 – A US$100 million loan won approval today.", "2017-02-24"),
    ("Dunhuang, 22 September 2025 – The Forum opened.", "2025-09-22"),
    ("Dunhuang, Gansu province, Sept. 21, 2017 – More than 400 guests gathered.", "2017-09-21"),
    ("Paris, 14 June 2024", "2024-06-14"),
    ("新华社兰州2023年9月7日电  2023年9月6日,文博会在敦煌开幕。", "2023-09-07"),
    ("本报成都6月23日电  为期9天的节会闭幕。", None),  # no year: none
    ("本报成都6月23日电  为期9天的节会于2013年6月23日闭幕。", "2013-06-23"),  # the year is written out
    ("On 22 September 2025, the forum opened.", None),
    ("2025年9月22日,论坛在敦煌国际会展中心举办。", None),
    ("The meeting was held in Paris, 14 June 2024 at the headquarters.", None),
])
def test_dateline(paragraph: str, expected: str | None) -> None:
    assert parse_dateline(paragraph) == expected


def test_dateline_after_headline_and_subhead() -> None:
    article = article_from_text("Ministers seek a new partnership\n\nFirst joint conference closes with a declaration\n\n"
                                "SIEM REAP, Cambodia, 6 February 2015 – Ministers met this week.")
    assert article.published == "2015-02-06"


# --- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, iso", [
    ("24 September 2025", "2025-09-24"),
    ("Sept. 21, 2017", "2017-09-21"),
    ("February 24th, 2017", "2017-02-24"),
    ("24 Sep 2025", "2025-09-24"),
    ("2025-09-24", "2025-09-24"),
    ("2025-09-24T08:00:00+08:00", "2025-09-24"),
    ("Wed, 24 Sep 2025 08:00:00 GMT", "2025-09-24"),
    ("2025年9月24日", "2025-09-24"),
    ("二〇二五年九月二十四日", "2025-09-24"),
    ("２０２５年９月２４日", "2025-09-24"),
    ("September 2025", "2025-09"),
    ("2025", "2025"),
    ("22 September", None),      # no year
    ("31 February 2025", None),  # no such day
    ("09/10/2025", None),        # ambiguous order
    ("next Tuesday", None),
    ("the mayor may 5", None),   # lower-case month names are words
])
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_find_dates_reads_ranges_and_missing_years() -> None:
    found = find_dates("met from 28 to 30 September 2022, then on Sept. 20-21, 2017 and 6月15日至23日")
    assert [(d.value, d.end_value) for d in found] == [
        ("2022-09-28", "2022-09-30"), ("2017-09-20", "2017-09-21"), ("--06-15", "--06-23")]
    assert find_dates("held on 22 September", default_year=2025)[0].value == "2025-09-22"
    assert find_dates("30 December 2024 - 2 January 2025")[0].end_value == "2025-01-02"


# --- formats ---------------------------------------------------------------------------------

def test_markdown_is_stripped_to_text(tmp_path: Path) -> None:
    path = write(tmp_path / "post.md", """---
title: Expo opens
date: 2023-09-06
publisher: Heritage Daily
---
# Expo opens in **Dunhuang**

The [Silk Road Expo](https://example.org/expo) opened with *many* guests and __forty__ speakers.
![a photo](photo.jpg)

- Organized by the `provincial government`
> Quoted remark from a guest.

```
code that is not prose
```
""")
    [article] = read_article(path)
    assert (article.title, article.published, article.publisher) == ("Expo opens", "2023-09-06", "Heritage Daily")
    texts = [p.text for p in article.paragraphs]
    assert texts == ["Expo opens in Dunhuang",
                     "The Silk Road Expo opened with many guests and forty speakers.",
                     "Organized by the provincial government",
                     "Quoted remark from a guest."]
    assert strip_markdown("snake_case_name and 2*3*4")[0] == "snake_case_name and 2*3*4"


HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Forum on heritage opens in Dunhuang | Heritage Daily</title>
<meta property="og:site_name" content="Heritage Daily">
<meta property="article:published_time" content="2025-09-23T10:00:00+08:00">
<link rel="canonical" href="https://example.org/news/forum">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/about">About us</a></li><li><a href="/subscribe">Subscribe to our newsletter</a></li></ul></nav></header>
<main><article>
<h1>Forum on heritage opens in Dunhuang</h1>
<p>Dunhuang, 22 September 2025 – The Forum on Global Knowledge Sharing opened on Monday in the desert city,
bringing together officials, experts and practitioners from many countries.</p>
<p>The Forum was organized by the UNESCO Regional Office for East Asia together with the World Bank and the
provincial department of culture and tourism.</p>
<p>More than forty speakers took part in over ten sessions on intangible cultural heritage, sustainable
tourism and the creative industries.</p>
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/x">Ten museums to visit this winter</a></li></ul></aside>
<footer><p>© 2025 Heritage Daily. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/cookies">Cookie settings</a></p></footer>
</body></html>
"""


def test_html_main_text_without_boilerplate(tmp_path: Path) -> None:
    path = write(tmp_path / "forum.html", HTML_PAGE)
    [article] = read_article(path)
    assert article.id == "forum"
    assert article.title == "Forum on heritage opens in Dunhuang"
    assert article.paragraphs[0].text == article.title
    assert (article.published, article.publisher, article.url) == \
        ("2025-09-23", "Heritage Daily", "https://example.org/news/forum")
    assert "organized by the UNESCO Regional Office for East Asia" in article.text
    assert "More than forty speakers" in article.text
    for boilerplate in ("Subscribe", "About us", "Most read", "Ten museums", "Privacy policy",
                        "All rights reserved", "Cookie"):
        assert boilerplate not in article.text
    # no page date: the dateline in the text gives it
    bare = write(tmp_path / "bare.htm", HTML_PAGE.replace(
        '<meta property="article:published_time" content="2025-09-23T10:00:00+08:00">', ""))
    assert read_article(bare)[0].published == "2025-09-22"


def test_html_declared_charset(tmp_path: Path) -> None:
    html = ("<html><head><meta charset=\"gb2312\"><title>敦煌文博会开幕</title></head><body><article>"
            "<p>新华社兰州2023年9月7日电 第六届丝绸之路(敦煌)国际文化博览会在甘肃省敦煌市开幕,来自多个国家的嘉宾出席。</p>"
            "<p>本届文博会以联通世界、文明互鉴为主题,由甘肃省人民政府主办,多国嘉宾参加了开幕式和主题论坛。</p>"
            "</article></body></html>")
    [article] = read_article(write(tmp_path / "zh.html", html.encode("gb18030")))
    assert article.langs == ["zh"]
    assert article.published == "2023-09-07"


def test_article_from_text_and_ids(tmp_path: Path) -> None:
    article = article_from_text("Headline\r\nBody text.\r\n", id="x", source="<memory>",
                                published="24 September 2025")
    assert (article.id, article.source, article.published) == ("x", "<memory>", "2025-09-24")
    assert "\r" not in article.text
    with pytest.raises(InputError):
        article_from_text("   \n")
    with pytest.raises(TypeError):
        article_from_text("Text.", colour="blue")
    assert slugify("Silk Road Expo 2023!") == "silk-road-expo-2023"
    assert slugify("敦煌") == "dun-huang"
    # the same stem in two folders: the second gets a short content hash
    first = write(tmp_path / "a" / "news.txt", "Headline A\nBody A.")
    second = write(tmp_path / "b" / "news.txt", "Headline B\nBody B.")
    articles = read_articles([tmp_path / "a", tmp_path / "b"]).articles
    assert articles[0].id == "news"
    assert articles[1].id == "news-" + articles[1].content_hash[:8]
    assert [a.source for a in articles] == [str(first), str(second)]
