"""The command line as a user meets it: help, exit codes, stats and exports."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

import exograph
from conftest import TESTS, run_cli

COMMANDS = ["build", "validate", "tidy", "queries", "query", "export", "stats", "paths", "view", "diff"]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_everywhere(command):
    result = run_cli(*([command] if command else []), "--help")
    assert result.returncode == 0
    assert "usage: exograph" in result.stdout
    if command:
        assert "--ontology" in result.stdout


@pytest.mark.parametrize("args", [("--help",), ("-h", "query"), ("--ontology", "x", "--help")])
def test_top_level_help_lists_every_command(args):
    """A command line that names a command builds only that command's parser; the top-level help still has them all."""
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert all(f"\n    {command} " in result.stdout for command in [*COMMANDS, "push", "serve", "cache"])


def test_command_after_a_top_level_option(tiny_ontology):
    result = run_cli("--ontology", str(tiny_ontology), "queries")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("claims-by-subject\t")  # the tiny folder's one query


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


@pytest.mark.parametrize(("args", "suggestion"), [
    (("export", "--format", "rdflb", "-o", "x"), None),  # rdflib is an --engine value, not a format
    (("export", "--format", "graphm", "-o", "x"), "did you mean graphml?"),
    (("stats", "--engine", "rdflb"), "did you mean rdflib?"),
    (("stat",), "did you mean stats?"),
])
def test_did_you_mean_suggests_only_values_of_the_failed_option(args, suggestion):
    result = run_cli(*args)
    assert result.returncode == 2 and "invalid choice" in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    if suggestion:
        assert last.endswith(suggestion)
    else:
        assert "did you mean" not in last and "rdflib" not in last.split("(choose from")[-1]


def test_serve_without_the_extra_says_how_to_install_it_from_a_checkout(tiny_ontology):
    hide = "import sys; sys.modules['uvicorn'] = None; from exograph.cli import main; sys.exit(main(sys.argv[1:]))"
    env = dict(os.environ, PYTHONPATH=str(TESTS.parent))
    result = subprocess.run([sys.executable, "-c", hide, "serve", "--ontology", str(tiny_ontology)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "exograph serve needs uvicorn: in an exograph checkout, pip install -e \".[serve]\"" in result.stderr


def test_view_says_what_it_wrote_and_refuses_an_empty_page(tiny_ontology, tmp_path):
    page = tmp_path / "v.html"
    result = run_cli("view", "--ontology", str(tiny_ontology), "-o", str(page))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {page} (7 nodes, 5 claims); open file://") and page.is_file()
    empty = tmp_path / "empty.html"
    result = run_cli("view", "--ontology", str(tiny_ontology), "--category", "Protein", "--predicate", "has component",
                     "-o", str(empty))
    assert result.returncode == 1 and result.stdout == "" and not empty.exists()
    assert f"the selection holds 0 node(s) and no claim, so {empty} was not written" in result.stderr


DIRECTION = """# title: Claims about a subject, one way
# param: direction  "up" or "down"
SELECT ?claim WHERE { ?claim a <https://w3id.org/exograph/schema/Claim> . FILTER(STR(?direction) != "") }
"""


def test_allowed_parameter_values_are_listed_and_enforced(ontology_copy):
    (ontology_copy / "queries" / "one-way.rq").write_text(DIRECTION, encoding="utf-8")
    listed = run_cli("queries", "--ontology", str(ontology_copy))
    assert "one-way\tClaims about a subject, one way\t--param direction=up|down" in listed.stdout.splitlines()
    wrong = run_cli("query", "one-way", "--param", "direction=sideways", "--ontology", str(ontology_copy))
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert 'query \'one-way\' takes direction "up" or "down", not "sideways"' in wrong.stderr
    remote = run_cli("query", "one-way", "--param", "direction=sideways", "--endpoint", "http://127.0.0.1:9/sparql",
                     "--ontology", str(ontology_copy))  # refused before any request
    assert remote.returncode == 2 and remote.stderr.strip().endswith('takes direction "up" or "down", not "sideways"')
    for value in ("up", '"down"'):
        right = run_cli("query", "one-way", "--param", f"direction={value}", "--format", "csv", "--ontology", str(ontology_copy))
        assert right.returncode == 0, right.stderr
        assert len(right.stdout.splitlines()) == 1 + 5  # the tiny graph's five claims
    graph = exograph.load(ontology_copy)  # the Python API refuses the same value
    with pytest.raises(exograph.UsageError, match='takes direction "up" or "down", not "sideways"'):
        graph.query("one-way", direction="sideways")
    assert len(graph.query("one-way", direction="down")) == 5


def test_validate_paths_open_from_where_it_runs(ontology_copy):
    claims = ontology_copy / "curated/claims/tiny.tsv"
    claims.write_text(claims.read_text(encoding="utf-8").replace("tiny-002\tCD274", "tiny-002\tCD999"), encoding="utf-8")
    for cwd in (ontology_copy.parent, ontology_copy / "curated"):
        result = run_cli("validate", "--ontology", str(ontology_copy), cwd=cwd)
        assert result.returncode == 1
        where = result.stderr.splitlines()[0].split(":")[0]
        assert (cwd / where).resolve() == claims.resolve(), where


def test_the_readme_either_direction_example_answers_its_question():
    readme = (TESTS.parent / "README.md").read_text(encoding="utf-8").splitlines()
    command = next(line for line in readme if line.startswith("exograph paths") and "--either-direction" in line)
    shown = next(line for line in readme if line.startswith("#   ") and "<--" in line)[4:].split("  (")[0]
    words = shlex.split(command.split("  #")[0])[1:]
    result = run_cli(*words)
    assert result.returncode == 0, result.stderr
    hops = [line.strip().split("  [")[0] for line in result.stdout.split("\n2. ")[0].splitlines()[1:]]
    source = hops[0].split(" --")[0].split(" <--")[0]
    assert source + "".join(hop[len(hop.split(" --")[0].split(" <--")[0]):] for hop in hops) == shown
    without = run_cli(*[word for word in words if word != "--either-direction"])
    assert without.stdout == "" and "no path of at most 3 hops" in without.stderr


def test_an_editable_install_names_its_checkout_and_tidy_refuses_it_from_elsewhere(tmp_path):
    """Run outside any checkout, the CLI (imported from this checkout, as ``pip install -e .`` does) falls back on
    the checkout's ontology/: it must say so, not "the copy that comes with the package", and tidy must refuse it
    as it refuses a wheel's copy (newcomer report 2026-12, section 11)."""
    assert not (TESTS.parent / "exograph" / "ontology").exists(), "this test needs the checkout layout, not a wheel's"
    checkout_ontology = (TESTS.parent / "ontology").resolve()
    stats = run_cli("stats", "--json", cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    said = stats.stderr.splitlines()[0]
    assert said == f"exograph: ontology {checkout_ontology} (the ontology/ of the checkout this editable install comes from)"
    tidy = run_cli("tidy", cwd=tmp_path)
    assert tidy.returncode == 2
    assert f"exograph: error: {checkout_ontology} is the ontology/ of the checkout this editable install comes from" \
        in tidy.stderr and "run in that checkout or pass --ontology DIR" in tidy.stderr
    assert "tidied" not in tidy.stderr and "canonical form" not in tidy.stderr
    assert list(tmp_path.iterdir()) == []


def test_what_exograph_writes_in_a_checkout_is_ignored_by_git(tiny_ontology, tmp_path):
    """After the quick start (a .venv/, `build`, `view`), `git status` in a checkout shows nothing new
    (newcomer report 2026-12, section 9: the build's lock file and .venv/ were listed)."""
    import shutil

    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    shutil.copy(TESTS.parent / ".gitignore", checkout / ".gitignore")
    subprocess.run([git, "init", "-q"], cwd=checkout, check=True)
    (checkout / ".venv" / "bin").mkdir(parents=True)
    (checkout / ".venv" / "bin" / "python").write_text("", encoding="utf-8")
    for command in (("build",), ("view",)):
        result = run_cli(*command, "--ontology", str(tiny_ontology), cwd=checkout)
        assert result.returncode == 0, result.stderr
    assert (checkout / "exograph-out" / "view.html").is_file()
    status = subprocess.run([git, "status", "--porcelain", "--untracked-files=all"], cwd=checkout, capture_output=True,
                            text=True, check=True)
    assert status.stdout.splitlines() == ["?? .gitignore"]
