"""Chinese and Arabic numerals, and the approximate quantities news writes with them.

Counts in Chinese news are rarely exact: 逾四十位 (more than forty), 十余场 (ten-odd), 1200余名,
百余位, 近万人 (nearly ten thousand). The graph records the number as stated (the bound), and
the qualifier says how to read it. Classifier lists belong to the caller (the zh cue file).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Literal

Qualifier = Literal["exact", "more_than", "nearly", "about"]

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "兩": 2, "三": 3,
           "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7,
           "八": 8, "捌": 8, "九": 9, "玖": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

ZH_NUMERAL_CHARS = "".join(_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)
#: one numeral: Arabic (half or full width, optional thousands commas/decimals, optional 万/亿)
#: or a run of Chinese numeral characters
NUMERAL = (rf"(?:[0-9０-９]+(?:[,，][0-9]{{3}})*(?:[.．][0-9０-９]+)?[{''.join(_BIG_UNITS)}千百]?"
           rf"|[{ZH_NUMERAL_CHARS}]+)")
_PREFIX = {"逾": "more_than", "超过": "more_than", "超": "more_than", "多达": "exact", "达": "exact",
           "近": "nearly", "将近": "nearly", "接近": "nearly", "约": "about", "大约": "about",
           "约有": "about", "上": "more_than"}
_SUFFIX = {"余": "more_than", "多": "more_than", "几": "more_than", "以上": "more_than",
           "左右": "about", "上下": "about"}
_PREFIX_RE = "|".join(sorted((re.escape(p) for p in _PREFIX), key=len, reverse=True))
_SUFFIX_RE = "|".join(sorted((re.escape(s) for s in _SUFFIX), key=len, reverse=True))
QUANTITY = rf"(?P<pre>{_PREFIX_RE})?(?P<num>{NUMERAL})(?P<suf>{_SUFFIX_RE})?"


@dataclass(frozen=True)
class Quantity:
    """A stated count: its value (the bound as written), how to read it, and its span/classifier."""

    value: int
    qualifier: Qualifier = "exact"
    classifier: str | None = None
    start: int = 0
    end: int = 0
    text: str = ""


def zh_to_int(text: str) -> int | None:
    """Arabic or Chinese numerals -> int: 四十 40, 一千二百 1200, 百 100, 万 10000, 1.5万 15000.

    Digit-by-digit runs (二〇二三) read as written; anything else (words, empty) gives None.
    """
    text = text.strip().translate(_FULLWIDTH).replace(",", "")
    if not text:
        return None
    arabic = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([万萬亿億千百]?)", text)
    if arabic:
        number, unit = arabic.groups()
        scale = {**_BIG_UNITS, "千": 1000, "百": 100}.get(unit, 1)
        value = float(number) * scale
        return int(value) if value == int(value) else None
    if any(c not in _DIGITS and c not in _SMALL_UNITS and c not in _BIG_UNITS for c in text):
        return None
    if all(c in _DIGITS for c in text):
        return int("".join(str(_DIGITS[c]) for c in text))
    total = section = number = 0
    for char in text:
        if char in _DIGITS:
            number = _DIGITS[char]
        elif char in _SMALL_UNITS:
            section += (number or 1) * _SMALL_UNITS[char]
            number = 0
        else:
            chunk = section + number
            total = (total + (chunk or 1)) * _BIG_UNITS[char]
            section = number = 0
    return total + section + number


def parse_quantity(text: str) -> Quantity | None:
    """One approximate count, classifier allowed at the end: 逾四十位 -> 40 more_than '位'.

    Vague words with no number (数十, 若干) give None: there is no value to state.
    """
    text = text.strip()
    match = re.fullmatch(QUANTITY + r"(?P<cls>\w{0,2})", text)
    if not match:
        return None
    return _quantity(match, match.group("cls") or None)


def find_quantities(text: str, classifiers: Iterable[str]) -> list[Quantity]:
    """Every count followed by one of the classifiers (名, 位, 场…), in text order.

    A numeral counts only with a classifier after it: bare numerals in names (一带一路) and
    ordinals (第八届) are not quantities.
    """
    cls = sorted(set(classifiers), key=len, reverse=True)
    if not cls:
        return []
    pattern = re.compile(rf"(?<![第0-9０-９.{ZH_NUMERAL_CHARS}]){QUANTITY}"
                         rf"(?P<cls>{'|'.join(re.escape(c) for c in cls)})")
    found: list[Quantity] = []
    for match in pattern.finditer(text):
        quantity = _quantity(match, match.group("cls"))
        if quantity is not None:
            found.append(quantity)
    return found


def _quantity(match: re.Match[str], classifier: str | None) -> Quantity | None:
    value = zh_to_int(match.group("num"))
    if value is None or value == 0:
        return None
    qualifier: Qualifier = "exact"
    if match.group("pre"):
        qualifier = _PREFIX[match.group("pre")]  # type: ignore[assignment]
    if match.group("suf"):
        qualifier = _SUFFIX[match.group("suf")]  # type: ignore[assignment]
    return Quantity(value, qualifier, classifier, match.start(), match.end(), match.group(0))
