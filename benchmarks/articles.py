"""Synthetic heritage news articles, English and Chinese, for the build benchmarks.

Why synthetic: the build benchmarks need thousands of articles offline and reproducibly, and the
real ones are few (and must not be copied). Each article is assembled from the paragraph templates
and vocabularies of `benchmarks/templates/{en,zh}.yml`: a headline, a dateline lede, organizers,
speakers with titles, themes, and sometimes a publication launch or a loan that funds a project.
Names recur across articles with a skewed (Zipf-like) popularity, as bodies, places and people do in
real news, so the graph grows slower than the corpus.

    python -m benchmarks.articles OUT_DIR -n 1000 --langs en=1        # one .txt file per article
    python -m benchmarks.articles OUT_DIR -n 10000 --langs en=0.8,zh=0.2
"""
from __future__ import annotations

import argparse
import functools
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class SyntheticArticle:
    """One generated article: its file stem, language and text (headline first)."""

    id: str
    lang: str
    title: str
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split()) if self.lang != "zh" else len(self.text) // 2


@functools.lru_cache(maxsize=None)
def load_templates(lang: str) -> dict[str, Any]:
    """The template file of one language (`en` or `zh`)."""
    with (TEMPLATES / f"{lang}.yml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _zipf(rng: random.Random, items: list[Any], skew: float = 1.3) -> Any:
    """An item of `items`, low indexes far more often (popular bodies and places recur)."""
    i = min(int(rng.paretovariate(skew)) - 1, len(items) - 1)
    return items[i]


def _fill(template: str, slots: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: slots[m.group(1)], template)


def _pick_paragraphs(rng: random.Random, paragraphs: dict[str, list[str]]) -> list[str]:
    """Lede, organizers, one or two speaker paragraphs, themes, optional release/funding, closing."""
    chosen = [rng.choice(paragraphs["lede"]), rng.choice(paragraphs["organizers"])]
    chosen += rng.sample(paragraphs["speakers"], k=min(len(paragraphs["speakers"]), rng.randint(1, 2)))
    chosen.append(rng.choice(paragraphs["themes"]))
    if "background" in paragraphs:
        chosen.append(rng.choice(paragraphs["background"]))
    if rng.random() < 0.5:
        chosen.append(rng.choice(paragraphs["release"]))
    if rng.random() < 0.4:
        chosen.append(rng.choice(paragraphs["funding"]))
    chosen.append(rng.choice(paragraphs["closing"]))
    return chosen


def _english(i: int, rng: random.Random) -> SyntheticArticle:
    t = load_templates("en")
    v = t["vocab"]
    place, country = _zipf(rng, v["places"], 1.1)
    region = rng.choice(v["regions"])
    theme = rng.choice(v["themes"])

    def org() -> str:
        other_place, other_country = _zipf(rng, v["places"], 1.1)
        return _fill(_zipf(rng, v["org_patterns"], 1.1), {
            "place": other_place, "country": other_country, "region": rng.choice(v["regions"]),
            "field": _zipf(rng, v["fields"], 1.2)})

    orgs: list[str] = []
    while len(orgs) < 3:
        o = org()
        if o not in orgs:
            orgs.append(o)
    people = rng.sample([f"{f} {s}" for f in v["first_names"] for s in v["surnames"]], 3)
    topics = rng.sample(v["topics"], 3)
    year = rng.randint(2012, 2025)
    month = rng.randrange(12)
    day = rng.randint(1, 28)
    head = rng.choice(v["event_heads"])
    edition = rng.choice(v["ordinals"])
    event_short = f"{theme} {head}"
    event = f"{edition} International {head} on {theme}"
    project = f"{place} {rng.choice(['Heritage', 'Cultural', 'Creative'])} {rng.choice(['Revitalization', 'Safeguarding', 'Livelihoods', 'Tourism'])} {rng.choice(v['project_heads'])}"
    slots = {
        "place": place, "PLACE": place.upper(), "country": country, "region": region, "theme": theme,
        "event": event, "event_short": event_short, "event_ref": head, "head_word": head,
        "parent": f"{year} {place} {rng.choice(v['parent_heads'])}",
        "venue": f"{place} {rng.choice(['Convention Centre', 'Museum of History', 'Palace of Culture'])}",
        "org1": orgs[0], "org2": orgs[1], "org3": orgs[2], "gorg": _zipf(rng, v["global_orgs"], 1.0),
        "org1_short": orgs[0].split(" of ")[0],
        "person1": people[0], "person2": people[1], "person3": people[2],
        "title1": rng.choice(v["titles"]), "title2": rng.choice(v["titles"]), "title3": rng.choice(v["titles"]),
        "topic1": topics[0], "topic2": topics[1], "topic3": topics[2],
        "year": str(year), "next_year": str(year + 2), "month": v["months"][month], "day": str(day),
        "count": str(rng.randrange(40, 600, 10)), "n_countries": str(rng.randint(5, 60)),
        "participants": rng.choice(v["participants"]), "sessions": str(rng.randint(3, 15)),
        "project": project, "publication": f"{theme} {rng.choice(v['publication_kinds'])} for {place}",
        "currency": rng.choice(v["currencies"]), "amount": str(rng.choice([5, 12, 20, 35, 50, 100, 150])),
    }
    title = _fill(rng.choice(t["headlines"]), slots)
    body = [_fill(p, slots) for p in _pick_paragraphs(rng, t["paragraphs"])]
    text = "\n\n".join([title, *body]) + "\n"
    return SyntheticArticle(f"en-{i:06d}", "en", title, text)


def _chinese(i: int, rng: random.Random) -> SyntheticArticle:
    t = load_templates("zh")
    v = t["vocab"]
    city, province = _zipf(rng, v["places"], 1.1)
    theme = rng.choice(v["themes"])

    def org() -> str:
        c, p = _zipf(rng, v["places"], 1.1)
        return _fill(_zipf(rng, v["org_patterns"], 1.1), {"city": c, "province": p})

    orgs: list[str] = []
    while len(orgs) < 2:
        o = org()
        if o not in orgs:
            orgs.append(o)
    people = rng.sample([s + g for s in v["surnames"] for g in v["given"]], 2)
    topics = rng.sample(v["topics"], 3)
    head = rng.choice(v["event_heads"])
    edition = rng.randint(1, 10)
    year = rng.randint(2012, 2025)
    event_base = f"{theme}{head}"
    slots = {
        "city": city, "province": province, "theme": theme, "venue": rng.choice(v["venues"]),
        "head": head, "edition": v["numerals"][edition - 1], "event_base": event_base,
        "event": f"{year}{city}{event_base}", "event_ref": f"本届{head}",
        "org1": orgs[0], "org2": orgs[1], "gorg": _zipf(rng, v["global_orgs"], 1.0),
        "person1": people[0], "person2": people[1],
        "title1": rng.choice(v["titles"]), "title2": rng.choice(v["titles"]),
        "topic1": topics[0], "topic2": topics[1], "topic3": topics[2],
        "year": str(year), "next_year": str(year + 1), "month": str(rng.randint(1, 12)),
        "day": str(rng.randint(1, 25)), "day2": str(rng.randint(26, 28)),
        "count": str(rng.randrange(50, 500, 10)), "n_countries": str(rng.randint(5, 40)),
        "sessions": str(rng.randint(3, 12)),
        "project": f"{city}{rng.choice(['文化遗产保护', '传统村落振兴', '文化旅游发展'])}{rng.choice(v['project_heads'])}",
        "publication": f"{city}{theme}{rng.choice(v['publication_kinds'])}",
        "amount": str(rng.choice([1, 2, 3, 5, 8])),
    }
    title = _fill(rng.choice(t["headlines"]), slots)
    body = [_fill(p, slots) for p in _pick_paragraphs(rng, t["paragraphs"])]
    text = "\n\n".join([title, *body]) + "\n"
    return SyntheticArticle(f"zh-{i:06d}", "zh", title, text)


def generate_articles(n: int, langs: dict[str, float] | None = None, seed: int = 7) -> Iterator[SyntheticArticle]:
    """`n` articles, languages drawn with the weights of `langs` (default all English)."""
    weights = langs or {"en": 1.0}
    names, probs = zip(*sorted(weights.items()))
    for i in range(n):
        rng = random.Random(f"{seed}-{i}")
        lang = rng.choices(names, probs)[0]
        yield _english(i, rng) if lang == "en" else _chinese(i, rng)


def write_corpus(folder: str | Path, n: int, langs: dict[str, float] | None = None, seed: int = 7) -> list[Path]:
    """Write `n` articles as `.txt` files (one per article) under `folder`; return their paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in generate_articles(n, langs, seed):
        path = out / f"{article.id}.txt"
        path.write_text(article.text, encoding="utf-8")
        paths.append(path)
    return paths


def _parse_langs(spec: str) -> dict[str, float]:
    out = {}
    for part in spec.split(","):
        lang, _, weight = part.partition("=")
        out[lang.strip()] = float(weight or 1)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--langs", default="en=1", help="weights, e.g. en=0.8,zh=0.2")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    paths = write_corpus(args.out, args.n, _parse_langs(args.langs), args.seed)
    print(f"wrote {len(paths)} articles to {args.out}")


if __name__ == "__main__":
    main()
