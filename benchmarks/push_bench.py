"""Push: ``exograph push`` against ``curl -X PUT --data-binary @file`` of the same N-Triples.

    python benchmarks/push_bench.py N [--stores oxigraph virtuoso] [--work DIR]

Makes an ontology of the real rows plus N synthetic claims (``benchmarks/gen_ontology.py``),
builds its store once (not timed), writes its N-Triples for curl, then, into each store started on
a free loopback port (``oxigraph serve``; Debian's Virtuoso through /sparql-graph-crud-auth with
Digest, as tests/test_virtuoso.py does), runs curl's PUT and exograph's push (which also counts
the graph at the store afterwards). Figures: wall time and peak memory (the summed RSS of the
command's process tree, sampled every 10 ms, and at least the kernel's max RSS of the command),
and the ratios exograph / curl. The issue's target: peak memory at most 1.2x curl's. ``--stores sink``
sends to a loopback server that drops the body, to compare the clients alone.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
GRAPH = "https://w3id.org/exograph/"
DIGEST = {"EXOGRAPH_ENDPOINT_AUTH": "digest", "EXOGRAPH_ENDPOINT_USER": "dba", "EXOGRAPH_ENDPOINT_PASSWORD": "dba"}


def _tree_rss(pid: int) -> int:
    """Bytes of peak resident memory (VmHWM) of ``pid`` and its descendants, summed (0 for those gone)."""
    total, queue = 0, [pid]
    while queue:
        current = queue.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    queue += [int(child) for child in children.read().split()]
        except (OSError, ValueError):
            pass
    return total


def measure(command: list[str], env: dict | None = None) -> tuple[float, int]:
    """Run ``command``; (wall seconds, peak RSS bytes of its process tree). Fails if it fails. The peak
    is sampled from /proc, not taken from wait4: a child's ru_maxrss keeps the parent's RSS at fork."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    while True:
        peak = max(peak, _tree_rss(process.pid))
        finished, status = os.waitpid(process.pid, os.WNOHANG)
        if finished:
            break
        time.sleep(0.01)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    out, err = process.stdout.read(), process.stderr.read()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err.decode()}\n{out.decode()}")
    return wall, peak


def count(query_url: str) -> int:
    import requests

    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    answer = requests.get(query_url, params={"query": query}, headers={"Accept": "application/sparql-results+json"},
                          timeout=600)
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("claims", type=int, help="synthetic claims to add to the real rows")
    parser.add_argument("--stores", nargs="+", choices=["oxigraph", "virtuoso", "sink"], default=["oxigraph", "virtuoso"],
                        help="sink: a loopback server that reads and drops the body and answers the count, "
                             "to measure the clients alone, whatever a store's ingest speed")
    parser.add_argument("--work", type=Path, help="a folder for the data and stores (default: a temp dir)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="exograph-push-bench-"))
    os.environ.setdefault("EXOGRAPH_CACHE", str(work / "cache"))
    from servers import canary, oxigraph_server, virtuoso_server

    import exograph

    ontology = work / f"ontology-{args.claims}"
    if not ontology.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_ontology.py"), str(args.claims), str(ontology)],
                       check=True)
    graph = exograph.load(ontology)  # builds the cached store once: push then only reads it
    triples = len(graph)
    ntriples = work / f"graph-{args.claims}.nt"
    with ntriples.open("wb") as file:
        graph.store.ntriples(file)
    del graph
    size = ntriples.stat().st_size
    print(f"{args.claims} synthetic claims: {triples} triples, {size / 2**20:.0f} MiB of N-Triples", flush=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    push = [sys.executable, "-m", "exograph", "push", "--ontology", str(ontology)]
    curl = ["curl", "-sS", "--fail", "-X", "PUT", "-H", "Content-Type: application/n-triples",
            "--data-binary", f"@{ntriples}"]
    rows = []
    for store in args.stores:
        folder = work / f"{store}-{time.time_ns()}"
        folder.mkdir()
        running = {"oxigraph": lambda: oxigraph_server(folder, "--union-default-graph"),
                   "virtuoso": lambda: virtuoso_server(folder), "sink": lambda: canary([204], triples=triples)}[store]()
        with running as server:
            if store == "sink":
                endpoint, query_url, curl_auth, push_env = server.url + "store", server.url + "query", [], env
            elif store == "oxigraph":
                endpoint, query_url, curl_auth, push_env = server.url + "/store", server.url + "/query", [], env
            else:
                endpoint, query_url = server.url + "/sparql-graph-crud-auth", server.url + "/sparql"
                curl_auth, push_env = ["--digest", "-u", "dba:dba"], dict(env, **DIGEST)
            curl_wall, curl_peak = measure([*curl, *curl_auth, f"{endpoint}?graph={GRAPH}"])
            assert count(query_url) == triples, f"{store} holds {count(query_url)} triples after curl, not {triples}"
            push_wall, push_peak = measure([*push, "--endpoint", endpoint], push_env)
            assert count(query_url) == triples, f"{store} holds {count(query_url)} triples after push, not {triples}"
            rows.append((store, curl_wall, curl_peak, push_wall, push_peak))
            print(f"{store}: curl {curl_wall:.1f} s {curl_peak / 2**20:.1f} MiB; push {push_wall:.1f} s "
                  f"{push_peak / 2**20:.1f} MiB", flush=True)
    print(f"{'store':<10}{'curl s':>9}{'curl MiB':>10}{'push s':>9}{'push MiB':>10}{'time x':>8}{'memory x':>10}")
    for store, curl_wall, curl_peak, push_wall, push_peak in rows:
        print(f"{store:<10}{curl_wall:>9.1f}{curl_peak / 2**20:>10.1f}{push_wall:>9.1f}{push_peak / 2**20:>10.1f}"
              f"{push_wall / curl_wall:>8.2f}{push_peak / curl_peak:>10.2f}")
    print("push's time includes loading the cached store, writing the N-Triples and the COUNT afterwards;"
          " curl's is the PUT alone")


if __name__ == "__main__":
    main()
