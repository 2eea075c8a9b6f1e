"""Endpoint throughput: ``exograph serve`` against ``oxigraph serve`` on the same data.

    python benchmarks/serve_bench.py [--ontology DIR] [--clients 1 10 50] [--queries N]

Both servers run on 127.0.0.1 with the same triples (pushed into Oxigraph with ``exograph push``,
its default graph the union of the named graphs). Each client sends N queries from a mix of
named queries and small SELECT / ASK queries over HTTP, one at a time; the figure is answered
queries per second for all clients together, and the ratio exograph / oxigraph.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from servers import exograph_server, oxigraph_server  # noqa: E402

import exograph  # noqa: E402

MIX = ["SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "ASK { ?s ?p ?o }",
       "SELECT ?label WHERE { <https://w3id.org/exograph/entity/CD47> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"]
NAMED = ["cq08-clinical-trials", "cq13-exosome-markers", "cq07-targeting-ligands"]


def workload(kg: exograph.KnowledgeGraph) -> list[str]:
    return MIX + [kg.queries()[name].text for name in NAMED]


def throughput(url: str, queries: list[str], clients: int, per_client: int) -> float:
    def client(number: int) -> int:
        session = requests.Session()
        for i in range(per_client):
            response = session.post(url, data=queries[(number + i) % len(queries)].encode(), timeout=300,
                                    headers={"Content-Type": "application/sparql-query",
                                             "Accept": "application/sparql-results+json"})
            response.raise_for_status()
        return per_client

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        done = sum(pool.map(client, range(clients)))
    return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ontology", help="ontology folder (default: the bundled one)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--queries", type=int, default=20, help="queries per client (default: 20)")
    args = parser.parse_args()
    kg = exograph.load(args.ontology)
    queries = workload(kg)
    ontology = ["--ontology", args.ontology] if args.ontology else []
    with tempfile.TemporaryDirectory() as tmp, exograph_server(Path(tmp), *ontology) as ours, \
            oxigraph_server(Path(tmp), "--union-default-graph") as theirs:
        subprocess.run([sys.executable, "-m", "exograph", "push", "--endpoint", theirs.url + "/store", *ontology],
                       check=True, cwd=ROOT)
        print(f"{len(kg)} triples; {args.queries} queries per client from a mix of {len(queries)}")
        print(f"{'clients':>8} {'exograph q/s':>13} {'oxigraph q/s':>13} {'ratio':>7}")
        for clients in args.clients:
            mine = throughput(ours.url + "/sparql", queries, clients, args.queries)
            reference = throughput(theirs.url + "/query", queries, clients, args.queries)
            print(f"{clients:>8} {mine:>13.1f} {reference:>13.1f} {mine / reference:>7.2f}")


if __name__ == "__main__":
    main()
