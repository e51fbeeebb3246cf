"""Plugin heading_permalinks: the toc extension's "#" link moves out of its heading to just
after it, named for the section, so the heading is announced by its words alone."""

import markdown
from bs4 import BeautifulSoup
from markdown.extensions.toc import TocExtension

from plugins.heading_permalinks.heading_permalinks import HeadingPermalinkExtension


def render(text):
    html = markdown.markdown(text, extensions=[TocExtension(permalink="#"), HeadingPermalinkExtension()])
    return BeautifulSoup(html, "lxml")


def test_the_permalink_follows_its_heading_named_for_it():
    html = render("## Risks of *CRPS* care\n\nText.\n\n### After a session\n\nMore.")
    for heading, words in ((html.h2, "Risks of CRPS care"), (html.h3, "After a session")):
        assert heading.find("a") is None and heading.get_text() == words
        link = heading.find_next_sibling()
        assert (link.name, link["href"], link["aria-label"], link.get_text()) == (
            "a", f"#{heading['id']}", f"Link to this section: {words}", "#")
        assert link.find_next_sibling().name == "p"


def test_a_heading_without_a_permalink_is_left_alone():
    html = BeautifulSoup(markdown.markdown("## Plain\n\nText.", extensions=[HeadingPermalinkExtension()]), "lxml")
    assert str(html.h2) == "<h2>Plain</h2>" and html.h2.find_next_sibling().name == "p"
