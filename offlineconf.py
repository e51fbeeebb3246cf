"""Settings for the offline bundle (`make offline`): the local build, which already uses
relative links to files (never folders), marked as an offline copy.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

OFFLINE_EDITION = True
# robots.txt means nothing in a folder on a disk.
TEMPLATE_PAGES = {}
