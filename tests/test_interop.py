"""Exports checked by the ecosystem's own tools: kgx validate, sssom-py, Cytoscape.js in Chromium."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import TESTS, run_cli

CYTOSCAPE = TESTS / "vendor" / "cytoscape" / "cytoscape.min.js"


def _require(module: str) -> None:
    try:
        __import__(module)
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {module} is not installed: .ci/run installs the [interop] extra")
        pytest.skip(f"{module} is not installed: pip install -e '.[interop]'")


def test_kgx_validate_finds_zero_errors(tmp_path):
    _require("kgx")
    exported = run_cli("export", "--format", "kgx", "-o", f"{tmp_path}/")
    assert exported.returncode == 0, exported.stderr
    checked = kgx_validate(tmp_path / "nodes.tsv", tmp_path / "edges.tsv")
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]
    assert errors(checked.stdout) == {}
    edges = (tmp_path / "edges.tsv").read_text(encoding="utf-8")
    assert "\tbiolink:part_of\texos:partOf\t" in edges and "\tinfores:exograph\t" in edges


def test_kgx_validate_can_fail(tmp_path):
    _require("kgx")
    assert run_cli("export", "--format", "kgx", "-o", f"{tmp_path}/").returncode == 0
    edges = tmp_path / "edges.tsv"
    edges.write_text(edges.read_text(encoding="utf-8").replace("biolink:part_of", "biolink:made_up_predicate"),
                     encoding="utf-8")
    checked = kgx_validate(tmp_path / "nodes.tsv", edges)
    assert "made_up_predicate" in json.dumps(errors(checked.stdout))


def kgx_validate(nodes, edges) -> subprocess.CompletedProcess:
    """``kgx validate`` (the real validator, offline; see kgx_offline.py) on a nodes and an edges file."""
    return subprocess.run([sys.executable, str(TESTS / "kgx_offline.py"), "validate", "-i", "tsv", str(nodes), str(edges)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)


def errors(output: str) -> dict:
    """The JSON object of errors that kgx validate prints (between its log lines)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("{"))
    end = max(i for i, line in enumerate(lines) if line.rstrip().endswith("}"))
    return json.loads("\n".join(lines[start:end + 1]))


def test_sssom_export_validates_with_sssom_py(tmp_path):
    _require("sssom")
    path = tmp_path / "exograph.sssom.tsv"
    exported = run_cli("export", "--format", "sssom", "-o", str(path))
    assert exported.returncode == 0, exported.stderr
    sssom = shutil.which("sssom", path=os.path.dirname(sys.executable)) or shutil.which("sssom")
    checked = subprocess.run([sssom, "validate", str(path)], capture_output=True, text=True, timeout=600)
    assert checked.returncode == 0, checked.stderr[-3000:]
    from sssom.parsers import parse_sssom_table

    mappings = parse_sssom_table(path).df
    assert {"skos:exactMatch", "skos:closeMatch"} <= set(mappings["predicate_id"])
    assert ("exo:CD47", "HGNC:1682") in set(zip(mappings["subject_id"], mappings["object_id"]))
    broken = tmp_path / "broken.sssom.tsv"
    broken.write_text(path.read_text(encoding="utf-8").replace("semapv:ManualMappingCuration", "semapv:Guess"),
                      encoding="utf-8")
    assert subprocess.run([sssom, "validate", str(broken)], capture_output=True, timeout=600).returncode != 0


@pytest.mark.slow
def test_cyjs_opens_in_cytoscape_js(tmp_path, real_graph):
    from test_view_browser import _require_browser

    _require_browser()
    from offline_browser import offline_browser, open_page

    path = tmp_path / "exograph.cyjs"
    assert run_cli("export", "--format", "cyjs", "-o", str(path)).returncode == 0
    shutil.copy(CYTOSCAPE, tmp_path / "cytoscape.min.js")
    (tmp_path / "index.html").write_text(
        "<!DOCTYPE html><html><body><div id='cy' style='width:800px;height:600px'></div>"
        "<script src='cytoscape.min.js'></script><script>"
        f"const data = {path.read_text(encoding='utf-8')};"
        "const cy = cytoscape({container: document.getElementById('cy'), elements: data.elements, data: data.data});"
        "window.counts = {nodes: cy.nodes().length, edges: cy.edges().length};"
        "</script></body></html>", encoding="utf-8")
    network = real_graph.to_networkx()
    with offline_browser() as browser:
        record = open_page(browser, tmp_path / "index.html")
        counts = record.page.evaluate("window.counts")
        assert record.blocked == [] and record.errors == []
    assert counts == {"nodes": network.number_of_nodes(), "edges": network.number_of_edges()}
