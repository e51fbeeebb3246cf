"""Promise: every page is accessible in a real browser: axe-core finds no WCAG 2.0/2.1/2.2
A or AA violation on a phone or a desktop, in light or dark mode, and a keyboard user can
skip to the content and always sees where the focus is."""

import pytest
from browser_checks import axe_violations, focus_style_problems, skip_link_problems
from conftest import ARTICLE_PAGE, SITE_PAGES

WIDTHS = {"phone": 320, "desktop": 1280}
SCHEMES = ["light", "dark"]


@pytest.fixture
def open_page(browser, site_url):
    contexts = []

    def open_page(path, width=1280, scheme="light"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{site_url}/{path}")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("path", SITE_PAGES)
def test_axe_finds_no_wcag_violations(open_page, path, device, scheme):
    assert axe_violations(open_page(path, WIDTHS[device], scheme)) == []


@pytest.mark.parametrize("path", SITE_PAGES)
def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(open_page, path):
    assert skip_link_problems(open_page(path)) == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", SITE_PAGES)
def test_every_link_shows_a_visible_focus_style(open_page, path, scheme):
    assert focus_style_problems(open_page(path, scheme=scheme)) == []


# The checks catch the faults they are for.

def test_axe_catches_low_contrast_text(open_page):
    page = open_page(ARTICLE_PAGE)
    page.evaluate("document.querySelector('main p').style.color = '#c8c8c8'")
    assert any(v.startswith("color-contrast") for v in axe_violations(page))


def test_skip_link_check_catches_a_missing_skip_link(open_page):
    page = open_page("index.html")
    page.evaluate("document.querySelector('.skip-link').remove()")
    assert skip_link_problems(page)


def test_focus_check_catches_a_hidden_focus_ring(open_page):
    page = open_page("index.html")
    page.add_style_tag(content=":focus-visible { outline: none !important; box-shadow: none !important; }")
    assert any("no visible focus style" in p for p in focus_style_problems(page))
