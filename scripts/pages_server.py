"""Serve a built site on 127.0.0.1 the way GitHub Pages does: under the site's sub-path, a
folder URL serves its index.html, and an unknown path answers 404 with the site's 404.html.

The one local web server here: `make serve` and `make devserver`, the tests and `make audit`
all use it. Ours because Python's http.server answers a missing file with its own error page,
and Pelican's server closes the connection without an answer.
"""

import http.server
import posixpath
import sys
import threading
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

MAX_PATH = 1024  # far longer than any page's address, far shorter than a file system's limit


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, sub_path, **kwargs):
        self.sub_path = sub_path
        super().__init__(*args, **kwargs)

    def send_head(self):
        """The file the path names inside the site, or 404. Only files under the site's folder,
        symbolic links resolved, are served; the one redirect (a folder without its "/") stays on
        this server whatever the path says ("//host", "%2F", "\\")."""
        path = unquote(urlsplit(self.path).path)
        if len(path) > MAX_PATH:
            self.send_error(414, "address too long")
            return None
        if not path.startswith(self.sub_path + "/"):
            return self.not_found()
        inside = posixpath.normpath("/" + path[len(self.sub_path):].replace("\\", "/")).lstrip("/")
        site = Path(self.directory).resolve()
        local = (site / inside).resolve()
        if not local.is_relative_to(site):
            return self.not_found()
        if local.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", quote(f"{self.sub_path}/{inside}/".replace("//", "/")))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            local = local / "index.html"
        if not local.is_file() or not local.resolve().is_relative_to(site):
            return self.not_found()
        self.path = "/" + local.relative_to(site).as_posix()
        return super().send_head()

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


class PagesServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """One line, not a traceback: a client that went away is no fault of the site."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            print(f"a client went away before its answer was sent ({error.__class__.__name__})", file=sys.stderr)
        else:
            print(f"error answering a request: {error.__class__.__name__}: {error}", file=sys.stderr)


def start(folder, port=0, sub_path=""):
    """Serve `folder` at http://127.0.0.1:PORT{sub_path}/ from a background thread; return the
    server (OSError if the port is taken)."""
    handler = partial(PagesHandler, directory=str(folder), sub_path=sub_path)
    server = PagesServer(("127.0.0.1", port), handler)
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
