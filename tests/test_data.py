"""The curated tables themselves: in canonical form, so that diffs stay small and reviewable."""
from __future__ import annotations

import pytest

from exograph.paths import OntologyLayout
from exograph.tables import canonical_text
from conftest import run_cli

TABLES = OntologyLayout().curated_tables()


@pytest.mark.parametrize("path", TABLES, ids=[path.name for path in TABLES])
def test_curated_table_is_canonical(path):
    text = path.read_text(encoding="utf-8")
    assert text == canonical_text(text), f"{path} is not in canonical form: run `exograph tidy`"


def test_canonical_form_sorts_rows_and_keeps_header_and_comments():
    messy = "id\tlabel\r\n\nb\tsecond\n# a note\na\tfirst\n"
    assert canonical_text(messy) == "id\tlabel\n# a note\na\tfirst\nb\tsecond\n"


def test_tidy_rewrites_only_untidy_tables(ontology_copy):
    claims = ontology_copy / "curated/claims/tiny.tsv"
    header, *rows = claims.read_text().splitlines()
    claims.write_text("\n".join([header, *reversed(rows), ""]) + "\n")
    result = run_cli("tidy", "--ontology", str(ontology_copy))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("tidied") == 1 and "tiny.tsv" in result.stderr
    assert claims.read_text().splitlines() == [header, *sorted(rows)]
    assert run_cli("validate", "--ontology", str(ontology_copy)).returncode == 0
