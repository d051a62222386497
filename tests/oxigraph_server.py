"""A real Oxigraph SPARQL server on a free loopback port, for tests that publish over HTTP.

`OxigraphServer` starts `oxigraph serve --location DIR --bind 127.0.0.1:PORT`, waits until the
server answers, and stops it by PID (SIGTERM, then wait). It can be stopped and started again on
the same location and port, which the fault tests need: kill the server mid-export, restart it,
and look at what survived on disk. The `oxigraph_server` fixture yields a started server on an on-disk store;
`oxigraph_memory_server` one on an in-memory store, for large loads.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pytest

#: the `oxigraph` binary installed by the PyPI package sits next to the venv's python
OXIGRAPH_BIN: Path = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    """A loopback port nobody listens on right now (binding to :0 hides the port from oxigraph)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OxigraphServer:
    """One `oxigraph serve` process on a directory store; start/stop/restart by PID."""

    def __init__(self, location: Path | None, port: int | None = None, *, union_default_graph: bool = False,
                 log_path: Path | None = None) -> None:
        """`location` None runs an in-memory store (fast transactions, lost on stop)."""
        self.location = Path(location) if location is not None else None
        self.port = port or free_port()
        self.union_default_graph = union_default_graph
        if log_path is None:
            if self.location is None:
                raise ValueError("an in-memory server needs log_path")
            log_path = self.location.with_name(self.location.name + ".log")
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    # --- endpoints ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """Base URL: what `heritagekg export --endpoint` takes."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.url}/store"

    # --- lifecycle ---------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = 15.0) -> OxigraphServer:
        """Start the server and return once it answers HTTP (raise with its log if it cannot)."""
        if self.running:
            return self
        if not OXIGRAPH_BIN.exists():
            raise RuntimeError(f"{OXIGRAPH_BIN}: oxigraph server binary missing (pip install oxigraph)")
        command = [str(OXIGRAPH_BIN), "serve", "--bind", f"127.0.0.1:{self.port}"]
        if self.location is not None:
            command += ["--location", str(self.location)]
        if self.union_default_graph:
            command.append("--union-default-graph")
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph exited with {self.process.returncode}: {self._log_tail()}")
            if self._answers():
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"oxigraph did not answer on {self.url} within {timeout} s: {self._log_tail()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> None:
        """Signal our process by PID and wait for it, so the location can be reopened."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.kill(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)

    def restart(self) -> OxigraphServer:
        """Stop (if running) and start again on the same location and port."""
        self.stop()
        return self.start()

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.store_url}?default", timeout=0.5) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    def _log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-2000:]
        except OSError:
            return "(no log)"

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


@pytest.fixture
def oxigraph_memory_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A started in-memory Oxigraph server (on-disk transactions cost ~40 µs a quad; this ~2)."""
    with OxigraphServer(None, log_path=tmp_path / "oxigraph-memory.log") as server:
        yield server


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    """A started Oxigraph server on an on-disk store in tmp_path, stopped after the test."""
    with OxigraphServer(tmp_path / "oxigraph-store") as server:
        yield server
