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
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from rdflib import Graph

from .atomic import write_bytes_atomic
from .curation import QUALIFIER_SCHEMES
from .namespaces import EXO, EXOS, KNOWLEDGE_SOURCE
from .network import LIST_ATTRIBUTES
from .problems import UsageError
from .terms import graph_prefixes

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
    """Turtle with only the graph's own prefixes, written from the sorted N-Triples: the same graph
    always gives the same bytes."""
    from .store import turtle

    return turtle(dumps_ntriples(graph), graph_prefixes(graph))


def dumps_jsonld(graph: Graph) -> bytes:
    """JSON-LD with the graph's prefixes as context, keys and arrays sorted: written from the sorted
    N-Triples (:mod:`exograph.jsonld`), or by rdflib's writer for what that does not write (blank nodes, lists)."""
    from .jsonld import dumps

    context = graph_prefixes(graph)
    written = dumps(dumps_ntriples(graph), context)
    if written is not None:
        return written
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    return (json.dumps(_sorted_json(document), indent=1, ensure_ascii=False) + "\n").encode("utf-8")


RDF_WRITERS = {"ttl": dumps_turtle, "nt": dumps_ntriples, "jsonld": dumps_jsonld}

# the dataset's release (exograph.dataset.summary): graph attributes of the network formats that keep them
RELEASE_ATTRIBUTES = ("dataset", "title", "version", "version_iri", "issued", "license")
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
    from xml.etree import ElementTree

    from networkx.readwrite.gexf import GEXFWriter

    flat = _flattened(network)
    for _, _, key, data in flat.edges(keys=True, data=True):
        data["id"] = key
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(flat)
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate")
    if "version" in network.graph:  # GEXF keeps no graph attributes: the release goes in the meta description
        ElementTree.SubElement(meta, "description").text = "{title}, version {version} of {issued} ({version_iri}); licence {license}".format(**network.graph)
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

# KGX: every category a Biolink class. Our classes with an obvious Biolink class map to it; the
# others to the Biolink class of what they are (vesicles are cellular components, methods are
# procedures), and what has no Biolink counterpart (advantages, challenges) to biolink:NamedThing.
BIOLINK_CATEGORIES = {
    "exos:VesicleType": "biolink:CellularComponent",
    "exos:ExosomeType": "biolink:CellularComponent",
    "exos:Cargo": "biolink:MolecularEntity",
    "exos:Protein": "biolink:Protein",
    "exos:ProteinComplex": "biolink:MacromolecularComplex",
    "exos:NucleicAcid": "biolink:NucleicAcidEntity",
    "exos:Lipid": "biolink:ChemicalEntity",
    "exos:Drug": "biolink:Drug",
    "exos:Metabolite": "biolink:SmallMolecule",
    "exos:Antigen": "biolink:MolecularEntity",
    "exos:TargetingLigand": "biolink:MolecularEntity",
    "exos:CellType": "biolink:Cell",
    "exos:CellularComponent": "biolink:CellularComponent",
    "exos:BiologicalProcess": "biolink:BiologicalProcess",
    "exos:Method": "biolink:Procedure",
    "exos:IsolationMethod": "biolink:Procedure",
    "exos:CharacterisationMethod": "biolink:Procedure",
    "exos:LoadingMethod": "biolink:Procedure",
    "exos:EngineeringMethod": "biolink:Procedure",
    "exos:Disease": "biolink:Disease",
    "exos:AnatomicalEntity": "biolink:AnatomicalEntity",
    "exos:Organism": "biolink:OrganismTaxon",
    "exos:TherapeuticStrategy": "biolink:Treatment",
    "exos:ClinicalTrial": "biolink:ClinicalTrial",
    "exos:Guideline": "biolink:InformationContentEntity",
    "exos:Publication": "biolink:Publication",
}
# Biolink predicates by the RO / BFO term that the Biolink Model (4.4) lists among their exact
# mappings. Our predicate becomes one of them when the schema says it is skos:exactMatch to that
# term; every other predicate becomes biolink:related_to. Ours is always kept in original_predicate.
BIOLINK_BY_EXACT_MAPPING = {
    "RO:0003001": "biolink:produced_by", "RO:0003000": "biolink:produces", "RO:0001000": "biolink:derives_from",
    "BFO:0000050": "biolink:part_of", "BFO:0000051": "biolink:has_part", "RO:0002350": "biolink:member_of",
    "RO:0001025": "biolink:located_in", "RO:0000056": "biolink:participates_in",
    "RO:0000057": "biolink:has_participant", "RO:0002215": "biolink:capable_of", "RO:0002234": "biolink:has_output",
    "RO:0002436": "biolink:directly_physically_interacts_with", "RO:0002206": "biolink:expressed_in",
}
# Ours, in the infores style of the Biolink information resource registry; not registered there.
KNOWLEDGE_SOURCE_INFORES = "infores:exograph"
# KGX column -> network attribute ("id", "subject" and "object" are the node and edge keys).
KGX_NODE_COLUMNS = {"id": "id", "category": "category", "name": "label", "description": "definition",
                    "synonym": "synonyms", "xref": "exact_matches", "iri": "iri",
                    "close_matches": "close_matches", "broader": "broader"}
KGX_EDGE_COLUMNS = {"id": "id", "subject": "subject", "predicate": "biolink_predicate",
                    "original_predicate": "predicate", "object": "object",
                    "publications": "publications", "has_evidence": "evidence", "knowledge_level": "knowledge_level",
                    "agent_type": "agent_type", "primary_knowledge_source": "infores",
                    "paraphrase": "paraphrase", "disease_context_qualifier": "disease_context",
                    "species_context_qualifier": "species_context", "model_system": "model_system",
                    "phase": "phase", "polarity": "polarity", "topic": "topic",
                    **{column: column for column in QUALIFIER_SCHEMES}, "quantities": "quantities"}


def biolink_predicates(exact_matches: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Our predicate -> Biolink predicate, from (predicate, skos:exactMatch) CURIE pairs of the schema."""
    return {ours: BIOLINK_BY_EXACT_MAPPING[match] for ours, match in exact_matches if match in BIOLINK_BY_EXACT_MAPPING}


def _kgx_node(node: str, data: dict) -> dict:
    return {**data, "id": node, "category": BIOLINK_CATEGORIES.get(data.get("category_curie"), "biolink:NamedThing")}


def _kgx_edge(u: str, v: str, key: str, data: dict, predicates: Mapping[str, str]) -> dict:
    return {**data, "id": key, "subject": u, "object": v, "infores": KNOWLEDGE_SOURCE_INFORES,
            "biolink_predicate": predicates.get(data["predicate"], "biolink:related_to")}


def _cell(value: str | list[str] | None) -> str:
    text = "" if value is None else flatten(value) if isinstance(value, list) else value
    if any(c in text for c in "\t\r\n"):
        raise ValueError(f"cannot write {text!r} to a TSV cell: it holds a tab or line break")
    return text


def _tsv(columns: dict[str, str], rows: Iterable[dict]) -> bytes:
    lines = ["\t".join(columns)]
    lines.extend("\t".join(_cell(row.get(attribute)) for attribute in columns.values()) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


def dumps_kgx(network: "networkx.MultiDiGraph", predicates: Mapping[str, str] | None = None) -> tuple[bytes, bytes]:
    """KGX nodes and edges TSV (sorted by id), lists pipe-joined; ``predicates`` maps ours to Biolink's
    (see :func:`biolink_predicates`)."""
    nodes = (_kgx_node(node, data) for node, data in network.nodes(data=True))
    edges = (_kgx_edge(u, v, key, data, predicates or {})
             for u, v, key, data in sorted(network.edges(keys=True, data=True), key=lambda edge: edge[2]))
    return _tsv(KGX_NODE_COLUMNS, nodes), _tsv(KGX_EDGE_COLUMNS, edges)


def kgx_paths(path: Path | str) -> tuple[Path, Path]:
    """``PATH_nodes.tsv`` and ``PATH_edges.tsv``, or ``nodes.tsv`` and ``edges.tsv`` in a folder
    (an existing one, or PATH ending with a slash)."""
    folder = Path(path)
    if folder.is_dir() or str(path).endswith(("/", os.sep)):
        return folder / "nodes.tsv", folder / "edges.tsv"
    return folder.with_name(f"{folder.name}_nodes.tsv"), folder.with_name(f"{folder.name}_edges.tsv")


def dump_kgx(network: "networkx.MultiDiGraph", path: Path | str, predicates: Mapping[str, str] | None = None) -> list[Path]:
    return [write_bytes_atomic(target, data) for target, data in zip(kgx_paths(path), dumps_kgx(network, predicates))]


EXACT_MATCHES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?predicate ?match WHERE { ?predicate a owl:ObjectProperty ; skos:exactMatch ?match }"""


def schema_biolink_predicates(kg: "KnowledgeGraph") -> dict[str, str]:
    """Our predicates' Biolink predicates, through the schema's skos:exactMatch mappings."""
    result = kg.store.query(EXACT_MATCHES)
    return biolink_predicates((kg.prefixes.compress(p), kg.prefixes.compress(m)) for p, m in result.rows)


# SSSOM: each entity's skos:exactMatch and skos:closeMatch as mappings curated by hand.
SSSOM_COLUMNS = ["subject_id", "subject_label", "subject_category", "predicate_id", "object_id", "mapping_justification"]
SSSOM_PREDICATES = {"exact_matches": "skos:exactMatch", "close_matches": "skos:closeMatch"}
SSSOM_STANDARD = {"skos": "http://www.w3.org/2004/02/skos/core#", "semapv": "https://w3id.org/semapv/vocab/"}


def dumps_sssom(network: "networkx.MultiDiGraph", expansions: Mapping[str, str]) -> bytes:
    """The entity mappings as SSSOM TSV: YAML metadata (with the CURIE map of the prefixes used, and
    the dataset's licence and version when the network carries them) in ``#`` lines, then one row per
    mapping, sorted. ``expansions`` maps prefixes to IRI stems."""
    rows = sorted((node, data.get("label") or "", data.get("category_curie") or "", predicate, target)
                  for node, data in network.nodes(data=True)
                  for attribute, predicate in SSSOM_PREDICATES.items() for target in data.get(attribute) or [])
    used = {curie.partition(":")[0] for row in rows for curie in (row[0], row[2], row[4]) if curie}
    curie_map = {prefix: expansions[prefix] for prefix in sorted(used)} | SSSOM_STANDARD
    header = ["curie_map:", *(f"  {prefix}: {json.dumps(iri)}" for prefix, iri in curie_map.items()),
              f"mapping_set_id: {json.dumps(str(KNOWLEDGE_SOURCE) + 'mappings.sssom.tsv')}",
              'mapping_set_title: "exograph entity mappings"',
              f'license: {json.dumps(network.graph.get("license", "https://spdx.org/licenses/MIT.html"))}']
    if "version" in network.graph:
        header.append(f"mapping_set_version: {json.dumps(network.graph['version'])}")
    lines = [f"#{line}" for line in header] + ["\t".join(SSSOM_COLUMNS)]
    lines += ["\t".join([*row, "semapv:ManualMappingCuration"]) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS = {**RDF_WRITERS, **NETWORK_WRITERS}
FORMATS = (*RDF_WRITERS, *NETWORK_WRITERS, "kgx", "sssom")


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
    from .dataset import summary

    network = kg.to_networkx()
    network.graph.update(summary(kg.store) or {})  # the release, where the format keeps graph attributes
    if fmt == "kgx":
        return dump_kgx(network, path, schema_biolink_predicates(kg))
    if fmt == "sssom":
        expansions = {prefix: p.expansion for prefix, p in kg.prefixes.prefixes.items()} | {"exo": str(EXO), "exos": str(EXOS)}
        return [write_bytes_atomic(path, dumps_sssom(network, expansions))]
    return [dump(network, fmt, path)]
