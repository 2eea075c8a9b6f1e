"""What ``exograph serve`` says to a web client that gets something wrong: the CLI's did-you-mean,
URL parameters (never CLI flags), allowed values, what a syntax error expected; and what /queries,
/prefixes and /favicon.ico give. Over real HTTP, against a real ``exograph serve``."""
from __future__ import annotations

import pytest
import requests

from servers import exograph_server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CQ41 = "cq41-exosomal-pdl1-modulators"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with exograph_server(tmp_path_factory.mktemp("serve"), "--timeout", "2") as running:
        yield running


def get(server, path: str, **params) -> requests.Response:
    return requests.get(server.url + path, params=params, headers={"Accept": "application/sparql-results+json"}, timeout=60)


def test_unknown_query_name_gets_did_you_mean(server):
    answer = get(server, "/queries/claim-about")
    assert answer.status_code == 404
    assert answer.text.strip() == "unknown query 'claim-about'; did you mean claims-about?"
    assert get(server, "/queries/zzzz").text.strip() == "unknown query 'zzzz'; GET /queries lists them"


def test_unknown_curie_gets_suggestions(server):
    answer = get(server, "/queries/claims-about", entity="exo:CD4")
    assert answer.status_code == 400
    assert answer.text.startswith("unknown concept 'exo:CD4'; did you mean ") and "(exo:CD47)" in answer.text


def test_missing_parameter_names_the_url_parameter(server):
    answer = get(server, "/queries/claims-about")
    assert answer.status_code == 400
    assert "needs ?entity=VALUE (/queries/claims-about?entity=VALUE)" in answer.text and "--" not in answer.text


def test_a_value_outside_the_allowed_ones_is_refused(server, real_graph):
    answer = get(server, f"/queries/{CQ41}", direction="up")
    assert answer.status_code == 400
    assert answer.text.strip() == f"query '{CQ41}' takes direction \"increased\" or \"decreased\", not \"up\""
    rows = get(server, f"/queries/{CQ41}", direction="decreased").json()["results"]["bindings"]
    assert len(rows) == len(real_graph.run(CQ41, {"direction": "decreased"}).rows) > 0


def test_catalogue_lists_allowed_values_and_sparql(server, real_graph):
    catalogue = {entry["name"]: entry for entry in requests.get(server.url + "/queries", timeout=60).json()}
    assert catalogue[CQ41]["values"] == {"direction": ["increased", "decreased"]}
    assert catalogue["claims-about"]["values"] == {}
    assert catalogue["claims-about"]["sparql"] == real_graph.queries()["claims-about"].text


def test_syntax_error_says_what_was_expected(server):
    answer = requests.post(server.url + "/sparql", data="SELECT ?s WHERE { ?s ?p ?o", timeout=60,
                           headers={"Content-Type": "application/sparql-query"})
    assert answer.status_code == 400
    assert answer.text.startswith("SPARQL syntax error at line 1, column 27: expected ") and '"}"' in answer.text


def test_timeout_speaks_of_the_server_not_a_flag(server):
    answer = requests.get(server.url + "/sparql", params={"query": RUNAWAY}, timeout=120)
    assert answer.status_code == 503
    assert answer.text.strip() == "the query ran longer than 2 s and was stopped (this server's time limit); narrow the query"


def test_favicon_and_prefixes(server, real_graph):
    icon = requests.get(server.url + "/favicon.ico", timeout=60)
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/svg+xml" and icon.text.startswith("<svg")
    prefixes = requests.get(server.url + "/prefixes", timeout=60).json()
    assert prefixes["exo"] == "https://w3id.org/exograph/entity/" and prefixes.keys() == real_graph.prefixes.prefixes.keys()
