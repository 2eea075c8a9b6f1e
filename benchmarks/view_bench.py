"""The HTML view at 1k, 5k and 20k nodes in headless Chromium (network blocked; ``--disable-gpu``,
so the canvas is drawn in software): what a researcher waits for.

For each size it measures, on a synthetic claim network shaped like exograph's (scale-free, about
two claims per entity, some parallel claims, every category and claim attribute):

- write: network -> file (``render_html`` + atomic write, including the Python layout above
  ``LAYOUT_THRESHOLD``), and pyvis's own path (``add_node`` / ``add_edge`` + ``write_html``) with
  ``--baseline``, each step capped in time;
- first render: the first vis-network drawing after the page loaded (after physics stabilised,
  when physics is on), as ``performance.now()`` in the page;
- redraw at zoom 1.0: one ``network.redraw()`` centred on the busiest node at scale 1.0 (median of 3);
- search to panel: a CURIE typed, the search box's Enter key to the node's panel shown and the graph redrawn,
  in the page and as Playwright waits for it (wall);
- click to panel: a mouse click on a node to its panel shown and the graph redrawn (in page; wall);
- filter, reset, focus: choosing a predicate in the Predicate facet, then "Show everything", then
  "Focus neighbourhood" on the busiest node, each to the next drawing of the graph: in the page
  (from the click's pointerdown, or the choice) and wall (as Playwright waits, its own locating and
  polling included), and the longest task the page ran during these steps;
- memory: the page's JS heap and the resident memory of Chromium's renderer processes after use.

With ``--ontology N`` the page is instead ``exograph view`` of ``benchmarks/gen_ontology.py N``
(the real rows plus N synthetic claims), as ../shared/reports/view-2026-12.md measured it.

    python benchmarks/view_bench.py [--sizes 1000 5000 20000] [--ontology 15000] [--baseline] [--cap 90]

Figures of the evaluation that asked for this (../shared/reports/view-2026-11.md, section 3, same
machine class) are printed beside ours.
"""
from __future__ import annotations

import argparse
import json
import os
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
from exograph.viewer import LARGE_CLAIMS, LAYOUT_THRESHOLD, render_html  # noqa: E402
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


# Marks when the panel's content is replaced, when vis last drew after that, and when an
# animation (small graphs only) finished, for the in-page timings.
PANEL_WATCH = """
window.__bench = { start: 0, panel: 0, drawn: 0, finished: 0, lastDraw: 0, longest: 0 };
new PerformanceObserver((list) => list.getEntries().forEach((task) => {
  window.__bench.longest = Math.max(window.__bench.longest, task.duration); })).observe({ type: "longtask", buffered: true });
document.addEventListener("DOMContentLoaded", () => {
  new MutationObserver(() => { window.__bench.panel = performance.now(); })
    .observe(document.getElementById("panel-body"), { childList: true });
  const { network } = window.exograph;
  network.on("afterDrawing", () => {
    window.__bench.lastDraw = performance.now();
    if (window.__bench.panel) window.__bench.drawn = performance.now();
  });
  network.on("animationFinished", () => { window.__bench.finished = performance.now(); });
});
document.addEventListener("pointerdown", () => { window.__bench.start = performance.now(); }, true);
"""
DONE = """(animated) => { const b = window.__bench;
  return b.panel > b.start && b.drawn > b.panel && (!animated || !window.exograph.data.animate || b.finished > b.start); }"""
ARM = "() => { window.__bench.panel = 0; window.__bench.drawn = 0; window.__bench.finished = 0; }"
DRAWN = "() => window.__bench.lastDraw > window.__bench.start"


def until_drawn(page, action) -> tuple[float, float]:
    """Seconds from ``action`` (a user's step) to the next drawing of the graph: in the page, and wall."""
    page.evaluate("window.__bench.start = performance.now()")
    wall = time.perf_counter()
    action()
    page.wait_for_function(DRAWN, polling=20)
    wall = time.perf_counter() - wall
    return page.evaluate("window.__bench.lastDraw - window.__bench.start") / 1000, wall


def renderer_rss_mb() -> float:
    """Resident memory of this process tree's Chromium renderer processes, in MB (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            children.setdefault(int(fields["PPid"]), []).append(int(fields["Pid"]))
        except (OSError, KeyError, ValueError):
            continue
    total, stack = 0, list(children.get(os.getpid(), []))
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            if b"--type=renderer" in Path(f"/proc/{pid}/cmdline").read_bytes():
                rss = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmRSS"))
                total += int(rss.split()[1]) / 1024
        except (OSError, StopIteration):
            continue
    return total


def interact(browser, path: Path, cap: float) -> dict[str, float]:
    """Open the page once and time what a researcher does: redraw at zoom 1.0, search, click; then memory."""
    record = open_page(browser, path, PANEL_WATCH, timeout_ms=cap * 1000)
    page = record.page
    page.wait_for_selector("body[data-state=ready]")
    hub = page.evaluate("window.exograph.data.nodes.reduce((a, b) => (b.value > a.value ? b : a)).id")
    redraws = page.evaluate("""(hub) => {
        const { network } = window.exograph;
        network.moveTo({ position: network.getPosition(hub), scale: 1.0 });
        return [0, 1, 2].map(() => { const t = performance.now(); network.redraw(); return performance.now() - t; });
    }""", hub)
    page.evaluate("window.exograph.network.fit()")
    middle = page.evaluate("window.exograph.data.nodes[window.exograph.data.nodes.length >> 1].id")  # typed as its CURIE: one exact hit
    page.fill("#search", middle)
    page.evaluate(ARM)
    wall = time.perf_counter()
    page.evaluate("window.__bench.start = performance.now()")
    page.press("#search", "Enter")
    page.wait_for_function(DONE, arg=True, polling=20)
    search_wall = time.perf_counter() - wall
    search_page = page.evaluate("Math.max(window.__bench.drawn, window.__bench.finished) - window.__bench.start")
    page.keyboard.press("Escape")
    point = page.evaluate("""(id) => {
        const { network } = window.exograph;
        network.fit({ animation: false });
        const at = network.canvasToDOM(network.getPosition(id));
        const box = document.getElementById("graph").getBoundingClientRect();
        return { x: box.left + at.x, y: box.top + at.y };
    }""", hub)
    page.evaluate(ARM)
    wall = time.perf_counter()
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function(DONE, arg=False, polling=20)
    click_wall = time.perf_counter() - wall
    click_page = page.evaluate("Math.max(window.__bench.drawn, window.__bench.finished) - window.__bench.start")
    page.keyboard.press("Escape")
    predicates = page.eval_on_selector_all("#facet-predicate option", "options => options.map(o => o.value).filter(Boolean)")
    chosen = "has component" if "has component" in predicates else predicates[0]
    page.evaluate("window.__bench.longest = 0")  # the steps below only
    filtering = until_drawn(page, lambda: page.select_option("#facet-predicate", chosen))
    resetting = until_drawn(page, lambda: page.click("#reset"))
    page.evaluate("(id) => window.exograph.selectNode(id)", hub)
    focusing = until_drawn(page, lambda: page.click("#panel .actions button:first-child"))  # Focus neighbourhood (a text= locator scans the panel: 1 s)
    longest = page.evaluate("window.__bench.longest") / 1000
    client = page.context.new_cdp_session(page)
    client.send("Performance.enable")
    heap = next(metric["value"] for metric in client.send("Performance.getMetrics")["metrics"] if metric["name"] == "JSHeapUsedSize")
    result = {"redraw": sorted(redraws)[1] / 1000, "search_page": search_page / 1000, "search_wall": search_wall,
              "click_page": click_page / 1000, "click_wall": click_wall, "heap": heap / 1e6, "rss": renderer_rss_mb(),
              "filter": filtering, "reset": resetting, "focus": focusing, "longest": longest,
              "clean": not (record.blocked or record.failed or record.errors)}
    page.close()
    return result


# The evaluation's figures at bda164b (view-2026-11.md section 3): render s, redraw at 1.0 s,
# search to panel s, click to panel in page s, click wall s, JS heap MB, renderer RSS after use MB.
BEFORE = {1000: (3.1, 0.038, 13.0, 0.031, 1.2, 40, 409), 5000: (1.8, 6.9, 62.5, 0.019, 0.2, 52, 687),
          20000: (11.0, 9.9, 245.0, 0.088, 1.3, 197, 1506)}


def seconds(value: float | None, cap: float) -> str:
    return f"> {cap:.0f}" if value is None else f"{value:.2f}"


def ratio(baseline: float | None, ours: float, cap: float) -> str:
    return f"> {cap / ours:.0f}x" if baseline is None else f"{baseline / ours:.1f}x"


# The December evaluation's wall times on `gen_ontology.py 15000` (view-2026-12.md section 5, load
# average 8-9): facet change, "Show everything", focus on the hub, longest task; seconds.
BEFORE_STEPS = {15000: (4.7, 7.8, 6.5, 5.4)}


def ontology_page(claims: int, folder: Path):
    """``exograph view`` of ``gen_ontology.py claims`` (the store build is not timed): the View and seconds to write it."""
    import exograph

    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "gen_ontology.py"), str(claims), str(folder / "ontology")],
                   check=True, capture_output=True)
    kg = exograph.load(folder / "ontology")
    kg.stats()  # builds the store
    start = time.perf_counter()
    view = kg.view(folder / f"view-{claims}.html")
    return view, time.perf_counter() - start


def measure(browser, page: Path, name: str, write: float, was: tuple | None, steps_was: tuple | None, cap: float) -> float | None:
    """Print one page's figures; return its first render in seconds."""
    render = first_render(browser, page, "window.exograph && window.exograph.renderedAt", None, cap)
    used = interact(browser, page, cap)
    rows = [("first render s", render, was and was[0]), ("redraw at zoom 1.0 s", used["redraw"], was and was[1]),
            ("search to panel s (in page)", used["search_page"], was and was[2]),
            ("search to panel s (wall)", used["search_wall"], was and was[2]),
            ("click to panel s (in page)", used["click_page"], was and was[3]), ("click to panel s (wall)", used["click_wall"], was and was[4]),
            *((f"{step} s ({where})", used[step][index], steps_was and steps_was[number] if index else None)
              for number, step in enumerate(("filter", "reset", "focus")) for index, where in enumerate(("in page", "wall"))),
            ("longest task s", used["longest"], steps_was and steps_was[3]),
            ("JS heap MB", used["heap"], was and was[5]), ("renderer RSS MB", used["rss"], was and was[6])]
    print(f"{name}, {page.stat().st_size / 1e6:.1f} MB, written in {write:.2f} s{'' if used['clean'] else ' (PAGE ERRORS)'}")
    for label, value, before in rows:
        shown = seconds(value, cap) if value is not None else "-"
        print(f"  {label:<30} {shown:>8}   was {f'{before:.3g}' if before else '-':>8}", flush=True)
    return render


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000, 20000])
    parser.add_argument("--ontology", type=int, nargs="*", default=[], metavar="CLAIMS",
                        help="also (or, with --sizes and no value, only) the view of gen_ontology.py CLAIMS")
    parser.add_argument("--baseline", action="store_true", help="also time pyvis's own write_html and its page")
    parser.add_argument("--cap", type=float, default=90, help="seconds allowed to each baseline step")
    parser.add_argument("--pyvis-write", nargs=2, metavar=("NODES", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pyvis_write:
        return pyvis_write(int(args.pyvis_write[0]), args.pyvis_write[1])
    if not chromium_path():
        sys.exit("chromium not found: apt-get install chromium")
    print(f"Headless Chromium, software rendering (--disable-gpu), network blocked; {os.cpu_count()} cores.")
    print(f"Python layout and no physics above {LAYOUT_THRESHOLD} nodes; no claim labels or animations above "
          f"{LAYOUT_THRESHOLD} nodes or {LARGE_CLAIMS} claims. 'was' = view-2026-11.md at bda164b "
          "(synthetic sizes), view-2026-12.md at d6a9732 (--ontology; wall, under load).\n")
    with tempfile.TemporaryDirectory() as tmp, offline_browser() as browser:
        for claims in args.ontology:
            view, write = ontology_page(claims, Path(tmp))
            measure(browser, view.path, f"gen_ontology.py {claims}: {view.nodes} nodes, {view.claims} claims", write, None,
                    BEFORE_STEPS.get(claims), args.cap)
        for size in args.sizes:
            graph = synthetic_network(size)
            ours, theirs = Path(tmp) / f"view-{size}.html", Path(tmp) / f"pyvis-{size}.html"
            start = time.perf_counter()
            write_text_atomic(ours, render_html(graph, f"synthetic {size}"))
            write = time.perf_counter() - start
            render = measure(browser, ours, f"{size} nodes, {graph.number_of_edges()} claims", write, BEFORE.get(size), None, args.cap)
            if args.baseline:
                baseline_write = time_baseline_write(size, theirs, args.cap)
                baseline_render = (first_render(browser, theirs, "window.firstDraw", PYVIS_FIRST_DRAW, args.cap)
                                   if baseline_write is not None else None)
                print(f"  pyvis write_html s {seconds(baseline_write, args.cap)} ({ratio(baseline_write, write, args.cap)} ours); "
                      f"pyvis first render s {seconds(baseline_render, args.cap)}"
                      + (f" ({ratio(baseline_render, render, args.cap)} ours)" if render else ""), flush=True)


if __name__ == "__main__":
    main()
