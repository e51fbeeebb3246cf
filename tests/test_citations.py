"""Promise: every claim can be traced to its source. Citations point to references,
references link back, every section cites, and every source is an allowed, https one."""

from checks import footnote_problems, section_citation_problems, source_link_problems
from conftest import parse

import pelicanconf


def test_every_citation_has_its_reference_and_every_reference_links_back(pages):
    found = {path: p for path, soup in pages.items() if (p := footnote_problems(soup))}
    assert found == {}


def test_every_section_of_the_article_cites_a_source(article):
    assert section_citation_problems(article) == []


def test_every_source_is_https_and_on_the_allow_list(pages):
    found = {path: p for path, soup in pages.items() if (p := source_link_problems(soup, pelicanconf.SOURCE_DOMAINS))}
    assert found == {}


def test_article_cites_a_numbered_reference_list_with_links(article):
    references = article.select("h2#references ~ .footnote ol > li")
    assert len(references) >= 20
    assert [a.get_text() for a in article.select("a.footnote-ref")][:3] == ["1", "2", "1"]


# The checkers catch the faults they are for.

def test_footnote_check_catches_a_dangling_citation_and_an_uncited_reference(article):
    broken = parse(str(article))
    broken.select_one("a.footnote-ref")["href"] = "#fn-nowhere"
    first_note = broken.select_one(".footnote li")
    for ref in broken.select(f'a.footnote-ref[href="#{first_note["id"]}"]'):
        ref.decompose()
    found = " ".join(footnote_problems(broken))
    assert "'#fn-nowhere', which is not a reference" in found and "is never cited" in found


def test_section_check_catches_a_section_without_citations(article):
    broken = parse(str(article))
    heading = broken.find("h2", id="who-should-not-have-ketamine-therapy")
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        for ref in sibling.select("sup"):
            ref.decompose()
    assert section_citation_problems(broken) == ["section 'Who Should Not Have Ketamine Therapy' cites no reference"]


def test_source_check_catches_a_clinic_link_and_a_reference_without_a_source(article):
    broken = parse(str(article))
    broken.select_one(".prose p").append(broken.new_tag("a", href="https://www.example-ketamine-clinic.com/"))
    for a in broken.select(".footnote li")[0].find_all("a", href=True, class_=False):
        a.decompose()
    found = " ".join(source_link_problems(broken, pelicanconf.SOURCE_DOMAINS))
    assert "example-ketamine-clinic.com" in found and "has no https DOI" in found
