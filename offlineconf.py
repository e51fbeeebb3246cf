"""Settings for the offline bundle (`make offline`): the local build, which already uses
relative links to files (never folders), marked as an offline copy, plus the single-file
printable edition.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403
from pelicanconf import PLUGINS, SITE_SLUG  # noqa: E402

OFFLINE_EDITION = True
# robots.txt means nothing in a folder on a disk.
DIRECT_TEMPLATES = ["index"]

# The single-file printable edition: these pages, in this order, in one file beside them.
PLUGINS = [*PLUGINS, "print_edition"]
PRINT_EDITION_PAGES = ["ketamine-therapy-for-chronic-pain.html", "questions.html", "glossary.html"]
PRINT_EDITION_SAVE_AS = f"{SITE_SLUG}-print.html"

# The EPUB edition (packaging/epub.py): these pages, in this order, after the health notes.
EPUB_PAGES = [*PRINT_EDITION_PAGES, "about.html"]
