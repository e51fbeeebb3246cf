"""A crawler that follows a site's links over real HTTP, through the local stand-in for GitHub
Pages (scripts/pages_server.py: a sub-path, folder URLs, 404.html for an unknown path)."""

import urllib.error
import urllib.request
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup
from checks import page_urls

from scripts.pages_server import serve  # noqa: F401 (the tests import it from here)


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
