"""Promise: `make offline` writes an EPUB 3 edition that phones and e-readers open: valid by
W3C EPUBCheck, accessible (Ace by DAISY on the book, axe in Chromium on every content document,
and EPUB Accessibility 1.1 metadata), every link and note resolving inside the book, citation
marks that read right with no stylesheet, references numbered once across the book, dated by
its content, well-formed whatever the site is called, and the same bytes from two builds."""

import json
import os
import re
import shutil
import subprocess
import zipfile

import pytest
import textstat
from browser_checks import axe_violations
from bs4 import BeautifulSoup
from checks import footnote_problems, mark_problems, numbering_problems, reading_text
from conftest import FIRST_ARTICLE, ROOT, build_site, home_page_parts
from lxml import etree
from prerequisites import ACE, EPUBCHECK_JAR, JAVA, find_chromium

from offlineconf import EPUB_SAVE_AS
from plugins.content_rules.sources import parse_metadata
from plugins.editions.single_file import part_id

EPUB_NAME = EPUB_SAVE_AS


@pytest.fixture(scope="module")
def epub(offline_run):
    dist, printed = offline_run
    assert f"{dist / EPUB_NAME}  " in printed
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
    result = subprocess.run([*JAVA, "-jar", str(EPUBCHECK_JAR), str(path), "--json", "-"],
                            capture_output=True, text=True)
    report = json.loads(result.stdout)
    return [f"{m['severity']} {m['ID']}: {m['message']}" for m in report["messages"]
            if m["severity"] in ("FATAL", "ERROR", "WARNING")]


@pytest.mark.java
def test_epubcheck_finds_no_error_or_warning(epub):
    assert epubcheck_messages(epub) == []


@pytest.mark.java
def test_epubcheck_catches_a_broken_book(epub, tmp_path):
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == f"EPUB/{part_id('questions.html')}.xhtml":
                data = data.replace(b'href="#', b'href="#no-such-', 1).replace(b"<h1>", b"<h1><blink>", 1)
            target.writestr(item, data)
    assert any(line.startswith("ERROR") for line in epubcheck_messages(broken))


def test_mimetype_comes_first_uncompressed(epub):
    with zipfile.ZipFile(epub) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read(first) == b"application/epub+zip"


def newest_content_date(content=ROOT / "content"):
    """The newest Date or Modified of the pages the editions hold (hidden ones are left out),
    read straight from the sources: the tests' own oracle for the edition's date."""
    metadata = [dict(parse_metadata(path.read_text("utf-8"))[0]) for path in content.glob("*/*.md")]
    return max(value for page in metadata if page.get("status") != "hidden"
               for key, value in page.items() if key in ("date", "modified"))


def test_metadata_comes_from_the_content_and_declares_accessibility(book):
    opf = BeautifulSoup((book / "EPUB" / "package.opf").read_bytes(), "lxml-xml")
    newest = newest_content_date()
    properties = {}
    for meta in opf.find_all("meta", property=True):
        properties.setdefault(meta["property"], set()).add(meta.get_text())
    assert opf.find("dc:language").get_text() == "en" and opf.find("dc:title").get_text()
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", opf.find("dc:identifier").get_text())
    assert properties["dcterms:modified"] == {f"{newest}T00:00:00Z"}
    # Text is enough for every reader; a book with pictures says so, and that each has its words.
    assert properties["schema:accessModeSufficient"] == {"textual"} and "textual" in properties["schema:accessMode"]
    assert properties["schema:accessMode"] <= {"textual", "visual"}
    if "visual" in properties["schema:accessMode"]:
        assert "alternativeText" in properties["schema:accessibilityFeature"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= properties["schema:accessibilityFeature"]
    assert properties["schema:accessibilityHazard"] == {"none"} and properties["schema:accessibilitySummary"]
    assert properties["dcterms:conformsTo"] == {"EPUB Accessibility 1.1 - WCAG 2.2 Level AA"}


def test_the_book_holds_the_health_notes_first_then_the_pages_the_home_page_lists(book, pages):
    opf = BeautifulSoup((book / "EPUB" / "package.opf").read_bytes(), "lxml-xml")
    spine = [item["idref"] for item in opf.find("spine").find_all("itemref")]
    assert spine == ["notes", "nav", *home_page_parts(pages["index.html"])]
    notes = documents(book)["notes.xhtml"].get_text(" ")
    assert "not medical advice" in notes and "988" in notes and "emergency" in notes


def test_the_notes_say_truly_where_the_sources_are_listed(book):
    docs = documents(book)
    notes = " ".join(docs["notes.xhtml"].get_text(" ").split())
    assert "listed in the References sections of this book" in notes and "on this page" not in notes
    assert [name for name, doc in docs.items() if doc.find(id=re.compile("--references$"), string="References")
            and doc.find(attrs={"epub:type": "endnotes"})]


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
    article = docs[f"{part_id(FIRST_ARTICLE)}.xhtml"]
    noterefs = article.find_all("a", attrs={"epub:type": "noteref"})
    notes = article.find_all(attrs={"epub:type": "endnote"})
    assert noterefs and notes and {a["href"][1:] for a in noterefs} == {n["id"] for n in notes}


def test_link_check_catches_a_link_to_a_missing_document_and_id(book):
    docs = documents(book)
    article = docs[f"{part_id(FIRST_ARTICLE)}.xhtml"]
    article.find("a", href=re.compile(f"^{part_id('questions.html')}")).attrs["href"] = "missing.xhtml"
    article.find("a", href=re.compile("^#")).attrs["href"] = "#nowhere"
    assert len(book_link_problems(docs)) == 2


@pytest.mark.browser
@pytest.mark.node
def test_every_content_document_has_no_wcag_violations(browser, book):
    found = {}
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    for name in documents(book):
        page.goto((book / "EPUB" / name).as_uri())
        if violations := axe_violations(page):
            found[name] = violations
    context.close()
    assert found == {}


def ace_violations(epub, reports):
    """Ace by DAISY's findings on a book (its puppeteer in Debian's Chromium), one line each."""
    result = subprocess.run([*ACE, "--silent", "--force", "--outdir", str(reports), str(epub)],
                            capture_output=True, text=True,
                            env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": find_chromium()})
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((reports / "report.json").read_text("utf-8"))
    return [f"{document['earl:testSubject']['url']}: {finding['earl:test']['dct:title']} "
            f"({finding['earl:result']['html'][:80]})"
            for document in report["assertions"] for finding in document["assertions"]]


@pytest.mark.browser
@pytest.mark.node
def test_ace_finds_nothing(epub, tmp_path):
    assert ace_violations(epub, tmp_path) == []


@pytest.mark.browser
@pytest.mark.node
def test_ace_catches_an_epub_type_without_its_role(epub, tmp_path):
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item).replace(b' role="doc-noteref"', b""))
    assert any("epub-type-has-matching-role" in line for line in ace_violations(broken, tmp_path / "reports"))


def test_citation_marks_read_right_and_are_numbered_once_across_the_book(book):
    docs = documents(book)
    assert [doc for doc in docs.values() if doc.select("a.footnote-ref")][1:], "fewer than two documents cite"
    assert mark_problems(docs) == [] and numbering_problems(docs) == []


def test_mark_and_numbering_checks_catch_bare_numbers_and_numbering_that_restarts(book):
    docs = documents(book)
    glossary = docs[f"{part_id('glossary.html')}.xhtml"]
    glossary.select_one("a.footnote-ref").string = "1"
    for number, note in enumerate(glossary.select(".footnote li"), 1):  # numbered again from 1
        note["value"] = str(number)
    assert mark_problems(docs) == [f"{part_id('glossary.html')}.xhtml: citation mark '1'"]
    found = numbering_problems(docs)
    assert any("one reference is numbered" in p for p in found) and any("is given to 2" in p for p in found)


def xml_problems(folder):
    """Every XML file of an unzipped book parses as XML: one line for each that does not."""
    problems = []
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".opf", ".xml", ".xhtml"):
            try:
                etree.parse(str(path))
            except etree.XMLSyntaxError as error:
                problems.append(f"{path.name}: {error}")
    return problems


def test_a_site_name_with_xml_characters_still_gives_well_formed_xml(tmp_path):
    name = 'Pain & Ketamine <"Notes">'
    result = build_site(tmp_path / "site", settings="offlineconf.py", extra=["-e", f"SITENAME={json.dumps(name)}"])
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(tmp_path / "site" / EPUB_NAME) as archive:
        archive.extractall(tmp_path / "book")
    assert xml_problems(tmp_path / "book") == []
    opf = etree.parse(str(tmp_path / "book" / "EPUB" / "package.opf"))
    assert opf.findtext(".//{http://purl.org/dc/elements/1.1/}title") == name


def test_xml_check_catches_an_unescaped_ampersand(book, tmp_path):
    copy = shutil.copytree(book, tmp_path / "book")
    opf = copy / "EPUB" / "package.opf"
    opf.write_text(re.sub("<dc:title>[^<]*", "<dc:title>Pain & Ketamine", opf.read_text("utf-8")), "utf-8")
    assert [p for p in xml_problems(copy) if p.startswith("package.opf: ")]


def test_the_article_reads_as_plainly_and_cites_as_fully_as_on_the_site(book):
    xhtml = (book / "EPUB" / f"{part_id(FIRST_ARTICLE)}.xhtml").read_bytes()
    article = BeautifulSoup(xhtml.split(b"?>", 1)[1], "lxml")  # read as HTML, as the site's checks do
    assert textstat.flesch_kincaid_grade(reading_text(article)) <= 9.0
    assert footnote_problems(article) == []


def test_two_builds_give_the_same_book(epub, offline_run_again):
    again, _ = offline_run_again
    assert (again / EPUB_NAME).read_bytes() == epub.read_bytes()


@pytest.mark.parametrize("slug", ["notes", "nav", "book-id", "main", "print-contents-title"])
def test_a_page_named_like_an_editions_own_file_or_id_leaves_them_whole(tmp_path, slug):
    """A page's name in the editions is prefixed (part_id), so no slug replaces the EPUB's notes or
    nav, or takes an id the editions use themselves."""
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    (content / "pages" / f"{slug}.md").write_text(
        f"Title: A page called {slug}\nSlug: {slug}\nDate: 2026-11-25\nMenu_order: 8\n"
        "Summary: A page whose name an edition also uses for a file or an id.\n\nRead the other pages.\n"
        "{: .advice }\n", "utf-8")
    result = build_site(tmp_path / "site", settings="offlineconf.py", content=content)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(tmp_path / "site" / EPUB_NAME) as archive:
        archive.extractall(tmp_path / "book")
    assert xml_problems(tmp_path / "book") == []
    docs = documents(tmp_path / "book")
    assert "not medical advice" in docs["notes.xhtml"].get_text(" ").casefold(), "the health notes are whole"
    assert docs["nav.xhtml"].find(id="toc") is not None and f"{part_id(f'{slug}.html')}.xhtml" in docs
    opf_ids = etree.parse(str(tmp_path / "book" / "EPUB" / "package.opf")).xpath("//@id")
    assert len(opf_ids) == len(set(opf_ids)), "every id in the package once"
    printed = (tmp_path / "site" / pelicanconf_print_file()).read_text("utf-8")
    ids = re.findall(r'\sid="([^"]+)"', printed)
    assert len(ids) == len(set(ids)), "every id in the print edition once"


def pelicanconf_print_file():
    from pelicanconf import EDITION_FILES
    return EDITION_FILES["print"]
