"""Namespaces of the graph and the declared CURIE prefix map."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Namespace, URIRef

    EXO: Namespace
    EXOS: Namespace
    CLAIM: Namespace
    PUB: Namespace
    BIOLINK: Namespace
    ECO: Namespace
    KNOWLEDGE_SOURCE: URIRef

# EXO, EXOS ... are rdflib Namespaces made on first use (below), so that reading prefixes needs no rdflib.
_NAMESPACES = {
    "EXO": "https://w3id.org/exograph/entity/",
    "EXOS": "https://w3id.org/exograph/schema/",
    "CLAIM": "https://w3id.org/exograph/claim/",
    "PUB": "https://w3id.org/exograph/pub/",
    "BIOLINK": "https://w3id.org/biolink/vocab/",
    "ECO": "http://purl.obolibrary.org/obo/ECO_",
}


def __getattr__(name: str) -> Any:
    if name in _NAMESPACES:
        from rdflib import Namespace

        globals()[name] = Namespace(_NAMESPACES[name])
    elif name == "KNOWLEDGE_SOURCE":
        from rdflib import URIRef

        globals()[name] = URIRef("https://w3id.org/exograph/")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return globals()[name]

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
        self._by_expansion = {p.expansion: p.prefix for p in prefixes}
        self._lengths = sorted({len(e) for e in self._by_expansion}, reverse=True)  # longest match first

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

    def expand(self, curie: str) -> "URIRef":
        """The IRI of a CURIE under a declared prefix (:meth:`check` it first); KeyError for an unknown prefix."""
        from rdflib import URIRef

        return URIRef(self.expand_iri(curie))

    def expand_iri(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return self.prefixes[prefix].expansion + local

    def compress(self, iri: str) -> str:
        """The CURIE of an IRI under the longest matching expansion, or the IRI itself when none covers it."""
        iri = str(iri)
        for length in self._lengths:
            prefix = self._by_expansion.get(iri[:length])
            if prefix is not None:
                return f"{prefix}:{iri[length:]}"
        return iri

    def bind_all(self, graph) -> None:
        for prefix in sorted(self.prefixes):
            graph.bind(prefix, self.prefixes[prefix].expansion, override=True, replace=True)


def resolver_url(iri: str) -> str:
    """A web page for an identifier IRI (identifiers.org IRIs go to the database itself)."""
    for base, page in RESOLVERS.items():
        if iri.startswith(base):
            return page + iri[len(base):]
    return iri
