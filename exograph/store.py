"""The triple store behind exograph: the only module that imports pyoxigraph.

Two engines run the same checked queries: Oxigraph (the default, in memory or an on-disk
store opened read-only) and rdflib (the reference engine). Every query text passes
:func:`check_query` first, which refuses ``SERVICE``, ``FROM`` and updates in microseconds.

Bounds: ``limit`` caps the rows (they stream; ``truncated`` says if more were left), and
``timeout`` runs the query in a forked worker process that is killed at the deadline, so a
slow operator inside the engine cannot outlive it and other threads of the caller are never
blocked. The worker also has a memory ceiling.
"""
from __future__ import annotations

import functools
import json
import os
import pickle
import select
import signal
import struct
import sys
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable, Iterator, Mapping

import pyoxigraph as ox

from .problems import UsageError
from .sparql_check import QueryCheckError, check

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


def check_query(text: str) -> str:
    """The form of a query ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"), or :class:`RefusedQuery`.

    Refuses SERVICE, FROM / FROM NAMED and updates before execution, whatever the case,
    comments, ``\\uXXXX`` escapes or nesting; raises :class:`QueryTooLarge` for an oversized text.
    """
    try:
        return check(text)[0]
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
    text = str(error).split("expected one of")[0].strip().rstrip(":")
    location = text.removeprefix("error at ")
    if location != text:
        line, _, rest = location.partition(":")
        column, _, what = rest.partition(":")
        what = what.strip()
        return f"SPARQL syntax error at line {line}, column {column}" + (f": {what}" if what else "")
    return f"SPARQL syntax error: {text}"


class _Oxigraph:
    name = "oxigraph"

    def __init__(self, store: Any):
        self.store = store

    def __len__(self) -> int:
        return len(self.store)

    def triples(self, s: Term | None, p: Term | None, o: Term | None) -> Iterator[tuple[Term, Term, Term]]:
        pattern = [None if t is None else _to_ox(t) for t in (s, p, o)]
        for quad in self.store.quads_for_pattern(*pattern, ox.DefaultGraph()):
            yield _from_ox(quad.subject), _from_ox(quad.predicate), _from_ox(quad.object)

    def ntriples(self, output: BinaryIO | None = None) -> bytes | None:
        return self.store.dump(output, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())

    def run(self, text: str, form: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str]) -> Any:
        try:
            result = self.store.query(_with_values(text, bindings), prefixes=dict(prefixes))
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
    """rdflib's SPARQL engine over a Dataset: the reference engine."""

    name = "rdflib"

    def __init__(self, dataset: Any):
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

    def prepare(self, text: str, prefixes: Mapping[str, str]) -> Any:
        """Parse and translate (under a lock: rdflib's parser is not thread-safe, rdflib issue 1282)."""
        import rdflib.plugins.sparql as rdflib_sparql
        from pyparsing import ParseException
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery

        rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # never fetch a FROM graph, even if the check were bypassed
        with _PARSER_LOCK:
            try:
                return translateQuery(parseQuery(text), initNs=dict(prefixes))
            except ParseException as error:
                raise RefusedQuery(f"SPARQL syntax error at line {error.lineno}, column {error.col}: {error.msg}") from None
            except RecursionError:
                raise RefusedQuery("the query is nested too deeply to parse") from None
            except Exception as error:  # unknown prefix and the like
                raise RefusedQuery(f"SPARQL error: {error}") from None

    def run(self, text: str, form: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str]) -> Any:
        import warnings

        prepared = self.prepare(text, prefixes)
        try:
            with warnings.catch_warnings():  # rdflib's own query code uses its deprecated Dataset.default_context
                warnings.simplefilter("ignore", DeprecationWarning)
                result = self.dataset.query(prepared, initBindings={k: to_rdflib(v) for k, v in bindings.items()})
            if form == "ASK":
                return bool(result.askAnswer)
            if form in ("CONSTRUCT", "DESCRIBE"):
                return (tuple(map(from_rdflib, triple)) for triple in result.graph)
            return [str(v) for v in result.vars], (tuple(map(from_rdflib, row)) for row in result)
        except RecursionError:
            raise RefusedQuery("the query is nested too deeply to run") from None


_PARSER_LOCK = threading.Lock()


def _messages(engine: Any, text: str, form: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str],
              limit: int | None) -> Iterator[tuple]:
    """The result as a stream of messages: head, row batches, end (with the truncated flag)."""
    try:
        result = engine.run(text, form, bindings, prefixes)
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
        yield ("error", "QueryTooLarge", "the query needed more memory than the limit allows")
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
            raise {"QueryTimeout": QueryTimeout, "QueryTooLarge": QueryTooLarge}.get(message[1], RefusedQuery)(message[2])
    return result


class _Worker:
    """A forked process that runs one query at a time for a store and streams the messages back."""

    def __init__(self, backend: Any):
        request_read, self.request_fd = os.pipe()
        self.reply_fd, reply_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the worker: no return from here
            for fd in _PARENT_FDS | {self.request_fd, self.reply_fd}:
                os.close(fd)
            _serve(backend, request_read, reply_write)
        os.close(request_read)
        os.close(reply_write)
        _PARENT_FDS.update((self.request_fd, self.reply_fd))

    def run(self, request: tuple, timeout: float) -> Iterator[tuple]:
        """Send a query; yield its messages until the last one (then the worker is free again)."""
        deadline = time.monotonic() + timeout
        _write_message(self.request_fd, request)
        while True:
            header = _read_exact(self.reply_fd, 8, deadline, timeout)
            data = _read_exact(self.reply_fd, struct.unpack("!Q", header)[0], deadline, timeout) if header else None
            if data is None:
                raise QueryTooLarge("the query was stopped: it went over the worker's memory limit or crashed the engine")
            message = pickle.loads(data)
            yield message
            if message[0] in ("end", "ask", "error"):
                return

    def stop(self) -> None:
        for fd in (self.request_fd, self.reply_fd):
            _PARENT_FDS.discard(fd)
            os.close(fd)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)


_PARENT_FDS: set[int] = set()  # every worker's pipe ends in this process, closed in each new worker
_IDLE_WORKERS = 4  # idle workers kept per store


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
    """The worker processes of one store: a query takes an idle one or forks a new one."""

    def __init__(self, backend: Any):
        self.backend = backend
        self.idle: list[_Worker] = []
        self.lock = threading.Lock()

    def run(self, request: tuple, timeout: float) -> Iterator[tuple]:
        with self.lock:
            worker = self.idle.pop() if self.idle else None
        if worker is None:
            worker = _Worker(self.backend)
        finished = False
        try:
            for message in worker.run(request, timeout):
                finished = message[0] in ("end", "ask", "error")  # the last message: the worker is free again
                yield message
        finally:
            if not finished:  # timed out, crashed or abandoned mid-stream: that worker is done
                worker.stop()
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


def _read_exact(fd: int, size: int, deadline: float, timeout: float) -> bytes | None:
    chunks, left = [], size
    while left:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
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

    def __len__(self) -> int:
        return len(self._backend)

    def triples(self, subject: "Node | None" = None, predicate: "Node | None" = None,
                obj: "Node | None" = None) -> Iterator[tuple["Node", "Node", "Node"]]:
        """Triples of the default graph matching a pattern, as rdflib terms."""
        for triple in self._backend.triples(from_rdflib(subject), from_rdflib(predicate), from_rdflib(obj)):
            yield tuple(map(to_rdflib, triple))

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

    def query(self, text: str, bindings: "Mapping[str, Node] | None" = None, *, timeout: float | None = None,
              limit: int | None = None) -> QueryResult:
        """Run a checked query; ``bindings`` are bound as RDF terms (VALUES), never pasted as text.

        ``timeout`` (seconds) runs it in a worker process killed at the deadline
        (:class:`QueryTimeout`); ``limit`` keeps at most that many rows and sets ``truncated``.
        """
        try:
            form, found = check(text)
        except QueryCheckError as error:
            raise (QueryTooLarge if error.kind == "size" else RefusedQuery)(str(error)) from None
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
        request = (text, form, terms, self.namespaces, limit)
        if timeout is not None and hasattr(os, "fork"):
            return _collect(form, self._workers.run(request, timeout), self.namespaces)
        return _collect(form, _messages(self._backend, *request), self.namespaces)


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
def memory_store(graph: "Graph", engine: str = "oxigraph", data: Iterable[Path | str] = ()) -> Store:
    """A store holding ``graph`` in memory, with each ``data`` file as a named graph."""
    from .terms import graph_prefixes

    namespaces = graph_prefixes(graph)
    if engine == "rdflib":
        from rdflib import Dataset

        backend = _Rdflib(Dataset())
        backend.default.addN((s, p, o, backend.default) for s, p, o in graph)
        for path in data:
            _rdflib_load(backend.dataset, Path(path))
        return Store(backend, namespaces)
    if engine != "oxigraph":
        raise UsageError(f"unknown engine '{engine}': use one of {', '.join(ENGINES)}")
    store = ox.Store()
    store.bulk_load(input=graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    for path in data:
        _oxigraph_load(store, Path(path))
    return Store(_Oxigraph(store), namespaces)


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
    store.bulk_load(input=ntriples, format=ox.RdfFormat.N_TRIPLES)
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
        copy = ox.Store()
        copy.bulk_extend(store.quads_for_pattern(None, None, None, None))
        for file in data:
            _oxigraph_load(copy, Path(file))
        store = copy
    return Store(_Oxigraph(store), meta.get("namespaces", {}))


_RDF_FORMATS = {".nt": "N_TRIPLES", ".ttl": "TURTLE", ".nq": "N_QUADS", ".trig": "TRIG", ".jsonld": "JSON_LD",
                ".rdf": "RDF_XML", ".owl": "RDF_XML", ".xml": "RDF_XML"}


def _data_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in _RDF_FORMATS:
        raise UsageError(f"{path}: unknown RDF format '{suffix}'; use .nt, .ttl, .nq, .trig, .jsonld or .rdf")
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    return _RDF_FORMATS[suffix]


def data_graph_iri(path: Path) -> str:
    """The named graph that a ``--data`` file is loaded into: its ``file:`` IRI."""
    return Path(path).resolve().as_uri()


def _oxigraph_load(store: Any, path: Path) -> None:
    fmt = getattr(ox.RdfFormat, _data_format(path))
    graph = None if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG) else ox.NamedNode(data_graph_iri(path))
    try:
        store.bulk_load(path=str(path), format=fmt, to_graph=graph) if graph else store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as error:
        line = getattr(error, "lineno", None) or 0
        message = str(error).split(" (line")[0]
        raise UsageError(f"{path}:{line}: cannot parse {fmt}: {message}") from None


def _rdflib_load(dataset: Any, path: Path) -> None:
    from rdflib import URIRef

    fmt = {"N_TRIPLES": "nt", "TURTLE": "turtle", "N_QUADS": "nquads", "TRIG": "trig", "JSON_LD": "json-ld",
           "RDF_XML": "xml"}[_data_format(path)]
    try:
        if fmt in ("nquads", "trig"):
            dataset.parse(path, format=fmt)
        else:
            dataset.graph(URIRef(data_graph_iri(path))).parse(path, format=fmt)
    except Exception as error:
        import re

        match = re.search(r"line (\d+)", str(error))
        raise UsageError(f"{path}:{match.group(1) if match else 0}: cannot parse {fmt}: {str(error).splitlines()[0]}") from None


def pyoxigraph_version() -> str:
    return ox.__version__
