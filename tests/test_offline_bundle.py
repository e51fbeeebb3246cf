"""Promise: `make offline` gives a zip that works opened straight from disk, with no network,
and a single-file printable edition; the zip is reproducible."""

import hashlib
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_checks import STYLESHEET_APPLIED, VIEWS, axe_violations_in_every_view, click_through
from checks import mark_problems, numbering_problems, page_urls, site_path, vnu_errors
from conftest import FIRST_ARTICLE as ARTICLE_PAGE
from conftest import SITE_PAGES, home_page_parts, parse, part_id

from offlineconf import PRINT_EDITION_SAVE_AS, SITE_SLUG

ZIP_NAME = f"{SITE_SLUG}-offline.zip"
PRINT_NAME = PRINT_EDITION_SAVE_AS


def bundle_link_problems(page_path, soup, bundle):
    """In an offline bundle: every href/src is relative and names a file inside the bundle
    (a browser on file:// does not turn a folder URL into its index.html). Only <a> may
    point to the web, and only over https."""
    problems = []
    for tag, url in page_urls(soup):
        if url.startswith(("#", "data:", "mailto:")):
            continue
        if urlsplit(url).scheme or url.startswith("//"):
            if not (tag.name == "a" and url.startswith("https://")):
                problems.append(f"<{tag.name}> loads '{url}' from outside the bundle")
            continue
        if url.startswith("/"):
            problems.append(f"'{url}' is not relative")
            continue
        path = site_path(page_path, url)
        target = bundle / path
        if path.startswith(".."):
            problems.append(f"'{url}' points outside the bundle")
        elif not target.is_file():
            problems.append(f"'{url}' is {'a folder' if target.is_dir() else 'missing'}, not a file")
    return problems


@pytest.fixture(scope="module")
def bundle(dist, tmp_path_factory):
    """The zip, unzipped into a temp folder: the bundle's one top folder."""
    unzipped = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(dist / ZIP_NAME) as archive:
        archive.extractall(unzipped)
    (top,) = unzipped.iterdir()
    return top


@pytest.fixture(scope="module")
def bundle_pages(bundle):
    return {p.relative_to(bundle).as_posix(): parse(p.read_text("utf-8")) for p in sorted(bundle.rglob("*.html"))}


def test_make_offline_prints_the_paths_and_sizes(offline_run):
    dist, printed = offline_run
    assert f"{dist / ZIP_NAME}  " in printed and "KiB" in printed


def checksum_problems(bundle):
    """Files missing from SHA256SUMS, listed but absent, or not matching their checksum."""
    sums = dict(line.split("  ", 1)[::-1] for line in (bundle / "SHA256SUMS").read_text().splitlines())
    every_file = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    problems = [f"{name}: not in SHA256SUMS" for name in sorted(every_file - set(sums))]
    problems += [f"{name}: listed but missing" for name in sorted(set(sums) - every_file)]
    problems += [f"{name}: checksum does not match" for name in sorted(set(sums) & every_file)
                 if hashlib.sha256((bundle / name).read_bytes()).hexdigest() != sums[name]]
    return problems


def test_zip_is_one_folder_with_index_readme_and_checksums(bundle, bundle_pages):
    assert bundle.name == f"{SITE_SLUG}-offline"
    assert set(SITE_PAGES) | {PRINT_NAME} <= set(bundle_pages)
    readme = (bundle / "README.txt").read_text("utf-8")
    assert "index.html" in readme and "not medical advice" in readme and "source revision" in readme
    assert checksum_problems(bundle) == []


def test_checksum_check_catches_a_changed_and_an_added_file(bundle, tmp_path):
    copy = shutil.copytree(bundle, tmp_path / "bundle")
    (copy / "about.html").write_text("changed")
    (copy / "extra.html").write_text("added")
    assert checksum_problems(copy) == ["extra.html: not in SHA256SUMS", "about.html: checksum does not match"]


def test_every_link_is_relative_and_names_a_file_in_the_bundle(bundle, bundle_pages):
    found = {path: p for path, soup in bundle_pages.items() if (p := bundle_link_problems(path, soup, bundle))}
    assert found == {}


@pytest.mark.java
@pytest.mark.node
def test_every_bundle_page_and_the_print_edition_are_valid_html(bundle, bundle_pages):
    errors = vnu_errors([bundle / path for path in bundle_pages])
    assert errors == {Path(path).name: [] for path in bundle_pages}


SIDEWAYS_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.browser
@pytest.mark.node
def test_print_edition_has_no_wcag_violations_and_no_sideways_scroll(browser, dist):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto((dist / PRINT_NAME).as_uri())
    violations = axe_violations_in_every_view(page)  # a phone and a desktop, light and dark
    overflow = {}
    for width, scheme in VIEWS:
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(color_scheme=scheme)
        overflow[f"{width} px, {scheme}"] = page.evaluate(SIDEWAYS_OVERFLOW)
    context.close()
    assert violations == {} and all(pixels <= 0 for pixels in overflow.values()), overflow


def test_every_bundle_page_links_to_the_print_edition(bundle_pages):
    pages = [path for path in bundle_pages if path != PRINT_NAME]
    assert pages and all(bundle_pages[path].select_one(f'footer a[href="./{PRINT_NAME}"]') for path in pages)


def test_two_builds_give_byte_identical_zips(dist, offline_run_again):
    again, _ = offline_run_again
    assert (again / ZIP_NAME).read_bytes() == (dist / ZIP_NAME).read_bytes()
    assert (again / PRINT_NAME).read_bytes() == (dist / PRINT_NAME).read_bytes()


def test_link_check_catches_absolute_and_folder_links(bundle, bundle_pages):
    broken = parse(str(bundle_pages["index.html"]))
    broken.find("main").append(broken.new_tag("a", href="https://example.github.io/ketamine-guide/about.html"))
    broken.find("main").append(broken.new_tag("a", href="theme/"))
    broken.find("main").append(broken.new_tag("a", href="/about.html"))
    broken.head.append(broken.new_tag("link", rel="stylesheet", href="https://cdn.example/site.css"))
    found = " ".join(bundle_link_problems("index.html", broken, bundle))
    assert "'theme/' is a folder" in found and "'/about.html' is not relative" in found
    assert "<link> loads 'https://cdn.example/site.css'" in found


# In a real browser, from disk.

@pytest.mark.browser
def test_whole_site_opens_from_disk_with_the_stylesheet_and_no_network(recorded_page, bundle):
    reached, problems = click_through(recorded_page, (bundle / "index.html").as_uri())
    assert problems == []
    assert {url.rsplit("/", 1)[-1] for url in reached} >= set(SITE_PAGES) - {"404.html"}
    assert all(reached.values()), f"stylesheet not applied on {[u for u, ok in reached.items() if not ok]}"
    assert [u for u in recorded_page.requests if not u.startswith(("file://", "data:"))] == []


WEB_LINK_MARKS = """[...document.querySelectorAll('main a[href^="https:"]')]
    .map(a => getComputedStyle(a, '::after').content)"""


@pytest.mark.browser
def test_web_links_are_marked_visibly_as_needing_internet(recorded_page, bundle, bundle_pages):
    assert "needs internet" in bundle_pages["index.html"].find("footer").get_text()
    recorded_page.goto((bundle / ARTICLE_PAGE).as_uri())
    marks = recorded_page.evaluate(WEB_LINK_MARKS)
    assert marks and set(marks) == {'" (needs internet)"'}


@pytest.mark.browser
def test_mark_check_catches_a_page_without_the_offline_marking(recorded_page, bundle):
    recorded_page.goto((bundle / ARTICLE_PAGE).as_uri())
    recorded_page.evaluate("document.body.classList.remove('offline')")
    assert '" (needs internet)"' not in recorded_page.evaluate(WEB_LINK_MARKS)


@pytest.mark.browser
def test_print_edition_loads_with_no_request_but_itself_and_holds_what_the_home_page_lists(
        recorded_page, dist, bundle_pages):
    recorded_page.goto((dist / PRINT_NAME).as_uri())
    assert recorded_page.evaluate(STYLESHEET_APPLIED)
    assert [u for u in recorded_page.requests if not u.startswith("data:")] == [(dist / PRINT_NAME).as_uri()]
    html = parse((dist / PRINT_NAME).read_text("utf-8"))
    assert len(html.find_all("h1")) == 1
    parts = [s["id"] for s in html.select("section.print-part")]
    assert parts == home_page_parts(bundle_pages["index.html"])
    assert html.select(f"section#{part_id(ARTICLE_PAGE)} div.footnote li")


@pytest.mark.browser
def test_browser_check_catches_a_web_stylesheet_and_a_folder_link(recorded_page, bundle, tmp_path):
    # One page and the theme: click_through clicks every link of every page it reaches, and the
    # faults are on this one (its links to the other pages lead nowhere, and are not followed).
    copy = tmp_path / "bundle"
    shutil.copytree(bundle / "theme", copy / "theme")
    about = copy / "about.html"
    shutil.copy(bundle / "about.html", about)
    about.write_text(about.read_text("utf-8").replace("./theme/css/site.css", "https://cdn.example/site.css")
                     .replace('href="./glossary.html"', 'href="./theme/"'))
    reached, problems = click_through(recorded_page, about.as_uri())
    assert reached[about.as_uri()] is False
    assert "https://cdn.example/site.css" in recorded_page.requests
    assert any("clicking './theme/' did not open a page" in p for p in problems)


def print_edition_id_problems(html):
    """Ids unique; every #link, aria-labelledby and label target an id in the one file."""
    ids = [element["id"] for element in html.find_all(id=True)]
    problems = [f"id '{i}' is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    references = [a["href"][1:] for a in html.select("a[href^='#']")]
    references += [i for element in html.select("[aria-labelledby]") for i in element["aria-labelledby"].split()]
    problems += [f"'#{target}' names no element" for target in references if target not in ids]
    return problems


def test_print_edition_ids_and_references_agree_and_its_health_notes_appear_once(dist):
    html = parse((dist / PRINT_NAME).read_text("utf-8"))
    assert print_edition_id_problems(html) == []
    assert len(html.select(".callout-info")) == 1 and len(html.select(".callout-urgent")) == 1


def test_id_check_catches_a_renamed_id_and_a_duplicate(dist):
    html = parse((dist / PRINT_NAME).read_text("utf-8"))
    html.select_one("#print-contents-title")["id"] = "renamed"
    html.select("section.print-part")[1]["id"] = html.select("section.print-part")[0]["id"]
    found = print_edition_id_problems(html)
    assert "'#print-contents-title' names no element" in found
    assert any("is used twice" in problem for problem in found)


def test_print_edition_citation_marks_read_right_and_are_numbered_once_across_the_file(dist):
    html = parse((dist / PRINT_NAME).read_text("utf-8"))
    assert len({mark.find_parent("section", class_="print-part")["id"] for mark in html.select("a.footnote-ref")}) > 1
    assert mark_problems({PRINT_NAME: html}) == [] and numbering_problems({PRINT_NAME: html}) == []


MARK_BRACKETS = "getComputedStyle(document.querySelector('a.footnote-ref'), '::before').content"


@pytest.mark.browser
def test_print_edition_marks_are_bracketed_once_and_dated_as_the_readme(recorded_page, dist, bundle):
    recorded_page.goto((dist / PRINT_NAME).as_uri())
    assert recorded_page.evaluate(MARK_BRACKETS) == "none", "the stylesheet adds brackets to '[1]'"
    recorded_page.goto((bundle / ARTICLE_PAGE).as_uri())
    assert recorded_page.evaluate(MARK_BRACKETS) == "none"  # the site's own pages: brackets are the text
    assert recorded_page.evaluate("document.querySelector('a.footnote-ref').textContent") == "[1]"
    printed = re.search(r"Printed from the edition of ([^.]+)\.", (dist / PRINT_NAME).read_text("utf-8"))[1]
    assert f"Edition\n  {printed} " in (bundle / "README.txt").read_text("utf-8")
