"""Promise: every page arrives in one round trip: with everything it loads it is at most
PAGE_GZIP_BYTES gzip-compressed, in at most REQUESTS_PER_PAGE requests, with no JavaScript
and no web fonts (budgets.py). Checked on the local and the published build."""

import random
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest
from budgets import JAVASCRIPT_BYTES, PAGE_GZIP_BYTES, REQUESTS_PER_PAGE, WEB_FONT_FILES
from conftest import ARTICLE_PAGE, PUBLISHED_SITEURL, SITE_PAGES, parse
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


def budget_problems(weight):
    problems = []
    if weight["gzip_bytes"] > PAGE_GZIP_BYTES:
        problems.append(f"{weight['gzip_bytes']} bytes gzip, over the budget of {PAGE_GZIP_BYTES}")
    if len(weight["files"]) > REQUESTS_PER_PAGE:
        problems.append(f"{len(weight['files'])} requests, over the budget of {REQUESTS_PER_PAGE}: {weight['files']}")
    if weight["javascript_bytes"] > JAVASCRIPT_BYTES:
        problems.append(f"{weight['javascript_bytes']} bytes of JavaScript")
    if len(weight["fonts"]) > WEB_FONT_FILES:
        problems.append(f"web fonts: {weight['fonts']}")
    return problems


@pytest.mark.parametrize("path", SITE_PAGES)
def test_page_is_within_its_budgets(built, path):
    assert budget_problems(page_weight(built.folder, path, built.pages[path], built.url)) == []


@pytest.mark.parametrize("path", SITE_PAGES)
def test_page_declares_its_icon_so_browsers_do_not_fetch_a_missing_favicon(built, path):
    assert declares_inline_icon(built.pages[path])


def test_icon_check_catches_a_page_without_one(pages):
    broken = parse(str(pages["index.html"]))
    broken.find("link", rel="icon").decompose()
    assert not declares_inline_icon(broken)


def test_no_javascript_or_font_files_are_shipped(built):
    code_and_fonts = {".js", ".mjs", ".woff", ".woff2", ".ttf", ".otf"}
    shipped = [p.name for p in built.folder.rglob("*") if p.suffix in code_and_fonts]
    assert shipped == []


@pytest.mark.browser
@pytest.mark.parametrize("path", SITE_PAGES)
def test_browser_makes_no_more_requests_than_budgeted(recorded_page, site_url, path):
    recorded_page.goto(f"{site_url}/{path}")
    assert len(recorded_page.requests) <= REQUESTS_PER_PAGE, recorded_page.requests


# The budget check fails when a budget is exceeded.

def test_budget_check_catches_a_heavy_page(site, tmp_path):
    copy = shutil.copytree(site, tmp_path / "site")
    article = copy / ARTICLE_PAGE
    words = " ".join(random.Random(1).choice(["pain", "dose", "relief", "risk", "study"]) + str(n) for n in range(3000))
    article.write_text(article.read_text("utf-8").replace("</main>", f"<p>{words}</p></main>"), "utf-8")
    assert any("over the budget of" in p for p in budget_problems(weigh(copy, ARTICLE_PAGE)))


def test_budget_check_catches_a_script_a_font_and_an_extra_request(site, tmp_path):
    copy = shutil.copytree(site, tmp_path / "site")
    (copy / "app.js").write_text("console.log('hi')")
    css = copy / "theme" / "css" / "site.css"
    css.write_text("@font-face { font-family: X; src: url(x.woff2); }\n" + css.read_text())
    (copy / "theme" / "css" / "x.woff2").write_bytes(b"\0" * 100)
    index = copy / "index.html"
    index.write_text(index.read_text().replace("</body>", '<script src="app.js"></script></body>'))
    found = " ".join(budget_problems(weigh(copy, "index.html")))
    assert "requests, over the budget" in found and "bytes of JavaScript" in found and "web fonts" in found
