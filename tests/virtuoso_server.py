"""A private Virtuoso instance (Debian `virtuoso-opensource`) on free loopback ports, for tests.

The packaged service does not start on these machines, so we copy the packaged virtuoso.ini,
point its database files at a temporary directory, bind both ports to 127.0.0.1, and run
`virtuoso-t +foreground +configfile INI`. Stopped by PID (SIGTERM, then wait). The database
user is dba/dba; updates go through digest auth on `/sparql-auth` and `/sparql-graph-crud-auth`.
`VIRTUOSO_BIN` is None when Virtuoso is not installed: tests skip then.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import TracebackType

from oxigraph_server import free_port

VIRTUOSO_BIN: str | None = shutil.which("virtuoso-t")
PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
USER, PASSWORD = "dba", "dba"


def _configure(template: str, directory: Path, sql_port: int, http_port: int) -> str:
    """The packaged ini with our database directory and loopback ports (section-aware)."""
    settings: dict[str, dict[str, object]] = {
        "Database": {"DatabaseFile": directory / "virtuoso.db", "ErrorLogFile": directory / "virtuoso.log",
                     "LockFile": directory / "virtuoso.lck", "TransactionFile": directory / "virtuoso.trx",
                     "xa_persistent_file": directory / "virtuoso.pxa"},
        "TempDatabase": {"DatabaseFile": directory / "virtuoso-temp.db",
                         "TransactionFile": directory / "virtuoso-temp.trx"},
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}", "DirsAllowed": f"., {directory}",
                       "NumberOfBuffers": 10000, "MaxDirtyBuffers": 6000},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}"},
        "URIQA": {"DefaultHost": f"127.0.0.1:{http_port}"},
    }
    section = ""
    lines = []
    for line in template.splitlines():
        header = re.match(r"^\[(.+)\]\s*$", line)
        if header:
            section = header.group(1)
        else:
            key = re.match(r"^\s*([A-Za-z_]+)\s*=", line)
            if key and key.group(1) in settings.get(section, {}):
                line = f"{key.group(1)} = {settings[section][key.group(1)]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


class VirtuosoServer:
    """One `virtuoso-t` process with its database in `directory`."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.sql_port = free_port()
        self.http_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        """Anonymous, read-only SPARQL endpoint."""
        return f"{self.url}/sparql"

    @property
    def sparql_auth_url(self) -> str:
        """Query and update endpoint behind digest auth."""
        return f"{self.url}/sparql-auth"

    @property
    def gsp_auth_url(self) -> str:
        """Graph Store Protocol endpoint behind digest auth."""
        return f"{self.url}/sparql-graph-crud-auth"

    def start(self, timeout: float = 60.0) -> VirtuosoServer:
        if VIRTUOSO_BIN is None:
            raise RuntimeError("virtuoso-t is not installed (apt-get install virtuoso-opensource)")
        self.directory.mkdir(parents=True, exist_ok=True)
        ini = self.directory / "virtuoso.ini"
        ini.write_text(_configure(PACKAGED_INI.read_text(encoding="utf-8"), self.directory,
                                  self.sql_port, self.http_port), encoding="utf-8")
        with open(self.directory / "stdout.log", "ab") as log:
            self.process = subprocess.Popen([VIRTUOSO_BIN, "+foreground", "+configfile", str(ini)],
                                            cwd=self.directory, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited with {self.process.returncode}: {self._log_tail()}")
            if self._answers():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"virtuoso did not answer on {self.url} within {timeout} s: {self._log_tail()}")

    def stop(self, timeout: float = 30.0) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)

    def _answers(self) -> bool:
        query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        try:
            with urllib.request.urlopen(f"{self.sparql_url}?{query}", timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    def _log_tail(self) -> str:
        texts = []
        for name in ("stdout.log", "virtuoso.log"):
            with contextlib.suppress(OSError):
                texts.append((self.directory / name).read_text(errors="replace")[-1500:])
        return "\n".join(texts) or "(no log)"

    def __enter__(self) -> VirtuosoServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
