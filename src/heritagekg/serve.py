"""A read-only SPARQL 1.1 Protocol endpoint over a graph file or a store, for local analysis.

- `GET /sparql?query=...`, `POST /sparql` (form `query=` or `application/sparql-query`); `/query`
  is the same. Results by Accept header: SPARQL JSON (default), XML, CSV, TSV; CONSTRUCT and
  DESCRIBE as Turtle (default), N-Triples, RDF/XML or JSON-LD. `default-graph-uri` and
  `named-graph-uri` are honoured; without them the default graph is the merged view (store.py).
- Read-only: SPARQL Update (on `/update`, as `update=` or `application/sparql-update`, or an
  update sent as a query) gets 403 with a message; nothing can write the store anyway, as every
  worker opens it read-only.
- Each worker copies the merged view into memory when it is small enough (`memory_max_triples`,
  2M triples by default): the library queries run 4-5x faster there than on RocksDB. Queries that
  name graphs (GRAPH, FROM, `default-graph-uri`) still read the store itself.
- Queries run in worker processes. A query still running after `timeout` seconds has its worker
  killed (a pyoxigraph query cannot be interrupted from Python, and an abandoned thread would keep
  a core busy) and answers 503 with the reason; a fresh worker takes its place. SELECT answers stop
  at `max_rows` rows (header `X-HeritageKG-Truncated: true`).
- `GET /` is a small query page (inline HTML and JS, no CDN); `GET /id/...` with an RDF Accept
  type returns the concise bounded description of that resource (`{base}...`).

A graph file is first bulk-loaded into a temporary on-disk store (deleted at shutdown) so that the
workers can share it read-only.
"""
from __future__ import annotations

import html
import json
import logging
import multiprocessing.connection
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from heritagekg.errors import StoreError
from heritagekg.store import MEMORY_MAX_TRIPLES

log = logging.getLogger("heritagekg.serve")

DEFAULT_BASE = "https://w3id.org/heritagekg/id/"

#: media type -> (result kind it serves, format name understood by QueryResult.serialize)
RESULT_MEDIA: dict[str, str] = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA: dict[str, str] = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "nt",
    "text/plain": "nt", "application/rdf+xml": "xml", "application/ld+json": "jsonld",
}
CONTENT_TYPE: dict[tuple[str, str], str] = {
    ("select", "json"): "application/sparql-results+json", ("select", "xml"): "application/sparql-results+xml",
    ("select", "csv"): "text/csv; charset=utf-8", ("select", "tsv"): "text/tab-separated-values; charset=utf-8",
    ("graph", "turtle"): "text/turtle; charset=utf-8", ("graph", "nt"): "application/n-triples",
    ("graph", "xml"): "application/rdf+xml", ("graph", "jsonld"): "application/ld+json",
}
#: `format=` / `output=` parameter values some clients send instead of an Accept header
FORMAT_PARAM: dict[str, str] = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle",
                                "ttl": "turtle", "nt": "nt", "ntriples": "nt", "rdfxml": "xml", "jsonld": "jsonld"}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


def negotiate(accept: str | None, kind: str, param: str | None = None) -> str | None:
    """The format to answer a `kind` ("select"/"ask"/"graph") result with, or None (406)."""
    table = GRAPH_MEDIA if kind == "graph" else RESULT_MEDIA
    default = "turtle" if kind == "graph" else "json"
    offered: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept or "").split(",")):
        media, *options = [x.strip() for x in part.split(";")]
        q = 1.0
        for opt in options:
            if opt.startswith("q="):
                try:
                    q = float(opt[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            offered.append((-q, i, media.lower()))
    explicit = [m for _, _, m in sorted(offered) if m in table]
    if explicit:
        return table[explicit[0]]
    if param and FORMAT_PARAM.get(param.lower()) in set(table.values()):
        return FORMAT_PARAM[param.lower()]
    if not offered or any(m in ("*/*", "application/*", "text/*") for _, _, m in offered):
        return default
    return None


def is_update(text: str) -> bool:
    """Whether a request text is SPARQL Update rather than a query (first keyword after the prologue)."""
    from heritagekg.query import _tokens

    tokens = [t for t in _tokens(text) if t.kind != "iri"]
    i = 0
    while i < len(tokens):
        word = tokens[i].text.upper()
        if word == "PREFIX":
            i += 2  # PREFIX name: <iri> (the IRI token is already dropped)
            continue
        if word == "BASE":
            i += 1
            continue
        return tokens[i].kind == "word" and word in _UPDATE_WORDS
    return False


# --- worker processes --------------------------------------------------------------------------------

def _worker_main(conn: multiprocessing.connection.Connection, store_dir: str, memory_max_triples: int = 0) -> None:
    """One query worker: open the store read-only (its merged view copied into memory when it
    has at most `memory_max_triples` triples), then answer requests until the pipe closes."""
    from heritagekg.store import Store

    try:
        store = Store(store_dir, read_only=True)
        if memory_max_triples > 0:
            store.keep_view_in_memory(memory_max_triples)
    except Exception as exc:  # report, do not hang the server's startup
        conn.send({"ready": False, "error": str(exc)})
        return
    conn.send({"ready": True})
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(_answer(store, request))
        except (BrokenPipeError, OSError):
            return


def _answer(store: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Run one request in a worker: a query, or the description of a resource."""
    import pyoxigraph as ox

    from heritagekg.query import QueryResult, from_oxigraph

    try:
        if request["op"] == "describe":
            triples = concise_bounded_description(store, request["iri"])
            if not triples:
                return {"status": 404, "error": f"nothing is known about <{request['iri']}>"}
            fmt = request["format"]
            return {"status": 200, "content_type": CONTENT_TYPE[("graph", fmt)],
                    "body": QueryResult("graph", triples=triples).serialize(fmt)}
        kwargs: dict[str, Any] = {}
        if request.get("default_graphs"):
            kwargs["default_graph"] = [ox.NamedNode(g) for g in request["default_graphs"]]
        if request.get("named_graphs"):
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
        result = from_oxigraph(store.query(request["query"], **kwargs), request["max_rows"])
        kind = "select" if result.kind in ("select", "ask") else "graph"
        fmt = negotiate(request.get("accept"), result.kind, request.get("format"))
        if fmt is None:
            wanted = ", ".join(sorted(RESULT_MEDIA if kind == "select" else GRAPH_MEDIA))
            return {"status": 406, "error": f"cannot answer a {result.kind.upper()} query as {request.get('accept')}; "
                                            f"ask for one of: {wanted}"}
        return {"status": 200, "content_type": CONTENT_TYPE[(kind, fmt)], "body": result.serialize(fmt),
                "truncated": result.truncated, "rows": len(result)}
    except SyntaxError as exc:
        from heritagekg.query import syntax_error

        return {"status": 400, "error": str(syntax_error("query", exc, request.get("query", "")))}
    except ValueError as exc:
        return {"status": 400, "error": f"bad request: {exc}"}
    except Exception as exc:  # the worker must survive any one bad query
        return {"status": 500, "error": f"query failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"}


def concise_bounded_description(store: Any, iri: str) -> list[Any]:
    """The CBD of `iri`: its triples, and recursively those of the blank nodes they reach."""
    import pyoxigraph as ox

    merged = store.has_merged_view()
    graph = ox.DefaultGraph() if merged else None
    seen: set[Any] = set()
    out: dict[Any, None] = {}
    todo: list[Any] = [ox.NamedNode(iri)]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for q in store.oxigraph.quads_for_pattern(node, None, None, graph):
            out.setdefault(q.triple, None)
            if isinstance(q.object, ox.BlankNode):
                todo.append(q.object)
    return list(out)


class _Worker:
    """A query worker process (`python -m heritagekg.serve STORE FD`) and our end of its socket.

    A plain subprocess rather than multiprocessing: spawn would re-import the caller's __main__
    (fails from a notebook or stdin), fork is unsafe in a threaded server."""

    def __init__(self, store_dir: str, memory_max_triples: int = 0) -> None:
        import heritagekg

        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        package_root = str(Path(heritagekg.__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "heritagekg.serve", store_dir, str(theirs.fileno()), str(memory_max_triples)],
            pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL)
        theirs.close()
        self.conn = multiprocessing.connection.Connection(ours.detach())

    def wait_ready(self, timeout: float) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise StoreError("a query worker did not start in time")
        try:
            hello = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise StoreError("a query worker exited at start (see the message above)") from None
        if not hello.get("ready"):
            self.kill()
            raise StoreError(hello.get("error", "a query worker failed to start"))

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()


class WorkerPool:
    """Query workers sharing one read-only store; a worker past its deadline is killed and replaced."""

    def __init__(self, store_dir: str | Path, workers: int = 2, start_timeout: float = 60.0,
                 memory_max_triples: int = 0) -> None:
        self.store_dir = str(store_dir)
        self.memory_max_triples = memory_max_triples
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self._cond = threading.Condition()
        self._closed = False
        self.start_timeout = start_timeout
        started = [_Worker(self.store_dir, memory_max_triples) for _ in range(max(1, workers))]
        try:
            for w in started:
                w.wait_ready(start_timeout)
        except BaseException:
            for w in started:
                w.kill()
            raise
        self._idle, self._all = list(started), list(started)

    def run(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Answer `request` within `timeout` seconds (waiting for a free worker counts too)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._idle and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    return {"status": 503, "error": f"all {len(self._all)} query workers are busy; try again"}
                self._cond.wait(left)
            if self._closed:
                return {"status": 503, "error": "the server is shutting down"}
            worker = self._idle.pop()
        try:
            worker.conn.send(request)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                answer = worker.conn.recv()
                self._release(worker)
                return answer
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return {"status": 500, "error": "the query worker died while answering (out of memory?)"}
        self._replace(worker)
        return {"status": 503, "error": f"query timed out: stopped after {timeout:g} s (the server's --timeout); "
                                        "narrow it (a parameter, a LIMIT, fewer OPTIONALs) or raise --timeout"}

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            self._idle.append(worker)
            self._cond.notify()

    def _replace(self, worker: _Worker) -> None:
        """Kill a stuck worker now; start its successor in the background."""
        worker.kill()
        with self._cond:
            if worker in self._all:
                self._all.remove(worker)

        def respawn() -> None:
            if self._closed:
                return
            fresh = _Worker(self.store_dir, self.memory_max_triples)
            try:
                fresh.wait_ready(self.start_timeout)
            except StoreError as exc:
                log.error("could not restart a query worker: %s", exc)
                return
            with self._cond:
                if self._closed:
                    fresh.kill()
                    return
                self._all.append(fresh)
                self._idle.append(fresh)
                self._cond.notify()

        threading.Thread(target=respawn, daemon=True, name="heritagekg-respawn").start()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            workers, self._all, self._idle = list(self._all), [], []
            self._cond.notify_all()
        for w in workers:
            w.kill()


# --- HTTP ----------------------------------------------------------------------------------------------

@dataclass
class ServerConfig:
    """What `heritagekg serve` was asked for."""

    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    max_rows: int = 10_000
    workers: int = 2
    #: workers copy the merged view into memory when it has at most this many triples (0: never);
    #: 4-5x faster queries for ~400 MB per million triples per worker (Store.keep_view_in_memory)
    memory_max_triples: int = MEMORY_MAX_TRIPLES
    start_timeout: float = 120.0  # seconds a worker may take to open the store (and copy the view)
    base_iri: str = DEFAULT_BASE
    examples: list[tuple[str, str, str]] = field(default_factory=list)  # (name, question, text)


class _Handler(BaseHTTPRequestHandler):
    server_version = "heritagekg-sparql/1"
    protocol_version = "HTTP/1.1"
    pool: WorkerPool
    config: ServerConfig

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        log.info("%s %s", self.address_string(), format % args)

    # -- responses --
    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "X-HeritageKG-Truncated")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    # -- routing --
    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/", "/index.html"):
            self._send(200, query_page(self.config).encode("utf-8"), "text/html; charset=utf-8")
        elif url.path in ("/sparql", "/query"):
            if "update" in params:
                self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            elif "query" not in params:
                self._error(400, "missing the 'query' parameter (GET /sparql?query=SELECT...)")
            else:
                self._query(params["query"][0], params)
        elif url.path == "/update":
            self._error(403, "this endpoint is read-only: SPARQL Update is refused")
        elif url.path.startswith("/id/"):
            self._describe(url.path)
        else:
            self._error(404, f"no such path: {url.path} (the endpoint is /sparql; the query page is /)")

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if url.path == "/update" or ctype == "application/sparql-update":
            self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            return
        if url.path not in ("/sparql", "/query"):
            self._error(404, f"no such path: {url.path} (POST queries to /sparql)")
            return
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
            if "update" in form:
                self._error(403, "this endpoint is read-only: SPARQL Update is refused")
                return
            if "query" not in form:
                self._error(400, "missing the 'query' form field")
                return
            self._query(form["query"][0], params)
        elif ctype == "application/sparql-query":
            self._query(body.decode("utf-8", "replace"), params)
        else:
            self._error(415, f"unsupported Content-Type {ctype or '(none)'}: send application/sparql-query "
                             "or application/x-www-form-urlencoded")

    # -- work --
    def _query(self, text: str, params: dict[str, list[str]]) -> None:
        if is_update(text):
            self._error(403, "this endpoint is read-only: SPARQL Update is refused")
            return
        fmt_param = (params.get("format") or params.get("output") or [None])[0]
        request = {"op": "query", "query": text, "accept": self.headers.get("Accept"), "format": fmt_param,
                   "max_rows": self.config.max_rows, "default_graphs": params.get("default-graph-uri", []),
                   "named_graphs": params.get("named-graph-uri", [])}
        answer = self.pool.run(request, self.config.timeout)
        if answer["status"] != 200:
            self._error(answer["status"], answer["error"])
            return
        headers = {"X-HeritageKG-Truncated": "true"} if answer.get("truncated") else {}
        self._send(200, answer["body"], answer["content_type"], headers)

    def _describe(self, path: str) -> None:
        fmt = negotiate(self.headers.get("Accept"), "graph")
        if fmt is None:
            self._error(406, f"ask for one of: {', '.join(sorted(GRAPH_MEDIA))}")
            return
        iri = self.config.base_iri + urllib.parse.unquote(path[len("/id/"):])
        answer = self.pool.run({"op": "describe", "iri": iri, "format": fmt}, self.config.timeout)
        if answer["status"] != 200:
            self._error(answer["status"], answer["error"])
            return
        self._send(200, answer["body"], answer["content_type"])


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@dataclass
class RunningServer:
    """A started endpoint: its URL, and `close()` to stop the HTTP thread, workers and temp store."""

    url: str
    httpd: _Server
    pool: WorkerPool
    thread: threading.Thread
    tempdir: str | None

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"

    def wait(self) -> None:
        """Block until the server stops (Ctrl-C raises KeyboardInterrupt here)."""
        while self.thread.is_alive():
            self.thread.join(0.5)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.pool.close()
        if self.tempdir:
            shutil.rmtree(self.tempdir, ignore_errors=True)

    def __enter__(self) -> "RunningServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def prepare_store(source: str | Path) -> tuple[Path, str | None]:
    """(store directory, temporary dir to delete or None) for a store directory or an RDF file."""
    from heritagekg.store import Store, is_store_dir

    path = Path(source)
    if path.is_dir():
        if not is_store_dir(path):
            raise StoreError(f"{path}: not a pyoxigraph store directory (no CURRENT file)")
        return path, None
    if not path.is_file():
        raise StoreError(f"{path}: no such file or store directory")
    tempdir = tempfile.mkdtemp(prefix="heritagekg-serve-")
    try:
        store = Store(Path(tempdir) / "store")
        store.load(path)
        store.close()
        del store
    except BaseException:
        shutil.rmtree(tempdir, ignore_errors=True)
        raise
    return Path(tempdir) / "store", tempdir


def start_server(source: str | Path, config: ServerConfig | None = None) -> RunningServer:
    """Load `source`, start the workers, and serve HTTP in a background thread; `close()` stops all."""
    config = config or ServerConfig()
    if not config.examples:
        config.examples = _library_examples()
    store_dir, tempdir = prepare_store(source)
    try:
        pool = WorkerPool(store_dir, config.workers, start_timeout=config.start_timeout,
                          memory_max_triples=config.memory_max_triples)
    except BaseException:
        if tempdir:
            shutil.rmtree(tempdir, ignore_errors=True)
        raise
    handler = type("Handler", (_Handler,), {"pool": pool, "config": config})
    try:
        httpd = _Server((config.host, config.port), handler)
    except OSError as exc:
        pool.close()
        if tempdir:
            shutil.rmtree(tempdir, ignore_errors=True)
        raise StoreError(f"cannot listen on {config.host}:{config.port}: {exc.strerror or exc}") from None
    host, port = httpd.server_address[:2]
    url = f"http://{host}:{port}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True, name="heritagekg-serve")
    thread.start()
    return RunningServer(url, httpd, pool, thread, tempdir)


def _library_examples() -> list[tuple[str, str, str]]:
    try:
        from heritagekg.query import list_queries

        return [(q.name, q.question, q.text) for q in list_queries()]
    except OSError:
        return []


def query_page(config: ServerConfig) -> str:
    """The query page: a form, a result table, and the query library as examples. No network."""
    examples = json.dumps([{"name": n, "question": q, "text": t} for n, q, t in config.examples], ensure_ascii=False)
    examples = examples.replace("</", "<\\/")  # keep the JSON inside its <script> element
    return _PAGE.replace("__EXAMPLES__", examples).replace("__LIMITS__", html.escape(
        f"timeout {config.timeout:g} s, at most {config.max_rows} rows"))


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>heritagekg SPARQL</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
textarea{width:100%;height:16em;font:13px/1.35 ui-monospace,monospace}
table{border-collapse:collapse;margin-top:1em;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f3f3f3}#status{margin-left:1em;color:#555}.error{color:#b00;white-space:pre-wrap}
select,button{font-size:14px;margin:.4em .4em .4em 0}
</style></head><body>
<h1>heritagekg SPARQL endpoint</h1>
<p>POST or GET SPARQL 1.1 queries to <code>/sparql</code>; read-only (__LIMITS__).</p>
<label>Example: <select id="examples"><option value="">(choose a library query)</option></select></label>
<textarea id="query" spellcheck="false">SELECT ?type (COUNT(DISTINCT ?s) AS ?n)
WHERE { ?s a ?type }
GROUP BY ?type
ORDER BY DESC(?n)</textarea>
<div><button id="run">Run query</button>
<label>as <select id="format"><option value="application/sparql-results+json">table</option>
<option value="text/csv">CSV</option><option value="text/tab-separated-values">TSV</option>
<option value="application/sparql-results+xml">XML</option><option value="text/turtle">Turtle (CONSTRUCT)</option>
</select></label><span id="status"></span></div>
<div id="out"></div>
<script>
const examples = __EXAMPLES__;
const pick = document.getElementById("examples");
for (const ex of examples) {
  const o = document.createElement("option"); o.value = ex.name; o.textContent = ex.name + " \\u2014 " + ex.question;
  pick.appendChild(o);
}
pick.onchange = () => { const ex = examples.find(e => e.name === pick.value); if (ex) document.getElementById("query").value = ex.text; };
function cell(b) {
  if (!b) return "";
  if (b.type === "literal" && b["xml:lang"]) return b.value + " @" + b["xml:lang"];
  return b.value;
}
document.getElementById("run").onclick = async () => {
  const out = document.getElementById("out"), status = document.getElementById("status");
  const accept = document.getElementById("format").value;
  out.textContent = ""; status.textContent = "running\\u2026";
  const t0 = performance.now();
  let resp;
  try {
    resp = await fetch("/sparql", {method: "POST", headers: {"Content-Type": "application/sparql-query", "Accept": accept},
                                   body: document.getElementById("query").value});
  } catch (e) { status.textContent = ""; out.innerHTML = ""; const p = document.createElement("p"); p.className = "error"; p.textContent = String(e); out.appendChild(p); return; }
  const ms = Math.round(performance.now() - t0);
  const text = await resp.text();
  if (!resp.ok) { status.textContent = resp.status + " after " + ms + " ms"; const p = document.createElement("p"); p.className = "error"; p.textContent = text; out.appendChild(p); return; }
  const truncated = resp.headers.get("X-HeritageKG-Truncated") ? " (truncated at the row limit)" : "";
  const ctype = resp.headers.get("Content-Type") || "";
  if (ctype.startsWith("application/sparql-results+json")) {
    const data = JSON.parse(text);
    if ("boolean" in data) { status.textContent = ms + " ms"; out.textContent = String(data.boolean); return; }
    const vars = data.head.vars, rows = data.results.bindings;
    status.textContent = rows.length + " rows, " + ms + " ms" + truncated;
    const table = document.createElement("table"), head = table.insertRow();
    for (const v of vars) { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); }
    for (const r of rows) { const tr = table.insertRow(); for (const v of vars) tr.insertCell().textContent = cell(r[v]); }
    out.appendChild(table);
  } else {
    status.textContent = ms + " ms" + truncated;
    const pre = document.createElement("pre"); pre.textContent = text; out.appendChild(pre);
  }
};
</script></body></html>
"""



if __name__ == "__main__":  # a query worker: python -m heritagekg.serve STORE_DIR SOCKET_FD [MAX_TRIPLES]
    _worker_main(multiprocessing.connection.Connection(int(sys.argv[2])), sys.argv[1],
                 int(sys.argv[3]) if len(sys.argv) > 3 else 0)
