"""Promise: every page is well structured: one h1, no skipped heading levels, unique ids,
the metadata browsers and search engines need, and the article follows the agreed outline."""

import re
from pathlib import Path

from checks import heading_problems, heading_text, metadata_problems, outline, problems_by_page
from conftest import content_articles, content_pages, content_sources, menu_links, parse, source_metadata

from pelicanconf import WARNING_SIGNS_ID, long_date

EXPECTED_OUTLINE = [
    line for line in (Path(__file__).parent / "expected_outline.txt").read_text("utf-8").splitlines()
    if line and not line.startswith("#")
]


def heading_link_problems(soup):
    """Section headings that hold a link: a "#" permalink inside a heading is read as part of its
    name, and the "On this page" list already links every section."""
    return [f"heading '{heading_text(h)}' holds a link" for h in soup.select(".prose :is(h2, h3, h4)") if h.find("a")]


def test_every_page_has_one_h1_ordered_headings_and_unique_ids(pages):
    assert problems_by_page(pages, heading_problems) == {}


def test_every_page_has_lang_title_description_viewport_and_image_alt(pages):
    assert problems_by_page(pages, metadata_problems) == {}


def brief_outline_problems(articles):
    """The article the content brief describes (the one with its title) follows the brief's
    outline; other articles have outlines of their own."""
    briefs = [path for path, soup in articles.items() if outline(soup)[:1] == EXPECTED_OUTLINE[:1]]
    if len(briefs) != 1:
        return [f"expected one article with the brief's '{EXPECTED_OUTLINE[0]}', found {briefs}"]
    found = outline(articles[briefs[0]])
    return [f"{briefs[0]}: its outline is {found}, not the brief's"] if found != EXPECTED_OUTLINE else []


def test_the_briefs_article_follows_the_briefs_outline(articles):
    assert brief_outline_problems(articles) == []


def main_message_problems(soup):
    """A health page opens with its main message: the first thing under the h1, before its notes
    and its contents list (CDC Clear Communication Index, items 1 and 2), with no citation mark
    missing its note (the message keeps its place in the page's numbering)."""
    h1 = soup.find("h1")
    following = h1.find_next_sibling() if h1 else None
    if following is None or "main-message" not in following.get("class", []):
        return ["the first thing under the title is not the main message"]
    notes = {li.get("id") for li in soup.select(".footnote li[id]")}
    return [f"the main message cites {a['href']}, which is not in the page's notes"
            for a in following.select("a.footnote-ref") if a["href"].lstrip("#") not in notes]


def test_every_article_opens_with_its_main_message(articles):
    assert {path: found for path, soup in articles.items() if (found := main_message_problems(soup))} == {}


def test_main_message_check_catches_contents_first_and_no_message():
    assert main_message_problems(parse('<h1>T</h1><div class="main-message"><p>Say it.</p></div><nav></nav>')) == []
    assert main_message_problems(parse('<h1>T</h1><nav></nav><div class="main-message"><p>Late.</p></div>'))
    assert main_message_problems(parse('<h1>T</h1><p>No message.</p>'))
    assert main_message_problems(parse('<h1>T</h1><div class="main-message"><p>X.<a class="footnote-ref" '
                                       'href="#fn-a">1</a></p></div>'))


def test_every_article_shows_contents_review_dates_and_safety_notes(content, pages):
    for source, path in content_articles(content):
        article = pages[path]
        contents = [a["href"] for a in article.select("nav.contents-list a")]
        # Every section, and the warning signs after a session where the article has them.
        assert contents == [f"#{h['id']}" for h in article.select(f".prose h2, .prose h3#{WARNING_SIGNS_ID}")], path
        dates = article.select_one(".review-dates")
        assert "Last reviewed" in dates.get_text() and "Next review due" in dates.get_text(), path
        metadata = source_metadata(content / source)
        shown = [(t["datetime"], t.get_text()) for t in dates.find_all("time")]
        assert shown == [(metadata[key], long_date(metadata[key])) for key in ("reviewed", "next_review")], path
        notes = " ".join(aside.get_text(" ", strip=True) for aside in article.select("aside.callout"))
        assert "not medical advice" in notes and "988" in notes and "emergency" in notes, path


def checklist_problems(soup):
    """The questions page has questions, as many as its summary (its description) says."""
    questions = soup.select(".checklist ol > li")
    if not questions:
        return ["the checklist has no questions"]
    said = re.search(r"\b(\d+) questions\b", soup.find("meta", attrs={"name": "description"})["content"])
    if said and int(said[1]) != len(questions):
        return [f"the summary says {said[1]} questions, the checklist has {len(questions)}"]
    return []


def test_every_checklist_page_carries_the_safety_notes_too(pages):
    checklists = {path: soup for path, soup in pages.items() if soup.select_one(".checklist")}
    assert checklists, "no page has the questions checklist"
    for path, soup in checklists.items():
        assert soup.select_one(".review-dates") is not None, path
        assert len(soup.select("aside.callout")) == 2, path
        assert checklist_problems(soup) == [], path


def test_every_page_has_landmarks_and_a_skip_link_first(pages):
    for path, soup in pages.items():
        assert soup.find("header") and soup.find("nav") and soup.find("footer"), path
        assert len(soup.find_all("main")) == 1, path
        first_link = soup.body.find(["a", "button", "input"])
        assert first_link.get("href") == "#main", f"{path}: the first focusable element is not the skip link"


def test_home_page_lists_every_article_newest_first_with_its_summary(content, pages):
    home = pages["index.html"]
    items = home.select(".article-list > li")
    listed = [li.h3.a["href"].removeprefix("./") for li in items]
    assert sorted(listed) == sorted(path for _, path in content_articles(content))
    dates = {path: source_metadata(content / source)["date"] for source, path in content_articles(content)}
    assert [dates[path] for path in listed] == sorted(dates.values(), reverse=True), "newest first"
    assert all(li.find("p").get_text(strip=True) for li in items)


def test_the_menu_lists_every_page_in_its_menu_order(content, pages):
    """Menu_order is a number: a tenth page comes after the ninth, not after the first."""
    places = {path: int(metadata["menu_order"]) for path, source in content_sources(content).items()
              if "menu_order" in (metadata := source_metadata(source)) and metadata.get("status") != "hidden"}
    for path, soup in pages.items():
        listed = [link for link in menu_links(soup) if link in places]
        assert sorted(listed) == sorted(places), f"{path}: the menu does not list every page"
        assert [places[link] for link in listed] == sorted(places.values()), f"{path}: menu out of order {listed}"


# The checkers catch the faults they are for.

def test_heading_check_catches_a_skipped_level_a_second_h1_and_a_duplicate_id():
    soup = parse('<h1>Guide</h1><h2 id="a">Facts</h2><h4>Detail</h4><h1>Again</h1><h2 id="a">Risks</h2>')
    assert heading_problems(soup) == [
        "expected exactly one <h1>, found 2", "<h4> 'Detail' skips a level after <h2>", "id 'a' is used twice"]


def test_outline_check_catches_a_renamed_section_and_a_missing_brief_article():
    title = EXPECTED_OUTLINE[0].removeprefix("h1: ")
    renamed = parse(f"<h1>{title}</h1><h2>Quick facts</h2>")
    assert brief_outline_problems({"a.html": renamed}) == [
        f"a.html: its outline is {outline(renamed)}, not the brief's"]
    assert brief_outline_problems({"b.html": parse("<h1>Another article</h1>")}) == [
        f"expected one article with the brief's '{EXPECTED_OUTLINE[0]}', found []"]


def test_metadata_check_catches_missing_description_and_alt():
    soup = parse('<html lang="en"><head><title>T</title><meta name="viewport" content="width=device-width">'
                 '</head><body><main><img src="x.png"></main></body></html>')
    assert metadata_problems(soup) == [
        'no <meta name="description"> with content', "<img src='x.png'> has no alt attribute"]


def test_checklist_check_catches_an_empty_list_and_a_summary_that_miscounts():
    def page(items):
        return parse('<meta name="description" content="A checklist of 2 questions.">'
                     f'<div class="checklist"><ol>{"<li>Why?</li>" * items}</ol></div>')
    assert checklist_problems(page(0)) == ["the checklist has no questions"]
    assert checklist_problems(page(3)) == ["the summary says 2 questions, the checklist has 3"]
    assert checklist_problems(page(2)) == []


def test_every_page_is_listed_for_the_per_page_checks(content, pages):
    assert sorted(pages) == sorted(content_pages(content))


def test_section_headings_hold_only_their_words(pages):
    assert {path: found for path, soup in pages.items() if (found := heading_link_problems(soup))} == {}


def test_heading_link_check_catches_a_permalink_inside_a_heading():
    soup = parse('<div class="prose"><h2 id="a">Key facts <a href="#a">#</a></h2><h2 id="b">Risks</h2></div>')
    assert heading_link_problems(soup) == ["heading 'Key facts #' holds a link"]
