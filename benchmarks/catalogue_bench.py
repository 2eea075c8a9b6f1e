"""Every named query on synthetic ontology folders, on rdflib and on pyoxigraph.

    python benchmarks/catalogue_bench.py [--sizes 1000 10000] [--engines rdflib oxigraph]
                                         [--timeout 60] [--reps 3] [--queries DIR] [--work DIR]

For each size N, ``gen_ontology.py N`` writes the folder (real rows + N synthetic claims, seed 0)
and exograph compiles it to N-Triples once (both kept in ``--work`` for the next run). Then, per
engine, a worker process loads the N-Triples and runs each query of ``--queries`` (default: the
checkout's ``ontology/queries``) with the sample parameters below, ``--reps`` times. A query that
takes longer than ``--timeout`` seconds of wall time is cut off: its worker is killed and a new one
carries on with the next query. rdflib binds parameters as exograph does (``initBindings``);
pyoxigraph gets them as a ``VALUES`` block at the top of the WHERE clause.

Printed per query, engine and size: the median process CPU time of one run (the machine is shared,
so CPU time is steadier than wall time) and the number of rows; then the growth exponent
k = log(t2/t1) / log(n2/n1) between consecutive sizes (n = claims), and the same for rows. ``--json``
writes everything for later tables.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import selectors
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PARAMS = {  # query name -> parameter -> IRI (<...>) or plain string
    "claims-about": {"entity": "<https://w3id.org/exograph/entity/CD274>"},
    "find-entity": {"text": "dendritic"},
    "cq31-loading-methods-compared": {"publication": "fuhrmann2015"},
    "cq41-exosomal-pdl1-modulators": {"direction": "decreased"},
}
_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def folder_for(n: int, work: Path) -> tuple[Path, Path]:
    """The ontology folder and its N-Triples for size ``n``, made if missing."""
    folder, nt = work / f"ont-{n}", work / f"ont-{n}.nt"
    if not folder.is_dir():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_ontology.py"), str(n), str(folder)], check=True)
    if not nt.is_file():
        code = ("import sys; from exograph.build import build; from exograph.export import dump; "
                "dump(build(sys.argv[1]).graph, 'nt', sys.argv[2])")
        subprocess.run([sys.executable, "-c", code, str(folder), str(nt)], check=True, cwd=ROOT)
    return folder, nt


def bind_values(text: str, params: dict[str, str]) -> str:
    """The query with ``VALUES ?name { term }`` for each parameter at the top of its WHERE clause."""
    block = " ".join(f"VALUES ?{name} {{ {value if value.startswith('<') else json.dumps(value)} }}"
                     for name, value in params.items())
    return _WHERE.sub(lambda m: m.group(0) + " " + block + " ", text, count=1) if block else text


# ---------------------------------------------------------------- worker (one engine, one graph)
def worker(engine: str, nt: Path, queries: list[Path], reps: int) -> None:
    """Load ``nt`` and run each query; print one JSON line per query (and one for the load)."""
    start = time.process_time()
    if engine == "rdflib":
        from rdflib import Graph, Literal, URIRef

        graph = Graph()
        graph.parse(nt, format="nt")

        def run(text: str, params: dict[str, str]) -> int:
            bindings = {k: URIRef(v[1:-1]) if v.startswith("<") else Literal(v) for k, v in params.items()}
            return len(list(graph.query(text, initBindings=bindings)))
    else:
        import pyoxigraph

        store = pyoxigraph.Store()
        store.bulk_load(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES)

        def run(text: str, params: dict[str, str]) -> int:
            return len(list(store.query(bind_values(text, params))))
    print(json.dumps({"load": time.process_time() - start}), flush=True)
    for path in queries:
        text, params = path.read_text(encoding="utf-8"), SAMPLE_PARAMS.get(path.stem, {})
        times, rows, error = [], None, None
        for _ in range(reps):
            start = time.process_time()
            try:
                rows = run(text, params)
            except Exception as exc:  # a query the engine cannot run is a result of the benchmark
                error = f"{type(exc).__name__}: {str(exc)[:80]}"
                break
            times.append(time.process_time() - start)
        print(json.dumps({"query": path.stem, "times": times, "rows": rows, "error": error}), flush=True)


def run_engine(engine: str, nt: Path, queries: list[Path], reps: int, timeout: float) -> dict:
    """Run the queries in worker processes, killing a worker whose query passes ``timeout``."""
    results: dict = {}
    pending = list(queries)
    while pending:
        command = [sys.executable, __file__, "--worker", engine, str(nt), "--reps", str(reps), *map(str, pending)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout * 20  # loading a large graph takes a while
        while pending:
            if not selector.select(max(0.0, deadline - time.monotonic())):
                results[pending.pop(0).stem] = {"timeout": timeout}
                process.kill()
                break
            line = process.stdout.readline()
            if not line:  # the worker died (memory?)
                results[pending.pop(0).stem] = {"error": f"worker exited {process.wait()}"}
                break
            record = json.loads(line)
            if "load" in record:
                results.setdefault("_load", record["load"])
            else:
                results[record["query"]] = record
                pending.pop(0)
            deadline = time.monotonic() + timeout * reps
        process.wait()
        process.stdout.close()
    return results


# ---------------------------------------------------------------- report
def cell(record: dict | None) -> tuple[str, str]:
    if record is None:
        return "", ""
    if "timeout" in record:
        return f"> {record['timeout']:g} s", ""
    if record.get("error"):
        return "error", record["error"][:30]
    seconds = statistics.median(record["times"])
    shown = f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"
    return shown, str(record["rows"])


def exponent(a: dict | None, b: dict | None, key: str, n1: int, n2: int) -> str:
    def value(record):
        if not record or "timeout" in record or record.get("error"):
            return None
        return statistics.median(record["times"]) if key == "time" else record["rows"]

    v1, v2 = value(a), value(b)
    if v1 is None or v2 is None:
        if key == "time" and b and "timeout" in b and v1:
            return f"> {math.log(b['timeout'] / v1) / math.log(n2 / n1):.2f}"
        return ""
    if key == "time":
        v1, v2 = max(v1, 0.004), max(v2, 0.004)  # below one CPU tick the ratio means nothing
    if v1 <= 0 or v2 <= 0:
        return ""
    return f"{math.log(v2 / v1) / math.log(n2 / n1):.2f}"


def table(results: dict, sizes: list[int], claims: dict[int, int], engines: list[str]) -> str:
    names = sorted({q for by_engine in results.values() for r in by_engine.values() for q in r if not q.startswith("_")})
    lines = []
    for engine in engines:
        head = ["query"] + [f"{s:,} {what}" for s in sizes for what in ("time", "rows")]
        head += [f"k {a:,}→{b:,} (time / rows)" for a, b in zip(sizes, sizes[1:])]
        lines += [f"\n{engine} (load: " + ", ".join(
            f"{s:,}: {results[s][engine].get('_load', 0):.1f} s" for s in sizes) + ")\n",
            "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for name in names:
            row = [name]
            for size in sizes:
                row += cell(results[size][engine].get(name))
            for a, b in zip(sizes, sizes[1:]):
                ra, rb = results[a][engine].get(name), results[b][engine].get(name)
                row.append(f"{exponent(ra, rb, 'time', claims[a], claims[b])} / {exponent(ra, rb, 'rows', claims[a], claims[b])}")
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--engines", nargs="+", default=["rdflib", "oxigraph"], choices=["rdflib", "oxigraph"])
    parser.add_argument("--timeout", type=float, default=60.0, help="wall seconds per query run")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--queries", type=Path, default=ROOT / "ontology" / "queries")
    parser.add_argument("--only", nargs="+", help="query names to run (default: all)")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "exograph-bench")
    parser.add_argument("--json", type=Path, help="write the raw results here")
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "NT"), help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]), args.paths, args.reps)
        return 0
    queries = sorted(args.queries.glob("*.rq"))
    if args.only:
        queries = [q for q in queries if q.stem in args.only]
    args.work.mkdir(parents=True, exist_ok=True)
    results, claims = {}, {}
    for size in args.sizes:
        _, nt = folder_for(size, args.work)
        claims[size] = size + real_claims()
        results[size] = {}
        for engine in args.engines:
            print(f"size {size:,}, {engine} ...", file=sys.stderr, flush=True)
            results[size][engine] = run_engine(engine, nt, queries, args.reps, args.timeout)
    if args.json:
        args.json.write_text(json.dumps({"claims": claims, "results": results}, indent=1))
    print(f"CPU time per run, median of {args.reps}; cut off after {args.timeout:g} s wall."
          f" Claims per size: " + ", ".join(f"{s:,} synthetic + {claims[s] - s} real" for s in args.sizes))
    print(table(results, args.sizes, claims, args.engines))
    return 0


def real_claims() -> int:
    """Claims in the checkout's real rows (data lines of the claim tables)."""
    return sum(1 for path in (ROOT / "ontology" / "curated" / "claims").glob("*.tsv")
               for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip() and not line.startswith("#"))


if __name__ == "__main__":
    sys.exit(main())
