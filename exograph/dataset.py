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

from rdflib import DCTERMS, OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import VOID

from .curation import _valid_date
from .namespaces import EXOS, KNOWLEDGE_SOURCE_IRI
from .paths import OntologyLayout
from .problems import Problem, display_path
from .tables import Row, TableSpec, read_table
from .terms import graph_prefixes

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
    sources: list[URIRef] = field(default_factory=list)


def read_metadata(layout: OntologyLayout, graph: Graph) -> tuple[Metadata | None, list[Problem]]:
    """The release metadata of an ontology folder (None when it has no ``curated/dataset.tsv``), with
    a located problem for each bad field; ``graph`` names the publications a ``source`` may cite."""
    if not layout.dataset.is_file():
        return None, []
    table, problems = read_table(layout.dataset, METADATA, layout.root)
    metadata = Metadata()
    keys = {str(key): pub for pub, key in graph.subject_objects(EXOS.curationKey)}
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
    if name == "issued" and not (re.match(r"^\d{4}-\d{2}-\d{2}$", value) and _valid_date(value, XSD.date)):
        return row.problem("value", "bad-value", f"'{value}' is not a date", "write the release date as YYYY-MM-DD")
    if name == "license" and not (value.startswith(("http://", "https://")) and is_iri(value)):
        return row.problem("value", "bad-value", f"'{value}' is not an IRI",
                           "give the licence's address, such as https://creativecommons.org/licenses/by/4.0/")
    if name == "source" and value not in keys:
        return row.problem("value", "unknown-publication", f"no publication with key '{value}'",
                           "name the source by its key in publications.tsv")
    return None


def describe(graph: Graph, metadata: Metadata) -> None:
    """Add the dataset node (release metadata, and VoID counts of ``graph`` as it is) to ``graph``."""
    dataset = URIRef(DATASET_IRI)
    values = metadata.values
    release = f"{RELEASES}{values['version']}/"
    triples = _void(graph, dataset) + [
        (dataset, RDF.type, OWL.Ontology), (dataset, RDF.type, VOID.Dataset),
        (dataset, DCTERMS.title, Literal(values["title"])),
        (dataset, OWL.versionInfo, Literal(values["version"])), (dataset, OWL.versionIRI, URIRef(release)),
        (dataset, DCTERMS.issued, Literal(values["issued"], datatype=XSD.date)),
        (dataset, DCTERMS.license, URIRef(values["license"])),
        (dataset, RDFS.comment, Literal(COMMENT)),
        *((dataset, DCTERMS.source, source) for source in metadata.sources),
        *((dataset, DCTERMS.creator, Literal(name)) for name in metadata.creators),
        *((dataset, VOID.dataDump, URIRef(f"{release}exograph.{fmt}")) for fmt in DUMP_FORMATS),
    ]
    if "description" in values:
        triples.append((dataset, DCTERMS.description, Literal(values["description"])))
    for triple in triples:
        graph.add(triple)


def _void(graph: Graph, dataset: URIRef) -> list[tuple]:
    """VoID counts of ``graph``: triples, typed entities, classes and properties, with one partition
    node per class and per property (IRIs made from their CURIEs, so output is byte-identical)."""
    by_property = Counter(p for _, p, _ in graph)
    instances: dict = {}
    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(subject, URIRef):
            instances.setdefault(cls, set()).add(subject)
    prefixes = sorted(graph_prefixes(graph).items(), key=lambda item: (-len(item[1]), item[0]))
    typed = set().union(*instances.values()) if instances else set()
    triples = [(dataset, VOID.triples, Literal(len(graph))), (dataset, VOID.entities, Literal(len(typed))),
               (dataset, VOID.classes, Literal(len(instances))), (dataset, VOID.properties, Literal(len(by_property)))]
    for cls in sorted(instances):
        node = _partition("class", cls, prefixes)
        triples += [(dataset, VOID.classPartition, node), (node, VOID["class"], cls),
                    (node, VOID.entities, Literal(len(instances[cls])))]
    for prop in sorted(by_property):
        node = _partition("property", prop, prefixes)
        triples += [(dataset, VOID.propertyPartition, node), (node, VOID.property, prop),
                    (node, VOID.triples, Literal(by_property[prop]))]
    return triples


def _partition(kind: str, iri, prefixes: list[tuple[str, str]]) -> URIRef:
    """``https://w3id.org/exograph/void/class/exos:Protein``: the partition of a class or property."""
    text = str(iri)
    name = next((f"{prefix}:{text[len(stem):]}" for prefix, stem in prefixes if text.startswith(stem) and len(text) > len(stem)), text)
    return URIRef(f"{DATASET_IRI}void/{kind}/{quote(name, safe=':')}")


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
