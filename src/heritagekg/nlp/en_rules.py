"""English sentence rules: each reads one relation family from the patterns news uses.

Rules see a Sentence (its tokens and resolved mentions) and the reader (entities, main event,
cue words). They call ``reader.relate``; they never build RDF. Registration order is run order.
"""
from __future__ import annotations

import functools
import re

from heritagekg import dates
from heritagekg.model import Value
from heritagekg.nlp import cues
from heritagekg.nlp.en import (_TITLE_WORD, EVENT_TYPES, PLACE_TYPES, EnglishReader, Mention, Sentence, _clean,
                               _phrase_regex, rule)
from heritagekg.textnorm import norm_name


def _cue_positions(s: Sentence, phrases: list[str]) -> list[tuple[int, int]]:
    """Token (start, end) of every cue phrase in the sentence (case-insensitive, word-bounded)."""
    regex = _phrase_regex(phrases)
    doc = s.span.doc
    out = []
    for m in regex.finditer(s.raw):
        span = doc.char_span(s.span.start_char + m.start(), s.span.start_char + m.end(),
                             alignment_mode="expand")
        if span is not None:
            out.append((span.start, span.end))
    return out


def _list_after(s: Sentence, pos: int, types: tuple[str, ...]) -> list[Mention]:
    """Mentions of `types` forming a list right after token `pos` ("A, B, C and D")."""
    doc = s.span.doc
    out: list[Mention] = []
    i = pos
    mentions = sorted((m for m in s.mentions if m.start >= pos), key=lambda m: m.start)
    for m in mentions:
        if m.start < i:
            continue  # "(UNWTO)" after "World Tourism Organization"
        gap = [t for t in doc[i:m.start]]
        if any(not (t.is_punct and t.text in ",;") and t.lower_ not in ("and", "the", "&", "as", "well", "with",
                                                                      "both", "from", "by", "together", "jointly")
               and not (t.pos_ == "ADJ" and t.is_lower and "Organization" in types)  # "the federal Ministry"
               for t in gap):
            break
        if m.type in types:
            if m.end + 1 < len(doc) and doc[m.end].lower_ in ("'s", "’s"):
                owned = [o for o in mentions if o.start == m.end + 1 and o.type in types]
                if owned:  # "the IDB's Housing and Urban Development Division": the division
                    m = owned[0]
            out.append(m)
            i = m.end
            # skip "(ACRONYM)"
            if i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")":
                i += 3
        else:
            break
    return out


# --- organizers ------------------------------------------------------------------------------

@rule("organizer")
def organizer(r: EnglishReader, s: Sentence) -> None:
    doc = s.span.doc
    orgs = ("Organization", "Person")
    # "organized/hosted/convened by A, B and C" and "organized in collaboration with A, B, C and D"
    for tok in s.tokens if s.has_lemma(r.cue["organizer_verbs"]) else ():
        if tok.lemma_.lower() in r.cue["organizer_verbs"] and tok.tag_ in ("VBN", "VBD"):
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            start = None
            if nxt is not None and nxt.lower_ == "by":
                start = nxt.i + 1
            elif nxt is not None:
                for cue_start, cue_end in _cue_positions(s, r.cue["organizer_collab"]):
                    if cue_start == nxt.i or (nxt.lower_ == "jointly" and cue_start == nxt.i):
                        start = cue_end
            if start is None:
                continue
            listed = _list_after(s, start, orgs + ("Place",))
            if tok.lemma_.lower() == "host" and len(listed) == 1 and listed[0].type == "Place" \
                    and r.entities[listed[0].key].authority_id:
                # "The 12th X will be hosted by Malaysia": a known country or city hosts it there
                event = _clause_event(r, s, tok.i) if s.of_type(*EVENT_TYPES) else None
                if event:
                    r.relate(event, "location", listed[0].key, s, 0.75, "en:hosted-by-place")
                continue
            listed = [m for m in listed if m.type != "Place" or _institution(r, m)]
            if listed:  # "organized by A in partnership with B and C"
                for cue_start, cue_end in _cue_positions(s, r.cue["organizer_collab"]):
                    last = listed[-1].end
                    clause = doc[last:cue_start]
                    if 0 <= cue_start - last <= 14 and not any(t.pos_ == "VERB" for t in clause):
                        listed += _list_after(s, cue_end, orgs)
            event = _clause_event(r, s, tok.i)
            for m in listed:
                if event:
                    r.relate(event, "organizer", m.key, s, 0.9, "en:organizer-by")
    # "with the Royal Government of X as host"
    for m in s.of_type("Organization"):
        if m.end + 1 < len(doc) and doc[m.end].lower_ == "as" and doc[m.end + 1].lemma_.lower() in (
                "host", "organizer", "organiser", "co-host", "co-organizer", "convener"):
            event = _clause_event(r, s, m.start)
            if event:
                r.relate(event, "organizer", m.key, s, 0.85, "en:organizer-as-host")
    # "approved by UNESCO's Executive Board at its 221st session"
    for m in s.of_type("Organization"):
        if m.end + 2 < len(doc) and doc[m.end].lower_ == "at" and doc[m.end + 1].lower_ in ("its", "their"):
            events = [e for e in s.of_type(*EVENT_TYPES) if e.start == m.end + 2]
            if events:
                r.relate(events[0].key, "organizer", m.key, s, 0.8, "en:organizer-at-its")
    # "the World Heritage Committee inscribed ... on the third day of its 48th session"
    subjects = [m for m in s.of_type("Organization") if doc[m.end - 1].dep_ in ("nsubj", "appos")]
    if len(subjects) == 1:
        for e in s.of_type(*EVENT_TYPES):
            if e.start > subjects[0].end and e.start >= 1 and doc[e.start - 1].lower_ in ("its", "their") \
                    and not e.coref:
                r.relate(e.key, "organizer", subjects[0].key, s, 0.75, "en:organizer-its-event")
    # "IFACCA held its 8th General Assembly", "the Committee continued its 43rd session"
    for m in s.of_type("Organization"):
        head = doc[m.end - 1]
        verb = head.head if head.dep_ in ("nsubj", "nsubjpass") else None
        if verb is None or verb.lemma_.lower() not in ("hold", "continue", "convene", "organize", "organise",
                                                       "host", "open", "stage"):
            continue
        for e in s.of_type(*EVENT_TYPES):
            if e.start > verb.i and e.start - verb.i <= 3 and doc[e.start - 1].lower_ in ("its", "their", "the") \
                    or (e.start > verb.i and e.start - verb.i <= 2 and not e.coref):
                r.relate(e.key, "organizer", m.key, s, 0.85, "en:organizer-holds")
                break


def _institution(r: EnglishReader, m: Mention) -> bool:
    """A place named as a host ("hosted by Tbilisi City Hall") is the institution seated there."""
    ent = r.entities[m.key]
    if ent.authority_id:
        return False
    ent.type = m.type = "Organization"
    return True


def _clause_event(r: EnglishReader, s: Sentence, pos: int) -> str | None:
    """The event a participle at `pos` describes: the nearest event before it, else the subject after."""
    events = s.of_type(*EVENT_TYPES)
    before = [m for m in events if m.end <= pos]
    if before:
        return before[-1].key
    after = [m for m in events if m.start > pos]
    if after:
        return after[0].key
    return r.main_event


# --- part of ---------------------------------------------------------------------------------

@rule("part-of")
def part_of(r: EnglishReader, s: Sentence) -> None:
    for start, end in _cue_positions(s, r.cue["part_of_cues"]):
        targets = [m for m in s.mentions if m.start >= end and m.type in (*EVENT_TYPES, "Project")]
        if not targets:
            continue
        whole = targets[0]
        if whole.start - end > 3:
            continue
        part = None
        for m in s.mentions:
            if m.end <= start and m.type in (*EVENT_TYPES, "Project") and m.key != whole.key:
                part = m
        if part is None:
            later = [m for m in s.mentions if m.start > whole.end and m.type in (*EVENT_TYPES,) and
                     m.key != whole.key]
            part = later[0] if later else None
        if part is not None:
            r.relate(part.key, "partOf", whole.key, s, 0.9, "en:part-of")


# --- where and when ----------------------------------------------------------------------------

_LOC_PREPS = ("in", "at")


@rule("event-location")
def event_location(r: EnglishReader, s: Sentence) -> None:
    doc = s.span.doc
    venue_heads = set(r.cue["venue_heads"])
    held = set(r.cue["event_held_verbs"])
    has_event_verb = s.has_lemma(held) and any(t.lemma_.lower() in held and t.pos_ in ("VERB", "AUX")
                                               for t in s.tokens) or "place" in s.lowers
    if not has_event_verb:
        # "its 48th session at the BEXCO convention centre in Busan": the place follows the event
        for e in s.of_type(*EVENT_TYPES):
            if e.end + 1 < len(doc) and doc[e.end].lower_ in _LOC_PREPS:
                k = e.end + 1 + (1 if doc[e.end + 1].lower_ == "the" else 0)
                chain = [p for p in s.of_type(*PLACE_TYPES) if p.start == k]
                while chain:
                    r.relate(e.key, "location", chain[-1].key, s, 0.75, "en:event-at-place")
                    nxt = chain[-1].end
                    chain = [p for p in s.of_type(*PLACE_TYPES) if nxt + 1 < len(doc) and
                             doc[nxt].lower_ == "in" and p.start == nxt + 1]
        return
    for m in s.mentions:
        if m.start == 0 or doc[m.start - 1].lower_ not in _LOC_PREPS and not (
                doc[m.start - 1].lower_ == "the" and m.start > 1 and doc[m.start - 2].lower_ in _LOC_PREPS):
            continue
        prep_i = m.start - 1 if doc[m.start - 1].lower_ in _LOC_PREPS else m.start - 2
        ent = r.entities[m.key]
        if m.type == "Organization" and doc[m.end - 1].lower_ in venue_heads and doc[prep_i].lower_ == "at":
            ent.type = m.type = "Place"  # "at the Heydar Aliyev Center": a venue
            r.priority[m.key] = 3
        if m.type not in PLACE_TYPES:
            continue
        if m.end + 1 < len(doc) and doc[m.end].lower_ in ("'s", "’s"):
            # "opened in Tallinn's Old Town": the possessed place is where
            owned = [o for o in s.of_type(*PLACE_TYPES) if o.start == m.end + 1 and not o.coref]
            # "in Kenya's coastal city of Mombasa"
            m = owned[0] if owned else _place_of_kind(r, s, m.end + 1) or m
        owner = [o for o in s.mentions if o.end == prep_i and o.type == "Organization"]
        if owner:
            r.relate(owner[0].key, "location", m.key, s, 0.75, "en:org-in-place")
            continue
        # the event: nearest before the preposition, else the subject after
        event = None
        for e in s.mentions:
            if e.type in EVENT_TYPES and e.end <= prep_i:
                event = e.key
        if event is None:
            after = [e for e in s.mentions if e.type in EVENT_TYPES and e.start > m.end]
            event = after[0].key if after else None
        if event is None and s.para == (r.sentences[0].para if r.sentences else -1):
            event = r.main_event
        if event is None:
            continue
        # "in the Heydar Aliyev Center in Baku": both are locations, the venue is within the city
        r.relate(event, "location", m.key, s, 0.8, "en:event-location")


def _may_be_within(r: EnglishReader, inner: str, outer: str) -> bool:
    """False only when the authority file knows both places and says `inner` is not within `outer`."""
    a, b = r.entities[inner].authority_id, r.entities[outer].authority_id
    return not (a and b and not r.authority.is_within(a, b))


def _place_of_kind(r: EnglishReader, s: Sentence, k: int) -> Mention | None:
    """The place named at token k by "[adjectives] city/town/... of P" ("Kenya's coastal city of Mombasa")."""
    doc = s.span.doc
    start = k
    while k < len(doc) and k - start < 3 and doc[k].pos_ == "ADJ":
        k += 1
    if k + 1 < len(doc) and doc[k].lower_ in r.cue["place_kind_nouns"] and doc[k + 1].lower_ == "of":
        return next((o for o in s.of_type(*PLACE_TYPES) if o.start == k + 2 and not o.coref), None)
    return None


@rule("located-in")
def located_in(r: EnglishReader, s: Sentence) -> None:
    doc = s.span.doc
    places = s.of_type(*PLACE_TYPES)
    for a in places:
        for b in places:
            if a.key == b.key:
                continue
            closed = b.end >= len(doc) or doc[b.end].is_punct
            if b.start == a.end + 1 and doc[a.end].lower_ in ("in", ","):
                if doc[a.end].text == "," and (r.entities[b.key].type != "Place" or not closed):
                    continue
                if _may_be_within(r, a.key, b.key):
                    r.relate(a.key, "locatedIn", b.key, s, 0.8, "en:place-in-place")
            # "Jelling, in Denmark,": a place set off by commas
            if b.start == a.end + 2 and doc[a.end].text == "," and doc[a.end + 1].lower_ == "in" and closed \
                    and r.entities[b.key].type == "Place" and _may_be_within(r, a.key, b.key):
                r.relate(a.key, "locatedIn", b.key, s, 0.75, "en:place-comma-in")
            # "Kyoto's Kiyomizu-dera temple", "Tallinn's Old Town": the possessor place holds the other
            if b.start == a.end + 1 and doc[a.end].lower_ in ("'s", "’s") \
                    and r.entities[a.key].type == "Place" and not b.coref and not a.coref \
                    and _may_be_within(r, b.key, a.key):
                r.relate(b.key, "locatedIn", a.key, s, 0.75, "en:place-possessive")
    # "Kenya's coastal city of Mombasa"
    for a in places:
        if r.entities[a.key].type == "Place" and a.end + 1 < len(doc) and doc[a.end].lower_ in ("'s", "’s"):
            inner = _place_of_kind(r, s, a.end + 1)
            if inner is not None and inner.key != a.key and _may_be_within(r, inner.key, a.key):
                r.relate(inner.key, "locatedIn", a.key, s, 0.75, "en:place-kind-of")
    # "Ancient Ferrous Metallurgy Sites of Burkina Faso": a site named after its country
    for m in s.of_type("HeritageSite"):
        ent = r.entities[m.key]
        for inner in r.authority_places_in(m.text):
            key = r.entity(inner[0], inner[1], "authority", authority_id=inner[2])
            if key != m.key and re.search(r"\b(of|in)\s+(the\s+)?" + re.escape(inner[0]) + r"$", ent.label):
                r.relate(m.key, "locatedIn", key, s, 0.75, "en:site-of-place")


_DATE_HINT = re.compile(r"\d|月")
_SINCE_YEAR = re.compile(r"\b(?:since|(?:launched|started|began|established|created|founded|set up)"
                         r"(?: by [^.,;]{1,60}?)? in)\s+(1[5-9]\d\d|20\d\d)\b")
_ON_WEEKDAY = re.compile(r"\bon (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?!,? \d)")
_YEAR_RANGE = re.compile(r"\b(?:from|between) (1[5-9]\d\d|20\d\d) (?:to|until|through|and) (1[5-9]\d\d|20\d\d)\b")


@rule("event-date")
def event_date(r: EnglishReader, s: Sentence) -> None:
    if r.dateline and r.dateline[0] is s:
        text = s.raw
        cut = re.search(r"[–—]\s", text)
        base = s.span.start_char + (cut.end() if cut else 0)
        body = text[cut.end():] if cut else text
    else:
        base, body = s.span.start_char, s.raw
    year = int(r.year) if r.year else None
    doc = s.span.doc
    # every date shape holds a digit (any script) or 月: most sentences hold neither
    found = dates.find_dates(body, default_year=year) if _DATE_HINT.search(body) else []
    for d in found:
        span = doc.char_span(base + d.start, base + d.end, alignment_mode="expand")
        if span is None or d.year is None:
            continue
        before = body[:d.start].lower()
        # the subject: nearest event/project before the date, else the first after
        subj = _date_subject(s, span)
        if subj is None:
            for m in s.mentions:
                if m.type in (*EVENT_TYPES, "Project") and m.end <= span.start:
                    subj = m
        if subj is None:
            later = [m for m in s.mentions if m.type in (*EVENT_TYPES, "Project") and m.start >= span.end]
            subj = later[0] if later else None
        if subj is None:
            continue
        before = re.sub(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s*$", "", before.rstrip())
        if not re.search(r"\b(on|from|between|since|in|during|held|met|runs?|ran|took place|opened|"
                         r"begins?|began|started)\s*$", before.strip()[-20:] + " ") and not \
                re.search(r"\b(on|from|between|in|during|since)\s*$", before):
            continue
        ent = r.entities[subj.key]
        conf = 0.9 if d.is_range else 0.8
        if ent.type == "Project" and d.month is not None:
            continue
        if not r.has(subj.key, "startDate"):
            r.relate(subj.key, "startDate", Value(d.kind, d.value), s, conf, "en:event-date")
            if d.is_range and d.end_value and d.end_year is not None or (d.is_range and d.end_value):
                end_value = d.end_value
                if end_value and not end_value.startswith("--"):
                    kind = "date" if end_value.count("-") == 2 else ("gYearMonth" if "-" in end_value else "gYear")
                    r.relate(subj.key, "endDate", Value(kind, end_value), s, conf, "en:event-date")
    # "implemented ... since 2020", "launched in 2019": a project's first year
    for m in _SINCE_YEAR.finditer(body):
        span = doc.char_span(base + m.start(), base + m.end(), alignment_mode="expand")
        projs = [x for x in s.of_type("Project") if span is not None and x.end <= span.start]
        target = projs[-1].key if projs else None
        if target is None and any(t.lower_ in r.cue["generic_project_nouns"] for t in s.tokens):
            target = r.main_project
        if target and not r.has(target, "startDate"):
            r.relate(target, "startDate", Value("gYear", m.group(1)), s, 0.7, "en:since-year")
    # "opened on Friday": the last such weekday on or before the story's date, for the event the
    # verb's subject names
    if r.dateline_date:
        import datetime as _dt
        for m in _ON_WEEKDAY.finditer(body):
            span = doc.char_span(base + m.start(), base + m.end(), alignment_mode="expand")
            subj = _date_subject(s, span) if span is not None else None
            if subj is None or subj.type not in EVENT_TYPES:
                continue
            story = _dt.date.fromisoformat(r.dateline_date)
            want = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday").index(m.group(1))
            day = story - _dt.timedelta(days=(story.weekday() - want) % 7)
            r.relate(subj.key, "startDate", Value("date", day.isoformat()), s, 0.6, "en:weekday-date")
    # "... and will remain on view until 15 December 2024": the end of an event already dated
    for d in found:
        if d.year is None or d.is_range or not re.search(r"\b(until|till|through|to)\s*$", body[:d.start]):
            continue
        span = doc.char_span(base + d.start, base + d.end, alignment_mode="expand")
        subj = _date_subject(s, span) if span is not None else None
        key = subj.key if subj else r.context_event(s)
        if key and r.has(key, "startDate") and not r.has(key, "endDate"):
            r.relate(key, "endDate", Value(d.kind, d.value), s, 0.75, "en:until-date")
    # "from 2008 to 2015" (years alone, for projects)
    for m in _YEAR_RANGE.finditer(body):
        span = doc.char_span(base + m.start(), base + m.end(), alignment_mode="expand")
        subj = None
        for x in s.mentions:
            if x.type in (*EVENT_TYPES, "Project") and span is not None and x.end <= span.start:
                subj = x
        if subj and not r.has(subj.key, "startDate"):
            r.relate(subj.key, "startDate", Value("gYear", m.group(1)), s, 0.8, "en:year-range")
            r.relate(subj.key, "endDate", Value("gYear", m.group(2)), s, 0.8, "en:year-range")


def _date_subject(s: Sentence, span) -> Mention | None:
    """The event or project that is the subject of the verb a date hangs on ("X was held ... on DATE")."""
    tok = span.root
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    for child in tok.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            for m in s.mentions:
                if m.start <= child.i < m.end and m.type in (*EVENT_TYPES, "Project"):
                    return m
            if child.lower_ in ("which", "that") and tok.dep_ == "relcl":
                # "the X Fair 2024, which opened on Friday": the noun the clause hangs on
                for m in s.mentions:
                    if m.start <= tok.head.i < m.end and m.type in (*EVENT_TYPES, "Project"):
                        return m
    return None


@rule("event-year-in-name")
def event_year_in_name(r: EnglishReader, s: Sentence) -> None:
    for m in s.of_type(*EVENT_TYPES):
        ent = r.entities[m.key]
        if m.coref or not re.match(r"^(1[5-9]\d\d|20\d\d)\b", m.text):
            continue
        if not r.has(m.key, "startDate"):
            r.relate(m.key, "startDate", Value("gYear", m.text[:4]), s, 0.7, "en:year-in-name")
        del ent


@rule("event-place-in-name")
def event_place_in_name(r: EnglishReader, s: Sentence) -> None:
    """"Silk Road (Dunhuang) International Cultural Expo": the parenthesised city is the venue."""
    for m in s.of_type(*EVENT_TYPES):
        if m.coref:
            continue
        inner = re.search(r"\(([^()]+)\)", m.text)
        if not inner:
            continue
        entry = r.authority.lookup(inner.group(1))
        if entry and entry.type in PLACE_TYPES:
            key = r.entity(inner.group(1), entry.type, "authority", authority_id=entry.id)
            r.relate(m.key, "location", key, s, 0.75, "en:place-in-event-name")


# --- people ------------------------------------------------------------------------------------

@rule("person-title")
def person_title(r: EnglishReader, s: Sentence) -> None:
    doc = s.span.doc
    _retype_people(r, s)
    text = s.raw
    base = s.span.start_char
    titles = r.title_re
    honorary = {h.lower() for h in r.cue["honorary_titles"]}
    persons = s.of_type("Person")
    # "ORG TITLE NAME" / "TITLE NAME": the title stands right before the person
    for p in persons:
        if p.coref:
            continue
        pre = text[:doc[p.start].idx - base].rstrip()
        m = None
        title = ""
        for cand in titles.finditer(pre):
            tail = pre[cand.start():]
            if cand.end() == len(pre) or re.fullmatch(r"\S+(?:\s+(?:of|for|and|the|[A-Z][\w'’-]*))+", tail) \
                    and re.search(r"\s(?:of|for)\s", tail) and not tail.rstrip().endswith(("of", "for", "and")):
                m, title = cand, tail  # "Minister of Culture and Religious Affairs <Name>"
        if m is not None:
            tstart = m.start()
            left = pre[:tstart].rstrip()
            if left.endswith(("'s", "’s")):
                left = ""
            owner = _mention_ending_at(r, s, base + len(left)) if left else None
            _title(r, s, p.key, title, owner, honorary)
    # "NAME, (det) TITLE (of|at ORG)" and "(det) TITLE, NAME,"
    for p in persons:
        if p.coref:
            continue
        after = doc[p.end] if p.end < len(doc) else None
        if after is not None and after.text == ",":
            window_start = p.end + 1
            window_end = window_start
            while window_end < s.span.end and doc[window_end].text not in (",", ";", ".", "(") \
                    and not (doc[window_end].lower_ == "who"):
                window_end += 1
            if window_end < s.span.end and doc[window_end].text == "(":
                close = window_end
                while close < s.span.end and doc[close].text != ")":
                    close += 1
                w2 = close + 1
                while w2 < s.span.end and doc[w2].text not in (",", ";", "."):
                    w2 += 1
                window_end = w2
            _appositive(r, s, p, window_start, window_end, honorary)
            if window_start < len(doc) and doc[window_start].lower_ == "who":
                verb = doc[window_start + 1] if window_start + 1 < len(doc) else None
                if verb is not None and verb.lemma_.lower() in ("lead", "head", "direct", "chair", "run"):
                    orgs = [m for m in s.of_type("Organization") if m.start > verb.i and m.start - verb.i <= 4]
                    if orgs:
                        r.relate(p.key, "affiliation", orgs[0].key, s, 0.8, "en:who-leads")
        before_end = p.start - 1
        if before_end > s.span.start and doc[before_end].text == ",":
            j = before_end - 1

            def stops(k: int) -> bool:
                t = doc[k]
                if t.text in (",", ";", ".", "–", "—") or t.lower_ in ("by", "with"):
                    return True
                # "Azoulay and the Minister of Culture, X": a list; "Minister of Tourism and Heritage": a name
                return t.lower_ == "and" and (doc[k + 1].lower_ in ("the", "a", "an", "its", "his", "her")
                                              or any(m.end == k and m.type == "Person" for m in s.mentions))

            while j > s.span.start and not stops(j):
                j -= 1
            window = doc[j + 1 if stops(j) else j:before_end]
            if len(window) and titles.search(window.text) and not any(
                    m.start >= window.start and m.end <= window.end and m.type == "Person" for m in s.mentions):
                title = _title_text(window.text, titles, r)
                if title:
                    _title(r, s, p.key, title, None, honorary)


def _retype_people(r: EnglishReader, s: Sentence) -> None:
    """A name the statistical NER mistyped is a person when a job title or "who leads" follows it."""
    doc = s.span.doc
    for m in s.mentions:
        if m.type == "Person" or m.coref or r.priority.get(m.key, 0) > 1 or len(m.text.split()) < 2:
            continue
        if m.end + 1 >= s.span.end or doc[m.end].text != ",":
            continue
        k = m.end + 1
        window = []
        while k < s.span.end and doc[k].text not in (",", ";", ".") and len(window) < 12:
            window.append(doc[k].text)
            k += 1
        text = " ".join(window)
        lead = re.sub(r"^(the|a|an)\s+", "", text, flags=re.I)
        starts_title = bool(r.title_re.match(lead)) or bool(re.match(r"^[A-Z][\w.-]*\s", lead) and
                                                             r.title_re.search(" ".join(lead.split()[:3])))
        if starts_title or text.startswith("who leads") or text.startswith("who heads"):
            ent = r.entities[m.key]
            ent.type = m.type = "Person"
            r.priority[m.key] = 2


def _mention_ending_at(r: EnglishReader, s: Sentence, char: int) -> Mention | None:
    for m in s.mentions:
        if m.type in ("Organization",) and abs(s.span.doc[m.end - 1].idx + len(s.span.doc[m.end - 1].text) - char) <= 1:
            return m
    return None


def _title(r: EnglishReader, s: Sentence, person: str, title: str, org: Mention | None,
           honorary: set[str]) -> None:
    title = title.strip(" ,;")
    if not title:
        return
    r.relate(person, "jobTitle", Value("text", title, "en"), s, 0.85, "en:job-title")
    if org is not None and not any(h in title.lower() for h in honorary):
        r.relate(person, "affiliation", org.key, s, 0.85, "en:title-affiliation")


def _title_text(window: str, titles, r: EnglishReader | None = None) -> str | None:
    """The title phrase of an appositive: from the first title word's capitalised run to the end."""
    w = re.sub(r"^(the|a|an|its|his|her|their)\s+", "", window.strip(), flags=re.I)
    w = re.sub(r"^[A-Z][\w.-]*(?:\s[A-Z][\w.-]*)*['’]s\s+", "", w)  # "Mexico's Secretary of Culture"
    m = titles.search(w)
    if not m:
        return None
    start = m.start()
    words = w[:start].split()
    keep = []
    for word in reversed(words):
        place = r is not None and (e := r.authority.lookup(word)) is not None and e.type == "Place"
        if (word[:1].isupper() and not place) or word.lower() in ("conference", "programme", "project", "team"):
            keep.insert(0, word)
        else:
            break
    lead = w[:start].split()
    if lead and not keep and lead[-1][:1].islower() and len(lead) <= 2 and lead[0].lower() not in ("the",):
        keep = lead  # "conference coordinator"
    title = " ".join(keep + [w[start:]]).strip()
    title = re.sub(r"\s+of\s+(the\s+)?[A-Z][\w-]+(\s[A-Z][\w-]+)*$", lambda mm: mm.group(0)
                   if re.search(r"\b(Culture|Tourism|Works|Housing|Arts|Heritage|Education|Foreign|Affairs|State)\b",
                                mm.group(0)) else "", title)
    return title or None


def _appositive(r: EnglishReader, s: Sentence, p: Mention, start: int, end: int, honorary: set[str]) -> None:
    doc = s.span.doc
    if end <= start or doc[start].lower_ in ("and", "or", "but", "while"):
        return  # "X, and the French Ambassador, Y": the next person's title
    window = doc[start:end]
    if not r.title_re.search(window.text):
        return
    orgs = [m for m in s.of_type("Organization") if m.start >= start and m.end <= end]
    # the title ends where "of/at (the) ORG" begins
    cut = end
    org = None
    for m in orgs:
        k = m.start - 1
        while k > start and doc[k].lower_ == "the":
            k -= 1
        if doc[k].lower_ in ("of", "at", "for", "with"):
            portfolio = doc[k].lower_ in ("of", "for") and k > start and \
                doc[k - 1].lower_ in ("minister", "secretary", "commissioner", "minister-counsellor") and \
                r.priority.get(m.key, 0) < 2
            if portfolio:
                continue  # "Vice Minister of Cultural Heritage and Cultural Industries": a portfolio
            cut, org = k, m
            break
        if m.start == start or (m.start == start + 1 and doc[start].lower_ in ("the", "a", "an")):
            tail = doc[m.end:end].text.strip()
            if r.title_re.search(" ".join(tail.split()[:3])) and not any(
                    h in tail.lower() for h in honorary):
                org = m  # "Carla Benavides, IDB Country Representative in Peru"
        if r.title_re.match(doc[m.end:end].text.strip()) if m.end < end else False:
            org = m  # "a UNESCO Goodwill Ambassador"
    title_window = doc[start:cut].text
    # a trailing "and team leader for ..." is a second role: keep the first
    head, sep, tail = title_window.partition(" and ")
    if sep and r.title_re.search(tail):
        title_window = head
    title = _title_text(title_window, r.title_re, r)
    if not title:
        return
    if org is not None and org.start >= start and org.end <= cut and title.startswith(org.text):
        pass
    _title(r, s, p.key, title, org, honorary)


@rule("minister-of-ministry")
def minister_of_ministry(r: EnglishReader, s: Sentence) -> None:
    """"Minister of Tourism and Heritage" works for the "... Ministry of Tourism and Heritage" the
    article names."""
    for rel in list(r.relations):
        if rel.predicate != "jobTitle" or rel.evidence != s.text or not isinstance(rel.object, Value):
            continue
        m = re.match(r"^(?:Deputy |Vice[- ])?Minister (of|for) (.+)$", rel.object.value)
        if not m:
            continue
        want = f"ministry {m.group(1)} {m.group(2)}".lower()
        for key in r.order:
            ent = r.entities[key]
            if ent.type == "Organization" and any(n.lower().endswith(want) for n in ent.names.get("en", [])):
                r.relate(rel.subject, "affiliation", key, s, 0.7, "en:minister-of-ministry")
                break


@rule("person-of-organization")
def person_of_organization(r: EnglishReader, s: Sentence) -> None:
    """"Aroon Chaiyaporn of Chiang Mai University described ...": the person works there."""
    doc = s.span.doc
    for p in s.of_type("Person"):
        if p.coref or p.end + 1 >= len(doc) or doc[p.end].lower_ not in ("of", "from"):
            continue
        k = p.end + 1 + (1 if doc[p.end + 1].lower_ == "the" else 0)
        orgs = [o for o in s.of_type("Organization") if o.start == k]
        if orgs:
            r.relate(p.key, "affiliation", orgs[0].key, s, 0.75, "en:person-of-org")


@rule("publisher")
def publisher(r: EnglishReader, s: Sentence) -> None:
    """"X, a photographic catalogue published by the Y Archives": Y publishes X."""
    for start, end in _cue_positions(s, r.cue["publisher_cues"]):
        orgs = _list_after(s, end, ("Organization",))
        pubs = [m for m in s.mentions if m.type == "Publication" and m.end <= start]
        if orgs and pubs:
            for org in orgs:
                r.relate(pubs[-1].key, "publisher", org.key, s, 0.8, "en:published-by")


@rule("place-appositive")
def place_appositive(r: EnglishReader, s: Sentence) -> None:
    """"Stone Town, the historic centre of Zanzibar City": the first place lies in the second."""
    doc = s.span.doc
    places = s.of_type(*PLACE_TYPES)
    for a in places:
        if a.end + 2 >= len(doc) or doc[a.end].text != ",":
            continue
        for b in places:
            between = doc[a.end + 1:b.start].text.lower()
            if b.start > a.end + 2 and re.fullmatch(
                    r"(the|a|an)( historic| old| ancient| medieval)? (centre|center|capital|heart|part|"
                    r"old town|quarter|district|city|town|port|region|province) (of|in)( the)?", between):
                r.relate(a.key, "locatedIn", b.key, s, 0.75, "en:place-appositive")


# --- speakers and participants -------------------------------------------------------------------

@rule("speaker")
def speaker(r: EnglishReader, s: Sentence) -> None:
    doc = s.span.doc
    low = s.raw.lower()
    persons = [m for m in s.of_type("Person") if not m.coref]
    orgs = [m for m in s.of_type("Organization") if not m.coref]
    if not persons and not orgs:
        return
    strong_verbs = {"open", "address", "deliver", "present", "speak", "keynote", "chair", "moderate"}
    speech_verbs = set(r.cue["speaker_verbs"])
    speaker_cues = _cue_positions(s, r.cue["speaker_phrases"])
    participant_cues = _cue_positions(s, r.cue["participant_phrases"])
    # the event: one named in the sentence ("At Ministerial Thematic Session 2, ..."), else the main
    events = s.of_type(*EVENT_TYPES)
    event = r.context_event(s)
    if event is None:
        return
    title_spans = set()
    for p in persons:
        j = p.end
        if j < len(doc) and doc[j].text == ",":
            k = j + 1
            while k < s.span.end and doc[k].text not in (",", ";", "."):
                title_spans.add(k)
                k += 1
    context_words = set(r.cue["event_context"])
    context_re = _phrase_regex(context_words)
    outside = " ".join(t.text for t in s.tokens if t.i not in title_spans)
    ctx = bool(context_re.search(outside)) or bool(events)
    prev = r.sentences[s.index - 1] if s.index else None
    if prev is not None and prev.para == s.para:
        ctx = ctx or bool(context_re.search(prev.raw))
    cues_sorted = sorted([(a, "speaker") for a, _ in speaker_cues] + [(a, "participant") for a, _ in participant_cues])
    root = s.span.root
    subject_toks: set[int] = set()
    if root.lemma_.lower() in speech_verbs:
        for c in root.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
                subject_toks.update(t.i for t in c.subtree)
    for p in persons:
        role = None
        for pos, kind in cues_sorted:
            if pos < p.start:
                role = kind
        if role is None and p.start in subject_toks and (root.lemma_.lower() in strong_verbs or ctx):
            role = "speaker"
        if role is None and ctx and p.start >= 2 and doc[p.start - 1].text in ('"', "”") \
                and doc[p.start - 2].text in (",", "?", "!"):
            # '"...," Heo Min-jae, Administrator of X, told delegates': the quote's attribution
            k = p.end
            if k < s.span.end and doc[k].text == ",":
                k += 1
                while k < s.span.end and doc[k].text not in (",", ";", "."):
                    k += 1
                k += 1
            if k < s.span.end and doc[k].lemma_.lower() in speech_verbs:
                role = "speaker"
        if role is None:
            verb = _governing_verb(doc, p)
            if verb is not None and verb.lemma_.lower() in speech_verbs:
                if verb.lemma_.lower() in strong_verbs or ctx:
                    role = "speaker"
            elif verb is not None and any(pos > p.end for pos, _ in speaker_cues):
                role = "speaker"
        if role == "speaker":
            r.relate(event, "speaker", p.key, s, 0.75, "en:speaker")
        elif role == "participant":
            r.relate(event, "participant", p.key, s, 0.75, "en:participant")
    # organisations that report/present at an event took part in it
    for o in orgs:
        head = doc[o.end - 1]
        if head.dep_ == "nsubj" and head.head.lemma_.lower() in speech_verbs and events:
            r.relate(event, "participant", o.key, s, 0.65, "en:org-participant")


def _governing_verb(doc, m: Mention):
    """The verb a person is the subject of, following appositives ("X, Director of Y, opened")."""
    tok = doc[m.end - 1]
    seen = 0
    while tok.dep_ not in ("nsubj", "nsubjpass", "ROOT") and tok.head is not tok and seen < 6:
        if tok.dep_ in ("appos", "compound", "conj", "flat"):
            tok = tok.head
            seen += 1
            continue
        break
    if tok.dep_ in ("nsubj", "nsubjpass"):
        return tok.head
    # "Opening the meeting, X said": X is subject of the root
    return None


# --- publications --------------------------------------------------------------------------------

@rule("release")
def release(r: EnglishReader, s: Sentence) -> None:
    doc = s.span.doc
    text = s.raw
    verbs = set(r.cue["release_verbs"])
    release_nouns = set(r.cue["release_nouns"])
    for tok in s.tokens if s.has_lemma(verbs) or s.has_lemma(release_nouns) else ():
        lemma = tok.lemma_.lower()
        if not ((lemma in verbs and tok.pos_ == "VERB") or (lemma in release_nouns and tok.pos_ == "NOUN")):
            continue
        event = None
        if lemma in verbs:
            subj = [c for c in tok.children if c.dep_ in ("nsubj",)]
            if subj:
                sm = [m for m in s.mentions if m.start <= subj[0].i < m.end and m.type in EVENT_TYPES]
                event = sm[0].key if sm else None
            if event is None:
                before = [m for m in s.mentions if m.type in EVENT_TYPES and m.end <= tok.i]
                event = before[-1].key if before else None
            if event is None and (any(t.lower_ in ("meeting", "conference", "forum", "session") for t in s.tokens)
                                  or any(c.dep_ == "nsubj" and c.tag_ == "NNS" for c in tok.children)):
                event = r.context_event(s)  # "participants adopted the X Charter"
            if event is None:
                after = [m for m in s.mentions if m.type in EVENT_TYPES and m.start > tok.i]
                event = after[0].key if after else None  # "... launched X at the fair's book corner"
            publisher_org = [m for m in s.of_type("Organization") if subj and m.start <= subj[0].i < m.end]
        else:
            before = [m for m in s.mentions if m.type in EVENT_TYPES and m.end <= tok.i]
            event = before[-1].key if before else None
            publisher_org = []
        if event is None:
            continue
        # the released things: a colon list of titles, or publication mentions after the verb
        rest = text[tok.idx - s.span.start_char:]
        colon = rest.find(":")
        pubs: list[str] = []
        after = rest[len(tok.text):]
        named = _NAMED_WORK.match(after) or next(filter(None, (p.match(after) for p in _titled_works())), None)
        if named:
            title = named.group("title").strip().strip("“”\"")
            first = tok.idx + len(tok.text) + named.start("title")
            last = tok.idx + len(tok.text) + named.end("title")
            s.mentions[:] = [m for m in s.mentions if not (first <= doc[m.start].idx < last)]
            key = _publication(r, s, title)
            r.relate(key, "releasedAt", event, s, 0.8, "en:released-at")
            for _, cue_end in _cue_positions(s, ["prepared by", "published by", "produced by", "compiled by"]):
                makers = [m for m in s.of_type("Organization") if m.start >= cue_end and m.start - cue_end <= 1]
                if makers and doc[cue_end].idx >= last:
                    r.relate(key, "publisher", makers[0].key, s, 0.75, "en:publisher-prepared-by")
                    break
            else:
                if publisher_org and lemma in ("launch", "publish", "release", "issue", "present") \
                        and rest[len(tok.text):].lstrip().lower().startswith(("its ", "their ")):
                    r.relate(key, "publisher", publisher_org[0].key, s, 0.7, "en:publisher-its")
            for cue_start, cue_end in _cue_positions(s, ["prepared under", "produced under", "developed under",
                                                         "written under", "as part of", "under"]):
                projs = [m for m in s.of_type("Project") if m.start >= cue_end and m.start - cue_end <= 3
                         and doc[cue_start].idx >= last]
                if projs:
                    r.relate(key, "outputOf", projs[0].key, s, 0.75, "en:output-of")
                    break
            return
        if colon != -1 and colon < 60 and re.search(r"\b(products?|reports?|publications?|documents?|titles?|"
                                                    r"guidelines?|strategies|books?|resources?|outputs?)\s*$",
                                                    rest[:colon]):
            listed = rest[colon + 1:].strip().rstrip(".")
            first = s.span.start_char + (tok.idx - s.span.start_char) + colon + 1
            # names found inside the titles are parts of the titles, not things of their own
            s.mentions[:] = [m for m in s.mentions if doc[m.start].idx < first]
            for title in _split_titles(listed):
                key = _publication(r, s, title)
                pubs.append(key)
        else:
            window_end = tok.i + 14
            for m in s.mentions:
                if tok.i < m.start <= window_end and m.type in ("Publication", "Organization", "Project") \
                        and not m.coref:
                    if m.type != "Publication":
                        # a named thing that is launched/adopted is a publication or platform
                        if lemma not in ("launch", "adopt", "release", "publish", "unveil") or \
                                r.priority.get(m.key, 0) >= 2 and m.type != "Organization" or \
                                r.entities[m.key].authority_id:
                            continue
                        r.entities[m.key].type = m.type = "Publication"
                    pubs.append(m.key)
                    break
        for key in pubs:
            r.relate(key, "releasedAt", event, s, 0.85, "en:released-at")
            if publisher_org and lemma in ("launch", "publish", "release", "issue"):
                r.relate(key, "publisher", publisher_org[0].key, s, 0.7, "en:publisher-launches")
        # "As part of the X Project, the Forum introduced ...": the products come from the project
        project = None
        for start, end in _cue_positions(s, ["as part of", "under", "within"]):
            projs = [m for m in s.of_type("Project") if m.start >= end and m.start - end <= 3]
            if projs:
                project = projs[0].key
        for key in pubs:
            if project:
                r.relate(key, "outputOf", project, s, 0.85, "en:output-of")
        if pubs:
            return


_NAMED_WORK = re.compile(
    r"^\s+(?:a|an|the|its|their)?\s*(?:new\s+|first\s+|joint\s+)?(?:study|report|book|guide|manual|handbook|"
    r"catalogue|catalog|strategy|policy|declaration|charter|publication|volume|toolkit|atlas|map|guidelines|"
    r"paper|brief|survey)\s*,\s*(?P<title>[A-Z“\"][^;]*?)(?=,\s+(?:prepared|published|produced|written|"
    r"edited|compiled|which|that|a |an |the |and )|\.\s|\.$|$)")


@functools.lru_cache(maxsize=1)
def _titled_works() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Titles of released works, before a word of `publication_kind_nouns` (cues/en.yml):
    - "launched Threads of Lanna: A Survey of ..., a two-volume study by ...": a colon (or quoted)
      title in apposition to a kind of publication;
    - "presented the State of Heritage in ASEAN 2025 report": a title-case name before its kind."""
    kinds = "|".join(re.escape(k) for k in cues("en")["publication_kind_nouns"])
    apposed = re.compile(
        r"^\s+(?:the\s+)?(?P<q>[\"“])?(?P<title>[A-Z][\w'’.-]*(?:(?:,|:)?\s+" + _TITLE_WORD + r")*)(?(q)[\"”])"
        r"(?=,\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:" + kinds + r")\b)")
    before_kind = re.compile(
        r"^\s+(?:the|its|their)\s+(?P<title>[A-Z][\w'’-]*(?:\s+(?:[A-Z0-9][\w'’-]*|of|in|and|the|for|on))*?"
        r"\s+(?:[A-Z0-9][\w'’-]*))\s+(?:" + kinds + r")\b")
    return apposed, before_kind


def _split_titles(listed: str) -> list[str]:
    """Titles of a colon list; titles may hold colons and commas, items start with a capital."""
    parts = [p.strip() for p in re.split(r",\s+(?:and\s+)?", listed) if p.strip()]
    titles: list[str] = []
    prefix: list[str] = []
    for part in parts:
        if titles and not part[:1].isupper():
            titles[-1] = titles[-1] + ", " + part  # a lower-case run continues the last title
        elif len(part.split()) <= 2 and ":" not in part:
            prefix.append(part)  # "Salt, Stone and Sea: ...": a short run opens the next title
        else:
            titles.append(", ".join(prefix + [part]))
            prefix = []
    if prefix:
        if titles:
            titles[-1] = ", ".join([titles[-1]] + prefix)
        else:
            titles.append(", ".join(prefix))
    return titles


def _publication(r: EnglishReader, s: Sentence, title: str) -> str:
    title = title.strip().strip("“”\"'")
    key = r.entity(title, "Publication", "pattern")
    ent = r.entities[key]
    ent.type = "Publication"
    r.priority[key] = 3
    # "Program (World Bank Loan): Subtitle": the product of a programme financed by that lender
    m = re.match(r"^(.+?)\s*\(([^()]+?)\s+(Loan|Grant|Credit|Financing)\)\s*:\s*(.+)$", title)
    if m:
        ent.add_name(m.group(4), "en")
        lender = r.authority.lookup(m.group(2))
        if lender is not None:
            lkey = r.entity(m.group(2), lender.type, "authority", authority_id=lender.id)
            project = _frame_project(r, s)
            if project:
                r.relate(project, "funder", lkey, s, 0.75, "en:loan-in-title")
                r.entities[project].add_name(m.group(1), "en")
    return key


def _frame_project(r: EnglishReader, s: Sentence) -> str | None:
    for start, end in _cue_positions(s, ["as part of", "under", "within"]):
        projs = [m for m in s.of_type("Project") if m.start >= end and m.start - end <= 3]
        if projs:
            return projs[0].key
    return None


# --- organizations ---------------------------------------------------------------------------------

@rule("parent-organization")
def parent_organization(r: EnglishReader, s: Sentence) -> None:
    doc = s.span.doc
    subunits = set(r.cue["subunit_heads"])
    orgs = s.of_type("Organization")
    for m in orgs:
        if m.coref:
            continue
        ent = r.entities[m.key]
        # "UNESCO Regional Office for East Asia": a known body's name leads a sub-unit's name
        if not ent.authority_id:
            words = m.text.split()
            first_seg = re.split(r"\s+(?:of|for|on|in)\s+", m.text)[0].split()
            if any(w.lower() in subunits for w in first_seg):
                for n in range(len(words) - 1, 0, -1):
                    prefix = " ".join(words[:n])
                    entry = r.authority.lookup(prefix)
                    if entry is not None and entry.type == "Organization":
                        key = r.entity(prefix, "Organization", "authority", authority_id=entry.id)
                        r.relate(m.key, "parentOrganization", key, s, 0.85, "en:parent-prefix")
                        break
        # "X's Board of ...": possessor organization is the parent of a sub-unit
        if m.end < len(doc) and doc[m.end].lower_ in ("'s", "’s"):
            nxt = [o for o in orgs if o.start == m.end + 1]
            if nxt and nxt[0].text.split()[-1].lower() in subunits | {"directors"} or (
                    nxt and any(w.lower() in subunits for w in re.split(r"\s+(?:of|for)\s+", nxt[0].text)[0].split())):
                r.relate(nxt[0].key, "parentOrganization", m.key, s, 0.85, "en:parent-possessive")
        # "Living Heritage Entity of UNESCO's Culture Sector"
        if m.end + 1 < len(doc) and doc[m.end].lower_ == "of":
            nxt = [o for o in orgs if o.start in (m.end + 1, m.end + 2)]
            if nxt and nxt[0].end + 1 < len(doc) and doc[nxt[0].end].lower_ in ("'s", "’s"):
                owned = [o for o in orgs if o.start == nxt[0].end + 1]
                nxt = owned or nxt
            first_segment = re.split(r"\s+(?:of|for|on|in)\s+", m.text)[0].split()
            if nxt and any(w.lower() in subunits for w in first_segment) and nxt[0].key != m.key:
                r.relate(m.key, "parentOrganization", nxt[0].key, s, 0.8, "en:parent-of")


@rule("org-location")
def org_location(r: EnglishReader, s: Sentence) -> None:
    doc = s.span.doc
    offices = {"office", "embassy", "consulate", "branch", "bureau", "delegation", "representation", "centre",
               "center", "secretariat", "headquarters", "mission"}
    for m in s.of_type("Organization"):
        if m.end + 1 < len(doc) and doc[m.end].lower_ == "in" and \
                any(w.lower() in offices for w in re.split(r"\s+(?:of|for)\s+", m.text)[0].split()):
            places = [p for p in s.of_type("Place") if p.start in (m.end + 1, m.end + 2)]
            if places:
                r.relate(m.key, "location", places[0].key, s, 0.75, "en:office-in-place")
    sited = r.cue["sited_institution_heads"]
    for m in s.of_type("Organization"):
        # "the Royal Ontario Museum in Toronto": an institution with premises, then its place
        if m.end + 1 < len(doc) and doc[m.end].lower_ == "in" and not m.coref and \
                any(w.lower() in sited for w in re.split(r"\s+(?:of|for)\s+", m.text)[0].split()):
            places = [p for p in s.of_type("Place") if p.start == m.end + 1]
            if places and r.entities[places[0].key].type == "Place":
                r.relate(m.key, "location", places[0].key, s, 0.7, "en:institution-in-place")
        if m.end + 2 < len(doc) and doc[m.end].text == "(" and doc[m.end + 2].text == ")":
            places = [p for p in s.of_type("Place") if p.start == m.end + 1]
            if places:
                r.relate(m.key, "location", places[0].key, s, 0.8, "en:org-place-in-brackets")
        k = m.end + 1 if m.end < len(doc) and doc[m.end].text == "," else m.end
        if k + 2 < len(doc) and doc[k].lower_ in ("based", "headquartered", "located", "seated") \
                and doc[k + 1].lower_ == "in":
            places = [p for p in s.of_type("Place") if p.start in (k + 2, k + 3)]
            if places:
                r.relate(m.key, "location", places[0].key, s, 0.8, "en:org-based-in")


# --- projects and money ---------------------------------------------------------------------------------

_MONEY = re.compile(r"(US\$|\$|€|£|¥|RMB|USD|EUR|CNY)\s?([\d.,]+)\s*(million|billion|thousand|mn|bn|m)?\b"
                    r"|([\d.,]+)\s*(million|billion|thousand)?\s*(US dollars|dollars|euros|yuan|pounds|yen|rupees|"
                    r"francs|pesos|dirhams|won|riyals|rubles|lira|reais|rand|shillings)\b", re.I)


@rule("funding")
def funding(r: EnglishReader, s: Sentence) -> None:
    doc = s.span.doc
    text = s.raw
    projects = s.of_type("Project")
    funding_nouns = set(r.cue["funding_nouns"])
    fund_verbs = set(r.cue["fund_verbs"])
    # explicit "funded by / loan from ORG"
    for start, end in _cue_positions(s, r.cue["funder_cues"]):
        orgs = _list_after(s, end, ("Organization",)) or [
            m for m in s.mentions if m.start >= end and m.start - end <= 6 and m.type == "Organization"][:1]
        cue = s.span.doc[start:end].text.lower()
        strong = any(w in cue for w in ("funded", "financed", "sponsor", "loan", "grant", "credit"))
        target = _nearest_project(r, s, start) or (_clause_event(r, s, start) if strong else None)
        for org in orgs:
            if target:
                r.relate(target, "funder", _top_org(r, s, org), s, 0.8, "en:funded-by")
    # "A US$100 million loan ... from the World Bank's Board" then "The money will fund the X Project"
    # the money pattern is slow to scan: only sentences with a funding noun need it
    if s.has_lemma(funding_nouns) and (money := _MONEY.search(text)):
        lender = None
        for m in s.of_type("Organization"):
            lender = _top_org(r, s, m)
            break
        amount = _amount(money, r.cue)
        r._pending_funding = (amount, lender, s)  # type: ignore[attr-defined]
        recent = _recent_project(r, s)
        if projects:
            _apply_funding(r, projects[0].key, s)
        elif recent:
            _apply_funding(r, recent, s)  # "A $2 million grant from X will finance ..." about the project above
    elif getattr(r, "_pending_funding", None) is not None:
        first = r._pending_funding[2]  # type: ignore[attr-defined]
        if projects and s.index - first.index <= 3:
            # "approved a $120 million loan ..." then "The X Project will restore ...": that project
            _apply_funding(r, projects[0].key, s)
    # "the X Project, which ADB financed between 2016 and 2022"
    for tok in s.tokens if s.has_lemma(fund_verbs) else ():
        if tok.lemma_.lower() in fund_verbs and tok.pos_ == "VERB" and tok.i >= 2 and \
                any(c.lower_ in ("which", "that") for c in tok.children):
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            orgs = [m for m in s.of_type("Organization") if subj and m.start <= subj[0].i < m.end]
            projs = [m for m in s.of_type("Project") if m.end <= tok.i]
            if orgs and projs:
                r.relate(projs[-1].key, "funder", orgs[0].key, s, 0.75, "en:which-org-funded")
    # "ORG will implement the project" / "implemented by ORG"
    for tok in s.tokens if s.has_lemma(r.cue["implement_verbs"]) else ():
        if tok.lemma_.lower() in r.cue["implement_verbs"] and tok.pos_ == "VERB":
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            obj_is_project = any(c.dep_ == "dobj" and c.lemma_.lower() in r.cue["generic_project_nouns"]
                                 for c in tok.children) or bool(projects)
            if subj and obj_is_project:
                orgs = [m for m in s.of_type("Organization") if m.start <= subj[0].i < m.end]
                target = projects[0].key if projects else r.main_project
                for m in s.mentions:
                    if m.coref and m.type == "Project" and m.start > tok.i:
                        target = m.key
                if orgs and target:
                    r.relate(target, "implementedBy", orgs[0].key, s, 0.85, "en:implemented-by")
    for start, end in _cue_positions(s, r.cue["implement_cues"]):
        orgs = _list_after(s, end, ("Organization",)) or [
            m for m in s.mentions if m.start >= end and m.start - end <= 4 and m.type == "Organization"][:1]
        if not orgs and start >= 2 and s.span.doc[start - 1].lower_ in ("the", "its") and \
                s.span.doc[start - 2].lemma_ == "be":
            # "The Ministry of Economy and Finance is the executing agency"
            orgs = [m for m in s.of_type("Organization") if m.end <= start - 2][-1:]
        target = _nearest_project(r, s, start) or r.main_project
        for org in orgs:
            if target:
                r.relate(target, "implementedBy", org.key, s, 0.85, "en:implemented-by")


def _recent_project(r: EnglishReader, s: Sentence) -> str | None:
    """A project named in the two sentences before, in the same paragraph."""
    for prev in reversed(r.sentences[max(0, s.index - 2):s.index]):
        if prev.para != s.para:
            break
        projs = [m for m in prev.mentions if m.type == "Project"]
        if projs:
            return projs[0].key
    return None


def _apply_funding(r: EnglishReader, project: str, s: Sentence) -> None:
    amount, lender, first = r._pending_funding  # type: ignore[attr-defined]
    r._pending_funding = None  # type: ignore[attr-defined]
    evidence = first if first is s else s
    if lender:
        r.relate(project, "funder", lender, evidence, 0.8, "en:loan-funds-project")
    if amount and r.has(project, "fundingAmount"):
        amount = None  # the first amount stated is the project's; later ones are parts of it
    if amount:
        value, currency = amount
        r.relate(project, "fundingAmount", Value("decimal", value), first, 0.8, "en:funding-amount")
        if currency:
            r.relate(project, "currency", Value("text", currency), first, 0.8, "en:funding-amount")
    # "a loan for China's Gansu province": the project works there
    doc = first.span.doc
    for tok in first.tokens:
        if tok.lower_ == "for":
            places = [m for m in first.of_type("Place") if m.start > tok.i and m.start - tok.i <= 4]
            if places:
                r.relate(project, "location", places[-1].key, first, 0.7, "en:loan-for-place")
                break
    del doc


def _amount(m: re.Match[str], cue: dict) -> tuple[str, str | None] | None:
    scales = {k.lower(): v for k, v in cue["scale_words"].items()}
    currencies = cue["currencies"]
    if m.group(2):
        num, scale, cur = m.group(2), m.group(3), m.group(1)
    else:
        num, scale, cur = m.group(4), m.group(5), m.group(6)
    try:
        value = float(num.replace(",", ""))
    except ValueError:
        return None
    if scale:
        value *= scales.get(scale.lower(), 1)
    currency = currencies.get(cur) or currencies.get(cur.lower()) if cur else None
    text = str(int(value)) if value == int(value) else f"{value}"
    return text, currency


def _top_org(r: EnglishReader, s: Sentence, m: Mention) -> str:
    """The body behind a sub-unit named as "World Bank's Board": its possessor."""
    doc = s.span.doc
    if m.start >= 2 and doc[m.start - 1].lower_ in ("'s", "’s"):
        owners = [o for o in s.of_type("Organization") if o.end == m.start - 1]
        if owners:
            return owners[0].key
    if m.end < len(doc) and doc[m.end].lower_ in ("'s", "’s"):
        return m.key
    return m.key


def _nearest_project(r: EnglishReader, s: Sentence, pos: int) -> str | None:
    before = [m for m in s.of_type("Project") if m.end <= pos]
    if before:
        return before[-1].key
    after = [m for m in s.of_type("Project")]
    return after[0].key if after else None


@rule("project-location")
def project_location(r: EnglishReader, s: Sentence) -> None:
    for start, end in _cue_positions(s, r.cue["project_location_cues"]):
        places = _list_after(s, end, PLACE_TYPES)
        if not places:
            continue
        project = _nearest_project(r, s, start)
        if project is None:
            if any(t.lower_ in r.cue["generic_project_nouns"] + ["work"] for t in s.tokens):
                project = r.main_project
        if project is None:
            continue
        for p in places:
            r.relate(project, "location", p.key, s, 0.7, "en:project-location")


# --- counts --------------------------------------------------------------------------------------

@rule("counts")
def counts(r: EnglishReader, s: Sentence) -> None:
    doc = s.span.doc
    _counted_by_verb(r, s)
    nouns = _count_nouns(r)
    number_words = r.cue["number_words"]
    if _phrase_regex(r.cue["future_cues"]).search(s.raw):
        return  # "organizers expect around 80,000 visitors": not a count of what happened
    for tok in s.tokens:
        if tok.i + 1 >= len(doc) or not (tok.like_num or tok.lower_ in number_words):
            continue
        nxt = doc[tok.i + 1]
        two = f"{nxt.lower_} {doc[tok.i + 2].lower_}" if tok.i + 2 < len(doc) else ""
        prop = nouns.get(two) or nouns.get(nxt.lower_)
        if prop is None and nxt.pos_ == "ADJ" and tok.i + 2 < len(doc):
            prop = nouns.get(doc[tok.i + 2].lower_)  # "eight plenary sessions"
        if prop is None and nxt.lower_ in r.cue["people_nouns"] and nxt.lower_ not in (
                "ministers", "members", "leaders", "mayors", "households") and \
                doc[tok.i - 1].lower_ not in ("them", "including") and doc[max(tok.i - 2, 0)].lower_ != "among":
            prop = "participantCount"  # "More than 350 artisans ... are showing their work"
        if prop is None:
            continue
        if tok.like_num and re.match(r"^[\d,]+$", tok.text):
            value = int(tok.text.replace(",", ""))
        elif tok.lower_ in number_words:
            value = int(number_words[tok.lower_])
        else:
            continue
        if tok.i > 0 and doc[tok.i - 1].lower_ in ("of", "than") and doc[tok.i - 2].lower_ not in ("more", "fewer", "less"):
            continue
        event = r.context_event(s)
        if event is None or r.has(event, prop):
            continue
        r.relate(event, prop, Value("int", str(value)), s, 0.8, "en:count")


def _count_nouns(r: EnglishReader) -> dict[str, str]:
    """Count noun -> property, built once per reader."""
    cached = getattr(r, "_count_nouns_cache", None)
    if cached is None:
        cached = {w: prop for prop, words in r.cue["count_nouns"].items() for w in words}
        r._count_nouns_cache = cached  # type: ignore[attr-defined]
    return cached


def _counted_by_verb(r: EnglishReader, s: Sentence) -> None:
    """"Nearly 60 carpenters, architects and site managers took part": people counted by what they did."""
    number_words = r.cue["number_words"]
    if _phrase_regex(r.cue["future_cues"]).search(s.raw):
        return
    for tok in s.tokens:
        noun = tok.head
        if tok.dep_ == "compound" and noun.dep_ == "compound" and noun.head.tag_ == "NNS" and (
                tok.like_num or tok.lower_ in number_words):
            noun = noun.head  # "Twenty heritage professionals"
        elif tok.dep_ != "nummod" or tok.head.tag_ != "NNS":
            continue
        verb = noun.head
        as_subject = noun.dep_ == "nsubj" and verb.lemma_.lower() in ("attend", "participate", "join", "gather",
                                                                     "take", "register", "travel")
        as_object = noun.dep_ == "dobj" and verb.lemma_.lower() in ("gather", "bring", "attract", "draw",
                                                                   "welcome", "host", "assemble")
        if not (as_subject or as_object) and noun.dep_ == "nsubj" and verb.lemma_.lower() in ("complete", "finish") \
                and any(c.dep_ == "dobj" and m.start <= c.i < m.end for c in verb.children
                        for m in s.of_type(*EVENT_TYPES)):
            as_subject = True  # "Twenty professionals completed the International Training Course"
        if not (as_subject or as_object) or noun.lower_ not in r.cue["people_nouns"]:
            continue
        if verb.lemma_.lower() == "take" and not any(c.lower_ == "part" for c in verb.children):
            continue
        text = tok.text.replace(",", "")
        value = int(text) if text.isdigit() else number_words.get(tok.lower_)
        event = r.context_event(s)
        if value and event and not r.has(event, "participantCount"):
            r.relate(event, "participantCount", Value("int", str(value)), s, 0.75, "en:count-by-verb")


# --- topics ----------------------------------------------------------------------------------------

@rule("topics")
def topics(r: EnglishReader, s: Sentence) -> None:
    vocab = _topic_vocab()
    text = s.raw
    low = text.lower()
    event = r.context_event(s)
    if event is None:
        return
    # theme lists: "focused on two themes: A, and B", "Debates ranged over A, B and C"
    present = {m.group(0).lower() for m in _phrase_regex(r.cue["theme_cues"]).finditer(text)}
    for cue in r.cue["theme_cues"]:
        if cue not in present:
            continue
        for m in re.finditer(r"\b" + re.escape(cue) + r"\b", low):
            rest = text[m.end():]
            rest = re.sub(r"^\s*(?:(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+)?"
                          r"(?:main\s+|key\s+)?(?:themes?|topics?|issues?)?\s*[:,]?\s*", "", rest)
            rest = re.split(r"[.;]|\s[–—]\s|, (?:which|one of|and the ministers)\b", rest)[0]
            if not rest.strip():
                continue
            items = [i.strip() for i in re.split(r",\s*(?:and\s+)?|\s+and\s+the\s+|\s+and\s+(?=the\s)", rest)
                     if i.strip()]
            if len(items) < 1:
                continue
            if len(items) >= 2 and " and " in items[-1]:
                head, _, last = items[-1].rpartition(" and ")
                if len(head.split()) >= 2 and len(last.split()) >= 2:
                    items[-1:] = [head.strip(), last.strip()]  # "A, B and C"
            if cue in _VERB_THEME_CUES and (len(items) < 2 or any(len(i.split()) > 7 for i in items) or any(
                    re.search(r"\s[A-Z]", i) for i in items)):
                continue  # "discussed how ...", "examined the gables of Wat X": not a list of themes
            for item in items:
                if re.match(r"^[\"“‘']", item.strip()) or _title_case(item):
                    continue  # a slogan ("Craft for a Living Planet") names no theme
                item = re.sub(r"^(the|a|an)\s+", "", item.strip(), flags=re.I).strip(" \"“”")
                found = _vocab_in(item, vocab)
                if found:
                    for label in found:
                        key = r.entity(label, "Topic", "pattern")
                        r.relate(event, "about", key, s, 0.8, "en:theme-list")
                elif 1 <= len(item.split()) <= 6 and (item[:1].islower() or (
                        len(item.split()) >= 2 and any(w.islower() for w in item.split()))) \
                        and not re.match(r"^(how|why|what|whether|that|which|who|ways)\b", item):
                    key = r.entity(item, "Topic", "pattern")
                    r.relate(event, "about", key, s, 0.75, "en:theme-list")
            break
    # a paragraph where the event is the subject of a discussion verb: its themes are the event's
    if getattr(r, "_topic_paras", None) is None:
        r._topic_paras = _discussion_paragraphs(r)  # type: ignore[attr-defined]
    if s.para in r._topic_paras:  # type: ignore[attr-defined]
        inside = [(m.start, m.end) for m in s.mentions if not m.coref]
        for label, (a, b) in _vocab_spans(text, vocab):
            start_tok = s.span.doc.char_span(s.span.start_char + a, s.span.start_char + b,
                                             alignment_mode="expand")
            if start_tok is not None and any(x <= start_tok.start < y for x, y in inside):
                continue
            key = r.entity(label, "Topic", "pattern")
            r.relate(r._topic_paras[s.para], "about", key, s, 0.65, "en:theme-in-paragraph")  # type: ignore


def _title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", text) if len(w) > 3]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) / len(words) > 0.6


_VERB_THEME_CUES = {"focus on", "focuses on", "concentrate on", "concentrated on", "examined", "discussed", "explored", "addressed", "debated", "covered", "tackled",
                    "dealt with", "workshops on", "sessions on", "panels on", "discussions on", "debates on",
                    "talks on", "seminars on"}


def _discussion_paragraphs(r: EnglishReader) -> dict[int, str]:
    verbs = set(r.cue["discussion_verbs"])
    out: dict[int, str] = {}
    for s in r.sentences:
        for m in s.of_type(*EVENT_TYPES):
            tok = s.span.doc[m.end - 1]
            if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in verbs:
                out.setdefault(s.para, m.key)
    return out


_VOCAB: list[tuple[str, list[str]]] | None = None


def _topic_vocab() -> list[tuple[str, list[str]]]:
    global _VOCAB
    if _VOCAB is None:
        _VOCAB = [(entry["en"][0], [x.lower() for x in entry["en"]]) for entry in cues("topics") if entry.get("en")]
    return _VOCAB


def _vocab_in(text: str, vocab: list[tuple[str, list[str]]]) -> list[str]:
    return [label for label, _ in _vocab_spans(text, vocab)]


@functools.lru_cache(maxsize=4)
def _vocab_regex(vocab: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    label_of = {form: label for label, forms in vocab for form in forms}
    forms = sorted(label_of, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(f) for f in forms) + r")\b"), label_of


def _vocab_spans(text: str, vocab: list[tuple[str, list[str]]]) -> list[tuple[str, tuple[int, int]]]:
    """Topic-vocabulary terms in the text, longest first, each label once, with its first span."""
    regex, label_of = _vocab_regex(tuple((label, tuple(forms)) for label, forms in vocab))
    out: list[tuple[str, tuple[int, int]]] = []
    for m in regex.finditer(text.lower()):
        label = label_of[m.group(1)]
        if label not in [o[0] for o in out]:
            out.append((label, (m.start(), m.end())))
    return out


del norm_name, _clean
