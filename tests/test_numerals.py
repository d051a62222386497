"""Chinese numerals and the approximate counts news writes with them."""
from __future__ import annotations

import pytest

from heritagekg.numerals import find_quantities, parse_quantity, zh_to_int


@pytest.mark.parametrize("text, value", [
    ("四十", 40), ("十", 10), ("十一", 11), ("二十四", 24), ("百", 100), ("一千二百", 1200),
    ("万", 10000), ("三万五千", 35000), ("两", 2), ("二〇二三", 2023), ("1200", 1200),
    ("１２００", 1200), ("1,200", 1200), ("1.5万", 15000), ("3亿", 300_000_000),
])
def test_numerals_read_as_integers(text: str, value: int) -> None:
    assert zh_to_int(text) == value


@pytest.mark.parametrize("text", ["", "数十", "若干", "abc", "1.25"])
def test_non_numerals_give_none(text: str) -> None:
    assert zh_to_int(text) is None


@pytest.mark.parametrize("text, value, qualifier, classifier", [
    ("逾四十位", 40, "more_than", "位"),
    ("十余场", 10, "more_than", "场"),
    ("1200余名", 1200, "more_than", "名"),
    ("百余位", 100, "more_than", "位"),
    ("近万人", 10000, "nearly", "人"),
    ("300多名", 300, "more_than", "名"),
    ("约300人", 300, "about", "人"),
    ("超过５０位", 50, "more_than", "位"),
    ("13场", 13, "exact", "场"),
])
def test_approximate_counts_keep_the_stated_bound(text: str, value: int, qualifier: str, classifier: str) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None
    assert (quantity.value, quantity.qualifier, quantity.classifier) == (value, qualifier, classifier)


def test_vague_counts_have_no_value() -> None:
    assert parse_quantity("数十位") is None


def test_find_quantities_needs_a_classifier_and_skips_ordinals() -> None:
    text = "第八届大会共设十余场讨论,逾四十位嘉宾出席;一带一路倡议提出十年,1200余名观众"
    found = find_quantities(text, ["场", "位", "名"])
    assert [(q.value, q.classifier) for q in found] == [(10, "场"), (40, "位"), (1200, "名")]
    assert text[found[1].start:found[1].end] == "逾四十位"


def test_find_quantities_with_no_classifiers_finds_nothing() -> None:
    assert find_quantities("十余场", []) == []
