"""Qualified claims and stated quantities (issue 14, items 2 and 3): the side tables, their checks,
the relations added for the schema gaps, and what users see of them in queries, networks and KGX."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, XSD, Literal, URIRef

from conftest import run_cli
from exograph.export import dumps_kgx
from exograph.namespaces import BIOLINK, CLAIM, EXOS

QUALIFIERS = "curated/claim_qualifiers.tsv"
QUANTITIES = "curated/quantities.tsv"
CLAIMS = "curated/claims/tiny.tsv"
QUALIFIER_COLUMNS = ["claim", "subject_form_or_variant_qualifier", "subject_aspect_qualifier", "subject_direction_qualifier",
                     "subject_specialization_qualifier", "object_aspect_qualifier", "object_direction_qualifier",
                     "object_specialization_qualifier"]
QUANTITY_COLUMNS = ["claim", "kind", "value", "value_max", "unit", "comparator", "note"]


def row(columns: list[str], **cells: str) -> str:
    return "\t".join(cells.get(column, "") for column in columns)


def append(folder: Path, relative: str, line: str) -> int:
    """Append one row; return its 1-based line number."""
    path = folder / relative
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def claim_row(claim_id: str, subject: str, predicate: str, obj: str, model_system: str = "in_vitro") -> str:
    return "\t".join([claim_id, subject, predicate, obj, "chen2018", "ECO:0000269",
                      "A paraphrase long enough to satisfy the shape.", model_system, "", "", "", "immune",
                      "fixture", "2026-11-30"])


# (file, row, column, rule, words the message must hold) for each way a side-table row can be wrong
BAD_ROWS = {
    "unknown qualifier value": (QUALIFIERS, row(QUALIFIER_COLUMNS, claim="tiny-004", object_direction_qualifier="sideways"),
                                "object_direction_qualifier", "unknown-term", "unknown object direction qualifier 'sideways'"),
    "unknown form": (QUALIFIERS, row(QUALIFIER_COLUMNS, claim="tiny-004", subject_form_or_variant_qualifier="crispr"),
                     "subject_form_or_variant_qualifier", "unknown-term", "'crispr'"),
    "unknown specialization entity": (QUALIFIERS, row(QUALIFIER_COLUMNS, claim="tiny-004", object_specialization_qualifier="nowhere"),
                                      "object_specialization_qualifier", "unknown-entity", "'nowhere'"),
    "unknown claim id (qualifiers)": (QUALIFIERS, row(QUALIFIER_COLUMNS, claim="tiny-999", object_direction_qualifier="increased"),
                                      "claim", "unknown-claim", "unknown claim id 'tiny-999'"),
    "second row for a claim": (QUALIFIERS, row(QUALIFIER_COLUMNS, claim="tiny-003", object_aspect_qualifier="activity"),
                               "claim", "duplicate-id", "already qualified at curated/claim_qualifiers.tsv:3"),
    "row without a qualifier": (QUALIFIERS, row(QUALIFIER_COLUMNS, claim="tiny-004"), "claim", "missing-value", "fills no qualifier"),
    "unknown claim id (quantities)": (QUANTITIES, row(QUANTITY_COLUMNS, claim="tiny-999", kind="diameter", value="30", unit="UO:0000018"),
                                      "claim", "unknown-claim", "unknown claim id 'tiny-999'"),
    "bad unit": (QUANTITIES, row(QUANTITY_COLUMNS, claim="tiny-001", kind="diameter", value="30", unit="UO:0000008"),
                 "unit", "unknown-unit", "'UO:0000008' is not a unit declared in schema.ttl"),
    "unit without a prefix": (QUANTITIES, row(QUANTITY_COLUMNS, claim="tiny-001", kind="diameter", value="30", unit="nm"),
                              "unit", "undeclared-prefix", "'nm' is not a CURIE"),
    "ill-typed number": (QUANTITIES, row(QUANTITY_COLUMNS, claim="tiny-001", kind="diameter", value="30 nm", unit="UO:0000018"),
                         "value", "ill-typed-literal", "'30 nm' is not a number"),
    "ill-typed upper end": (QUANTITIES, row(QUANTITY_COLUMNS, claim="tiny-001", kind="diameter", value="30", value_max="1,000",
                                            unit="UO:0000018"), "value_max", "ill-typed-literal", "'1,000' is not a number"),
    "falling range": (QUANTITIES, row(QUANTITY_COLUMNS, claim="tiny-001", kind="diameter", value="150", value_max="30",
                                      unit="UO:0000018"), "value_max", "bad-range", "150-30 does not rise"),
    "unknown quantity kind": (QUANTITIES, row(QUANTITY_COLUMNS, claim="tiny-001", kind="weight", value="3", unit="UO:0000187"),
                              "kind", "unknown-term", "unknown quantity kind 'weight'"),
    "unknown comparator": (QUANTITIES, row(QUANTITY_COLUMNS, claim="tiny-001", kind="diameter", value="3", unit="UO:0000018",
                                           comparator="roughly"), "comparator", "unknown-term", "unknown comparator 'roughly'"),
    "open bound on a range": (QUANTITIES, row(QUANTITY_COLUMNS, claim="tiny-001", kind="duration", value="30", value_max="429",
                                              unit="UO:0000033", comparator="more_than"), "comparator", "open-range",
                              "cannot qualify the range 30-429"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_bad_side_table_rows_are_located_by_exograph_validate(ontology_copy, case):
    relative, line, column, rule, words = BAD_ROWS[case]
    number = append(ontology_copy, relative, line)
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 1, result.stderr
    assert f"{relative}:{number}: [{column}] {rule}: " in result.stderr
    assert words in result.stderr
    assert "1 problem(s) found" in result.stderr  # one problem, no echo from SHACL
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_build_refuses_a_bad_quantity_and_writes_nothing(ontology_copy, tmp_path):
    append(ontology_copy, QUANTITIES, row(QUANTITY_COLUMNS, claim="tiny-001", kind="diameter", value="about 30", unit="UO:0000018"))
    out = tmp_path / "out"
    result = run_cli("build", "-o", str(out), "--ontology", str(ontology_copy))
    assert result.returncode == 1 and "ill-typed-literal" in result.stderr
    assert not out.exists() or not any(out.iterdir())


# ---------------------------------------------------------------- relations of the schema gaps
RELATION_CASES = {
    "correlates with itself": (claim_row("tiny-901", "CD274", "correlatesWith", "CD274"), "links an entity to itself"),
    "supersedes a non-guideline": (claim_row("tiny-902", "CD274", "supersedes", "PDCD1", "review"), "must be a guideline"),
    "biomarker for a protein": (claim_row("tiny-903", "CD274", "biomarkerFor", "PDCD1", "human_samples"),
                                "must be an outcome, a disease or a biological process"),
    "synergy with itself": (claim_row("tiny-904", "tumour_exosome", "actsSynergisticallyWith", "tumour_exosome"),
                            "links an entity to itself"),
}


@pytest.mark.parametrize("case", sorted(RELATION_CASES))
def test_relation_shapes_name_the_claim_row(ontology_copy, case):
    line, words = RELATION_CASES[case]
    number = append(ontology_copy, CLAIMS, line)
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 1
    assert f"{CLAIMS}:{number}:" in result.stderr and "shacl-violation" in result.stderr
    assert words in result.stderr


def test_two_guidelines_cannot_supersede_each_other(ontology_copy):
    entities = ontology_copy / "curated/entities/tiny.tsv"
    entities.write_text(entities.read_text() + "g1\tguideline one\tGuideline\tA fixture guideline, first edition.\t\t\t\t\n"
                        "g2\tguideline two\tGuideline\tA fixture guideline, second edition.\t\t\t\t\n")
    append(ontology_copy, CLAIMS, claim_row("tiny-905", "g2", "supersedes", "g1", "review"))
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 0, result.stderr  # one direction is fine
    append(ontology_copy, CLAIMS, claim_row("tiny-906", "g1", "supersedes", "g2", "review"))
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 1 and "two guidelines supersede each other" in result.stderr


def test_good_relations_and_primary_background_validate(ontology_copy):
    append(ontology_copy, CLAIMS, claim_row("tiny-907", "CD274", "correlatesWith", "PDCD1", "primary_background"))
    append(ontology_copy, CLAIMS, claim_row("tiny-908", "CD274", "biomarkerFor", "melanoma", "human_samples"))
    append(ontology_copy, CLAIMS, claim_row("tiny-909", "tumour_exosome", "actsSynergisticallyWith", "CD274"))
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 0, result.stderr


def test_the_real_graph_uses_each_new_relation(real_graph):
    used = {str(p) for p in real_graph.built.graph.objects(None, RDF.predicate)}
    for name in ("correlatesWith", "biomarkerFor", "actsSynergisticallyWith", "supersedes"):
        assert str(EXOS[name]) in used, name


# ---------------------------------------------------------------- the graph users see
def test_quantities_are_typed_literals_with_uo_units(real_graph):
    graph = real_graph.built.graph
    quantities = list(graph.objects(CLAIM["isolation-020"], EXOS.quantity))
    assert len(quantities) == 1
    quantity = quantities[0]
    assert graph.value(quantity, EXOS.unit) == URIRef("http://purl.obolibrary.org/obo/UO_0000173")
    assert graph.value(quantity, EXOS.minValue) == Literal("1.13", datatype=XSD.decimal)
    assert graph.value(quantity, EXOS.maxValue) == Literal("1.19", datatype=XSD.decimal)
    assert graph.value(CLAIM["biogenesis-028"], BIOLINK.subject_form_or_variant_qualifier) == EXOS.form_knockout


def test_network_and_kgx_carry_qualifiers_and_quantities(real_graph):
    network = real_graph.to_networkx()
    edge = network.edges["exo:RAB27A", "exo:exosomal_secretion", "claim:biogenesis-028"]
    assert (edge["subject_form_or_variant_qualifier"], edge["object_direction_qualifier"],
            edge["object_specialization_qualifier"]) == ("knockout_form", "decreased", "exo:CD274")
    loading = network.edges["exo:paclitaxel", "exo:sonication", "claim:loading-010"]
    assert (loading["subject_aspect_qualifier"], loading["subject_direction_qualifier"]) == ("loading", "increased")
    sizes = network.edges["exo:exosome", "exo:microvesicle", "claim:biogenesis-034"]["quantities"]
    assert "vesicle diameter (exosomes): about 40-160 nm" in sizes
    _, edges = dumps_kgx(network)
    lines = edges.decode("utf-8").splitlines()
    header = lines[0].split("\t")
    rows = {cells[0]: dict(zip(header, cells)) for cells in (line.split("\t") for line in lines[1:])}
    assert rows["claim:biogenesis-028"]["subject_form_or_variant_qualifier"] == "knockout_form"
    assert rows["claim:clinical-011"]["quantities"] == ("concentration (MAGE3 peptide, lower level): 10 ug/ml|"
                                                        "concentration (MAGE3 peptide, higher level): 100 ug/ml")


def test_export_kgx_command_writes_the_qualifier_columns(tmp_path):
    result = run_cli("export", "--format", "kgx", "-o", str(tmp_path / "kg"))
    assert result.returncode == 0, result.stderr
    edges = (tmp_path / "kg_edges.tsv").read_text(encoding="utf-8").splitlines()
    header = edges[0].split("\t")
    assert {"object_aspect_qualifier", "object_direction_qualifier", "subject_form_or_variant_qualifier",
            "object_specialization_qualifier", "quantities"} <= set(header)
    immune = next(line.split("\t") for line in edges if line.startswith("claim:immune-009\t"))
    assert dict(zip(header, immune))["object_specialization_qualifier"] == "exo:tumour_exosome"


def test_tidy_sorts_side_tables_and_keeps_each_claims_numbers_in_order(ontology_copy):
    path = ontology_copy / QUANTITIES
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, row(QUANTITY_COLUMNS, claim="tiny-004", kind="duration", value="24",
                                           unit="UO:0000032")]) + "\n", encoding="utf-8")
    result = run_cli("tidy", "--ontology", str(ontology_copy))
    assert result.returncode == 0 and "quantities.tsv" in result.stderr
    tidied = path.read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in tidied[1:]] == ["tiny-004", "tiny-005", "tiny-005"]
    assert tidied[2:] == lines[1:]  # the order of one claim's numbers is kept


# ---------------------------------------------------------------- dated trial statuses (issue 20)
STATUS_HEADER = "trial\tstatus\tseen\tsource\tnote\n"
TRIAL_ENTITY = "tiny_trial\ttiny trial\tClinicalTrial\tA fixture trial with a registry record.\t\t\t\t\n"


def with_trial(folder: Path, rows: str) -> Path:
    entities = folder / "curated/entities/tiny.tsv"
    entities.write_text(entities.read_text() + TRIAL_ENTITY)
    (folder / "curated/trial_status.tsv").write_text(STATUS_HEADER + rows)
    return folder


@pytest.mark.parametrize("line, column, rule, words", [
    ("CD274\trecruiting\t2019-02-26\tregistry\t\n", "trial", "wrong-category", "'CD274' is not a ClinicalTrial"),
    ("tiny_trial\tongoing\t2019-02-26\tregistry\t\n", "status", "unknown-term", "unknown trial status 'ongoing'"),
    ("tiny_trial\trecruiting\t2019-02-30\tregistry\t\n", "seen", "ill-typed-literal", "'2019-02-30' is not a valid"),
    ("tiny_trial\trecruiting\t2019-02-26\twebsite\t\n", "source", "unknown-term", "unknown status source 'website'"),
])
def test_bad_trial_status_rows_are_located(ontology_copy, line, column, rule, words):
    with_trial(ontology_copy, line)
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 1
    assert f"curated/trial_status.tsv:2: [{column}] {rule}: " in result.stderr and words in result.stderr
    assert "1 problem(s) found" in result.stderr and "Traceback" not in result.stderr


def test_trial_statuses_keep_every_dated_reading(ontology_copy):
    import exograph
    with_trial(ontology_copy, "tiny_trial\trecruiting\t2014-05-28\tregistry\t\n"
                              "tiny_trial\tcompleted\t2018-01-02\tcopy\ta mirror site\n")
    assert run_cli("validate", "--ontology", str(ontology_copy)).returncode == 0
    answer = exograph.load(ontology_copy).query("""
        SELECT ?status ?seen ?source ?label WHERE { exo:tiny_trial exos:registryStatus ?r .
          ?r exos:status/skos:notation ?status ; dcterms:date ?seen ; exos:statusSource/skos:notation ?source ; rdfs:label ?label }
        ORDER BY ?seen""")
    assert [(r.status, str(r.seen), r.source) for r in answer.itertuples()] == [
        ("recruiting", "2014-05-28", "registry"), ("completed", "2018-01-02", "copy")]
    assert list(answer["label"]) == ["recruiting (as of 2014-05-28, registry page)", "completed (as of 2018-01-02, copy of the record)"]
