"""Publish a knowledge graph to a SPARQL 1.1 server, whole or not at all.

How an export lands (`export_graph`):
1. Targets: one named graph per article (the TriG graph names); triples in the source's default
   graph (a Turtle/N-Triples/JSON-LD file) go to the graph named by the dataset IRI; `graph=`
   puts everything into that one graph. The VoID/DCAT description (`heritagekg.describe`) goes
   to `<dataset-iri>/void` and lists every published graph with `void:inDataset`.
2. Every target is uploaded in chunks into a temporary graph `<target>-tmp-<uuid>`, by the Graph
   Store HTTP Protocol (POST, N-Triples) when the server offers it, else SPARQL 1.1 Update
   `INSERT DATA`. Triples sharing a blank node stay in one chunk (each request scopes its own
   blank nodes).
3. A COUNT query checks that each temporary graph holds exactly the triples sent.
4. One SPARQL Update request swaps them in (see `_swap_request`): replace makes each target
   equal to its temporary graph (DROP+ADD when empty, else delete/insert only the difference,
   which is MOVE's result at a fraction of the cost on Oxigraph) and drops graphs the previous
   description listed that the new data no longer has; append ADDs. A server that runs an update
   request as one transaction (Oxigraph, Fuseki, Virtuoso) never shows readers a half graph.
   The request can be repeated safely, so it is retried like any other. The temporary graphs are
   dropped by a second request.
5. On any failure the temporary graphs are dropped (best effort) and the old graphs are
   untouched. If the server died mid-upload, the drop cannot reach it: the leftovers of a target
   are removed by the next export of that target, or by `cleanup_temporary_graphs`
   (`heritagekg export --cleanup`). Do not run two exports of the same graphs at once.

Server quirks handled: queries are POSTed form-encoded (Virtuoso 7 hangs on a direct
`application/sparql-query` body); chunks with blank nodes go as `INSERT {...} WHERE {}` (Virtuoso
refuses blank nodes in INSERT DATA); Oxigraph gets `no_transaction` bulk loads for chunks of 20k+
triples. Servers store numbers in canonical form (Oxigraph: "1.0"^^xsd:decimal -> "1"; Virtuoso
also turns a whole decimal into xsd:integer): same values, not the same lexical forms.

Connection errors and 5xx answers are retried with exponential backoff (4 tries by default);
a 4xx is reported at once with the server's message. Credentials come from the environment
(HERITAGEKG_ENDPOINT_USER/PASSWORD/TOKEN, HERITAGEKG_ENDPOINT_AUTH=basic|digest|bearer) or
~/.netrc, never from options, and every error message is redacted.
"""
from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal as TypingLiteral
from typing import cast
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from heritagekg.describe import (
    DatasetMetadata,
    default_dataset_iri,
    describe_dataset,
    description_graph_iri,
    flatten,
    open_dataset,
    triples_of,
)
from heritagekg.errors import EndpointError, InputError

Mode = TypingLiteral["replace", "append"]
Protocol = TypingLiteral["auto", "gsp", "update"]
AuthKind = TypingLiteral["none", "basic", "digest", "bearer"]

DEFAULT_CHUNK_SIZE = 10_000
DEFAULT_RETRIES = 4
DEFAULT_BACKOFF = 0.25  # seconds before the 2nd try; doubles each time
#: (connect, read) timeouts: a MOVE of a large graph can take a while to answer
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 600.0)

#: Oxigraph's non-transactional load costs ~0.2 s a request on disk: it only pays from ~20k triples
BULK_MIN_TRIPLES = 20_000
TEMP_SUFFIX = re.compile(r"-tmp-[0-9a-f]{32}$")
ENV_USER = "HERITAGEKG_ENDPOINT_USER"
ENV_PASSWORD = "HERITAGEKG_ENDPOINT_PASSWORD"
ENV_TOKEN = "HERITAGEKG_ENDPOINT_TOKEN"
ENV_AUTH = "HERITAGEKG_ENDPOINT_AUTH"
CREDENTIAL_HELP = (f"set {ENV_USER} and {ENV_PASSWORD} ({ENV_AUTH}=digest for digest auth), "
                   f"or {ENV_TOKEN} for a bearer token, or add a ~/.netrc entry for the host")
SPARQL_RESULTS_JSON = "application/sparql-results+json"
VOID_IN_DATASET = "http://rdfs.org/ns/void#inDataset"
DCTERMS_ISSUED = "http://purl.org/dc/terms/issued"


# --- endpoints --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Endpoints:
    """Where to query, update and (if the server has it) use the Graph Store Protocol."""

    query: str
    update: str
    gsp: str | None = None


#: path suffixes of Oxigraph's layout (and Fuseki's, whose GSP endpoint is `/data`)
_LAYOUT_SUFFIXES = ("/query", "/update", "/store", "/data", "/sparql")


def resolve_endpoints(endpoint: str | None = None, *, query_endpoint: str | None = None,
                      update_endpoint: str | None = None, gsp_endpoint: str | None = None) -> Endpoints:
    """Derive the three endpoints from a base URL, explicit options overriding.

    `http://host:7878` (or any of its `/query`, `/update`, `/store` URLs) gives Oxigraph's
    layout: `/query`, `/update`, `/store`. A URL ending in `/sparql` or `/sparql-auth` (Virtuoso,
    Oxigraph) is used for both queries and updates, with no GSP endpoint unless `gsp_endpoint`
    names one (Virtuoso: `/sparql-graph-crud-auth`).
    Fuseki: pass `--endpoint http://host:3030/ds` (gives `/ds/query`, `/ds/update`) and
    `--gsp-endpoint http://host:3030/ds/data`.
    """
    for url in (endpoint, query_endpoint, update_endpoint, gsp_endpoint):
        if url is not None:
            _check_url(url)
    query = update = gsp = None
    if endpoint:
        base = endpoint.rstrip("/")
        if re.search(r"/sparql(-[a-z]+)?$", base):  # Virtuoso's /sparql, /sparql-auth; Oxigraph's /sparql
            query = update = base
        else:
            for suffix in _LAYOUT_SUFFIXES:
                if base.endswith(suffix):
                    base = base[: -len(suffix)]
                    break
            query, update, gsp = f"{base}/query", f"{base}/update", f"{base}/store"
    query = query_endpoint or query
    update = update_endpoint or update or query
    gsp = gsp_endpoint or gsp
    if not query or not update:
        raise EndpointError("no endpoint: give --endpoint URL (or --query-endpoint and --update-endpoint)")
    return Endpoints(query=query, update=update, gsp=gsp)


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{_strip_userinfo(url)}: not an http(s) endpoint URL")
    if parts.username or parts.password:
        raise EndpointError(f"{_strip_userinfo(url)}: credentials do not belong in the URL "
                            f"(they end up in shell history); {CREDENTIAL_HELP}")


def _strip_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


# --- credentials ------------------------------------------------------------------------------

class BearerAuth(AuthBase):
    """`Authorization: Bearer <token>`; its repr never shows the token."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "BearerAuth(***)"


@dataclass(frozen=True)
class Credentials:
    """How we authenticate; `secret` never leaves this object except in the HTTP header."""

    kind: AuthKind = "none"
    user: str | None = None
    secret: str | None = field(default=None, repr=False)
    source: str = ""

    def auth(self) -> AuthBase | None:
        if self.kind == "basic":
            return HTTPBasicAuth(self.user or "", self.secret or "")
        if self.kind == "digest":
            return HTTPDigestAuth(self.user or "", self.secret or "")
        if self.kind == "bearer":
            return BearerAuth(self.secret or "")
        return None

    def describe(self) -> str:
        """What we sent, for error messages: never the secret."""
        if self.kind == "none":
            return "no credentials"
        who = f" as user {self.user!r}" if self.user else ""
        return f"{self.kind} auth{who} from {self.source}"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Strings that must never appear in output: the secret and its Basic-header form."""
        if not self.secret:
            return ()
        header = base64.b64encode(f"{self.user or ''}:{self.secret}".encode()).decode("ascii")
        return (self.secret, header)


def credentials_from_env(url: str, environ: Mapping[str, str] | None = None) -> Credentials:
    """Credentials for `url` from HERITAGEKG_ENDPOINT_* variables, else ~/.netrc (or $NETRC)."""
    env = os.environ if environ is None else environ
    asked = env.get(ENV_AUTH, "").strip().lower() or None
    user, password, token = env.get(ENV_USER), env.get(ENV_PASSWORD), env.get(ENV_TOKEN)
    if asked not in (None, "basic", "digest", "bearer", "none"):
        raise EndpointError(f"{ENV_AUTH}={asked!r}: use basic, digest or bearer")
    kind = cast("AuthKind | None", asked)
    if kind == "none":
        return Credentials()
    if kind == "bearer" or (kind is None and token):
        if not token:
            raise EndpointError(f"{ENV_AUTH}=bearer but {ENV_TOKEN} is not set")
        return Credentials("bearer", None, token, ENV_TOKEN)
    if user and password:
        return Credentials(kind or "basic", user, password, f"{ENV_USER}/{ENV_PASSWORD}")
    netrc_auth = requests.utils.get_netrc_auth(url)
    if netrc_auth:
        return Credentials(kind or "basic", netrc_auth[0], netrc_auth[1], "netrc")
    if kind in ("basic", "digest"):
        raise EndpointError(f"{ENV_AUTH}={kind} but no credentials: {CREDENTIAL_HELP}")
    return Credentials()


# --- the HTTP client --------------------------------------------------------------------------

class SparqlClient:
    """requests.Session with auth, bounded retries and redacted errors; one per export."""

    def __init__(self, endpoints: Endpoints, credentials: Credentials | None = None, *,
                 retries: int = DEFAULT_RETRIES, backoff: float = DEFAULT_BACKOFF,
                 timeout: tuple[float, float] = DEFAULT_TIMEOUT) -> None:
        self.endpoints = endpoints
        self.credentials = credentials or Credentials()
        self.retries = max(1, retries)
        self.backoff = backoff
        self.timeout = timeout
        self.session = requests.Session()
        self.session.auth = self.credentials.auth()
        self.session.headers["User-Agent"] = "heritagekg-export"

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> SparqlClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- redaction --
    def redact(self, text: str) -> str:
        """Remove every secret (and URL userinfo) from a message before anyone sees it."""
        for secret in self.credentials.secrets:
            text = text.replace(secret, "***")
        return re.sub(r"//[^/@\s]+@", "//***@", text)

    def error(self, message: str) -> EndpointError:
        return EndpointError(self.redact(message))

    # -- requests --
    def send(self, method: str, url: str, *, what: str, retries: int | None = None,
             return_errors: bool = False, **kwargs: object) -> requests.Response:
        """One HTTP exchange: retry connection errors and 5xx with backoff; raise on 4xx.

        With return_errors=True an error status other than 401/403 is returned at once (probes).
        """
        tries = self.retries if retries is None else max(1, retries)
        delay = self.backoff
        problem = ""
        answered = False
        for attempt in range(1, tries + 1):
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)  # type: ignore[arg-type]
            except (requests.ConnectionError, requests.Timeout) as exc:
                problem, answered = _connection_problem(exc), False
            else:
                if response.status_code < 400:
                    return response
                if response.status_code in (401, 403) or (response.status_code < 500 and not return_errors):
                    raise self._client_error(response, what, url)
                if return_errors:
                    return response
                problem, answered = f"HTTP {response.status_code}{_server_message(response)}", True
            if attempt < tries:
                time.sleep(delay)
                delay *= 2
        error = self.error(f"{what}: {url} failed after {tries} tr{'y' if tries == 1 else 'ies'}: {problem}")
        error.answered = answered  # type: ignore[attr-defined]
        raise error

    def _client_error(self, response: requests.Response, what: str, url: str) -> EndpointError:
        status = response.status_code
        message = _server_message(response)
        if status == 401:
            challenge = response.headers.get("WWW-Authenticate", "").split(" ", 1)[0] or "credentials"
            if self.credentials.kind == "none":
                return self.error(f"{what}: {url} requires authentication (HTTP 401, server asks for "
                                  f"{challenge}){message}; {CREDENTIAL_HELP}")
            return self.error(f"{what}: {url} rejected the credentials (HTTP 401, server asks for "
                              f"{challenge}; we sent {self.credentials.describe()}){message}")
        if status == 403:
            return self.error(f"{what}: {url} refused (HTTP 403 forbidden: "
                              f"{self.credentials.describe()} may not do this){message}")
        return self.error(f"{what}: {url} answered HTTP {status}{message}")

    def select(self, query: str, *, what: str) -> list[dict[str, str]]:
        """Run a SELECT; each row maps variable -> value (lexical form or IRI)."""
        response = self._query(query, what, SPARQL_RESULTS_JSON)
        try:
            bindings = response.json()["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            raise self.error(f"{what}: {self.endpoints.query} did not answer with SPARQL JSON results") from None
        return [{var: cell["value"] for var, cell in row.items()} for row in bindings]

    def _query(self, query: str, what: str, accept: str) -> requests.Response:
        # form-encoded POST: the one way every server takes (Virtuoso 7 hangs on a direct body)
        return self.send("POST", self.endpoints.query, what=what, data={"query": query},
                         headers={"Accept": accept})

    def update(self, update: str, *, what: str, retries: int | None = None) -> None:
        self.send("POST", self.endpoints.update, what=what, retries=retries, data=update.encode("utf-8"),
                  headers={"Content-Type": "application/sparql-update"})

    def construct_graph(self, graph: str, *, what: str) -> list[ox.Triple]:
        """Every triple of a named graph, read back with a CONSTRUCT as N-Triples."""
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}"
        response = self._query(query, what, "application/n-triples, text/turtle;q=0.5")
        media = response.headers.get("Content-Type", "").split(";")[0].strip()
        fmt = ox.RdfFormat.TURTLE if media == "text/turtle" else ox.RdfFormat.N_TRIPLES
        return list(ox.parse(response.content, format=fmt))

    def probe_gsp(self) -> tuple[bool, bool]:
        """(the server speaks the Graph Store Protocol, it is Oxigraph) from a HEAD on `?default`.

        Any refusal (404, 405, even 401: Virtuoso will not do digest auth on HEAD) means "use
        SPARQL Update"; a real credential problem is then reported by the update requests.
        """
        if not self.endpoints.gsp:
            return False, False
        try:
            response = self.session.head(self.endpoints.gsp, params={"default": ""}, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout):
            return False, False  # the first real request retries and reports it
        oxigraph = response.headers.get("Server", "").lower().startswith("oxigraph")
        return response.status_code < 300, oxigraph


def _connection_problem(exc: requests.RequestException) -> str:
    """A short cause ('Connection refused') instead of urllib3's paragraph."""
    if isinstance(exc, requests.Timeout):
        return "timed out"
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(exc))
    if match:
        return f"cannot connect ({match.group(1).strip()})"
    if "RemoteDisconnected" in str(exc) or "Connection aborted" in str(exc):
        return "the server closed the connection"
    return f"cannot connect ({type(exc).__name__})"


def _server_message(response: requests.Response) -> str:
    """The server's own words, short (HTML tags stripped), as ': message' (or '')."""
    text = response.text or ""
    if "html" in response.headers.get("Content-Type", ""):
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return f": {text[:400]}" if text else ""


def _iri(value: str) -> str:
    """`<iri>` for SPARQL, refusing anything that is not an absolute IRI."""
    try:
        return str(ox.NamedNode(value))
    except ValueError:
        raise InputError(value, "not an absolute IRI") from None


# --- planning the upload ----------------------------------------------------------------------

@dataclass
class Target:
    """One graph on the server and the triples it receives."""

    graph: str
    triples: list[ox.Triple]
    temp_graph: str = ""
    served_before: int = 0  # triples the server held in `graph` before the swap


def plan_targets(store: ox.Store, dataset_iri: str, graph: str | None = None) -> list[Target]:
    """Which server graph gets which triples: per article graph, or all in `graph`."""
    if graph is not None:
        _iri(graph)
        flat = flatten(store)
        return [Target(graph, [q.triple for q in flat])]
    targets: list[Target] = []
    default = [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    if default and any(True for _ in store.named_graphs()):
        # a heritagekg store keeps a merged view of its article graphs in the default graph:
        # publish only default-graph triples that no article graph holds
        in_named = {q.triple for q in store.quads_for_pattern(None, None, None, None)
                    if not isinstance(q.graph_name, ox.DefaultGraph)}
        default = [t for t in default if t not in in_named]
    if default:
        targets.append(Target(dataset_iri, default))
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    for name in names:
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name))]
        if name == dataset_iri and targets:
            targets[0].triples.extend(triples)
            continue
        targets.append(Target(name, triples))
    # blank-node graph names have no IRI a server could store them under
    blank_named = [g for g in store.named_graphs() if isinstance(g, ox.BlankNode)]
    if blank_named:
        raise InputError("graph", f"{len(blank_named)} named graph(s) have blank-node names; "
                                  "use --graph IRI to publish them into one graph")
    return targets


def chunk_triples(triples: Sequence[ox.Triple], size: int) -> list[list[ox.Triple]]:
    """Split into chunks of about `size`, never splitting triples that share a blank node.

    Each request scopes its own blank nodes, so `_:b` sent in two requests would become two
    nodes; a group of triples linked through blank nodes travels whole (even if bigger than size).
    """
    size = max(1, size)
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    plain: list[ox.Triple] = []
    linked: list[tuple[ox.Triple, str]] = []
    for triple in triples:
        blanks = [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        if not blanks:
            plain.append(triple)
            continue
        for blank in blanks:
            parent.setdefault(blank, blank)
        if len(blanks) == 2:
            a, b = find(blanks[0]), find(blanks[1])
            if a != b:
                parent[a] = b
        linked.append((triple, blanks[0]))
    groups: dict[str, list[ox.Triple]] = {}
    for triple, blank in linked:
        groups.setdefault(find(blank), []).append(triple)

    chunks: list[list[ox.Triple]] = []
    current: list[ox.Triple] = []
    for group in groups.values():
        if current and len(current) + len(group) > size:
            chunks.append(current)
            current = []
        current.extend(group)
    for start in range(0, len(plain), size):
        piece = plain[start:start + size]
        while piece:
            room = size - len(current)
            if room <= 0:
                chunks.append(current)
                current = []
                continue
            current.extend(piece[:room])
            piece = piece[room:]
    if current:
        chunks.append(current)
    return chunks


def _insert_request(graph: str, chunk: Sequence[ox.Triple]) -> str:
    """INSERT DATA; with blank nodes `INSERT {...} WHERE {}`, same effect, which Virtuoso accepts."""
    body = _ntriples(chunk).decode("utf-8")
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in chunk):
        return f"INSERT {{ GRAPH {_iri(graph)} {{\n{body}}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH {_iri(graph)} {{\n{body}}} }}"


def _ntriples(chunk: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b""


# --- reports ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExportProgress:
    """Told to the `progress` callback after every chunk the server accepted."""

    graph: str
    temp_graph: str
    chunk: int            # 1-based, within this graph
    chunks: int           # chunks of this graph
    triples_sent: int     # all graphs so far
    triples_total: int    # all graphs


@dataclass
class ExportReport:
    """What an export published, for the CLI to render and scripts to check."""

    endpoint: str
    protocol: str
    mode: str
    dataset_iri: str
    graphs: dict[str, int]              # target graph -> triples uploaded into it
    description_graph: str | None
    description_triples: int
    removed_graphs: list[str]           # graphs of the previous release the replace dropped
    removed_temp_graphs: list[str]      # leftovers of an earlier failed export, cleaned up
    temp_graphs_left: list[str]         # ours, not dropped after the swap (server gone): next export drops them
    chunks: int
    seconds: float

    @property
    def total_triples(self) -> int:
        return sum(self.graphs.values())


# --- the export -------------------------------------------------------------------------------

def export_graph(
    source: str | Path | ox.Store,
    endpoint: str | None = None,
    *,
    graph: str | None = None,
    mode: Mode = "replace",
    protocol: Protocol = "auto",
    dataset_iri: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    query_endpoint: str | None = None,
    update_endpoint: str | None = None,
    gsp_endpoint: str | None = None,
    metadata: DatasetMetadata | None = None,
    describe: bool = True,
    progress: Callable[[ExportProgress], None] | None = None,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    environ: Mapping[str, str] | None = None,
) -> ExportReport:
    """Publish `source` (RDF file, store directory or pyoxigraph Store) to a SPARQL server.

    Whole or nothing: see the module docstring. Raises EndpointError (redacted) on failure,
    after dropping the temporary graphs it created when the server still answers.
    """
    started = time.perf_counter()
    if mode not in ("replace", "append"):
        raise InputError("mode", f"{mode!r}: use replace or append")
    if protocol not in ("auto", "gsp", "update"):
        raise InputError("protocol", f"{protocol!r}: use gsp, update or auto")
    endpoints = resolve_endpoints(endpoint, query_endpoint=query_endpoint,
                                  update_endpoint=update_endpoint, gsp_endpoint=gsp_endpoint)
    store = open_dataset(source)
    meta = metadata or DatasetMetadata()
    ds_iri = dataset_iri or meta.dataset_iri or default_dataset_iri(store)
    _iri(ds_iri)
    void_graph = description_graph_iri(ds_iri)
    targets = plan_targets(store, ds_iri, graph)
    if void_graph in {t.graph for t in targets}:
        raise InputError(void_graph, "the data already uses the description graph's name; pick another --dataset-iri")

    with SparqlClient(endpoints, credentials_from_env(endpoints.query, environ),
                      retries=retries, backoff=backoff) as client:
        use_gsp, bulk = _choose_protocol(client, protocol)
        protocol_used = "gsp" if use_gsp else "update"
        previous_graphs, previous_issued = _previous_release(client, ds_iri, void_graph)
        removed_temp = _drop_temporary(client, {t.graph for t in targets} | {void_graph} | previous_graphs)

        published = [t.graph for t in targets]
        if mode == "append":
            published = sorted(previous_graphs | set(published))
        if describe and mode == "replace":
            description = describe_dataset(store, _release_metadata(meta, ds_iri, endpoints, published,
                                                                    previous_issued))
            targets.append(Target(void_graph, list(triples_of(description))))

        total = sum(len(t.triples) for t in targets)
        uploader = _Uploader(client, use_gsp, bulk, chunk_size, progress, total)
        swapping = False
        try:
            uploader.upload_all(targets)
            _check_counts(client, targets)
            stale = sorted(previous_graphs - {t.graph for t in targets}) if mode == "replace" else []
            swapping = True
            client.update(_swap_request(targets, mode, stale), what="swap the new graphs in")
        except BaseException as exc:
            _drop_best_effort(client, [t.temp_graph for t in targets if t.temp_graph])
            if isinstance(exc, EndpointError):
                unanswered = swapping and not getattr(exc, "answered", True)
                outcome = ("the swap got no answer: the server applied it whole or not at all; "
                           "run the export again to be sure" if unanswered else
                           "nothing was published; the previous graphs are untouched")
                raise client.error(f"{exc} — {outcome} (leftover temporary graphs are removed by the "
                                   "next export or `heritagekg export --cleanup`)") from None
            raise
        left_behind = _drop_best_effort(client, [t.temp_graph for t in targets if t.temp_graph])

        description_graph = void_graph if describe else None
        description_triples = next((len(t.triples) for t in targets if t.graph == void_graph), 0)
        data_targets = [t for t in targets if t.graph != void_graph]
        if describe and mode == "append":
            description_triples = _publish_description_after_append(
                client, uploader, meta, ds_iri, endpoints, published, previous_issued, void_graph)

    return ExportReport(
        endpoint=endpoints.query, protocol=protocol_used, mode=mode, dataset_iri=ds_iri,
        graphs={t.graph: len(t.triples) for t in data_targets}, description_graph=description_graph,
        description_triples=description_triples,
        removed_graphs=stale, removed_temp_graphs=removed_temp, temp_graphs_left=left_behind,
        chunks=uploader.chunks_sent,
        seconds=time.perf_counter() - started)


def _choose_protocol(client: SparqlClient, protocol: Protocol) -> tuple[bool, bool]:
    """(use GSP, Oxigraph bulk mode): probe the server unless the caller chose `update`."""
    if protocol == "update":
        return False, False
    if protocol == "gsp" and not client.endpoints.gsp:
        raise client.error("--protocol gsp needs a Graph Store endpoint: give --gsp-endpoint URL "
                           "(or a base --endpoint URL) or use --protocol update")
    offers_gsp, oxigraph = client.probe_gsp()
    # asked for explicitly, GSP is trusted even when the probe says no (Virtuoso has no `?default`)
    return offers_gsp or protocol == "gsp", oxigraph


def _release_metadata(meta: DatasetMetadata, ds_iri: str, endpoints: Endpoints, graphs: Sequence[str],
                      previous_issued: dt.date | None) -> DatasetMetadata:
    """The caller's metadata plus what the server knows: endpoint, graphs, first issue date."""
    return dataclasses.replace(meta, dataset_iri=ds_iri, sparql_endpoint=endpoints.query,
                               named_graphs=tuple(graphs), issued=meta.issued or previous_issued)


def _previous_release(client: SparqlClient, ds_iri: str, void_graph: str) -> tuple[set[str], dt.date | None]:
    """Graphs the published description lists, and its dcterms:issued (kept across releases)."""
    rows = client.select(
        f"SELECT ?g ?issued WHERE {{ GRAPH {_iri(void_graph)} {{ "
        f"{{ ?g <{VOID_IN_DATASET}> {_iri(ds_iri)} }} UNION {{ {_iri(ds_iri)} <{DCTERMS_ISSUED}> ?issued }} }} }}",
        what="read the published description")
    graphs = {row["g"] for row in rows if "g" in row}
    issued = None
    for row in rows:
        if "issued" in row:
            with contextlib.suppress(ValueError):  # a hand-edited date: fall back to today
                issued = dt.date.fromisoformat(row["issued"][:10])
    return graphs, issued


def list_temporary_graphs(client: SparqlClient, targets: Iterable[str] | None = None) -> list[str]:
    """Temporary graphs (`<target>-tmp-<uuid>`) on the server; only those of `targets` if given."""
    rows = client.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", what="list the graphs")
    if any("g" not in row for row in rows):
        # Virtuoso answers the empty pattern with one unbound row: scan the quads instead
        rows = client.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", what="list the graphs")
    wanted = set(targets) if targets is not None else None
    found = []
    for row in rows:
        name = row.get("g", "")
        if TEMP_SUFFIX.search(name) and (wanted is None or TEMP_SUFFIX.sub("", name) in wanted):
            found.append(name)
    return sorted(found)


def _drop_temporary(client: SparqlClient, targets: Iterable[str] | None) -> list[str]:
    leftovers = list_temporary_graphs(client, targets)
    if leftovers:
        client.update(" ;\n".join(f"DROP SILENT GRAPH {_iri(g)}" for g in leftovers),
                      what="drop leftover temporary graphs")
    return leftovers


def _drop_best_effort(client: SparqlClient, graphs: Sequence[str]) -> list[str]:
    """Drop our temporary graphs; return those a dead server kept (the next export drops them)."""
    if not graphs:
        return []
    try:
        client.update(" ;\n".join(f"DROP SILENT GRAPH {_iri(g)}" for g in graphs),
                      what="drop temporary graphs", retries=2)
    except EndpointError:
        return list(graphs)
    return []


class _Uploader:
    """Sends targets into fresh temporary graphs, chunk by chunk, by GSP or INSERT DATA."""

    def __init__(self, client: SparqlClient, use_gsp: bool, bulk: bool, chunk_size: int,
                 progress: Callable[[ExportProgress], None] | None, total: int) -> None:
        self.client = client
        self.use_gsp = use_gsp
        self.bulk = bulk
        self.chunk_size = chunk_size
        self.progress = progress
        self.total = total
        self.sent = 0
        self.chunks_sent = 0

    def upload_all(self, targets: Sequence[Target]) -> None:
        for target in targets:
            if target.triples:
                target.temp_graph = f"{target.graph}-tmp-{uuid.uuid4().hex}"
                self.upload(target)

    def upload(self, target: Target) -> None:
        chunks = chunk_triples(target.triples, self.chunk_size)
        for number, chunk in enumerate(chunks, start=1):
            what = f"upload chunk {number}/{len(chunks)} of <{target.graph}>"
            if self.use_gsp:
                self._post_gsp(target.temp_graph, _ntriples(chunk), what, len(chunk))
            else:
                self.client.update(_insert_request(target.temp_graph, chunk), what=what)
            self.sent += len(chunk)
            self.chunks_sent += 1
            if self.progress is not None:
                self.progress(ExportProgress(target.graph, target.temp_graph, number, len(chunks),
                                             self.sent, self.total))

    def _post_gsp(self, graph: str, body: bytes, what: str, triples: int) -> None:
        params = {"graph": graph}
        if self.bulk and triples >= BULK_MIN_TRIPLES:
            # Oxigraph: load without a transaction; safe because the graph is temporary
            params["no_transaction"] = ""
        assert self.client.endpoints.gsp is not None
        self.client.send("POST", self.client.endpoints.gsp, what=what, params=params, data=body,
                         headers={"Content-Type": "application/n-triples"})


def _check_counts(client: SparqlClient, targets: Sequence[Target]) -> None:
    """Every temporary graph must hold exactly the triples we sent (no loss, no duplicates).

    Also records how many triples each target holds now, which picks the swap's form.
    """
    uploaded = [t for t in targets if t.temp_graph]
    names = [t.temp_graph for t in uploaded] + [t.graph for t in targets]
    values = " ".join(_iri(name) for name in names)
    rows = client.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                         f"GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g", what="count the uploaded triples")
    counts = {row["g"]: int(row["n"]) for row in rows if "g" in row and "n" in row}
    for target in targets:
        target.served_before = counts.get(target.graph, 0)
    for target in uploaded:
        found = counts.get(target.temp_graph, 0)
        if found != len(target.triples):
            raise client.error(f"<{target.graph}>: the server holds {found} triples after the upload, "
                               f"{len(target.triples)} were sent")


def _swap_request(targets: Sequence[Target], mode: Mode, stale: Sequence[str]) -> str:
    """One SPARQL Update request that makes the new graphs visible at once; safe to repeat.

    replace, target empty:  DROP SILENT GRAPH <t> ; ADD <tmp> TO <t>
    replace, target filled: delete what the new data lacks, insert what the old data lacks.
        Same result as `MOVE`, but a re-published graph mostly matches the old one, so only the
        difference is written: on Oxigraph's disk store `MOVE` of 50k triples over themselves
        takes 6.7 s, this 0.6 s (MOVE deletes and re-inserts every triple in one transaction).
    append:                 ADD <tmp> TO <t>
    The temporary graphs are dropped by a separate request afterwards (`_drop_best_effort`):
    they are not what readers read, and dropping them inside the swap slows it down.
    """
    operations: list[str] = []
    for target in targets:
        t = _iri(target.graph)
        if not target.temp_graph:
            if mode == "replace":
                operations.append(f"DROP SILENT GRAPH {t}")
            continue
        tmp = _iri(target.temp_graph)
        if mode == "append":
            operations.append(f"ADD {tmp} TO {t}")
        elif target.served_before == 0:
            operations.append(f"DROP SILENT GRAPH {t}")
            operations.append(f"ADD {tmp} TO {t}")
        else:
            operations.append(f"DELETE {{ GRAPH {t} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {t} {{ ?s ?p ?o }} "
                              f"FILTER NOT EXISTS {{ GRAPH {tmp} {{ ?s ?p ?o }} }} }}")
            operations.append(f"INSERT {{ GRAPH {t} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {tmp} {{ ?s ?p ?o }} "
                              f"FILTER NOT EXISTS {{ GRAPH {t} {{ ?s ?p ?o }} }} }}")
    operations.extend(f"DROP SILENT GRAPH {_iri(graph)}" for graph in stale)
    return " ;\n".join(operations) if operations else "CLEAR SILENT GRAPH <urn:heritagekg:nothing>"


def _publish_description_after_append(client: SparqlClient, uploader: _Uploader, meta: DatasetMetadata,
                                      ds_iri: str, endpoints: Endpoints, graphs: Sequence[str],
                                      previous_issued: dt.date | None, void_graph: str) -> int:
    """After an append the dataset is what the server holds: read it back and describe that."""
    served = ox.Store()
    for name in graphs:
        node = ox.NamedNode(name)
        served.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, node)
                           for t in client.construct_graph(name, what=f"read back <{name}>"))
    description = describe_dataset(served, _release_metadata(meta, ds_iri, endpoints, graphs, previous_issued))
    target = Target(void_graph, list(triples_of(description)))
    try:
        uploader.upload_all([target])
        _check_counts(client, [target])
        client.update(_swap_request([target], "replace", []), what="swap the description in")
    finally:
        _drop_best_effort(client, [target.temp_graph] if target.temp_graph else [])
    return len(target.triples)


def cleanup_temporary_graphs(endpoint: str | None = None, *, query_endpoint: str | None = None,
                             update_endpoint: str | None = None, targets: Iterable[str] | None = None,
                             retries: int = DEFAULT_RETRIES, backoff: float = DEFAULT_BACKOFF,
                             environ: Mapping[str, str] | None = None) -> list[str]:
    """Drop the temporary graphs failed exports left behind (all, or only those of `targets`)."""
    endpoints = resolve_endpoints(endpoint, query_endpoint=query_endpoint, update_endpoint=update_endpoint)
    with SparqlClient(endpoints, credentials_from_env(endpoints.query, environ),
                      retries=retries, backoff=backoff) as client:
        return _drop_temporary(client, targets)


def iter_report_lines(report: ExportReport, limit: int = 20) -> Iterator[tuple[str, int]]:
    """(graph, triples) rows for display, biggest first, at most `limit`."""
    rows = sorted(report.graphs.items(), key=lambda item: (-item[1], item[0]))
    yield from rows[:limit]
