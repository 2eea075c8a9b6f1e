"""Export speed: the claim network built directly vs by way of rdflib's converter, and each format.

    python benchmarks/export_bench.py [--ontology DIR] [--repeat N] [--scale K ...]

The baseline builds the same network (checked equal) through ``rdflib_to_networkx_multidigraph``,
which first turns every triple into an edge keyed by its predicate; its time alone is shown
too. ``--scale K`` also measures a graph of K renamed copies of the curated entities and
claims (one schema). Times are the best of N runs, in milliseconds.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rdflib import Graph, URIRef  # noqa: E402
from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph  # noqa: E402

import exograph  # noqa: E402
from exograph import network  # noqa: E402
from exograph.api import KnowledgeGraph  # noqa: E402
from exograph.build import Built  # noqa: E402
from exograph.curation import Vocabulary  # noqa: E402
from exograph.export import FORMATS, export  # noqa: E402
from exograph.namespaces import CLAIM, EXO  # noqa: E402


def best_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def via_rdflib(kg: KnowledgeGraph):
    """The claim network read from rdflib's conversion instead of from the store."""
    converted = rdflib_to_networkx_multidigraph(kg.built.graph)
    reader = network._Reader(kg.prefixes, ((s, p, o) for s, o, p in converted.edges(keys=True)))
    return network._claim_network(reader, Vocabulary.from_schema(kg.built.graph))


def contents(graph) -> tuple[list, list]:
    return list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))


def scaled(kg: KnowledgeGraph, copies: int) -> KnowledgeGraph:
    """``copies`` renamed copies of every entity and claim, sharing the schema and publications."""
    if copies == 1:
        return kg
    def local(term) -> bool:
        return isinstance(term, URIRef) and str(term).startswith((str(EXO), str(CLAIM)))

    graph = Graph()
    for prefix, namespace in kg.built.graph.namespaces():
        graph.bind(prefix, namespace)
    for triple in kg.built.graph:
        if not any(map(local, triple)):
            graph.add(triple)
            continue
        for copy in range(copies):
            graph.add(tuple(URIRef(f"{term}_{copy}") if local(term) else term for term in triple))
    return KnowledgeGraph(Built(graph, kg.layout, kg.prefixes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ontology", metavar="DIR", help="ontology folder (default: the bundled one)")
    parser.add_argument("--repeat", type=int, default=5, metavar="N", help="runs per measurement (default: 5)")
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 5], metavar="K", help="graph copies (default: 1 5)")
    args = parser.parse_args()

    start = time.perf_counter()
    curated = exograph.load(args.ontology)
    print(f"build (schema + curated rows): {(time.perf_counter() - start) * 1000:.0f} ms")
    curated.to_networkx()  # import networkx once, outside the timings
    for copies in args.scale:
        kg = scaled(curated, copies)
        stats = kg.stats()
        print(f"\n{'curated graph' if copies == 1 else f'{copies} copies'}: {stats['triples']} triples, "
              f"{stats['entities']} entities, {stats['claims']} claims")
        assert contents(via_rdflib(kg)) == contents(kg.to_networkx()), "the two routes disagree"
        direct = best_ms(kg.to_networkx, args.repeat)
        via = best_ms(lambda: via_rdflib(kg), args.repeat)
        convert = best_ms(lambda: rdflib_to_networkx_multidigraph(kg.built.graph), args.repeat)
        print(f"  to_networkx, from the store            {direct:9.1f} ms")
        print(f"  same network via rdflib's converter    {via:9.1f} ms   ratio {via / direct:.2f} x")
        print(f"    (rdflib_to_networkx_multidigraph alone {convert:7.1f} ms)")
        with tempfile.TemporaryDirectory() as folder:
            for fmt in FORMATS:
                took = best_ms(lambda: export(kg, fmt, Path(folder) / f"exograph.{fmt}"), args.repeat)
                print(f"  export --format {fmt:<10}             {took:9.1f} ms")


if __name__ == "__main__":
    main()
