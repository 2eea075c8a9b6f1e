"""``exograph serve``: a read-only SPARQL 1.1 Protocol endpoint (Starlette on uvicorn).

Routes: ``/sparql`` (the protocol; without a query, the service description), ``/queries`` and
``/queries/NAME`` (named queries, parameters bound as the CLI binds them), ``/health``, ``/view``
(the HTML view of the same graph) and ``/`` (a self-contained query page). Every query runs in
the store with a deadline and a row cap (:meth:`exograph.store.Store.query`); SERVICE, FROM and
updates are refused before execution, so the server never sends a request anywhere.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import time
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping
from urllib.parse import parse_qs

from .problems import UsageError
from .store import QueryTimeout, QueryTooLarge, RefusedQuery, check_query

if TYPE_CHECKING:
    import anyio
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from .api import KnowledgeGraph
    from .queries import NamedQuery
    from .store import QueryResult

MAX_QUERY_BYTES = 100_000  # the same cap as the query checker's, in bytes of the request
TABLE_TYPES = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
               "text/csv": "csv", "text/tab-separated-values": "tsv", "application/json": "json"}
GRAPH_TYPES = {"text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld"}
TRUNCATED_HEADER = "X-Exograph-Truncated"
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
        self.parallel = max(4, os.cpu_count() or 1)  # queries running at once: more only share the cores

    @functools.cached_property
    def limiter(self) -> "anyio.CapacityLimiter":
        import anyio

        return anyio.CapacityLimiter(self.parallel)

    def query(self, text: str, bindings: Mapping[str, Any] | None = None) -> "QueryResult":
        return self.kg.store.query(text, bindings, timeout=self.timeout, limit=self.max_rows)

    def named_query(self, name: str) -> "NamedQuery":
        catalogue = self.kg.queries()
        if name not in catalogue:
            raise HTTPProblem(404, f"no named query '{name}'; GET /queries lists them")
        return catalogue[name]

    def run_named(self, query: "NamedQuery", params: Mapping[str, str]) -> "QueryResult":
        """``query`` with ``params`` bound as RDF terms, exactly as ``exograph query --param`` binds them."""
        bindings = {key.lstrip("?$"): value for key, value in params.items()}
        return self.kg.run(query.name, bindings, timeout=self.timeout, limit=self.max_rows)

    def catalogue(self) -> list[dict]:
        return [{"name": q.name, "title": q.title, "description": q.description, "params": q.params}
                for q in self.kg.queries().values()]

    @functools.cached_property
    def view_page(self) -> str:
        from .viewer import make_view

        return make_view(self.kg).page

    def description(self, endpoint: str) -> bytes:
        """The SPARQL 1.1 service description of this endpoint, as Turtle."""
        formats = "".join(f"    sd:resultFormat <http://www.w3.org/ns/formats/{name}> ;\n" for name in
                          ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                           "Turtle", "N-Triples", "JSON-LD"))
        return (f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
{formats}    dcterms:description "exograph, read-only: SELECT, ASK, CONSTRUCT and DESCRIBE on the default graph; no updates, SERVICE or FROM. Queries stop after {self.timeout:g} s; results hold at most {self.max_rows or 'any number of'} rows." ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ; void:triples {len(self.kg)} ] ] .
{self.dataset_link(endpoint)}""").encode("utf-8")

    def dataset_link(self, endpoint: str) -> str:
        """The graph's dataset description (its VoID and release metadata), linked to this endpoint."""
        from .dataset import summary

        release = summary(self.kg.store)
        return f"<{release['dataset']}> void:sparqlEndpoint <{endpoint}> .\n" if release else ""


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


def _refuse_dataset(params: Mapping[str, list[str]]) -> None:
    for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
        if params.get(name):
            raise HTTPProblem(400, f"{name} is not allowed: it would load graphs from elsewhere; "
                                   "this endpoint queries its own default graph only")
    if params.get("update"):
        raise HTTPProblem(403, "SPARQL updates are not allowed: this endpoint is read-only")


async def query_text(request: "Request") -> str | None:
    """The query of a protocol request (GET, POST form or POST sparql-query), or None if it has none."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if len(request.url.query) > MAX_QUERY_BYTES:
        raise HTTPProblem(413, f"the query string is over {MAX_QUERY_BYTES} bytes, the most a query may be")
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _body(request)
        if media == "application/sparql-update":
            raise HTTPProblem(403, "SPARQL updates are not allowed: this endpoint is read-only")
        if media == "application/sparql-query":
            _refuse_dataset(params)
            return body.decode("utf-8", errors="replace")
        if media != "application/x-www-form-urlencoded":
            raise HTTPProblem(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded")
        params = {**params, **parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)}
    _refuse_dataset(params)
    queries = params.get("query", [])
    if len(queries) > 1:
        raise HTTPProblem(400, "give one query parameter, not several")
    return queries[0] if queries else None


def offered_types(form: str) -> dict[str, str]:
    return GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else TABLE_TYPES


def answer(result: "QueryResult", media: str) -> "Response":
    """The result as ``media``, with a header saying when rows were cut."""
    from starlette.responses import Response

    headers = {TRUNCATED_HEADER: "true"} if result.truncated else {}
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return Response(result.serialize(offered_types(result.kind)[media]), headers=headers, media_type=media + charset)


@contextlib.contextmanager
def http_errors() -> Iterator[None]:
    """Query errors as HTTP answers: timeout 503, too large 413, updates 403, other refusals 400."""
    try:
        yield
    except QueryTimeout as error:
        raise HTTPProblem(503, str(error)) from None
    except QueryTooLarge as error:
        raise HTTPProblem(413, str(error)) from None
    except RefusedQuery as error:
        message = str(error)
        raise HTTPProblem(403 if "update" in message.lower() else 400, message) from None
    except UsageError as error:
        raise HTTPProblem(400, str(error)) from None


async def run_query(request: "Request", text: str, function: Callable[[], "QueryResult"]) -> "Response":
    """Check ``text`` and negotiate the answer's type first (microseconds), then run ``function``
    in a worker thread, at most :attr:`Service.parallel` at once (the rest wait their turn, and
    a query's deadline starts when it runs)."""
    import anyio.to_thread

    service: Service = request.app.state.service
    with http_errors():
        media = negotiate(request.headers.get("accept"), offered_types(check_query(text)))
        return answer(await anyio.to_thread.run_sync(function, limiter=service.limiter), media)


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
        text = await query_text(request)
        if text is None:  # the endpoint URL itself: its service description
            return Response(service.description(str(request.url_for("sparql"))), media_type="text/turtle; charset=utf-8")
        return await run_query(request, text, lambda: service.query(text))

    async def queries(request: Request) -> Response:
        return JSONResponse(service.catalogue())

    async def named(request: Request) -> Response:
        query = service.named_query(request.path_params["name"])
        params = dict(request.query_params)
        return await run_query(request, query.text, lambda: service.run_named(query, params))

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "triples": len(service.kg)})

    async def page(request: Request) -> Response:
        return HTMLResponse((TEMPLATES_DIR / "query.html").read_text(encoding="utf-8"))

    async def view(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        return HTMLResponse(await run_in_threadpool(lambda: service.view_page))

    async def problem(request: Request, error: HTTPProblem) -> Response:
        return PlainTextResponse(str(error) + "\n", status_code=error.status)

    routes = [Route("/", page), Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
              Route("/queries", queries), Route("/queries/{name}", named), Route("/health", health),
              Route("/view", view)]
    middleware = [Middleware(AccessLog),
                  Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                             allow_headers=["Accept", "Content-Type"], expose_headers=[TRUNCATED_HEADER])]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={HTTPProblem: problem})
    app.state.service = service
    return app


class AccessLog:
    """ASGI middleware: one line per request (client, method, path, status, bytes, milliseconds)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status, size = time.perf_counter(), [500], [0]

        async def sending(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            elif message["type"] == "http.response.body":
                size[0] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            client = "%s:%s" % tuple(scope.get("client") or ("-", "-"))
            path = scope.get("path", "") + ("?" + scope["query_string"].decode("latin-1")[:200]
                                            if scope.get("query_string") else "")
            log.info('%s "%s %s" %d %d %.1fms', client, scope["method"], path, status[0], size[0],
                     (time.perf_counter() - started) * 1000)


def serve(kg: "KnowledgeGraph", host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0,
          max_rows: int | None = 100_000) -> None:
    """Serve ``kg`` until Ctrl-C or SIGTERM (uvicorn finishes the requests under way, then stops)."""
    try:
        import starlette  # noqa: F401
        import uvicorn
    except ImportError as error:
        raise UsageError(f"exograph serve needs {error.name}: pip install 'exograph[serve]'") from None

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    app = create_app(Service(kg, timeout, max_rows))
    where = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
    log.info("exograph: serving %d triples at %s/ (SPARQL endpoint %s/sparql); Ctrl-C stops", len(kg), where, where)
    config = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning", timeout_graceful_shutdown=5)
    # uvicorn stops gracefully on SIGINT / SIGTERM, then raises the signal again for the handlers it
    # found: make those no-ops, so that a stop on request ends with exit code 0.
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        uvicorn.Server(config).run()
    except SystemExit:  # uvicorn could not listen; it has said why
        raise UsageError(f"cannot serve on {host}:{port}") from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("exograph: stopped")
