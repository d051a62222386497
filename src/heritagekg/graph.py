"""Graph stage: resolved entities and relations -> RDF under the heritagekg ontology.

One named graph per article (its IRI is the graph name) holds the article node, the entities it
mentions (types, labels, sameAs) and its relations, each with its reified evidence statement.
"""
from __future__ import annotations

import hashlib
import re

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from heritagekg.authority import AUTHORITY_SOURCE
from heritagekg.model import Extraction, Relation, Value
from heritagekg.resolve import Resolution, ResolvedEntity
from heritagekg.vocab import HKG, HKGR, SCHEMA

DEFAULT_BASE = str(HKGR)
XSD_OF = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear, "int": XSD.integer,
          "decimal": XSD.decimal}
_CJK = re.compile(r"[\u3400-\u9fff]")


def normalize_base(base_iri: str | None) -> str:
    base = base_iri or DEFAULT_BASE
    return base if base.endswith(("/", "#")) else base + "/"


def article_iri(base: str, article_id: str) -> URIRef:
    return URIRef(f"{base}article/{article_id}")


def literal_of(value: Value) -> Literal:
    if value.kind == "text":
        return Literal(value.value, lang=value.lang) if value.lang else Literal(value.value)
    return Literal(value.value, datatype=XSD_OF[value.kind])


def lang_of(text: str) -> str:
    return "zh" if _CJK.search(text) else "en"


def add_entity(g: Graph, base: str, ent: ResolvedEntity, prefer: tuple[str, ...]) -> URIRef:
    """Type, one preferred label per language, every other name as altLabel, Wikidata link."""
    iri = URIRef(base + ent.id)
    g.add((iri, RDF.type, HKG[ent.type]))
    seen: set[tuple[str, str]] = set()
    for lang in sorted(ent.names, key=lambda lg: (prefer.index(lg) if lg in prefer else len(prefer), lg)):
        names = ent.names[lang]
        if not names:
            continue
        g.add((iri, RDFS.label, Literal(names[0], lang=lang)))
        seen.add((names[0], lang))
        for other in names[1:]:
            if (other, lang) not in seen:
                g.add((iri, SKOS.altLabel, Literal(other, lang=lang)))
                seen.add((other, lang))
    for acr in ent.acronyms:
        lang = lang_of(acr)
        if (acr, lang) not in seen:
            g.add((iri, SKOS.altLabel, Literal(acr, lang=lang)))
            seen.add((acr, lang))
    if ent.wikidata:
        g.add((iri, OWL.sameAs, URIRef(f"http://www.wikidata.org/entity/{ent.wikidata}")))
    return iri


def statement_iri(base: str, *parts: object) -> URIRef:
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]
    return URIRef(f"{base}statement/{digest}")


def build_dataset(extractions: list[Extraction], resolution: Resolution, base_iri: str | None = None,
                  prefer: tuple[str, ...] = ("en", "zh")) -> Dataset:
    """The RDF dataset of a build: a named graph per article (see docs/DESIGN.md for the shape)."""
    base = normalize_base(base_iri)
    ds = Dataset()
    for prefix, ns in (("hkg", HKG), ("hkgr", URIRef(base)), ("skos", SKOS), ("prov", PROV),
                       ("owl", OWL), ("schema", SCHEMA), ("wd", URIRef("http://www.wikidata.org/entity/"))):
        ds.bind(prefix, ns, override=True, replace=True)
    for ex in extractions:
        add_article(ds.graph(article_iri(base, ex.article.id)), ex, resolution, base, prefer)
    return ds


def add_article(g: Graph, ex: Extraction, resolution: Resolution, base: str,
                prefer: tuple[str, ...] = ("en", "zh")) -> None:
    """Add one article's named-graph content to `g` (anything with rdflib's `add((s, p, o))`, so
    the store writer can collect plain tuples instead of paying for an rdflib graph)."""
    authority_source = URIRef(base + AUTHORITY_SOURCE)
    art = ex.article
    a_iri = article_iri(base, art.id)
    g.add((a_iri, RDF.type, HKG.Article))
    title = art.title or art.source.rsplit("/", 1)[-1]
    g.add((a_iri, RDFS.label, Literal(title, lang=lang_of(title))))
    if art.published:
        kind = "date" if len(art.published) == 10 else ("gYearMonth" if len(art.published) == 7 else "gYear")
        g.add((a_iri, HKG.datePublished, literal_of(Value(kind, art.published))))
    if art.url:
        g.add((a_iri, SCHEMA.url, Literal(art.url, datatype=XSD.anyURI)))
    iris: dict[str, URIRef] = {}
    for key in ex.entities:
        rid = resolution.mapping[(art.id, key)]
        ent = resolution.entities[rid]
        iris[key] = add_entity(g, base, ent, prefer)
        g.add((a_iri, HKG.mentions, iris[key]))
    if art.publisher:
        pub = _publisher(art.publisher, ex, resolution, iris)
        if pub is not None:
            g.add((a_iri, HKG.publisher, pub))
    for rel in _best_per_triple(ex.relations, iris):
        _add_relation(g, base, a_iri, authority_source, rel, iris)


def _publisher(name: str, ex: Extraction, resolution: Resolution, iris: dict[str, URIRef]) -> URIRef | None:
    from heritagekg.textnorm import norm_name

    want = norm_name(name)
    for key, ent in ex.entities.items():
        if ent.type == "Organization" and any(norm_name(n) == want for ns in ent.names.values() for n in ns):
            return iris[key]
    return None


def _best_per_triple(relations: list[Relation], iris: dict[str, URIRef]) -> list[Relation]:
    """One statement per triple: aligned or merged entities can make two relations one triple;
    the text's reading beats the authority's, then the more confident one wins."""
    best: dict[tuple, Relation] = {}
    for rel in relations:
        obj = rel.object if isinstance(rel.object, Value) else iris.get(rel.object)
        key = (iris.get(rel.subject), rel.predicate, obj)
        old = best.get(key)
        if old is None or (old.derived_from, -old.confidence) > (rel.derived_from, -rel.confidence):
            best[key] = rel
    return list(best.values())


def _add_relation(g: Graph, base: str, a_iri: URIRef, authority_source: URIRef, rel: Relation,
                  iris: dict[str, URIRef]) -> None:
    s = iris.get(rel.subject)
    if s is None:
        return
    if isinstance(rel.object, Value):
        o: URIRef | Literal = literal_of(rel.object)
    else:
        if rel.object not in iris:
            return
        o = iris[rel.object]
    p = HKG[rel.predicate]
    g.add((s, p, o))
    st = statement_iri(base, a_iri, s, p, o)
    g.add((st, RDF.type, RDF.Statement))
    g.add((st, RDF.subject, s))
    g.add((st, RDF.predicate, p))
    g.add((st, RDF.object, o))
    g.add((st, HKG.confidence, Literal(f"{rel.confidence:.2f}", datatype=XSD.decimal)))
    g.add((st, HKG.extractor, Literal(rel.extractor)))
    if rel.derived_from == "authority":
        g.add((st, PROV.wasDerivedFrom, authority_source))
    else:
        g.add((st, PROV.wasDerivedFrom, a_iri))
        if rel.evidence:
            g.add((st, HKG.evidence, Literal(rel.evidence, lang=rel.lang or lang_of(rel.evidence))))
