"""Plugin minify_css: the built site serves the theme's stylesheet minified (by rcssmin), without
comments or spare space."""

import rcssmin

from scripts.build import ROOT

SOURCE = ROOT / "theme" / "static" / "css" / "site.css"


def test_the_built_stylesheet_is_the_minified_source(site):
    built = (site / "theme" / "css" / "site.css").read_text("utf-8")
    assert built == rcssmin.cssmin(SOURCE.read_text("utf-8"))
    assert "/*" not in built and len(built) < 0.8 * len(SOURCE.read_text("utf-8"))
