"""What the browser tests share: a static server that sends a Content-Security-Policy, one headless Chromium per
test module, and pages watched for console errors, CSP violations and requests that leave 127.0.0.1."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]
FIGURE_CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'"
"""What the whole site must work under (plotly.js injects style rules, hence 'unsafe-inline' for styles only)."""
STRICT_CSP = "default-src 'self'; img-src 'self' data:"
"""What every page without figures must work under: nothing inline at all."""


class _Handler(SimpleHTTPRequestHandler):
    csp = FIGURE_CSP

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.csp)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_error(self, code, message=None, explain=None):  # the site's own 404 page, like a real host
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def serve(directory: Path, csp: str) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 with a Content-Security-Policy; yields its URL."""
    handler = type("Handler", (_Handler,), {"csp": csp})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for this module (closed after it: another module may start its own Playwright)."""
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


class Watched:
    """A page plus everything that went wrong on it: console errors, page errors, CSP violations, requests off 127.0.0.1."""

    def __init__(self, context, page) -> None:
        self.context, self.page = context, page
        self.errors: list[str] = []
        self.external: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def violations(self) -> list[str]:
        """CSP violations the page reported to itself."""
        return self.page.evaluate("window.__cspViolations || []")


CSP_RECORDER = """document.addEventListener('securitypolicyviolation', function (e) {
  (window.__cspViolations = window.__cspViolations || []).push(e.violatedDirective + ' ' + e.blockedURI);
});"""


@pytest.fixture
def open_page(browser):
    """open_page(url, width=1280, color_scheme="light", height=900) -> Watched; requests that leave 127.0.0.1 are
    recorded and aborted."""
    contexts = []

    def opener(url: str, width: int = 1280, color_scheme: str = "light", storage=None, height: int = 900) -> Watched:
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=color_scheme,
                                      storage_state=storage)
        contexts.append(context)
        context.add_init_script(CSP_RECORDER)
        page = context.new_page()
        watched = Watched(context, page)

        def route(r):
            if re.match(r"^(http://127\.0\.0\.1[:/]|file://|data:|blob:|about:)", r.request.url):
                r.continue_()
            else:
                watched.external.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.goto(url, wait_until="load")
        return watched

    yield opener
    for context in contexts:
        context.close()


