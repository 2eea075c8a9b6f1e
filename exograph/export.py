"""Writers, one ``dumps_*`` per format, and ``dump`` to write a file atomically.

RDF formats (Turtle, N-Triples, JSON-LD) serialise the whole graph; network formats (GraphML,
GEXF, Cytoscape.js JSON, node-link JSON, KGX TSV) serialise the claim network of
:func:`exograph.network.to_networkx`. Formats without lists (GraphML, GEXF, KGX) pipe-join the
list attributes and leave None values out; ``read_*`` restores the lists. Output depends only
on the graph: nodes and edges are sorted, and GEXF carries no date.
"""
from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from rdflib import Graph

from .atomic import write_bytes_atomic
from .network import LIST_ATTRIBUTES
from .problems import UsageError

if TYPE_CHECKING:
    import networkx

    from .api import KnowledgeGraph

RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


def _sorted_json(value):
    """Order JSON-LD arrays and keys so that output does not depend on hashing."""
    if isinstance(value, dict):
        return {key: _sorted_json(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        items = [_sorted_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


def dumps_ntriples(graph: Graph) -> bytes:
    """N-Triples with sorted lines: the same graph always gives the same bytes."""
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines()
    return b"\n".join(sorted(set(line for line in lines if line.strip()))) + b"\n"


def dumps_turtle(graph: Graph) -> bytes:
    canonical = Graph(bind_namespaces="none")
    canonical.parse(data=dumps_ntriples(graph), format="nt")
    for prefix, namespace in sorted(graph.namespaces()):
        canonical.bind(prefix, namespace)
    return canonical.serialize(format="turtle", encoding="utf-8")


def dumps_jsonld(graph: Graph) -> bytes:
    context = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    return (json.dumps(_sorted_json(document), indent=1, ensure_ascii=False) + "\n").encode("utf-8")


RDF_WRITERS = {"ttl": dumps_turtle, "nt": dumps_ntriples, "jsonld": dumps_jsonld}

SEPARATOR = "|"  # joins list items where a format holds only text, as KGX does


def flatten(values: list[str]) -> str:
    """List items pipe-joined; an item holding the separator cannot be restored, so it is refused."""
    for value in values:
        if SEPARATOR in value:
            raise ValueError(f"cannot pipe-join {value!r}: it holds '{SEPARATOR}'")
    return SEPARATOR.join(values)


def _flat(attributes: dict) -> dict:
    return {name: flatten(value) if isinstance(value, list) else value
            for name, value in attributes.items() if value is not None}


def _flattened(network: "networkx.MultiDiGraph") -> "networkx.MultiDiGraph":
    import networkx

    flat = networkx.MultiDiGraph(**network.graph)
    flat.add_nodes_from((node, _flat(data)) for node, data in network.nodes(data=True))
    flat.add_edges_from((u, v, key, _flat(data)) for u, v, key, data in network.edges(keys=True, data=True))
    return flat


def _restore_lists(network: "networkx.MultiDiGraph") -> "networkx.MultiDiGraph":
    """Split the pipe-joined list attributes again (in place)."""
    items = [data for _, data in network.nodes(data=True)] + [data for _, _, data in network.edges(data=True)]
    for data in items:
        for name in LIST_ATTRIBUTES & data.keys():
            data[name] = data[name].split(SEPARATOR) if data[name] else []
    return network


def _json(document: Any) -> bytes:
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def dumps_graphml(network: "networkx.MultiDiGraph") -> bytes:
    import networkx

    buffer = io.BytesIO()
    networkx.write_graphml(_flattened(network), buffer)
    return buffer.getvalue()


def dumps_gexf(network: "networkx.MultiDiGraph") -> bytes:
    """GEXF 1.2 with the claim CURIEs as edge ids and no modification date."""
    from networkx.readwrite.gexf import GEXFWriter

    flat = _flattened(network)
    for _, _, key, data in flat.edges(keys=True, data=True):
        data["id"] = key
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(flat)
    writer.xml.find("meta").attrib.pop("lastmodifieddate")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def dumps_cyjs(network: "networkx.MultiDiGraph") -> bytes:
    """Cytoscape.js JSON (``elements`` with ``data``), as Cytoscape opens it."""
    import networkx

    return _json(networkx.cytoscape_data(network))


def dumps_node_link(network: "networkx.MultiDiGraph") -> bytes:
    import networkx

    return _json(networkx.node_link_data(network, edges="edges"))


NETWORK_WRITERS: dict[str, Callable[["networkx.MultiDiGraph"], bytes]] = {
    "graphml": dumps_graphml, "gexf": dumps_gexf, "cyjs": dumps_cyjs, "node-link": dumps_node_link}


def read_graphml(path: Path | str) -> "networkx.MultiDiGraph":
    import networkx

    return _restore_lists(networkx.read_graphml(path, force_multigraph=True))


def read_gexf(path: Path | str) -> "networkx.MultiDiGraph":
    import networkx

    network = networkx.read_gexf(path, node_type=None)
    for _, _, data in network.edges(data=True):
        del data["id"]  # the edge id, which is also its key
    return _restore_lists(network)


def read_cyjs(path: Path | str) -> "networkx.MultiDiGraph":
    """A Cytoscape.js file without the ``id`` / ``value`` / ``name`` and ``source`` / ``target`` /
    ``key`` fields that the format repeats in each element's data."""
    import networkx

    network = networkx.cytoscape_graph(json.loads(Path(path).read_text(encoding="utf-8")))
    for _, data in network.nodes(data=True):
        for name in ("id", "value", "name"):
            del data[name]
    for _, _, data in network.edges(data=True):
        for name in ("source", "target", "key"):
            del data[name]
    return network


def read_node_link(path: Path | str) -> "networkx.MultiDiGraph":
    import networkx

    return networkx.node_link_graph(json.loads(Path(path).read_text(encoding="utf-8")), edges="edges")


READERS = {"graphml": read_graphml, "gexf": read_gexf, "cyjs": read_cyjs, "node-link": read_node_link}

# KGX: Biolink categories for the classes that have an obvious one; others keep their exos CURIE.
BIOLINK_CATEGORIES = {
    "exos:Protein": "biolink:Protein",
    "exos:ProteinComplex": "biolink:MacromolecularComplex",
    "exos:NucleicAcid": "biolink:NucleicAcidEntity",
    "exos:Lipid": "biolink:ChemicalEntity",
    "exos:Drug": "biolink:Drug",
    "exos:Metabolite": "biolink:SmallMolecule",
    "exos:CellType": "biolink:Cell",
    "exos:CellularComponent": "biolink:CellularComponent",
    "exos:BiologicalProcess": "biolink:BiologicalProcess",
    "exos:Disease": "biolink:Disease",
    "exos:AnatomicalEntity": "biolink:AnatomicalEntity",
    "exos:Organism": "biolink:OrganismTaxon",
    "exos:ClinicalTrial": "biolink:ClinicalTrial",
}
# KGX column -> network attribute ("id", "subject" and "object" are the node and edge keys).
KGX_NODE_COLUMNS = {"id": "id", "category": "category", "name": "label", "description": "definition",
                    "synonym": "synonyms", "xref": "exact_matches", "iri": "iri",
                    "close_match": "close_matches", "broader": "broader"}
KGX_EDGE_COLUMNS = {"id": "id", "subject": "subject", "predicate": "predicate", "object": "object",
                    "publications": "publications", "has_evidence": "evidence", "knowledge_level": "knowledge_level",
                    "agent_type": "agent_type", "primary_knowledge_source": "primary_knowledge_source",
                    "paraphrase": "paraphrase", "disease_context_qualifier": "disease_context",
                    "species_context_qualifier": "species_context", "model_system": "model_system",
                    "phase": "phase", "polarity": "polarity", "topic": "topic"}


def _cell(value: str | list[str] | None) -> str:
    text = "" if value is None else flatten(value) if isinstance(value, list) else value
    if any(c in text for c in "\t\r\n"):
        raise ValueError(f"cannot write {text!r} to a TSV cell: it holds a tab or line break")
    return text


def _tsv(columns: dict[str, str], rows: Iterable[dict]) -> bytes:
    lines = ["\t".join(columns)]
    lines.extend("\t".join(_cell(row.get(attribute)) for attribute in columns.values()) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


def dumps_kgx(network: "networkx.MultiDiGraph") -> tuple[bytes, bytes]:
    """KGX nodes and edges TSV (sorted by id), lists pipe-joined."""
    nodes = ({**data, "id": node, "category": BIOLINK_CATEGORIES.get(data.get("category_curie"), data.get("category_curie"))}
             for node, data in network.nodes(data=True))
    edges = ({**data, "id": key, "subject": u, "object": v}
             for u, v, key, data in sorted(network.edges(keys=True, data=True), key=lambda edge: edge[2]))
    return _tsv(KGX_NODE_COLUMNS, nodes), _tsv(KGX_EDGE_COLUMNS, edges)


def kgx_paths(path: Path | str) -> tuple[Path, Path]:
    """``PATH_nodes.tsv`` and ``PATH_edges.tsv``, or ``nodes.tsv`` and ``edges.tsv`` in a folder
    (an existing one, or PATH ending with a slash)."""
    folder = Path(path)
    if folder.is_dir() or str(path).endswith(("/", os.sep)):
        return folder / "nodes.tsv", folder / "edges.tsv"
    return folder.with_name(f"{folder.name}_nodes.tsv"), folder.with_name(f"{folder.name}_edges.tsv")


def dump_kgx(network: "networkx.MultiDiGraph", path: Path | str) -> list[Path]:
    return [write_bytes_atomic(target, data) for target, data in zip(kgx_paths(path), dumps_kgx(network))]


WRITERS = {**RDF_WRITERS, **NETWORK_WRITERS}
FORMATS = (*RDF_WRITERS, *NETWORK_WRITERS, "kgx")


def dumps(data: "Graph | networkx.MultiDiGraph", fmt: str) -> bytes:
    """An RDF graph or a claim network serialised in ``fmt`` (one of :data:`WRITERS`), byte-identical for equal input."""
    return WRITERS[fmt](data)


def dump(data: "Graph | networkx.MultiDiGraph", fmt: str, path: Path | str) -> Path:
    return write_bytes_atomic(path, dumps(data, fmt))


def export(kg: "KnowledgeGraph", fmt: str, path: Path | str) -> list[Path]:
    """Write ``kg`` in ``fmt`` (one of :data:`FORMATS`): the graph for RDF formats, else its claim network."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    if fmt in RDF_WRITERS:
        return [dump(kg.rdflib_graph(), fmt, path)]
    network = kg.to_networkx()
    return dump_kgx(network, path) if fmt == "kgx" else [dump(network, fmt, path)]
