"""Settings for the published site on GitHub Pages: `SITEURL=https://USER.github.io/REPO make publish`."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
if not SITEURL.startswith("https://"):
    sys.exit("publishconf.py: set SITEURL to the site's https address, e.g. SITEURL=https://USER.github.io/REPO")
RELATIVE_URLS = False
