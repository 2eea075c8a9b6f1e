"""Export formats: round trips that lose nothing, KGX columns, determinism, and the export command."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from conftest import TESTS, run_cli
from exograph.export import (FORMATS, KGX_EDGE_COLUMNS, KGX_NODE_COLUMNS, NETWORK_WRITERS, RDF_FORMATS, READERS,
                             dump, dump_kgx, dumps, flatten, kgx_paths, schema_biolink_predicates)

KGX_NODES = ["id", "category", "name", "description", "synonym", "xref", "iri"]
KGX_EDGES = ["id", "subject", "predicate", "original_predicate", "object", "publications", "has_evidence", "knowledge_level", "agent_type",
             "primary_knowledge_source", "paraphrase", "disease_context_qualifier", "species_context_qualifier",
             "model_system", "phase", "polarity", "topic", "subject_form_or_variant_qualifier", "subject_aspect_qualifier",
             "subject_direction_qualifier", "subject_specialization_qualifier", "object_aspect_qualifier",
             "object_direction_qualifier", "object_specialization_qualifier", "quantities"]


def contents(network, drop_none: bool) -> tuple[list, list]:
    """Nodes and edges with their attributes, in order; optionally without None values."""
    def clean(data: dict) -> dict:
        return {name: value for name, value in data.items() if not (drop_none and value is None)}
    return ([(node, clean(data)) for node, data in network.nodes(data=True)],
            sorted((u, v, key, clean(data)) for u, v, key, data in network.edges(keys=True, data=True)))


# ---------------------------------------------------------------- network round trips
@pytest.mark.parametrize("fmt", sorted(READERS))
@pytest.mark.parametrize("include_schema", [False, True])
def test_network_formats_round_trip(tmp_path, tiny_graph, fmt, include_schema):
    network = tiny_graph.to_networkx(include_schema=include_schema)
    back = READERS[fmt](dump(network, fmt, tmp_path / f"network.{fmt}"))
    assert back.is_directed() and back.is_multigraph()
    drop_none = fmt in ("graphml", "gexf")  # formats without a null: None values are left out
    assert contents(back, drop_none) == contents(network, drop_none)
    assert back.nodes["exo:CD274"]["synonyms"] == ["B7-H1", "CD274"]
    assert back.nodes["exo:CD274"]["close_matches"] == []


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_network_formats_round_trip_the_curated_graph(tmp_path, real_graph, fmt):
    network = real_graph.to_networkx()
    back = READERS[fmt](dump(network, fmt, tmp_path / f"network.{fmt}"))
    drop_none = fmt in ("graphml", "gexf")
    assert contents(back, drop_none) == contents(network, drop_none)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_lists_are_pipe_joined_where_a_format_has_none(tiny_graph, fmt):
    text = dumps(tiny_graph.to_networkx(), fmt).decode("utf-8")
    assert "B7-H1|CD274" in text
    assert "None" not in text


def test_flatten_refuses_an_item_holding_the_separator():
    assert flatten(["a", "b"]) == "a|b"
    with pytest.raises(ValueError, match="holds '|'"):
        flatten(["a|b"])


def test_gexf_uses_claim_ids_and_no_date(tiny_graph):
    text = dumps(tiny_graph.to_networkx(), "gexf").decode("utf-8")
    assert 'id="claim:tiny-001"' in text
    assert "lastmodifieddate" not in text


def test_cyjs_is_cytoscape_elements(tiny_graph):
    import json

    document = json.loads(dumps(tiny_graph.to_networkx(), "cyjs"))
    nodes = {element["data"]["id"]: element["data"] for element in document["elements"]["nodes"]}
    assert nodes["exo:CD274"]["label"] == "PD-L1"
    edge = next(element["data"] for element in document["elements"]["edges"] if element["data"]["key"] == "claim:tiny-002")
    assert (edge["source"], edge["target"], edge["publications"]) == ("exo:CD274", "exo:PDCD1", ["PMID:30089911"])


# ---------------------------------------------------------------- RDF round trips
@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_formats_are_isomorphic_to_the_curated_graph(real_graph, fmt):
    graph = real_graph.store.rdflib_graph()
    assert isomorphic(Graph().parse(data=dumps(graph, fmt), format=RDF_FORMATS[fmt]), graph)


# ---------------------------------------------------------------- KGX
def test_kgx_columns_and_rows(tmp_path, tiny_graph):
    network = tiny_graph.to_networkx()
    nodes_path, edges_path = dump_kgx(network, tmp_path / "exograph", schema_biolink_predicates(tiny_graph))
    assert (nodes_path.name, edges_path.name) == ("exograph_nodes.tsv", "exograph_edges.tsv")
    nodes = [line.split("\t") for line in nodes_path.read_text(encoding="utf-8").splitlines()]
    edges = [line.split("\t") for line in edges_path.read_text(encoding="utf-8").splitlines()]
    assert nodes[0][:len(KGX_NODES)] == KGX_NODES and nodes[0] == list(KGX_NODE_COLUMNS)
    assert edges[0] == KGX_EDGES == list(KGX_EDGE_COLUMNS)
    assert len(nodes) - 1 == network.number_of_nodes() and len(edges) - 1 == network.number_of_edges()
    rows = {row[0]: dict(zip(nodes[0], row)) for row in nodes[1:]}
    assert rows["exo:CD274"]["category"] == "biolink:Protein"
    assert rows["exo:CD274"]["synonym"] == "B7-H1|CD274"
    assert rows["exo:CD274"]["xref"] == "HGNC:17635"
    assert rows["exo:exosome"]["category"] == "biolink:CellularComponent"
    assert {row["category"].partition(":")[0] for row in rows.values()} == {"biolink"}
    claims = {row[0]: dict(zip(edges[0], row)) for row in edges[1:]}
    assert [row[0] for row in edges[1:]] == sorted(claims)
    assert claims["claim:tiny-003"] | {"paraphrase": ""} == {
        "id": "claim:tiny-003", "subject": "exo:tumour_exosome", "predicate": "biolink:related_to",
        "original_predicate": "exos:negativelyRegulates",
        "object": "exo:t_cell_activation", "publications": "PMID:30089911", "has_evidence": "ECO:0000269",
        "knowledge_level": "knowledge_assertion", "agent_type": "manual_agent",
        "primary_knowledge_source": "infores:exograph", "paraphrase": "",
        "disease_context_qualifier": "exo:melanoma", "species_context_qualifier": "exo:mouse",
        "model_system": "mouse", "phase": "", "polarity": "negative", "topic": "immune",
        "subject_form_or_variant_qualifier": "", "subject_aspect_qualifier": "", "subject_direction_qualifier": "",
        "subject_specialization_qualifier": "exo:CD274", "object_aspect_qualifier": "",
        "object_direction_qualifier": "decreased", "object_specialization_qualifier": "", "quantities": ""}
    assert claims["claim:tiny-005"]["quantities"] == ("vesicle diameter (fixture value, not a finding): 30-150 nm|"
                                                      "fold change (fixture value, not a finding): more than 50-fold")


def test_kgx_into_a_folder(tmp_path):
    assert kgx_paths(tmp_path) == (tmp_path / "nodes.tsv", tmp_path / "edges.tsv")
    assert kgx_paths(f"{tmp_path}/new/") == (tmp_path / "new/nodes.tsv", tmp_path / "new/edges.tsv")
    assert kgx_paths(tmp_path / "kg") == (tmp_path / "kg_nodes.tsv", tmp_path / "kg_edges.tsv")


# ---------------------------------------------------------------- determinism and the command
def test_network_formats_are_byte_identical_across_hash_seeds(tiny_ontology):
    script = ("import hashlib, sys, exograph; from exograph.export import dumps, dumps_kgx, NETWORK_WRITERS\n"
              f"network = exograph.load({str(tiny_ontology)!r}).to_networkx(include_schema=True)\n"
              "blobs = [dumps(network, fmt) for fmt in sorted(NETWORK_WRITERS)] + list(dumps_kgx(network))\n"
              "print([hashlib.sha256(blob).hexdigest() for blob in blobs])")
    digests = set()
    for seed in ("1", "4242"):
        env = dict(os.environ, PYTHONPATH=str(TESTS.parent), PYTHONHASHSEED=seed)
        result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        digests.add(result.stdout)
    assert len(digests) == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_command_writes_each_format(tmp_path, tiny_ontology, tiny_graph, fmt):
    target = tmp_path / "out" / f"exograph.{fmt}"
    result = run_cli("export", "--format", fmt, "-o", str(target), "--ontology", str(tiny_ontology))
    assert result.returncode == 0, result.stderr
    written = kgx_paths(target) if fmt == "kgx" else (target,)
    assert result.stderr.splitlines() == [f"wrote {path}" for path in written]
    assert all(path.stat().st_size > 0 for path in written)
    if fmt in NETWORK_WRITERS:
        assert contents(READERS[fmt](target), True) == contents(tiny_graph.to_networkx(), True)
    if fmt in RDF_FORMATS:
        assert isomorphic(Graph().parse(target, format=RDF_FORMATS[fmt]), tiny_graph.store.rdflib_graph())
    assert not list(target.parent.glob(".*.tmp"))  # atomic writes leave no temporary files
