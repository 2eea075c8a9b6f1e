"""``exograph push`` into a real Oxigraph server, and ``exograph query --endpoint`` against it."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import requests

from conftest import SAMPLE_PARAMS, TESTS, run_cli
from exograph.queries import parse_param
from exograph.remote import DEFAULT_GRAPH
from servers import canary, free_port, oxigraph_command, oxigraph_server


def _require_oxigraph() -> None:
    if oxigraph_command() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but the oxigraph server is not installed: pip install -e '.[test]'")
        pytest.skip("the oxigraph package (its server) is not installed")


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    _require_oxigraph()
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph"), "--union-default-graph") as running:
        yield running


def count(server, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    response = requests.get(server.url + "/query", params={"query": query},
                            headers={"Accept": "application/sparql-results+json"}, timeout=60)
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def push_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exograph", "push", *args], capture_output=True, text=True,
                          timeout=600, env=dict(env or os.environ, PYTHONPATH=str(TESTS.parent)))


def test_push_count_equals_stats_and_pushing_twice_leaves_one_copy(oxigraph):
    stats = run_cli("stats", "--json")
    triples = json.loads(stats.stdout)["triples"]
    for _ in range(2):
        pushed = push_cli("--endpoint", oxigraph.url + "/store")
        assert pushed.returncode == 0, pushed.stderr
        assert count(oxigraph, DEFAULT_GRAPH) == triples
    assert f"pushed {triples} triples" in pushed.stderr


def test_push_into_another_named_graph(oxigraph, tiny_ontology, tiny_graph):
    graph = "http://example.org/tiny"
    pushed = push_cli("--endpoint", oxigraph.url + "/store", "--graph", graph, "--ontology", str(tiny_ontology))
    assert pushed.returncode == 0, pushed.stderr
    assert count(oxigraph, graph) == len(tiny_graph)


def test_named_queries_at_the_endpoint_give_the_local_answers(tmp_path, real_graph):
    _require_oxigraph()
    with oxigraph_server(tmp_path, "--union-default-graph") as store:  # a store holding our graph only
        assert push_cli("--endpoint", store.url + "/store").returncode == 0
        checked = []
        for name, query in real_graph.queries().items():
            params = [f"{param}={SAMPLE_PARAMS[param]}" for param in query.params]
            remote = run_cli("query", name, *[f"--param={p}" for p in params], "--endpoint", store.url + "/query",
                             "--format", "json")
            assert remote.returncode == 0, f"{name}: {remote.stderr}"
            local = real_graph.run(name, dict(parse_param(p) for p in params))
            assert answers(remote.stdout.encode()) == answers(local.serialize("json")), name
            checked.append(name)
    assert len(checked) == len(real_graph.queries())


def answers(document: bytes) -> list:
    """SPARQL JSON results as sorted rows; GROUP_CONCAT lists sorted, as SPARQL leaves their order open."""
    parsed = json.loads(document)
    if "boolean" in parsed:
        return [parsed["boolean"]]
    rows = []
    for row in parsed["results"]["bindings"]:
        cells = {}
        for name, term in row.items():
            value = term["value"]
            separator = " | " if " | " in value else "|"
            cells[name] = (term["type"], separator.join(sorted(value.split(separator))), term.get("datatype"))
        rows.append(sorted(cells.items()))
    return sorted(rows)


def test_refused_404_and_401_are_clear_with_exit_2(oxigraph):
    refused = push_cli("--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert refused.returncode == 2 and "refused the connection" in refused.stderr
    missing = push_cli("--endpoint", oxigraph.url + "/no-such-endpoint")
    assert missing.returncode == 2 and "404" in missing.stderr
    with canary([401]) as store:
        denied = push_cli("--endpoint", store.url + "store")
        assert denied.returncode == 2 and "401" in denied.stderr and "EXOGRAPH_ENDPOINT_USER" in denied.stderr
        assert len(store.requests) == 1
    for output in (refused, missing, denied):
        assert "Traceback" not in output.stderr


def test_retries_with_back_off_on_5xx_then_succeeds(real_graph):
    with canary([503, 502, 204]) as store:
        pushed = push_cli("--endpoint", store.url + "store")
        assert pushed.returncode == 0, pushed.stderr
        assert store.requests == [f"PUT /store?graph={requests.utils.quote(DEFAULT_GRAPH, safe='')}"] * 3
    assert pushed.stderr.count("trying again") == 2
    assert store.headers[-1].get("Transfer-Encoding") == "chunked"  # streamed, not one buffered body
    assert store.bodies[-1] == len(real_graph.store.ntriples())


def test_credentials_come_from_the_environment_only():
    env = dict(os.environ, EXOGRAPH_ENDPOINT_USER="curator", EXOGRAPH_ENDPOINT_PASSWORD="s3cret")
    with canary([204]) as store:
        assert push_cli("--endpoint", store.url + "store", env=env).returncode == 0
        assert store.headers[0]["Authorization"] == "Basic Y3VyYXRvcjpzM2NyZXQ="  # curator:s3cret
    with canary([204]) as store:
        assert push_cli("--endpoint", store.url + "store", env=dict(os.environ, EXOGRAPH_ENDPOINT_TOKEN="t0k")).returncode == 0
        assert store.headers[0]["Authorization"] == "Bearer t0k"
    help_text = push_cli("--help").stdout
    assert "--password" not in help_text and "--token" not in help_text and "EXOGRAPH_ENDPOINT_TOKEN" in help_text
