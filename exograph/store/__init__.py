"""The triple store behind exograph: the only package that imports pyoxigraph.

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

One job per module: :mod:`.terms` (engine-neutral terms), :mod:`.request` (the check, dataset and
parameters of a query), :mod:`.oxigraph` and :mod:`.reference` (the two engines), :mod:`.workers`
(the bounds), :mod:`.replies` (what a worker sends back), :mod:`.results` (results and their writers),
:mod:`.facade` (:class:`Store`), :mod:`.files` (making, writing and opening stores) and :mod:`.datafiles`
(the --data files).
"""
from ..namespaces import CURATED_GRAPH
from .errors import QueryCrashed, QueryOutOfMemory, QueryTimeout, QueryTooLarge, RefusedQuery
from .facade import Store
from .files import ENGINES, memory_store, ntriples_store, open_store, pyoxigraph_version, read_meta, turtle, write_store
from .request import QueryDataset, check_query, is_iri
from .results import QueryResult
from .terms import RDF_LANG_STRING, XSD_STRING, Term, from_rdflib, nt_term, to_rdflib
from .workers import MEMORY_HEADROOM, SLOW_AFTER

__all__ = [
    "CURATED_GRAPH", "ENGINES", "MEMORY_HEADROOM", "RDF_LANG_STRING", "SLOW_AFTER", "XSD_STRING",
    "QueryCrashed", "QueryDataset", "QueryOutOfMemory", "QueryResult", "QueryTimeout", "QueryTooLarge",
    "RefusedQuery", "Store", "Term", "check_query", "from_rdflib", "is_iri", "memory_store", "nt_term", "ntriples_store",
    "open_store", "pyoxigraph_version", "read_meta", "to_rdflib", "turtle", "write_store",
]
