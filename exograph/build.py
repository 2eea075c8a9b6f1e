"""Schema + curated rows -> one graph; written deterministically and atomically."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from .curation import compile_curation
from .namespaces import PrefixMap
from .paths import OntologyLayout
from .problems import DataProblems, Problem, display_path

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
    """Parse a Turtle file; a syntax error becomes a problem with its 1-based line."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises several types; the Turtle parser's text holds "at line N"
        text = str(error)
        match = _LINE.search(text)
        line = int(match.group(1)) if match else 0
        syntax = _BAD_SYNTAX.search(text)
        message = syntax.group(0) if syntax else (text.splitlines() or [type(error).__name__])[0]
        return graph, [Problem(display_path(path, layout.root), line, "", "turtle-syntax", message,
                               "fix the Turtle syntax at this line")]
    return graph, []


def compile_ontology(ontology: Path | str | None = None) -> Built:
    """Compile an ontology folder into one graph (schema + curated claims); never raises on bad data."""
    layout = OntologyLayout(ontology)
    missing = [p for p in (layout.schema, layout.prefixes, layout.publications) if not p.is_file()]
    if not layout.root.is_dir() or missing:
        what = layout.root if not layout.root.is_dir() else missing[0]
        raise FileNotFoundError(f"{what}: not found; an ontology folder holds schema.ttl, prefixes.tsv and curated/")
    prefixes = PrefixMap.read(layout.prefixes)
    schema, problems = parse_turtle(layout.schema, layout)
    if problems:  # without a schema every row would fail: report the schema alone
        return Built(schema, layout, prefixes, problems)
    compiled = compile_curation(layout, prefixes, schema)
    graph = compiled.graph  # the schema is added in place: `schema + compiled.graph` copied every triple
    graph.addN((s, p, o, graph) for s, p, o in schema)
    for prefix, namespace in schema.namespaces():
        graph.bind(prefix, namespace, override=False)
    prefixes.bind_all(graph)
    return Built(graph, layout, prefixes, problems + compiled.problems, compiled.locations)


def build(ontology: Path | str | None = None) -> Built:
    """Compile and raise :class:`DataProblems` if any row is wrong."""
    built = compile_ontology(ontology)
    if built.problems:
        raise DataProblems(built.problems)
    return built


def write_outputs(built: Built, out_dir: Path, formats: tuple[str, ...] = ("ttl", "nt", "jsonld")) -> list[Path]:
    """Write the graph in each format into ``out_dir``, each file atomically."""
    from .export import dump

    return [dump(built.graph, fmt, Path(out_dir) / f"exograph.{fmt}") for fmt in formats]
