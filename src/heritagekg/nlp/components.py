"""Our spaCy pipeline components, registered by name so a config can add, drop or reorder them.

- ``heritage_authority``: marks names of the authority file (well-known bodies and places) as
  spans in ``doc.spans["hkg_authority"]`` with the entry id as span id.
- ``heritage_names_en``: finds English proper names (capitalised runs joined by "of/for/and..."),
  types each by its head noun from ``cues/en.yml`` and stores them in ``doc.spans["hkg_names"]``.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable, Sequence

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from heritagekg.nlp import cues

AUTHORITY_KEY = "hkg_authority"
NAMES_KEY = "hkg_names"


# --- authority -------------------------------------------------------------------------------

class AuthorityMatcher:
    """PhraseMatcher over authority surface forms; acronyms match case-sensitively."""

    def __init__(self, nlp: Language, lang: str) -> None:
        from heritagekg.authority import load_authority

        authority = load_authority()
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        acronyms = {a for e in authority.entries.values() for a in e.acronyms}
        by_id: dict[str, list[str]] = {}
        for surface, entry_id in authority.surface_forms(lang):
            by_id.setdefault(entry_id, []).append(surface)
        for entry_id, surfaces in by_id.items():
            # one-word names match case-sensitively ("China", "CHINA"), never "fine china"
            short = [s for s in surfaces if s in acronyms or len(s.split()) == 1]
            long = [s for s in surfaces if s not in short]
            if short:
                variants = sorted({v for s in short for v in (s, s.upper())})
                self.exact.add(entry_id, list(nlp.tokenizer.pipe(variants)))
            if long:
                self.folded.add(entry_id, list(nlp.tokenizer.pipe(long)))

    def __call__(self, doc: Doc) -> Doc:
        found: list[Span] = []
        for matcher in (self.exact, self.folded):
            for match_id, start, end in matcher(doc):
                span = Span(doc, start, end, label="AUTHORITY", span_id=match_id)
                found.append(span)
        doc.spans[AUTHORITY_KEY] = _longest_first(found)
        return doc


@Language.factory("heritage_authority", default_config={"lang": "en"})
def make_authority_matcher(nlp: Language, name: str, lang: str) -> AuthorityMatcher:
    return AuthorityMatcher(nlp, lang)


def _longest_first(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans, longer ones winning, in document order."""
    chosen: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if taken.isdisjoint(range(span.start, span.end)):
            chosen.append(span)
            taken.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


# --- sentence boundaries ---------------------------------------------------------------------

_SENT_END = {".", "!", "?", "…", "\"", "”", "。", "！", "？"}


#: `is_sent_start = False` (-1) as a cell of the uint64 array of `Doc.to_array` holds it
_NOT_SENT_START = 2**64 - 1


def guard_sentences(doc: Doc) -> Doc:
    """News datelines and all-caps names confuse the parser's splits: only end a sentence at
    sentence-final punctuation (the parser still decides among those).

    The marks are written in one `Doc.from_array` call: the `Token.is_sent_start` setter scans the
    whole doc on every call (its parsed-doc check), quadratic in the paragraph's length."""
    if len(doc) < 2:
        return doc
    if doc.has_annotation("DEP"):  # parsed: the setter refuses, as it always did
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if prev.text not in _SENT_END and "\n" not in prev.text and not prev.is_space:
                tok.is_sent_start = False
        return doc
    toks = list(doc)
    inside = [prev.i + 1 for prev in toks[:-1]
              if prev.text not in _SENT_END and "\n" not in prev.text and not prev.is_space]
    if inside:
        starts = doc.to_array(SENT_START)
        starts[inside] = _NOT_SENT_START
        doc.from_array([SENT_START], starts)
    return doc


@Language.component("heritage_sentence_guard")
def make_sentence_guard(doc: Doc) -> Doc:
    return guard_sentences(doc)


# --- English proper names ------------------------------------------------------------------

_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$", re.I)
_YEAR = re.compile(r"^(1[5-9]|20)\d\d$")


class HeadLexicon:
    """Head nouns -> contract class, from cues/en.yml (multi-word heads first)."""

    def __init__(self) -> None:
        data = cues("en")
        self.by_head: dict[str, str] = {}
        for cls, words in data["heads"].items():
            for w in words:
                self.by_head.setdefault(w.lower(), cls)
        self.max_len = max(len(h.split()) for h in self.by_head)

    def classify(self, words: list[str]) -> str | None:
        """Class of a name whose first segment is `words` (lower-cased), by its last word(s)."""
        for n in range(min(self.max_len, len(words)), 0, -1):
            head = " ".join(words[-n:])
            if head in self.by_head:
                return self.by_head[head]
        last = words[-1] if words else ""
        if last.endswith("s") and last[:-1] in self.by_head:
            return self.by_head[last[:-1]]  # "National Museums", "Archives"
        return None


@functools.lru_cache(maxsize=1)
def head_lexicon() -> HeadLexicon:
    """The head lexicon, built once per process (read-only; every reader shares it)."""
    return HeadLexicon()


def is_cap(tok: Token) -> bool:
    text = tok.text
    return bool(text) and (text[0].isupper() or (text[0].isdigit() and bool(_ORDINAL.match(text))))


class EnglishNameFinder:
    """Capitalised runs joined by connector words, split at possessives, typed by head noun.

    Runs across "and" are cut where the left part is already a complete authority name
    ("Republic of Korea and the United Arab Emirates" -> two names).
    """

    def __init__(self, nlp: Language) -> None:
        data = cues("en")
        self.connectors = {w.lower() for w in data["name_connectors"]}
        self.particles = {w.lower() for w in data["name_particles"]}
        self.stop = {w.lower() for w in data["name_stopwords"]}
        self.honorifics = {w.lower() for w in data["person_honorifics"]}
        # "Asia and the Pacific": a region closing a name ("Fund for ... Asia and the Pacific")
        self.region_tails = {w.lower() for w in data.get("name_region_tails", [])}
        self.authority_names: set[str] = set()
        self.heads = HeadLexicon()
        self.event_heads = {w for w, c in self.heads.by_head.items() if c in ("Forum", "Expo", "Event")}
        titles = sorted({t.strip() for t in data["titles"]}, key=len, reverse=True)
        self.titles = re.compile(r"(?:[A-Z][\w-]*\s)*(?:" + "|".join(re.escape(t) for t in titles) + r")", re.I)
        self.segment_breaks = {"of", "for", "on", "in", "at", "to", "de", "del", "du", "des", "da", "di"}
        # "Gansu province", "Longdongnan region" ("a Silk Road city" is a description, not a name)
        self.place_suffixes = {"province", "region", "county", "prefecture", "district"}

    def __call__(self, doc: Doc) -> Doc:
        authority_ends = {s.end for s in doc.spans.get(AUTHORITY_KEY, [])}
        authority_spans = {(s.start, s.end) for s in doc.spans.get(AUTHORITY_KEY, [])}
        authority_starts = {s.start for s in doc.spans.get(AUTHORITY_KEY, [])}
        spans: list[Span] = []
        toks = list(doc)  # made once: `doc[i]` builds a new Token on every access
        i = 0
        n = len(doc)
        while i < n:
            tok = toks[i]
            if tok.like_num and _YEAR.match(tok.text) and i + 1 < n and is_cap(toks[i + 1]) \
                    and not toks[i + 1].is_sent_start and (i == 0 or not toks[i - 1].like_num):
                pass  # "1982 World Conference on ...": a year leads an event's name
            elif not self._starts(tok):
                i += 1
                continue
            j = i + 1
            while j < n:
                t = toks[j]
                if t.is_sent_start:
                    break
                if is_cap(t) and t.lower_ not in ("i",):
                    j += 1
                    continue
                if t.text in ("-", "–") and t.whitespace_ == "" and j + 1 < n and is_cap(toks[j + 1]) \
                        and toks[j - 1].whitespace_ == "":
                    j += 1
                    continue
                if t.text == "-" and t.whitespace_ == "" and toks[j - 1].whitespace_ == "" and j + 2 < n \
                        and j - i >= 1 and toks[j + 1].is_lower and toks[j + 1].is_alpha and len(toks[j + 1]) <= 4 \
                        and toks[j + 1].whitespace_ == "" and toks[j + 2].text in (",", ")") and is_cap(toks[i]):
                    j += 2  # "Heo Min-jae,": a given name's lower-case second syllable
                    break
                if t.text == "-" and t.whitespace_ == "" and toks[j - 1].whitespace_ == "" and j + 3 < n \
                        and toks[j + 1].is_lower and toks[j + 2].text == "-" and is_cap(toks[j + 3]):
                    j += 3  # "Funds-in-Trust"
                    continue
                if t.text == ":" and j + 2 < n and is_cap(toks[j + 1]) and (is_cap(toks[j + 2]) or
                                                                          toks[j + 2].lower_ in self.connectors) \
                        and (j - i >= 2 or (i > 0 and toks[i - 1].text in ('"', "“", "‘"))):
                    j += 1  # "First Aid for Collections: A Field Manual ...": a title and its subtitle
                    continue
                if t.text == "," and self._comma_list_in_name(toks, i, j):
                    j += 1  # "Ministry of Information, Culture and Tourism"
                    continue
                if t.text in ("'", "’") and toks[j - 1].text.endswith("s") and j + 1 < n and is_cap(toks[j + 1]):
                    j += 1
                    continue
                if t.text == "(" and j + 3 < n and is_cap(toks[j + 1]) and toks[j + 2].text == ")" \
                        and is_cap(toks[j + 3]):
                    j += 3
                    continue
                if t.text == "/" and t.whitespace_ == "" and toks[j - 1].whitespace_ == "" and j + 1 < n \
                        and is_cap(toks[j + 1]):
                    j += 2  # "UNWTO/UNESCO World Conference"
                    continue
                if t.lower_ in self.particles and j + 2 < n and toks[j + 1].text == "-" and is_cap(toks[j + 2]):
                    j += 3  # "al-Sudani"
                    continue
                if (t.lower_ in self.connectors or t.lower_ in self.particles) and j + 1 < n:
                    k = j + 1
                    if toks[k].lower_ == "the" and k + 1 < n:
                        k += 1
                    if is_cap(toks[k]) and not toks[k].is_sent_start and toks[k].lower_ not in self.stop:
                        if t.lower_ in ("and", "&"):
                            left_typed = self._first_segment_class(toks, i, j) is not None
                            after_ok = self._heads_on_after(toks, k, authority_spans)
                            region = toks[j + 1].lower_ == "the" and toks[k].lower_ in self.region_tails \
                                and toks[j - 1].text[:1].isupper() and not (k + 1 < n and is_cap(toks[k + 1]))
                            if toks[j + 1].lower_ == "the" and (left_typed or not after_ok) and not region:
                                break  # "the Ministry of X and the Y Authority": two names
                            if j in authority_ends and not after_ok and not region:
                                break  # "Algeria and Bulgaria"
                            if not after_ok and not region and self._complete(toks, i, j, authority_spans):
                                break
                        if t.lower_ in ("in", "at", "to") and (self._complete(toks, i, j, authority_spans)
                                                                or k in authority_starts):
                            break  # "8th General Assembly in Mexico City": two names
                        j = k + 1
                        continue
                if t.like_num and _YEAR.match(t.text) and j - i >= 1 and toks[j - 1].text.isupper():
                    j += 1  # "MONDIACULT 2022"
                elif t.like_num and t.text.isdigit() and len(t.text) <= 2 and \
                        toks[j - 1].lower_ in self.event_heads:
                    j += 1  # "Ministerial Thematic Session 2"
                break
            # trim trailing connectors
            while j > i and (toks[j - 1].lower_ in self.connectors or toks[j - 1].is_punct):
                j -= 1
            if j < n and toks[j].lower_ in ("'s", "’s"):
                # "Entity of UNESCO's Culture Sector": the possessor starts a name of its own
                for k in range(j - 1, i, -1):
                    if toks[k].lower_ == "of":
                        spans.append(Span(doc, i, k, label="NAME"))
                        i = k + 1
                        if toks[i].lower_ == "the":
                            i += 1
                        break
            if j < n and j > i and toks[j].lower_ in self.place_suffixes and not toks[j].text[0].isupper():
                spans.append(Span(doc, i, j + 1, label="Place"))  # "Gansu province"
                i = j + 1
                continue
            venue_end = self._venue_tail(toks, j)
            if j > i and venue_end:
                spans.append(Span(doc, i, venue_end, label="Place"))  # "Expo Georgia exhibition centre"
                i = venue_end
                continue
            if j > i:
                spans.append(Span(doc, i, j, label="NAME"))
            i = max(j, i + 1)
        # lower-case event mentions: "43rd session", "a separate forum on X and Y"
        spans.extend(self._lowercase_events(doc, toks))
        typed = []
        for span in spans:
            before = doc[span.start - 1] if span.start > 0 else None
            if before is not None and before.text in ("'", "’") and span.start > 1 \
                    and doc[span.start - 2].lower_ + "'" in self.honorifics:
                before = doc[span.start - 2]  # "Dato' Khoo Boon Hock"
            if before is not None and before.lower_ in self.honorifics and before.text[:1].isupper() \
                    and span.label_ == "NAME" and not self._type_head(span):
                typed.append(Span(doc, span.start, span.end, label="Person"))
                continue
            typed.extend([span] if span.label_ == "Place" else self._type(span))
        doc.spans[NAMES_KEY] = _longest_first(typed)
        return doc

    def _starts(self, tok: Token) -> bool:
        if not is_cap(tok):
            return False
        if tok.lower_ in self.honorifics:
            return False  # "Dr. Rashid Mfaume": the name starts after the courtesy title
        if tok.lower_ in self.stop:
            return False
        if _ORDINAL.match(tok.text):
            nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
            return nxt is not None and is_cap(nxt)
        return True

    _VENUE_WORDS = ("centre", "center", "hall", "complex", "hotel", "stadium", "pavilion", "auditorium")
    _VENUE_MODIFIERS = ("exhibition", "convention", "conference", "congress", "cultural", "culture", "sports",
                        "expo", "trade", "arts", "international")

    def _venue_tail(self, doc: Sequence[Token], j: int) -> int | None:
        """End of a lower-case venue noun after a name: "... exhibition centre", "... convention hall"."""
        k = j
        while k < len(doc) and doc[k].lower_ in self._VENUE_MODIFIERS and doc[k].is_lower:
            k += 1
        if k < len(doc) and k > j and doc[k].lower_ in self._VENUE_WORDS and doc[k].is_lower:
            return k + 1
        return None

    def _first_segment_class(self, doc: Sequence[Token], start: int, end: int) -> str | None:
        words = []
        for t in doc[start:end]:
            if t.lower_ in self.segment_breaks and words:
                break
            if t.text not in ("(", ")"):
                words.append(t.lower_)
        return self.heads.classify(words)

    def _heads_on_after(self, doc: Sequence[Token], k: int, authority_spans: set[tuple[int, int]]) -> bool:
        """After "and": a run that ends in a head noun and is no known name itself, so the "and"
        is inside one name ("Bukhara and Khiva Urban Heritage Project")."""
        end = k
        while end < len(doc) and (is_cap(doc[end]) or doc[end].lower_ in self.connectors) \
                and not doc[end].is_sent_start:
            end += 1
        while end > k and doc[end - 1].lower_ in self.connectors:
            end -= 1
        if end - k < 2 or any(a == k and b == end for a, b in authority_spans):
            return False
        words = [t.lower_ for t in doc[k:end] if t.lower_ not in self.connectors]
        cls = self.heads.classify(words)
        return cls in ("Organization", "Project", "Forum", "Expo", "Event", "Publication")

    def _comma_list_in_name(self, doc: Sequence[Token], start: int, j: int) -> bool:
        """", B and C" closing an organization's "of A" ("Ministry of Information, Culture and Tourism")."""
        words = [t.lower_ for t in doc[start:j]]
        if "of" not in words:
            return False
        first = words[: words.index("of")]
        if self.heads.classify(first) != "Organization":
            return False
        k = j + 1
        while k < len(doc) and is_cap(doc[k]):
            k += 1
        if k == j + 1 or k >= len(doc) or doc[k].lower_ not in ("and", "&"):
            return False
        m = k + 1
        while m < len(doc) and is_cap(doc[m]):
            m += 1
        return m > k + 1 and (m >= len(doc) or doc[m].text != ",")

    def _complete(self, doc: Sequence[Token], start: int, end: int, authority_spans: set[tuple[int, int]]) -> bool:
        """True when doc[start:end] already is a whole name (authority entry or typed by head)."""
        for a, b in authority_spans:
            if b == end and a >= start:
                return True
        words = [t.lower_ for t in doc[start:end]]
        if self.heads.classify(words) and not any(w in self.connectors for w in words):
            return True
        return False

    def _lowercase_events(self, doc: Doc, toks: list[Token] | None = None) -> list[Span]:
        found = []
        for tok in doc if toks is None else toks:
            if tok.lower_ not in self.event_heads or tok.text[0].isupper() or tok.lower_ in ("day", "week"):
                continue  # "the third day" is a date, not an event
            prev = doc[tok.i - 1] if tok.i > 0 else None
            if prev is not None and (_ORDINAL.match(prev.text) or prev.lower_ in cues("en")["ordinal_words"]) \
                    and prev.lower_ != "first":
                found.append(Span(doc, prev.i, tok.i + 1, label="NAME"))
                continue
            if tok.lemma_ in ("forum", "conference", "meeting", "workshop", "symposium", "seminar",
                              "dialogue", "summit") \
                    and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children):
                for child in tok.children:
                    if child.dep_ == "prep" and child.lower_ == "on":
                        end = child.right_edge.i + 1
                        if end - tok.i >= 3:
                            found.append(Span(doc, tok.i, end, label="NAME"))
        return found

    def _type(self, span: Span) -> list[Span]:
        """Type a run by its head noun; a run led by a title ("Director of the X") keeps only X."""
        doc = span.doc
        toks = list(span)  # walked up to four times below: made once
        words = []
        for t in toks:
            if t.lower_ in self.segment_breaks and words:
                break
            if t.text in ("(", ")"):
                continue
            words.append(t.lower_)
        start = span.start
        while start < span.end and (doc[start].lower_ in self.stop):
            start += 1
        # ordinal prefix is part of event names ("8th ... Expo") but not of the head
        while words and words[-1].isdigit():
            words.pop()  # "Session 2"
        cls = self.heads.classify([w for w in words if not _ORDINAL.match(w)])
        if len([w for w in words if not _ORDINAL.match(w)]) == 1 and cls in ("Place", "Organization", None):
            tail = [t.lower_ for t in toks if t.text not in ("(", ")") and not t.like_num]
            tail_cls = self.heads.classify(tail) if tail and tail[-1] not in self.connectors else None
            if tail_cls in ("Publication", "Forum", "Expo", "Event", "Project"):
                cls = tail_cls  # "State of Heritage Report", "Festival of Lights Parade"
        colon = [t.i for t in toks if t.text == ":"]
        if colon:
            sub = []
            for t in doc[colon[0] + 1:span.end]:
                if t.lower_ in self.segment_breaks and sub:
                    break
                if t.lower_ not in ("a", "an", "the"):
                    sub.append(t.lower_)
            sub_cls = self.heads.classify(sub)
            if sub_cls == "Publication" or cls is None:
                cls = sub_cls or cls
        if cls is None and not self._title_led(span, toks):
            # "Memory of the World Certificate Ceremony": the head closes the whole name
            tail = [t.lower_ for t in toks if t.text not in ("(", ")") and not t.like_num]
            cls = self.heads.classify(tail) if tail and tail[-1] not in self.connectors else None
        if cls is None:
            # "Secretary-General of the International Institute for ..." -> the part after a connector
            for k in range(span.start + 1, span.end - 1):
                if doc[k].lower_ in ("of", "for", "at") and k > start:
                    rest_start = k + 1
                    while rest_start < span.end and doc[rest_start].lower_ == "the":
                        rest_start += 1
                    if rest_start < span.end:
                        sub = Span(doc, rest_start, span.end, label="NAME")
                        typed = self._type(sub)
                        if typed:
                            return typed
                    break
            return [Span(doc, start, span.end, label="NAME")] if span.end > start else []
        if cls == "Organization":
            parts = self._split_sub_unit(doc, start, span.end)
            if parts:
                return parts
        return [Span(doc, start, span.end, label=cls)]

    def _split_sub_unit(self, doc: Doc, start: int, end: int) -> list[Span] | None:
        """"Department of Heritage of the Ministry of Culture": a unit, then the body it belongs to."""
        for k in range(start + 2, end - 1):
            if doc[k].lower_ != "of" or doc[k + 1].lower_ != "the":
                continue
            rest = k + 2
            if rest < end and self._first_segment_class(doc, rest, end) == "Organization" \
                    and self._first_segment_class(doc, start, k) == "Organization":
                return [Span(doc, start, k, label="Organization"), Span(doc, rest, end, label="Organization")]
        return None


    def _type_head(self, span: Span) -> str | None:
        words = [t.lower_ for t in span if t.text not in ("(", ")")]
        return self.heads.classify(words)

    def _title_led(self, span: Span, toks: list[Token] | None = None) -> bool:
        """Does the run open with a job title ("Director of the ...", "Secretary-General of ...")?
        `toks` are the span's tokens when the caller has them."""
        first = []
        for t in span if toks is None else toks:
            if t.lower_ in self.segment_breaks:
                break
            first.append(t.text)
        return bool(first) and bool(self.titles.fullmatch(" ".join(first).replace(" - ", "-")))


@Language.factory("heritage_names_en")
def make_name_finder(nlp: Language, name: str) -> EnglishNameFinder:
    return EnglishNameFinder(nlp)
