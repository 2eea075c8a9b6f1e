"""The claim network and its GraphML / GEXF exports against a hand build from the same store.

    python benchmarks/export_bench.py [--ontology DIR] [--store DIR] [--repeat N]

The hand build is what a user would write instead of ``to_networkx``: raw pyoxigraph reads every
triple of the curated graph of the same on-disk store, plain dicts gather each node's values, and
networkx gets the same nodes, edges, keys and attributes (checked equal, attribute order
included). Its exports flatten the lists in place and call networkx's own writer, as exograph's do.
``--store`` opens a written store folder (``exograph build -o OUT`` writes ``OUT/store``) instead of
the cache's store of ``--ontology`` (which a first run builds). Times are CPU seconds in this
process, medians of N interleaved pairs; the ratio is the median of the pairs' ratios.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
EXOS = "https://w3id.org/exograph/schema/"
BIOLINK = "https://w3id.org/biolink/vocab/"
LISTS = ("synonyms", "exact_matches", "close_matches", "broader", "publications", "publication_keys", "quantities")


def hand_network(store, graph, prefixes: dict[str, str]):
    """The claim network from a pyoxigraph ``store``'s named ``graph``, by hand; ``prefixes`` maps prefix to IRI stem."""
    import networkx
    import pyoxigraph as ox

    from exograph.network import CLAIM_SLOTS, NOTATION_SLOTS  # the slot names and predicates, to match exograph's attributes

    stems = sorted(prefixes.items(), key=lambda item: -len(item[1]))  # the longest stem first
    curies: dict[str, str] = {}

    def curie(iri: str) -> str:
        if iri not in curies:
            curies[iri] = next((f"{prefix}:{iri[len(stem):]}" for prefix, stem in stems if iri.startswith(stem)), iri)
        return curies[iri]

    props: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for quad in store.quads_for_pattern(None, None, None, graph):
        props[quad.subject.value][quad.predicate.value].append(quad.object)

    def text(term) -> str | None:
        return None if term is None else curie(term.value) if isinstance(term, ox.NamedNode) else term.value

    def first(node: str, predicate: str):
        values = props[node].get(predicate)
        return values[0] if values else None

    def label(node: str) -> str:
        return text(first(node, RDFS + "label")) or curie(node)

    children = defaultdict(list)
    for node, values in props.items():
        for parent in values.get(RDFS + "subClassOf", ()):
            children[parent.value].append(node)
    categories, queue = set(), [EXOS + "Entity"]
    while queue:
        for child in children[queue.pop()]:
            if child not in categories:
                categories.add(child)
                queue.append(child)
    nodes, edges = {}, []
    for node, values in list(props.items()):
        types = [t.value for t in values.get(RDF + "type", ())]
        if EXOS + "Claim" in types:
            cited = sorted((text(first(pub.value, EXOS + "curationKey")) or curie(pub.value), curie(pub.value))
                           for pub in values.get(BIOLINK + "publications", ()))
            predicate = values[RDF + "predicate"][0].value
            data = {"predicate": curie(predicate), "predicate_label": label(predicate),
                    "publications": [c for _, c in cited], "publication_keys": [k for k, _ in cited]}
            for name, slot in CLAIM_SLOTS.items():
                term = first(node, str(slot))
                data[name] = text(first(term.value, SKOS + "notation")) if term is not None and name in NOTATION_SLOTS \
                    else text(term)
            data["evidence_label"] = label(values[BIOLINK + "has_evidence"][0].value)
            quantities = sorted((q.value for q in values.get(EXOS + "quantity", ())), key=lambda iri: (len(iri), iri))
            data["quantities"] = [label(q) for q in quantities]
            edges.append((text(values[RDF + "subject"][0]), text(values[RDF + "object"][0]), curie(node), data))
            continue
        for cls in types:
            if cls in categories and cls.startswith(EXOS):
                nodes[curie(node)] = {
                    "kind": "entity", "label": text(first(node, RDFS + "label")), "category": label(cls),
                    "category_curie": curie(cls), "iri": node, "definition": text(first(node, SKOS + "definition")),
                    "synonyms": sorted(t.value for t in values.get(SKOS + "altLabel", ())),
                    **{name: sorted(text(t) for t in values.get(SKOS + predicate, ()))
                       for name, predicate in (("exact_matches", "exactMatch"), ("close_matches", "closeMatch"),
                                               ("broader", "broader"))}}
    network = networkx.MultiDiGraph()
    network.add_nodes_from(sorted(nodes.items()))
    network.add_edges_from(sorted(edges, key=lambda edge: edge[2]))
    return network


def hand_export(network, fmt: str, path: Path) -> None:
    """The hand build's lists pipe-joined and its None values left out (in place), then networkx's writer."""
    import networkx

    items = [data for _, data in network.nodes(data=True)] + [data for _, _, data in network.edges(data=True)]
    for data in items:
        for name in [name for name, value in data.items() if value is None]:
            del data[name]
        for name in LISTS:
            if name in data:
                data[name] = "|".join(data[name])
    if fmt == "gexf":
        for _, _, key, data in network.edges(keys=True, data=True):
            data["id"] = key
        networkx.write_gexf(network, path)
    else:
        networkx.write_graphml(network, path)


def contents(graph) -> tuple[list, list]:
    """Nodes and edges with their keys and attributes, attribute order included."""
    return ([(node, list(data.items())) for node, data in graph.nodes(data=True)],
            [(u, v, key, list(data.items())) for u, v, key, data in graph.edges(keys=True, data=True)])


def paired(ours: Callable[[], object], theirs: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """CPU medians of ``ours`` and ``theirs`` over ``repeat`` interleaved pairs, and the median of their ratios."""
    def cpu(action: Callable[[], object]) -> float:
        start = time.process_time()
        action()
        return time.process_time() - start

    pairs = [(cpu(ours), cpu(theirs)) if turn % 2 == 0 else tuple(reversed((cpu(theirs), cpu(ours))))
             for turn in range(repeat)]
    return (statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs),
            statistics.median(a / b for a, b in pairs))


def open_graph(ontology: str | None, store: str | None):
    """The KnowledgeGraph of ``ontology`` and the path of its on-disk store (``store``, or the cache's)."""
    import exograph
    from exograph.api import KnowledgeGraph
    from exograph.cache import cache_root, store_key
    from exograph.namespaces import PrefixMap
    from exograph.paths import OntologyLayout
    from exograph.store import open_store

    if store is None:
        kg = exograph.load(ontology)
        return kg, cache_root() / store_key(kg.layout)
    layout = OntologyLayout(ontology)
    return KnowledgeGraph(open_store(Path(store)), layout, PrefixMap.read(layout.prefixes)), Path(store)


def compare(kg, store_path: Path, repeat: int) -> list[tuple[str, float, float, float]]:
    """(work, exograph s, hand s, ratio) for to_networkx, GraphML and GEXF; the networks are checked equal first."""
    import pyoxigraph as ox

    from exograph.store import CURATED_GRAPH
    from exograph.export import export

    raw = ox.Store.read_only(str(store_path / "oxigraph"))
    stems = {prefix: p.expansion for prefix, p in kg.prefixes.prefixes.items()}

    def hand():
        return hand_network(raw, ox.NamedNode(CURATED_GRAPH), stems)

    assert contents(kg.to_networkx()) == contents(hand()), "the hand build and to_networkx differ"
    rows = [("to_networkx", *paired(kg.to_networkx, hand, repeat))]
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("graphml", "gexf"):
            ours = Path(folder) / f"exograph.{fmt}"
            theirs = Path(folder) / f"hand.{fmt}"
            rows.append((f"export --format {fmt}",
                         *paired(lambda: export(kg, fmt, ours), lambda: hand_export(hand(), fmt, theirs), repeat)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ontology", metavar="DIR", help="ontology folder (default: the bundled one)")
    parser.add_argument("--store", metavar="DIR", help="a written store folder of that ontology (default: the cache's)")
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="interleaved pairs per measurement (default: 3)")
    args = parser.parse_args()

    kg, store_path = open_graph(args.ontology, args.store)
    network = kg.to_networkx()  # imports and the schema, outside the timings
    print(f"{len(kg):,} triples, {network.number_of_nodes():,} entities, {network.number_of_edges():,} claims; "
          f"CPU seconds, medians of {args.repeat} pairs")
    del network
    print(f"{'work':<24}{'exograph':>10}{'hand':>10}{'ratio':>8}")
    for work, ours, theirs, ratio in compare(kg, store_path, args.repeat):
        print(f"{work:<24}{ours:>10.2f}{theirs:>10.2f}{ratio:>7.2f}x", flush=True)


if __name__ == "__main__":
    main()
