"""The command line as a user meets it: help, exit codes, stats and exports."""
from __future__ import annotations

import json

import pytest

from conftest import run_cli

COMMANDS = ["build", "validate", "tidy", "queries", "query", "export", "stats", "paths", "view", "diff"]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_everywhere(command):
    result = run_cli(*([command] if command else []), "--help")
    assert result.returncode == 0
    assert "usage: exograph" in result.stdout
    if command:
        assert "--ontology" in result.stdout


def test_no_command_is_a_usage_error():
    result = run_cli()
    assert result.returncode == 2
    assert "usage: exograph" in result.stderr


def test_unknown_option_is_a_usage_error():
    result = run_cli("stats", "--colour")
    assert result.returncode == 2
    assert "unrecognized arguments: --colour" in result.stderr


def test_stats_json_counts_the_tiny_graph(tiny_ontology):
    result = run_cli("stats", "--json", "--ontology", str(tiny_ontology))
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert (stats["claims"], stats["entities"], stats["publications"]) == (5, 7, 3)
    assert stats["by_predicate"]["has component"] == 1
    assert stats["by_publication"] == {"chen2018": 3, "textonly2000": 1, "wolfers2001": 1}
    assert stats["by_evidence"]["ECO:0000269 experimental evidence used in manual assertion"] == 4


def test_stats_table_names_each_breakdown(tiny_ontology):
    result = run_cli("stats", "--ontology", str(tiny_ontology))
    assert result.returncode == 0
    for heading in ("by class:", "by predicate:", "by publication:", "by evidence:", "by topic:"):
        assert heading in result.stdout
    assert result.stdout.split()[:2] == ["claims", "5"]


def test_data_problems_exit_1_without_traceback(ontology_copy):
    entities = ontology_copy / "curated/entities/tiny.tsv"
    entities.write_text(entities.read_text() + "broken\tbroken\tGizmo\tA definition that is long.\t\t\t\t\n")
    result = run_cli("stats", "--ontology", str(ontology_copy))
    assert result.returncode == 1
    assert "curated/entities/tiny.tsv:9: [category] unknown-category" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
