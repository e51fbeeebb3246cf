"""Promise: plain language. Each page's main text reads at US school grade 9 or below
(Flesch-Kincaid; the aim is 8 or lower), references and tables left out."""

import textstat  # 0.7.3: counts syllables with pyphen, offline (later versions download a dictionary)
from conftest import parse

MAX_GRADE = 9.0


def reading_text(soup):
    """The words a reader reads in the page's content: no references, tables or citation marks.
    Each list item and heading counts as a sentence of its own."""
    prose = parse_copy(soup).select_one(".prose")
    if prose is None:
        return ""
    for element in prose.select("table, .footnote, sup, .headerlink"):
        element.decompose()
    sentences = []
    for block in prose.find_all(["p", "li", "dt", "dd", "h2", "h3", "h4"]):
        if block.find(["p", "ul", "ol"]):
            continue
        text = block.get_text(" ", strip=True)
        if text:
            sentences.append(text if text[-1] in ".?!:" else text + ".")
    return " ".join(sentences)

def parse_copy(soup):
    from bs4 import BeautifulSoup

    return BeautifulSoup(str(soup), "lxml")


def grades(pages):
    return {path: textstat.flesch_kincaid_grade(text) for path, soup in pages.items() if (text := reading_text(soup))}


def test_every_page_reads_at_grade_9_or_below(pages):
    measured = grades(pages)
    assert {"ketamine-therapy-for-chronic-pain.html", "questions.html", "glossary.html", "about.html"} <= set(measured)
    too_hard = {path: grade for path, grade in measured.items() if grade > MAX_GRADE}
    assert too_hard == {}, f"pages above grade {MAX_GRADE}: {too_hard} (all: {measured})"


def test_reading_level_check_catches_hard_text(article):
    broken = parse(str(article))
    broken.select_one(".prose p").string = (
        "Pharmacological antagonism of N-methyl-D-aspartate receptors by subanesthetic ketamine "
        "administration demonstrates considerable heterogeneity regarding analgesic durability, "
        "necessitating individualized multidisciplinary evaluation preceding therapeutic initiation. " * 40
    )
    assert textstat.flesch_kincaid_grade(reading_text(broken)) > MAX_GRADE
