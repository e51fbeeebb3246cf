"""Promise: no broken links. Every internal href and src names a file in the built site,
every #fragment exists on its target page, and no link uses insecure http."""

from urllib.parse import urlsplit

from checks import link_problems, page_urls, problems_by_page
from conftest import parse


def insecure_link_problems(soup):
    return [f"'{url}' is not https" for _, url in page_urls(soup) if urlsplit(url).scheme in ("http", "ftp")]


def test_every_internal_link_and_fragment_resolves(site, pages):
    found = {path: p for path, soup in pages.items() if (p := link_problems(path, soup, site, pages))}
    assert found == {}


def test_no_link_uses_insecure_http(pages):
    assert problems_by_page(pages, insecure_link_problems) == {}


# The checkers catch the faults they are for, on a two-page site written here.

def small_site(folder, **pages):
    """A site folder holding `pages` ({name: HTML}); returns {path: parsed HTML}."""
    for name, html in pages.items():
        (folder / f"{name}.html").write_text(html, "utf-8")
    return {f"{name}.html": parse(html) for name, html in pages.items()}


def test_link_check_catches_a_missing_anchor_a_missing_file_and_a_root_link(tmp_path):
    site = small_site(
        tmp_path, a='<h2 id="facts">Facts</h2><a href="./b.html#risks">Risks</a><a href="#facts">up</a>',
        b='<h2 id="dangers">Dangers</h2><a href="./no-such-page.html">x</a><img src="/theme/x.css" alt="">')
    assert link_problems("a.html", site["a.html"], tmp_path, site) == [
        "'./b.html#risks': b.html has no element with id 'risks'"]
    assert link_problems("b.html", site["b.html"], tmp_path, site) == [
        "'./no-such-page.html' points to no-such-page.html, which is not a file in the site",
        "'/theme/x.css' is not relative to the site (it leaves the site folder)"]


def test_https_check_catches_an_http_link():
    soup = parse('<a href="http://example.org/">x</a><a href="https://example.org/">y</a>')
    assert insecure_link_problems(soup) == ["'http://example.org/' is not https"]
