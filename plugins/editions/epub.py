"""The EPUB 3 edition: the health notes, a navigation document, then the edition's parts, each
rendered from the theme's epub/ templates (autoescaped: any site name gives well-formed XML).
Zipped here, not with EbookLib, whose zips carry the clock: entries dated by the edition,
sorted, `mimetype` first and stored, so two builds give the same bytes.
"""

import datetime
import uuid
import zipfile

from lxml import etree
from page_structure.page_structure import has_class

NOTES_FILE = "notes.xhtml"
MEDIA_TYPES = {"xhtml": "application/xhtml+xml", "css": "text/css"}
# Each epub:type of the notes, with its DPUB-ARIA role (none for an item: DPUB-ARIA 1.1 retired
# doc-endnote, since a list item inside doc-endnotes is one).
SEMANTICS = [
    (f".//a[{has_class('footnote-ref')}]", "noteref", "doc-noteref"),
    (f".//a[{has_class('footnote-backref')}]", "backlink", "doc-backlink"),
    (f".//div[{has_class('footnote')}]", "endnotes", "doc-endnotes"),
    (f".//div[{has_class('footnote')}]/ol/li", "endnote", None),
]


def chapter_xhtml(part):
    """A part's text as XHTML: its <div class="prose">, its notes marked for reading systems."""
    for path, epub_type, role in SEMANTICS:
        for element in part.root.xpath(path):
            element.set("epub:type", epub_type)  # bound by the document's xmlns:epub
            if role:
                element.set("role", role)
    part.root.set("class", "prose")
    return etree.tostring(part.root, method="xml", encoding="unicode")


def chapter_href(part, anchor=None):
    return f"{part}.xhtml" + (f"#{anchor}" if anchor else "")


def write_epub(path, env, context, parts, edition_date, pictures):
    """pictures: {"images/name.png": (media type, bytes)}, packaged beside the chapters."""
    def render(template, **values):
        return env.get_template(f"epub/{template}").render(**context, parts=parts, **values).encode("utf-8")

    files = {NOTES_FILE: render("notes.xhtml"), "nav.xhtml": render("nav.xhtml")}
    for part in parts:
        files[chapter_href(part.id)] = render("chapter.xhtml", part=part, text=chapter_xhtml(part))
    files["book.css"] = env.loader.get_source(env, "epub/book.css")[0].encode("utf-8")  # a file, not a template
    # EPUB 3 asks each document to declare what it holds beyond XHTML: the navigation, inline SVG.
    properties = {"nav.xhtml": "nav", **{name: "svg" for name, data in files.items() if b"<svg" in data}}
    manifest = [(name.rsplit(".", 1)[0], name, MEDIA_TYPES[name.rsplit(".", 1)[1]], properties.get(name))
                for name in sorted(files)]
    manifest += [(f"picture-{name.replace('/', '-').replace('.', '-')}", name, media_type, None)
                 for name, (media_type, _) in sorted(pictures.items())]
    files.update({name: data for name, (_, data) in pictures.items()})
    spine = [NOTES_FILE, "nav.xhtml", *(chapter_href(part.id) for part in parts)]  # contents after the notes
    package = render("package.opf", manifest=manifest, spine=[name.rsplit(".", 1)[0] for name in spine],
                     identifier=uuid.uuid5(uuid.NAMESPACE_URL, f"{context['SITE_SLUG']}.epub"),
                     edition_date=edition_date, pictured=bool(pictures) or "svg" in properties.values())
    entries = {"META-INF/container.xml": render("container.xml"), "EPUB/package.opf": package,
               **{f"EPUB/{name}": data for name, data in files.items()}}
    stamp = datetime.datetime.combine(edition_date, datetime.time()).timetuple()[:6]
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype", stamp), "application/epub+zip", zipfile.ZIP_STORED)
        for name in sorted(entries):
            entry = zipfile.ZipInfo(name, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o100644 << 16
            book.writestr(entry, entries[name], compresslevel=9)
