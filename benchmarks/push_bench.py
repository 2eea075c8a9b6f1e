"""Push: ``exograph push`` against ``curl -X PUT --data-binary @file`` of the same N-Triples.

    python benchmarks/push_bench.py N [--stores oxigraph virtuoso] [--work DIR]
    python benchmarks/push_bench.py --ontology DIR [--stores ...]

Makes an ontology of the real rows plus N synthetic claims (``benchmarks/gen_ontology.py``), or
takes the folder ``--ontology``, builds its store once (not timed), writes its N-Triples for curl,
then, for each client, starts each store empty on a free loopback port (``oxigraph serve``;
Debian's Virtuoso through /sparql-graph-crud-auth with Digest, as tests/test_virtuoso.py does, or
/sparql-graph-crud with ``--virtuoso-endpoint anonymous``; realistic buffers: ``--virtuoso-buffers``)
and runs curl's PUT or exograph's push (which also counts the graph at the store afterwards). Figures per run: wall time; the client's peak memory
(the summed VmHWM of its process tree, sampled every 10 ms) and CPU time (wait4); the server's CPU
time and peak RSS (VmRSS, sampled) during the run, which is the store's ingest. Then the ratios
exograph / curl. The issue's target: peak memory at most 1.2x curl's. ``--stores sink`` sends to a
loopback server that drops the body, to compare the clients alone.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
GRAPH = "https://w3id.org/exograph/"
VIRTUOSO_4GB = 340_000  # 8 KiB pages: virtuoso.ini's own advice for 4 GB of RAM (MaxDirtyBuffers 250,000)
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


def _server(pid: int) -> tuple[float, int]:
    """(CPU seconds so far, resident bytes now) of the server process ``pid``."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    with open(f"/proc/{pid}/status") as status:
        rss = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:"))
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), rss


@dataclass
class Run:
    """One client's run: wall seconds; the client's peak bytes and CPU seconds; the server's CPU
    seconds and peak resident bytes during the run."""

    wall: float
    peak: int
    cpu: float
    server_cpu: float
    server_peak: int


def measure(command: list[str], server_pid: int, env: dict | None = None) -> Run:
    """Run ``command`` while the server ``server_pid`` takes what it sends. Fails if it fails, or if
    it built a store (another command pruned the cached one: that is not push's cost). The
    client's peak is sampled from /proc, not taken from wait4: a child's ru_maxrss keeps the
    parent's RSS at fork."""
    server_cpu, server_peak = _server(server_pid)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    while True:
        peak = max(peak, _tree_rss(process.pid))
        server_peak = max(server_peak, _server(server_pid)[1])
        finished, status, usage = os.wait4(process.pid, os.WNOHANG)
        if finished:
            break
        time.sleep(0.01)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    out, err = process.stdout.read(), process.stderr.read()
    if process.returncode != 0 or b"building the store" in err:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}) or built a store:\n{err.decode()}\n{out.decode()}")
    return Run(wall, peak, usage.ru_utime + usage.ru_stime, _server(server_pid)[0] - server_cpu, server_peak)


def count(query_url: str) -> int:
    import requests

    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    answer = requests.get(query_url, params={"query": query}, headers={"Accept": "application/sparql-results+json"},
                          timeout=600)
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("claims", type=int, nargs="?", help="synthetic claims to add to the real rows")
    parser.add_argument("--ontology", type=Path, help="an ontology folder to push instead (e.g. a gen_ontology.py output)")
    parser.add_argument("--stores", nargs="+", choices=["oxigraph", "virtuoso", "sink"], default=["oxigraph", "virtuoso"],
                        help="sink: a loopback server that reads and drops the body and answers the count, "
                             "to measure the clients alone, whatever a store's ingest speed")
    parser.add_argument("--work", type=Path, help="a folder for the data and stores (default: a temp dir)")
    parser.add_argument("--virtuoso-buffers", type=int, default=VIRTUOSO_4GB, metavar="PAGES",
                        help="Virtuoso's NumberOfBuffers (MaxDirtyBuffers is 250/340 of it); default: "
                             f"{VIRTUOSO_4GB:,}, virtuoso.ini's advice for 4 GB (tests/servers.py's minimal ini has 2,000)")
    parser.add_argument("--virtuoso-endpoint", choices=["auth", "anonymous"], default="auth",
                        help="auth: /sparql-graph-crud-auth with Digest (dba/dba); anonymous: /sparql-graph-crud, "
                             "granted to the SPARQL user (curl --digest hung on a 277 MiB PUT to auth)")
    parser.add_argument("--clients", nargs="+", choices=["curl", "push"], default=["curl", "push"])
    parser.add_argument("--deadline", type=float, default=3600, metavar="SECONDS", help="for push and curl alike")
    args = parser.parse_args()
    if (args.claims is None) == (args.ontology is None):
        parser.error("give N or --ontology DIR")
    work = args.work or Path(tempfile.mkdtemp(prefix="exograph-push-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["EXOGRAPH_CACHE"] = str(work / "cache")  # its own: no other command prunes the store push reads
    from servers import canary, oxigraph_server, virtuoso_server

    import exograph

    ontology = args.ontology or work / f"ontology-{args.claims}"
    if not ontology.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_ontology.py"), str(args.claims), str(ontology)],
                       check=True)
    graph = exograph.load(ontology)  # builds the cached store once: push then only reads it
    triples = len(graph)
    ntriples = work / f"graph-{ontology.name}.nt"
    with ntriples.open("wb") as file:
        graph.store.ntriples(file)
    del graph
    size = ntriples.stat().st_size
    print(f"{ontology}: {triples} triples, {size / 2**20:.0f} MiB of N-Triples", flush=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    push = [sys.executable, "-m", "exograph", "push", "--ontology", str(ontology), "--deadline", str(args.deadline)]
    curl = ["curl", "-sS", "--fail", "--max-time", str(args.deadline), "-X", "PUT",
            "-H", "Content-Type: application/n-triples", "--data-binary", f"@{ntriples}"]
    buffers = {"NumberOfBuffers": str(args.virtuoso_buffers), "MaxDirtyBuffers": str(args.virtuoso_buffers * 250 // 340)}
    print(f"virtuoso [Parameters]: {buffers}", flush=True)
    rows = []
    for store in args.stores:
        runs = {}
        for client in args.clients:  # each into a fresh, empty store: neither replaces the other's graph
            folder = work / f"{store}-{client}-{time.time_ns()}"
            folder.mkdir()
            running = {"oxigraph": lambda: oxigraph_server(folder, "--union-default-graph"),
                       "virtuoso": lambda: virtuoso_server(folder, buffers),
                       "sink": lambda: canary([204], triples=triples)}[store]()
            with running as server:
                if store == "sink":
                    endpoint, query_url, curl_auth, push_env = server.url + "store", server.url + "query", [], env
                    pid = os.getpid()
                elif store == "oxigraph":
                    endpoint, query_url, curl_auth, push_env = server.url + "/store", server.url + "/query", [], env
                    pid = server.process.pid
                elif args.virtuoso_endpoint == "auth":
                    endpoint, query_url = server.url + "/sparql-graph-crud-auth", server.url + "/sparql"
                    curl_auth, push_env = ["--digest", "-u", "dba:dba"], dict(env, **DIGEST)
                    pid = server.process.pid
                else:
                    endpoint, query_url = server.url + "/sparql-graph-crud", server.url + "/sparql"
                    curl_auth, push_env = [], env
                    pid = server.process.pid
                command = [*curl, *curl_auth, f"{endpoint}?graph={GRAPH}"] if client == "curl" else \
                    [*push, "--endpoint", endpoint]
                runs[client] = run = measure(command, pid, push_env if client == "push" else None)
                held = count(query_url)
                assert held == triples, f"{store} holds {held} triples after {client}, not {triples}"
                print(f"{store} {client}: {run.wall:.1f} s wall, client {run.peak / 2**20:.1f} MiB peak and "
                      f"{run.cpu:.1f} s CPU; server {run.server_cpu:.1f} s CPU, {run.server_peak / 2**20:.0f} MiB peak",
                      flush=True)
        if len(runs) == 2:
            rows.append((store, runs["curl"], runs["push"]))
    print(f"{'store':<10}{'curl s':>9}{'curl MiB':>10}{'push s':>9}{'push MiB':>10}{'time x':>8}{'memory x':>10}"
          f"{'server CPU s curl/push':>24}{'server MiB curl/push':>22}")
    for store, curl_run, push_run in rows:
        print(f"{store:<10}{curl_run.wall:>9.1f}{curl_run.peak / 2**20:>10.1f}{push_run.wall:>9.1f}"
              f"{push_run.peak / 2**20:>10.1f}{push_run.wall / curl_run.wall:>8.2f}{push_run.peak / curl_run.peak:>10.2f}"
              f"{curl_run.server_cpu:>12.1f} /{push_run.server_cpu:>9.1f}"
              f"{curl_run.server_peak / 2**20:>12.0f} /{push_run.server_peak / 2**20:>7.0f}")
    print("push's time includes loading the cached store, writing the N-Triples and the COUNT afterwards;"
          " curl's is the PUT alone")


if __name__ == "__main__":
    main()
