"""English extraction: spaCy model + our components, then sentence rules that read relations.

The reader walks an article in order. Pass 1 finds mentions sentence by sentence and resolves them
to article-local entities (names, acronyms, "the Forum", surnames). Pass 2 applies the relation
rules, each a small function registered in RULES, driven by the cue words of ``cues/en.yml``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, NamedTuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from heritagekg import dates
from heritagekg.model import Article, Entity, Paragraph, Relation, Value, merge_relation
from heritagekg.nlp import cues, resolve_en_model
from heritagekg.nlp import components as comp  # noqa: F401  (registers our factories)
from heritagekg.nlp.components import AUTHORITY_KEY, NAMES_KEY, head_lexicon
from heritagekg.textnorm import norm_name

EVENT_TYPES = ("Event", "Forum", "Expo")
PLACE_TYPES = ("Place", "HeritageSite")
NER_TYPES = {"PERSON": "Person", "GPE": "Place", "LOC": "Place", "FAC": "Place", "ORG": "Organization",
             "LAW": "Publication", "WORK_OF_ART": "Publication", "EVENT": "Event"}
SOURCE_PRIORITY = {"authority": 3, "pattern": 2, "ner": 1}
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&+./-]{1,11}$")
# compiled once: these run for every sentence or name
_QUOTED_TITLE = re.compile(r"[\"“]([A-Z][^\"”]{3,120}?)[\"”]")
# a title (quoted, or capitalised words with a colon) before ", an exhibition ..."
_TITLE_WORD = r"(?:[A-Z0-9][\w'’.-]*|and|or|of|the|on|in|for|a|an|to|at|from|with|by|into|across|along|between|beyond|through|&)"
_APPOSED_TITLE = re.compile(r"(?:^|(?<=\s))([\"“])?(" + r"[A-Z][\w'’.-]*(?:(?:,|:)?\s+" + _TITLE_WORD + r")*)(?(1)[\"”])(?=,)")
_YEAR_IN_NAME = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_WORD = re.compile(r"[a-z0-9]+")
_LEADING_THE = re.compile(r"^(the|The|THE)\s+")
_POSSESSIVE_END = re.compile(r"['’]s$")
_ORDINAL_NUM = re.compile(r"^(\d+)(st|nd|rd|th)$", re.I)


@functools.lru_cache(maxsize=4)
def english_pipeline(model: str | None = None) -> Language:
    """The English pipeline, built once per process: statistical model + our named components."""
    name = resolve_en_model(model)
    nlp = spacy.load(name)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("heritage_sentence_guard", before="parser")
    nlp.add_pipe("heritage_authority", config={"lang": "en"}, last=True)
    nlp.add_pipe("heritage_names_en", last=True)
    return nlp


# --- records of the reader ---------------------------------------------------------------

@dataclass
class Mention:
    key: str
    type: str
    start: int  # token index in doc
    end: int
    text: str
    coref: bool = False


@dataclass
class Sentence:
    """One sentence of the article; its text and tokens are cached, as every rule reads them
    (spaCy rebuilds `Span.text` and a Token object per token on each access)."""

    index: int
    para: int
    span: Span
    mentions: list[Mention] = field(default_factory=list)
    raw: str = ""  # the span's text, exactly `span.text`
    tokens: list[Token] = field(default_factory=list)  # the span's tokens, exactly `list(span)`

    def __post_init__(self) -> None:
        if not self.raw:
            self.raw = self.span.text
        if not self.tokens:
            self.tokens = list(self.span)

    @functools.cached_property
    def text(self) -> str:
        return self.raw.strip()

    @functools.cached_property
    def lemmas(self) -> frozenset[str]:
        """Lower-cased lemmas of the sentence's tokens, for rules to skip sentences cheaply."""
        return frozenset(t.lemma_.lower() for t in self.tokens)

    @functools.cached_property
    def lowers(self) -> frozenset[str]:
        """Lower-cased token texts of the sentence, for rules to skip sentences cheaply."""
        return frozenset(t.lower_ for t in self.tokens)

    def has_lemma(self, words: Iterable[str]) -> bool:
        """Does a token have one of these (lower-case) lemmas? A cheap test before a token walk."""
        return not self.lemmas.isdisjoint(words)

    def of_type(self, *types: str) -> list[Mention]:
        return [m for m in self.mentions if m.type in types]


class DocSpans(NamedTuple):
    """A doc's authority names, typed names and NER entities, listed once per doc (spaCy builds new
    Span objects on every access, and each sentence picks its own from them)."""

    authority: list[Span]
    names: list[Span]
    ents: list[Span]

    @classmethod
    def of(cls, doc: Doc) -> DocSpans:
        return cls(list(doc.spans.get(AUTHORITY_KEY, [])), list(doc.spans.get(NAMES_KEY, [])), list(doc.ents))


RuleFn = Callable[["EnglishReader", Sentence], None]
RULES: dict[str, RuleFn] = {}


def rule(name: str) -> Callable[[RuleFn], RuleFn]:
    """Register a sentence rule by name (the order of registration is the order of application)."""

    def deco(fn: RuleFn) -> RuleFn:
        RULES[name] = fn
        return fn

    return deco


class EnglishReader:
    """Reads one article's English paragraphs into entities and relations."""

    def __init__(self, article: Article, docs: list[tuple[Paragraph, Doc]]) -> None:
        from heritagekg.authority import load_authority

        self.article = article
        self.authority = load_authority()
        self.cue = cues("en")
        self.heads = head_lexicon()
        self.entities: dict[str, Entity] = {}
        self.priority: dict[str, int] = {}
        self.relations: list[Relation] = []
        self.sentences: list[Sentence] = []
        self.by_name: dict[str, str] = {}
        self._edition_base: dict[str, str] = {}  # an event's name without its edition -> its key
        self.order: list[str] = []  # entity keys in order of first mention
        self.year: str | None = (article.published or "")[:4] or None
        self.dateline_date: str | None = article.published if article.published and len(article.published) == 10 \
            else None
        self.dateline: tuple[Sentence, list[Mention]] | None = None
        self.main_event: str | None = None
        self.main_project: str | None = None
        self.title_re = _compiled_titles(tuple(self.cue["titles"]))
        self.generic_event = frozenset(self.cue["generic_event_nouns"])
        self.generic_project = frozenset(self.cue["generic_project_nouns"])
        self._title_heads = frozenset(self.cue["title_event_heads"])
        self._described_heads = frozenset(self.cue["descriptive_event_heads"])
        self._described_preps = frozenset(self.cue["descriptive_event_preps"])
        self._described_stops = frozenset(self.cue["descriptive_event_stops"])
        self._read(docs)

    # --- pass 1: mentions and entities ----------------------------------------------------

    def _read(self, docs: list[tuple[Paragraph, Doc]]) -> None:
        for para, doc in docs:
            text = para.text.strip()
            if not text or text.lower().startswith(tuple(self.cue["boilerplate_prefixes"])):
                continue
            # tokens and text built once (spaCy builds them anew on each access); the text as
            # `Doc.text` joins it
            doc_tokens = list(doc)
            doc_text = "".join(t.text_with_ws for t in doc_tokens)
            if _is_headline(doc, doc_text):
                continue
            spans = DocSpans.of(doc)
            for n, sent in enumerate(doc.sents):
                s = Sentence(len(self.sentences), para.index, sent, raw=doc_text[sent.start_char:sent.end_char],
                             tokens=doc_tokens[sent.start:sent.end])
                self.sentences.append(s)
                if n == 0 and self.dateline is None and s.index < 4:
                    self._dateline(s)  # "BAKU, Azerbaijan, 5 July 2019 – ..." opens the body
                self._mentions(s, spans)
        self._unnamed_main()
        self._pick_main()
        for s in self.sentences:
            self._corefs(s)
        for name, fn in RULES.items():
            for s in self.sentences:
                fn(self, s)
        self._finish()

    def _dateline(self, s: Sentence) -> None:
        m = re.match(r"^\s*([A-Z][^\n–—]{1,80}?)\s*,\s*([^,–—]{3,30}?\d{4})\s*[–—-]\s", s.raw)
        if not m:
            m = re.match(r"^\s*([A-Z][^\n–—]{1,80}?)\s*,\s*([A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})\s*[–—-]\s",
                         s.raw)
        if not m:  # "MANILA, PHILIPPINES (18 November 2024) — ..."
            m = re.match(r"^\s*([A-Z][^\n–—()]{1,80}?)\s*\(([^()]{6,30}?\d{4})\)\s*[–—-]\s", s.raw)
        if not m:
            return
        when = dates.parse_date(m.group(2))
        if when is None:
            return
        self.year = when[:4]
        if len(when) == 10:
            self.dateline_date = when
        places: list[Mention] = []
        offset = s.span.start_char
        for part in re.finditer(r"[^,]+", m.group(1)):
            name = part.group().strip()
            if not name:
                continue
            a = s.span.doc.char_span(offset + part.start() + (len(part.group()) - len(part.group().lstrip())),
                                     offset + part.end() - (len(part.group()) - len(part.group().rstrip())),
                                     alignment_mode="expand")
            if a is None:
                continue
            entry = self.authority.lookup(name)
            label = re.sub(r"\s+(province|region|city|county)$", "", name, flags=re.I)
            if entry is None and not name.isupper() and not name.istitle() and "province" not in name.lower():
                continue
            display = name.title() if name.isupper() else name
            key = self.entity(display, "Place", "authority" if entry else "pattern",
                              authority_id=entry.id if entry else None)
            places.append(Mention(key, "Place", a.start, a.end, display))
            del label
        if places:
            self.dateline = (s, places)
            s.mentions.extend(places)
            for inner, outer in zip(places, places[1:]):
                self.relate(inner.key, "locatedIn", outer.key, s, 0.85, "en:dateline-place")

    def _mentions(self, s: Sentence, spans: DocSpans | None = None) -> None:
        doc = s.span.doc
        spans = spans or DocSpans.of(doc)
        lo, hi = s.span.start, s.span.end
        taken: set[int] = {i for m in s.mentions for i in range(m.start, m.end)}
        authority = [a for a in spans.authority if lo <= a.start and a.end <= hi]
        names = [n for n in spans.names if lo <= n.start and n.end <= hi]
        ents = [e for e in spans.ents if lo <= e.start and e.end <= hi]
        found: list[Mention] = []

        def free(a: int, b: int) -> bool:
            return taken.isdisjoint(range(a, b))

        def claim(m: Mention) -> None:
            found.append(m)
            taken.update(range(m.start, m.end))

        persons = [e for e in ents if e.label_ == "PERSON"]
        # 0. a quoted title, commas and all, naming an event ('the panel, "Living Crafts, Living Heritage",')
        for q in _QUOTED_TITLE.finditer(s.raw):
            span = doc.char_span(s.span.start_char + q.start(1), s.span.start_char + q.end(1),
                                 alignment_mode="contract")
            if span is None or len(span) < 2 or not free(span.start, span.end):
                continue
            cls = self._quoted_event(span)
            if cls:
                text = _clean(span.text)
                key = self.entity(text, cls, "pattern")
                claim(Mention(key, self.entities[key].type, span.start, span.end, text))
        # 1. typed names that contain an authority name as a part ("UNESCO Regional Office for X")
        #    win over it; an authority name that is the whole or the bigger part wins over the name.
        for name in sorted(names, key=lambda x: -(x.end - x.start)):
            inner = [a for a in authority if name.start <= a.start and a.end <= name.end]
            whole = [a for a in authority if a.start <= name.start and name.end <= a.end]
            if whole:
                continue
            if name.label_ == "NAME" and free(name.start, name.end) and (quoted := self._quoted_event(name)):
                text = _clean(name.text)
                key = self.entity(text, quoted, "pattern")
                claim(Mention(key, self.entities[key].type, name.start, name.end, text))
                continue
            if name.label_ == "NAME":
                # "Digital Dunhuang": a name the statistical NER sees whole, holding a known place
                same = [e for e in ents if (e.start, e.end) == (name.start, name.end) or
                        (e.start == name.start - 1 and e.end == name.end and e[0].lower_ == "the")]
                cls = NER_TYPES.get(same[0].label_) if same else None
                if cls in ("Organization", "Publication") and inner and len(name) >= 2 and free(name.start, name.end):
                    text = _clean(name.text)
                    key = self.entity(text, cls, "ner")
                    claim(Mention(key, self.entities[key].type, name.start, name.end, text))
                continue
            if len(name) == 1 and self.heads.classify([name[0].lower_]):
                continue  # "the Forum", "the Committee": a reference, resolved by _corefs
            if inner and len(inner) == 1 and inner[0].end - inner[0].start == name.end - name.start:
                continue
            person = [e for e in persons if e.start == name.start and e.end < name.end
                      and doc[e.end].lower_ in ("of", "from")] if name.label_ == "Organization" else []
            if person and free(name.start, name.end):
                # "Aroon Chaiyaporn of Chiang Mai University": a person, then where they work
                p, rest = person[0], doc[person[0].end + 1:name.end]
                rest = _strip_det(rest) or rest
                for span, cls in ((p, "Person"), (rest, "Organization")):
                    key = self.entity(_clean(span.text), cls, "pattern")
                    claim(Mention(key, self.entities[key].type, span.start, span.end, _clean(span.text)))
                continue
            if free(name.start, name.end):
                text = _clean(name.text)
                key = self.entity(text, name.label_, "pattern", tokens=name)
                claim(Mention(key, self.entities[key].type, name.start, name.end, text))
        for a in authority:
            if any(e.start <= a.start and a.end <= e.end and (e.end - e.start) > (a.end - a.start) for e in persons):
                continue  # "Sofia Marchetti" is a person, not the city
            if free(a.start, a.end):
                entry = self.authority.entries[a.id_]
                key = self.entity(_clean(a.text), entry.type, "authority", authority_id=entry.id)
                claim(Mention(key, self.entities[key].type, a.start, a.end, _clean(a.text)))
        # 2. untyped capitalised runs: titles split off ("UNESCO Deputy Director-General Qu Xing"),
        #    then typed by the statistical NER
        for name in names:
            if name.label_ != "NAME" or not free(name.start, name.end):
                continue
            for m in self._untyped(name, ents):
                if free(m.start, m.end):
                    claim(m)
        for ent in ents:
            cls = NER_TYPES.get(ent.label_)
            if cls not in ("Person", "Place") or not free(ent.start, ent.end):
                continue
            span = _strip_det(ent)
            if span is None or not span.text[:1].isupper():
                continue
            key = self.entity(_clean(span.text), cls, "ner")
            claim(Mention(key, self.entities[key].type, span.start, span.end, _clean(span.text)))
        # acronyms in parentheses after a name: "Project (GRIP)"
        for m in found:
            if m.end + 2 < len(doc) and doc[m.end].text == "(" and doc[m.end + 2].text == ")" \
                    and _ACRONYM.match(doc[m.end + 1].text):
                ent = self.entities[m.key]
                acr = doc[m.end + 1].text
                known = self.authority.lookup(acr)
                if known is None or known.id == ent.authority_id:
                    if acr not in ent.acronyms:
                        ent.acronyms.append(acr)
                    self.by_name[norm_name(acr)] = m.key
                    for other in found:
                        if other.start == m.end + 1 and other.key != m.key:
                            other.key, other.type = m.key, m.type
        # "NAME – MONDIACULT 2022": an all-caps short name in apposition to an event
        for m in found:
            if m.type in EVENT_TYPES and m.end + 1 < hi and doc[m.end].text in ("–", "—"):
                k = m.end + 1
                if doc[k].text.isupper() and len(doc[k].text) > 2:
                    end = k + 2 if k + 1 < hi and re.match(r"^(19|20)\d\d$", doc[k + 1].text) else k + 1
                    short = doc[k:end].text
                    full = doc[m.start:end].text
                    ent = self.entities[m.key]
                    ent.add_name(short, "en")
                    ent.add_name(_clean(full), "en")
                    self.by_name[norm_name(short)] = m.key
                    for other in found:
                        if other.start >= k and other.end <= end:
                            other.key, other.type = m.key, m.type
                    taken.update(range(k, end))
        s.mentions.extend(sorted(found, key=lambda x: x.start))
        s.mentions.sort(key=lambda x: x.start)

    def _untyped(self, name: Span, ents: list[Span]) -> list[Mention]:
        doc = name.doc
        text = name.text
        out: list[Mention] = []
        t = self.title_re.search(text)
        if t:
            after = doc.char_span(name.start_char + t.end(), name.end_char, alignment_mode="contract")
            before = doc.char_span(name.start_char, name.start_char + t.start(), alignment_mode="contract")
            if after is not None and len(after) and after[0].text[:1].isupper() and after[0].lower_ not in (
                    "of", "for", "at"):
                key = self.entity(_clean(after.text), "Person", "pattern")
                out.append(Mention(key, "Person", after.start, after.end, _clean(after.text)))
            if before is not None and len(before):
                b = _strip_det(before)
                if b is not None:
                    entry = self.authority.lookup(_clean(b.text))
                    known = self.by_name.get(norm_name(_clean(b.text))) if entry is None else None
                    if entry:
                        key = self.entity(_clean(b.text), entry.type, "authority", authority_id=entry.id)
                        out.append(Mention(key, entry.type, b.start, b.end, _clean(b.text)))
                    elif known and self.entities[known].type == "Organization":
                        # "SACICT Director Pornthip Sakulkaew": an organization named before
                        out.append(Mention(known, "Organization", b.start, b.end, _clean(b.text)))
            return out
        if self._appositive_person(name):
            key = self.entity(_clean(name.text), "Person", "pattern")
            return [Mention(key, "Person", name.start, name.end, _clean(name.text))]
        prev = doc[name.start - 1] if name.start > 0 else None
        prev2 = doc[name.start - 2] if name.start > 1 else None
        held = set(self.cue["event_held_verbs"])
        quoted = self._quoted_event(name)
        if quoted:
            key = self.entity(_clean(name.text), quoted, "pattern")
            return [Mention(key, self.entities[key].type, name.start, name.end, _clean(name.text))]
        if (prev is not None and prev.lower_ == "at" or (prev is not None and prev.lower_ == "the" and
                                                          prev2 is not None and prev2.lower_ == "at")) \
                and any(t.lemma_.lower() in held for t in name.sent) \
                and not any(e.label_ == "PERSON" and e.start <= name.start < e.end for e in ents):
            key = self.entity(_clean(name.text), "Place", "pattern")  # "held at the Old Dispensary"
            return [Mention(key, self.entities[key].type, name.start, name.end, _clean(name.text))]
        for ent in ents:
            if ent.start <= name.start and name.end <= ent.end or \
                    (name.start <= ent.start and ent.end <= name.end and (ent.end - ent.start) * 2 >= len(name)):
                cls = NER_TYPES.get(ent.label_)
                if cls == "Event":
                    cls = None
                if cls:
                    span = name if name.start <= ent.start and ent.end <= name.end else ent
                    span = _strip_det(span)
                    if span is None:
                        return out
                    key = self.entity(_clean(span.text), cls, "ner")
                    out.append(Mention(key, self.entities[key].type, span.start, span.end, _clean(span.text)))
                return out
        return out

    def _appositive_person(self, name: Span) -> bool:
        """'Heo Min-jae, Administrator of the X, said': a short capitalised name followed by a job title
        in apposition (", Title of/for ORG" or ", ORG's Title") is a person's name."""
        doc = name.doc
        if not 2 <= len(name) <= 4 or name.end + 3 >= len(doc) or doc[name.end].text != ",":
            return False
        if any(not (t.text[:1].isupper() or t.text == "-" or (t.is_lower and t.i > name.start and
                                                            doc[t.i - 1].text == "-")) for t in name):
            return False
        if self.heads.classify([t.lower_ for t in name]) or self.authority.lookup(_clean(name.text)):
            return False
        k = name.end + 1
        if doc[k].lower_ in ("the", "a", "an"):
            return False
        if k + 1 < len(doc) and doc[k + 1].lower_ in ("'s", "’s") and doc[k].text[:1].isupper():
            k += 2  # "UNESCO's Assistant Director-General"
        window = doc[k:min(len(doc), k + 6)]
        t = self.title_re.match(window.text)
        if not t or not window.text[:1].isupper():
            return False
        after = doc.char_span(window.start_char + t.end(), window.end_char, alignment_mode="expand")
        nxt = after[0].lower_ if after is not None and len(after) else ""
        return nxt in ("of", "for", "at", ",", "in")

    def _quoted_event(self, name: Span) -> str | None:
        """A quoted title that is organized, held or opened names an event ("“X: Y” was organized by")."""
        doc = name.doc
        before = doc[name.start - 1].text if name.start > 0 else ""
        after = doc[name.end].text if name.end < len(doc) else ""
        if before not in ('"', "“", "'", "‘") or after not in ('"', "”", "'", "’"):
            return None
        # 'The inaugural exhibition, "X", is sponsored ...' / 'the panel "X"': named by the noun before it
        k = name.start - 2
        if k >= 0 and doc[k].text == ",":
            k -= 1
        if k >= 0:
            noun = doc[k].lower_
            by_noun = {"exhibition": "Expo", "show": "Expo", "fair": "Expo", "festival": "Expo", "expo": "Expo",
                       "panel": "Forum", "session": "Forum", "forum": "Forum", "conference": "Forum",
                       "symposium": "Forum", "workshop": "Forum", "seminar": "Forum", "roundtable": "Forum",
                       "ceremony": "Event", "campaign": "Event", "programme": "Project", "project": "Project",
                       "initiative": "Project"}
            if noun in by_noun:
                return by_noun[noun]
        if name.end + 1 < len(doc):
            noun = doc[name.end + 1].lower_  # 'the "Revive the Spirit" initiative'
            following = {"exhibition": "Expo", "festival": "Expo", "fair": "Expo", "initiative": "Project",
                         "project": "Project", "programme": "Project", "program": "Project", "campaign": "Event",
                         "conference": "Forum", "forum": "Forum", "panel": "Forum", "symposium": "Forum"}
            if noun in following:
                return following[noun]
        verbs = set(self.cue["organizer_verbs"]) | {"hold", "open", "curate", "stage", "present", "run", "tour"}
        head = name.root
        if head.dep_ not in ("nsubj", "nsubjpass") or head.head.lemma_.lower() not in verbs:
            return None
        context = name.sent.text.lower() + " " + " ".join(s.text.lower() for s in self.sentences[-3:])
        for word, cls in (("exhibition", "Expo"), ("festival", "Expo"), ("fair", "Expo"), ("expo", "Expo"),
                          ("conference", "Forum"), ("forum", "Forum"), ("festival", "Expo")):
            if word in context:
                return cls
        return "Event"

    def entity(self, text: str, cls: str, source: str, authority_id: str | None = None,
               tokens: Span | None = None) -> str:
        """Key of the article-local entity for a name, creating or upgrading it."""
        text = _clean(text)
        edition = None
        year = None
        if cls in EVENT_TYPES:
            edition, base = _edition(text, self.cue["ordinal_words"])
            ym = _YEAR_IN_NAME.search(text)
            year = ym.group(1) if ym else None
        if authority_id is None:
            entry = self.authority.lookup(text)
            if entry is not None and (entry.type == cls or source == "ner" or
                                      {entry.type, cls} <= {"Place", "HeritageSite"}):
                authority_id, cls, source = entry.id, entry.type, "authority"
        nkey = f"auth:{authority_id}" if authority_id else norm_name(text)
        key = self.by_name.get(nkey) or self.by_name.get(norm_name(text))
        if key is None and cls in EVENT_TYPES and not authority_id:
            # "Baltic Heritage Festival" (headline) and "the 12th Baltic Heritage Festival": one event,
            # unless both carry different editions
            other = self.by_name.get(norm_name(base)) if edition is not None else self._edition_base.get(nkey)
            if other is not None and self.entities[other].type == cls and \
                    (edition is None or self.entities[other].edition in (None, edition)):
                key = other
                if edition is not None:
                    self.entities[other].edition = edition
                    self._edition_base[norm_name(base)] = other
        if key is None and cls == "Person":
            key = self._surname(text)
        if key is not None and key in self.entities:
            ent = self.entities[key]
            if not (ent.authority_id and text.isupper() and
                    norm_name(text) in {norm_name(n) for n in ent.names.get("en", [])}):
                ent.add_name(text, "en")
            if SOURCE_PRIORITY[source] > self.priority[key] and ent.type != cls:
                ent.type = cls
                self.priority[key] = SOURCE_PRIORITY[source]
            self.by_name.setdefault(norm_name(text), key)
            return key
        key = f"en:{len(self.entities) + 1}"
        ent = Entity(key=key, type=cls, edition=edition, year=year)
        if authority_id:
            entry = self.authority.entries[authority_id]
            # the authority's preferred name leads; a shouted dateline "SIEM REAP" is only a variant
            if entry.preferred("en"):
                ent.add_name(entry.preferred("en"), "en")
            if not (text.isupper() and norm_name(text) in {norm_name(n) for n in entry.names.get("en", ())}):
                ent.add_name(text, "en")
        else:
            ent.add_name(text, "en")
        if authority_id:
            ent.link_authority(self.authority.entries[authority_id])
        self.entities[key] = ent
        self.priority[key] = SOURCE_PRIORITY[source]
        self.order.append(key)
        self.by_name[nkey] = key
        self.by_name.setdefault(norm_name(text), key)
        if edition is not None and not authority_id:
            self._edition_base.setdefault(norm_name(base), key)
        for acr in ent.acronyms:
            self.by_name.setdefault(norm_name(acr), key)
        return key

    def _surname(self, text: str) -> str | None:
        words = text.split()
        for key in self.order:
            ent = self.entities[key]
            if ent.type != "Person":
                continue
            for name in ent.names.get("en", []):
                other = name.split()
                if len(words) == 1 and words[0] == other[-1] and len(other) > 1:
                    return key
                if len(words) > 1 and len(other) == 1 and other[0] == words[-1]:
                    return key
        return None

    def _unnamed_main(self) -> None:
        """An article whose lede (first two paragraphs) names no event: its event is a titled exhibition
        ("opens Ink and Iron: Presses of the Danube, an exhibition ...") or a described one ("completed a
        regional training course on X"), which "the course" then refers to. Lower-case events described
        in passing ("a meeting on X") later in such an article are no events of it."""
        if not self.sentences:
            return
        paras: list[int] = []
        for s in self.sentences:
            if s.para not in paras:
                paras.append(s.para)
                if len(paras) > 2:
                    break
        lede = [s for s in self.sentences if s.para in paras[:2]]
        events = [(s, m) for s in self.sentences for m in s.mentions if m.type in EVENT_TYPES]
        named = [(s, m) for s, m in events if m.text[:1].isupper()]
        if any(s.para in paras[:2] for s, _ in named):
            return
        named_types = {m.type for _, m in named}
        for s in lede:
            if self._titled_event(s) or self._described_event(s, named_types):
                break
        if named:
            return  # an event named later may be the subject: keep the passing descriptions as they are
        for s in self.sentences:
            if s.para in paras[:2]:
                continue
            s.mentions = [m for m in s.mentions if not (m.type in EVENT_TYPES and m.text[:1].islower())]

    def _claim(self, s: Sentence, start: int, end: int, text: str, cls: str) -> str:
        """A new mention over tokens start..end of a sentence, replacing the mentions it overlaps."""
        key = self.entity(text, cls, "pattern")
        s.mentions = [m for m in s.mentions if m.end <= start or m.start >= end]
        s.mentions.append(Mention(key, self.entities[key].type, start, end, text))
        s.mentions.sort(key=lambda x: x.start)
        return key

    def _titled_event(self, s: Sentence) -> str | None:
        heads = self._title_heads
        if heads.isdisjoint(s.lowers):
            return None
        for m in _APPOSED_TITLE.finditer(s.raw):
            quoted = m.group(1) is not None
            title = m.group(2).strip()
            if not quoted and ":" not in title:
                continue
            after = s.raw[m.end():]
            a = re.match(r",\s+(?:an?|the)\s+((?:[\w-]+\s+){0,4}?)([a-z]+)\b", after)
            if not a or a.group(2) not in heads:
                continue
            start = s.span.start_char + m.start(2)
            span = s.span.doc.char_span(start, start + len(title), alignment_mode="contract")
            cls = self.heads.classify([a.group(2)])
            if span is None or cls is None:
                continue
            return self._claim(s, span.start, span.end, _clean(title), cls)
        return None

    def _described_event(self, s: Sentence, named_types: set[str]) -> str | None:
        heads, preps, stops = self._described_heads, self._described_preps, self._described_stops
        if heads.isdisjoint(s.lowers) or not ({"a", "an"} & s.lowers):
            return None
        toks = s.tokens
        n = len(toks)
        for i, tok in enumerate(toks):
            if tok.lower_ not in ("a", "an"):
                continue
            j = i + 1
            while j + 1 < n and j - i <= 6 and not (toks[j].lower_ in heads and toks[j + 1].lower_ in preps) \
                    and (toks[j].text == "-" or toks[j].pos_ in ("ADJ", "NOUN", "PROPN", "NUM", "ADV")
                         or toks[j].tag_ in ("VBN", "VBG")) and toks[j].lower_ not in stops:
                j += 1
            if j + 2 >= n or toks[j].lower_ not in heads or toks[j + 1].lower_ not in preps:
                continue
            cls = self.heads.classify([toks[j].lower_])
            if cls not in EVENT_TYPES or cls in named_types:
                continue
            k = j + 2
            while k < n and k - j <= 16:
                t = toks[k]
                nxt = toks[k + 1] if k + 1 < n else None
                if t.lower_ in stops or t.is_punct and t.text != "-" or t.like_num and t.ent_type_ != "ORDINAL" or \
                        t.ent_type_ in ("DATE", "TIME") or t.pos_ == "AUX" or \
                        t.pos_ == "VERB" and t.tag_ not in ("VBG", "VBN"):
                    break
                if t.lower_ in ("in", "on", "at") and (nxt is None or nxt.text[:1].isupper() or nxt.like_num
                                                       or nxt.ent_type_ in ("DATE", "TIME")):
                    break
                k += 1
            while k > j + 2 and (toks[k - 1].pos_ in ("ADP", "DET", "CCONJ", "PRON", "PART")
                                 or toks[k - 1].text == "-"):
                k -= 1
            if k <= j + 2:
                continue
            start, end = toks[i + 1].i, toks[k - 1].i + 1
            text = _clean(s.span.doc[start:end].text)
            return self._claim(s, start, end, text, cls)
        return None

    def _pick_main(self) -> None:
        """The article's main event / project: the first named in the lede (first two sentences)."""
        for s in self.sentences:
            for m in s.mentions:
                ent = self.entities[m.key]
                if self.main_event is None and ent.type in EVENT_TYPES:
                    self.main_event = m.key
                if self.main_project is None and ent.type == "Project":
                    self.main_project = m.key

    def _corefs(self, s: Sentence) -> None:
        """Definite descriptions and pronouns that refer back to an event or project."""
        doc = s.span.doc
        taken = {i for m in s.mentions for i in range(m.start, m.end)}
        generic_event = self.generic_event
        generic_project = self.generic_project
        for tok in s.tokens:
            low = tok.lower_
            generic = low in generic_event or low in generic_project
            if not generic and low != "its" and low != "it":
                continue  # only a generic noun, "it" or "its" refers back: skip the rest cheaply
            if tok.i in taken:
                continue
            prev = doc[tok.i - 1].lower_ if tok.i > s.span.start else ""
            key = None
            # "the/this conference", or a noun whose determiner is "the/this" ("the annual forum")
            if generic and (prev in ("the", "this") or tok.pos_ == "NOUN" and any(
                    c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children)):
                if tok.dep_ == "compound":
                    continue  # "the conference coordinator" is a person, not the conference
                nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
                if nxt is not None and nxt.lower_ in ("of", "on") and nxt.i < s.span.end - 1 \
                        and doc[nxt.i + 1].text[:1].isupper():
                    continue
                key = self._same_head(low, generic_project if low in generic_project else generic_event, s.index)
            elif prev in ("a", "an") and low in generic_event and s.index < 3 and self.main_event and \
                    low in norm_words(" ".join(self._generic_nouns_of(self.main_event))):
                key = self.main_event  # the lede's "An exhibition devoted to ..." before its title is given
            elif low == "its" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in ("opening", "closing") \
                    and self.main_event:
                key = self.main_event
            elif low == "its" and tok.i == s.span.start and s.index:
                prev_s = self.sentences[s.index - 1]
                events = [m for m in prev_s.mentions if m.type in EVENT_TYPES]
                if prev_s.para == s.para and events:
                    key = events[0].key  # "A symposium was held ... Its 15 panels examined ..."
            elif low == "it" and tok.i == s.span.start and self.main_event:
                prev_s = self.sentences[s.index - 1] if s.index else None
                if prev_s and prev_s.para == s.para and any(m.key == self.main_event for m in prev_s.mentions):
                    key = self.main_event
            if key:
                s.mentions.append(Mention(key, self.entities[key].type, tok.i, tok.i + 1, tok.text, coref=True))
        s.mentions.sort(key=lambda x: x.start)

    def _generic_nouns_of(self, key: str) -> list[str]:
        """Common nouns that can stand for an entity: its head words and its class's usual names."""
        ent = self.entities[key]
        by_class = {"Expo": ["exhibition", "expo", "fair", "festival", "show"],
                    "Forum": ["forum", "conference", "meeting", "summit", "session", "symposium", "workshop"],
                    "Event": ["event", "ceremony"]}
        return norm_words(ent.label) + by_class.get(ent.type, [])

    def _same_head(self, noun: str, generic: frozenset[str], at: int) -> str | None:
        want_project = noun in self.cue["generic_project_nouns"]
        same = []
        for key in self.order:
            ent = self.entities[key]
            if want_project != (ent.type == "Project"):
                continue
            if not want_project and ent.type not in EVENT_TYPES:
                continue
            words = norm_words(ent.label)
            if noun in words or (noun + "s") in words:
                same.append(key)
        if same:
            # "the forum" after several named forums is the one named last; "the project" of a
            # project story is the project the story is about (the first named)
            if want_project or len(same) == 1:
                return same[0]
            return self._recent(same, at) or (self.main_event if self.main_event in same else same[0])
        return self.main_project if want_project else self.main_event

    def _recent(self, keys: list[str], at: int) -> str | None:
        """The candidate named last before `at` in the same paragraph, if any."""
        para = self.sentences[at].para
        for s in reversed(self.sentences[: at + 1]):
            if s.para != para:
                break
            for m in reversed(s.mentions):
                if m.key in keys and not m.coref:
                    return m.key
        return None

    # --- output -------------------------------------------------------------------------------

    def relate(self, subj: str, pred: str, obj: str | Value, s: Sentence | None, conf: float,
               extractor: str) -> None:
        if isinstance(obj, str) and obj == subj:
            return
        merge_relation(self.relations, Relation(subj, pred, obj, s.text if s else None, "en", round(conf, 2),
                                                extractor))

    def has(self, subj: str, pred: str) -> bool:
        return any(r.subject == subj and r.predicate == pred for r in self.relations)

    def _finish(self) -> None:
        self._drop_orphans()
        self._one_value_each()
        # the dateline's place is where the article's main event happens
        if self.dateline and self.main_event and not self.has(self.main_event, "location"):
            s, places = self.dateline
            self.relate(self.main_event, "location", places[0].key, s, 0.7, "en:dateline-event")
        # sessions of a conference, sub-forums of an expo: undated, organiser-less events are parts
        # of the main event
        if self.main_event:
            main = self.entities[self.main_event]
            for key in self.order:
                ent = self.entities[key]
                if key == self.main_event or ent.type not in EVENT_TYPES:
                    continue
                if self.has(key, "partOf") or self.has(key, "organizer"):
                    continue
                if self.has(key, "startDate") and not (main.type == "Expo" and ent.type == "Forum" and
                                                       self._within_dates(key, self.main_event)):
                    continue
                words = norm_words(ent.label)
                is_session = any(w in ("session", "panel", "plenary", "roundtable", "workshop") for w in words)
                if (main.type == "Expo" and ent.type == "Forum") or (is_session and ent.edition is None):
                    s = self._first_sentence(key)
                    self.relate(key, "partOf", self.main_event, s, 0.6, "en:sub-event")

    def _within_dates(self, key: str, outer: str) -> bool:
        """Does `key` start (and end) on full dates inside `outer`'s start..end dates?"""
        def value(k: str, pred: str) -> str | None:
            vals = [r.object.value for r in self.relations if r.subject == k and r.predicate == pred
                    and isinstance(r.object, Value) and r.object.kind == "date"]
            return vals[0] if vals else None
        start, o_start, o_end = value(key, "startDate"), value(outer, "startDate"), value(outer, "endDate")
        if not (start and o_start and o_end):
            return False
        end = value(key, "endDate") or start
        return o_start <= start <= end <= o_end

    FUNCTIONAL = ("startDate", "endDate", "sessionCount", "speakerCount", "participantCount", "fundingAmount")

    def _one_value_each(self) -> None:
        """An event has one start date and one count of each kind: keep the most confident reading."""
        best: dict[tuple[str, str], Relation] = {}
        for rel in self.relations:
            if rel.predicate in self.FUNCTIONAL:
                key = (rel.subject, rel.predicate)
                if key not in best or rel.confidence > best[key].confidence:
                    best[key] = rel
        self.relations = [r for r in self.relations if r.predicate not in self.FUNCTIONAL
                          or best[(r.subject, r.predicate)] is r]

    def _drop_orphans(self) -> None:
        """Entities whose every mention a later rule re-read as part of a longer name."""
        used = {m.key for s in self.sentences for m in s.mentions}
        used |= {r.subject for r in self.relations}
        used |= {r.object for r in self.relations if isinstance(r.object, str)}
        for key in [k for k in self.entities if k not in used]:
            del self.entities[key]
            self.order.remove(key)

    def _first_sentence(self, key: str) -> Sentence | None:
        for s in self.sentences:
            if any(m.key == key and not m.coref for m in s.mentions):
                return s
        return None

    # --- helpers for rules ----------------------------------------------------------------------

    def event_in(self, s: Sentence, before: int | None = None, after: int | None = None) -> str | None:
        """The event a clause is about: nearest event mention before `before`, else first after."""
        events = s.of_type(*EVENT_TYPES)
        if before is not None:
            prior = [m for m in events if m.end <= before]
            if prior:
                return prior[-1].key
        if after is not None:
            later = [m for m in events if m.start >= after]
            if later:
                return later[0].key
        if events:
            return events[0].key
        return None

    def context_event(self, s: Sentence) -> str | None:
        """The event a sentence talks about: one it names, else the one the sentence before (same
        paragraph) named, else the article's main event."""
        events = sorted((m for m in s.mentions if m.type in EVENT_TYPES), key=lambda m: (m.coref, m.start))
        if events:
            return events[0].key  # a name the sentence gives beats a reference ("the fair's panel, "X"")
        if s.index:
            prev = self.sentences[s.index - 1]
            prev_events = [m for m in prev.mentions if m.type in EVENT_TYPES]
            if prev.para == s.para and prev_events:
                return prev_events[0].key
        return self.main_event

    def authority_places_in(self, text: str) -> list[tuple[str, str, str]]:
        """Authority places a name ends with ("... Sites of Burkina Faso" -> Burkina Faso)."""
        m = re.search(r"\b(?:of|in)\s+(?:the\s+)?(.+)$", text)
        if not m:
            return []
        entry = self.authority.lookup(m.group(1))
        if entry is None or entry.type not in PLACE_TYPES:
            return []
        return [(m.group(1), entry.type, entry.id)]


def _phrase_regex(phrases: Iterable[str]) -> re.Pattern[str]:
    """One case-insensitive, word-bounded alternation of the phrases (compiled once per list)."""
    return _compiled_phrases(tuple(phrases))


@functools.lru_cache(maxsize=256)
def _compiled_titles(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Job titles, one or several in a row ("Chief Minister", "Deputy Prime Minister")."""
    alts = "|".join(re.escape(a) for a in sorted({p.strip() for p in phrases}, key=len, reverse=True))
    return re.compile(r"(?<![\w-])((?:" + alts + r")(?:[\s-]+(?:" + alts + r"))*)(?![\w-])", re.I)


@functools.lru_cache(maxsize=256)
def _compiled_phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alts = sorted({p.strip() for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(a) for a in alts) + r")(?![\w-])", re.I)


def norm_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


_HONORIFIC = re.compile(r"^(Dr|Prof|Professor|Mr|Mrs|Ms|Mme|H\.E|Rev|Ven)\.?\s+(?=[A-Z])")


def _clean(text: str) -> str:
    text = " ".join(text.split())
    text = _LEADING_THE.sub("", text)
    text = _HONORIFIC.sub("", text)
    text = _POSSESSIVE_END.sub("", text)
    return text.strip(" ,;:")


def _strip_det(span: Span) -> Span | None:
    start = span.start
    while start < span.end and span.doc[start].lower_ in ("the", "a", "an", "'s", "’s"):
        start += 1
    end = span.end
    while end > start and span.doc[end - 1].lower_ in ("'s", "’s", "'", "’"):
        end -= 1
    return span.doc[start:end] if end > start else None


def _edition(text: str, ordinal_words: dict[str, int]) -> tuple[int | None, str]:
    first, _, rest = text.partition(" ")
    m = _ORDINAL_NUM.match(first)
    if m:
        return int(m.group(1)), rest
    if first.lower() in ordinal_words:
        return ordinal_words[first.lower()], rest
    return None, text


def _is_headline(doc: Doc, text: str | None = None) -> bool:
    """Title-case headlines ("Knowledge Exchange at Dunhuang Forum Underscores ...") hide names.

    `text` is `doc.text` when the caller has it; the end-punctuation test runs first, as it rules
    out nearly every paragraph without walking the tokens."""
    if (doc.text if text is None else text).rstrip().endswith((".", "?", "!", "。")):
        return False
    words = [t for t in doc if t.is_alpha and len(t.text) > 3]
    if len(words) < 5 or len(words) > 25:
        return False
    caps = sum(1 for t in words if t.text[0].isupper())
    return caps / len(words) > 0.7


def extract_en(article: Article, paragraphs: list[Paragraph], model: str | None = None
               ) -> tuple[dict[str, Entity], list[Relation]]:
    """Entities and relations of the English paragraphs of one article."""
    if not paragraphs:
        return {}, []
    nlp = english_pipeline(model)
    docs = list(zip(paragraphs, nlp.pipe([p.text for p in paragraphs])))
    reader = EnglishReader(article, docs)
    return reader.entities, reader.relations


from heritagekg.nlp import en_rules  # noqa: E402,F401  (registers the sentence rules)
