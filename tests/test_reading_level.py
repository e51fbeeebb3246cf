"""Promise: plain language. Each page's main text reads at US school grade 9 or below
(Flesch-Kincaid; the aim is 8 or lower), references and tables left out."""

import textstat  # 0.7.3: counts syllables with pyphen, offline (later versions download a dictionary)
from checks import reading_text
from conftest import parse

MAX_GRADE = 9.0


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
