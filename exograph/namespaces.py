"""Namespaces of the graph and the declared CURIE prefix map."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import curies
from rdflib import Namespace, URIRef

EXO = Namespace("https://w3id.org/exograph/entity/")
EXOS = Namespace("https://w3id.org/exograph/schema/")
CLAIM = Namespace("https://w3id.org/exograph/claim/")
PUB = Namespace("https://w3id.org/exograph/pub/")
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
ECO = Namespace("http://purl.obolibrary.org/obo/ECO_")
KNOWLEDGE_SOURCE = URIRef("https://w3id.org/exograph/")

# Where a person follows an identifier: resolvers for IRIs whose own host does not serve pages.
RESOLVERS = {
    "http://identifiers.org/pubmed/": "https://pubmed.ncbi.nlm.nih.gov/",
    "http://identifiers.org/doi/": "https://doi.org/",
    "http://identifiers.org/pmc/": "https://www.ncbi.nlm.nih.gov/pmc/articles/",
    "http://identifiers.org/clinicaltrials/": "https://clinicaltrials.gov/study/",
}


@dataclass(frozen=True)
class Prefix:
    prefix: str
    expansion: str
    pattern: re.Pattern


class PrefixMap:
    """The declared prefixes: expansion, compression and local-id checks for CURIEs."""

    def __init__(self, prefixes: list[Prefix]):
        self.prefixes = {p.prefix: p for p in prefixes}
        self.converter = curies.Converter.from_prefix_map({p.prefix: p.expansion for p in prefixes})

    @classmethod
    def read(cls, path: Path) -> "PrefixMap":
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        return cls([Prefix(r["prefix"], r["expansion"], re.compile(r["local_id_pattern"])) for r in rows])

    def check(self, curie: str) -> tuple[str, str] | None:
        """None if the CURIE is well formed under a declared prefix, else (rule, what is wrong)."""
        prefix, sep, local = curie.partition(":")
        if not sep or not prefix or not local:
            return "undeclared-prefix", f"'{curie}' is not a CURIE (prefix:local_id)"
        declared = self.prefixes.get(prefix)
        if declared is None:
            return "undeclared-prefix", f"prefix '{prefix}' of '{curie}' is not declared in prefixes.tsv"
        if not declared.pattern.match(local):
            return "bad-local-id", f"local id '{local}' does not match {prefix}'s pattern {declared.pattern.pattern}"
        return None

    def expand(self, curie: str) -> URIRef:
        return URIRef(self.converter.expand(curie, strict=True))

    def compress(self, iri: str) -> str:
        """The CURIE of an IRI, or the IRI itself when no prefix covers it."""
        return self.converter.compress(str(iri)) or str(iri)

    def bind_all(self, graph) -> None:
        for prefix in sorted(self.prefixes):
            graph.bind(prefix, self.prefixes[prefix].expansion, override=True, replace=True)


def resolver_url(iri: str) -> str:
    """A web page for an identifier IRI (identifiers.org IRIs go to the database itself)."""
    for base, page in RESOLVERS.items():
        if iri.startswith(base):
            return page + iri[len(base):]
    return iri
