"""Promise: pages print well. The questions checklist fits one A4 or one US Letter sheet (with
half-inch margins, about a browser's default), and printed pages drop the navigation and
spell out where external links go."""

import re
import shutil

import pytest
from conftest import ARTICLE_PAGE

PAPER = ["A4", "Letter"]
MARGIN = {side: "0.5in" for side in ("top", "right", "bottom", "left")}


def printed_sheets(page, paper):
    pdf = page.pdf(format=paper, margin=MARGIN)
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.mark.parametrize("paper", PAPER)
def test_questions_checklist_prints_on_one_sheet(page, site, paper):
    page.goto((site / "questions.html").as_uri())
    assert printed_sheets(page, paper) == 1


def test_print_hides_navigation_and_shows_external_urls(page, site):
    page.goto((site / ARTICLE_PAGE).as_uri())
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-nav')).display") == "none"
    # Today's pages cite sources only in their references, which show the address already;
    # a link in the text must show it on paper too.
    after = page.evaluate("""() => {
        const link = Object.assign(document.createElement('a'), {href: 'https://www.nhs.uk/', textContent: 'NHS'});
        document.querySelector('.prose p').append(link);
        return getComputedStyle(link, '::after').content;
    }""")
    assert "https://www.nhs.uk/" in after


def test_sheet_count_catches_a_checklist_that_overflows(page, site, tmp_path):
    copy = shutil.copytree(site, tmp_path / "site")
    questions = copy / "questions.html"
    html = questions.read_text("utf-8")
    extra = "".join(f"<li>Another question, number {n}?</li>" for n in range(12))
    questions.write_text(html.replace("</ol>", extra + "</ol>", 1), "utf-8")
    page.goto(questions.as_uri())
    assert printed_sheets(page, "A4") > 1
