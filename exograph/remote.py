"""Other triple stores over HTTP: ``exograph push`` (SPARQL 1.1 Graph Store HTTP Protocol, one PUT
with replace semantics, then a count of what the store holds) and ``exograph query --endpoint``
(SPARQL 1.1 Protocol: GET, or a form POST for long queries or when a store refuses GET).

Credentials come from the environment only (see :data:`CREDENTIALS`); a ``user:password@`` in a
URL is dropped with a notice, never sent or printed. ``~/.netrc`` and proxy variables are read
only with ``trust_env=True`` (``--trust-env``). Each command has one total deadline: every try,
back-off wait and redirect comes out of it.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import urljoin, urlsplit, urlunsplit

from .namespaces import KNOWLEDGE_SOURCE_IRI
from .problems import UsageError, printable

if TYPE_CHECKING:
    import requests

    from .namespaces import PrefixMap
    from .queries import NamedQuery
    from .store import QueryResult

DEFAULT_GRAPH = KNOWLEDGE_SOURCE_IRI  # the named graph a push replaces unless --graph says otherwise
RETRIES = 4  # at most this many tries after the first, on 5xx/429 answers and dropped connections
MAX_REDIRECTS = 5
MAX_GET_QUERY = 2000  # characters of URL-encoded query sent by GET; longer ones go as a form POST
RESULTS_JSON = "application/sparql-results+json"
GRAPH_TYPES = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"
RETRY_PUT = frozenset({429, 500, 502, 503, 504})  # a store that may answer if asked again
RETRY_QUERY = frozenset({429, 502, 503, 504})  # 500 is how stores (Virtuoso) say a query failed: not retried
REFUSED_METHOD = frozenset({405, 414, 415, 431, 501})  # a store that does not take this form of request
CREDENTIALS = ("EXOGRAPH_ENDPOINT_TOKEN (sent as a bearer token), or EXOGRAPH_ENDPOINT_USER and "
               "EXOGRAPH_ENDPOINT_PASSWORD (HTTP Basic; HTTP Digest with EXOGRAPH_ENDPOINT_AUTH=digest)")

# A Graph Store endpoint -> the SPARQL query endpoint of the same store (path suffix -> replacement).
QUERY_ENDPOINTS = (
    ("/store", "/query"),  # Oxigraph
    ("/sparql-graph-crud-auth", "/sparql"),  # Virtuoso
    ("/sparql-graph-crud", "/sparql"),  # Virtuoso
    ("/rdf-graphs/service", ""),  # GraphDB, RDF4J: /repositories/REPO
    ("/data", "/sparql"),  # Fuseki: /DATASET/data
)


class NotStored(Exception):
    """The store answered success, but does not hold what was sent."""


# ---------------------------------------------------------------- URLs and credentials
def clean_url(url: str, what: str = "--endpoint") -> str:
    """An http(s) URL without ``user:password@`` (dropped with a notice); UsageError if it is not one."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = printable(_without_userinfo(url))
        raise UsageError(f"{what} {shown} is not an http:// or https:// URL; "
                         f"write it in full, such as http://{shown.split('://')[-1]}")
    if "@" in parts.netloc:
        print(f"exograph: the user name and password in the {what} URL are ignored; set {CREDENTIALS}", file=sys.stderr)
        return _without_userinfo(url.strip())
    return url.strip()


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(parts.scheme)


def check_graph_iri(graph: str) -> str:
    """``graph`` if it is an absolute IRI, else UsageError (a store would resolve it against its own URL)."""
    from .store import is_iri

    if not is_iri(graph) or not urlsplit(graph).scheme:
        raise UsageError(f"--graph {printable(graph)} is not an absolute IRI; give one such as {DEFAULT_GRAPH}")
    return graph


def _auth() -> Any:
    """The credentials of the environment, as a requests auth object (or None)."""
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth

    token = os.environ.get("EXOGRAPH_ENDPOINT_TOKEN")
    user = os.environ.get("EXOGRAPH_ENDPOINT_USER")
    scheme = os.environ.get("EXOGRAPH_ENDPOINT_AUTH", "").strip().lower()
    if scheme not in ("", "basic", "digest", "bearer"):
        raise UsageError(f"EXOGRAPH_ENDPOINT_AUTH={scheme} is not basic, digest or bearer")
    if token and user:
        raise UsageError("set EXOGRAPH_ENDPOINT_TOKEN or EXOGRAPH_ENDPOINT_USER, not both")
    if token:
        if scheme not in ("", "bearer"):
            raise UsageError(f"EXOGRAPH_ENDPOINT_AUTH={scheme} needs EXOGRAPH_ENDPOINT_USER and _PASSWORD, not a token")
        return _Bearer(token)
    if scheme and not user:
        raise UsageError(f"EXOGRAPH_ENDPOINT_AUTH={scheme} is set but EXOGRAPH_ENDPOINT_USER is not")
    if user:
        password = os.environ.get("EXOGRAPH_ENDPOINT_PASSWORD", "")
        return HTTPDigestAuth(user, password) if scheme == "digest" else HTTPBasicAuth(user, password)
    return None


class _Bearer:
    def __init__(self, token: str):
        self.token = token

    def __call__(self, request: Any) -> Any:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


# ---------------------------------------------------------------- one command's HTTP client
def _refused(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError) or "Connection refused" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class Client:
    """An HTTP session for one command: credentials from the environment, no redirect followed
    blindly, retries with back-off, all within one total deadline (seconds)."""

    def __init__(self, deadline: float, trust_env: bool = False, flag: str = "--deadline"):
        import requests

        if deadline <= 0:
            raise UsageError(f"{flag} must be more than 0 seconds")
        self.deadline, self.flag = deadline, flag
        self.ends = time.monotonic() + deadline
        self.session = requests.Session()
        self.session.trust_env = trust_env  # off: no ~/.netrc, no proxy variables
        self.session.auth = _auth()
        self.session.headers["User-Agent"] = "exograph"
        self._challenged = False
        self.answered = ""  # the URL that gave the last answer (after any redirect)

    def left(self) -> float:
        return self.ends - time.monotonic()

    def request(self, method: str, url: str, what: str, *, params: Mapping[str, str] | None = None,
                headers: Mapping[str, str] | None = None, data: Any = None, body: Path | None = None,
                stream: bool = False, refusable: frozenset[int] = frozenset(),
                retry: frozenset[int] = RETRY_QUERY) -> "requests.Response":
        """One request, tried again on 5xx/429 answers and dropped connections until the deadline;
        ``body`` is a file sent from disk with a Content-Length. An answer with a status in
        ``refusable`` is returned for the caller to try another way; one in ``retry`` is tried again;
        UsageError says what went wrong."""
        import requests

        if body is not None:
            self._digest_challenge(url, params)
        for attempt in range(RETRIES + 1):
            try:
                response = self._follow(method, url, what, params, headers, data, body, stream)
            except requests.Timeout:
                reason = f"{url} did not answer in time"
            except requests.ConnectionError as error:
                if _refused(error):
                    raise UsageError(f"{what}: {url} refused the connection; is the store running there?") from None
                reason = f"the connection to {url} failed ({_short(error)})"
            else:
                if response.status_code < 400 or response.status_code in refusable:
                    return response
                if response.status_code not in retry:
                    raise UsageError(f"{what}: {self._explain(response, url)}")
                reason = f"{url} answered {response.status_code} {response.reason}"
            wait = 2 ** attempt
            if attempt == RETRIES:
                raise UsageError(f"{what}: {reason}; gave up after {attempt + 1} tries")
            if self.left() <= wait:
                raise UsageError(f"{what}: {reason}; gave up: the {self.deadline:g} s deadline ({self.flag}) "
                                 f"ends in {max(self.left(), 0):.0f} s")
            print(f"exograph: {what}: {reason}; trying again in {wait} s ({self.left():.0f} s left of the "
                  f"{self.deadline:g} s deadline)", file=sys.stderr)
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _follow(self, method: str, url: str, what: str, params, headers, data, body: Path | None,
                stream: bool) -> "requests.Response":
        """Send, following a redirect only to the same origin: any for GET, only 307/308 (which keep the
        method and body) otherwise, sending the whole body again. Other redirects are refused."""
        import requests

        for _ in range(MAX_REDIRECTS + 1):
            left = self.left()
            if left <= 0:
                raise requests.Timeout()
            if body is None:
                response = self.session.request(method, url, params=params, headers=headers, data=data,
                                                stream=stream, timeout=(min(10, left), left), allow_redirects=False)
            else:
                with body.open("rb") as file:  # read from disk in blocks; requests sends its Content-Length
                    # urllib3 keeps the connect timeout while it sends the body: a store that reads slowly is not gone
                    response = self.session.request(method, url, params=params, headers=headers, data=file,
                                                    timeout=(left, left), allow_redirects=False)
            if not response.is_redirect:
                self.answered = url
                return response
            target = _without_userinfo(urljoin(response.url, response.headers["Location"]))
            response.close()
            if _origin(target) != _origin(url):
                raise UsageError(f"{what}: {url} redirects ({response.status_code}) to {target}, another "
                                 f"origin; not followed: give that URL as the endpoint if you trust it")
            if method not in ("GET", "HEAD") and response.status_code not in (307, 308):
                raise UsageError(f"{what}: {url} redirects ({response.status_code}) to {target}, which would "
                                 f"drop the data; not followed: give that URL as the endpoint")
            url, params = target, None
        raise UsageError(f"{what}: more than {MAX_REDIRECTS} redirects from {url}")

    def _digest_challenge(self, url: str, params: Mapping[str, str] | None) -> None:
        """With Digest, get the store's challenge with a HEAD first, so the body is sent once, authenticated."""
        from requests.auth import HTTPDigestAuth

        if isinstance(self.session.auth, HTTPDigestAuth) and not self._challenged:
            self._challenged = True
            left = max(self.left(), 0.1)
            try:
                self.session.head(url, params=params, timeout=(min(10, left), left), allow_redirects=False).close()
            except OSError:  # the real request says what is wrong
                pass

    def _explain(self, response: "requests.Response", url: str) -> str:
        from requests.auth import HTTPDigestAuth

        text = " ".join(response.text.split())[:300]
        said = f" ({text})" if text else ""
        status = f"{url} answered {response.status_code} {response.reason}"
        if response.status_code == 401:
            asked = response.headers.get("WWW-Authenticate", "").split(" ", 1)[0]
            wants = f"; it asks for HTTP {asked} authentication" if asked else ""
            virtuoso = urlsplit(url).path.rstrip("/").endswith("/sparql-graph-crud-auth")  # Digest, no challenge to Basic
            if (asked.lower() == "digest" or virtuoso) and not isinstance(self.session.auth, HTTPDigestAuth):
                return (f"{status}{wants}: set EXOGRAPH_ENDPOINT_AUTH=digest, EXOGRAPH_ENDPOINT_USER and "
                        f"EXOGRAPH_ENDPOINT_PASSWORD{said}")
            return f"{status}{wants}: set {CREDENTIALS} to credentials that may do this there{said}"
        if response.status_code == 403:
            return f"{status}: these credentials may not do this there{said}"
        if response.status_code == 404:
            return (f"{status}: is this the store's endpoint? (Oxigraph: /store to push, /query to query; "
                    f"Virtuoso: /sparql-graph-crud-auth and /sparql; Fuseki: /DATASET/data and /DATASET/sparql){said}")
        return f"{status}{said}"


def _short(error: BaseException) -> str:
    """The innermost reason of a requests connection error, without the pool's repetitions."""
    while error.__context__ is not None or (error.args and isinstance(error.args[0], BaseException)):
        error = error.args[0] if error.args and isinstance(error.args[0], BaseException) else error.__context__
    return printable(str(error))[:200]


# ---------------------------------------------------------------- push
@dataclass
class Pushed:
    triples: int
    seconds: float


def query_endpoint_of(store_url: str) -> str | None:
    """The SPARQL query endpoint beside a known store's Graph Store endpoint, or None."""
    parts = urlsplit(store_url)
    path = parts.path.rstrip("/")
    for suffix, replacement in QUERY_ENDPOINTS:
        if path.endswith(suffix):
            return urlunsplit(parts._replace(path=path[:-len(suffix)] + replacement, query=""))
    return None


def push(ntriples: Path, triples: int, endpoint: str, graph: str = DEFAULT_GRAPH, *, sparql: str | None = None,
         deadline: float = 600, trust_env: bool = False) -> Pushed:
    """Replace ``graph`` at the Graph Store ``endpoint`` with the N-Triples file ``ntriples`` (one PUT
    from disk with a Content-Length), then count the graph's triples at the store: at the SPARQL
    endpoint ``sparql`` (by default the one beside a known store), else with a streamed GET of the
    graph. Raises :class:`NotStored` if the store holds other than ``triples`` triples."""
    started = time.monotonic()
    endpoint = clean_url(endpoint)
    sparql = clean_url(sparql, "--sparql") if sparql else None
    check_graph_iri(graph)
    client = Client(deadline, trust_env)
    what = f"push to graph <{graph}>"
    client.request("PUT", endpoint, what, params={"graph": graph}, body=ntriples,
                   headers={"Content-Type": "application/n-triples"}, retry=RETRY_PUT).close()
    if client.answered != endpoint:  # redirected: count where the data went
        stored = urlunsplit(urlsplit(client.answered)._replace(query=""))
        print(f"exograph: {endpoint} redirected the push to {stored}", file=sys.stderr)
        endpoint = stored
    sparql = sparql or query_endpoint_of(endpoint)
    held = count_graph(client, sparql, graph) if sparql else _count_by_get(client, endpoint, graph)
    if held != triples:
        where = f"a COUNT at {sparql}" if sparql else f"a GET of the graph from {endpoint}"
        raise NotStored(f"{endpoint} accepted the data, but graph <{graph}> holds {held} triples there, not the "
                        f"{triples} sent ({where}); the store did not keep what was sent")
    return Pushed(triples, time.monotonic() - started)


def count_graph(client: Client, sparql: str, graph: str) -> int:
    """The number of triples in ``graph`` by a SPARQL COUNT."""
    from .store import nt_term

    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {nt_term(('i', graph))} {{ ?s ?p ?o }} }}"
    result = _results(client, sparql, text, f"count the triples of <{graph}>")
    try:
        return int(result["results"]["bindings"][0]["n"]["value"])
    except (KeyError, IndexError, ValueError):
        raise UsageError(f"count the triples of <{graph}>: {sparql} gave no count; pass its SPARQL query "
                         f"endpoint with --sparql URL") from None


def _count_by_get(client: Client, endpoint: str, graph: str) -> int:
    """The number of triples in ``graph`` by reading it back as N-Triples, line by line."""
    what = f"read back graph <{graph}>"
    response = client.request("GET", endpoint, what, params={"graph": graph},
                              headers={"Accept": "application/n-triples"}, stream=True)
    with response:
        media = response.headers.get("Content-Type", "").split(";")[0].strip()
        if media not in ("application/n-triples", "text/plain"):
            raise UsageError(f"{what}: {endpoint} sent {media or 'no type'}, not N-Triples; "
                             f"pass the store's SPARQL query endpoint with --sparql URL to count there")
        return sum(1 for line in response.iter_lines() if line.strip() and not line.lstrip().startswith(b"#"))


# ---------------------------------------------------------------- remote queries
def _send_query(client: Client, endpoint: str, text: str, accept: str, what: str) -> "requests.Response":
    """A SPARQL query by GET, or by form POST when it is long; the other when the store refuses one
    (never a direct POST: Virtuoso 7.2 never answers one)."""
    from urllib.parse import quote

    methods = ["GET", "POST"] if len(quote(text)) <= MAX_GET_QUERY else ["POST", "GET"]
    headers = {"Accept": accept}
    for method in methods:
        form = {"params": {"query": text}} if method == "GET" else {"data": {"query": text}}
        response = client.request(method, endpoint, what, headers=headers, refusable=REFUSED_METHOD, **form)
        if response.status_code not in REFUSED_METHOD:
            return response
    raise UsageError(f"{what}: {endpoint} refused the query by GET and by form POST "
                     f"({response.status_code} {response.reason})")


def _results(client: Client, endpoint: str, text: str, what: str) -> dict:
    response = _send_query(client, endpoint, text, RESULTS_JSON, what)
    try:
        return response.json()
    except ValueError:
        raise UsageError(f"{what}: {endpoint} did not answer with SPARQL JSON results "
                         f"({response.headers.get('Content-Type')})") from None


# xsd:boolean's numeric lexical forms, which Virtuoso 7.2 answers for every boolean, and their canonical form
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}


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
    text = value["value"]
    if datatype == _XSD_BOOLEAN:
        text = _CANONICAL_BOOLEAN.get(text, text)
    return ("l", text, None if datatype in (None, XSD_STRING, RDF_LANG_STRING) else datatype, language)


# Every entity with its label, synonyms and exact matches: the candidates for a label parameter,
# as the local network's entity nodes are (instances of the schema's categories).
_ENTITIES = """PREFIX exos: <https://w3id.org/exograph/schema/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity ?label ?synonym ?match WHERE {
  ?entity a ?class ; rdfs:label ?label .
  ?class rdfs:subClassOf+ exos:Entity .
  FILTER(STRSTARTS(STR(?class), STR(exos:)))
  { ?entity skos:altLabel ?synonym } UNION { ?entity skos:exactMatch ?match } UNION { BIND("" AS ?none) }
}"""
_EXISTS = "ASK { { ?node ?p ?o } UNION { ?s ?p ?node } }"


def _entities(client: Client, endpoint: str, prefixes: "PrefixMap") -> list[tuple[str, dict]]:
    """The endpoint's entities as ``(CURIE, {"label", "synonyms", "exact_matches", "iri"})``."""
    document = _results(client, endpoint, _ENTITIES, "fetch the labels and synonyms of the entities")
    found: dict[str, dict] = {}
    for row in document["results"]["bindings"]:
        iri = row["entity"]["value"]
        entity = found.setdefault(prefixes.compress(iri), {"label": row["label"]["value"], "synonyms": [],
                                                           "exact_matches": [], "iri": iri})
        entity["label"] = min(entity["label"], row["label"]["value"])
        if "synonym" in row:
            entity["synonyms"].append(row["synonym"]["value"])
        if "match" in row:
            entity["exact_matches"].append(prefixes.compress(row["match"]["value"]))
    return sorted((curie, {**data, "synonyms": sorted(set(data["synonyms"])),
                           "exact_matches": sorted(set(data["exact_matches"]))}) for curie, data in found.items())


def bind_params(client: Client, endpoint: str, query: "NamedQuery", params: Mapping[str, str],
                prefixes: "PrefixMap") -> dict[str, tuple]:
    """Parameters as RDF terms, as :meth:`exograph.KnowledgeGraph.run` binds them, with labels and
    synonyms of [IRI] parameters looked up at the endpoint."""
    from .queries import node_term, param_term
    from .store import nt_term

    query.check_params(params)

    def exists(iri: str) -> bool:
        text = _EXISTS.replace("?node", nt_term(("i", iri)))
        return bool(_results(client, endpoint, text, f"look up <{iri}>").get("boolean"))

    return {name: node_term(value, prefixes, exists, lambda: _entities(client, endpoint, prefixes))
            if name in query.iri_params else param_term(value, prefixes) for name, value in params.items()}


def query(endpoint: str, query: "NamedQuery", params: Mapping[str, str], prefixes: "PrefixMap", *,
          deadline: float = 60, trust_env: bool = False) -> "QueryResult":
    """Run a named query (or query text) at a SPARQL endpoint, as locally: parameters bound as RDF
    terms (a VALUES block), labels resolved there, within one total deadline (seconds)."""
    from rdflib import Graph

    from .store import QueryResult, check_query, from_rdflib
    from .store.request import with_values

    endpoint = clean_url(endpoint)
    form = check_query(query.text)
    client = Client(deadline, trust_env, "--timeout")
    terms = bind_params(client, endpoint, query, params, prefixes)
    text = with_values(query.text, terms)
    if form in ("CONSTRUCT", "DESCRIBE"):
        response = _send_query(client, endpoint, text, GRAPH_TYPES, "query")
        media = response.headers.get("Content-Type", "application/n-triples").split(";")[0].strip()
        fmt = {"text/turtle": "turtle", "application/rdf+xml": "xml"}.get(media, "nt")
        graph = Graph().parse(data=response.content, format=fmt)
        return QueryResult(form, terms=[tuple(map(from_rdflib, triple)) for triple in graph])
    document = _results(client, endpoint, text, "query")
    if form == "ASK":
        return QueryResult(form, boolean=bool(document["boolean"]))
    variables = document["head"]["vars"]
    rows = [tuple(_term(row[name]) if name in row else None for name in variables)
            for row in document["results"]["bindings"]]
    return QueryResult(form, variables=variables, terms=rows)
