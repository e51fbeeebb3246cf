"""Expose each article's and page's rendered structure to the templates:

- `contents_list`: the (id, text) of its h2 headings, for the "On this page" list;
- `citations`: the (text, url) of each reference in its footnotes, for the JSON-LD
  `citation` list (published builds only).

Ours because no maintained Pelican plugin on PyPI exposes Markdown's table of
contents or footnotes to templates. Parsed with lxml: it is fast enough not to show in
the build time of a thousand pages.
"""

import lxml.html
from pelican import signals
from pelican.contents import Article, Page


def has_class(name):
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def text_without(element, class_name):
    """The element's words, leaving out any descendant with the given class."""
    texts = element.xpath(f".//text()[not(ancestor::*[{has_class(class_name)}])]")
    return " ".join("".join(texts).split())


def add_page_structure(content):
    if not isinstance(content, (Article, Page)) or not content._content:
        return
    root = lxml.html.fragment_fromstring(content._content, create_parent="div")
    content.contents_list = [(h.get("id"), " ".join(h.text_content().split())) for h in root.xpath(".//h2[@id]")]
    content.citations = []
    if not content.settings.get("SITE_PUBLISHED"):
        return  # only the published site's JSON-LD lists them: save the memory
    for note in root.xpath(f".//div[{has_class('footnote')}]//li[@id]"):
        # Plain strings: lxml's default "smart" strings keep the whole parsed tree alive.
        links = note.xpath(".//a[starts-with(@href, 'https://')]/@href", smart_strings=False)
        content.citations.append((text_without(note, "footnote-backref"), links[0] if links else None))


def register():
    signals.content_object_init.connect(add_page_structure)
