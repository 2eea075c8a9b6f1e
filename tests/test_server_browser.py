"""The query page at / in headless Chromium, driven as a user drives it: choose a named query,
fill its field, run, cancel, download, read the table, on a phone and in dark mode. Nothing is
asked of any origin but the server's, and axe-core (from the axe-playwright-python package)
finds nothing serious or critical."""
from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from typing import Iterator

import pytest

from servers import exograph_server
from test_view_browser import _require_browser

pytestmark = pytest.mark.slow
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
STATUS_HAS = "(text) => document.getElementById('status').textContent.includes(text)"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with exograph_server(tmp_path_factory.mktemp("serve"), "--timeout", "8") as running:
        yield running


@pytest.fixture(scope="module")
def answers(real_graph) -> dict:
    """The graph's own answers, computed before the browser starts: a store forks its query workers,
    and one forked while Playwright runs would hold the driver's pipe open and hang the exit."""
    asked = {"PD-L1": ("claims-about", {"entity": "exo:CD274"}), "CD47": ("claims-about", {"entity": "exo:CD47"}),
             "increased": ("cq41-exosomal-pdl1-modulators", {"direction": "increased"})}
    return {key: real_graph.run(name, params) for key, (name, params) in asked.items()}


@pytest.fixture(scope="module")
def browser(answers):
    _require_browser()
    from offline_browser import offline_browser

    with offline_browser() as running:
        yield running


@contextmanager
def query_page(browser, server, **context) -> Iterator:
    """The page at /, ready, with every request elsewhere aborted and every error recorded
    (page errors, console errors, failed answers such as a favicon 404)."""
    page = browser.new_page(**context)
    page.set_default_timeout(60_000)
    elsewhere, errors = [], []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server.url)
               else (elsewhere.append(route.request.url), route.abort()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and not message.text.startswith("Failed to load resource")
            and errors.append(message.text))  # 4xx answers: recorded below, except the queries' own
    page.on("response", lambda response: response.status >= 400 and "/sparql" not in response.url
            and "/queries/" not in response.url and errors.append(f"{response.status} {response.url}"))
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-state=ready]")
    try:
        yield page
        assert elsewhere == [] and errors == [], (elsewhere, errors)
    finally:
        page.close()


def run_and_wait(page) -> str:
    page.click("#run")
    page.wait_for_selector("body[data-state=ready]")
    return page.inner_text("#status")


def serious_axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {len(v['nodes'])}" for v in violations if v["impact"] in ("serious", "critical")]


def test_named_query_shows_its_sparql_and_links_entities_and_publications(browser, server, real_graph, answers):
    with query_page(browser, server) as page:
        assert page.locator("#named option").count() == len(real_graph.queries()) + 1
        page.select_option("#named", "claims-about")
        assert page.input_value("#query") == real_graph.queries()["claims-about"].text
        assert run_and_wait(page) == "fill in the entity field: " + real_graph.queries()["claims-about"].params["entity"]
        page.fill("#params input[name=entity]", "PD-L1")
        expected = answers["PD-L1"].rows
        assert run_and_wait(page) == f"{len(expected)} rows" and len(expected) > 1
        assert page.locator("#results tbody tr").count() == len(expected)
        claims = page.locator("#results tbody tr td:first-child a")  # CURIEs, not https://w3id.org/exograph/claim/...
        assert claims.count() == len(expected) and claims.first.inner_text().startswith("claim:")
        assert claims.first.get_attribute("href") == "view#claim=" + claims.first.inner_text().replace(":", "%3A")
        evidence = page.locator("#results tbody tr").first.locator("td").nth(4)
        assert evidence.locator("code").inner_text().startswith("ECO:") and not evidence.inner_text().startswith("ECO:")
        pubmed = page.locator("#results a[href^='https://pubmed.ncbi.nlm.nih.gov/']")
        assert pubmed.count() > 0 and pubmed.first.inner_text() in {key for row in expected for key in str(row[-1]).split("|")}
        page.select_option("#named", "find-entity")
        page.fill("#params input[name=text]", "PD-L1")
        run_and_wait(page)
        entity = page.locator("#results a[href='view#node=exo%3ACD274']")
        assert entity.inner_text() == "PD-L1" and page.locator("#results code", has_text="exo:CD274").count() >= 1
        entity.click()  # the view opens with that node's panel
        page.wait_for_url("**/view#node=exo%3ACD274")
        page.wait_for_function("!document.getElementById('panel').hidden"
                               " && document.getElementById('panel').innerText.includes('exo:CD274')")


def test_allowed_values_are_a_choice_and_errors_speak_http(browser, server, real_graph, answers):
    with query_page(browser, server) as page:
        page.select_option("#named", "cq41-exosomal-pdl1-modulators")
        options = page.locator("#params select[name=direction] option").all_inner_texts()
        assert options == real_graph.queries()["cq41-exosomal-pdl1-modulators"].allowed["direction"] == ["increased", "decreased"]
        page.select_option("#params select[name=direction]", "increased")
        expected = len(answers["increased"].rows)
        assert run_and_wait(page) == f"{expected} row" + ("" if expected == 1 else "s")
        page.select_option("#named", "claims-about")
        page.fill("#params input[name=entity]", "exo:CD4")
        status = run_and_wait(page)
        assert status.startswith("400 Bad Request: unknown concept 'exo:CD4'; did you mean") and "exo:CD47" in status
        page.select_option("#named", "")
        page.fill("#query", "SELECT ?s WHERE { ?s ?p ?o")
        status = run_and_wait(page)
        assert status.startswith("400 Bad Request: SPARQL syntax error at line 1, column 27: expected") and '"}"' in status
        page.fill("#query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        assert "SERVICE" in run_and_wait(page) and page.get_attribute("#status", "class") == "error"
        for status in [page.inner_text("#status")]:
            assert "--" not in status


def test_editing_a_named_query_runs_the_text(browser, server, real_graph):
    with query_page(browser, server) as page:
        page.select_option("#named", "claims-about")
        page.fill("#query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert page.input_value("#named") == "" and page.locator("#params input").count() == 0
        assert run_and_wait(page) == "1 row"
        assert page.inner_text("#results tbody td") == str(len(real_graph))


def test_run_is_disabled_while_a_query_runs_and_cancel_stops_waiting(browser, server):
    with query_page(browser, server) as page:
        assert page.is_disabled("#cancel")
        page.fill("#query", RUNAWAY)
        page.click("#run")
        page.wait_for_selector("body[data-state=running]")
        assert page.is_disabled("#run") and page.is_enabled("#cancel") and page.is_disabled("#download-csv")
        page.click("#cancel")
        page.wait_for_selector("body[data-state=ready]")
        assert page.inner_text("#status").startswith("cancelled")
        assert page.is_enabled("#run") and page.is_disabled("#cancel")


def test_download_csv_and_tsv_of_the_last_result(browser, server, answers):
    with query_page(browser, server) as page:
        assert page.is_disabled("#download-csv")
        page.select_option("#named", "claims-about")
        page.fill("#params input[name=entity]", "exo:CD47")
        rows = run_and_wait(page)
        expected = answers["CD47"]
        for button, delimiter in (("#download-csv", ","), ("#download-tsv", "\t")):
            with page.expect_download() as info:
                page.click(button)
            download = info.value
            assert download.suggested_filename == "claims-about." + button[-3:]
            text = open(download.path(), encoding="utf-8").read()
            table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
            assert [name.lstrip("?") for name in table[0]] == expected.variables
            assert len(table) - 1 == len(expected.rows) == int(rows.split()[0])


def test_no_serious_axe_violation_phone_width_and_dark_mode(browser, server):
    with query_page(browser, server, viewport={"width": 390, "height": 844}, color_scheme="dark") as page:
        assert serious_axe_violations(page) == []
        page.select_option("#named", "claims-about")
        page.fill("#params input[name=entity]", "exo:CD274")
        run_and_wait(page)
        assert serious_axe_violations(page) == []
        assert page.locator("main").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(13, 17, 23)"
    with query_page(browser, server, color_scheme="light") as page:
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
        favicon = page.request.get(server.url + "/favicon.ico")
        assert favicon.status == 200 and favicon.headers["content-type"].startswith("image/svg+xml")
