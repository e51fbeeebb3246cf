"""The shared references and abbreviations: one grammar (shared_files), and the Markdown
extension that pulls them into pages (shared_references). A page's [^label] pulls in the one
shared definition; each reference keeps one back-link; every abbreviation reaches every page.
Tested on small synthetic files, and on the built article."""

import markdown
from bs4 import BeautifulSoup

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
