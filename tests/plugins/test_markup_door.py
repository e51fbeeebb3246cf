"""A page writes Markdown, and the one HTML it holds is a box of paragraphs with the site's
classes: any other tag, comment, entity or attribute list is refused at the door, by line,
before Markdown passes it to the page. Tested on a few lines each."""

import pytest

from plugins.content_rules.sources import markup_problems

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
    ("`<b>` in code is refused too", "line 1: <b>"),
    ("Text.\n{: #main }", "line 2: {: #main }"),
    ("Text.\n{: .advice #warning-signs }", "line 2: {: .advice #warning-signs }"),
    ('Text.{: class="footnote-ref" }', 'line 1: {: class="footnote-ref" }'),
    ("## Heading {#own-id}", "line 1: {#own-id}"),
    ("Text.\n{: .skip-link }", "line 2: {: .skip-link }"),
    ('<div class="skip-link" markdown="1">\n</div>', "line 1: skip-link"),
    ('<div class="advice">\n</div>', 'line 1: <div class="advice">'),
    ("</div>", "line 1: </div>"),
    ('<div class="advice" markdown="1">\nNever closed.', "line 1: </div>"),
    ('<div class="advice" markdown="1">\n///References///\n</div>', "line 2: ///References///"),
])
def test_other_markup_is_refused_with_its_line(text, line):
    assert refused(text) == [line]


def test_the_shared_files_take_no_class_at_all():
    assert list(markup_problems("*[CRPS]: complex regional pain syndrome", set())) == []
    assert refused_in_shared('[^a]: A. <https://doi.org/10.1/a>{: .advice }') == ["line 1"]


def refused_in_shared(text):
    return [problem.split(":")[0] for problem in markup_problems(text, set())]
