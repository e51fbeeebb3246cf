"""The shared references and abbreviations: one grammar (shared_files), and the Markdown
extension that pulls them into pages (shared_references). A page's [^label] pulls in the one
shared definition; each reference keeps one back-link; every abbreviation reaches every page.
Tested on small synthetic files, and on the built article."""

import markdown
import pytest
from bs4 import BeautifulSoup

from plugins.content_rules.content_rules import footnote_markup, reading
from plugins.content_rules.html_policy import parse
from plugins.content_rules.shared_files import read_shared_files
from plugins.content_rules.shared_references import SharedReferencesExtension

REFERENCES = """\
[^a]: Source A. <https://doi.org/10.1000/a>
[^b]: Source B. <https://doi.org/10.1000/b>

[^unused]: Never cited. <https://doi.org/10.1000/c>
"""
ABBREVIATIONS = "*[CRPS]: complex regional pain syndrome\n*[IV]:  into a vein \n"


def shared(tmp_path, references=REFERENCES, abbreviations=ABBREVIATIONS):
    (tmp_path / "references.md").write_text(references, "utf-8")
    (tmp_path / "abbreviations.md").write_text(abbreviations, "utf-8")
    return read_shared_files({"PATH": tmp_path, "REFERENCES_FILE": "references.md",
                              "ABBREVIATIONS_FILE": "abbreviations.md", "SOURCE_DOMAINS": ("doi.org",)})


def render(tmp_path, text):
    html = markdown.markdown(text, extensions=["footnotes", "abbr", SharedReferencesExtension(shared(tmp_path))])
    return BeautifulSoup(html, "lxml")


def test_the_grammar_reads_each_definition_and_its_text(tmp_path):
    files = shared(tmp_path)
    assert files.problems == []
    assert {label: d.text for label, d in files.abbreviations.items()} == {
        "CRPS": "complex regional pain syndrome", "IV": "into a vein"}
    assert list(files.references) == ["a", "b", "unused"] and files.references["unused"].number == 4


def test_a_line_the_grammar_does_not_read_is_a_problem_never_a_silent_loss(tmp_path):
    # An abbreviation indented by one space was once accepted by the check and dropped by the
    # extension: every <abbr> for it vanished from the pages, and the build passed.
    files = shared(tmp_path, abbreviations=" *[CRPS]: complex regional pain syndrome\n",
                   references="[^a]: Source A. <https://doi.org/10.1000/a>\n  [^b]: Source B. <https://doi.org/10.1000/b>\n")
    assert [(path.name, problem) for path, problem in files.problems] == [
        ("references.md", "line 2: not a reference ('[^label]: citation <https://...>'); "
                          "it must start at the beginning of the line"),
        ("abbreviations.md", "line 1: not an abbreviation ('*[ABBR]: meaning'); "
                             "it must start at the beginning of the line"),
    ]


def test_cited_labels_pull_in_their_shared_definitions_only(tmp_path):
    html = render(tmp_path, "One.[^a] Two.[^b]")
    notes = [li.get_text(" ", strip=True) for li in html.select(".footnote li")]
    assert len(notes) == 2 and notes[0].startswith("Source A") and notes[1].startswith("Source B")


def test_every_shared_abbreviation_is_explained_where_a_page_first_uses_it(tmp_path):
    html = render(tmp_path, "CRPS treated by IV drip.\n\n*CRPS* again, and IV again.")
    assert [(abbr.get_text(), abbr["title"]) for abbr in html.select("abbr")] == [
        ("CRPS", "complex regional pain syndrome"), ("IV", "into a vein")]
    assert html.get_text(" ", strip=True).endswith("CRPS again, and IV again.")


def test_a_source_cited_three_times_keeps_one_back_link(tmp_path):
    html = render(tmp_path, "One.[^a] Two.[^a] Three.[^a]")
    (note,) = html.select(".footnote li")
    backlinks = note.select("a.footnote-backref")
    assert [a["href"] for a in backlinks] == ["#fnref:a"]
    assert [sup.get("id") for sup in html.select("sup")] == ["fnref:a", None, None]


def test_the_built_article_gives_each_reference_one_back_link(article):
    notes = article.select(".footnote li")
    assert notes and all(len(note.select("a.footnote-backref")) == 1 for note in notes)
    assert len(article.select("a.footnote-ref")) > len(notes)  # some sources are cited more than once



# A page's marks and list of references as the footnotes extension writes them, and how the
# shared reference reads: what footnote_markup compares a page's list with.
MARK = '<sup id="fnref-a">\u2060<a class="footnote-ref" href="#fn-a">1</a></sup>'
ITEM = ('<li id="fn-a"><p>Source A. <a href="https://doi.org/10.1000/a">https://doi.org/10.1000/a</a> '
        '<a class="footnote-backref" href="#fnref-a">\u21a9</a></p></li>')
NOTES = f'<div class="footnote"><hr><ol>{ITEM}</ol></div>'
SHARED = {"a": reading(parse(ITEM).find("li"))}
WRONG_LIST = ['<a class="footnote-ref">', '<div class="footnote">', '<li id="fn-a">', '<a class="footnote-backref">']
OTHER_LINK = NOTES.replace('href="https://doi.org/10.1000/a"', 'href="https://doi.org/10.1000/z"')


def hand_written(html):
    """What each problem says was written by hand ("<sup>[9]</sup>, a citation mark")."""
    return [problem.removeprefix("writes ").split(" by hand")[0].split(" (")[0]
            for _, problem in footnote_markup(parse(html), SHARED.get)]


def cited(extra="", notes=NOTES):
    return f"<p>Cited.{MARK}{extra}</p>{notes}"


def test_the_footnotes_own_marks_and_list_pass():
    again = "<sup>\u2060<a class='footnote-ref' href='#fn-a'>1</a></sup>"
    assert hand_written(f"<p>Cited.{MARK}</p><p>Again.{again}</p>{NOTES}") == []
    assert hand_written("<h2 id='fn1-results'>FN1 results</h2><p>No citation, no list.</p>") == []
    abbreviated = NOTES.replace("Source A.", "<abbr title='Source'>Source</abbr> A.")
    assert hand_written(cited(notes=abbreviated)) == [], "a page explains an abbreviation once, maybe not here"


NOT_LAST = ("the list of references is inside a box or has text after it: put ///References/// on a line of its "
            "own at the end of the page, outside any box")
LIST, MARK_ALONE, BACKLINK = '<div class="footnote">, a reference list', "<sup>1</sup>, a citation mark", \
    '<a class="footnote-backref">, a back-link'


@pytest.mark.parametrize("html, found", [
    (cited(notes="<div class='footnote'><ol><li id='fn-b'><p>Made up.</p></li></ol></div>" + NOTES), [LIST]),
    # With no genuine list, its marks and back-links lead to none either.
    (cited(notes=NOTES.replace("Source A.", "Source Z.")), [LIST, MARK_ALONE, BACKLINK]),
    (cited(notes=OTHER_LINK), [LIST, MARK_ALONE, BACKLINK]),
    (cited(notes=NOTES.replace("</ol>", "</ol><ol start='2'><li>Made up.</li></ol>")), [LIST, MARK_ALONE, BACKLINK]),
    (cited(notes=NOTES.replace("</li></ol>", "</li></ol> Made up.")), [LIST, MARK_ALONE, BACKLINK]),
    (cited(notes=NOTES + "<ol start='2'><li>Made up.</li></ol>"), [NOT_LAST]),
    (cited(notes="<div class='footnote'><hr><ol></ol></div>"), [LIST, MARK_ALONE]),
    (cited(notes="<div class='footnote'><hr><ol><li>Made up.</li></ol></div>"), [LIST, MARK_ALONE]),
    (cited("<sup><a class='footnote-ref' href='#fn-made-up'>2</a></sup>"), ["<sup>2</sup>, a citation mark"]),
    (cited("<sup><a class='footnote-ref' href='#fn-a'>2</a></sup>"), ["<sup>2</sup>, a citation mark"]),
    (cited("<sup><a class='footnote-ref' href='#fn-a'>1<em>4</em></a></sup>"), ["<sup>14</sup>, a citation mark"]),
    (cited("<sup><a class='footnote-ref' href='#fn-a'>1</a>, 7</sup>"), ["<sup>1, 7</sup>, a citation mark"]),
    (cited("<sup>[9]</sup>"), ["<sup>[9]</sup>, a citation mark"]),
    (cited(" <a class='footnote-ref' href='#fn-a'>1</a>"), ['<a class="footnote-ref">, a citation mark']),
    (cited(" <a class='footnote-backref' href='#fnref-a'>back</a>"), [BACKLINK]),
    (cited(notes="<table><tr><td class='footnote'>Made up.</td></tr></table>" + NOTES),
     ['<td class="footnote">, a reference list']),
], ids=["a second list", "an item in other words", "an item with another link", "a second ol in the list",
        "words in the list", "a list after the list", "an empty list", "an item with no id",
        "a mark to no item", "a mark with another number", "a mark with more in it", "a mark with words after it",
        "a superscript of its own", "a mark outside a superscript", "a back-link outside the list",
        "the list's class on a table cell"])
def test_markup_the_footnotes_did_not_write_is_refused(html, found):
    assert hand_written(html) == found
