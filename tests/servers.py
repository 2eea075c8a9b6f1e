"""Servers that tests start on 127.0.0.1 at a free port and always stop: ``exograph serve``,
``oxigraph serve``, and a loopback canary that counts every request it receives."""
from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from conftest import TESTS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Running:
    """A server process: its base URL and the file its stderr goes to."""

    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Send ``sig``, wait for the exit code (kill after 30 s)."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def _wait_until_up(running: Running, probe: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(f"the server exited with {running.process.returncode}:\n{running.log()}")
        try:
            with urllib.request.urlopen(running.url + probe, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    running.stop()
    raise RuntimeError(f"the server did not answer {probe} within {timeout} s:\n{running.log()}")


@contextmanager
def process_server(command: list[str], port: int, log_path: Path, probe: str) -> Iterator[Running]:
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   env=dict(os.environ, PYTHONPATH=str(TESTS.parent)))
    running = Running(f"http://127.0.0.1:{port}", process, log_path)
    try:
        _wait_until_up(running, probe)
        yield running
    finally:
        running.stop()


@contextmanager
def exograph_server(tmp: Path, *args: str) -> Iterator[Running]:
    """``exograph serve ARGS`` on a free port."""
    port = free_port()
    command = [sys.executable, "-m", "exograph", "serve", "--port", str(port), *args]
    with process_server(command, port, tmp / f"exograph-serve-{port}.log", "/health") as running:
        yield running


def oxigraph_command() -> str | None:
    """The ``oxigraph`` server command of the ``oxigraph`` package, if installed."""
    import shutil

    found = shutil.which("oxigraph")
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else found


@contextmanager
def oxigraph_server(tmp: Path, *args: str) -> Iterator[Running]:
    """``oxigraph serve ARGS`` with an empty store in ``tmp``, on a free port."""
    port = free_port()
    location = tmp / f"oxigraph-{port}"
    command = [oxigraph_command(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *args]
    with process_server(command, port, tmp / f"oxigraph-{port}.log", "/query?query=ASK%7B%7D") as running:
        yield running


@dataclass
class Canary:
    """A loopback HTTP server that records every request (method, path, headers, body size).

    A request for a path in ``redirects`` gets that (status, Location). ``/query`` is a SPARQL
    endpoint whose every answer is a count of ``triples`` (405 to GET with ``refuse_get``). Any
    other request gets ``statuses`` in turn (the last one repeats). A request that reaches a
    canary it was not meant for has leaked; a client's retries and credentials can be seen."""

    url: str
    statuses: list[int] = field(default_factory=lambda: [200])
    triples: int = 0
    redirects: dict[str, tuple[int, str]] = field(default_factory=dict)
    refuse_get: bool = False
    requests: list[str] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)
    bodies: list[int] = field(default_factory=list)

    def store_requests(self) -> list[str]:
        """The requests other than queries."""
        return [request for request in self.requests if not request.split()[1].startswith("/query")]


@contextmanager
def canary(statuses: list[int] | None = None, triples: int = 0, redirects: dict[str, tuple[int, str]] | None = None,
           refuse_get: bool = False) -> Iterator[Canary]:
    record = Canary("", statuses or [200], triples, redirects or {}, refuse_get)
    served = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _any(self) -> None:
            record.requests.append(f"{self.command} {self.path}")
            record.headers.append(dict(self.headers))
            record.bodies.append(len(self._body()))
            path = self.path.split("?")[0]
            headers = {}
            if path in record.redirects:
                status, headers["Location"] = record.redirects[path]
                body = b""
            elif path == "/query":
                status = 405 if record.refuse_get and self.command == "GET" else 200
                body = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {
                    "type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                    "value": str(record.triples)}}]}}).encode()
                headers["Content-Type"] = "application/sparql-results+json"
            else:
                served.append(path)
                status = record.statuses[min(len(served), len(record.statuses)) - 1]
                body = b"" if status in (204, 304) else b"no"
                headers["Content-Type"] = "text/plain"
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                data = b""
                while True:
                    size = int(self.rfile.readline().strip(), 16)
                    chunk = self.rfile.read(size + 2)[:size]
                    if not size:
                        return data
                    data += chunk
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        do_GET = do_POST = do_PUT = do_HEAD = _any

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    record.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield record
    finally:
        server.shutdown()
        server.server_close()


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql_port}
DirsAllowed = {dir}
{parameters}[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
"""


def virtuoso_commands() -> tuple[str, str] | None:
    """Debian's ``virtuoso-t`` and ``isql-vt`` (package virtuoso-opensource), if installed."""
    import shutil

    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return (server, isql) if server and isql else None


@contextmanager
def virtuoso_server(tmp: Path, parameters: dict[str, str] | None = None) -> Iterator[Running]:
    """Virtuoso with an empty database in ``tmp``, HTTP and ISQL on free loopback ports; the
    anonymous SPARQL user may write through /sparql-graph-crud; dba/dba (Digest) through -auth.
    ``parameters``: more ``[Parameters]`` settings (the benchmarks give it realistic buffers)."""
    server, isql = virtuoso_commands()
    http_port, isql_port = free_port(), free_port()
    ini = tmp / "virtuoso.ini"
    extra = "".join(f"{name} = {value}\n" for name, value in (parameters or {}).items())
    ini.write_text(VIRTUOSO_INI.format(dir=tmp, isql_port=isql_port, http_port=http_port, parameters=extra),
                   encoding="utf-8")
    with process_server([server, "-f", "-c", str(ini)], http_port, tmp / "virtuoso-stdout.log",
                        "/sparql?query=ASK%7B%7D") as running:
        subprocess.run([isql, f"127.0.0.1:{isql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                       check=True, capture_output=True, timeout=60)
        yield running
