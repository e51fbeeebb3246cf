"""A stand-in for GitHub Pages on 127.0.0.1, and a crawler that follows a site's links over real HTTP.

Like a Pages project site, the folder is served under a sub-path, a folder URL serves its
index.html, and an unknown path answers 404 with the site's 404.html.
"""

import http.server
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup
from checks import page_urls


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
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
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, *args):
        pass


@contextmanager
def serve(folder, sub_path):
    """Serve `folder` at http://127.0.0.1:PORT{sub_path}/; yield that base URL (no trailing slash)."""
    handler = partial(SubPathHandler, directory=str(folder), sub_path=sub_path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{sub_path}"
    finally:
        server.shutdown()
        server.server_close()


def fetch(url):
    """(status, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def linked_urls(html, page_url):
    """Absolute URLs of everything a page links to or loads (fragments removed)."""
    soup = BeautifulSoup(html, "lxml")
    found = set()
    for _, target in page_urls(soup):
        if target and not target.startswith(("#", "mailto:", "tel:", "data:")):
            found.add(urldefrag(urljoin(page_url, target)).url)
    return found


class Crawl:
    """Follows every link from `public_url` + "/" as a reader would, through the local server.

    `public_url` is the address the site was built for; requests for it go to `local_url`
    instead, and URLs on other hosts (cited sources) are left alone. Anything else the
    site's pages point at on the site's own host, even outside the sub-path, is fetched.
    """

    def __init__(self, public_url, local_url):
        self.public_url, self.local_url = public_url, local_url
        self.public_host = "{0.scheme}://{0.netloc}".format(urlsplit(public_url))
        self.local_host = "{0.scheme}://{0.netloc}".format(urlsplit(local_url))
        self.status = {}  # public URL -> HTTP status
        self.html_pages = set()

    def to_local(self, public):
        if public.startswith(self.public_url + "/"):
            return self.local_url + public[len(self.public_url):]
        return self.local_host + public[len(self.public_host):]

    def on_site(self, url):
        return url == self.public_host or url.startswith(self.public_host + "/")

    def run(self):
        queue = [self.public_url + "/"]
        while queue:
            url = queue.pop()
            if url in self.status:
                continue
            status, body = fetch(self.to_local(url))
            self.status[url] = status
            if status == 200 and (url.endswith((".html", "/"))):
                self.html_pages.add(url)
                queue.extend(u for u in linked_urls(body, url) if self.on_site(u) and u not in self.status)
        return self

    def broken(self):
        return {url: status for url, status in self.status.items() if status != 200}
