"""The one place that turns the site's pages into the parts of a single-file edition, for the
print edition and the EPUB alike:

- which pages: every article (newest first, as the home page lists them), then the pages in
  menu order; hidden pages (the 404) are in neither of Pelican's lists, so never in an edition;
- ids: each gets its part's name as a prefix ("glossary--references"), so the parts can share
  one file, and a link or a note never lands in the wrong part;
- links: to another part become in-edition anchors (each edition says how it writes them); to
  the home page, the edition's own contents; to a page left out, plain text;
- references: numbered once across the whole edition, in the order they are first cited, so
  "[6]" is the same source in every part; each part still lists the ones it cites, under its
  own References heading, with the edition's numbers;
- citation marks: their brackets are text ("[1][12]"), not the site's CSS, so they read right
  in any reading system, with or without a stylesheet.
"""

from pathlib import Path

import lxml.html


def has_class(name):
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def edition_pages(context):
    """The pages an edition holds, in reading order (see the module's docstring)."""
    return [*context["articles"], *context["pages"]]


def part_id(content):
    """A part's name: its page's file name without .html ("glossary")."""
    return Path(content.save_as).stem


def anchor(part, fragment):
    """An id inside a part, unique across the edition."""
    return f"{part}--{fragment}"


class Part:
    """One page of an edition: its name, its Pelican page, and its rendered text as an lxml tree
    (a <div> around it), which each edition serializes its own way (HTML or XHTML)."""

    def __init__(self, page):
        self.id = part_id(page)
        self.page = page
        self.root = lxml.html.fragment_fromstring(page.get_content("."), create_parent="div")
        for permalink in self.root.find_class("headerlink"):  # the website's "#" heading links
            permalink.drop_tree()

    def sections(self):
        """(id, heading) of each h2, as in the page's "On this page" list."""
        return [(anchor(self.id, section), heading) for section, heading in self.page.contents_list]


def number_references(parts, backlink_title):
    """Number the references once across the edition, marks and lists alike."""
    numbers = {}  # a note's id in its page ("fn-ketalar") -> its number in the edition
    for part in parts:
        for mark in part.root.xpath(f".//a[{has_class('footnote-ref')}]"):
            number = numbers.setdefault(mark.get("href").lstrip("#"), len(numbers) + 1)
            mark.text = f"[{number}]"  # the brackets in the text: see the module's docstring
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


def edition_parts(context, settings, link_to, contents_href):
    """The parts of a single-file edition of the site: see the module's docstring."""
    parts = [Part(page) for page in edition_pages(context)]
    footnotes = settings["MARKDOWN"]["extension_configs"]["markdown.extensions.footnotes"]
    number_references(parts, footnotes["BACKLINK_TITLE"])
    link_parts(parts, link_to, contents_href, settings["INDEX_SAVE_AS"])
    return parts
