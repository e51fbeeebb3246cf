"""Promise: pages print well. Text is at least 12 pt, and the safety notes are framed and
never smaller than it; a long table may run over a sheet with its header repeated; the
questions checklist fits one A4 or one US Letter sheet (with half-inch margins, about a
browser's default); printed pages drop the navigation and spell out where external links go.
The print edition (make offline) styles every page as the site does, on screen and on paper,
and opens with its contents: every page it holds, each with its sections."""

import re
import shutil
from itertools import dropwhile
from pathlib import Path

import pytest
from conftest import FIRST_ARTICLE as ARTICLE_PAGE
from conftest import parse, part_id

from offlineconf import PRINT_EDITION_SAVE_AS

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


# The print edition: each page as on the site, and its contents first.

STYLE_PROPERTIES = ["display", "font-size", "font-weight", "font-style", "line-height", "margin-top",
                    "margin-bottom", "margin-left", "padding-left", "list-style-type", "border-left-width"]
# {element's name: [its computed styles]} for a page's title, review dates and text: on the site,
# the article's; in the print edition, its part's, whose headings are a level down (named here as
# on the site). Its text is all it holds but those, the health notes and the contents, which the
# edition gives once at its start, and the site's link to the evidence page. On paper, also what
# a link shows after it (its address); not a citation mark's brackets, which are its text in the
# edition (test_offline_bundle.py).
PAGE_STYLES = """([selector, properties, paper]) => {
    const page = document.querySelector(selector), part = page.matches('.print-part');
    const title = page.querySelector(':scope > h1, :scope > h2');
    const dates = page.querySelector(':scope > .review-dates');
    const text = [...page.querySelectorAll(':scope > :not(h1, h2, .review-dates, aside, nav)')]
        .flatMap(block => [block, ...block.querySelectorAll('*')]).filter(e => !e.closest('.evidence-link'));
    const styles = {};
    for (const element of [title, dates, ...text].filter(Boolean)) {
        const tag = element.tagName.toLowerCase(), level = part && /^h[2-6]$/.test(tag) ? tag[1] - 1 : null;
        const name = (level ? 'h' + level : tag) + [...element.classList].map(c => '.' + c).join('');
        const style = getComputedStyle(element);
        let shown = properties.map(p => `${p}: ${style.getPropertyValue(p)}`).join('; ');
        if (paper && !element.matches('.footnote-ref')) {
            shown += `; after: ${getComputedStyle(element, '::after').content}`;
        }
        (styles[name] ??= new Set()).add(shown);
    }
    return Object.fromEntries(Object.entries(styles).map(([name, set]) => [name, [...set]]));
}"""


def page_styles(page, url, selector, media):
    page.emulate_media(media=media)
    page.goto(url)
    found = page.evaluate(PAGE_STYLES, [selector, STYLE_PROPERTIES, media == "print"])
    return {name: set(styles) for name, styles in found.items()}


def style_differences(on_site, in_edition):
    """Each element's style on the site that the print edition does not give it, and the reverse."""
    found = [f"<{name}> {style}: on the site, not in the print edition"
             for name, styles in on_site.items() for style in sorted(styles - in_edition.get(name, set()))]
    return found + [f"<{name}> {style}: in the print edition, not on the site"
                    for name, styles in in_edition.items() for style in sorted(styles - on_site.get(name, set()))]


def edition_style_problems(page, site, edition, index, media):
    """{page: its style differences} for each page the print edition holds (the home page's list)."""
    found = {}
    for path in (Path(a["href"]).name for a in index.select("main section a[href]")):
        on_site = page_styles(page, (site / path).as_uri(), "main article", media)
        in_edition = page_styles(page, edition.as_uri(), f"#{part_id(path)}", media)
        if differences := style_differences(on_site, in_edition):
            found[path] = differences
    return found


@pytest.fixture(scope="module")
def edition(dist):
    return dist / PRINT_EDITION_SAVE_AS


@pytest.mark.parametrize("media", ["screen", "print"])
def test_print_edition_styles_every_page_as_the_site_does(page, site, pages, edition, media):
    assert edition_style_problems(page, site, edition, pages["index.html"], media) == {}


def test_style_check_catches_an_edition_without_the_wrapper_the_site_styles_a_page_in(page, site, pages, edition,
                                                                                        tmp_path):
    # The print edition as it was: each page's text straight in its part, so the glossary's terms
    # were neither bold nor set apart from their meanings.
    broken = tmp_path / edition.name
    broken.write_text(edition.read_text("utf-8").replace('<div class="prose">', "<div>"), "utf-8")
    found = edition_style_problems(page, site, broken, pages["index.html"], "print")
    assert any(problem.startswith("<dt> ") for problem in found["glossary.html"])


NOTES = ("h1", "p", "aside.callout.callout-info", "aside.callout.callout-urgent")
# What the page shows of its main element's children, in order ("nav.contents-list").
SHOWN_OPENING = """() => [...document.querySelector('main').children]
    .filter(element => getComputedStyle(element).display !== 'none')
    .map(element => element.tagName.toLowerCase() + [...element.classList].map(c => '.' + c).join(''))"""


def contents_problems(html, shown):
    """The edition opens with its contents: first of what it `shown` after its title, tagline and
    notes, listing every part in order and, under each, its page's sections (its h2s, h3s here)."""
    after_notes = list(dropwhile(lambda element: element in NOTES, shown))
    if after_notes[:1] != ["nav.contents-list"]:
        return [f"after the title and notes comes {after_notes[:1]}, not the contents"]
    items = html.select("main > nav.contents-list > ol > li")
    listed = {item.a["href"].lstrip("#"): [a["href"].lstrip("#") for a in item.select("ol a")] for item in items}
    parts = [part["id"] for part in html.select("section.print-part")]
    problems = [] if list(listed) == parts else [f"the contents list {list(listed)}, the parts are {parts}"]
    return problems + [f"{part}: its section '{heading['id']}' is not in the contents" for part in parts
                       for heading in html.select(f"#{part} h3[id]") if heading["id"] not in listed.get(part, [])]


def test_print_edition_opens_with_its_contents_on_paper_too(page, edition):
    page.emulate_media(media="print")
    page.goto(edition.as_uri())
    assert contents_problems(parse(edition.read_text("utf-8")), page.evaluate(SHOWN_OPENING)) == []


def test_contents_check_catches_contents_not_printed_and_a_section_left_out(browser, edition):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(edition.as_uri())
    shown = page.evaluate(SHOWN_OPENING)
    html = parse(edition.read_text("utf-8"))
    page.add_style_tag(content="@media print { .contents-list { display: none; } }")  # the site's rule for its pages
    assert contents_problems(html, page.evaluate(SHOWN_OPENING)) == [
        "after the title and notes comes ['section.print-part'], not the contents"]
    context.close()
    html.select_one("main > nav.contents-list ol ol li").decompose()
    found = contents_problems(html, shown)
    assert len(found) == 1 and found[0].endswith("is not in the contents")
