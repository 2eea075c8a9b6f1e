"""The HTML view in a real browser: headless Chromium (Debian's package) with the network blocked.

Most tests share one load of a small page (the tiny fixture plus two replicated claims and a
claim with qualifiers) and return it to its opening state through the page's own controls.
Screenshots land in tests/artifacts/view/ (ignored by git) for a person to look at.
"""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import networkx
import pytest

from conftest import TESTS
from exograph.mechanisms import predicate_kinds
from exograph.viewer import LAYOUT_THRESHOLD, publication_index, render_html
from offline_browser import chromium_path, offline_browser, open_page
from test_view import HOSTILE, write_hostile_copy

pytestmark = pytest.mark.slow
ARTIFACTS = TESTS / "artifacts" / "view"
# Records the text vis draws on the canvas while window.__recording is set.
RECORD_TEXT = """
(() => { const prototype = CanvasRenderingContext2D.prototype;
  const fillText = prototype.fillText;
  window.__drawn = [];
  prototype.fillText = function (text, ...rest) {
    if (window.__recording) window.__drawn.push(String(text));
    return fillText.call(this, text, ...rest);
  };
})();"""
# What vis draws and hit-tests: the shown nodes or claims (kind: "node" or "edge").
VISIBLE = "(kind) => [...window.exograph.network.body[`${kind}Indices`]].sort()"
FADED = "(id) => window.exograph.faded.nodes.has(id)"
EXPORT_COLUMNS = ["Subject", "Subject CURIE", "Predicate", "Predicate CURIE", "Object", "Object CURIE", "Publications", "PMIDs", "DOIs",
                  "Evidence", "ECO code", "Paraphrase", "Model system", "Disease", "Species", "Clinical phase", "Topic",
                  "Qualifiers", "Polarity", "Conflict", "Claim"]


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


def load(browser, page_path: Path | str, **options):
    """Open the page (a path, or a file: URL with a hash), wait until vis has drawn it, and return its record."""
    record = open_page(browser, page_path, timeout_ms=30_000, init_script=RECORD_TEXT, **options)
    record.page.wait_for_selector("body[data-state=ready]")
    return record


def axe_violations(page) -> list[tuple[str, str, int]]:
    """axe-core's violations on the page as it is now: (rule, impact, elements). axe.min.js comes
    from the installed axe-playwright-python package, so nothing is fetched."""
    if not page.evaluate("typeof window.axe === 'object'"):
        try:
            from importlib.resources import files

            source = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
        except ModuleNotFoundError:
            if os.environ.get("CI") == "true":
                raise
            pytest.skip("axe checks skipped: pip install -e '.[test]' (axe-playwright-python)")
        page.add_script_tag(content=source)
    results = page.evaluate("axe.run(document, { resultTypes: ['violations'] })")
    return [(rule["id"], rule["impact"], len(rule["nodes"])) for rule in results["violations"]]


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def assert_clean(record) -> None:
    assert record.blocked == [] and record.failed == [], "the page asked for online resources"
    assert record.errors == []
    assert record.dialogs == []


def fresh(page) -> None:
    """Back to the opening state with the page's own controls."""
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.click("#reset")
    if page.is_visible("#table-view"):
        page.click("#close-table")
    page.uncheck("#path-either")


def search(page, text: str) -> None:
    page.fill("#search", text)
    page.press("#search", "Enter")


def screen_point(page, node: str) -> dict:
    """Where a node is drawn, in page coordinates."""
    return page.evaluate("""(id) => {
        const { network } = window.exograph;
        const point = network.canvasToDOM(network.getPosition(id));
        const box = document.getElementById("graph").getBoundingClientRect();
        return { x: box.left + point.x, y: box.top + point.y };
    }""", node)


def clickable_edge(page) -> dict | None:
    """A claim edge whose midpoint hits that edge and no node, clear of the panel, in page coordinates."""
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


def drawn_text(page, scale: float) -> list[str]:
    """The text vis draws on the canvas at this zoom scale."""
    return page.evaluate("""(scale) => {
        window.exograph.network.moveTo({ scale });
        window.__drawn = []; window.__recording = true;
        window.exograph.network.redraw();
        window.__recording = false;
        return window.__drawn;
    }""", scale)


def claims_drawn(page, scale: float | None = None) -> int:
    """How many claims vis draws in one frame, at this zoom scale or the current one (counted in
    the edges' own draw method, so it does not depend on how many strokes a browser makes per claim)."""
    return page.evaluate("""(scale) => {
        const { network } = window.exograph;
        if (scale !== null) network.moveTo({ scale });
        const kind = Object.getPrototypeOf(Object.values(network.body.edges)[0]);
        const draw = kind.draw;
        let count = 0;
        kind.draw = function (...rest) { count += 1; return draw.apply(this, rest); };
        try { network.redraw(); } finally { kind.draw = draw; }
        return count;
    }""", scale)


# ---------------------------------------------------------------- the shared small page
def tiny_plus(tiny_graph) -> "networkx.MultiDiGraph":
    """The tiny network with a replication of an interaction and of a positive claim, and qualifiers on one claim."""
    network = tiny_graph.to_networkx()
    for u, v, key, new, citing in (("exo:CD274", "exo:PDCD1", "claim:tiny-002", "claim:tiny-902", ("PMID:11231627", "wolfers2001")),
                                   ("exo:tumour_exosome", "exo:t_cell_activation", "claim:tiny-004", "claim:tiny-903",
                                    ("PMID:30089911", "chen2018"))):
        network.add_edge(u, v, new, **dict(network.edges[u, v, key], publications=[citing[0]], publication_keys=[citing[1]]))
    network.edges["exo:tumour_exosome", "exo:CD274", "claim:tiny-001"].update(
        object_aspect_qualifier="abundance", subject_form_or_variant_qualifier="exo:CD274", quantities="30-150 nm|2 ug")
    return network


@pytest.fixture(scope="module")
def tiny_file(tiny_graph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "view.html"
    path.write_text(render_html(tiny_plus(tiny_graph), "tiny", tiny_graph.prefixes, None, publication_index(tiny_graph),
                                predicate_kinds(tiny_graph)[0]), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny(browser, tiny_file):
    record = load(browser, tiny_file)
    yield record
    assert_clean(record)
    record.page.close()


def test_claims_show_citations_replications_conflicts_and_qualifiers(tiny):
    page = tiny.page
    fresh(page)
    search(page, "PD-L1")
    lines = page.locator("#panel li", has_text="interacts with")
    assert lines.count() == 1 and "2 publications" in lines.inner_text()  # two claims, one line
    lines.locator("button").click()
    page.wait_for_selector("#panel[data-kind=claim]")
    panel = page.inner_text("#panel")
    assert "2 claims · 2 publications" in panel
    assert "Chen G et al. (2018) Nature" in panel and "Wolfers J et al. (2001) Nat Med" in panel
    links = page.eval_on_selector_all("#panel a", "anchors => anchors.map(a => [a.textContent, a.href])")
    assert ["PubMed", "https://pubmed.ncbi.nlm.nih.gov/30089911"] in links
    assert ["DOI", "https://doi.org/10.1038/s41586-018-0392-8"] in links
    assert "in vitro" in panel and "in_vitro" not in panel  # words, not enums
    shot(page, "trust-replicated-claim")

    search(page, "TEX")
    page.locator("#panel li", has_text="negatively regulates").locator("button").click()
    assert page.locator("#panel .badge.conflict").first.inner_text() == "⚠ conflicting evidence"
    sides = page.locator("#panel .sides > div")
    assert sides.count() == 2
    assert "positively regulates (2 claims)" in sides.nth(0).inner_text() and "Wolfers J et al. (2001)" in sides.nth(0).inner_text()
    assert "negatively regulates (1 claim)" in sides.nth(1).inner_text() and "melanoma" in sides.nth(1).inner_text()
    shot(page, "trust-conflict")

    page.evaluate("window.exograph.selectClaim('claim:tiny-001')")
    fields = page.eval_on_selector_all("#panel dt", "terms => terms.map(t => [t.textContent, t.nextElementSibling.textContent])")
    assert ["Object aspect", "abundance"] in fields and ["Quantities", "30-150 nm; 2 ug"] in fields
    assert ["Subject form or variant", "PD-L1"] in fields
    shot(page, "trust-qualifiers")


def test_paths_follow_arrows_rank_by_evidence_and_dim_the_rest(tiny):
    page = tiny.page
    fresh(page)
    page.fill("#path-from", "PD-1")
    page.fill("#path-to", "TEX")
    page.click("#path")
    assert "No path" in page.inner_text("#panel")
    page.check("#path-either")
    page.click("#path")
    card = page.locator("#panel .path").first
    assert "1 against the arrow" in card.inner_text()
    assert card.locator(".badge.against").count() == 1
    assert "PD-L1 ← has component — tumour-derived exosome" in card.inner_text()  # the claim: TEX has component PD-L1
    assert page.evaluate(FADED, "exo:melanoma") and not page.evaluate(FADED, "exo:CD274")
    shot(page, "path-against-arrow")

    page.uncheck("#path-either")
    page.fill("#path-from", "TEX")
    page.fill("#path-to", "T cell activation")
    page.click("#path")
    cards = page.locator("#panel .path")
    assert cards.count() == 2
    assert "weakest hop support 4 · net effect positive" in cards.nth(0).inner_text()  # two experimental papers
    assert "weakest hop support 2 · net effect negative" in cards.nth(1).inner_text()
    page.fill("#path-from", "e")
    page.click("#path")
    assert 'is not an exact name; it is close to 5 nodes' in page.inner_text("#panel")

    page.click("#reset")  # clears the path, its highlight and the dimming
    assert page.evaluate("window.exograph.network.getSelectedEdges()") == []
    assert not page.evaluate(FADED, "exo:melanoma")


def test_an_uncited_hop_says_it_has_no_traceable_source(browser, tiny_graph, tmp_path):
    """The view report's Q2: a hop no publication backs read "· 0 publications"; it says what `exograph paths`
    says, in the path, the node panel, the claim panel and the tooltip."""
    network = tiny_graph.to_networkx()
    network.add_edge("exo:PDCD1", "exo:t_cell_activation", "claim:tiny-904", **dict(
        network.edges["exo:tumour_exosome", "exo:t_cell_activation", "claim:tiny-003"], publications=[], publication_keys=[]))
    page_path = tmp_path / "view.html"
    page_path.write_text(render_html(network, "uncited", tiny_graph.prefixes, None, publication_index(tiny_graph),
                                     predicate_kinds(tiny_graph)[0]), encoding="utf-8")
    record = load(browser, page_path)
    page = record.page
    page.fill("#path-from", "exo:CD274")
    page.fill("#path-to", "exo:t_cell_activation")
    page.click("#path")
    hops = [hop.replace("·", " ·").replace("  ", " ") for hop in page.locator("#panel .path").first.locator("li").all_inner_texts()]
    assert hops == ["PD-L1 — interacts with → PD-1 · 1 publication", "PD-1 — negatively regulates → T cell activation · no traceable source"]
    page.locator("#panel .path li button.link").nth(1).click()
    assert "1 claim · no traceable source" in page.inner_text("#panel")
    search(page, "PD-1")
    assert "PD-1 — negatively regulates → T cell activation· no traceable source" in page.inner_text("#panel")
    assert_clean(record)
    page.close()


def test_search_ranks_exact_matches_lists_several_and_says_none(tiny):
    page = tiny.page
    fresh(page)
    search(page, "b7-h1")  # an exact synonym
    assert page.text_content("#panel h2") == "PD-L1"
    search(page, "PD")
    assert page.is_visible("#hits")
    assert page.locator("#hits button").all_inner_texts() == ["PD-1 — protein · exo:PDCD1 · label starts with it",
                                                             "PD-L1 — protein · exo:CD274 · label starts with it"]
    assert page.text_content("#search-status") == "no exact match; 2 close matches"
    shot(page, "search-hits")
    page.keyboard.press("Enter")  # the first hit has the focus
    assert page.text_content("#panel h2") == "PD-1"
    search(page, "no such thing")
    assert page.text_content("#search-status") == 'no match for "no such thing"'


def test_claims_table_obeys_filters_sorts_and_downloads(tiny, tmp_path):
    page = tiny.page
    fresh(page)
    page.evaluate("window.exograph.network.moveTo({ position: { x: 5000, y: 5000 }, scale: 3 })")
    page.select_option("#facet-model_system", "mouse")
    page.wait_for_timeout(600)  # the refit's animation
    assert page.evaluate("""() => {  // refit: every node still shown is on screen, clear of the panel
        const { network, state } = window.exograph;
        const box = document.getElementById("graph").getBoundingClientRect();
        return [...state.shownNodes].every((id) => { const p = network.canvasToDOM(network.getPosition(id));
            return p.x > 0 && p.y > 0 && p.x < box.width && p.y < box.height; });
    }""")
    page.click("#show-table")
    rows = page.locator("#table-body tr")
    assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.claim)")) == [
        "claim:tiny-003", "claim:tiny-004", "claim:tiny-903"]
    page.click("#table-head th:nth-child(4) button")  # Publications
    assert page.get_attribute("#table-head th:nth-child(4)", "aria-sort") == "ascending"
    first = rows.first.locator("td").nth(3).inner_text()
    page.click("#table-head th:nth-child(4) button")
    assert page.get_attribute("#table-head th:nth-child(4)", "aria-sort") == "descending"
    assert rows.first.locator("td").nth(3).inner_text() != first
    shot(page, "claims-table")
    with page.expect_download() as done:
        page.click("#download-csv")
    table = list(csv.DictReader(io.StringIO(Path(done.value.path()).read_text(encoding="utf-8"))))
    assert list(table[0]) == EXPORT_COLUMNS
    assert len(table) == 3 and all(row["Object"] == "T cell activation" and row["Conflict"] == "conflicting" for row in table)
    wolfers = next(row for row in table if row["Claim"] == "claim:tiny-004")  # the evidence, one column each
    assert {name: wolfers[name] for name in ("Subject CURIE", "Predicate CURIE", "Object CURIE", "PMIDs", "DOIs", "ECO code",
                                              "Model system", "Topic", "Polarity")} == {
        "Subject CURIE": "exo:tumour_exosome", "Predicate CURIE": "exos:positivelyRegulates", "Object CURIE": "exo:t_cell_activation",
        "PMIDs": "11231627", "DOIs": "10.1038/85438", "ECO code": "ECO:0000269", "Model system": "mouse", "Topic": "immune",
        "Polarity": "positive"}
    assert wolfers["Paraphrase"].startswith("Tumour exosomes hand antigens to dendritic cells")
    with page.expect_download() as done:
        page.click("#download-tsv")
    assert done.value.suggested_filename == "exograph-claims.tsv"
    assert len(Path(done.value.path()).read_text(encoding="utf-8").splitlines()) == 4


def test_claims_table_filters_its_rows_by_text_qualifiers_included(browser, tiny):
    """The view report's Q3: which loading methods raise loading is read from a qualifier, so the table's text
    filter reaches the qualifiers; the downloads and the permalink follow it, and a claim opened from a row
    leaves the table's columns readable."""
    page = tiny.page
    fresh(page)
    page.click("#show-table")
    rows = page.locator("#table-body tr")
    shown = lambda: sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.claim)"))  # noqa: E731
    every = rows.count()

    def type_filter(text: str) -> None:  # key by key; the table follows once typing pauses
        page.fill("#table-filter", "")
        page.locator("#table-filter").press_sequentially(text)
        page.wait_for_function("(text) => document.getElementById('table-count').textContent.includes(`match “${text}”`)", arg=text)

    type_filter("abundance")  # only a qualifier's value says it
    assert shown() == ["claim:tiny-001"]
    assert page.text_content("#table-count") == f"1 claim of {every} match “abundance”"
    type_filter("tumor mouse")  # every word, spelt as the search spells it
    assert shown() == ["claim:tiny-003", "claim:tiny-004", "claim:tiny-903"]
    type_filter('"abundance aspect"')  # a quoted phrase keeps its order
    assert shown() == [] and page.text_content("#table-count").startswith("0 claims of ")
    type_filter('"object aspect: abundance"')
    assert shown() == ["claim:tiny-001"]
    assert [rule for rule in axe_violations(page) if rule[1] in ("serious", "critical")] == []
    with page.expect_download() as done:
        page.click("#download-csv")
    table = list(csv.DictReader(io.StringIO(Path(done.value.path()).read_text(encoding="utf-8"))))
    assert [row["Claim"] for row in table] == ["claim:tiny-001"]
    again = load(browser, page.url)  # the permalink keeps the filter
    assert again.page.input_value("#table-filter") == '"object aspect: abundance"'
    assert again.page.locator("#table-body tr").evaluate_all("rows => rows.map(r => r.dataset.claim)") == ["claim:tiny-001"]
    again.page.close()
    page.focus("#table-filter")
    page.keyboard.press("Escape")  # the first Esc empties the filter, the table stays
    assert page.input_value("#table-filter") == "" and rows.count() == every and page.is_visible("#table-view")
    rows.first.click()
    assert page.is_visible("#panel")
    table_box, panel_box = page.locator("#table-view").bounding_box(), page.locator("#panel").bounding_box()
    assert table_box["x"] + table_box["width"] <= panel_box["x"] + 1, "the panel covers the table's last columns"
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert page.is_hidden("#table-view")


def test_permalink_restores_the_view(browser, tiny):
    page = tiny.page
    fresh(page)
    page.uncheck("#legend input[value=disease]")
    page.select_option("#facet-topic", "immune")
    page.fill("#hops", "2")
    search(page, "PD-1")
    page.click("text=Focus neighbourhood")
    page.evaluate("window.exograph.selectClaim('claim:tiny-002')")
    page.click("#show-table")
    url = page.url
    assert "#" in url and "focus=exo%3APDCD1" in url
    before = {"counts": page.text_content("#counts"), "title": page.text_content("#panel h2"),
              "rows": page.locator("#table-body tr").count(), "edges": page.evaluate(VISIBLE, "edge")}
    again = load(browser, url)
    other = again.page
    after = {"counts": other.text_content("#counts"), "title": other.text_content("#panel h2"),
             "rows": other.locator("#table-body tr").count(), "edges": other.evaluate(VISIBLE, "edge")}
    assert after == before
    assert other.input_value("#facet-topic") == "immune" and other.input_value("#hops") == "2"
    assert not other.is_checked("#legend input[value=disease]")
    shot(other, "permalink-restored")
    assert_clean(again)
    other.close()


def test_permalink_restores_the_chosen_path_the_sort_and_the_zoom(browser, tiny):
    page = tiny.page
    fresh(page)
    page.fill("#path-from", "TEX")
    page.fill("#path-to", "T cell activation")
    page.click("#path")
    page.locator("#panel .path").nth(1).locator("button.show-path").click()  # Path 2
    page.click("#show-table")
    page.click("#table-head th:nth-child(4) button")
    page.click("#table-head th:nth-child(4) button")  # Publications, descending
    assert "path=1" in page.url and "sort=Publications%2Cdesc" in page.url
    before = {"counts": page.text_content("#counts"), "shown": page.inner_text("#panel .path.shown"),
              "rows": page.locator("#table-body tr").evaluate_all("rows => rows.map(r => r.dataset.claim)")}
    again = load(browser, page.url)
    other = again.page
    after = {"counts": other.text_content("#counts"), "shown": other.inner_text("#panel .path.shown"),
             "rows": other.locator("#table-body tr").evaluate_all("rows => rows.map(r => r.dataset.claim)")}
    assert after == before and after["shown"].startswith("Path 2")
    assert other.get_attribute("#table-head th:nth-child(4)", "aria-sort") == "descending"
    assert_clean(again)
    other.close()

    fresh(page)
    search(page, "PD-L1")
    view = "() => [window.exograph.network.getScale(), window.exograph.network.getViewPosition()]"
    zoomed = "window.exograph.network.getScale() > 1.19"  # after the animation (to scale 1.2)
    page.wait_for_function(zoomed)
    scale, _ = page.evaluate(view)
    again = load(browser, page.url)
    again.page.wait_for_function(zoomed)
    restored, _ = again.page.evaluate(view)
    assert restored == pytest.approx(scale, rel=0.01) and scale > 1.19  # zoomed on the node, not the whole graph
    point, panel = screen_point(again.page, "exo:CD274"), again.page.evaluate("document.getElementById('panel').getBoundingClientRect().left")
    assert abs(point["x"] - screen_point(page, "exo:CD274")["x"]) < 2 and point["x"] < panel  # where it was, clear of the panel
    assert_clean(again)
    again.page.close()


def test_node_panel_follows_the_filters_and_groups_claims_by_predicate(tiny):
    page = tiny.page
    fresh(page)
    search(page, "TEX")
    assert page.locator("#panel h4").all_inner_texts() == ["has component (1)", "negatively regulates (1)",
                                                           "positively regulates (1)", "subtype of (1)"]
    claims = page.locator("#panel h3", has_text="Claims")
    assert claims.text_content() == "Claims (5 claims on 4 statements)"
    page.select_option("#facet-model_system", "mouse")  # the panel stays open and follows
    assert page.text_content("#panel h2") == "tumour-derived exosome"
    assert page.locator("#panel h4").all_inner_texts() == ["negatively regulates (1)", "positively regulates (1)"]
    assert claims.text_content() == "Claims (3 claims on 2 statements)"
    assert "2 claims of this node are hidden by the filters." in page.inner_text("#panel")
    page.click("#panel >> text=Show everything")
    assert page.input_value("#facet-model_system") == "" and len(page.locator("#panel h4").all_inner_texts()) == 4


def test_a_publication_without_identifiers_says_why_it_has_no_link(tiny):
    page = tiny.page
    fresh(page)
    page.select_option("#facet-publication", "Text Only A et al. (2000) Fixture Journal")
    page.click("#show-table")
    page.click("#table-body tr")
    panel = page.inner_text("#panel")
    assert "Text Only A et al. (2000) Fixture Journal · no link: its PubMed ID and DOI are not verified" in panel
    search(page, "PD-1")  # a hidden node: the filters give way, and the page says so
    assert page.text_content("#status") == "The filters hid PD-1, so they were cleared."


def test_search_keys_in_the_page_are_the_python_keys(tiny):
    from exograph.normalise import key
    from test_normalise import DIFFERENT, SAME

    names = sorted({text for pair in SAME + DIFFERENT for text in pair} | {"NK-92MI cell", "IL-15Rα", "ß-catenin", "Ⅱ"})
    assert tiny.page.evaluate("(names) => names.map(window.exograph.searchKey)", names) == [key(name) for name in names]


def test_keyboard_focus_status_and_axe(tiny):
    page = tiny.page
    fresh(page)
    assert axe_violations(page) == []
    search(page, "e")
    assert page.text_content("#search-status") == "no exact match; 5 close matches"
    assert axe_violations(page) == []  # the hit list: buttons in list items, no nested interactive roles
    page.keyboard.press("Escape")
    assert page.is_hidden("#hits") and page.text_content("#search-status") == ""
    search(page, "PD")
    page.keyboard.press("Enter")  # the first hit has the focus
    assert page.text_content("#panel h2") == "PD-1"
    assert axe_violations(page) == []  # the node panel
    page.keyboard.press("Escape")
    assert page.is_hidden("#panel") and page.evaluate("document.activeElement.id") == "search"


def test_readable_labels_hover_legend_and_keyboard(tiny):
    page = tiny.page
    fresh(page)
    assert "interacts with" not in drawn_text(page, 0.8)  # edge labels only when zoomed in
    assert "interacts with" in drawn_text(page, 2.0)
    page.evaluate("window.exograph.network.fit()")
    edge = clickable_edge(page)
    page.mouse.move(edge["x"], edge["y"])
    page.wait_for_selector("#tip:not([hidden])")
    assert " — " in page.text_content("#tip") and "publication" in page.text_content("#tip")
    legend = page.inner_text("#edge-key")
    assert "inhibits (negative)" in legend and "Node size: number of claims" in legend
    page.mouse.click(5, 300)  # the sidebar, not a field
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search"
    search(page, "melanoma")
    assert page.get_attribute("#panel", "role") == "dialog"
    assert page.evaluate("document.getElementById('panel').getAttribute('aria-labelledby')") == "panel-title"
    assert page.evaluate("document.activeElement.id") == "panel-title"  # announced: focus moves to its heading
    page.keyboard.press("Escape")
    assert page.is_hidden("#panel")
    page.click("#reset")
    page.click("#focus")  # nothing selected any more
    assert "Select a node first" in page.text_content("#status")
    shot(page, "readable")


def test_narrow_screen_and_dark_mode(browser, tiny_file):
    page = browser.new_page(viewport={"width": 390, "height": 844}, color_scheme="dark")
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(tiny_file.as_uri())
    page.wait_for_selector("body[data-state=ready]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("document.getElementById('graph').getBoundingClientRect().height") > 500
    assert page.is_hidden("#controls")
    page.click("#toggle-controls")
    assert page.is_visible("#controls")
    page.click("#toggle-controls")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(13, 17, 23)"
    assert page.evaluate("window.exograph.network.body.nodes['exo:CD274'].options.font.color") == "#e6edf3"
    assert page.evaluate("window.exograph.network.body.nodes['exo:CD274'].options.color.border") == "#9198a1"  # 6:1 on the dark paper
    page.click("#show-table")  # cells keep whole words; the table scrolls sideways, the page does not
    assert page.evaluate("document.getElementById('table-wrap').scrollWidth") > 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    widths = page.locator("#table-body td").evaluate_all("cells => cells.map(c => c.getBoundingClientRect().width)")
    assert min(widths) >= 7 * 14 - 1  # 7rem
    page.click("#close-table")
    search(page, "PD-L1")
    box = page.evaluate("document.getElementById('panel').getBoundingClientRect().toJSON()")
    assert box["width"] == 390 and box["top"] > 300  # a bottom sheet, the graph still above it
    shot(page, "narrow-dark")
    page.close()


def test_search_works_inside_the_notebook_frame(browser, tiny_graph, tmp_path):
    notebook = tmp_path / "notebook.html"
    notebook.write_text("<!DOCTYPE html><html><body><h1>a notebook cell</h1>" + tiny_graph.view()._repr_html_()
                        + "</body></html>", encoding="utf-8")
    record = open_page(browser, notebook, timeout_ms=30_000)
    frame = record.page.frame_locator("iframe")
    frame.locator("body[data-state=ready]").wait_for()
    frame.locator("#search").fill("B7-H1")
    frame.locator("#search").press("Enter")
    assert frame.locator("#panel h2").text_content() == "PD-L1"
    frame.locator("#search").fill("PD")
    frame.locator("#find").click()
    assert frame.locator("#hits button").count() == 2
    shot(record.page, "notebook-frame")
    assert_clean(record)
    record.page.close()


# ---------------------------------------------------------------- a large graph
@pytest.fixture(scope="module")
def large_file(tmp_path_factory) -> Path:
    graph = networkx.barabasi_albert_graph(LAYOUT_THRESHOLD + 100, 2, seed=3)
    network = networkx.MultiDiGraph()
    network.add_nodes_from((f"exo:n{i}", {"label": f"node {i}", "category": "protein", "category_curie": "exos:Protein"})
                           for i in graph)
    network.add_edges_from((f"exo:n{u}", f"exo:n{v}", f"claim:{number}", {"predicate_label": "regulates", "polarity": "negative"})
                           for number, (u, v) in enumerate(graph.edges()))
    path = tmp_path_factory.mktemp("large") / "view.html"
    path.write_text(render_html(network, "large"), encoding="utf-8")
    return path


def test_large_graphs_draw_no_claim_labels_and_do_not_animate(browser, large_file):
    record = load(browser, large_file)
    page = record.page
    assert page.evaluate("window.exograph.data.large") is True
    drawn = drawn_text(page, 2.0)
    assert "regulates" not in drawn and any(text.startswith("node ") for text in drawn)  # node labels only
    drawn_text(page, 4.0)
    near, nearer = claims_drawn(page), claims_drawn(page, 16.0)
    claims = page.evaluate("window.exograph.data.edges.length")
    assert 0 < nearer <= near < claims  # zoomed in, only the claims on screen are drawn, fewer the closer
    search(page, "node 1234")
    centred = page.evaluate("""() => {  // at once: no frame-counted animation
        const { network } = window.exograph;
        const [view, at] = [network.getViewPosition(), network.getPosition('exo:n1234')];
        return [network.getScale() >= 1, Math.abs(view.y - at.y) < 1, document.getElementById('panel-title').textContent];
    }""")
    assert centred == [True, True, "node 1234"]
    shot(page, "large-graph")
    assert_clean(record)
    page.close()


# ---------------------------------------------------------------- the real graph
@pytest.fixture(scope="module")
def real_page(browser, real_graph, tmp_path_factory):
    record = load(browser, real_graph.view(tmp_path_factory.mktemp("view") / "view.html").path)
    yield record
    record.page.close()


def test_real_graph_renders_offline_with_every_node(real_page, real_graph):
    stats = real_graph.stats()
    counts = real_page.page.evaluate("[window.exograph.nodes.length, window.exograph.edges.length]")
    assert counts == [stats["entities"], stats["claims"]]
    assert real_page.page.text_content("#counts").startswith(f"{stats['entities']} of {stats['entities']} nodes")
    shot(real_page.page, "real-graph")
    assert_clean(real_page)


def test_clicking_a_node_and_an_edge_opens_their_panels(real_page):
    page = real_page.page
    hub = page.evaluate("window.exograph.data.nodes.reduce((a, b) => (b.value > a.value ? b : a)).id")
    point = screen_point(page, hub)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#panel[data-kind=node]:not([hidden])")
    assert page.text_content("#panel h2") == page.evaluate("(id) => window.exograph.data.details.nodes[id].label", hub)
    page.keyboard.press("Escape")
    page.evaluate("window.exograph.network.fit()")
    edge = clickable_edge(page)
    assert edge, "no claim edge could be clicked clear of nodes"
    page.mouse.click(edge["x"], edge["y"])
    page.wait_for_selector("#panel[data-kind=claim]:not([hidden])")
    claim = page.evaluate("(id) => window.exograph.data.details.edges[id]", edge["id"])
    assert page.text_content("#panel h2") == claim["predicate"]
    assert edge["id"] in page.inner_text("#panel")
    assert all(href.startswith(("https://", "http://")) for href in page.eval_on_selector_all("#panel a", "as => as.map(a => a.href)"))
    assert_clean(real_page)


def test_real_graph_search_prefers_an_exact_synonym_and_lists_several(real_page):
    page = real_page.page
    search(page, "T cell activation")  # an exact synonym of T-cell activation, a substring of CD8 T-cell activation's
    assert page.evaluate("window.exograph.network.getSelectedNodes()") == ["exo:t_cell_activation"]
    search(page, "dendritic")
    assert page.locator("#hits button").count() >= 5
    shot(page, "real-search-dendritic")
    page.keyboard.press("Escape")
    assert_clean(real_page)


def test_path_chooser_tells_same_named_nodes_apart_and_uses_curies(real_page):
    page = real_page.page
    fresh(page)
    page.fill("#path-from", "Dex")
    page.fill("#path-to", "NK-cell activation")
    page.click("#path")
    chooser = page.inner_text("#panel")
    assert '"NK-cell activation" in "to" names 2 nodes; choose one:' in chooser
    for curie, category in (("exo:nk_cell_activation", "biological process"), ("exo:outcome_nk_cell_activation", "outcome")):
        assert f"NK-cell activation {category} · {curie} ·" in chooser
    page.locator("#panel li", has_text="exo:nk_cell_activation").locator("button").click()
    assert page.input_value("#path-to") == "exo:nk_cell_activation"
    first = page.locator("#panel .path").first.inner_text()
    assert "dendritic-cell-derived exosome — positively regulates → NK-cell activation" in first  # as exograph paths

    search(page, "NK-cell activation")  # two nodes have this label: listed, each with category and CURIE
    page.locator("#hits button", has_text="exo:outcome_nk_cell_activation").click()
    assert page.text_content("#panel code") == "exo:outcome_nk_cell_activation"
    page.click("#panel >> text=Path to here")
    assert page.input_value("#path-to") == "exo:outcome_nk_cell_activation"
    assert page.get_attribute("#panel", "data-kind") == "path" and "choose one" not in page.inner_text("#panel")
    assert page.text_content("#panel h2") == "dendritic-cell-derived exosome → NK-cell activation"
    assert_clean(real_page)


def test_real_graph_search_normalises_and_never_opens_an_approximate_hit(real_page):
    page = real_page.page
    fresh(page)
    for typed, curie in (("PD L1", "exo:CD274"), ("MHC II", "exo:MHC_class_II"), ("IFN gamma", "exo:IFNG"),
                         ("interferon-gamma", "exo:IFNG"), ("tumor exosome", "exo:tumour_exosome")):
        search(page, typed)
        assert page.is_hidden("#hits") and page.text_content("#panel code") == curie, typed
    page.keyboard.press("Escape")
    for typed, first, why in (("macrophage exosome", "macrophage-derived exosome", "label has every word"),
                              ("dendritc", "dendritic cell", "approximate: label, 1 typo apart")):
        search(page, typed)
        assert page.is_hidden("#panel") and page.text_content("#search-status").startswith("no exact match;"), typed
        hit = page.locator("#hits button").first.inner_text()
        assert hit.startswith(f"{first} — ") and hit.endswith(why), hit
        page.keyboard.press("Escape")
    shot(page, "real-search-approximate")
    assert_clean(real_page)


def test_hostile_text_stays_text_in_the_browser(browser, ontology_copy, tmp_path):
    import exograph

    write_hostile_copy(ontology_copy)
    record = load(browser, exograph.load(ontology_copy).view(tmp_path / "view.html").path)
    page = record.page
    search(page, HOSTILE)
    page.wait_for_selector("#panel[data-kind=node]:not([hidden])")
    assert page.text_content("#panel h2") == HOSTILE
    page.click("#panel li button.link >> nth=0")  # the claim whose paraphrase is hostile
    page.wait_for_selector("#panel[data-kind=claim]")
    assert HOSTILE in page.text_content("#panel")
    search(page, "img")  # the hit list
    search(page, "melanoma")
    assert HOSTILE in page.text_content("#panel")
    page.click("#show-table")
    assert HOSTILE in page.inner_text("#table-body")
    assert page.evaluate("document.querySelectorAll('img, svg image, iframe').length") == 0
    assert_clean(record)
    record.page.close()
