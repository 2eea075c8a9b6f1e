"""The query page at / in headless Chromium: nothing is asked of any origin but the server's."""
from __future__ import annotations

import pytest

from servers import exograph_server
from test_view_browser import _require_browser

pytestmark = pytest.mark.slow


def test_query_page_runs_named_and_written_queries_offline(tmp_path, real_graph):
    _require_browser()
    from offline_browser import offline_browser

    with exograph_server(tmp_path) as server, offline_browser() as browser:
        page = browser.new_page()
        page.set_default_timeout(120_000)
        elsewhere, errors = [], []
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server.url)
                   else (elsewhere.append(route.request.url), route.abort()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(server.url + "/")
        page.wait_for_selector("body[data-state=ready]")
        assert page.locator("#named option").count() == len(real_graph.queries()) + 1
        page.select_option("#named", "claims-about")
        page.fill("#params input[name=entity]", "exo:CD47")
        page.click("#run-named")
        page.wait_for_function("document.getElementById('status').textContent.includes('row')")
        expected = len(real_graph.run("claims-about", {"entity": "exo:CD47"}).rows)
        assert page.locator("#results tr").count() == expected + 1 and expected > 0
        page.fill("#query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        page.click("#run")
        page.wait_for_function("document.getElementById('status').textContent === '1 row'")
        assert page.locator("#results td").inner_text() == str(len(real_graph))
        page.fill("#query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        page.click("#run")
        page.wait_for_function("document.getElementById('status').className === 'error'")
        assert "400" in page.inner_text("#status") and "SERVICE" in page.inner_text("#status")
        assert page.get_attribute("#view-link", "href") == "view"
        view = page.request.get(server.url + "/view")
        assert view.status == 200 and "vis" in view.text()
        assert elsewhere == [] and errors == []
