"""The single-file printable edition (offlineconf.py): the pages in PRINT_EDITION_PAGES in one
self-contained file, PRINT_EDITION_SAVE_AS, rendered by Pelican with the theme's
print-edition.html, so it is built from the same settings as the pages it holds.

Each page becomes a <section>: its ids get the page's name as a prefix, so one file can hold
them all; links between its parts point inside the file; links to pages it leaves out become
plain text; headings move down one level under the file's one h1. The stylesheet is inlined
and allowed by its hash in the Content Security Policy, so the file loads nothing else.

Ours because no maintained Pelican plugin writes several pages into one file.
"""

import base64
import hashlib
from pathlib import Path

import lxml.html
import rcssmin
from pelican import signals
from pelican.generators import Generator


def prefixed(prefix, fragment):
    return f"{prefix}--{fragment}"


def part_html(content, parts):
    """The page's rendered text, its ids and links rewritten to live inside the one file."""
    prefix = Path(content.save_as).stem
    root = lxml.html.fragment_fromstring(content.get_content("."), create_parent="div")
    for permalink in root.find_class("headerlink"):
        permalink.drop_tree()
    for element in root.xpath(".//*[@id]"):
        element.set("id", prefixed(prefix, element.get("id")))
    for link in root.xpath(".//a[@href]"):
        href = link.get("href")
        if href.startswith("#"):
            link.set("href", "#" + prefixed(prefix, href[1:]))
        elif not href.startswith("https://"):
            target, _, fragment = href.removeprefix("./").partition("#")
            stem = Path(target).stem
            if target in parts:
                link.set("href", "#" + (prefixed(stem, fragment) if fragment else stem))
            else:
                link.drop_tag()  # a page this edition leaves out
    for heading in root.xpath(".//h5 | .//h4 | .//h3 | .//h2"):
        heading.tag = f"h{int(heading.tag[1]) + 1}"
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def content_security_policy(settings, css):
    """The site's policy, for a file with its CSS inline and nothing else to load."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    directives = {**settings["CSP_DIRECTIVES"], "style-src": f"'sha256-{digest}'", "img-src": "data:",
                  "connect-src": "'none'", "base-uri": "'none'"}
    return "; ".join(f"{name} {sources}" for name, sources in directives.items())


class PrintEditionGenerator(Generator):
    def generate_output(self, writer):
        by_file = {c.save_as: c for c in [*self.context["articles"], *self.context["pages"]]}
        names = self.settings["PRINT_EDITION_PAGES"]
        parts = [by_file[name] for name in names]
        css_file = Path(self.settings["THEME"], "static", "css", self.settings["CSS_FILE"])
        css = rcssmin.cssmin(css_file.read_text("utf-8"))  # as minify_css serves it to the site
        writer.write_file(
            self.settings["PRINT_EDITION_SAVE_AS"], self.get_template("print-edition"), self.context,
            parts=[{"id": Path(c.save_as).stem, "page": c, "html": part_html(c, names)} for c in parts],
            edition_date=max((c.modified or c.date) for c in parts).date(),
            css=css, CONTENT_SECURITY_POLICY=content_security_policy(self.settings, css),
        )


def add_generator(pelican):
    return PrintEditionGenerator


def register():
    signals.get_generators.connect(add_generator)
