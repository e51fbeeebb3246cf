"""The offline build's single-file editions (offlineconf.py), written by Pelican from its own
pages and the theme's templates: PRINT_EDITION_SAVE_AS, the whole site in one self-contained HTML
file (headings one level down under its h1, the stylesheet inline and allowed by its hash);
EPUB_SAVE_AS (epub.py); OFFLINE_README_SAVE_AS, the zip's README.txt. Which pages, and how they
join, is single_file.py's. Ours because no maintained Pelican plugin writes several pages into
one file or an EPUB.
"""

import base64
import hashlib
from pathlib import Path

import lxml.html
from minify_css.minify_css import minified
from pelican import signals
from pelican.generators import Generator

from .epub import chapter_href, write_epub
from .single_file import edition_pages, edition_parts, pictures

# After the site's stylesheet. Headings are a level down (a part's title is its h2), each styled as the
# heading it is on its page (site.css: h1, h2, h3), on screen and on paper. Its contents are
# printed too (the site hides a page's "On this page" links on paper): they say what it holds.
PRINT_EDITION_CSS = (
    ".print-part h2{font-size:2rem;margin-top:.5em}.print-part h3{font-size:1.5rem}"
    ".print-part h4{font-size:1.25rem;line-height:1.25;margin:1.5em 0 .5em}"
    "@media print{.print-part h2{font-size:20pt;margin-top:.6em}.print-part h3{font-size:16pt}"
    ".print-part h4{font-size:13pt;margin:.6em 0 .3em;break-after:avoid}.contents-list{display:block}}"
    ".callout-warning h4{margin-top:.25rem}"
)


def content_security_policy(settings, css):
    """The site's policy, for a file with its CSS inline and nothing else to load."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    directives = {**settings["CSP_DIRECTIVES"], "style-src": f"'sha256-{digest}'", "img-src": "data:",
                  "connect-src": "'none'", "base-uri": "'none'"}
    return "; ".join(f"{name} {sources}" for name, sources in directives.items())


def print_part_html(part):
    """A part's text as HTML, its headings one level down (under the part's h2)."""
    for heading in part.root.xpath(".//h5 | .//h4 | .//h3 | .//h2"):
        heading.tag = f"h{int(heading.tag[1]) + 1}"
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in part.root)


class EditionsGenerator(Generator):
    def generate_output(self, writer):
        edition_date = self.settings["JINJA_FILTERS"]["edition_date"](edition_pages(self.context))
        self.write_print_edition(writer, edition_date)
        book = Path(self.output_path, self.settings["EPUB_SAVE_AS"])
        parts = edition_parts(self.context, self.settings, chapter_href, "nav.xhtml#toc")
        write_epub(book, self.env, self.context, parts, edition_date, pictures(parts, self.settings))
        writer.write_file(self.settings["OFFLINE_README_SAVE_AS"], self.env.get_template("offline-readme.txt"),
                          self.context, parts=parts, edition_date=edition_date)

    def write_print_edition(self, writer, edition_date):
        parts = edition_parts(self.context, self.settings, lambda part, anchor: f"#{anchor or part}",
                              "#print-contents-title")
        for name, (media_type, data) in pictures(parts, self.settings).items():  # one file: each inline
            for image in (image for part in parts for image in part.root.xpath(f".//img[@src='{name}']")):
                image.set("src", f"data:{media_type};base64,{base64.b64encode(data).decode()}")
        css_file = Path(self.settings["THEME"], "static", "css", self.settings["CSS_FILE"])
        css = minified(css_file) + PRINT_EDITION_CSS
        writer.write_file(
            self.settings["PRINT_EDITION_SAVE_AS"], self.get_template("print-edition"), self.context,
            parts=[{"id": part.id, "page": part.page, "sections": part.sections(), "html": print_part_html(part)}
                   for part in parts],
            edition_date=edition_date, css=css, CONTENT_SECURITY_POLICY=content_security_policy(self.settings, css),
        )


def add_generator(pelican):
    return EditionsGenerator


def register():
    signals.get_generators.connect(add_generator)
