"""Mechanism paths: the chains of claims that link two concepts, each hop with its sources.

A mechanism reads subject -> object, but curated claims point whichever way the source put
it ("exosome has component PD-L1", "PD-L1 interacts with PD-1"), so by default a path may
also follow a claim backwards; such a hop is marked ``reversed`` and printed ``<--``. Claims
with a symmetric predicate (``interacts with``) read the same both ways and are never
reversed. Claims of effect (``positively`` / ``negatively regulates``, the predicates with a
polarity) are never followed backwards: that X suppresses Y says nothing about what Y does. Paths run over the claim network only (:func:`exograph.network.to_networkx`), so
they never pass through classes, publications, claim nodes or evidence terms.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import OWL, RDF

from .namespaces import EXOS
from .network import resolve_node
from .problems import UsageError

if TYPE_CHECKING:
    import networkx

    from .api import KnowledgeGraph


@dataclass(frozen=True)
class Hop:
    """One step of a path: the claims behind ``subject predicate object``, read in the path's direction."""

    subject: str
    subject_label: str
    predicate: str
    predicate_label: str
    object: str
    object_label: str
    reversed: bool  # the path goes from object to subject
    claims: tuple[str, ...]
    publications: tuple[str, ...]  # curation keys of the publications the claims cite

    def __str__(self) -> str:
        cited = ", ".join(self.publications) or "no traceable source"
        if self.reversed:
            return f"{self.object_label} <--{self.predicate_label}-- {self.subject_label}  [{cited}]"
        return f"{self.subject_label} --{self.predicate_label}--> {self.object_label}  [{cited}]"


def _hops(network: "networkx.MultiDiGraph", start: str, end: str, symmetric: set[str], causal: set[str],
          directed: bool) -> list[Hop]:
    """The hops from ``start`` to ``end``: one per (subject, predicate, object) of the claims between them."""
    grouped: dict[tuple[str, str, str, bool], list[tuple[str, dict]]] = defaultdict(list)
    ends = [(start, end, False)] if directed else [(start, end, False), (end, start, True)]
    for subject, obj, backwards in ends:
        for key, data in network.get_edge_data(subject, obj, default={}).items():
            if backwards and data["predicate"] in causal:
                continue
            if backwards and data["predicate"] in symmetric:
                grouped[(start, data["predicate"], end, False)].append((key, data))
            else:
                grouped[(subject, data["predicate"], obj, backwards)].append((key, data))
    hops = []
    for (subject, predicate, obj, backwards), claims in sorted(grouped.items()):
        keys = sorted({key for _, data in claims for key in data["publication_keys"]})
        hops.append(Hop(subject, network.nodes[subject]["label"], predicate, claims[0][1]["predicate_label"],
                        obj, network.nodes[obj]["label"], backwards, tuple(key for key, _ in claims), tuple(keys)))
    return hops


def mechanism_paths(kg: "KnowledgeGraph", source: str, target: str, max_hops: int = 4,
                    directed: bool = False) -> list[list[Hop]]:
    """Every simple path of at most ``max_hops`` claims from ``source`` to ``target``.

    ``source`` and ``target`` are CURIEs, labels or synonyms (see
    :func:`exograph.network.resolve_node`; unknown or ambiguous names raise
    :class:`exograph.UsageError`). Parallel claims with different predicates give separate
    paths; claims with the same subject, predicate and object share one hop. ``directed=True``
    follows claims only from subject to object. Shortest paths come first, then those with
    fewer reversed hops, then by label.
    """
    import networkx

    if max_hops < 1:
        raise UsageError("max_hops must be 1 or more")
    network = kg.to_networkx()
    start, end = resolve_node(network, source), resolve_node(network, target)
    if start == end:
        raise UsageError(f"'{source}' and '{target}' are the same concept ({start})")
    symmetric = {kg.prefixes.compress(p) for p, _, _ in kg.store.triples(None, RDF.type, OWL.SymmetricProperty)}
    causal = {kg.prefixes.compress(p) for p, _, _ in kg.store.triples(None, EXOS.polarity, None)}
    skeleton = networkx.DiGraph() if directed else networkx.Graph()
    skeleton.add_nodes_from(network)
    skeleton.add_edges_from(network.edges())
    paths = []
    for nodes in networkx.all_simple_paths(skeleton, start, end, cutoff=max_hops):
        steps = [_hops(network, a, b, symmetric, causal, directed) for a, b in zip(nodes, nodes[1:])]
        paths.extend(list(path) for path in itertools.product(*steps))
    return sorted(paths, key=lambda path: (len(path), sum(hop.reversed for hop in path),
                                           [(hop.subject_label, hop.predicate_label, hop.object_label) for hop in path]))


def hop_dict(hop: Hop) -> dict:
    """A hop as a JSON object (CURIEs, labels, claims and publication keys)."""
    return {name: list(value) if isinstance(value, tuple) else value for name, value in hop.__dict__.items()}


def format_path(number: int, path: list[Hop]) -> str:
    """A path as text: a heading line, then one indented line per hop with its cited keys."""
    first, last = path[0], path[-1]
    start = first.object_label if first.reversed else first.subject_label
    end = last.subject_label if last.reversed else last.object_label
    lines = [f"{number}. {start} -> {end} ({len(path)} hop{'s' if len(path) > 1 else ''})"]
    lines.extend(f"   {hop}" for hop in path)
    return "\n".join(lines)
