"""Promise: plain language. Each page's main text reads at US school grade 9 or below
(Flesch-Kincaid; the aim is 8 or lower), references and tables left out, and no list in an
article runs past 7 items (CDC Clear Communication Index, item 8; its list of references is a
bibliography, not a list to take in). Evidence pages are not measured: they quote the sources in
the sources' own words, written for doctors."""

import textstat  # 0.7.3: counts syllables with pyphen, offline (later versions download a dictionary)
from checks import reading_text
from conftest import content_sources, parse

MAX_GRADE = 9.0
MAX_LIST_ITEMS = 7


def long_lists(soup):
    """(first item's words, number of items) of each list in a page's text over MAX_LIST_ITEMS."""
    lists = [found.find_all("li", recursive=False) for found in soup.select(".prose ul, .prose ol")
             if not found.find_parent(class_="footnote")]
    return [(items[0].get_text(" ", strip=True)[:60], len(items)) for items in lists if len(items) > MAX_LIST_ITEMS]


def grades(pages):
    return {path: textstat.flesch_kincaid_grade(text) for path, soup in pages.items() if (text := reading_text(soup))}


def test_every_page_reads_at_grade_9_or_below(content, pages):
    measured = grades(pages)
    assert set(content_sources(content)) <= set(measured), "every page written in content/ is measured"
    too_hard = {path: grade for path, grade in measured.items() if grade > MAX_GRADE}
    assert too_hard == {}, f"pages above grade {MAX_GRADE}: {too_hard} (all: {measured})"


def test_reading_level_check_catches_hard_text_and_passes_plain_text():
    hard = ("Pharmacological antagonism of N-methyl-D-aspartate receptors by subanesthetic ketamine "
            "administration demonstrates considerable heterogeneity regarding analgesic durability, "
            "necessitating individualized multidisciplinary evaluation preceding therapeutic initiation.")
    plain = "Ketamine may ease some pain for a short time. Ask your doctor what it can do for you."
    measured = grades({"hard.html": parse(f'<div class="prose"><p>{hard}</p></div>'),
                       "plain.html": parse(f'<div class="prose"><p>{plain}</p></div>')})
    assert measured["hard.html"] > MAX_GRADE >= measured["plain.html"]


def test_no_list_in_an_article_runs_past_7_items(articles):
    assert {path: found for path, soup in articles.items() if (found := long_lists(soup))} == {}


def test_list_check_catches_a_long_list_but_not_the_references():
    items = "".join(f"<li>Item {n}.</li>" for n in range(8))
    assert long_lists(parse(f'<div class="prose"><ul>{items}</ul></div>')) == [("Item 0.", 8)]
    assert long_lists(parse(f'<div class="prose"><div class="footnote"><ol>{items}</ol></div></div>')) == []
    assert long_lists(parse(f'<div class="prose"><ol>{items[:-14]}</ol></div>')) == []
