"""Promise: every page is accessible in a real browser: axe-core finds no WCAG 2.0/2.1/2.2
A or AA violation on a phone or a desktop, in light or dark mode, and a keyboard user can
skip to the content and always sees where the focus is."""

import pytest
from browser_checks import (
    axe_violations,
    axe_violations_in_every_view,
    focus_style_problems,
    skip_link_problems,
)
from conftest import FIRST_ARTICLE as ARTICLE_PAGE
from conftest import ROOT, SITE_PAGES, page_file, source_metadata

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 320, "desktop": 1280}
SCHEMES = ["light", "dark"]


# A page of each template: every link on a page is styled by the stylesheet's rules for its
# template's parts (menu, prose, citation marks, references, footer), not by anything of the page's own.
ONE_PAGE_PER_TEMPLATE = {
    "home": "index.html",
    "article": ARTICLE_PAGE,
    "page": next(name for source in sorted((ROOT / "content" / "pages").glob("*.md"))
                 if (name := page_file(source_metadata(source))) != "404.html"),
    "not found": "404.html",
}


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


@pytest.mark.node  # axe-core
@pytest.mark.parametrize("path", SITE_PAGES)
def test_axe_finds_no_wcag_violations_on_a_phone_or_a_desktop_in_light_or_dark(open_page, path):
    assert axe_violations_in_every_view(open_page(path)) == {}


@pytest.mark.parametrize("path", SITE_PAGES)
def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(open_page, path):
    assert skip_link_problems(open_page(path)) == []


# The focus style does not change with the colour scheme: the dark one changes colours only,
# and the check reads whether there is an outline or a ring, not its colour.
@pytest.mark.parametrize("template", ONE_PAGE_PER_TEMPLATE)
def test_every_link_shows_a_visible_focus_style(open_page, template):
    assert focus_style_problems(open_page(ONE_PAGE_PER_TEMPLATE[template])) == []


# The checks catch the faults they are for.

@pytest.mark.node
def test_axe_catches_low_contrast_text(open_page):
    page = open_page("index.html")
    page.evaluate("document.querySelector('main p').style.color = '#c8c8c8'")
    assert any(v.startswith("color-contrast") for v in axe_violations(page))


@pytest.mark.node
def test_every_view_check_catches_low_contrast_in_the_dark_only_and_what_only_a_desktop_shows(open_page):
    page = open_page("index.html")
    page.add_style_tag(content="@media (prefers-color-scheme: dark) { main p { color: #333; } }"
                               "@media (max-width: 40em) { .desktop-only { display: none; } }")
    page.evaluate("""document.querySelector('main').append(Object.assign(document.createElement('img'),
        {className: 'desktop-only', src: 'theme/css/site.css'}))""")
    found = axe_violations_in_every_view(page)
    assert set(found) == {"320 px, dark", "1280 px, light", "1280 px, dark"}
    assert all(any(v.startswith("color-contrast") for v in found[view]) for view in ("320 px, dark", "1280 px, dark"))
    assert any(v.startswith("image-alt") for v in found["1280 px, light"])


def test_skip_link_check_catches_a_missing_skip_link(open_page):
    page = open_page("index.html")
    page.evaluate("document.querySelector('.skip-link').remove()")
    assert skip_link_problems(page)


def test_focus_check_catches_a_hidden_focus_ring(open_page):
    page = open_page("index.html")
    page.add_style_tag(content=":focus-visible { outline: none !important; box-shadow: none !important; }")
    assert any("no visible focus style" in p for p in focus_style_problems(page))


# What a screen reader announces: headings by their words alone, links by what they do.

def accessible_name_problems(page):
    """Headings whose accessible name is not their words, and back-links not named for where
    they go, as Chromium's accessibility tree (Playwright's role queries) sees them."""
    problems = []
    for heading in page.locator("main h2, main h3").all():
        words = " ".join(heading.inner_text().split())
        if page.get_by_role("heading", name=words, exact=True).count() == 0:
            problems.append(f"heading '{words}' is not announced by its words alone")
    for number in range(1, page.locator(".footnote li").count() + 1):
        name = f"Back to where reference {number} is cited"
        if page.get_by_role("link", name=name, exact=True).count() != 1:
            problems.append(f"no link named '{name}'")
    return problems


@pytest.mark.parametrize("path", [ARTICLE_PAGE, "glossary.html"])
def test_headings_and_back_links_have_clear_names(open_page, path):
    assert accessible_name_problems(open_page(path)) == []


def test_name_check_catches_a_link_inside_a_heading_and_an_unnamed_back_link(open_page):
    page = open_page(ARTICLE_PAGE)
    page.evaluate("""() => {
        const heading = document.querySelector('#key-facts');
        const link = document.createElement('a');
        link.href = '#key-facts';
        link.textContent = '#';
        link.setAttribute('aria-label', 'Link to this section');
        heading.append(link);
        document.querySelector('.footnote-backref').removeAttribute('aria-label');
    }""")
    found = accessible_name_problems(page)
    assert "heading 'Key Facts#' is not announced by its words alone" in found
    assert "no link named 'Back to where reference 1 is cited'" in found


# A citation mark stays with the sentence it belongs to.

MARKS_STARTING_A_LINE = """() => [...document.querySelectorAll('main sup')]
    .filter(sup => sup.querySelector('a.footnote-ref') && sup.previousSibling)
    .filter(sup => {
        const before = sup.previousSibling;
        let rect;
        if (before.nodeType === Node.TEXT_NODE) {
            const text = before.textContent;
            if (!text.trim()) return false;
            const range = document.createRange();
            range.setStart(before, text.length - 1);
            range.setEnd(before, text.length);
            rect = range.getBoundingClientRect();
        } else {
            const rects = before.getClientRects();
            rect = rects[rects.length - 1];
        }
        const own = sup.getClientRects()[0];
        return rect && own && own.top >= rect.bottom - 1;
    })
    .map(sup => sup.textContent)"""


@pytest.mark.parametrize("path", [ARTICLE_PAGE, "glossary.html"])
def test_no_citation_mark_starts_a_line_on_a_phone(open_page, path):
    assert open_page(path, width=320).evaluate(MARKS_STARTING_A_LINE) == []


def test_mark_check_catches_marks_that_can_wrap_alone(open_page):
    page = open_page(ARTICLE_PAGE, width=320)
    page.evaluate("""() => document.querySelectorAll('main sup').forEach(sup => {
        if (sup.firstChild && sup.firstChild.nodeType === Node.TEXT_NODE) sup.firstChild.remove();
    })""")
    assert page.evaluate(MARKS_STARTING_A_LINE) != []


# Small screens: nothing scrolls sideways; the evidence table becomes cards, still a table.

SIDEWAYS_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("path", SITE_PAGES)
def test_no_page_scrolls_sideways_on_a_320_px_screen(open_page, path):
    page = open_page(path, width=320)
    overflow = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        overflow[scheme] = page.evaluate(SIDEWAYS_OVERFLOW)
    assert all(pixels <= 0 for pixels in overflow.values()), overflow


def test_overflow_check_catches_a_wide_element(open_page):
    page = open_page(ARTICLE_PAGE, width=320)
    page.evaluate("document.querySelector('main p').style.whiteSpace = 'nowrap'")
    assert page.evaluate(SIDEWAYS_OVERFLOW) > 0


@pytest.mark.parametrize("width, layout", [(320, "block"), (1280, "table-row")])
def test_the_evidence_table_is_cards_on_a_phone_and_a_table_to_screen_readers(open_page, width, layout):
    page = open_page(ARTICLE_PAGE, width=width)
    tables = page.locator("main table").all()
    assert tables, "the article has no table"
    for table in tables:  # however many tables, rows and columns the content gives them
        rows, columns = table.locator("tbody tr"), table.locator("thead th").count()
        assert {row.evaluate("r => getComputedStyle(r).display") for row in rows.all()} == {layout}
        assert table.get_by_role("rowheader").count() == rows.count()
        assert table.get_by_role("cell").count() == (columns - 1) * rows.count()
        if width == 320:  # each cell shows its column's name
            labels = table.locator("tbody td").evaluate_all(
                "cells => cells.map(c => getComputedStyle(c, '::before').content)")
            assert all(label.strip('"') for label in labels) and len(set(labels)) == columns - 1


COLUMNS = """() => [document.querySelector('main'),
                    ...document.querySelectorAll('.site-header .wrap, .site-footer .wrap')]
    .map(e => { const r = e.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.width)]; })"""


@pytest.mark.parametrize("width", WIDTHS.values())
def test_header_and_footer_line_up_with_the_content_column(open_page, width):
    main, *others = open_page(ARTICLE_PAGE, width=width).evaluate(COLUMNS)
    assert others and all(column == main for column in others)


def test_column_check_catches_a_footer_with_its_own_measure(open_page):
    page = open_page(ARTICLE_PAGE, width=1280)
    page.add_style_tag(content=".site-footer { font-size: 0.8rem; }")
    main, *others = page.evaluate(COLUMNS)
    assert others[-1] != main
