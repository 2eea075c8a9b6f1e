"""The triple store behind exograph: the only module that imports pyoxigraph.

Two engines run the same checked queries: Oxigraph (the default, in memory or an on-disk
store opened read-only) and rdflib (the reference engine). Every query text passes
:func:`check_query` first, which refuses ``SERVICE`` and updates in microseconds.

The store holds the curated graph, named :data:`CURATED_GRAPH`, and one named graph per
``--data`` file. A query sees the curated graph as its default graph and the ``--data`` graphs
as its named graphs, unless ``FROM`` / ``FROM NAMED`` or the ``default_graphs`` /
``named_graphs`` arguments choose among the graphs the store holds; nothing is ever fetched.

Bounds, the same for every door (CLI, endpoint, Python API, view): a query runs in a forked
worker process with a memory ceiling (:data:`MEMORY_HEADROOM`), killed at its deadline
(``timeout``, default :data:`QUERY_TIMEOUT`), and keeps at most ``limit`` rows (default
:data:`QUERY_ROWS`; they stream, and ``truncated`` says if more were left). So a slow operator
inside the engine cannot outlive its deadline, an engine crash or a runaway allocation ends the
worker and never the caller, and other threads of the caller are never blocked.
``timeout=None`` and ``limit=None`` lift those two bounds; the worker and its ceiling stay.
"""
from __future__ import annotations

import functools
import json
import os
import pickle
import re
import select
import signal
import stat
import struct
import sys
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable, Iterator, Mapping

import pyoxigraph as ox

from .datafiles import CURATED_GRAPH, DataFile, data_file, line_of, long_line
from .problems import UsageError
from .sparql_check import QUERY_ROWS, QUERY_TIMEOUT, QueryCheckError, check

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

ENGINES = ("oxigraph", "rdflib")
MEMORY_HEADROOM = 4 << 30  # a query worker may grow by this many bytes of address space
_BATCH = 2000  # rows per message from a worker
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# An engine-neutral term: ("i", iri), ("b", id) or ("l", lexical, datatype or None, language or None).
Term = tuple


class RefusedQuery(UsageError):
    """A query that is not allowed to run (or cannot be read)."""


class QueryTimeout(UsageError):
    """A query that ran past its time limit and was stopped."""


class QueryTooLarge(UsageError):
    """A query whose text, or whose memory while running, is over the limit."""


class QueryOutOfMemory(QueryTooLarge):
    """A query that went over its worker's memory ceiling while running."""


class QueryCrashed(UsageError):
    """A query that crashed the engine in its worker process (the caller goes on)."""


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset of one query, and its base IRI (see :meth:`Store.query`)."""

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base: str | None = None

    @property
    def chosen(self) -> bool:
        """Whether the caller chose the graphs (the protocol's ``default-graph-uri`` / ``named-graph-uri``)."""
        return self.default_graphs is not None or self.named_graphs is not None


def check_query(text: str) -> str:
    """The form of a query ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"), or :class:`RefusedQuery`.

    Refuses SERVICE and updates before execution, whatever the case, comments, ``\\uXXXX``
    escapes or nesting (FROM / FROM NAMED pass: they choose among the store's graphs); raises
    :class:`QueryTooLarge` for an oversized text.
    """
    return _checked(text)[0]


def _checked(text: str) -> tuple:
    try:
        return check(text, allow_from=True)
    except QueryCheckError as error:
        raise (QueryTooLarge if error.kind == "size" else RefusedQuery)(str(error)) from None


# ---------------------------------------------------------------- terms
_RDFLIB: tuple = ()


def _rdflib_classes() -> tuple:
    """(URIRef, Literal, BNode), imported on first use: printing results needs no rdflib."""
    global _RDFLIB
    if not _RDFLIB:
        from rdflib import BNode, Literal, URIRef

        _RDFLIB = (URIRef, Literal, BNode)
    return _RDFLIB


@functools.lru_cache(maxsize=1 << 16)
def _uriref(value: str) -> "Node":
    return _rdflib_classes()[0](value)  # IRIs repeat (predicates, classes): validate each once


def to_rdflib(term: Term | None) -> "Node | None":
    if term is None:
        return None
    kind = term[0]
    if kind == "i":
        return _uriref(term[1])
    uriref, literal, bnode = _rdflib_classes()
    if kind == "b":
        return bnode(term[1])
    _, value, datatype, language = term
    if language:
        return literal(value, lang=language)
    return literal(value, datatype=None if datatype in (None, XSD_STRING) else _uriref(datatype))


def from_rdflib(node: "Node | None") -> Term | None:
    from rdflib import BNode, Literal

    if node is None:
        return None
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype is not None else None
        return ("l", str(node), datatype, node.language)
    return ("b" if isinstance(node, BNode) else "i", str(node))


def _from_ox(term: Any) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("i", term.value)
    if isinstance(term, ox.BlankNode):
        return ("b", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        language = term.language
        return ("l", term.value, None if datatype in (XSD_STRING, RDF_LANG_STRING) else datatype, language)
    raise UsageError(f"unsupported RDF term {term!r}")


def _to_ox(term: Term) -> Any:
    if term[0] == "i":
        return ox.NamedNode(term[1])
    if term[0] == "b":
        return ox.BlankNode(term[1])
    _, value, datatype, language = term
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None)


_NT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _nt_string(value: str) -> str:
    return '"' + "".join(_NT_ESCAPES.get(char, char) for char in value) + '"'


def nt_term(term: Term) -> str:
    """A term in N-Triples syntax (also valid SPARQL); never spans lines."""
    if term[0] == "i":
        return f"<{term[1]}>"
    if term[0] == "b":
        return f"_:{term[1]}"
    _, value, datatype, language = term
    if language:
        return f"{_nt_string(value)}@{language}"
    return _nt_string(value) + (f"^^<{datatype}>" if datatype else "")


# ---------------------------------------------------------------- results
@dataclass
class QueryResult:
    """Rows of RDF terms (None for unbound), a graph for CONSTRUCT / DESCRIBE, or a boolean for ASK.

    ``rows`` and ``graph`` hold rdflib terms, made on first use; ``terms`` and ``triples`` hold
    the engine-neutral terms. ``truncated`` is True when ``limit`` cut rows off.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    terms: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False
    namespaces: dict[str, str] = field(default_factory=dict)
    _rows: list | None = field(default=None, repr=False)
    _graph: Any = field(default=None, repr=False)

    @property
    def rows(self) -> list[tuple["Node | None", ...]]:
        if self._rows is None:
            self._rows = [] if self.kind in ("CONSTRUCT", "DESCRIBE") else [tuple(map(to_rdflib, row)) for row in self.terms]
        return self._rows

    @property
    def graph(self) -> "Graph | None":
        if self.kind not in ("CONSTRUCT", "DESCRIBE"):
            return None
        if self._graph is None:
            from rdflib import Graph

            graph = Graph()
            for prefix, namespace in sorted(self.namespaces.items()):
                graph.bind(prefix, namespace, override=True, replace=True)
            for triple in self.terms:
                graph.add(tuple(map(to_rdflib, triple)))
            self._graph = graph
        return self._graph

    def serialize(self, fmt: str) -> bytes:
        """SPARQL 1.1 results as json, csv, tsv or xml (SELECT, ASK); ttl, nt or jsonld (CONSTRUCT, DESCRIBE)."""
        from . import results

        return results.serialize(self, fmt)


# ---------------------------------------------------------------- engines
def _syntax_message(error: BaseException) -> str:
    text, _, expected = str(error).partition("expected one of")
    text = text.strip().rstrip(":")
    location = text.removeprefix("error at ")
    if location != text:
        line, _, rest = location.partition(":")
        column, _, what = rest.partition(":")
        what = what.strip() or _expected(expected)
        return f"SPARQL syntax error at line {line}, column {column}" + (f": {what}" if what else "")
    return f"SPARQL syntax error: {text}"


def _expected(alternatives: str, most: int = 8) -> str:
    """Oxigraph's "expected one of" list, readable: its tokens, with character classes said as "a name"."""
    classes = re.findall(r"\[[^\]]*\]", alternatives, flags=re.S)
    rest = re.sub(r"\[[^\]]*\]", " ", alternatives, flags=re.S)
    tokens = [quoted or word for quoted, word in re.findall(r'"([^"]+)"|\b([A-Za-z][A-Za-z0-9_]*)\b', rest)]
    tokens = [f'"{token}"' for token in tokens[:most]] + (["..."] if len(tokens) > most else [])
    if any(c != "[_]" for c in classes):
        tokens.append("a name")
    if not tokens:
        return ""
    return "expected " + (tokens[0] if len(tokens) == 1 else ", ".join(tokens[:-1]) + " or " + tokens[-1])


class _Oxigraph:
    """Oxigraph: the curated graph is the named graph :data:`CURATED_GRAPH`, each --data file another."""

    name = "oxigraph"

    def __init__(self, store: Any, size: int | None = None):
        self.store = store
        self.curated = ox.NamedNode(CURATED_GRAPH)
        self.data_graphs = [graph for graph in store.named_graphs() if graph != self.curated]
        self.size = size if size is not None else sum(1 for _ in store.quads_for_pattern(None, None, None, self.curated))

    def __len__(self) -> int:
        return self.size

    def triples(self, s: Term | None, p: Term | None, o: Term | None) -> Iterator[tuple[Term, Term, Term]]:
        pattern = [None if t is None else _to_ox(t) for t in (s, p, o)]
        for quad in self.store.quads_for_pattern(*pattern, self.curated):
            yield _from_ox(quad.subject), _from_ox(quad.predicate), _from_ox(quad.object)

    def ntriples(self, output: BinaryIO | None = None) -> bytes | None:
        return self.store.dump(output, format=ox.RdfFormat.N_TRIPLES, from_graph=self.curated)

    def _dataset(self, text: str, dataset: QueryDataset) -> dict:
        """The graphs of the query: chosen by the caller, else by the text's FROM (Oxigraph reads it), else the default."""
        if dataset.chosen:
            return {"default_graph": [ox.NamedNode(iri) for iri in dataset.default_graphs or ()],
                    "named_graphs": [ox.NamedNode(iri) for iri in dataset.named_graphs or ()]}
        from .sparql_check import scan

        if any(word == "FROM" for word, _ in scan(text).words):
            return {}
        return {"default_graph": [self.curated], "named_graphs": self.data_graphs}

    def run(self, text: str, form: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str],
            dataset: QueryDataset) -> Any:
        text = _with_values(text, bindings)
        try:
            result = self.store.query(text, prefixes=dict(prefixes), base_iri=dataset.base, **self._dataset(text, dataset))
        except SyntaxError as error:
            raise RefusedQuery(_syntax_message(error)) from None
        except RecursionError:
            raise RefusedQuery("the query is nested too deeply to run") from None
        if form == "ASK":
            return bool(result)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return (tuple(map(_from_ox, (t.subject, t.predicate, t.object))) for t in result)
        names = [v.value for v in result.variables]
        return names, (tuple(_from_ox(solution[name]) for name in names) for solution in result)


def _with_values(text: str, bindings: Mapping[str, Term]) -> str:
    """The query with ``VALUES`` for the bound variables at the start of its outermost WHERE group."""
    if not bindings:
        return text
    from .sparql_check import scan

    found = scan(text)
    where = next((offset for word, offset in found.words if word == "WHERE"), None)
    start = next((b for b in found.braces if where is None or b > where), None)
    if start is None:
        raise RefusedQuery("parameters need a query with a WHERE { ... } group")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(nt_term(term) for term in bindings.values())
    return f"{text[:start + 1]} VALUES ({names}) {{ ({values}) }} {text[start + 1:]}"


class _Rdflib:
    """rdflib's SPARQL engine over a Dataset: the reference engine. The curated graph is the
    Dataset's default graph, each --data file a named graph."""

    name = "rdflib"

    def __init__(self, dataset: Any):
        import rdflib.plugins.sparql.algebra  # noqa: F401  the parser's grammar takes seconds to build: build it
        import rdflib.plugins.sparql.parser  # noqa: F401  here, once, and every forked query worker inherits it
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        self.dataset = dataset
        self.default = dataset.graph(DATASET_DEFAULT_GRAPH_ID)

    def __len__(self) -> int:
        return len(self.default)

    def triples(self, s, p, o):
        pattern = tuple(to_rdflib(t) if t is not None else None for t in (s, p, o))
        for triple in self.default.triples(pattern):
            yield tuple(map(from_rdflib, triple))

    def ntriples(self, output: BinaryIO | None = None) -> bytes | None:
        if output is None:
            return self.default.serialize(format="nt", encoding="utf-8")
        self.default.serialize(output, format="nt", encoding="utf-8")
        return None

    def prepare(self, text: str, prefixes: Mapping[str, str], base: str | None = None) -> Any:
        """Parse and translate (under a lock: rdflib's parser is not thread-safe, rdflib issue 1282)."""
        import rdflib.plugins.sparql as rdflib_sparql
        from pyparsing import ParseException
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # never fetch a FROM graph (run() also takes the FROM clauses out)
        with _PARSER_LOCK:
            try:
                return translateQuery(parseQuery(text), base=base, initNs=dict(prefixes))
            except ParseException as error:
                raise RefusedQuery(f"SPARQL syntax error at line {error.lineno}, column {error.col}: {error.msg}") from None
            except RecursionError:
                raise RefusedQuery("the query is nested too deeply to parse") from None
            except Exception as error:  # unknown prefix and the like
                raise RefusedQuery(f"SPARQL error: {error}") from None

    def _graph(self, iri: str) -> "Graph":
        """A read-only view of one graph of the dataset (empty if it holds none of that name)."""
        from rdflib import Graph, URIRef

        return self.default if iri == CURATED_GRAPH else Graph(store=self.dataset.store, identifier=URIRef(iri))

    def _selection(self, defaults: Iterable[str], named: Iterable[str]) -> Any:
        """A Dataset of copies: the merge of ``defaults`` as its default graph, and the ``named`` graphs."""
        from rdflib import Dataset, URIRef
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        selected = Dataset()
        default = selected.graph(DATASET_DEFAULT_GRAPH_ID)
        for iri in defaults:
            default.addN((s, p, o, default) for s, p, o in self._graph(iri))
        for iri in named:
            graph = selected.graph(URIRef(iri))
            graph.addN((s, p, o, graph) for s, p, o in self._graph(iri))
        return selected

    def run(self, text: str, form: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str],
            dataset: QueryDataset) -> Any:
        import warnings

        prepared = self.prepare(text, prefixes, dataset.base)
        clauses = prepared.algebra.get("datasetClause") or []
        target = self.dataset
        if dataset.chosen:
            target = self._selection(dataset.default_graphs or (), dataset.named_graphs or ())
        elif clauses:  # FROM / FROM NAMED: a selection among the graphs held here, never a download
            target = self._selection([str(c.default) for c in clauses if c.default],
                                     [str(c.named) for c in clauses if c.named])
        prepared.algebra["datasetClause"] = None
        try:
            with warnings.catch_warnings():  # rdflib's own query code uses its deprecated Dataset.default_context
                warnings.simplefilter("ignore", DeprecationWarning)
                result = target.query(prepared, initBindings={k: to_rdflib(v) for k, v in bindings.items()})
            if form == "ASK":
                return bool(result.askAnswer)
            if form in ("CONSTRUCT", "DESCRIBE"):
                return (tuple(map(from_rdflib, triple)) for triple in result.graph)
            return [str(v) for v in result.vars], (tuple(map(from_rdflib, row)) for row in result)
        except RecursionError:
            raise RefusedQuery("the query is nested too deeply to run") from None


_PARSER_LOCK = threading.Lock()


def _messages(engine: Any, text: str, form: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str],
              limit: int | None, dataset: QueryDataset = QueryDataset()) -> Iterator[tuple]:
    """The result as a stream of messages: head, row batches, end (with the truncated flag)."""
    try:
        result = engine.run(text, form, bindings, prefixes, dataset)
        if form == "ASK":
            yield ("ask", result)
            return
        if form in ("CONSTRUCT", "DESCRIBE"):
            names, rows = [], result
        else:
            names, rows = result
        yield ("head", names)
        batch: list = []
        count = 0
        for row in rows:
            if limit is not None and count >= limit:
                yield ("rows", batch)
                yield ("end", True)
                return
            batch.append(row)
            count += 1
            if len(batch) >= _BATCH:
                yield ("rows", batch)
                batch = []
        yield ("rows", batch)
        yield ("end", False)
    except UsageError as error:
        yield ("error", type(error).__name__, str(error))
    except RecursionError:
        yield ("error", "RefusedQuery", "the query is nested too deeply to run")
    except MemoryError:
        yield ("error", "QueryOutOfMemory", "the query needed more memory than the limit allows")
    except Exception as error:  # the engine's own evaluation errors
        yield ("error", "RefusedQuery", f"the query failed: {type(error).__name__}: {error}")


def _collect(form: str, messages: Iterable[tuple], namespaces: Mapping[str, str]) -> QueryResult:
    result = QueryResult(form, namespaces=dict(namespaces))
    for message in messages:
        if message[0] == "ask":
            result.boolean = message[1]
        elif message[0] == "head":
            result.variables = message[1]
        elif message[0] == "rows":
            result.terms.extend(message[1])
        elif message[0] == "end":
            result.truncated = message[1]
        elif message[0] == "error":
            raise {"QueryTimeout": QueryTimeout, "QueryTooLarge": QueryTooLarge,
                   "QueryOutOfMemory": QueryOutOfMemory}.get(message[1], RefusedQuery)(message[2])
    return result


class _Worker:
    """A forked process that runs one query at a time for a store and streams the messages back."""

    def __init__(self, backend: Any):
        request_read, self.request_fd = os.pipe()
        self.reply_fd, reply_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the worker: no return from here
            _close_inherited_pipes(keep={request_read, reply_write})
            _serve(backend, request_read, reply_write)
        os.close(request_read)
        os.close(reply_write)
        _PARENT_FDS.update((self.request_fd, self.reply_fd))

    def run(self, request: tuple, timeout: float | None) -> Iterator[tuple]:
        """Send a query; yield its messages until the last one (then the worker is free again).
        ``timeout`` None: no deadline."""
        deadline = None if timeout is None else time.monotonic() + timeout
        _write_message(self.request_fd, request)
        while True:
            header = _read_exact(self.reply_fd, 8, deadline, timeout)
            data = _read_exact(self.reply_fd, struct.unpack("!Q", header)[0], deadline, timeout) if header else None
            if data is None:
                raise self._death()
            message = pickle.loads(data)
            yield message
            if message[0] in ("end", "ask", "error"):
                return

    def _death(self) -> UsageError:
        """Why the worker ended mid-query: an abort or a kill is the memory ceiling (Rust aborts when an
        allocation fails), anything else (SIGSEGV, an uncaught panic) a crash of the engine."""
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGABRT, signal.SIGKILL):
            return QueryOutOfMemory("the query was stopped: it went over the worker's memory limit "
                                 f"({MEMORY_HEADROOM >> 30} GiB); narrow it")
        how = f"signal {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
        return QueryCrashed(f"the query crashed the query engine ({how}) in its worker process; nothing else was "
                            "affected. Simplify the query, and please report it")

    def stop(self) -> None:
        for fd in (self.request_fd, self.reply_fd):
            _PARENT_FDS.discard(fd)
            os.close(fd)
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)


_PARENT_FDS: set[int] = set()  # every worker's pipe ends in this process, closed in each new worker


def _close_inherited_pipes(keep: set[int]) -> None:
    """In a new worker: close the pipes and sockets it inherited (other workers' pipes, a browser
    driver's stdin, a Jupyter kernel's sockets), so that no peer waits on this process for an end of
    file. Regular files stay open: they are the store's own."""
    for fd in _PARENT_FDS - keep:
        os.close(fd)
    try:
        open_fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: the other workers' pipes, closed above, are what matters most
        return
    for fd in open_fds:
        if fd <= 2 or fd in keep or fd in _PARENT_FDS:
            continue
        try:
            mode = os.fstat(fd).st_mode
        except OSError:  # the descriptor of the listing itself, already closed
            continue
        if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            os.close(fd)
_IDLE_WORKERS = 4  # idle workers kept per store
SLOW_AFTER = 1.0  # seconds: a query running longer gets a lower CPU priority than quick ones
SLOW_NICE = 10


def _serve(backend: Any, request_fd: int, reply_fd: int) -> None:
    """The worker's loop: read a request, write its messages; exit when the parent goes away."""
    global _PARSER_LOCK
    _PARSER_LOCK = threading.Lock()  # a lock held by another thread at fork time would never be released here
    code = 0
    try:
        _limit_memory()
        while True:
            header = os.read(request_fd, 8)
            if len(header) < 8:
                break
            size = struct.unpack("!Q", header)[0]
            data = b""
            while len(data) < size:
                chunk = os.read(request_fd, size - len(data))
                if not chunk:
                    raise EOFError
                data += chunk
            for message in _messages(backend, *pickle.loads(data)):
                _write_message(reply_fd, message)
    except BaseException:
        code = 1
    os._exit(code)


def _write_message(fd: int, message: tuple) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(struct.pack("!Q", len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


class _Workers:
    """The worker processes of one store: a query takes an idle one or forks a new one. With
    ``lower_slow`` (a server sets it), a query still running after :data:`SLOW_AFTER` seconds has
    its worker's priority lowered (nice :data:`SLOW_NICE`), so that quick queries keep their share
    of the cores; such a worker is not reused (its priority cannot be raised again)."""

    def __init__(self, backend: Any):
        self.backend = backend
        self.idle: list[_Worker] = []
        self.lock = threading.Lock()
        self.lower_slow = False

    def run(self, request: tuple, timeout: float | None) -> Iterator[tuple]:
        with self.lock:
            worker = self.idle.pop() if self.idle else None
        if worker is None:
            worker = _Worker(self.backend)
        finished = False
        lowered = threading.Event()
        demote = threading.Timer(SLOW_AFTER, _lower_priority, (worker.pid, lowered)) if self.lower_slow else None
        if demote is not None:
            demote.daemon = True
            demote.start()
        try:
            for message in worker.run(request, timeout):
                finished = message[0] in ("end", "ask", "error")  # the last message: the worker is free again
                yield message
        finally:
            if demote is not None:
                demote.cancel()
            if not finished or lowered.is_set():
                worker.stop()  # timed out, crashed, abandoned mid-stream, or slowed down: that worker is done
            else:
                with self.lock:
                    keep = len(self.idle) < _IDLE_WORKERS
                    if keep:
                        self.idle.append(worker)
                if not keep:
                    worker.stop()

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for worker in idle:
            worker.stop()


def _lower_priority(pid: int, lowered: threading.Event) -> None:
    """Give a long-running worker a lower CPU priority than the caller's."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, min(19, os.getpriority(os.PRIO_PROCESS, 0) + SLOW_NICE))
        lowered.set()
    except (OSError, AttributeError):  # gone already, or no priorities on this platform
        pass


def _read_exact(fd: int, size: int, deadline: float | None, timeout: float | None) -> bytes | None:
    chunks, left = [], size
    while left:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and (remaining <= 0 or not select.select([fd], [], [], remaining)[0]):
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped; "
                               "narrow it, or raise --timeout")
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _limit_memory() -> None:
    try:
        import resource

        with open("/proc/self/statm") as handle:
            size = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + MEMORY_HEADROOM, size + MEMORY_HEADROOM))
    except (OSError, ValueError, ImportError):
        pass


# ---------------------------------------------------------------- the store
class Store:
    """RDF data with safe, bounded SPARQL; ``engine`` is "oxigraph" or "rdflib"."""

    def __init__(self, backend: Any, namespaces: Mapping[str, str]):
        self._backend = backend
        self.namespaces = dict(namespaces)
        self._workers = _Workers(backend)
        weakref.finalize(self, self._workers.close)

    @property
    def engine(self) -> str:
        return self._backend.name

    def lower_slow_queries(self) -> None:
        """From now on, give queries running longer than :data:`SLOW_AFTER` seconds a lower CPU priority
        (for a server: cheap queries then keep their share of the cores beside slow ones)."""
        self._workers.lower_slow = True

    def __len__(self) -> int:
        return len(self._backend)

    def triples(self, subject: "Node | None" = None, predicate: "Node | None" = None,
                obj: "Node | None" = None) -> Iterator[tuple["Node", "Node", "Node"]]:
        """Triples of the default graph matching a pattern, as rdflib terms."""
        for triple in self._backend.triples(from_rdflib(subject), from_rdflib(predicate), from_rdflib(obj)):
            yield tuple(map(to_rdflib, triple))

    def terms(self, subject: Term | None = None, predicate: Term | None = None,
              obj: Term | None = None) -> Iterator[tuple[Term, Term, Term]]:
        """Triples of the default graph matching a pattern, as engine-neutral terms (no rdflib terms
        are made: a pass over the whole graph then costs little more than the engine's own)."""
        return self._backend.triples(subject, predicate, obj)

    def value(self, subject: "Node", predicate: "Node") -> "Node | None":
        return next((o for _, _, o in self.triples(subject, predicate, None)), None)

    def ntriples(self, output: BinaryIO | None = None) -> bytes | None:
        """The default graph as N-Triples (unsorted), written to ``output`` (a binary file) if given."""
        return self._backend.ntriples(output)

    def rdflib_graph(self) -> "Graph":
        """A copy of the default graph as an rdflib Graph (for serialisers and comparison)."""
        from rdflib import Graph

        graph = Graph()
        graph.parse(data=self.ntriples(), format="nt")
        for prefix, namespace in sorted(self.namespaces.items()):
            graph.bind(prefix, namespace, override=True, replace=True)
        return graph

    def query(self, text: str, bindings: "Mapping[str, Node] | None" = None, *,
              timeout: float | None = QUERY_TIMEOUT, limit: int | None = QUERY_ROWS,
              default_graphs: Iterable[str] | None = None, named_graphs: Iterable[str] | None = None,
              base: str | None = None) -> QueryResult:
        """Run a checked query in a worker process; ``bindings`` are bound as RDF terms (VALUES), never
        pasted as text.

        ``timeout`` (seconds; None: no deadline) stops the worker at the deadline (:class:`QueryTimeout`);
        ``limit`` (None: no cap) keeps at most that many rows and sets ``truncated``. A query over the
        worker's memory ceiling raises :class:`QueryTooLarge`, one that crashes the engine :class:`QueryCrashed`.

        The dataset, as in the SPARQL 1.1 Protocol: ``default_graphs`` (``default-graph-uri``)
        and ``named_graphs`` (``named-graph-uri``) are IRIs of graphs this store holds: the
        curated graph :data:`CURATED_GRAPH` and the graph of each --data file. The query's
        default graph is then the merge of ``default_graphs``, and ``GRAPH`` sees only
        ``named_graphs``; giving either (an empty list included) replaces any FROM / FROM NAMED
        of the text, and the other one is then empty. Without them, FROM / FROM NAMED in the text
        choose the same way; without those, the default graph is the curated graph and the named
        graphs are the --data graphs. A graph the store does not hold is empty: nothing is ever
        fetched, on either engine.

        ``base`` (an absolute IRI) resolves the relative IRIs of the text, unless it declares its
        own ``BASE``; a text with relative IRIs and no base is refused (:class:`RefusedQuery`).
        """
        form, found = _checked(text)
        terms = _bound_terms(bindings or {}, found.variables)
        undeclared = found.used_prefixes - found.declared_prefixes - set(self.namespaces) - {""}
        if undeclared:
            prefix = sorted(undeclared)[0]
            raise RefusedQuery(f"prefix '{prefix}:' is not declared: add 'PREFIX {prefix}: <...>' to the query, "
                               "or use a prefix of prefixes.tsv")
        if limit is not None and limit < 0:
            raise UsageError("limit must be 0 or more")
        if timeout is not None and timeout <= 0:
            raise UsageError("timeout must be more than 0 seconds")
        dataset = _dataset(default_graphs, named_graphs, base, found)
        request = (text, form, terms, self.namespaces, limit, dataset)
        if hasattr(os, "fork"):
            return _collect(form, self._workers.run(request, timeout), self.namespaces)
        return _collect(form, _messages(self._backend, *request), self.namespaces)


def _dataset(default_graphs: Iterable[str] | None, named_graphs: Iterable[str] | None, base: str | None,
             found: Any) -> QueryDataset:
    """The checked dataset arguments of :meth:`Store.query`."""
    graphs = [None if iris is None else tuple(iris) for iris in (default_graphs, named_graphs)]
    for what, iris in zip(("default graph", "named graph"), graphs):
        for iri in iris or ():
            if not isinstance(iri, str) or not is_iri(iri):
                raise RefusedQuery(f"{what} {iri!r} is not an absolute IRI")
    if base is not None and not is_iri(base):
        raise RefusedQuery(f"the base {base!r} is not an absolute IRI")
    if found.relative_iris and base is None and not any(word == "BASE" for word, _ in found.words):
        raise RefusedQuery(f"the query has the relative IRI {found.relative_iris[0]} and no base IRI to resolve it "
                           "against: write the IRI in full, add BASE <...> to the query, or give a base IRI "
                           "(exograph query --base IRI)")
    return QueryDataset(*graphs, base)


def _bound_terms(bindings: Mapping[str, Any], variables: set[str]) -> dict[str, Term]:
    """Bindings (rdflib terms, or the store's own term tuples) as the store's terms."""
    terms = {}
    for name, value in bindings.items():
        term = value if isinstance(value, tuple) else _rdflib_term(value)
        if term is None or term[0] == "b":
            raise UsageError(f"parameter '{name}' must be an IRI or a literal, not {type(value).__name__}")
        if name not in variables:
            known = ", ".join(f"?{v}" for v in sorted(variables)) or "none"
            raise UsageError(f"the query has no variable ?{name} to bind (its variables: {known})")
        terms[name] = term
    return terms


def _rdflib_term(value: Any) -> Term | None:
    from rdflib.term import Node

    return from_rdflib(value) if isinstance(value, Node) else None


# ---------------------------------------------------------------- making stores
def memory_store(graph: "Graph", engine: str = "oxigraph", data: Iterable[Any] = ()) -> Store:
    """A store holding ``graph`` in memory, with each ``data`` file (see :func:`exograph.datafiles.data_file`)
    as a named graph."""
    from .terms import graph_prefixes

    namespaces = graph_prefixes(graph)
    if engine == "rdflib":
        from rdflib import Dataset

        files = [data_file(item) for item in data]
        backend = _Rdflib(Dataset())
        backend.default.addN((s, p, o, backend.default) for s, p, o in graph)
        for file in files:
            _rdflib_load(backend.dataset, file)
        return Store(backend, namespaces)
    if engine != "oxigraph":
        raise UsageError(f"unknown engine '{engine}': use one of {', '.join(ENGINES)}")
    store = _with_data(data)
    store.bulk_load(input=graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                    to_graph=ox.NamedNode(CURATED_GRAPH))
    return Store(_Oxigraph(store, len(graph)), namespaces)


def _with_data(data: Iterable[Any]) -> Any:
    """An in-memory Oxigraph store holding the --data files, each in its graph (the curated graph comes after)."""
    files = [data_file(item) for item in data]  # every file checked before any is parsed
    store = ox.Store()
    for file in files:
        _oxigraph_load(store, file)
    return store


def is_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI that Oxigraph (and so the store and the SHACL engine) accepts."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def turtle(ntriples: bytes, prefixes: Mapping[str, str]) -> bytes:
    """Turtle of an N-Triples document, written by Oxigraph (rdflib's writer takes minutes at 2M triples):
    subjects in the order of the lines, and the ``@prefix`` lines sorted, so the same input gives the same bytes."""
    triples = (quad.triple for quad in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    lines = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes)).split(b"\n")
    header = 0
    while header < len(lines) and lines[header].startswith(b"@prefix"):
        header += 1
    return b"\n".join(sorted(lines[:header]) + lines[header:])


def write_store(ntriples: bytes, path: Path, namespaces: Mapping[str, str], meta: Mapping[str, Any]) -> None:
    """Write an on-disk Oxigraph store of ``ntriples`` into the new folder ``path``."""
    store = ox.Store(str(path / "oxigraph"))
    store.bulk_load(input=ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(CURATED_GRAPH))
    store.flush()
    store.optimize()
    count = len(store)
    del store
    (path / "meta.json").write_text(json.dumps({**meta, "namespaces": dict(namespaces), "triples": count},
                                               indent=1, sort_keys=True), encoding="utf-8")


def read_meta(path: Path) -> dict | None:
    """The metadata of a written store, or None if there is no complete store at ``path``."""
    try:
        return json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def open_store(path: Path, data: Iterable[Path | str] = ()) -> Store:
    """Open a written store read-only; with ``data``, a copy in memory with the files as named graphs."""
    meta = read_meta(path) or {}
    store = ox.Store.read_only(str(path / "oxigraph"))
    data = list(data)
    if data:
        copy = _with_data(data)
        copy.bulk_extend(store.quads_for_pattern(None, None, None, None))
        store = copy
    return Store(_Oxigraph(store, meta.get("triples")), meta.get("namespaces", {}))


_BUFFER = 16 * 1024 * 1024  # Oxigraph's parsers hold at most this many bytes of one line or term


def _parsed(file: DataFile, load: Any) -> None:
    """Run ``load()`` (a parser of ``file``); its errors become :class:`UsageError` naming ``FILE:line``."""
    fmt = file.format.replace("_", "-")
    try:
        load()
    except SyntaxError as error:
        message = str(error).split(" (line")[0]
        line = getattr(error, "lineno", None) or 0
        if "LoadDocumentCallback" in message:  # a remote @context: Oxigraph refuses to load one
            raise UsageError(f"{file.path}:{line_of(file.path, b'@context') or line_of(file.path, b'@import')}: "
                             "the JSON-LD @context names a document elsewhere, and exograph never fetches one: "
                             "put the context in the file") from None
        raise UsageError(f"{file.path}:{line}: cannot parse {fmt}: {message}") from None
    except MemoryError:
        line, length = long_line(file.path, _BUFFER)
        where = f"{file.path}:{line}: line {line} is {length:,} bytes long" if line else f"{file.path}: a term is too long"
        raise UsageError(f"{where}; the parser reads at most {_BUFFER:,} bytes of one line or term: "
                         "split the value, or leave it out") from None
    except OSError as error:
        raise UsageError(f"{file.path}: {error.strerror or error}") from None


def _curated_written(file: DataFile) -> UsageError:
    line = line_of(file.path, f"<{CURATED_GRAPH}>".encode())
    return UsageError(f"{file.path}:{line}: writes into <{CURATED_GRAPH}>, the curated graph; --data files go to "
                      "graphs of their own: rename that graph")


def _oxigraph_load(store: Any, file: DataFile) -> None:
    """Load a --data file into its graph of ``store`` (which must not hold the curated graph yet)."""
    fmt = getattr(ox.RdfFormat, file.format)
    _parsed(file, lambda: store.bulk_load(path=str(file.path), format=fmt, to_graph=ox.NamedNode(file.graph)))
    if store.contains_named_graph(ox.NamedNode(CURATED_GRAPH)):  # an N-Quads or TriG file naming it
        raise _curated_written(file)


def _rdflib_load(dataset: Any, file: DataFile) -> None:
    """Load a --data file into its graph of an rdflib Dataset, parsed by Oxigraph's parsers as on the
    other engine (same errors; rdflib's own take minutes on a long line and fetch JSON-LD contexts)."""
    graphs: dict[Any, Any] = {}

    def graph(name: Any) -> Any:
        if name not in graphs:
            term = ("i", file.graph) if isinstance(name, ox.DefaultGraph) else _from_ox(name)
            if term == ("i", CURATED_GRAPH):
                raise _curated_written(file)
            graphs[name] = dataset.graph(to_rdflib(term))
        return graphs[name]

    def load() -> None:
        quads = ox.parse(path=str(file.path), format=getattr(ox.RdfFormat, file.format), rename_blank_nodes=True)
        dataset.addN((to_rdflib(_from_ox(q.subject)), to_rdflib(_from_ox(q.predicate)), to_rdflib(_from_ox(q.object)),
                      graph(q.graph_name)) for q in quads)

    _parsed(file, load)


def pyoxigraph_version() -> str:
    return ox.__version__
