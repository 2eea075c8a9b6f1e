"""The interactive HTML view: one self-contained page of the claim network that works offline.

pyvis holds the node and edge lists (set directly: its ``add_edge`` is quadratic); the page is
our own template (``templates/view.html`` and ``view.js``) with vis-network's standalone script
and stylesheet, read from the installed pyvis, inlined. pyvis's own templates pull bootstrap and
vis-network from CDNs and its ``write_html`` may create ``lib/`` in the working directory, so
neither is used. This is the only module that imports pyvis.

Data reaches the page as JSON inside ``<script type="application/json">`` with ``<``, ``>`` and
``&`` escaped, and the page builds every element with DOM APIs and ``textContent``.
"""
from __future__ import annotations

import html
import json
import math
import re
import textwrap
from collections import Counter, deque
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from rdflib import DCTERMS, RDF, RDFS

from .atomic import write_text_atomic
from .mechanisms import evidence_weight, predicate_kinds
from .namespaces import EXOS, KNOWLEDGE_SOURCE, PrefixMap, resolver_url
from .normalise import tables as search_rules
from .paths import TEMPLATES_DIR, OntologyLayout

if TYPE_CHECKING:
    import networkx

    from .api import KnowledgeGraph

LAYOUT_THRESHOLD = 1500  # above this many nodes: layout computed in Python, physics off
LARGE_CLAIMS = 3000  # above this many claims (or LAYOUT_THRESHOLD nodes): no edge labels, no animations
ANIMATION_LIMIT = 500  # above this many nodes the view jumps instead of animating (vis animations are frame-counted)
EDGE_LABEL_SCALE = 1.2  # edge labels are drawn from this zoom scale up (small graphs only)
LARGE_LABEL_PX = 8  # large graphs: node labels smaller than this on screen are not drawn (unreadable, and costly by the thousand)
HUBS = 300  # nodes laid out by networkx's spring layout in the Python layout; the rest grow around them
SPACING = 40.0  # pixels between a node and its nearest placed neighbour in the Python layout
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
PHYSICS_BUDGET = 150_000  # node-iterations of physics before the first drawing (about 2 s in headless Chromium)
LINK_SCHEMES = ("https://", "http://")

# Claim facets the page filters by and shows as a claim's context: name -> (heading, edge attribute).
FACETS = {
    "predicate": ("Predicate", "predicate_label"),
    "publication": ("Publication", "publication_keys"),
    "evidence": ("Evidence", "evidence_label"),
    "model_system": ("Model system", "model_system"),
    "disease": ("Disease", "disease_context"),
    "species": ("Species", "species_context"),
    "phase": ("Clinical phase", "phase"),
    "topic": ("Topic", "topic"),
    "polarity": ("Polarity", "polarity"),
}
HUMANISED = frozenset({"model_system", "phase", "topic"})  # controlled notations: human_trial -> human trial
QUANTITIES = "quantities"  # edge attribute of quantitative values; attributes ending in QUALIFIER are qualifiers
QUALIFIER = "_qualifier"
CONTEXT_QUALIFIERS = frozenset({"disease_context_qualifier", "species_context_qualifier"})  # shown as facets
CITATION = re.compile(r"^(?P<authors>.+?) \((?P<year>\d{4})\) (?P<journal>[^\d]+?)(?:\s+(?:pp?\.\s*)?\d.*)?$")


@dataclass(frozen=True)
class View:
    """A rendered page; in Jupyter it shows inline as an ``<iframe srcdoc>`` (JupyterLab, classic, VS Code)."""

    page: str
    nodes: int
    claims: int
    path: Path | None = None
    height: int = 680

    def __repr__(self) -> str:
        where = f", written to {self.path}" if self.path else ""
        return f"<exograph view: {self.nodes} nodes, {self.claims} claims{where}>"

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.page, quote=True)}" title="exograph view" '
                f'style="width:100%;height:{self.height}px;border:1px solid #d0d7de" '
                'sandbox="allow-scripts allow-forms allow-downloads allow-popups allow-popups-to-escape-sandbox"></iframe>')


# ---------------------------------------------------------------- assets
@lru_cache(maxsize=None)
def _template(name: str) -> str:
    return (TEMPLATES_DIR / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _styles() -> dict:
    return json.loads(_template("styles.json"))


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's standalone script and stylesheet as shipped inside the installed pyvis (newest version)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    folder = max(lib.glob("vis-*"), key=lambda path: tuple(int(part) for part in re.findall(r"\d+", path.name)))
    return ((folder / "vis-network.min.js").read_text(encoding="utf-8"),
            (folder / "vis-network.css").read_text(encoding="utf-8"))


def _inline(text: str, tag: str) -> str:
    """Text safe inside ``<tag>``: a closing ``</tag`` becomes ``<\\/tag`` (same meaning in JS strings and CSS)."""
    return re.sub(f"</({tag})", r"<\\/\1", text, flags=re.IGNORECASE)


_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(value: Any) -> str:
    """JSON that cannot end or break out of the ``<script>`` element holding it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for character, escape in _JSON_ESCAPES:
        text = text.replace(character, escape)
    return text


# ---------------------------------------------------------------- layout
def _spiral(index: int, inner: float, step: float, turn: float = 0.0) -> tuple[float, float]:
    """The ``index``-th point of a sunflower spiral starting at radius ``inner`` in direction
    ``turn``, one point per ``step``² of area."""
    radius, angle = math.sqrt(inner ** 2 + index * step ** 2), turn + index * GOLDEN_ANGLE
    return radius * math.cos(angle), radius * math.sin(angle)


class _Grid:
    """Placed points in cells of :data:`SPACING`, to find a spot at least ``SPACING`` from all of them."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float]]] = {}

    def free(self, x: float, y: float) -> bool:
        cx, cy, limit = int(x // SPACING), int(y // SPACING), SPACING * SPACING
        for i in (-1, 0, 1):
            for j in (-1, 0, 1):
                for px, py in self.cells.get((cx + i, cy + j), ()):
                    if (x - px) ** 2 + (y - py) ** 2 < limit:
                        return False
        return True

    def add(self, x: float, y: float) -> None:
        self.cells.setdefault((int(x // SPACING), int(y // SPACING)), []).append((x, y))


def _grow(graph: "networkx.Graph", pos: dict[str, tuple[float, float]], roots: Iterable[str], grid: _Grid) -> None:
    """Place every node reachable from ``roots``, breadth first, on a spiral around its first
    placed neighbour that starts pointing away from where that neighbour was reached from, at
    the spiral's first spot at least :data:`SPACING` from every node placed before."""
    heading = dict.fromkeys(roots, 0.0)
    queue = deque(heading)
    while queue:
        node = queue.popleft()
        x, y = pos[node]
        children = [child for child in graph[node] if child not in pos]
        index = 0
        for child in children:
            misses = 0
            while True:  # outwards along the spiral, faster the longer it is crowded
                dx, dy = _spiral(index, SPACING, SPACING, heading[node])
                index += 1 + misses // 4
                if grid.free(x + dx, y + dy):
                    break
                misses += 1
            pos[child], heading[child] = (x + dx, y + dy), math.atan2(dy, dx)
            grid.add(*pos[child])
        queue.extend(children)


def hub_layout(network: "networkx.MultiDiGraph", seed: int = 1) -> dict[str, tuple[float, float]]:
    """Node positions for a large network in about linear time.

    networkx's layouts are O(n²) per iteration (spring layout: 63 s for 5,000 nodes here); so only the
    :data:`HUBS` best-connected nodes get it, every other node grows breadth first around its
    placed neighbours, no closer than :data:`SPACING` to any other (so that at zoom 1.0 the
    screen holds a few hundred nodes, not thousands), and components without a hub go on a
    spiral outside.
    """
    import networkx

    simple = networkx.Graph()
    simple.add_nodes_from(network)
    simple.add_edges_from((u, v) for u, v in network.edges() if u != v)
    order = sorted(simple, key=lambda node: (-simple.degree(node), node))
    scale = SPACING * math.sqrt(len(order))
    pos = {node: (x * scale, y * scale)
           for node, (x, y) in networkx.spring_layout(simple.subgraph(order[:HUBS]), seed=seed).items()}
    grid = _Grid()
    for point in pos.values():
        grid.add(*point)
    _grow(simple, pos, list(pos), grid)
    ring, placed_roots = max(math.hypot(x, y) for x, y in pos.values()) + 4 * SPACING, 0
    for root in order:
        if root not in pos:
            while not grid.free(*(point := _spiral(placed_roots, ring, 3 * SPACING))):
                placed_roots += 1
            pos[root] = point
            grid.add(*point)
            placed_roots += 1
            _grow(simple, pos, [root], grid)
    return pos


# ---------------------------------------------------------------- network -> page data
def _link(curie: str, prefixes: PrefixMap, text: str | None = None) -> dict:
    """``{text, url}`` for an identifier; ``url`` is None unless it is an http(s) page outside
    exograph's own namespace (whose w3id redirect is not registered)."""
    prefix, _, local = curie.partition(":")
    declared = prefixes.prefixes.get(prefix)
    url = resolver_url(declared.expansion + local if declared else curie)
    usable = url.startswith(LINK_SCHEMES) and not url.startswith(str(KNOWLEDGE_SOURCE))
    return {"text": text or curie, "url": url if usable else None}


def human(text: str) -> str:
    """A controlled value as words: ``human_trial`` -> ``human trial``."""
    return text.replace("_", " ")


def _values(value: str | list[str] | None, labels: Mapping[str, str], humanise: bool = False) -> list[str]:
    """A facet's values as display text (entity CURIEs by their labels, notations as words)."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    return [human(item) if humanise else labels.get(item, item) for item in items]


def _style(category_curie: str | None) -> dict:
    styles = _styles()
    return styles["categories"].get((category_curie or "").partition(":")[2], styles["default"])


def _node_color(color: str) -> dict:
    border = _styles()["border"]
    return {"background": color, "border": border, "highlight": {"background": color, "border": _styles()["highlight"]},
            "hover": {"background": color, "border": border}}


def _node_item(network: "networkx.MultiDiGraph", node: str, data: dict) -> dict:
    style = _style(data.get("category_curie"))
    return {"id": node, "label": data.get("label") or node, "shape": style["shape"], "color": _node_color(style["color"]),
            "value": network.degree(node)}


def _node_details(node: str, data: dict, prefixes: PrefixMap, labels: Mapping[str, str]) -> dict:
    links = [_link(curie, prefixes, f"{curie} ({relation})")
             for relation, key in (("exact match", "exact_matches"), ("close match", "close_matches"))
             for curie in data.get(key, [])]
    return {"label": data.get("label") or node, "category": data.get("category") or "entity",
            "definition": data.get("definition"), "synonyms": data.get("synonyms", []), "links": links,
            "broader": [{"id": curie, "label": labels.get(curie, curie)} for curie in data.get("broader", [])]}


def _curve(index: int, flipped: bool, loop: bool) -> dict:
    """vis options keeping the ``index``-th claim between the same two nodes apart from the others."""
    if loop:
        return {"selfReference": {"size": 20 + 12 * index}}
    if not index:
        return {}
    clockwise = (index % 2 == 1) != flipped
    return {"smooth": {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                       "roundness": 0.2 * ((index + 1) // 2)}}


def conflicts(network: "networkx.MultiDiGraph") -> set[tuple[str, str]]:
    """(subject, object) pairs with both a positive and a negative claim."""
    polarities: dict[tuple[str, str], set] = {}
    for u, v, polarity in network.edges(data="polarity"):
        if polarity in ("positive", "negative"):
            polarities.setdefault((u, v), set()).add(polarity)
    return {pair for pair, seen in polarities.items() if len(seen) == 2}


def _edge_items(network: "networkx.MultiDiGraph", large: bool) -> list[dict]:
    """vis edges: colour, dash and arrowhead by polarity (negative: dashed, flat bar), wider where claims conflict."""
    styles, seen, items, conflicting = _styles(), Counter(), [], conflicts(network)
    for u, v, key, data in network.edges(keys=True, data=True):
        pair = (u, v) if u <= v else (v, u)
        style = styles["polarity"].get(data.get("polarity") or "", styles["edge"])
        item = {"id": key, "from": u, "to": v,
                "color": {"color": style["color"], "hover": style["color"], "highlight": styles["highlight"]},
                "arrows": {"to": {"enabled": True, "type": style["arrow"]}}, **_curve(seen[pair], pair != (u, v), u == v)}
        if not large:
            item["label"] = data.get("predicate_label") or data.get("predicate")
            if style["dashes"]:
                item["dashes"] = style["dashes"]
        if (u, v) in conflicting:
            item["width"] = styles["conflict_width"]
        items.append(item)
        seen[pair] += 1
    return items


def _qualifiers(data: Mapping[str, Any], labels: Mapping[str, str]) -> list[list[str]]:
    """``[label, value]`` for every ``*_qualifier`` attribute (but the contexts shown as facets) and ``quantities``."""
    rows = []
    for name in sorted(data):
        value = data[name]
        if value in (None, "", []) or name in CONTEXT_QUALIFIERS or not (name.endswith(QUALIFIER) or name == QUANTITIES):
            continue
        items = value.split("|") if isinstance(value, str) and name == QUANTITIES else [value] if isinstance(value, str) else value
        heading = "Quantities" if name == QUANTITIES else human(name.removesuffix(QUALIFIER)).capitalize()
        rows.append([heading, "; ".join(labels.get(item, human(item)) if name != QUANTITIES else item for item in items)])
    return rows


def _short_evidence(label: str | None) -> str | None:
    return label.removesuffix(" used in manual assertion") if label else label


def _edge_details(data: dict, prefixes: PrefixMap, labels: Mapping[str, str], publications: Mapping[str, dict],
                  symmetric: set[str]) -> dict:
    sources = data.get("publications", [])
    facets = {name: values for name, (_, attribute) in FACETS.items()
              if (values := _values(data.get(attribute), labels, name in HUMANISED))}
    if sources:
        facets["publication"] = [publications[curie]["text"] for curie in sources]
    if "evidence" in facets:
        facets["evidence"] = [_short_evidence(value) for value in facets["evidence"]]
    return {"predicate": data.get("predicate_label") or data.get("predicate"), "paraphrase": data.get("paraphrase"),
            "predicate_curie": data.get("predicate"), "evidence_code": data.get("evidence"),
            "evidence": _link(data["evidence"], prefixes, data.get("evidence_label")) if data.get("evidence") else None,
            "sources": sources, "weight": evidence_weight(data.get("evidence")),
            "polarity": data.get("polarity"), "symmetric": data.get("predicate") in symmetric,
            "facets": facets, "qualifiers": _qualifiers(data, labels)}


def _cited(network: "networkx.MultiDiGraph", prefixes: PrefixMap, publications: Mapping[str, dict]) -> dict[str, dict]:
    """Every publication the claims cite, from ``publications`` or else as its curation key and a link."""
    cited = {}
    for _, _, data in network.edges(data=True):
        for key, curie in zip(data.get("publication_keys", []), data.get("publications", [])):
            cited[curie] = publications.get(curie) or {"text": key, "citation": key, "key": key, "links": [_link(curie, prefixes)],
                                                        "pmid": curie.removeprefix("PMID:") if curie.startswith("PMID:") else None,
                                                        "doi": None, "note": None}
    return dict(sorted(cited.items()))


def _legend(details: Mapping[str, dict], network: "networkx.MultiDiGraph") -> list[dict]:
    """One entry per category present, in the style table's order, with its node count."""
    styles = _styles()
    order = {name: index for index, name in enumerate(styles["categories"])}
    counts = Counter((details[node]["category"], curie or "") for node, curie in network.nodes(data="category_curie"))
    entries = sorted(counts, key=lambda entry: (order.get(entry[1].partition(":")[2], len(order)), entry[0]))
    return [{"category": category, "count": counts[category, curie], "color": _style(curie)["color"],
             "shape": _style(curie)["shape"], "glyph": styles["glyphs"][_style(curie)["shape"]]}
            for category, curie in entries]


def is_large(nodes: int, claims: int) -> bool:
    """Whether the page drops edge labels, dashes and animations to stay interactive."""
    return nodes > LAYOUT_THRESHOLD or claims > LARGE_CLAIMS


def _options(nodes: int, large: bool) -> dict:
    """vis-network options: physics that stabilises then stops (its iterations capped by
    :data:`PHYSICS_BUDGET`), or none above :data:`LAYOUT_THRESHOLD`, where positions come from Python.
    Edge labels are drawn only from zoom scale :data:`EDGE_LABEL_SCALE` up (vis skips a label
    whose on-screen size is under its ``drawThreshold`` minus one); on large graphs, node labels
    from :data:`LARGE_LABEL_PX` on screen."""
    label_size = 10
    return {
        "nodes": {"borderWidth": 1.5, "scaling": {"min": 8, "max": 36, "label": {"enabled": True, "min": 12, "max": 22,
                                                                            "drawThreshold": LARGE_LABEL_PX if large else 5}},
                  "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False, "width": 1.4,
                  "selectionWidth": 2,
                  "font": {"size": label_size, "strokeWidth": 3, "align": "middle"},
                  "scaling": {"label": {"drawThreshold": label_size * EDGE_LABEL_SCALE + 1}}},
        "interaction": {"hover": True, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large, "tooltipDelay": 100},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {"enabled": nodes <= LAYOUT_THRESHOLD, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -45, "centralGravity": 0.02, "springLength": 70,
                                         "avoidOverlap": 0.4},
                    "stabilization": {"iterations": max(100, min(300, PHYSICS_BUDGET // max(nodes, 1))),
                                      "updateInterval": 25, "fit": True}},
    }


def _pyvis_network(nodes: list[dict], edges: list[dict], options: dict, title: str):
    """A pyvis Network holding the lists as given (``add_node`` / ``add_edge`` would check each one: quadratic)."""
    from pyvis.network import Network

    net = Network(directed=True, heading=title)
    net.nodes, net.edges, net.options = nodes, edges, options
    net.node_ids = [node["id"] for node in nodes]
    net.node_map = {node["id"]: node for node in nodes}
    return net


def _groups(network: "networkx.MultiDiGraph") -> list[list[str]]:
    """Claims with the same subject, predicate and object (replications), in claim order."""
    grouped: dict[tuple, list[str]] = {}
    for u, v, key, predicate in network.edges(keys=True, data="predicate"):
        grouped.setdefault((u, predicate, v), []).append(key)
    return list(grouped.values())


def page_data(network: "networkx.MultiDiGraph", title: str, prefixes: PrefixMap, labels: Mapping[str, str],
              publications: Mapping[str, dict] | None = None, symmetric: Iterable[str] = ()) -> dict:
    """Everything the page shows: vis node and edge lists, options, legend, facets and the panels' details."""
    nodes = [_node_item(network, node, data) for node, data in network.nodes(data=True)]
    large = is_large(len(nodes), network.number_of_edges())
    if len(nodes) > LAYOUT_THRESHOLD:
        positions = hub_layout(network)
        for node in nodes:
            node["x"], node["y"] = (round(value, 1) for value in positions[node["id"]])
    net = _pyvis_network(nodes, _edge_items(network, large), _options(len(nodes), large), title)
    node_details = {node: _node_details(node, data, prefixes, labels) for node, data in network.nodes(data=True)}
    symmetric, conflicting, cited = set(symmetric), conflicts(network), _cited(network, prefixes, publications or {})
    edges = {key: _edge_details(data, prefixes, labels, cited, symmetric)
             for _, _, key, data in network.edges(keys=True, data=True)}
    for u, v, key in network.edges(keys=True):
        edges[key]["conflict"] = (u, v) in conflicting
    return {
        "title": net.heading, "options": net.options, "nodes": net.nodes, "edges": net.edges, "large": large,
        "animate": len(nodes) <= ANIMATION_LIMIT and not large,
        "legend": _legend(node_details, network), "styles": {key: _styles()[key] for key in ("polarity", "edge", "glyphs", "border", "border_dark", "highlight", "highlight_dark")},
        "normalise": search_rules(),
        "facets": [{"name": name, "heading": heading} for name, (heading, _) in FACETS.items()],
        "groups": _groups(network),
        "publications": cited,
        "details": {"nodes": node_details, "edges": edges},
    }


def citation(text: str) -> str:
    """First author, year and journal of a citation such as ``Chen G et al. (2018) Nature 560(7718):382-386``."""
    match = CITATION.match(text.strip())
    return f"{match['authors']} ({match['year']}) {match['journal'].strip()}" if match else text


def publication_index(kg: "KnowledgeGraph") -> dict[str, dict]:
    """Each publication by CURIE: its short citation (first author, year, journal), full citation,
    PMID, DOI, links to PubMed and the DOI, and the curators' verification note."""
    index = {}
    for node, _, _ in kg.store.triples(None, RDF.type, EXOS.Publication):
        values = {predicate: str(obj) for _, predicate, obj in kg.store.triples(node, None, None)}
        full = values.get(DCTERMS.bibliographicCitation) or values.get(RDFS.label) or kg.prefixes.compress(node)
        links = [_link(f"{prefix}:{values[slot]}", kg.prefixes, name)
                 for slot, prefix, name in ((EXOS.pmid, "PMID", "PubMed"), (EXOS.doi, "DOI", "DOI")) if slot in values]
        index[kg.prefixes.compress(node)] = {"text": citation(full), "citation": full, "key": values.get(EXOS.curationKey),
                                             "links": links, "pmid": values.get(EXOS.pmid), "doi": values.get(EXOS.doi),
                                             "note": values.get(EXOS.verification)}
    return index


def render_html(network: "networkx.MultiDiGraph", title: str = "exograph", prefixes: PrefixMap | None = None,
                labels: Mapping[str, str] | None = None, publications: Mapping[str, dict] | None = None,
                symmetric: Iterable[str] = ()) -> str:
    """The page for a claim network (as :func:`exograph.network.to_networkx` returns it).

    ``prefixes`` turns identifier CURIEs into links (default: the bundled prefix map); ``labels``
    names context entities that are not nodes (default: the network's own labels);
    ``publications`` gives citations (see :func:`publication_index`; without it a publication
    shows as its key); ``symmetric`` names the predicates a path may read both ways.
    """
    prefixes = prefixes or PrefixMap.read(OntologyLayout().prefixes)
    labels = labels if labels is not None else {node: label for node, label in network.nodes(data="label") if label}
    parts = {
        "TITLE": html.escape(title),
        "VIS_CSS": _inline(_vis_assets()[1], "style"),
        "VIS_JS": _inline(_vis_assets()[0], "script"),
        "APP_JS": _inline(_template("view.js"), "script"),
        "DATA": script_json(page_data(network, title, prefixes, labels, publications, symmetric)),
    }
    return re.sub(r"@@([A-Z_]+)@@", lambda match: parts[match[1]], _template("view.html"))


# ---------------------------------------------------------------- graph -> file
def _labels(kg: "KnowledgeGraph") -> dict[str, str]:
    """Every labelled term of the graph by CURIE, to name context entities outside a selection."""
    return {kg.prefixes.compress(term): str(label) for term, _, label in kg.store.triples(None, RDFS.label, None)}


def _title(selection: Mapping[str, Any]) -> str:
    parts = [f"{name} {value if isinstance(value, (str, int)) else ', '.join(value)}"
             for name, value in selection.items() if value is not None]
    return textwrap.shorten("exograph" + (": " + "; ".join(parts) if parts else ""), 120)


def make_view(kg: "KnowledgeGraph", path: Path | str | None = None, *, focus: str | None = None,
              hops: int | None = None, categories: str | Iterable[str] | None = None,
              predicates: str | Iterable[str] | None = None, query: str | None = None) -> View:
    """Render the claim network (or the selection, see :func:`exograph.network.to_networkx`) and
    write it atomically to ``path`` if one is given."""
    network = kg.to_networkx(categories, predicates, focus, hops, query)
    title = _title({"focus": focus, "hops": hops, "category": categories, "predicate": predicates, "query": query})
    page = render_html(network, title, kg.prefixes, _labels(kg), publication_index(kg), predicate_kinds(kg)[0])
    written = write_text_atomic(path, page) if path is not None else None
    return View(page, network.number_of_nodes(), network.number_of_edges(), written)


def write_view(kg: "KnowledgeGraph", path: Path | str, focus: str | None = None, hops: int | None = None,
               categories: str | Iterable[str] | None = None, predicates: str | Iterable[str] | None = None,
               query: str | None = None) -> Path:
    """Write the view to ``path`` (one self-contained HTML file, nothing beside it) and return the path."""
    view = make_view(kg, path, focus=focus, hops=hops, categories=categories, predicates=predicates, query=query)
    return view.path
