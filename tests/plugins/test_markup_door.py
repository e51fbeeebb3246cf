"""A page writes Markdown, and the one HTML it holds is a box of paragraphs with the site's
classes: any other tag, comment, entity or attribute list is refused at the door, by line,
before Markdown passes it to the page. Tested on a few lines each."""

import pytest

from plugins.content_rules.sources import citation_problems, markup_problems

CLASSES = {"advice", "main-message", "icon-array"}
MARKER = "///References///"


def refused(text):
    return [problem.split(": ", 1)[0] + ": " + problem.split(": ", 1)[1].split("'")[1]
            for problem in markup_problems(text, CLASSES, MARKER)]


@pytest.mark.parametrize("text", [
    "Plain words, **bold**, a [link](https://www.nih.gov/) and <https://www.nih.gov/x>.",
    "A [page]({filename}/pages/about.md) and a ![chart]({static}/images/chart.png).",
    "Ask your doctor.\n{: .advice }",
    '<div class="main-message" markdown="1">\n\nSay it first.\n\n</div>',
    '<div class="advice icon-array" markdown="1">\r\nA CRLF file.\r\n</div>\r\n',
    "Pain scores: 3 < 5, and a & b.",
])
def test_markdown_and_the_sites_boxes_pass(text):
    assert list(markup_problems(text, CLASSES, MARKER)) == []


@pytest.mark.parametrize("text, line", [
    ("<script>alert(1)</script>", "line 1: <script>"),
    ("Words <sup>2</sup>", "line 1: <sup>"),
    ("A\n<!-- a note -->", "line 2: <!-- a note -->"),
    ("<p>Hi", "line 1: <p>"),
    ("A &#x202E; mark", "line 1: &#x202E;"),
    ("&rlm;", "line 1: &rlm;"),
    ("A &\\#x202E; mark", "line 1: &#x202E;"),  # Markdown drops the backslash, then writes the entity
    ('<https://www.nih.gov/c="x>', 'line 1: <https://www.nih.gov/c="x>'),  # a quote in an autolink is a tag's
    ("`<b>` in code is refused too", "line 1: <b>"),
    ("Text.\n{: #main }", "line 2: {: #main }"),
    ("Text.\n{: .advice #warning-signs }", "line 2: {: .advice #warning-signs }"),
    ('Text.{: class="footnote-ref" }', 'line 1: {: class="footnote-ref" }'),
    ("## Heading {#own-id}", "line 1: {#own-id}"),
    ("Text.\n{: .skip-link }", "line 2: {: .skip-link }"),
    ('<div class="skip-link" markdown="1">\n</div>', "line 1: skip-link"),
    ('<div class="advice">\n</div>', 'line 1: <div class="advice">'),
    ("</div>", "line 1: </div>"),
    ('!!! footnote "Smith 2020"\n    A study.', 'line 1: !!! footnote "Smith 2020"'),
    ('<div class="advice" markdown="1">\nNever closed.', "line 1: </div>"),
    ('<div class="advice" markdown="1">\n///References///\n</div>', "line 2: ///References///"),
    ("- Cited.[^a]\n    ///References///", "line 2: ///References///"),  # indented: inside the list item
])
def test_other_markup_is_refused_with_its_line(text, line):
    assert refused(text) == [line]


def test_the_shared_files_take_no_class_at_all():
    assert list(markup_problems("*[CRPS]: complex regional pain syndrome", set())) == []
    assert refused_in_shared('[^a]: A. <https://doi.org/10.1/a>{: .advice }') == ["line 1"]


def refused_in_shared(text):
    return [problem.split(":")[0] for problem in markup_problems(text, set())]


def test_invisible_marks_are_found_and_an_emoji_is_not():
    from plugins.content_rules.sources import hidden_characters
    assert hidden_characters("keta\ufe00mine keta\u034fmine \U000e0100") == ["\ufe00", "\u034f", "\U000e0100"]
    assert hidden_characters("A nurse \U0001f469\u200d\u2695\ufe0f and a heart \u2764\ufe0f.") == []
    assert hidden_characters("Play \u25b6\ufe0f, step 1\ufe0f\u20e3, \u00a9\ufe0f, both ways \u2194\ufe0e.") == []
    assert hidden_characters("keta\ufe0fmine") == ["\ufe0f"]  # after a letter it splits the word


def test_the_rendered_page_is_read_for_invisible_characters_too():
    from plugins.content_rules.content_rules import hidden_in_page
    from plugins.content_rules.html_policy import parse
    page = parse('<p>Take it da\u202eily.</p><a title="x\u00ady">y</a>')
    assert [problem for _, problem in hidden_in_page(page)] == [
        "the page would hold the invisible character U+202E (right-to-left override), which can hide or reorder "
        "text: delete it, or whatever writes it",
        "the page would hold the invisible character U+00AD (soft hyphen), which can hide or reorder text: delete it, "
        "or whatever writes it"]
    assert list(hidden_in_page(parse("<p>Cited.<sup>\u2060<a>1</a></sup></p>"))) == []


def test_the_sanitizer_backstop_reports_what_it_would_change():
    from plugins.content_rules.html_policy import html_problems
    [(_, script)] = html_problems("<p>Hi<script>x</script></p>", ("nih.gov",))
    assert script.startswith("<script> would be changed by the sanitizer: content keeps only")
    aligned = '<table><thead><tr><th style="text-align: center;">A</th></tr></thead></table>'
    assert "a table column is aligned" in html_problems(aligned, ("nih.gov",))[0][1]
    assert html_problems('<p class="advice">Hi <a href="https://www.nih.gov/">NIH</a>.</p>', ("nih.gov",)) == []


# A page cites the shared references and writes no definition of its own, in any place Markdown reads.
LABELS = {"ketalar", "cohen2018"}


def citation_mistakes(text):
    return list(citation_problems(text.split("\n"), 1, LABELS))


def test_citations_of_shared_references_pass_and_a_code_span_is_not_read():
    assert citation_mistakes("Cited.[^ketalar] Twice.[^cohen2018][^ketalar]\nWrite `[^label]` to cite.") == []
    assert citation_mistakes("They found[^cohen2018]:") == []  # a citation before a colon, not a definition


def test_a_fence_is_text_here_so_what_it_holds_is_read():
    """The site's Markdown has no fenced code: a ``` line is text, and the page shows what follows."""
    assert citation_mistakes("```\n[^unknown]: in a fence\n```") == [
        "line 2: defines the reference [^unknown] itself: every source is written once, in content/references.md"]


@pytest.mark.parametrize("text, problem", [
    ("Cited.[^nosuch]\nAgain.[^nosuch]", "line 1: cites [^nosuch], which is not in the shared references"),
    ("Cited.[^ketalar]\n\n[^ketalar]: Our clinic.", "line 3: defines the reference [^ketalar] itself"),
    ("Ours.[^ours]\n\n   [^ours]: Our clinic.", "line 3: defines the reference [^ours] itself"),  # not also unknown
    ("Text.\n\n> - [^cohen2018]: in a quoted list", "line 3: defines the reference [^cohen2018] itself"),
    ("- [^cohen2018]: a definition in a list", "line 1: defines the reference [^cohen2018] itself"),
    ("1. > [^ours]: in a numbered quote", "line 1: defines the reference [^ours] itself"),
    ("CRPS is rare.\n\n> *[CRPS]: can really pay sellers", "line 3: defines the abbreviation CRPS itself"),
])
def test_a_definition_or_an_unknown_citation_is_refused_once_by_line(text, problem):
    found = citation_mistakes(text)
    assert len(found) == 1 and found[0].startswith(problem), found
