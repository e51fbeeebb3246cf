"""Promise: every page is well structured: one h1, no skipped heading levels, unique ids,
the metadata browsers and search engines need, and the article follows the agreed outline."""

from pathlib import Path

from checks import heading_problems, heading_text, metadata_problems, outline, problems_by_page
from conftest import ARTICLE_SOURCE, ROOT, SITE_PAGES, parse

from pelicanconf import long_date
from plugins.content_rules.sources import parse_metadata

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


def test_article_outline_matches_the_brief(article):
    assert outline(article) == EXPECTED_OUTLINE


def test_article_shows_contents_review_dates_and_safety_notes(article):
    contents = [a["href"] for a in article.select("nav.contents-list a")]
    assert contents == [f"#{h['id']}" for h in article.select(".prose h2")]
    dates = article.select_one(".review-dates")
    assert "Last reviewed" in dates.get_text() and "Next review due" in dates.get_text()
    metadata = dict(parse_metadata((ROOT / "content" / ARTICLE_SOURCE).read_text("utf-8"))[0])
    shown = [(t["datetime"], t.get_text()) for t in dates.find_all("time")]
    assert shown == [(metadata[key], long_date(metadata[key])) for key in ("reviewed", "next_review")]
    notes = " ".join(aside.get_text(" ", strip=True) for aside in article.select("aside.callout"))
    assert "not medical advice" in notes and "988" in notes and "emergency" in notes


def test_questions_page_carries_the_safety_notes_too(pages):
    questions = pages["questions.html"]
    assert questions.select_one(".review-dates") is not None
    assert len(questions.select("aside.callout")) == 2
    assert len(questions.select(".checklist ol > li")) == 10


def test_every_page_has_landmarks_and_a_skip_link_first(pages):
    for path, soup in pages.items():
        assert soup.find("header") and soup.find("nav") and soup.find("footer"), path
        assert len(soup.find_all("main")) == 1, path
        first_link = soup.body.find(["a", "button", "input"])
        assert first_link.get("href") == "#main", f"{path}: the first focusable element is not the skip link"


def test_home_page_lists_every_article_with_its_summary(pages):
    home = pages["index.html"]
    items = home.select(".article-list > li")
    assert [li.h3.a["href"] for li in items] == ["./ketamine-therapy-for-chronic-pain.html"]
    assert all(li.find("p").get_text(strip=True) for li in items)


# The checkers catch the faults they are for.

def test_heading_check_catches_a_skipped_level_a_second_h1_and_a_duplicate_id(article):
    broken = parse(str(article))
    broken.select(".prose h2")[1].name = "h4"
    broken.select(".prose h2")[2].name = "h1"
    broken.select(".prose h2")[3]["id"] = broken.select(".prose h2")[4]["id"]
    found = " ".join(heading_problems(broken))
    assert "skips a level" in found and "exactly one <h1>, found 2" in found and "used twice" in found


def test_outline_check_catches_a_renamed_section(article):
    broken = parse(str(article))
    broken.select(".prose h2")[0].contents[0].replace_with("Quick facts")
    assert outline(broken) != EXPECTED_OUTLINE


def test_metadata_check_catches_missing_description_and_alt(article):
    broken = parse(str(article))
    broken.find("meta", attrs={"name": "description"}).decompose()
    broken.find("main").append(broken.new_tag("img", src="x.png"))
    assert len(metadata_problems(broken)) == 2


def test_every_page_is_listed_for_the_per_page_checks(pages):
    assert sorted(pages) == sorted(SITE_PAGES)


def test_section_headings_hold_only_their_words(pages):
    assert {path: found for path, soup in pages.items() if (found := heading_link_problems(soup))} == {}


def test_heading_link_check_catches_a_permalink_inside_a_heading():
    soup = parse('<div class="prose"><h2 id="a">Key facts <a href="#a">#</a></h2><h2 id="b">Risks</h2></div>')
    assert heading_link_problems(soup) == ["heading 'Key facts #' holds a link"]
