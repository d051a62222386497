"""Synthetic graph generator: ~1M quads shaped exactly like the graph heritagekg writes.

Why synthetic: the benchmark must be reproducible offline and large, and real articles are few.
Shape (docs/DESIGN.md): one named graph per article; in each graph the article node (title,
date, publisher, mentions), the type and @en/@zh labels (+ altLabels, owl:sameAs) of every entity
it mentions, the relation triples it states, and one reified rdf:Statement per relation (evidence,
confidence, extractor, prov:wasDerivedFrom). Entities recur across articles with a skewed
popularity (Zipf's law), so some bodies and places bridge many events, as in real news.

Writes N-Quads directly (fastest to write and to bulk-load); `python -m benchmarks.generate OUT.nq`.
"""
from __future__ import annotations

import argparse
import bisect
import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

HKG = "https://w3id.org/heritagekg/ontology#"
BASE = "https://w3id.org/heritagekg/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
WD = "http://www.wikidata.org/entity/"

_WORDS = ("heritage culture silk road tourism creative craft museum grotto academy regional national "
          "provincial international digital living community ancient river mountain valley city "
          "festival dialogue knowledge innovation sustainable youth design archive temple wall").split()
_TITLES = (("Deputy Director-General", "副总干事"), ("Director", "主任"), ("Minister", "部长"),
           ("Professor", "教授"), ("Chief Economist", "首席经济学家"), ("Head of Office", "办事处主任"))
_ZH = "文化遗产丝绸之路旅游创意手工博物馆石窟研究院区域国家省国际数字活态社区古代河流山谷城市节对话知识创新可持续青年设计档案寺庙长城"


@dataclass
class GeneratedGraph:
    """What the generator wrote: the file and its size, so callers can label their numbers."""

    path: Path
    quads: int          # lines written (a quad repeated within an article graph counts once per line)
    triples: int        # distinct triples of the merged graph (what Turtle holds)
    articles: int
    entities: int
    statements: int


def _lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


class _Pool:
    """Entities of one class picked with Zipf's law (P(i) ~ 1/(i+1)^s): a few bodies and places
    recur in many articles, most appear once or twice, as in real news."""

    def __init__(self, rng: random.Random, cls: str, size: int, s: float = 1.0) -> None:
        self.rng, self.cls, self.size = rng, cls, size
        self.names: dict[int, tuple[str, str, str | None, str | None]] = {}
        total, self.cum = 0.0, []
        for i in range(size):
            total += 1.0 / (i + 1) ** s
            self.cum.append(total)
        self.total = total

    def pick(self) -> int:
        return min(bisect.bisect_left(self.cum, self.rng.random() * self.total), self.size - 1)

    def describe(self, i: int) -> tuple[str, str, str | None, str | None]:
        """(iri, english name, chinese name or None, wikidata id or None), stable per index."""
        if i not in self.names:
            r = random.Random(f"{self.cls}-{i}")
            en = " ".join(r.choice(_WORDS) for _ in range(r.randint(2, 5))).title() + f" {i}"
            zh = "".join(r.choice(_ZH) for _ in range(r.randint(3, 8))) + str(i) if r.random() < 0.9 else None
            wd = f"Q{1000 + i * 7}" if i < 200 else None
            slug = en.lower().replace(" ", "-")
            self.names[i] = (f"{BASE}{self.cls.lower()}/{slug}", en, zh, wd)
        return self.names[i]


def generate(path: Path, target_triples: int = 1_000_000, seed: int = 42) -> GeneratedGraph:
    """Write a synthetic N-Quads dataset whose merged graph has about `target_triples` distinct
    triples (~1.7 quads per triple: labels and types repeat in every article graph)."""
    rng = random.Random(seed)
    scale = max(1, round(target_triples / 1_000_000))
    pools = {  # sizes per million triples; the busiest body organizes ~15% of the events
        "Organization": _Pool(rng, "Organization", 3000 * scale, s=0.8),
        "Person": _Pool(rng, "Person", 8000 * scale, s=0.8),
        "Place": _Pool(rng, "Place", 600 * scale, s=0.9),
        "Topic": _Pool(rng, "Topic", 150, s=0.8),
        "Project": _Pool(rng, "Project", 1200 * scale, s=0.7),
        "Expo": _Pool(rng, "Expo", 300 * scale, s=0.9),
    }
    seen_entities: set[str] = set()
    distinct: set[int] = set()  # hashes of triples seen, to count the merged graph cheaply
    quads = statements = articles = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        while len(distinct) < target_triples:
            a = articles
            articles += 1
            art = f"{BASE}article/synthetic-{a}"
            g = f"<{art}>"
            lines: list[str] = []
            mentioned: dict[str, tuple[str, str, str | None, str | None, list[str]]] = {}

            def entity(cls: str, i: int | None = None, name: tuple | None = None) -> str:
                if name is None:
                    name = pools[cls].describe(pools[cls].pick() if i is None else i)
                iri, en, zh, wd = name
                alts = [en.split()[0].upper()] if rng.random() < 0.3 else []
                mentioned.setdefault(iri, (cls, en, zh, wd, alts))
                return iri

            def relation(s: str, p: str, o: str, sentence: str, lang: str = "en",
                         derived: str | None = None) -> None:
                nonlocal statements
                obj = o if o.startswith('"') else f"<{o}>"
                lines.append(f"<{s}> <{HKG}{p}> {obj} {g} .")
                sid = hashlib.blake2b(f"{s}{p}{o}{art}".encode(), digest_size=8).hexdigest()
                st = f"<{BASE}statement/{sid}>"
                lines.append(f"{st} <{RDF}type> <{RDF}Statement> {g} .")
                lines.append(f"{st} <{RDF}subject> <{s}> {g} .")
                lines.append(f"{st} <{RDF}predicate> <{HKG}{p}> {g} .")
                lines.append(f"{st} <{RDF}object> {obj} {g} .")
                if derived is None:
                    lines.append(f"{st} <{HKG}evidence> {_lit(sentence, lang)} {g} .")
                conf = "1.0" if derived else f"0.{rng.randint(50, 99)}"
                lines.append(f"{st} <{HKG}confidence> {_lit(conf, datatype=XSD + 'decimal')} {g} .")
                lines.append(f"{st} <{HKG}extractor> {_lit(derived and 'authority' or f'{lang}:{p}')} {g} .")
                lines.append(f"{st} <{PROV}wasDerivedFrom> <{derived or art}> {g} .")
                statements += 1

            year = 2015 + rng.randint(0, 10)
            date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            expo = entity("Expo")
            n_events = rng.randint(1, 2)
            for e in range(n_events):
                cls = rng.choice(("Forum", "Forum", "Event"))
                en = f"Forum On {rng.choice(_WORDS).title()} {rng.choice(_WORDS).title()} {a}-{e}"
                ev = entity(cls, name=(f"{BASE}{cls.lower()}/{en.lower().replace(' ', '-')}-{date}", en,
                                       f"论坛{a}-{e}" if rng.random() < 0.8 else None, None))
                sent = f"The {en}, held on {date} as part of the expo, brought together officials and experts."
                relation(ev, "partOf", expo, sent)
                relation(ev, "startDate", _lit(date, datatype=XSD + "date"), sent)
                place = entity("Place")
                relation(ev, "location", place, sent)
                for _ in range(rng.randint(2, 5)):
                    relation(ev, "organizer", entity("Organization"), f"Organized by several partners, the {en} met.")
                for _ in range(rng.randint(1, 3)):
                    # a person keeps one employer and title across articles, as in real news
                    pi = pools["Person"].pick()
                    person = entity("Person", i=pi)
                    org = entity("Organization", i=(pi * 7919) % pools["Organization"].size)
                    title_en, title_zh = _TITLES[pi % len(_TITLES)]
                    psent = f"{title_en} {person.rsplit('/', 1)[1]} of {org.rsplit('/', 1)[1]} spoke."
                    relation(ev, "speaker", person, psent)
                    relation(person, "jobTitle", _lit(title_en, "en"), psent)
                    if rng.random() < 0.5:
                        relation(person, "jobTitle", _lit(title_zh, "zh"), psent, "zh")
                    relation(person, "affiliation", org, psent)
                for _ in range(rng.randint(1, 3)):
                    relation(ev, "about", entity("Topic"), f"The {en} highlighted heritage and tourism.")
                if rng.random() < 0.6:
                    relation(ev, "sessionCount", _lit(str(rng.randint(2, 20)), datatype=XSD + "integer"), sent)
                    relation(ev, "speakerCount", _lit(str(rng.randint(10, 90)), datatype=XSD + "integer"), sent)
                if rng.random() < 0.5:
                    relation(ev, "participant", entity("Organization"), f"Experts from many bodies attended the {en}.")
                if rng.random() < 0.6:
                    project = entity("Project")
                    relation(project, "funder", entity("Organization"), "The project is financed by a loan.")
                    for k in range(rng.randint(1, 3)):
                        pen = f"Strategy For {rng.choice(_WORDS).title()} {a}-{e}-{k}"
                        pub = entity("Publication", name=(f"{BASE}publication/{pen.lower().replace(' ', '-')}",
                                                          pen, f"战略{a}-{e}-{k}", None))
                        rsent = f"As part of the project, the forum introduced {pen}."
                        relation(pub, "releasedAt", ev, rsent)
                        relation(pub, "outputOf", project, rsent)
            publisher = entity("Organization")
            relation(art, "publisher", publisher, "Originally published by the office.", "zh")
            place = entity("Place")
            relation(place, "locatedIn", entity("Place", i=rng.randint(0, 30)), "", derived=f"{BASE}source/authority")
            lines.append(f"{g} <{RDF}type> <{HKG}Article> {g} .")
            lines.append(f"{g} <{RDFS}label> {_lit(f'Synthetic heritage news {a}', 'en')} {g} .")
            lines.append(f"{g} <{HKG}datePublished> {_lit(date, datatype=XSD + 'date')} {g} .")
            for iri, (cls, en, zh, wd, alts) in mentioned.items():
                seen_entities.add(iri)
                lines.append(f"{g} <{HKG}mentions> <{iri}> {g} .")
                lines.append(f"<{iri}> <{RDF}type> <{HKG}{cls}> {g} .")
                lines.append(f"<{iri}> <{RDFS}label> {_lit(en, 'en')} {g} .")
                if zh:
                    lines.append(f"<{iri}> <{RDFS}label> {_lit(zh, 'zh')} {g} .")
                for alt in alts:
                    lines.append(f"<{iri}> <{SKOS}altLabel> {_lit(alt, 'en')} {g} .")
                if wd:
                    lines.append(f"<{iri}> <{OWL}sameAs> <{WD}{wd}> {g} .")
            out.write("\n".join(lines) + "\n")
            quads += len(lines)
            distinct.update(hash(line[: line.rindex(" <")]) for line in lines)
    return GeneratedGraph(path, quads, len(distinct), articles, len(seen_entities), statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--triples", type=int, default=1_000_000, help="distinct triples wanted")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    print(generate(args.out, args.triples, args.seed))


if __name__ == "__main__":
    main()
