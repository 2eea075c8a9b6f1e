"""Every query is bounded in every door: the Python API and `view --query` as the CLI and the endpoint.

Query texts that crashed the calling process (reliability report Q1: 10 kB of '!', a 10,000-term
'+' chain, 9,000-step paths) are refused before any engine parses them, on both engines; each case
runs in a subprocess, so that a crash would show as its exit code, not take pytest down.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import warnings

import pytest

from conftest import TESTS, run_cli

CARTESIAN = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
DEEP = {
    "10,000 !": "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 10_000 + "true) } LIMIT 1",
    "1+1+... 10,000 terms": "SELECT * WHERE { BIND(" + "+".join(["1"] * 10_000) + " AS ?x) }",
    "9,000-step / path": "ASK { ?s " + "/".join(["rdfs:label"] * 9_000) + " ?o }",
    "9,000-step | path": "ASK { ?s " + "|".join(["rdfs:label"] * 9_000) + " ?o }",
    "3,000 MINUS": "ASK { " + "MINUS { ?s ?p ?o } " * 3_000 + "}",
}


def python(script: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                          timeout=timeout, cwd=TESTS.parent)


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_deep_expressions_and_long_paths_are_refused_through_the_api(tmp_path, tiny_ontology, engine):
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps(DEEP), encoding="utf-8")
    done = python(f"""
        import json, exograph
        kg = exograph.load({str(tiny_ontology)!r}, engine={engine!r})
        outcomes = {{}}
        for name, text in json.loads(open({str(cases)!r}, encoding="utf-8").read()).items():
            try:
                kg.query(text)
                outcomes[name] = "answered"
            except exograph.UsageError as error:
                outcomes[name] = f"{{type(error).__name__}}: {{error}}"
        print(json.dumps(outcomes))
    """)
    assert done.returncode == 0, done.stderr[-2000:]
    outcomes = json.loads(done.stdout)
    assert set(outcomes) == set(DEEP)
    for name, outcome in outcomes.items():
        assert outcome.startswith("RefusedQuery: the query chains") and "at most 1,200" in outcome, (name, outcome)


def test_view_query_refuses_a_deep_expression(tmp_path, tiny_ontology):
    query = tmp_path / "plus.rq"
    query.write_text("# title: plus chain\n" + DEEP["1+1+... 10,000 terms"] + "\n", encoding="utf-8")
    result = run_cli("view", "--ontology", str(tiny_ontology), "--query", str(query), "-o", str(tmp_path / "v.html"))
    assert result.returncode == 2 and "chains 10,003 operators" in result.stderr
    assert not (tmp_path / "v.html").exists()


def test_view_query_has_the_row_cap(tmp_path, tiny_ontology, tiny_graph):
    """`view --query` ran unbounded (reliability Q2); a selection past the row cap is refused, not cut silently."""
    assert len(tiny_graph) ** 2 > 100_000
    query = tmp_path / "cartesian.rq"
    query.write_text(CARTESIAN + "\n", encoding="utf-8")
    result = run_cli("view", "--ontology", str(tiny_ontology), "--query", str(query), "-o", str(tmp_path / "v.html"))
    assert result.returncode == 2 and "more than 100,000 rows" in result.stderr, result.stderr
    assert not (tmp_path / "v.html").exists()


def test_the_api_caps_rows_by_default_and_lifts_the_cap_on_request(tiny_graph):
    """kg.query / kg.run had no bound unless the caller passed one (reliability P1h)."""
    rows = "SELECT ?x ?y WHERE { VALUES ?x { %s } VALUES ?y { %s } }" % (
        " ".join(map(str, range(400))), " ".join(map(str, range(300))))  # 120,000 rows
    capped = tiny_graph.run(rows)
    assert capped.truncated and len(capped.terms) == 100_000
    whole = tiny_graph.run(rows, limit=None)
    assert not whole.truncated and len(whole.terms) == 120_000
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = tiny_graph.query(CARTESIAN, limit=10)
    assert len(frame) == 10 and frame.attrs["truncated"] is True
    assert any("cut at 10 rows" in str(w.message) for w in caught)


def test_the_api_stops_a_runaway_at_its_deadline(tiny_graph):
    from exograph.store import QueryTimeout

    with pytest.raises(QueryTimeout, match=r"longer than 1 s .*timeout= in Python"):  # not only the CLI's flag
        tiny_graph.run(RUNAWAY, timeout=1)
    assert tiny_graph.query("ASK { ?s ?p ?o }")["answer"].tolist() == [True]


def test_an_engine_crash_ends_its_worker_and_not_the_caller(tiny_ontology):
    """A worker that dies of a signal is named as a crash, not as a query that was too large (H4)."""
    done = python(f"""
        import os, signal, threading, time, exograph
        kg = exograph.load({str(tiny_ontology)!r})
        outcome = []
        def run():
            try:
                kg.run({RUNAWAY!r}, timeout=120)
            except exograph.UsageError as error:
                outcome.append(f"{{type(error).__name__}}: {{error}}")
        thread = threading.Thread(target=run)
        thread.start()
        while not outcome:
            children = {{int(pid) for task in os.listdir("/proc/self/task")
                        for pid in open(f"/proc/self/task/{{task}}/children").read().split()}}
            for pid in children:
                os.kill(pid, signal.SIGSEGV)
            time.sleep(0.5)
        thread.join()
        print(outcome[0])
        print(kg.query("ASK {{ ?s ?p ?o }}")["answer"].tolist())
    """)
    assert done.returncode == 0, done.stderr[-2000:]
    crash, after = done.stdout.splitlines()
    assert crash.startswith("QueryCrashed: the query crashed the query engine (signal SIGSEGV)")
    assert after == "[True]"


def test_a_query_worker_keeps_no_pipe_of_its_caller_open(tiny_ontology):
    """A worker forked while the caller talks to a subprocess (a browser driver, a kernel's sockets)
    must not hold that pipe: the subprocess sees its end of file when the caller closes it."""
    done = python(f"""
        import subprocess, exograph
        peer = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        kg = exograph.load({str(tiny_ontology)!r})
        assert kg.query("ASK {{ ?s ?p ?o }}")["answer"][0]
        peer.stdin.close()
        try:
            peer.wait(timeout=20)
        except subprocess.TimeoutExpired:
            peer.kill()
            raise SystemExit("the peer never saw its end of file: a query worker holds its pipe")
        print("closed")
    """, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("closed")


def test_a_worker_that_died_before_its_query_was_sent_is_named(monkeypatch):
    """A worker killed between being found alive and being sent a query (the memory ceiling of another
    process, an operator's kill) is named as a worker's death, not raised as a broken pipe."""
    import os
    import signal
    import time
    from pathlib import Path

    from exograph.store import ntriples_store, workers
    from exograph.store.errors import QueryOutOfMemory

    store = ntriples_store(b'<http://example.org/a> <http://example.org/p> "1" .\n', {})
    assert store.query("ASK { ?s ?p ?o }").boolean is True  # leaves an idle worker
    pid = store._workers.idle[0].pid
    os.kill(pid, signal.SIGKILL)
    while Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z":  # dead, not yet reaped
        time.sleep(0.01)
    monkeypatch.setattr(workers._Worker, "alive", lambda self: True)  # found alive just before it died
    with pytest.raises(QueryOutOfMemory, match="memory limit"):
        store.query("ASK { ?s ?p ?o }")
