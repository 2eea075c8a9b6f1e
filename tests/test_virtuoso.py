"""``exograph push`` and ``query --endpoint`` against Debian's Virtuoso 7.2 (package
virtuoso-opensource), started once per session on free loopback ports from a minimal virtuoso.ini.

Virtuoso answers 201 to a chunked PUT and stores nothing, takes writes at /sparql-graph-crud-auth
with HTTP Digest only, and never answers a direct POST query: the push must send a
Content-Length, speak Digest and count what arrived; queries must go by GET or form POST.
"""
from __future__ import annotations

import json
import os

import pytest
import requests

from conftest import SAMPLE_PARAMS, run_cli
from exograph.remote import DEFAULT_GRAPH
from servers import virtuoso_commands, virtuoso_server
from test_push import LABEL_PARAMS, count, push_cli, query_cli, remote_differences

DIGEST = {"EXOGRAPH_ENDPOINT_AUTH": "digest", "EXOGRAPH_ENDPOINT_USER": "dba", "EXOGRAPH_ENDPOINT_PASSWORD": "dba"}

# Named queries whose answers Virtuoso 7.2 gets wrong (none on 2026-12-07, bundled graph): every named query must
# give the local answer, and a query newly listed here is a wrong answer on Virtuoso, to be checked before it is
# added. The queries are written around what it gets wrong: a `*` path whose two ends are bound is walked per row
# and found only for the first row of each start (so each closure is a sub-select with a LIMIT, which no engine
# correlates); a path whose far end comes from VALUES is refused ("transitive start not given"); it joins a
# sub-select, or an OPTIONAL over a UNION, as SQL does, so a solution that leaves a shared variable unbound matches
# nothing (OPTIONAL { A UNION B } whose branches join the row on different variables leaves them unbound); a BIND
# after a UNION whose branch BINDs a join key loses other variables of the row; an IF over aggregates in a
# sub-select stops its SQL compiler; and it answers every xsd:boolean as "1" or "0", which `query --endpoint`
# reads as true/false.
VIRTUOSO_DEVIATIONS: set[str] = set()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    if virtuoso_commands() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Virtuoso is not installed: apt-get install -y virtuoso-opensource")
        pytest.skip("Virtuoso (virtuoso-t, isql-vt) is not installed: apt-get install virtuoso-opensource")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as running:
        yield running


@pytest.fixture(scope="module")
def pushed(virtuoso):
    """The bundled graph pushed with Digest to /sparql-graph-crud-auth, twice; the two runs."""
    env = dict(os.environ, **DIGEST)
    runs = [push_cli("--endpoint", virtuoso.url + "/sparql-graph-crud-auth", env=env) for _ in range(2)]
    return runs


def test_push_with_digest_twice_leaves_one_copy_equal_to_stats(virtuoso, pushed):
    triples = json.loads(run_cli("stats", "--json").stdout)["triples"]
    for run in pushed:
        assert run.returncode == 0, run.stderr
        assert f"pushed {triples} triples" in run.stderr and f"the store holds {triples}" in run.stderr
    assert count(virtuoso.url + "/sparql", DEFAULT_GRAPH) == triples


def test_basic_credentials_at_the_digest_endpoint_say_digest(virtuoso):
    env = dict(os.environ, EXOGRAPH_ENDPOINT_USER="dba", EXOGRAPH_ENDPOINT_PASSWORD="dba")
    denied = push_cli("--endpoint", virtuoso.url + "/sparql-graph-crud-auth", "--graph", "http://example.org/denied",
                      env=env)
    assert denied.returncode == 2 and "401" in denied.stderr and "EXOGRAPH_ENDPOINT_AUTH=digest" in denied.stderr
    assert count(virtuoso.url + "/sparql", "http://example.org/denied") == 0


def test_push_without_credentials_where_granted(virtuoso, tiny_ontology, tiny_graph):
    graph = "http://example.org/tiny"
    try:
        run = push_cli("--endpoint", virtuoso.url + "/sparql-graph-crud", "--graph", graph, "--ontology", str(tiny_ontology))
        assert run.returncode == 0, run.stderr
        assert count(virtuoso.url + "/sparql", graph) == len(tiny_graph)
    finally:  # the named queries read the union of all graphs: leave only the bundled one
        requests.delete(virtuoso.url + "/sparql-graph-crud", params={"graph": graph}, timeout=60)
    assert count(virtuoso.url + "/sparql", graph) == 0


def test_named_queries_at_virtuoso_give_the_local_answers(virtuoso, pushed, real_graph):
    differ = remote_differences(real_graph, virtuoso.url + "/sparql", SAMPLE_PARAMS)
    assert set(differ) <= VIRTUOSO_DEVIATIONS, {name: differ[name] for name in set(differ) - VIRTUOSO_DEVIATIONS}
    assert len(real_graph.queries()) - len(differ) >= 20


def test_label_parameters_are_resolved_at_virtuoso(virtuoso, pushed, real_graph):
    for labels in LABEL_PARAMS:
        named = {name for name, query in real_graph.queries().items() if set(labels) & query.iri_params}
        differ = remote_differences(real_graph, virtuoso.url + "/sparql", {**SAMPLE_PARAMS, **labels}, named)
        assert named and set(differ) == named & VIRTUOSO_DEVIATIONS, differ
    local = run_cli("query", "claims-about", "--param", "entity=exo:CD27")
    remote = query_cli("claims-about", "--param", "entity=exo:CD27", "--endpoint", virtuoso.url + "/sparql")
    assert remote.returncode == local.returncode == 2
    assert local.stderr.strip().splitlines()[-1] in remote.stderr
