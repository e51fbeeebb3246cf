"""Settings for the offline bundle (`make offline`): the local build, which already uses
relative links to files (never folders), marked as an offline copy, plus the single-file
editions (the editions plugin): the printable edition, the EPUB and the zip's README.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403
from pelicanconf import EDITION_FILES, PLUGINS  # noqa: E402

OFFLINE_EDITION = True
# robots.txt means nothing in a folder on a disk.
DIRECT_TEMPLATES = ["index"]

# Which pages the editions hold comes from the content (plugins/editions/single_file.py):
# every article, then every page in menu order, hidden ones left out.
PLUGINS = [*PLUGINS, "editions"]
PRINT_EDITION_SAVE_AS = EDITION_FILES["print"]
EPUB_SAVE_AS = EDITION_FILES["epub"]
OFFLINE_README_SAVE_AS = EDITION_FILES["readme"]
# The commit the bundle is built from, for its README: packaging/offline.py passes it in.
SOURCE_REVISION = "unknown"
