"""Mechanism paths: the chains of claims that link two concepts, ranked by the evidence behind them.

A mechanism reads subject -> object, so by default a path follows claims only that way. With
``directed=False`` it may also follow a claim backwards; such a hop is marked ``reversed`` and
printed ``<--``. Claims with a symmetric predicate (``interacts with``) read the same both ways
and are never reversed. Claims of effect (``positively`` / ``negatively regulates``, the
predicates with a polarity) are never followed backwards: that X suppresses Y says nothing
about what Y does. A path made only of claims of effect has a net effect: negative when an odd
number of its hops are negative.

Paths are ranked by evidence (:func:`rank`): the weakest hop's support first, where a hop's
support counts its distinct publications, each weighted by the best evidence type among the
hop's claims that cite it (:data:`EVIDENCE_WEIGHTS`: experimental 2, author statement 1). The
HTML view ranks the paths it offers the same way. Paths run over the claim network only
(:func:`exograph.network.to_networkx`), so they never pass through classes, publications,
claim nodes or evidence terms.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping

from rdflib import OWL, RDF

from .namespaces import EXOS
from .network import resolve_node
from .problems import UsageError

if TYPE_CHECKING:
    import networkx

    from .api import KnowledgeGraph

# Weight of one publication by the evidence type of the claim citing it (ECO CURIEs); others weigh 1.
EVIDENCE_WEIGHTS = {
    "ECO:0000269": 2.0,  # experimental evidence (EXP)
    "ECO:0000314": 2.0,  # direct assay evidence (IDA)
    "ECO:0000304": 1.0,  # author statement with a traceable reference (TAS)
    "ECO:0000305": 1.0,  # curator inference (IC)
    "ECO:0000303": 0.5,  # author statement without traceable support (NAS)
}
UNCITED_WEIGHT = 0.5  # a claim citing no publication still counts, a little


def evidence_weight(evidence: str | None) -> float:
    return EVIDENCE_WEIGHTS.get(evidence or "", 1.0)


def support(claims: Iterable[Mapping]) -> float:
    """Evidence behind claims (edge data dicts): each distinct publication once, at the best
    weight of the claims citing it; an uncited claim adds :data:`UNCITED_WEIGHT`."""
    best: dict[str, float] = {}
    uncited = 0.0
    for data in claims:
        weight = evidence_weight(data.get("evidence"))
        for key in data.get("publication_keys") or ():
            best[key] = max(best.get(key, 0.0), weight)
        if not data.get("publication_keys"):
            uncited += UNCITED_WEIGHT
    return sum(best.values()) + uncited


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
    support: float = 0.0  # see :func:`support`
    polarity: str | None = None  # "positive" / "negative" for claims of effect

    def __str__(self) -> str:
        cited = ", ".join(self.publications) or "no traceable source"
        if self.reversed:
            return f"{self.object_label} <--{self.predicate_label}-- {self.subject_label}  [{cited}]"
        return f"{self.subject_label} --{self.predicate_label}--> {self.object_label}  [{cited}]"


def net_effect(path: list[Hop]) -> str | None:
    """"positive" or "negative" when every hop is a claim of effect, else None."""
    if not path or any(hop.polarity not in ("positive", "negative") for hop in path):
        return None
    return "negative" if sum(hop.polarity == "negative" for hop in path) % 2 else "positive"


def rank(path: list[Hop]) -> tuple:
    """Sort key, best first: fewest reversed hops, strongest weakest hop, fewest hops, most total
    support, then by label."""
    return (sum(hop.reversed for hop in path), -min(hop.support for hop in path), len(path),
            -sum(hop.support for hop in path), [(hop.subject_label, hop.predicate_label, hop.object_label) for hop in path])


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
        first = claims[0][1]
        hops.append(Hop(subject, network.nodes[subject]["label"], predicate, first["predicate_label"],
                        obj, network.nodes[obj]["label"], backwards, tuple(key for key, _ in claims), tuple(keys),
                        support(data for _, data in claims), first.get("polarity")))
    return hops


def mechanism_paths(kg: "KnowledgeGraph", source: str, target: str, max_hops: int = 4,
                    directed: bool = True) -> list[list[Hop]]:
    """Every simple path of at most ``max_hops`` claims from ``source`` to ``target``, best first (:func:`rank`).

    ``source`` and ``target`` are CURIEs, labels or synonyms (see
    :func:`exograph.network.resolve_node`; unknown or ambiguous names raise
    :class:`exograph.UsageError`). Parallel claims with different predicates give separate
    paths; claims with the same subject, predicate and object share one hop. Claims are
    followed from subject to object only, unless ``directed=False``.
    """
    import networkx

    if max_hops < 1:
        raise UsageError("max_hops must be 1 or more")
    network = kg.to_networkx()
    start, end = resolve_node(network, source), resolve_node(network, target)
    if start == end:
        raise UsageError(f"'{source}' and '{target}' are the same concept ({start})")
    symmetric, causal = predicate_kinds(kg)
    skeleton = networkx.DiGraph() if directed else networkx.Graph()
    skeleton.add_nodes_from(network)
    skeleton.add_edges_from(network.edges())
    paths = []
    for nodes in networkx.all_simple_paths(skeleton, start, end, cutoff=max_hops):
        steps = [_hops(network, a, b, symmetric, causal, directed) for a, b in zip(nodes, nodes[1:])]
        paths.extend(list(path) for path in itertools.product(*steps))
    return sorted(paths, key=rank)


def predicate_kinds(kg: "KnowledgeGraph") -> tuple[set[str], set[str]]:
    """CURIEs of the symmetric predicates and of the predicates of effect (those with a polarity)."""
    symmetric = {kg.prefixes.compress(p) for p, _, _ in kg.store.triples(None, RDF.type, OWL.SymmetricProperty)}
    causal = {kg.prefixes.compress(p) for p, _, _ in kg.store.triples(None, EXOS.polarity, None)}
    return symmetric, causal


def hop_dict(hop: Hop) -> dict:
    """A hop as a JSON object (CURIEs, labels, claims and publication keys)."""
    return {name: list(value) if isinstance(value, tuple) else value for name, value in hop.__dict__.items()}


def format_path(number: int, path: list[Hop]) -> str:
    """A path as text: a heading line with its evidence, then one indented line per hop with its cited keys."""
    first, last = path[0], path[-1]
    start = first.object_label if first.reversed else first.subject_label
    end = last.subject_label if last.reversed else last.object_label
    notes = [f"{len(path)} hop{'s' if len(path) > 1 else ''}", f"weakest hop support {min(hop.support for hop in path):g}"]
    if reversed_hops := sum(hop.reversed for hop in path):
        notes.append(f"{reversed_hops} against the arrow")
    if effect := net_effect(path):
        notes.append(f"net effect {effect}")
    lines = [f"{number}. {start} -> {end} ({'; '.join(notes)})"]
    lines.extend(f"   {hop}" for hop in path)
    return "\n".join(lines)
