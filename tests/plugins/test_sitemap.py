"""The sitemap (a theme template): each page dated from its own content, the home page from
the newest content date, never the build machine's clock."""

import xml.etree.ElementTree as ET

from conftest import PUBLISHED_SITEURL

from plugins.content_rules.sources import parse_metadata
from scripts.build import ROOT

NAMESPACE = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def published_dates():
    """{slug: its Modified, else its Date} of every page the sitemap lists (not hidden ones)."""
    dates = {}
    for path in (ROOT / "content").glob("*/*.md"):
        metadata = dict(parse_metadata(path.read_text("utf-8"))[0])
        if metadata.get("status") != "hidden":
            dates[metadata["slug"]] = metadata.get("modified") or metadata["date"]
    return dates


def sitemap_entries(site):
    return {url.find("s:loc", NAMESPACE).text: url.find("s:lastmod", NAMESPACE).text
            for url in ET.parse(site / "sitemap.xml").findall("s:url", NAMESPACE)}


def test_the_home_page_is_dated_from_the_newest_content(published_site):
    assert sitemap_entries(published_site)[f"{PUBLISHED_SITEURL}/"] == max(published_dates().values())


def test_each_page_is_dated_from_its_own_content(published_site):
    entries = sitemap_entries(published_site)
    assert {slug: entries[f"{PUBLISHED_SITEURL}/{slug}.html"] for slug in published_dates()} == published_dates()
