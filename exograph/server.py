"""``exograph serve``: a read-only SPARQL 1.1 Protocol endpoint (Starlette on uvicorn).

Routes: ``/sparql`` (the protocol; without a query, the service description), ``/queries`` and
``/queries/NAME`` (named queries, parameters bound as the CLI binds them), ``/health``, ``/view``
(the HTML view of the same graph) and ``/`` (a self-contained query page). Every query runs in
the store with a deadline, a row cap and a memory ceiling (:meth:`exograph.store.Store.answer`: a
forked worker writes the answer with Oxigraph's writers, the event loop awaits it, no thread waits;
a graph of up to :data:`IN_MEMORY_TRIPLES` is answered from a copy in memory); SERVICE and updates
are refused before execution, and a dataset (``default-graph-uri``, ``named-graph-uri``, FROM,
FROM NAMED) only chooses among the graphs the store holds, so the server never sends a request
anywhere. Fairness: a query that runs longer than :data:`QUICK` seconds moves to a lane of its
own, so cheap queries keep answering while slow ones run out their time.
"""
from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import signal
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Iterator, Mapping, TypeVar
from urllib.parse import parse_qs

from .problems import UsageError, printable
from .store import QueryCrashed, QueryOutOfMemory, QueryTimeout, QueryTooLarge, RefusedQuery, check_query, is_iri

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from .api import KnowledgeGraph
    from .queries import NamedQuery

MAX_QUERY_BYTES = 100_000  # the same cap as the query checker's, in bytes of the request
MAX_URL_BYTES = 65_535  # the longest URL httptools' parser (uvicorn's fast HTTP) takes; longer queries go by POST
TABLE_TYPES = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
               "text/csv": "csv", "text/tab-separated-values": "tsv", "application/json": "json",
               "application/xml": "xml"}
# RDF/XML too: SPARQLWrapper and rdflib's SPARQLStore ask for it by default for CONSTRUCT and DESCRIBE
GRAPH_TYPES = {"text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld",
               "application/rdf+xml": "rdfxml", "application/xml": "rdfxml"}
TRUNCATED_HEADER = "X-Exograph-Truncated"
FAVICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#0969da"/>'
           '<circle cx="8" cy="8" r="3" fill="#fff"/></svg>')  # an exosome: a vesicle with its cargo
# A graph up to this size is served from a copy in memory: the named queries run 1.2-2.3x faster there than
# on disk. It costs about 350 bytes a triple (175 MB here; a worker that scans it copies what it reads), and
# 16 s of CPU a million triples at the start; a larger graph is answered from disk.
IN_MEMORY_TRIPLES = 500_000
QUICK = 0.25  # seconds a query runs in the lane of cheap queries before it moves to the lane of long ones
STOPPING = "the server is stopping; send the query again when it is back"
T = TypeVar("T")
log = logging.getLogger("exograph.server")


class HTTPProblem(Exception):
    """An answer other than 200: status and a plain-text message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


# ---------------------------------------------------------------- negotiation
def _accepted(header: str) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (RFC 9110 q-values; parameters other than q ignored)."""
    ranges = []
    for position, part in enumerate(header.split(",")):
        media, *params = [piece.strip() for piece in part.split(";")]
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality, -position))
    return [(media, quality) for media, quality, _ in sorted(ranges, key=lambda r: (r[1], r[2]), reverse=True)]


def negotiate(accept: str | None, offered: Mapping[str, str]) -> str:
    """The offered media type that ``accept`` prefers (the first offered for ``*/*`` or no header);
    :class:`HTTPProblem` 406 when none is acceptable."""
    first = next(iter(offered))
    if not accept or not accept.strip():
        return first
    for media, quality in _accepted(accept):
        if quality <= 0:
            continue
        if media in ("*/*", "*"):
            return first
        if media.endswith("/*"):
            match = next((m for m in offered if m.startswith(media[:-1])), None)
            if match:
                return match
        elif media in offered:
            return media
    raise HTTPProblem(406, f"none of the requested types ({accept}) is available here; "
                           f"this answer can be {', '.join(offered)}")


# ---------------------------------------------------------------- the service
class Service:
    """The graph behind the endpoint, its bounds, and the functions the routes call."""

    def __init__(self, kg: "KnowledgeGraph", timeout: float = 30.0, max_rows: int | None = 100_000):
        self.kg = kg
        self.timeout = timeout
        self.max_rows = max_rows
        self.lanes = Lanes(max(4, os.cpu_count() or 1))  # queries per lane: more only share the cores
        kg.store.lower_slow_queries()
        self.in_memory = len(kg) <= IN_MEMORY_TRIPLES
        if self.in_memory:
            kg.store.hold_in_memory()

    async def answer(self, request: "ProtocolQuery", fmt: str) -> tuple[bytes, bool]:
        """The query's result in ``fmt``, and whether rows were cut."""
        return await self.kg.store.answer(request.text, fmt, timeout=self.timeout, limit=self.max_rows,
                                          default_graphs=request.default_graphs, named_graphs=request.named_graphs,
                                          base=request.base)

    def named_query(self, name: str) -> "NamedQuery":
        from .queries import unknown_query

        catalogue = self.kg.queries()
        if name not in catalogue:
            raise HTTPProblem(404, unknown_query(name, catalogue, "GET /queries lists them"))
        return catalogue[name]

    async def answer_named(self, query: "NamedQuery", params: Mapping[str, str], fmt: str) -> tuple[bytes, bool]:
        """``query`` with ``params`` bound as RDF terms, exactly as ``exograph query --param`` binds them."""
        from .api import named_errors

        bindings = {key.lstrip("?$"): value for key, value in params.items()}
        with http_errors():  # a missing parameter is named as the URL's, before the query is run
            query.check_params(bindings, how=f"?{{name}}=VALUE (/queries/{query.name}?{{name}}=VALUE)")
        terms = await asyncio.to_thread(self.kg.bind, query, bindings) if bindings else {}  # may look labels up
        with named_errors(query):
            return await self.kg.store.answer(query.text, fmt, terms, timeout=self.timeout, limit=self.max_rows)

    def catalogue(self) -> list[dict]:
        """Each named query: its name, title, description, parameters, their allowed values, and its SPARQL."""
        return [{"name": q.name, "title": q.title, "description": q.description, "params": q.params,
                 "values": q.allowed, "sparql": q.text} for q in self.kg.queries().values()]

    @functools.cached_property
    def view_page(self) -> str:
        from .viewer import make_view

        return make_view(self.kg).page

    def description(self, endpoint: str) -> bytes:
        """The SPARQL 1.1 service description of this endpoint, as Turtle."""
        formats = "".join(f"    sd:resultFormat <http://www.w3.org/ns/formats/{name}> ;\n" for name in
                          ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                           "Turtle", "N-Triples", "JSON-LD", "RDF_XML"))
        return (f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
{formats}    dcterms:description "exograph, read-only: SELECT, ASK, CONSTRUCT and DESCRIBE; the dataset (default-graph-uri, named-graph-uri, FROM, FROM NAMED) chooses among the graphs held here, nothing is fetched; no updates or SERVICE. Queries stop after {self.timeout:g} s; results hold at most {self.max_rows or 'any number of'} rows." ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ; void:triples {len(self.kg)} ] ] .
{self.dataset_link(endpoint)}""").encode("utf-8")

    def dataset_link(self, endpoint: str) -> str:
        """The graph's dataset description (its VoID and release metadata), linked to this endpoint."""
        return f"<{self.release['dataset']}> void:sparqlEndpoint <{endpoint}> .\n" if self.release else ""

    @functools.cached_property
    def release(self) -> dict[str, str] | None:
        """The graph's release metadata (:func:`exograph.dataset.summary`), read once: a served graph does not change."""
        from .dataset import summary

        return summary(self.kg.store)


# ---------------------------------------------------------------- requests -> queries
async def _body(request: "Request") -> bytes:
    """The request body, refused with 413 past :data:`MAX_QUERY_BYTES` without reading all of it."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_QUERY_BYTES:
        raise HTTPProblem(413, f"the request is {length} bytes; queries may be at most {MAX_QUERY_BYTES} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_QUERY_BYTES:
            raise HTTPProblem(413, f"the request is over {MAX_QUERY_BYTES} bytes, the most a query may be")
        chunks.append(chunk)
    return b"".join(chunks)


UPDATE_PARAMS = ("update", "using-graph-uri", "using-named-graph-uri")
UTF8 = ("utf-8", "utf8", "us-ascii", "ascii")  # charsets whose bytes are UTF-8


@dataclass(frozen=True)
class ProtocolQuery:
    """A query as the SPARQL 1.1 Protocol sends it: its text, its dataset, and the base IRI of its relative IRIs."""

    text: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base: str | None = None


def _decode(data: bytes, what: str) -> str:
    """``data`` as UTF-8, or a 400 that says where it is not (never replacement characters: they change the query)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise HTTPProblem(400, f"{what} is not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
                               "send the query in UTF-8") from None


def _form(text: str, what: str) -> dict[str, list[str]]:
    """Form fields of a query string or a form body; percent-escapes must decode to UTF-8 too."""
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as error:
        raise HTTPProblem(400, f"{what} has a percent-escape that is not UTF-8 ({error.object[error.start:error.end]!r}); "
                               "percent-encode the query's UTF-8 bytes") from None


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


async def protocol_query(request: "Request") -> ProtocolQuery | None:
    """The query of a protocol request (GET, POST form or POST sparql-query) with its dataset, or None
    if it has none. One query per request: in the URL or in the body, not both; bodies are UTF-8."""
    raw = request.scope.get("query_string", b"")
    if len(raw) > MAX_QUERY_BYTES:
        raise HTTPProblem(413, f"the query string is over {MAX_QUERY_BYTES} bytes, the most a query may be")
    params = _form(_decode(raw, "the query string"), "the URL")
    direct = None
    if request.method == "POST":
        content_type = request.headers.get("content-type", "")
        media = content_type.split(";")[0].strip().lower()
        body = await _body(request)
        if media == "application/sparql-update":
            raise HTTPProblem(403, "SPARQL updates are not allowed: this endpoint is read-only")
        if media not in ("application/sparql-query", "application/x-www-form-urlencoded"):
            raise HTTPProblem(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded")
        charset = _charset(content_type)
        if charset is not None and charset not in UTF8:
            raise HTTPProblem(400, f"the request body declares charset={charset}; send the query in UTF-8")
        if media == "application/sparql-query":
            direct = _decode(body, "the request body")
        else:
            fields = _form(_decode(body, "the form body"), "the form body")
            if "query" in params and "query" in fields:
                raise HTTPProblem(400, "the query is both in the URL and in the form body; send it once")
            params = {name: params.get(name, []) + fields.get(name, []) for name in {*params, *fields}}
    if any(params.get(name) for name in UPDATE_PARAMS):
        raise HTTPProblem(403, "SPARQL updates are not allowed: this endpoint is read-only")
    queries = params.get("query", [])
    if direct is not None:
        if queries:
            raise HTTPProblem(400, "the query is both in the URL and in the request body; send it once")
        queries = [direct]
    if len(queries) > 1:
        raise HTTPProblem(400, "give one query parameter, not several")
    if not queries:
        return None
    graphs = [tuple(params[name]) if name in params else None for name in ("default-graph-uri", "named-graph-uri")]
    endpoint = endpoint_url(request)  # the base of relative IRIs, as Oxigraph's server takes it
    return ProtocolQuery(queries[0], *graphs, base=endpoint if is_iri(endpoint) else None)


_ENDPOINTS: dict[tuple, str] = {}


def endpoint_url(request: "Request") -> str:
    """The URL of /sparql as the client addressed it; Starlette's ``url_for`` builds it from URL
    objects (tens of microseconds), so it is kept for the last few hosts, schemes and root paths."""
    scope = request.scope
    key = (scope.get("scheme"), request.headers.get("host"), scope.get("server"), scope.get("root_path"))
    if key not in _ENDPOINTS:
        if len(_ENDPOINTS) >= 64:  # the Host header is the client's to choose
            _ENDPOINTS.clear()
        _ENDPOINTS[key] = str(request.url_for("sparql"))
    return _ENDPOINTS[key]


def offered_types(form: str) -> dict[str, str]:
    return GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else TABLE_TYPES


@contextlib.contextmanager
def http_errors() -> Iterator[None]:
    """Query errors as HTTP answers: timeout and memory ceiling 503, too large a text 413, updates 403,
    other refusals 400, an engine crash 500 (the server goes on)."""
    try:
        yield
    except QueryTimeout as error:  # the store's text advises a CLI flag; a web client cannot change the limit
        raise HTTPProblem(503, str(error).split(";")[0] + " (this server's time limit); narrow the query") from None
    except QueryOutOfMemory as error:
        raise HTTPProblem(503, str(error)) from None
    except QueryTooLarge as error:
        raise HTTPProblem(413, str(error)) from None
    except QueryCrashed as error:
        raise HTTPProblem(500, str(error)) from None
    except RefusedQuery as error:
        message = str(error)
        raise HTTPProblem(403 if "update" in message.lower() else 400, message) from None
    except UsageError as error:
        raise HTTPProblem(400, str(error)) from None


class Lanes:
    """Where queries run: ``parallel`` slots for queries in their first :data:`QUICK` seconds, and
    ``parallel`` more for those that run longer. A query that outgrows its quick slot moves to a
    long slot as soon as one is free, so a few slow queries never hold every slot, and a cheap
    query waits only when both lanes are full. After :meth:`close` (SIGTERM) queries that have
    not started are answered 503. A query that ends within :data:`QUICK` seconds costs two
    semaphore operations and a timer: no task, no thread."""

    def __init__(self, parallel: int, quick: float = QUICK):
        self.parallel = parallel
        self.quick = quick
        self.closing = False

    @functools.cached_property
    def slots(self) -> tuple[asyncio.Semaphore, asyncio.Semaphore]:
        """The quick lane and the long lane (made in the event loop, on first use)."""
        return asyncio.Semaphore(self.parallel), asyncio.Semaphore(self.parallel)

    def close(self) -> None:
        self.closing = True

    async def run(self, work: Callable[[], Awaitable[T]]) -> T:
        """``await work()`` in a quick slot first, and in a long one once it outgrows it."""
        quick, long = self.slots
        if self.closing:
            raise HTTPProblem(503, STOPPING)
        await quick.acquire()
        held = [quick]
        moving: list[asyncio.Task] = []

        async def move() -> None:
            await long.acquire()
            held.append(long)  # no await between the acquire and these lines: the list stays true
            held.remove(quick)
            quick.release()

        loop = asyncio.get_running_loop()
        timer = loop.call_later(self.quick, lambda: moving.append(loop.create_task(move())))
        try:
            if self.closing:
                raise HTTPProblem(503, STOPPING)
            return await work()
        finally:
            timer.cancel()
            for task in moving:  # a move still waiting for a long slot gives it back when cancelled
                task.cancel()
            for semaphore in held:
                semaphore.release()


async def run_query(request: "Request", text: str,
                    answer: Callable[[str], Awaitable[tuple[bytes, bool]]]) -> "Response":
    """Check ``text`` and negotiate the answer's type first (microseconds), then ``await answer(fmt)``
    (the query's bytes in that format, and whether rows were cut) in the service's lanes (a query's
    deadline starts when it runs)."""
    from starlette.responses import Response

    service: Service = request.app.state.service
    with http_errors():
        offered = offered_types(check_query(text))
        media = negotiate(request.headers.get("accept"), offered)
        body, truncated = await service.lanes.run(lambda: answer(offered[media]))
    headers = {TRUNCATED_HEADER: "true"} if truncated else {}  # rows were cut
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return Response(body, headers=headers, media_type=media + charset)


# ---------------------------------------------------------------- the app
def create_app(service: Service) -> "Starlette":
    """The Starlette application: routes, CORS for browser clients, and HTTPProblem answers."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    from .paths import TEMPLATES_DIR

    async def sparql(request: Request) -> Response:
        query = await protocol_query(request)
        if query is None:  # the endpoint URL itself: its service description
            return Response(service.description(endpoint_url(request)), media_type="text/turtle; charset=utf-8")
        return await run_query(request, query.text, lambda fmt: service.answer(query, fmt))

    async def queries(request: Request) -> Response:
        return JSONResponse(service.catalogue())

    async def named(request: Request) -> Response:
        query = service.named_query(request.path_params["name"])
        params = dict(request.query_params)
        return await run_query(request, query.text, lambda fmt: service.answer_named(query, params, fmt))

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "triples": len(service.kg)})

    async def page(request: Request) -> Response:
        return HTMLResponse((TEMPLATES_DIR / "query.html").read_text(encoding="utf-8"))

    async def view(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        return HTMLResponse(await run_in_threadpool(lambda: service.view_page))

    async def favicon(request: Request) -> Response:
        return Response(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    async def prefixes(request: Request) -> Response:
        return JSONResponse({name: p.expansion for name, p in service.kg.prefixes.prefixes.items()})

    async def problem(request: Request, error: HTTPProblem) -> Response:
        return PlainTextResponse(str(error) + "\n", status_code=error.status)

    routes = [Route("/", page), Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
              Route("/queries", queries), Route("/queries/{name}", named), Route("/health", health),
              Route("/view", view), Route("/prefixes", prefixes), Route("/favicon.ico", favicon)]
    middleware = [Middleware(AccessLog),
                  Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                             allow_headers=["Accept", "Content-Type"], expose_headers=[TRUNCATED_HEADER])]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={HTTPProblem: problem})
    app.state.service = service
    return app


class AccessLog:
    """ASGI middleware: one line per request (client, method, path, status, bytes, milliseconds). The
    path is logged as the client sent it, control characters escaped, so no request can forge a line.
    A client that disconnects before its request is read is that line, not a traceback; a request
    the server had to cancel while stopping is answered 503, never 500."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.requests import ClientDisconnect

        started, status, size, note = time.perf_counter(), ["-"], [0], ""

        async def sending(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            elif message["type"] == "http.response.body":
                size[0] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except ClientDisconnect:
            note = " (the client disconnected before sending its whole request)"
        except asyncio.CancelledError:  # uvicorn's shutdown grace ran out: answer rather than let it send 500
            note = " (cancelled: the server is stopping)"
            if status[0] == "-":
                body = (STOPPING + "\n").encode()
                await sending({"type": "http.response.start", "status": 503,
                               "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                           (b"content-length", str(len(body)).encode())]})
                await sending({"type": "http.response.body", "body": body})
        finally:
            client = "%s:%s" % tuple(scope.get("client") or ("-", "-"))
            target = scope.get("raw_path") or scope.get("path", "").encode("utf-8")
            if scope.get("query_string"):
                target += b"?" + scope["query_string"][:200]
            path = printable(target.decode("latin-1")).replace('"', "\\x22")
            log.info('%s "%s %s" %s %d %.1fms%s', client, printable(scope["method"]), path, status[0], size[0],
                     (time.perf_counter() - started) * 1000, note)


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port``, or a :class:`UsageError` that says why not."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as error:
        raise UsageError(f"cannot serve on {host}:{port}: {error.strerror}") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        hint = "; another server is using that port: choose another with --port" if error.errno == 98 else ""
        raise UsageError(f"cannot serve on {host}:{port}: {error.strerror}{hint}") from None
    return sock


def http_protocol() -> Any:
    """uvicorn's HTTP protocol: with httptools, a URL over :data:`MAX_URL_BYTES` gets a 414 saying
    to POST the query, not the parser's bare 400 'Invalid HTTP request received.'"""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # no httptools: uvicorn's h11 takes URLs up to h11_max_incomplete_event_size
        return "auto"

    class Protocol(HttpToolsProtocol):
        def send_400_response(self, msg: str) -> None:
            if len(getattr(self, "url", b"")) <= MAX_URL_BYTES:
                super().send_400_response(msg)
                return
            text = (f"the URL is over {MAX_URL_BYTES} bytes; send a longer query by POST, in the body "
                    "(application/sparql-query or a form)").encode("ascii")
            self.transport.write(b"HTTP/1.1 414 URI Too Long\r\ncontent-type: text/plain; charset=utf-8\r\n"
                                 b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(text), text))
            self.transport.close()

    return Protocol


def serve(kg: "KnowledgeGraph", host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0,
          max_rows: int | None = 100_000, grace: float | None = None) -> None:
    """Serve ``kg`` until Ctrl-C or SIGTERM. On a stop, queries under way get ``grace`` seconds
    (default: ``timeout`` + 5, so each ends by its own deadline) and queries not yet started 503."""
    try:
        import starlette  # noqa: F401
        import uvicorn
    except ImportError as error:
        raise UsageError(f"exograph serve needs {error.name}: in an exograph checkout, pip install -e \".[serve]\" "
                         "(or pip install starlette uvicorn)") from None

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sock = listen(host, port)  # a busy port is said before the graph is copied into memory
    try:
        service = Service(kg, timeout, max_rows)
    except BaseException:
        sock.close()
        raise
    where = f"http://{host if ':' not in host else f'[{host}]'}:{sock.getsockname()[1]}"
    log.info("exograph: serving %d triples%s at %s/ (SPARQL endpoint %s/sparql); Ctrl-C stops", len(kg),
             " from memory" if service.in_memory else "", where, where)
    config = uvicorn.Config(create_app(service), access_log=False, log_level="warning",
                            timeout_graceful_shutdown=timeout + 5 if grace is None else grace, http=http_protocol(),
                            # h11 refuses a request head over 16 KiB that arrives in pieces: let a query
                            # string up to the cap through, so that it answers, or 413s with a reason
                            h11_max_incomplete_event_size=MAX_QUERY_BYTES + 64 * 1024)

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            service.lanes.close()
            super().handle_exit(sig, frame)

    # uvicorn stops gracefully on SIGINT / SIGTERM, then raises the signal again for the handlers it
    # found: make those no-ops, so that a stop on request ends with exit code 0.
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        Server(config).run(sockets=[sock])
    finally:
        sock.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("exograph: stopped")
