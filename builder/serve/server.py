"""The development server of `course serve`: the built site on 127.0.0.1, and live reload for the open pages.

The server serves only files inside the output folder (no listings, no paths out of it, symlinks
included). Open pages hold a Server-Sent Events connection (`/__course/events`); after each rebuild
they reload, and when a rebuild fails they show the findings as an overlay instead.
"""

from __future__ import annotations

import json
import mimetypes
import posixpath
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

EVENTS_PATH = "/__course/events"


@dataclass
class BuildState:
    """The latest build outcome that open pages are told about; waiters wake on every change."""

    version: int = 0
    findings: list[dict] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)
    closed: bool = False

    def publish(self, findings: list[dict]) -> None:
        """Record a new outcome (empty findings = a good build) and wake every open page."""
        with self.condition:
            self.version += 1
            self.findings = findings
            self.condition.notify_all()

    def close(self) -> None:
        """Release every waiting connection (server shutdown)."""
        with self.condition:
            self.closed = True
            self.condition.notify_all()


def resolve_request_path(root: Path, url_path: str) -> Path | None:
    """The file a URL path names inside root, or None when it is outside, missing or a directory without index."""
    path = unquote(urlsplit(url_path).path)
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in posixpath.normpath("/" + path).split("/") if p]
    if any(p in ("..", ".") for p in parts):
        return None
    candidate = root.joinpath(*parts)
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    root_real = root.resolve()
    if real != root_real and root_real not in real.parents:
        return None
    if real.is_dir():
        real = real / "index.html"
        if not real.is_file():
            return None
    return real if real.is_file() else None


def make_handler(root: Path, state: BuildState) -> type[BaseHTTPRequestHandler]:
    """A request handler bound to an output folder and a build state."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "course-serve"
        sys_version = ""

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if urlsplit(self.path).path == EVENTS_PATH:
                self._events()
                return
            self._file(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._file(send_body=False)

        def _file(self, send_body: bool) -> None:
            url = urlsplit(self.path).path
            target = resolve_request_path(root, self.path)
            if target is not None and target.name == "index.html" and not url.endswith(("/", "index.html")):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)  # relative links need the trailing slash
                self.send_header("Location", url + "/")
                self.end_headers()
                return
            if target is None:
                target, status = root / "404.html", HTTPStatus.NOT_FOUND
                body = target.read_bytes() if target.is_file() else b"Not found"
            else:
                status = HTTPStatus.OK
                body = target.read_bytes()
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype in ("application/javascript", "image/svg+xml"):
                ctype += "; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = state.version
            try:
                self._send_state("hello")
                while True:
                    with state.condition:
                        state.condition.wait_for(lambda: state.version != seen or state.closed, timeout=15)
                        if state.closed:
                            return
                        changed, seen = state.version != seen, state.version
                    if changed:
                        self._send_state("errors" if state.findings else "reload")
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                return

        def _send_state(self, event: str) -> None:
            data = json.dumps({"version": state.version, "findings": state.findings})
            self.wfile.write(f"event: {event}\ndata: {data}\n\n".encode("utf-8"))
            self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet server
            return

    return Handler


class DevServer:
    """The HTTP server in a background thread."""

    def __init__(self, root: Path, state: BuildState, host: str = "127.0.0.1", port: int = 8000) -> None:
        self.state = state
        ThreadingHTTPServer.daemon_threads = True
        self.httpd = ThreadingHTTPServer((host, port), make_handler(root, state))
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="course-serve", daemon=True)

    @property
    def url(self) -> str:
        """The address the server listens on."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> DevServer:
        """Start serving."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release open event streams."""
        self.state.close()
        self.httpd.shutdown()
        self.httpd.server_close()
