"""Curated rows -> triples. The only place that reads the curated tables."""
from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, XSD, DCTERMS, Graph, URIRef

from .namespaces import BIOLINK, CLAIM, EXO, EXOS, KNOWLEDGE_SOURCE, PUB, PrefixMap
from .ntriples import iri, literal, typed
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
XSD_DATE, XSD_YEAR = str(XSD.date), str(XSD.gYear)
_LEXICAL = {XSD_YEAR: re.compile(r"^-?\d{4,}$"), XSD_DATE: re.compile(r"^\d{4}-\d{2}-\d{2}$")}
RANGE_COMPARATORS = frozenset({"about"})  # the others (more_than, less_than, up_to) bound one value
NUMBER = re.compile(r"^\d+(\.\d+)?([eE][+-]?\d+)?$")  # a quantity: 150, 2.2 or 5E14 (never negative)
_ANY = re.compile(".*")
NO_TRACEABLE_SOURCE = "ECO:0000303"  # author statement without traceable support: no publication needed
REGISTRY_RECORD = "ECO:0007759"  # curator inference from database (a trial registry record): no publication needed
NO_PUBLICATION_NEEDED = frozenset({NO_TRACEABLE_SOURCE, REGISTRY_RECORD})
KNOWLEDGE_LEVEL = {"ECO:0000305": "logical_entailment"}  # all other evidence: knowledge_assertion


def _valid_date(text: str, datatype: str) -> bool:
    if datatype != XSD_DATE:
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


class _Terms:
    """The N-Triples terms of a namespace: ``.name`` made once and kept, ``[name]`` made each time."""

    def __init__(self, namespace: str):
        self.namespace = str(namespace)

    def __getattr__(self, name: str) -> str:
        term = f"<{self.namespace}{name}>"
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> str:
        return f"<{self.namespace}{name}>"


_RDF, _RDFS, _SKOS, _DCTERMS = _Terms(RDF), _Terms(RDFS), _Terms(SKOS), _Terms(DCTERMS)
_EXO, _EXOS, _CLAIM, _PUB, _BIOLINK = _Terms(EXO), _Terms(EXOS), _Terms(CLAIM), _Terms(PUB), _Terms(BIOLINK)
# the N-Triples terms the compiler writes most
TYPE, LABEL, COMMENT, SEE_ALSO = _RDF.type, _RDFS.label, _RDFS.comment, _RDFS.seeAlso
CLAIM_CLASS, CLINICAL_TRIAL = _EXOS.Claim, _EXOS.ClinicalTrial
_CLAIM_SLOTS = {"model_system": _EXOS.modelSystem, "topic": _EXOS.topic, "phase": _BIOLINK.max_research_phase,
                "disease_context": _BIOLINK.disease_context_qualifier, "species_context": _BIOLINK.species_context_qualifier}
_KNOWLEDGE_SOURCE = iri(KNOWLEDGE_SOURCE)


@dataclass
class Compiled:
    """The N-Triples lines compiled from curated rows (unsorted, perhaps repeated), the problems met, where each
    node was written, the row of each claim's edge, the publication IRIs by key, and the IRIs made from cells
    (the only ones that can be malformed: see :func:`exograph.build.compile_ontology`)."""

    lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], tuple[str, int]] = field(default_factory=dict)
    publications: dict[str, str] = field(default_factory=dict)
    minted: set[str] = field(default_factory=set)


class _Tables:
    """What the table functions share: the vocabulary, the ids defined so far, and the output."""

    def __init__(self, layout: OntologyLayout, prefixes: PrefixMap, schema: Graph):
        self.layout = layout
        self.prefixes = prefixes
        self.schema = schema
        vocab = Vocabulary.from_schema(schema)
        self.categories = {name: iri(c) for name, c in vocab.categories.items()}
        self.predicates = {name: iri(p) for name, p in vocab.predicates.items()}
        self.polarity = {iri(p): literal(value) for p, value in vocab.polarity.items()}
        self.evidence = {iri(e) for e in vocab.evidence}
        self.schemes = {name: {notation: iri(c) for notation, c in terms.items()} for name, terms in vocab.schemes.items()}
        self.units = {iri(u) for u in vocab.units}
        self.out = Compiled()
        self.entities: dict[str, str] = {}
        self.category: dict[str, str] = {}
        self.claims: dict[str, str] = {}
        self.compiled_claims: set[str] = set()
        self.mapped: dict[str, tuple[str, int, str]] = {}
        self.known: dict[int, str] = {}  # the hint of each lookup table, made once

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.out.lines.append(f"{subject} {predicate} {obj} .")

    def report(self, problem: Problem) -> None:
        self.out.problems.append(problem)

    def read(self, path: Path, spec: TableSpec) -> list[Row]:
        table, problems = read_table(path, spec, self.layout.root)
        self.out.problems.extend(problems)
        return table.rows

    def label(self, term: str) -> str:
        """The schema's rdfs:label of a term (``"None"`` when it has none, as before)."""
        return str(self.schema.value(URIRef(term[1:-1]), RDFS.label))

    def new_node(self, row: Row, pattern: re.Pattern[str], namespace: _Terms, message: str, hint: str) -> str | None:
        """The node of a row's ``id`` in ``namespace``; None (and a problem) if the id does not match
        ``pattern`` (``message`` with the id in its ``{}``) or was defined before."""
        local = row["id"]
        if not pattern.match(local):
            self.report(row.problem("id", "bad-local-id", message.format(local), hint))
            return None
        node = namespace[local]
        return node if self.register(node, row, "id") else None

    def register(self, node: str, row: Row, column: str) -> bool:
        """Remember where a node was defined; False (and a problem) if it was defined before."""
        key = node[1:-1]
        if key in self.out.locations:
            file, line_number = self.out.locations[key]
            self.report(row.problem(column, "duplicate-id", f"'{row[column]}' is already defined at {file}:{line_number}",
                                    "give each row its own id, or merge the two rows"))
            return False
        self.out.locations[key] = (row.file, row.line)
        return True

    def expand(self, curie: str) -> str:
        """The IRI term of a checked CURIE, remembered for the IRI check."""
        value = self.prefixes.expand_iri(curie)
        self.out.minted.add(value)
        return iri(value)

    def curie_cells(self, row: Row, column: str) -> list[str]:
        terms = []
        for curie in row.items(column):
            wrong = self.prefixes.check(curie)
            if wrong:
                self.report(row.problem(column, *wrong, "use a prefix from prefixes.tsv and a valid local id"))
            else:
                terms.append(self.expand(curie))
        return terms

    def check_mapping(self, row: Row, term: str) -> None:
        """One standard identifier is the exact match of at most one entity."""
        earlier = self.mapped.setdefault(term, (row.file, row.line, row["id"]))
        if earlier[2] != row["id"]:
            self.report(row.problem("exact_match", "duplicate-mapping",
                                    f"{self.prefixes.compress(term[1:-1])} is already the exact match of '{earlier[2]}' ({earlier[0]}:{earlier[1]})",
                                    "merge the two entities, or use close_match for a related concept"))

    def typed(self, row: Row, column: str, datatype: str) -> str | None:
        """A typed literal of the cell, or None (and a problem) when the text is not of that type."""
        if not _LEXICAL.get(datatype, _ANY).match(row[column]) or not _valid_date(row[column], datatype):
            self.report(row.problem(column, "ill-typed-literal", f"'{row[column]}' is not a valid <{datatype}>".replace(str(XSD), "xsd:"),
                                    "write a year as 2019 and a date as 2026-11-29"))
            return None
        return typed(row[column], datatype)

    def number(self, row: Row, column: str) -> str | None:
        """A number cell as a canonical literal: xsd:integer when whole (5E14 -> 500000000000000), else
        xsd:decimal (2.20 -> 2.2), so that the store and every RDF format give back the same literal.
        None (and a problem) when the cell is not a number."""
        if not NUMBER.match(row[column]):
            self.report(row.problem(column, "ill-typed-literal", f"'{row[column]}' is not a number",
                                    "write digits with an optional decimal point and exponent: 150, 2.2, 5E14"))
            return None
        text = format(Decimal(row[column]).normalize(), "f")
        return typed(text, str(XSD.decimal if "." in text else XSD.integer))

    def claim_of(self, row: Row) -> str | None:
        """The compiled claim a row of a side table is about, or None (and a problem when it is unknown)."""
        node = self.lookup(row, "claim", self.claims, "unknown-claim", "claim id")
        return node if node in self.compiled_claims else None

    def lookup(self, row: Row, column: str, table: dict, rule: str, what: str) -> str | None:
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

    def numbered(self, parent: str, kind: str, counts: dict, row: Row) -> str:
        """``<parent>/KIND-N``, the parent's next node of this kind, located at ``row``."""
        counts[parent] = counts.get(parent, 0) + 1
        node = f"{parent[1:-1]}/{kind}-{counts[parent]}"
        self.out.locations[node] = (row.file, row.line)
        return iri(node)


def _publications(t: _Tables) -> None:
    for row in t.read(t.layout.publications, PUBLICATIONS):
        key = row["key"]
        if not PUB_KEY.match(key):
            t.report(row.problem("key", "bad-local-id", f"publication key '{key}' must be lower-case letters and digits",
                                 "use first author and year, such as chen2018"))
            continue
        ids = {column: row[column] for column in PUBLICATION_ID_PREFIX if row[column]}
        wrong = {column: t.prefixes.check(f"{PUBLICATION_ID_PREFIX[column]}:{value}") for column, value in ids.items()}
        for column, problem in wrong.items():
            if problem:
                t.report(row.problem(column, "bad-local-id", problem[1], f"write the bare {column}, or leave the cell empty"))
        if any(wrong.values()):
            continue
        terms = {column: t.expand(f"{PUBLICATION_ID_PREFIX[column]}:{value}") for column, value in ids.items()}
        node = terms.get("pmid") or terms.get("doi") or _PUB[key]  # the publication's own IRI
        if not t.register(node, row, "key"):
            continue
        t.out.publications[key] = node[1:-1]
        year = t.typed(row, "year", XSD_YEAR)
        t.add(node, TYPE, _EXOS.Publication)
        t.add(node, LABEL, literal(row["citation"]))
        t.add(node, _DCTERMS.bibliographicCitation, literal(row["citation"]))
        t.add(node, _EXOS.curationKey, literal(key))
        t.add(node, _EXOS.verification, literal(row["verification"]))
        if year is not None:
            t.add(node, _DCTERMS.issued, year)
        for column, value in ids.items():
            t.add(node, _EXOS[column], literal(value))
            if terms[column] != node:
                t.add(node, SEE_ALSO, terms[column])


def _entities(t: _Tables) -> list[tuple[Row, str]]:
    """Every entity row; (row, node) of each, for :func:`_broader` once all ids are known."""
    pending = []
    for path in t.layout.entity_files:
        for row in t.read(path, ENTITIES):
            local = row["id"]
            node = t.new_node(row, ENTITY_ID, _EXO, "entity id '{}' may hold only letters, digits and _",
                              "replace spaces and punctuation with _")
            if node is None:
                continue
            t.entities[local] = node
            category = t.lookup(row, "category", t.categories, "unknown-category", "category")
            if category is not None:
                t.add(node, TYPE, category)
                t.category[node] = category
            t.add(node, LABEL, literal(row["label"]))
            t.add(node, _SKOS.definition, literal(row["definition"]))
            for synonym in row.items("synonyms"):
                t.add(node, _SKOS.altLabel, literal(synonym))
            for term in t.curie_cells(row, "exact_match"):
                t.add(node, _SKOS.exactMatch, term)
                t.check_mapping(row, term)
            for term in t.curie_cells(row, "close_match"):
                t.add(node, _SKOS.closeMatch, term)
            pending.append((row, node))
    return pending


def _broader(t: _Tables, pending: list[tuple[Row, str]]) -> None:
    for row, node in pending:
        for parent in row.items("broader"):
            if parent in t.entities:
                t.add(node, _SKOS.broader, t.entities[parent])
            else:
                t.report(row.problem("broader", "unknown-entity", f"no entity with id '{parent}'",
                                     "add it to an entities file or correct the id"))


def _claims(t: _Tables) -> None:
    if not t.layout.claim_files:  # a graph of entities alone answers every query with nothing
        folder = display_path(t.layout.curated / "claims", t.layout.root)
        t.report(Problem(folder, 0, "", "no-claims", "no claim tables (*.tsv) found",
                         "put the claim tables in curated/claims/, or point --ontology at the right folder"))
    for path in t.layout.claim_files:
        for row in t.read(path, CLAIMS):
            _claim(t, row)


def _claim_publications(t: _Tables, row: Row) -> list[str] | None:
    """The claim's publication IRIs; None (and a problem) when a key is unknown."""
    found, ok = [], True
    for key in row.items("publications"):
        if key in t.out.publications:
            found.append(iri(t.out.publications[key]))
        else:
            t.report(row.problem("publications", "unknown-publication", f"no publication with key '{key}'",
                                 "add it to publications.tsv or correct the key"))
            ok = False
    if not row.items("publications") and row["evidence"] not in NO_PUBLICATION_NEEDED:
        t.report(row.problem("publications", "missing-value", "a claim needs at least one publication",
                             f"cite its source, or use evidence {NO_TRACEABLE_SOURCE} for an untraceable statement "
                             f"or {REGISTRY_RECORD} for a fact read from a trial registry record"))
    return found if ok else None


def _claim_qualifiers(t: _Tables, row: Row) -> dict[str, str | None]:
    qualifiers = {}
    for column, scheme in (("model_system", "ModelSystem"), ("topic", "Topic"), ("phase", "ResearchPhase")):
        if row[column]:
            qualifiers[column] = t.lookup(row, column, t.schemes[scheme], "unknown-term", column.replace("_", " "))
    for column in ("disease_context", "species_context"):
        if row[column]:
            qualifiers[column] = t.lookup(row, column, t.entities, "unknown-entity", "entity")
    return qualifiers


def _claim(t: _Tables, row: Row) -> None:
    local = row["id"]
    node = t.new_node(row, CLAIM_ID, _CLAIM, "claim id '{}' may hold only letters, digits, _ and -",
                      "use topic-NNN, such as immune-042")
    if node is None:
        return
    t.claims[local] = node
    subject = t.lookup(row, "subject", t.entities, "unknown-entity", "entity")
    obj = t.lookup(row, "object", t.entities, "unknown-entity", "entity")
    predicate = t.lookup(row, "predicate", t.predicates, "unknown-predicate", "predicate")
    evidence = t.curie_cells(row, "evidence")
    if evidence and evidence[0] not in t.evidence:
        t.report(row.problem("evidence", "unknown-evidence", f"'{row['evidence']}' is not an evidence type of the schema",
                             "use ECO:0000304, ECO:0000303, ECO:0000269, ECO:0000314, ECO:0000305 or ECO:0007759"))
        evidence = []
    publications = _claim_publications(t, row)
    qualifiers = _claim_qualifiers(t, row)
    date = t.typed(row, "date", XSD_DATE)
    if None in (subject, obj, predicate, date, publications) or not evidence or None in qualifiers.values():
        return
    t.compiled_claims.add(node)
    t.out.edges.setdefault((subject[1:-1], predicate[1:-1], obj[1:-1]), (row.file, row.line))
    t.add(subject, predicate, obj)
    t.add(node, TYPE, CLAIM_CLASS)
    t.add(node, TYPE, _RDF.Statement)
    t.add(node, _RDF.subject, subject)
    t.add(node, _RDF.predicate, predicate)
    t.add(node, _RDF.object, obj)
    for publication in publications:
        t.add(node, _BIOLINK.publications, publication)
    t.add(node, _BIOLINK.has_evidence, evidence[0])
    t.add(node, _BIOLINK.knowledge_level, literal(KNOWLEDGE_LEVEL.get(row["evidence"], "knowledge_assertion")))
    t.add(node, _BIOLINK.agent_type, literal("manual_agent"))
    t.add(node, _BIOLINK.primary_knowledge_source, _KNOWLEDGE_SOURCE)
    t.add(node, _EXOS.paraphrase, literal(row["paraphrase"]))
    for column, value in qualifiers.items():
        t.add(node, _CLAIM_SLOTS[column], value)
    if predicate in t.polarity:
        t.add(node, _EXOS.polarity, t.polarity[predicate])
    t.add(node, _DCTERMS.creator, literal(row["curator"]))
    t.add(node, _DCTERMS.created, date)


def _qualifiers(t: _Tables) -> None:
    """claim_qualifiers.tsv: one row per claim, each filled cell a Biolink qualifier on its claim node."""
    if not t.layout.claim_qualifiers.is_file():
        return
    seen: dict[str, tuple[str, int]] = {}
    for row in t.read(t.layout.claim_qualifiers, CLAIM_QUALIFIERS):
        if row["claim"] in seen:
            t.report(row.problem("claim", "duplicate-id", f"claim '{row['claim']}' is already qualified at {':'.join(map(str, seen[row['claim']]))}",
                                 "put all qualifiers of a claim on one row"))
            continue
        seen[row["claim"]] = (row.file, row.line)
        if not any(row[column] for column in QUALIFIER_SCHEMES):
            t.report(row.problem("claim", "missing-value", "the row fills no qualifier", "fill a qualifier cell or delete the row"))
            continue
        values = {}
        for column, scheme in QUALIFIER_SCHEMES.items():
            if row[column]:
                table, what = (t.entities, "entity") if scheme is None else (t.schemes[scheme], column.replace("_", " "))
                values[column] = t.lookup(row, column, table, "unknown-entity" if scheme is None else "unknown-term", what)
        node = t.claim_of(row)
        if node is None or None in values.values():
            continue
        for column, value in values.items():
            t.add(node, _BIOLINK[column], value)


def _quantity_values(t: _Tables, row: Row) -> tuple[str | None, str | None, str | None]:
    """(low, high, comparator) of a quantity row, each None (with a problem) when wrong or absent."""
    comparator = t.lookup(row, "comparator", t.schemes["Comparator"], "unknown-term", "comparator") if row["comparator"] else None
    low = t.number(row, "value") if row["value"] else None
    high = t.number(row, "value_max") if row["value_max"] else None
    if low is not None and high is not None and not float(row["value"]) < float(row["value_max"]):
        t.report(row.problem("value_max", "bad-range", f"the range {row['value']}-{row['value_max']} does not rise",
                             "give the lower end in value and the upper end in value_max"))
        high = None
    if row["value_max"] and row["comparator"] and row["comparator"] not in RANGE_COMPARATORS:
        t.report(row.problem("comparator", "open-range", f"'{row['comparator']}' makes a single value an open bound; "
                             f"it cannot qualify the range {row['value']}-{row['value_max']}",
                             "split the range into one row per end, the open end with its comparator (30 and more_than 429)"))
        comparator = None
    return low, high, comparator


def _quantities(t: _Tables) -> None:
    """quantities.tsv: each row a number with a UO unit, stated by the claim's source."""
    if not t.layout.quantities.is_file():
        return
    counts: dict[str, int] = {}
    for row in t.read(t.layout.quantities, QUANTITIES):
        kind = t.lookup(row, "kind", t.schemes["QuantityKind"], "unknown-term", "quantity kind") if row["kind"] else None
        low, high, comparator = _quantity_values(t, row)
        unit = _unit(t, row)
        node = t.claim_of(row)
        if None in (node, kind, low, unit) or (row["comparator"] and comparator is None) or (row["value_max"] and high is None):
            continue
        quantity = t.numbered(node, "quantity", counts, row)
        t.add(node, _EXOS.quantity, quantity)
        t.add(quantity, TYPE, _EXOS.Quantity)
        t.add(quantity, _EXOS.quantityKind, kind)
        t.add(quantity, _EXOS.unit, unit)
        if high is None:
            t.add(quantity, _EXOS.value, low)
        else:
            t.add(quantity, _EXOS.minValue, low)
            t.add(quantity, _EXOS.maxValue, high)
        if comparator is not None:
            t.add(quantity, _EXOS.comparator, comparator)
        if row["note"]:
            t.add(quantity, COMMENT, literal(row["note"]))
        t.add(quantity, LABEL, literal(_quantity_label(t, row, kind, comparator, unit)))


def _unit(t: _Tables, row: Row) -> str | None:
    terms = t.curie_cells(row, "unit")
    if terms and terms[0] not in t.units:
        known = ", ".join(sorted(t.prefixes.compress(u[1:-1]) for u in t.units))
        t.report(row.problem("unit", "unknown-unit", f"'{row['unit']}' is not a unit declared in schema.ttl",
                             f"use one of: {known} (or declare a checked UO term in schema.ttl)"))
        return None
    return terms[0] if terms else None


def _quantity_label(t: _Tables, row: Row, kind: str, comparator: str | None, unit: str) -> str:
    """The quantity as people read it: "vesicle diameter: 30-200 nm", "fold change: more than 50-fold"."""
    number = row["value"] + (f"-{row['value_max']}" if row["value_max"] else "")
    symbol = str(t.schema.value(URIRef(unit[1:-1]), SKOS.notation) or "")
    text = number + (symbol if symbol[:1] in ("%", "-") else f" {symbol}" if symbol else "")
    if comparator is not None:
        text = f"{t.label(comparator)} {text}"
    note = f" ({row['note']})" if row["note"] else ""
    return f"{t.label(kind)}{note}: {text}"


def _trial_status(t: _Tables) -> None:
    """trial_status.tsv: each row the status a trial's registry record showed, and the date it held."""
    if not t.layout.trial_status.is_file():
        return
    counts: dict[str, int] = {}
    for row in t.read(t.layout.trial_status, TRIAL_STATUS):
        trial = t.lookup(row, "trial", t.entities, "unknown-entity", "entity")
        if trial is not None and t.category.get(trial) != CLINICAL_TRIAL:
            t.report(row.problem("trial", "wrong-category", f"'{row['trial']}' is not a ClinicalTrial",
                                 "give the id of a ClinicalTrial entity"))
            trial = None
        status = t.lookup(row, "status", t.schemes["TrialStatus"], "unknown-term", "trial status")
        source = t.lookup(row, "source", t.schemes["StatusSource"], "unknown-term", "status source")
        seen = t.typed(row, "seen", XSD_DATE)
        if None in (trial, status, source, seen):
            continue
        node = t.numbered(trial, "status", counts, row)
        t.add(trial, _EXOS.registryStatus, node)
        t.add(node, TYPE, _EXOS.StatusRecord)
        t.add(node, _EXOS.status, status)
        t.add(node, _DCTERMS.date, seen)
        t.add(node, _EXOS.statusSource, source)
        if row["note"]:
            t.add(node, COMMENT, literal(row["note"]))
        t.add(node, LABEL, literal(f"{t.label(status)} (as of {row['seen']}, {t.label(source)})"))


def compile_curation(layout: OntologyLayout, prefixes: PrefixMap, schema: Graph) -> Compiled:
    """Compile every curated table of ``layout`` into N-Triples lines, collecting all problems."""
    tables = _Tables(layout, prefixes, schema)
    _publications(tables)
    _broader(tables, _entities(tables))
    _claims(tables)
    _qualifiers(tables)
    _quantities(tables)
    _trial_status(tables)
    return tables.out
