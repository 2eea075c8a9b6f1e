"""The Python interface: ``load()`` a graph, ``query()`` it into pandas DataFrames."""
from __future__ import annotations

import contextlib
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

from .paths import OntologyLayout
from .sparql_check import QUERY_ROWS, QUERY_TIMEOUT

if TYPE_CHECKING:
    import networkx
    import pandas
    from rdflib import Graph
    from rdflib.term import Node

    from .build import Built
    from .namespaces import PrefixMap
    from .queries import NamedQuery
    from .store import QueryResult, Store
    from .viewer import View


@contextlib.contextmanager
def named_errors(query: "NamedQuery") -> Iterator[None]:
    """Errors of a query file's query name the file: "queries/x.rq: SPARQL syntax error at line 2 ..."."""
    from .problems import UsageError, display_path

    try:
        yield
    except UsageError as error:
        if query.declared:
            raise type(error)(f"{display_path(query.path)}: {error}") from None
        raise


class KnowledgeGraph:
    """The exograph graph: its store, prefixes, named queries, and (on demand) where each node was curated."""

    def __init__(self, store: "Store", layout: OntologyLayout, prefixes: "PrefixMap", built: "Built | None" = None):
        self.store = store
        self.layout = layout
        self.prefixes = prefixes
        self._built = built
        self._schema: Graph | None = None

    @property
    def built(self) -> "Built":
        """The compiled graph with the row location of every node (compiled on first use)."""
        if self._built is None:
            from .build import build

            self._built = build(self.layout.root)
        return self._built

    @property
    def schema(self) -> "Graph":
        """The ontology's ``schema.ttl`` as an rdflib Graph."""
        if self._schema is None:
            from .build import parse_turtle

            self._schema = parse_turtle(self.layout.schema, self.layout)[0]
        return self._schema

    def rdflib_graph(self) -> "Graph":
        """The whole graph as an rdflib Graph (a copy)."""
        return self.store.rdflib_graph()

    def __len__(self) -> int:
        return len(self.store)

    def __repr__(self) -> str:
        stats = self.stats()
        return (f"<exograph KnowledgeGraph: {stats['claims']} claims, {stats['entities']} entities, "
                f"{stats['publications']} publications, {stats['triples']} triples>")

    def _repr_html_(self) -> str:
        import html

        stats = self.stats()
        cells = "".join(f"<tr><th>{html.escape(k)}</th><td>{stats[k]}</td></tr>"
                        for k in ("claims", "entities", "publications", "triples"))
        queries = html.escape(", ".join(self.queries()))
        return (f"<div><strong>exograph knowledge graph</strong> from <code>{html.escape(str(self.layout.root))}</code>"
                f"<table>{cells}</table><p>Named queries: {queries}</p></div>")

    def queries(self) -> dict[str, "NamedQuery"]:
        """The named queries of this graph's ontology folder."""
        from .queries import named_queries

        return named_queries(self.layout.queries)

    def run(self, name_or_text: str, params: Mapping[str, Any] | None = None, *,
            timeout: float | None = QUERY_TIMEOUT, limit: int | None = QUERY_ROWS, **dataset: Any) -> "QueryResult":
        """Run a named query, an ``.rq`` file or SPARQL text; parameters are bound as RDF terms.

        A query file's ``# param:`` lines say which parameters it takes: a missing or unknown
        one raises :class:`UsageError`; see :mod:`exograph.queries` for how values are read.
        The query runs in a worker process with a memory ceiling, stopped after ``timeout``
        seconds (default 60; None: no deadline), keeping at most ``limit`` rows (default 100,000;
        None: all; ``result.truncated`` says if rows were cut), as the CLI runs it.
        ``default_graphs``, ``named_graphs`` and ``base`` go to :meth:`exograph.store.Store.query`.
        """
        from .queries import resolve

        query = resolve(name_or_text, self.layout.queries)
        bindings = self.bind(query, params or {})
        with named_errors(query):
            return self.store.query(query.text, bindings, timeout=timeout, limit=limit, **dataset)

    def bind(self, query: "NamedQuery", params: Mapping[str, Any]) -> dict[str, tuple]:
        """``params`` checked against ``query``'s and read as the store's terms, as :meth:`run` binds them."""
        from .queries import param_term

        query.check_params(params)
        return {name: self._iri(value) if name in query.iri_params else param_term(value, self.prefixes)
                for name, value in params.items()}

    def _iri(self, value: Any) -> tuple:
        """The node a parameter value names, as the store's term (see :func:`exograph.queries.node_term`):
        labels and synonyms are looked up in the claim network."""
        from .queries import node_term

        def exists(iri: str) -> bool:  # two index lookups in this process: no query to parse, nothing unbounded
            node = ("i", iri)
            return any(True for _ in self.store.terms(node)) or any(True for _ in self.store.terms(None, None, node))

        def entities() -> list[tuple[str, dict]]:
            from .network import entity_nodes  # rdflib and networkx: only when a label is given

            return entity_nodes(self.to_networkx())

        return node_term(value, self.prefixes, exists, entities)

    def query(self, name_or_text: str, *, timeout: float | None = QUERY_TIMEOUT, limit: int | None = QUERY_ROWS,
              **params: Any) -> "pandas.DataFrame":
        """Query results as a DataFrame of plain Python values (CURIE strings, numbers, dates, text).

        ASK gives one column ``answer``; CONSTRUCT and DESCRIBE give ``subject, predicate, object``.
        ``timeout`` and ``limit`` bound the query as in :meth:`run`; when rows were cut, a warning
        says so and ``frame.attrs["truncated"]`` is True.
        """
        result = self.run(name_or_text, params, timeout=timeout, limit=limit)
        if result.truncated:
            warnings.warn(f"the result was cut at {limit:,} rows; pass limit=None (or a larger limit) to get them all",
                          stacklevel=2)
        frame = self._frame(result)
        frame.attrs["truncated"] = result.truncated
        return frame

    def _frame(self, result: "QueryResult") -> "pandas.DataFrame":
        import pandas

        from .terms import plain

        if result.kind == "ASK":
            return pandas.DataFrame({"answer": [result.boolean]})
        if result.graph is not None:
            rows = sorted((plain(s, self.prefixes), plain(p, self.prefixes), plain(o, self.prefixes))
                          for s, p, o in result.graph)
            return pandas.DataFrame(rows, columns=["subject", "predicate", "object"])
        rows = [[plain(term, self.prefixes) for term in row] for row in result.rows]
        return pandas.DataFrame(rows, columns=result.variables)

    def stats(self) -> dict:
        from .stats import graph_stats

        return graph_stats(self.store)

    def serialize(self, fmt: str = "ttl") -> bytes:
        from .export import dumps

        return dumps(self.rdflib_graph(), fmt)

    def to_networkx(self, categories: str | Iterable[str] | None = None, predicates: str | Iterable[str] | None = None,
                    focus: str | None = None, hops: int | None = None, query: str | None = None,
                    include_schema: bool = False) -> "networkx.MultiDiGraph":
        """The claim network (entities as nodes, one edge per claim); see :func:`exograph.network.to_networkx`."""
        from .network import to_networkx

        return to_networkx(self, categories, predicates, focus, hops, query, include_schema)

    def view(self, path: Path | str | None = None, focus: str | None = None, hops: int | None = None,
             categories: str | Iterable[str] | None = None, predicates: str | Iterable[str] | None = None,
             query: str | None = None) -> "View":
        """The interactive HTML view of the claim network (or a selection, as for :meth:`to_networkx`),
        written to ``path`` if given; in Jupyter it shows inline. See :func:`exograph.viewer.make_view`."""
        from .viewer import make_view

        return make_view(self, path, focus=focus, hops=hops, categories=categories, predicates=predicates, query=query)


def load(ontology: Path | str | None = None, *, engine: str = "oxigraph", data: Iterable[Path | str] = ()) -> KnowledgeGraph:
    """The graph of an ontology folder, with ``data`` files as named graphs. The folder is
    ``ontology``, else ``$EXOGRAPH_ONTOLOGY``, else ``./ontology`` in an exograph checkout, else
    the copy that comes with the package, or an editable install's checkout's ``ontology/``
    (see :func:`exograph.paths.resolve_ontology`).

    ``engine="oxigraph"`` opens the folder's built store (building it once if the folder is new
    or changed); ``engine="rdflib"`` compiles the folder and queries it with rdflib, the
    reference engine. Raises :class:`exograph.DataProblems` listing every problem if the
    curated rows are wrong.
    """
    from .namespaces import PrefixMap
    from .store import ENGINES, memory_store

    layout = OntologyLayout(ontology)
    if engine not in ENGINES:
        from .problems import UsageError

        raise UsageError(f"unknown engine '{engine}': use one of {', '.join(ENGINES)}")
    if engine == "rdflib":
        from .build import build

        built = build(layout.root)
        return KnowledgeGraph(memory_store(built.graph, "rdflib", data), layout, built.prefixes, built)
    from .cache import fresh_store

    layout.check()
    store = fresh_store(layout, data)  # built from this prefixes.tsv, so its rows passed the checks
    return KnowledgeGraph(store, layout, PrefixMap.read(layout.prefixes, checked=True))


_DEFAULT: list[KnowledgeGraph] = []
_DEFAULT_LOCK = threading.Lock()


def default_graph() -> KnowledgeGraph:
    """The bundled graph, loaded once per process even when many threads ask at once."""
    with _DEFAULT_LOCK:
        if not _DEFAULT:
            _DEFAULT.append(load())
        return _DEFAULT[0]


def query(name_or_text: str, *, timeout: float | None = QUERY_TIMEOUT, limit: int | None = QUERY_ROWS,
          **params: Any) -> "pandas.DataFrame":
    """Query the bundled graph (loaded once per process) into a DataFrame; see :meth:`KnowledgeGraph.query`."""
    return default_graph().query(name_or_text, timeout=timeout, limit=limit, **params)


def to_networkx(**selection: Any) -> "networkx.MultiDiGraph":
    """The bundled graph's claim network; see :meth:`KnowledgeGraph.to_networkx`."""
    return default_graph().to_networkx(**selection)


def view(path: Path | str | None = None, **selection: Any) -> "View":
    """The bundled graph's interactive view (inline in Jupyter); see :meth:`KnowledgeGraph.view`."""
    return default_graph().view(path, **selection)
