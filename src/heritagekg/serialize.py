"""Serialize stage: the output format is picked by file extension in one table; writes are atomic.

A failed run never leaves a half-written file: we write to a temporary file in the target
folder and rename it over the target only when the whole serialization succeeded.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from rdflib import Dataset, Graph

from heritagekg.errors import StoreError

#: extension -> (rdflib format name, keeps named graphs)
FORMATS: dict[str, tuple[str, bool]] = {
    ".ttl": ("turtle", False),
    ".nt": ("nt", False),
    ".trig": ("trig", True),
    ".nq": ("nquads", True),
    ".jsonld": ("json-ld", False),
}
MEDIA_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".trig": "application/trig",
               ".nq": "application/n-quads", ".jsonld": "application/ld+json"}

#: compact JSON-LD context: analysts read `"organizer": ...` instead of full IRIs
JSONLD_CONTEXT = {
    "hkg": "https://w3id.org/heritagekg/ontology#",
    "hkgr": "https://w3id.org/heritagekg/id/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "https://schema.org/",
    "label": "rdfs:label",
    "altLabel": "skos:altLabel",
    "sameAs": {"@id": "owl:sameAs", "@type": "@id"},
}


def format_for(path: str | Path) -> tuple[str, bool]:
    """rdflib format name of an output path, or a StoreError listing the known extensions."""
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        known = ", ".join(FORMATS)
        raise StoreError(f"{path}: unknown output extension {ext or '(none)'}; expected one of {known}")
    return FORMATS[ext]


def flatten(ds: Dataset | Graph) -> Graph:
    """All named graphs in one graph (Turtle, N-Triples and JSON-LD have no graph names)."""
    if not isinstance(ds, Dataset):
        return ds
    g = Graph()
    for prefix, ns in ds.namespaces():
        g.bind(prefix, ns, override=True, replace=True)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@contextmanager
def atomic_open(path: str | Path, mode: str = "wb") -> Iterator[IO]:
    """A file handle whose content appears at `path` only if the block finishes without error."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def to_bytes(ds: Dataset | Graph, fmt: str, keeps_graphs: bool) -> bytes:
    """Serialized bytes, sorted line-wise for N-Triples/N-Quads so equal input gives equal bytes."""
    data: Dataset | Graph = ds if keeps_graphs else flatten(ds)
    if fmt == "json-ld":
        out = data.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True)
    else:
        out = data.serialize(format=fmt)
    raw = out.encode("utf-8") if isinstance(out, str) else out
    if fmt in ("nt", "nquads"):
        lines = sorted(set(line for line in raw.decode("utf-8").splitlines() if line.strip()))
        raw = ("\n".join(lines) + "\n").encode("utf-8")
    return raw


def write(ds: Dataset | Graph, path: str | Path) -> Path:
    """Serialize to `path` in the format its extension names, atomically."""
    fmt, keeps_graphs = format_for(path)
    try:
        raw = to_bytes(ds, fmt, keeps_graphs)
    except Exception as exc:  # rdflib raises many types; the user needs one line
        raise StoreError(f"{path}: cannot serialize as {fmt}: {exc}") from exc
    with atomic_open(path) as fh:
        fh.write(raw)
    return Path(path)


def read(path: str | Path) -> Dataset:
    """Parse an RDF file by extension into a Dataset (named graphs kept for TriG/N-Quads)."""
    fmt, keeps_graphs = format_for(path)
    p = Path(path)
    if not p.is_file():
        raise StoreError(f"{path}: no such file")
    ds = Dataset()
    try:
        if keeps_graphs:
            ds.parse(p, format=fmt)
        else:
            ds.default_graph.parse(p, format=fmt) if hasattr(ds, "default_graph") else ds.parse(p, format=fmt)
    except Exception as exc:
        raise StoreError(f"{path}: not valid {fmt}: {exc}".splitlines()[0]) from exc
    return ds
