"""Expose each article's and page's rendered structure to the templates:

- `contents_list`: the (id, text) of its h2 headings, for the "On this page" list;
- `citations`: the (text, url) of each reference in its footnotes, for the JSON-LD
  `citation` list.

It also keeps one back-link per reference: Python-Markdown adds one for every time a
source is cited, and a list of 25 identical "back" links is noise to a screen reader.

Ours because no maintained Pelican plugin on PyPI exposes Markdown's table of
contents or footnotes to templates.
"""

from bs4 import BeautifulSoup
from pelican import signals
from pelican.contents import Article, Page


def text_without(element, *classes):
    for unwanted in element.find_all(class_=classes):
        unwanted.decompose()
    return " ".join(element.get_text(" ", strip=True).split())


def add_page_structure(content):
    if not isinstance(content, (Article, Page)) or not content._content:
        return
    soup = BeautifulSoup(content._content, "html.parser")
    content.contents_list = [
        (heading["id"], text_without(heading, "headerlink")) for heading in soup.find_all("h2", id=True)
    ]
    extra_backlinks = [a for note in soup.select("div.footnote li[id]")
                       for a in note.find_all("a", class_="footnote-backref")[1:]]
    for backlink in extra_backlinks:
        backlink.decompose()
    if extra_backlinks:
        content._content = str(soup)
    content.citations = []
    for note in soup.select("div.footnote li[id]"):
        link = note.find("a", href=lambda href: href and href.startswith("https://"))
        content.citations.append((text_without(note, "footnote-backref"), link["href"] if link else None))


def register():
    signals.content_object_init.connect(add_page_structure)
