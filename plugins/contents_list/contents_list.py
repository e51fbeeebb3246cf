"""Give each article and page a `contents_list`: the (id, text) of its h2 headings.

Ours because no maintained Pelican plugin on PyPI exposes Markdown's table of
contents to templates; the theme renders it as the "On this page" list.
"""

from bs4 import BeautifulSoup
from pelican import signals
from pelican.contents import Article, Page


def add_contents_list(content):
    if not isinstance(content, (Article, Page)) or not content._content:
        return
    soup = BeautifulSoup(content._content, "html.parser")
    entries = []
    for heading in soup.find_all("h2", id=True):
        for permalink in heading.find_all("a", class_="headerlink"):
            permalink.decompose()
        entries.append((heading["id"], heading.get_text(" ", strip=True)))
    content.contents_list = entries


def register():
    signals.content_object_init.connect(add_contents_list)
