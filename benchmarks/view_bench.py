"""The HTML view at 1k, 5k and 20k nodes: time to write the page and to first render it in headless
Chromium (network blocked), against pyvis's own path (``add_node`` / ``add_edge`` + ``write_html``,
pyvis's defaults), each step of the baseline capped in time.

Graphs are synthetic claim networks shaped like exograph's (scale-free, about two claims per
entity, some parallel claims, every category and claim attribute). "Write" is the network ->
file step (``render_html`` + atomic write, including the Python layout above
``LAYOUT_THRESHOLD``). "First render" is the first vis-network drawing after the page loaded
(after physics stabilised, when physics is on), as ``performance.now()`` in the page.

    python benchmarks/view_bench.py [--sizes 1000 5000 20000] [--cap 90]
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from exograph.atomic import write_text_atomic  # noqa: E402
from exograph.paths import TEMPLATES_DIR  # noqa: E402
from exograph.viewer import LAYOUT_THRESHOLD, render_html  # noqa: E402
from offline_browser import chromium_path, offline_browser, open_page  # noqa: E402

MODEL_SYSTEMS = ["in_vitro", "mouse", "human_trial", "review"]
PREDICATES = ["positively regulates", "negatively regulates", "has component", "treats", "produced by"]
# Records when pyvis's page first draws: its template assigns the global `network`.
PYVIS_FIRST_DRAW = """
(() => { let value;
  Object.defineProperty(window, "network", { configurable: true, get: () => value, set: (v) => {
    value = v; if (v && v.once) v.once("afterDrawing", () => { window.firstDraw = performance.now(); }); } });
})();"""


def synthetic_network(nodes: int, seed: int = 7):
    """A claim network with the attributes of :func:`exograph.network.to_networkx`'s."""
    import networkx

    rng = random.Random(seed)
    categories = list(json.loads((TEMPLATES_DIR / "styles.json").read_text())["categories"])
    graph = networkx.MultiDiGraph()
    for i in range(nodes):
        category = categories[i % len(categories)]
        graph.add_node(f"exo:n{i}", kind="entity", label=f"entity {i}", category=category.lower(),
                       category_curie=f"exos:{category}", iri=f"https://w3id.org/exograph/entity/n{i}",
                       definition=f"Synthetic entity number {i}.", synonyms=[f"synonym {i}"],
                       exact_matches=[f"GO:{i:07d}"], close_matches=[], broader=[])
    pairs = list(networkx.barabasi_albert_graph(nodes, 2, seed=seed).edges())
    pairs += rng.sample(pairs, len(pairs) // 20)  # parallel claims
    for number, (u, v) in enumerate(pairs):
        source, target = (u, v) if rng.random() < 0.5 else (v, u)
        graph.add_edge(f"exo:n{source}", f"exo:n{target}", key=f"claim:c{number}",
                       predicate="exos:positivelyRegulates", predicate_label=rng.choice(PREDICATES),
                       publications=[f"PMID:{10_000_000 + number % 500}"], publication_keys=[f"paper{number % 500}"],
                       evidence="ECO:0000269", evidence_label="experimental evidence used in manual assertion",
                       paraphrase=f"Synthetic claim {number}: entity {source} acts on entity {target}.",
                       model_system=rng.choice(MODEL_SYSTEMS), disease_context=None, species_context=None,
                       phase=None, topic="immune", polarity=rng.choice(["positive", "negative", None]))
    return graph


def pyvis_write(nodes: int, path: str) -> None:
    """The baseline, run in a child process: pyvis's add_node / add_edge and write_html; prints seconds."""
    from pyvis.network import Network

    graph = synthetic_network(nodes)
    start = time.perf_counter()
    net = Network(directed=True, cdn_resources="in_line", height="900px")
    for node, data in graph.nodes(data=True):
        net.add_node(node, label=data["label"])
    for u, v, data in graph.edges(data=True):
        net.add_edge(u, v, label=data["predicate_label"])
    net.write_html(path)
    print(time.perf_counter() - start)


def time_baseline_write(nodes: int, path: Path, cap: float) -> float | None:
    """Seconds for pyvis's own path, or None past ``cap`` (run in a temporary folder: pyvis may write lib/ there)."""
    try:
        done = subprocess.run([sys.executable, __file__, "--pyvis-write", str(nodes), str(path)], cwd=path.parent,
                              capture_output=True, text=True, timeout=cap, check=True)
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout.split()[-1])


def first_render(browser, path: Path, ready: str, init_script: str | None, cap: float) -> float | None:
    """Seconds from navigation to the first drawing, or None past ``cap``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    record = open_page(browser, path, init_script, timeout_ms=cap * 1000, wait_until="commit")
    try:
        record.page.wait_for_function(f"{ready} !== undefined", timeout=cap * 1000, polling=100)
        return record.page.evaluate(ready) / 1000
    except PlaywrightTimeout:
        return None
    finally:
        record.page.close()


def seconds(value: float | None, cap: float) -> str:
    return f"> {cap:.0f}" if value is None else f"{value:.2f}"


def ratio(baseline: float | None, ours: float, cap: float) -> str:
    return f"> {cap / ours:.0f}x" if baseline is None else f"{baseline / ours:.1f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--cap", type=float, default=90, help="seconds allowed to each baseline step")
    parser.add_argument("--pyvis-write", nargs=2, metavar=("NODES", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pyvis_write:
        return pyvis_write(int(args.pyvis_write[0]), args.pyvis_write[1])
    if not chromium_path():
        sys.exit("chromium not found: apt-get install chromium")
    print(f"Python layout and no physics above {LAYOUT_THRESHOLD} nodes; baseline steps capped at {args.cap:.0f} s\n")
    print(f"{'nodes':>6} {'claims':>7} {'MB':>5} | {'write s':>8} {'pyvis s':>8} {'ratio':>7} | "
          f"{'render s':>8} {'pyvis s':>8} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as tmp, offline_browser() as browser:
        for size in args.sizes:
            graph = synthetic_network(size)
            ours, theirs = Path(tmp) / f"view-{size}.html", Path(tmp) / f"pyvis-{size}.html"
            start = time.perf_counter()
            write_text_atomic(ours, render_html(graph, f"synthetic {size}"))
            write = time.perf_counter() - start
            baseline_write = time_baseline_write(size, theirs, args.cap)
            render = first_render(browser, ours, "window.exograph && window.exograph.renderedAt", None, args.cap)
            baseline_render = (first_render(browser, theirs, "window.firstDraw", PYVIS_FIRST_DRAW, args.cap)
                               if baseline_write is not None else None)
            print(f"{size:>6} {graph.number_of_edges():>7} {ours.stat().st_size / 1e6:>5.1f} | "
                  f"{write:>8.2f} {seconds(baseline_write, args.cap):>8} {ratio(baseline_write, write, args.cap):>7} | "
                  f"{seconds(render, args.cap):>8} {seconds(baseline_render, args.cap):>8} "
                  f"{ratio(baseline_render, render, args.cap) if render else '-':>7}", flush=True)


if __name__ == "__main__":
    main()
