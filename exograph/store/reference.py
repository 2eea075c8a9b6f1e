"""The rdflib engine, the reference: the curated graph is an rdflib Dataset's default graph, each
--data file a named graph (parsed by Oxigraph's parsers, as on the other engine: the same errors,
and no JSON-LD context is ever fetched)."""
from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any, BinaryIO, Iterable, Mapping

import pyoxigraph as ox

from ..namespaces import CURATED_GRAPH
from .datafiles import DataFile
from .errors import RefusedQuery
from .oxigraph import curated_written, from_ox, parsed
from .request import QueryDataset
from .terms import Term, from_rdflib, to_rdflib

if TYPE_CHECKING:
    from rdflib import Graph


def _new_parser_lock() -> None:
    """In a forked query worker: a lock held by another thread at fork time would never be released there."""
    global _PARSER_LOCK
    _PARSER_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_parser_lock)


class RdflibEngine:
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


def load_data(dataset: Any, file: DataFile) -> None:
    """Load a --data file into its graph of an rdflib Dataset, parsed by Oxigraph's parsers as on the
    other engine (same errors; rdflib's own take minutes on a long line and fetch JSON-LD contexts)."""
    graphs: dict[Any, Any] = {}

    def graph(name: Any) -> Any:
        if name not in graphs:
            term = ("i", file.graph) if isinstance(name, ox.DefaultGraph) else from_ox(name)
            if term == ("i", CURATED_GRAPH):
                raise curated_written(file)
            graphs[name] = dataset.graph(to_rdflib(term))
        return graphs[name]

    def load() -> None:
        quads = ox.parse(path=str(file.path), format=getattr(ox.RdfFormat, file.format), rename_blank_nodes=True)
        dataset.addN((to_rdflib(from_ox(q.subject)), to_rdflib(from_ox(q.predicate)), to_rdflib(from_ox(q.object)),
                      graph(q.graph_name)) for q in quads)

    parsed(file, load)
