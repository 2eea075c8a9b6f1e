"""Headless Chromium with the network blocked, for the view's browser tests and benchmark.

Debian's ``chromium`` is driven by Playwright (sync API). Every request that is not for a
``file:`` URL is aborted and recorded, as are failed requests, console errors, page errors and
dialogs (``alert``), so a test can assert that a page needed nothing from the network and ran
cleanly.
"""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}


def chromium_path() -> str | None:
    """Debian's chromium, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class PageRecord:
    """A page and everything it tried that a self-contained page should not."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@contextmanager
def offline_browser() -> Iterator[Any]:
    """A headless Chromium browser (Playwright), closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Any, path: Path | str, init_script: str | None = None, timeout_ms: float = 120_000,
              wait_until: str = "load", viewport: dict | None = None) -> PageRecord:
    """Load ``path`` (a file, or a ``file:`` URL, which may carry a hash) in a new page with every
    non-file request aborted; wait for ``wait_until`` (Playwright's ``load``, ``domcontentloaded`` or ``commit``)."""
    page = browser.new_page(viewport=viewport or VIEWPORT)
    page.set_default_timeout(timeout_ms)
    record = PageRecord(page)
    page.route("**/*", record._route)
    page.on("requestfailed", lambda request: record.failed.append(request.url))
    page.on("console", lambda message: message.type == "error" and record.errors.append(message.text))
    page.on("pageerror", lambda error: record.errors.append(str(error)))
    page.on("dialog", record._dialog)
    if init_script:
        page.add_init_script(init_script)
    url = path if isinstance(path, str) and path.startswith("file:") else Path(path).resolve().as_uri()
    page.goto(url, wait_until=wait_until)
    return record
