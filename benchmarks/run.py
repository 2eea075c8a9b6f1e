"""exograph against plain rdflib and raw pyoxigraph on the same synthetic data, in the same run.

    python benchmarks/run.py [--sizes 1000 10000 100000] [--cap 120] [--reps 3] [--readme benchmarks/README.md]

For each size, ``gen_ontology.py`` writes a folder of the real rows plus N synthetic claims,
``exograph build`` compiles it (validation included) into ttl/nt/jsonld and a store, and then:

- load: exograph opening its built store; rdflib parsing the built ``exograph.nt``; pyoxigraph
  ``Store.bulk_load`` of the same file;
- every named query: exograph ``KnowledgeGraph.run`` (checks, VALUES parameters, term conversion
  included) against rdflib's ``Graph.query`` (``initBindings``) and raw pyoxigraph on the same
  on-disk store (``VALUES`` for parameters), each with a cap of ``--cap`` seconds;
- ``to_networkx``: exograph's claim network against rdflib's ``rdflib_to_networkx_multidigraph``
  (every triple an edge) and the hand pyoxigraph + networkx build of the same network; then, in
  CPU seconds, ``to_networkx`` and ``export --format graphml / gexf`` against the hand build and
  networkx's writers (``export_bench.py``, checked equal, interleaved pairs);
- the cold CLI (``exograph query claims-about``) against the hand scripts (parse/load the ``.nt``,
  or open the same built store read-only, and run the same query), whole processes;
- at the largest size, loading the built ``.nt`` through ``--data`` against ``Store.bulk_load``.

Before the sizes, the cold CLI on the bundled graph: ``query claims-about`` against the hand
pyoxigraph script on the same cached store, in wall and CPU (user + system) medians.

Times are wall-clock medians of ``--reps`` runs (one run where a single run exceeds 10 s);
"> cap" means the run was stopped at the cap. Ratios are exograph / other: below 1 is faster.
Whole processes load exograph from bytecode, as an installed package does: with
``PYTHONDONTWRITEBYTECODE`` set, the benchmark gives them a bytecode folder of its own
(``PYTHONPYCACHEPREFIX``) and a warm-up run.
"""
from __future__ import annotations

import argparse
import os
import pickle
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from export_bench import compare as compare_network, hand_network  # noqa: E402  (beside this file)

PARAMS = {"entity": "exo:CD274", "text": "dendritic", "direction": "decreased", "publication": "fuhrmann2015"}
CURIES = {"exo:CD274": "https://w3id.org/exograph/entity/CD274"}
HAND_RDFLIB = """import sys, rdflib
g = rdflib.Graph(); g.parse(sys.argv[1], format="nt")
rows = list(g.query(open(sys.argv[2]).read(), initBindings={"entity": rdflib.URIRef(sys.argv[3])}))
print(len(rows))"""

HAND_STORE = """import sys, pyoxigraph as ox
s = ox.Store.read_only(sys.argv[1])
q = open(sys.argv[2]).read().replace("WHERE {", "WHERE { VALUES ?entity { <" + sys.argv[3] + "> }", 1)
print(len(list(s.query(q, default_graph=ox.NamedNode(sys.argv[4])))))"""

LOAD_DATA = "import sys, exograph; exograph.load(data=[sys.argv[1]])"
BULK_LOAD = "import sys, pyoxigraph as ox; ox.Store().bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES)"


def in_fork(work: Callable[[], object], cap: float) -> float | str | None:
    """Seconds that ``work()`` took in a forked child, None if it ran past ``cap`` (then killed), or its error."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        start = time.perf_counter()
        try:
            work()
            elapsed = time.perf_counter() - start
        except BaseException as error:  # report, never hang
            elapsed = f"{type(error).__name__}: {error}"[:80]
        os.write(write_fd, pickle.dumps(elapsed))
        os._exit(0)
    os.close(write_fd)
    import select

    ready = select.select([read_fd], [], [], cap)[0]
    data = os.read(read_fd, 4096) if ready else b""
    os.close(read_fd)
    if not ready:
        os.kill(pid, 9)
    os.waitpid(pid, 0)
    if not data:
        return None
    return pickle.loads(data)  # seconds, or the error's text


def median_time(work: Callable[[], object], reps: int, cap: float) -> float | None:
    times = []
    for _ in range(reps):
        elapsed = in_fork(work, cap)
        if elapsed is None or isinstance(elapsed, str):
            return elapsed
        times.append(elapsed)
        if elapsed > 10:
            break
    return statistics.median(times)


def bytecode_env(env: dict | None, work: Path) -> dict:
    """``env`` (default: this one) in which Python may keep bytecode, in ``work`` if the environment forbids writing it."""
    env = dict(os.environ if env is None else env)
    if env.pop("PYTHONDONTWRITEBYTECODE", None):
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def process(args: list[str], reps: int = 1, env: dict | None = None) -> tuple[float, float, float]:
    """Median wall seconds, peak RSS (MiB) and median CPU seconds (user + system, children included) of a whole process."""
    walls, peaks, cpus = [], [], []
    for _ in range(reps):
        probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
                 "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
                 "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
                 "print(time.perf_counter() - t, u.ru_maxrss, r.returncode, u.ru_utime + u.ru_stime)")
        out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, env=env).stdout.split()
        if out[2] != "0":
            raise RuntimeError(f"{' '.join(args)} exited {out[2]}")
        walls.append(float(out[0]))
        peaks.append(int(out[1]) / 1024)
        cpus.append(float(out[3]))
    return statistics.median(walls), max(peaks), statistics.median(cpus)


def instructions(args: list[str], env: dict | None = None) -> int | None:
    """Instructions the process itself executes (valgrind's cachegrind, whose count a loaded machine does
    not change; a forked query worker's own share is small and not counted), or None without valgrind."""
    if not shutil.which("valgrind"):
        return None
    run = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *args],
                         capture_output=True, text=True, env=dict(env or os.environ, PYTHONHASHSEED="0"))
    counts = [int(line.split()[-1].replace(",", "")) for line in run.stderr.splitlines() if "I   refs" in line]
    return max(counts) if counts else None


def fmt(seconds: float | str | None, cap: float) -> str:
    if isinstance(seconds, str):
        return "error: " + seconds.split(":")[0]
    if seconds is None:
        return f"> {cap:g} s"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def ratio(ours: float | str | None, other: float | str | None, cap: float) -> str:
    if ours is None or isinstance(ours, str) or isinstance(other, str):
        return "–"
    if other is None:
        return f"< {ours / cap:.3f}x"
    return f"{ours / other:.2f}x"


def with_values(text: str, value: str, name: str) -> str:
    return text.replace("WHERE {", f"WHERE {{ VALUES ?{name} {{ {value} }}", 1)


def bench_size(size: int, args, work: Path) -> list[str]:
    import pyoxigraph as ox
    import rdflib

    import exograph
    from exograph.queries import named_queries
    from exograph.store import CURATED_GRAPH

    cap, reps = args.cap, args.reps
    folder, out = work / f"ont_{size}", work / f"out_{size}"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_ontology.py"), str(size), str(folder)], check=True,
                   stdout=subprocess.DEVNULL)
    env = bytecode_env(dict(os.environ, EXOGRAPH_CACHE=str(work / f"cache_{size}"), PYTHONPATH=str(ROOT)), work)
    os.environ["EXOGRAPH_CACHE"] = env["EXOGRAPH_CACHE"]
    build_wall, build_peak, _ = process([sys.executable, "-m", "exograph", "build", "-o", str(out), "--ontology", str(folder)], env=env)
    nt = out / "exograph.nt"
    triples = sum(1 for _ in nt.open("rb"))
    lines = [f"### {size:,} claims ({triples:,} triples)", "",
             f"`exograph build` (validate + ttl, nt, jsonld + store): {build_wall:.1f} s wall, {build_peak:,.0f} MiB peak", "",
             "| work | exograph | plain rdflib | raw pyoxigraph | ÷ rdflib | ÷ pyoxigraph |", "|---|---:|---:|---:|---:|---:|"]

    def row(name: str, ours: float | None, theirs_rdflib: float | None, theirs_ox: float | None, ours_cap: float = cap,
            rdflib_cap: float = cap) -> None:
        lines.append(f"| {name} | {fmt(ours, ours_cap)} | {fmt(theirs_rdflib, rdflib_cap)} | {fmt(theirs_ox, cap)} | "
                     f"{ratio(ours, theirs_rdflib, rdflib_cap)} | {ratio(ours, theirs_ox, cap)} |")

    kg = exograph.load(folder)
    t_load = median_time(lambda: exograph.load(folder), reps, cap)
    t_rdflib_load = median_time(lambda: rdflib.Graph().parse(nt, format="nt"), 1, cap)
    t_ox_load = median_time(lambda: ox.Store().bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES), reps, cap)
    row("load (exograph: open the built store)", t_load, t_rdflib_load, t_ox_load)

    graph = None
    if t_rdflib_load is not None:
        graph = rdflib.Graph()
        graph.parse(nt, format="nt")
    raw = ox.Store.read_only(str(out / "store" / "oxigraph"))
    curated = ox.NamedNode(CURATED_GRAPH)  # the built store holds the graph in this named graph
    for name, query in named_queries(folder / "queries").items():
        if args.queries and name not in args.queries:
            continue
        params = {p: PARAMS[p] for p in query.params}
        ours = median_time(lambda: kg.run(name, params), reps, cap)
        init = {p: (rdflib.URIRef(CURIES[v]) if v in CURIES else rdflib.Literal(v)) for p, v in params.items()}
        text = query.text
        for p, v in params.items():
            text = with_values(text, f"<{CURIES[v]}>" if v in CURIES else f'"{v}"', p)
        theirs_rdflib = median_time(lambda: list(graph.query(query.text, initBindings=init)), reps, args.rdflib_cap) \
            if graph is not None else None
        theirs_ox = median_time(lambda: list(raw.query(text, default_graph=curated)), reps, cap)
        row(f"query {name}", ours, theirs_rdflib, theirs_ox, rdflib_cap=args.rdflib_cap)

    stems = {prefix: p.expansion for prefix, p in kg.prefixes.prefixes.items()}

    def rdflib_network() -> None:
        from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

        rdflib_to_networkx_multidigraph(graph)

    row("to_networkx (rdflib: its converter, every triple an edge; pyoxigraph: the same network by hand)",
        median_time(kg.to_networkx, reps, cap), median_time(rdflib_network, reps, cap) if graph is not None else None,
        median_time(lambda: hand_network(raw, curated, stems), reps, cap))

    query_file = folder / "queries" / "claims-about.rq"
    cli = [sys.executable, "-m", "exograph", "query", "claims-about", "--param", "entity=exo:CD274", "--ontology", str(folder)]
    process(cli, 1, env)  # bytecode written, store opened once
    ours_cli = process(cli, args.cli_reps, env)[0]
    hand_rdflib = process([sys.executable, "-c", HAND_RDFLIB, str(nt), str(query_file), CURIES["exo:CD274"]],
                          args.cli_reps if size <= 10_000 else 1)[0]
    hand_ox = process([sys.executable, "-c", HAND_STORE, str(out / "store" / "oxigraph"), str(query_file),
                       CURIES["exo:CD274"], CURATED_GRAPH], args.cli_reps)[0]
    row("cold CLI `query claims-about` (whole process; pyoxigraph: the same store, read-only)", ours_cli, hand_rdflib,
        hand_ox, ours_cap=600, rdflib_cap=600)
    if size == max(args.sizes):
        # the size's N-Triples as outside data beside the bundled graph, against a bare bulk load of the same file,
        # each a whole process (a forked child of this one can hang in pyoxigraph's loader threads)
        bundled = dict(env, EXOGRAPH_CACHE=str(work / "cache_bundled"))
        process([sys.executable, "-c", "import exograph; exograph.load()"], 1, bundled)  # the bundled store, built once
        data_load = process([sys.executable, "-c", LOAD_DATA, str(nt)], reps, bundled)[0]
        bulk = process([sys.executable, "-c", BULK_LOAD, str(nt)], reps)[0]
        row(f"`load(data=[N-Triples])` beside the bundled graph vs `Store.bulk_load`, whole processes ({triples:,} triples)",
            data_load, None, bulk, ours_cap=cap * 5)
    lines += ["", f"The claim network in CPU seconds, in this process (medians of {reps} interleaved pairs; the hand "
              "build is checked equal to `to_networkx`, attribute order included):", "",
              "| work | exograph | hand pyoxigraph + networkx | ratio |", "|---|---:|---:|---:|"]
    lines += [f"| {work} | {ours:.2f} s | {theirs:.2f} s | {ratio_:.2f}x |"
              for work, ours, theirs, ratio_ in compare_network(kg, out / "store", reps)]
    del graph, raw, kg
    return lines + [""]


def cold_cli(reps: int, work: Path) -> list[str]:
    """The fixed cost of a command on the bundled graph: ``--help``, ``queries``, and ``query claims-about``
    against the hand pyoxigraph script on the same cached store, whole processes."""
    env = bytecode_env(dict(os.environ, PYTHONPATH=str(ROOT), EXOGRAPH_CACHE=str(work / "cache_bundled")), work)
    where = ("from exograph.api import load; from exograph.cache import cache_root, store_key; kg = load(); "
             "print(cache_root() / store_key(kg.layout) / 'oxigraph'); print(kg.layout.queries / 'claims-about.rq')")
    store, query_file = subprocess.run([sys.executable, "-c", where], capture_output=True, text=True, env=env,
                                       check=True).stdout.split("\n")[:2]  # builds the bundled store once
    from exograph.store import CURATED_GRAPH

    bare = process([sys.executable, "-c", "pass"], reps)
    lines = ["Cold commands on the bundled graph (whole processes, wall / CPU medians):", ""]
    for command in (["--help"], ["queries"]):
        process([sys.executable, "-m", "exograph", *command], 1, env)  # bytecode written
        wall, _, cpu = process([sys.executable, "-m", "exograph", *command], reps, env)
        lines.append(f"- `exograph {command[0]}`: {wall:.3f} s / {cpu:.3f} s CPU (a bare `python -c pass`: "
                     f"{bare[0]:.3f} s / {bare[2]:.3f} s)")
    ours = process([sys.executable, "-m", "exograph", "query", "claims-about", "--param", "entity=exo:CD274"], reps, env)
    hand = process([sys.executable, "-c", HAND_STORE, store, query_file, CURIES["exo:CD274"], CURATED_GRAPH], reps)
    lines.append(f"- `exograph query claims-about --param entity=exo:CD274`: {ours[0]:.3f} s / {ours[2]:.3f} s CPU; the "
                 f"hand pyoxigraph script on the same store: {hand[0]:.3f} s / {hand[2]:.3f} s CPU; ratio "
                 f"{ours[0] / hand[0]:.2f}x wall, {ours[2] / hand[2]:.2f}x CPU (goal: at most 2.0x)")
    ours_ir = instructions([sys.executable, "-m", "exograph", "query", "claims-about", "--param", "entity=exo:CD274"], env)
    hand_ir = instructions([sys.executable, "-c", HAND_STORE, store, query_file, CURIES["exo:CD274"], CURATED_GRAPH], env)
    if ours_ir and hand_ir:
        lines.append(f"- the same in instructions (cachegrind): {ours_ir / 1e6:.0f}M against {hand_ir / 1e6:.0f}M, "
                     f"{ours_ir / hand_ir:.2f}x")
    return lines + [""]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    import pyoxigraph
    import rdflib

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
            f"pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}; load average {load:.1f} at the start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--cap", type=float, default=120.0, help="seconds before a run is stopped (default 120)")
    parser.add_argument("--rdflib-cap", type=float, default=None, help="cap for rdflib queries (default: --cap)")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--cli-reps", type=int, default=9)
    parser.add_argument("--queries", nargs="+", metavar="NAME", help="only these named queries (default: all)")
    parser.add_argument("--readme", type=Path, help="also write the tables into this Markdown file")
    args = parser.parse_args()
    args.rdflib_cap = args.rdflib_cap or args.cap
    lines = ["## Figures", "", f"Machine: {machine()}.", f"Caps: {args.cap:g} s (rdflib queries {args.rdflib_cap:g} s); "
             f"medians of {args.reps} runs (CLI: {args.cli_reps}).", ""]
    work = Path(tempfile.mkdtemp(prefix="exograph-bench-"))
    try:
        lines += cold_cli(args.cli_reps, work)
        print("\n".join(lines), flush=True)
        for size in args.sizes:
            table = bench_size(size, args, work)
            print("\n".join(table), flush=True)
            lines += table
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = "\n".join(lines)
    if args.readme:
        # the "## Figures" section is replaced up to the next "---" rule; what follows it stays
        before, _, rest = args.readme.read_text(encoding="utf-8").partition("## Figures")
        after = rest.partition("\n---\n")[2]
        args.readme.write_text(before + text + "\n" + ("\n---\n" + after if after else ""), encoding="utf-8")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
