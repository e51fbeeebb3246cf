"""Promise: the safety facts a fact-check of the site found missing or understated are there,
as strongly as their sources put them, and the mistakes it corrected cannot come back."""

import re
import unicodedata

import pytest
from checks import heading_text, problems_by_page
from conftest import parse

WARNING_SIGNS_ID = "when-to-get-help-after-a-session"

# Phrases the fact-check of 2026-11-27 removed, each with its reason. Matched in the text and
# link addresses of every page, after folding case, entities, odd spaces and invisible characters.
FORBIDDEN = {
    "rarely enough": "'one session is rarely enough' had no source and echoed a promotional draft",
    "lamotrigine": "the lamotrigine study was of healthy volunteers and mind-altering effects, not pain",
    "effects weaker": "no source says any medicine makes ketamine weaker",
    "ketamine weaker": "no source says any medicine makes ketamine weaker",
    "1970": "the year of FDA approval could not be verified",
    "asra news": "the ASRA News item could not be found in any index",
    "asra.com": "the ASRA News item could not be found in any index",
    "anand a, charney": "Anand 2000 (healthy volunteers) does not support advice to patients",
    "not given at home": "it contradicted the page's own account of home use: say 'should not be given at home'",
    "many trials": "the review pooled 7 small trials (211 people): give the numbers",
    "mostly with repeated": "serious harm is 'especially', not 'mostly', with repeated courses",
    "ketamine repairs nerves": "the cited studies did not look at nerve repair in people with pain",
    "because it is an off-label": "no source gives a reason why insurance may not pay",
    "search.cfm?query=ketalar": "the ketamine label is linked by its DailyMed set id, not a search page",
}
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def folded(text):
    """Text as a reader sees it, for matching: one case, one kind of space, no hidden characters."""
    text = unicodedata.normalize("NFKC", text).translate(INVISIBLE)
    return " ".join(text.split()).casefold()


def forbidden_phrases(soup):
    """(phrase, reason) for each forbidden phrase in the page's text or link addresses."""
    addresses = " ".join(tag.get(name, "") for name in ("href", "src") for tag in soup.find_all(attrs={name: True}))
    seen = folded(soup.get_text(" ") + " " + addresses)
    return [(phrase, reason) for phrase, reason in FORBIDDEN.items() if phrase in seen]


def section(soup, heading):
    """The elements after `heading` up to the next heading of the same or a higher level."""
    level = int(heading.name[1])
    for sibling in heading.find_next_siblings():
        if re.fullmatch(r"h[1-6]", sibling.name) and int(sibling.name[1]) <= level:
            return
        yield sibling


def cited_sources(block, soup):
    """The link addresses of the references that a block cites."""
    return {a["href"] for ref in block.select("a.footnote-ref")
            for a in soup.find(id=ref["href"][1:]).find_all("a", href=re.compile("^https://"))}


def interaction_warning_problems(soup):
    """The medicines list says what the ketamine label says, as seriously, and cites the label."""
    heading = soup.find("h3", id="your-medicines")
    if heading is None:
        return ["no 'Your medicines' section"]
    items = [li for element in section(soup, heading) for li in element.select("li")]
    expected = {
        "opioid": ("benzodiazepine", "slow breathing", "coma", "death"),
        "theophylline": ("aminophylline", "must not", "seizure"),
        "vasopressin": ("stimulant", "blood pressure", "heart rate"),
    }
    problems = []
    for medicine, words in expected.items():
        matching = [li for li in items if medicine in folded(li.get_text(" "))]
        if not matching:
            problems.append(f"no warning about {medicine}")
            continue
        text = folded(matching[0].get_text(" "))
        problems += [f"the {medicine} warning does not say '{word}'" for word in words if word not in text]
        if not any("dailymed" in url and "setid=" in url for url in cited_sources(matching[0], soup)):
            problems.append(f"the {medicine} warning does not cite the ketamine label")
    return problems


def warning_signs_problems(soup):
    """A marked-out list of warning signs after a session, in 'What to Expect', linked from Key Facts."""
    heading = soup.find(id=WARNING_SIGNS_ID)
    if heading is None or heading.name != "h3":
        return [f"no h3 #{WARNING_SIGNS_ID}"]
    problems = []
    if "callout-warning" not in (heading.parent.get("class") or []):
        problems.append("the warning signs are not inside a .callout-warning")
    h2 = heading.find_previous("h2")
    if heading_text(h2) != "What to Expect During Ketamine Therapy":
        problems.append(f"the warning signs are under '{heading_text(h2)}', not 'What to Expect'")
    text = folded(heading.parent.get_text(" "))
    for sign in ("see or hear", "low mood", "pee", "yellow skin", "breathing", "emergency"):
        if sign not in text:
            problems.append(f"the warning signs do not mention '{sign}'")
    if len(heading.parent.select("li")) < 4:
        problems.append("fewer than 4 warning signs")
    key_facts = soup.find("h2", id="key-facts")
    if not any(a.get("href") == f"#{WARNING_SIGNS_ID}" for element in section(soup, key_facts)
               for a in element.select("a")):
        problems.append("Key Facts does not point to the warning signs")
    return problems


def test_no_page_brings_back_a_corrected_mistake(pages):
    assert problems_by_page(pages, forbidden_phrases) == {}


def test_the_interaction_warning_is_as_serious_as_the_label(article):
    assert interaction_warning_problems(article) == []


def test_the_article_lists_when_to_get_help_after_a_session(article):
    assert warning_signs_problems(article) == []


@pytest.mark.parametrize("url", [
    "https://www.nhs.uk/conditions/complex-regional-pain-syndrome/",
    "https://www.nhs.uk/conditions/jaundice/",
])
def test_the_article_cites_the_new_nhs_sources(article, url):
    assert article.select(f'.footnote a[href="{url}"]')


def test_the_2019_review_is_described_by_its_numbers(article):
    review = [li for li in article.select(".prose li") if "2019" in li.get_text() and "pooled" in li.get_text()]
    assert review and "7 small trials" in review[0].get_text() and "211 people" in review[0].get_text()


# The checkers catch the faults they are for.

@pytest.mark.parametrize("text, phrase", [
    ("One session is RARELY\u00a0enou\u00adgh.", "rarely enough"),
    ("Some medicines, such as Lamo&shy;trigine, matter.", "lamotrigine"),
    ("It is not\n   given at   home.", "not given at home"),
    ("The FDA approved it in ２０１９ and in 1970.", "1970"),
])
def test_forbidden_phrase_check_sees_through_case_entities_and_spacing(article, text, phrase):
    broken = parse(str(article).replace("<h2", f"<p>{text}</p><h2", 1))
    assert phrase in [found for found, _ in forbidden_phrases(broken)]


def test_forbidden_phrase_check_reads_link_addresses(article):
    broken = parse(str(article))
    broken.select_one(".footnote a[href*=dailymed]")["href"] = "https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=KETALAR"
    assert "search.cfm?query=ketalar" in [found for found, _ in forbidden_phrases(broken)]


def test_interaction_check_catches_a_weakened_warning_and_a_lost_citation(article):
    broken = parse(str(article).replace("This can lead to a coma or death.", "This can make you sleepy."))
    theophylline = [li for li in broken.select("li") if "Theophylline" in li.get_text()][0]
    for ref in theophylline.select("sup"):
        ref.decompose()
    assert interaction_warning_problems(broken) == [
        "the opioid warning does not say 'coma'",
        "the opioid warning does not say 'death'",
        "the theophylline warning does not cite the ketamine label",
    ]


def test_warning_signs_check_catches_a_plain_list_and_a_missing_pointer(article):
    broken = parse(str(article))
    broken.find(id=WARNING_SIGNS_ID).parent["class"] = ["plain"]
    for a in broken.select('a[href="#when-to-get-help-after-a-session"]'):
        a.decompose()
    assert warning_signs_problems(broken) == [
        "the warning signs are not inside a .callout-warning",
        "Key Facts does not point to the warning signs",
    ]
