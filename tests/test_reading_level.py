"""Promise: plain language. Each page's main text reads at US school grade 9 or below
(Flesch-Kincaid; the aim is 8 or lower), references and tables left out. Evidence pages are not
measured: they quote the sources in the sources' own words, written for doctors."""

import textstat  # 0.7.3: counts syllables with pyphen, offline (later versions download a dictionary)
from checks import reading_text
from conftest import content_sources, parse

MAX_GRADE = 9.0


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
