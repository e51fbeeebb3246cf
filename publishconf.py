"""Settings for GitHub Pages: `SITEURL=https://USER.github.io/REPO make publish` (the workflow
passes the address Pages gives the site); the rest comes from pelicanconf.py."""

import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

_repository = os.path.dirname(os.path.abspath(__file__))
sys.path.append(_repository)
from pelicanconf import *  # noqa: E402,F403
from pelicanconf import DIRECT_TEMPLATES, EDITION_DOWNLOADS, PLUGINS, REPORT_MISTAKE_FORM, REPORT_MISTAKE_URL  # noqa: E402


def checked_siteurl(value):
    """The site's address, or stop with one line: an https URL with a host and at most a path
    (it is written into every page and the feed: nothing that could break out of them)."""
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 (reading it checks it: "Port out of range 0-65535")
        bad_port = None
    except ValueError as error:
        bad_port = f"its port is not a port ({error})"
    problem = bad_port or (
        "it must start with https://" if parts.scheme != "https" else
        "it has no host" if not parts.hostname else
        "it has a user name or password ('@')" if "@" in parts.netloc else
        "it has a query or fragment ('?' or '#')" if "?" in value or "#" in value else
        "it has spaces, quotes or other characters not allowed in a URL"
        if re.search(r"[^A-Za-z0-9._~:/%-]", value) else None
    )
    if problem:
        sys.exit(f"error: SITEURL '{value}' is not the site's address: {problem}. "
                 "Example: SITEURL=https://USER.github.io/REPO")
    return value.rstrip("/")


SITEURL = checked_siteurl(os.environ.get("SITEURL", ""))

# Absolute URLs: canonical links and feeds need them, and 404.html is served at any depth.
RELATIVE_URLS = False
SITE_PUBLISHED = True
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
# Each entry is the article's summary with the site's notice and review dates (plugins/feed_notes).
PLUGINS = [*PLUGINS, "feed_notes"]

# A sitemap, no Jekyll, and a CNAME for a custom domain (not *.github.io): theme templates.
DIRECT_TEMPLATES = [*DIRECT_TEMPLATES, "sitemap", "nojekyll"]
SITEMAP_SAVE_AS = "sitemap.xml"
NOJEKYLL_SAVE_AS = ".nojekyll"
SITE_HOST = urlsplit(SITEURL).hostname
if not SITE_HOST.endswith(".github.io"):
    DIRECT_TEMPLATES.append("CNAME")
    CNAME_SAVE_AS = "CNAME"

# Without REPORT_MISTAKE_URL: the issues of the repository the workflow builds, if of that form.
_issues = f"https://github.com/{os.environ.get('GITHUB_REPOSITORY', '')}/issues"
if not REPORT_MISTAKE_URL and re.fullmatch(REPORT_MISTAKE_FORM, _issues):
    REPORT_MISTAKE_URL = _issues


def checked_editions(value):
    """The folder holding every edition, or stop with one line: a site must never link a missing file."""
    folder = Path(_repository, value)
    missing = [name for name in EDITION_DOWNLOADS.values() if not (folder / name).is_file()]
    if missing:
        problem = "there is no such folder" if not folder.is_dir() else f"it has no {', '.join(missing)}"
        sys.exit(f"error: EDITIONS_DIR '{value}': {problem}: run make offline DIST={value} first. Nothing was changed.")
    return str(folder)


# The editions of a finished `make offline`: EDITIONS_DIR names its DIST folder (relative to the
# repository, as make's), and the site then carries them in DOWNLOADS_PATH and its home page links
# them (plugins/downloads). The Pages workflow sets it; unset, as in a preview, none are linked.
EDITIONS_DIR = checked_editions(os.environ["EDITIONS_DIR"]) if os.environ.get("EDITIONS_DIR") else None
if EDITIONS_DIR:
    PLUGINS = [*PLUGINS, "downloads"]
