"""Promise: the editions reach readers. A published build given EDITIONS_DIR, the folder of a
finished `make offline`, carries the offline zip, the print edition and the EPUB, and its home
page links each, its link naming its format and size, with the edition's date as its README
gives it; every page stays within its budgets (they are links, never loaded). Without
EDITIONS_DIR nothing is linked; a folder missing an edition stops `make publish` in one line and
leaves the last site as it was. The Pages workflow builds the editions first and deploys them."""

import datetime
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import (
    PUBLISHED_SITEURL,
    ROOT,
    SITE_PAGES,
    build_published_site,
    parse,
    run_make,
    tree_digest,
)
from pages_server import Crawl, fetch, serve
from test_budgets import budget_problems, gzip_budget
from weight import page_weight

from pelicanconf import DOWNLOADS_PATH, EDITION_DOWNLOADS, EDITION_FILES

# What a link to each edition says it is: its format, in words a reader knows.
FORMATS = {".zip": "ZIP", ".html": "HTML for printing", ".epub": "EPUB"}
LINK_TEXT = re.compile(r"\((?P<format>[^,()]+), (?P<size>[0-9,]+) KB\)")


def download_links(index):
    """{file name: its <a>} of the home page's links into DOWNLOADS_PATH."""
    return {Path(urlsplit(a["href"]).path).name: a for a in index.select("a[href]")
            if f"/{DOWNLOADS_PATH}/" in urlsplit(a["href"]).path}


def edition_date(bundle):
    """The edition's date, in words, as the zip's README.txt gives it."""
    with zipfile.ZipFile(bundle) as archive:
        readme = next(name for name in archive.namelist() if name.endswith(f"/{EDITION_FILES['readme']}"))
        return re.search(r"^Edition\n  (.+?) \(", archive.read(readme).decode(), re.M)[1]


def download_problems(index, site, editions):
    """Each edition in `editions` linked from the home page, named by its format, with its size and
    the edition's date, and the link naming a file of the site that is that edition."""
    links = download_links(index)
    problems = [f"{name}: not linked from the home page" for name in EDITION_DOWNLOADS.values() if name not in links]
    problems += [f"{name}: linked, but not an edition" for name in links if name not in EDITION_DOWNLOADS.values()]
    date = edition_date(editions / EDITION_DOWNLOADS["zip"])
    for name, link in links.items():
        copy, shown = site / DOWNLOADS_PATH / name, LINK_TEXT.search(link.get_text())
        if not copy.is_file() or copy.read_bytes() != (editions / name).read_bytes():
            problems.append(f"{name}: the site holds no copy of the edition")
            continue
        if not shown or shown["format"] != FORMATS[copy.suffix]:
            problems.append(f"{name}: its link '{link.get_text()}' does not say '({FORMATS[copy.suffix]}, N KB)'")
        elif abs(int(shown["size"].replace(",", "")) - copy.stat().st_size / 1024) > 0.5:
            problems.append(f"{name}: its link says {shown['size']} KB, the file is {copy.stat().st_size} bytes")
        time, iso_date = link.parent.find("time"), datetime.datetime.strptime(date, "%d %B %Y").date().isoformat()
        if not time or time.get_text() != date or time.get("datetime") != iso_date:
            problems.append(f"{name}: not dated {date}, as the edition's README")
    return problems


@pytest.fixture(scope="module")
def published(dist, tmp_path_factory):
    """The site as `make publish` builds it with the editions (for PUBLISHED_SITEURL)."""
    output = tmp_path_factory.mktemp("with-editions") / "output-publish"
    result = run_make("publish", SITEURL=PUBLISHED_SITEURL, PUBLISH_OUTPUT=output, EDITIONS_DIR=dist)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def test_the_published_site_carries_and_links_every_edition_with_its_format_size_and_date(published, dist):
    assert download_problems(parse((published / "index.html").read_text("utf-8")), published, dist) == []


def test_every_link_of_the_site_with_its_editions_answers_under_its_sub_path(published, dist):
    links = download_links(parse((published / "index.html").read_text("utf-8")))
    with serve(published, urlsplit(PUBLISHED_SITEURL).path) as local_url:
        crawl = Crawl(PUBLISHED_SITEURL, local_url).run()
        assert crawl.broken() == {}
        for name, link in links.items():
            assert fetch(crawl.to_local(link["href"])) == (200, (dist / name).read_bytes()), name


def test_every_page_with_the_editions_linked_is_within_its_budgets(published):
    found = {}
    for path in SITE_PAGES:
        weight = page_weight(published, path, parse((published / path).read_text("utf-8")), PUBLISHED_SITEURL)
        if problems := budget_problems(weight, gzip_budget(path)):
            found[path] = problems
    assert found == {}


def test_without_editions_dir_no_edition_is_linked_or_carried(site, pages, tmp_path):
    plain = build_published_site(tmp_path / "plain", env={"EDITIONS_DIR": ""})
    for folder, index in ((site, pages["index.html"]), (plain, parse((plain / "index.html").read_text("utf-8")))):
        assert download_links(index) == {} and not (folder / DOWNLOADS_PATH).exists()


def test_download_check_catches_a_missing_link_a_wrong_size_and_another_date(published, dist, tmp_path):
    copy = shutil.copytree(published, tmp_path / "site")
    index = parse((copy / "index.html").read_text("utf-8"))
    links = download_links(index)
    links[EDITION_DOWNLOADS["epub"]].decompose()
    zip_link = links[EDITION_DOWNLOADS["zip"]]
    zip_link.string = LINK_TEXT.sub("(ZIP, 1,000,000 KB)", zip_link.get_text())
    print_link = links[EDITION_DOWNLOADS["print"]]
    print_link.parent.find("time").string = "1 January 2000"
    (copy / DOWNLOADS_PATH / EDITION_DOWNLOADS["print"]).write_text("something else")
    assert download_problems(index, copy, dist) == [
        f"{EDITION_DOWNLOADS['epub']}: not linked from the home page",
        f"{EDITION_DOWNLOADS['print']}: the site holds no copy of the edition",
        f"{EDITION_DOWNLOADS['zip']}: its link says 1,000,000 KB, the file is "
        f"{(dist / EDITION_DOWNLOADS['zip']).stat().st_size} bytes",
    ]
    shutil.copyfile(dist / EDITION_DOWNLOADS["print"], copy / DOWNLOADS_PATH / EDITION_DOWNLOADS["print"])
    assert f"{EDITION_DOWNLOADS['print']}: not dated {edition_date(dist / EDITION_DOWNLOADS['zip'])}, " \
           "as the edition's README" in download_problems(index, copy, dist)


@pytest.mark.parametrize("missing", ["an edition", "the folder"])
def test_an_editions_folder_missing_an_edition_stops_make_publish_in_one_line_and_keeps_the_last_site(
        published, dist, tmp_path, missing):
    partial = tmp_path / "dist"
    if missing == "an edition":
        shutil.copytree(dist, partial)
        (partial / EDITION_DOWNLOADS["epub"]).unlink()
    before = tree_digest(published)
    result = run_make("publish", SITEURL=PUBLISHED_SITEURL, PUBLISH_OUTPUT=published, EDITIONS_DIR=partial)
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("error:")]
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert len(errors) == 1 and f"EDITIONS_DIR '{partial}'" in errors[0]
    assert (EDITION_DOWNLOADS["epub"] if missing == "an edition" else "no such folder") in errors[0]
    assert tree_digest(published) == before


def workflow_steps():
    """The Pages workflow's build steps, as text, in order."""
    return (ROOT / ".github/workflows/pages.yml").read_text().split("\n      - ")


def test_the_pages_workflow_builds_the_editions_first_and_publishes_and_tests_the_site_with_them():
    steps = workflow_steps()
    runs = {name: next(i for i, step in enumerate(steps) if f"run: make {name}" in step)
            for name in ("offline", "publish", "test")}
    assert runs["offline"] < runs["publish"] < runs["test"]
    assert "EDITIONS_DIR: ${{ github.workspace }}/dist" in steps[runs["publish"]]
    assert "EDITIONS_DIR: ${{ github.workspace }}/dist" in steps[runs["test"]]
