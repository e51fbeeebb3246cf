"""pelican-sitemap stamps pages that have no date of their own (the home page) with the
build machine's clock. Stamp them with the newest content date instead, so two builds of
one commit write the same sitemap.xml.
"""

from pelican import signals
from pelican.plugins.sitemap import sitemap


def use_newest_content_date(generators):
    contents = [c for g in generators for c in getattr(g, "articles", []) + getattr(g, "pages", [])]
    dates = [getattr(c, "modified", None) or getattr(c, "date", None) for c in contents]
    dates = [d for d in dates if d is not None]
    if dates:
        sitemap.generator.now = max(dates)


def register():
    signals.all_generators_finalized.connect(use_newest_content_date)
