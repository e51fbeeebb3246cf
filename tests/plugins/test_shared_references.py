"""Plugin shared_references: a page's [^label] pulls in the one shared definition; each
reference keeps one back-link, and citation marks nobody links back to lose their ids.
Tested on the Markdown extension alone, and on the built article."""

import markdown
from bs4 import BeautifulSoup

from plugins.shared_references.shared_references import SharedReferencesExtension, read_abbreviations

DEFINITIONS = {
    "a": "[^a]: Source A. <https://doi.org/10.1000/a>",
    "b": "[^b]: Source B. <https://doi.org/10.1000/b>",
    "unused": "[^unused]: Never cited. <https://doi.org/10.1000/c>",
}


def render(text):
    html = markdown.markdown(text, extensions=["footnotes", SharedReferencesExtension(DEFINITIONS)])
    return BeautifulSoup(html, "lxml")


def test_cited_labels_pull_in_their_shared_definitions_only():
    html = render("One.[^a] Two.[^b]")
    notes = [li.get_text(" ", strip=True) for li in html.select(".footnote li")]
    assert len(notes) == 2 and notes[0].startswith("Source A") and notes[1].startswith("Source B")


def test_a_source_cited_three_times_keeps_one_back_link():
    html = render("One.[^a] Two.[^a] Three.[^a]")
    (note,) = html.select(".footnote li")
    backlinks = note.select("a.footnote-backref")
    assert [a["href"] for a in backlinks] == ["#fnref:a"]
    assert [sup.get("id") for sup in html.select("sup")] == ["fnref:a", None, None]


def test_abbreviations_are_read_from_their_shared_file(tmp_path):
    path = tmp_path / "abbreviations.md"
    path.write_text("*[CRPS]: complex regional pain syndrome\n*[IV]:  into a vein \n", "utf-8")
    assert read_abbreviations(path) == {"CRPS": "complex regional pain syndrome", "IV": "into a vein"}


def test_the_built_article_gives_each_reference_one_back_link(article):
    notes = article.select(".footnote li")
    assert notes and all(len(note.select("a.footnote-backref")) == 1 for note in notes)
    assert len(article.select("a.footnote-ref")) > len(notes)  # some sources are cited more than once
