"""Plugin page_structure, icon arrays: after a paragraph marked `{: .icon-array }`, a picture of
the two "N in 100" numbers the paragraph states, as two grids of 100 dots. It is drawn from the
paragraph's own words, which have their evidence record, so picture and text cannot disagree;
it is hidden from screen readers, which read the same numbers in the paragraph. Tested on a few
lines, and on every built page and edition."""

import re
import zipfile

from bs4 import BeautifulSoup

from plugins.content_rules.html_policy import PER_100
from plugins.page_structure.page_structure import icon_arrays

PARAGRAPH = '<p class="icon-array">76 in 100 people who had ketamine, compared with 18 in 100 who had a placebo.</p>'


def dots(path):
    """How many dots a path of dashed rows draws: one every 12 along each row ("h" steps)."""
    return sum(int(length) // 12 + 1 for length in re.findall(r"h(\d+)", path["d"])) if path else 0


def filled(figure):
    """How many large (filled) dots each grid of a picture draws, and how many dots it has in all."""
    grids = [(svg.find("path", attrs={"stroke-width": "10"}), svg.find("path", attrs={"stroke-width": "5"}))
             for svg in figure.select("svg")]
    return [(dots(large), dots(large) + dots(small)) for large, small in grids]


def icon_array_problems(soup):
    problems = []
    for paragraph in soup.select("p.icon-array"):
        said = [int(n) for n in PER_100.findall(paragraph.get_text())]
        figure = paragraph.find_next_sibling()
        if figure is None or figure.name != "figure" or "icon-array" not in figure.get("class", []):
            problems.append(f"no picture after '{paragraph.get_text()[:40]}'")
        elif filled(figure) != [(n, 100) for n in said] or figure.get("aria-hidden") != "true":
            problems.append(f"the picture shows {filled(figure)}, its paragraph says {said}")
    return problems


def test_an_icon_array_paragraph_states_two_whole_numbers_of_at_most_100():
    from plugins.content_rules.content_rules import check_marks
    from plugins.content_rules.html_policy import parse

    def refused(html):
        return [problem for _, problem in check_marks(parse(html))]
    assert refused(PARAGRAPH) == []
    for wrong in ("7.6 in 100 people, compared with 18 in 100.", "176 in 100 people, compared with 18 in 100.",
                  "76 in 100 people.", "1 in 100, 2 in 100 and 3 in 100."):
        assert refused(f'<p class="icon-array">{wrong}</p>'), wrong
    assert refused(PARAGRAPH.replace('"icon-array"', '"icon-array advice"'))


def test_the_picture_shows_the_two_numbers_its_paragraph_states():
    soup = BeautifulSoup(icon_arrays(PARAGRAPH + "<p>Next.</p>"), "html.parser")
    assert filled(soup.figure) == [(76, 100), (18, 100)]
    assert [span.get_text() for span in soup.figure.select(".icon-grid > span")] == ["76 in 100", "18 in 100"]
    assert soup.figure.find_next_sibling().get_text() == "Next."
    assert icon_array_problems(soup) == []


def test_the_check_catches_a_picture_that_says_other_than_its_text_or_is_missing():
    soup = BeautifulSoup(icon_arrays(PARAGRAPH), "html.parser")
    small = soup.figure.find("path", attrs={"stroke-width": "5"})  # the first grid's last dot dropped
    small["d"] = small["d"][:small["d"].rfind("h")] + "h96"
    assert icon_array_problems(soup) == ["the picture shows [(76, 99), (18, 100)], its paragraph says [76, 18]"]
    assert icon_array_problems(BeautifulSoup(PARAGRAPH, "html.parser")) == [
        "no picture after '76 in 100 people who had ketamine, compa'"]


def test_every_built_page_shows_what_its_icon_array_paragraphs_say(pages):
    assert {path: found for path, soup in pages.items() if (found := icon_array_problems(soup))} == {}
    assert any(soup.select("figure.icon-array") for soup in pages.values()), "the site pictures a comparison"


def test_the_editions_carry_the_picture_and_the_epub_declares_it(dist):
    print_edition = BeautifulSoup(next(dist.glob("*-print.html")).read_text("utf-8"), "html.parser")
    assert print_edition.select("figure.icon-array") and icon_array_problems(print_edition) == []
    with zipfile.ZipFile(next(dist.glob("*.epub"))) as book:
        package = BeautifulSoup(book.read("EPUB/package.opf"), "xml")
        with_svg = {item["href"] for item in package.find_all("item") if b"<svg" in book.read(f"EPUB/{item['href']}")}
        assert with_svg and with_svg == {item["href"] for item in package.find_all("item", properties="svg")}


# A hostile review's finds: the check and the picture read the paragraph one way.

def test_the_picture_and_the_check_read_the_same_numbers_however_they_are_written():
    from plugins.content_rules.html_policy import icon_numbers, parse
    for written, read in [
            ("76\nin 100 people, compared with 18\u00a0in 100.", [76, 18]),   # a line break, a no-break space
            ("&#55;6 in 100 people, compared with 18 in 100.", [76, 18]),     # a digit as an entity
            # A citation mark is not part of a number.
            ('7<sup id="fnref-a"><a class="footnote-ref" href="#fn-a">5</a></sup> in 100, 1 in 100.', [7, 1]),
            ("076 in 100, 18 in 100.", [18]), ("76 in 100,000, 18 in 100.", [18]),
            ("7\u00b76 in 100, 18 in 100.", [18]), ("1\u09ea in 100, 18 in 100.", [18])]:
        paragraph = f'<p class="icon-array">{written}</p>'
        assert icon_numbers(parse(paragraph)[0]) == read, written
        drawn = BeautifulSoup(icon_arrays(paragraph), "html.parser").figure
        assert [large for large, _ in filled(drawn)] == read, written


def test_a_mark_written_any_other_way_is_refused():
    from plugins.content_rules.content_rules import check_marks
    from plugins.content_rules.html_policy import parse

    def refused(html):
        return [problem for _, problem in check_marks(parse(html))]
    assert refused(PARAGRAPH.replace('"icon-array"', '"icon-array "'))
    assert refused('<div class=" main-message "><p>Say it.</p></div>')
    assert refused('<div class="main-message"></div>')
    assert refused('<div class="main-message"><h2>Heading</h2><p>Say it.</p></div>')
    assert refused('<div class="main-message"><p>Say it.</p></div>') == []
