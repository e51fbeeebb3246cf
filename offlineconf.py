"""Settings for `make offline`: the local build (relative links to files, never folders), marked
as an offline copy, plus the editions plugin's print edition, EPUB and the zip's README."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403
from pelicanconf import EDITION_FILES, PLUGINS  # noqa: E402

OFFLINE_EDITION = True
DIRECT_TEMPLATES = ["index"]  # robots.txt means nothing on a disk
PLUGINS = [*PLUGINS, "editions"]
PRINT_EDITION_SAVE_AS = EDITION_FILES["print"]
EPUB_SAVE_AS = EDITION_FILES["epub"]
OFFLINE_README_SAVE_AS = EDITION_FILES["readme"]
SOURCE_REVISION = "unknown"  # for the README: packaging/offline.py passes the commit
