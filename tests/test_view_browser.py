"""The HTML view in a real browser: headless Chromium (Debian's package) with the network blocked."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import TESTS
from offline_browser import chromium_path, offline_browser, open_page
from test_view import HOSTILE, write_hostile_copy

pytestmark = pytest.mark.slow
ARTIFACTS = TESTS / "artifacts"


def _require_browser() -> None:
    """Skip without Chromium or Playwright, except under CI=true, where their absence is a failure."""
    missing = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "the playwright package is not installed (pip install -e '.[test]')"
    if missing is None and chromium_path() is None:
        missing = "chromium is not installed (apt-get install chromium)"
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {missing}: .ci/run should have installed it")
    if missing:
        pytest.skip(f"browser tests skipped: {missing}")


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    with offline_browser() as launched:
        yield launched


def load(browser, page_path: Path):
    """Open the page, wait until vis has drawn it, and return its record."""
    record = open_page(browser, page_path, timeout_ms=30_000)
    record.page.wait_for_selector("body[data-state=ready]")
    return record


def assert_clean(record) -> None:
    assert record.blocked == [] and record.failed == [], "the page asked for online resources"
    assert record.errors == []
    assert record.dialogs == []


def close_panel(page) -> None:
    page.evaluate("document.getElementById('panel').hidden = true")


def screen_point(page, node: str) -> dict:
    """Where a node is drawn, in page coordinates."""
    return page.evaluate("""(id) => {
        const { network } = window.exograph;
        const point = network.canvasToDOM(network.getPosition(id));
        const box = document.getElementById("graph").getBoundingClientRect();
        return { x: box.left + point.x, y: box.top + point.y };
    }""", node)


def clickable_edge(page) -> dict | None:
    """A claim edge whose midpoint hits that edge and no node, with the point in page coordinates."""
    return page.evaluate("""() => {
        const { network, data } = window.exograph;
        const box = document.getElementById("graph").getBoundingClientRect();
        for (const edge of data.edges) {
            if (edge.from === edge.to || edge.smooth) continue;
            const [a, b] = [network.getPosition(edge.from), network.getPosition(edge.to)];
            const dom = network.canvasToDOM({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
            if (dom.x < 40 || dom.y < 40 || dom.x > box.width - 420 || dom.y > box.height - 40) continue;
            if (network.getNodeAt(dom) === undefined && network.getEdgeAt(dom) === edge.id)
                return { id: edge.id, x: box.left + dom.x, y: box.top + dom.y };
        }
        return null;
    }""")


@pytest.fixture(scope="module")
def real_page(browser, real_graph, tmp_path_factory):
    path = real_graph.view(tmp_path_factory.mktemp("view") / "view.html").path
    record = load(browser, path)
    yield record
    record.page.close()


@pytest.fixture(scope="module")
def tiny_page(browser, tiny_graph, tmp_path_factory):
    record = load(browser, tiny_graph.view(tmp_path_factory.mktemp("tiny") / "view.html").path)
    yield record
    record.page.close()


def test_real_graph_renders_offline_with_every_node(real_page, real_graph):
    stats = real_graph.stats()
    counts = real_page.page.evaluate("[window.exograph.nodes.length, window.exograph.edges.length]")
    assert counts == [stats["entities"], stats["claims"]]
    assert real_page.page.text_content("#counts").startswith(f"{stats['entities']} of {stats['entities']} nodes")
    ARTIFACTS.mkdir(exist_ok=True)
    real_page.page.screenshot(path=str(ARTIFACTS / "view.png"))
    assert_clean(real_page)


def test_clicking_a_node_opens_its_panel(real_page):
    page = real_page.page
    close_panel(page)
    hub = page.evaluate("window.exograph.data.nodes.reduce((a, b) => (b.value > a.value ? b : a)).id")
    point = screen_point(page, hub)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#panel[data-kind=node]:not([hidden])")
    label = page.evaluate("(id) => window.exograph.data.details.nodes[id].label", hub)
    assert page.text_content("#panel h2") == label
    assert page.locator("#panel h3", has_text="Claims").count() == 1
    assert_clean(real_page)


def test_clicking_an_edge_opens_the_claim_panel(real_page):
    page = real_page.page
    close_panel(page)
    page.evaluate("window.exograph.network.fit()")
    edge = clickable_edge(page)
    assert edge, "no claim edge could be clicked clear of nodes"
    page.mouse.click(edge["x"], edge["y"])
    page.wait_for_selector("#panel[data-kind=claim]:not([hidden])")
    claim = page.evaluate("(id) => window.exograph.data.details.edges[id]", edge["id"])
    assert page.text_content("#panel h2") == claim["predicate"]
    assert page.text_content("#panel code") == edge["id"]
    if claim["paraphrase"]:
        assert page.text_content("#panel blockquote") == claim["paraphrase"]
    links = page.eval_on_selector_all("#panel a", "anchors => anchors.map(a => a.href)")
    assert len(links) >= sum(1 for source in claim["sources"] if source["url"])
    assert all(link.startswith(("https://", "http://")) for link in links)
    assert_clean(real_page)


def test_searching_a_label_focuses_the_node(real_page):
    page = real_page.page
    node = page.evaluate("""() => {
        const { nodes, details } = window.exograph.data;
        const labels = nodes.map((node) => details.nodes[node.id].label.toLowerCase());
        return nodes.find((node, i) => i >= nodes.length / 2 && labels.indexOf(labels[i]) === labels.lastIndexOf(labels[i])).id;
    }""")
    label = page.evaluate("(id) => window.exograph.data.details.nodes[id].label", node)
    page.fill("#search", label)
    page.press("#search", "Enter")
    page.wait_for_timeout(700)  # the focus animation
    assert page.evaluate("window.exograph.network.getSelectedNodes()") == [node]
    assert page.text_content("#panel h2") == label
    centred = page.evaluate("""(id) => {
        const { network } = window.exograph;
        const [view, at] = [network.getViewPosition(), network.getPosition(id)];
        return Math.hypot(view.x - at.x, view.y - at.y) < 5;
    }""", node)
    assert centred
    assert_clean(real_page)


def test_filters_focus_and_path(tiny_page):
    page = tiny_page.page
    visible = "(kind) => window.exograph[kind].get({ filter: (item) => !item.hidden }).map((item) => item.id).sort()"
    page.select_option("#facet-model_system", "mouse")
    assert page.evaluate(visible, "edges") == ["claim:tiny-003", "claim:tiny-004"]
    page.click("#reset")
    page.uncheck("#legend input[value=protein]")
    assert "exo:CD274" not in page.evaluate(visible, "nodes")
    page.click("#reset")
    page.fill("#search", "PD-1")
    page.press("#search", "Enter")
    page.click("text=Focus neighbourhood")
    assert page.evaluate(visible, "nodes") == ["exo:CD274", "exo:PDCD1"]
    page.click("#reset")
    page.fill("#path-from", "PD-1")
    page.fill("#path-to", "T cell activation")
    page.click("#path")
    selected = page.evaluate("window.exograph.network.getSelectedEdges().sort()")
    assert selected[:2] == ["claim:tiny-001", "claim:tiny-002"] and len(selected) == 3
    assert page.locator("#panel ol li").count() == 3
    assert_clean(tiny_page)


def test_hostile_label_stays_text_in_the_browser(browser, ontology_copy, tmp_path):
    import exograph

    write_hostile_copy(ontology_copy)
    record = load(browser, exograph.load(ontology_copy).view(tmp_path / "view.html").path)
    page = record.page
    page.fill("#search", HOSTILE)
    page.press("#search", "Enter")
    page.wait_for_selector("#panel[data-kind=node]:not([hidden])")
    assert page.text_content("#panel h2") == HOSTILE
    page.click("#panel button.link >> nth=0")  # the claim whose paraphrase is hostile
    page.wait_for_selector("#panel[data-kind=claim]")
    assert HOSTILE in page.text_content("#panel")
    page.fill("#search", "melanoma")
    page.press("#search", "Enter")
    assert HOSTILE in page.text_content("#panel")
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert_clean(record)
    record.page.close()
