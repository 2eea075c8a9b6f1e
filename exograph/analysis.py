"""Analyses behind the notebooks: pure functions over the graph that return pandas DataFrames.

Most take the claim network of :func:`exograph.network.to_networkx` (entities as nodes, one
edge per claim; without ``include_schema``) or the claim table made from it by
:func:`claims_table`; those that need the schema's class hierarchy, publication years or
mechanism paths take the :class:`~exograph.api.KnowledgeGraph`.
"""
from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Iterable

from .mechanisms import mechanism_paths
from .network import resolve_node

if TYPE_CHECKING:
    import networkx
    import pandas

    from .api import KnowledgeGraph

# Facets of an exosome source's profile: facet -> (the schema class whose members, with subclasses,
# it holds; the predicates that make a member a feature, None for any). A protein the exosome
# carries is cargo; one its siRNA knocks down is not.
FACETS: dict[str, tuple[str, frozenset[str] | None]] = {
    "cargo": ("Cargo", frozenset({"exos:hasComponent", "exos:presents", "exos:delivers", "exos:displays"})),
    "mechanism": ("BiologicalProcess", None),
    "cancer": ("Disease", None),
    "loading method": ("LoadingMethod", None),
}
NO_PUBLICATION = "(no publication)"  # claims with evidence ECO:0000303 or ECO:0007759 (registry record) cite none


# ---------------------------------------------------------------- network structure
def simple_graph(network: "networkx.MultiDiGraph") -> "networkx.Graph":
    """The entities as an undirected simple graph; ``weight`` counts the claims between two entities."""
    import networkx

    graph = networkx.Graph()
    graph.add_nodes_from(network)
    for u, v in network.edges():
        if u != v:
            graph.add_edge(u, v, weight=graph.get_edge_data(u, v, {"weight": 0})["weight"] + 1)
    return graph


def _node_columns(network: "networkx.MultiDiGraph", node: str) -> dict:
    data = network.nodes[node]
    return {"node": node, "label": data["label"], "category": data["category"], "claims": network.degree(node)}


def centrality_table(network: "networkx.MultiDiGraph") -> "pandas.DataFrame":
    """Each entity's claims (edges in and out), neighbours, degree centrality and betweenness
    centrality (on :func:`simple_graph`, paths counted in claims), highest betweenness first."""
    import networkx
    import pandas

    graph = simple_graph(network)
    degree = networkx.degree_centrality(graph)
    betweenness = networkx.betweenness_centrality(graph)
    rows = [{**_node_columns(network, node), "neighbours": graph.degree(node),
             "degree_centrality": degree[node], "betweenness": betweenness[node]} for node in graph]
    frame = pandas.DataFrame(rows, columns=["node", "label", "category", "claims", "neighbours",
                                            "degree_centrality", "betweenness"])
    return frame.sort_values(["betweenness", "claims", "node"], ascending=[False, False, True], ignore_index=True)


def communities_table(network: "networkx.MultiDiGraph", seed: int = 0) -> "pandas.DataFrame":
    """Louvain communities (weighted by claims, seeded so reruns agree) of the entities that have claims.

    One row per entity with its ``community`` (1 is the largest); ``attrs["modularity"]`` holds
    the partition's modularity.
    """
    import networkx
    import pandas

    graph = simple_graph(network)
    graph.remove_nodes_from(list(networkx.isolates(graph)))
    found = networkx.community.louvain_communities(graph, weight="weight", seed=seed)
    ordered = sorted(found, key=lambda members: (-len(members), min(members)))
    rows = [{**_node_columns(network, node), "community": number}
            for number, members in enumerate(ordered, 1) for node in sorted(members)]
    frame = pandas.DataFrame(rows, columns=["node", "label", "category", "claims", "community"])
    frame.attrs["modularity"] = networkx.community.modularity(graph, ordered, weight="weight")
    return frame


def community_summary(communities: "pandas.DataFrame", top: int = 5) -> "pandas.DataFrame":
    """Per community: its size, most common categories and its ``top`` members with most claims."""
    import pandas

    rows = []
    for number, members in communities.groupby("community", sort=True):
        kinds = Counter(members["category"]).most_common(3)
        hubs = members.sort_values(["claims", "label"], ascending=[False, True]).head(top)
        rows.append({"community": number, "size": len(members),
                     "categories": ", ".join(f"{kind} ({count})" for kind, count in kinds),
                     "hubs": ", ".join(hubs["label"])})
    return pandas.DataFrame(rows, columns=["community", "size", "categories", "hubs"]).set_index("community")


def category_members(kg: "KnowledgeGraph", category: str) -> set[str]:
    """The entities of a schema class or its subclasses (local name, CURIE or label: ``"Cargo"``)."""
    return set(kg.to_networkx(categories=category))


# ---------------------------------------------------------------- mechanism paths
def mechanism_path_table(kg: "KnowledgeGraph", sources: Iterable[str], targets: Iterable[str],
                         max_hops: int = 3, directed: bool = True) -> "pandas.DataFrame":
    """Every mechanism path (see :func:`exograph.mechanisms.mechanism_paths`) from each source to
    each target, one row per hop with its claims, publications and evidence types.

    Paths follow claims from subject to object unless ``directed`` is False. ``path`` numbers
    the paths of one (source, target) pair, shortest first.
    """
    import pandas

    network = kg.to_networkx()
    evidence = {key: label for _, _, key, label in network.edges(keys=True, data="evidence_label")}
    rows = []
    for source, target in itertools.product(sources, targets):
        start, end = resolve_node(network, source), resolve_node(network, target)
        for number, path in enumerate(mechanism_paths(kg, start, end, max_hops, directed), 1):
            rows.extend({"source": start, "target": end, "path": number, "hops": len(path), "step": step,
                         "subject_label": hop.subject_label, "predicate_label": hop.predicate_label,
                         "object_label": hop.object_label, "reversed": hop.reversed, "claims": list(hop.claims),
                         "publications": list(hop.publications),
                         "evidence": sorted({evidence[claim] for claim in hop.claims})}
                        for step, hop in enumerate(path, 1))
    columns = ["source", "target", "path", "hops", "step", "subject_label", "predicate_label", "object_label",
               "reversed", "claims", "publications", "evidence"]
    return pandas.DataFrame(rows, columns=columns)


def path_counts(paths: "pandas.DataFrame", sources: list[str], targets: list[str]) -> "pandas.DataFrame":
    """Number of paths for each source (rows) and target (columns) of :func:`mechanism_path_table`, 0 where none."""
    counts = paths.groupby(["source", "target"])["path"].nunique().unstack()
    return counts.reindex(index=sources, columns=targets).fillna(0).astype(int)


# ---------------------------------------------------------------- exosome sources
def _broader_graph(network: "networkx.MultiDiGraph") -> "networkx.DiGraph":
    """Edges from each entity to its broader entities (``skos:broader``)."""
    import networkx

    hierarchy = networkx.DiGraph()
    hierarchy.add_nodes_from(network)
    hierarchy.add_edges_from((node, parent) for node, parents in network.nodes(data="broader") for parent in parents)
    return hierarchy


def _narrower(hierarchy: "networkx.DiGraph", node: str) -> set[str]:
    """The node and every entity below it in the ``skos:broader`` hierarchy."""
    import networkx

    return {node} | networkx.ancestors(hierarchy, node)


def exosome_sources(network: "networkx.MultiDiGraph") -> list[str]:
    """Exosome types named after the cell that releases them (they have a ``producedBy`` claim),
    leaving out those narrower than another such type (IFN-gamma-DC exosomes fold into DC exosomes)."""
    import networkx

    produced = {u for u, _, predicate in network.edges(data="predicate")
                if predicate == "exos:producedBy" and network.nodes[u]["category_curie"] == "exos:ExosomeType"}
    hierarchy = _broader_graph(network)
    folded = {node for source in produced for node in networkx.ancestors(hierarchy, source)}
    return sorted(produced - folded)


def _source_claims(network: "networkx.MultiDiGraph", members: set[str]) -> list[tuple[str, str, str, dict]]:
    """Claims about the member exosome types, and about the therapeutic strategies that use them as carrier."""
    carriers = {u for u, _, predicate in network.in_edges(members, data="predicate") if predicate == "exos:usesCarrier"}
    around = members | carriers
    edges = itertools.chain(network.out_edges(around, keys=True, data=True), network.in_edges(around, keys=True, data=True))
    return list({key: (u, v, key, data) for u, v, key, data in edges}.values())


def _is_feature(end: str, predicate: str, facet_of: dict[str, str]) -> bool:
    if end not in facet_of:
        return False
    predicates = FACETS[facet_of[end]][1]
    return predicates is None or predicate in predicates


def _features(u: str, v: str, data: dict, facet_of: dict[str, str]) -> set[str]:
    """The ends of a claim that are features of their facet, and the claim's disease context."""
    ends = {end for end in (u, v) if _is_feature(end, data["predicate"], facet_of)}
    return ends | ({data["disease_context"]} & facet_of.keys())


def source_profile(kg: "KnowledgeGraph", sources: Iterable[str] | None = None) -> "pandas.DataFrame":
    """What each exosome source contributes: one row per (source, facet, feature) of :data:`FACETS`.

    A source's claims are those about it and its narrower exosome types (``skos:broader``) and
    about the therapeutic strategies that use any of them as carrier. A feature is an end of
    such a claim that belongs to a facet's class (linked by one of the facet's predicates), or
    the claim's disease context (facet ``cancer``). Sources default to :func:`exosome_sources`;
    ``claims`` counts the claims.
    """
    import pandas

    network = kg.to_networkx()
    facet_of = {node: facet for facet, (category, _) in FACETS.items() for node in category_members(kg, category)}
    hierarchy = _broader_graph(network)
    chosen = exosome_sources(network) if sources is None else [resolve_node(network, name) for name in sources]
    found: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for source in chosen:
        for u, v, key, data in _source_claims(network, _narrower(hierarchy, source)):
            for feature in _features(u, v, data, facet_of):
                claims, publications = found[source, feature]
                claims.add(key)
                publications.update(data["publication_keys"])
    rows = [{"source": source, "source_label": network.nodes[source]["label"], "facet": facet_of[feature],
             "feature": feature, "feature_label": network.nodes[feature]["label"], "claims": len(claims),
             "claim_ids": sorted(claims), "publications": sorted(publications)}
            for (source, feature), (claims, publications) in found.items()]
    columns = ["source", "source_label", "facet", "feature", "feature_label", "claims", "claim_ids", "publications"]
    frame = pandas.DataFrame(rows, columns=columns)
    frame["facet_order"] = frame["facet"].map(list(FACETS).index)
    frame = frame.sort_values(["source", "facet_order", "claims", "feature"], ascending=[True, True, False, True])
    return frame.drop(columns="facet_order").reset_index(drop=True)


def source_profile_matrix(profile: "pandas.DataFrame") -> "pandas.DataFrame":
    """Sources (rows) by (facet, feature) columns, each cell the number of claims; facets in
    :data:`FACETS` order, features most-claimed first."""
    matrix = profile.pivot_table(index="source_label", columns=["facet", "feature_label"], values="claims",
                                 aggfunc="sum", fill_value=0)
    totals = matrix.sum()
    order = sorted(matrix.columns, key=lambda column: (list(FACETS).index(column[0]), -totals[column], column[1]))
    return matrix[order].astype(int)


def source_summary(profile: "pandas.DataFrame") -> "pandas.DataFrame":
    """One row per source: its features per facet (most claimed first), and how many distinct
    claims and publications stand behind its profile."""
    import pandas

    rows = []
    for (source, label), features in profile.groupby(["source", "source_label"], sort=True):
        row = {"source": source, "source_label": label,
               "claims": len({claim for claims in features["claim_ids"] for claim in claims}),
               "publications": len({key for keys in features["publications"] for key in keys})}
        for facet in FACETS:
            chosen = features[features["facet"] == facet].sort_values(["claims", "feature_label"], ascending=[False, True])
            row[facet] = ", ".join(chosen["feature_label"])
        rows.append(row)
    return pandas.DataFrame(rows, columns=["source", "source_label", "claims", "publications", *FACETS]).set_index("source")


# ---------------------------------------------------------------- clinical trials
def _split(text: str | None) -> list[str]:
    """A pipe-joined cell of a named query as a list, without empty items."""
    return [item for item in (text or "").split("|") if item]


def trial_timeline(kg: "KnowledgeGraph") -> "pandas.DataFrame":
    """The clinical trials with phase, cancers, registry id, publications and year (the named
    query ``trial-timeline``), earliest first.

    ``year`` is the earliest ``dcterms:issued`` of the publications the trial's claims cite,
    ``<NA>`` for trials curated from a registry entry alone; ``year_basis`` says which.
    """
    frame = kg.query("trial-timeline")
    frame["year"] = frame["year"].astype("Int64")
    frame["year_basis"] = frame["year"].isna().map({True: "year not recorded", False: "publication year (dcterms:issued)"})
    for column in ("diseases", "publications"):
        frame[column] = frame[column].map(_split)
    return frame.sort_values(["year", "phase_label", "trial_label"], na_position="last", ignore_index=True)


# ---------------------------------------------------------------- evidence
def claims_table(network: "networkx.MultiDiGraph") -> "pandas.DataFrame":
    """One row per claim: its ends, predicate, evidence, publications (curation keys) and context."""
    import pandas

    rows = [{"claim": key, "subject": u, "subject_label": network.nodes[u]["label"], "predicate": data["predicate"],
             "predicate_label": data["predicate_label"], "object": v, "object_label": network.nodes[v]["label"],
             "evidence": data["evidence"], "evidence_label": data["evidence_label"],
             "publications": list(data["publication_keys"]), "topic": data["topic"],
             "model_system": data["model_system"], "disease_context": data["disease_context"],
             "polarity": data["polarity"]}
            for u, v, key, data in network.edges(keys=True, data=True)]
    columns = ["claim", "subject", "subject_label", "predicate", "predicate_label", "object", "object_label", "evidence",
               "evidence_label", "publications", "topic", "model_system", "disease_context", "polarity"]
    return pandas.DataFrame(rows, columns=columns)


def evidence_by_publication(claims: "pandas.DataFrame") -> "pandas.DataFrame":
    """Claims per publication (rows, most first) and evidence type (columns); a claim citing
    two publications counts for both, one citing none under :data:`NO_PUBLICATION`."""
    import pandas

    cited = claims.assign(publication=claims["publications"].map(lambda keys: keys or [NO_PUBLICATION]))
    cited = cited.explode("publication")
    table = pandas.crosstab(cited["publication"], cited["evidence_label"])
    return table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]


def triple_support(claims: "pandas.DataFrame") -> "pandas.DataFrame":
    """One row per asserted edge (subject, predicate, object): its claims, the distinct
    publications and evidence types behind them, fewest publications first."""
    import pandas

    rows = []
    for (subject, predicate, obj), group in claims.groupby(["subject", "predicate", "object"], sort=True):
        publications = sorted({key for keys in group["publications"] for key in keys})
        first = group.iloc[0]
        rows.append({"subject": subject, "subject_label": first["subject_label"],
                     "predicate_label": first["predicate_label"], "object": obj, "object_label": first["object_label"],
                     "claims": list(group["claim"]), "publications": publications, "n_publications": len(publications),
                     "evidence": sorted(set(group["evidence_label"]))})
    columns = ["subject", "subject_label", "predicate_label", "object", "object_label", "claims", "publications",
               "n_publications", "evidence"]
    frame = pandas.DataFrame(rows, columns=columns)
    return frame.sort_values(["n_publications", "subject", "predicate_label", "object"], ignore_index=True)


def single_source_claims(claims: "pandas.DataFrame") -> "pandas.DataFrame":
    """The asserted edges whose claims together cite at most one publication (see :func:`triple_support`)."""
    support = triple_support(claims)
    return support[support["n_publications"] <= 1].reset_index(drop=True)


def entity_support(network: "networkx.MultiDiGraph") -> "pandas.DataFrame":
    """Per entity: the claims that mention it and the distinct publications they cite, thinnest first."""
    import pandas

    rows = []
    for node in network:
        edges = itertools.chain(network.out_edges(node, data="publication_keys"),
                                network.in_edges(node, data="publication_keys"))
        publications = {key for _, _, keys in edges for key in keys}
        rows.append({**_node_columns(network, node), "publications": len(publications)})
    frame = pandas.DataFrame(rows, columns=["node", "label", "category", "claims", "publications"])
    return frame.sort_values(["claims", "publications", "node"], ignore_index=True)


def topic_coverage(claims: "pandas.DataFrame") -> "pandas.DataFrame":
    """Per curation topic: claims, distinct publications, and the share of the topic's asserted
    edges that rest on at most one publication (:func:`triple_support` within the topic);
    fewest publications first."""
    import pandas

    rows = [{"topic": topic, "claims": len(group),
             "publications": len({key for keys in group["publications"] for key in keys}),
             "single_source_share": float((triple_support(group)["n_publications"] <= 1).mean())}
            for topic, group in claims.groupby("topic", sort=True)]
    frame = pandas.DataFrame(rows, columns=["topic", "claims", "publications", "single_source_share"])
    return frame.sort_values(["publications", "claims", "topic"], ignore_index=True)
