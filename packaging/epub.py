"""The EPUB 3 edition (`make offline`): the offline build's EPUB_PAGES as XHTML content
documents, after a first document with the health notes, with a navigation document, EPUB
Accessibility 1.1 metadata and a stylesheet that leaves fonts and colours to the reader.

Written here, not with EbookLib: its zips carry the build's clock, and we need the pages'
own markup (ids, notes, table headers) carried over as it is; the format is a zip of a
few text files. Reproducible: fixed timestamps, sorted entries, `mimetype` first and stored.
"""

import datetime
import uuid
import zipfile
from pathlib import Path

import lxml.html
from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
EPUB_CSS = Path(__file__).with_name("epub.css")
NOTES_FILE = "notes.xhtml"
def has_class(name):
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# What stays on the website: the "On this page" list, permalinks, and the safety notes (which
# the book gives once, first).
WEBSITE_ONLY = f".//*[{has_class('contents-list')} or {has_class('headerlink')}] | .//aside[{has_class('callout')}]"


def xhtml_name(page):
    return Path(page).with_suffix(".xhtml").name


def in_xhtml(element):
    """Put an HTML element and its descendants into the XHTML namespace."""
    for node in element.iter(etree.Element):
        node.tag = f"{{{XHTML}}}{node.tag}"
    return element


def document(title, language, body_children, body_type=None):
    """A content document: (bytes of) an XHTML page with the book's stylesheet."""
    root = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": OPS})
    root.set("lang", language)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    head = etree.SubElement(root, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}meta", charset="utf-8")
    etree.SubElement(head, f"{{{XHTML}}}title").text = title
    etree.SubElement(head, f"{{{XHTML}}}link", rel="stylesheet", type="text/css", href="book.css")
    body = etree.SubElement(root, f"{{{XHTML}}}body")
    if body_type:
        body.set(f"{{{OPS}}}type", body_type)
    main = etree.SubElement(body, f"{{{XHTML}}}main")  # one main landmark, as on the site
    for child in body_children:
        main.append(child)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>") + b"\n"


def content_document(site, page, pages, language):
    """(title, h2 sections, XHTML bytes) of one page of the site, as a chapter of the book."""
    tree = lxml.html.fromstring((site / page).read_bytes())
    article = tree.find(".//main/article")
    for element in article.xpath(WEBSITE_ONLY):
        element.drop_tree()
    for link in article.iter("a"):
        href = link.get("href", "")
        if link.get("class") == "footnote-ref":
            link.set(f"{{{OPS}}}type", "noteref")
        if href.startswith(("#", "https://")):
            continue
        target, _, fragment = href.removeprefix("./").partition("#")
        if target in pages:
            link.set("href", xhtml_name(target) + (f"#{fragment}" if fragment else ""))
        else:
            link.drop_tag()  # a page the book leaves out
    for note in article.xpath(f".//div[{has_class('footnote')}]//li[@id]"):
        note.set(f"{{{OPS}}}type", "footnote")
    title = " ".join(article.find(".//h1").text_content().split())
    sections = [(h.get("id"), " ".join(h.text_content().split()))
                for h in article.xpath(f".//div[{has_class('prose')}]/h2[@id]")]
    article.attrib.pop("class", None)
    return title, sections, document(title, language, [in_xhtml(article)], "bodymatter")


def notes_document(site, first_page, language, title):
    """The book's first document: what it is, not medical advice, urgent help."""
    tree = lxml.html.fromstring((site / first_page).read_bytes())
    heading = etree.Element("h1")
    heading.text = title
    children = [heading, *tree.xpath(f".//main/article/aside[{has_class('callout')}]")]
    return document("Before you read", language, [in_xhtml(child) for child in children], "frontmatter")


def navigation(chapters, language):
    """The navigation document: a table of contents (chapters and the sections of each) and landmarks."""
    nav = etree.Element("nav", id="toc")
    nav.set(f"{{{OPS}}}type", "toc")
    etree.SubElement(nav, "h1").text = "Contents"
    contents = etree.SubElement(nav, "ol")
    for file_name, title, sections in chapters:
        item = etree.SubElement(contents, "li")
        etree.SubElement(item, "a", href=file_name).text = title
        if sections:
            inner = etree.SubElement(item, "ol")
            for section_id, heading in sections:
                etree.SubElement(etree.SubElement(inner, "li"), "a", href=f"{file_name}#{section_id}").text = heading
    landmarks = etree.Element("nav", hidden="hidden")
    landmarks.set(f"{{{OPS}}}type", "landmarks")
    etree.SubElement(landmarks, "h2").text = "Landmarks"
    marks = etree.SubElement(landmarks, "ol")
    for kind, href, label in (("toc", "nav.xhtml#toc", "Contents"), ("bodymatter", chapters[1][0], chapters[1][1])):
        link = etree.SubElement(etree.SubElement(marks, "li"), "a", href=href)
        link.set(f"{{{OPS}}}type", kind)
        link.text = label
    return document("Contents", language, [in_xhtml(nav), in_xhtml(landmarks)])


def package_document(settings, modified, files, spine):
    """package.opf: metadata (EPUB Accessibility 1.1 included), manifest and reading order."""
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"{settings['SITE_SLUG']}.epub")
    media = {".xhtml": "application/xhtml+xml", ".css": "text/css"}
    manifest = "\n".join(
        f'    <item id="{Path(name).stem}" href="{name}" media-type="{media[Path(name).suffix]}"'
        + (' properties="nav"' if name == "nav.xhtml" else "") + "/>"
        for name in files)
    features = ("structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id"
         xml:lang="{settings['DEFAULT_LANG']}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="book-id">urn:uuid:{identifier}</dc:identifier>
    <dc:title>{settings['SITENAME']}</dc:title>
    <dc:language>{settings['DEFAULT_LANG']}</dc:language>
    <dc:creator>{settings['AUTHOR']}</dc:creator>
    <dc:description>{settings['SITE_TAGLINE']}.</dc:description>
    <meta property="dcterms:modified">{modified:%Y-%m-%d}T00:00:00Z</meta>
    <meta property="schema:accessMode">textual</meta>
    <meta property="schema:accessModeSufficient">textual</meta>
{chr(10).join(f'    <meta property="schema:accessibilityFeature">{feature}</meta>' for feature in features)}
    <meta property="schema:accessibilityHazard">none</meta>
    <meta property="schema:accessibilitySummary">{ACCESSIBILITY_SUMMARY}</meta>
    <meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>
  </metadata>
  <manifest>
{manifest}
  </manifest>
  <spine>
{chr(10).join(f'    <itemref idref="{Path(name).stem}"/>' for name in spine)}
  </spine>
</package>
"""


ACCESSIBILITY_SUMMARY = (
    "Text only, with no images, sound or video. Headings, a table of contents, notes that link both ways, "
    "and tables with header cells. The reader's own fonts, sizes and colours apply.")
CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def write_epub(settings, site, path, modified):
    """Write the book to `path`, the same bytes for the same site and date."""
    pages = settings["EPUB_PAGES"]
    language = settings["DEFAULT_LANG"]
    chapters, files = [], {}
    files[NOTES_FILE] = notes_document(site, pages[0], language, settings["SITENAME"])
    chapters.append((NOTES_FILE, "Before you read", []))
    for page in pages:
        title, sections, data = content_document(site, page, pages, language)
        files[xhtml_name(page)] = data
        chapters.append((xhtml_name(page), title, sections))
    files["nav.xhtml"] = navigation(chapters, language)
    files["book.css"] = EPUB_CSS.read_bytes()
    spine = [NOTES_FILE, "nav.xhtml", *(name for name, _, _ in chapters[1:])]  # the contents page after the notes
    opf = package_document(settings, modified, sorted(files), spine).encode("utf-8")
    stamp = datetime.datetime.combine(modified, datetime.time()).timetuple()[:6]
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype", stamp), "application/epub+zip", zipfile.ZIP_STORED)
        entries = {"META-INF/container.xml": CONTAINER.encode("utf-8"), "EPUB/package.opf": opf,
                   **{f"EPUB/{name}": data for name, data in files.items()}}
        for name in sorted(entries):
            entry = zipfile.ZipInfo(name, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o100644 << 16
            book.writestr(entry, entries[name], compresslevel=9)
