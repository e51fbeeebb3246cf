"""Heading permalinks that screen readers do not read as part of the heading.

Python-Markdown's toc extension puts its "#" link inside the heading, so the heading's
accessible name becomes "Key Facts#". This moves each link out, to just after its heading,
and names it "Link to this section: Key Facts"; the stylesheet shows it beside the heading.

Ours because the toc extension has no option to place the link outside the heading.
"""


from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican import signals

HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
LABEL = "Link to this section: {}"


class HeadingPermalinkProcessor(Treeprocessor):
    def run(self, root):
        for parent in root.iter():
            for index, heading in reversed(list(enumerate(parent))):
                link = next((a for a in heading if a.tag == "a" and a.get("class") == "headerlink"), None)
                if heading.tag not in HEADINGS or link is None:
                    continue
                heading.remove(link)
                # The toc extension leaves a space before its link: it belongs to neither.
                if len(heading):
                    heading[-1].tail = (heading[-1].tail or "").rstrip() or None
                else:
                    heading.text = (heading.text or "").rstrip()
                link.attrib.pop("title", None)
                link.set("aria-label", LABEL.format(" ".join("".join(heading.itertext()).split())))
                link.tail = heading.tail
                heading.tail = None
                parent.insert(index + 1, link)


class HeadingPermalinkExtension(Extension):
    def extendMarkdown(self, md):
        # After the toc extension (priority 5) has added its links.
        md.treeprocessors.register(HeadingPermalinkProcessor(md), "heading_permalinks", 4)


def add_extension(pelican):
    pelican.settings["MARKDOWN"].setdefault("extensions", []).append(HeadingPermalinkExtension())


def register():
    signals.initialized.connect(add_extension)
