"""The dataset's own description: release metadata from ``curated/dataset.tsv`` and a VoID description
counted from the compiled graph, both added to the graph as its last step.

The description is about the rest of the graph: ``void:triples``, ``void:entities`` and the class and
property partitions count every triple except those of the description itself (the dataset node and
its partition nodes), so that adding the description does not change what it says.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from typing import Iterable, Mapping

from rdflib import DCTERMS, OWL, RDF, RDFS, XSD
from rdflib.namespace import VOID

from .curation import XSD_DATE, _valid_date
from .namespaces import KNOWLEDGE_SOURCE_IRI
from .ntriples import iri, line, literal, parse_literal, split, typed
from .paths import OntologyLayout
from .problems import Problem, display_path
from .tables import Row, TableSpec, read_table

if TYPE_CHECKING:
    from .store import Store

DATASET_IRI = KNOWLEDGE_SOURCE_IRI  # https://w3id.org/exograph/: the dataset, also its Biolink knowledge source
RELEASES = DATASET_IRI + "release/"  # a release's files: RELEASES + VERSION + "/exograph.ttl" ...
DUMP_FORMATS = ("ttl", "nt", "jsonld")  # the files `exograph build` writes
METADATA = TableSpec("dataset", ("field", "value"), ("field", "value"))
SINGLE = ("title", "version", "issued", "license", "description")  # fields given once
REQUIRED = ("title", "version", "issued", "license", "creator")
REPEATABLE = ("creator", "source")
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+-]*$")
COMMENT = ("void:triples, void:entities, void:classes, void:properties and the partitions count the graph "
           "without this description (the dataset node and its partition nodes); the files hold those "
           "triples too, so they count more.")


@dataclass
class Metadata:
    """The fields of ``dataset.tsv``: one value each; creators, and sources as publication IRIs."""

    values: dict[str, str] = field(default_factory=dict)
    creators: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def read_metadata(layout: OntologyLayout, keys: Mapping[str, str]) -> tuple[Metadata | None, list[Problem]]:
    """The release metadata of an ontology folder (None when it has no ``curated/dataset.tsv``), with
    a located problem for each bad field; ``keys`` gives the IRI of each publication a ``source`` may cite."""
    if not layout.dataset.is_file():
        return None, []
    table, problems = read_table(layout.dataset, METADATA, layout.root)
    metadata = Metadata()
    seen: dict[str, int] = {}
    for row in table.rows:
        name, value = row["field"], row["value"]
        wrong = _field_problem(row, name, value, seen, keys)
        if wrong:
            problems.append(wrong)
        elif name == "creator":
            metadata.creators.append(value)
        elif name == "source":
            metadata.sources.append(keys[value])
        else:
            metadata.values[name] = value
            seen[name] = row.line
    shown = display_path(layout.dataset, layout.root)
    present = {*metadata.values, *(["creator"] if metadata.creators else [])}
    problems += [Problem(shown, 1, "", "missing-value", f"the field '{name}' is missing", f"add a row: {name}<TAB>VALUE")
                 for name in REQUIRED if name not in present and name not in seen]
    return metadata, problems


def _field_problem(row: Row, name: str, value: str, seen: dict[str, int], keys: dict) -> Problem | None:
    """What is wrong with one row of ``dataset.tsv``, if anything."""
    from .store import is_iri

    if name not in SINGLE and name not in REPEATABLE:
        return row.problem("field", "unknown-field", f"unknown field '{name}'",
                           f"use one of: {', '.join(sorted({*SINGLE, *REPEATABLE}))}")
    if name in seen:
        return row.problem("field", "duplicate-id", f"'{name}' is given twice (also at line {seen[name]})", "keep one row for it")
    if name == "version" and not VERSION.match(value):
        return row.problem("value", "bad-value", f"version '{value}' may hold only letters, digits, '.', '+' and '-'",
                           "write it as 2026.12 or 1.2.0")
    if name == "issued" and not (re.match(r"^\d{4}-\d{2}-\d{2}$", value) and _valid_date(value, XSD_DATE)):
        return row.problem("value", "bad-value", f"'{value}' is not a date", "write the release date as YYYY-MM-DD")
    if name == "license" and not (value.startswith(("http://", "https://")) and is_iri(value)):
        return row.problem("value", "bad-value", f"'{value}' is not an IRI",
                           "give the licence's address, such as https://creativecommons.org/licenses/by/4.0/")
    if name == "source" and value not in keys:
        return row.problem("value", "unknown-publication", f"no publication with key '{value}'",
                           "name the source by its key in publications.tsv")
    return None


def describe(lines: set[str], namespaces: Mapping[str, str], metadata: Metadata) -> list[str]:
    """The graph's N-Triples ``lines`` (distinct) with the dataset node added: release metadata, and VoID counts of the lines."""
    dataset = iri(DATASET_IRI)
    values = metadata.values
    release = f"{RELEASES}{values['version']}/"
    p = {name: iri(term) for name, term in (("type", RDF.type), ("title", DCTERMS.title), ("issued", DCTERMS.issued),
                                            ("license", DCTERMS.license), ("source", DCTERMS.source),
                                            ("creator", DCTERMS.creator), ("description", DCTERMS.description),
                                            ("comment", RDFS.comment), ("versionInfo", OWL.versionInfo),
                                            ("versionIRI", OWL.versionIRI), ("dataDump", VOID.dataDump))}
    triples = _void(lines, namespaces, dataset) + [
        (dataset, p["type"], iri(OWL.Ontology)), (dataset, p["type"], iri(VOID.Dataset)),
        (dataset, p["title"], literal(values["title"])),
        (dataset, p["versionInfo"], literal(values["version"])), (dataset, p["versionIRI"], iri(release)),
        (dataset, p["issued"], typed(values["issued"], str(XSD.date))),
        (dataset, p["license"], iri(values["license"])),
        (dataset, p["comment"], literal(COMMENT)),
        *((dataset, p["source"], iri(source)) for source in metadata.sources),
        *((dataset, p["creator"], literal(name)) for name in metadata.creators),
        *((dataset, p["dataDump"], iri(f"{release}exograph.{fmt}")) for fmt in DUMP_FORMATS),
    ]
    if "description" in values:
        triples.append((dataset, p["description"], literal(values["description"])))
    return [*lines, *(line(*triple) for triple in triples)]


def _count(number: int) -> str:
    return typed(str(number), str(XSD.integer))


def _void(lines: Iterable[str], namespaces: Mapping[str, str], dataset: str) -> list[tuple[str, str, str]]:
    """VoID counts of the distinct N-Triples ``lines``: triples, typed entities, classes and properties, with one
    partition node per class and per property (IRIs made from their CURIEs, so output is byte-identical)."""
    rdf_type = iri(RDF.type)
    by_property: Counter = Counter()
    instances: dict[str, set[str]] = {}
    total = 0
    for text in lines:
        subject, predicate, obj = split(text)
        by_property[predicate] += 1
        total += 1
        if predicate == rdf_type and subject[0] == "<":
            instances.setdefault(obj, set()).add(subject)
    prefixes = sorted(namespaces.items(), key=lambda item: (-len(item[1]), item[0]))
    typed_nodes = set().union(*instances.values()) if instances else set()
    void = {name: iri(VOID[name]) for name in ("triples", "entities", "classes", "properties", "classPartition",
                                                "propertyPartition", "class", "property")}
    triples = [(dataset, void["triples"], _count(total)), (dataset, void["entities"], _count(len(typed_nodes))),
               (dataset, void["classes"], _count(len(instances))), (dataset, void["properties"], _count(len(by_property)))]
    for cls in sorted(instances, key=_node_order):
        node = _partition("class", cls, prefixes)
        triples += [(dataset, void["classPartition"], node), (node, void["class"], cls),
                    (node, void["entities"], _count(len(instances[cls])))]
    for prop in sorted(by_property, key=_node_order):
        node = _partition("property", prop, prefixes)
        triples += [(dataset, void["propertyPartition"], node), (node, void["property"], prop),
                    (node, void["triples"], _count(by_property[prop]))]
    return triples


def _node_order(term: str) -> tuple[int, str]:
    """rdflib's order of nodes: blank nodes, then IRIs, then literals; each by its text."""
    return (0, term) if term[0] == "_" else (1, term[1:-1]) if term[0] == "<" else (2, term)


def _partition(kind: str, term: str, prefixes: list[tuple[str, str]]) -> str:
    """``https://w3id.org/exograph/void/class/exos:Protein``: the partition of a class or property (an N-Triples term)."""
    text = term[1:-1] if term[0] == "<" else term[2:] if term[0] == "_" else parse_literal(term)[0]
    name = next((f"{prefix}:{text[len(stem):]}" for prefix, stem in prefixes if text.startswith(stem) and len(text) > len(stem)), text)
    return iri(f"{DATASET_IRI}void/{kind}/{quote(name, safe=':')}")


SUMMARY = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?title ?version ?versionIRI ?issued ?license WHERE {
  ?dataset owl:versionInfo ?version ; owl:versionIRI ?versionIRI ; dcterms:title ?title ;
           dcterms:issued ?issued ; dcterms:license ?license .
} LIMIT 1"""


def summary(store: "Store") -> dict[str, str] | None:
    """The dataset's IRI, title, version, version IRI, release date and licence, or None when the graph
    holds no dataset description (an ontology folder without ``curated/dataset.tsv``)."""
    result = store.query(SUMMARY, {"dataset": ("i", DATASET_IRI)})
    if not result.rows:
        return None
    names = ("title", "version", "version_iri", "issued", "license")
    return {"dataset": DATASET_IRI, **{name: str(value) for name, value in zip(names, result.rows[0])}}
