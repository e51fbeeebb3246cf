"""Promise: every claim can be traced to its source. Citations point to references,
references link back, every section cites, and every source is an allowed, https one. (That
every fact cites its source is a content rule of the build: plugins/content_rules, tested in
tests/plugins/test_fact_citations.py and tests/bad_content/.)"""


from checks import footnote_problems, heading_text, is_external, problems_by_page
from conftest import parse

import pelicanconf
from plugins.content_rules.html_policy import host_allowed


def source_link_problems(soup, domains):
    """Links in the page's own content go only to allow-listed sources, and every
    reference carries an https link to one."""
    problems = [
        f"'{a['href']}' is not on the list of allowed source domains"
        for a in soup.select(".prose a[href]")
        if is_external(a["href"]) and not host_allowed(a["href"], domains)
    ]
    for note in soup.select(".footnote li"):
        links = [a["href"] for a in note.find_all("a", href=True) if not a.get("class")]
        if not any(url.startswith("https://") and host_allowed(url, domains) for url in links):
            problems.append(f"reference '{note.get('id')}' has no https DOI, PubMed or official link")
    return problems

def section_citation_problems(soup, exempt=("References",)):
    """Each h2 section of the page's content cites at least one reference."""
    problems = []
    for heading in soup.select(".prose h2"):
        title = heading_text(heading)
        if title in exempt:
            continue
        cited = False
        for sibling in heading.find_next_siblings():
            if sibling.name == "h2":
                break
            if sibling.select("a.footnote-ref"):
                cited = True
                break
        if not cited:
            problems.append(f"section '{title}' cites no reference")
    return problems


def test_every_citation_has_its_reference_and_every_reference_links_back(pages):
    assert problems_by_page(pages, footnote_problems) == {}


def test_every_section_of_the_article_cites_a_source(article):
    assert section_citation_problems(article) == []


def test_every_source_is_https_and_on_the_allow_list(pages):
    assert problems_by_page(pages, source_link_problems, pelicanconf.SOURCE_DOMAINS) == {}


def test_article_cites_a_numbered_reference_list_with_links(article):
    references = article.select("h2#references ~ .footnote ol > li")
    assert len(references) >= 20
    marks = [a.get_text() for a in article.select("a.footnote-ref")]
    first_seen = list(dict.fromkeys(marks))
    assert first_seen == [str(n) for n in range(1, len(references) + 1)], "numbered in order of first citation"
    assert len(marks) > len(first_seen), "a source cited again keeps its number"


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
