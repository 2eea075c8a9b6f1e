"""SPARQL from the command line and from Python: formats, bound parameters, errors, no network."""
from __future__ import annotations

import csv
import datetime
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

import exograph
from exograph.problems import UsageError
from conftest import run_cli

BY_SUBJECT = ["claims-by-subject", "--param", "subject=exo:tumour_exosome"]


def test_queries_lists_id_and_title(tiny_ontology):
    result = run_cli("queries", "--ontology", str(tiny_ontology))
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["claims-by-subject\tClaims about one subject\t--param subject=IRI"]


def test_named_query_as_table(tiny_ontology):
    result = run_cli("query", *BY_SUBJECT, "--ontology", str(tiny_ontology))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["claim", "predicate", "object", "publications"]
    assert "claim:tiny-001" in lines[1] and "exos:hasComponent" in lines[1] and "chen2018" in lines[1]
    assert len(lines) == 5


def test_query_as_sparql_json(tiny_ontology):
    result = run_cli("query", *BY_SUBJECT, "--format", "json", "--ontology", str(tiny_ontology))
    document = json.loads(result.stdout)
    assert document["head"]["vars"] == ["claim", "predicate", "object", "publications"]
    first = document["results"]["bindings"][0]
    assert first["claim"] == {"type": "uri", "value": "https://w3id.org/exograph/claim/tiny-001"}
    assert first["publications"]["value"] == "chen2018"


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_query_as_csv_and_tsv(tiny_ontology, fmt, delimiter):
    result = run_cli("query", *BY_SUBJECT, "--format", fmt, "--ontology", str(tiny_ontology))
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter=delimiter))
    assert [cell.lstrip("?") for cell in rows[0]] == ["claim", "predicate", "object", "publications"]
    assert len([row for row in rows[1:] if row]) == 4


def test_sparql_text_with_declared_prefixes(tiny_ontology):
    result = run_cli("query", "--sparql", "SELECT ?label WHERE { exo:CD274 rdfs:label ?label }", "--ontology", str(tiny_ontology))
    assert result.returncode == 0
    assert result.stdout.split() == ["label", "PD-L1"]


def test_dataframe_holds_plain_python_values(tiny_graph):
    frame = tiny_graph.query("SELECT ?claim ?date ?paraphrase WHERE { ?claim dcterms:created ?date ; exos:paraphrase ?paraphrase }"
                             " ORDER BY ?claim")
    assert list(frame.columns) == ["claim", "date", "paraphrase"]
    assert frame.loc[0, "claim"] == "claim:tiny-001"
    assert frame.loc[0, "date"] == datetime.date(2026, 11, 29)
    assert isinstance(frame.loc[0, "paraphrase"], str)
    assert len(frame) == 5


def test_ask_and_construct_as_dataframes(tiny_graph):
    assert bool(tiny_graph.query("ASK { exo:CD274 exos:interactsWith exo:PDCD1 }").loc[0, "answer"]) is True
    frame = tiny_graph.query("CONSTRUCT { ?s exos:interactsWith ?o } WHERE { ?s exos:interactsWith ?o }")
    assert frame.to_dict("records") == [{"subject": "exo:CD274", "predicate": "exos:interactsWith", "object": "exo:PDCD1"}]


def test_python_parameters_are_bound_as_terms(tiny_graph):
    frame = tiny_graph.query("claims-by-subject", subject="exo:CD274")
    assert frame["claim"].tolist() == ["claim:tiny-002"]
    label = tiny_graph.query("SELECT ?entity WHERE { ?entity rdfs:label ?name }", name="PD-L1")
    assert label["entity"].tolist() == ["exo:CD274"]


@pytest.mark.parametrize("hostile", [
    '"PD-L1" } UNION { ?entity ?p ?o',
    "PD-L1' } ; DROP ALL ; #",
    "x> } UNION { ?entity ?p ?name . FILTER(true) } #",
])
def test_parameters_cannot_inject_sparql(tiny_graph, tiny_ontology, hostile):
    """A hostile value is one literal that matches nothing, or is refused; it never changes the query."""
    try:
        frame = tiny_graph.query("SELECT ?entity WHERE { ?entity rdfs:label ?name }", name=hostile)
    except UsageError as refused:
        assert "one RDF literal" in str(refused)
    else:
        assert frame.empty
    result = run_cli("query", "--sparql", "SELECT ?entity WHERE { ?entity rdfs:label ?name }",
                     "--param", f"name={hostile}", "--ontology", str(tiny_ontology))
    assert result.returncode in (0, 2), result.stderr
    assert "exo:" not in result.stdout


def test_syntax_error_names_line_and_column(tiny_ontology):
    result = run_cli("query", "--sparql", "SELECT ?s\nWHERE { ?s ?p }", "--ontology", str(tiny_ontology))
    assert result.returncode == 2
    assert "SPARQL syntax error at line 2, column" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_query_name_suggests_close_names(tiny_ontology):
    result = run_cli("query", "claims-by-subjet", "--ontology", str(tiny_ontology))
    assert result.returncode == 2
    assert "claims-by-subject" in result.stderr


def test_module_level_query_uses_the_bundled_graph():
    frame = exograph.query("SELECT ?label WHERE { exo:CD274 rdfs:label ?label }")
    assert frame["label"].tolist() == ["PD-L1"]


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.end_headers()
        self.wfile.write(b"<http://a> <http://b> <http://c> .")

    do_POST = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def recording_server():
    _Recorder.requests = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Recorder.requests
    server.shutdown()


@pytest.mark.parametrize("template, refusal", [
    ("SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}", "SERVICE is not allowed"),
    ("SELECT * WHERE {{ ?x ?y ?z . OPTIONAL {{ SERVICE SILENT <{url}/sparql> {{ ?s ?p ?o }} }} }}", "SERVICE is not allowed"),
    ("LOAD <{url}/data.ttl>", "updates"),
])
def test_network_reaching_queries_are_refused_without_a_request(tiny_graph, tiny_ontology, recording_server, template, refusal):
    url, requests = recording_server
    text = template.format(url=url)
    with pytest.raises(UsageError, match=refusal):
        tiny_graph.query(text)
    result = run_cli("query", "--sparql", text, "--ontology", str(tiny_ontology))
    assert result.returncode == 2
    assert refusal in result.stderr
    assert requests == []


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("template", [
    "SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
])
def test_from_a_graph_the_store_does_not_hold_is_empty_and_fetches_nothing(tiny_ontology, recording_server, engine, template):
    url, requests = recording_server
    result = run_cli("query", "--engine", engine, "--format", "csv", "--sparql", template.format(url=url),
                     "--ontology", str(tiny_ontology))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[1:] == []  # the header, no rows: the server would have given one
    assert requests == []
