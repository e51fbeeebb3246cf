"""The one place that turns the site's pages into the parts of a single-file edition (the print
edition and the EPUB): every article, newest first, then the pages in menu order (hidden ones,
the 404, are in neither list). Each id gets its part's name as a prefix ("glossary--references"),
so parts share one file; links to another part become in-edition anchors, to the home page the
edition's contents, to a page left out plain text. References are numbered once across the
edition, so "[6]" is one source everywhere (a mark's brackets are its text: SUPERSCRIPT_TEXT in
pelicanconf.py).
"""

import mimetypes
from pathlib import Path

import lxml.html
from page_structure.page_structure import has_class


def edition_pages(context):
    """The pages an edition holds, in reading order."""
    return [*context["articles"], *context["pages"]]


def anchor(part, fragment):
    """An id inside a part, unique across the edition."""
    return f"{part}--{fragment}"


def part_id(save_as):
    """A page's name in the editions, from its file: "glossary.html" -> "page-glossary"."""
    return f"page-{Path(save_as).stem}"


class Part:
    """One page of an edition: its name ("page-glossary"), its Pelican page, and its text as an
    lxml tree (a <div> around it), which each edition serializes its own way (HTML or XHTML).
    The prefix keeps every page's name apart from the editions' own files and ids (the EPUB's
    notes and nav, the print edition's main), whatever its slug."""

    def __init__(self, page):
        self.id = part_id(page.save_as)
        self.page = page
        self.root = lxml.html.fragment_fromstring(page.get_content("."), create_parent="div")

    def sections(self):
        """(id, heading) of each h2, as in the page's "On this page" list."""
        return [(anchor(self.id, section), heading) for section, heading in self.page.contents_list]


def number_references(parts, backlink_title):
    """Number the references once across the edition, marks and lists alike."""
    numbers = {}  # a note's id in its page ("fn-ketalar") -> its number in the edition
    for part in parts:
        for mark in part.root.xpath(f".//a[{has_class('footnote-ref')}]"):
            number = numbers.setdefault(mark.get("href").lstrip("#"), len(numbers) + 1)
            mark.text = f"[{number}]"
        for notes in part.root.xpath(f".//div[{has_class('footnote')}]/ol"):
            items = sorted(notes.findall("li"), key=lambda item: numbers[item.get("id")])
            notes[:] = items
            for item in items:
                item.set("value", str(numbers[item.get("id")]))
                for backlink in item.xpath(f".//a[{has_class('footnote-backref')}]"):
                    backlink.set("aria-label", backlink_title % numbers[item.get("id")])


def link_parts(parts, link_to, contents_href, index_file):
    """Give every id its part's prefix, and point every link inside the edition.

    link_to(part id, anchor or None) -> the href of a place in another part;
    contents_href: where a link to the site's home page goes (the edition's contents)."""
    names = {part.page.save_as: part.id for part in parts}
    for part in parts:
        for element in part.root.xpath(".//*[@id]"):
            element.set("id", anchor(part.id, element.get("id")))
        for link in part.root.xpath(".//a[@href]"):
            href = link.get("href")
            if href.startswith("#"):
                link.set("href", "#" + anchor(part.id, href[1:]))
            elif not href.startswith("https://"):
                target, _, fragment = href.removeprefix("./").partition("#")
                if target in names:
                    link.set("href", link_to(names[target], anchor(names[target], fragment) if fragment else None))
                elif target == index_file:
                    link.set("href", contents_href)
                else:
                    link.drop_tag()  # a page this edition leaves out: its words stay, as text


def pictures(parts, settings):
    """{"images/name.png": (media type, bytes)} of every picture the parts show, each <img> pointed
    at that name: the pictures are content/images/' own files (STATIC_PATHS), copied as they are."""
    found = {}
    for part in parts:
        for image in part.root.xpath(".//img[@src]"):
            name = image.get("src").removeprefix("./")
            image.set("src", name)
            path = Path(settings["PATH"], name)
            found[name] = (mimetypes.guess_type(name)[0], path.read_bytes())  # a kind IMAGE_SIGNATURES allows
    return found


def edition_parts(context, settings, link_to, contents_href):
    """The parts of a single-file edition of the site, numbered and linked."""
    parts = [Part(page) for page in edition_pages(context)]
    footnotes = settings["MARKDOWN"]["extension_configs"]["markdown.extensions.footnotes"]
    number_references(parts, footnotes["BACKLINK_TITLE"])
    link_parts(parts, link_to, contents_href, settings["INDEX_SAVE_AS"])
    return parts
