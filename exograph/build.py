"""Schema + curated rows -> one graph; written deterministically and atomically."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from . import ntriples
from .curation import compile_curation
from .dataset import describe, read_metadata
from .namespaces import PrefixMap
from .paths import OntologyLayout, read_regular
from .problems import DataProblems, Problem, UsageError, display_path
from .terms import graph_prefixes

_LINE = re.compile(r"line (\d+)", re.I)
_BAD_SYNTAX = re.compile(r"Bad syntax \([^)]*\)")


@dataclass
class Built:
    """A compiled graph as its N-Triples (distinct lines, sorted: the bytes every output is written from)
    and its prefixes, with the problems found, where each node was curated (by IRI) and the row of each
    claim's edge (subject, predicate, object IRIs). ``graph`` gives it as an rdflib Graph, on first use."""

    ntriples: bytes
    namespaces: dict[str, str]
    layout: OntologyLayout
    prefixes: PrefixMap
    schema: Graph
    problems: list[Problem] = field(default_factory=list)
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], tuple[str, int]] = field(default_factory=dict)
    _graph: Graph | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def graph(self) -> Graph:
        """The graph as an rdflib Graph (for the rdflib engine and pySHACL), parsed once from the N-Triples."""
        if self._graph is None:
            graph = self.bound_graph()
            graph.parse(data=self.ntriples, format="nt")
            self._graph = graph
        return self._graph

    def bound_graph(self) -> Graph:
        """An empty rdflib Graph binding the graph's prefixes."""
        graph = Graph()
        for prefix, namespace in self.namespaces.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        return graph


def parse_turtle(path: Path, layout: OntologyLayout) -> tuple[Graph, list[Problem]]:
    """Parse a Turtle file; a syntax error or an ill-typed literal becomes a problem with its 1-based line.

    A missing or unreadable file raises :class:`UsageError` (exit 2): it is not a data problem.
    """
    graph = Graph()
    try:
        data = read_regular(path)
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}; an ontology folder holds schema.ttl, shapes.ttl, prefixes.tsv and curated/") from None
    try:
        graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    except Exception as error:  # rdflib raises several types; the Turtle parser's text holds "at line N"
        text = str(error)
        match = _LINE.search(text)
        line = int(match.group(1)) if match else 0
        syntax = _BAD_SYNTAX.search(text)
        message = syntax.group(0) if syntax else (text.splitlines() or [type(error).__name__])[0]
        return graph, [Problem(display_path(path, layout.root), line, "", "turtle-syntax", message,
                               "fix the Turtle syntax at this line")]
    return graph, _ill_typed(graph, data, display_path(path, layout.root))


def _ill_typed(graph: Graph, data: bytes, shown: str) -> list[Problem]:
    """A problem for each literal whose text is not of its datatype (``"forty"^^xsd:integer``)."""
    lines = data.decode("utf-8", errors="replace").splitlines()
    found = []
    for literal in sorted({o for o in graph.objects() if isinstance(o, Literal) and o.ill_typed}):
        line = next((n for n, text in enumerate(lines, 1) if f'"{literal}"' in text), 0)
        found.append(Problem(shown, line, "", "ill-typed-literal",
                             f"'{literal}' is not a valid {graph.namespace_manager.normalizeUri(literal.datatype)}",
                             "write a value of that datatype, or change the datatype"))
    return found


def _bad_iris(lines: list[str], iris: set[str], locations: dict[str, tuple[str, int]], schema: str) -> list[Problem]:
    """A problem for each IRI that the store, the SHACL engine or an RDF writer would refuse (the last
    check before writing), judged by Oxigraph's IRI parser (RFC 3987), on each triple holding it.
    ``iris`` are the IRIs that can be malformed: those of the schema and those made from cells."""
    from .store import is_iri

    bad = {value for value in iris if not is_iri(value)}  # each IRI parsed once
    if not bad:
        return []
    found = []
    for text in lines:
        terms = ntriples.split(text)
        for term in terms:
            if term.startswith("<") and term[1:-1] in bad:
                file, line = locations.get(terms[0][1:-1], (schema, 0))
                found.append(Problem(file, line, "", "bad-iri", f"'{term[1:-1]}' is not a valid IRI",
                                     "correct the identifier or the prefix expansion it comes from"))
    return sorted(set(found))


def _namespaces(schema: Graph, prefixes: PrefixMap) -> dict[str, str]:
    """The graph's prefixes: rdflib's, the schema's where they do not clash, then the declared ones."""
    graph = Graph()
    for prefix, namespace in schema.namespaces():
        graph.bind(prefix, namespace, override=False)
    prefixes.bind_all(graph)
    return graph_prefixes(graph)


def _lines(graph: Graph) -> list[str]:
    """The N-Triples lines of a (small) rdflib graph, as rdflib writes them."""
    return graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")[:-1]


def compile_ontology(ontology: Path | str | None = None) -> Built:
    """Compile an ontology folder into one graph (schema + curated claims); never raises on bad data."""
    layout = OntologyLayout(ontology)
    layout.check()
    prefixes, problems = PrefixMap.load(layout.prefixes, layout.root)
    schema, schema_problems = parse_turtle(layout.schema, layout)
    schema_lines = _lines(schema)
    if problems or schema_problems:  # without the prefixes or the schema every row would fail: report them alone
        return Built(ntriples.document(schema_lines), graph_prefixes(schema), layout, prefixes, schema,
                     problems + schema_problems)
    compiled = compile_curation(layout, prefixes, schema)
    lines = compiled.lines
    lines += schema_lines
    namespaces = _namespaces(schema, prefixes)
    schema_iris = {str(term) for triple in schema for term in triple if isinstance(term, URIRef)}
    problems = compiled.problems + _bad_iris(lines, compiled.minted | schema_iris, compiled.locations,
                                             display_path(layout.schema, layout.root))
    metadata, metadata_problems = read_metadata(layout, compiled.publications)
    problems += metadata_problems
    if metadata is not None and not problems:  # the description counts the graph: only a complete one
        lines = describe(set(lines), namespaces, metadata)
    return Built(ntriples.document(lines), namespaces, layout, prefixes, schema, problems, compiled.locations,
                 compiled.edges)


def build(ontology: Path | str | None = None) -> Built:
    """Compile and raise :class:`DataProblems` if any row is wrong."""
    built = compile_ontology(ontology)
    if built.problems:
        raise DataProblems(built.problems)
    return built
