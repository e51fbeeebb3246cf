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
    # The fact-check of 2026-12-01.
    "part of the molecule": "esketamine is one of ketamine's two mirror-image forms, not a part of it",
    "part of the ketamine molecule": "esketamine is one of ketamine's two mirror-image forms, not a part of it",
    "for more than a day": "severe or frightening hallucinations need help at once, not only after a day",
    "uk guidance": "NICE guidance is for England, not the whole UK",
}
# "60 people ... had ketamine": the CRPS trial gave ketamine to 30 of its 60 people.
WHOLE_TRIAL_ON_KETAMINE = re.compile(r"\b60 (?:people|patients)\b[^.]{0,40}\b(?:had|got|were given|received) ketamine")

# How soon to act, in the words a reader would meet: each warning sign names one of these.
URGENCY = re.compile(r"\b(?:now|straight away|right away|at once|immediately|(?:on )?the same day|today"
                     r"|contact (?:the|your) (?:clinic|doctor))\b")
AT_ONCE = re.compile(r"\b(?:now|straight away|right away|at once|immediately)\b")
SAME_DAY_OR_SOONER = re.compile(r"\b(?:now|straight away|right away|at once|immediately|(?:on )?the same day|today)\b")
SELF_HARM = re.compile(r"\b(?:harm(?:ing)? (?:yourself|themselves)|self-harm|suicid\w*|end your life)")
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def folded(text):
    """Text as a reader sees it, for matching: one case, one kind of space, no hidden characters."""
    text = unicodedata.normalize("NFKD", text).translate(INVISIBLE)
    text = "".join(c for c in text if not unicodedata.combining(c))  # "lamótrigine" is "lamotrigine"
    return " ".join(text.split()).casefold()


# Attributes a reader meets: link addresses, and text shown as a tooltip or read by a screen reader.
READ_ATTRIBUTES = ("href", "src", "title", "alt", "aria-label")


def forbidden_phrases(soup):
    """(phrase, reason) for each forbidden phrase in the page's text or the attributes it shows."""
    addresses = " ".join(tag.get(name, "") for name in READ_ATTRIBUTES for tag in soup.find_all(attrs={name: True}))
    seen = folded(soup.get_text(" ") + " " + addresses)
    found = [(phrase, reason) for phrase, reason in FORBIDDEN.items() if phrase in seen]
    if WHOLE_TRIAL_ON_KETAMINE.search(seen):
        found.append(("60 people had ketamine", "the CRPS trial gave ketamine to 30 of its 60 people"))
    return found


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


def warning_items(soup):
    """The folded text of each item of the warning-signs list (empty if there is none)."""
    heading = soup.find(id=WARNING_SIGNS_ID)
    if heading is None:
        return []
    return [folded(li.get_text(" ")) for li in heading.parent.select("li")]


def warning_urgency_problems(soup):
    """Every warning sign says how soon to act, as soon as its source says; the crisis line is in the list."""
    items = warning_items(soup)
    problems = [f"no 'how soon' in the warning sign '{item[:50]}'" for item in items if not URGENCY.search(item)]
    expectations = [
        ("hallucinations", lambda i: "see or hear" in i or "hallucinat" in i,
         lambda i: re.search(r"\b(?:severe|frightening|scary)\b", i) and AT_ONCE.search(i),
         "do not get help at once when severe or frightening"),
        ("liver signs", lambda i: "yellow" in i, lambda i: SAME_DAY_OR_SOONER.search(i),
         "do not get medical help the same day or sooner"),
        ("self-harm", lambda i: SELF_HARM.search(i),
         lambda i: "988" in i and "emergency" in i and AT_ONCE.search(i),
         "do not name 988 and the emergency number, to call now"),
    ]
    for name, is_it, says_enough, fault in expectations:
        matching = [item for item in items if is_it(item)]
        if not matching:
            problems.append(f"the warning list has no item on {name}")
        elif not any(says_enough(item) for item in matching):
            problems.append(f"the warning list's {name} {fault}")
    return problems


def blood_pressure_contraindication_problems(soup):
    """'Who should not' gives the label's contraindication in its terms: anyone for whom a big rise in
    blood pressure would be a serious hazard, not only disease that is 'not well controlled'."""
    heading = soup.find("h2", id="who-should-not-have-ketamine-therapy")
    if heading is None:
        return ["no 'Who Should Not' section"]
    items = [folded(li.get_text(" ")) for element in section(soup, heading) for li in element.select("li")]
    in_label_terms = [item for item in items if "blood pressure" in item
                      and re.search(r"\b(?:rise|rises|elevation|increase|goes up|higher)\b", item)
                      and re.search(r"\b(?:danger\w*|hazard\w*|serious\w*|harm\w*|unsafe)\b", item)]
    if not in_label_terms:
        return ["'Who Should Not' does not say: anyone for whom a rise in blood pressure would be a serious danger"]
    return []


def test_no_page_brings_back_a_corrected_mistake(pages):
    assert problems_by_page(pages, forbidden_phrases) == {}


def test_the_interaction_warning_is_as_serious_as_the_label(article):
    assert interaction_warning_problems(article) == []


def test_the_article_lists_when_to_get_help_after_a_session(article):
    assert warning_signs_problems(article) == []


def test_each_warning_sign_says_how_soon_and_the_crisis_line_is_in_the_list(article):
    assert warning_urgency_problems(article) == []


def test_who_should_not_gives_the_blood_pressure_contraindication_in_the_labels_terms(article):
    assert blood_pressure_contraindication_problems(article) == []


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
    ("Esketamine is made from one part of the ketamine molecule.", "part of the ketamine molecule"),
    ("Contact the clinic if you see things for more\u00a0than a day.", "for more than a day"),
    ("In one trial, 60 people with CRPS had ketamine through a drip.", "60 people had ketamine"),
    ("UK guidance says not to start it.", "uk guidance"),
    ("Some medicines, such as lamo\u0301trigine, matter.", "lamotrigine"),
    ('<abbr title="one session is rarely enough">CRPS</abbr> is rare.', "rarely enough"),
    ('<a href="#x" aria-label="Not given at home">x</a>', "not given at home"),
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


def warning_item(soup, contains):
    """The first warning-list item containing `contains` (case-folded)."""
    return next(li for li in soup.find(id=WARNING_SIGNS_ID).parent.select("li") if contains in folded(li.get_text(" ")))


def set_warning_item(soup, contains, text):
    """Replace the text of the first warning-list item containing `contains` (case-folded)."""
    item = warning_item(soup, contains)
    item.clear()
    item.append(text)


def test_urgency_check_catches_a_sign_without_how_soon_and_a_weakened_one(article):
    broken = parse(str(article))
    set_warning_item(broken, "yellow", "Yellow skin or dark pee: these can be signs of a liver problem.")
    set_warning_item(broken, "see or hear", "You see or hear things that are not there: contact the clinic.")
    assert warning_urgency_problems(broken) == [
        "no 'how soon' in the warning sign 'yellow skin or dark pee: these can be signs of a l'",
        "the warning list's hallucinations do not get help at once when severe or frightening",
        "the warning list's liver signs do not get medical help the same day or sooner",
    ]


def test_urgency_check_catches_a_crisis_line_moved_out_of_the_list(article):
    broken = parse(str(article))
    item = warning_item(broken, "988")
    item.parent.insert_after(parse("<p>Thoughts of harming yourself: call your local emergency number now, "
                                   "or call or text 988.</p>").p)
    item.decompose()
    assert warning_urgency_problems(broken) == ["the warning list has no item on self-harm"]


def test_urgency_check_catches_a_crisis_item_without_988(article):
    broken = parse(str(article))
    set_warning_item(broken, "988", "Thoughts of harming yourself: contact the clinic.")
    assert warning_urgency_problems(broken) == [
        "the warning list's self-harm do not name 988 and the emergency number, to call now"]


def test_blood_pressure_check_catches_only_not_well_controlled(article):
    broken = parse(str(article))
    heading = broken.find("h2", id="who-should-not-have-ketamine-therapy")
    item = next(li for element in section(broken, heading) for li in element.select("li")
                if "blood pressure" in li.get_text())
    item.clear()
    item.append("heart disease or high blood pressure that is not well controlled")
    assert blood_pressure_contraindication_problems(broken) == [
        "'Who Should Not' does not say: anyone for whom a rise in blood pressure would be a serious danger"]
