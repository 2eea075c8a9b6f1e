"""The ``--data`` files: which named graph each one goes to, and the checks that refuse a file
before any parser sees it (not a regular file, an unknown format, XML entity declarations).

A file's triples all go to its own named graph: ``<file:///its/path>``, or the IRI given as
``FILE=IRI``. N-Quads and TriG keep the graph names they write, and their lines without one
go to the file's graph too. No file may write into the curated graph.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator, NamedTuple

from ..namespaces import CURATED_GRAPH
from ..paths import regular_file
from ..problems import UsageError
from .request import is_iri
FORMATS = {".nt": "N_TRIPLES", ".ttl": "TURTLE", ".nq": "N_QUADS", ".trig": "TRIG", ".jsonld": "JSON_LD",
           ".rdf": "RDF_XML", ".owl": "RDF_XML", ".xml": "RDF_XML"}
_CHUNK = 1 << 20


class DataFile(NamedTuple):
    """One ``--data`` file: its path, the named graph it goes to, and its format (a key of :data:`FORMATS`' values)."""

    path: Path
    graph: str
    format: str


def data_graph_iri(path: Path | str) -> str:
    """The named graph of a ``--data`` file given without a name: its ``file:`` IRI."""
    return Path(path).resolve().as_uri()


def data_file(item: "Path | str | tuple[Path | str, str] | DataFile") -> DataFile:
    """A checked ``--data`` argument: ``FILE``, ``FILE=IRI`` (the graph's name) or a ``(path, iri)`` pair.

    A path that exists is a file even if it holds ``=``. Raises :class:`UsageError` for a
    missing or special file, an unknown suffix, a graph name that is not an absolute IRI or is
    the curated graph's, and an RDF/XML file that declares XML entities.
    """
    if isinstance(item, DataFile):
        return item
    if isinstance(item, tuple):
        path, graph = Path(item[0]), str(item[1])
    else:
        path, graph = Path(item), None
        text = str(item)
        if not os.path.lexists(text) and "=" in text and os.path.lexists(text.split("=", 1)[0]):
            path, graph = Path(text.split("=", 1)[0]), text.split("=", 1)[1]
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"{path}: unknown RDF format '{suffix}'; use .nt, .ttl, .nq, .trig, .jsonld or .rdf "
                         "(FILE=IRI names the file's graph)")
    try:
        regular_file(path)
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}") from None
    if graph is None:
        graph = data_graph_iri(path)
    elif not is_iri(graph):
        raise UsageError(f"{path}: the graph name '{graph}' is not an absolute IRI (give FILE=IRI, e.g. "
                         "data.nt=https://example.org/my-graph)")
    if graph == CURATED_GRAPH:
        raise UsageError(f"{path}: <{CURATED_GRAPH}> is the curated graph; --data files go to graphs of their own: "
                         "choose another name")
    file = DataFile(path, graph, FORMATS[suffix])
    if file.format == "RDF_XML":
        _refuse_entities(path)
    return file


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """(number of the line the chunk starts in, chunk) for the chunks of a file."""
    line = 1
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            yield line, chunk
            line += chunk.count(b"\n")


def line_of(path: Path, needle: bytes) -> int:
    """The number of the first line holding ``needle`` (0 if none), reading the file in chunks."""
    tail = b""
    for line, chunk in _lines(path):
        window = tail + chunk
        at = window.find(needle)
        if at >= 0:
            return line - tail.count(b"\n") + window.count(b"\n", 0, at)
        tail = window[-(len(needle) - 1):] if len(needle) > 1 else b""
    return 0


def long_line(path: Path, limit: int) -> tuple[int, int]:
    """The number and length of the first line longer than ``limit`` bytes, or (0, 0)."""
    number, length = 1, 0
    for _, chunk in _lines(path):
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            if length + end - start > limit:
                return number, length + end - start
            number, length, start = number + 1, 0, end + 1
        length += len(chunk) - start
    return (number, length) if length > limit else (0, 0)


def _refuse_entities(path: Path) -> None:
    """Refuse XML entity declarations (billion laughs, external entities) before any parser expands them."""
    for needle in (b"<!ENTITY", "<!ENTITY".encode("utf-16-le"), "<!ENTITY".encode("utf-16-be")):
        line = line_of(path, needle)
        if line:
            raise UsageError(f"{path}:{line}: the RDF/XML declares an XML entity (<!ENTITY ...>); entities are "
                             "refused, as a small file can expand to gigabytes: write their text in full, or convert "
                             "the file to Turtle or N-Triples")
