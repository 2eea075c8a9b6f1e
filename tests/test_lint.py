"""The query lint of `exograph validate`: a warning with FILE:line for each costly shape, never a failure."""
from __future__ import annotations

from exograph.lint import lint_query
from conftest import run_cli

PREFIXES = """PREFIX exos: <https://w3id.org/exograph/schema/>
PREFIX exo: <https://w3id.org/exograph/entity/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
CLAIM_PRODUCT = PREFIXES + """SELECT * WHERE {
  ?a a exos:Claim ; rdf:subject ?x .
  ?b a exos:Claim ; rdf:object ?x .
}
"""
PATH_IN_CLAIM_GROUP = PREFIXES + """SELECT * WHERE {
  ?claim rdf:subject ?x ; rdf:object ?y .
  ?y skos:broader* exo:siRNA .
}
"""
FILTER_JOIN = PREFIXES + """SELECT * WHERE {
  ?x exos:delivers ?y .
  OPTIONAL { ?c rdf:subject ?s .
             FILTER(?s = ?x) }
}
"""
GOOD = PREFIXES + """SELECT * WHERE {
  { SELECT ?y WHERE { ?y skos:broader* exo:siRNA } }
  ?claim rdf:object ?y ; rdf:subject ?x .
  FILTER EXISTS { ?x a/skos:broader* exo:exosome }
  OPTIONAL { ?claim rdf:predicate ?p FILTER(?p IN (exos:delivers, exos:loadedBy)) }
}
"""


def test_each_shape_is_found_on_its_line():
    assert [(line, rule) for line, rule, _ in lint_query(CLAIM_PRODUCT)] == [(7, "claim-product")]
    assert [(line, rule) for line, rule, _ in lint_query(PATH_IN_CLAIM_GROUP)] == [(7, "path-in-claim-group")]
    assert [(line, rule) for line, rule, _ in lint_query(FILTER_JOIN)] == [(8, "filter-join-in-optional")]


def test_closures_in_sub_selects_and_constant_filters_pass():
    assert lint_query(GOOD) == []
    assert lint_query(PREFIXES + "SELECT * WHERE { ?c a exos:Claim . ?d a exos:Claim }".replace(" . ", " } { ")) == []


def test_the_bundled_catalogue_has_no_warning():
    result = run_cli("validate")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


def test_validate_warns_with_file_and_line_but_passes(ontology_copy):
    for name, text in (("product", CLAIM_PRODUCT), ("path", PATH_IN_CLAIM_GROUP), ("join", FILTER_JOIN)):
        (ontology_copy / "queries" / f"bad-{name}.rq").write_text(text, encoding="utf-8")
    result = run_cli("validate", "--ontology", str(ontology_copy), cwd=ontology_copy)  # paths open from the cwd
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        "warning: queries/bad-join.rq:8: filter-join-in-optional: a FILTER compares two variables inside OPTIONAL"
        " -> join on the shared variable itself (use the same variable name) instead of comparing in a FILTER",
        "warning: queries/bad-path.rq:7: path-in-claim-group: the path skos:broader* is evaluated for each claim of"
        " its group -> compute the closure once, in a sub-select { SELECT ?x WHERE { ?x p* c } } or a FILTER EXISTS",
        "warning: queries/bad-product.rq:7: claim-product: 2 variables typed exos:Claim in one group (?a, ?b)"
        " -> bind each claim through rdf:subject / rdf:object of an entity already bound, and drop the extra `a exos:Claim`",
    ]
    assert "no problems found (3 query warning(s))" in result.stderr
