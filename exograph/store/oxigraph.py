"""The Oxigraph engine (the default): the curated graph is the named graph :data:`CURATED_GRAPH`,
each --data file another; and the loading of --data files with Oxigraph's parsers, whose errors
name the file and line."""
from __future__ import annotations

import re
from typing import Any, BinaryIO, Iterator, Mapping

import pyoxigraph as ox

from ..namespaces import CURATED_GRAPH
from .datafiles import DataFile, line_of, long_line
from ..problems import UsageError
from .errors import RefusedQuery
from .request import QueryDataset, with_values
from .terms import RDF_LANG_STRING, XSD_STRING, Term

_BUFFER = 16 * 1024 * 1024  # Oxigraph's parsers hold at most this many bytes of one line or term


def from_ox(term: Any) -> Term | None:
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


def to_ox(term: Term) -> Any:
    if term[0] == "i":
        return ox.NamedNode(term[1])
    if term[0] == "b":
        return ox.BlankNode(term[1])
    _, value, datatype, language = term
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None)



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


class OxigraphEngine:
    """Oxigraph over a store: the curated graph is its named graph :data:`CURATED_GRAPH`."""

    name = "oxigraph"

    def __init__(self, store: Any, size: int | None = None, on_disk: bool = False):
        self.store = store
        self.on_disk = on_disk
        self.curated = ox.NamedNode(CURATED_GRAPH)
        self.data_graphs = [graph for graph in store.named_graphs() if graph != self.curated]
        self.size = size if size is not None else sum(1 for _ in store.quads_for_pattern(None, None, None, self.curated))

    def __len__(self) -> int:
        return self.size

    def hold_in_memory(self) -> None:
        """Answer from a copy of an on-disk store in memory: Oxigraph's in-memory store runs the named
        queries 1.2-2.3x faster than its on-disk one (RocksDB), at the cost of holding the graph."""
        if self.on_disk:
            copy = ox.Store()
            copy.bulk_extend(self.store.quads_for_pattern(None, None, None, None))
            self.store, self.on_disk = copy, False

    def triples(self, s: Term | None, p: Term | None, o: Term | None) -> Iterator[tuple[Term, Term, Term]]:
        pattern = [None if t is None else to_ox(t) for t in (s, p, o)]
        for quad in self.store.quads_for_pattern(*pattern, self.curated):
            yield from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)

    def ntriples(self, output: BinaryIO | None = None) -> bytes | None:
        return self.store.dump(output, format=ox.RdfFormat.N_TRIPLES, from_graph=self.curated)

    def _dataset(self, dataset: QueryDataset) -> dict:
        """The graphs of the query: chosen by the caller, else by the text's FROM (Oxigraph reads it), else the default."""
        if dataset.chosen:
            return {"default_graph": [ox.NamedNode(iri) for iri in dataset.default_graphs or ()],
                    "named_graphs": [ox.NamedNode(iri) for iri in dataset.named_graphs or ()]}
        if dataset.from_text:
            return {}
        return {"default_graph": [self.curated], "named_graphs": self.data_graphs}

    def _query(self, text: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str], dataset: QueryDataset) -> Any:
        text = with_values(text, bindings)
        try:
            return self.store.query(text, prefixes=dict(prefixes), base_iri=dataset.base, **self._dataset(dataset))
        except SyntaxError as error:
            raise RefusedQuery(_syntax_message(error)) from None
        except RecursionError:
            raise RefusedQuery("the query is nested too deeply to run") from None

    def run(self, text: str, form: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str],
            dataset: QueryDataset) -> Any:
        result = self._query(text, bindings, prefixes, dataset)
        if form == "ASK":
            return bool(result)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return (tuple(map(from_ox, (t.subject, t.predicate, t.object))) for t in result)
        names = [v.value for v in result.variables]
        return names, (tuple(from_ox(solution[name]) for name in names) for solution in result)

    def write(self, text: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str], dataset: QueryDataset,
              limit: int | None, fmt: str) -> tuple[bytes, bool]:
        """A SELECT query's solutions in ``fmt`` (json, xml, csv, tsv), written by Oxigraph's own writers with
        no term made in Python, and whether ``limit`` cut rows off. The cut is made in TSV, whose every
        solution is one line, then Oxigraph reads those lines back and writes them in ``fmt``."""
        solutions = self._query(text, bindings, prefixes, dataset)
        if limit is None:
            return solutions.serialize(format=RESULT_FORMATS[fmt]), False
        lines = _Lines(limit + 1)  # the header line, then one line per solution
        try:
            solutions.serialize(lines, format=ox.QueryResultsFormat.TSV)
        except _Full:
            pass
        tsv = b"".join(lines.kept)
        if fmt != "tsv":
            tsv = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=RESULT_FORMATS[fmt])
        return tsv, lines.full


RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


class _Full(Exception):
    """Raised through Oxigraph's writer to stop it: the lines wanted are all written."""


class _Lines:
    """A binary file that keeps the first ``wanted`` lines written to it; at any byte past them,
    ``full`` is set and :class:`_Full` stops the writer (so no more rows are computed)."""

    def __init__(self, wanted: int):
        self.wanted = wanted
        self.kept: list[bytes] = []
        self.full = False

    def write(self, data: bytes) -> int:
        if not data:
            return 0
        if self.wanted == 0:
            self.full = True
            raise _Full
        count = data.count(b"\n")
        if count < self.wanted or (count == self.wanted and data.endswith(b"\n")):
            self.kept.append(bytes(data))
            self.wanted -= count
            return len(data)
        end = -1
        for _ in range(self.wanted):
            end = data.index(b"\n", end + 1)
        self.kept.append(bytes(data[:end + 1]))
        self.wanted = 0
        self.full = True
        raise _Full

    def flush(self) -> None:
        pass


def parsed(file: DataFile, load: Any) -> None:
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


def curated_written(file: DataFile) -> UsageError:
    line = line_of(file.path, f"<{CURATED_GRAPH}>".encode())
    return UsageError(f"{file.path}:{line}: writes into <{CURATED_GRAPH}>, the curated graph; --data files go to "
                      "graphs of their own: rename that graph")


def load_data(store: Any, file: DataFile) -> None:
    """Load a --data file into its graph of ``store`` (which must not hold the curated graph yet)."""
    fmt = getattr(ox.RdfFormat, file.format)
    parsed(file, lambda: store.bulk_load(path=str(file.path), format=fmt, to_graph=ox.NamedNode(file.graph)))
    if store.contains_named_graph(ox.NamedNode(CURATED_GRAPH)):  # an N-Quads or TriG file naming it
        raise curated_written(file)
