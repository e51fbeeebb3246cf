"""Give Markdown tables what screen readers need: "Table: text" just before a table becomes its
<caption> (Pandoc's syntax), headers get scopes, each row's first cell is its header, and each other
cell has its column's name in data-label, shown above it when a phone lays a row out as a card.
Ours because Python-Markdown tables have no captions or row headers (MARKDOWN names it)."""

import xml.etree.ElementTree as etree
from itertools import pairwise

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

CAPTION_PREFIX = "Table:"


class AccessibleTableProcessor(Treeprocessor):
    def run(self, root):
        for parent in root.iter():
            for paragraph, table in pairwise(list(parent)):
                if paragraph.tag == "p" and table.tag == "table" and (paragraph.text or "").startswith(CAPTION_PREFIX):
                    caption = etree.Element("caption")
                    caption.text = paragraph.text[len(CAPTION_PREFIX) :].lstrip()
                    caption.extend(list(paragraph))
                    caption.tail = "\n"
                    table.insert(0, caption)
                    parent.remove(paragraph)
        for table in root.iter("table"):
            headers = list(table.iterfind("thead/tr/th"))
            for header in headers:
                header.set("scope", "col")
            labels = ["".join(header.itertext()).strip() for header in headers]
            for row in table.iterfind("tbody/tr"):
                if len(row):
                    row[0].tag = "th"
                    row[0].set("scope", "row")
                for cell, label in zip(row[1:], labels[1:], strict=False):
                    cell.set("data-label", label)


class AccessibleTableExtension(Extension):
    def extendMarkdown(self, md):
        # Before "inline" (priority 20), so the caption's own Markdown is still rendered.
        md.treeprocessors.register(AccessibleTableProcessor(md), "accessible_tables", 25)
