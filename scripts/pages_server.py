"""Serve a built site on 127.0.0.1 the way GitHub Pages does: under the site's sub-path, a
folder URL serves its index.html, and an unknown path answers 404 with the site's 404.html.

The one local web server here: `make serve` and `make devserver`, the tests and `make audit`
all use it. Ours because Python's http.server answers a missing file with its own error page,
and Pelican's server closes the connection without an answer.
"""

import http.server
import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, sub_path, **kwargs):
        self.sub_path = sub_path
        super().__init__(*args, **kwargs)

    def send_head(self):
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.sub_path + "/"):
            return self.not_found()
        self.path = path[len(self.sub_path):]
        local = Path(self.translate_path(self.path))
        if local.is_dir():
            local = local / "index.html"
        return super().send_head() if local.is_file() else self.not_found()

    def not_found(self):
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"Not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def log_message(self, *args):
        pass  # one line per request is noise beside the build's


def start(folder, port=0, sub_path=""):
    """Serve `folder` at http://127.0.0.1:PORT{sub_path}/ from a background thread; return the
    server (OSError if the port is taken)."""
    handler = partial(PagesHandler, directory=str(folder), sub_path=sub_path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def serve(folder, sub_path=""):
    """Serve `folder` on a free port while the block runs; yield its base URL (no trailing slash)."""
    server = start(folder, 0, sub_path)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{sub_path}"
    finally:
        server.shutdown()
        server.server_close()
