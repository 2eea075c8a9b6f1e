"""Endpoint throughput and latency: ``exograph serve`` against ``oxigraph serve`` on the same data.

    python benchmarks/serve_bench.py [--ontology DIR] [--clients 1 10 50] [--queries N] [--rounds R]
                                     [--latency N] [--baseline CHECKOUT]

Both servers run on 127.0.0.1 with the same triples (pushed into Oxigraph with ``exograph push``,
its default graph the union of the named graphs). Each client is a thread with one keep-alive
connection sending N queries, one at a time, from a mix of named queries and small SELECT / ASK
queries (POST application/sparql-query, JSON results). The servers take turns, round after
round, in alternating order (the machine's load moves; a pair shares it); the figure is answered
queries per second for all clients together, and the ratio exograph / oxigraph is the median of
the per-round ratios [min-max]. Then one client sends a cheap query (a label lookup) in
alternating blocks of 20: median and 90th percentile latency. ``--baseline`` adds ``exograph serve``
from another checkout (say, a copy of main before a change) to every round, on the same data.
"""
from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from servers import exograph_server, free_port, oxigraph_server, process_server  # noqa: E402

import exograph  # noqa: E402

CHEAP = "SELECT ?label WHERE { <https://w3id.org/exograph/entity/CD47> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
MIX = ["SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "ASK { ?s ?p ?o }", CHEAP]
NAMED = ["cq08-clinical-trials", "cq13-exosome-markers", "cq07-targeting-ligands"]
HEADERS = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}


def workload(kg: exograph.KnowledgeGraph) -> list[str]:
    return MIX + [kg.queries()[name].text for name in NAMED]


def post(connection: http.client.HTTPConnection, path: str, query: str) -> None:
    connection.request("POST", path, body=query.encode(), headers=HEADERS)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError(f"{response.status}: {body[:300]!r}")


def throughput(port: int, path: str, queries: list[str], clients: int, per_client: int) -> float:
    """Answered queries per second, ``clients`` threads each sending ``per_client`` queries."""
    errors: list[str] = []

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        try:
            for i in range(per_client):
                post(connection, path, queries[(number + i) % len(queries)])
        except Exception as error:  # counted below: a failed round is no figure
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} failed clients, the first: {errors[0]}")
    return clients * per_client / took


def cpu_seconds(pid: int) -> float:
    """CPU time of a server so far: its own, its reaped children's, and its live worker processes'
    (Linux /proc; 0 elsewhere). On a loaded machine this moves less than wall time."""
    def stat(process: int) -> list[str]:
        try:
            return Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return []

    def children(process: int) -> list[int]:
        found = []
        for task in Path(f"/proc/{process}/task").glob("*/children"):
            try:
                found += [int(child) for child in task.read_text().split()]
            except OSError:
                pass
        return found

    fields = stat(pid)
    if not fields:
        return 0.0
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))
    pending = children(pid)
    while pending:
        child = pending.pop()
        ticks += sum(int(value) for value in stat(child)[11:13])
        pending += children(child)
    return ticks / os.sysconf("SC_CLK_TCK")


def latencies(port: int, path: str, query: str, count: int) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    took = []
    try:
        for _ in range(count):
            started = time.perf_counter()
            post(connection, path, query)
            took.append(time.perf_counter() - started)
    finally:
        connection.close()
    return took


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} [{min(values):.2f}-{max(values):.2f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ontology", help="ontology folder (default: the bundled one)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--queries", type=int, default=20, help="queries per client and round (default: 20)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per client count (default: 3)")
    parser.add_argument("--latency", type=int, default=200, help="cheap queries per server (default: 200)")
    parser.add_argument("--baseline", metavar="PYTHONPATH",
                        help="also serve exograph from another checkout (say, main before a change): a PYTHONPATH "
                             "whose last entry is that checkout")
    args = parser.parse_args()
    kg = exograph.load(args.ontology)
    queries = workload(kg)
    ontology = ["--ontology", str(Path(args.ontology or ROOT / "ontology").resolve())]
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        processes = {"exograph": stack.enter_context(exograph_server(Path(tmp), *ontology))}
        servers = {"exograph": (processes["exograph"].url, "/sparql")}
        if args.baseline:
            port = free_port()
            checkout = args.baseline.split(os.pathsep)[-1]  # python -m puts the working directory first
            command = ["env", "-C", checkout, f"PYTHONPATH={args.baseline}", sys.executable, "-m", "exograph", "serve",
                       "--port", str(port), *ontology]
            processes["baseline"] = stack.enter_context(process_server(command, port, Path(tmp) / "baseline.log", "/health"))
            servers["baseline"] = (processes["baseline"].url, "/sparql")
        theirs = processes["oxigraph"] = stack.enter_context(oxigraph_server(Path(tmp), "--union-default-graph"))
        servers["oxigraph"] = (theirs.url, "/query")
        subprocess.run([sys.executable, "-m", "exograph", "push", "--endpoint", theirs.url + "/store", *ontology],
                       check=True, cwd=ROOT, capture_output=True)
        ports = {name: (int(url.rsplit(":", 1)[1]), path) for name, (url, path) in servers.items()}
        pids = {name: running.process.pid for name, running in processes.items()}
        for port, path in ports.values():  # warm up: exograph forks its query workers here
            throughput(port, path, queries, 4, 2 * len(queries))
        ours = [name for name in ports if name != "oxigraph"]
        cpu = {name: 0.0 for name in ports}
        print(f"{len(kg)} triples; {args.queries} queries per client and round from a mix of {len(queries)}, "
              f"{args.rounds} rounds; load {load()}")
        print(f"{'clients':>8} " + " ".join(f"{name + ' q/s':>14}" for name in ports) + "".join(
            f" {name + ' / oxigraph':>28}" for name in ours) + "  load")
        for clients in args.clients:
            rates: dict[str, list[float]] = {name: [] for name in ports}
            for round_ in range(args.rounds):
                order = list(ports) if round_ % 2 == 0 else list(reversed(ports))
                for name in order:
                    before = cpu_seconds(pids[name])
                    rates[name].append(throughput(*ports[name], queries, clients, args.queries))
                    cpu[name] += cpu_seconds(pids[name]) - before
            ratios = {name: [a / b for a, b in zip(rates[name], rates["oxigraph"])] for name in ours}
            print(f"{clients:>8} " + " ".join(f"{statistics.median(rates[name]):>14.1f}" for name in ports)
                  + "".join(f" {spread(ratios[name]):>28}" for name in ours) + f"  {load()}", flush=True)
        answered = args.rounds * args.queries * sum(args.clients)  # per server
        print("server CPU per answered query (with its worker processes): " + "; ".join(
            f"{name} {1000 * cpu[name] / answered:.2f} ms" for name in ports) + "".join(
            f"; oxigraph / {name} {cpu['oxigraph'] / cpu[name]:.2f}" for name in ours if cpu[name]))
        took: dict[str, list[float]] = {name: [] for name in ports}
        for block in range(max(1, args.latency // 20)):
            for name in (list(ports) if block % 2 == 0 else list(reversed(ports))):
                took[name] += latencies(*ports[name], CHEAP, 20)
        print("cheap query, 1 client: " + "; ".join(
            f"{name} {1000 * statistics.median(values):.3f} ms (p90 {1000 * sorted(values)[int(0.9 * (len(values) - 1))]:.3f})"
            for name, values in took.items()) + f"; load {load()}")


if __name__ == "__main__":
    main()
