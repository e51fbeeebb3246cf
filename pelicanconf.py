"""Pelican settings for local builds. publishconf.py extends these for GitHub Pages.

Each site-wide decision lives here once; templates, plugins and tests read it from here.
"""

import datetime
import os
import re
import sys

import jinja2

SITENAME = "Ketamine and Chronic Pain"
SITE_TAGLINE = "Plain-language patient information, written from published research"
SITE_SLUG = "ketamine-chronic-pain"
AUTHOR = "Ketamine and Chronic Pain editors"
DEFAULT_LANG = "en"
TIMEZONE = "UTC"

# Local builds use relative URLs, so output/ also works opened straight from disk.
SITEURL = ""
RELATIVE_URLS = True
# True only in publishconf.py: canonical links and social/structured metadata need the
# site's absolute address.
SITE_PUBLISHED = False
# True only in offlineconf.py: pages say they are an offline copy, and mark web links.
OFFLINE_EDITION = False
# The files the offline build adds beside the pages (offlineconf.py names them as it makes them).
# Reserved in every build, so no page can take one's address.
EDITION_FILES = {"print": f"{SITE_SLUG}-print.html", "epub": f"{SITE_SLUG}.epub", "readme": "README.txt"}
# The printable edition: set in offline builds only, where the footer links to it.
PRINT_EDITION_SAVE_AS = None

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# Nothing under content/ is copied or run as a template: content is only Markdown. The files
# of the site root (robots.txt; for Pages, sitemap.xml, .nojekyll and CNAME) are theme
# templates, written by DIRECT_TEMPLATES below.
STATIC_PATHS = []
TEMPLATE_PAGES = {}

THEME = "theme"
THEME_STATIC_DIR = "theme"
CSS_FILE = "site.css"

# One URL scheme everywhere: every page is a flat "slug.html" file, which GitHub Pages
# serves and a browser opens from disk.
ARTICLE_URL = ARTICLE_SAVE_AS = "{slug}.html"
PAGE_URL = PAGE_SAVE_AS = "{slug}.html"
INDEX_SAVE_AS = "index.html"
DIRECT_TEMPLATES = ["index", "robots"]
ROBOTS_SAVE_AS = "robots.txt"
TEMPLATE_EXTENSIONS = [".html", ".txt", ".xml"]
DEFAULT_PAGINATION = False
# The menu names this many newest articles (the home page lists them all), so every page's
# size stays the same however many articles the site grows to.
NAV_ARTICLES = 3
PAGE_ORDER_BY = "menu_order"

# This site has no authors, categories, tags or archives pages: don't write them.
for _kind in ("AUTHOR", "AUTHORS", "CATEGORY", "CATEGORIES", "TAG", "TAGS", "ARCHIVES"):
    globals()[f"{_kind}_SAVE_AS"] = ""
    globals()[f"{_kind}_URL"] = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""

# Feeds are for the published site only (publishconf.py turns them on).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["content_rules", "page_structure", "minify_css"]
# Our Markdown extensions (in plugins/, named in MARKDOWN below) are imported by name, as
# Python-Markdown's own are.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins"))

# Abbreviations are defined once, in Markdown's own "*[ABBR]: meaning" syntax, and marked
# up as <abbr> on every page (content_rules' shared_references extension, below).
ABBREVIATIONS_FILE = "abbreviations.md"  # in the content folder (PATH)

FOOTNOTE_PLACE_MARKER = "///References///"

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.meta": {},
        "markdown.extensions.tables": {},
        # Table captions ("Table: ..." above a table) and header cells for screen readers.
        "accessible_tables.accessible_tables:AccessibleTableExtension": {},
        "markdown.extensions.def_list": {},
        "markdown.extensions.attr_list": {},
        "markdown.extensions.md_in_html": {},
        "markdown.extensions.admonition": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.abbr": {},
        "markdown.extensions.footnotes": {
            "PLACE_MARKER": FOOTNOTE_PLACE_MARKER,
            "SEPARATOR": "-",
            "BACKLINK_TITLE": "Back to where reference %d is cited",
        },
        # Section ids for the "On this page" list; no "#" permalinks beside headings (that
        # list already links every section, and axe's link-in-text-block rule fails them).
        "markdown.extensions.toc": {"toc_depth": "2-3"},
        # Gives the footnotes and abbr extensions (so: after them) the citations a page uses from
        # REFERENCES_FILE and every abbreviation from ABBREVIATIONS_FILE, and no definition from
        # the page itself (the content_rules plugin reads both files first).
        "content_rules.shared_references:SharedReferencesExtension": {},
    },
    "output_format": "html5",
}

# Source links allowed in content: publishers reached by DOI, and official bodies.
# No clinics, no businesses. A host matches itself and its subdomains.
SOURCE_DOMAINS = (
    "doi.org",
    "pubmed.ncbi.nlm.nih.gov",
    "nih.gov",
    "fda.gov",
    "govinfo.gov",
    "nice.org.uk",
    "nhs.uk",
    "who.int",
    "samhsa.gov",
)


# GitHub Pages cannot send headers, so every page carries its policy in a <meta> tag:
# only our own stylesheet (and the inline "no favicon" data: icon) may load; no scripts,
# plugins, forms or <base> tricks.
CSP_DIRECTIVES = {
    "default-src": "'none'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    # No script runs here, so this permits nothing a reader's browser does; it lets audit tools
    # that fetch robots.txt from inside the page (Lighthouse, GoogleChrome/lighthouse#4386) read it.
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'none'",
}
CONTENT_SECURITY_POLICY = "; ".join(f"{name} {sources}" for name, sources in CSP_DIRECTIVES.items())


@jinja2.pass_context
def canonical_url(context, path):
    """The one address of a page on the published site, from its file ('about.html'): the home
    page is the site's folder. The canonical link, Open Graph, JSON-LD and the sitemap all use it."""
    return f"{context['SITEURL']}/{'' if path == context['INDEX_SAVE_AS'] else path}"


def long_date(value):
    """'2026-11-25' (or a date) -> '25 November 2026', the style NHS pages use."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def edition_date(contents):
    """The date of an edition (the site, the print edition, the EPUB, the offline zip): the newest
    Modified (or, without one, Date) of the pages in it, so it changes only when they do and two
    builds of one commit agree. Takes Pelican's articles and pages; a filter for templates too."""
    return max((getattr(c, "modified", None) or c.date) for c in contents).date()


JINJA_FILTERS = {"long_date": long_date, "edition_date": edition_date, "canonical_url": canonical_url}
# Every value a template prints is escaped, unless marked safe: only rendered content is.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# Today, for review dates (a page past its Next_review says so): BUILD_DATE=YYYY-MM-DD shows how
# the site will build on another day.
# The form first (fromisoformat also takes "20261125" and other forms), then that it is a real day.
BUILD_DATE = os.environ.get("BUILD_DATE") or datetime.date.today().isoformat()
try:
    datetime.date.fromisoformat(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", BUILD_DATE)[0])
except (TypeError, ValueError):
    sys.exit(f"error: BUILD_DATE '{BUILD_DATE}': not a date: write a real day as YYYY-MM-DD, e.g. 2026-11-25")

# The content schema: what the metadata of each kind of file must and may say. content_rules
# enforces it in every build, with one line per problem; README lists it for editors.
CONTENT_SCHEMA = {
    "article": {
        "required": ("title", "date", "modified", "reviewed", "next_review", "slug", "summary"),
        "optional": ("menu_label",),
    },
    "page": {
        "required": ("title", "date", "slug", "summary", "menu_order"),
        "optional": ("modified", "reviewed", "next_review", "menu_label", "status", "save_as"),
    },
}
# What each value must look like: (regular expression for the whole value, as told to an editor).
METADATA_FORMATS = {
    "title": (r"[^\n]{1,90}", "at most 90 characters"),
    "menu_label": (r"[^\n]{1,30}", "at most 30 characters"),
    "summary": (r"[^\n]{20,200}", "20 to 200 characters: one or two sentences"),
    "slug": (r"[a-z0-9]+(?:-[a-z0-9]+)*", "lower-case letters, digits and single hyphens, like 'my-page'"),
    "menu_order": (r"[0-9]{1,3}", "a whole number: the page's place in the menu"),
    "status": (r"hidden", "'hidden' (left out of the menu), or no Status line"),
    # Only a page of its own at the site root: never index.html, a folder, or another site.
    "save_as": (r"(?!index\.html$)[a-z0-9]+(?:-[a-z0-9]+)*\.html", "a file name at the site root, like '404.html'"),
    **{key: (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "a date written YYYY-MM-DD")
       for key in ("date", "modified", "reviewed", "next_review")},
}
# The largest Markdown file accepted: far above any real page, far below one that stalls a build.
MAX_SOURCE_BYTES = 200_000
# The longest a page may take to render: the article takes a tenth of a second.
MAX_RENDER_SECONDS = 20
# Every health page is checked against its sources at least once a year (content/pages/about.md):
# a Next_review further than this after its Reviewed date is refused.
REVIEW_INTERVAL_DAYS = 366

# Every citation is written once, here, and pulled into the pages that cite it.
REFERENCES_FILE = "references.md"  # in the content folder (PATH)

# Where readers report a mistake, shown at the foot of every page: REPORT_MISTAKE_URL from the
# environment, for any build (publishconf.py falls back to the repository's GitHub issues).
# Held to the rule of every other link (no clinics, no businesses), and narrower: the one place
# a reader should be sent to report a mistake is this project's issue tracker, on GitHub, where
# it is kept. SOURCE_DOMAINS are for evidence, not for reports. The whole URL must match, so no
# other host, user name, port, query or path gets past it.
REPORT_MISTAKE_FORM = r"https://github\.com/[A-Za-z0-9-]+/[A-Za-z0-9_-][A-Za-z0-9_.-]*/issues"
REPORT_MISTAKE_URL = os.environ.get("REPORT_MISTAKE_URL") or None
if REPORT_MISTAKE_URL and not re.fullmatch(REPORT_MISTAKE_FORM, REPORT_MISTAKE_URL):
    sys.exit(f"error: REPORT_MISTAKE_URL '{REPORT_MISTAKE_URL}': not this project's issue tracker: "
             "write https://github.com/USER/REPO/issues")

# What every health page is about, and who it is for, in schema.org terms (JSON-LD).
SCHEMA_ABOUT = [
    {"@type": "MedicalCondition", "name": "Chronic pain"},
    {"@type": "Drug", "name": "Ketamine"},
]
SCHEMA_AUDIENCE = {"@type": "MedicalAudience", "audienceType": "Patient"}
