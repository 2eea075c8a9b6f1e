"""The named-query catalogue (issue 18): the queries rewritten to scale give the old answers on the
real graph.

``fixtures/queries-before-18`` holds each rewritten query as it was before; it and this test go once
the rewrite has landed and been compared on main's data. (``test_engine.py`` holds every named
query to identical rows on both engines.)
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal

from conftest import SAMPLE_PARAMS

BEFORE = Path(__file__).resolve().parent / "fixtures" / "queries-before-18"


def as_sets(result) -> list[tuple]:
    """Rows in a canonical order, each concatenated cell as the set of its parts: the old queries
    concatenated in another order."""
    def cell(term):
        if isinstance(term, Literal) and "|" in term:
            return tuple(sorted(str(term).split("|")))
        return term
    return sorted((tuple(cell(term) for term in row) for row in result.rows), key=repr)


@pytest.mark.parametrize("name", sorted(p.stem for p in BEFORE.glob("*.rq")))
def test_rewritten_query_gives_the_old_answer(real_graph, name):
    named = real_graph.queries()[name]
    params = {p: SAMPLE_PARAMS[p] for p in named.params}
    new = real_graph.run(name, params)
    old = real_graph.run(str(BEFORE / f"{name}.rq"), params)
    assert new.variables == old.variables
    assert as_sets(new) == as_sets(old)
    assert new.rows, "the sample answer should not be empty"
