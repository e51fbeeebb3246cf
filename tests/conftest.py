"""The built site, shared by every test: built once per session into a fresh temp folder."""

import hashlib
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from checks import parse  # noqa: F401 (the tests import it from here)
from pages_server import serve
from prerequisites import CHROMIUM_ARGS, find_chromium

import pelicanconf
from plugins.content_rules.content_rules import source_line
from plugins.content_rules.evidence import records_path
from plugins.content_rules.sources import parse_metadata
from plugins.editions.single_file import part_id
from scripts.build import SITE_MARKER, run_pelican

ROOT = Path(__file__).resolve().parent.parent


def source_metadata(source):
    """A Markdown file's metadata, as the build reads it: {"slug": ..., "date": ...}."""
    return dict(parse_metadata(Path(source).read_text("utf-8"))[0])


def page_file(metadata):
    """The HTML file the build writes for a page's metadata: Save_as, else Slug + .html."""
    return metadata.get("save_as") or f"{metadata['slug']}.html"


def content_sources(content=ROOT / "content"):
    """{HTML file: its Markdown source} of every page in content/, read from its metadata."""
    sources = sorted([*content.glob("articles/*.md"), *content.glob("pages/*.md")])
    return {page_file(source_metadata(source)): source for source in sources}


def evidence_pages(content=ROOT / "content"):
    """{evidence page: its page's Markdown source}: each page whose records hold a [[fact]]."""
    sources = sorted([*content.glob("articles/*.md"), *content.glob("pages/*.md")])
    return {pelicanconf.EVIDENCE_SAVE_AS.format(slug=source_metadata(source)["slug"]): source for source in sources
            if records_path(source).exists() and "[[fact]]" in records_path(source).read_text("utf-8")}


def content_pages(content=ROOT / "content"):
    """The HTML file of every Markdown page in content/, then the home page, then the evidence
    pages: a page added to content/ is checked by every per-page test with no list to update."""
    return ("index.html", *content_sources(content), *evidence_pages(content))


def content_articles(content=ROOT / "content"):
    """(source relative to content/, HTML file) of every article, newest first, as the home page
    lists them (two of one date in no promised order)."""
    articles = [(source, source_metadata(source)) for source in sorted(content.glob("articles/*.md"))]
    articles.sort(key=lambda article: article[1]["date"], reverse=True)
    return [(source.relative_to(content).as_posix(), page_file(metadata)) for source, metadata in articles]


def in_the_source(found, content=ROOT / "content"):
    """Problems by page ({page: [problem, or (words, problem)]}) as an editor needs them: by the
    Markdown file, and the line where the words are found there (the build's own source_line):
    ["content/articles/x.md:42: 'words': problem"]. [] when there are none."""
    sources = content_sources(content)
    lines = []
    for page, problems in found.items():
        source = sources.get(page)
        where = source.relative_to(content.parent).as_posix() if source else page
        for problem in problems:
            words, problem = problem if isinstance(problem, tuple) else (None, problem)
            line = words and source and source_line(source, words)
            lines.append(f"{where}{f':{line}' if line else ''}: {f'{words!r}: ' if words else ''}{problem}")
    return lines


def home_page_articles(index):
    """The files of the articles a built home page lists, in its order (newest first): the
    articles the tests check, read from the build rather than listed here."""
    return [Path(urlsplit(a["href"]).path).name for a in index.select(".article-list h3 a[href]")]


def menu_links(page):
    """The files a built page's main menu links to, in its order."""
    return [Path(urlsplit(a["href"]).path).name for a in page.select(".site-nav a[href]")]


SITE_PAGES = content_pages()
# The first article the home page lists, for the few tests that need one article by name.
FIRST_ARTICLE_SOURCE, FIRST_ARTICLE = content_articles()[0]


def article_markers(source=ROOT / "content" / FIRST_ARTICLE_SOURCE):
    """(its first citation mark, its Title line): edits that tests can make whatever the words are today."""
    text = Path(source).read_text("utf-8")
    return re.search(r"\[\^[^\]]+\]", text)[0], re.search(r"^Title: .*$", text, re.M)[0]


# A GitHub Pages project site: served under a sub-path, the classic source of broken links.
EXAMPLE_SITEURL = "https://example.github.io/ketamine-guide"
# The published site under test is a fresh build for EXAMPLE_SITEURL, unless PUBLISHED_OUTPUT
# names a `make publish` build (with its SITEURL): the Pages workflow tests what it deploys.
PUBLISHED_OUTPUT = os.environ.get("PUBLISHED_OUTPUT")
PUBLISHED_SITEURL = os.environ.get("SITEURL", "").rstrip("/") if PUBLISHED_OUTPUT else EXAMPLE_SITEURL


def build_site(output, settings="pelicanconf.py", content=ROOT / "content", env=None, theme=None, extra=()):
    """Run Pelican as `make html` does (warnings are fatal); return the finished process."""
    return run_pelican(settings, output, content, env=env, capture=True,
                       extra=[*(["--theme-path", str(theme)] if theme else []), *extra])


def run_make(target, env=None, cwd=ROOT, **variables):
    """Run a Makefile target as a maintainer would, with VAR=value overrides (and `env` added to
    the environment)."""
    return subprocess.run(
        ["make", "--no-print-directory", target, *(f"{name}={value}" for name, value in variables.items())],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, **(env or {})},
    )


def home_page_parts(index):
    """The names the single-file editions give the pages the home page lists, in its order
    ("page-glossary"): what they hold, read from a built home page rather than listed here."""
    return [part_id(Path(a["href"]).name) for a in index.select("main section a[href]")]


def tree_digest(folder):
    """{relative path: sha256} of every file under `folder`: equal digests, byte-identical trees.
    The marker scripts/build.py leaves in the sites it builds is left out: a site Pelican built
    directly is the same site."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file() and p.name != SITE_MARKER}




@pytest.fixture(scope="session")
def site(tmp_path_factory):
    output = tmp_path_factory.mktemp("site")
    result = build_site(output)
    assert result.returncode == 0, f"the site did not build:\n{result.stdout}\n{result.stderr}"
    return output


def build_published_site(output, siteurl=PUBLISHED_SITEURL, env=None, **kwargs):
    """Build as `make publish` does for a site at `siteurl` (and `env`, such as EDITIONS_DIR); fail
    the test if it does not build."""
    result = build_site(output, settings="publishconf.py", env={"SITEURL": siteurl, **(env or {})}, **kwargs)
    assert result.returncode == 0, f"the published site did not build:\n{result.stdout}\n{result.stderr}"
    return output


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    if PUBLISHED_OUTPUT:
        assert PUBLISHED_SITEURL.startswith("https://"), "PUBLISHED_OUTPUT needs the SITEURL it was built for"
        assert (Path(PUBLISHED_OUTPUT) / "index.html").is_file(), f"{PUBLISHED_OUTPUT} is not a built site"
        return Path(PUBLISHED_OUTPUT).resolve()
    return build_published_site(tmp_path_factory.mktemp("published"))


def read_pages(site):
    """{path relative to the site root: parsed HTML} for every HTML page of a built site; not the
    editions a published one may carry for download (DOWNLOADS_PATH), which test_downloads.py checks."""
    downloads = Path(site, pelicanconf.DOWNLOADS_PATH)
    return {p.relative_to(site).as_posix(): parse(p.read_text("utf-8"))
            for p in sorted(Path(site).rglob("*.html")) if not p.is_relative_to(downloads)}


@pytest.fixture(scope="session")
def published_pages(published_site):
    """{path: parsed HTML} for every page of the published site."""
    return read_pages(published_site)


@pytest.fixture(scope="session")
def pages(site):
    """{path relative to the site root: parsed HTML} for every HTML page."""
    return read_pages(site)


@pytest.fixture(scope="session")
def content():
    """The content folder the site under test was built from (a test of an edited copy passes its own)."""
    return ROOT / "content"


@pytest.fixture(scope="session")
def articles(pages):
    """{path: parsed HTML} of every article, in the order the built home page lists them."""
    return {path: pages[path] for path in home_page_articles(pages["index.html"])}


@pytest.fixture(scope="session")
def article(articles):
    """The first article the home page lists."""
    return next(iter(articles.values()))


@pytest.fixture(scope="session")
def site_url(site):
    """The local build served over HTTP on 127.0.0.1, as a reader's browser would load it."""
    with serve(site, "") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's, or $CHROMIUM_PATH), driven by Playwright."""
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    assert executable, "Chromium not found: run `sudo apt-get install -y chromium` (or set CHROMIUM_PATH)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile for one test: no cookies, storage or cache from another."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def recorded_page(context):
    """A page in a fresh profile that keeps, in `.requests`, the URL of every request it makes."""
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    return page


# The offline editions (`make offline`: the zip, the print edition, the EPUB), built once for the
# session and shared by every module that checks them.

def make_offline(dist):
    """Run `make offline` into `dist`; fail the test if it fails; return what it printed."""
    result = run_make("offline", DIST=dist)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def offline_run(tmp_path_factory):
    """(the dist folder `make offline` wrote, what it printed)."""
    dist = tmp_path_factory.mktemp("offline") / "dist"
    return dist, make_offline(dist)


@pytest.fixture(scope="session")
def dist(offline_run):
    """The folder `make offline` wrote its editions into."""
    return offline_run[0]


@pytest.fixture(scope="session")
def offline_run_again(tmp_path_factory):
    """A second `make offline`, in another folder and later, into a dist holding what an interrupted
    run left (a file half written, its scratch folder): its editions must be the same bytes as the
    first's, and the leftovers gone."""
    dist = tmp_path_factory.mktemp("offline-again") / "dist"
    dist.mkdir()
    (dist / ".partial-abc123").write_bytes(b"half a zip")
    (dist / ".partial-scratch").mkdir()
    return dist, make_offline(dist)
