"""Promise: `make offline` writes an EPUB 3 edition that phones and e-readers open: valid by
W3C EPUBCheck, accessible (axe in Chromium on every content document, and EPUB Accessibility
1.1 metadata), every link and note resolving inside the book, dated by its content, and the
same bytes from two builds."""

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import textstat
from browser_checks import axe_violations
from bs4 import BeautifulSoup
from checks import footnote_problems, reading_text
from conftest import ROOT, run_make
from prerequisites import EPUBCHECK_JAR

from offlineconf import EPUB_PAGES, SITE_SLUG
from plugins.content_rules.sources import parse_metadata

EPUB_NAME = f"{SITE_SLUG}.epub"


@pytest.fixture(scope="module")
def epub(tmp_path_factory):
    dist = tmp_path_factory.mktemp("epub") / "dist"
    result = run_make("offline", DIST=dist)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{dist / EPUB_NAME}  " in result.stdout
    return dist / EPUB_NAME


@pytest.fixture(scope="module")
def book(epub, tmp_path_factory):
    """The EPUB unzipped: {path inside the book: parsed XHTML} of its content documents."""
    folder = tmp_path_factory.mktemp("book")
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(folder)
    return folder


def documents(book):
    return {p.name: BeautifulSoup(p.read_bytes(), "lxml-xml") for p in sorted((book / "EPUB").glob("*.xhtml"))}


def epubcheck_messages(path):
    """EPUBCheck's fatal errors, errors and warnings, one line each."""
    result = subprocess.run(["java", "-jar", str(EPUBCHECK_JAR), str(path), "--json", "-"],
                            capture_output=True, text=True)
    report = json.loads(result.stdout)
    return [f"{m['severity']} {m['ID']}: {m['message']}" for m in report["messages"]
            if m["severity"] in ("FATAL", "ERROR", "WARNING")]


def test_epubcheck_finds_no_error_or_warning(epub):
    assert epubcheck_messages(epub) == []


def test_epubcheck_catches_a_broken_book(epub, tmp_path):
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "EPUB/questions.xhtml":
                data = data.replace(b'href="#', b'href="#no-such-', 1).replace(b"<h1>", b"<h1><blink>", 1)
            target.writestr(item, data)
    assert any(line.startswith("ERROR") for line in epubcheck_messages(broken))


def test_mimetype_comes_first_uncompressed(epub):
    with zipfile.ZipFile(epub) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read(first) == b"application/epub+zip"


def test_metadata_comes_from_the_content_and_declares_accessibility(book):
    opf = BeautifulSoup((book / "EPUB" / "package.opf").read_bytes(), "lxml-xml")
    newest = max(value for path in (ROOT / "content").glob("*/*.md")
                 for key, value in parse_metadata(path.read_text("utf-8"))[0] if key in ("date", "modified"))
    properties = {}
    for meta in opf.find_all("meta", property=True):
        properties.setdefault(meta["property"], set()).add(meta.get_text())
    assert opf.find("dc:language").get_text() == "en" and opf.find("dc:title").get_text()
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", opf.find("dc:identifier").get_text())
    assert properties["dcterms:modified"] == {f"{newest}T00:00:00Z"}
    assert properties["schema:accessMode"] == properties["schema:accessModeSufficient"] == {"textual"}
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= properties["schema:accessibilityFeature"]
    assert properties["schema:accessibilityHazard"] == {"none"} and properties["schema:accessibilitySummary"]
    assert properties["dcterms:conformsTo"] == {"EPUB Accessibility 1.1 - WCAG 2.2 Level AA"}


def test_the_book_holds_the_health_notes_first_then_the_pages(book):
    opf = BeautifulSoup((book / "EPUB" / "package.opf").read_bytes(), "lxml-xml")
    spine = [item["idref"] for item in opf.find("spine").find_all("itemref")]
    assert spine == ["notes", "nav", *(Path(page).stem for page in EPUB_PAGES)]
    notes = documents(book)["notes.xhtml"].get_text(" ")
    assert "not medical advice" in notes and "988" in notes and "emergency" in notes


def book_link_problems(docs):
    """Every link inside the book names a document it has and an id in it."""
    problems = []
    for name, doc in docs.items():
        for link in doc.find_all("a", href=True):
            href = link["href"]
            if href.startswith("https://"):
                continue
            target, _, fragment = href.partition("#")
            target = target or name
            if target not in docs:
                problems.append(f"{name}: '{href}' names no document of the book")
            elif fragment and not docs[target].find(id=fragment):
                problems.append(f"{name}: '{href}': {target} has no id '{fragment}'")
    return problems


def test_every_link_and_note_resolves_inside_the_book(book):
    docs = documents(book)
    assert book_link_problems(docs) == []
    article = docs["ketamine-therapy-for-chronic-pain.xhtml"]
    noterefs = article.find_all("a", attrs={"epub:type": "noteref"})
    notes = article.find_all(attrs={"epub:type": "footnote"})
    assert noterefs and notes and {a["href"][1:] for a in noterefs} == {n["id"] for n in notes}


def test_link_check_catches_a_link_to_a_missing_document_and_id(book):
    docs = documents(book)
    article = docs["ketamine-therapy-for-chronic-pain.xhtml"]
    article.find("a", href=re.compile("^questions")).attrs["href"] = "missing.xhtml"
    article.find("a", href=re.compile("^#")).attrs["href"] = "#nowhere"
    assert len(book_link_problems(docs)) == 2


CONTENT_DOCUMENTS = ["notes.xhtml", "nav.xhtml", *(Path(page).with_suffix(".xhtml").name for page in EPUB_PAGES)]


@pytest.mark.parametrize("name", CONTENT_DOCUMENTS)
def test_every_content_document_has_no_wcag_violations(browser, book, name):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto((book / "EPUB" / name).as_uri())
    violations = axe_violations(page)
    context.close()
    assert violations == []


def test_the_article_reads_as_plainly_and_cites_as_fully_as_on_the_site(book):
    xhtml = (book / "EPUB" / "ketamine-therapy-for-chronic-pain.xhtml").read_bytes()
    article = BeautifulSoup(xhtml.split(b"?>", 1)[1], "lxml")  # read as HTML, as the site's checks do
    assert textstat.flesch_kincaid_grade(reading_text(article)) <= 9.0
    assert footnote_problems(article) == []


def test_two_builds_give_the_same_book(epub, tmp_path):
    again = tmp_path / "dist"
    assert run_make("offline", DIST=again).returncode == 0
    assert (again / EPUB_NAME).read_bytes() == epub.read_bytes()
    shutil.rmtree(again)
