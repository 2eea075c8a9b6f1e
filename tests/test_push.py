"""``exograph push`` into a real Oxigraph server and into loopback canaries, and ``exograph query
--endpoint`` against them: verified counts, redirects, credentials, deadlines, GET/form POST."""
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

# [IRI] parameter values that name one entity by label, synonym or case variant (see the queries' # param: lines)
LABEL_PARAMS = [{"entity": "PD-L1"}, {"entity": "B7-H1"}, {"entity": "pd-l1"}]
GRAPH_PARAM = f"graph={requests.utils.quote(DEFAULT_GRAPH, safe='')}"


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


@pytest.fixture(scope="module")
def triples(real_graph) -> int:
    return json.loads(run_cli("stats", "--json").stdout)["triples"]


def count(query_url: str, graph: str) -> int:
    """The triples of ``graph`` by a SPARQL COUNT at ``query_url``."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    response = requests.get(query_url, params={"query": query},
                            headers={"Accept": "application/sparql-results+json"}, timeout=60)
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def push_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exograph", "push", *args], capture_output=True, text=True,
                          timeout=600, env=dict(env or os.environ, PYTHONPATH=str(TESTS.parent)))


def query_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exograph", "query", *args], capture_output=True, text=True,
                          timeout=600, env=dict(env or os.environ, PYTHONPATH=str(TESTS.parent)))


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


def remote_differences(real_graph, query_url: str, params: dict[str, str], names=None) -> dict[str, str]:
    """Each named query (or those of ``names``) run with ``params`` at the endpoint by the CLI and
    locally: {name: what differs} for those whose answers are not the same."""
    differ = {}
    for name, query in real_graph.queries().items():
        if names is not None and name not in names:
            continue
        given = [f"{param}={params[param]}" for param in query.params]
        remote = query_cli(name, *[f"--param={p}" for p in given], "--endpoint", query_url, "--format", "json")
        if remote.returncode != 0:
            differ[name] = remote.stderr.strip().splitlines()[-1]
            continue
        local = real_graph.run(name, dict(parse_param(p) for p in given))
        if answers(remote.stdout.encode()) != answers(local.serialize("json")):
            differ[name] = f"{len(answers(remote.stdout.encode()))} rows there, {len(answers(local.serialize('json')))} here"
    return differ


# ---------------------------------------------------------------- the real Oxigraph server
def test_push_count_equals_stats_and_pushing_twice_leaves_one_copy(oxigraph, triples):
    for _ in range(2):
        pushed = push_cli("--endpoint", oxigraph.url + "/store")
        assert pushed.returncode == 0, pushed.stderr
        assert count(oxigraph.url + "/query", DEFAULT_GRAPH) == triples
    assert f"pushed {triples} triples" in pushed.stderr and f"the store holds {triples}" in pushed.stderr


def test_push_into_another_named_graph(oxigraph, tiny_ontology, tiny_graph):
    graph = "http://example.org/tiny"
    pushed = push_cli("--endpoint", oxigraph.url + "/store", "--graph", graph, "--ontology", str(tiny_ontology))
    assert pushed.returncode == 0, pushed.stderr
    assert count(oxigraph.url + "/query", graph) == len(tiny_graph)


def test_named_queries_at_oxigraph_give_the_local_answers(tmp_path, real_graph):
    _require_oxigraph()
    with oxigraph_server(tmp_path, "--union-default-graph") as store:  # a store holding our graph only
        assert push_cli("--endpoint", store.url + "/store").returncode == 0
        assert remote_differences(real_graph, store.url + "/query", SAMPLE_PARAMS) == {}
        for labels in LABEL_PARAMS:
            with_labels = {**SAMPLE_PARAMS, **labels}
            named = {name for name, query in real_graph.queries().items() if set(labels) & query.iri_params}
            assert named and remote_differences(real_graph, store.url + "/query", with_labels, named) == {}


def test_unknown_concept_at_the_endpoint_is_the_local_error(oxigraph):
    assert push_cli("--endpoint", oxigraph.url + "/store").returncode == 0
    for wrong in ("exo:CD27", "PD-L"):
        local = run_cli("query", "claims-about", "--param", f"entity={wrong}")
        remote = query_cli("claims-about", "--param", f"entity={wrong}", "--endpoint", oxigraph.url + "/query")
        assert remote.returncode == local.returncode == 2
        message = local.stderr.strip().splitlines()[-1]
        assert "did you mean" in message and message in remote.stderr


def test_a_redirect_to_another_origin_is_refused_and_the_graph_kept(oxigraph, triples):
    assert push_cli("--endpoint", oxigraph.url + "/store").returncode == 0
    for status in (301, 302, 303, 307, 308):
        target = f"{oxigraph.url}/store?{GRAPH_PARAM}"
        with canary(redirects={"/store": (status, target)}) as front:
            pushed = push_cli("--endpoint", front.url + "store")
        assert pushed.returncode == 2 and f"redirects ({status}) to {target}" in pushed.stderr, pushed.stderr
        assert "pushed" not in pushed.stderr
        assert count(oxigraph.url + "/query", DEFAULT_GRAPH) == triples  # PU8: not emptied


# ---------------------------------------------------------------- loopback canaries
def test_a_same_origin_307_or_308_gets_the_whole_body_again(real_graph):
    for status in (307, 308):
        with canary([204], triples=len(real_graph), redirects={"/old": (status, f"/store?{GRAPH_PARAM}")}) as store:
            pushed = push_cli("--endpoint", store.url + "old")
        assert pushed.returncode == 0, pushed.stderr
        assert store.store_requests() == [f"PUT /old?{GRAPH_PARAM}", f"PUT /store?{GRAPH_PARAM}"]
        size = len(real_graph.store.ntriples())
        assert store.bodies[:2] == [size, size]
        assert all(headers["Content-Length"] == str(size) and "Transfer-Encoding" not in headers
                   for headers in store.headers[:2])  # from disk with a length, never chunked


def test_a_redirect_that_would_drop_the_body_is_refused():
    with canary(redirects={"/old": (302, "/store")}) as store:
        pushed = push_cli("--endpoint", store.url + "old")
    assert pushed.returncode == 2 and "redirects (302) to " + store.url + "store" in pushed.stderr
    assert store.requests == [f"PUT /old?{GRAPH_PARAM}"]


def test_a_store_that_keeps_less_than_was_sent_fails_with_exit_1(real_graph):
    with canary([201], triples=0) as store:  # as Virtuoso answered a chunked PUT: 201, nothing stored
        pushed = push_cli("--endpoint", store.url + "store")
    assert pushed.returncode == 1
    assert f"holds 0 triples there, not the {len(real_graph)} sent" in pushed.stderr
    assert "pushed" not in pushed.stderr
    with canary([201], triples=len(real_graph)) as store:
        pushed = push_cli("--endpoint", store.url + "store", "--sparql", store.url + "query")
    assert pushed.returncode == 0 and f"pushed {len(real_graph)} triples" in pushed.stderr


def test_an_unknown_store_is_verified_by_reading_the_graph_back(real_graph):
    with canary([204, 200]) as store:  # its GET answers one line: not the graph that was sent
        pushed = push_cli("--endpoint", store.url + "gsp")
    assert pushed.returncode == 1 and f"holds 1 triples there, not the {len(real_graph)} sent" in pushed.stderr
    assert store.requests == [f"PUT /gsp?{GRAPH_PARAM}", f"GET /gsp?{GRAPH_PARAM}"]


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


def test_retries_say_why_and_stop_at_the_deadline(real_graph):
    with canary([503, 502, 204], triples=len(real_graph)) as store:
        pushed = push_cli("--endpoint", store.url + "store")
    assert pushed.returncode == 0, pushed.stderr
    assert store.store_requests() == [f"PUT /store?{GRAPH_PARAM}"] * 3
    assert "answered 503 Service Unavailable; trying again in 1 s" in pushed.stderr
    assert "answered 502 Bad Gateway; trying again in 2 s" in pushed.stderr
    with canary([503]) as store:
        stuck = push_cli("--endpoint", store.url + "store", "--deadline", "2.5")
    assert stuck.returncode == 2 and "gave up: the 2.5 s deadline (--deadline) ends in" in stuck.stderr
    assert len(store.requests) == 2  # tried, waited 1 s, tried; a 2 s wait would pass the deadline


def test_bad_endpoint_and_graph_are_usage_errors():
    no_scheme = push_cli("--endpoint", "127.0.0.1:7878/store")
    assert no_scheme.returncode == 2 and "is not an http:// or https:// URL" in no_scheme.stderr
    assert "No connection adapters" not in no_scheme.stderr
    relative = push_cli("--endpoint", "http://127.0.0.1:7878/store", "--graph", "notaniri")
    assert relative.returncode == 2 and "--graph notaniri is not an absolute IRI" in relative.stderr


def test_credentials_come_from_the_environment_only(real_graph):
    ok = len(real_graph)
    env = dict(os.environ, EXOGRAPH_ENDPOINT_USER="curator", EXOGRAPH_ENDPOINT_PASSWORD="s3cret")
    with canary([204], triples=ok) as store:
        assert push_cli("--endpoint", store.url + "store", env=env).returncode == 0
        assert store.headers[0]["Authorization"] == "Basic Y3VyYXRvcjpzM2NyZXQ="  # curator:s3cret
    with canary([204], triples=ok) as store:
        assert push_cli("--endpoint", store.url + "store", env=dict(os.environ, EXOGRAPH_ENDPOINT_TOKEN="t0k")).returncode == 0
        assert store.headers[0]["Authorization"] == "Bearer t0k"
    help_text = push_cli("--help").stdout
    assert "--password" not in help_text and "--token" not in help_text
    assert "EXOGRAPH_ENDPOINT_TOKEN" in help_text and "EXOGRAPH_ENDPOINT_AUTH=digest" in help_text


def test_userinfo_in_the_url_is_never_sent_or_printed(real_graph):
    with canary([204], triples=len(real_graph)) as store:
        url = store.url.replace("http://", "http://bob:URLPW789@")
        pushed = push_cli("--endpoint", url + "store")
        queried = query_cli("--endpoint", url + "query", "--sparql", "SELECT ?n WHERE { ?s ?p ?n }")
    assert pushed.returncode == 0 and queried.returncode == 0, pushed.stderr + queried.stderr
    assert all("Authorization" not in headers for headers in store.headers)
    refused = push_cli("--endpoint", f"http://bob:URLPW789@127.0.0.1:{free_port()}/store")
    assert refused.returncode == 2
    for output in (pushed, queried, refused):
        assert "URLPW789" not in output.stderr + output.stdout and "bob" not in output.stderr + output.stdout


def test_no_netrc_and_no_proxy_unless_asked(tmp_path, real_graph):
    """The loopback canary: a ~/.netrc for the store and proxy variables pointing at a canary; push
    and query send nothing to the canary and no credentials to the store (unless --trust-env)."""
    with canary() as proxy, canary([204], triples=len(real_graph)) as store:
        (tmp_path / ".netrc").write_text("machine 127.0.0.1\nlogin netrcuser\npassword NETRCPW\n", encoding="utf-8")
        (tmp_path / ".netrc").chmod(0o600)
        env = dict(os.environ, HOME=str(tmp_path), NETRC=str(tmp_path / ".netrc"), **{
            name: proxy.url for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")})
        env.pop("NO_PROXY", None), env.pop("no_proxy", None)
        assert push_cli("--endpoint", store.url + "store", env=env).returncode == 0
        assert query_cli("--endpoint", store.url + "query", "--sparql", "SELECT ?n WHERE { ?s ?p ?n }", env=env).returncode == 0
        assert proxy.requests == []
        assert all("Authorization" not in headers for headers in store.headers)
        opted = query_cli("--endpoint", store.url + "query", "--sparql", "SELECT ?n WHERE { ?s ?p ?n }",
                          "--trust-env", env=env)
        assert proxy.requests, opted.stderr  # the canary does see what --trust-env lets through


def test_query_uses_get_then_form_post_never_a_direct_post():
    text = "SELECT ?n WHERE { ?s ?p ?n }"
    with canary(refuse_get=True) as store:
        refused = query_cli("--endpoint", store.url + "query", "--sparql", text, "--format", "csv")
    assert refused.returncode == 0, refused.stderr
    assert [request.split("?")[0] for request in store.requests] == ["GET /query", "POST /query"]
    assert store.headers[1]["Content-Type"] == "application/x-www-form-urlencoded"
    long_text = "SELECT ?n WHERE { ?s ?p ?n FILTER(?n != " + " + ".join(["1"] * 1000) + ") }"
    with canary() as store:
        long = query_cli("--endpoint", store.url + "query", "--sparql", long_text, "--format", "csv")
    assert long.returncode == 0, long.stderr
    assert store.requests == ["POST /query"] and store.headers[0]["Content-Type"] == "application/x-www-form-urlencoded"
