"""Plugin sitemap_dates: the home page's sitemap entry is dated from the newest content
date, never the build machine's clock."""

import xml.etree.ElementTree as ET

from conftest import PUBLISHED_SITEURL

from plugins.content_rules.sources import parse_metadata
from scripts.build import ROOT

NAMESPACE = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_the_home_page_is_dated_from_the_newest_content(published_site):
    newest = max(value for path in (ROOT / "content").glob("*/*.md")
                 for key, value in parse_metadata(path.read_text("utf-8"))[0] if key in ("date", "modified"))
    entries = {url.find("s:loc", NAMESPACE).text: url.find("s:lastmod", NAMESPACE).text
               for url in ET.parse(published_site / "sitemap.xml").findall("s:url", NAMESPACE)}
    assert entries[f"{PUBLISHED_SITEURL}/"].startswith(newest)
