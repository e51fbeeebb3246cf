"""What a page costs a reader: the files it loads, their gzip size, its JavaScript and fonts."""

import gzip
import re
from urllib.parse import urlsplit

from checks import site_path

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")
FONT_FILE = re.compile(r"\.(woff2?|ttf|otf|eot)$", re.I)


def gzip_size(data):
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def loaded_urls(soup):
    """URLs a browser fetches to show the page (not links the reader may follow)."""
    urls = [link.get("href") for link in soup.find_all("link", href=True)
            if {"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(link.get("rel", []))]
    urls += [tag.get("src") for tag in soup.find_all(["script", "img", "iframe", "source", "video", "audio"], src=True)]
    return [u for u in urls if u and not u.startswith("data:")]


def local_file(site, page_path, url, site_url=""):
    """The output file a URL names: page-relative, or absolute under `site_url` (None if outside the site)."""
    if site_url and url.startswith(site_url + "/"):
        url, page_path = url[len(site_url) + 1:], ""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    return site / site_path(page_path, url)


def page_weight(site, page_path, soup, site_url=""):
    """{"files": [URLs loaded, the page first], "gzip_bytes": total, "javascript_bytes": n, "fonts": [...],
    "pictures": {URL: bytes}}. A URL outside the site counts as a request, with unknown (so infinite)
    weight. The page's own pictures (<img>, from the site) come after its text, so they have a budget
    of their own, each, rather than a share of the text's round trip."""
    files, total, javascript, fonts = [page_path], gzip_size((site / page_path).read_bytes()), 0, []
    javascript += sum(len((s.string or "").encode()) for s in soup.find_all("script", src=False)
                      if s.get("type") != "application/ld+json")
    pictures = {}
    for image in soup.find_all("img", src=True):
        target = local_file(site, page_path, image["src"], site_url)
        if target is not None and target.is_file():
            pictures[image["src"]] = target.stat().st_size
    queue = [(page_path, url) for url in loaded_urls(soup) if url not in pictures]
    while queue:
        referrer, url = queue.pop(0)
        files.append(url)
        target = local_file(site, referrer, url, site_url)
        if target is None or not target.is_file():
            total = float("inf")
            continue
        data = target.read_bytes()
        total += gzip_size(data)
        if target.suffix == ".js":
            javascript += len(data)
        if FONT_FILE.search(target.name):
            fonts.append(url)
        if target.suffix == ".css":
            css = data.decode("utf-8")
            if "@font-face" in css:
                fonts.append(f"@font-face in {url}")
            css_path = target.relative_to(site).as_posix()
            queue += [(css_path, u) for u in CSS_URL.findall(css) if not u.startswith("data:")]
    return {"files": files, "gzip_bytes": total, "javascript_bytes": javascript, "fonts": fonts, "pictures": pictures}
