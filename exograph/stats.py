"""Counts that describe the graph: by class, predicate, publication and evidence type."""
from __future__ import annotations

from .dataset import summary
from .store import Store

_PREFIXES = """
PREFIX exos: <https://w3id.org/exograph/schema/>
PREFIX biolink: <https://w3id.org/biolink/vocab/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
TOTALS = _PREFIXES + """
SELECT
  (COUNT(DISTINCT ?claim) AS ?claims)
  (COUNT(DISTINCT ?entity) AS ?entities)
  (COUNT(DISTINCT ?pub) AS ?publications)
WHERE {
  { ?claim a exos:Claim } UNION
  { ?entity a/rdfs:subClassOf* exos:Entity } UNION
  { ?pub a exos:Publication }
}"""
BY_CLASS = _PREFIXES + """
SELECT ?key (COUNT(DISTINCT ?entity) AS ?count) WHERE {
  ?entity a ?class . ?class rdfs:subClassOf* exos:Entity ; rdfs:label ?key .
} GROUP BY ?key"""
BY_PREDICATE = _PREFIXES + """
SELECT ?key (COUNT(?claim) AS ?count) WHERE {
  ?claim a exos:Claim ; rdf:predicate ?p . ?p rdfs:label ?key .
} GROUP BY ?key"""
BY_PUBLICATION = _PREFIXES + """
SELECT ?key (COUNT(?claim) AS ?count) WHERE {
  ?pub a exos:Publication ; exos:curationKey ?key .
  OPTIONAL { ?claim biolink:publications ?pub }
} GROUP BY ?key"""
BY_EVIDENCE = _PREFIXES + """
SELECT ?key (COUNT(?claim) AS ?count) WHERE {
  ?claim a exos:Claim ; biolink:has_evidence ?eco . ?eco rdfs:label ?label .
  BIND(CONCAT(REPLACE(STR(?eco), "^.*/ECO_", "ECO:"), " ", ?label) AS ?key)
} GROUP BY ?key"""
BY_TOPIC = _PREFIXES + """
SELECT ?key (COUNT(?claim) AS ?count) WHERE {
  ?claim a exos:Claim ; exos:topic ?topic . ?topic rdfs:label ?key .
} GROUP BY ?key"""
BREAKDOWNS = {"by_class": BY_CLASS, "by_predicate": BY_PREDICATE, "by_publication": BY_PUBLICATION,
              "by_evidence": BY_EVIDENCE, "by_topic": BY_TOPIC}


def graph_stats(store: Store) -> dict:
    """Totals (claims, entities, publications, triples), the release (version, date, licence; None
    without a dataset description) and count tables, most frequent first."""
    totals = store.query(TOTALS, timeout=None).rows[0]  # fixed counting queries: no deadline, at any graph size
    stats: dict = {name: int(value.toPython()) for name, value in zip(("claims", "entities", "publications"), totals)}
    stats["triples"] = len(store)
    stats["release"] = summary(store)
    for name, text in BREAKDOWNS.items():
        rows = [(str(key), int(count.toPython())) for key, count in store.query(text, timeout=None).rows]
        stats[name] = dict(sorted(rows, key=lambda item: (-item[1], item[0])))
    return stats


def format_stats(stats: dict) -> str:
    """The stats as aligned plain text."""
    lines = [f"{name:<14}{stats[name]:>7}" for name in ("claims", "entities", "publications", "triples")]
    release = stats.get("release")
    if release:
        lines.append(f"{'version':<14}{release['version']} of {release['issued']} ({release['version_iri']})")
        lines.append(f"{'licence':<14}{release['license']}")
    for name in BREAKDOWNS:
        lines.append("")
        lines.append(name.replace("_", " ") + ":")
        lines.extend(f"  {count:>5}  {key}" for key, count in stats[name].items())
    return "\n".join(lines)
