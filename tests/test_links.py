"""Promise: no broken links. Every internal href and src names a file in the built site,
every #fragment exists on its target page, and no link uses insecure http."""

from urllib.parse import urlsplit

from checks import link_problems, page_urls, problems_by_page
from conftest import ARTICLE_PAGE, parse


def insecure_link_problems(soup):
    return [f"'{url}' is not https" for _, url in page_urls(soup) if urlsplit(url).scheme in ("http", "ftp")]


def test_every_internal_link_and_fragment_resolves(site, pages):
    found = {path: p for path, soup in pages.items() if (p := link_problems(path, soup, site, pages))}
    assert found == {}


def test_no_link_uses_insecure_http(pages):
    assert problems_by_page(pages, insecure_link_problems) == {}


# The checkers catch the faults they are for.

def test_link_check_catches_a_removed_anchor(site, pages, article):
    broken_pages = dict(pages)
    broken_pages[ARTICLE_PAGE] = broken = parse(str(article))
    del broken.find(id="key-facts")["id"]
    assert any("no element with id 'key-facts'" in p for p in link_problems(ARTICLE_PAGE, broken, site, broken_pages))


def test_link_check_catches_a_missing_file_and_a_root_link(site, pages, article):
    broken = parse(str(article))
    broken.find("main").append(broken.new_tag("a", href="./no-such-page.html"))
    broken.find("main").append(broken.new_tag("img", src="/theme/css/site.css", alt=""))
    found = " ".join(link_problems(ARTICLE_PAGE, broken, site, pages))
    assert "no-such-page.html, which is not a file" in found and "not relative" in found


def test_https_check_catches_an_http_link(article):
    broken = parse(str(article))
    broken.find("main").append(broken.new_tag("a", href="http://example.org/"))
    assert insecure_link_problems(broken) == ["'http://example.org/' is not https"]
