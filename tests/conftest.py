"""The built site, shared by every test: built once per session into a fresh temp folder."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_PAGE = "ketamine-therapy-for-chronic-pain.html"
# A GitHub Pages project site: served under a sub-path, the classic source of broken links.
PUBLISHED_SITEURL = "https://example.github.io/ketamine-guide"


def build_site(output, settings="pelicanconf.py", content=ROOT / "content", env=None, theme=None):
    """Run Pelican as `make html` does (warnings are fatal); return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "--settings", str(ROOT / settings),
         "--output", str(output), "--fatal", "warnings", *(["--theme-path", str(theme)] if theme else [])],
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


def build_published_site(output, **kwargs):
    """Build as `make publish` does for a site at PUBLISHED_SITEURL; fail the test if it does not build."""
    env = {"SITEURL": PUBLISHED_SITEURL, **kwargs.pop("env", {})}
    result = build_site(output, settings="publishconf.py", env=env, **kwargs)
    assert result.returncode == 0, f"the published site did not build:\n{result.stdout}\n{result.stderr}"
    return output


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    return build_published_site(tmp_path_factory.mktemp("published"))


@pytest.fixture(scope="session")
def pages(site):
    """{path relative to the site root: parsed HTML} for every HTML page."""
    return {path.relative_to(site).as_posix(): parse(path.read_text("utf-8")) for path in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="session")
def article(pages):
    return pages[ARTICLE_PAGE]
