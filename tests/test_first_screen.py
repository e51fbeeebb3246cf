"""Promise: on a phone, a page's main message is on the first screen, whole, before any
scrolling (CDC Clear Communication Index, items 2 and 10: "For a Web material, the first
section must be fully visible without scrolling"). Measured in Chromium at a common phone size."""

import pytest
from conftest import SITE_PAGES

PHONE = {"width": 390, "height": 844}


def message_bottom(page):
    """How far down the main message ends, in CSS pixels (None when the page has none)."""
    return page.evaluate("() => { const m = document.querySelector('.main-message');"
                         " return m ? m.getBoundingClientRect().bottom : null; }")


@pytest.mark.browser
def test_every_main_message_is_whole_on_a_phones_first_screen(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    below = {}
    for path in SITE_PAGES:
        page.goto(f"{site_url}/{path}")
        if (bottom := message_bottom(page)) is not None and bottom > PHONE["height"]:
            below[path] = bottom
    context.close()
    assert below == {}, f"main messages that end below the first screen ({PHONE['height']} px): {below}"


@pytest.mark.browser
def test_the_check_catches_a_message_pushed_below_the_first_screen(browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_content('<div style="height:900px"></div><div class="main-message"><p>Late.</p></div>')
    assert message_bottom(page) > PHONE["height"]
    page.set_content('<div class="main-message"><p>First.</p></div>')
    assert message_bottom(page) <= PHONE["height"]
    context.close()
