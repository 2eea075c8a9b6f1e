"""The analysis helpers behind the notebooks, on the tiny fixture graph and (by rule, never by count) the real one."""
from __future__ import annotations

import shutil

import pandas
import pytest

import exograph
from exograph import analysis
from exograph.paths import default_ontology_dir

TUMOUR = "exo:tumour_exosome"


@pytest.fixture(scope="module")
def tiny_network(tiny_graph):
    return tiny_graph.to_networkx()


@pytest.fixture(scope="module")
def tiny_claims(tiny_network):
    return analysis.claims_table(tiny_network)


@pytest.fixture(scope="module")
def real_network(real_graph):
    return real_graph.to_networkx()


# ---------------------------------------------------------------- network structure
def test_simple_graph_counts_claims_as_weights(tiny_network):
    graph = analysis.simple_graph(tiny_network)
    assert set(graph) == set(tiny_network) and graph.number_of_edges() == 4
    assert graph.edges[TUMOUR, "exo:t_cell_activation"]["weight"] == 2  # one claim each way of regulation
    assert graph.edges["exo:CD274", "exo:PDCD1"]["weight"] == 1


def test_centrality_table(tiny_network):
    table = analysis.centrality_table(tiny_network)
    assert list(table.columns) == ["node", "label", "category", "claims", "neighbours", "degree_centrality", "betweenness"]
    assert len(table) == tiny_network.number_of_nodes()
    hub = table.iloc[0]
    assert (hub["node"], hub["claims"], hub["neighbours"]) == (TUMOUR, 4, 3)
    # 5 of the 15 pairs of the other six entities have their shortest path through the tumour exosome
    assert hub["betweenness"] == pytest.approx(5 / 15)
    assert table.set_index("node").loc["exo:CD274", "betweenness"] == pytest.approx(3 / 15)
    assert table.set_index("node").loc["exo:melanoma", ["claims", "betweenness"]].tolist() == [0, 0]


def test_communities_are_seeded_and_cover_connected_entities(tiny_network, real_network):
    table = analysis.communities_table(tiny_network)
    assert set(table["node"]) == {"exo:CD274", "exo:PDCD1", "exo:exosome", "exo:t_cell_activation", TUMOUR}
    sizes = table.groupby("community").size()
    assert list(sizes.index) == list(range(1, len(sizes) + 1)) and sizes.is_monotonic_decreasing
    assert -0.5 <= table.attrs["modularity"] <= 1
    real = analysis.communities_table(real_network, seed=3)
    assert real.equals(analysis.communities_table(real_network, seed=3))
    assert not real["node"].duplicated().any()


def test_community_summary(tiny_network):
    communities = analysis.communities_table(tiny_network)
    summary = analysis.community_summary(communities, top=2)
    assert summary["size"].sum() == len(communities)
    biggest = communities[communities["community"] == 1].sort_values(["claims", "label"], ascending=[False, True])
    assert summary.loc[1, "hubs"] == ", ".join(biggest["label"].head(2))


def test_category_members_include_subclasses(tiny_graph):
    assert analysis.category_members(tiny_graph, "Cargo") == {"exo:CD274", "exo:PDCD1"}  # proteins are cargo
    assert analysis.category_members(tiny_graph, "ExosomeType") == {"exo:exosome", TUMOUR}


# ---------------------------------------------------------------- mechanism paths
def test_mechanism_path_table(tiny_graph):
    paths = analysis.mechanism_path_table(tiny_graph, [TUMOUR], ["PD-1", "exo:t_cell_activation"])
    to_pd1 = paths[paths["target"] == "exo:PDCD1"]
    assert list(to_pd1["step"]) == [1, 2] and set(to_pd1["hops"]) == {2}
    assert list(to_pd1["predicate_label"]) == ["has component", "interacts with"]
    assert list(to_pd1["publications"]) == [["chen2018"], ["chen2018"]]
    assert list(to_pd1["evidence"]) == [["experimental evidence used in manual assertion"]] * 2
    regulation = paths[paths["target"] == "exo:t_cell_activation"]
    assert sorted(regulation["predicate_label"]) == ["negatively regulates", "positively regulates"]
    assert sorted(regulation["path"]) == [1, 2]


def test_path_counts_list_pairs_without_paths(tiny_graph):
    sources, targets = [TUMOUR, "exo:exosome"], ["exo:PDCD1"]
    paths = analysis.mechanism_path_table(tiny_graph, sources, targets)
    counts = analysis.path_counts(paths, sources, targets)
    assert counts.to_dict() == {"exo:PDCD1": {TUMOUR: 1, "exo:exosome": 0}}  # directed: nothing leaves 'exosome'
    undirected = analysis.mechanism_path_table(tiny_graph, sources, targets, directed=False)
    assert analysis.path_counts(undirected, sources, targets).loc["exo:exosome", "exo:PDCD1"] == 1


# ---------------------------------------------------------------- exosome sources
def test_exosome_sources_fold_narrower_types(tiny_network, real_network):
    assert analysis.exosome_sources(tiny_network) == []  # no producedBy claim in the fixture
    sources = analysis.exosome_sources(real_network)
    produced = {u for u, _, p in real_network.edges(data="predicate")
                if p == "exos:producedBy" and real_network.nodes[u]["category_curie"] == "exos:ExosomeType"}
    hierarchy = analysis._broader_graph(real_network)
    assert set(sources) <= produced and sources == sorted(sources)
    for node in produced:  # each produced type is a source or folds into exactly the sources above it
        above = {s for s in sources if node in analysis._narrower(hierarchy, s)}
        assert above and (node not in sources or above == {node})


def test_source_profile(tiny_graph):
    profile = analysis.source_profile(tiny_graph, [TUMOUR])
    rows = {(r.facet, r.feature): (r.claims, r.claim_ids, r.publications) for r in profile.itertuples()}
    assert rows == {
        ("cargo", "exo:CD274"): (1, ["claim:tiny-001"], ["chen2018"]),
        ("mechanism", "exo:t_cell_activation"): (2, ["claim:tiny-003", "claim:tiny-004"], ["chen2018", "wolfers2001"]),
        ("cancer", "exo:melanoma"): (2, ["claim:tiny-001", "claim:tiny-003"], ["chen2018"]),  # disease context
    }
    assert list(profile["facet"]) == ["cargo", "mechanism", "cancer"]
    broader = analysis.source_profile(tiny_graph, ["exosome"])  # takes in its narrower tumour exosome
    assert set(broader["feature"]) == set(profile["feature"])


def test_source_profile_cargo_is_carried_not_targeted(real_graph):
    profile = analysis.source_profile(real_graph)
    assert set(profile["source"]) <= set(analysis.exosome_sources(real_graph.to_networkx()))
    claims = analysis.claims_table(real_graph.to_networkx()).set_index("claim")
    cargo_predicates = analysis.FACETS["cargo"][1]
    for row in profile[profile["facet"] == "cargo"].itertuples():
        assert set(claims.loc[row.claim_ids, "predicate"]) <= cargo_predicates


def test_source_profile_matrix_and_summary(tiny_graph):
    profile = analysis.source_profile(tiny_graph, [TUMOUR])
    matrix = analysis.source_profile_matrix(profile)
    assert list(matrix.index) == ["tumour-derived exosome"]
    assert list(matrix.columns) == [("cargo", "PD-L1"), ("mechanism", "T cell activation"), ("cancer", "melanoma")]
    assert matrix.iloc[0].tolist() == [1, 2, 2]
    summary = analysis.source_summary(profile)
    assert summary.loc[TUMOUR].to_dict() == {
        "source_label": "tumour-derived exosome", "claims": 3, "publications": 2, "cargo": "PD-L1",
        "mechanism": "T cell activation", "cancer": "melanoma", "loading method": ""}


# ---------------------------------------------------------------- clinical trials
def test_trial_timeline_empty_without_trials(ontology_copy):
    shutil.copy(default_ontology_dir() / "queries" / "trial-timeline.rq", ontology_copy / "queries")
    timeline = analysis.trial_timeline(exograph.load(ontology_copy))
    assert timeline.empty and {"trial", "phase_label", "year", "year_basis"} <= set(timeline.columns)


def test_trial_timeline_years_come_from_publications(real_graph):
    timeline = analysis.trial_timeline(real_graph)
    years = dict(real_graph.query("SELECT ?key ?year WHERE { ?p exos:curationKey ?key ; dcterms:issued ?year }")
                 .itertuples(index=False))
    assert not timeline.empty
    for row in timeline.itertuples():
        if row.publications:
            assert row.year == min(int(years[key]) for key in row.publications)
            assert row.year_basis == "publication year (dcterms:issued)"
        else:  # registry-only trials: the graph has no year, and none is invented
            assert pandas.isna(row.year) and row.year_basis == "year not recorded"
    assert timeline["year"].isna().is_monotonic_increasing  # unknown years last


# ---------------------------------------------------------------- evidence
def test_claims_table(tiny_claims):
    assert len(tiny_claims) == 5
    row = tiny_claims.set_index("claim").loc["claim:tiny-005"]
    assert (row["subject"], row["predicate"], row["object"]) == (TUMOUR, "exos:subtypeOf", "exo:exosome")
    assert row["publications"] == ["textonly2000"] and row["evidence"] == "ECO:0000304"


def test_evidence_by_publication(tiny_claims):
    table = analysis.evidence_by_publication(tiny_claims)
    assert list(table.index) == ["chen2018", "textonly2000", "wolfers2001"]  # most claims first, ties by key
    assert table.loc["chen2018", "experimental evidence used in manual assertion"] == 3
    assert table.to_numpy().sum() == 5
    uncited = tiny_claims.copy()
    uncited.at[0, "publications"] = []
    assert analysis.NO_PUBLICATION in analysis.evidence_by_publication(uncited).index


def test_triple_support_and_single_source_claims(tiny_claims):
    assert len(analysis.single_source_claims(tiny_claims)) == 5  # every fixture edge rests on one publication
    first = tiny_claims[tiny_claims["claim"] == "claim:tiny-001"]  # tumour exosome has component PD-L1
    again = first.assign(claim="claim:tiny-999", publications=[["wolfers2001"]])
    claims = pandas.concat([tiny_claims, again], ignore_index=True)
    support = analysis.triple_support(claims).set_index(["subject", "object"])
    assert support.loc[(TUMOUR, "exo:CD274"), "publications"] == ["chen2018", "wolfers2001"]
    single = analysis.single_source_claims(claims)
    assert len(single) == 4 and "exo:CD274" not in set(single[single["subject"] == TUMOUR]["object"])


def test_entity_support(tiny_network):
    support = analysis.entity_support(tiny_network).set_index("node")
    assert support.loc[TUMOUR, ["claims", "publications"]].tolist() == [4, 3]
    assert support.loc["exo:PDCD1", ["claims", "publications"]].tolist() == [1, 1]
    assert list(support.index[:2]) == ["exo:melanoma", "exo:mouse"]  # thinnest first


def test_topic_coverage(tiny_claims):
    coverage = analysis.topic_coverage(tiny_claims)
    assert coverage.to_dict("records") == [
        {"topic": "biogenesis", "claims": 1, "publications": 1, "single_source_share": 1.0},
        {"topic": "composition", "claims": 1, "publications": 1, "single_source_share": 1.0},
        {"topic": "immune", "claims": 3, "publications": 2, "single_source_share": 1.0},
    ]
