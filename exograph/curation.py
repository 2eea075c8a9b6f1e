"""Curated rows -> triples. The only place that reads the curated tables."""
from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, XSD, DCTERMS, Graph, Literal, URIRef

from .namespaces import BIOLINK, CLAIM, EXO, EXOS, KNOWLEDGE_SOURCE, PUB, PrefixMap
from .paths import OntologyLayout
from .problems import Problem, display_path
from .tables import Row, TableSpec, read_table

ENTITIES = TableSpec(
    "entities",
    ("id", "label", "category", "definition", "synonyms", "exact_match", "close_match", "broader"),
    ("id", "label", "category", "definition"),
)
PUBLICATIONS = TableSpec(
    "publications",
    ("key", "citation", "year", "pmid", "doi", "pmcid", "verification"),
    ("key", "citation", "year", "verification"),
)
CLAIMS = TableSpec(
    "claims",
    ("id", "subject", "predicate", "object", "publications", "evidence", "paraphrase", "model_system",
     "disease_context", "species_context", "phase", "topic", "curator", "date"),
    ("id", "subject", "predicate", "object", "evidence", "paraphrase", "model_system", "topic", "curator", "date"),
)

# Qualifier columns (Biolink slot names) -> the schema's scheme of their values; None: an entity id.
QUALIFIER_SCHEMES = {
    "subject_form_or_variant_qualifier": "FormOrVariantQualifier",
    "subject_aspect_qualifier": "AspectQualifier",
    "subject_direction_qualifier": "DirectionQualifier",
    "subject_specialization_qualifier": None,
    "object_aspect_qualifier": "AspectQualifier",
    "object_direction_qualifier": "DirectionQualifier",
    "object_specialization_qualifier": None,
}
CLAIM_QUALIFIERS = TableSpec("claim qualifiers", ("claim", *QUALIFIER_SCHEMES), ("claim",))
QUANTITIES = TableSpec(
    "quantities",
    ("claim", "kind", "value", "value_max", "unit", "comparator", "note"),
    ("claim", "kind", "value", "unit"),
)
TRIAL_STATUS = TableSpec("trial status", ("trial", "status", "seen", "source", "note"), ("trial", "status", "seen", "source"))
SCHEMES = ("ModelSystem", "Topic", "ResearchPhase", "AspectQualifier", "DirectionQualifier", "FormOrVariantQualifier",
           "QuantityKind", "Comparator", "TrialStatus", "StatusSource")

ENTITY_ID = re.compile(r"^[A-Za-z0-9_]+$")
CLAIM_ID = re.compile(r"^[A-Za-z0-9_-]+$")
PUB_KEY = re.compile(r"^[a-z0-9]+$")
PUBLICATION_ID_PREFIX = {"pmid": "PMID", "doi": "DOI", "pmcid": "PMCID"}  # column -> CURIE prefix
_LEXICAL = {XSD.gYear: re.compile(r"^-?\d{4,}$"), XSD.date: re.compile(r"^\d{4}-\d{2}-\d{2}$")}
RANGE_COMPARATORS = frozenset({"about"})  # the others (more_than, less_than, up_to) bound one value
NUMBER = re.compile(r"^\d+(\.\d+)?([eE][+-]?\d+)?$")  # a quantity: 150, 2.2 or 5E14 (never negative)
_ANY = re.compile(".*")
NO_TRACEABLE_SOURCE = "ECO:0000303"  # author statement without traceable support: no publication needed
REGISTRY_RECORD = "ECO:0007759"  # curator inference from database (a trial registry record): no publication needed
NO_PUBLICATION_NEEDED = frozenset({NO_TRACEABLE_SOURCE, REGISTRY_RECORD})
KNOWLEDGE_LEVEL = {"ECO:0000305": "logical_entailment"}  # all other evidence: knowledge_assertion


def _valid_date(text: str, datatype: URIRef) -> bool:
    if datatype != XSD.date:
        return True
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass
class Vocabulary:
    """What the schema declares: categories, predicates, evidence codes and controlled terms."""

    categories: dict[str, URIRef]
    predicates: dict[str, URIRef]
    polarity: dict[URIRef, str]
    evidence: set[URIRef]
    schemes: dict[str, dict[str, URIRef]]
    units: set[URIRef]

    @classmethod
    def from_schema(cls, schema: Graph) -> "Vocabulary":
        def local(iri: URIRef) -> str:
            return str(iri)[len(str(EXOS)):]

        categories = {local(c): c for c in schema.subjects(RDFS.subClassOf * "+", EXOS.Entity)
                      if isinstance(c, URIRef) and str(c).startswith(str(EXOS))}
        side_nodes = (EXOS.Claim, EXOS.Quantity, EXOS.StatusRecord)  # their properties are not claim predicates
        claim_slots = ({p for node in side_nodes for p in schema.subjects(RDFS.domain, node)}
                       | set(schema.subjects(RDFS.range, EXOS.StatusRecord)) | {EXOS.oppositeOf})
        predicates = {local(p): p for p in schema.subjects(RDF.type, OWL.ObjectProperty)
                      if str(p).startswith(str(EXOS)) and p not in claim_slots}
        polarity = {p: str(v) for p, v in schema.subject_objects(EXOS.polarity)}
        evidence = set(schema.subjects(RDF.type, EXOS.EvidenceType))
        schemes = {}
        for name in SCHEMES:
            schemes[name] = {str(schema.value(c, SKOS.notation)): c
                             for c in schema.subjects(SKOS.inScheme, EXOS[name])}
        units = set(schema.subjects(SKOS.inScheme, EXOS.Unit))
        return cls(categories, predicates, polarity, evidence, schemes, units)


@dataclass
class Compiled:
    """The triples compiled from curated rows, the problems met, and where each node was written."""

    graph: Graph
    problems: list[Problem] = field(default_factory=list)
    locations: dict[URIRef, tuple[str, int]] = field(default_factory=dict)


class _Compiler:
    def __init__(self, layout: OntologyLayout, prefixes: PrefixMap, schema: Graph):
        self.layout = layout
        self.prefixes = prefixes
        self.schema = schema
        self.vocab = Vocabulary.from_schema(schema)
        self.out = Compiled(Graph())
        self.entities: dict[str, URIRef] = {}
        self.publications: dict[str, URIRef] = {}
        self.mapped: dict[URIRef, tuple[str, int, str]] = {}
        self.claims: dict[str, URIRef] = {}
        self.known: dict[int, str] = {}  # the hint of each lookup table, made once

    # -- helpers
    def add(self, *triple) -> None:
        self.out.graph.add(triple)

    def report(self, problem: Problem) -> None:
        self.out.problems.append(problem)

    def read(self, path: Path, spec: TableSpec) -> list[Row]:
        table, problems = read_table(path, spec, self.layout.root)
        self.out.problems.extend(problems)
        return table.rows

    def register(self, node: URIRef, row: Row, column: str) -> bool:
        """Remember where a node was defined; False (and a problem) if it was defined before."""
        if node in self.out.locations:
            file, line = self.out.locations[node]
            self.report(row.problem(column, "duplicate-id",
                                    f"'{row[column]}' is already defined at {file}:{line}",
                                    "give each row its own id, or merge the two rows"))
            return False
        self.out.locations[node] = (row.file, row.line)
        return True

    def curie_cells(self, row: Row, column: str) -> list[URIRef]:
        iris = []
        for curie in row.items(column):
            wrong = self.prefixes.check(curie)
            if wrong:
                self.report(row.problem(column, *wrong, "use a prefix from prefixes.tsv and a valid local id"))
            else:
                iris.append(self.prefixes.expand(curie))
        return iris

    def check_mapping(self, row: Row, iri: URIRef) -> None:
        """One standard identifier is the exact match of at most one entity."""
        earlier = self.mapped.setdefault(iri, (row.file, row.line, row["id"]))
        if earlier[2] != row["id"]:
            self.report(row.problem("exact_match", "duplicate-mapping",
                                    f"{self.prefixes.compress(iri)} is already the exact match of '{earlier[2]}' ({earlier[0]}:{earlier[1]})",
                                    "merge the two entities, or use close_match for a related concept"))

    def typed(self, row: Row, column: str, datatype: URIRef) -> Literal | None:
        """A typed literal of the cell, or None (and a problem) when the text is not of that type."""
        if not _LEXICAL.get(datatype, _ANY).match(row[column]) or not _valid_date(row[column], datatype):
            self.report(row.problem(column, "ill-typed-literal", f"'{row[column]}' is not a valid {datatype.n3()}".replace(str(XSD), "xsd:"),
                                    "write a year as 2019 and a date as 2026-11-29"))
            return None
        return Literal(row[column], datatype=datatype)

    def number(self, row: Row, column: str) -> Literal | None:
        """A number cell as a canonical literal: xsd:integer when whole (5E14 -> 500000000000000), else
        xsd:decimal (2.20 -> 2.2), so that the store and every RDF format give back the same literal.
        None (and a problem) when the cell is not a number."""
        if not NUMBER.match(row[column]):
            self.report(row.problem(column, "ill-typed-literal", f"'{row[column]}' is not a number",
                                    "write digits with an optional decimal point and exponent: 150, 2.2, 5E14"))
            return None
        text = format(Decimal(row[column]).normalize(), "f")
        return Literal(text, datatype=XSD.decimal if "." in text else XSD.integer)

    def claim_of(self, row: Row) -> URIRef | None:
        """The compiled claim a row of a side table is about, or None (and a problem when it is unknown)."""
        node = self.lookup(row, "claim", self.claims, "unknown-claim", "claim id")
        return node if node is not None and (node, RDF.type, EXOS.Claim) in self.out.graph else None

    def lookup(self, row: Row, column: str, table: dict, rule: str, what: str) -> URIRef | None:
        value = row[column]
        if value in table:
            return table[value]
        self.report(row.problem(column, rule, f"unknown {what} '{value}'", self.hint(value, table)))
        return None

    def hint(self, value: str, table: dict) -> str:
        """Did you mean (for small vocabularies), else the first names of the table (sorted once per table)."""
        if len(table) <= 500:
            close = difflib.get_close_matches(value, table, n=3, cutoff=0.6)
            if close:
                return f"did you mean {' or '.join(close)}?"
        key = id(table)
        if key not in self.known:
            self.known[key] = ", ".join(sorted(table)[:12]) + (" ..." if len(table) > 12 else "")
        return f"use one of: {self.known[key]}"

    # -- tables
    def compile_publications(self) -> None:
        for row in self.read(self.layout.publications, PUBLICATIONS):
            key = row["key"]
            if not PUB_KEY.match(key):
                self.report(row.problem("key", "bad-local-id", f"publication key '{key}' must be lower-case letters and digits",
                                        "use first author and year, such as chen2018"))
                continue
            ids = {column: row[column] for column in PUBLICATION_ID_PREFIX if row[column]}
            wrong = {column: self.prefixes.check(f"{PUBLICATION_ID_PREFIX[column]}:{value}") for column, value in ids.items()}
            for column, problem in wrong.items():
                if problem:
                    self.report(row.problem(column, "bad-local-id", problem[1], f"write the bare {column}, or leave the cell empty"))
            if any(wrong.values()):
                continue
            iris = {column: self.prefixes.expand(f"{PUBLICATION_ID_PREFIX[column]}:{value}") for column, value in ids.items()}
            node = iris.get("pmid") or iris.get("doi") or PUB[key]  # the publication's own IRI
            if not self.register(node, row, "key"):
                continue
            self.publications[key] = node
            year = self.typed(row, "year", XSD.gYear)
            self.add(node, RDF.type, EXOS.Publication)
            self.add(node, RDFS.label, Literal(row["citation"]))
            self.add(node, DCTERMS.bibliographicCitation, Literal(row["citation"]))
            self.add(node, EXOS.curationKey, Literal(key))
            self.add(node, EXOS.verification, Literal(row["verification"]))
            if year is not None:
                self.add(node, DCTERMS.issued, year)
            for column, value in ids.items():
                self.add(node, EXOS[column], Literal(value))
                iri = iris[column]
                if iri != node:
                    self.add(node, RDFS.seeAlso, iri)

    def compile_entities(self) -> list[tuple[Row, URIRef]]:
        pending_broader = []
        for path in self.layout.entity_files:
            for row in self.read(path, ENTITIES):
                local = row["id"]
                if not ENTITY_ID.match(local):
                    self.report(row.problem("id", "bad-local-id", f"entity id '{local}' may hold only letters, digits and _",
                                            "replace spaces and punctuation with _"))
                    continue
                node = EXO[local]
                if not self.register(node, row, "id"):
                    continue
                self.entities[local] = node
                category = self.lookup(row, "category", self.vocab.categories, "unknown-category", "category")
                if category is not None:
                    self.add(node, RDF.type, category)
                self.add(node, RDFS.label, Literal(row["label"]))
                self.add(node, SKOS.definition, Literal(row["definition"]))
                for synonym in row.items("synonyms"):
                    self.add(node, SKOS.altLabel, Literal(synonym))
                for iri in self.curie_cells(row, "exact_match"):
                    self.add(node, SKOS.exactMatch, iri)
                    self.check_mapping(row, iri)
                for iri in self.curie_cells(row, "close_match"):
                    self.add(node, SKOS.closeMatch, iri)
                pending_broader.append((row, node))
        return pending_broader

    def compile_broader(self, pending: list[tuple[Row, URIRef]]) -> None:
        for row, node in pending:
            for parent in row.items("broader"):
                if parent in self.entities:
                    self.add(node, SKOS.broader, self.entities[parent])
                else:
                    self.report(row.problem("broader", "unknown-entity", f"no entity with id '{parent}'",
                                            "add it to an entities file or correct the id"))

    def compile_claims(self) -> None:
        if not self.layout.claim_files:  # a graph of entities alone answers every query with nothing
            folder = display_path(self.layout.curated / "claims", self.layout.root)
            self.report(Problem(folder, 0, "", "no-claims", "no claim tables (*.tsv) found",
                                "put the claim tables in curated/claims/, or point --ontology at the right folder"))
        for path in self.layout.claim_files:
            for row in self.read(path, CLAIMS):
                self.compile_claim(row)

    def compile_claim(self, row: Row) -> None:
        local = row["id"]
        if not CLAIM_ID.match(local):
            self.report(row.problem("id", "bad-local-id", f"claim id '{local}' may hold only letters, digits, _ and -",
                                    "use topic-NNN, such as immune-042"))
            return
        node = CLAIM[local]
        if not self.register(node, row, "id"):
            return
        self.claims[local] = node
        ok = True
        ends = {}
        for column in ("subject", "object"):
            ends[column] = self.lookup(row, column, self.entities, "unknown-entity", "entity")
        predicate = self.lookup(row, "predicate", self.vocab.predicates, "unknown-predicate", "predicate")
        evidence = self.curie_cells(row, "evidence")
        if evidence and evidence[0] not in self.vocab.evidence:
            self.report(row.problem("evidence", "unknown-evidence", f"'{row['evidence']}' is not an evidence type of the schema",
                                    "use ECO:0000304, ECO:0000303, ECO:0000269, ECO:0000314, ECO:0000305 or ECO:0007759"))
            evidence = []
        publications = []
        for key in row.items("publications"):
            if key in self.publications:
                publications.append(self.publications[key])
            else:
                self.report(row.problem("publications", "unknown-publication", f"no publication with key '{key}'",
                                        "add it to publications.tsv or correct the key"))
                ok = False
        if not row.items("publications") and row["evidence"] not in NO_PUBLICATION_NEEDED:
            self.report(row.problem("publications", "missing-value", "a claim needs at least one publication",
                                    f"cite its source, or use evidence {NO_TRACEABLE_SOURCE} for an untraceable statement "
                                    f"or {REGISTRY_RECORD} for a fact read from a trial registry record"))
        qualifiers = {}
        for column, scheme in (("model_system", "ModelSystem"), ("topic", "Topic"), ("phase", "ResearchPhase")):
            if row[column]:
                qualifiers[column] = self.lookup(row, column, self.vocab.schemes[scheme], "unknown-term", column.replace("_", " "))
        for column in ("disease_context", "species_context"):
            if row[column]:
                qualifiers[column] = self.lookup(row, column, self.entities, "unknown-entity", "entity")
        date = self.typed(row, "date", XSD.date)
        if None in (ends["subject"], ends["object"], predicate, date) or not evidence or not ok or None in qualifiers.values():
            return
        subject, obj = ends["subject"], ends["object"]
        self.add(subject, predicate, obj)
        self.add(node, RDF.type, EXOS.Claim)
        self.add(node, RDF.type, RDF.Statement)
        self.add(node, RDF.subject, subject)
        self.add(node, RDF.predicate, predicate)
        self.add(node, RDF.object, obj)
        for publication in publications:
            self.add(node, BIOLINK.publications, publication)
        self.add(node, BIOLINK.has_evidence, evidence[0])
        self.add(node, BIOLINK.knowledge_level, Literal(KNOWLEDGE_LEVEL.get(row["evidence"], "knowledge_assertion")))
        self.add(node, BIOLINK.agent_type, Literal("manual_agent"))
        self.add(node, BIOLINK.primary_knowledge_source, KNOWLEDGE_SOURCE)
        self.add(node, EXOS.paraphrase, Literal(row["paraphrase"]))
        slots = {"model_system": EXOS.modelSystem, "topic": EXOS.topic, "phase": BIOLINK.max_research_phase,
                 "disease_context": BIOLINK.disease_context_qualifier, "species_context": BIOLINK.species_context_qualifier}
        for column, value in qualifiers.items():
            self.add(node, slots[column], value)
        if predicate in self.vocab.polarity:
            self.add(node, EXOS.polarity, Literal(self.vocab.polarity[predicate]))
        self.add(node, DCTERMS.creator, Literal(row["curator"]))
        self.add(node, DCTERMS.created, date)

    def compile_qualifiers(self) -> None:
        """claim_qualifiers.tsv: one row per claim, each filled cell a Biolink qualifier on its claim node."""
        if not self.layout.claim_qualifiers.is_file():
            return
        seen: dict[str, tuple[str, int]] = {}
        for row in self.read(self.layout.claim_qualifiers, CLAIM_QUALIFIERS):
            if row["claim"] in seen:
                self.report(row.problem("claim", "duplicate-id", f"claim '{row['claim']}' is already qualified at {':'.join(map(str, seen[row['claim']]))}",
                                        "put all qualifiers of a claim on one row"))
                continue
            seen[row["claim"]] = (row.file, row.line)
            if not any(row[column] for column in QUALIFIER_SCHEMES):
                self.report(row.problem("claim", "missing-value", "the row fills no qualifier", "fill a qualifier cell or delete the row"))
                continue
            values = {}
            for column, scheme in QUALIFIER_SCHEMES.items():
                if row[column]:
                    table, what = (self.entities, "entity") if scheme is None else (self.vocab.schemes[scheme], column.replace("_", " "))
                    values[column] = self.lookup(row, column, table, "unknown-entity" if scheme is None else "unknown-term", what)
            node = self.claim_of(row)
            if node is None or None in values.values():
                continue
            for column, value in values.items():
                self.add(node, BIOLINK[column], value)

    def compile_quantities(self) -> None:
        """quantities.tsv: each row a number with a UO unit, stated by the claim's source."""
        if not self.layout.quantities.is_file():
            return
        counts: dict[URIRef, int] = {}
        for row in self.read(self.layout.quantities, QUANTITIES):
            kind = self.lookup(row, "kind", self.vocab.schemes["QuantityKind"], "unknown-term", "quantity kind") if row["kind"] else None
            comparator = self.lookup(row, "comparator", self.vocab.schemes["Comparator"], "unknown-term", "comparator") if row["comparator"] else None
            low = self.number(row, "value") if row["value"] else None
            high = self.number(row, "value_max") if row["value_max"] else None
            if low is not None and high is not None and not float(low) < float(high):
                self.report(row.problem("value_max", "bad-range", f"the range {row['value']}-{row['value_max']} does not rise",
                                        "give the lower end in value and the upper end in value_max"))
                high = None
            if row["value_max"] and row["comparator"] and row["comparator"] not in RANGE_COMPARATORS:
                self.report(row.problem("comparator", "open-range", f"'{row['comparator']}' makes a single value an open bound; "
                                        f"it cannot qualify the range {row['value']}-{row['value_max']}",
                                        "split the range into one row per end, the open end with its comparator (30 and more_than 429)"))
                comparator = None
            unit = self.unit(row)
            node = self.claim_of(row)
            if None in (node, kind, low, unit) or (row["comparator"] and comparator is None) or (row["value_max"] and high is None):
                continue
            quantity = self.numbered(node, "quantity", counts, row)
            self.add(node, EXOS.quantity, quantity)
            self.add(quantity, RDF.type, EXOS.Quantity)
            self.add(quantity, EXOS.quantityKind, kind)
            self.add(quantity, EXOS.unit, unit)
            if high is None:
                self.add(quantity, EXOS.value, low)
            else:
                self.add(quantity, EXOS.minValue, low)
                self.add(quantity, EXOS.maxValue, high)
            if comparator is not None:
                self.add(quantity, EXOS.comparator, comparator)
            if row["note"]:
                self.add(quantity, RDFS.comment, Literal(row["note"]))
            self.add(quantity, RDFS.label, Literal(self.quantity_label(row, kind, comparator, unit)))

    def numbered(self, parent: URIRef, kind: str, counts: dict, row) -> URIRef:
        """``<parent>/KIND-N``, the parent's next node of this kind, located at ``row``."""
        counts[parent] = counts.get(parent, 0) + 1
        node = URIRef(f"{parent}/{kind}-{counts[parent]}")
        self.out.locations[node] = (row.file, row.line)
        return node

    def compile_trial_status(self) -> None:
        """trial_status.tsv: each row the status a trial's registry record showed, and the date it held."""
        if not self.layout.trial_status.is_file():
            return
        counts: dict[URIRef, int] = {}
        for row in self.read(self.layout.trial_status, TRIAL_STATUS):
            trial = self.lookup(row, "trial", self.entities, "unknown-entity", "entity")
            if trial is not None and (trial, RDF.type, EXOS.ClinicalTrial) not in self.out.graph:
                self.report(row.problem("trial", "wrong-category", f"'{row['trial']}' is not a ClinicalTrial",
                                        "give the id of a ClinicalTrial entity"))
                trial = None
            status = self.lookup(row, "status", self.vocab.schemes["TrialStatus"], "unknown-term", "trial status")
            source = self.lookup(row, "source", self.vocab.schemes["StatusSource"], "unknown-term", "status source")
            seen = self.typed(row, "seen", XSD.date)
            if None in (trial, status, source, seen):
                continue
            node = self.numbered(trial, "status", counts, row)
            self.add(trial, EXOS.registryStatus, node)
            self.add(node, RDF.type, EXOS.StatusRecord)
            self.add(node, EXOS.status, status)
            self.add(node, DCTERMS.date, seen)
            self.add(node, EXOS.statusSource, source)
            if row["note"]:
                self.add(node, RDFS.comment, Literal(row["note"]))
            label = f"{self.schema.value(status, RDFS.label)} (as of {row['seen']}, {self.schema.value(source, RDFS.label)})"
            self.add(node, RDFS.label, Literal(label))

    def unit(self, row: Row) -> URIRef | None:
        iris = self.curie_cells(row, "unit")
        if iris and iris[0] not in self.vocab.units:
            known = ", ".join(sorted(self.prefixes.compress(u) for u in self.vocab.units))
            self.report(row.problem("unit", "unknown-unit", f"'{row['unit']}' is not a unit declared in schema.ttl",
                                    f"use one of: {known} (or declare a checked UO term in schema.ttl)"))
            return None
        return iris[0] if iris else None

    def quantity_label(self, row: Row, kind: URIRef, comparator: URIRef | None, unit: URIRef) -> str:
        """The quantity as people read it: "vesicle diameter: 30-200 nm", "fold change: more than 50-fold"."""
        schema = self.schema
        number = row["value"] + (f"-{row['value_max']}" if row["value_max"] else "")
        symbol = str(schema.value(unit, SKOS.notation) or "")
        text = number + (symbol if symbol[:1] in ("%", "-") else f" {symbol}" if symbol else "")
        if comparator is not None:
            text = f"{schema.value(comparator, RDFS.label)} {text}"
        note = f" ({row['note']})" if row["note"] else ""
        return f"{schema.value(kind, RDFS.label)}{note}: {text}"


def compile_curation(layout: OntologyLayout, prefixes: PrefixMap, schema: Graph) -> Compiled:
    """Compile every curated table of ``layout`` into triples, collecting all problems."""
    compiler = _Compiler(layout, prefixes, schema)
    compiler.compile_publications()
    pending = compiler.compile_entities()
    compiler.compile_broader(pending)
    compiler.compile_claims()
    compiler.compile_qualifiers()
    compiler.compile_quantities()
    compiler.compile_trial_status()
    return compiler.out
