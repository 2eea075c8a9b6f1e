"""The SHACL engine is given only the triples a shape can look at (exograph.shacl_data): a shape that looks at
a predicate the shipped shapes never name, along a path, in a SPARQL query with a variable predicate, or as a
closed shape, still finds every violation, through `exograph validate`."""
from __future__ import annotations

import json

import pytest

from conftest import make_tiny_ontology, run_cli

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix exos: <https://w3id.org/exograph/schema/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix biolink: <https://w3id.org/biolink/vocab/> .
"""
SHAPES = {
    "a path": """exos:CuratorShape a sh:NodeShape ; sh:targetClass exos:Claim ;
        sh:property [ sh:path dcterms:creator ; sh:maxLength 3 ; sh:message "the curator's initials, please" ] .""",
    "a variable predicate": """exos:CuratorShape a sh:NodeShape ; sh:targetClass exos:Claim ;
        sh:sparql [ sh:message "the curator's initials, please" ;
                    sh:select "SELECT $this ?value WHERE { $this ?p ?value . FILTER (?p = <http://purl.org/dc/terms/creator> && STRLEN(?value) > 3) }" ] .""",
    "a closed shape": """exos:CuratorShape a sh:NodeShape ; sh:targetClass exos:Claim ; sh:closed true ;
        sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
        sh:message "the curator's initials, please" .""",
}


@pytest.mark.parametrize("kind", sorted(SHAPES))
def test_a_shape_on_a_predicate_no_other_shape_names_still_finds_its_violations(tmp_path, kind):
    folder = make_tiny_ontology(tmp_path / "ontology")
    shapes = folder / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n" + PREFIXES + SHAPES[kind] + "\n", encoding="utf-8")
    result = run_cli("validate", "--ontology", str(folder), "--format", "json")
    assert result.returncode == 1, result.stderr
    found = [p for p in json.loads(result.stdout)
             if "the curator's initials, please" in p["message"] and p["message"].endswith("(value fixture)")]
    claims = [line for line in (folder / "curated/claims/tiny.tsv").read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    assert len({(p["file"], p["line"]) for p in found}) == len(claims), found  # one per claim row: 'fixture' is too long


def test_characters_beyond_ascii_are_counted_as_characters(tmp_path):
    """The engine reads them as N-Triples escapes: a paraphrase of 19 such characters is too short, one of 20 is not."""
    folder = make_tiny_ontology(tmp_path / "ontology")
    claims = folder / "curated/claims/tiny.tsv"
    lines = claims.read_text(encoding="utf-8").splitlines()
    for number, text in ((1, "Ünïcödé çlàîm ☃😀éüß"), (2, "Ünïcödé çlàîm ☃😀éüßà")):  # 19 and 20 characters
        cells = lines[number].split("\t")
        cells[6] = text
        lines[number] = "\t".join(cells)
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("validate", "--ontology", str(folder), "--format", "json")
    short = [(p["line"], p["message"]) for p in json.loads(result.stdout) if "at least 20 characters" in p["message"]]
    assert [line for line, _ in short] == [2], short
    assert short[0][1].endswith("(value Ünïcödé çlàîm ☃😀éüß)"), short
