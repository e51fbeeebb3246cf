"""Promise: every page is valid HTML: the Nu Html Checker (the W3C validator) finds no errors,
on the local build and on the published one."""

import pytest
from checks import vnu_errors, vnu_errors_by_path
from conftest import SITE_PAGES

# The Nu Html Checker: a jar from npm (node_modules), run by Java.
pytestmark = [pytest.mark.java, pytest.mark.node]


@pytest.fixture(scope="module")
def validator_errors(site, published_site):
    """Both builds in one run of the checker: Java takes seconds to start."""
    builds = {"local": site, "published": published_site}
    errors = vnu_errors_by_path([folder / page for folder in builds.values() for page in SITE_PAGES])
    return {build: {page: errors[(folder / page).resolve()] for page in SITE_PAGES}
            for build, folder in builds.items()}


@pytest.mark.parametrize("build", ["local", "published"])
@pytest.mark.parametrize("page", SITE_PAGES)
def test_page_is_valid_html(validator_errors, build, page):
    assert validator_errors[build][page] == []


def test_validator_catches_invalid_html(site, tmp_path):
    broken = tmp_path / "index.html"
    html = (site / "index.html").read_text("utf-8")
    broken.write_text(html.replace("<main", '<span id="x"></span><span id="x"></span><main', 1)
                      .replace("</h1>", "</h2>", 1), "utf-8")
    errors = vnu_errors([broken])["index.html"]
    assert any("Duplicate ID" in e for e in errors) and any("h2" in e for e in errors)
