"""Pelican settings for local builds (publishconf.py and offlineconf.py extend them): each
site-wide decision lives here once, and templates, plugins and tests read it from here."""

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

# Relative URLs, so output/ also opens from disk.
SITEURL = ""
RELATIVE_URLS = True
SITE_PUBLISHED = False  # publishconf.py: canonical and social metadata need the absolute address
OFFLINE_EDITION = False  # offlineconf.py: pages say they are an offline copy and mark web links
# The offline build's own files, reserved in every build so no page can take their address.
EDITION_FILES = {"print": f"{SITE_SLUG}-print.html", "epub": f"{SITE_SLUG}.epub", "readme": "README.txt"}
PRINT_EDITION_SAVE_AS = None  # offline builds only, whose footer links to it
# What `make offline` writes into its DIST folder (packaging/offline.py): the editions a reader can
# download, which a published build given that folder carries and links (EDITIONS_DIR, publishconf.py).
EDITION_DOWNLOADS = {"print": EDITION_FILES["print"], "zip": f"{SITE_SLUG}-offline.zip", "epub": EDITION_FILES["epub"]}
DOWNLOADS_PATH = "downloads"  # their folder in that site

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# Content is Markdown, plus pictures in content/images/, copied as they are: PNG or JPEG, which
# every browser and reading system shows, each checked to be what its name says (its first bytes).
# Nothing else is copied or run as a template. The site's root files (robots.txt; for Pages
# sitemap.xml, .nojekyll, CNAME) are theme DIRECT_TEMPLATES.
IMAGES_PATH = "images"
IMAGE_SIGNATURES = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
# A picture loads after the text it illustrates: about a second on a slow 3G connection. Refused
# above this at the door; checkers/budgets.py weighs each one a page shows against it too.
IMAGE_MAX_BYTES = 40 * 1024
STATIC_PATHS = [IMAGES_PATH]
TEMPLATE_PAGES = {}
# What editors leave beside a file they have open (Emacs' lock and autosave, Vim's swap and its
# write test, backups): never content, so never read, refused or watched (scripts/devserver.py).
IGNORE_FILES = [".#*", "#*#", "*~", ".*.sw?", "4913", "*.bak", "*.orig", "*.tmp"]

THEME = "theme"
THEME_STATIC_DIR = "theme"
CSS_FILE = "site.css"

# Every page is a flat "slug.html", which GitHub Pages serves and a browser opens from disk.
ARTICLE_URL = ARTICLE_SAVE_AS = "{slug}.html"
PAGE_URL = PAGE_SAVE_AS = "{slug}.html"
# The section of an article that lists the warning signs after a session: the home page's
# urgent-help note links to it (the id its heading "When to get help after a session" gets).
WARNING_SIGNS_ID = "when-to-get-help-after-a-session"
# Each page's statements beside its sources' own words (plugins/evidence_pages).
EVIDENCE_SAVE_AS = "{slug}-evidence.html"
INDEX_SAVE_AS = "index.html"
DIRECT_TEMPLATES = ["index", "robots"]
ROBOTS_SAVE_AS = "robots.txt"
TEMPLATE_EXTENSIONS = [".html", ".txt", ".xml"]
DEFAULT_PAGINATION = False
# The menu names the newest articles (the home page lists all), so pages stay one size.
NAV_ARTICLES = 3
PAGE_ORDER_BY = "menu_order"

# No authors, categories, tags or archives pages.
for _kind in ("AUTHOR", "AUTHORS", "CATEGORY", "CATEGORIES", "TAG", "TAGS", "ARCHIVES"):
    globals()[f"{_kind}_SAVE_AS"] = ""
    globals()[f"{_kind}_URL"] = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""

# Feeds only on the published site (publishconf.py).
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["content_rules", "page_structure", "evidence_pages", "minify_css"]
# Our Markdown extensions (plugins/, named in MARKDOWN) are imported by name, as Markdown's own.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins"))

# Citations ("[^label]: ...") and abbreviations ("*[ABBR]: ..."), each written once in the
# content folder, pulled into every page by content_rules' shared_references extension.
REFERENCES_FILE = "references.md"
ABBREVIATIONS_FILE = "abbreviations.md"
# Each quoted reference's whole citation as its quotes were read (content_rules/evidence.py);
# each page's evidence records are beside it, name.evidence.toml.
REFERENCES_READ_FILE = "references-read.toml"

FOOTNOTE_PLACE_MARKER = "///References///"

# The marks a page may add, the only markup it writes beyond Markdown (content_rules/sources.py
# refuses any other): a box of paragraphs, <div class="..." markdown="1">, or an attribute list,
# {: .advice }. Each is read by our code: the evidence-records rule (advice), page_structure (the main
# message, icon arrays) and the theme.
CONTENT_CLASSES = {"advice", "icon-array", "main-message", "notes-space", "checklist", "callout", "callout-warning"}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.meta": {},
        "markdown.extensions.tables": {},
        "accessible_tables.accessible_tables:AccessibleTableExtension": {},
        "markdown.extensions.def_list": {},
        "markdown.extensions.attr_list": {},
        "markdown.extensions.md_in_html": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.abbr": {},
        "markdown.extensions.footnotes": {
            "PLACE_MARKER": FOOTNOTE_PLACE_MARKER,
            "SEPARATOR": "-",
            "BACKLINK_TITLE": "Back to where reference %d is cited",
            # A mark's brackets are its text, in every edition and reading system, with or without CSS.
            "SUPERSCRIPT_TEXT": "[{}]",
        },
        # Section ids for "On this page", which links every section: no "#" permalinks.
        # No [TOC] marker: the page's own contents list is the theme's (page_structure).
        "markdown.extensions.toc": {"toc_depth": "2-3", "marker": ""},
        # After footnotes and abbr, which it gives the shared definitions (and none from the page).
        "content_rules.shared_references:SharedReferencesExtension": {},
    },
    "output_format": "html5",
}

# Source links allowed in content: publishers reached by DOI, and official bodies; no clinics,
# no businesses. A host matches itself and its subdomains.
SOURCE_DOMAINS = ("doi.org", "pubmed.ncbi.nlm.nih.gov", "nih.gov", "fda.gov", "govinfo.gov", "nice.org.uk",
                  "nhs.uk", "who.int", "samhsa.gov", "medlineplus.gov",
                  # Patient charities a page may send readers to for help (read, and found to be
                  # charities, not clinics or businesses), never cited as evidence.
                  "versusarthritis.org", "burningnightscrps.org")

# GitHub Pages sends no headers, so each page's <meta> carries it: only our stylesheet (and the
# "no favicon" data: icon) may load; no scripts, plugins, forms or <base> tricks.
CSP_DIRECTIVES = {
    "default-src": "'none'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    # Permits no script (none runs); lets Lighthouse read robots.txt (GoogleChrome/lighthouse#4386).
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'none'",
}
CONTENT_SECURITY_POLICY = "; ".join(f"{name} {sources}" for name, sources in CSP_DIRECTIVES.items())


@jinja2.pass_context
def canonical_url(context, path):
    """A page's one published address, from its file ('about.html'; the home page: the folder),
    for the canonical link, Open Graph, JSON-LD and the sitemap."""
    return f"{context['SITEURL']}/{'' if path == context['INDEX_SAVE_AS'] else path}"


def long_date(value):
    """'2026-11-25' (or a date) -> '25 November 2026', the style NHS pages use."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def edition_date(contents):
    """An edition's date (site, print, EPUB, zip): the newest Modified (or Date) of its pages, so
    two builds of one commit agree. Also a template filter."""
    return max((getattr(c, "modified", None) or c.date) for c in contents).date()


JINJA_FILTERS = {"long_date": long_date, "edition_date": edition_date, "canonical_url": canonical_url}
# Templates escape every value not marked safe (only rendered content is).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

# Today, for review dates; BUILD_DATE=YYYY-MM-DD builds as on another day. The form is checked
# first, since fromisoformat also takes "20261125".
BUILD_DATE = os.environ.get("BUILD_DATE") or datetime.date.today().isoformat()
try:
    datetime.date.fromisoformat(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", BUILD_DATE)[0])
except (TypeError, ValueError):
    sys.exit(f"error: BUILD_DATE '{BUILD_DATE}': not a date: write a real day as YYYY-MM-DD, e.g. 2026-11-25")

# What each kind of file's metadata must and may say (content_rules enforces it; README lists it).
CONTENT_SCHEMA = {
    "article": {"required": ("title", "date", "modified", "reviewed", "next_review", "slug", "summary"),
                "optional": ("menu_label",)},
    "page": {"required": ("title", "date", "slug", "summary", "menu_order"),
             "optional": ("modified", "reviewed", "next_review", "menu_label", "status", "save_as")},
}
# {key: (regular expression for the whole value, the rule as told to an editor)}.
METADATA_FORMATS = {
    "title": (r"[^\n]{1,90}", "at most 90 characters"),
    "menu_label": (r"[^\n]{1,30}", "at most 30 characters"),
    "summary": (r"[^\n]{20,200}", "20 to 200 characters: one or two sentences"),
    "slug": (r"[a-z0-9]+(?:-[a-z0-9]+)*", "lower-case letters, digits and single hyphens, like 'my-page'"),
    "menu_order": (r"[0-9]{1,3}", "a whole number: the page's place in the menu"),
    "status": (r"hidden", "'hidden' (left out of the menu), or no Status line"),
    "save_as": (r"(?!index\.html$)[a-z0-9]+(?:-[a-z0-9]+)*\.html", "a file name at the site root, like '404.html'"),
    **{key: (r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "a date written YYYY-MM-DD")
       for key in ("date", "modified", "reviewed", "next_review")},
}
MAX_SOURCE_BYTES = 200_000  # far above any real page, far below one that stalls a build
MAX_RENDER_SECONDS = 20  # the article takes a tenth of a second
# Every page is checked against its sources at least once a year (content/pages/about.md).
REVIEW_INTERVAL_DAYS = 366

# Every page's footer links here to report a mistake: only this project's GitHub issues (the
# whole URL must match), since SOURCE_DOMAINS are for evidence, not reports. publishconf.py
# falls back to the issues of the repository the workflow builds.
REPORT_MISTAKE_FORM = r"https://github\.com/[A-Za-z0-9-]+/[A-Za-z0-9_-][A-Za-z0-9_.-]*/issues"
REPORT_MISTAKE_URL = os.environ.get("REPORT_MISTAKE_URL") or None
if REPORT_MISTAKE_URL and not re.fullmatch(REPORT_MISTAKE_FORM, REPORT_MISTAKE_URL):
    sys.exit(f"error: REPORT_MISTAKE_URL '{REPORT_MISTAKE_URL}': not this project's issue tracker: "
             "write https://github.com/USER/REPO/issues")

# What every page is about, and for whom, in schema.org terms (JSON-LD).
SCHEMA_ABOUT = [{"@type": "MedicalCondition", "name": "Chronic pain"}, {"@type": "Drug", "name": "Ketamine"}]
SCHEMA_AUDIENCE = {"@type": "MedicalAudience", "audienceType": "Patient"}
