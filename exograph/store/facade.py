"""The store: RDF data with safe, bounded SPARQL on either engine (see :mod:`exograph.store`)."""
from __future__ import annotations

import os
import weakref
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable, Iterator, Mapping

from ..problems import UsageError
from ..sparql_check import QUERY_ROWS, QUERY_TIMEOUT
from .errors import RefusedQuery
from .request import bound_terms, checked, dataset
from .results import QueryResult
from .replies import collect, failed, messages, written
from .terms import Term, from_rdflib, to_rdflib
from .workers import Workers

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node


class Store:
    """RDF data with safe, bounded SPARQL; ``engine`` is "oxigraph" or "rdflib"."""

    def __init__(self, backend: Any, namespaces: Mapping[str, str]):
        self._backend = backend
        self.namespaces = dict(namespaces)
        self._workers = Workers(backend)
        weakref.finalize(self, self._workers.close)

    @property
    def engine(self) -> str:
        return self._backend.name

    def lower_slow_queries(self) -> None:
        """From now on, give queries running longer than :data:`SLOW_AFTER` seconds a lower CPU priority
        (for a server: cheap queries then keep their share of the cores beside slow ones)."""
        self._workers.lower_slow = True

    def hold_in_memory(self) -> None:
        """From now on, answer from a copy in memory of a store read from disk (for a server: faster
        queries, at the cost of the graph's memory; the workers share the copy). Idle workers go."""
        if hasattr(self._backend, "hold_in_memory"):
            self._workers.close()
            self._backend.hold_in_memory()

    def __len__(self) -> int:
        return len(self._backend)

    def triples(self, subject: "Node | None" = None, predicate: "Node | None" = None,
                obj: "Node | None" = None) -> Iterator[tuple["Node", "Node", "Node"]]:
        """Triples of the default graph matching a pattern, as rdflib terms."""
        for triple in self._backend.triples(from_rdflib(subject), from_rdflib(predicate), from_rdflib(obj)):
            yield tuple(map(to_rdflib, triple))

    def terms(self, subject: "Term | None" = None, predicate: "Term | None" = None,
              obj: "Term | None" = None) -> Iterator[tuple["Term", "Term", "Term"]]:
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
        request = self._request(text, bindings, timeout, limit, default_graphs, named_graphs, base)
        if hasattr(os, "fork"):
            return collect(request[1], self._workers.run(request, timeout), self.namespaces)
        return collect(request[1], messages(self._backend, *request), self.namespaces)

    async def answer(self, text: str, fmt: str, bindings: "Mapping[str, Node] | None" = None, *,
                     timeout: float | None = QUERY_TIMEOUT, limit: int | None = QUERY_ROWS,
                     default_graphs: Iterable[str] | None = None, named_graphs: Iterable[str] | None = None,
                     base: str | None = None) -> tuple[bytes, bool]:
        """:meth:`query` for a server: the result written in ``fmt`` (see :mod:`.results`) and whether
        rows were cut, awaited in the event loop. The worker writes it (a SELECT with Oxigraph's own
        writers), so no term crosses the pipe and no thread waits; the same bounds and errors."""
        request = self._request(text, bindings, timeout, limit, default_graphs, named_graphs, base)
        if hasattr(os, "fork"):
            message = await self._workers.answer(request, fmt, timeout)
        else:
            import asyncio

            message = await asyncio.to_thread(written, self._backend, *request, fmt)
        if message[0] == "error":
            raise failed(message)
        return message[1], message[2]

    def _request(self, text: str, bindings: "Mapping[str, Node] | None", timeout: float | None, limit: int | None,
                 default_graphs: Iterable[str] | None, named_graphs: Iterable[str] | None, base: str | None) -> tuple:
        """A checked query as a worker takes it: (text, form, terms, namespaces, limit, dataset)."""
        form, found = checked(text)
        terms = bound_terms(bindings or {}, found.variables)
        undeclared = found.used_prefixes - found.declared_prefixes - set(self.namespaces) - {""}
        if undeclared:
            prefix = sorted(undeclared)[0]
            raise RefusedQuery(f"prefix '{prefix}:' is not declared: add 'PREFIX {prefix}: <...>' to the query, "
                               "or use a prefix of prefixes.tsv")
        if limit is not None and limit < 0:
            raise UsageError("limit must be 0 or more")
        if timeout is not None and timeout <= 0:
            raise UsageError("timeout must be more than 0 seconds")
        return text, form, terms, self.namespaces, limit, dataset(default_graphs, named_graphs, base, found)
