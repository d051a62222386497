"""Chinese reader: a spaCy `zh` pipeline (jieba segmenter) plus our components, driven by data.

The pipeline runs paragraph by paragraph over one article, sharing an `ArticleState` through
`doc.user_data`, because Chinese news leans on context: 9月22日 takes its year from an earlier
date, 该论坛 and 本届文博会 point back to the event last named, and 大会由…合作举办 leaves
its subject to the previous sentence.

Components (registered by name, configured with the names of their data files):
- ``heritage_zh_words``: jieba part-of-speech words with character offsets (nr person, ns place,
  nt organization), kept in ``doc._.zh_words``.
- ``heritage_zh_mentions``: dates, counts, 《titles》, quoted names, 第N届 editions, names ending
  in a head word (cues/zh_lexicon.yml), authority names, job title + person, topics, references
  back (本届X, 该论坛); the top-level mentions are in ``doc._.zh_mentions``.
- ``heritage_zh_resolve``: each mention -> an article-wide Entity (keys ``zh:…``).
- ``heritage_zh_relations``: the regular expressions of patterns/zh_relations.jsonl, run over
  each sentence with its mentions replaced by typed placeholders (``⟦O3⟧`` an organization).
"""
from __future__ import annotations

import bisect
import functools
import json
import logging
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

import jieba
import jieba.posseg
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from heritagekg.authority import load_authority
from heritagekg.dates import DateMatch, find_dates
from heritagekg.errors import ExtractionError
from heritagekg.model import Article, Entity, Paragraph, Relation, Value, merge_relation
from heritagekg.nlp import PATTERNS_DIR, cues
from heritagekg.numerals import Quantity, find_quantities
from heritagekg.textnorm import norm_name

jieba.setLogLevel(logging.WARNING)

STATE_KEY = "hkg_zh_state"
PARAGRAPH_KEY = "hkg_zh_paragraph"

#: placeholder letter of each mention kind in the masked sentence the patterns read
CODES = {"Forum": "F", "Expo": "X", "Event": "E", "Organization": "O", "Person": "P",
         "Place": "L", "HeritageSite": "H", "Project": "J", "Publication": "B", "Topic": "T",
         "date": "D", "count": "N", "job": "Q", "role": "R"}
EVENT_TYPES = ("Event", "Forum", "Expo")
ENTITY_KINDS = tuple(k for k in CODES if k[0].isupper())

#: what a contract property may link (subject types, object types); None = a literal
DOMAIN_RANGE: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    "organizer": (EVENT_TYPES, ("Organization", "Person")),
    "partOf": (EVENT_TYPES + ("Project",), EVENT_TYPES + ("Project",)),
    "location": (EVENT_TYPES + ("Project", "Organization"), ("Place", "HeritageSite")),
    "locatedIn": (("Place", "HeritageSite"), ("Place", "HeritageSite")),
    "participant": (EVENT_TYPES, ("Person", "Organization")),
    "speaker": (EVENT_TYPES, ("Person",)),
    "affiliation": (("Person",), ("Organization",)),
    "releasedAt": (("Publication",), EVENT_TYPES),
    "outputOf": (("Publication",), ("Project",)),
    "funder": (("Project",) + EVENT_TYPES, ("Organization",)),
    "implementedBy": (("Project",), ("Organization",)),
    "publisher": (("Publication",), ("Organization",)),
    "about": (EVENT_TYPES + ("Project", "Publication"), ("Topic", "Place", "HeritageSite")),
    "parentOrganization": (("Organization",), ("Organization",)),
    "startDate": (EVENT_TYPES + ("Project",), None),
    "endDate": (EVENT_TYPES + ("Project",), None),
    "jobTitle": (("Person",), None),
    "sessionCount": (EVENT_TYPES, None),
    "speakerCount": (EVENT_TYPES, None),
    "participantCount": (EVENT_TYPES, None),
    "fundingAmount": (("Project",), None),
    "currency": (("Project",), None),
}

# full-width ASCII forms -> ASCII, one character for one, so offsets stay valid
_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALF[0x3000] = 0x20
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_CJK = re.compile(r"[\u3400-\u9fff]")


# --- records -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Word:
    """One jieba word with its part-of-speech flag and character span in the paragraph."""

    start: int
    end: int
    text: str
    flag: str


@dataclass
class Mention:
    """A span of a paragraph that names something, states a value, or refers back.

    `kind` is a contract class, or "date"/"count"/"job"/"role" for values. `names` are the
    names it gives (preferred first); `key` is the entity it names once resolved.
    """

    start: int
    end: int
    kind: str
    source: str
    names: tuple[str, ...] = ()
    authority_id: str | None = None
    edition: int | None = None
    acronym: str | None = None
    anaphor: bool = False
    inner_only: bool = False  # may only be found nested inside a longer name
    year: str | None = None  # of an event named with its year
    whole: str | None = None  # the name of what this is a phase of (X工程(三期) of X工程)
    venue: bool = False  # a named building or ground (会展中心): masked ⟦V…⟧, not ⟦L…⟧
    value: Any = None
    key: str | None = None
    nested: list["Mention"] = field(default_factory=list)

    @property
    def is_entity(self) -> bool:
        return self.kind in ENTITY_KINDS


@dataclass
class Sentence:
    """A sentence of a paragraph: its span (credit lines cut off) and its top-level mentions."""

    para: int
    start: int
    end: int
    text: str
    mentions: list[Mention]


# --- data files ------------------------------------------------------------------------------

class Lexicon:
    """Cue words of cues/zh_lexicon.yml, surnames, topics and authority names, indexed."""

    def __init__(self, lexicon: str = "zh_lexicon", surnames: str = "zh_surnames",
                 topics: str = "topics") -> None:
        data = cues(lexicon)
        heads: dict[str, str] = {}
        # later lists win ties, so the more specific class (venue over organization) goes last
        for suffix in data["organization_suffixes"]:
            heads[suffix] = "Organization"
        for suffix in data["project_suffixes"]:
            heads[suffix] = "Project"
        for cls, suffixes in data["event_suffixes"].items():
            for suffix in suffixes:
                heads[suffix] = cls
        for suffix in data["heritage_site_suffixes"]:
            heads[suffix] = "HeritageSite"
        for suffix in data["venue_suffixes"]:
            heads[suffix] = "Place"
        self.venue_heads = set(data["venue_suffixes"])
        self.heads = heads
        self.heads_longest = sorted(heads, key=len, reverse=True)
        self.short_min = int(data["short_suffix_min_length"])
        self.place_suffixes = sorted(data["place_suffixes"], key=len, reverse=True)
        self.false_heads = set(data["false_heads"])
        self.generic = set(data["generic_modifiers"])
        self.determiners = sorted(data["anaphor_determiners"], key=len, reverse=True)
        self.openers = set(data["anaphor_openers"])
        self.anaphor_heads = set(data["anaphor_heads"])
        self.titles = sorted(data["job_titles"], key=len, reverse=True)
        self.not_job = set(data["not_job_titles"])
        self.title_marks = [tuple(p) for p in data["title_marks"]]
        self.quote_marks = [tuple(p) for p in data["quote_marks"]]
        self.quote_heads = sorted(data["quote_heads"], key=len, reverse=True)
        self.abbreviation_markers = sorted(data["abbreviation_markers"], key=len, reverse=True)
        self.credit_markers = list(data["credit_markers"])
        self.name_tags = set(data["name_tags"])
        self.name_stops = set(data["name_stop_words"])
        self.joining = set(data["joining_words"])
        self.joining_heads = set(data["joining_heads"])
        self.not_places = set(data["not_places"])
        self.not_persons = set(data["not_persons"])
        self.person_max_freq = int(data["person_max_dict_freq"])
        self.count_classifiers = list(data["count_classifiers"])
        self.date_end_words = sorted(data["date_end_words"], key=len, reverse=True)
        self.context_part_of = data["context_part_of"] or {}
        self.dateline_ends = list(data["dateline_ends"])
        self.edition_stops = sorted(data["edition_stops"], key=len, reverse=True)
        self.transliteration = set(str(data["transliteration"]))
        self.name_verbs = set(data["name_verbs"])
        self.words = list(data["words"])
        self.first_edition = list(data["first_edition"])
        self.ceremony_tails = sorted(data["ceremony_tails"], key=len, reverse=True)
        self.currencies: dict[str, str] = dict(data["currencies"])
        self.government_suffixes = list(data["government_suffixes"])
        self.ceremony_words = list(data["ceremony_words"])
        self.frame_verbs = set(data["frame_verbs"])
        self.county_suffixes = list(data["county_suffixes"])
        self.not_person_tails = list(data["not_person_tails"])
        self.site_listing_cues = list(data["site_listing_cues"])
        self.session_heads = list(data["session_heads"])
        self.publication_anaphors = set(data["publication_anaphors"])
        self.locatives = set(str(data["locatives"]))
        self.name_variants = [tuple(pair) for pair in data["name_variants"]]
        self.site_name_stops = set(str(data["site_name_stops"]))
        self.name_tail_prepositions = set(str(data["name_tail_prepositions"]))
        names = cues(surnames)
        self.surnames = set(names["single"])
        self.compound_surnames = set(names["compound"])
        self.topics: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for entry in cues(topics):
            zh = tuple(entry.get("zh") or ())
            en = tuple(entry.get("en") or ())
            for surface in zh:
                self.topics[surface] = (zh, en)
        self.topic_forms = sorted(self.topics, key=len, reverse=True)
        self.authority = load_authority()
        forms: dict[str, set[str]] = {}
        for surface, entry_id in self.authority.surface_forms("zh"):
            if len(surface) >= 2:
                forms.setdefault(surface, set()).add(entry_id)
        # a surface shared by two entries names neither for sure: left to the other rules
        self.authority_forms = {s: next(iter(ids)) for s, ids in forms.items() if len(ids) == 1}
        self.authority_longest = sorted(self.authority_forms, key=len, reverse=True)

    def head_of(self, text: str) -> str | None:
        """The longest head word `text` ends with, unless its last word is a common noun
        (发展 ends in 展 but is no exhibition)."""
        for suffix in self.heads_longest:
            if text.endswith(suffix):
                if any(text.endswith(f) and len(f) > len(suffix) for f in self.false_heads):
                    return None
                return suffix
        return None

    def is_surname_start(self, name: str) -> bool:
        return name[:1] in self.surnames or name[:2] in self.compound_surnames


@dataclass(frozen=True)
class RelationPattern:
    """One line of patterns/zh_relations.jsonl, its regex compiled with the placeholder macros."""

    id: str
    predicate: str
    regex: re.Pattern[str]
    subject: str
    object: str
    confidence: float
    scope: str = "sentence"
    container: tuple[str, ...] = ()
    value: str | None = None
    create: str | None = None
    exclusive: bool = False
    object_types: tuple[str, ...] = ()
    via: str | None = None  # "government": the object place stands for its government body
    titles: tuple[str, ...] = ()  # the job title of group "t" must be one of these
    named: bool = False  # the subject must be named here, not pointed back to (此次大会)
    ceremony: bool = False  # only in the sentences about an opening ceremony (开幕式上,…)


def _ph(codes: str) -> str:
    return f"⟦[{codes}]\\d+⟧"


MACROS = {"EVT": _ph("FXE"), "FORUM": _ph("F"), "EXPO": _ph("X"), "ORG": _ph("O"),
          "PER": _ph("P"), "AGENT": _ph("OP"), "PLACE": _ph("LHV"), "PROJ": _ph("J"),
          "PUB": _ph("B"), "TOPIC": _ph("T"), "DATE": _ph("D"), "NUM": _ph("N"),
          "JOB": _ph("Q"), "TITLE": _ph("QR"), "GAP": "[^⟦⟧,，。;；:：!?！？]",
          "SEP": "(?:、|以及|和|与|及|同|暨)",
          "BESIDE": "(?:之滨|之畔|之侧|河畔|湖畔|江畔|附近|一带)"}  # 位于P湖畔的X: where beside P
MACROS["AGENTS"] = f"{MACROS['AGENT']}(?:{MACROS['SEP']}{MACROS['AGENT']})*"
MACROS["PUBS"] = f"{MACROS['PUB']}(?:{MACROS['SEP']}?{MACROS['PUB']})*"
MACROS["TOPICS"] = f"{MACROS['TOPIC']}(?:{MACROS['SEP']}{MACROS['TOPIC']})*"
# 甲局局长A、乙部副部长B: a list of persons, each maybe after its body and title
MACROS["PERS"] = (f"{MACROS['PER']}(?:(?:、|和|与|及)(?:(?:{MACROS['ORG']}|{MACROS['PLACE']})(?:的|驻)?)*"
                  f"(?:{MACROS['TITLE']})*{MACROS['PER']})*")


def _expand(regex: str) -> str:
    return re.sub(r"\{([A-Z]+)\}", lambda m: MACROS[m.group(1)], regex)


@functools.lru_cache(maxsize=None)
def load_patterns(name: str = "zh_relations") -> tuple[RelationPattern, ...]:
    """The relation patterns of `patterns/<name>.jsonl`, in file order (order settles counts)."""
    path = PATTERNS_DIR / f"{name}.jsonl"
    patterns: list[RelationPattern] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                patterns.append(RelationPattern(
                    id=row["id"], predicate=row["predicate"], regex=re.compile(_expand(row["regex"])),
                    subject=row.get("subject", "s"), object=row.get("object", "o"),
                    confidence=float(row.get("confidence", 0.7)), scope=row.get("scope", "sentence"),
                    container=tuple(row.get("container", ())), value=row.get("value"),
                    create=row.get("create"), exclusive=bool(row.get("exclusive", False)),
                    object_types=tuple(row.get("object_types", ())), via=row.get("via"),
                    titles=tuple(row.get("titles", ())), named=bool(row.get("named", False)),
                    ceremony=bool(row.get("ceremony", False))))
            except (KeyError, ValueError, re.error) as exc:
                raise ExtractionError(f"{path}:{lineno}: bad pattern: {exc}") from None
    return tuple(patterns)


# --- spaCy components ------------------------------------------------------------------------

for _attr in ("zh_words", "zh_mentions", "zh_sentences"):
    if not Doc.has_extension(_attr):
        Doc.set_extension(_attr, default=None)


class WordTagger:
    """jieba.posseg words with offsets; spaCy tokens that coincide get the tag too."""

    def __call__(self, doc: Doc) -> Doc:
        words = pos_words(doc.text)
        doc._.zh_words = words
        by_span = {(w.start, w.end): w.flag for w in words}
        for token in doc:
            flag = by_span.get((token.idx, token.idx + len(token.text)))
            if flag:
                token.tag_ = flag
        return doc


@Language.factory("heritage_zh_words")
def make_word_tagger(nlp: Language, name: str) -> WordTagger:
    return WordTagger()


class MentionFinder:
    """Finds the mentions of one paragraph (see module doc); needs the article state."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon

    def __call__(self, doc: Doc) -> Doc:
        state: ArticleState | None = doc.user_data.get(STATE_KEY)
        known = state.surfaces if state is not None else {}
        mentions, skips = find_mentions(doc.text, doc._.zh_words or pos_words(doc.text), self.lex, known)
        doc._.zh_mentions = mentions
        doc._.zh_sentences = split_sentences(doc.text, mentions, skips, self.lex,
                                             doc.user_data.get(PARAGRAPH_KEY, 0))
        return doc


@Language.factory("heritage_zh_mentions",
                  default_config={"lexicon": "zh_lexicon", "surnames": "zh_surnames", "topics": "topics"})
def make_mention_finder(nlp: Language, name: str, lexicon: str, surnames: str, topics: str) -> MentionFinder:
    return MentionFinder(_lexicon(lexicon, surnames, topics))


class Resolver:
    """Mentions -> entities of the article state, in reading order."""

    def __call__(self, doc: Doc) -> Doc:
        state: ArticleState = doc.user_data[STATE_KEY]
        for sentence in doc._.zh_sentences:
            state.read_dates(sentence)
            for mention in sentence.mentions:
                state.resolve(mention, (sentence.para, mention.start))
                for inner in mention.nested:
                    state.resolve(inner, (sentence.para, inner.start), nested=True)
        return doc


@Language.factory("heritage_zh_resolve")
def make_resolver(nlp: Language, name: str) -> Resolver:
    return Resolver()


class RelationReader:
    """Runs the relation patterns over each sentence (and inside names), adding to the state."""

    def __init__(self, patterns: tuple[RelationPattern, ...]) -> None:
        self.patterns = patterns

    def __call__(self, doc: Doc) -> Doc:
        state: ArticleState = doc.user_data[STATE_KEY]
        for sentence in doc._.zh_sentences:
            state.read_relations(sentence, self.patterns)
        return doc


@Language.factory("heritage_zh_relations", default_config={"patterns": "zh_relations"})
def make_relation_reader(nlp: Language, name: str, patterns: str) -> RelationReader:
    return RelationReader(load_patterns(patterns))


@functools.lru_cache(maxsize=None)
def _lexicon(lexicon: str = "zh_lexicon", surnames: str = "zh_surnames", topics: str = "topics") -> Lexicon:
    """The cue files, read once per process; jieba learns their words on first use."""
    try:
        lex = Lexicon(lexicon, surnames, topics)
    except (KeyError, TypeError, ValueError) as exc:
        raise ExtractionError(f"nlp/cues/{lexicon}.yml (or {surnames}.yml, {topics}.yml): "
                              f"missing or malformed entry {exc}") from None
    _teach_jieba(lex)
    return lex


def _teach_jieba(lex: Lexicon) -> None:
    """Authority names and job titles segment whole, so a name is never split inside a word."""
    for surface, entry_id in lex.authority_forms.items():
        if _CJK.search(surface):
            kind = lex.authority.entries[entry_id].type
            jieba.add_word(surface, tag="nt" if kind == "Organization" else "ns")
    for title in lex.titles:
        jieba.add_word(title, tag="n")
    for word in lex.words:
        jieba.add_word(word, tag="n")
    for head, kind in lex.heads.items():  # 工作会 is one word, never 工作/会
        if kind in EVENT_TYPES and len(head) >= 3 and not jieba.dt.FREQ.get(head):
            jieba.add_word(head, tag="n")


@functools.lru_cache(maxsize=1)
def chinese_pipeline() -> Language:
    """spaCy blank zh with the jieba segmenter and our components (built once per process)."""
    try:
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    except Exception as exc:  # spaCy reports a missing jieba as a plain ImportError/ValueError
        raise ExtractionError(f"cannot build the Chinese pipeline: {exc}") from None
    nlp.add_pipe("heritage_zh_words")
    nlp.add_pipe("heritage_zh_mentions")
    nlp.add_pipe("heritage_zh_resolve")
    nlp.add_pipe("heritage_zh_relations")
    return nlp


def extract_zh(article: Article, paragraphs: list[Paragraph]) -> tuple[dict[str, Entity], list[Relation]]:
    """Entities (keys "zh:…") and relations of the Chinese paragraphs of one article."""
    nlp = chinese_pipeline()
    lex = _lexicon()
    state = ArticleState(article, lex, [p.text for p in paragraphs])
    for paragraph in paragraphs:
        if not paragraph.text.strip():
            continue
        doc = nlp.make_doc(paragraph.text)
        doc.user_data[STATE_KEY] = state
        doc.user_data[PARAGRAPH_KEY] = paragraph.index
        for _, component in nlp.pipeline:
            doc = component(doc)
    state.finish()
    return state.entities, state.relations


# --- words and sentences ----------------------------------------------------------------------

def pos_words(text: str) -> list[Word]:
    """jieba.posseg words of text with their character offsets."""
    words: list[Word] = []
    pos = 0
    for pair in jieba.posseg.cut(text):
        word, flag = pair.word, pair.flag
        start = text.find(word, pos)
        if start < 0:
            continue
        words.append(Word(start, start + len(word), word, flag))
        pos = start + len(word)
    return words


def half_width(text: str) -> str:
    """Full-width ASCII forms as ASCII, same length, so regexes need one spelling."""
    return text.translate(_HALF)


def split_sentences(text: str, mentions: list[Mention], skips: list[tuple[int, int]],
                    lex: Lexicon, para: int) -> list[Sentence]:
    """Sentences end at 。！？；and newlines; a photo credit (© …) ends the sentence's text.
    The asides in `skips` become "skip" mentions, which the masked text leaves out."""
    sentences: list[Sentence] = []
    start = 0
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    dateline = "(?:" + "|".join(map(re.escape, lex.dateline_ends)) + ")"
    ends += [m.end() for m in re.finditer(dateline + r"(?=\s)", text)]
    # 新华社北京5月20日电(记者 某某)正文: the reporter's credit closes the dateline too
    ends += [m.end() for m in re.finditer(dateline + r"[(（][^()（）\n]{0,30}[)）]", text)]
    ends = sorted(set(ends)) + [len(text)]
    for end in ends:
        if end <= start:
            continue
        raw_end = end
        chunk = text[start:end]
        cut = min((chunk.find(c) for c in lex.credit_markers if c in chunk), default=-1)
        if cut >= 0:
            end = start + cut
        lead = len(chunk) - len(chunk.lstrip())
        s, e = start + lead, end
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            inside = [m for m in mentions if m.start >= s and m.end <= e]
            # asides ((ICOMOS), (以下简称…)) are left out of the masked text the patterns read
            inside += [Mention(a, b, "skip", "skip") for a, b in skips if s <= a and b <= e
                       and not any(m.start < b and a < m.end for m in inside)]
            inside.sort(key=lambda m: m.start)
            sentences.append(Sentence(para, s, e, text[s:e], inside))
        start = raw_end
    return sentences


# --- mention finding --------------------------------------------------------------------------

#: which rule wins between candidates of the same length (a name found again comes last:
#: the rule that first found it knows more about it)
_PRIORITY = {"skip": 0, "date": 1, "edition": 2, "title": 3, "quote": 4, "anaphor": 5,
             "authority": 6, "suffix": 7, "framed": 7, "person": 8, "job": 9, "word": 10, "known": 11,
             "topic": 12, "count": 13}
_ACRONYM = re.compile(r"[(（]\s*([A-Z][A-Za-z0-9&.\-]{1,14})\s*[)）]")
_EDITION = re.compile(r"第\s*([0-9０-９]+|[一二三四五六七八九十百零〇两]+)\s*[届次回]")
_NAME_BREAK = re.compile(r"[\s,，。、;；:：!?！？“”\"《》「」『』]")


def find_mentions(text: str, words: list[Word], lex: Lexicon,
                  known: dict[str, tuple[str, str]]) -> tuple[list[Mention], list[tuple[int, int]]]:
    """Top-level mentions of one paragraph (nested ones hang off their container) and the spans
    of asides to leave out of the masked text ((以下简称"X"), (GRIP))."""
    flat = half_width(text)
    units = _units(words, text, lex)
    cands: list[Mention] = []
    skips: list[tuple[int, int]] = []
    cands += _dates(text)
    cands += _counts(flat, lex)
    cands += _titles(text, lex)
    cands += _quotes(text, lex)
    cands += _listed_sessions(text, lex)
    cands += _editions(flat, text, units, lex)
    cands += _authority_names(text, units, lex)
    cands += _suffix_names(text, units, lex)
    cands += _framed_events(text, units, lex)
    cands += _persons(text, units, lex)
    cands += _word_names(text, units, lex)
    cands += _topics(text, words, lex)
    cands += _anaphors(text, units, lex)
    _organization_editions(text, cands)
    cands += _project_phases(text, cands)
    cands += _ceremonies(text, cands, lex)
    _year_prefixes(text, cands)
    # asides: an abbreviation note names what ends right before it; an acronym in brackets too
    local: dict[str, tuple[str, str]] = {}
    for match in _abbreviations(flat, lex):
        skips.append((match[0], match[1]))
        owner = _ending_at(cands, match[0])
        if owner is not None:
            owner.names = owner.names + (match[2],)
            local[match[2]] = ("", owner.kind)
    for match in _ACRONYM.finditer(flat):
        owner = _ending_at(cands, match.start())
        if owner is not None and owner.acronym is None:
            owner.acronym = match.group(1)
            skips.append((match.start(), match.end()))
    cands += [Mention(s, e, "skip", "skip") for s, e, *_ in skips]
    # names this paragraph gives are known for the rest of it, as are short forms of persons
    for cand in cands:
        if cand.is_entity and cand.anaphor and cand.source == "anaphor" and cand.names \
                and lex.head_of(cand.names[0]) not in (None, cand.names[0]) and cand.names[0] not in known:
            local.setdefault(cand.names[0], ("", cand.kind))  # 本届牡博会 … 牡博会期间
        if cand.is_entity and not cand.anaphor:
            for name in cand.names:
                if len(name) >= 2 and name not in known:
                    local.setdefault(name, ("", cand.kind))
            if cand.kind == "Person":
                for name in cand.names:
                    if "·" in name:
                        local.setdefault(name.rsplit("·", 1)[1], ("", "Person"))
    cands += _known_names(text, units, {**local, **known})
    return _select(cands), sorted(skips)


def _select(cands: list[Mention]) -> list[Mention]:
    """Longest first, then by rule priority; what lies wholly inside a winner becomes nested."""
    order = sorted(cands, key=lambda m: (-(m.end - m.start), _PRIORITY.get(m.source, 20), m.start))
    chosen: list[Mention] = []
    taken = [False] * (max((m.end for m in cands), default=0) + 1)
    rejected: list[Mention] = []
    for cand in order:
        if cand.end <= cand.start:
            continue
        if cand.inner_only or any(taken[cand.start:cand.end]):
            rejected.append(cand)
            continue
        chosen.append(cand)
        for i in range(cand.start, cand.end):
            taken[i] = True
    chosen.sort(key=lambda m: m.start)
    for container in chosen:
        if not container.is_entity:
            continue
        inner_taken: set[int] = set()
        own = {norm_name(n) for n in container.names}
        for cand in rejected:
            if cand.names and norm_name(cand.names[0]) in own:
                continue  # the container's own name without its marks
            if cand.kind == "Person" and cand.source == "word" and container.kind in ("Place", "HeritageSite"):
                continue  # 陈村 of 陈村遗址 is the site's own word, no person
            if (cand.is_entity and not cand.anaphor and container.start <= cand.start
                    and cand.end <= container.end and (cand.start, cand.end) != (container.start, container.end)
                    and inner_taken.isdisjoint(range(cand.start, cand.end))):
                container.nested.append(cand)
                inner_taken.update(range(cand.start, cand.end))
        container.nested.sort(key=lambda m: m.start)
    return [m for m in chosen if m.source != "skip"]


@dataclass(frozen=True)
class Unit:
    """A word for name-walking: a jieba word, or a whole 《title》 / “quote” as one unit."""

    start: int
    end: int
    text: str
    flag: str


def _units(words: list[Word], text: str, lex: Lexicon) -> list[Unit]:
    units: list[Unit] = []
    i = 0
    pairs = dict(lex.title_marks + lex.quote_marks)
    while i < len(words):
        w = words[i]
        close = pairs.get(w.text)
        if close is not None:
            j = i + 1
            while j < len(words) and words[j].text != close and j - i < 40:
                j += 1
            if j < len(words) and words[j].text == close and j > i + 1:
                flag = "title" if (w.text, close) in lex.title_marks else "quote"
                units.append(Unit(w.start, words[j].end, text[w.start:words[j].end], flag))
                i = j + 1
                continue
        units.append(Unit(w.start, w.end, w.text, w.flag))
        i += 1
    return _rejoin_heads(units, lex)


def _rejoin_heads(units: list[Unit], lex: Lexicon) -> list[Unit]:
    """考古学/会 -> 考古/学会: a head word jieba cut across two words (its last character left
    alone as a word that is no head) is made whole again."""
    out: list[Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        if (prev is not None and len(unit.text) == 1 and unit.text not in lex.heads and _CJK.match(unit.text)
                and len(prev.text) >= 3 and prev.flag not in ("title", "quote") and prev.end == unit.start
                and lex.heads.get(prev.text[-1] + unit.text) in ("Organization",) + EVENT_TYPES):
            out[-1] = Unit(prev.start, prev.end - 1, prev.text[:-1], prev.flag)
            out.append(Unit(prev.end - 1, unit.end, prev.text[-1] + unit.text, "n"))
            continue
        # 王/城内 -> 王城/内: a head word cut before a locative (内, 中) that jieba joined to it
        if (prev is not None and len(unit.text) == 2 and unit.text[1] in lex.locatives and prev.end == unit.start
                and prev.flag not in ("title", "quote", "x") and _CJK.match(prev.text[-1])
                and prev.text[-1] + unit.text[0] in lex.heads and unit.text not in lex.heads):
            out.pop()
            if len(prev.text) > 1:
                out.append(Unit(prev.start, prev.end - 1, prev.text[:-1], prev.flag))
            out.append(Unit(prev.end - 1, unit.start + 1, prev.text[-1] + unit.text[0], "n"))
            out.append(Unit(unit.start + 1, unit.end, unit.text[1], "f"))
            continue
        out.append(unit)
    return out


def _dates(text: str) -> list[Mention]:
    """Dates; a bare year without 年 (2024世界遗产城市论坛) is part of a name, not a date."""
    found = []
    for d in find_dates(text, years=True):
        if d.kind == "gYear" and "年" not in d.text:
            continue
        found.append(Mention(d.start, d.end, "date", "date", value=d))
    return found


_LEADING_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?=[\u4e00-\u9fff])(?![年])")
_YEAR_WORD = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})年(?!代)")
_NAME_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})$")


def _year_prefixes(text: str, cands: list[Mention]) -> None:
    """An event name right after a bare year (2024世界遗产城市发展论坛) is that year's event."""
    flat = half_width(text)
    for cand in cands:
        if cand.kind in EVENT_TYPES and not cand.anaphor and cand.names:
            match = _NAME_YEAR.search(flat[max(0, cand.start - 5):cand.start])
            if match:
                cand.year = match.group(1)
                cand.names = (match.group(1) + cand.names[0],) + cand.names
                cand.start -= 4


def _counts(flat: str, lex: Lexicon) -> list[Mention]:
    found = []
    for q in find_quantities(flat, lex.count_classifiers):
        end = q.end - len(q.classifier or "")
        found.append(Mention(q.start, end, "count", "count", value=q))
    return found


def _titles(text: str, lex: Lexicon) -> list[Mention]:
    """《…》 -> Publication; a title after a colon is also known by its subtitle."""
    found = []
    for open_, close in lex.title_marks:
        for match in re.finditer(re.escape(open_) + r"([^" + re.escape(open_ + close) + r"\n]{1,80})"
                                 + re.escape(close), text):
            inner = match.group(1).strip()
            if not inner:
                continue
            names = [inner]
            sub = re.split(r"[:：]", inner)
            if len(sub) > 1 and len(sub[-1].strip()) >= 4:
                names.append(sub[-1].strip())
            found.append(Mention(match.start(), match.end(), "Publication", "title", tuple(names)))
    return found


def _quotes(text: str, lex: Lexicon) -> list[Mention]:
    """A quoted name typed by its own head word or the head word right after the quote."""
    found = []
    for open_, close in lex.quote_marks:
        if open_ == close:
            pattern = re.escape(open_) + r"([^" + re.escape(open_) + r"\n]{2,60})" + re.escape(close)
        else:
            pattern = re.escape(open_) + r"([^" + re.escape(open_ + close) + r"\n]{2,60})" + re.escape(close)
        for match in re.finditer(pattern, text):
            inner = match.group(1).strip()
            acronym = None
            acr = _ACRONYM.search(half_width(inner))
            if acr and acr.end() == len(inner):
                acronym = acr.group(1)
                inner = inner[:acr.start()].strip()
            end = match.end()
            follow = next((h for h in lex.quote_heads if text.startswith(h, end)), None)
            names: tuple[str, ...]
            if follow:
                kind = lex.heads[lex.head_of(follow) or follow] if lex.head_of(follow) else None
                if kind is None:
                    continue
                names = (text[match.start():end + len(follow)], inner)
                end += len(follow)
            elif any(text.startswith(cue, end) for cue in lex.site_listing_cues):
                kind, names = "HeritageSite", (inner,)  # “某某:某某中心”申遗成功: a site, whatever its head
            else:
                head = lex.head_of(inner)
                if head is None or head == inner or inner in lex.false_heads:
                    continue
                kind = lex.heads[head]
                names = (inner,)
            found.append(Mention(match.start(), end, kind, "quote", names, acronym=acronym))
    return found


def _listed_sessions(text: str, lex: Lexicon) -> list[Mention]:
    """设“A”“B”“C”3个分论坛: each quoted title listed before a count of sessions is a forum."""
    quote = "|".join(re.escape(o) + "[^" + re.escape(o + c) + r"\n]{2,30}" + re.escape(c) for o, c in lex.quote_marks)
    heads = "|".join(map(re.escape, sorted(lex.session_heads, key=len, reverse=True)))
    pattern = re.compile(f"((?:(?:{quote})[、,，和及与]?)+)等?\\s*(?:[0-9０-９]+|[一二三四五六七八九十两]+)\\s*[个场]?(?:{heads})")
    found = []
    for match in pattern.finditer(text):
        for item in re.finditer(quote, match.group(1)):
            start = match.start(1) + item.start()
            inner = item.group(0)[1:-1].strip()
            found.append(Mention(start, start + len(item.group(0)), "Forum", "quote", (inner,)))
    return found


def _editions(flat: str, text: str, units: list[Unit], lex: Lexicon) -> list[Mention]:
    """第八届…博览会: the shortest run after 第N届 that ends in an event head word; a head of
    one character (展 of 发展, 节, 周) gives way to a longer head further on before any break
    (第三届遗产保护与可持续发展论坛 is a forum, its 展 no head)."""
    from heritagekg.numerals import zh_to_int

    event_heads = [h for h in lex.heads_longest if lex.heads[h] in EVENT_TYPES]
    unit_ends = {u.end for u in units}
    found = []
    first = "|".join(map(re.escape, lex.first_edition))
    pattern = re.compile(_EDITION.pattern + (f"|(?:{first})" if first else ""))
    for match in pattern.finditer(flat):
        edition = zh_to_int(match.group(1)) if match.group(1) else 1
        if not edition:
            continue
        rest_start = match.end()
        limit = min(len(flat), rest_start + 40)
        weak: Mention | None = None
        for end in range(rest_start + 1, limit + 1):
            if _NAME_BREAK.match(flat, end - 1) or any(flat.startswith(w, end - 1) for w in lex.edition_stops):
                break
            chunk = flat[rest_start:end]
            head = next((h for h in event_heads if chunk.endswith(h)), None)
            if head is None or chunk.count("(") != chunk.count(")") or end not in unit_ends:
                continue  # 展 of 会展中心 is inside a word: no head
            if any(f.startswith(head) and len(f) > len(head) and flat.startswith(f, end - len(head))
                   for f in lex.false_heads):
                continue  # 节 of 节目 is no head
            base = text[rest_start:end]
            full = text[match.start():end]
            mention = Mention(match.start(), end, lex.heads[head], "edition", (full, base), edition=edition)
            if len(head) == 1 and weak is None:
                weak = mention
                continue
            weak = None
            found.append(mention)
            break
        if weak is not None:
            found.append(weak)
    return found


_PHASE = re.compile(r"\(?\s*第?([0-9]+|[一二三四五六七八九十]+)\s*期(?:工程|项目)?\s*\)?")


def _project_phases(text: str, cands: list[Mention]) -> list[Mention]:
    """X工程(三期) / X工程三期: a phase is a project of its own, part of the whole X工程."""
    flat = half_width(text)
    found = []
    for cand in cands:
        if cand.kind != "Project" or cand.anaphor or cand.inner_only or not cand.names:
            continue
        match = _PHASE.match(flat, cand.end)
        if not match or match.group(0).startswith("(") != match.group(0).endswith(")"):
            continue
        full = text[cand.start:match.end()]
        bare = text[cand.start:cand.end] + match.group(0).strip("() ")
        names = (full, bare) if bare != full else (full,)
        found.append(Mention(cand.start, match.end(), "Project", "suffix", names, whole=cand.names[0]))
    return found


def _ceremonies(text: str, cands: list[Mention], lex: Lexicon) -> list[Mention]:
    """X项目启动仪式: the ceremony of a named project is an event of its own (an event's own
    开幕式 is not: it is that event)."""
    found = []
    for cand in cands:
        if cand.kind != "Project" or cand.anaphor or cand.inner_only:
            continue
        tail = next((t for t in lex.ceremony_tails if text.startswith(t, cand.end)), None)
        if tail:
            end = cand.end + len(tail)
            found.append(Mention(cand.start, end, "Event", "suffix", (text[cand.start:end],)))
    return found


def _organization_editions(text: str, cands: list[Mention]) -> None:
    """某联盟第三届大会: a body's name right before 第N届 + head is part of the event's name
    (the body's own meeting), not a mention of the body beside a bare 第三届大会."""
    orgs = [c for c in cands if c.kind == "Organization" and not c.anaphor and not c.inner_only
            and c.source in ("suffix", "authority")]
    for cand in cands:
        if cand.source != "edition" or cand.kind not in EVENT_TYPES:
            continue
        before = [o for o in orgs if o.end == cand.start and o.start < cand.start]
        if not before:
            continue
        org = max(before, key=lambda o: o.end - o.start)
        full = text[org.start:cand.end]
        base = text[org.start:org.end] + (cand.names[1] if len(cand.names) > 1 else "")
        cand.names = (full, base) if base != full else (full,)
        cand.start = org.start


def _authority_names(text: str, units: list[Unit], lex: Lexicon) -> list[Mention]:
    found = []
    starts = {u.start for u in units}
    ends = {u.end for u in units}
    for surface in lex.authority_longest:
        start = text.find(surface)
        while start >= 0:
            entry_id = lex.authority_forms[surface]
            kind = lex.authority.entries[entry_id].type
            end = start + len(surface)
            # 敦煌 inside the word 敦煌学 is no mention of the city, but may sit inside a name
            found.append(Mention(start, end, kind, "authority", (surface,), authority_id=entry_id,
                                 inner_only=start not in starts or end not in ends))
            start = text.find(surface, start + 1)
    for unit in units:  # Latin acronyms inside Chinese text (UNESCO)
        if unit.flag == "eng":
            entry = lex.authority.lookup(unit.text)
            if entry is not None and unit.text in entry.acronyms:
                found.append(Mention(unit.start, unit.end, entry.type, "authority", (unit.text,),
                                     authority_id=entry.id))
    return found


def _suffix_names(text: str, units: list[Unit], lex: Lexicon) -> list[Mention]:
    """Names ending in a head word (博览会, 研究院, 会展中心, 项目…) and the name-like words
    before it; a head with nothing specific before it (主题论坛, 高级政府) is no name."""
    found = []
    proper = {"ns", "nr", "nrt", "nrfg", "nt", "nz", "eng", "j", "title", "quote"}
    for i, unit in enumerate(units):
        head = lex.head_of(unit.text)
        if head is None or unit.text in lex.false_heads or unit.flag in ("x", "m"):
            continue
        if (unit.text == head and unit.flag == "v") or unit.text in lex.titles:
            continue  # 由研究院组织实施: the verb 组织, no body's head; 省委常委 is a title
        kind = lex.heads[head]
        if i > 0 and units[i - 1].text in lex.titles and unit.text == head \
                and _person_after(units, i, lex) is not None:
            continue  # 局长周某某: a surname after a title, not a 周 (week) event
        j = i
        depth = 0
        while j > 0 and i - j < 10:
            prev = units[j - 1]
            if prev.text in (")", "）"):
                depth += 1
            elif prev.text in ("(", "（"):
                if depth == 0:
                    break
                depth -= 1
            elif kind == "Place" and lex.heads.get(lex.head_of(prev.text) or "") in EVENT_TYPES:
                break  # 博览会主展馆: the venue of an event, not a name running over the event's
            elif prev.text in lex.name_stops and not (
                    prev.text in lex.joining and kind == "Organization" and head in lex.joining_heads
                    and i - j <= 2 and j >= 2 and units[j - 2].flag in lex.name_tags):
                break
            elif prev.text in lex.name_verbs and j >= 2 and (units[j - 2].flag in lex.name_tags
                                                              or units[j - 2].text in lex.name_verbs):
                pass  # 遗址保护国际论坛, 遗址保护修复项目: verbs of the name's theme
            elif kind == "HeritageSite" and len(prev.text) == 1 and _CJK.match(prev.text) \
                    and prev.flag in ("v", "vg", "a", "ag", "ng", "g", "zg") and prev.text not in lex.name_stops \
                    and prev.text not in lex.site_name_stops and j >= 2 and units[j - 2].flag in lex.name_tags \
                    and len(units[j - 2].text) >= 2:
                pass  # 凤凰/咀/遗址: one odd character inside a site's proper name
            elif prev.flag not in lex.name_tags and prev.flag not in ("title", "quote") \
                    and prev.text not in lex.joining:
                break
            j -= 1
        while depth > 0 and j < i:  # an unmatched ")" on the left edge: drop up to it
            if units[j].text in (")", "）"):
                depth -= 1
            j += 1
        while j < i and units[j].text in lex.joining:
            j += 1
        placed = False
        if kind == "HeritageSite":  # 某省某市X石窟: the places before a site are its location
            cut = max((k for k in range(j, i) if _container_place(units[k], lex)
                       or (units[k].flag == "ns" and units[k].text in lex.authority_forms)), default=None)
            # 甘肃/临潭/磨沟/遗址: a place word right after a province is a county, not the name
            while cut is not None and cut + 2 < i and _county_word(units[cut + 1], lex) \
                    and all(u.text not in lex.heads for u in units[cut + 2:i]) \
                    and sum(len(u.text) for u in units[cut + 2:i]) >= 2:
                cut += 1
                county = units[cut]
                found.append(Mention(county.start, county.end, "Place", "suffix", (county.text,)))
            if cut is not None and (cut + 1 < i or len(unit.text) > len(head)):
                j, placed = cut + 1, True
        elif lex.heads.get(lex.head_of(text[units[j].start:unit.end]) or "") == "Place":
            # 浙江省义乌市X国际博览中心: the venue is in the city before it
            cut = max((k for k in range(j, i) if _container_place(units[k], lex)
                       and any(units[k].text.endswith(x) for x in lex.place_suffixes)), default=None)
            if cut is not None and cut + 1 < i and any(u.text not in lex.generic for u in units[cut + 1:i]):
                j, placed = cut + 1, True
        walked = units[j:i]
        name = text[units[j].start:unit.end]
        longer = lex.head_of(name)
        if longer and len(longer) > len(head):  # 博览 + 中心 is a venue, not a 中心 body
            head, kind = longer, lex.heads[longer]
        own = unit.text[:-len(head)] if len(unit.text) > len(head) else ""
        if not walked and not own:
            continue
        if own and own not in lex.name_verbs and _is_verb(own):
            continue  # 出席会议 (attend a meeting): a verb and its object, no name
        if len(head) == 1 and len(name) < lex.short_min:
            continue
        specific = [u for u in walked if u.text not in lex.generic]
        own_specific = bool(own) and own not in lex.generic
        if not specific and not own_specific:
            continue
        evidence = (placed or any(u.flag in proper for u in specific)
                    or (own_specific and unit.flag in ("nt", "ns", "nz", "n", "nr", "l") and len(unit.text) >= 3)
                    or sum(1 for u in specific if u.flag in ("n", "vn", "l", "nz")) >= 2)
        if not evidence:
            continue
        found.append(Mention(units[j].start, unit.end, kind, "suffix", (name,),
                             venue=kind == "Place" and head in lex.venue_heads))
    return found


def _framed_events(text: str, units: list[Unit], lex: Lexicon) -> list[Mention]:
    """召开“某某”重大项目重要进展工作会: after a verb of holding, everything up to the event's
    head word is its name (adjectives and quoted names included), if it has something specific."""
    proper = {"ns", "nr", "nrt", "nrfg", "nt", "nz", "eng", "j", "title", "quote"}
    found = []
    for i, unit in enumerate(units):
        if unit.text not in lex.frame_verbs:
            continue
        k = i + 1
        if k < len(units) and units[k].text == "了":
            k += 1
        for j in range(k, min(len(units), k + 12)):
            cur = units[j]
            if cur.flag == "m" and re.fullmatch(r"(?:19|20)[0-9]{2}", cur.text):
                continue  # 某遗址2024年度考古成果发布会: a year inside the name
            if cur.flag in ("x", "m") or cur.text in lex.name_stops or _NAME_BREAK.fullmatch(cur.text[:1]) \
                    and cur.flag not in ("quote", "title"):
                break
            head = lex.head_of(cur.text)
            if head is None or lex.heads[head] not in EVENT_TYPES or cur.text in lex.false_heads:
                continue
            walked = [u for u in units[k:j] if u.text not in lex.generic]
            own = cur.text[:-len(head)]
            if not walked and not own:
                break
            specific = any(u.flag in proper for u in walked) or \
                sum(1 for u in walked if u.flag in ("n", "vn", "l", "nz", "a")) >= 3
            if specific:
                name = text[units[k].start:cur.end]
                found.append(Mention(units[k].start, cur.end, lex.heads[head], "framed", (name,)))
            break
    return found


def _county_word(unit: Unit, lex: Lexicon) -> bool:
    """A word naming a county or city (临潭/ns; 余姚, which jieba tags a person, and 毕节, a
    noun to it, but 余姚市 and 毕节市 are in its dictionary)."""
    if unit.flag == "ns":
        return True
    if unit.flag not in ("nr", "nz", "nrt", "n") or len(unit.text) < 2:
        return False
    # a common noun only with a city or county word (工业 + 区 is a zone, no place)
    suffixes = lex.county_suffixes if unit.flag != "n" else [x for x in lex.county_suffixes if x != "区"]
    return any(jieba.dt.FREQ.get(unit.text + suffix) for suffix in suffixes)


@functools.lru_cache(maxsize=4096)
def _is_verb(word: str) -> bool:
    """jieba reads the word as one verb (出席), not a noun or a verbal noun."""
    pairs = list(jieba.posseg.cut(word))
    return len(pairs) == 1 and pairs[0].flag == "v"


def _container_place(unit: Unit, lex: Lexicon) -> bool:
    """A word naming an administrative place (某某省, 某某市) or a country: a place that contains
    a site named after it, never part of the site's own name."""
    if unit.flag != "ns":
        return False
    if any(unit.text.endswith(suffix) and len(unit.text) > len(suffix) for suffix in lex.place_suffixes):
        return True
    entry_id = lex.authority_forms.get(unit.text)
    entry = lex.authority.entries[entry_id] if entry_id else None
    return entry is not None and entry.type == "Place" and not entry.located_in


def _person_after(units: list[Unit], i: int, lex: Lexicon) -> tuple[int, int] | None:
    """Span of a person name starting at units[i], if one plausibly starts there."""
    if i >= len(units):
        return None
    unit = units[i]
    if not _CJK.match(unit.text):
        return None
    if any(units[k].text in ("·", "•", "・") for k in range(i, min(i + 3, len(units)))):
        return unit.start, unit.end  # a foreign name: its extent is read by _foreign_names
    name = unit.text
    end = unit.end
    nxt = i + 1
    if len(name) == 1 and name in lex.surnames and i + 1 < len(units) \
            and 1 <= len(units[i + 1].text) <= 2 and _CJK.match(units[i + 1].text):
        name += units[i + 1].text
        end = units[i + 1].end
        nxt = i + 2
    # 陆光/正在 -> 陆光正/在: a two-character name before a word made of one more character and
    # a preposition (正在, 正于) takes that character; most names have three
    if len(name) == 2 and lex.is_surname_start(name) and nxt < len(units) and units[nxt].start == end \
            and len(units[nxt].text) == 2 and units[nxt].text[1] in lex.name_tail_prepositions \
            and _CJK.match(units[nxt].text[0]) and units[nxt].text[0] not in lex.site_name_stops:
        name += units[nxt].text[0]
        end += 1
    if not 2 <= len(name) <= 4 or not all(_CJK.match(c) for c in name):
        return None
    if name in lex.not_persons or name in lex.anaphor_heads or any(name.endswith(t) for t in lex.not_person_tails):
        return None
    if unit.flag.startswith("nr"):
        return unit.start, end
    # right after a title an unknown word of a surname and a given name is a name, whatever
    # tag jieba guessed for it (关强/v)
    if lex.is_surname_start(name) and unit.flag[:1] not in ("p", "u", "c", "x", "m", "q", "r", "d", "f") \
            and (jieba.dt.FREQ.get(name) or 0) <= lex.person_max_freq:
        return unit.start, end
    return None


def _persons(text: str, units: list[Unit], lex: Lexicon) -> list[Mention]:
    """Job title + name (副总干事曲星), titles on their own, and foreign names (X·Y)."""
    found = []
    starts = {u.start: k for k, u in enumerate(units)}
    ends = {u.end: k for k, u in enumerate(units)}
    for title in lex.titles:
        pos = text.find(title)
        while pos >= 0:
            end = pos + len(title)
            if pos in starts and end in ends:
                span = _person_after(units, ends[end] + 1, lex)
                kind = "role" if title in lex.not_job else "job"
                if span is not None:
                    found.append(Mention(pos, end, kind, "job", (title,), value=title))
                    found.append(Mention(span[0], span[1], "Person", "person", (text[span[0]:span[1]],)))
            pos = text.find(title, pos + 1)
    # 省委常委、市委书记刘某: a title listed before another title of the same person
    named = {m.start for m in found if m.kind in ("job", "role")}
    for title in lex.titles:
        pos = text.find(title)
        while pos >= 0:
            end = pos + len(title)
            if pos in starts and end in ends and pos not in named and text.startswith("、", end):
                k = ends[end] + 1
                if any(units[n].start in named for n in range(k + 1, min(k + 5, len(units)))):
                    kind = "role" if title in lex.not_job else "job"
                    found.append(Mention(pos, end, kind, "job", (title,), value=title))
            pos = text.find(title, pos + 1)
    title_ends = {m.end for m in found if m.kind in ("job", "role")}
    found += _foreign_names(text, lex, title_ends)
    return found


def _foreign_names(text: str, lex: Lexicon, title_ends: set[int]) -> list[Mention]:
    """Transliterated names around a middle dot (特蕾莎·帕特里西奥): runs of transliteration
    characters on both sides, never reaching back into a job title."""
    found = []
    for match in re.finditer(r"[·•・]", text):
        dot = match.start()
        start = dot
        while start > 0 and text[start - 1] in lex.transliteration and dot - start < 8 \
                and start not in title_ends:
            start -= 1
        end = dot + 1
        while True:
            stop = end
            while stop < len(text) and text[stop] in lex.transliteration and stop - end < 10:
                stop += 1
            if stop == end:
                break
            end = stop
            if end < len(text) - 1 and text[end] in "·•・" and text[end + 1] in lex.transliteration:
                end += 1
                continue
            break
        if dot - start >= 1 and end - dot >= 3:
            found.append(Mention(start, end, "Person", "person", (text[start:end],)))
    return found


def _word_names(text: str, units: list[Unit], lex: Lexicon) -> list[Mention]:
    """Single words jieba tags as places (ns) or persons (nr) that look like names."""
    found = []
    for k, unit in enumerate(units):
        if unit.flag == "ns" and len(unit.text) >= 2 and unit.text not in lex.not_places \
                and lex.head_of(unit.text) != unit.text:  # 古城/ns alone is a head word, no name
            kind = "HeritageSite" if lex.heads.get(lex.head_of(unit.text) or "") == "HeritageSite" else "Place"
            end = unit.end
            if k + 1 < len(units) and units[k + 1].text in lex.place_suffixes:
                end = units[k + 1].end  # 普洱 + 市: jieba leaves the suffix apart
            found.append(Mention(unit.start, end, kind, "word", (text[unit.start:end],)))
        elif unit.flag.startswith("nr") and unit.text not in lex.not_persons:
            span = _person_after(units, k, lex)
            if span is not None and span[1] == unit.end and lex.is_surname_start(unit.text) \
                    and jieba.dt.FREQ.get(unit.text, 0) <= lex.person_max_freq:
                found.append(Mention(unit.start, unit.end, "Person", "word", (unit.text,)))
    return found


def _topics(text: str, words: list[Word], lex: Lexicon) -> list[Mention]:
    """Topic words of the topics file; a short one only where it starts and ends on word
    boundaries (遗产保护 inside 文化遗产保护 is not the topic)."""
    starts = {w.start for w in words}
    ends = {w.end for w in words}
    found = []
    for surface in lex.topic_forms:
        pos = text.find(surface)
        while pos >= 0:
            end = pos + len(surface)
            # long topic words are unambiguous; short ones must be whole words
            if len(surface) >= 5 or (pos in starts and end in ends):
                found.append(Mention(pos, end, "Topic", "topic", (surface,)))
            pos = text.find(surface, pos + 1)
    return found


def _anaphors(text: str, units: list[Unit], lex: Lexicon) -> list[Mention]:
    """本届文博会, 该论坛, 此次大会; a bare 论坛 opening a clause."""
    found = []
    for k, unit in enumerate(units):
        # 该书, 该报告, 此份报告: a publication named before (only 《》 titles name one)
        glued = next((d for d in lex.determiners if unit.text.startswith(d)
                      and unit.text[len(d):] in lex.publication_anaphors), None)
        if glued is not None:
            found.append(Mention(unit.start, unit.end, "Publication", "anaphor", (unit.text[len(glued):],),
                                 anaphor=True))
            continue
        if unit.text in lex.determiners and k + 1 < len(units) and units[k + 1].text in lex.publication_anaphors:
            found.append(Mention(unit.start, units[k + 1].end, "Publication", "anaphor", (units[k + 1].text,),
                                 anaphor=True))
            continue
        det = unit.text if unit.text in lex.determiners else None
        if det is not None:
            for span in (1, 2, 3):
                if k + span >= len(units):
                    break
                tail = units[k + 1:k + 1 + span]
                # 本届牡博会: the one character of a short name may carry any content tag (牡/zg)
                if any((t.flag not in lex.name_tags and not (len(t.text) == 1 and _CJK.match(t.text)
                                                             and t.flag[:1] not in "pucrdmqxfvy"))
                       or t.text in lex.name_stops for t in tail):
                    break
                head_text = text[tail[0].start:tail[-1].end]
                head = lex.head_of(head_text)
                if head and lex.heads[head] == "Organization" and head_text != head:
                    continue  # 该院 points back to a body; 该宣言由世界银行 does not
                if head and head_text not in lex.false_heads and len(head_text) <= 8:
                    found.append(Mention(unit.start, tail[-1].end, lex.heads[head], "anaphor",
                                         (head_text,), anaphor=True))
                    break
            continue
        if unit.text in lex.anaphor_heads and unit.flag != "v":  # 展览/v 面积 is no exhibition
            before = units[k - 1] if k else None
            after = units[k + 1] if k + 1 < len(units) else None
            opens = before is None or before.flag == "x" or before.text in lex.openers
            listed = after is not None and after.text in ("、", "和", "与", "及", "以及")
            listed = listed or (before is not None and before.text in ("、", "和", "与", "及"))
            if opens and not listed:
                found.append(Mention(unit.start, unit.end, lex.heads[lex.head_of(unit.text) or unit.text],
                                     "anaphor", (unit.text,), anaphor=True))
    return found


def _abbreviations(flat: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    markers = "|".join(re.escape(m) for m in lex.abbreviation_markers)
    pattern = re.compile(r"\(\s*(?:" + markers + r")\s*[“\"「『]?([^”\"」』()]{1,20}?)[”\"」』]?\s*\)")
    return [(m.start(), m.end(), m.group(1).strip()) for m in pattern.finditer(flat)]


def _ending_at(cands: list[Mention], pos: int) -> Mention | None:
    """The longest entity candidate ending right at pos (quotes and spaces allowed between)."""
    best = None
    for cand in cands:
        if cand.is_entity and not cand.anaphor and cand.end == pos:
            if best is None or cand.end - cand.start > best.end - best.start:
                best = cand
    return best


def _known_names(text: str, units: list[Unit], known: dict[str, tuple[str, str]]) -> list[Mention]:
    """Names already given in the article (or earlier in this paragraph), found again."""
    found = []
    starts = {u.start for u in units}
    ends = {u.end for u in units}
    for surface, (key, kind) in sorted(known.items(), key=lambda kv: -len(kv[0])):
        if len(surface) < 2:
            continue
        pos = text.find(surface)
        while pos >= 0:
            end = pos + len(surface)
            found.append(Mention(pos, end, kind, "known", (surface,), key=key or None,
                                 inner_only=pos not in starts or end not in ends))
            pos = text.find(surface, pos + 1)
    return found


# --- article state: resolution and relations ---------------------------------------------------

def _compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    pair = {a, b}
    return (pair <= set(EVENT_TYPES) and "Event" in pair) or pair == {"Place", "HeritageSite"}


def _specific(a: str, b: str) -> str:
    return b if a in ("Event", "Place") else a


class ArticleState:
    """Everything one article's Chinese paragraphs have established so far."""

    def __init__(self, article: Article, lex: Lexicon, texts: list[str]) -> None:
        self.article = article
        self.lex = lex
        self.entities: dict[str, Entity] = {}
        self.relations: list[Relation] = []
        self.by_name: dict[str, str] = {}
        self.by_authority: dict[str, str] = {}
        self.surfaces: dict[str, tuple[str, str]] = {}  # surface -> (key, type)
        self.positions: list[tuple[tuple[int, int], str]] = []  # every resolved mention, reading order
        self.first_seen: dict[str, tuple[tuple[int, int], str]] = {}  # key -> (position, sentence)
        self.counter = 0
        self.last_year: int | None = None
        self.year_hint: int | None = None
        if article.published and article.published[:4].isdigit():
            self.year_hint = int(article.published[:4])
        else:
            for text in texts:
                full = [d for d in find_dates(text) if d.year is not None and d.month is not None]
                if full:
                    self.year_hint = full[0].year
                    break
            if self.year_hint is None:  # 2025大运河…研讨会: the year an event is named with
                for text in texts:
                    match = _LEADING_YEAR.search(half_width(text))
                    if match:
                        self.year_hint = int(match.group(1))
                        break
            if self.year_hint is None:  # 2024年“某日”活动 in the headline, then 6月8日 in the story
                for text in texts:
                    match = _YEAR_WORD.search(half_width(text))
                    if match:
                        self.year_hint = int(match.group(1))
                        break
        self._sentence: Sentence | None = None
        self._claimed: list[tuple[int, int]] = []  # spans of the sentence read as created items
        self._ceremony_at: tuple[int, int] | None = None  # the last sentence about an opening

    # dates ----------------------------------------------------------------------------------
    def read_dates(self, sentence: Sentence) -> None:
        """Give yearless dates the year of the nearest full date before them (else the article's)."""
        self._sentence = sentence
        for mention in sentence.mentions:
            if mention.kind != "date":
                continue
            d: DateMatch = mention.value
            if d.year is not None and d.month is not None:
                self.last_year = d.year
                continue
            if d.year is None:
                year = self.last_year or self.year_hint
                if year is None:
                    continue
                end_year = year if d.is_range else None
                if d.is_range and d.end_month is not None and d.month is not None and d.end_month < d.month:
                    end_year = year + 1
                mention.value = replace(d, year=year, end_year=end_year)

    # entities -------------------------------------------------------------------------------
    def _new(self, kind: str) -> Entity:
        self.counter += 1
        key = f"zh:{kind.lower()}-{self.counter}"
        entity = Entity(key=key, type=kind)
        self.entities[key] = entity
        return entity

    def _find(self, name: str, kind: str) -> str | None:
        key = self.by_name.get(norm_name(name))
        if key and _compatible(self.entities[key].type, kind):
            return key
        for long, short in self.lex.name_variants:  # 中国援助某国X项目 = 中国援某国X项目
            for variant in (name.replace(long, short), name.replace(short, long) if long not in name else name):
                key = self.by_name.get(norm_name(variant)) if variant != name else None
                if key and _compatible(self.entities[key].type, kind):
                    return key
        if kind in ("Place", "HeritageSite"):
            stem = _place_stem(name, self.lex)
            key = self.by_name.get(norm_name(stem)) if stem else None
            if key and _compatible(self.entities[key].type, kind):
                return key
        return None

    def _recent(self, kind: str, before: tuple[int, int]) -> str | None:
        idx = bisect.bisect_left(self.positions, (before, ""))
        for pos, key in reversed(self.positions[:idx]):
            if self.entities[key].type == kind or (kind == "Event" and self.entities[key].type in EVENT_TYPES):
                return key
        return None

    def resolve(self, mention: Mention, pos: tuple[int, int], nested: bool = False) -> None:
        """Give the mention its entity: one named before (authority id, edition, name, short
        form), the event or project it points back to, or a new one."""
        if not mention.is_entity:
            return
        lex = self.lex
        key: str | None = None
        if mention.anaphor:
            head = mention.names[0]
            key = self._find(head, mention.kind) or self._recent(mention.kind, pos)
            if key is None:
                if mention.source == "anaphor" and head in lex.anaphor_heads:
                    return
                key = self._new(mention.kind).key
            mention.key = key
            generic = head in lex.anaphor_heads or lex.head_of(head) == head or head in lex.publication_anaphors
            if not generic:
                self._name(key, head, mention.kind)
            self._seen(key, pos)
            return
        if mention.key and mention.key in self.entities:
            key = mention.key
        authority_id = mention.authority_id
        if authority_id is None and mention.kind == "Organization":
            # 联合国教科文组织亚太地区…培训中心 ends with an authority body's name: the same body
            for surface in lex.authority_longest:
                if len(surface) >= 4 and mention.names[0].endswith(surface):
                    entry = lex.authority.entries[lex.authority_forms[surface]]
                    if entry.type == "Organization":
                        authority_id = entry.id
                    break
        if key is None and authority_id is None:
            entry = lex.authority.lookup(mention.names[0]) if mention.names else None
            if entry is not None and _compatible(entry.type, mention.kind):
                authority_id = entry.id
        if key is None and authority_id is not None:
            key = self.by_authority.get(authority_id)
        if key is None and mention.edition is not None:
            for other in self.entities.values():
                if other.edition == mention.edition and other.type == mention.kind:
                    key = other.key
                    break
        if key is None:
            lookup = list(mention.names)
            if mention.kind == "Topic" and mention.names[0] in lex.topics:
                lookup += lex.topics[mention.names[0]][0]  # synonyms of one topic entry
            for name in lookup:
                key = self._find(name, mention.kind)
                if key:
                    break
        if key is None and mention.kind == "Person":
            key = self._person_by_part(mention.names[0])
        if key is None and mention.kind == "Publication":
            key = self._short_title(mention.names[0])
        if key is None:
            key = self._new(mention.kind).key
        entity = self.entities[key]
        if not _compatible(entity.type, mention.kind):
            return
        entity.type = _specific(entity.type, mention.kind) if entity.type != mention.kind else entity.type
        mention.key = key
        if authority_id and not entity.authority_id:
            self.by_authority[authority_id] = key
            entity.link_authority(lex.authority.entries[authority_id])
        if mention.edition is not None and entity.edition is None:
            entity.edition = mention.edition
        if mention.year and entity.year is None:
            entity.year = mention.year
        if mention.acronym and mention.acronym not in entity.acronyms:
            entity.acronyms.append(mention.acronym)
            self.surfaces.setdefault(mention.acronym, (key, entity.type))
        for name in mention.names:
            self._name(key, name, entity.type)
        if entity.type == "Topic":
            zh, en = lex.topics.get(mention.names[0], ((), ()))
            for name in en:
                entity.add_name(name, "en")
        # a name inside a name is no mention of its own for reading order, except a project
        # inside its ceremony's name (X工程启动仪式 … 该工程 points back to X工程)
        if not nested or entity.type == "Project":
            self._seen(key, pos)

    def _name(self, key: str, name: str, kind: str) -> None:
        entity = self.entities[key]
        lang = "zh" if _CJK.search(name) else "en"
        entity.add_name(name, lang)
        self.by_name.setdefault(norm_name(name), key)
        self.surfaces.setdefault(name, (key, kind))
        stem = _place_stem(name, self.lex) if kind in ("Place", "HeritageSite") else None
        if stem:
            self.by_name.setdefault(norm_name(stem), key)
            self.surfaces.setdefault(stem, (key, kind))
        if kind == "Person" and "·" in name:
            last = name.rsplit("·", 1)[1]
            self.by_name.setdefault(norm_name(last), key)
            self.surfaces.setdefault(last, (key, kind))

    def _seen(self, key: str, pos: tuple[int, int]) -> None:
        bisect.insort(self.positions, (pos, key))
        if key not in self.first_seen and self._sentence is not None:
            self.first_seen[key] = (pos, self._sentence.text)

    def _person_by_part(self, name: str) -> str | None:
        for key, entity in self.entities.items():
            if entity.type == "Person" and any(n.rsplit("·", 1)[-1] == name for n in entity.names.get("zh", ())):
                return key
        return None

    def _short_title(self, title: str) -> str | None:
        """《公约》 after 《保护非物质文化遗产公约》: a short title that ends a longer one."""
        for key, entity in self.entities.items():
            if entity.type == "Publication" and any(
                    len(n) > len(title) and n.endswith(title) for n in entity.names.get("zh", ())):
                return key
        return None

    # relations ------------------------------------------------------------------------------
    def focus(self, sentence: Sentence, at: int, exclude: Iterable[str] = (),
              types: tuple[str, ...] = EVENT_TYPES) -> str | None:
        """The event (or project, by `types`) a clause is about: the last one named before `at`
        in the sentence, else the last one before the sentence, else the first one after `at`."""
        skip = set(exclude)
        before = [m for m in sentence.mentions if m.key and m.start < at
                  and self.entities[m.key].type in types and m.key not in skip]
        named = {m.key for m in before}
        # 论坛设“A”“B”2个分论坛: the forum, not the sessions just listed in its sentence
        parts = {r.subject for r in self.relations if r.predicate == "partOf" and r.object in named
                 and r.extractor == "zh:part-of-listed" and r.evidence == sentence.text}
        before = [m for m in before if m.key not in parts] or before
        # 论坛作为X的活动之一,由A主办: the clause is about the forum, not the whole it is part of
        framed = [m for m in before[1:] if sentence.text[max(0, m.start - sentence.start - 2):
                                                         m.start - sentence.start] == "作为"]
        before = [m for m in before if m not in framed] or before
        if before:
            return before[-1].key
        idx = bisect.bisect_left(self.positions, ((sentence.para, sentence.start), ""))
        for _, key in reversed(self.positions[:idx]):
            if self.entities[key].type in types and key not in skip:
                return key
        after = [m for m in sentence.mentions if m.key and m.start >= at
                 and self.entities[m.key].type in types and m.key not in skip]
        return after[0].key if after else None

    def _at_ceremony(self, sentence: Sentence, at: int) -> bool:
        """开幕式上,…致辞 / …出席开幕式: said of an opening with no event named before it; the
        sentences after one in the same paragraph are still about that opening."""
        if any(m.key and m.start < at and self.entities[m.key].type in EVENT_TYPES for m in sentence.mentions):
            return False
        if any(w in sentence.text for w in self.lex.ceremony_words):
            self._ceremony_at = (sentence.para, sentence.start)
            return True
        return self._ceremony_at is not None and self._ceremony_at[0] == sentence.para \
            and self._ceremony_at[1] < sentence.start

    def main_event(self, sentence: Sentence, exclude: Iterable[str] = ()) -> str | None:
        """The last event named before the sentence that is part of no other: an opening
        ceremony opens the main event, not the sub-exhibition named last."""
        skip = set(exclude)
        children = {r.subject for r in self.relations if r.predicate == "partOf"}
        idx = bisect.bisect_left(self.positions, ((sentence.para, sentence.start), ""))
        for _, key in reversed(self.positions[:idx]):
            if self.entities[key].type in EVENT_TYPES and key not in skip and key not in children:
                return key
        return self.focus(sentence, sentence.start, exclude)

    def read_relations(self, sentence: Sentence, patterns: tuple[RelationPattern, ...]) -> None:
        self._sentence = sentence
        self._claimed = []
        masked, slots, offsets = _mask(sentence.text, sentence.start, sentence.mentions)
        used: set[int] = set()
        for mention in sentence.mentions + [n for m in sentence.mentions for n in m.nested]:
            if not mention.whole or not mention.key:
                continue
            whole = self._find(mention.whole, "Project")
            if whole is None:  # the whole project is named inside the phase's name only
                whole = self._new("Project").key
                self._name(whole, mention.whole, "Project")
            if whole != mention.key:
                self.add(Relation(mention.key, "partOf", whole, sentence.text, "zh", 0.8, "zh:project-phase"))
        for pattern in patterns:
            if pattern.scope in ("sentence", "any"):
                self._apply(pattern, masked, slots, offsets, sentence, None, used)
        for container in sentence.mentions:
            if not container.key or not container.nested:
                continue
            ctype = self.entities[container.key].type
            inner_masked, inner_slots, inner_offsets = _mask(
                sentence.text[container.start - sentence.start:container.end - sentence.start],
                container.start, container.nested)
            if inner_masked[:1] in "《〈“\"「『":  # the marks around a title are not part of it
                inner_masked, inner_offsets = inner_masked[1:], inner_offsets[1:]
            if inner_masked[-1:] in "》〉”\"」』":
                inner_masked, inner_offsets = inner_masked[:-1], inner_offsets[:-1]
            for pattern in patterns:
                if pattern.scope in ("inside", "any") and (not pattern.container or ctype in pattern.container):
                    self._apply(pattern, inner_masked, inner_slots, inner_offsets, sentence, container, used)

    def _apply(self, pattern: RelationPattern, masked: str, slots: dict[int, Mention],
               offsets: list[int], sentence: Sentence, container: Mention | None, used: set[int]) -> None:
        for match in pattern.regex.finditer(masked):
            at = offsets[match.start()] if match.start() < len(offsets) else sentence.end
            if pattern.value and pattern.exclusive:
                ids = _slot_ids(match.group(pattern.object) or "")
                if any(i in used for i in ids):
                    continue
            if pattern.ceremony and not self._at_ceremony(sentence, at):
                continue
            if pattern.titles and not all(slots[i].value in pattern.titles
                                          for i in _slot_ids(match.group("t") or "") if i in slots):
                continue
            subjects = self._role(pattern.subject, pattern, match, slots, offsets, sentence, container, at, True)
            objects = self._role(pattern.object, pattern, match, slots, offsets, sentence, container, at, False)
            if not subjects or not objects:
                continue
            added = False
            for subj in subjects:
                for obj in objects:
                    added |= self._relate(pattern, subj, obj, sentence, match)
            if added and pattern.exclusive:
                used.update(_slot_ids(match.group(pattern.object) or ""))

    def _role(self, role: str, pattern: RelationPattern, match: re.Match[str], slots: dict[int, Mention],
              offsets: list[int], sentence: Sentence, container: Mention | None, at: int,
              is_subject: bool) -> list[Any]:
        if role == "@container":
            return [container.key] if container is not None and container.key else []
        if role in ("@event", "@project"):
            other = pattern.object if is_subject else pattern.subject
            exclude = [] if other.startswith("@") else [
                slots[i].key for i in _slot_ids(match.group(other) or "") if i in slots and slots[i].key]
            if role == "@event" and self._at_ceremony(sentence, at):
                key = self.main_event(sentence, exclude)
            else:
                key = self.focus(sentence, at, exclude, EVENT_TYPES if role == "@event" else ("Project",))
            return [key] if key else []
        text = match.group(role)
        if text is None:
            return []
        if not is_subject and pattern.value:
            values = [slots[i].value for i in _slot_ids(text) if i in slots]
            return [v for v in values if v is not None]
        if not is_subject and pattern.create:
            start, end = match.span(role)
            if start >= end or end > len(offsets):
                return []
            # the group's own text, placeholders undone: 考古遗址公园建设 stays one item
            first, last = offsets[start] - sentence.start, offsets[end - 1] - sentence.start
            last_mention = next((m for m in slots.values() if m.start == offsets[end - 1]), None)
            stop = (last_mention.end - sentence.start) if last_mention else last + 1
            created = self._create_from(sentence.text[first:stop], sentence, pattern.create)
            if created:  # 石窟寺考古研究 is the item: a vocabulary topic inside it is no item of its own
                self._claimed.append((sentence.start + first, sentence.start + stop))
            return created
        keys = []
        for i in _slot_ids(text):
            mention = slots.get(i)
            if mention is None or not mention.key:
                continue
            if is_subject and pattern.named and mention.anaphor:
                continue
            if not is_subject and container is None and any(
                    a <= mention.start and mention.end <= b for a, b in self._claimed):
                continue
            if not is_subject and pattern.object_types and self.entities[mention.key].type not in pattern.object_types:
                continue
            key = mention.key
            if not is_subject and pattern.via == "government":
                key = self._government_of(key)
                if key is None:
                    continue
            if key not in keys:
                keys.append(key)
        return keys

    def _government_of(self, place: str) -> str | None:
        """The body the article names as a place's government (某省 -> 某省人民政府)."""
        entity = self.entities[place]
        for name in entity.names.get("zh", ()):
            for suffix in self.lex.government_suffixes:
                key = self.by_name.get(norm_name(name + suffix))
                if key and self.entities[key].type == "Organization":
                    return key
        return None

    def _create_from(self, text: str, sentence: Sentence, kind: str) -> list[str]:
        """Entities named by a raw list (就清单编制、知识产权等议题): reuse, else create."""
        keys = []
        parts: list[str] = [""]
        for word in jieba.cut(text):  # split at list words, never inside one (参与 keeps its 与)
            if word in ("、", "和", "与", "及", "以及", "或"):
                parts.append("")
            else:
                parts[-1] += word
        for part in parts:
            part = part.strip(" 等")
            if not 2 <= len(part) <= 16 or not _CJK.search(part) or _NAME_BREAK.search(part):
                continue
            key = self._find(part, kind)
            if key is None:
                topic = self.lex.topics.get(part)
                key = self._new(kind).key
                for name in (topic[1] if topic else ()):
                    self.entities[key].add_name(name, "en")
            self._name(key, part, kind)
            keys.append(key)
        return keys

    def _relate(self, pattern: RelationPattern, subj: Any, obj: Any, sentence: Sentence,
                match: re.Match[str]) -> bool:
        predicates: list[tuple[str, Any]] = []
        if pattern.predicate == "@date":
            if not isinstance(obj, DateMatch) or obj.year is None:
                return False
            if obj.is_range:
                predicates = [("startDate", _date_value(obj.year, obj.month, obj.day)),
                              ("endDate", _date_value(obj.end_year, obj.end_month, obj.end_day))]
            else:
                tail = match.group(0)
                ends = any(w in tail for w in self.lex.date_end_words)
                predicates = [("endDate" if ends else "startDate", _date_value(obj.year, obj.month, obj.day))]
        elif pattern.value == "date":
            if not isinstance(obj, DateMatch) or obj.year is None:
                return False
            predicates = [(pattern.predicate, _date_value(obj.year, obj.month, obj.day))]
        elif pattern.value == "int":
            if not isinstance(obj, Quantity):
                return False
            predicates = [(pattern.predicate, Value("int", str(obj.value)))]
        elif pattern.value == "amount":  # 500万元: the sum, and its currency from the unit word
            if not isinstance(obj, Quantity):
                return False
            predicates = [(pattern.predicate, Value("decimal", str(obj.value)))]
            currency = self.lex.currencies.get(obj.classifier or "")
            if currency:
                predicates.append(("currency", Value("text", currency)))
        elif pattern.value == "text":
            predicates = [(pattern.predicate, Value("text", str(obj), "zh"))]
        else:
            predicates = [(pattern.predicate, obj)]
        added = False
        for predicate, value in predicates:
            if value is None or not isinstance(subj, str) or subj == value:
                continue
            domain, range_ = DOMAIN_RANGE.get(predicate, ((), ()))
            if domain and self.entities[subj].type not in domain:
                continue
            if isinstance(value, str):
                if range_ is None or self.entities[value].type not in range_:
                    continue
            elif range_ is not None:
                continue
            self.add(Relation(subj, predicate, value, sentence.text, "zh", pattern.confidence, pattern.id))
            added = True
        return added

    def add(self, relation: Relation) -> None:
        merge_relation(self.relations, relation)

    # end of article -------------------------------------------------------------------------
    def finish(self) -> None:
        """Article-level rules: forums of an expo article, attendance implied by speaking, years."""
        self._context_part_of()
        self._drop_vaguer_dates()
        speakers = {(r.subject, r.object) for r in self.relations if r.predicate == "speaker"}
        self.relations = [r for r in self.relations
                          if not (r.predicate == "participant" and (r.subject, r.object) in speakers)]
        for relation in self.relations:
            if relation.predicate == "startDate" and isinstance(relation.object, Value):
                entity = self.entities[relation.subject]
                if entity.type in EVENT_TYPES and entity.year is None:
                    entity.year = relation.object.value[:4]
        used = {r.subject for r in self.relations} | {r.object for r in self.relations if isinstance(r.object, str)}
        used |= {key for _, key in self.positions}
        self.entities = {k: e for k, e in self.entities.items() if k in used and (e.names or e.acronyms)}
        # an entity with no name (该工程 with nothing before it to point to) takes its facts along
        self.relations = [r for r in self.relations if r.subject in self.entities
                          and (not isinstance(r.object, str) or r.object in self.entities)]

    def _drop_vaguer_dates(self) -> None:
        """2024年“某日”活动 then 6月8日,…开幕: a year (or month) that a fuller date of the same
        subject and predicate starts with says less, and goes."""
        dated = [r for r in self.relations if r.predicate in ("startDate", "endDate") and isinstance(r.object, Value)]
        vaguer = {id(r) for r in dated for other in dated if other is not r
                  and (other.subject, other.predicate) == (r.subject, r.predicate)
                  and len(other.object.value) > len(r.object.value)
                  and other.object.value.startswith(r.object.value)}
        self.relations = [r for r in self.relations if id(r) not in vaguer]

    def _context_part_of(self) -> None:
        """A forum with no parent, first named after the article's main expo, is part of it."""
        rule = self.lex.context_part_of
        if not rule:
            return
        order = sorted((pos, key) for key, (pos, _) in self.first_seen.items())
        parents = [(pos, key) for pos, key in order if self.entities[key].type in rule["parent"]]
        if not parents:
            return
        parent_pos, parent = parents[0]
        has_parent = {r.subject for r in self.relations if r.predicate == "partOf"}
        for pos, key in order:
            entity = self.entities[key]
            if entity.type in rule["child"] and key not in has_parent and pos > parent_pos and key != parent:
                self.add(Relation(key, "partOf", parent, self.first_seen[key][1], "zh",
                                  float(rule["confidence"]), "zh:part-of-context"))


def _mask(text: str, offset: int, mentions: list[Mention]) -> tuple[str, dict[int, Mention], list[int]]:
    """The text with each mention replaced by ⟦<code><n>⟧; `offsets` maps back to the paragraph."""
    out: list[str] = []
    offsets: list[int] = []
    slots: dict[int, Mention] = {}
    pos = 0
    flat = half_width(text)
    for n, mention in enumerate(sorted(mentions, key=lambda m: m.start)):
        start, end = mention.start - offset, mention.end - offset
        if start < pos or end > len(text):
            continue
        out.append(flat[pos:start])
        offsets.extend(range(offset + pos, offset + start))
        code = "V" if mention.venue else CODES.get(mention.kind)
        if mention.key is None and mention.is_entity:
            code = None
        if code is None:  # an aside or an unresolved name: left out of the masked text
            pos = end
            continue
        placeholder = f"⟦{code}{n}⟧"
        slots[n] = mention
        out.append(placeholder)
        offsets.extend([offset + start] * len(placeholder))
        pos = end
    out.append(flat[pos:])
    offsets.extend(range(offset + pos, offset + len(text)))
    return "".join(out), slots, offsets


def _slot_ids(text: str) -> list[int]:
    return [int(m.group(1)) for m in re.finditer(r"⟦[A-Z](\d+)⟧", text)]


def _date_value(year: int | None, month: int | None, day: int | None) -> Value | None:
    if year is None:
        return None
    if month is None:
        return Value("gYear", f"{year:04d}")
    if day is None:
        return Value("gYearMonth", f"{year:04d}-{month:02d}")
    return Value("date", f"{year:04d}-{month:02d}-{day:02d}")


def _place_stem(name: str, lex: Lexicon) -> str | None:
    for suffix in lex.place_suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[:-len(suffix)]
    return None
