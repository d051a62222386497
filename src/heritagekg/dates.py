"""Dates as news articles write them, in English and Chinese, turned into ISO 8601 values.

One small parser shared by ingest (publication notes, datelines) and extraction (event dates):
"24 September 2025", "Sept. 21, 2017", "2025-09-24", "2025年9月24日", "九月二十四日", and ranges
("20-21 September 2017", "from 28 to 30 September 2022", "9月20日至21日"). Month names are data
(nlp/cues/months.yml). Numeric day/month orders such as "09/10/2025" are ambiguous and not read.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

MONTHS_FILE = Path(__file__).parent / "nlp" / "cues" / "months.yml"

DateKind = Literal["date", "gYearMonth", "gYear", "gMonthDay"]


@dataclass(frozen=True)
class DateMatch:
    """A date (or a range of dates) found in a text, with its character span.

    Missing parts are None: "22 September" has no year (kind "gMonthDay") unless the caller gave
    a default year. A range carries its last day in the end_* fields.
    """

    start: int
    end: int
    text: str
    year: int | None
    month: int | None
    day: int | None
    end_year: int | None = None
    end_month: int | None = None
    end_day: int | None = None

    @property
    def kind(self) -> DateKind:
        """The XSD type the value fits: date, gYearMonth, gYear or gMonthDay (no year)."""
        return _kind(self.year, self.month, self.day)

    @property
    def value(self) -> str:
        """ISO form of the (first) date: 2025-09-24, 2025-09, 2025 or --09-24."""
        return _iso(self.year, self.month, self.day)

    @property
    def is_range(self) -> bool:
        return self.end_month is not None or self.end_day is not None or self.end_year is not None

    @property
    def end_value(self) -> str | None:
        """ISO form of the last day of a range, None for a single date."""
        if not self.is_range:
            return None
        return _iso(self.end_year, self.end_month, self.end_day)


def _kind(year: int | None, month: int | None, day: int | None) -> DateKind:
    if year is None:
        return "gMonthDay"
    if month is None:
        return "gYear"
    return "date" if day is not None else "gYearMonth"


def _iso(year: int | None, month: int | None, day: int | None) -> str:
    if year is None:
        return f"--{month:02d}-{day:02d}"
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


# --- names and numerals ----------------------------------------------------------------------

@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, int], tuple[str, ...]]:
    """Month spelling (lower case, no dot) -> number, and every weekday spelling."""
    data = yaml.safe_load(MONTHS_FILE.read_text(encoding="utf-8"))
    months: dict[str, int] = {}
    for table in data["months"].values():
        for number, spellings in table.items():
            for spelling in spellings:
                months[str(spelling).lower()] = int(number)
    weekdays = tuple(str(w) for names in data.get("weekdays", {}).values() for w in names)
    return months, weekdays


def _month_regex(group: str) -> str:
    """A named group matching any month spelling in Title or UPPER case, with an optional dot."""
    months, _ = _names()
    variants: set[str] = set()
    for spelling in months:
        variants.update({spelling[:1].upper() + spelling[1:], spelling.upper()})
    alternation = "|".join(re.escape(v) for v in sorted(variants, key=lambda v: (-len(v), v)))
    return rf"\b(?P<{group}>{alternation})\.?(?![A-Za-z])"


_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}


def _number(text: str) -> int:
    """Arabic, full-width or Chinese numerals ("2025", "２０２５", "二〇二五", "二十四") -> int."""
    text = text.translate(_FULLWIDTH)
    if text.isascii():
        return int(text)
    if "十" not in text:  # digit by digit, as years are written: 二〇二五
        return int("".join(str(_ZH_DIGITS[c]) for c in text))
    tens, _, units = text.partition("十")
    return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[units] if units else 0)


# --- patterns --------------------------------------------------------------------------------

_DAY = r"(?<![\d.])(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?P<{g}>\d{{4}})(?![\d])"
_DASH = r"\s*(?:-|–|—|‒|―|\bto\b|\buntil\b|\btill\b|\bthrough\b)\s*"

_ZH_Y = r"(?<![0-9０-９〇零一二三四五六七八九])(?P<{g}>[0-9０-９]{{4}}|[〇零一二三四五六七八九]{{4}})\s*年"
_ZH_M = r"(?P<{g}>[01]?[0-9]|[０１]?[０-９]|十[一二]?|[一二三四五六七八九])\s*月"
_ZH_D = r"(?P<{g}>[0-3]?[0-9]|[０-３]?[０-９]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_ZH_DASH = r"\s*(?:至|到|—|–|-|~|～|－)\s*"


def _day(g: str) -> str:
    return _DAY.format(g=g)


def _year(g: str) -> str:
    return _YEAR.format(g=g)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Every date shape we read, with a literal it cannot match without ("" for none): the Chinese
    shapes, the slowest to scan, are skipped on text without 月. Overlapping hits are settled by
    position and length."""
    m1, m2 = _month_regex("m1"), _month_regex("m2")
    d1, d2 = _day("d1"), _day("d2")
    y1, y2 = _year("y1"), _year("y2")
    of = r"(?:\s+of)?"
    shapes: list[str | tuple[str, str]] = [
        # 20-21 September 2017, 28 to 30 September 2022
        rf"{d1}(?:{_DASH}|\s+and\s+){d2}{of}\s+{m2},?(?:\s+{y2})?",  # also "on 4 and 5 June"
        # 28 September to 2 October 2022, 30 December 2024 - 2 January 2025
        rf"{d1}{of}\s+{m1},?(?:\s+{y1})?{_DASH}{d2}{of}\s+{m2},?(?:\s+{y2})?",
        # September 20-21, 2017
        rf"{m2}\s+{d1}{_DASH}{d2},?(?:\s+{y2})?",
        # September 28 - October 2, 2022
        rf"{m1}\s+{d1},?(?:\s+{y1})?{_DASH}{m2}\s+{d2},?(?:\s+{y2})?",
        # 24 September 2025, 24th of September, 2025, 22 September
        rf"{d1}{of}\s+{m1},?(?:\s+{y1})?",
        # September 24, 2025, Sept. 21 2017, September 22
        rf"{m1}\s+{d1}(?:,?\s+{y1})?",
        # September 2025
        rf"{m1},?\s+{y1}",
        # 2025-09-24, 2025/9/24, 2025.09.24
        r"(?<![\d.])(?P<y1>\d{4})(?P<sep>[-/.])(?P<m1n>\d{1,2})(?P=sep)(?P<d1>\d{1,2})(?!\d)",
        # 2025年9月20日至21日, 9月28日至10月2日, 2024年12月30日至2025年1月2日
        ("月", f"(?:{_ZH_Y.format(g='y1')})?{_ZH_M.format(g='m1z')}{_ZH_D.format(g='d1')}[日号]?"
         f"{_ZH_DASH}(?:(?:{_ZH_Y.format(g='y2')})?{_ZH_M.format(g='m2z')})?{_ZH_D.format(g='d2')}[日号]"),
        # 2025年9月24日, 9月24日
        ("月", f"(?:{_ZH_Y.format(g='y1')})?{_ZH_M.format(g='m1z')}{_ZH_D.format(g='d1')}[日号]"),
        # 2025年9月
        ("月", f"{_ZH_Y.format(g='y1')}{_ZH_M.format(g='m1z')}(?![0-9０-９一二三四五六七八九十])"),
    ]
    return tuple((re.compile(s), "") if isinstance(s, str) else (re.compile(s[1]), s[0]) for s in shapes)


@lru_cache(maxsize=1)
def _year_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Bare years ("in 2017", "2013年"), read only when asked: they are easy to over-read."""
    return ((re.compile(r"(?<![\d.,/:-])(?P<y1>(?:1[5-9]|20)\d{2})(?![\d%])(?!\s*年)"), ""),
            (re.compile(_ZH_Y.format(g="y1") + r"(?![0-9０-９一二三四五六七八九十]+\s*月)"), "年"))


def _group(match: re.Match[str], *names: str) -> str | None:
    for name in names:
        if name in match.re.groupindex and match.group(name) is not None:
            return match.group(name)
    return None


def _month_of(text: str | None) -> int | None:
    if text is None:
        return None
    if text.translate(_FULLWIDTH).isdigit() or text[0] in "十一二三四五六七八九":
        return _number(text)
    return _names()[0].get(text.lower().rstrip("."))


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is not None and not 1 <= month <= 12:
        return False
    if day is None:
        return True
    if month is None:
        return False
    return 1 <= day <= calendar.monthrange(year if year is not None else 2000, month)[1]


def _from_match(match: re.Match[str], default_year: int | None) -> DateMatch | None:
    """Read the parts of one regex hit; ranges inherit missing parts from their other end."""
    y1 = _group(match, "y1")
    y2 = _group(match, "y2")
    m1 = _month_of(_group(match, "m1", "m1n", "m1z"))
    m2 = _month_of(_group(match, "m2", "m2z"))
    d1 = _group(match, "d1")
    d2 = _group(match, "d2")
    year = _number(y1) if y1 else None
    day = _number(d1) if d1 else None
    ranged = d2 is not None
    end_year = _number(y2) if y2 else None
    end_month = m2
    end_day = _number(d2) if d2 else None
    if ranged:
        if end_month is None:
            end_month = m1
        if m1 is None:
            m1 = end_month
        if end_year is None:
            end_year = year
        if year is None and end_year is not None:
            # 30 December - 2 January 2025 starts in the year before
            year = end_year - 1 if (m1 or 0) > (end_month or 0) else end_year
    if year is None and default_year is not None:
        year = default_year
        if ranged and end_year is None:
            end_year = default_year
    if m1 is None and year is None:
        return None
    if not _valid(year, m1, day):
        return None
    if ranged:
        if not _valid(end_year, end_month, end_day):
            return None
        if (end_year or 0, end_month, end_day) < (year or 0, m1, day):
            return None
        return DateMatch(match.start(), match.end(), match.group(0), year, m1, day,
                         end_year, end_month, end_day)
    return DateMatch(match.start(), match.end(), match.group(0), year, m1, day)


def find_dates(text: str, default_year: int | None = None, years: bool = False) -> list[DateMatch]:
    """Every date in text, in order, never overlapping (the earliest, then longest, hit wins).

    default_year fills dates written without one ("22 September"); without it they come back
    with year None. years=True also reads bare years ("in 2017", "2013年").
    """
    candidates: list[tuple[int, int, int, DateMatch]] = []
    patterns = _patterns() + (_year_patterns() if years else ())
    for priority, (pattern, needs) in enumerate(patterns):
        if needs and needs not in text:
            continue
        for match in pattern.finditer(text):
            found = _from_match(match, default_year)
            if found is not None:
                candidates.append((found.start, -(found.end - found.start), priority, found))
    candidates.sort(key=lambda c: c[:3])
    chosen: list[DateMatch] = []
    reach = -1
    for start, _, _, found in candidates:
        if start >= reach:
            chosen.append(found)
            reach = found.end
    return chosen


_TIME = re.compile(
    r"T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?|[+-]\d{2}:?\d{2}\b"
    r"|(?<![A-Za-z])(?:Z|UTC|GMT|CET|CEST|BST|EST|EDT|PST|PDT|CST|JST|KST)(?![A-Za-z])|[上下]午|\d{1,2}[时點点]",
    re.IGNORECASE)


def parse_date(text: str, default_year: int | None = None) -> str | None:
    """ISO value of text when text is one date (2025-09-24, 2025-09 or 2025), else None.

    Weekday names, a time of day and a time zone may surround the date ("Fri, 24 Sep 2025
    08:00 GMT", "2025-09-24T08:00:00Z"); any other word means the text is not just a date.
    A range, or a date without a year and no default_year, gives None.
    """
    text = text.strip().strip(" \t,;:()[]【】（）")
    iso_month = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if iso_month:
        year, month = int(iso_month.group(1)), int(iso_month.group(2))
        return _iso(year, month, None) if _valid(year, month, None) else None
    found = find_dates(text, default_year=default_year, years=True)
    if len(found) != 1 or found[0].is_range or found[0].kind == "gMonthDay":
        return None
    match = found[0]
    rest = _TIME.sub(" ", text[:match.start] + " " + text[match.end:])
    for weekday in sorted(_names()[1], key=len, reverse=True):
        rest = re.sub(rf"(?<![A-Za-z]){re.escape(weekday)}\.?(?![A-Za-z])", " ", rest,
                      flags=re.IGNORECASE)
    return None if re.search(r"[^\W_]", rest) else match.value
