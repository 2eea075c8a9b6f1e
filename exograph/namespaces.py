"""Namespaces of the graph and the declared CURIE prefix map."""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .problems import DataProblems, Problem
from .tables import Row, TableSpec, read_table

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
KNOWLEDGE_SOURCE_IRI = "https://w3id.org/exograph/"  # exograph as a Biolink knowledge source
CURATED_GRAPH = KNOWLEDGE_SOURCE_IRI  # the curated graph's name in a store (as `exograph push` names it)


def __getattr__(name: str) -> Any:
    if name in _NAMESPACES:
        from rdflib import Namespace

        globals()[name] = Namespace(_NAMESPACES[name])
    elif name == "KNOWLEDGE_SOURCE":
        from rdflib import URIRef

        globals()[name] = URIRef(KNOWLEDGE_SOURCE_IRI)
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


PREFIXES = TableSpec("prefixes", ("prefix", "expansion", "local_id_pattern", "note"),
                     ("prefix", "expansion", "local_id_pattern"))
_PREFIX_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_EXPANSION = re.compile(r"^https?://[^/\s]+/\S*$")
_FORBIDDEN = r'\x00-\x20<>"{}|^`\\'  # characters no IRI holds; build checks each minted IRI in full
_IRI_FORBIDDEN = re.compile(f"[{_FORBIDDEN}]")
# not allowed in the local part of an IRI: percent-encoded when minting (a '%' only when no two hex digits follow)
_IRI_UNSAFE = re.compile(f"[{_FORBIDDEN}\\[\\]#]|%(?![0-9A-Fa-f]{{2}})")


def iri_safe(local: str) -> str:
    """A CURIE's local part with what an IRI may not hold there percent-encoded (a SICI DOI's ``<`` and ``>``,
    brackets, a ``#`` that would start a fragment, a stray ``%``)."""
    return _IRI_UNSAFE.sub(lambda m: "".join(f"%{byte:02X}" for byte in m.group().encode("utf-8")), local)


class Prefix(NamedTuple):
    prefix: str
    expansion: str
    pattern: str  # a regular expression for local ids, compiled (by re's cache) when a CURIE is first checked


class PrefixMap:
    """The declared prefixes: expansion, compression and local-id checks for CURIEs."""

    def __init__(self, prefixes: list[Prefix]):
        self.prefixes = {p.prefix: p for p in prefixes}
        self._by_expansion = {p.expansion: p.prefix for p in prefixes}
        self._lengths = sorted({len(e) for e in self._by_expansion}, reverse=True)  # longest match first

    @classmethod
    def load(cls, path: Path, root: Path | None = None, checked: bool = False) -> tuple["PrefixMap", list[Problem]]:
        """Read ``prefixes.tsv`` with the curated tables' reader; each bad row is a located problem and left out.
        ``checked``: the file is the one a fresh store was built from, so its rows passed these checks already
        (they are skipped: compiling every pattern costs a command about 5 ms)."""
        table, problems = read_table(path, PREFIXES, root)
        prefixes: dict[str, tuple[Row, Prefix]] = {}
        expansions: dict[str, Row] = {}
        for row in table.rows:
            wrong = None if checked else _prefix_row_problem(row, prefixes, expansions)
            if wrong:
                problems.append(wrong)
                continue
            prefixes[row["prefix"]] = (row, Prefix(row["prefix"], row["expansion"], row["local_id_pattern"]))
            expansions[row["expansion"]] = row
        return cls([prefix for _, prefix in prefixes.values()]), problems

    @classmethod
    def read(cls, path: Path, checked: bool = False) -> "PrefixMap":
        """Read ``prefixes.tsv``; raise :class:`DataProblems` if any row is wrong (``checked``: see :meth:`load`)."""
        prefix_map, problems = cls.load(path, checked=checked)
        if problems:
            raise DataProblems(problems)
        return prefix_map

    def check(self, curie: str) -> tuple[str, str] | None:
        """None if the CURIE is well formed under a declared prefix, else (rule, what is wrong)."""
        prefix, sep, local = curie.partition(":")
        if not sep or not prefix or not local:
            return "undeclared-prefix", f"'{curie}' is not a CURIE (prefix:local_id)"
        declared = self.prefixes.get(prefix)
        if declared is None:
            return "undeclared-prefix", f"prefix '{prefix}' of '{curie}' is not declared in prefixes.tsv"
        if not re.match(declared.pattern, local):
            return "bad-local-id", f"local id '{local}' does not match {prefix}'s pattern {declared.pattern}"
        return None

    def expand(self, curie: str) -> "URIRef":
        """The IRI of a CURIE under a declared prefix (:meth:`check` it first); KeyError for an unknown prefix."""
        from rdflib import URIRef

        return URIRef(self.expand_iri(curie))

    def expand_iri(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return self.prefixes[prefix].expansion + iri_safe(local)

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


def _prefix_row_problem(row: Row, prefixes: dict, expansions: dict) -> Problem | None:
    """What is wrong with one row of ``prefixes.tsv``, or None."""
    prefix, expansion, pattern = row["prefix"], row["expansion"], row["local_id_pattern"]
    if not _PREFIX_NAME.match(prefix):
        return row.problem("prefix", "bad-prefix", f"'{prefix}' is not a CURIE prefix", "use letters, digits, _, - and .")
    if prefix in prefixes:
        earlier = prefixes[prefix][0]
        return row.problem("prefix", "duplicate-prefix", f"'{prefix}' is already declared at {earlier.file}:{earlier.line}",
                           "declare each prefix once")
    if not _EXPANSION.match(expansion) or _IRI_FORBIDDEN.search(expansion):
        return row.problem("expansion", "bad-expansion", f"'{expansion}' is not an absolute http(s) IRI",
                           "write the IRI that the local id is appended to, such as http://purl.obolibrary.org/obo/GO_")
    if expansion in expansions:
        earlier = expansions[expansion]
        return row.problem("expansion", "duplicate-expansion",
                           f"'{expansion}' is already the expansion of '{earlier['prefix']}' ({earlier.file}:{earlier.line})",
                           "give each expansion one prefix")
    try:
        re.compile(pattern)
    except re.error as error:
        return row.problem("local_id_pattern", "bad-pattern", f"'{pattern}' is not a regular expression: {error}",
                           "write a Python regular expression such as ^\\d{7}$")
    return None


def resolver_url(iri: str) -> str:
    """A web page for an identifier IRI (identifiers.org IRIs go to the database itself)."""
    for base, page in RESOLVERS.items():
        if iri.startswith(base):
            return page + iri[len(base):]
    return iri
