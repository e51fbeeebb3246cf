"""Minify the theme's stylesheets in the built site (rcssmin): the source keeps its comments, and
readers download a quarter less. Ours because pelican-webassets is a whole asset pipeline for one file."""

from pathlib import Path

import rcssmin
from pelican import signals


def minified(stylesheet):
    """A stylesheet's text as the site serves it (the print edition inlines it so too)."""
    return rcssmin.cssmin(Path(stylesheet).read_text("utf-8"))


def minify(pelican):
    for stylesheet in sorted(Path(pelican.output_path, pelican.settings["THEME_STATIC_DIR"]).rglob("*.css")):
        stylesheet.write_text(minified(stylesheet), "utf-8")


def register():
    signals.finalized.connect(minify)
