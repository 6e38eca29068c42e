"""The dev server: serves only the output folder, reloads pages after a rebuild, shows failed rebuilds."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builder.serve.server import BuildState, DevServer, resolve_request_path
from conftest import BASE


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    (root / "sub").mkdir(parents=True)
    (root / "index.html").write_text("home")
    (root / "sub" / "index.html").write_text("sub")
    (root / "404.html").write_text("missing")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "escape").symlink_to(tmp_path / "secret.txt")
    (root / "escape-dir").symlink_to(tmp_path)
    return root


def get(server: DevServer, path: str) -> tuple[int, bytes, dict]:
    host, port = server.httpd.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=5)
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.read(), dict(resp.getheaders())


@pytest.mark.parametrize("path", ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/sub/../../secret.txt",
                                  "//etc/passwd", "/etc/passwd", "/escape", "/escape-dir/secret.txt", "/..%5csecret.txt",
                                  "/index.html%00.txt"])
def test_nothing_outside_the_output_folder(site, path):
    assert resolve_request_path(site, path) is None
    server = DevServer(site, BuildState(), port=0).start()
    try:
        status, body, _ = get(server, path)
        assert status == 404 and b"secret" not in body and b"root:" not in body
    finally:
        server.stop()


def test_serves_files_redirects_directories_and_lists_nothing(site):
    server = DevServer(site, BuildState(), port=0).start()
    try:
        assert server.url.startswith("http://127.0.0.1:")
        assert get(server, "/")[:2] == (200, b"home")
        assert get(server, "/sub/")[:2] == (200, b"sub")
        status, _, headers = get(server, "/sub")
        assert status == 301 and headers["Location"] == "/sub/"
        (site / "empty").mkdir()
        assert get(server, "/empty/")[0] == 404  # no directory listing
    finally:
        server.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def read_event(stream, deadline: float) -> tuple[str, dict]:
    event = ""
    while time.monotonic() < deadline:
        line = stream.readline().decode().strip()
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:") and event:
            return event, json.loads(line.split(":", 1)[1])
    raise AssertionError("no event before the deadline")


def test_serve_rebuilds_on_edit_and_reports_failures(project):
    root = project()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "builder.cli", "serve", str(root), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/__course/events")
                resp = conn.getresponse()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("server did not start")
        assert read_event(resp, deadline)[0] == "hello"
        page = root / ".course-cache/serve-site/first/index.html"
        assert "livereload.js" in page.read_text() and not (root / "_site").exists()
        lesson = root / "lessons/1.3/01-first.md"
        lesson.write_text(lesson.read_text().replace("## Worked example", "## Worked example, edited"))
        event, data = read_event(resp, time.monotonic() + 30)
        assert event == "reload" and "worked-example-edited" in page.read_text()
        lesson.write_text(BASE["lessons/1.3/01-first.md"].replace("source: old-lesson", "source: nowhere"))
        event, data = read_event(resp, time.monotonic() + 30)
        assert event == "errors"
        [finding] = data["findings"]
        assert finding["code"] == "CB301" and "source: nowhere" in finding["source"]
        assert "worked-example-edited" in page.read_text()  # the last good site is still served
        lesson.write_text(BASE["lessons/1.3/01-first.md"].replace("## Worked example", "## Worked example, fixed"))
        event, data = read_event(resp, time.monotonic() + 30)
        assert event == "reload" and data["findings"] == [] and "worked-example-fixed" in page.read_text()
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0].decode()
    assert "Traceback" not in out and "CB301" in out
    assert f"Serving {root} at http://127.0.0.1:{port}/" in out  # the project it serves, and where


def test_an_interrupt_that_surfaces_as_another_error_stops_the_server(project, monkeypatch):
    """Ctrl+C or SIGTERM landing in clean-up code (closing a folder's descriptor in rmtree) can come out as an
    OSError: the server must stop, not report an internal error and serve on."""
    import builder.pipeline
    from builder import interrupts
    from builder.model.config import Edition
    from builder.serve import session

    def interrupted_build(*args, **kwargs):
        interrupts._signalled = True  # what the signal handler records before raising
        raise OSError(9, "Bad file descriptor")
    monkeypatch.setattr(builder.pipeline, "build", interrupted_build)
    said = []
    try:
        with pytest.raises(KeyboardInterrupt):
            session._build(project(), Path("out"), said.append, said.append, Edition.STUDENT, {}, lambda: None)
    finally:
        interrupts.acknowledge_interrupt()
    assert not any("internal error" in line for line in said)
