"""Every format we write is read back by rdflib and pyoxigraph; writes are atomic and deterministic."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, URIRef

from heritagekg.errors import StoreError
from heritagekg.serialize import FORMATS, format_for, read, write

OX_FORMATS = {".ttl": pyoxigraph.RdfFormat.TURTLE, ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
              ".trig": pyoxigraph.RdfFormat.TRIG, ".nq": pyoxigraph.RdfFormat.N_QUADS,
              ".jsonld": pyoxigraph.RdfFormat.JSON_LD}


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_both_parsers_read_what_we_write(seed_build, tmp_path: Path, ext: str):
    path = write(seed_build.dataset, tmp_path / f"kg{ext}")
    quads = list(pyoxigraph.parse(path=str(path), format=OX_FORMATS[ext]))
    ours = read(path)
    n_rdflib = len(set((s, p, o) for s, p, o, _ in ours.quads((None, None, None, None))))
    n_distinct = len({(q.subject, q.predicate, q.object) for q in quads})
    assert n_rdflib == n_distinct > 300
    if FORMATS[ext][1]:  # named graphs kept: one per article
        graphs = {q.graph_name for q in quads}
        assert any("article/" in str(g) for g in graphs)


def test_same_input_gives_identical_bytes(seed_build, tmp_path: Path):
    from heritagekg.pipeline import build
    from conftest import DATA

    again = build([DATA])
    for ext in (".ttl", ".trig", ".nq"):
        a = write(seed_build.dataset, tmp_path / f"a{ext}").read_bytes()
        b = write(again.dataset, tmp_path / f"b{ext}").read_bytes()
        assert a == b, ext


def test_unknown_extension_is_refused():
    with pytest.raises(StoreError, match="unknown output extension .xml"):
        format_for("out/kg.xml")


def test_failed_write_leaves_old_file_and_no_temp(tmp_path: Path):
    target = tmp_path / "kg.ttl"
    target.write_text("old content", encoding="utf-8")

    class Broken(Graph):
        def serialize(self, *a, **k):  # noqa: D401
            raise RuntimeError("disk on fire")

    with pytest.raises(StoreError, match="kg.ttl"):
        write(Broken(), target)
    assert target.read_text(encoding="utf-8") == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_base_iri_is_respected(tmp_path: Path):
    from heritagekg.pipeline import build
    from conftest import DATA

    res = build([DATA], base_iri="https://example.org/kg/")
    subjects = {str(s) for s, _, _, _ in res.dataset.quads((None, None, None, None)) if isinstance(s, URIRef)}
    assert any(s.startswith("https://example.org/kg/forum/") for s in subjects)
    assert not any(s.startswith("https://w3id.org/heritagekg/id/") for s in subjects)
    assert isinstance(res.dataset, Dataset)
