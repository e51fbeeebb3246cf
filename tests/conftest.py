"""The built site, shared by every test: built once per session into a fresh temp folder."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_PAGE = "ketamine-therapy-for-chronic-pain.html"


def build_site(output, settings="pelicanconf.py", content=ROOT / "content", env=None):
    """Run Pelican as `make html` does (warnings are fatal); return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "--settings", str(ROOT / settings),
         "--output", str(output), "--fatal", "warnings"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def parse(html):
    return BeautifulSoup(html, "lxml")


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    output = tmp_path_factory.mktemp("site")
    result = build_site(output)
    assert result.returncode == 0, f"the site did not build:\n{result.stdout}\n{result.stderr}"
    return output


@pytest.fixture(scope="session")
def pages(site):
    """{path relative to the site root: parsed HTML} for every HTML page."""
    return {path.relative_to(site).as_posix(): parse(path.read_text("utf-8")) for path in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="session")
def article(pages):
    return pages[ARTICLE_PAGE]
