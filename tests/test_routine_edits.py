"""Promise: routine editing keeps `make test` green. A copy of the content with new review
dates and a second article builds, and passes the structural, link and citation checks,
with every shown date equal to its page's metadata."""

import datetime
import re
import shutil

import pytest
from checks import footnote_problems, heading_problems, link_problems, metadata_problems
from conftest import FIRST_ARTICLE_SOURCE, ROOT, build_site, parse

from pelicanconf import long_date
from plugins.content_rules.sources import parse_metadata

ARTICLE = FIRST_ARTICLE_SOURCE


@pytest.fixture(scope="module")
def edited_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edited")
    content = shutil.copytree(ROOT / "content", folder / "content")
    today = datetime.date.today()
    for source in content.glob("*/*.md"):
        text = source.read_text("utf-8")
        text = re.sub(r"^Reviewed: .*$", f"Reviewed: {today}", text, flags=re.M)
        text = re.sub(r"^Modified: .*$", f"Modified: {today}", text, flags=re.M)
        text = re.sub(r"^Next_review: .*$", f"Next_review: {today + datetime.timedelta(days=365)}", text, flags=re.M)
        source.write_text(text, "utf-8")
    second = (content / ARTICLE).read_text("utf-8")
    second = re.sub(r"^Title: .*$", "Title: A Second Article About Ketamine", second, flags=re.M)
    second = re.sub(r"^Slug: .*$", "Slug: a-second-article", second, flags=re.M)
    (content / "articles" / "a-second-article.md").write_text(second, "utf-8")
    output = folder / "output"
    result = build_site(output, content=content)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = {p.name: parse(p.read_text("utf-8")) for p in output.glob("*.html")}
    return content, output, pages


def test_every_page_of_the_edited_site_passes_the_structure_link_and_citation_checks(edited_site):
    _, output, pages = edited_site
    found = {name: problems for name, soup in pages.items()
             if (problems := heading_problems(soup) + metadata_problems(soup) + footnote_problems(soup)
                 + link_problems(name, soup, output, pages))}
    assert found == {}


def test_every_shown_review_date_is_its_pages_metadata(edited_site):
    content, _, pages = edited_site
    for source in content.glob("*/*.md"):
        metadata = dict(parse_metadata(source.read_text("utf-8"))[0])
        if "reviewed" not in metadata:
            continue
        page = pages[f"{metadata['slug']}.html"]
        shown = [(t["datetime"], t.get_text()) for t in page.select(".review-dates time")]
        assert shown == [(metadata[key], long_date(metadata[key])) for key in ("reviewed", "next_review")]


def test_the_home_page_lists_both_articles(edited_site):
    _, _, pages = edited_site
    listed = [a["href"] for a in pages["index.html"].select(".article-list h3 a")]
    assert sorted(listed) == ["./a-second-article.html", "./ketamine-therapy-for-chronic-pain.html"]
