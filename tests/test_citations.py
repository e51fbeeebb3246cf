"""Promise: every claim can be traced to its source. Citations point to references,
references link back, every section cites, and every source is an allowed, https one. (That
every fact cites its source is a content rule of the build: plugins/content_rules, tested in
tests/plugins/test_fact_citations.py and tests/bad_content/.)"""

from checks import footnote_problems, heading_text, is_external, problems_by_page
from conftest import parse

import pelicanconf
from plugins.content_rules.evidence import where_read
from plugins.content_rules.html_policy import addresses_off_the_list, host_allowed


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


def test_every_section_of_every_article_cites_a_source(articles):
    assert problems_by_page(articles, section_citation_problems) == {}


def test_every_source_is_https_and_on_the_allow_list(pages):
    assert problems_by_page(pages, source_link_problems, pelicanconf.SOURCE_DOMAINS) == {}


def reference_numbering_problems(soup):
    """A page's references are a numbered list under its References heading, numbered in the
    order they are first cited; a source cited again keeps its number."""
    references = soup.select(".prose h2 ~ .footnote ol > li")
    if not references:
        return ["no numbered reference list"]
    problems, numbers = [], {}
    for mark in soup.select("a.footnote-ref"):
        number = numbers.setdefault(mark["href"], str(len(numbers) + 1))
        if mark.get_text() != f"[{number}]":
            problems.append(f"the mark for {mark['href']} shows {mark.get_text()}, not [{number}]")
    listed = [f"#{li.get('id')}" for li in references]
    if list(numbers) != listed:
        problems.append("the reference list is not in the order of first citation")
    return problems


def test_every_article_cites_a_numbered_reference_list_in_order_of_first_citation(articles):
    assert problems_by_page(articles, reference_numbering_problems) == {}


# The checkers catch the faults they are for.

# Small pages written here: a citation mark and its note, as the build writes them.
def mark(label, number):
    return f'<sup><a class="footnote-ref" href="#fn-{label}" id="fnref-{label}-{number}">[{number}]</a></sup>'


def note(label, link="https://doi.org/10.1000/x"):
    return (f'<li id="fn-{label}"><p>A source. <a href="{link}">{link}</a> '
            f'<a class="footnote-backref" href="#fnref-{label}-1">back</a></p></li>')


def cited_page(body, notes):
    return parse(f'<div class="prose">{body}<h2 id="references">References</h2>'
                 f'<div class="footnote"><ol>{notes}</ol></div></div>')


def test_footnote_check_catches_a_dangling_citation_and_an_uncited_reference():
    soup = cited_page(f"<p>Fact.{mark('nowhere', 1)}</p>", note("unused"))
    assert footnote_problems(soup) == [
        "citation [1] points to '#fn-nowhere', which is not a reference",
        "reference 'fn-unused' links back to '#fnref-unused-1', which is not in the page",
        "reference 'fn-unused' is never cited"]


def test_numbering_check_catches_a_list_out_of_order_and_a_renumbered_mark():
    body = f"<p>A.{mark('a', 1)} B.{mark('b', 2)} A again.{mark('a', 3)}</p>"
    assert reference_numbering_problems(cited_page(body, note("b") + note("a"))) == [
        "the mark for #fn-a shows [3], not [1]", "the reference list is not in the order of first citation"]
    assert reference_numbering_problems(parse('<div class="prose"><p>A.</p></div>')) == ["no numbered reference list"]


def test_section_check_catches_a_section_without_citations():
    soup = cited_page(f"<h2>Facts</h2><p>Cited.{mark('a', 1)}</p><h2>Risks</h2><p>Not cited.</p>", note("a"))
    assert section_citation_problems(soup) == ["section 'Risks' cites no reference"]


def test_source_check_catches_a_clinic_link_and_a_reference_without_a_source():
    soup = cited_page(f'<p>See <a href="https://www.example-ketamine-clinic.com/">a clinic</a>.{mark("a", 1)}</p>',
                      note("a", link="http://doi.org/10.1000/x"))
    assert source_link_problems(soup, pelicanconf.SOURCE_DOMAINS) == [
        "'https://www.example-ketamine-clinic.com/' is not on the list of allowed source domains",
        "reference 'fn-a' has no https DOI, PubMed or official link"]


# An evidence page says where each quote was read: an address on an allowed source, or only "on
# another site", so no page names a business, a blog or a bare server.
def named_address_problems(soup, domains):
    return [f"names '{address}', which is not an allowed source"
            for address in addresses_off_the_list(soup.select_one("main").get_text(" "), domains)]


def test_evidence_pages_name_no_address_off_the_allow_list(pages):
    evidence = {path: soup for path, soup in pages.items() if path.endswith("-evidence.html")}
    assert evidence and problems_by_page(evidence, named_address_problems, pelicanconf.SOURCE_DOMAINS) == {}


def test_a_quote_read_off_the_allow_list_is_said_to_be_read_on_another_site():
    domains = ("nih.gov", "nice.org.uk")
    assert where_read("https://pubmed.ncbi.nlm.nih.gov/1/ (Abstract)", domains) == (
        "read at https://pubmed.ncbi.nlm.nih.gov/1/ (Abstract)")
    for elsewhere in ("http://47.251.13.51:8081/1 (Abstract)", "https://a-clinic.example/leaflet (Abstract)",
                      "http://www.nice.org.uk/x (Abstract)"):
        assert where_read(elsewhere, domains) == "read on another site (Abstract)"
    soup = parse("<main><p>From a trial, read at http://47.251.13.51:8081/1, on 1 May.</p></main>")
    assert named_address_problems(soup, domains) == ["names 'http://47.251.13.51:8081/1', which is not an allowed "
                                                     "source"]
