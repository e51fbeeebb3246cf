"""Each section has an address of its own: two headings whose words give one id (whatever their
letter case or spacing, which the table of contents drops) are refused. Tested on a few lines."""

import markdown

from plugins.content_rules.content_rules import repeated_headings
from plugins.content_rules.html_policy import parse


def refused(text):
    html = markdown.markdown(text, extensions=["toc"])
    return [problem.split(":")[0] for _, problem in repeated_headings(parse(html))]


def test_two_headings_with_the_same_words_are_refused_however_written():
    assert refused("## Before you go\n\n## Before you go") == ["two sections are called 'Before you go'"]
    assert refused("## Before you go\n\n##   BEFORE  you   GO  ") == ["two sections are called 'BEFORE you GO'"]


def test_headings_with_their_own_words_pass_even_one_ending_in_a_number():
    assert refused("## Before you go\n\n## After you go\n\n## Step_1") == []
