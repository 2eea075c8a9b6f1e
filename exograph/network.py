"""RDF -> networkx: one node per entity, one edge per claim, the claim's provenance on the edge.

The network is built directly from one pass over the store's triples, as engine-neutral terms
(no rdflib terms), reading each claim node's ``rdf:subject`` / ``rdf:predicate`` / ``rdf:object``
and slots. Schema classes, publications, claim nodes and ECO terms are never nodes of their own;
their content lives in node and edge attributes. ``benchmarks/export_bench.py`` times it against
the same network built by hand with pyoxigraph and networkx.
"""
from __future__ import annotations

import difflib
from collections import defaultdict
from typing import TYPE_CHECKING, Iterable

from rdflib import DCTERMS, RDF, RDFS, SKOS, Literal, URIRef

from .terms import plain
from .curation import QUALIFIER_SCHEMES, Vocabulary
from .namespaces import BIOLINK, EXOS, PrefixMap
from .normalise import key as search_key
from .problems import UsageError

if TYPE_CHECKING:
    import networkx

    from .store import Term

    from .api import KnowledgeGraph

# Attributes that hold lists; formats without lists (GraphML, GEXF, KGX) pipe-join them.
LIST_ATTRIBUTES = frozenset({"synonyms", "exact_matches", "close_matches", "broader", "publications", "publication_keys",
                             "quantities"})

# Single-valued claim slots -> edge attribute. Controlled terms (model system, topic, phase)
# are given by their notation, as curators wrote them; entities and ECO terms as CURIEs.
CLAIM_SLOTS = {
    "evidence": BIOLINK.has_evidence,
    "paraphrase": EXOS.paraphrase,
    "knowledge_level": BIOLINK.knowledge_level,
    "agent_type": BIOLINK.agent_type,
    "primary_knowledge_source": BIOLINK.primary_knowledge_source,
    "model_system": EXOS.modelSystem,
    "disease_context": BIOLINK.disease_context_qualifier,
    "species_context": BIOLINK.species_context_qualifier,
    "phase": BIOLINK.max_research_phase,
    "topic": EXOS.topic,
    "polarity": EXOS.polarity,
    "curator": DCTERMS.creator,
    "date": DCTERMS.created,
    **{column: BIOLINK[column] for column in QUALIFIER_SCHEMES},
}
NOTATION_SLOTS = frozenset({"model_system", "topic", "phase"} | {c for c, scheme in QUALIFIER_SCHEMES.items() if scheme})

# Edges added by include_schema=True: entity -> its class, class -> its superclass.
SCHEMA_EDGES = {RDF.type: "instance of", RDFS.subClassOf: "subclass of"}

# The reader keys nodes and predicates by IRI text: rdflib's URIRef never equals a str key.
_TYPE, _LABEL, _SUBCLASS, _NOTATION = str(RDF.type), str(RDFS.label), str(RDFS.subClassOf), str(SKOS.notation)
_SLOTS = {name: str(slot) for name, slot in CLAIM_SLOTS.items()}
_DEFINITION, _ALT_LABEL, _EXACT_MATCH, _CLOSE_MATCH, _BROADER = (
    str(SKOS.definition), str(SKOS.altLabel), str(SKOS.exactMatch), str(SKOS.closeMatch), str(SKOS.broader))
_SUBJECT, _PREDICATE, _OBJECT = str(RDF.subject), str(RDF.predicate), str(RDF.object)
_PUBLICATIONS, _CURATION_KEY, _EVIDENCE, _QUANTITY = (
    str(BIOLINK.publications), str(EXOS.curationKey), str(BIOLINK.has_evidence), str(EXOS.quantity))
_EMPTY: dict = {}


def _key(term: Term) -> str | Term:
    """A node's key in :class:`_Reader`: an IRI as its text, any other term as itself."""
    return term[1] if term[0] == "i" else term


class _Reader:
    """One pass over the store's engine-neutral terms (no rdflib terms: making them costs more
    than reading the store); then properties, labels and CURIEs come from memory, as text."""

    def __init__(self, prefixes: PrefixMap, triples: Iterable[tuple[Term, Term, Term]]):
        self.prefixes = prefixes
        self.properties: dict[str | Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for subject, predicate, obj in triples:
            self.properties[_key(subject)][predicate[1]].append(obj)
        self.instances: dict[str | Term, list[str | Term]] = defaultdict(list)
        for subject, properties in self.properties.items():
            for cls in properties.get(_TYPE, ()):
                self.instances[_key(cls)].append(subject)
        self._texts: dict[Term | None, str | None] = {None: None}
        self._curies: dict[str | Term, str] = {}

    def text(self, term: Term | None) -> str | None:
        """A term as text: IRIs as CURIEs, literals by their value (dates as ISO text)."""
        text = self._texts.get(term, self)
        if text is self:  # once per term: compressing IRIs and reading typed literals are the slow steps
            text = self._texts[term] = self.curie(term[1]) if term[0] == "i" else _literal_text(term, self.prefixes)
        return text

    def curie(self, node: str | Term) -> str:
        """The CURIE of a node key (an IRI's text)."""
        curie = self._curies.get(node)
        if curie is None:
            curie = self._curies[node] = self.prefixes.compress(node) if isinstance(node, str) else self.text(node)
        return curie

    def values(self, node: str | Term, predicate: str) -> list[Term]:
        return self.properties.get(node, _EMPTY).get(predicate, [])

    def lookup(self, node: str | Term, predicate: str) -> str | None:
        """The text of one value of ``predicate`` on ``node``, or None."""
        objects = self.values(node, predicate)
        return self.text(objects[0]) if objects else None

    def label(self, node: str | Term) -> str:
        return self.lookup(node, _LABEL) or self.curie(node)

    def ancestors(self, cls: str) -> list[str]:
        """``cls`` (an IRI) and its superclasses, nearest first."""
        seen, queue = [cls], [cls]
        while queue:
            for parent in self.values(queue.pop(0), _SUBCLASS):
                if _key(parent) not in seen:
                    seen.append(_key(parent))
                    queue.append(_key(parent))
        return seen

    def entity(self, entity: str, cls: str) -> dict:
        values = self.properties[entity]
        first = {predicate: objects[0] for predicate, objects in values.items()}
        text = self.text
        return {
            "kind": "entity",
            "label": text(first.get(_LABEL)),
            "category": self.label(cls),
            "category_curie": self.curie(cls),
            "iri": entity,
            "definition": text(first.get(_DEFINITION)),
            "synonyms": sorted(term[1] for term in values.get(_ALT_LABEL, ())),
            "exact_matches": sorted(text(m) for m in values.get(_EXACT_MATCH, ())),
            "close_matches": sorted(text(m) for m in values.get(_CLOSE_MATCH, ())),
            "broader": sorted(text(b) for b in values.get(_BROADER, ())),
        }

    def claim(self, claim: str) -> tuple[str, str, str, dict]:
        values = self.properties[claim]
        first = {predicate: objects[0] for predicate, objects in values.items()}
        text = self.text
        cited = sorted((self.lookup(_key(pub), _CURATION_KEY) or text(pub), text(pub)) for pub in values.get(_PUBLICATIONS, ()))
        predicate = first[_PREDICATE]
        attributes = {"predicate": text(predicate), "predicate_label": self.label(_key(predicate)),
                      "publications": [curie for _, curie in cited], "publication_keys": [key for key, _ in cited]}
        for name, slot in _SLOTS.items():
            term = first.get(slot)
            attributes[name] = self.lookup(_key(term), _NOTATION) if name in NOTATION_SLOTS and term is not None else text(term)
        attributes["evidence_label"] = self.label(_key(first[_EVIDENCE]))
        quantities = sorted(values.get(_QUANTITY, ()), key=lambda term: (len(term[1]), term[1]))  # quantity-2 before quantity-10
        attributes["quantities"] = [self.label(_key(quantity)) for quantity in quantities]
        return text(first[_SUBJECT]), text(first[_OBJECT]), self.curie(claim), attributes


def _literal_text(term: Term, prefixes: PrefixMap) -> str | None:
    """A literal's (or blank node's) text as :func:`exograph.terms.plain` gives it: a typed literal by
    its Python value (an xsd:date as ISO text), any other by its lexical form."""
    if term[0] == "b" or term[2] is None:
        return term[1]
    value = plain(Literal(term[1], datatype=URIRef(term[2])), prefixes)
    return None if value is None else str(value)


def _claim_network(reader: _Reader, vocabulary: Vocabulary) -> "networkx.MultiDiGraph":
    """Every entity (also those no claim mentions) and every claim, nodes and edges in sorted order."""
    import networkx

    nodes = {reader.curie(entity): reader.entity(entity, str(cls))
             for cls in vocabulary.categories.values() for entity in reader.instances.get(str(cls), ())}
    edges = sorted((reader.claim(claim) for claim in reader.instances.get(str(EXOS.Claim), ())), key=lambda edge: edge[2])
    graph = networkx.MultiDiGraph()
    graph.add_nodes_from((node, nodes[node]) for node in sorted(nodes))
    graph.add_edges_from(edges)
    return graph


def _restrict(graph: "networkx.MultiDiGraph", nodes: set[str], claims: set[str]) -> "networkx.MultiDiGraph":
    """A copy holding only ``nodes`` and the ``claims`` between them, in the original order."""
    import networkx

    out = networkx.MultiDiGraph()
    out.add_nodes_from((node, data) for node, data in graph.nodes(data=True) if node in nodes)
    out.add_edges_from((u, v, key, data) for u, v, key, data in graph.edges(keys=True, data=True)
                       if key in claims and u in nodes and v in nodes)
    return out


def _terms(requested: str | Iterable[str], terms: dict[str, URIRef], reader: _Reader, what: str) -> set[str]:
    """The IRIs of schema terms named by local name, CURIE or label (case-insensitive)."""
    spellings = {str(iri): {local.casefold(), reader.curie(str(iri)).casefold(), reader.label(str(iri)).casefold()}
                 for local, iri in terms.items()}
    found = set()
    for name in [requested] if isinstance(requested, str) else requested:
        matches = {iri for iri, names in spellings.items() if name.casefold() in names}
        if not matches:
            every = {spelling: iri for iri, names in spellings.items() for spelling in names}
            close = difflib.get_close_matches(name.casefold(), every, n=3, cutoff=0.6)
            hint = f"did you mean {' or '.join(dict.fromkeys(reader.label(every[c]) for c in close))}? " if close else ""
            raise UsageError(f"unknown {what} '{name}'; {hint}use one of: {', '.join(sorted(terms))}")
        found |= matches
    return found


def _query_selection(kg: "KnowledgeGraph", graph: "networkx.MultiDiGraph", query: str) -> tuple[set[str], set[str] | None]:
    """Entities (and, for CONSTRUCT / DESCRIBE, claims) selected by a SPARQL query."""
    result = kg.run(query)  # bounded as every query is: deadline, row cap, memory ceiling
    if result.truncated:
        raise UsageError(f"the query selects more than {len(result.terms):,} rows, more than a view can show; narrow it")
    by_iri = {URIRef(data["iri"]): node for node, data in graph.nodes(data=True)}
    if result.kind == "ASK":
        raise UsageError("an ASK query selects nothing; use SELECT (entities) or CONSTRUCT (claims)")
    if result.graph is None:
        return {by_iri[term] for row in result.rows for term in row if term in by_iri}, None
    nodes = {by_iri[term] for s, _, o in result.graph for term in (s, o) if term in by_iri}
    claims = {key for u, v, key, predicate in graph.edges(keys=True, data="predicate")
              if (URIRef(graph.nodes[u]["iri"]), kg.prefixes.expand(predicate), URIRef(graph.nodes[v]["iri"])) in result.graph}
    return nodes, claims


def _add_schema(reader: _Reader, graph: "networkx.MultiDiGraph") -> None:
    """Add each entity's class and its superclasses as nodes, linked by instance-of / subclass-of edges."""
    classes: dict[str, str] = {}
    links = set()
    for node, category in list(graph.nodes(data="category_curie")):
        chain = reader.ancestors(reader.prefixes.expand_iri(category))
        classes.update((reader.curie(cls), cls) for cls in chain)
        names = [reader.curie(cls) for cls in chain]
        links.add((node, RDF.type, names[0]))
        links.update((child, RDFS.subClassOf, parent) for child, parent in zip(names, names[1:]))
    for curie in sorted(classes):
        graph.add_node(curie, kind="class", label=reader.label(classes[curie]), iri=classes[curie],
                       definition=reader.lookup(classes[curie], _DEFINITION))
    for source, predicate, target in sorted(links):
        label = SCHEMA_EDGES[predicate]
        graph.add_edge(source, target, key=f"{source} {label} {target}",
                       predicate=reader.curie(predicate), predicate_label=label)


def resolve_node(graph: "networkx.MultiDiGraph", text: str) -> str:
    """The entity node of the network meant by ``text``; see :func:`match_entity`."""
    return match_entity(entity_nodes(graph), text)


def entity_nodes(graph: "networkx.MultiDiGraph") -> list[tuple[str, dict]]:
    """The network's entities as ``(CURIE, attributes)``: the candidates of :func:`match_entity`."""
    return [(node, data) for node, data in graph.nodes(data=True) if data.get("kind") == "entity"]


def match_entity(entities: list[tuple[str, dict]], text: str) -> str:
    """The entity meant by ``text``, tried in turn as: its CURIE or an exact-match CURIE
    (``HGNC:17635``); its label; a synonym, local id or CURIE in any case; a label or synonym
    under :func:`exograph.normalise.key` (``PD L1``, ``IFN gamma``, ``tumor exosome``), as the view's search.

    ``entities`` are ``(CURIE, {"label", "synonyms", "exact_matches"})`` pairs from anywhere (the
    local network, or a remote endpoint). Labels and synonyms are matched case-insensitively.
    Raises :class:`UsageError` for an unknown or ambiguous name, with suggestions.
    """
    wanted, key = text.strip(), text.strip().casefold()
    labels = {node: data["label"] for node, data in entities}
    tiers = (
        lambda node, data: wanted == node or wanted in data["exact_matches"],
        lambda node, data: key == data["label"].casefold(),
        lambda node, data: key in {name.casefold() for name in (*data["synonyms"], node, node.partition(":")[2])},
        lambda node, data: normalised in {search_key(name) for name in (data["label"], *data["synonyms"])},
    )
    normalised = search_key(text) or None  # (read by the last tier) an empty key matches nothing
    for matches in tiers:
        found = [node for node, data in entities if matches(node, data)]
        if len(found) == 1:
            return found[0]
        if found:
            options = "; ".join(f"{labels[node]} ({node})" for node in found)
            raise UsageError(f"'{text}' is ambiguous: it names {options}; give a CURIE")
    names = {name.casefold(): node for node, data in entities for name in (data["label"], *data["synonyms"], node)}
    close = difflib.get_close_matches(key, names, n=5, cutoff=0.6) + [name for name in sorted(names) if key in name]
    suggested = list(dict.fromkeys(names[name] for name in close))[:5]
    hint = "; did you mean " + ", ".join(f"{labels[node]} ({node})" for node in suggested) + "?" if suggested else ""
    raise UsageError(f"unknown concept '{text}'{hint}")


def to_networkx(
    kg: "KnowledgeGraph",
    categories: str | Iterable[str] | None = None,
    predicates: str | Iterable[str] | None = None,
    focus: str | None = None,
    hops: int | None = None,
    query: str | None = None,
    include_schema: bool = False,
) -> "networkx.MultiDiGraph":
    """The claim network as a ``networkx.MultiDiGraph``.

    Nodes are entities keyed by CURIE (``exo:CD274``) with ``kind``, ``label``, ``category``
    (class label), ``category_curie``, ``iri``, ``definition``, ``synonyms``,
    ``exact_matches``, ``close_matches`` and ``broader`` (lists of CURIEs). Each claim is one
    edge keyed by its CURIE (``claim:...``) with ``predicate`` (CURIE), ``predicate_label``,
    ``publications`` (CURIEs) and ``publication_keys`` (curation keys, same order), ``evidence``
    (ECO CURIE), ``evidence_label``, the slots of :data:`CLAIM_SLOTS` (the Biolink qualifiers by
    their slot names, ending in ``_qualifier``: notations such as ``decreased``, or entity CURIEs
    for the specialization slots) and ``quantities`` (labels such as "vesicle diameter: 30-200 nm");
    a slot the claim does not fill (``polarity`` of a predicate without an opposite) is None. All
    values are text.

    With no selection the network holds every entity, including those no claim mentions (as
    isolated nodes), so its node and edge counts equal ``exograph stats``' entities and
    claims. Selections narrow it, in this order:

    - ``categories``: entities of these classes or their subclasses (local name, CURIE or
      label: ``"Cargo"``, ``"exos:Protein"``, ``"cell type"``), and the claims among them;
    - ``query``: a SPARQL SELECT keeps the entities bound in its result; a CONSTRUCT or
      DESCRIBE keeps the entities its graph mentions and the claims whose plain triple it holds;
    - ``predicates``: only claims with these predicates (local name, CURIE or label), and
      only the entities they link;
    - ``focus`` / ``hops``: the entities within ``hops`` claims (either direction, default 1)
      of the focus (CURIE, label or synonym; see :func:`resolve_node`) and the claims among them.

    ``include_schema`` adds each entity's class and superclasses as ``kind="class"`` nodes,
    linked by "instance of" and "subclass of" edges. Publications, claim nodes and evidence
    terms are never nodes: they are attributes of the claim edges.
    """
    if hops is not None and (focus is None or hops < 0):
        raise UsageError("hops needs a focus node and must be 0 or more")
    reader = _Reader(kg.prefixes, kg.store.terms())
    vocabulary = Vocabulary.from_schema(kg.schema)
    network = _claim_network(reader, vocabulary)
    nodes, claims = set(network.nodes), {key for _, _, key in network.edges(keys=True)}
    if categories is not None:
        chosen = _terms(categories, vocabulary.categories, reader, "category")
        classes = {reader.curie(str(cls)) for cls in vocabulary.categories.values() if chosen & set(reader.ancestors(str(cls)))}
        nodes = {node for node, cls in network.nodes(data="category_curie") if cls in classes}
    if query is not None:
        selected, constructed = _query_selection(kg, network, query)
        nodes &= selected
        claims = claims if constructed is None else claims & constructed
    if predicates is not None:
        chosen = {reader.curie(p) for p in _terms(predicates, vocabulary.predicates, reader, "predicate")}
        claims = {key for u, v, key, predicate in network.edges(keys=True, data="predicate")
                  if key in claims and predicate in chosen and u in nodes and v in nodes}
        nodes = {end for u, v, key in network.edges(keys=True) if key in claims for end in (u, v)}
    graph = _restrict(network, nodes, claims)
    if focus is not None:
        import networkx

        center = resolve_node(network, focus)
        if center not in graph:
            raise UsageError(f"'{focus}' ({center}) is not in the selected network")
        near = networkx.single_source_shortest_path_length(graph.to_undirected(as_view=True), center,
                                                           cutoff=1 if hops is None else hops)
        graph = _restrict(graph, set(near), claims)
    if include_schema:
        _add_schema(reader, graph)
    return graph
