"""``exograph serve``: a read-only SPARQL 1.1 Protocol endpoint (Starlette on uvicorn).

Routes: ``/sparql`` (the protocol; without a query, the service description), ``/queries`` and
``/queries/NAME`` (named queries, parameters bound as the CLI binds them), ``/health``, ``/view``
(the HTML view of the same graph) and ``/`` (a self-contained query page). Every query runs in
the store with a deadline and a row cap (:meth:`exograph.store.Store.query`); SERVICE, FROM and
updates are refused before execution, so the server never sends a request anywhere.
"""
from __future__ import annotations

import functools
import json
import logging
import time
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import parse_qs

from .problems import UsageError
from .queries import to_term
from .store import QueryTimeout, QueryTooLarge, RefusedQuery

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from .api import KnowledgeGraph
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

    def query(self, text: str, bindings: Mapping[str, Any] | None = None) -> "QueryResult":
        return self.kg.store.query(text, bindings, timeout=self.timeout, limit=self.max_rows)

    def named(self, name: str, params: Mapping[str, str]) -> "QueryResult":
        catalogue = self.kg.queries()
        if name not in catalogue:
            raise HTTPProblem(404, f"no named query '{name}'; GET /queries lists them")
        bindings = {key.lstrip("?$"): to_term(value, self.kg.prefixes) for key, value in params.items()}
        return self.query(catalogue[name].text, bindings)

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
""").encode("utf-8")


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


def answer(result: "QueryResult", accept: str | None) -> "Response":
    """The result in the negotiated type, with a header saying when rows were cut."""
    from starlette.responses import Response

    offered = GRAPH_TYPES if result.kind in ("CONSTRUCT", "DESCRIBE") else TABLE_TYPES
    media = negotiate(accept, offered)
    headers = {TRUNCATED_HEADER: "true"} if result.truncated else {}
    charset = "; charset=utf-8" if media.startswith("text/") else ""
    return Response(result.serialize(offered[media]), headers=headers, media_type=media + charset)


def _problem(status: int, message: str) -> "Response":
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(message + "\n", status_code=status)


async def _run(function, *args) -> Any:
    """Run a blocking call in a worker thread; map query errors to HTTP answers."""
    from starlette.concurrency import run_in_threadpool

    try:
        return await run_in_threadpool(function, *args)
    except QueryTimeout as error:
        raise HTTPProblem(503, str(error)) from None
    except QueryTooLarge as error:
        raise HTTPProblem(413, str(error)) from None
    except RefusedQuery as error:
        message = str(error)
        status = 403 if "update" in message.lower() else 400
        raise HTTPProblem(status, message) from None
    except UsageError as error:
        raise HTTPProblem(400, str(error)) from None


# ---------------------------------------------------------------- the app
def create_app(service: Service) -> "Starlette":
    """The Starlette application: routes, CORS for browser clients, and HTTPProblem answers."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    from .paths import TEMPLATES_DIR

    async def sparql(request: Request) -> Response:
        text = await query_text(request)
        if text is None:  # the endpoint URL itself: its service description
            return Response(service.description(str(request.url_for("sparql"))), media_type="text/turtle; charset=utf-8")
        return answer(await _run(service.query, text), request.headers.get("accept"))

    async def queries(request: Request) -> Response:
        return JSONResponse(service.catalogue())

    async def named(request: Request) -> Response:
        params = dict(request.query_params)
        result = await _run(service.named, request.path_params["name"], params)
        return answer(result, request.headers.get("accept"))

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "triples": len(service.kg)})

    async def page(request: Request) -> Response:
        return HTMLResponse((TEMPLATES_DIR / "query.html").read_text(encoding="utf-8"))

    async def view(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        return HTMLResponse(await run_in_threadpool(lambda: service.view_page))

    async def problem(request: Request, error: HTTPProblem) -> Response:
        return _problem(error.status, str(error))

    routes = [Route("/", page), Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
              Route("/queries", queries), Route("/queries/{name}", named), Route("/health", health),
              Route("/view", view)]
    middleware = [Middleware(AccessLog),
                  Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                             allow_headers=["Accept", "Content-Type"], expose_headers=[TRUNCATED_HEADER])]
    return Starlette(routes=routes, middleware=middleware, exception_handlers={HTTPProblem: problem})


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
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    app = create_app(Service(kg, timeout, max_rows))
    where = f"http://{host if ':' not in host else f'[{host}]'}:{port}"
    log.info("exograph: serving %d triples at %s/ (SPARQL endpoint %s/sparql); Ctrl-C stops", len(kg), where, where)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning", timeout_graceful_shutdown=5)
    log.info("exograph: stopped")
