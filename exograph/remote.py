"""Other triple stores over HTTP: ``exograph push`` (SPARQL 1.1 Graph Store HTTP Protocol, PUT with
replace semantics) and ``exograph query --endpoint`` (SPARQL 1.1 Protocol).

Credentials come from the environment only: ``EXOGRAPH_ENDPOINT_TOKEN`` (sent as a bearer token),
or ``EXOGRAPH_ENDPOINT_USER`` with ``EXOGRAPH_ENDPOINT_PASSWORD`` (HTTP basic).
"""
from __future__ import annotations

import json
import os
import sys
import time
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

from .namespaces import KNOWLEDGE_SOURCE_IRI
from .problems import UsageError

if TYPE_CHECKING:
    import requests

    from .store import QueryResult

DEFAULT_GRAPH = KNOWLEDGE_SOURCE_IRI  # the named graph a push replaces unless --graph says otherwise
CHUNK = 1 << 20  # bytes per chunk of the streamed body
RETRIES = 4  # after the first try, on 5xx answers and timeouts; waits 1, 2, 4, 8 s
RESULTS_JSON = "application/sparql-results+json"


def session() -> "requests.Session":
    """An HTTP session with the credentials of the environment, if any."""
    import requests

    client = requests.Session()
    token = os.environ.get("EXOGRAPH_ENDPOINT_TOKEN")
    user = os.environ.get("EXOGRAPH_ENDPOINT_USER")
    if token:
        client.headers["Authorization"] = f"Bearer {token}"
    elif user:
        client.auth = (user, os.environ.get("EXOGRAPH_ENDPOINT_PASSWORD", ""))
    client.headers["User-Agent"] = "exograph"
    return client


def _refused(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError) or "Connection refused" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _explain(response: "requests.Response", url: str) -> str:
    text = " ".join(response.text.split())[:300]
    if response.status_code == 401:
        return (f"{url} answered 401 Unauthorized: set EXOGRAPH_ENDPOINT_TOKEN, or EXOGRAPH_ENDPOINT_USER and "
                f"EXOGRAPH_ENDPOINT_PASSWORD, to credentials that may write there ({text})")
    if response.status_code == 403:
        return f"{url} answered 403 Forbidden: these credentials may not do this there ({text})"
    if response.status_code == 404:
        return (f"{url} answered 404 Not Found: is this the store's endpoint? (Oxigraph: /store to push, /query "
                f"to query; Fuseki: /DATASET/data and /DATASET/sparql) ({text})")
    return f"{url} answered {response.status_code} {response.reason}: {text}"


def _send(send: Callable[[], "requests.Response"], url: str, what: str) -> "requests.Response":
    """``send()`` with retries and back-off on 5xx and timeouts; UsageError naming what went wrong otherwise."""
    import requests

    for attempt in range(RETRIES + 1):
        last_try = attempt == RETRIES
        try:
            response = send()
        except requests.Timeout:
            if last_try:
                raise UsageError(f"{what}: {url} did not answer in time, {RETRIES + 1} tries") from None
        except requests.ConnectionError as error:
            if _refused(error):
                raise UsageError(f"{what}: {url} refused the connection; is the store running there?") from None
            if last_try:
                raise UsageError(f"{what}: cannot reach {url}: {error}") from None
        else:
            if response.status_code < 500 or last_try:
                if response.status_code >= 400:
                    raise UsageError(f"{what}: {_explain(response, url)}")
                return response
        wait = 2 ** attempt
        print(f"exograph: {what} failed, trying again in {wait} s", file=sys.stderr)
        time.sleep(wait)
    raise AssertionError("unreachable")


def _chunks(data: bytes) -> Iterator[bytes]:
    view = memoryview(data)
    for start in range(0, len(view), CHUNK):
        yield bytes(view[start:start + CHUNK])


def push(ntriples: bytes, endpoint: str, graph: str = DEFAULT_GRAPH, timeout: float = 600) -> "requests.Response":
    """Replace ``graph`` at the Graph Store endpoint with ``ntriples``, streamed in chunks
    (HTTP chunked transfer encoding), so no second copy of the data is made."""
    client = session()
    params = {"graph": graph}
    headers = {"Content-Type": "application/n-triples"}
    return _send(lambda: client.put(endpoint, params=params, data=_chunks(ntriples), headers=headers,
                                    timeout=(10, timeout)), endpoint, f"push to graph <{graph}>")


# ---------------------------------------------------------------- remote queries
def _term(value: Mapping[str, str]) -> tuple:
    """A SPARQL JSON results term as the store's engine-neutral term."""
    from .store import RDF_LANG_STRING, XSD_STRING

    kind = value["type"]
    if kind == "uri":
        return ("i", value["value"])
    if kind == "bnode":
        return ("b", value["value"])
    datatype = value.get("datatype")
    language = value.get("xml:lang")
    return ("l", value["value"], None if datatype in (None, XSD_STRING, RDF_LANG_STRING) else datatype, language)


def query(endpoint: str, text: str, bindings: Mapping[str, Any] | None = None, timeout: float = 60) -> "QueryResult":
    """Run a query at a SPARQL endpoint; parameters are bound as RDF terms (a VALUES block), as locally."""
    from rdflib import Graph

    from .store import QueryResult, _with_values, check_query, from_rdflib

    form = check_query(text)
    terms = {name: from_rdflib(value) for name, value in (bindings or {}).items()}
    accept = "application/n-triples" if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON
    client = session()
    response = _send(lambda: client.post(endpoint, data=_with_values(text, terms).encode("utf-8"), timeout=(10, timeout),
                                         headers={"Content-Type": "application/sparql-query", "Accept": accept}),
                     endpoint, "query")
    if form in ("CONSTRUCT", "DESCRIBE"):
        graph = Graph().parse(data=response.content, format="nt")
        return QueryResult(form, terms=[tuple(map(from_rdflib, triple)) for triple in graph])
    try:
        document = response.json()
    except json.JSONDecodeError:
        raise UsageError(f"query: {endpoint} did not answer with SPARQL JSON results "
                         f"({response.headers.get('content-type')})") from None
    if form == "ASK":
        return QueryResult(form, boolean=bool(document["boolean"]))
    variables = document["head"]["vars"]
    rows = [tuple(_term(row[name]) if name in row else None for name in variables)
            for row in document["results"]["bindings"]]
    return QueryResult(form, variables=variables, terms=rows)
