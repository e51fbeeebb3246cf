"""Plugin minify_css: the built site serves the theme's stylesheet without comments or spare
space, and with every rule of the source."""

import re

import rcssmin

from scripts.build import ROOT

SOURCE = ROOT / "theme" / "static" / "css" / "site.css"


def test_the_built_stylesheet_is_the_minified_source(site):
    built = (site / "theme" / "css" / "site.css").read_text("utf-8")
    assert built == rcssmin.cssmin(SOURCE.read_text("utf-8"))
    assert "/*" not in built and len(built) < 0.8 * len(SOURCE.read_text("utf-8"))


def test_minifying_keeps_every_selector():
    source = SOURCE.read_text("utf-8")
    selectors = {s.strip() for s in re.findall(r"([^{}]+)\{", re.sub(r"/\*.*?\*/", "", source, flags=re.S))}
    minified = rcssmin.cssmin(source)
    assert all(" ".join(s.split()).replace(", ", ",").replace(": ", ":") in minified for s in selectors)
