"""Content rules Pelican does not enforce itself, checked while the site builds so an
editor sees them in `make html`. Each breach is logged as an error naming the source
file and the problem; with `--fatal warnings` the build then stops.
"""

import logging
import os
import re

from pelican import signals
from pelican.contents import Article, Page

logger = logging.getLogger(__name__)

INTRASITE_LINK = re.compile(r"""(?:href|src)=["']\{(?:filename|static)\}([^"'#?]+)""")


def broken_intrasite_links(content):
    """{filename}/{static} targets that are not files: Pelican's own warning names the
    target but not the page that links to it."""
    content_root = content.settings["PATH"]
    source_dir = os.path.dirname(content.source_path)
    for target in INTRASITE_LINK.findall(content._content or ""):
        base = content_root if target.startswith("/") else source_dir
        if not os.path.isfile(os.path.join(base, target.lstrip("/"))):
            yield f"link to '{target}': there is no such file"


RULES = (broken_intrasite_links,)


def check_content(content):
    if not isinstance(content, (Article, Page)):
        return
    source = os.path.relpath(content.source_path)
    for rule in RULES:
        for problem in rule(content):
            logger.error("%s: %s", source, problem)


def register():
    signals.content_object_init.connect(check_content)
