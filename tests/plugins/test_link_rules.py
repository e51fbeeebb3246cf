"""The link rules content and references share (html_policy.url_problem), tested on the ways a
review got around them: a drug label is linked by its own set id, and a host is written plainly."""

import pytest

from plugins.content_rules.html_policy import url_problem

DOMAINS = ("nih.gov", "fda.gov")
LABEL = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=d81a6a79-a74a-44b7-822c-0dfa3036eaed"


@pytest.mark.parametrize("url", [LABEL, LABEL.upper().replace("HTTPS://", "https://"), LABEL + "&audience=consumer",
                                 LABEL + "#section-8.2", "https://www.fda.gov/drugs"])
def test_a_label_s_own_page_and_a_plain_host_pass(url):
    assert url_problem(url, DOMAINS) is None


@pytest.mark.parametrize("url, says", [
    ("https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=spravato", "not a drug label's own page"),
    ("https://www.dailymed.nlm.nih.gov/dailymed/search.cfm?query=spravato", "not a drug label's own page"),
    ("https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=" + "-" * 36, "not a drug label's own page"),
    (LABEL + "XX/../../search.cfm", "not a drug label's own page"),
    (LABEL.replace("?setid", "?\u017fetid"), "not a drug label's own page"),
    (LABEL.replace("dailymed.nlm", "dailymed%2Enlm"), "writes its host with a character"),
    (LABEL.replace("dailymed.nlm", "dailymed\u3002nlm"), "writes its host with a character"),
    (LABEL.replace("dailymed.nlm", "dailymed\uff0enlm"), "writes its host with a character"),
])
def test_a_search_page_or_a_disguised_host_is_refused(url, says):
    assert says in (url_problem(url, DOMAINS) or "")


@pytest.mark.parametrize("url", ["{filename}/pages/about.md", "{filename}glossary.md#terms", "{index}", "{index}#top",
                                 "{static}/images/chart.png"])
def test_a_link_into_the_site_names_a_path_and_a_section(url):
    assert url_problem(url, DOMAINS) is None


@pytest.mark.parametrize("url", [
    "{index}//clinic.example/x",  # Pelican keeps the host written after the mark
    "{index}https://clinic.example/",
    "{filename}//clinic.example/pages/about.md",
    "{filename}https://clinic.example/pages/about.md?x",
    "{filename}/pages/about.md?#no-such-section",  # a '?' kept the link from the existence check
    "{static}/images/chart.png?x",
])
def test_a_link_into_the_site_carries_no_host_scheme_or_query(url):
    assert "comes only a path in content/" in (url_problem(url, DOMAINS) or "")


def test_a_refused_link_into_the_site_is_refused_at_once_however_long_its_name():
    # A path pattern that could be read many ways took 25 s on "{static}/images/acupuncture-diagram.png?v=2",
    # and doubled with each letter: a build would never finish.
    assert "comes only a path" in url_problem("{static}/images/" + "a" * 5000 + ".png?v=2", DOMAINS)
