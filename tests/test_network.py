"""The claim network: nodes, edges and their attributes, selections, and mechanism paths."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import networkx
import pytest

from conftest import run_cli
from exograph import UsageError
from exograph.mechanisms import mechanism_paths
from exograph.network import resolve_node, to_networkx


def keys(graph) -> set[str]:
    return {key for _, _, key in graph.edges(keys=True)}


# ---------------------------------------------------------------- the whole network
def test_counts_agree_with_exograph_stats(real_graph):
    result = run_cli("stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    network = real_graph.to_networkx()
    assert network.number_of_nodes() == stats["entities"]
    assert network.number_of_edges() == stats["claims"]


def test_network_is_the_hand_build_of_the_same_store(real_graph):
    """Every node, edge, key and attribute (in order) as raw pyoxigraph + networkx give them by hand from the same
    triples (``benchmarks/export_bench.py``, the baseline to_networkx is timed against)."""
    import pyoxigraph as ox

    from exograph.store import CURATED_GRAPH

    spec = importlib.util.spec_from_file_location("export_bench", Path(__file__).parent.parent / "benchmarks" / "export_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    raw = ox.Store()
    raw.load(real_graph.store.ntriples(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(CURATED_GRAPH))
    stems = {prefix: p.expansion for prefix, p in real_graph.prefixes.prefixes.items()}
    network = real_graph.to_networkx()
    assert bench.contents(network) == bench.contents(bench.hand_network(raw, ox.NamedNode(CURATED_GRAPH), stems))
    assert network.number_of_edges() > 600 and any(data["quantities"] for _, _, data in network.edges(data=True))


def test_entities_without_claims_are_isolated_nodes(tiny_graph):
    network = tiny_graph.to_networkx()
    assert network.number_of_nodes() == 7 and network.number_of_edges() == 5
    assert sorted(networkx.isolates(network)) == ["exo:melanoma", "exo:mouse"]  # named only as claim contexts


def test_only_entities_and_claims_by_default(real_graph):
    network = real_graph.to_networkx()
    assert {data["kind"] for _, data in network.nodes(data=True)} == {"entity"}
    assert all(node.startswith("exo:") for node in network)
    assert all(key.startswith("claim:") for key in keys(network))


def test_node_attributes(tiny_graph):
    node = tiny_graph.to_networkx().nodes["exo:CD274"]
    assert node == {
        "kind": "entity", "label": "PD-L1", "category": "protein", "category_curie": "exos:Protein",
        "iri": "https://w3id.org/exograph/entity/CD274",
        "definition": "Programmed death-ligand 1, an immune checkpoint ligand.",
        "synonyms": ["B7-H1", "CD274"], "exact_matches": ["HGNC:17635"], "close_matches": [], "broader": [],
    }
    assert tiny_graph.to_networkx().nodes["exo:tumour_exosome"]["broader"] == ["exo:exosome"]


def test_one_edge_per_claim_with_its_provenance(tiny_graph):
    network = tiny_graph.to_networkx()
    edge = network.edges["exo:tumour_exosome", "exo:t_cell_activation", "claim:tiny-003"]
    assert edge == {
        "predicate": "exos:negativelyRegulates", "predicate_label": "negatively regulates",
        "publications": ["PMID:30089911"], "publication_keys": ["chen2018"],
        "evidence": "ECO:0000269", "evidence_label": "experimental evidence used in manual assertion",
        "paraphrase": "PD-L1-bearing tumour exosomes suppress CD8 T-cell function.",
        "knowledge_level": "knowledge_assertion", "agent_type": "manual_agent",
        "primary_knowledge_source": "https://w3id.org/exograph/", "model_system": "mouse",
        "disease_context": "exo:melanoma", "species_context": "exo:mouse", "phase": None, "topic": "immune",
        "polarity": "negative", "curator": "fixture", "date": "2026-11-29",
        "subject_form_or_variant_qualifier": None, "subject_aspect_qualifier": None, "subject_direction_qualifier": None,
        "subject_specialization_qualifier": "exo:CD274", "object_aspect_qualifier": None,
        "object_direction_qualifier": "decreased", "object_specialization_qualifier": None, "quantities": [],
    }
    # the opposite claim in another context is kept beside it
    assert network.edges["exo:tumour_exosome", "exo:t_cell_activation", "claim:tiny-004"]["polarity"] == "positive"
    assert network.edges["exo:tumour_exosome", "exo:t_cell_activation", "claim:tiny-004"]["phase"] == "pre_clinical_research_phase"
    assert network.edges["exo:tumour_exosome", "exo:CD274", "claim:tiny-001"]["polarity"] is None
    text_only = network.edges["exo:tumour_exosome", "exo:exosome", "claim:tiny-005"]
    assert (text_only["publications"], text_only["publication_keys"]) == (["pub:textonly2000"], ["textonly2000"])
    assert text_only["quantities"] == ["vesicle diameter (fixture value, not a finding): 30-150 nm",
                                       "fold change (fixture value, not a finding): more than 50-fold"]
    assert network.edges["exo:CD274", "exo:PDCD1", "claim:tiny-002"]["subject_specialization_qualifier"] == "exo:exosome"


def test_nodes_are_sorted(real_graph):
    network = real_graph.to_networkx()
    assert list(network) == sorted(network)


# ---------------------------------------------------------------- selections
@pytest.mark.parametrize("category", ["Protein", "exos:Protein", "PROTEIN", ["Protein", "Antigen"]])
def test_select_by_category(tiny_graph, category):
    network = tiny_graph.to_networkx(categories=category)
    assert sorted(network) == ["exo:CD274", "exo:PDCD1"]
    assert keys(network) == {"claim:tiny-002"}


def test_a_category_selects_its_subclasses(tiny_graph):
    assert sorted(tiny_graph.to_networkx(categories="cargo")) == ["exo:CD274", "exo:PDCD1"]
    assert sorted(tiny_graph.to_networkx(categories="VesicleType")) == ["exo:exosome", "exo:tumour_exosome"]


@pytest.mark.parametrize("predicate", ["positivelyRegulates", "exos:positivelyRegulates", "positively regulates"])
def test_select_by_predicate_keeps_only_the_entities_it_links(tiny_graph, predicate):
    network = tiny_graph.to_networkx(predicates=predicate)
    assert sorted(network) == ["exo:t_cell_activation", "exo:tumour_exosome"]
    assert keys(network) == {"claim:tiny-004"}


@pytest.mark.parametrize("hops, nodes", [
    (0, {"exo:CD274"}),
    (1, {"exo:CD274", "exo:PDCD1", "exo:tumour_exosome"}),
    (2, {"exo:CD274", "exo:PDCD1", "exo:tumour_exosome", "exo:exosome", "exo:t_cell_activation"}),
])
def test_neighbourhood_of_a_node(tiny_graph, hops, nodes):
    network = tiny_graph.to_networkx(focus="PD-L1", hops=hops)
    assert set(network) == nodes
    assert keys(network) == {key for u, v, key in tiny_graph.to_networkx().edges(keys=True) if {u, v} <= nodes}


def test_focus_defaults_to_one_hop_and_combines_with_predicates(tiny_graph):
    assert set(tiny_graph.to_networkx(focus="exo:PDCD1")) == {"exo:PDCD1", "exo:CD274"}
    network = tiny_graph.to_networkx(focus="tumour-derived exosome", predicates=["hasComponent", "subtypeOf"])
    assert keys(network) == {"claim:tiny-001", "claim:tiny-005"}


def test_select_entities_bound_by_a_select_query(tiny_graph):
    network = tiny_graph.to_networkx(query="SELECT ?e WHERE { ?e a exos:Protein }")
    assert sorted(network) == ["exo:CD274", "exo:PDCD1"]
    assert keys(network) == {"claim:tiny-002"}


def test_select_claims_constructed_by_a_construct_query(tiny_graph):
    network = tiny_graph.to_networkx(query="CONSTRUCT { ?s exos:hasComponent ?o } WHERE { ?s exos:hasComponent ?o }")
    assert sorted(network) == ["exo:CD274", "exo:tumour_exosome"]
    assert keys(network) == {"claim:tiny-001"}


@pytest.mark.parametrize("selection, message", [
    ({"categories": "Gizmo"}, "unknown category 'Gizmo'; use one of: Advantage"),
    ({"predicates": "likes"}, "unknown predicate 'likes'"),
    ({"hops": 2}, "hops needs a focus"),
    ({"focus": "PD-L1", "hops": -1}, "hops needs a focus"),
    ({"query": "ASK { ?s ?p ?o }"}, "an ASK query selects nothing"),
    ({"focus": "PD-L1", "categories": "Disease"}, "is not in the selected network"),
])
def test_bad_selections_are_usage_errors(tiny_graph, selection, message):
    with pytest.raises(UsageError, match=message):
        tiny_graph.to_networkx(**selection)


def test_schema_nodes_only_when_asked(tiny_graph):
    network = tiny_graph.to_networkx(include_schema=True)
    assert network.nodes["exos:Protein"]["kind"] == "class"
    assert network.nodes["exos:Protein"]["label"] == "protein"
    assert network.has_edge("exo:CD274", "exos:Protein", "exo:CD274 instance of exos:Protein")
    assert network.has_edge("exos:Protein", "exos:Cargo", "exos:Protein subclass of exos:Cargo")
    assert network.has_edge("exos:Cargo", "exos:Entity", "exos:Cargo subclass of exos:Entity")
    assert {key for key in keys(network) if key.startswith("claim:")} == keys(tiny_graph.to_networkx())
    assert all(not node.startswith(("exos:", "claim:", "pub:", "PMID:", "ECO:")) for node in tiny_graph.to_networkx())


def test_method_and_function_agree(tiny_graph):
    by_method = tiny_graph.to_networkx(categories="Protein")
    by_function = to_networkx(tiny_graph, categories="Protein")
    assert networkx.utils.edges_equal(by_method.edges(keys=True, data=True), by_function.edges(keys=True, data=True))
    assert dict(by_method.nodes(data=True)) == dict(by_function.nodes(data=True))


# ---------------------------------------------------------------- naming a concept
@pytest.mark.parametrize("name", ["exo:CD274", "HGNC:17635", "PD-L1", "pd-l1", "B7-H1", "cd274", " PD-L1 "])
def test_a_concept_by_curie_mapping_label_or_synonym(tiny_graph, name):
    assert resolve_node(tiny_graph.to_networkx(), name) == "exo:CD274"


def test_unknown_concept_suggests_close_names(tiny_graph):
    with pytest.raises(UsageError, match=r"unknown concept 'PD-L2'; did you mean PD-L1 \(exo:CD274\)"):
        resolve_node(tiny_graph.to_networkx(), "PD-L2")


def test_ambiguous_concept_lists_the_candidates():
    network = networkx.MultiDiGraph()
    for node in ("exo:a", "exo:b"):
        network.add_node(node, kind="entity", label=node[-1], synonyms=["shared"], exact_matches=[])
    with pytest.raises(UsageError, match=r"'shared' is ambiguous: it names a \(exo:a\); b \(exo:b\)"):
        resolve_node(network, "shared")


# ---------------------------------------------------------------- mechanism paths
def test_paths_follow_claims_and_cite_their_sources(tiny_graph):
    paths = mechanism_paths(tiny_graph, "tumour-derived exosome", "PD-1")
    assert len(paths) == 1
    first, second = paths[0]
    assert (first.subject, first.predicate_label, first.object, first.reversed) == (
        "exo:tumour_exosome", "has component", "exo:CD274", False)
    assert (second.subject, second.predicate_label, second.object) == ("exo:CD274", "interacts with", "exo:PDCD1")
    assert first.publications == second.publications == ("chen2018",)
    assert first.claims == ("claim:tiny-001",)


def test_paths_may_follow_claims_backwards_marked_reversed(tiny_graph):
    (path,) = mechanism_paths(tiny_graph, "PD-1", "tumour-derived exosome", directed=False)
    # interacts with is symmetric, so it reads forwards; has component is followed backwards
    assert [(hop.subject, hop.object, hop.reversed) for hop in path] == [
        ("exo:PDCD1", "exo:CD274", False), ("exo:tumour_exosome", "exo:CD274", True)]
    assert str(path[1]) == "PD-L1 <--has component-- tumour-derived exosome  [chen2018]"
    assert mechanism_paths(tiny_graph, "PD-1", "tumour-derived exosome") == []  # directed by default


def test_contradicting_claims_give_separate_paths(tiny_graph):
    paths = mechanism_paths(tiny_graph, "TEX", "T cell activation", max_hops=1)
    assert [(path[0].predicate_label, path[0].publications) for path in paths] == [
        ("negatively regulates", ("chen2018",)), ("positively regulates", ("wolfers2001",))]


def test_paths_never_pass_through_schema_or_provenance(real_graph):
    source, target = _two_hop_pair(real_graph.to_networkx())
    for path in mechanism_paths(real_graph, source, target, max_hops=3):
        assert all(hop.subject.startswith("exo:") and hop.object.startswith("exo:") for hop in path)


@pytest.mark.parametrize("source, target, message", [
    ("PD-L1", "exo:CD274", "are the same concept"),
    ("no such thing", "PD-1", "unknown concept 'no such thing'"),
])
def test_bad_path_requests_are_usage_errors(tiny_graph, source, target, message):
    with pytest.raises(UsageError, match=message):
        mechanism_paths(tiny_graph, source, target)


def _two_hop_pair(network) -> tuple[str, str]:
    """The first (sorted) pair of entities linked by a cited two-claim chain but by no claim of their own."""
    for u, v, first in sorted(network.edges(data=True), key=lambda edge: (edge[0], edge[1])):
        for _, w, second in sorted(network.out_edges(v, data=True), key=lambda edge: edge[1]):
            linked = network.has_edge(u, w) or network.has_edge(w, u)
            if w != u and not linked and first["publication_keys"] and second["publication_keys"]:
                return u, w
    raise AssertionError("the curated graph has no cited two-claim chain")


def test_paths_command_prints_cited_hops_on_the_real_graph(real_graph):
    network = real_graph.to_networkx()
    source, target = _two_hop_pair(network)
    result = run_cli("paths", source, target, "--max-hops", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"1. {network.nodes[source]['label']} -> {network.nodes[target]['label']} (2 hops; weakest hop support ")
    hops = [line for line in result.stdout.splitlines() if line.startswith("   ")]
    assert hops and all(line.endswith("]") and "--" in line for line in hops)
    printed = mechanism_paths(real_graph, source, target, max_hops=2)[:20]  # the command prints 20 by default
    cited = {key for path in printed for hop in path for key in hop.publications}
    assert cited and all(key in result.stdout for key in cited)


def test_paths_command_exits_2_for_an_unknown_concept(tiny_ontology):
    result = run_cli("paths", "no such thing", "PD-1", "--ontology", str(tiny_ontology))
    assert result.returncode == 2
    assert "unknown concept 'no such thing'" in result.stderr and "Traceback" not in result.stderr
