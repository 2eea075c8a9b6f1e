"""The W3C SPARQL 1.1 Protocol tests (tests/protocol/manifest.ttl) against a real ``exograph serve``.

The server (on each engine) holds the suite's data as the named graphs the tests name (N-Quads files made from
``data1.nt``..``data3.nt``, each line labelled with its graph). Every query test must pass as the
manifest says (status class, media type, boolean); every update test must be refused as the README
documents (403 for an update, 415 for a body of another media type), with the graphs unchanged.
Requests are sent with http.client, so nothing is added that the manifest does not give.
"""
from __future__ import annotations

import http.client
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from conftest import TESTS
from servers import canary, exograph_server

SUITE = TESTS / "protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TEST = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"
# mf:expectedFormat: the media types each kind may come as (RDF: the manifest's list, plus JSON-LD)
FORMATS = {"boolean": {"application/sparql-results+xml", "application/sparql-results+json"},
           "tabular": {"application/sparql-results+xml", "application/sparql-results+json", "text/csv",
                       "text/tab-separated-values"},
           "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples", "text/html", "application/ld+json"}}


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None
    headers: dict[str, str]
    statuses: set[str]  # status classes: "2xx", "4xx" ...
    format: str | None
    boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    requests: list[Request]
    graphs: dict[str, str]  # graph name -> data file

    @property
    def update(self) -> bool:
        return "update" in self.name


def _items(graph: Graph, node) -> list:
    return list(Collection(graph, node)) if node is not None else []


def load_manifest() -> list[ProtocolTest]:
    graph = Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in _items(graph, graph.value(manifest, MF.entries)):
        requests = []
        for node in _items(graph, graph.value(graph.value(entry, MF.action), HT.requests)):
            body = graph.value(node, HT.body)
            response = graph.value(node, HT.resp)
            expected = graph.value(response, MF.expectedBoolean)
            fmt = graph.value(response, MF.expectedFormat)
            requests.append(Request(
                method=str(graph.value(node, HT.methodName)),
                path=str(graph.value(node, HT.absolutePath)),
                body=None if body is None else str(graph.value(body, CNT.chars)).encode(str(graph.value(body, CNT.characterEncoding))),
                headers={str(graph.value(h, HT.fieldName)): str(graph.value(h, HT.fieldValue))
                         for h in _items(graph, graph.value(node, HT.headers))},
                statuses={str(s).rsplit("StatusCode", 1)[1] for s in graph.objects(response, MF.expectedStatus)},
                format=None if fmt is None else str(fmt),
                boolean=None if expected is None else bool(expected.toPython())))
        graphs = {str(graph.value(data, RDFS.label)): str(graph.value(data, UT.graph)).rsplit("/", 1)[1]
                  for data in graph.objects(entry, UT.graphData)}
        tests.append(ProtocolTest(str(entry).removeprefix(TEST), requests, graphs))
    return tests


TESTS_OF_SUITE = load_manifest()
QUERY_TESTS = [t for t in TESTS_OF_SUITE if not t.update]
UPDATE_TESTS = [t for t in TESTS_OF_SUITE if t.update]


def test_the_manifest_has_20_query_tests_and_14_update_tests():
    assert len(QUERY_TESTS) == 20 and len(UPDATE_TESTS) == 14


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def server(request, tmp_path_factory, tiny_ontology):
    """exograph serve (on each engine) holding each graph the tests name, from N-Quads labelled with that name."""
    tmp = tmp_path_factory.mktemp("protocol")
    named = {name: file for test in TESTS_OF_SUITE for name, file in test.graphs.items()}
    assert len(named) == 3
    data = []
    for name, file in sorted(named.items()):
        quads = tmp / file.replace(".nt", ".nq")
        lines = (SUITE / file).read_text(encoding="utf-8").splitlines()
        quads.write_text("".join(f"{line.rstrip(' .')} <{name}> .\n" for line in lines if line.strip()), encoding="utf-8")
        data.append(str(quads))
    with canary() as leak, exograph_server(tmp, "--ontology", str(tiny_ontology), "--engine", request.param,
                                                 "--data", *data) as running:
        running.leak = leak
        yield running
    assert leak.requests == []


def send(server, request: Request) -> tuple[int, str, bytes]:
    """One request of the manifest, its /sparql/ prefix replaced by the endpoint's path."""
    assert request.path.startswith("/sparql/")
    host, port = server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    connection.request(request.method, "/sparql" + request.path[len("/sparql/"):], body=request.body,
                       headers=request.headers)
    response = connection.getresponse()
    status, media, body = response.status, (response.getheader("content-type") or "").split(";")[0].strip(), response.read()
    connection.close()
    return status, media, body


def boolean(media: str, body: bytes) -> bool | None:
    if media == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    if media == "application/sparql-results+xml":
        return ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
    return None


@pytest.mark.parametrize("test", QUERY_TESTS, ids=lambda t: t.name)
def test_query_test_of_the_suite_passes(server, test):
    for request in test.requests:
        status, media, body = send(server, request)
        assert f"{status // 100}xx" in request.statuses, (status, body[:300])
        if status // 100 == 2 and request.format:
            assert media in FORMATS[request.format], media
        if status // 100 == 2 and request.boolean is not None:
            assert boolean(media, body) is request.boolean, body[:300]


COUNT_ALL = Request("GET", "/sparql/?query=SELECT%20%28COUNT%28%2A%29%20AS%20%3Fn%29%20%7B%20GRAPH%20%3Fg%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D",
                    None, {"Accept": "text/csv"}, {"2xx"}, None, None)


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=lambda t: t.name)
def test_update_test_of_the_suite_is_refused_as_documented(server, test):
    before = send(server, COUNT_ALL)
    request = test.requests[0]
    media = request.headers.get("content-type", "").split(";")[0].strip()
    documented = 415 if request.method == "POST" and media not in (
        "application/sparql-update", "application/sparql-query", "application/x-www-form-urlencoded") else 403
    status, _, body = send(server, request)
    assert status == documented, body
    assert send(server, COUNT_ALL) == before and before[2].split()[-1] == b"3"


def post(server, body: bytes, content_type: str, path: str = "/sparql/", accept: str = "text/csv") -> tuple[int, str, bytes]:
    return send(server, Request("POST", path, body, {"Content-Type": content_type, "Accept": accept}, set(), None, None))


def test_relative_iris_resolve_against_the_endpoint_url(server):
    """D1: a legal query with relative IRIs and no BASE."""
    status, media, body = post(server, b"SELECT (<s> AS ?x) {}", "application/sparql-query")
    assert status == 200 and body.decode().splitlines()[1] == server.url + "/s"
    status, media, body = post(server, b"CONSTRUCT { <s> <p> 1 } WHERE {}", "application/sparql-query",
                               accept="application/n-triples")
    assert status == 200 and body.decode().split()[:2] == [f"<{server.url}/s>", f"<{server.url}/p>"]


def test_a_body_that_is_not_utf8_is_a_400_that_says_so(server):
    """D3: Latin-1 bytes would otherwise turn into replacement characters and a wrong 'true'."""
    latin1 = 'ASK { FILTER("café" = "cafï") }'.encode("latin-1")
    for content_type in ("application/sparql-query", "application/sparql-query; charset=ISO-8859-1"):
        status, _, body = post(server, latin1, content_type)
        assert status == 400 and (b"UTF-8" in body), body
    form = b"query=" + latin1.replace(b" ", b"%20")
    status, _, body = post(server, form, "application/x-www-form-urlencoded")
    assert status == 400 and b"UTF-8" in body
    status, _, body = post(server, b"query=ASK%20%7B%20FILTER(%22caf%E9%22%20%3D%20%22caf%EF%22)%20%7D",
                           "application/x-www-form-urlencoded")
    assert status == 400 and b"UTF-8" in body
    assert post(server, 'ASK { FILTER("café" != "cafï") }'.encode(), "application/sparql-query; charset=utf-8")[:1] == (200,)


def test_a_query_in_both_the_url_and_the_body_is_a_400(server):
    """D4: the body's query used to win silently."""
    in_url = "/sparql/?query=SELECT%20%28%22url%22%20AS%20%3Ffrom%29%20%7B%7D"
    for body, content_type in ((b"query=SELECT%20%28%22body%22%20AS%20%3Ffrom%29%20%7B%7D", "application/x-www-form-urlencoded"),
                               (b'SELECT ("body" AS ?from) {}', "application/sparql-query")):
        status, _, answer = post(server, body, content_type, path=in_url)
        assert status == 400 and b"both in the URL" in answer


def test_datasets_choose_among_the_graphs_held_and_fetch_nothing(server):
    ask = "/sparql/?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D&default-graph-uri="
    for graph, expected in ((server.leak.url, b"false"), ("http://kasei.us/2009/09/sparql/data/data1.rdf", b"true")):
        status, _, body = send(server, Request("GET", ask + graph, None, {"Accept": "text/csv"}, set(), None, None))
        assert status == 200 and body.split()[-1] == expected
    from_text = f"SELECT (COUNT(*) AS ?n) FROM <{server.leak.url}> FROM NAMED <{server.leak.url}x> {{ ?s ?p ?o }}"
    status, _, body = post(server, from_text.encode(), "application/sparql-query")
    assert status == 200 and body.split()[-1] == b"0"
    assert server.leak.requests == []
