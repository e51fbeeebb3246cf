"""Promise: every page arrives in one round trip: with everything it loads it is at most
PAGE_GZIP_BYTES gzip-compressed, in at most REQUESTS_PER_PAGE requests, with no JavaScript
and no web fonts (budgets.py); each picture it shows after that is at most PICTURE_BYTES.
Checked on the local and the published build."""

import random
from pathlib import Path
from typing import NamedTuple

import pytest
from budgets import (
    EVIDENCE_PAGE_GZIP_BYTES,
    JAVASCRIPT_BYTES,
    PAGE_GZIP_BYTES,
    PICTURE_BYTES,
    REQUESTS_PER_PAGE,
    WEB_FONT_FILES,
)
from conftest import PUBLISHED_SITEURL, ROOT, SITE_PAGES, evidence_pages, parse
from weight import page_weight


class Build(NamedTuple):
    folder: Path
    url: str  # "" for the local build, whose links are relative
    pages: dict  # {path: parsed HTML}


@pytest.fixture(scope="module", params=["local", "published"])
def built(request, site, pages, published_site, published_pages):
    if request.param == "local":
        return Build(site, "", pages)
    return Build(published_site, PUBLISHED_SITEURL, published_pages)


def weigh(site, path):
    return page_weight(site, path, parse((site / path).read_text("utf-8")))


def declares_inline_icon(soup):
    icon = soup.find("link", rel="icon")
    return icon is not None and icon.get("href", "").startswith("data:")


def gzip_budget(path, content=ROOT / "content"):
    """An evidence page's own budget (budgets.py), else a page's."""
    return EVIDENCE_PAGE_GZIP_BYTES if path in evidence_pages(content) else PAGE_GZIP_BYTES


def budget_problems(weight, gzip_budget=PAGE_GZIP_BYTES):
    problems = []
    if weight["gzip_bytes"] > gzip_budget:
        problems.append(f"{weight['gzip_bytes']} bytes gzip, over the budget of {gzip_budget}")
    if len(weight["files"]) > REQUESTS_PER_PAGE:
        problems.append(f"{len(weight['files'])} requests, over the budget of {REQUESTS_PER_PAGE}: {weight['files']}")
    if weight["javascript_bytes"] > JAVASCRIPT_BYTES:
        problems.append(f"{weight['javascript_bytes']} bytes of JavaScript")
    if len(weight["fonts"]) > WEB_FONT_FILES:
        problems.append(f"web fonts: {weight['fonts']}")
    problems += [f"picture {url} is {size} bytes, over the budget of {PICTURE_BYTES}: make it smaller"
                 for url, size in weight["pictures"].items() if size > PICTURE_BYTES]
    return problems


@pytest.mark.parametrize("path", SITE_PAGES)
def test_page_is_within_its_budgets(built, path):
    assert budget_problems(page_weight(built.folder, path, built.pages[path], built.url), gzip_budget(path)) == []


@pytest.mark.parametrize("path", SITE_PAGES)
def test_page_declares_its_icon_so_browsers_do_not_fetch_a_missing_favicon(built, path):
    assert declares_inline_icon(built.pages[path])


def test_icon_check_catches_a_page_without_one_and_a_fetched_icon():
    assert declares_inline_icon(parse('<link rel="icon" href="data:,">'))
    assert not declares_inline_icon(parse('<link rel="stylesheet" href="site.css">'))
    assert not declares_inline_icon(parse('<link rel="icon" href="favicon.ico">'))


def test_no_javascript_or_font_files_are_shipped(built):
    code_and_fonts = {".js", ".mjs", ".woff", ".woff2", ".ttf", ".otf"}
    shipped = [p.name for p in built.folder.rglob("*") if p.suffix in code_and_fonts]
    assert shipped == []


@pytest.mark.browser
@pytest.mark.parametrize("path", SITE_PAGES)
def test_browser_makes_no_more_requests_than_budgeted(recorded_page, site_url, path):
    recorded_page.goto(f"{site_url}/{path}")
    pictures = len(recorded_page.query_selector_all("img"))
    assert len(recorded_page.requests) <= REQUESTS_PER_PAGE + pictures, recorded_page.requests


# The budget check fails when a budget is exceeded, on a one-page site written here.

def small_site(folder, body, css="body { margin: 0 }"):
    """A page linking one stylesheet, with `body` in it; returns the folder."""
    (folder / "style.css").write_text(css, "utf-8")
    (folder / "page.html").write_text(f'<link rel="stylesheet" href="style.css"><main>{body}</main>', "utf-8")
    return folder


def test_budget_check_passes_a_light_page(tmp_path):
    assert budget_problems(weigh(small_site(tmp_path, "<p>Short.</p>"), "page.html")) == []


def test_budget_check_catches_a_heavy_page(tmp_path):
    rng = random.Random(1)
    words = " ".join(f"{rng.getrandbits(64):x}" for _ in range(3000))  # text gzip cannot shrink much
    found = budget_problems(weigh(small_site(tmp_path, f"<p>{words}</p>"), "page.html"))
    assert len(found) == 1 and found[0].endswith(f"bytes gzip, over the budget of {PAGE_GZIP_BYTES}")


def test_budget_check_catches_a_script_a_font_and_an_extra_request(tmp_path):
    font = "@font-face { font-family: X; src: url(x.woff2); }"
    site = small_site(tmp_path, '<script src="app.js"></script>', css=font)
    (site / "app.js").write_text("console.log('hi')")
    (site / "x.woff2").write_bytes(b"\0" * 100)
    found = " ".join(budget_problems(weigh(site, "page.html")))
    assert "requests, over the budget" in found and "bytes of JavaScript" in found and "web fonts" in found


def test_budget_check_lets_a_small_picture_follow_the_text_but_not_a_large_one(tmp_path):
    site = small_site(tmp_path, '<p>Text.</p><img alt="A chart" src="small.png"><img alt="A photo" src="large.jpg">')
    (site / "small.png").write_bytes(b"\0" * PICTURE_BYTES)
    (site / "large.jpg").write_bytes(b"\0" * (PICTURE_BYTES + 1))
    assert budget_problems(weigh(site, "page.html")) == [
        f"picture large.jpg is {PICTURE_BYTES + 1} bytes, over the budget of {PICTURE_BYTES}: make it smaller"]
