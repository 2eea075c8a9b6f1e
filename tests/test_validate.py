"""Validation: one broken copy of the tiny ontology per rule, each problem located exactly."""
from __future__ import annotations

from pathlib import Path

import pytest

from exograph.validate import validate
from conftest import run_cli

CLAIMS = "curated/claims/tiny.tsv"
ENTITIES = "curated/entities/tiny.tsv"
PUBLICATIONS = "curated/publications.tsv"
GOOD_CLAIM = ["tiny-900", "tumour_exosome", "hasComponent", "PDCD1", "chen2018", "ECO:0000269",
              "A paraphrase long enough to satisfy the shape.", "in_vitro", "", "", "", "composition",
              "fixture", "2026-11-29"]
GOOD_ENTITY = ["new_entity", "new entity", "Protein", "A definition of the new entity.", "", "", "", ""]


def append(folder: Path, relative: str, cells: list[str] | bytes) -> int:
    """Append a row to a curated file; return its 1-based line number."""
    path = folder / relative
    data = path.read_bytes()
    row = cells if isinstance(cells, bytes) else "\t".join(cells).encode("utf-8")
    path.write_bytes(data + row + b"\n")
    return data.count(b"\n") + 1


def claim(**changes: str) -> list[str]:
    columns = ["id", "subject", "predicate", "object", "publications", "evidence", "paraphrase", "model_system",
               "disease_context", "species_context", "phase", "topic", "curator", "date"]
    row = dict(zip(columns, GOOD_CLAIM))
    row.update(changes)
    return [row[c] for c in columns]


def entity(**changes: str) -> list[str]:
    columns = ["id", "label", "category", "definition", "synonyms", "exact_match", "close_match", "broader"]
    row = dict(zip(columns, GOOD_ENTITY))
    row.update(changes)
    return [row[c] for c in columns]


def only_problem(folder: Path):
    problems = validate(folder)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_the_fixture_is_clean(ontology_copy):
    assert validate(ontology_copy) == []


# (file, row, column, rule) for each rule a malformed row can break
CASES = {
    "malformed-row": (CLAIMS, b"tiny-900\ttumour_exosome\thasComponent", "", "malformed-row"),
    "bad-encoding": (CLAIMS, "\t".join(claim(paraphrase="caf\xe9 au lait is not UTF-8 here, on purpose")).encode("latin-1"),
                     "", "bad-encoding"),
    "missing-value": (CLAIMS, claim(paraphrase=""), "paraphrase", "missing-value"),
    "missing-publication": (CLAIMS, claim(publications=""), "publications", "missing-value"),
    "duplicate-claim-id": (CLAIMS, claim(id="tiny-001"), "id", "duplicate-id"),
    "duplicate-entity-id": (ENTITIES, entity(id="CD274"), "id", "duplicate-id"),
    "unknown-entity": (CLAIMS, claim(object="no_such_thing"), "object", "unknown-entity"),
    "unknown-broader": (ENTITIES, entity(broader="no_such_parent"), "broader", "unknown-entity"),
    "unknown-predicate": (CLAIMS, claim(predicate="cures"), "predicate", "unknown-predicate"),
    "unknown-category": (ENTITIES, entity(category="Gizmo"), "category", "unknown-category"),
    "undeclared-prefix": (ENTITIES, entity(exact_match="FOO:123"), "exact_match", "undeclared-prefix"),
    "bad-local-id": (ENTITIES, entity(exact_match="HGNC:HGNC17635"), "exact_match", "bad-local-id"),
    "bad-entity-id": (ENTITIES, entity(id="has space"), "id", "bad-local-id"),
    "ill-typed-date": (CLAIMS, claim(date="29/11/2026"), "date", "ill-typed-literal"),
    "ill-typed-year": (PUBLICATIONS, ["forty2000", "Forty A (forty)", "forty", "", "", "", "UNVERIFIED"], "year",
                       "ill-typed-literal"),
    "unknown-publication": (CLAIMS, claim(publications="nobody2099"), "publications", "unknown-publication"),
    "unknown-evidence": (CLAIMS, claim(evidence="ECO:0000000"), "evidence", "unknown-evidence"),
    "unknown-term": (CLAIMS, claim(model_system="no_such_model_system"), "model_system", "unknown-term"),
    "duplicate-mapping": (ENTITIES, entity(exact_match="HGNC:17635"), "exact_match", "duplicate-mapping"),
    "shacl-range": (CLAIMS, claim(predicate="treats", object="CD274"), "predicate", "shacl-violation"),
    "shacl-min-length": (CLAIMS, claim(paraphrase="too short"), "", "shacl-violation"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_names_file_line_column(ontology_copy, case):
    relative, row, column, rule = CASES[case]
    line = append(ontology_copy, relative, row)
    problem = only_problem(ontology_copy)
    assert (problem.file, problem.line, problem.rule) == (relative, line, rule)
    assert problem.column == column
    assert problem.message and problem.hint


def test_registry_evidence_needs_no_publication_but_other_codes_do(ontology_copy):
    append(ontology_copy, CLAIMS, claim(id="tiny-903", publications="", evidence="ECO:0007759"))
    assert validate(ontology_copy) == []
    line = append(ontology_copy, CLAIMS, claim(id="tiny-904", publications="", evidence="ECO:0000305"))
    problem = only_problem(ontology_copy)
    assert (problem.line, problem.column, problem.rule) == (line, "publications", "missing-value")
    assert "ECO:0007759" in problem.hint


def test_turtle_syntax_error_names_the_one_based_line(ontology_copy):
    schema = ontology_copy / "schema.ttl"
    lines = schema.read_text(encoding="utf-8").splitlines()
    lines.insert(20, "exos:Broken a owl:Class ; rdfs:label .")
    schema.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = validate(ontology_copy)[0]
    assert (problem.file, problem.line, problem.rule) == ("schema.ttl", 21, "turtle-syntax")


def test_every_problem_is_reported_at_once(ontology_copy):
    first = append(ontology_copy, CLAIMS, claim(id="tiny-901", object="no_such_thing"))
    second = append(ontology_copy, CLAIMS, claim(id="tiny-902", predicate="cures"))
    third = append(ontology_copy, ENTITIES, entity(category="Gizmo"))
    found = {(p.file, p.line, p.rule) for p in validate(ontology_copy)}
    assert found >= {(CLAIMS, first, "unknown-entity"), (CLAIMS, second, "unknown-predicate"),
                     (ENTITIES, third, "unknown-category")}


def test_cli_validate_prints_located_problems_and_exits_1(ontology_copy):
    line = append(ontology_copy, CLAIMS, claim(predicate="cures"))
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 1
    assert f"{CLAIMS}:{line}: [predicate] unknown-predicate: unknown predicate 'cures'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_cli_validate_clean_exits_0(tiny_ontology):
    result = run_cli("validate", "--ontology", str(tiny_ontology))
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stderr


def test_missing_ontology_folder_is_a_usage_error(tmp_path):
    result = run_cli("validate", "--ontology", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "nowhere" in result.stderr and "Traceback" not in result.stderr
