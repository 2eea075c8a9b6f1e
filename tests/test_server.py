"""``exograph serve`` as clients see it: the SPARQL 1.1 Protocol over real HTTP, with real clients."""
from __future__ import annotations

import contextlib
import csv
import http.client
import io
import json
import os
import signal
import socket
import time
import urllib.parse
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from rdflib import Graph, URIRef

from conftest import run_cli
from servers import canary, exograph_server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CLASSES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class (COUNT(?e) AS ?n) WHERE { ?e a ?class } GROUP BY ?class ORDER BY ?class"""
CONSTRUCT = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?s rdfs:label ?label } WHERE { ?s rdfs:label ?label }"""
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with exograph_server(tmp_path_factory.mktemp("serve"), "--timeout", "20", "--max-rows", "500") as running:
        yield running


def sparql(server, query: str, accept: str = JSON, method: str = "GET", **kwargs) -> requests.Response:
    url = server.url + "/sparql"
    headers = {"Accept": accept}
    if method == "GET":
        return requests.get(url, params={"query": query}, headers=headers, timeout=120, **kwargs)
    if method == "form":
        return requests.post(url, data={"query": query}, headers=headers, timeout=120, **kwargs)
    headers["Content-Type"] = "application/sparql-query"
    return requests.post(url, data=query.encode("utf-8"), headers=headers, timeout=120, **kwargs)


def bindings(response: requests.Response) -> list[dict]:
    assert response.status_code == 200, response.text
    return [{name: term["value"] for name, term in row.items()} for row in response.json()["results"]["bindings"]]


def test_get_and_both_posts_give_the_same_answer(server, real_graph):
    answers = [bindings(sparql(server, CLASSES, method=method)) for method in ("GET", "form", "direct")]
    assert answers[0] == answers[1] == answers[2]
    assert [int(a["n"]) for a in bindings(sparql(server, COUNT))] == [len(real_graph)]


def test_select_in_every_results_format(server):
    expected = bindings(sparql(server, CLASSES))
    as_csv = sparql(server, CLASSES, "text/csv")
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert list(csv.DictReader(io.StringIO(as_csv.text))) == expected
    as_tsv = sparql(server, CLASSES, "text/tab-separated-values")
    lines = as_tsv.text.splitlines()
    assert lines[0] == "?class\t?n" and len(lines) == len(expected) + 1
    as_xml = sparql(server, CLASSES, "application/sparql-results+xml")
    results = ET.fromstring(as_xml.content).findall(".//{http://www.w3.org/2005/sparql-results#}result")
    assert len(results) == len(expected)
    ask = sparql(server, "ASK { ?s ?p ?o }")
    assert ask.json()["boolean"] is True


def test_construct_in_every_graph_format(server):
    graphs = {}
    for media, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        response = sparql(server, CONSTRUCT, media)
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        graphs[fmt] = Graph().parse(data=response.text, format=fmt)
    assert len(graphs["turtle"]) > 50
    assert set(graphs["turtle"]) == set(graphs["nt"]) == set(graphs["json-ld"])


def test_quality_values_choose_the_type(server):
    response = sparql(server, CLASSES, "text/csv;q=0.5, application/sparql-results+xml;q=0.9")
    assert response.headers["content-type"].startswith("application/sparql-results+xml")


def test_unsupported_type_is_406_and_bad_syntax_is_400_with_the_parser_message(server):
    assert sparql(server, CLASSES, "image/png").status_code == 406
    assert sparql(server, CONSTRUCT, JSON).status_code == 406
    broken = sparql(server, "SELECT ?s WHERE { ?s ?p }")
    assert broken.status_code == 400 and "syntax error" in broken.text.lower()


def test_service_description_at_the_endpoint(server, real_graph):
    response = requests.get(server.url + "/sparql", timeout=30)
    description = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(server.url + "/sparql")
    assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in description
    triples = {int(o) for o in description.objects(None, URIRef("http://rdfs.org/ns/void#triples"))}
    assert triples == {len(real_graph)}


def test_health_and_cors(server):
    assert requests.get(server.url + "/health", timeout=30).json()["status"] == "ok"
    response = requests.get(
        server.url + "/sparql", params={"query": COUNT}, headers={"Origin": "http://example.org", "Accept": JSON}, timeout=30)
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = requests.options(server.url + "/sparql", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"}, timeout=30)
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]


@pytest.mark.parametrize("update", [
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "DELETE WHERE { ?s ?p ?o }", "LOAD <{canary}>", "CLEAR ALL", "DROP GRAPH <http://example.org/g>",
    "PREFIX x: <http://example.org/> # comment\n  insert data { x:a x:b x:c }"])
def test_updates_are_refused(server, real_graph, update):
    with canary() as leak:
        text = update.replace("{canary}", leak.url)
        for method in ("GET", "form", "direct"):
            assert sparql(server, text, method=method).status_code in (400, 403)
        as_update = requests.post(server.url + "/sparql", data=text.encode(), timeout=30,
                                  headers={"Content-Type": "application/sparql-update"})
        assert as_update.status_code in (400, 403)
        assert requests.post(server.url + "/sparql", data={"update": text}, timeout=30).status_code in (400, 403)
        assert leak.requests == []
    assert [int(a["n"]) for a in bindings(sparql(server, COUNT))] == [len(real_graph)]


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <{canary}> { ?s ?p ?o } }",
    "SELECT * WHERE { SeRvIcE SILENT <{canary}> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <{canary}> { ?s ?p ?o } }",
])
def test_service_is_refused_naming_why_with_zero_outbound_requests(server, query):
    with canary() as leak:
        text = query.replace("{canary}", leak.url)
        for method in ("GET", "form", "direct"):
            response = sparql(server, text, method=method)
            assert response.status_code == 400 and "SERVICE" in response.text
        assert leak.requests == []


@pytest.mark.parametrize("query", ["SELECT * FROM <{canary}> WHERE { ?s ?p ?o }",
                                   "SELECT * FROM NAMED <{canary}> WHERE { GRAPH ?g { ?s ?p ?o } }"])
def test_a_dataset_naming_a_graph_held_nowhere_is_empty_and_fetches_nothing(server, query):
    with canary() as leak:
        text = query.replace("{canary}", leak.url)
        for method in ("GET", "form", "direct"):
            assert bindings(sparql(server, text, method=method)) == []
        with_dataset = requests.get(server.url + "/sparql", params={"query": COUNT, "default-graph-uri": leak.url},
                                    headers={"Accept": JSON}, timeout=30)
        assert bindings(with_dataset) == [{"n": "0"}]
        assert leak.requests == []


def test_an_oversized_query_is_413(server):
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000
    assert sparql(server, huge, method="direct").status_code == 413
    assert sparql(server, huge, method="form").status_code == 413


def test_a_long_get_query_is_answered_or_told_to_post(server):
    """A URL over 64 KiB was a bare 400 'Invalid HTTP request received.' from the HTTP parser, and one
    over h11's 16 KiB arriving in pieces too (reliability H3: a 90,000-byte query string is under the
    100 kB query cap). httptools' parser takes at most 65,535 bytes: a longer URL is a 414 naming POST."""
    import importlib.util

    start = "query=" + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1 #")
    under = requests.get(f"{server.url}/sparql?{start}{'x' * (60_000 - len(start))}", timeout=120)
    assert under.status_code == 200, under.text
    for size in (90_000, 1_000_000):
        long = requests.get(f"{server.url}/sparql?{start}{'x' * (size - len(start))}", timeout=120)
        if importlib.util.find_spec("httptools"):  # uvicorn's fast parser, in the [serve] extra
            assert long.status_code == 414 and "by POST" in long.text, long.text
        else:
            assert long.status_code == (200 if size < 100_000 else 413), long.text
    assert sparql(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * 90_000, method="form").status_code == 200


def test_rows_past_max_rows_are_cut_and_a_header_says_so(server):
    response = sparql(server, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert len(bindings(response)) == 500 and response.headers["x-exograph-truncated"] == "true"
    small = sparql(server, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5")
    assert len(bindings(small)) == 5 and "x-exograph-truncated" not in small.headers


def test_the_row_cap_cuts_every_results_format_at_a_whole_row(server):
    """The worker writes results with Oxigraph's own writers and cuts them in TSV, one line a row:
    values holding line breaks, tabs and quotes must neither end a row early nor be cut mid-value."""
    values = [f'"row {i}\\n\\t\\"quoted\\" }},{{"' for i in range(501)]
    query = "SELECT ?x WHERE { VALUES ?x { " + " ".join(values) + " } }"
    expected = [f'row {i}\n\t"quoted" }},{{' for i in range(500)]
    answers = {media: sparql(server, query, media, method="direct") for media in
               (JSON, "application/sparql-results+xml", "text/csv", "text/tab-separated-values")}
    assert all(answer.headers.get("x-exograph-truncated") == "true" for answer in answers.values())
    assert [row["x"] for row in bindings(answers[JSON])] == expected
    xml = ET.fromstring(answers["application/sparql-results+xml"].content)
    assert [literal.text for literal in xml.iter("{http://www.w3.org/2005/sparql-results#}literal")] == expected
    assert [row["x"] for row in csv.DictReader(io.StringIO(answers["text/csv"].text))] == expected
    tsv = answers["text/tab-separated-values"].text.split("\n")
    assert tsv[0] == "?x" and len(tsv) == 502 and tsv[-1] == "" and tsv[500] == '"row 499\\n\\t\\"quoted\\" },{"'
    whole = sparql(server, query.replace(values[-1], ""), "text/csv", method="direct")
    assert len(list(csv.DictReader(io.StringIO(whole.text)))) == 500 and "x-exograph-truncated" not in whole.headers


def test_named_queries_over_http_bind_parameters_as_the_cli_does(server):
    catalogue = requests.get(server.url + "/queries", timeout=30).json()
    by_name = {q["name"]: q for q in catalogue}
    assert "entity" in by_name["claims-about"]["params"]
    response = requests.get(server.url + "/queries/claims-about", params={"entity": "exo:CD47"},
                            headers={"Accept": JSON}, timeout=60)
    cli = run_cli("query", "claims-about", "--param", "entity=exo:CD47", "--format", "json")
    assert cli.returncode == 0, cli.stderr
    assert response.json()["results"]["bindings"] == json.loads(cli.stdout)["results"]["bindings"] != []
    assert requests.get(server.url + "/queries/no-such-query", timeout=30).status_code == 404
    unknown = requests.get(server.url + "/queries/claims-about", params={"nonsense": "1"}, timeout=30)
    assert unknown.status_code == 400 and "nonsense" in unknown.text


def test_sparqlwrapper_gets_the_same_answers(server):
    from SPARQLWrapper import JSON as SW_JSON, POST, SPARQLWrapper, TURTLE

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(CLASSES)
    client.setReturnFormat(SW_JSON)
    rows = [{k: v["value"] for k, v in row.items()} for row in client.query().convert()["results"]["bindings"]]
    assert rows == bindings(sparql(server, CLASSES))
    client.setMethod(POST)
    assert [{k: v["value"] for k, v in row.items()} for row in client.query().convert()["results"]["bindings"]] == rows
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == len(Graph().parse(data=sparql(server, CONSTRUCT, "text/turtle").text, format="turtle"))


def test_rdflib_sparqlstore_gets_the_same_answers(server, real_graph):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = Graph(SPARQLStore(server.url + "/sparql", returnFormat="json"))
    assert [int(row[0]) for row in remote.query(COUNT)] == [len(real_graph)]
    local = real_graph.store.query(CLASSES).rows
    assert [tuple(row) for row in remote.query(CLASSES)] == [tuple(row) for row in local]


def test_raw_http(server):
    host, port = server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}),
                       headers={"Accept": "text/csv"})
    response = connection.getresponse()
    assert response.status == 200 and response.read().decode().splitlines()[-1] == "true"
    connection.close()


def test_one_access_log_line_per_request(tmp_path):
    with exograph_server(tmp_path) as running:
        for number in range(3):
            requests.get(running.url + f"/health?probe={number}", timeout=30)
        requests.get(running.url + "/nowhere", timeout=30)
        assert running.stop(signal.SIGINT) == 0
    log = running.log()
    assert [log.count(f'"GET /health?probe={number}" 200') for number in range(3)] == [1, 1, 1]
    assert log.count('"GET /nowhere" 404') == 1
    assert "127.0.0.1" in log and "stopped" in log


def test_binds_loopback_only_and_stops_cleanly_on_sigterm(tmp_path):
    with exograph_server(tmp_path) as running:
        port = int(running.url.rsplit(":", 1)[1])
        assert "http://127.0.0.1:" in running.log() and " from memory at " in running.log()  # a small graph
        for address in _non_loopback_addresses():
            with pytest.raises(OSError), socket.create_connection((address, port), timeout=5):
                pass
        assert running.stop(signal.SIGTERM) == 0
    assert "stopped" in running.log()


def _non_loopback_addresses() -> list[str]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = probe.getsockname()[0]
        except OSError:
            return []
    return [] if address.startswith("127.") else [address]


def test_load_50_clients_get_exact_answers_while_a_runaway_query_times_out(tmp_path, real_graph):
    mixed = [COUNT, CLASSES, "ASK { ?s ?p ?o }", 
             "SELECT ?label WHERE { <https://w3id.org/exograph/entity/CD47> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"]
    with exograph_server(tmp_path, "--timeout", "15") as running:
        server = running
        expected = [sparql(server, q).content for q in mixed]
        named = requests.get(server.url + "/queries/claims-about", params={"entity": "exo:CD47"},
                             headers={"Accept": JSON}, timeout=60).content

        def client(number: int) -> list[bool]:
            session = requests.Session()
            exact = []
            for i in range(20):
                if (number + i) % 5 == 4:
                    got = session.get(server.url + "/queries/claims-about", params={"entity": "exo:CD47"},
                                      headers={"Accept": JSON}, timeout=120).content
                    exact.append(got == named)
                else:
                    which = (number + i) % len(mixed)
                    got = session.get(server.url + "/sparql", params={"query": mixed[which]},
                                      headers={"Accept": JSON}, timeout=120)
                    exact.append(got.status_code == 200 and got.content == expected[which])
            return exact

        with ThreadPoolExecutor(51) as pool:
            runaway = pool.submit(sparql, server, RUNAWAY)
            results = list(pool.map(client, range(50)))
            stopped = runaway.result()
        assert stopped.status_code == 503 and "15" in stopped.text
        assert sum(map(len, results)) == 1000 and all(all(r) for r in results)
        assert bindings(sparql(server, COUNT)) == [{"n": str(len(real_graph))}]


def test_a_cheap_query_answers_while_four_runaways_run_out_their_time(server):
    """Four runaways used to fill every slot, and an ASK waited for their timeout (reliability H6)."""
    with ThreadPoolExecutor(4) as pool:
        runaways = [pool.submit(sparql, server, RUNAWAY) for _ in range(4)]
        time.sleep(2)  # let them start; nothing below depends on how long anything takes
        ask = sparql(server, "ASK { ?s ?p ?o }")
        still_running = [not runaway.done() for runaway in runaways]
        stopped = [runaway.result() for runaway in runaways]
    assert ask.status_code == 200 and ask.json()["boolean"] is True
    assert still_running == [True] * 4
    assert [r.status_code for r in stopped] == [503] * 4 and all("longer than 20" in r.text for r in stopped)


def test_construct_and_describe_as_rdf_xml(server, real_graph):
    for query in (CONSTRUCT, "DESCRIBE <https://w3id.org/exograph/schema/Publication>"):
        as_xml = sparql(server, query, "application/rdf+xml")
        assert as_xml.headers["content-type"] == "application/rdf+xml"
        as_nt = sparql(server, query, "application/n-triples")
        assert set(Graph().parse(data=as_xml.content, format="xml")) == set(Graph().parse(data=as_nt.text, format="nt")) != set()
    assert sparql(server, "ASK {}", "application/xml").text.count("<boolean>true</boolean>") == 1


DEFAULT_CLIENT_QUERIES = {
    "SELECT": CLASSES,
    "ASK": "ASK { ?s a <https://w3id.org/exograph/schema/Publication> }",
    "CONSTRUCT": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?s = <https://w3id.org/exograph/entity/CD274>) }",
    "DESCRIBE": "DESCRIBE <https://w3id.org/exograph/schema/Publication>",
}


def test_sparqlwrapper_with_default_settings_runs_every_form(server):
    from SPARQLWrapper import SPARQLWrapper

    answers = {}
    for form, query in DEFAULT_CLIENT_QUERIES.items():
        client = SPARQLWrapper(server.url + "/sparql")
        client.setQuery(query)
        answers[form] = client.queryAndConvert()
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert len(answers["SELECT"].getElementsByTagNameNS(ns[1:-1], "result")) == len(bindings(sparql(server, CLASSES)))
    assert answers["ASK"].getElementsByTagNameNS(ns[1:-1], "boolean")[0].firstChild.data == "true"
    for form in ("CONSTRUCT", "DESCRIBE"):
        expected = Graph().parse(data=sparql(server, DEFAULT_CLIENT_QUERIES[form], "application/n-triples").text, format="nt")
        assert set(answers[form]) == set(expected) != set()


def test_rdflib_sparqlstore_with_default_settings_runs_every_form(server, real_graph):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    remote = Graph(SPARQLStore(server.url + "/sparql"))
    local = real_graph.store
    assert [tuple(row) for row in remote.query(CLASSES)] == [tuple(row) for row in local.query(CLASSES).rows]
    assert remote.query(DEFAULT_CLIENT_QUERIES["ASK"]).askAnswer is True
    for form in ("CONSTRUCT", "DESCRIBE"):
        expected = set(local.query(DEFAULT_CLIENT_QUERIES[form]).graph)
        assert set(remote.query(DEFAULT_CLIENT_QUERIES[form]).graph) == expected != set()


def test_access_log_lines_cannot_be_forged_and_a_disconnect_is_one_line(tmp_path, tiny_ontology):
    """A %0a in the path wrote a forged line (H13); a client gone mid-body wrote a 53-line traceback (H14)."""
    forged = '/queries/x%0a127.0.0.1:1%20%22GET%20/admin%22%20200%200%201.0ms%00'
    with exograph_server(tmp_path, "--ontology", str(tiny_ontology)) as running:
        host, port = running.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("GET", forged)
        assert connection.getresponse().status == 404
        connection.close()
        with socket.create_connection((host, int(port))) as client:
            client.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                           b"Content-Length: 1000\r\n\r\nASK {")
        assert requests.get(running.url + "/health", timeout=30).status_code == 200
        assert running.stop() == 0
    lines = running.log().splitlines()
    assert [line for line in lines if "/queries/x" in line] == [
        next(line for line in lines if line.endswith("ms") and f'"GET {forged}" 404' in line)]
    assert not any(line.startswith("127.0.0.1:1 ") for line in lines)
    disconnect = [line for line in lines if '"POST /sparql"' in line]
    assert len(disconnect) == 1 and "disconnected" in disconnect[0]
    assert "Traceback" not in running.log() and "ClientDisconnect" not in running.log()


def test_a_busy_port_is_one_clear_error_and_no_serving_line(tiny_ontology):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--ontology", str(tiny_ontology), "--port", str(port), timeout=120)
    assert result.returncode == 2
    assert "serving" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1 and f"cannot serve on 127.0.0.1:{port}" in errors[0] and "--port" in errors[0]


def test_sigterm_lets_queries_under_way_run_out_their_time_and_never_answers_500(tmp_path, tiny_ontology):
    """uvicorn's 5 s grace used to cancel longer queries into 500s (H21)."""
    with exograph_server(tmp_path, "--ontology", str(tiny_ontology), "--timeout", "8") as running:
        with ThreadPoolExecutor(2) as pool:
            runaways = [pool.submit(sparql, running, RUNAWAY) for _ in range(2)]
            time.sleep(1)
            running.process.send_signal(signal.SIGTERM)
            answers = [runaway.result() for runaway in runaways]
        assert running.process.wait(60) == 0
    assert [a.status_code for a in answers] == [503, 503] and all("longer than 8" in a.text for a in answers)
    assert "Traceback" not in running.log() and " 500 " not in running.log()


@pytest.mark.parametrize("sig, status, says", [(signal.SIGSEGV, 500, "crashed the query engine (signal SIGSEGV)"),
                                               (signal.SIGKILL, 503, "over the worker's memory limit")])
def test_a_worker_that_dies_mid_query_is_named_and_the_server_goes_on(tmp_path, tiny_ontology, sig, status, says):
    """The event loop reads the worker's pipe: its end of file is the worker's death, named by its signal
    (a kill is what the memory ceiling does); the other workers, killed while idle, are let go."""
    with exograph_server(tmp_path, "--ontology", str(tiny_ontology), "--timeout", "60") as running:
        with ThreadPoolExecutor(1) as pool:
            runaway = pool.submit(sparql, running, RUNAWAY)
            while not runaway.done():
                for pid in _children(running.process.pid):
                    with contextlib.suppress(ProcessLookupError):  # reaped between the listing and the kill
                        os.kill(pid, sig)
                time.sleep(0.5)
            answer = runaway.result()
        assert answer.status_code == status and says in answer.text
        assert sparql(running, "ASK { ?s ?p ?o }").json()["boolean"] is True


def _children(pid: int) -> set[int]:
    return {int(child) for task in os.listdir(f"/proc/{pid}/task")
            for child in open(f"/proc/{pid}/task/{task}/children").read().split()}
