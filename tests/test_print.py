"""Promise: pages print well. Text is at least 12 pt, and the safety notes are framed and
never smaller than it; a long table may run over a sheet with its header repeated; the
questions checklist fits one A4 or one US Letter sheet (with half-inch margins, about a
browser's default); printed pages drop the navigation and spell out where external links go."""

import re
import shutil

import pytest
from conftest import FIRST_ARTICLE as ARTICLE_PAGE

pytestmark = pytest.mark.browser

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


PRINTED_SIZES = """() => {
    const size = element => parseFloat(getComputedStyle(element).fontSize);
    return {
        body: size(document.querySelector('.prose p')),
        notes: [...document.querySelectorAll('.callout')].map(note => ({
            size: Math.min(...[...note.querySelectorAll('p, li')].map(size)),
            border: parseFloat(getComputedStyle(note).borderTopWidth),
        })),
    };
}"""
TWELVE_POINTS_IN_PX = 16


def printed_size_problems(page):
    sizes = page.evaluate(PRINTED_SIZES)
    problems = [f"body text {sizes['body']} px, under 12 pt"] if sizes["body"] < TWELVE_POINTS_IN_PX else []
    problems += [f"a safety note at {note['size']} px, smaller than the text ({sizes['body']} px)"
                 for note in sizes["notes"] if note["size"] < sizes["body"]]
    problems += ["a safety note has no frame on paper" for note in sizes["notes"] if note["border"] <= 0]
    return problems


@pytest.mark.parametrize("path", [ARTICLE_PAGE, "questions.html", "glossary.html"])
def test_printed_text_is_12_pt_and_safety_notes_are_framed_and_no_smaller(page, site, path):
    page.goto((site / path).as_uri())
    page.emulate_media(media="print")
    assert printed_size_problems(page) == []


def test_print_size_check_catches_small_safety_notes(page, site):
    page.goto((site / ARTICLE_PAGE).as_uri())
    page.emulate_media(media="print")
    page.evaluate("""document.querySelectorAll('.callout').forEach(note => {
        note.style.fontSize = '9.5pt';
        note.style.border = '0';
    })""")
    found = printed_size_problems(page)
    assert any("smaller than the text" in p for p in found) and "a safety note has no frame on paper" in found


def test_a_printed_table_may_run_over_a_sheet_with_its_header_repeated(page, site):
    page.goto((site / ARTICLE_PAGE).as_uri())
    page.emulate_media(media="print")
    styles = page.evaluate("""() => ['table', 'thead', 'tbody tr'].map(s => {
        const style = getComputedStyle(document.querySelector('main ' + s));
        return [style.display, style.breakInside];
    })""")
    (table, thead, row) = styles
    assert table == ["table", "auto"] and thead[0] == "table-header-group" and row == ["table-row", "avoid"]


CHECKLIST_BOXES = """() => [...document.querySelectorAll('.checklist li')].map((item, index) => {
    const number = getComputedStyle(item, '::before'), box = getComputedStyle(item, '::after');
    const probe = Object.assign(document.createElement('span'), {textContent: `${index + 1}.`});
    Object.assign(probe.style, {font: number.font, position: 'absolute', visibility: 'hidden'});
    document.body.append(probe);
    const numberRight = parseFloat(number.left) + probe.getBoundingClientRect().width;
    probe.remove();
    return {box: box.content !== 'none' && box.content !== 'normal', gap: parseFloat(box.left) - numberRight};
})"""


def test_checklist_boxes_are_on_paper_only_and_clear_of_the_numbers(page, site):
    page.goto((site / "questions.html").as_uri())
    assert not any(item["box"] for item in page.evaluate(CHECKLIST_BOXES)), "a box to tick on a screen"
    page.emulate_media(media="print")
    items = page.evaluate(CHECKLIST_BOXES)
    assert items and all(item["box"] and item["gap"] >= 4 for item in items), items


def test_box_check_catches_a_box_that_touches_its_number(browser, site):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto((site / "questions.html").as_uri())
    page.emulate_media(media="print")
    page.add_style_tag(content="@media print { .checklist li::after { left: 1rem; } }")
    assert any(item["gap"] < 4 for item in page.evaluate(CHECKLIST_BOXES))
    context.close()
