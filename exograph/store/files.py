"""Making stores: in memory from an rdflib graph (either engine), on disk from N-Triples (written
once, opened read-only), each with the --data files as named graphs; and Turtle written by Oxigraph."""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

import pyoxigraph as ox

from ..namespaces import CURATED_GRAPH
from ..ntriples import count as ntriples_count
from .datafiles import data_file
from ..problems import UsageError
from . import oxigraph, reference
from .facade import Store

if TYPE_CHECKING:
    from rdflib import Graph

ENGINES = ("oxigraph", "rdflib")
_LOAD_PIECE = 32 * 2**20  # bytes of N-Triples per bulk load: at 100k claims 0.3 GiB of loader memory, not 1.3


def memory_store(graph: "Graph", engine: str = "oxigraph", data: Iterable[Any] = ()) -> Store:
    """A store holding ``graph`` in memory, with each ``data`` file (see :func:`.datafiles.data_file`)
    as a named graph."""
    from ..terms import graph_prefixes

    namespaces = graph_prefixes(graph)
    if engine == "rdflib":
        from rdflib import Dataset

        files = [data_file(item) for item in data]
        backend = reference.RdflibEngine(Dataset())
        backend.default.addN((s, p, o, backend.default) for s, p, o in graph)
        for file in files:
            reference.load_data(backend.dataset, file)
        return Store(backend, namespaces)
    if engine != "oxigraph":
        raise UsageError(f"unknown engine '{engine}': use one of {', '.join(ENGINES)}")
    return ntriples_store(graph.serialize(format="nt", encoding="utf-8"), namespaces, data)


def ntriples_store(ntriples: bytes, namespaces: Mapping[str, str], data: Iterable[Any] = ()) -> Store:
    """An in-memory Oxigraph store of a graph's N-Triples (one triple a line, no duplicates, as the
    compiler writes them; no rdflib graph is made), with each ``data`` file as a named graph."""
    store = _with_data(data)
    store.bulk_load(input=ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(CURATED_GRAPH))
    return Store(oxigraph.OxigraphEngine(store, ntriples_count(ntriples)), namespaces)


def _with_data(data: Iterable[Any]) -> Any:
    """An in-memory Oxigraph store holding the --data files, each in its graph (the curated graph comes after)."""
    files = [data_file(item) for item in data]  # every file checked before any is parsed
    store = ox.Store()
    for file in files:
        oxigraph.load_data(store, file)
    return store


def turtle(ntriples: bytes, prefixes: Mapping[str, str]) -> bytes:
    """Turtle of an N-Triples document, written by Oxigraph (rdflib's writer takes minutes at 2M triples):
    subjects in the order of the lines, and the ``@prefix`` lines sorted, so the same input gives the same bytes."""
    quads = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)  # in the default graph: Turtle takes them as they are
    lines = ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes)).split(b"\n")
    header = 0
    while header < len(lines) and lines[header].startswith(b"@prefix"):
        header += 1
    return b"\n".join(sorted(lines[:header]) + lines[header:])


def write_store(ntriples: bytes, path: Path, namespaces: Mapping[str, str], meta: Mapping[str, Any]) -> None:
    """Write an on-disk Oxigraph store of ``ntriples`` into the new folder ``path``."""
    store = ox.Store(str(path / "oxigraph"))
    for piece in _pieces(ntriples, _LOAD_PIECE):  # the loader's memory grows with what one call holds
        store.bulk_load(input=piece, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(CURATED_GRAPH))
    store.flush()
    store.optimize()
    del store
    (path / "meta.json").write_text(json.dumps({**meta, "namespaces": dict(namespaces), "triples": ntriples_count(ntriples)},
                                               indent=1, sort_keys=True), encoding="utf-8")


def _pieces(ntriples: bytes, size: int) -> Iterator[bytes]:
    """``ntriples`` in consecutive pieces of whole lines, each about ``size`` bytes (one copied at a time)."""
    start = 0
    while start < len(ntriples):
        end = ntriples.find(b"\n", start + size) + 1 or len(ntriples)
        yield ntriples[start:end]
        start = end


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
    return Store(oxigraph.OxigraphEngine(store, meta.get("triples"), on_disk=not data), meta.get("namespaces", {}))


_BUFFER = 16 * 1024 * 1024  # Oxigraph's parsers hold at most this many bytes of one line or term


def pyoxigraph_version() -> str:
    return ox.__version__
