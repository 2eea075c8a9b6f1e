"""The Oxigraph engine against the rdflib reference, the query check, bounds and the built store."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import threading

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import exograph
from exograph.problems import UsageError
from exograph.store import QueryTimeout, QueryTooLarge, RefusedQuery, check_query
from conftest import SAMPLE_PARAMS, run_cli

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def rdflib_graph():
    return exograph.load(engine="rdflib")


def test_both_engines_agree_on_every_named_query(real_graph, rdflib_graph):
    """Byte for byte, with nothing normalised: every query sorts what it concatenates (an ordered
    sub-select before GROUP_CONCAT), so its answer is the same on both engines and on every run;
    rows in order where the query orders them, as a set where it does not."""
    assert real_graph.store.engine == "oxigraph" and rdflib_graph.store.engine == "rdflib"
    for name, named in real_graph.queries().items():
        params = {p: SAMPLE_PARAMS[p] for p in named.params}
        # a bound, not a timing: a query whose shape makes rdflib crawl fails here by name instead of stalling CI
        fast, reference = real_graph.run(name, params), rdflib_graph.run(name, params, timeout=60)
        assert fast.variables == reference.variables, name
        if "ORDER BY" in named.text.upper():
            assert fast.rows == reference.rows, name
        else:
            assert sorted(fast.rows, key=repr) == sorted(reference.rows, key=repr), name
        assert fast.rows, f"{name} gives no rows: the comparison would prove nothing"


# ---------------------------------------------------------------- the check
@pytest.mark.parametrize("text", [
    "select * where { service <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { { { SeRvIcE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } } } } }",
    "SELECT * WHERE { ?s ?p ?o } # a comment\n; SERVICE",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX x: <urn:x> \\u0044ROP ALL",
    "load <http://127.0.0.1:9/data.ttl>",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<'x>') } ",  # '<' comparison or IRI: ambiguous, refused
])
def test_check_refuses(text):
    with pytest.raises(RefusedQuery):
        check_query(text)


@pytest.mark.parametrize("text, form", [
    ("SELECT * WHERE { ?s <http://example.org/service/x> ?o } # SERVICE <x> { }", "SELECT"),
    ('ask { ?service ex:from "SERVICE <http://x> { }" }', "ASK"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . FILTER(?p != <http://example.org/insert#from>) }", "CONSTRUCT"),
    ("PREFIX service: <urn:s#> DESCRIBE service:x", "DESCRIBE"),
    ("SELECT ?x WHERE { ?x rdfs:label '''a long 'string'\nwith SERVICE FROM LOAD''' }", "SELECT"),
])
def test_check_passes_keywords_inside_names_strings_and_comments(text, form):
    assert check_query(text) == form


def test_check_caps_text_size_and_depth():
    with pytest.raises(QueryTooLarge):
        check_query("SELECT * WHERE { ?s ?p ?o }" + " " * 100_000)
    with pytest.raises(RefusedQuery, match="nested"):
        check_query("SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000)


def _rdflib_refuses(text: str) -> bool | None:
    """rdflib's verdict from its algebra: True if SERVICE or an update; None if not SPARQL at all.
    (FROM passes: it chooses among the store's graphs, see test_data_isolation.py.)"""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery, traverse
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        query = translateQuery(parseQuery(text), initNs={"ex": "http://example.org/"})
    except ParseException:
        try:
            parseUpdate(text)
        except ParseException:
            return None
        return True
    services = []
    traverse(query.algebra, lambda node: services.append(node) if getattr(node, "name", "") == "ServiceGraphPattern" else None)
    return bool(services)


def _cased(draw, word: str) -> str:
    cased = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in word)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(cased) - 1))
        cased = cased[:at] + f"\\u{ord(cased[at]):04X}" + cased[at + 1:]
    return cased


@st.composite
def queries(draw) -> str:
    """SELECT queries with or without SERVICE / FROM, and decoys: the words in names, strings, comments."""
    body = "?s ?p ?o ."
    decoys = draw(st.lists(st.sampled_from([
        "# SERVICE <http://127.0.0.1:9/> { }\n", '?s ex:p "SERVICE FROM INSERT" .', "?s <http://example.org/service/from> ?o .",
        "?service ex:from ?load .", "ex:SERVICE ex:p ex:delete .", "FILTER(?o != '''from\nSERVICE''')"]), max_size=3))
    body += " ".join(decoys)
    if draw(st.booleans()):
        silent = " " + _cased(draw, "silent") if draw(st.booleans()) else ""
        service = f"{_cased(draw, 'service')}{silent} <http://127.0.0.1:9/sparql> {{ ?s ?p ?o }}"
        for _ in range(draw(st.integers(0, 4))):
            service = draw(st.sampled_from([f"{{ {service} }}", f"OPTIONAL {{ {service} }}",
                                            f"{{ ?a ?b ?c }} UNION {{ {service} }}", f"MINUS {{ {service} }}"]))
        body += " " + service
    dataset = f" {_cased(draw, 'from')} <http://127.0.0.1:9/g>" if draw(st.booleans()) else ""
    query = f"PREFIX ex: <http://example.org/>\n{_cased(draw, 'select')} *{dataset} WHERE {{ {body} }}"
    if draw(st.integers(0, 5)) == 0:
        query = f"PREFIX ex: <http://example.org/>\n{_cased(draw, 'insert')} DATA {{ ex:a ex:b ex:c }}"
    return query


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries())
def test_check_agrees_with_rdflib_algebra(text):
    verdict = _rdflib_refuses(text)
    assume(verdict is not None)
    try:
        check_query(text)
        refused = False
    except RefusedQuery:
        refused = True
    assert refused == verdict, text


def test_refused_on_both_engines_without_a_request(rdflib_graph, real_graph):
    for graph in (real_graph, rdflib_graph):
        with pytest.raises(RefusedQuery, match="SERVICE"):
            graph.run("SELECT * WHERE { S\\u0045RVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }")


# ---------------------------------------------------------------- bounds
def test_timeout_stops_one_long_operator_through_the_cli(tiny_ontology):
    result = run_cli("query", "--sparql", CARTESIAN, "--timeout", "1", "--ontology", str(tiny_ontology))
    assert result.returncode == 2
    assert "ran longer than 1 s and was stopped" in result.stderr and "Traceback" not in result.stderr


def test_a_slow_query_blocks_no_other_caller(real_graph):
    events = []

    def slow():
        with pytest.raises(QueryTimeout):
            real_graph.run(CARTESIAN, timeout=20)
        events.append("slow done")

    thread = threading.Thread(target=slow)
    thread.start()
    for _ in range(20):
        assert real_graph.run("claims-about", {"entity": "exo:CD274"}).rows
    events.append("quick done")
    thread.join()
    assert events == ["quick done", "slow done"]


def test_row_cap_streams_with_a_notice(tiny_ontology):
    result = run_cli("query", "--sparql", "SELECT * WHERE { ?s ?p ?o }", "--limit", "3", "--format", "tsv",
                     "--ontology", str(tiny_ontology))
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 4
    assert "cut at 3 rows" in result.stderr


def test_limit_in_the_api_sets_truncated(real_graph):
    assert real_graph.run("SELECT * WHERE { ?s ?p ?o }", limit=5).truncated
    assert not real_graph.run("SELECT * WHERE { ?s ?p ?o } LIMIT 5", limit=5).truncated


@pytest.mark.parametrize("text, message", [
    ("SELECT * WHERE { ?s ?p ?o }" + " " * 100_000, "at most 100,000"),
    ("SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000, "nested 3000 deep"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999", "LIMIT 99999999999999999999999 is larger"),
    ("SELECT * WHERE { ?s ?p ?o } OFFSET 99999999999999999999999", "OFFSET 99999999999999999999999 is larger"),
    ("SELECT * WHERE { ?s a nope:Thing }", "prefix 'nope:' is not declared"),
    ("SELECT * WHERE { ?s ?p }", "SPARQL syntax error at line 1"),
])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_bad_queries_get_a_clear_message_and_exit_2(tiny_ontology, text, message, engine):
    result = run_cli("query", "--sparql", text, "--engine", engine, "--ontology", str(tiny_ontology))
    assert result.returncode == 2
    assert message in result.stderr and "internal error" not in result.stderr


def test_thousand_term_union(tiny_ontology):
    text = "SELECT ?s WHERE { " + " UNION ".join(["{ ?s a exos:Claim }"] * 1000) + " } LIMIT 1"
    assert run_cli("query", "--sparql", text, "--ontology", str(tiny_ontology)).returncode == 0
    reference = run_cli("query", "--sparql", text, "--engine", "rdflib", "--ontology", str(tiny_ontology))
    assert reference.returncode == 2 and "nested too deeply" in reference.stderr


def test_invalid_iri_parameter_is_refused(tiny_ontology):
    result = run_cli("query", "claims-by-subject", "--param", "subject=<urn:a> <urn:b>", "--format", "tsv",
                     "--ontology", str(tiny_ontology))
    assert result.returncode == 2 and "is not one IRI" in result.stderr


def test_misspelt_parameter_is_refused(tiny_ontology):
    result = run_cli("query", "--sparql", "SELECT ?claim WHERE { ?claim rdf:subject ?subject }",
                     "--param", "subjcet=exo:tumour_exosome", "--ontology", str(tiny_ontology))
    assert result.returncode == 2 and "no variable ?subjcet" in result.stderr


# ---------------------------------------------------------------- formats
@pytest.mark.parametrize("fmt, expected", [("csv", ["answer", "true"]), ("tsv", ["?answer", "true"])])
def test_ask_as_csv_and_tsv(tiny_ontology, fmt, expected):
    result = run_cli("query", "--sparql", "ASK { ?s a exos:Claim }", "--format", fmt, "--ontology", str(tiny_ontology))
    assert result.returncode == 0 and result.stdout.split() == expected


def test_tsv_keeps_one_row_per_line(tiny_ontology):
    result = run_cli("query", "--sparql", 'SELECT ?x ?y WHERE { BIND("a\\nb\\tc" AS ?x) BIND(1 AS ?y) }', "--format", "tsv",
                     "--ontology", str(tiny_ontology))
    assert result.stdout.splitlines() == ["?x\t?y", '"a\\nb\\tc"\t"1"^^<http://www.w3.org/2001/XMLSchema#integer>']
    rows = list(csv.reader(io.StringIO(run_cli("query", "--sparql", 'SELECT ?x WHERE { BIND("a\\nb" AS ?x) }', "--format", "csv",
                                               "--ontology", str(tiny_ontology)).stdout)))
    assert rows == [["x"], ["a\nb"]]


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_construct_honours_format(tiny_ontology, fmt):
    from rdflib import Graph

    text = "CONSTRUCT { ?s rdfs:label ?label } WHERE { ?s a exos:Claim ; rdf:subject/rdfs:label ?label }"
    result = run_cli("query", "--sparql", text, "--format", fmt, "--ontology", str(tiny_ontology))
    assert result.returncode == 0, result.stderr
    graph = Graph().parse(data=result.stdout, format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])
    assert len(graph) > 0
    wrong = run_cli("query", "--sparql", text, "--format", "csv", "--ontology", str(tiny_ontology))
    assert wrong.returncode == 2 and "gives a graph" in wrong.stderr


# ---------------------------------------------------------------- the built store, --data
def test_second_cold_query_reuses_the_built_store(ontology_copy, tmp_path):
    env_cache = tmp_path / "cache"
    os.environ["EXOGRAPH_CACHE"], saved = str(env_cache), os.environ["EXOGRAPH_CACHE"]
    try:
        args = ("query", "claims-by-subject", "--param", "subject=exo:tumour_exosome", "--ontology", str(ontology_copy))
        first, second = run_cli(*args), run_cli(*args)
        assert first.stdout == second.stdout and first.returncode == 0
        assert first.stderr.count("building the store") == 1 and second.stderr == ""
        claims = next((ontology_copy / "curated" / "claims").glob("*.tsv"))
        claims.write_text(claims.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        third = run_cli(*args)
        assert third.stderr.count("\n") == 1 and "building the store" in third.stderr
    finally:
        os.environ["EXOGRAPH_CACHE"] = saved


def test_build_writes_a_store_that_queries_reuse(ontology_copy, tmp_path):
    os.environ["EXOGRAPH_CACHE"], saved = str(tmp_path / "cache"), os.environ["EXOGRAPH_CACHE"]
    try:
        out = tmp_path / "out"
        assert run_cli("build", "-o", str(out), "--ontology", str(ontology_copy)).returncode == 0
        meta = json.loads((out / "store" / "meta.json").read_text())
        assert meta["triples"] > 0 and (out / "store" / "oxigraph").is_dir()
        result = run_cli("query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv",
                         "--ontology", str(ontology_copy))
        assert result.stderr == "" and result.stdout.split()[1] == str(meta["triples"])
    finally:
        os.environ["EXOGRAPH_CACHE"] = saved


def test_data_files_are_named_graphs(tiny_ontology, tmp_path):
    data = tmp_path / "extra.nt"
    data.write_text('<https://w3id.org/exograph/entity/CD274> <urn:p> "from outside" .\n', encoding="utf-8")
    text = "SELECT ?label ?note WHERE { ?e rdfs:label ?label . GRAPH ?g { ?e <urn:p> ?note } }"
    for engine in ("oxigraph", "rdflib"):
        result = run_cli("query", "--sparql", text, "--data", str(data), "--engine", engine, "--format", "csv",
                         "--ontology", str(tiny_ontology))
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[1] == "PD-L1,from outside"
    graph = exograph.load(tiny_ontology, data=[data])
    assert str(graph.run("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0][0]) == data.resolve().as_uri()


def test_data_parse_error_names_file_and_line(tiny_ontology, tmp_path):
    data = tmp_path / "bad.nt"
    data.write_text('<urn:a> <urn:p> "1" .\n<urn:a> <urn:p> "2" .\n<urn:a> <urn:p "3" .\n', encoding="utf-8")
    result = run_cli("query", "--sparql", "ASK { ?s ?p ?o }", "--data", str(data), "--ontology", str(tiny_ontology))
    assert result.returncode == 2 and f"{data}:3:" in result.stderr


def test_first_use_from_sixteen_threads_loads_once(monkeypatch):
    from exograph import api

    calls = []
    real_load = api.load
    monkeypatch.setattr(api, "_DEFAULT", [])
    monkeypatch.setattr(api, "load", lambda *a, **k: calls.append(1) or real_load(*a, **k))
    threads = [threading.Thread(target=lambda: exograph.query("claims-about", entity="exo:CD274")) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1


def test_unknown_engine_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown engine"):
        exograph.load(engine="blazegraph")


@pytest.mark.parametrize("shape", [
    'exos:Broken a sh:NodeShape ; sh:targetClass exos:Claim ; sh:property [ sh:minCount "many" ] .',
    'exos:Broken a sh:NodeShape ; sh:targetClass exos:Claim ; sh:sparql [ sh:select """SELECT $this WHERE { '
    'SERVICE <http://127.0.0.1:9/> { $this ?p ?o } }""" ] .',
    'exos:Broken a sh:NodeShape ; sh:targetClass exos:Claim ; sh:sparql [ sh:select """SELECT $this WHERE { '
    '\\\\u0053ERVICE <http://127.0.0.1:9/> { $this ?p ?o } }""" ] .',
])
def test_malformed_shapes_are_a_located_problem(ontology_copy, shape):
    with (ontology_copy / "shapes.ttl").open("a", encoding="utf-8") as handle:
        handle.write("\n" + shape + "\n")
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 1, result.stderr
    assert "shapes.ttl: shacl-shapes:" in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_graph_query_without_data_is_empty_not_an_error(tiny_ontology, engine):
    result = run_cli("query", "--sparql", "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "--engine", engine,
                     "--ontology", str(tiny_ontology))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "(no results)"


def test_service_canary_gets_no_request_on_either_engine(tiny_ontology):
    from http.server import BaseHTTPRequestHandler, HTTPServer

    requests = []

    class Canary(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)

        do_POST = do_GET

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Canary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/sparql"
        for text in (f"SELECT * WHERE {{ \\u0053ERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
                     f"select * where {{ {{ ?a ?b ?c }} union {{ optional {{ service <{url}> {{ ?s ?p ?o }} }} }} }}"):
            for engine in ("oxigraph", "rdflib"):
                result = run_cli("query", "--sparql", text, "--engine", engine, "--ontology", str(tiny_ontology))
                assert result.returncode == 2 and "SERVICE is not allowed" in result.stderr
    finally:
        server.shutdown()
    assert requests == []
