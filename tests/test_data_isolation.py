"""--data files stay in graphs of their own, hostile files are refused before any parser expands
them, and a query's dataset is chosen among the graphs the store holds, never fetched."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import exograph
from exograph.problems import UsageError
from exograph.store import CURATED_GRAPH, RefusedQuery
from conftest import run_cli
from servers import canary

ENGINES = ("oxigraph", "rdflib")
CD274 = "https://w3id.org/exograph/entity/CD274"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _csv(*args: str) -> list[str]:
    result = run_cli("query", "--format", "csv", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.fixture
def unlabelled(tmp_path) -> list[Path]:
    """An N-Quads line and a TriG triple without a graph name, both about a curated entity."""
    return [_write(tmp_path / "d.nq", f'<{CD274}> <{LABEL}> "INJECTED-NQ" .\n<urn:x> <urn:p> "named" <urn:own> .\n'),
            _write(tmp_path / "d.trig", f'<{CD274}> <{LABEL}> "INJECTED-TRIG" .\n')]


@pytest.mark.parametrize("engine", ENGINES)
def test_data_never_changes_what_the_curated_graph_answers(tiny_ontology, unlabelled, tmp_path, engine):
    nt = _write(tmp_path / "d.nt", f'<{CD274}> <{LABEL}> "INJECTED-NT" .\n')
    for query in (("claims-by-subject", "--param", "subject=exo:CD274"),
                  ("--sparql", "SELECT ?label WHERE { exo:CD274 rdfs:label ?label }")):
        args = (*query, "--engine", engine, "--ontology", str(tiny_ontology))
        alone = _csv(*args)
        assert len(alone) > 1
        assert _csv(*args, "--data", *map(str, unlabelled), str(nt)) == alone
    rows = _csv("--sparql", GRAPHS, "--engine", engine, "--ontology", str(tiny_ontology), "--data", *map(str, unlabelled))
    assert sorted(rows[1:]) == sorted([f"{unlabelled[0].resolve().as_uri()},1", f"{unlabelled[1].resolve().as_uri()},1",
                                       "urn:own,1"])


@pytest.mark.parametrize("engine", ENGINES)
def test_a_data_file_can_be_given_its_graph_name(tiny_ontology, tmp_path, engine):
    nt = _write(tmp_path / "a=b.nt", '<urn:a> <urn:p> "1" .\n')  # a path holding '=' is still a path
    other = _write(tmp_path / "other.ttl", '<urn:b> <urn:p> "2" .\n')
    rows = _csv("--sparql", GRAPHS, "--engine", engine, "--ontology", str(tiny_ontology),
                "--data", str(nt), f"{other}=https://example.org/mine?x=1")
    assert sorted(rows[1:]) == sorted([f"{nt.resolve().as_uri()},1", "https://example.org/mine?x=1,1"])


def test_a_query_name_after_data_is_named_in_the_error(tiny_ontology, tmp_path):
    nt = _write(tmp_path / "d.nt", '<urn:a> <urn:p> "1" .\n')
    done = run_cli("query", "--ontology", str(tiny_ontology), "--data", str(nt), "claims-by-subject")
    assert done.returncode == 2
    assert "'claims-by-subject' was read as a --data file: put the query NAME before --data" in done.stderr
    done = run_cli("query", "--ontology", str(tiny_ontology), "--data", str(nt))
    assert done.returncode == 2 and "give a query NAME" in done.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_no_data_file_writes_into_the_curated_graph(tiny_ontology, tmp_path, engine):
    quads = _write(tmp_path / "c.nq", f'<urn:a> <urn:p> "1" .\n<urn:a> <urn:p> "2" <{CURATED_GRAPH}> .\n')
    result = run_cli("query", "--sparql", "ASK {}", "--engine", engine, "--ontology", str(tiny_ontology), "--data", str(quads))
    assert result.returncode == 2 and f"{quads}:2: writes into <{CURATED_GRAPH}>, the curated graph" in result.stderr
    nt = _write(tmp_path / "c.nt", '<urn:a> <urn:p> "1" .\n')
    with pytest.raises(UsageError, match="is the curated graph"):
        exograph.load(tiny_ontology, engine=engine, data=[f"{nt}={CURATED_GRAPH}"])


def _laughs(levels: int) -> str:
    """Billion laughs, kept small (30 * 10**levels bytes) so that a missed refusal cannot hurt the machine."""
    entities = '<!ENTITY a0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY a{i} "{("&a%d;" % (i - 1)) * 10}">' for i in range(1, levels + 1))
    return (f'<?xml version="1.0"?>\n<!DOCTYPE r [{entities}]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns:ex="http://example.org/"><rdf:Description rdf:about="urn:a"><ex:p>&a{levels};</ex:p>'
            "</rdf:Description></rdf:RDF>\n")


@pytest.mark.parametrize("engine", ENGINES)
def test_hostile_files_are_refused_with_file_and_line(tiny_ontology, tmp_path, engine):
    laughs = _write(tmp_path / "laughs.rdf", _laughs(4))
    long_line = tmp_path / "long.nt"
    line = b'<urn:a> <urn:p> "' + b"x" * (17 << 20) + b'" .'
    long_line.write_bytes(b'<urn:a> <urn:p> "1" .\n' + line + b"\n")
    folder = tmp_path / "folder.nt"
    folder.mkdir()
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    for path, message in [(laughs, f"{laughs}:2: the RDF/XML declares an XML entity"),
                          (long_line, f"{long_line}:2: line 2 is {len(line):,} bytes long"),
                          (folder, f"{folder}: is a directory, not a regular file"),
                          (fifo, f"{fifo}: is a FIFO, not a regular file")]:
        result = run_cli("query", "--sparql", "ASK {}", "--engine", engine, "--ontology", str(tiny_ontology),
                         "--data", str(path), timeout=60)
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert "internal error" not in result.stderr


@pytest.mark.parametrize("engine", ENGINES)
def test_a_remote_json_ld_context_is_never_fetched(tiny_ontology, tmp_path, engine):
    with canary() as leak:
        url = f"{leak.url}/context.jsonld"
        for name, context in [("string", f'"{url}"'), ("import", f'{{"@import": "{url}"}}'), ("list", f'["{url}"]')]:
            path = _write(tmp_path / f"{name}.jsonld", f'{{\n"@context": {context},\n"@id": "urn:a", "name": "x"}}\n')
            with pytest.raises(UsageError, match=f"{path}:2: the JSON-LD @context names a document elsewhere"):
                exograph.load(tiny_ontology, engine=engine, data=[path])
        assert leak.requests == []


@pytest.fixture(scope="module")
def with_data(tiny_ontology, tmp_path_factory) -> tuple[dict, str, str]:
    folder = tmp_path_factory.mktemp("data")
    a = _write(folder / "a.nt", '<urn:a> <urn:p> "A" .\n')
    b = _write(folder / "b.nt", '<urn:b> <urn:p> "B" .\n')
    graphs = {engine: exograph.load(tiny_ontology, engine=engine, data=[a, b]) for engine in ENGINES}
    return graphs, a.resolve().as_uri(), b.resolve().as_uri()


def _objects(graph, text: str, **dataset) -> list[str]:
    return sorted(str(row[0]) for row in graph.run(text, timeout=30, **dataset).rows)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_dataset_is_chosen_among_the_store_graphs(with_data, engine):
    graphs, a, b = with_data
    graph = graphs[engine]
    curated = len(graph)
    objects = "SELECT ?o WHERE { ?s <urn:p> ?o }"
    names = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert _objects(graph, count) == [str(curated)]  # by default: the curated graph, and the --data graphs as named
    assert _objects(graph, names) == sorted([a, b])
    assert _objects(graph, objects, default_graphs=[a, b]) == ["A", "B"]
    assert _objects(graph, objects.replace("WHERE", f"FROM <{b}> WHERE")) == ["B"]
    assert _objects(graph, names.replace("WHERE", f"FROM NAMED <{a}> WHERE")) == [a]
    assert _objects(graph, names, named_graphs=[b]) == [b]
    assert _objects(graph, names.replace("WHERE", f"FROM NAMED <{a}> WHERE"), named_graphs=[b]) == [b]  # arguments win
    assert _objects(graph, names, default_graphs=[a]) == []  # one given: the other is empty
    assert _objects(graph, count, default_graphs=[CURATED_GRAPH]) == [str(curated)]
    assert _objects(graph, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{CURATED_GRAPH}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") \
        == [str(curated)]
    assert _objects(graph, count, default_graphs=["https://example.org/not-held"]) == ["0"]


@pytest.mark.parametrize("engine", ENGINES)
def test_from_and_graph_arguments_fetch_nothing(with_data, engine):
    graph = with_data[0][engine]
    with canary() as leak:
        for text, dataset in [(f"SELECT * FROM <{leak.url}/g.ttl> WHERE {{ ?s ?p ?o }}", {}),
                              (f"SELECT * FROM NAMED <{leak.url}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
                              ("SELECT * WHERE { ?s ?p ?o }", {"default_graphs": [f"{leak.url}/g.ttl"]}),
                              ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", {"named_graphs": [f"{leak.url}/g.ttl"]})]:
            assert graph.run(text, **dataset).rows == []
        assert leak.requests == []


@pytest.mark.parametrize("engine", ENGINES)
def test_relative_iris_need_a_base(with_data, tiny_ontology, tmp_path, engine):
    graph = with_data[0][engine]
    with pytest.raises(RefusedQuery, match="relative IRI <p> and no base IRI"):
        graph.run("SELECT * WHERE { ?s <p> ?o }")
    with pytest.raises(RefusedQuery, match="not an absolute IRI"):
        graph.run("SELECT * WHERE { ?s ?p ?o }", default_graphs=["g.ttl"])
    data = _write(tmp_path / "h.nt", '<http://example.org/d/a> <http://example.org/d/p> "A" .\n')
    text = "SELECT ?o WHERE { GRAPH ?g { <a> <p> ?o } }"
    args = ("--sparql", text, "--engine", engine, "--ontology", str(tiny_ontology), "--data", str(data))
    refused = run_cli("query", *args)
    assert refused.returncode == 2 and "--base IRI" in refused.stderr
    assert _csv(*args[:-2], "--base", "http://example.org/d/x", "--data", str(data)) == ["o", "A"]
