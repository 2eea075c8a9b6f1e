"""README.md as tests (issue 11, item 5): its Python example and command-line tour run and give
non-empty answers, and it points at nothing outside the project."""
from __future__ import annotations

import ast
import re
import shlex
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import TESTS, run_cli

ROOT = TESTS.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
LONG_RUNNING = {"serve"}  # commands that do not return by themselves
CHANGES_THE_CHECKOUT = {"tidy"}  # run, as the README says, in a checkout: here a copy of this one


def blocks(language: str, after: str) -> list[str]:
    """The ``language`` code blocks that follow the heading ``after``."""
    section = README.split(after, 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


def tour_commands() -> list[list[str]]:
    commands = []
    for line in blocks("bash", "## Command-line tour")[0].splitlines():
        line = re.sub(r"\s\[[^\]]*\]", "", line.split("  #")[0].split("   #")[0]).strip()
        words = shlex.split(line, comments=True)
        if words and words[0] == "exograph" and not LONG_RUNNING & set(words[1:2]):
            commands.append(words[1:])
    return commands


def non_empty(value) -> bool:
    """A README answer that is not empty: rows, edges, claims, a positive count."""
    if hasattr(value, "number_of_edges"):
        return value.number_of_edges() > 0
    if hasattr(value, "nodes") and not hasattr(value, "__len__"):  # a View
        return (value.nodes if isinstance(value.nodes, int) else len(value.nodes)) > 0
    return len(value) > 0 if hasattr(value, "__len__") else bool(value)


def test_python_example_runs_and_every_answer_is_non_empty(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = blocks("python", "## Python")[0]
    namespace: dict = {}
    for statement in ast.parse(source).body:
        code = ast.get_source_segment(source, statement)
        if isinstance(statement, ast.Expr):
            value = eval(compile(ast.Expression(statement.value), "README.md", "eval"), namespace)
            assert non_empty(value), code
        else:
            exec(compile(ast.Module([statement], []), "README.md", "exec"), namespace)
            if isinstance(statement, ast.Assign):
                assert non_empty(namespace[statement.targets[0].id]), code


@pytest.mark.parametrize("words", tour_commands(), ids=" ".join)
def test_command_line_tour_runs(tmp_path, words):
    if words[0] in CHANGES_THE_CHECKOUT:
        import shutil

        shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
        shutil.copy(ROOT / "pyproject.toml", tmp_path)
    result = run_cli(*words, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() or "wrote" in result.stderr or "no problems found" in result.stderr or "canonical form" in result.stderr


def test_quick_start_commands_after_the_install_run(tmp_path):
    line = blocks("bash", "## Quick start")[0].strip()
    for command in line.split("&&")[1:]:  # the first is `pip install .`
        words = shlex.split(command)
        assert words[0] == "exograph"
        result = run_cli(*words[1:], cwd=tmp_path)
        assert result.returncode == 0, (command, result.stderr)
    assert (tmp_path / "exograph-out" / "view.html").is_file()


def test_readme_points_at_nothing_outside_the_project():
    assert not re.search(r"\.\./", README), "a path that leaves the checkout"
    for link in re.findall(r"\]\((?!https?://)([^)#]+)\)", README):
        assert (ROOT / link).exists(), link


def test_notebooks_extra_installs_a_jupyter_front_end():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    names = {re.split(r"[<>=\[ ;]", requirement)[0] for requirement in extras["notebooks"]}
    assert names & {"jupyterlab", "notebook"}, names


def test_ci_runs_the_readme_test_command_in_a_fresh_venv():
    script = (ROOT / ".ci" / "run").read_text()
    assert "python3 -m venv" in script and "--system-site-packages" not in script
    assert sys.version_info >= (3, 10)
