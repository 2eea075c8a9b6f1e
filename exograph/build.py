"""Schema + curated rows -> one graph; written deterministically and atomically."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from .curation import compile_curation
from .dataset import describe, read_metadata
from .namespaces import PrefixMap
from .paths import OntologyLayout, read_regular
from .problems import DataProblems, Problem, UsageError, display_path

_LINE = re.compile(r"line (\d+)", re.I)
_BAD_SYNTAX = re.compile(r"Bad syntax \([^)]*\)")


@dataclass
class Built:
    """A compiled graph with the problems found and where each node was curated."""

    graph: Graph
    layout: OntologyLayout
    prefixes: PrefixMap
    problems: list[Problem] = field(default_factory=list)
    locations: dict[URIRef, tuple[str, int]] = field(default_factory=dict)


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


def _bad_iris(graph: Graph, built_locations: dict, schema: str) -> list[Problem]:
    """A problem for each IRI that the store, the SHACL engine or an RDF writer would refuse (the last
    check before writing), judged by Oxigraph's IRI parser (RFC 3987)."""
    from .store import is_iri

    iris = {term for triple in graph for term in triple if isinstance(term, URIRef)}
    bad = {iri for iri in iris if not is_iri(iri)}  # each IRI parsed once
    if not bad:
        return []
    found = []
    for triple in graph:
        for term in triple:
            if term in bad:
                file, line = built_locations.get(triple[0], (schema, 0))
                found.append(Problem(file, line, "", "bad-iri", f"'{term}' is not a valid IRI",
                                     "correct the identifier or the prefix expansion it comes from"))
    return sorted(set(found))


def compile_ontology(ontology: Path | str | None = None) -> Built:
    """Compile an ontology folder into one graph (schema + curated claims); never raises on bad data."""
    layout = OntologyLayout(ontology)
    layout.check()
    prefixes, problems = PrefixMap.load(layout.prefixes, layout.root)
    schema, schema_problems = parse_turtle(layout.schema, layout)
    if problems or schema_problems:  # without the prefixes or the schema every row would fail: report them alone
        return Built(schema, layout, prefixes, problems + schema_problems)
    compiled = compile_curation(layout, prefixes, schema)
    graph = compiled.graph  # the schema is added in place: `schema + compiled.graph` copied every triple
    graph.addN((s, p, o, graph) for s, p, o in schema)
    for prefix, namespace in schema.namespaces():
        graph.bind(prefix, namespace, override=False)
    prefixes.bind_all(graph)
    problems = compiled.problems + _bad_iris(graph, compiled.locations, display_path(layout.schema, layout.root))
    metadata, metadata_problems = read_metadata(layout, graph)
    problems += metadata_problems
    if metadata is not None and not problems:  # the description counts the graph: only a complete one
        describe(graph, metadata)
    return Built(graph, layout, prefixes, problems, compiled.locations)


def build(ontology: Path | str | None = None) -> Built:
    """Compile and raise :class:`DataProblems` if any row is wrong."""
    built = compile_ontology(ontology)
    if built.problems:
        raise DataProblems(built.problems)
    return built


def write_outputs(built: Built, out_dir: Path, formats: tuple[str, ...] = ("ttl", "nt", "jsonld")) -> list[Path]:
    """Write the graph in each format, and its Oxigraph store in ``store/``, into ``out_dir``: the
    set as a whole (see :func:`write_folder_atomic`)."""
    from .atomic import write_folder_atomic
    from .cache import publish
    from .export import dump

    def fill(folder: Path) -> list[str]:
        names = [dump(built.graph, fmt, folder / f"exograph.{fmt}").name for fmt in formats]
        if "nt" in formats:  # the store is loaded from the N-Triples just written
            names.append(publish(built, folder).name)
        return names

    return write_folder_atomic(out_dir, fill)
